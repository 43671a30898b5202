/* « Ma commune »: an answer for any French commune, in layers.
 *
 * Reads the static index written by kb/render/ma_commune.py (ma-commune/ next to the
 * site root): the manifest, then only the one shard matching what is typed (a few
 * tens of kilobytes), and, once a commune is chosen, the answers of its département
 * (manifest.liens, « {dep} » replaced by the code: the same for every commune of the
 * département, whatever the size of the base elsewhere). Nothing is
 * requested from any other host. ARIA combobox pattern (WAI-ARIA 1.2): the input
 * owns a listbox; arrows move the active option, Enter chooses the active option (or
 * the only one: never one among homonyms), Escape closes. Every name is inserted as
 * text (textContent), never as HTML.
 *
 * The answer says where each cooperation comes from: the commune itself, its EPCI or a
 * grouping (with the path); then, apart, its département and its région (a partner that
 * is the département or région itself is « à l'échelle du département / de la région »);
 * then, only when all of these are empty, the nearest cooperations with their distance.
 */

/* Name folding, defined once for both sides: kb.content.cog.normalise does the same, and
 * tests/fixtures/folding.json is checked against both (tests/test_cog.py). */
export function fold(text) {
  let t = String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  t = t.replace(/œ/g, "oe").replace(/æ/g, "ae").replace(/ß/g, "ss");
  t = t.replace(/[^a-z0-9]+/g, " ").trim();
  t = t.replace(/\bsainte\b/g, "ste");
  return t.replace(/\bsaint\b/g, "st");
}

const LIMIT = 10;  // options shown, homonyms of the typed name always all shown
const KINDS = { M: "une métropole", U: "une communauté urbaine", A: "une communauté d'agglomération", C: "une communauté de communes" };
const BANDS = ["de moins de 10\u202f000 habitants", "de 10\u202f000 à 50\u202f000 habitants",
               "de 50\u202f000 à 200\u202f000 habitants", "de plus de 200\u202f000 habitants"];
// urban–rural profile and neighbour métropole (kb/content/likeness.py, same words)
const PROFILES = { U: "profil urbain", I: "profil intermédiaire (entre urbain et rural)", R: "profil rural" };
const NEIGHBOURS = { 0: "sans métropole à moins de 60\u202fkm", 1: "voisine d'une métropole de moins de 500\u202f000 habitants",
                     2: "voisine d'une métropole de plus de 500\u202f000 habitants" };
const FORMS = { "CC ": "Communauté de communes ", "CA ": "Communauté d'agglomération ", "CU ": "Communauté urbaine " };

function getJSON(url) {
  return fetch(url, { credentials: "same-origin" }).then((r) => {
    if (!r.ok) { throw new Error(String(r.status)); }
    return r.json();
  });
}

function departementOf(code) {
  return code.indexOf("97") === 0 ? code.slice(0, 3) : code.slice(0, 2);
}

function population(n) {
  return Number(n).toLocaleString("fr-FR") + (Number(n) > 1 ? " habitants" : " habitant");
}

function km(lat1, lon1, lat2, lon2) {
  const rad = Math.PI / 180, dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  const a = Math.sin(dlat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dlon / 2) ** 2;
  return 6371 * 2 * Math.asin(Math.sqrt(a));
}

export function spelledOut(name) {
  const form = Object.keys(FORMS).find((f) => name.indexOf(f) === 0);
  return form ? FORMS[form] + name.slice(form.length) : name;
}

