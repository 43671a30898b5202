/* « Ma commune »: find the cooperations that concern any French commune.
 *
 * Reads the static index written by kb/render/ma_commune.py (ma-commune/ next to the
 * site root): the manifest, then only the one shard matching what is typed (a few
 * tens of kilobytes), and the table of links once a commune is chosen. Nothing is
 * requested from any other host. ARIA combobox pattern (WAI-ARIA 1.2): the input
 * owns a listbox; arrows move the active option, Enter chooses, Escape closes.
 * Every name is inserted as text (textContent), never as HTML.
 */
(function () {
  "use strict";

  function normalise(text) {  // same as kb.content.cog.normalise
    var t = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    t = t.replace(/[^a-z0-9]+/g, " ").trim();
    t = t.replace(/\bsainte\b/g, "ste");
    return t.replace(/\bsaint\b/g, "st");
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.json();
    });
  }

  function setup(root) {
    var base = root.getAttribute("data-kb-commune").replace(/\/?$/, "/");
    var site = root.getAttribute("data-kb-site").replace(/\/?$/, "/").replace(/^\/$/, "");
    var input = root.querySelector("input");
    var list = root.querySelector("[role=listbox]");
    var result = root.querySelector("[data-kb-commune-result]");
    var status = root.querySelector("[data-kb-commune-status]");
    var manifest = null, shards = {}, links = null, options = [], active = -1, timer = null;
    root.hidden = false;

    function shardFor(query) {
      var best = null;
      Object.keys(manifest.shards).forEach(function (prefix) {
        var p = prefix.replace(/\$$/, "");
        var exact = prefix !== p;
        if (exact ? query === p : query.indexOf(p) === 0) {
          if (!best || p.length > best.replace(/\$$/, "").length) { best = prefix; }
        }
      });
      return best;
    }

    function load() {
      return manifest ? Promise.resolve(manifest) : getJSON(base + "index.json").then(function (m) { manifest = m; return m; });
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function show(entries) {
      list.textContent = "";
      options = entries;
      entries.forEach(function (entry, i) {
        var parts = entry.split("|");
        var li = document.createElement("li");
        li.id = input.id + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = parts[0] + " (" + departementOf(parts[1]) + ")";
        li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = entries.length === 0;
      input.setAttribute("aria-expanded", entries.length ? "true" : "false");
      status.textContent = entries.length ? entries.length + (entries.length > 1 ? " communes proposées" : " commune proposée") + ", flèches pour choisir" : "Aucune commune de ce nom.";
    }

    function departementOf(code) {
      return code.indexOf("97") === 0 ? code.slice(0, 3) : code.slice(0, 2);
    }

    function suggest() {
      var query = normalise(input.value);
      result.textContent = "";
      if (query.length < 2) { close(); status.textContent = ""; return; }
      load().then(function () {
        var prefix = shardFor(query);
        if (!prefix) {
          var longer = Object.keys(manifest.shards).some(function (p) { return p.indexOf(query) === 0; });
          show([]);
          if (longer) { status.textContent = "Continuez à taper le nom de la commune."; }
          return null;
        }
        var file = manifest.shards[prefix];
        return (shards[file] ? Promise.resolve(shards[file]) : getJSON(base + file).then(function (d) { shards[file] = d; return d; }))
          .then(function (entries) {
            if (normalise(input.value) !== query) { return; }
            var words = query.split(" ");
            var found = entries.filter(function (entry) {
              var name = normalise(entry.split("|")[0]);
              return name.indexOf(query) === 0 || words.every(function (w) { return (" " + name).indexOf(" " + w) >= 0; });
            });
            show(found.slice(0, 10));
          });
      }).catch(function () { status.textContent = "La liste des communes n'a pas pu être chargée."; });
    }

    function move(delta) {
      if (!options.length) { return; }
      active = (active + delta + options.length) % options.length;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", list.children[active].id);
      list.children[active].scrollIntoView({ block: "nearest" });
    }

    function choose(i) {
      var parts = options[i].split("|");
      input.value = parts[0];
      close();
      status.textContent = "";
      var getLinks = links ? Promise.resolve(links) : getJSON(base + "liens.json").then(function (d) { links = d; return d; });
      getLinks.then(function (data) { render(parts, data); })
        .catch(function () { status.textContent = "Les coopérations n'ont pas pu être chargées."; });
    }

    function render(parts, data) {
      var code = parts[1], epci = parts[2], dep = departementOf(code), region = data.regions[dep];
      var rows = [].concat(data.by["c" + code] || [], epci ? data.by["e" + epci] || [] : [],
                           data.by["d" + dep] || [], region ? data.by["r" + region] || [] : []);
      var seen = {};
      result.textContent = "";
      var title = document.createElement("p");
      title.className = "kb-commune__title";
      var unique = rows.filter(function (r) { if (seen[r[0]]) { return false; } seen[r[0]] = true; return true; });
      title.textContent = unique.length
        ? (unique.length > 1 ? unique.length + " coopérations concernent " : "Une coopération concerne ") + parts[0] + "\u00a0:"
        : "Aucune coopération de la base ne concerne encore " + parts[0] + ", ni son intercommunalité, ni son département, ni sa région.";
      result.appendChild(title);
      if (!unique.length) { return; }
      var ul = document.createElement("ul");
      ul.className = "kb-list";
      unique.forEach(function (r) {
        var coop = data.coops[r[0]];
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = site + coop[1];
        a.textContent = coop[0];
        li.appendChild(a);
        if (r[1]) {
          var via = document.createElement("span");
          via.className = "kb-meta";
          via.textContent = " (" + r[1] + ")";
          li.appendChild(via);
        } else {
          var own = document.createElement("span");
          own.className = "kb-meta";
          own.textContent = " (la commune est partenaire)";
          li.appendChild(own);
        }
        ul.appendChild(li);
      });
      result.appendChild(ul);
    }

    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(suggest, 120); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); if (list.hidden && options.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); } move(1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
      else if (e.key === "Enter") { if (active >= 0) { e.preventDefault(); choose(active); } else if (options.length) { e.preventDefault(); choose(0); } }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-kb-commune]"), function (root) {
      if (!root.getAttribute("data-kb-ready")) { root.setAttribute("data-kb-ready", "1"); setup(root); }
    });
  }
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
