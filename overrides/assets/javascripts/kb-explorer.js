/* Catalogues with facets ("Explorer les coopérations / recommandations"), an ES module.
 * The page already lists every record, each row carrying its facet values
 * (data-f-<facet>="a b"); this script shows the facet controls, filters the rows
 * (OR inside a facet, AND between facets), updates each value's count, the map
 * and the live result count, and keeps the state in the URL (?q=…&themes=…): each
 * change of the filters is a history entry, so Back undoes it.
 * On a narrow screen the facets sit behind a « Filtrer (n) » button, with a sticky
 * « Voir les n résultats » button that closes them and leads to the results. A facet
 * shows its most used values, the others behind « + n autres ».
 * The text query asks Pagefind which records match (its per-record id filter:
 * no result fragment is downloaded); if Pagefind cannot load, words are looked
 * up in the rows' own text. Helpers shared with kb-search.js: kb-common.js. */
import { compareFrench, debounce, fold, latest, onReady, pagefind, plural, readUrlState, writeUrlState }
  from "./kb-common.js";

const NARROW = window.matchMedia("(max-width: 44.9375em)");
const SHOWN_VALUES = 6;  // values of a facet shown before « + n autres »

function listOf(nodes) { return Array.prototype.slice.call(nodes); }

function setup(root) {
  const controls = root.querySelector("[data-kb-controls]");
  const panel = root.querySelector("[data-kb-facets]");
  const status = root.querySelector("[data-kb-status]");
  const input = root.querySelector("#kb-explorer-q");
  const results = root.querySelector(".kb-explorer__results");
  const idFilter = root.dataset.kbIdFilter;
  const noun = root.dataset.kbNoun, nouns = root.dataset.kbNouns;
  const fieldsets = listOf(root.querySelectorAll("fieldset[data-facet]"));
  const names = fieldsets.map((f) => f.dataset.facet);
  const body = results.tBodies[0];
  let rows = listOf(root.querySelectorAll("tr[data-id]")).map((el) => {
    const values = {};
    names.forEach((name) => {
      values[name] = new Set((el.getAttribute("data-f-" + name) || "").split(" ").filter(Boolean));
    });
    return { id: el.dataset.id, el, values, text: null, titre: el.dataset.titre, annee: el.dataset.annee };
  });
  // At scale the page lists only its first rows; every row comes from data-kb-rows (JSON).
  const rowsUrl = root.dataset.kbRows;
  const pageSize = Number(root.dataset.kbPageSize) || Infinity;
  let limit = rowsUrl ? pageSize : Infinity;
  let visibleRows = rows;
  const pager = root.querySelector("[data-kb-pager]");
  if (pager && rowsUrl) pager.hidden = true;
  const boxes = {};
  fieldsets.forEach((f) => { boxes[f.dataset.facet] = listOf(f.querySelectorAll("input[type=checkbox]")); });
  let markers, markerSets, mapItems, unplacedItems, unplacedCount, mapItemSets, lines, mapCount;
  function bindMap() {  // the map's elements: in the page, or loaded on demand at scale (loadMap)
    markers = listOf(root.querySelectorAll(".kb-map [data-coops]"));
    markerSets = markers.map((el) => new Set(el.dataset.coops.split(" ").filter(Boolean)));
    mapItems = listOf(root.querySelectorAll(".kb-map__list li[data-coops], .kb-map__unplaced li[data-coops]"));
    unplacedItems = listOf(root.querySelectorAll(".kb-map__unplaced li[data-coops]"));
    unplacedCount = root.querySelector("[data-kb-unplaced-count]");
    mapItemSets = mapItems.map((el) => new Set(el.dataset.coops.split(" ").filter(Boolean)));
    lines = listOf(root.querySelectorAll(".kb-map line[data-coop]"));
    mapCount = root.querySelector("[data-kb-map-count]");
  }
  bindMap();
  const guard = latest();
  let textMatches = null;  // null: no query; otherwise the Set of matching ids
  let lastStatus = "";
  let typing = false;  // the current history entry is the one of the query being typed

  function button(className, text) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    return b;
  }

  // « Filtrer (n) »: the facets' disclosure on narrow screens
  const toggle = button("md-button kb-explorer__toggle", "Filtrer");
  toggle.setAttribute("aria-controls", panel.id);
  panel.before(toggle);
  const showBar = document.createElement("div");
  showBar.className = "kb-explorer__show";
  const show = button("md-button md-button--primary kb-explorer__show-button", "Voir les résultats");
  showBar.appendChild(show);
  panel.appendChild(showBar);
  let open = false;
  // the map: open on a wide screen, one tap away on a phone (the results come first)
  const mapDetails = root.querySelector("[data-kb-map-details]");
  // At scale the map is a page of its own (megabytes of SVG): its map part is fetched when the
  // panel opens, its links made absolute, and it is filtered like the list.
  const mapSrc = mapDetails && mapDetails.dataset.kbMapSrc ? new URL(mapDetails.dataset.kbMapSrc, location.href) : null;
  let mapLoading = null;
  function loadMap() {
    if (!mapSrc || mapLoading) return mapLoading;
    mapLoading = fetch(mapSrc).then((response) => {
      if (!response.ok) throw new Error(response.status);
      return response.text();
    }).then((text) => {
      const part = new DOMParser().parseFromString(text, "text/html").querySelector("[data-kb-map-part]");
      const slot = mapDetails.querySelector("[data-kb-map-slot]");
      if (!part || !slot) throw new Error("carte");
      part.querySelectorAll("a[href]").forEach((a) => { a.setAttribute("href", new URL(a.getAttribute("href"), mapSrc).href); });
      slot.replaceWith(...listOf(part.childNodes).map((node) => document.importNode(node, true)));
      bindMap();
      apply();
      document.dispatchEvent(new CustomEvent("kb-map-added"));
    });
    mapLoading.catch(() => { mapLoading = null; });  // the link to the map's page stays
    return mapLoading;
  }
  if (mapSrc) mapDetails.addEventListener("toggle", () => { if (mapDetails.open) loadMap(); });
  // a wide screen shows the map: at once when it is in the page, once the list is filterable otherwise
  const openMapWhenReady = Boolean(mapDetails && !NARROW.matches && mapSrc);
  if (mapDetails && !NARROW.matches && !mapSrc) mapDetails.open = true;

  function layout() {
    const narrow = NARROW.matches;
    toggle.hidden = !narrow;
    showBar.hidden = !narrow;
    panel.hidden = narrow && !open;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
  }

  toggle.addEventListener("click", () => {
    open = !open;
    layout();
    if (open) {
      const first = panel.querySelector("input");
      if (first) first.focus();
    }
  });
  show.addEventListener("click", () => {
    open = false;
    layout();
    results.focus({ preventScroll: true });
    status.scrollIntoView({ block: "start" });  // the count, then the sort and the list (scroll-margin-top: below the header)
  });
  NARROW.addEventListener("change", layout);

  // « + n autres »: every value is visible, or one click away
  fieldsets.forEach((f) => {
    const items = listOf(f.querySelectorAll("li"));
    const extra = items.slice(SHOWN_VALUES);
    if (extra.length < 2) return;
    extra.forEach((li) => { if (!li.querySelector("input").checked) li.hidden = true; });
    const more = button("kb-facet__more", "+ " + plural(extra.length, "autre", "autres"));
    more.setAttribute("aria-label", "Afficher " + plural(extra.length, "autre valeur", "autres valeurs") +
      " de « " + f.querySelector("legend").textContent + " »");
    f.appendChild(more);
    more.addEventListener("click", () => {
      const firstHidden = extra.find((li) => li.hidden);
      extra.forEach((li) => { li.hidden = false; });
      more.remove();
      if (firstHidden) firstHidden.querySelector("input").focus();
    });
  });

  const clear = button("md-button kb-explorer__clear", "Effacer les filtres");
  controls.appendChild(clear);
  controls.hidden = false;

  const more = button("md-button kb-explorer__more", "Afficher plus de résultats");
  more.hidden = true;
  results.closest(".kb-table-wrap").after(more);
  more.addEventListener("click", () => {
    const next = visibleRows[limit];
    limit += pageSize;
    render();
    const link = next && next.el && next.el.querySelector("a");
    if (link) link.focus();
  });

  function cell(label, text) {
    const td = document.createElement("td");
    if (label) td.dataset.label = label;
    td.textContent = text;
    return td;
  }

  function rowElement(row) {  // the same row as the build writes (templates/_macros.html)
    const d = row.data;
    const tr = document.createElement("tr");
    tr.dataset.id = row.id;
    tr.dataset.titre = d.titre;
    tr.dataset.annee = d.annee;
    const title = document.createElement("td");
    title.className = "kb-cell-title";
    const link = document.createElement("a");
    link.href = d.href;
    link.textContent = d.titre;
    title.appendChild(link);
    const badge = (cls, text) => {
      const span = document.createElement("span");
      span.className = cls;
      span.textContent = text;
      title.append(" ", span);
    };
    if (d.statut === "idee") badge("kb-badge kb-badge--idee", "idée");
    else badge("kb-card-only kb-meta", "· " + d.statut_label.toLowerCase());
    if (d.a_actualiser) badge("kb-badge kb-badge--stale", "à actualiser");
    tr.append(title, cell("Territoires", d.territoires), cell("Thèmes", d.themes), cell("Année", d.annee || "—"));
    return tr;
  }

  function render() {
    const shown = visibleRows.slice(0, limit);
    const wanted = new Set(shown.map((row) => row.id));
    listOf(body.rows).forEach((tr) => { if (!wanted.has(tr.dataset.id)) tr.remove(); });
    shown.forEach((row) => {
      if (!row.el) row.el = rowElement(row);
      row.el.hidden = false;
      body.appendChild(row.el);  // moved into place, in order
    });
    const left = visibleRows.length - shown.length;
    more.hidden = left <= 0;
    more.textContent = "Afficher plus de résultats (" + plural(left, "autre", "autres") + ")";
  }

  function loadRows() {
    return fetch(rowsUrl).then((response) => {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    }).then((data) => {
      const width = data.columns.length;
      const known = {};
      rows.forEach((row) => { known[row.id] = row.el; });
      rows = data.rows.map((r) => {
        const d = {};
        data.columns.forEach((name, k) => { d[name] = r[k]; });
        d.href = data.href + d.id + "/";
        d.statut_label = data.statuts[d.statut] || d.statut;
        d.territoires = [].concat(d.territoires).join(" · ");  // lists in the file (plain data)
        d.themes = [].concat(d.themes).join(", ");
        const values = {};
        names.forEach((name) => {
          const k = data.facets.indexOf(name);
          values[name] = new Set(k === -1 ? [] : String(r[width + k]).split(" ").filter(Boolean));
        });
        // text: folded only if Pagefind cannot load (localMatches), not for 5,000 rows at once
        return { id: d.id, el: known[d.id] || null, values, data: d, titre: d.titre, annee: String(d.annee || ""),
                 text: null };
      });
    });
  }

  function selected() {
    const out = {};
    names.forEach((name) => {
      out[name] = new Set(boxes[name].filter((b) => b.checked).map((b) => b.value));
    });
    return out;
  }

  function state() {
    const sel = selected();
    const values = {};
    names.forEach((name) => { values[name] = Array.from(sel[name]); });
    return { q: input.value.trim(), values };
  }

  function apply() {
    const sel = selected();
    const counts = {};
    names.forEach((name) => { counts[name] = {}; });
    const visible = new Set();
    const shownRows = [];
    const active = names.filter((name) => sel[name].size > 0);
    rows.forEach((row) => {
      const textOk = textMatches === null || textMatches.has(row.id);
      const failing = [];
      active.forEach((name) => {
        let ok = false;
        sel[name].forEach((v) => { if (row.values[name].has(v)) ok = true; });
        if (!ok) failing.push(name);
      });
      const showRow = textOk && failing.length === 0;
      if (showRow) {
        visible.add(row.id);
        shownRows.push(row);
      }
      if (!textOk || failing.length > 1) return;
      // a value's count: the rows that would show if that value were (also) ticked
      names.forEach((name) => {
        if (failing.length === 1 && failing[0] !== name) return;
        row.values[name].forEach((v) => { counts[name][v] = (counts[name][v] || 0) + 1; });
      });
    });
    names.forEach((name) => {
      boxes[name].forEach((box) => {
        const n = counts[name][box.value] || 0;
        const label = box.labels.length ? box.labels[0].querySelector("[data-kb-count]") : null;
        if (label) label.textContent = "(" + n + ")";
        box.closest("li").classList.toggle("kb-facet__value--empty", n === 0 && !box.checked);
      });
    });
    let placed = 0;
    markers.forEach((el, k) => {
      let on = false;
      markerSets[k].forEach((id) => { if (visible.has(id)) on = true; });
      el.classList.toggle("kb-off", !on);
      if (on) placed += 1;
    });
    mapItems.forEach((el, k) => {
      let on = false;
      mapItemSets[k].forEach((id) => { if (visible.has(id)) on = true; });
      el.hidden = !on;
    });
    lines.forEach((el) => { el.classList.toggle("kb-off", !visible.has(el.dataset.coop)); });
    if (unplacedCount) {
      const left = unplacedItems.filter((el) => !el.hidden).length;
      unplacedCount.textContent = left + " territoire" + (left > 1 ? "s" : "") + " sans position connue ne figure" +
        (left > 1 ? "nt" : "");
      unplacedCount.closest(".kb-map__unplaced").hidden = left === 0;
    }
    if (mapCount) {
      mapCount.textContent = placed + " territoire" + (placed > 1 ? "s" : "") + " placé" + (placed > 1 ? "s" : "") + " sur la carte";
    }
    visibleRows = shownRows;
    render();
    const ticked = active.reduce((n, name) => n + sel[name].size, 0);
    const filtered = ticked > 0 || textMatches !== null;
    const text = plural(visible.size, noun, nouns) +
      (filtered ? " sur " + rows.length + (visible.size > 1 ? " correspondent" : " correspond") + " à vos critères." : ".");
    if (text !== lastStatus) {  // the status is a polite live region: say it once
      status.textContent = text;
      lastStatus = text;
    }
    toggle.textContent = "Filtrer (" + ticked + ")";
    show.textContent = visible.size ? "Voir " + (visible.size > 1 ? "les " + visible.size + " résultats" : "le résultat")
      : "Aucun résultat : voir la liste";
    clear.hidden = !filtered;
  }

  function localMatches(q) {
    const words = fold(q).split(/[^a-z0-9]+/).filter((w) => w.length > 1);
    const out = new Set();
    rows.forEach((row) => {
      if (row.text === null) {
        row.text = fold(row.data ? [row.data.titre, row.data.territoires, row.data.themes].join(" ")
          : row.el ? row.el.textContent : row.titre);
      }
      if (words.every((w) => row.text.indexOf(w) !== -1)) out.add(row.id);
    });
    return out;
  }

  function runQuery() {
    const q = input.value.trim();
    if (!q) {
      guard(null);  // a pending search is now outdated
      textMatches = null;
      apply();
      return Promise.resolve();
    }
    return guard(pagefind(true).then((module) => module.search(q))).then((response) => {
      if (!response) return;
      const found = new Set();
      const ids = (response.filters && response.filters[idFilter]) || {};
      Object.keys(ids).forEach((id) => { if (ids[id] > 0) found.add(id); });
      textMatches = found;
      apply();
    }, () => {
      textMatches = localMatches(q);
      apply();
    });
  }

  function restore() {
    const wanted = readUrlState(names);
    names.forEach((name) => {
      const values = new Set(wanted.values[name]);
      boxes[name].forEach((box) => {
        box.checked = values.has(box.value);
        if (box.checked) box.closest("li").hidden = false;
      });
    });
    input.value = wanted.q;
  }

  fieldsets.forEach((f) => f.addEventListener("change", () => {
    typing = false;
    apply();
    writeUrlState(state(), true);
  }));
  const typed = debounce(() => {
    writeUrlState(state(), !typing);  // one history entry per query, not per letter
    typing = true;
    runQuery();
  }, 250);
  input.addEventListener("input", typed);
  clear.addEventListener("click", () => {
    names.forEach((name) => { boxes[name].forEach((b) => { b.checked = false; }); });
    input.value = "";
    typing = false;
    writeUrlState(state(), true);
    runQuery().then(() => { input.focus(); });
  });
  results.addEventListener("kb-sort", (event) => {
    const { key, direction } = event.detail;
    const sign = direction === "ascending" ? 1 : -1;
    const value = (row) => (key === "annee" ? row.annee : row.titre) || "";
    rows.sort((a, b) => {
      const x = value(a), y = value(b);
      if (!x || !y) return x ? -1 : y ? 1 : 0;  // unknown values last, whatever the direction
      return sign * (key === "annee" ? Number(x) - Number(y) : compareFrench(x, y));
    });
    apply();
  });
  window.addEventListener("popstate", () => {  // Back and Forward
    typed.cancel();
    typing = false;
    restore();
    runQuery();
  });

  restore();
  layout();
  // the first results are in the page: filtering waits for every row
  const ready = rowsUrl ? loadRows().catch(() => { limit = Infinity; if (pager) pager.hidden = false; }) : Promise.resolve();
  ready.then(runQuery).then(() => {
    root.dataset.kbReady = "1";
    if (openMapWhenReady) mapDetails.open = true;
  });
}

function start() {
  document.querySelectorAll("[data-kb-explorer]").forEach(setup);
}

onReady(start);