/* « de » before a commune's name, French style: d'Ajaccio, du Mans, des Sables-d'Olonne, de la Rochelle. */
export function ofName(name) {
  if (/^Le /.test(name)) { return "du " + name.slice(3); }
  if (/^Les /.test(name)) { return "des " + name.slice(4); }
  if (/^(La |L')/.test(name)) { return "de " + name[0].toLowerCase() + name.slice(1); }
  return (/^[AEIOUYHÀÂÉÈÊËÎÏÔÖÙÛÜ]/i.test(name) ? "d'" : "de ") + name;
}

function parse(entry) {
  const p = entry.split("|");
  return { name: p[0], code: p[1], epci: p[2], population: Number(p[3] || 0), lat: Number(p[4]),
           lon: Number(p[5]), now: p[6] || "", sig: p[7] || "" };
}

function setup(root) {
  const base = root.getAttribute("data-kb-commune").replace(/\/?$/, "/");
  const site = root.getAttribute("data-kb-site").replace(/\/?$/, "/").replace(/^\/$/, "");
  const propose = root.getAttribute("data-kb-propose") || "";
  const input = root.querySelector("input");
  const list = root.querySelector("[role=listbox]");
  const result = root.querySelector("[data-kb-commune-result]");
  const status = root.querySelector("[data-kb-commune-status]");
  let manifest = null, options = [], active = -1, timer = null;
  const shards = {}, answers = {};
  root.hidden = false;

  function shardFor(query) {
    let best = null;
    Object.keys(manifest.shards).forEach((prefix) => {
      const p = prefix.replace(/\$$/, "");
      const exact = prefix !== p;
      if (exact ? query === p : query.indexOf(p) === 0) {
        if (!best || p.length > best.replace(/\$$/, "").length) { best = prefix; }
      }
    });
    return best;
  }

  function load() {
    return manifest ? Promise.resolve(manifest) : getJSON(base + "index.json").then((m) => { manifest = m; return m; });
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function depName(code) {
    const d = manifest.deps[departementOf(code)];
    return d ? d[0] + " (" + departementOf(code) + ")" : departementOf(code);
  }

  function label(c) {
    const where = depName(c.code);
    if (c.now) { return c.name + " — ancienne commune, aujourd'hui " + c.now + ", " + where; }
    return c.name + " — " + where + ", " + population(c.population);
  }

  function show(entries, more) {
    list.textContent = "";
    options = entries;
    entries.forEach((c, i) => {
      const li = document.createElement("li");
      li.id = input.id + "-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      const parts = label(c).split(" — ");
      li.appendChild(document.createTextNode(parts[0]));
      li.appendChild(element("span", "kb-meta", " — " + parts.slice(1).join(" — ")));
      li.addEventListener("mousedown", (e) => { e.preventDefault(); choose(i); });
      list.appendChild(li);
    });
    list.hidden = entries.length === 0;
    input.setAttribute("aria-expanded", entries.length ? "true" : "false");
    if (!entries.length) { status.textContent = "Aucune commune de ce nom."; return; }
    status.textContent = entries.length + (entries.length > 1 ? " communes proposées" : " commune proposée") +
      (more ? " (et " + more + " autres : ajoutez le nom du département pour préciser)" : "") +
      ", flèches pour choisir, Entrée pour valider.";
  }

  function matches(c, query, words) {
    const name = fold(c.name);
    if (name.indexOf(query) === 0) { return true; }
    const d = manifest.deps[departementOf(c.code)];
    const hay = " " + name + " " + fold(d ? d[0] : "") + " " + departementOf(c.code).toLowerCase() + " " + fold(c.now);
    return words.every((w) => hay.indexOf(" " + w) >= 0);
  }

  function shardFile(prefix) {
    const file = manifest.shards[prefix];
    return shards[file] ? Promise.resolve(shards[file]) : getJSON(base + file).then((d) => { shards[file] = d; return d; });
  }

  function suggest() {
    const query = fold(input.value);
    if (query.length < 2) { close(); options = []; status.textContent = ""; return; }
    const words = query.split(" ");
    // the shard of the whole query; if nothing matches there, the words after the name may
    // name the département (« sainte marie reunion »): the shard of fewer words, same filter
    function attempt(n) {
      const prefix = shardFor(words.slice(0, n).join(" "));
      if (!prefix) { return n > 1 ? attempt(n - 1) : Promise.resolve(null); }
      return shardFile(prefix).then((entries) => {
        const found = entries.map(parse).filter((c) => matches(c, query, words));
        return found.length || n <= 1 ? found : attempt(n - 1);
      });
    }
    load().then(() => attempt(words.length)).then((found) => {
      if (fold(input.value) !== query) { return; }
      input.dataset.kbSuggested = input.value;  // the list now answers what is typed (tests wait for it)
      if (found === null) {
        const longer = Object.keys(manifest.shards).some((p) => p.indexOf(query) === 0);
        show([], 0);
        if (longer) { status.textContent = "Continuez à taper le nom de la commune."; }
        return;
      }
      // every commune of exactly this name first (homonyms are never cut off), then the others
      const exact = found.filter((c) => fold(c.name) === query);
      const others = found.filter((c) => fold(c.name) !== query);
      const shown = exact.concat(others.slice(0, Math.max(0, LIMIT - exact.length)));
      show(shown, found.length - shown.length);
    }).catch(() => { status.textContent = "La liste des communes n'a pas pu être chargée."; });
  }

  function move(delta) {
    if (!options.length) { return; }
    if (list.hidden) { list.hidden = false; input.setAttribute("aria-expanded", "true"); }
    active = (active + delta + options.length) % options.length;
    Array.prototype.forEach.call(list.children, (li, i) => { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", list.children[active].id);
    list.children[active].scrollIntoView({ block: "nearest" });
  }

  function choose(i) {
    const c = options[i];
    input.value = c.now ? c.now : c.name;
    close();
    status.textContent = "";
    const dep = departementOf(c.code);
    const getLinks = answers[dep] ? Promise.resolve(answers[dep])
      : getJSON(base + manifest.liens.replace("{dep}", dep)).then((d) => { answers[dep] = d; return d; });
    getLinks.then((data) => render(c, data)).catch(() => { status.textContent = "Les coopérations n'ont pas pu être chargées."; });
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  function listOf(rows, data) {
    const ul = element("ul", "kb-list");
    rows.forEach((r) => {
      const coop = data.coops[r[0]];
      const li = document.createElement("li");
      const a = element("a", "", coop[0]);
      a.href = site + coop[1];
      li.appendChild(a);
      li.appendChild(element("span", "kb-meta", " (" + r[1] + ")"));
      ul.appendChild(li);
    });
    return ul;
  }

  function section(title, rows, data, direct) {
    const part = element("div", "kb-commune__layer" + (direct ? " kb-commune__layer--direct" : ""));
    part.appendChild(element("h3", "", title));
    part.appendChild(listOf(rows, data));
    return part;
  }

  function render(c, data) {
    const name = c.now || c.name, code = c.code, dep = departementOf(code);
    const d = manifest.deps[dep], region = d ? d[1] : "";
    const depLabel = d ? d[0] : dep, regLabel = manifest.regs[region] || "";
    const seen = {};
    const keep = (rows) => rows.filter((r) => { if (seen[r[0]]) { return false; } seen[r[0]] = true; return true; });
    const direct = keep([].concat((data.by["c" + code] || []).map((r) => [r[0], r[1] || "la commune est partenaire"]),
                                  c.epci ? data.by["e" + c.epci] || [] : []));
    const inDep = keep([].concat(data.by["d" + dep] || [],
                                 (data.in["d" + dep] || []).map((cid) => [cid, "un partenaire est dans le département"])));
    const inReg = keep([].concat(region ? data.by["r" + region] || [] : [],
                                 (data.in["r" + region] || []).map((cid) => [cid, "un partenaire est dans la région"])));
    result.textContent = "";
    result.appendChild(element("h3", "kb-commune__title", name + " (" + depLabel + ")"));
    if (direct.length) {
      result.appendChild(section((direct.length > 1 ? direct.length + " coopérations concernent " : "Une coopération concerne ") +
        name + ", directement, par son intercommunalité ou par un groupement dont elle est membre", direct, data, true));
    } else {
      result.appendChild(element("p", "", "Aucune coopération de la base ne concerne encore " + name +
        " directement, ni par son intercommunalité, ni par un groupement dont elle serait membre."));
    }
    if (inDep.length) {
      result.appendChild(section("Ailleurs dans son département, " + depLabel + " (sans la concerner directement)", inDep, data));
    }
    if (inReg.length) {
      result.appendChild(section("Ailleurs dans sa région, " + regLabel + " (sans la concerner directement)", inReg, data));
    }
    // how many of each are shown: kb/render/ma_commune.py (NEAREST, COMPARABLE) cuts the files to them
    const [NEAREST, COMPARABLE] = manifest.montres;
    if (!direct.length && !inDep.length && !inReg.length) {
      result.appendChild(element("p", "", "Aucune non plus dans son département (" + depLabel + ") ni dans sa région" +
        (regLabel ? " (" + regLabel + ")" : "") + "."));
      const near = Object.keys(data.pts).map((cid) => {
        const dist = Math.min(...data.pts[cid].map((p) => km(c.lat, c.lon, p[0], p[1])));
        return [cid, dist];
      }).sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1)).slice(0, NEAREST);
      if (near.length) {
        result.appendChild(section("Les coopérations les plus proches", near.map((n) =>
          [n[0], "à " + Math.round(n[1]).toLocaleString("fr-FR") + " km"]), data));
      }
    }
    // comparable territories: cases one of whose partners is an EPCI of the same kind and
    // population band as the commune's, those also sharing its urban–rural profile and its kind
    // of neighbour métropole first (computed at build time, kb/render/ma_commune.py)
    const shared = (sig) => [sig[2] === c.sig[2] && PROFILES[sig[2]], sig[3] === c.sig[3] && NEIGHBOURS[sig[3]]].filter(Boolean);
    const like = c.sig && KINDS[c.sig[0]] ? Object.keys(data.cmp || {}).filter((cid) => !direct.some((r) => r[0] === cid))
      .map((cid) => {
        const best = data.cmp[cid].filter((p) => p[1].slice(0, 2) === c.sig.slice(0, 2))
          .sort((a, b) => shared(b[1]).length - shared(a[1]).length)[0];
        return best ? [cid, best, shared(best[1])] : null;
      }).filter(Boolean).sort((a, b) => b[2].length - a[2].length).slice(0, COMPARABLE) : [];
    if (like.length) {
      const part = section("Des territoires comparables qui coopèrent", like.map((x) =>
        [x[0], x[1][0] + " : comme l'intercommunalité " + ofName(name) + ", " + ["même type d'intercommunalité (" +
          KINDS[c.sig[0]] + ")", "même tranche de population (" + BANDS[Number(c.sig[1])] + ")"].concat(x[2]).join(", ")]), data);
      if (data.regle) { part.appendChild(element("p", "kb-meta kb-commune__rule", data.regle)); }
      result.appendChild(part);
    }
    if (propose) {
      const next = element("p", "kb-commune__next");
      const a = element("a", "", "Proposez une coopération de votre territoire");
      a.href = propose;
      next.appendChild(a);
      next.appendChild(document.createTextNode(" : une personne de l'équipe en fera une fiche."));
      result.appendChild(next);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer); result.textContent = ""; delete input.dataset.kbSuggested; timer = setTimeout(suggest, 120);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Enter") {
      e.preventDefault();
      if (active >= 0) { choose(active); return; }
      const query = fold(input.value);
      const exact = options.filter((c) => fold(c.name) === query);
      if (exact.length === 1) { choose(options.indexOf(exact[0])); }
      else if (!exact.length && options.length === 1) { choose(0); }
      else if (options.length) {
        status.textContent = (exact.length > 1 ? exact.length + " communes portent ce nom" : "Plusieurs communes correspondent") +
          " : choisissez-la avec les flèches, ou ajoutez le nom du département.";
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }
    else if (e.key === "Escape") { close(); }
  });
  input.addEventListener("blur", () => { setTimeout(close, 150); });
}

function init() {
  Array.prototype.forEach.call(document.querySelectorAll("[data-kb-commune]"), (root) => {
    if (!root.getAttribute("data-kb-ready")) { root.setAttribute("data-kb-ready", "1"); setup(root); }
  });
}

if (typeof document !== "undefined") {
  if (window.document$ && window.document$.subscribe) { window.document$.subscribe(init); }
  else if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
}
