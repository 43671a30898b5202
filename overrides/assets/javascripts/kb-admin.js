/* The /admin/ editor (Decap CMS), an ES module loaded by admin/index.html (kb/publish/decap.py).
 *
 * - Sign-in: with no OAuth service configured (the page says so, data-kb-sign-in="absent"),
 *   Decap is not started on the published site (its GitHub sign-in would go to a service that
 *   fails); the page explains what the maintainer must set. On this machine (localhost), Decap
 *   starts anyway: `make editer` runs Decap's local backend (decap-server), no account needed.
 * - Preview: one template per collection, showing the fiche as the site does (the site's own
 *   stylesheets, read from its home page; labels of the vocabularies, never raw identifiers).
 * Every value is inserted as text (React escapes it), never as HTML; the body is Decap's own
 * Markdown preview. Helpers shared with the other scripts: kb-common.js. */
import { onReady } from "./kb-common.js";

const LOCAL = ["localhost", "127.0.0.1"].includes(location.hostname);

/* Immutable (Decap) or plain value -> plain JavaScript. */
const plain = (value) => (value && typeof value.toJS === "function" ? value.toJS() : value);

/* Field name -> its widget configuration (plain objects), for a list of fields. */
function fieldsByName(fields) {
  const out = {};
  (plain(fields) || []).forEach((field) => { out[field.name] = field; });
  return out;
}

/* The label of a value of a select field, else the value itself. */
function optionLabel(field, value) {
  const option = (field.options || []).find((o) => (typeof o === "object" ? o.value : o) === value);
  return option && typeof option === "object" ? option.label : String(value);
}

