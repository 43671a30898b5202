"""The browser editor at /admin/ (Decap CMS): configuration generated from the model,
script served by the site itself, and the real Decap accepting the configuration."""
from __future__ import annotations

import shutil
from urllib.parse import urljoin

import pytest
import yaml

from conftest import DATA, FIXTURES, NODE_MODULES, ROOT, LocalServer, load
from kb.content.fieldtypes import OFFICIAL_CODE
from kb.publish import decap
from kb.publish.formats.decap_widgets import CODE_WIDGET
from kb.content.fields import MODEL, field_label
from kb.infra import assets
from kb.infra.settings import PLACEHOLDER_REPO, Settings
from kb.content.scaffold import identifier

VOCABS = DATA.vocabularies
CONFIG = decap.config(DATA, "proprietaire/depot")


def _collection(kind):
    return next(c for c in CONFIG["collections"] if c["name"] == decap.COLLECTIONS[kind][0])


# What the editor shows, collection by collection: (name, label, widget, required), in order.
EXPECTED_FIELDS = {
    "cooperation": [
        ("titre", "Titre", "string", True), ("resume", "Résumé", "text", True),
        ("territoires", "Territoires partenaires", decap.PARTNERS_WIDGET, True), ("themes", "Thèmes", "select", True),
        ("finalites", "Finalités", "select", False), ("portages", "Portages", "select", False),
        ("temporalite", "Temporalité", "select", False), ("intensite", "Intensité", "select", False),
        ("fonctions", "Fonctions d'habitabilité", "select", False), ("leviers", "Leviers", "select", False),
        ("annee", "Année", "number", False), ("debut", "Début", "string", False), ("fin", "Fin", "string", False),
        ("statut", "Statut", "select", True), ("date_ajout", "Date d'ajout", "datetime", True),
        ("date_revue", "Dernière revue", "datetime", False), ("sources", "Sources", "list", True),
        ("recommandations", "Recommandations illustrées", "relation", False),
        ("porteur", "Porteur", "object", False), ("financements", "Financements", "list", False),
        ("resultats", "Résultats", "list", False), ("facteurs_de_reussite", "Facteurs de réussite", "list", False),
        ("obstacles", "Obstacles", "list", False), ("documents", "Documents signés", "list", False),
        ("reciprocites", "Ce que chacun apporte", "list", False),
        ("origines", "Origine des valeurs", "list", False), ("body", "Texte", "markdown", True)],
    "recommandation": [
        ("titre", "Titre", "string", True), ("resume", "Résumé", "text", True),
        ("audiences", "Publics", "select", True), ("axe", "Axe", "select", True),
        ("arreter", "Ce qu'il faut arrêter", "text", False), ("commencer", "Ce qu'il faut commencer", "text", False),
        ("sources", "Sources", "list", True), ("cooperations", "Coopérations", "relation", False),
        ("date_ajout", "Date d'ajout", "datetime", True), ("date_revue", "Dernière revue", "datetime", False),
        ("origines", "Origine des valeurs", "list", False), ("body", "Texte", "markdown", True)],
    "document": [
        ("titre", "Titre", "text", True), ("editeur", "Éditeur", "text", True), ("date", "Date", "string", False),
        ("url", "Lien", "string", False), ("resume", "Résumé", "text", False),
        ("chiffres_cles", "Chiffres clés", "list", False), ("references", "Pour aller plus loin", "list", False),
        ("body", "Texte", "markdown", True)],
}


def _shown(widgets):
    return [(w["name"], w["label"], w["widget"], w.get("required", True)) for w in widgets]


@pytest.mark.parametrize("kind,folder", [("cooperation", "content/cooperations"),
                                         ("recommandation", "content/recommandations"),
                                         ("document", "content/sources")])
def test_every_model_field_has_its_widget(kind, folder):
    collection = _collection(kind)
    assert collection["folder"] == folder
    assert collection["format"] == "frontmatter" and collection["extension"] == "md"
    assert _shown(collection["fields"]) == EXPECTED_FIELDS[kind]


def test_what_each_partner_brings_is_offered_in_the_editor():
    fields = {w["name"]: w for w in _collection("cooperation")["fields"]}
    reciprocity = fields["reciprocites"]
    assert _shown(reciprocity["fields"]) == [
        ("partenaire", "Partenaire", "string", True), ("sens", "Sens", "select", True),
        ("nature", "Nature", "select", True), ("description", "Description", "text", True),
        ("source", "Source", "string", True)]
    sub = {w["name"]: w for w in reciprocity["fields"]}
    assert sub["sens"]["options"] == ["apporte", "recoit"]
    assert [o["value"] for o in sub["nature"]["options"]] == [
        "energie", "materiaux", "alimentation", "ingenierie", "financement", "services", "mobilite", "activite"]
    assert sub["nature"]["options"][0] == {"label": "Énergie", "value": "energie"}


