/* Full-text search with Pagefind (index written by kb.search after the build).
 * Loads the Pagefind module of this site (never from another host) on demand,
 * and drives the "Rechercher" page: query kept in the URL (?q=…),
 * results with excerpts, more results on request. An ES module: what it shares
 * with the catalogues (kb-explorer.js) lives in kb-common.js. */
import { debounce, fold, latest, onReady, pagefind, plural, readUrlState, siteRoot, writeUrlState } from "./kb-common.js";

/* A query in words as Pagefind matches them: folded, split on anything but letters and
 * digits, a final plural s or x dropped (Pagefind stems French the same way for these). */
function words(text) {
  return fold(text).split(/[^a-z0-9]+/).filter(Boolean).map((w) => w.length > 3 ? w.replace(/[sx]$/, "") : w);
}

const STOP = new Set(["a", "au", "aux", "d", "de", "des", "du", "en", "et", "l", "la", "le", "les", "ou",
  "par", "pour", "sur", "dan", "un", "une", "avec", "entre", "qui", "que"]);

/* The equivalences (data/recherche-equivalences.yml, published beside the index by
 * kb.search): the readers' words -> the words of the fiches. Loaded once. */
let equivalences = null;
function loadEquivalences() {
  if (!equivalences) {
    equivalences = fetch(new URL("pagefind/kb-equivalences.json", siteRoot).href)
      .then((r) => (r.ok ? r.json() : {})).catch(() => ({}));
  }
  return equivalences;
}

/* The query's concepts: each expression of the equivalences found in it (longest first) and
 * each remaining word but the small ones, with what it may also be written as.
 * [{ text, alternatives: [text, ...equivalents], expanded }] */
export function concepts(query, table) {
  const keys = Object.keys(table).map((k) => ({ key: k, w: words(k) }))
    .sort((a, b) => b.w.length - a.w.length);
  const ws = words(query);
  const raw = query.trim().split(/\s+/);
  const out = [];
  const used = new Array(ws.length).fill(false);
  keys.forEach(({ key, w }) => {
    for (let i = 0; i + w.length <= ws.length; i++) {
      if (used.slice(i, i + w.length).some(Boolean)) continue;
      if (w.every((x, j) => ws[i + j] === x)) {
        used.fill(true, i, i + w.length);
        out.push({ at: i, text: ws.length === raw.length ? raw.slice(i, i + w.length).join(" ") : key,
                   alternatives: [key].concat(table[key]), expanded: true });
      }
    }
  });
  ws.forEach((w, i) => {
    if (!used[i] && !STOP.has(w)) {
      out.push({ at: i, text: ws.length === raw.length ? raw[i] : w, alternatives: [w], expanded: false });
    }
  });
  if (!out.length && query.trim()) out.push({ at: 0, text: query.trim(), alternatives: [query.trim()], expanded: false });
  return out.sort((a, b) => a.at - b.at);
}

/* Every page that holds at least one concept (any of its alternatives), ranked by the number of
 * concepts it holds, then by Pagefind's score: the pages that hold them all come first, and a
 * query whose words no page holds together still shows the pages that hold most of them.
 * -> { concepts, results: [{ result, matched: [concept indexes], score }] } */
export function searchConcepts(module, query, table) {
  const cs = concepts(query, table);
  const jobs = [];
  cs.forEach((c, ci) => c.alternatives.forEach((alt) => jobs.push(module.search(alt).then((r) => ({ ci, r })))));
  return Promise.all(jobs).then((answers) => {
    const pages = new Map();
    answers.forEach(({ ci, r }) => {
      (r && r.results || []).forEach((result) => {
        let page = pages.get(result.id);
        if (!page) { page = { result, best: {}, top: 0 }; pages.set(result.id, page); }
        page.best[ci] = Math.max(page.best[ci] || 0, result.score);
        if (result.score > page.top) { page.top = result.score; page.result = result; }
      });
    });
    const results = Array.from(pages.values()).map((p) => ({
      result: p.result,
      matched: Object.keys(p.best).map(Number).sort((a, b) => a - b),
      score: Object.values(p.best).reduce((a, b) => a + b, 0),
    }));
    results.sort((a, b) => b.matched.length - a.matched.length || b.score - a.score);
    return { concepts: cs, results };
  });
}

/* Excerpts come from Pagefind as HTML with <mark>: keep the text and the
 * marks only, parsed in an inert document (nothing in it can run). */
function excerptNodes(html) {
  var doc = new DOMParser().parseFromString("<body>" + html + "</body>", "text/html");
  var out = document.createDocumentFragment();
  doc.body.childNodes.forEach(function (node) {
    if (node.nodeType === Node.TEXT_NODE) {
      out.appendChild(document.createTextNode(node.textContent));
    } else if (node.nodeName === "MARK") {
      var mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.appendChild(mark);
    } else {
      out.appendChild(document.createTextNode(node.textContent || ""));
    }
  });
  return out;
}

