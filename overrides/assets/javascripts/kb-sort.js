/* Sortable listings (progressive enhancement).
 * Tables: every <th data-sort="titre|annee|ajout"> becomes a button; the rows
 * carry data-titre, data-annee, data-ajout. The sorted column gets aria-sort.
 * Lists: <ul data-sortable="titre ajout"> gets a small group of toggle buttons.
 * Only listings long enough to need it get the controls (MIN_ITEMS), and the
 * catalogues of the explorer always.
 * Without JavaScript the listings keep their generated order. */
(function () {
  "use strict";

  var LABELS = { titre: "titre", annee: "année", ajout: "date d'ajout" };
  var MIN_ITEMS = 8;
  // first click: titles A→Z, years and dates most recent first
  var FIRST = { titre: "ascending", annee: "descending", ajout: "descending" };

  function compare(key, a, b) {
    var x = a.dataset[key] || "", y = b.dataset[key] || "";
    if (x === y) return 0;
    if (!x) return 1;  // unknown values last, whatever the direction
    if (!y) return -1;
    if (key === "annee") return Number(x) - Number(y);
    if (key === "titre") return x.localeCompare(y, "fr", { sensitivity: "base", ignorePunctuation: true });
    return x < y ? -1 : 1;
  }

  function sortChildren(container, items, key, direction) {
    var indexed = items.map(function (el, i) { return { el: el, i: i }; });
    indexed.sort(function (p, q) {
      var a = p.el.dataset[key] || "", b = q.el.dataset[key] || "";
      var c;
      if (!a || !b) c = compare(key, p.el, q.el);  // blanks stay last
      else c = direction === "ascending" ? compare(key, p.el, q.el) : compare(key, q.el, p.el);
      return c || p.i - q.i;
    });
    indexed.forEach(function (p) { container.appendChild(p.el); });
  }

  function announce(region, text) {
    if (region) region.textContent = text;
  }

  function liveRegion(after) {
    var region = document.createElement("p");
    region.className = "kb-visually-hidden";
    region.setAttribute("aria-live", "polite");
    after.after(region);
    return region;
  }

  function enhanceTable(table) {
    var body = table.tBodies[0];
    var heads = table.querySelectorAll("th[data-sort]");
    if (!body || !heads.length || table.dataset.kbSortReady) return;
    if (body.rows.length < MIN_ITEMS && !table.classList.contains("kb-explorer__results")) return;
    table.dataset.kbSortReady = "1";
    var region = liveRegion(table);
    heads.forEach(function (th) {
      var key = th.dataset.sort;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kb-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      var icon = document.createElement("span");
      icon.className = "kb-sort__icon";
      icon.setAttribute("aria-hidden", "true");
      button.appendChild(icon);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort");
        var direction = now ? (now === "ascending" ? "descending" : "ascending") : FIRST[key] || "ascending";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", direction);
        sortChildren(body, Array.prototype.slice.call(body.rows), key, direction);
        // a list shown page by page sorts all its rows itself (kb-explorer.js)
        table.dispatchEvent(new CustomEvent("kb-sort", { detail: { key: key, direction: direction } }));
        announce(region, "Tableau trié par " + (LABELS[key] || key) + ", ordre " +
          (direction === "ascending" ? "croissant" : "décroissant") + ".");
      });
    });
  }

  function enhanceList(list) {
    if (list.dataset.kbSortReady || list.children.length < MIN_ITEMS) return;
    list.dataset.kbSortReady = "1";
    var keys = list.dataset.sortable.split(/\s+/).filter(function (k) { return LABELS[k]; });
    var bar = document.createElement("div");
    bar.className = "kb-sort-bar";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Trier la liste");
    bar.appendChild(document.createTextNode("Trier par : "));
    var region = null;
    var buttons = [];
    keys.forEach(function (key) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kb-sort";
      button.dataset.sortKey = key;
      button.setAttribute("aria-pressed", "false");
      button.textContent = LABELS[key];
      button.addEventListener("click", function () {
        var direction = button.dataset.direction === FIRST[key]
          ? (FIRST[key] === "ascending" ? "descending" : "ascending") : FIRST[key];
        buttons.forEach(function (b) { b.setAttribute("aria-pressed", "false"); delete b.dataset.direction; });
        button.setAttribute("aria-pressed", "true");
        button.dataset.direction = direction;
        sortChildren(list, Array.prototype.slice.call(list.children), key, direction);
        announce(region, "Liste triée par " + LABELS[key] + ", ordre " +
          (direction === "ascending" ? "croissant" : "décroissant") + ".");
      });
      buttons.push(button);
      bar.append(button, " ");
    });
    list.before(bar);
    region = liveRegion(bar);
  }

  function start() {
    document.querySelectorAll("table").forEach(enhanceTable);
    document.querySelectorAll("ul[data-sortable], ol[data-sortable]").forEach(enhanceList);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
