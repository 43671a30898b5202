"""The /admin/ editor used end to end, as `make editer` runs it: Decap CMS in Chromium against
its local backend (decap-server, pinned in package-lock.json), started here on a free port of
127.0.0.1 over a temporary copy of the project. What the editor writes must pass `kb check` and
show on the built site; an existing fiche saved without a change must come back as it was."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urljoin

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import DATA, FIXTURES, NODE_MODULES, ROOT, LocalServer
from kb.content.fields import MODEL, field_label
from kb.content.reader import read_text
from kb.content.scaffold import identifier

VOCABS = DATA.vocabularies
SERVER = NODE_MODULES / "decap-server" / "dist" / "index.js"
LABELS = {f.name: field_label(f, VOCABS) for f in MODEL["cooperation"]}
SUB = {f.name: {s.name: field_label(s, VOCABS) for s in f.fields} for f in MODEL["cooperation"] if f.fields}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_backend(url: str, process: subprocess.Popen, deadline: float = 60.0) -> None:
    """Until decap-server answers Decap's own first request (``info``), or fails."""
    end = time.monotonic() + deadline
    request = urllib.request.Request(url, data=b'{"action":"info"}', headers={"Content-Type": "application/json"})
    while time.monotonic() < end:
        if process.poll() is not None:
            raise AssertionError(f"decap-server s'est arrêté ({process.returncode})")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if json.load(response).get("type") == "local_fs":
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.1)  # not listening yet: try again
    raise AssertionError("decap-server ne répond pas")