/* A relation's value (a fiche's identifier) as words, when its title is not known here. */
function identifierWords(id) {
  const text = String(id).replace(/-/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isEmpty(value) {
  return value === undefined || value === null || value === "" ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "object" && !Array.isArray(value) && Object.values(value).every(isEmpty));
}

/* An item of a list of texts (or of small objects) as one line of text. */
function itemText(item) {
  return item !== null && typeof item === "object" ? Object.values(item).filter((v) => !isEmpty(v)).join(" ")
    : String(item);
}

/* Official names by code (admin/territoires-officiels.json, kb/publish/decap.py), read once,
 * when a preview first needs them. */
let officialNames = null;
function loadOfficialNames() {
  if (!officialNames) {
    officialNames = fetch("territoires-officiels.json").then((r) => (r.ok ? r.json() : null)).catch(() => null);
  }
  return officialNames;
}

const KIND_OF_TYPE = { commune: "communes", departement: "departements", region: "regions" };

/* A partner as a reader sees it: its usual name, else the official name of its code, else
 * « territoire officiel » with its code. */
function partnerName(partner, official) {
  if (partner.nom) return partner.nom;
  if (!partner.code) return "Partenaire sans nom";
  const kind = KIND_OF_TYPE[partner.type] || "epci";
  const name = official && official[kind] ? official[kind][partner.code] : null;
  return name || `Territoire officiel (code ${partner.code})`;
}

function makePreview(h, createClass) {
  let official = null;  // official names by kind and code, once loaded

  /* One value of a field, as text or a small list; ``field`` is its Decap configuration. */
  function show(field, value, titles) {
    if (isEmpty(value)) return null;
    if (field.widget === "select") {
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 1) return optionLabel(field, values[0]);
      return h("ul", { className: "kb-tags" }, values.map((v) => h("li", { key: v }, optionLabel(field, v))));
    }
    if (field.widget === "relation") {
      const values = Array.isArray(value) ? value : [value];
      const names = values.map((v) => (titles && titles[v]) || identifierWords(v));
      return values.length === 1 ? names[0] : h("ul", null, names.map((n, i) => h("li", { key: i }, n)));
    }
    if (field.widget === "list" && field.fields) {
      const subs = fieldsByName(field.fields);
      return h("ul", { className: field.name === "territoires" ? "kb-partners" : null },
        value.map((item, i) => h("li", { key: i }, describe(item, subs, field.name === "territoires"))));
    }
    if (field.widget === "list") {
      return h("ul", null, value.filter((item) => !isEmpty(item)).map((item, i) => h("li", { key: i }, itemText(item))));
    }
    if (field.widget === "object" && field.fields) return describe(value, fieldsByName(field.fields), false);
    if (field.widget === "boolean") return value ? "oui" : "non";
    return String(value);
  }

  /* An item of a list of objects: its first value, then the others in small print. */
  function describe(item, subs, partner) {
    const names = Object.keys(subs).filter((name) => !isEmpty(item[name]));
    const head = partner ? partnerName(item, official) : (names.length ? textOf(subs[names[0]], item[names[0]]) : "");
    const rest = names.filter((name) => !(partner && (name === "nom" || name === "code")) &&
      (partner || name !== names[0]))
      .map((name) => `${subs[name].label} : ${textOf(subs[name], item[name])}`);
    return [head, rest.length ? h("span", { className: "kb-meta", key: "m" }, ` (${rest.join(" ; ")})`) : null];
  }

  function textOf(field, value) {
    if (field.widget === "select") {
      return (Array.isArray(value) ? value : [value]).map((v) => optionLabel(field, v)).join(", ");
    }
    if (field.widget === "relation") {
      return (Array.isArray(value) ? value : [value]).map(identifierWords).join(", ");
    }
    if (Array.isArray(value)) return value.filter((v) => !isEmpty(v)).map(itemText).join(", ");
    return String(value);
  }

  /* The preview of one fiche: title, summary, the facts as the site's card, then the text. */
  function render({ entry, collection, widgetFor }) {
    const data = plain(entry.get("data")) || {};
    const fields = plain(collection.get("fields")) || [];
    const lead = ["titre", "resume", "description", "body"];
    const facts = fields.filter((f) => !lead.includes(f.name) && !isEmpty(data[f.name]))
      .sort((a, b) => (a.name === "territoires" ? -1 : b.name === "territoires" ? 1 : 0));
    return h("article", { className: "md-content__inner md-typeset" },
      h("h1", null, data.titre || "Sans titre"),
      data.resume ? h("p", { className: "kb-lead" }, data.resume) : null,
      data.description ? h("p", { className: "kb-lead" }, data.description) : null,
      facts.length ? h("div", { className: "kb-card" }, h("dl", { className: "kb-facts" },
        facts.flatMap((f) => [h("dt", { key: `t-${f.name}` }, f.name === "territoires" ? "Partenaires" : f.label),
          h("dd", { key: `d-${f.name}` }, show(f, data[f.name]))]))) : null,
      widgetFor("body"));
  }

  return createClass({
    componentDidMount() {
      const data = plain(this.props.entry.get("data")) || {};
      if (!official && (data.territoires || []).some((p) => p && p.code && !p.nom)) {
        loadOfficialNames().then((loaded) => { official = loaded; this.forceUpdate(); });
      }
    },
    componentDidUpdate() {
      this.componentDidMount();
    },
    render() {
      return render(this.props);
    },
  });
}

/* The site's stylesheets, as its home page lists them (Material's and the project's). */
async function siteStyles() {
  const home = new URL("../", location.href);
  try {
    const html = await (await fetch(home)).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    return [...doc.querySelectorAll('link[rel="stylesheet"]')].map((l) => new URL(l.getAttribute("href"), home).href)
      .filter((href) => new URL(href).origin === location.origin);
  } catch {
    return [];
  }
}

function loadDecap() {
  return new Promise((resolve, reject) => {
    window.CMS_MANUAL_INIT = true;
    const script = document.createElement("script");
    script.src = "decap-cms.js";
    script.onload = resolve;
    script.onerror = reject;
    document.body.appendChild(script);
  });
}