function setupSearchPage(root) {
  const input = root.querySelector("#kb-search-q");
  const status = root.querySelector("[data-kb-search-status]");
  const list = root.querySelector("[data-kb-search-results]");
  const noJs = root.querySelector("[data-kb-nojs]");
  if (noJs) noJs.hidden = true;
  const PAGE = 10;
  const guard = latest();
  let generation = 0;  // results shown belong to the latest query only
  let current = { results: [], shown: 0, concepts: [] };
  const moreButton = document.createElement("button");
  moreButton.type = "button";
  moreButton.className = "md-button kb-search__more";
  moreButton.textContent = "Afficher plus de résultats";
  moreButton.hidden = true;
  list.after(moreButton);
  input.value = readUrlState([]).q;

  function showMore() {
    const mine = generation;
    const slice = current.results.slice(current.shown, current.shown + PAGE);
    current.shown += slice.length;
    moreButton.hidden = current.shown >= current.results.length;
    return Promise.all(slice.map((r) => r.result.data())).then((pages) => {
      if (mine !== generation) return;
      pages.forEach((page, i) => {
        const item = slice[i];
        const li = document.createElement("li");
        li.className = "kb-search__result";
        const link = document.createElement("a");
        link.href = page.url;
        link.textContent = (page.meta && page.meta.title) || page.url;
        li.appendChild(link);
        const kind = page.filters && page.filters.type && page.filters.type[0];
        if (kind) {
          const tag = document.createElement("span");
          tag.className = "kb-search__type";
          tag.textContent = kind;
          li.append(" ", tag);
        }
        const excerpt = document.createElement("p");
        excerpt.className = "kb-search__excerpt";
        excerpt.appendChild(excerptNodes(page.excerpt || ""));
        li.appendChild(excerpt);
        const missing = current.concepts.filter((c, ci) => !item.matched.includes(ci)).map((c) => "« " + c.text + " »");
        if (missing.length) {
          const note = document.createElement("p");
          note.className = "kb-search__missing kb-meta";
          note.textContent = (missing.length > 1 ? "Ne contient pas : " : "Ne contient pas ") + missing.join(", ") + ".";
          li.appendChild(note);
        }
        list.appendChild(li);
      });
    });
  }

  function run() {
    const q = input.value.trim();
    const mine = ++generation;
    root.dataset.kbQuery = q;
    root.dataset.kbState = "loading";
    if (!q) {
      guard(null);  // any pending search is now outdated
      list.textContent = "";
      moreButton.hidden = true;
      status.textContent = "Tapez un ou plusieurs mots : un nom de territoire, un thème, un dispositif…";
      root.dataset.kbState = "done";  // for tests and measurements
      return;
    }
    status.textContent = "Recherche en cours…";
    guard(Promise.all([pagefind(false), loadEquivalences()])
      .then(([module, table]) => searchConcepts(module, q, table))).then((response) => {
      if (!response) return null;
      list.textContent = "";
      const all = response.concepts.length;
      const most = response.results.length ? response.results[0].matched.length : 0;
      // the pages that hold every word; else those that hold the most of them, said as such
      const shown = response.results.filter((r) => r.matched.length === most);
      current = { results: shown, shown: 0, concepts: response.concepts };
      const n = shown.length;
      const widened = response.concepts.filter((c) => c.expanded).map((c) => {
        const own = words(c.text).join(" ");
        const others = c.alternatives.slice(1).filter((a) => words(a).join(" ") !== own);
        return others.length ? "« " + c.text + " » (aussi : " + others.join(", ") + ")" : "";
      }).filter(Boolean);
      const also = widened.length ? " Recherche élargie aux mots des fiches : " + widened.join(" ; ") + "." : "";
      root.dataset.kbComplete = String(n > 0 && most === all);
      if (!n) {
        status.textContent = "Aucun résultat pour « " + q + " ». Essayez un autre mot, ou parcourez le catalogue.";
      } else if (most === all) {
        status.textContent = plural(n, "résultat", "résultats") + " pour « " + q + " »." + also;
      } else {
        status.textContent = "Aucune page ne contient tous les mots de « " + q + " ». " +
          (n > 1 ? "Voici les " + n + " pages qui en contiennent le plus" : "Voici la page qui en contient le plus") +
          " (" + most + " sur " + all + ")." + also;
      }
      return showMore();
    }).then(() => {
      if (mine === generation) root.dataset.kbState = "done";
    }, () => {
      if (mine !== generation) return;
      status.textContent = "La recherche n'a pas pu être chargée. Parcourez le catalogue des coopérations.";
      root.dataset.kbState = "error";
    });
  }

  const later = debounce(() => { writeUrlState({ q: input.value.trim() }, false); run(); }, 250);
  input.addEventListener("input", later);
  moreButton.addEventListener("click", () => { showMore(); });
  run();
}

function start() {
  const root = document.querySelector("[data-kb-search]");
  if (root) setupSearchPage(root);
}

onReady(start);