@pytest.fixture
def local_editor(tmp_path, fixture_site):
    """(project folder, editor URL): the fixture content in a project copy, decap-server writing
    into it, and the built site's /admin/ pointed at that server."""
    from project_copy import make_project

    project = make_project(tmp_path / "project", FIXTURES).parent
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api/v1"
    env = {**os.environ, "PORT": str(port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(project), "LOG_LEVEL": "warn"}
    process = subprocess.Popen(["node", str(SERVER)], env=env, cwd=project,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_backend(api, process)
        site = tmp_path / "site"
        shutil.copytree(fixture_site.root, site)
        config_path = site / "admin" / "config.yml"
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        assert config["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}  # what `make editer` starts
        config["local_backend"] = {"url": api}
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        with LocalServer(site) as server:
            yield project, urljoin(server.url, "admin/")
    finally:
        process.terminate()
        process.wait(timeout=30)


class Form:
    """The Decap form on a page, driven by the labels a person reads."""

    def __init__(self, page):
        self.page = page

    def control(self, label, nth=-1):
        return self.page.locator("label", has_text=label).nth(nth).get_attribute("for")

    def fill(self, label, value, nth=-1):
        self.page.locator(f"[id='{self.control(label, nth)}']").fill(value)

    def select(self, label, option):
        self.page.locator(f"label[for='{self.control(label)}']").locator(
            "xpath=following::div[contains(@class,'control')][1]").click()
        self.page.get_by_text(option, exact=True).last.click()

    def add(self, label):
        self.page.get_by_role("button", name=f"Ajouter {label.lower()}").last.click()

    def publish(self):
        """Decap's local backend has no editorial workflow: « Publier », then « Publier maintenant »."""
        self.page.get_by_role("button", name="Publier").first.click()
        self.page.get_by_text("Publier maintenant", exact=True).click()


def _open(chromium, url):
    page = chromium.new_page(viewport={"width": 1280, "height": 1000})
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.get_by_role("button", name="Se connecter").click()  # the local backend: no account
    page.get_by_text("Coopérations", exact=True).first.wait_for(timeout=30000)
    return page, errors


def _preview_text(page, until: str, deadline: float = 30.0) -> str:
    """The preview pane's text (Decap draws it in a frame of its own), once ``until`` shows in it
    (the official names arrive after the first drawing), or at the deadline."""
    end = time.monotonic() + deadline
    while True:
        text = "\n".join(frame.locator("body").inner_text() for frame in page.frames[1:]) or \
            page.locator("body").inner_text()
        if until in text or time.monotonic() > end:
            return text
        page.wait_for_timeout(100)


def _wait_for_new_file(folder, existing, deadline=30.0):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        new = set(folder.iterdir()) - existing
        if new:
            assert len(new) == 1, new
            return new.pop()
        time.sleep(0.1)  # decap-server writes the file once Decap's request arrives
    raise AssertionError("aucun fichier écrit dans " + str(folder))


def _kb(project, *args):
    return subprocess.run([sys.executable, "-m", "kb", "--projet", str(project), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})


def test_a_cooperation_created_in_the_editor_is_valid_and_published(chromium, local_editor):
    project, url = local_editor
    title = "Coopération saisie dans l'éditeur local"
    types = VOCABS["types_territoire"].terms
    theme = next(iter(VOCABS["themes"].terms.values()))
    statut = VOCABS["statuts"].terms["en-cours"]
    page, errors = _open(chromium, url)
    page.goto(url + "#/collections/cooperations/new")
    form = Form(page)
    page.get_by_label(LABELS["titre"], exact=True).wait_for(timeout=30000)
    form.fill(LABELS["titre"], title, 0)
    form.fill(LABELS["resume"], "Une commune et un pays d'essai coopèrent sur l'énergie.", 0)
    partner = SUB["territoires"]
    # a commune known by its official code only: the editor names it, the site gives its official name
    form.add(LABELS["territoires"])
    form.select(partner["type"], types["commune"].label)
    unknown = page.get_by_text("Aucun territoire officiel n'a ce code (commune, intercommunalité, département ou "
                               "région).", exact=True)
    form.fill(partner["code"], "29999")  # the shape of a code, but no commune has it
    unknown.wait_for(timeout=30000)
    form.fill(partner["code"], "2902")  # not a whole code yet: Decap's pattern check says so on saving
    assert unknown.count() == 0
    form.fill(partner["code"], "29024")
    # the official name of the code typed, under the field (never written in the fiche)
    page.get_by_text("Nom officiel : Carhaix-Plouguer (commune)", exact=True).wait_for(timeout=30000)
    # a grouping, by its name: its members are declared once, in data/groupements.yml
    form.add(LABELS["territoires"])
    form.fill(partner["nom"], "Pays du Centre Ouest Bretagne")
    form.select(partner["type"], types["petr-pays"].label)
    form.select(LABELS["themes"], theme.label)
    form.select(LABELS["statut"], statut.label)
    form.fill(LABELS["debut"], "2021-03")
    form.add(LABELS["sources"])
    form.select(f"{SUB['sources']['document']} (optionnel)", "Rapport d'essai sur les alliances")
    form.add(LABELS["documents"])
    form.fill(SUB["documents"]["titre"], "Convention de coopération signée")
    form.fill(f"{SUB['documents']['date']} (optionnel)", "2021-03-15")
    page.locator("[data-slate-editor='true']").first.click()
    page.keyboard.type("Un texte écrit dans l'éditeur local.")
    preview = _preview_text(page, until="Carhaix-Plouguer")
    folder = project / "content" / "cooperations"
    existing = set(folder.iterdir())
    form.publish()
    written = _wait_for_new_file(folder, existing)
    # the saved fiche opened again: its partners listed by their summaries
    page.goto(url + f"#/collections/cooperations/entries/{written.stem}")
    page.get_by_text("Pays du Centre Ouest Bretagne", exact=True).first.wait_for(timeout=30000)
    form_text = page.locator("body").inner_text()
    page.close()
    assert errors == []
    # the commune without a usual name is named by the official name of its code, never « No nom »
    assert "No nom" not in form_text and "Carhaix-Plouguer (nom officiel du code 29024)" in form_text, form_text
    # the preview speaks as the site does: labels, not identifiers, and the commune given by
    # its code only under its official name
    assert "Carhaix-Plouguer" in preview, preview
    assert types["petr-pays"].label in preview and statut.label in preview and "petr-pays" not in preview

    check = _kb(project, "check", str(project / "content"))
    assert check.returncode == 0, check.stdout + check.stderr
    data = read_text(written.read_text(encoding="utf-8")).data
    assert [p.get("code") for p in data["territoires"]] == ["29024", None]
    assert data["territoires"][1] == {"nom": "Pays du Centre Ouest Bretagne", "type": "petr-pays"}
    assert data["debut"] == "2021-03" and data["documents"][0]["date"] == "2021-03-15"
    assert data["sources"] == [{"document": "rapport-essai"}]

    built = _kb(project, "build", "--config-file", str(project / "mkdocs.yml"), "--site-dir",
                str(project.parent / "built"))
    assert built.returncode == 0, built.stdout + built.stderr
    # Decap's slug of the title (« l'éditeur » -> « lediteur »): another identifier than
    # `make nouvelle-cooperation` would give (« l-editeur »), as valid
    assert written.stem in (identifier(title), identifier(title.replace("'", "")))
    html = (project.parent / "built" / "cooperations" / written.stem / "index.html").read_text(encoding="utf-8")
    main = BeautifulSoup(html, "lxml").select_one("article")
    assert main.select_one("h1").get_text(strip=True) == title
    text = main.get_text(" ")
    assert "Carhaix-Plouguer" in text  # the official name of the code, not typed by anyone
    assert "Pays du Centre Ouest Bretagne" in text and "Convention de coopération signée" in text


def test_an_existing_fiche_saved_in_the_editor_keeps_every_other_line(chromium, local_editor):
    """Decap's local backend saves only what changed (an unchanged fiche cannot be saved: its
    « Publier » button stays « Publiée »). One word added to the title: the file written back
    has every other field with the same value, the same body, and differs in its text only in
    the ways named below."""
    project, url = local_editor
    path = project / "content" / "cooperations" / "brest-centre-bretagne.md"
    before = path.read_text(encoding="utf-8")
    page, errors = _open(chromium, url)
    page.goto(url + "#/collections/cooperations/entries/brest-centre-bretagne")
    title = page.get_by_label(LABELS["titre"], exact=True).first
    title.wait_for(timeout=30000)
    assert page.get_by_role("button", name="Publiée").count() == 1  # nothing to save yet
    _add_to_title_and_save(page, title, path, " (relue)")
    assert errors == []
    after = path.read_text(encoding="utf-8")
    assert after != before
    old, new = read_text(before), read_text(after)
    # the same fields, in the order of the model (the form's order), the same values as the
    # project reads them (all text), the title with its added word, the body untouched
    assert list(new.data) == [f.name for f in MODEL["cooperation"] if f.name in old.data]
    assert new.data == {**old.data, "titre": old.data["titre"] + " (relue)"}
    assert new.body == old.body
    # what changes in the text, and the project accepts: fields in the model's order (as in
    # `make nouvelle-cooperation` and the guide), a list written one item per line
    # (« themes: [energie, sante] » becomes « themes: » then « - energie »…) and folds a line
    # longer than 80 characters; both read the same, and the fiche stays valid
    assert "themes:\n  - energie\n  - sante\n" in after and "themes: [energie, sante]" in before
    assert all(len(line) <= 80 for line in new.front_matter.splitlines())
    check = _kb(project, "check", str(project / "content"))
    assert check.returncode == 0, check.stdout + check.stderr


def _add_to_title_and_save(page, title, path, words: str) -> None:
    """Type ``words`` at the end of the title field, publish, and wait until decap-server has
    rewritten ``path`` (it does once Decap's request arrives); the page is then closed."""
    title.press("End")
    title.type(words)
    mtime = path.stat().st_mtime_ns
    Form(page).publish()
    end = time.monotonic() + 30
    while time.monotonic() < end and path.stat().st_mtime_ns == mtime:
        time.sleep(0.1)
    page.close()


def test_the_editor_names_a_partner_given_by_its_code_only(chromium, local_editor):
    """An existing fiche whose partner has an official code and no usual name: the folded list
    of partners shows the official name of the code (from the editor's own file of official
    names); saved with another change, the file gets no name that was not in it."""
    project, url = local_editor
    path = project / "content" / "cooperations" / "brest-centre-bretagne.md"
    path.write_text(path.read_text(encoding="utf-8").replace("  - nom: Brest métropole\n    type: metropole\n",
                                                             "  - type: metropole\n"), encoding="utf-8")
    before = read_text(path.read_text(encoding="utf-8")).data
    assert "nom" not in before["territoires"][0] and before["territoires"][0]["code"] == "242900314"
    page, errors = _open(chromium, url)
    page.goto(url + "#/collections/cooperations/entries/brest-centre-bretagne")
    named = page.get_by_text("Brest Métropole (nom officiel du code 242900314)", exact=True)
    named.wait_for(timeout=30000)
    assert named.is_visible()
    grouping = page.get_by_text("Pays du Centre Ouest Bretagne", exact=True).first
    assert grouping.is_visible()  # a partner with a usual name keeps it
    # unfolded, the code's field says whose code it is
    named.locator("xpath=preceding-sibling::*[1]").locator("button").first.click()  # the item's chevron
    page.get_by_text("Nom officiel : Brest Métropole (intercommunalité)", exact=True).wait_for(timeout=30000)
    title = page.get_by_label(LABELS["titre"], exact=True).first
    _add_to_title_and_save(page, title, path, " (relue)")
    assert errors == []
    after = path.read_text(encoding="utf-8")
    assert "kb_nom_affiche" not in after and "Brest Métropole" not in after
    assert read_text(after).data["territoires"] == before["territoires"]