def test_vocabulary_and_relation_widgets():
    fields = {w["name"]: w for w in _collection("cooperation")["fields"]}
    assert fields["statut"]["options"] == [{"label": "Idée", "value": "idee"},
                                           {"label": "En projet", "value": "en-projet"},
                                           {"label": "En cours", "value": "en-cours"},
                                           {"label": "Achevé", "value": "acheve"}]
    assert "multiple" not in fields["statut"]
    assert fields["themes"]["multiple"] is True and fields["themes"]["min"] == 1
    assert fields["themes"]["options"][:2] == [{"label": "Mobilité", "value": "mobilite"},
                                               {"label": "Alimentation", "value": "alimentation"}]
    assert fields["recommandations"] == {
        "label": "Recommandations illustrées", "name": "recommandations",
        "hint": "Recommandations que la coopération illustre.", "required": False, "widget": "relation",
        "collection": "recommandations", "value_field": "{{slug}}", "search_fields": ["titre"],
        "display_fields": ["titre"], "multiple": True}
    departement = next(w for w in fields["territoires"]["fields"] if w["name"] == "departement")
    assert departement["options"][:2] == [{"label": "01 – Ain", "value": "01"},
                                          {"label": "02 – Aisne", "value": "02"}]


def test_partners_and_sources_are_lists():
    fields = {w["name"]: w for w in _collection("cooperation")["fields"]}
    # the partners' list: Decap's list, whose folded items name a partner given by its code only
    assert fields["territoires"]["widget"] == decap.PARTNERS_WIDGET and fields["territoires"]["min"] == 2
    # a grouping's members are declared in data/groupements.yml, never in a fiche: not offered
    assert [w["name"] for w in fields["territoires"]["fields"]] == [
        "nom", "type", "code", "region", "departement", "origine", "motif", "nom_usuel"]
    assert fields["sources"]["widget"] == "list"
    assert {w["name"] for w in fields["sources"]["fields"]} >= {"document", "titre", "editeur", "url"}


def test_editorial_workflow_opens_pull_requests():
    assert CONFIG["publish_mode"] == "editorial_workflow"
    assert CONFIG["backend"]["name"] == "github"
    assert CONFIG["backend"]["open_authoring"] is True
    assert CONFIG["backend"]["repo"] == "proprietaire/depot"
    assert CONFIG["locale"] == "fr"


def repository(repo_url, environ) -> str:
    return Settings.from_environment(ROOT, environ, repo_url=repo_url).repository


def test_repository_comes_from_the_environment_or_repo_url():
    assert repository(None, {"GITHUB_REPOSITORY": "org/base"}) == "org/base"
    assert repository("https://github.com/a/b.git", {}) == "a/b"
    assert repository(None, {"KB_DEPOT": "x/y", "GITHUB_REPOSITORY": "org/base"}) == "x/y"
    assert repository(None, {}) == PLACEHOLDER_REPO


