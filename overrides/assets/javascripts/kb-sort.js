/* Sortable listings (progressive enhancement), an ES module.
 * Tables: every <th data-sort="titre|annee|ajout"> becomes a button; the rows
 * carry data-titre, data-annee, data-ajout. The sorted column gets aria-sort.
 * Lists: <ul data-sortable="titre ajout"> gets a small group of toggle buttons.
 * Only listings long enough to need it get the controls (MIN_ITEMS), and the
 * catalogues of the explorer always.
 * Without JavaScript the listings keep their generated order.
 * Helpers shared with the other scripts (French order, start): kb-common.js. */
import { compareFrench, onReady } from "./kb-common.js";

const LABELS = { titre: "titre", annee: "année", ajout: "date d'ajout" };
const MIN_ITEMS = 8;
// first click: titles A→Z, years and dates most recent first
const FIRST = { titre: "ascending", annee: "descending", ajout: "descending" };

function compare(key, a, b) {
  const x = a.dataset[key] || "", y = b.dataset[key] || "";
  if (x === y) return 0;
  if (!x) return 1;  // unknown values last, whatever the direction
  if (!y) return -1;
  if (key === "annee") return Number(x) - Number(y);
  if (key === "titre") return compareFrench(x, y);
  return x < y ? -1 : 1;
}

function sortChildren(container, items, key, direction) {
  const indexed = items.map((el, i) => ({ el, i }));
  indexed.sort((p, q) => {
    const a = p.el.dataset[key] || "", b = q.el.dataset[key] || "";
    let c;
    if (!a || !b) c = compare(key, p.el, q.el);  // blanks stay last
    else c = direction === "ascending" ? compare(key, p.el, q.el) : compare(key, q.el, p.el);
    return c || p.i - q.i;
  });
  indexed.forEach((p) => container.appendChild(p.el));
}

function said(what, key, direction) {
  return `${what} par ${LABELS[key] || key}, ordre ${direction === "ascending" ? "croissant" : "décroissant"}.`;
}

function liveRegion(after) {
  const region = document.createElement("p");
  region.className = "kb-visually-hidden";
  region.setAttribute("aria-live", "polite");
  after.after(region);
  return region;
}

function enhanceTable(table) {
  const body = table.tBodies[0];
  const heads = table.querySelectorAll("th[data-sort]");
  if (!body || !heads.length || table.dataset.kbSortReady) return;
  if (body.rows.length < MIN_ITEMS && !table.classList.contains("kb-explorer__results")) return;
  table.dataset.kbSortReady = "1";
  const region = liveRegion(table);
  heads.forEach((th) => {
    const key = th.dataset.sort;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "kb-sort";
    while (th.firstChild) button.appendChild(th.firstChild);
    const icon = document.createElement("span");
    icon.className = "kb-sort__icon";
    icon.setAttribute("aria-hidden", "true");
    button.appendChild(icon);
    th.appendChild(button);
    button.addEventListener("click", () => {
      const now = th.getAttribute("aria-sort");
      const direction = now ? (now === "ascending" ? "descending" : "ascending") : FIRST[key] || "ascending";
      heads.forEach((other) => other.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", direction);
      sortChildren(body, [...body.rows], key, direction);
      // a list shown page by page sorts all its rows itself (kb-explorer.js)
      table.dispatchEvent(new CustomEvent("kb-sort", { detail: { key, direction } }));
      region.textContent = said("Tableau trié", key, direction);
    });
  });
}

function enhanceList(list) {
  if (list.dataset.kbSortReady || list.children.length < MIN_ITEMS) return;
  list.dataset.kbSortReady = "1";
  const keys = list.dataset.sortable.split(/\s+/).filter((k) => LABELS[k]);
  const bar = document.createElement("div");
  bar.className = "kb-sort-bar";
  bar.setAttribute("role", "group");
  bar.setAttribute("aria-label", "Trier la liste");
  bar.appendChild(document.createTextNode("Trier par : "));
  const buttons = [];
  keys.forEach((key) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "kb-sort";
    button.dataset.sortKey = key;
    button.setAttribute("aria-pressed", "false");
    button.textContent = LABELS[key];
    button.addEventListener("click", () => {
      const direction = button.dataset.direction === FIRST[key]
        ? (FIRST[key] === "ascending" ? "descending" : "ascending") : FIRST[key];
      buttons.forEach((b) => { b.setAttribute("aria-pressed", "false"); delete b.dataset.direction; });
      button.setAttribute("aria-pressed", "true");
      button.dataset.direction = direction;
      sortChildren(list, [...list.children], key, direction);
      region.textContent = said("Liste triée", key, direction);
    });
    buttons.push(button);
    bar.append(button, " ");
  });
  list.before(bar);
  const region = liveRegion(bar);
}

onReady(() => {
  document.querySelectorAll("table").forEach(enhanceTable);
  document.querySelectorAll("ul[data-sortable], ol[data-sortable]").forEach(enhanceList);
});
