/* Helpers shared by the site's scripts (ES module, imported by kb-search.js,
 * kb-explorer.js, kb-page.js, kb-sort.js and kb-map.js: no window globals, no reliance on
 * script order).
 *   onReady(start)        start() once the page is parsed
 *   compareFrench(a, b)   French order of two titles (accents, case and punctuation aside)
 *   fold(text)            lower case without accents, for matching words
 *   plural(n, one, many)  "1 coopération", "3 coopérations" (0 and 1 are singular in French)
 *   debounce(fn, ms)      fn called once typing pauses
 *   latest()              a guard: only the latest of several pending requests is used
 *   readUrlState(names) / writeUrlState(state, push)   the page's state in its address
 *   pagefind(needFilters) this site's Pagefind module, loaded once, on demand
 *   ago(iso, today)       "il y a 8 mois", computed in the browser, never at build time */

export const siteRoot = new URL("../../", import.meta.url);  // this file is assets/javascripts/

/* Module scripts run once the page is parsed; a page already parsed starts at once. */
export function onReady(start) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
}

export function compareFrench(a, b) {
  return String(a).localeCompare(String(b), "fr", { sensitivity: "base", ignorePunctuation: true });
}

export function fold(text) {
  return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

export function plural(n, one, many) {
  return n + " " + (n > 1 ? many : one);
}

export function debounce(fn, ms) {
  let timer = null;
  const wrapped = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  wrapped.cancel = () => clearTimeout(timer);
  return wrapped;
}

/* latest(): returns guard(promise), a promise that settles like ``promise`` only if no
 * later guard(...) was called meanwhile; an outdated one never settles. */
export function latest() {
  let sequence = 0;
  return (promise) => {
    const mine = ++sequence;
    return new Promise((resolve, reject) => {
      Promise.resolve(promise).then(
        (value) => { if (mine === sequence) resolve(value); },
        (error) => { if (mine === sequence) reject(error); });
    });
  };
}

/* The state of a page in its address: { q: "…", values: { facet: ["a", "b"] } }. */
export function readUrlState(names) {
  const params = new URLSearchParams(location.search);
  const values = {};
  names.forEach((name) => { values[name] = params.getAll(name); });
  return { q: params.get("q") || "", values };
}

/* push: a new history entry (Back undoes the change); otherwise the current one is replaced. */
export function writeUrlState(state, push) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  Object.keys(state.values || {}).forEach((name) => {
    state.values[name].forEach((value) => params.append(name, value));
  });
  const query = params.toString();
  const url = location.pathname + (query ? "?" + query : "") + location.hash;
  if (url === location.pathname + location.search + location.hash) return;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

let loading = null;
let withFilters = null;

/* pagefind(true) also loads Pagefind's filter index, which the catalogues need (which
 * records match); the search page does without it, to keep a query's download small. */
export function pagefind(needFilters) {
  if (!loading) {
    loading = import(new URL("pagefind/pagefind.js", siteRoot).href).then((module) =>
      module.options({ baseUrl: siteRoot.pathname, excerptLength: 26 }).then(() => module));
    loading.catch(() => { loading = null; });
  }
  if (!needFilters) return loading;
  if (!withFilters) {
    withFilters = loading.then((module) => module.filters().then(() => module));
    withFilters.catch(() => { withFilters = null; });
  }
  return withFilters;
}

function monthsBetween(start, end) {
  const months = (end.getFullYear() - start.getFullYear()) * 12 + end.getMonth() - start.getMonth() -
    (end.getDate() < start.getDate() ? 1 : 0);
  return Math.max(months, 0);
}

export function ago(iso, today) {
  const [y, m, d] = String(iso).split("-").map(Number);
  const day = new Date(y, (m || 1) - 1, d || 1);
  const now = today || new Date();
  const days = Math.floor((new Date(now.getFullYear(), now.getMonth(), now.getDate()) - day) / 86400000);
  if (days <= 0) return "aujourd'hui";
  if (days === 1) return "hier";
  const months = monthsBetween(day, now);
  if (months === 0) return "il y a " + days + " jours";
  if (months < 12) return "il y a " + months + " mois";
  const years = Math.floor(months / 12), rest = months % 12;
  return "il y a " + plural(years, "an", "ans") + (rest ? " et " + rest + " mois" : "");
}
