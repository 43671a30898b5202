/* Full-text search with Pagefind (index written by kb.search after the build).
 * Loads the Pagefind module of this site (never from another host) on demand,
 * and drives the "Rechercher" page: query kept in the URL (?q=…),
 * results with excerpts, more results on request. An ES module: what it shares
 * with the catalogues (kb-explorer.js) lives in kb-common.js. */
import { debounce, latest, onReady, pagefind, plural, readUrlState, writeUrlState } from "./kb-common.js";

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
  let current = { results: [], shown: 0 };
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
    return Promise.all(slice.map((r) => r.data())).then((pages) => {
      if (mine !== generation) return;
      pages.forEach((page) => {
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
    guard(pagefind(false).then((module) => module.search(q))).then((response) => {
      if (!response) return null;
      list.textContent = "";
      current = { results: response.results, shown: 0 };
      const n = response.results.length;
      status.textContent = n ? plural(n, "résultat", "résultats") + " pour « " + q + " »."
        : "Aucun résultat pour « " + q + " ». Essayez un autre mot, ou parcourez le catalogue.";
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