/* What Decap 3's French locale leaves in English (or misses), in French. */
const FRENCH = {
  auth: { loginWithForgejo: "Se connecter avec Forgejo" },
  app: { header: { media: "Médias" } },
  collection: {
    collectionTop: { viewAsList: "Afficher en liste", viewAsGrid: "Afficher en grille" },
    entries: { unpublishedHeader: "Fiches non publiées" },
  },
  editor: {
    editorControl: { field: { widgetLabel: "champ %{widgetLabel}" } },
    editorControlPane: { i18n: { copyFromLocale: "Reprendre d'une autre langue",
      copyFromLocaleConfirm: "Reprendre les valeurs de la langue %{locale} ?\nLes valeurs déjà saisies seront remplacées." } },
    editorInterface: { toggleNotes: "Afficher ou masquer les notes" },
    editorNotesPane: { title: "Notes", emptyState: "Pas encore de note." },
    editorToolbar: {
      statusInfoTooltipDraft: "Brouillon : pour le terminer et le proposer à la relecture, passez-le à « En cours de révision ».",
      statusInfoTooltipInReview: "En relecture : rien d'autre à faire ; vous pouvez encore le modifier.",
    },
    editorWidgets: {
      markdown: { strikethrough: "Barré", toggleMode: { rich: "Passer en texte enrichi", markdown: "Passer en Markdown" } },
      image: { chooseMultiple: "Choisir des images", addMore: "Ajouter des images", removeAll: "Retirer toutes les images" },
      file: { chooseMultiple: "Choisir des fichiers", addMore: "Ajouter des fichiers", removeAll: "Retirer tous les fichiers" },
      datetime: { setToNow: "Mettre « %{fieldLabel} » à maintenant" },
      object: { expand: "Déplier", collapse: "Replier" },
    },
  },
  mediaLibrary: { mediaLibraryModal: { close: "Fermer" } },
  ui: {
    settingsDropdown: { account: "Options du compte" },
    toast: { noteAdded: "Note ajoutée", onFailToAddNote: "La note n'a pas pu être ajoutée : %{details}",
      noteUpdated: "Note modifiée", onFailToUpdateNote: "La note n'a pas pu être modifiée : %{details}",
      noteDeleted: "Note supprimée", onFailToDeleteNote: "La note n'a pas pu être supprimée : %{details}",
      noteResolved: "Note résolue", noteReopened: "Note rouverte",
      onFailToToggleNote: "L'état de la note n'a pas pu être changé : %{details}" },
  },
};

/* ``extra`` laid over ``base``, object by object (neither is changed). */
function merged(base, extra) {
  const out = { ...base };
  Object.keys(extra).forEach((key) => {
    out[key] = extra[key] && typeof extra[key] === "object" && base && typeof base[key] === "object"
      ? merged(base[key], extra[key]) : extra[key];
  });
  return out;
}

/* Decap's French labels, completed; the « new entry » button's sign is the full-width plus
 * (U+FF0B), which common fonts lack (an empty box): an ordinary « + » instead. */
function frenchLabels(CMS) {
  const fr = CMS.getLocale("fr");
  if (!fr || !fr.collection || !fr.collection.collectionTop) return;
  const newButton = String(fr.collection.collectionTop.newButton).replace("\uFF0B", "+");
  CMS.registerLocale("fr", merged(fr, merged(FRENCH, { collection: { collectionTop: { newButton } } })));
}

async function start() {
  const welcome = document.getElementById("kb-admin-welcome");
  const absent = welcome && welcome.dataset.kbSignIn === "absent";
  if (absent && !LOCAL) return;  // the page says why, and what the maintainer must set
  if (absent) {  // this machine: Decap's local backend (`make editer`), no account needed
    const note = welcome.querySelector(".kb-admin-setup");
    if (note) {
      note.replaceChildren(Object.assign(document.createElement("p"), {
        textContent: "Éditeur local (make editer) : les fiches sont enregistrées directement dans le " +
          "dossier content/ de cette machine, sans compte ni connexion.",
      }));
    }
  }
  await loadDecap();
  const CMS = window.CMS;
  frenchLabels(CMS);
  const preview = makePreview(window.h, window.createClass);
  ["cooperations", "recommandations", "sources"].forEach((name) => CMS.registerPreviewTemplate(name, preview));
  (await siteStyles()).forEach((href) => CMS.registerPreviewStyle(href));
  CMS.init();
}

onReady(start);
