/* Catalogues with facets ("Explorer les coopérations / recommandations").
 * The page already lists every record, each row carrying its facet values
 * (data-f-<facet>="a b"); this script shows the facet controls, filters the rows
 * (OR inside a facet, AND between facets), updates each value's count, the map
 * and the live result count, and keeps the state in the URL (?q=…&themes=…).
 * The text query asks Pagefind which records match (its per-record id filter:
 * no result fragment is downloaded); if Pagefind cannot load, words are looked
 * up in the rows' own text. */
(function () {
  "use strict";

  function fold(text) {
    return window.kbFold ? window.kbFold(text)
      : String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function setup(root) {
    var controls = root.querySelector("[data-kb-controls]");
    var status = root.querySelector("[data-kb-status]");
    var input = root.querySelector("#kb-explorer-q");
    var idFilter = root.dataset.kbIdFilter;
    var noun = root.dataset.kbNoun, nouns = root.dataset.kbNouns;
    var fieldsets = Array.prototype.slice.call(root.querySelectorAll("fieldset[data-facet]"));
    var names = fieldsets.map(function (f) { return f.dataset.facet; });
    var rows = Array.prototype.slice.call(root.querySelectorAll("tr[data-id]")).map(function (el) {
      var values = {};
      names.forEach(function (name) {
        values[name] = new Set((el.getAttribute("data-f-" + name) || "").split(" ").filter(Boolean));
      });
      return { id: el.dataset.id, el: el, values: values, text: null };
    });
    var boxes = {};
    fieldsets.forEach(function (f) {
      boxes[f.dataset.facet] = Array.prototype.slice.call(f.querySelectorAll("input[type=checkbox]"));
    });
    var markers = Array.prototype.slice.call(root.querySelectorAll(".kb-map [data-coops]"));
    var markerSets = markers.map(function (el) { return new Set(el.dataset.coops.split(" ").filter(Boolean)); });
    var mapItems = Array.prototype.slice.call(root.querySelectorAll(".kb-map__list li[data-coops], .kb-map__unplaced li[data-coops]"));
    var unplacedItems = Array.prototype.slice.call(root.querySelectorAll(".kb-map__unplaced li[data-coops]"));
    var unplacedCount = root.querySelector("[data-kb-unplaced-count]");
    var mapItemSets = mapItems.map(function (el) { return new Set(el.dataset.coops.split(" ").filter(Boolean)); });
    var lines = Array.prototype.slice.call(root.querySelectorAll(".kb-map line[data-coop]"));
    var mapCount = root.querySelector("[data-kb-map-count]");
    var textMatches = null;  // null: no query; otherwise the Set of matching ids
    var sequence = 0;
    var timer = null;
    var lastStatus = "";

    var clear = document.createElement("button");
    clear.type = "button";
    clear.className = "md-button kb-explorer__clear";
    clear.textContent = "Effacer les filtres";
    controls.appendChild(clear);
    controls.hidden = false;

    function selected() {
      var out = {};
      names.forEach(function (name) {
        out[name] = new Set(boxes[name].filter(function (b) { return b.checked; }).map(function (b) { return b.value; }));
      });
      return out;
    }

    function writeUrl(sel) {
      var p = new URLSearchParams();
      var q = input.value.trim();
      if (q) p.set("q", q);
      names.forEach(function (name) { sel[name].forEach(function (v) { p.append(name, v); }); });
      var query = p.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function apply(updateUrl) {
      var sel = selected();
      var counts = {};
      names.forEach(function (name) { counts[name] = {}; });
      var visible = new Set();
      var active = names.filter(function (name) { return sel[name].size > 0; });
      rows.forEach(function (row) {
        var textOk = textMatches === null || textMatches.has(row.id);
        var failing = [];
        active.forEach(function (name) {
          var ok = false;
          sel[name].forEach(function (v) { if (row.values[name].has(v)) ok = true; });
          if (!ok) failing.push(name);
        });
        var show = textOk && failing.length === 0;
        row.el.hidden = !show;
        if (show) visible.add(row.id);
        if (!textOk || failing.length > 1) return;
        // a value's count: the rows that would show if that value were (also) ticked
        names.forEach(function (name) {
          if (failing.length === 1 && failing[0] !== name) return;
          row.values[name].forEach(function (v) { counts[name][v] = (counts[name][v] || 0) + 1; });
        });
      });
      names.forEach(function (name) {
        boxes[name].forEach(function (box) {
          var n = counts[name][box.value] || 0;
          var label = box.labels.length ? box.labels[0].querySelector("[data-kb-count]") : null;
          if (label) label.textContent = "(" + n + ")";
          box.closest("li").classList.toggle("kb-facet__value--empty", n === 0 && !box.checked);
        });
      });
      var placed = 0;
      markers.forEach(function (el, k) {
        var on = false;
        markerSets[k].forEach(function (id) { if (visible.has(id)) on = true; });
        el.classList.toggle("kb-off", !on);
        if (on) placed += 1;
      });
      mapItems.forEach(function (el, k) {
        var on = false;
        mapItemSets[k].forEach(function (id) { if (visible.has(id)) on = true; });
        el.hidden = !on;
      });
      lines.forEach(function (el) { el.classList.toggle("kb-off", !visible.has(el.dataset.coop)); });
      if (unplacedCount) {
        var left = unplacedItems.filter(function (el) { return !el.hidden; }).length;
        unplacedCount.textContent = left + " territoire" + (left > 1 ? "s" : "") + " sans position connue ne figure" +
          (left > 1 ? "nt" : "");
        unplacedCount.closest(".kb-map__unplaced").hidden = left === 0;
      }
      if (mapCount) {
        mapCount.textContent = placed + " territoire" + (placed > 1 ? "s" : "") + " placé" + (placed > 1 ? "s" : "") + " sur la carte";
      }
      var filtered = active.length > 0 || textMatches !== null;
      var text = visible.size + " " + (visible.size > 1 ? nouns : noun) +
        (filtered ? " sur " + rows.length + " correspondent à vos critères." : ".");
      if (text !== lastStatus) {
        status.textContent = text;
        lastStatus = text;
      }
      clear.hidden = !filtered;
      if (updateUrl) writeUrl(sel);
    }

    function localMatches(q) {
      var words = fold(q).split(/[^a-z0-9]+/).filter(function (w) { return w.length > 1; });
      var out = new Set();
      rows.forEach(function (row) {
        if (row.text === null) row.text = fold(row.el.textContent);
        if (words.every(function (w) { return row.text.indexOf(w) !== -1; })) out.add(row.id);
      });
      return out;
    }

    function runQuery(updateUrl) {
      var mine = ++sequence;
      var q = input.value.trim();
      if (!q) {
        textMatches = null;
        apply(updateUrl);
        return Promise.resolve();
      }
      var search = window.kbPagefind ? window.kbPagefind(true).then(function (pagefind) {
        return pagefind.search(q);
      }) : Promise.reject(new Error("no pagefind"));
      return search.then(function (response) {
        if (mine !== sequence || !response) return;
        var found = new Set();
        var ids = (response.filters && response.filters[idFilter]) || {};
        Object.keys(ids).forEach(function (id) { if (ids[id] > 0) found.add(id); });
        textMatches = found;
        apply(updateUrl);
      }).catch(function () {
        if (mine !== sequence) return;
        textMatches = localMatches(q);
        apply(updateUrl);
      });
    }

    // restore the state of a shared URL
    var params = new URLSearchParams(location.search);
    names.forEach(function (name) {
      var wanted = new Set(params.getAll(name));
      boxes[name].forEach(function (box) { box.checked = wanted.has(box.value); });
    });
    input.value = params.get("q") || "";

    fieldsets.forEach(function (f) { f.addEventListener("change", function () { apply(true); }); });
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { runQuery(true); }, 250);
    });
    clear.addEventListener("click", function () {
      names.forEach(function (name) { boxes[name].forEach(function (b) { b.checked = false; }); });
      input.value = "";
      runQuery(true).then(function () { input.focus(); });
    });
    runQuery(false).then(function () { root.dataset.kbReady = "1"; });
  }

  function start() {
    document.querySelectorAll("[data-kb-explorer]").forEach(setup);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