def test_admin_files_in_the_built_site(fixture_site):
    index = fixture_site.soup("admin/")
    scripts = [(s.get("src"), s.get("type")) for s in index.select("script")]
    assert scripts == [("../assets/javascripts/kb-admin.js", "module")]  # it loads decap-cms.js
    assert (fixture_site.root / "assets" / "javascripts" / "kb-admin.js").is_file()
    # nothing loaded from another host (links to the repository are only links)
    assert all(not str(tag.get(attr, "")).startswith(("http:", "https:", "//"))
               for tag in index.select("[src], link[href]") for attr in ("src", "href"))
    # a French welcome: what it is, who may log in, what happens next, the way back
    welcome = index.select_one("#kb-admin-welcome")
    text = welcome.get_text(" ")
    assert "Qui peut se connecter" in text and "pull request" in text and "relue" in text
    assert welcome.select_one('a[href="../"]') is not None
    built = yaml.safe_load((fixture_site.root / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert [c["folder"] for c in built["collections"]] == ["content/cooperations", "content/recommandations",
                                                            "content/sources"]
    assert _shown(built["collections"][0]["fields"]) == EXPECTED_FIELDS["cooperation"]
    assert built["publish_mode"] == "editorial_workflow"
    script = fixture_site.root / "admin" / "decap-cms.js"
    assert script.read_bytes() == (NODE_MODULES / decap.PACKAGE / decap.SCRIPT).read_bytes()
    assert script.read_bytes() == assets.read(NODE_MODULES, decap.PACKAGE, decap.SCRIPT)
    chunks = list((fixture_site.root / "admin").glob("*.decap-cms.js"))
    assert chunks, "decap-cms.js loads its chunks from its own folder"


def _serve_admin(fixture_site, tmp_path, backend=None):
    """The built site served on 127.0.0.1, its editor without the local backend (no decap-server
    here: tests/test_editor.py runs one)."""
    root = tmp_path / "site"
    shutil.copytree(fixture_site.root, root)
    config_path = root / "admin" / "config.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    del config["local_backend"]
    if backend:
        config["backend"] = backend
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return LocalServer(root)


def _watch(page):
    errors, foreign = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: r.url.startswith(("http://127.0.0.1", "data:", "blob:")) or foreign.append(r.url))
    return errors, foreign


def test_decap_accepts_the_configuration(chromium, fixture_site, tmp_path):
    with _serve_admin(fixture_site, tmp_path) as server:
        page = chromium.new_page()
        errors, foreign = _watch(page)
        page.goto(urljoin(server.url, "admin/"))
        page.get_by_role("button", name="Se connecter avec GitHub").wait_for(timeout=30000)
        body = page.inner_text("body")
        page.close()
    assert "Config Errors" not in body and "Error loading" not in body
    assert errors == [] and foreign == []


def _new_cooperation_form(chromium, server):
    """A page on the editor's new-cooperation form (Decap's in-memory test backend), watched."""
    page = chromium.new_page(viewport={"width": 1200, "height": 1000})
    errors, foreign = _watch(page)
    page.goto(urljoin(server.url, "admin/"))
    page.get_by_role("button").first.click()
    page.goto(urljoin(server.url, "admin/#/collections/cooperations/new"))
    return page, errors, foreign


def test_decap_editor_shows_every_field_of_a_cooperation(chromium, fixture_site, tmp_path):
    """With Decap's in-memory test backend, the new-cooperation form lists every field."""
    with _serve_admin(fixture_site, tmp_path, backend={"name": "test-repo"}) as server:
        page, errors, foreign = _new_cooperation_form(chromium, server)
        page.get_by_text(field_label(MODEL["cooperation"][-1], VOCABS), exact=False).first.wait_for(timeout=30000)
        text = page.inner_text("body").casefold()
        page.close()
    for f in MODEL["cooperation"]:
        assert field_label(f, VOCABS).casefold() in text, f.name
    assert errors == [] and foreign == []


def test_a_cooperation_written_in_the_browser_passes_the_checks(chromium, fixture_site, tmp_path):
    """Fill the form as a person would (Decap's in-memory test backend), save, and validate
    the file Decap writes with the same checks as `make check`."""
    labels = {f.name: field_label(f, VOCABS) for f in MODEL["cooperation"]}
    partner = {f.name: field_label(f, VOCABS) for f in next(f for f in MODEL["cooperation"]
                                                            if f.name == "territoires").fields}
    source = {f.name: field_label(f, VOCABS) for f in next(f for f in MODEL["cooperation"]
                                                           if f.name == "sources").fields}
    types = [VOCABS["types_territoire"].terms[t] for t in ("metropole", "association")]
    theme = next(iter(VOCABS["themes"].terms.values()))
    statut = next(iter(VOCABS["statuts"].terms.values()))
    title = "Coopération saisie dans le navigateur"
    with _serve_admin(fixture_site, tmp_path, backend={"name": "test-repo"}) as server:
        page, errors, foreign = _new_cooperation_form(chromium, server)
        page.get_by_label(labels["titre"], exact=True).wait_for(timeout=30000)

        def control(label, nth=-1):
            return page.locator("label", has_text=label).nth(nth).get_attribute("for")

        def fill(label, value, nth=-1):
            page.locator(f"[id='{control(label, nth)}']").fill(value)

        def select(label, option):
            page.locator(f"label[for='{control(label)}']").locator(
                "xpath=following::div[contains(@class,'control')][1]").click()
            page.get_by_text(option, exact=True).last.click()

        fill(labels["titre"], title, 0)
        fill(labels["resume"], "Deux territoires d'essai coopèrent sur l'énergie.", 0)
        for name, term, code in (("Ville d'essai", types[0], "242900314"), ("Association d'essai", types[1], None)):
            page.get_by_role("button", name=f"Ajouter {labels['territoires'].lower()}").click()
            fill(partner["nom"], name)
            select(partner["type"], term.label)
            if code:  # an official territory is known by its code (kb.content.identity)
                fill(partner["code"], code)
        select(labels["themes"], theme.label)
        select(labels["statut"], statut.label)
        page.get_by_role("button", name=f"Ajouter {labels['sources'].lower()}").click()
        fill(f"{source['titre']} (optionnel)", "Rapport d'essai")
        fill(f"{source['editeur']} (optionnel)", "Agence d'essai")
        page.locator("[data-slate-editor='true']").first.click()
        page.keyboard.type("Un texte écrit dans le navigateur.")
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_function("() => Object.keys(window.repoFilesUnpublished).length > 0", timeout=30000)
        saved = page.evaluate("() => Object.values(window.repoFilesUnpublished)"
                              ".flatMap(v => v.diffs.map(d => [d.path, d.content]))")
        page.close()
    assert errors == [] and foreign == []
    assert len(saved) == 1
    path, text = saved[0]
    assert path == f"content/cooperations/{identifier(title)}.md"
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    if (FIXTURES.parent / "data").is_dir():  # data/ next to the content (references.yml)
        shutil.copytree(FIXTURES.parent / "data", tmp_path / "data")
    (tmp_path / path).write_text(text, encoding="utf-8")
    loaded = load(content)
    assert loaded.problems == []
    coop = loaded.cooperations[identifier(title)]
    assert coop.titre == title
    assert [p.type for p in coop.territoires] == [t.id for t in types]
    assert coop.themes == [theme.id] and coop.statut == statut.id
    assert coop.date_ajout  # dated by the editor, like `make nouvelle-cooperation`


def test_oauth_service_is_configurable():
    assert "base_url" not in CONFIG["backend"]
    config = decap.config(DATA, "o/r", auth_url="https://auth.exemple.fr")
    assert config["backend"]["base_url"] == "https://auth.exemple.fr"


def test_without_sign_in_service_the_page_says_what_to_set(fixture_site):
    """The fixture site is built without KB_DECAP_AUTH_URL, as on GitHub Pages before the
    maintainer sets it: the page says so in French and links to the step-by-step guide."""
    welcome = fixture_site.soup("admin/").select_one("#kb-admin-welcome")
    assert welcome["data-kb-sign-in"] == "absent"
    note = welcome.select_one(".kb-admin-setup")
    text = " ".join(note.get_text(" ").split())
    assert "n'est pas encore activée" in text and "KB_DECAP_AUTH_URL" in text and "make editer" in text
    guide = note.select_one("a")["href"]
    assert guide == f"https://github.com/{PLACEHOLDER_REPO}/blob/main/CONTRIBUTING.md#{decap.SIGN_IN_GUIDE}"
    # the anchor is GitHub's for the guide's heading
    headings = [line[4:] for line in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("### ")]
    assert "Activer la connexion à l'éditeur" in headings
    assert decap.SIGN_IN_GUIDE == "activer-la-connexion-à-léditeur"


def test_with_a_sign_in_service_no_setup_note():
    from bs4 import BeautifulSoup

    page = BeautifulSoup(decap.index_html("Site", "o/r", auth_url="https://auth.exemple.fr"), "lxml")
    assert page.select_one("#kb-admin-welcome")["data-kb-sign-in"] == "configured"
    assert page.select_one(".kb-admin-setup") is None


@pytest.mark.parametrize("open_authoring, says", [
    (True, "Toute personne qui a un compte GitHub"),
    (False, "Les membres de l'équipe"),
])
def test_welcome_text_follows_open_authoring(open_authoring, says):
    from bs4 import BeautifulSoup

    assert decap.config(DATA, "o/r", open_authoring=open_authoring)["backend"]["open_authoring"] is open_authoring
    page = BeautifulSoup(decap.index_html("Site", "o/r", open_authoring=open_authoring), "lxml")
    who = page.select_one("#kb-admin-welcome li").get_text(" ")
    assert says in who
    # the default configuration and the default page say the same
    assert (decap.OPEN_AUTHORING is open_authoring) == (says in decap.index_html("Site", "o/r"))


def test_published_editor_does_not_start_without_sign_in_service(chromium, fixture_site):
    """Opened on the site's own address (not this machine), with no OAuth service: Decap is not
    loaded, nothing goes to Netlify or any other host, and the French note is shown."""
    host = "https://cooperations.exemple.fr/"
    requested = []

    def serve(route):
        requested.append(route.request.url)
        path = route.request.url.removeprefix(host).split("#")[0].split("?")[0]
        target = fixture_site.path(path) if not path.endswith((".js", ".css", ".yml", ".png")) \
            else fixture_site.root / path
        if target.is_file():
            route.fulfill(path=str(target))
        else:
            route.fulfill(status=404, body="")

    context = chromium.new_context()
    context.route("**/*", lambda route: serve(route) if route.request.url.startswith(host) else
                  (requested.append(route.request.url), route.abort()))
    page = context.new_page()
    page.goto(host + "admin/")
    page.wait_for_load_state("networkidle")
    note = page.locator(".kb-admin-setup")
    assert note.is_visible() and "KB_DECAP_AUTH_URL" in note.inner_text()
    context.close()
    assert not any("decap-cms.js" in url for url in requested), requested
    assert all(url.startswith(host) for url in requested), requested
    assert host + "assets/javascripts/kb-admin.js" in requested


def test_local_backend_is_decap_server_on_this_machine():
    assert CONFIG["local_backend"] == {"url": decap.LOCAL_BACKEND}
    assert decap.LOCAL_BACKEND.startswith("http://127.0.0.1:8081/")
    assert "PORT=8081" in (ROOT / "Makefile").read_text(encoding="utf-8")  # what `make editer` starts


def test_every_partner_is_named_in_the_lists(fixture_site):
    partners = next(f for f in _collection("cooperation")["fields"] if f["name"] == "territoires")
    assert partners["summary"] == "{{fields.%s}}" % decap.SHOWN_NAME
    code = next(w for w in partners["fields"] if w["name"] == "code")
    assert code["widget"] == CODE_WIDGET and code["pattern"][0] == OFFICIAL_CODE
    # the widgets of config.yml are those kb-admin.js registers, and the value the summary
    # reads is the one it gives (and takes back)
    script = (ROOT / "overrides" / "assets" / "javascripts" / "kb-admin.js").read_text(encoding="utf-8")
    assert f'const PARTNERS_WIDGET = "{decap.PARTNERS_WIDGET}";' in script
    assert f'const CODE_WIDGET = "{CODE_WIDGET}";' in script
    assert f'const SHOWN_NAME = "{decap.SHOWN_NAME}";' in script
    # the preview's official names, by kind (a région and a département may share a code)
    import json

    names = json.loads((fixture_site.root / "admin" / decap.OFFICIAL_NAMES).read_text(encoding="utf-8"))
    assert names["communes"]["29024"] == "Carhaix-Plouguer" and names["epci"]["242900744"] == "CC Poher Communauté"
    assert names["regions"]["53"] == "Bretagne" and names["departements"]["53"] == "Mayenne"


def test_the_editor_speaks_french(chromium, fixture_site, tmp_path):
    """Decap's French locale, completed where it falls back to English, and the « new
    cooperation » button with a sign every font has (not U+FF0B, an empty box here)."""
    with _serve_admin(fixture_site, tmp_path, backend={"name": "test-repo"}) as server:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        errors, foreign = _watch(page)
        page.goto(urljoin(server.url, "admin/"))
        page.get_by_role("button").first.click()
        button = page.get_by_role("link", name="Créer une entrée de type Coopération")
        button.or_(page.get_by_text("+ Coopération", exact=True)).first.wait_for(timeout=30000)
        text = page.inner_text("body")
        labels = page.evaluate("() => [CMS.getLocale('fr').app.header.media, "
                               "CMS.getLocale('fr').editor.editorWidgets.object.collapse]")
        page.close()
    assert "+ Coopération" in text and "\uff0b" not in text
    assert "Médias" in text and labels == ["Médias", "Replier"]
    assert errors == [] and foreign == []


def test_the_official_code_help_names_the_make_command():
    """Contributors search a code with `make chercher NOM="…"` (the Makefile-less command is
    documented once, in CONTRIBUTING.md)."""
    partners = next(f for f in _collection("cooperation")["fields"] if f["name"] == "territoires")
    hint = next(w for w in partners["fields"] if w["name"] == "code")["hint"]
    assert 'make chercher NOM="' in hint and "python -m" not in hint
    schema = (ROOT / "schemas" / "cooperation.json").read_text(encoding="utf-8")
    assert "python -m kb.content.cog" not in schema
