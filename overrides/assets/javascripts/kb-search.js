/* Full-text search with Pagefind (index written by kb.search after the build).
 * Loads the Pagefind module of this site (never from another host) on demand,
 * and drives the "Rechercher" page: query kept in the URL (?q=…),
 * results with excerpts, more results on request. Also exposes kbPagefind()
 * and kbFold() for the catalogues (kb-explorer.js). */
(function () {
  "use strict";

  var script = document.currentScript;
  var siteRoot = new URL("../../", script ? script.src : location.href);  // this file is assets/javascripts/
  var loading = null;
  var withFilters = null;

  /* kbPagefind(true) also loads Pagefind's filter index, which the catalogues
   * need (which records match); the search page does without it, to keep a
   * query's download small. */
  function kbPagefind(needFilters) {
    if (!loading) {
      loading = import(new URL("pagefind/pagefind.js", siteRoot).href).then(function (pagefind) {
        return pagefind.options({ baseUrl: siteRoot.pathname, excerptLength: 26 }).then(function () {
          return pagefind;
        });
      });
      loading.catch(function () { loading = null; });
    }
    if (!needFilters) return loading;
    if (!withFilters) {
      withFilters = loading.then(function (pagefind) {
        return pagefind.filters().then(function () { return pagefind; });
      });
      withFilters.catch(function () { withFilters = null; });
    }
    return withFilters;
  }

  function kbFold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  window.kbPagefind = kbPagefind;
  window.kbFold = kbFold;

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

  function plural(n, one, many) { return n + " " + (n > 1 ? many : one); }

  function setupSearchPage(root) {
    var input = root.querySelector("#kb-search-q");
    var status = root.querySelector("[data-kb-search-status]");
    var list = root.querySelector("[data-kb-search-results]");
    var noJs = root.querySelector("[data-kb-nojs]");
    if (noJs) noJs.hidden = true;
    var PAGE = 10;
    var sequence = 0;
    var timer = null;
    var params = new URLSearchParams(location.search);
    var current = { results: [], shown: 0 };
    var moreButton = document.createElement("button");
    moreButton.type = "button";
    moreButton.className = "md-button kb-search__more";
    moreButton.textContent = "Afficher plus de résultats";
    moreButton.hidden = true;
    list.after(moreButton);
    input.value = params.get("q") || "";

    function writeUrl() {
      var p = new URLSearchParams();
      if (input.value.trim()) p.set("q", input.value.trim());
      var query = p.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }

    function showMore() {
      var mine = sequence;
      var slice = current.results.slice(current.shown, current.shown + PAGE);
      current.shown += slice.length;
      moreButton.hidden = current.shown >= current.results.length;
      return Promise.all(slice.map(function (r) { return r.data(); })).then(function (pages) {
        if (mine !== sequence) return;
        pages.forEach(function (page) {
          var li = document.createElement("li");
          li.className = "kb-search__result";
          var link = document.createElement("a");
          link.href = page.url;
          link.textContent = (page.meta && page.meta.title) || page.url;
          li.appendChild(link);
          var kind = page.filters && page.filters.type && page.filters.type[0];
          if (kind) {
            var tag = document.createElement("span");
            tag.className = "kb-search__type";
            tag.textContent = kind;
            li.append(" ", tag);
          }
          var excerpt = document.createElement("p");
          excerpt.className = "kb-search__excerpt";
          excerpt.appendChild(excerptNodes(page.excerpt || ""));
          li.appendChild(excerpt);
          list.appendChild(li);
        });
      });
    }

    function done(mine) {
      if (mine === sequence) root.dataset.kbState = "done";  // for tests and measurements
    }

    function run() {
      var mine = ++sequence;
      var q = input.value.trim();
      root.dataset.kbQuery = q;
      root.dataset.kbState = "loading";
      if (!q) {
        done(mine);
        list.textContent = "";
        moreButton.hidden = true;
        status.textContent = "Tapez un ou plusieurs mots : un nom de territoire, un thème, un dispositif…";
        return Promise.resolve();
      }
      status.textContent = "Recherche en cours…";
      return kbPagefind(false).then(function (pagefind) {
        return pagefind.search(q);
      }).then(function (response) {
        if (mine !== sequence || !response) return;
        list.textContent = "";
        current = { results: response.results, shown: 0 };
        var n = response.results.length;
        status.textContent = n ? plural(n, "résultat", "résultats") + " pour « " + q + " »."
          : "Aucun résultat pour « " + q + " ». Essayez un autre mot, ou parcourez le catalogue.";
        return showMore();
      }).then(function () {
        done(mine);
      }).catch(function () {
        if (mine !== sequence) return;
        status.textContent = "La recherche n'a pas pu être chargée. Parcourez le catalogue des coopérations.";
        root.dataset.kbState = "error";
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { writeUrl(); run(); }, 250);
    });
    moreButton.addEventListener("click", function () { showMore(); });
    run();
  }

  function start() {
    var root = document.querySelector("[data-kb-search]");
    if (root) setupSearchPage(root);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
