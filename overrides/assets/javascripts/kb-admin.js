/* The /admin/ editor (Decap CMS), an ES module loaded by admin/index.html (kb/publish/decap.py).
 *
 * - Sign-in: with no OAuth service configured (the page says so, data-kb-sign-in="absent"),
 *   Decap is not started on the published site (its GitHub sign-in would go to a service that
 *   fails); the page explains what the maintainer must set. On this machine (localhost), Decap
 *   starts anyway: `make editer` runs Decap's local backend (decap-server), no account needed.
 * - Preview: one template per collection, showing the fiche as the site does (the site's own
 *   stylesheets, read from its home page; labels of the vocabularies, never raw identifiers).
 * - Partners named: the list of partners (widget PARTNERS_WIDGET) is Decap's own list, whose
 *   folded items show the official name of a partner given by its code only; the official code
 *   (widget CODE_WIDGET) is Decap's own text input, with the official name of the code typed
 *   shown under it. Names come from admin/territoires-officiels.json (kb/publish/decap.py), never
 *   from the fiche, and nothing of them is saved.
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
  return officialName(partner, official) || `Territoire officiel (code ${partner.code})`;
}

/* The official name of a partner's code (by the kind its type says), else null. */
function officialName(partner, official) {
  const kind = KIND_OF_TYPE[partner.type] || "epci";
  return official && official[kind] ? official[kind][String(partner.code)] || null : null;
}

/* A partner in the folded list of partners: its name (the official one when it has no usual
 * name, and then said so), and its code. */
function partnerSummary(partner, official) {
  const name = partnerName(partner, official);
  if (!partner.code) return name;
  if (partner.nom) return `${name} (code officiel ${partner.code})`;
  return officialName(partner, official) ? `${name} (nom officiel du code ${partner.code})` : name;
}

/* What the official geography calls a code, whatever its kind (a département and a région may
 * share one): « Carhaix-Plouguer (commune) », or null when no official territory has it. */
const KIND_LABELS = { communes: "commune", epci: "intercommunalité", departements: "département", regions: "région" };
function namesOfCode(code, official) {
  if (!official) return null;
  const found = Object.keys(KIND_LABELS).filter((kind) => official[kind] && official[kind][code])
    .map((kind) => `${official[kind][code]} (${KIND_LABELS[kind]})`);
  return found.length ? found.join(" ou ") : null;
}

/* The editor's own widgets (their names are those of config.yml: kb/publish/decap.py). */
const PARTNERS_WIDGET = "kb-partners";
const CODE_WIDGET = "kb-official-code";
// a value shown to the list's summary only (config.yml: « {{fields.kb_nom_affiche}} »), never saved
const SHOWN_NAME = "kb_nom_affiche";

/* Decap's own list and text controls, each inside a small control of ours that Decap sees
 * through (getWrappedInstance: Decap validates and focuses the inner control, as for its own
 * widgets). The list's items get SHOWN_NAME, read by the summary, and lose it in every value
 * the list gives back: the fiche written is the same as with Decap's list. */
function registerWidgets(CMS, h, createClass) {
  const list = CMS.getWidget("list");
  const text = CMS.getWidget("string");
  const isMap = (item) => item && typeof item.set === "function" && typeof item.toJS === "function";
  const shown = new WeakMap();  // list value -> the same with SHOWN_NAME, for the names loaded

  function withNames(value, official) {
    if (!value || typeof value.map !== "function" || typeof value.toJS !== "function") return value;
    const known = shown.get(value);
    if (known && known.official === official) return known.value;
    const named = value.map((item) => (isMap(item) ? item.set(SHOWN_NAME, partnerSummary(item.toJS(), official)) : item));
    shown.set(value, { official, value: named });
    return named;
  }

  function withoutNames(value) {
    return value && typeof value.map === "function" && typeof value.toJS === "function"
      ? value.map((item) => (isMap(item) && item.has(SHOWN_NAME) ? item.delete(SHOWN_NAME) : item)) : value;
  }

  function withOfficialNames(spec) {
    return createClass({
      ...spec,
      componentDidMount() {
        this.mounted = true;
        loadOfficialNames().then((loaded) => {
          this.official = loaded;
          if (this.mounted) this.forceUpdate();
        });
      },
      componentWillUnmount() {
        this.mounted = false;
      },
      getWrappedInstance() {
        return this.inner && this.inner.getWrappedInstance ? this.inner.getWrappedInstance() : this.inner;
      },
      keep(ref) {
        this.inner = ref;
      },
    });
  }

  const Partners = withOfficialNames({
    render() {
      const { value, onChange } = this.props;
      return h(list.control, { ...this.props, ref: this.keep, value: withNames(value, this.official || null),
        onChange: (changed, ...rest) => onChange(withoutNames(changed), ...rest) });
    },
  });

  const Code = withOfficialNames({
    render() {
      const code = String(this.props.value || "").trim();
      const names = code ? namesOfCode(code, this.official) : null;
      // a code not yet whole (or of no possible shape) is Decap's pattern check's to name
      const pattern = this.props.field && this.props.field.getIn ? this.props.field.getIn(["pattern", 0]) : null;
      const whole = !pattern || new RegExp(pattern).test(code);
      const says = !code || !this.official ? "" : names ? `Nom officiel : ${names}`
        : whole ? "Aucun territoire officiel n'a ce code (commune, intercommunalité, département ou région)." : "";
      return h("div", null, h(text.control, { ...this.props, ref: this.keep }),
        h("p", { className: "kb-official-name", "aria-live": "polite",
          style: { margin: "6px 0 0", fontSize: "14px", color: names ? "#1b5e20" : "#8a4b00" } }, says));
    },
  });

  CMS.registerWidget(PARTNERS_WIDGET, Partners, list.previewComponent || list.preview, list.schema);
  CMS.registerWidget(CODE_WIDGET, Code, text.previewComponent || text.preview, text.schema);
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
    if ((field.widget === "list" || field.widget === PARTNERS_WIDGET) && field.fields) {
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
  registerWidgets(CMS, window.h, window.createClass);
  const preview = makePreview(window.h, window.createClass);
  ["cooperations", "recommandations", "sources"].forEach((name) => CMS.registerPreviewTemplate(name, preview));
  (await siteStyles()).forEach((href) => CMS.registerPreviewStyle(href));
  CMS.init();
}

onReady(start);
