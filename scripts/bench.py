"""Benchmark: build cost of the knowledge base against plain MkDocs, at 500, 1,000 and 5,000 cases.

    python scripts/bench.py                                  # make bench: writes BENCHMARKS.md
    python scripts/bench.py --sizes 200 --no-write --no-serve --no-transfer   # a quick look

For each size N:

1. N valid synthetic cases are generated (``generate_content``), with N/10
   recommendations and N/100 source documents; ``python -m kb check`` must accept them;
2. the project is built by ``mkdocs build --strict`` through its hooks (one
   BuildSession, kb.assemble.session), in a child process, once with
   ``KB_PARALLELE=0`` (one process) and once with ``KB_PARALLELE=1`` (the process
   pool of kb.assemble.parallel); the hooks' events and the Markdown extension are
   timed in the child, the search index (Pagefind, written by ``on_post_build``)
   apart;
3. the equivalent plain MkDocs project is built, in a child process too: the same
   pages (the Markdown the session gives MkDocs), the published files and media,
   the same theme, overrides, navigation and Markdown extensions, without the
   hooks and without the project's Markdown extension (kb.adapters.export.plain_config);
4. the kinds are built alternately, ``--builds`` times each (3); the report gives
   every duration and the medians, the peak memory of the child process and the
   size of the output;
5. the bytes of one search query are measured in Chromium (scripts/search_transfer.py);
6. on a copy of the real content, then at 1,000 cases, ``mkdocs serve`` is started, a
   case's page opened in Chromium and the case edited three times: the time from saving
   to the end of the page's reload in the browser, and to the server's "Reloading
   browsers" line (a full rebuild, search index included).

The last line printed is the 5,000-case ratio (project build / plain build).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = (500, 1000, 5000)
SERVE_SIZE = 1000
BUILDS = 3
QUERY = "coopération énergie"
SEED = 20261122
# what is built, in this order for each round: (name, KB_PARALLELE or None for plain MkDocs)
KINDS = {"projet": "0", "projet-parallele": "1", "mkdocs-seul": None}

# --- 1. Synthetic content -----------------------------------------------------------------

WORDS = ("territoire coopération transition énergie alimentation mobilité habitants élus agents réseau "
         "métropole commune intercommunalité projet contrat réciprocité filière bois circuits courts "
         "logement santé emploi formation eau biodiversité paysage agriculture foncier gouvernance "
         "financement ingénierie mutualisation échange diagnostic dépendance ressource solidarité "
         "partenaire convention comité pilotage calendrier étude atelier séminaire carte flux besoin "
         "service public équipement chaleur réseau mobilité covoiturage transport ferroviaire marché "
         "producteurs cantine restauration collective méthanisation photovoltaïque éolien sobriété "
         "rénovation tourisme culture patrimoine numérique tiers-lieu coworking économie sociale").split()
SUFFIXES = ("Nord", "Sud", "Est", "Ouest", "des Vallées", "du Plateau", "des Coteaux", "du Littoral",
            "des Monts", "de la Plaine", "du Bocage", "des Lacs", "du Val", "des Forêts", "Centre")
# Groupings and actors: territories without an official code (a commune, an EPCI, a
# département or a région must carry a real one, kb.content.identity), placed by their
# département like the real groupings whose members are not known.
TYPES = ("petr-pays", "parc-naturel-regional", "pole-metropolitain", "syndicat-mixte", "territoire-de-projet",
         "petr-pays", "association", "agence-urbanisme")


# --- 1. Synthetic content -----------------------------------------------------------------

def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(_sentence(rng, rng.randint(9, 18)) for _ in range(sentences))


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def write_groupings(data_dir: Path, territories: list[dict]) -> None:
    """data/groupements.yml beside the synthetic content: the project's groupings, then every
    synthetic one (a fiche may only name a grouping the file declares), of unknown composition
    like the real groupings whose members are not known."""
    from slugify import slugify

    from kb.content.identity import GROUPING, category

    lines = [(ROOT / "data" / "groupements.yml").read_text(encoding="utf-8").rstrip("\n"), ""]
    for t in territories:
        if category(t["type"]) == GROUPING:
            lines += [f"{slugify(t['nom'])}:", f"  nom: {_yaml(t['nom'])}", f"  type: {t['type']}",
                      f"  departements: [{_yaml(t['departement'])}]",
                      '  composition_inconnue: "Groupement fictif du banc de mesure."', ""]
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "groupements.yml").write_text("\n".join(lines), encoding="utf-8")


def generate_content(target: Path, n_cases: int, seed: int = SEED) -> dict:
    """Write a valid content folder with ``n_cases`` cases; returns counts."""
    from kb.content.vocab import load_departements, load_vocabularies

    rng = random.Random(seed + n_cases)
    vocab = load_vocabularies(ROOT / "data")
    terms = {name: list(v.terms) for name, v in vocab.items()}
    deps = sorted(load_departements(ROOT / "data").items())
    labels = vocab["types_territoire"].terms

    # territories: a pool shared between cases, a few per département
    n_territories = max(60, n_cases * 3 // 4)
    territories = []
    for i in range(n_territories):
        code, dep = deps[i % len(deps)]
        kind = TYPES[(i * 7 + i // len(deps)) % len(TYPES)]
        suffix = SUFFIXES[(i // len(deps)) % len(SUFFIXES)]
        rank = i // (len(deps) * len(SUFFIXES))
        name = f"{labels[kind].label} {dep.name} {suffix}" + (f" {rank + 1}" if rank else "")
        territories.append({"nom": name, "type": kind, "region": dep.region, "departement": code})
    by_region: dict[str, list[int]] = {}
    for i, t in enumerate(territories):
        by_region.setdefault(t["region"], []).append(i)

    n_recos = max(20, n_cases // 10)
    n_docs = max(5, n_cases // 100)
    case_ids = [f"cas-{i:05d}" for i in range(n_cases)]
    reco_ids = [f"recommandation-{i:04d}" for i in range(n_recos)]
    doc_ids = [f"document-{i:03d}" for i in range(n_docs)]

    shutil.rmtree(target, ignore_errors=True)
    for folder in ("cooperations", "recommandations", "sources", "methode"):
        (target / folder).mkdir(parents=True, exist_ok=True)
    write_groupings(target.parent / "data", territories)

    for i, did in enumerate(doc_ids):
        (target / "sources" / f"{did}.md").write_text(
            f"---\ntitre: {_yaml(f'Rapport {i + 1} sur les alliances territoriales')}\n"
            f"editeur: {_yaml(rng.choice(['Agence d’urbanisme', 'Réseau rural', 'Fabrique des transitions']))}\n"
            f"date: {2015 + i % 10}-0{1 + i % 9}\nurl: https://example.org/rapport-{i + 1}.pdf\n"
            f"resume: {_yaml(_sentence(rng, 20))}\nchiffres_cles:\n  - {_yaml(f'{rng.randint(10, 900)} participants')}\n"
            f"---\n\n{_paragraph(rng, 6)}\n", encoding="utf-8")

    reco_links: dict[str, list[str]] = {r: [] for r in reco_ids}
    for i, cid in enumerate(case_ids):
        first = rng.randrange(n_territories)
        region = territories[first]["region"]
        partners = [first]
        while len(partners) < rng.randint(2, 4):
            pool = by_region[region] if rng.random() < .7 else range(n_territories)
            pick = rng.choice(pool)
            if pick not in partners:
                partners.append(pick)
        recos = rng.sample(reco_ids, rng.randint(0, 2))
        for r in recos:
            reco_links[r].append(cid)
        others = rng.sample(case_ids, 2)
        lines = ["---", f"titre: {_yaml(f'Coopération {i + 1} : ' + _sentence(rng, 6)[:-1])}",
                 f"resume: {_yaml(_sentence(rng, 22))}", "territoires:"]
        for p in partners:
            t = territories[p]
            lines += [f"  - nom: {_yaml(t['nom'])}", f"    type: {t['type']}", f"    region: {t['region']}",
                      f"    departement: {_yaml(t['departement'])}"]
        lines += [f"themes: [{', '.join(rng.sample(terms['themes'], rng.randint(1, 3)))}]",
                  f"finalites: [{', '.join(rng.sample(terms['finalites'], rng.randint(0, 2)))}]",
                  f"portages: [{rng.choice(terms['portages'])}]",
                  f"temporalite: {rng.choice(terms['temporalites'])}",
                  f"intensite: {rng.choice(terms['intensites'])}",
                  f"fonctions: [{', '.join(rng.sample(terms['fonctions'], rng.randint(1, 2)))}]",
                  f"leviers: [{', '.join(rng.sample(terms['leviers'], rng.randint(1, 2)))}]",
                  f"annee: {rng.randint(2005, 2025)}", f"statut: {rng.choice(terms['statuts'])}",
                  f"date_ajout: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                  f"date_revue: 2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                  "sources:", f"  - document: {rng.choice(doc_ids)}", f"    section: {_yaml(_sentence(rng, 4))}",
                  f"  - titre: {_yaml(_sentence(rng, 5)[:-1])}", "    editeur: Collectivité partenaire",
                  f"    date: \"{rng.randint(2010, 2025)}\"", f"    url: https://example.org/cas/{cid}.pdf"]
        if recos:
            lines.append(f"recommandations: [{', '.join(recos)}]")
        lines += ["---", "", "## Contexte", "", _paragraph(rng, 6), "",
                  "## Ce que fait la coopération", "", _paragraph(rng, 5), "",
                  f"- {_sentence(rng, 8)}", f"- {_sentence(rng, 8)}", f"- **{_sentence(rng, 6)}**", "",
                  "## Ce qui reste à faire", "",
                  f"{_paragraph(rng, 3)} Voir aussi [une coopération voisine]({others[0]}.md) et "
                  f"[une autre]({others[1]}.md).", ""]
        (target / "cooperations" / f"{cid}.md").write_text("\n".join(lines), encoding="utf-8")

    for i, rid in enumerate(reco_ids):
        lines = ["---", f"titre: {_yaml(f'Recommandation {i + 1} : ' + _sentence(rng, 5)[:-1])}",
                 f"resume: {_yaml(_sentence(rng, 18))}",
                 f"audiences: [{', '.join(rng.sample(terms['audiences'], rng.randint(1, 3)))}]",
                 f"axe: {rng.choice(terms['axes'])}"]
        if i % 2 == 0:
            lines += [f"arreter: {_yaml(_sentence(rng, 7))}", f"commencer: {_yaml(_sentence(rng, 7))}"]
        lines += ["sources:", f"  - document: {rng.choice(doc_ids)}"]
        extra = [c for c in rng.sample(case_ids, 2) if c not in reco_links[rid]]
        if extra:
            lines.append(f"cooperations: [{', '.join(extra)}]")
        lines += ["date_ajout: 2026-03-01", "---", "", _paragraph(rng, 4), ""]
        (target / "recommandations" / f"{rid}.md").write_text("\n".join(lines), encoding="utf-8")

    (target / "a-propos.md").write_text("---\ntitre: À propos\n---\n\nBase de mesure synthétique.\n",
                                        encoding="utf-8")
    (target / "methode" / "diagnostic.md").write_text(
        f"---\ntitre: Diagnostic des dépendances\n---\n\n{_paragraph(rng, 5)}\n", encoding="utf-8")
    if (ROOT / "content" / "accessibilite.md").exists():
        shutil.copy2(ROOT / "content" / "accessibilite.md", target / "accessibilite.md")
    return {"cases": n_cases, "recommendations": n_recos, "documents": n_docs, "territories": n_territories}


# --- 2-3. The two projects ------------------------------------------------------------------

def make_project(root: Path) -> Path:
    """A project folder (mkdocs.yml + links to the project's code, a copy of its data: the build
    refuses links in data/) around root/content."""
    root.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        if entry.name in ("content", ".git", ".venv", "mkdocs.yml") or entry.name.startswith("site"):
            continue
        if entry.name == "data":  # the project's data files, but the synthetic groupings kept
            (root / "data").mkdir(exist_ok=True)
            for item in entry.iterdir():
                if item.is_file() and not (root / "data" / item.name).exists():
                    shutil.copy2(item, root / "data" / item.name)
        elif not (root / entry.name).exists():
            (root / entry.name).symlink_to(entry)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root / "mkdocs.yml"


def make_plain_project(root: Path, project: Path) -> Path:
    """The equivalent plain MkDocs project: the pages a BuildSession gives MkDocs (the same
    Markdown), the published files and media, the project's mkdocs.yml without hooks and
    without the project's Markdown extension (kb.adapters.export.plain_config)."""
    from kb.adapters.export import _dump, plain_config, write_site
    from kb.assemble.session import BuildSession
    from kb.infra.settings import Settings

    settings = Settings.from_project(project)
    site = BuildSession(settings).prepare()
    docs = root / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    write_site(site, settings.content_dir, docs)
    config = plain_config(settings.config_file.read_text(encoding="utf-8"))
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    config["not_in_nav"] = "\n".join(f"/{page.path}" for page in site.pages if not page.in_nav)
    out = root / "mkdocs.yml"
    out.write_text(_dump(config), encoding="utf-8")
    return out


# --- 4. Builds, each in a child process ------------------------------------------------------

def _child_build(config: str, site: str, hooked: bool) -> dict:
    """In a child process: one `mkdocs build`, timed; for the project, its hook events
    and its Markdown extension timed too (the search index is the on_post_build event)."""
    import logging

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    start = time.perf_counter()
    cfg = load_config(config_file=config, site_dir=site, strict=hooked)
    own: dict[str, float] = {}

    def timed(function, name):
        own.setdefault(name, 0.0)

        def wrapper(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                own[name] += time.perf_counter() - t0
        return wrapper

    if hooked:
        for event, methods in cfg.plugins.events.items():
            for i, method in enumerate(methods):
                if "kb_hooks" in (getattr(method, "__module__", "") or ""):
                    methods[i] = timed(method, event)
        from kb.adapters.islands import IslandPreprocessor
        import kb.search.index

        IslandPreprocessor.run = timed(IslandPreprocessor.run, "islands")
        build_index = kb.search.index.build_index

        def index_after_pool(*args, **kwargs):  # the session closes its pool before the index
            marks["build_cpu_seconds"] = _cpu()
            return build_index(*args, **kwargs)

        kb.search.index.build_index = index_after_pool
    marks: dict[str, float] = {}
    build(cfg)
    seconds = time.perf_counter() - start
    me = resource.getrusage(resource.RUSAGE_SELF)
    return {"seconds": seconds, "own": own, "index_seconds": own.get("post_build", 0.0),
            "build_cpu_seconds": marks.get("build_cpu_seconds", _cpu()), "cpu_seconds": _cpu(),
            "peak_rss_kib": me.ru_maxrss}


def _cpu() -> float:
    """Processor seconds of this process and of its children that ended (pool, Pagefind)."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                 resource.getrusage(resource.RUSAGE_CHILDREN)))


def run_child(config: Path, site: Path, parallel: str | None) -> dict:
    """One build of a kind (``parallel``: KB_PARALLELE for the project, None for plain MkDocs)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    if parallel is not None:
        env["KB_PARALLELE"] = parallel
    shutil.rmtree(site, ignore_errors=True)
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--child", str(config), str(site),
                             "plain" if parallel is None else "hooked"], cwd=str(config.parent), env=env,
                            capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if result.returncode:
        raise SystemExit(f"échec de la construction ({config}) :\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report["wall_seconds"] = wall
    report["build_seconds"] = report["seconds"] - report["index_seconds"]  # what plain MkDocs does too
    return report


def tree_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


# --- 5. Search transfer ----------------------------------------------------------------------

def search_transfer(site: Path):
    """Bytes for one query (scripts/search_transfer.py), in a child process (Chromium kept out)."""
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from search_transfer import measure_query_transfer; "
            "print(measure_query_transfer(sys.argv[2], sys.argv[3]))")
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "scripts"), str(site), QUERY],
                            capture_output=True, text=True, timeout=600)
    if result.returncode:
        return "échec : " + (result.stderr.strip().splitlines() or ["?"])[-1]
    return int(result.stdout.strip().splitlines()[-1])


# --- 6. mkdocs serve -------------------------------------------------------------------------

def serve_rebuild(config: Path, case: Path, parallel: str | None, edits: int = 3, timeout: float = 900) -> list[dict]:
    """Under `mkdocs serve --strict --dirty` (what `make serve` runs; KB_PARALLELE=``parallel``, or
    unset), ``edits`` edits of ``case`` in a row, the case's page open in Chromium: for each,
    the seconds from saving the file to the server's "Reloading browsers" line
    (``rebuilt``) and to the end of the page's reload in the browser (``reloaded``), the
    edited text then shown."""
    from playwright.sync_api import sync_playwright

    from kb.infra.localsite import launch_chromium

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if parallel is None:
        env.pop("KB_PARALLELE", None)
    else:
        env["KB_PARALLELE"] = parallel
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--strict", "--dirty", "-f", str(config),
                             "-a", f"127.0.0.1:{port}"], cwd=str(config.parent), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[tuple[float, str]] = []
    ready = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append((time.perf_counter(), line.rstrip()))
            if "Serving on" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    original = case.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/cooperations/{case.stem}/"
    try:
        deadline = time.perf_counter() + timeout
        while not ready.wait(0.2) and proc.poll() is None and time.perf_counter() < deadline:
            pass
        if not ready.is_set():
            raise SystemExit("mkdocs serve n'a pas démarré :\n" + "\n".join(l for _, l in lines[-30:]))
        durations = []
        with sync_playwright() as p:
            browser = launch_chromium(p)
            page = browser.new_page()
            page.goto(url, wait_until="load")
            for i in range(edits):
                time.sleep(2.0)  # the server's file watcher settled (not part of the measure)
                marker = f"Une phrase ajoutée pendant la mesure ({i})."
                seen, t0 = len(lines), time.perf_counter()
                with page.expect_event("load", timeout=timeout * 1000):  # the reload the server asks for
                    case.write_text(original + f"\n{marker}\n", encoding="utf-8")
                reloaded = time.perf_counter() - t0
                if marker not in page.content():
                    raise SystemExit("la page rechargée ne montre pas la modification")
                durations.append({"rebuilt": _reloaded(lines, seen, t0, timeout), "reloaded": reloaded})
            browser.close()
        return durations
    finally:
        case.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _reloaded(lines: list, seen: int, t0: float, timeout: float) -> float:
    while time.perf_counter() < t0 + timeout:
        for stamp, line in lines[seen:]:
            if "Reloading browsers" in line:
                return stamp - t0
            if "ERROR" in line or "Aborted" in line:
                raise SystemExit("reconstruction en échec : " + line)
        time.sleep(0.02)
    raise SystemExit("pas de reconstruction dans le délai")


def real_content_preview(work: Path) -> dict:
    """The preview on a copy of the project's own content/ (its first case edited)."""
    root = work / "reel"
    config = make_project(root)
    shutil.copytree(ROOT / "content", root / "content", dirs_exist_ok=True)
    cases = sorted((root / "content" / "cooperations").glob("*.md"))
    print(f"[contenu réel] mkdocs serve ({len(cases)} fiches)…", flush=True)
    return {"n": len(cases), "durations": serve_rebuild(config, cases[0], None)}


# --- One size --------------------------------------------------------------------------------

def measure(n: int, work: Path, kinds: list[str], builds: int, serve: bool, transfer: bool,
            progress=lambda result: None) -> dict:
    """Every measure at ``n`` cases; ``progress(result so far)`` after each build. The content
    and the plain project are kept in ``work`` and reused by a later run on the same folder."""
    root = work / f"n{n}"
    config, plain, ready = root / "projet" / "mkdocs.yml", root / "plain" / "mkdocs.yml", root / "pret.json"
    if ready.exists():
        counts = json.loads(ready.read_text(encoding="utf-8"))
    else:
        shutil.rmtree(root, ignore_errors=True)
        make_project(root / "projet")
        counts = generate_content(root / "projet" / "content", n)
        check = subprocess.run([sys.executable, "-m", "kb", "check", str(root / "projet" / "content")],
                               capture_output=True, text=True, cwd=ROOT)
        if check.returncode:
            raise SystemExit(f"contenu synthétique invalide :\n{check.stdout[-3000:]}")
        make_plain_project(root / "plain", root / "projet")
        ready.write_text(json.dumps(counts), encoding="utf-8")
    out = {"n": n, "counts": counts, "runs": {k: [] for k in kinds}, "sizes": {}, "pages": 0}
    for i in range(builds):  # alternately: a slow spell of the shared machine touches every kind
        for kind in kinds:
            print(f"[{n}] {kind} ({i + 1}/{builds})…", flush=True)
            parallel, site = KINDS[kind], root / f"site-{kind}"
            run = run_child(plain if parallel is None else config, site, parallel)
            out["runs"][kind].append(run)
            out["sizes"][kind] = tree_size(site)
            out["pages"] = out["pages"] or len(list(site.rglob("*.html")))
            print(f"[{n}] {kind} : {run['build_seconds']:.2f} s, {run['build_cpu_seconds']:.2f} s de CPU "
                  f"(+ index {run['index_seconds']:.2f} s)", flush=True)
            progress(out)
    hooked = next((k for k in kinds if KINDS[k] is not None), None)
    if transfer and hooked:
        out["search_bytes"] = search_transfer(root / f"site-{hooked}")
    if serve:
        case = sorted((root / "projet" / "content" / "cooperations").glob("*.md"))[n // 2]
        out["serve"] = {}
        for parallel in ("0", "1"):
            print(f"[{n}] mkdocs serve, KB_PARALLELE={parallel}…", flush=True)
            out["serve"][parallel] = serve_rebuild(config, case, parallel)
    for kind in kinds:
        shutil.rmtree(root / f"site-{kind}", ignore_errors=True)
    return out


# --- Report (in French, like the rest of the documentation) ---------------------------------

LABELS = {"projet": "Projet, un processus", "projet-parallele": "Projet, avec pool",
          "mkdocs-seul": "MkDocs seul"}
EVENTS = {"config": "on_config (lecture, validation, graphe, liste des pages, fichiers publiés)",
          "files": "on_files (liste des fichiers ; avec le pool, envoi du rendu des pages)",
          "page_markdown": "on_page_markdown (rendu Jinja2 des pages, ou avec le pool leur reprise)",
          "islands": "extension Markdown des îlots",
          "page_content": "on_page_content (glossaire et nettoyage nh3 de chaque page ; ancres)",
          "post_build": "on_post_build (index Pagefind)"}


READER_SECTION = "## Côté lecteur"  # written by scripts/reader_bench.py --write
COVERAGE_SECTION = "## Ma commune"  # written by scripts/commune_coverage.py --write


def _n(n: float) -> str:
    return f"{n:,}".replace(",", "\u202f")  # French thousands separator


def _s(x: float) -> str:
    return "—" if x != x else f"{x:.2f} s".replace(".", ",")  # x != x: NaN, no measure


def _mib(kib: float) -> str:
    return "—" if kib != kib else f"{_n(round(kib / 1024))} Mio"


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} Mio".replace(".", ",")


def med(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs) if runs else float("nan")


def ratio(result: dict, kind: str, key: str = "build_seconds") -> float | None:
    runs = result["runs"]
    if kind not in runs or "mkdocs-seul" not in runs:
        return None
    return med(runs[kind], key) / med(runs["mkdocs-seul"], key)


def _q(x: float | None) -> str:
    return "—" if x is None or x != x else f"{x:.2f}".replace(".", ",")


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
        memory = f", {round(int(mem.split()[1]) / 1024 / 1024)} Gio de mémoire"
    except (OSError, StopIteration, ValueError):
        memory = ""
    from importlib.metadata import version

    packages = ", ".join(f"{p} {version(p)}" for p in ("mkdocs", "mkdocs-material", "markdown", "nh3", "pagefind"))
    return (f"{os.cpu_count()} cœurs ({model}){memory}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()} ; {packages}")


def machine_note(context: dict) -> str:
    """How loaded the machine was: the load averages at the start and end of each command."""
    loads = " ; ".join(f"{a:.1f} puis {b:.1f}".replace(".", ",") for a, b in context["loads"])
    quiet = all(max(a, b or 0) < 2.5 for a, b in context["loads"])
    return (f"**Charge de la machine.** Elle a {os.cpu_count()} cœurs ; charge moyenne du système sur une "
            f"minute, au début et à la fin de chaque commande : {loads}."
            + (" Aucune autre construction ni aucun test ne tournait." if quiet else
               " Quand d'autres constructions ou tests tournent en même temps, les durées absolues sont "
               "bruitées.")
            + (f" {context['note']}" if context.get("note") else "")
            + " Chaque taille est construite une ou plusieurs fois de chaque sorte (`--builds`), en alternant "
            "les sortes, et les tableaux donnent les médianes ; toutes les durées suivent.")


def report(results: list[dict], context: dict) -> str:
    kinds = [k for k in KINDS if any(r["runs"].get(k) for r in results)]
    hooked = [k for k in kinds if KINDS[k] is not None]
    lines = [
        "# Mesures de performance", "",
        f"Mesuré le {', '.join(context['dates'])} sur cette machine : {context['machine']}. Pour reproduire :",
        "", "```sh", *context["commands"], "```", "",
        machine_note(context), "",
        "Contenu synthétique (`generate_content` dans scripts/bench.py) : N coopérations valides (acceptées par "
        "`python -m kb check`), des territoires réalistes partagés entre fiches (noms, types, régions et "
        "départements tirés de data/departements.yml), des termes de data/vocabulaires.yml, deux liens vers "
        "d'autres fiches dans chaque texte, N/10 recommandations et N/100 documents sources liés aux fiches.", "",
        "Ce qui est construit, chaque fois dans un processus à part (`mkdocs build`, chronométré dans ce "
        "processus, du chargement de `mkdocs.yml` à la fin) :", "",
        "- **Projet** : `mkdocs build --strict` avec les hooks du projet (une `BuildSession`, "
        "kb/assemble/session.py), l'extension Markdown des îlots et l'index de recherche Pagefind écrit à la fin "
        "(`on_post_build`). « Un processus » : `KB_PARALLELE=0` ; « avec pool » : `KB_PARALLELE=1` "
        "(kb/assemble/parallel.py). La durée de construction comparée exclut l'index de recherche, que MkDocs "
        "seul ne fait pas : il est compté à part.",
        "- **MkDocs seul** : les mêmes pages (le Markdown que la session donne à MkDocs, écrit en fichiers), "
        "les fichiers publiés et les médias, avec le même thème, les mêmes surcharges, la même navigation et "
        "les mêmes extensions Markdown, sans les hooks et sans l'extension des îlots "
        "(`plain_config` de kb/adapters/export.py), sans `--strict`.", "",
        "## Construction", "",
        "Durée de la construction (médianes ; pour le projet, sans l'index de recherche) et rapport à MkDocs "
        "seul :", "",
        "| Fiches | Pages | " + " | ".join(LABELS[k] for k in kinds)
        + "".join(f" | Rapport, {LABELS[k][8:]}" for k in hooked) + " |",
        "|---:|---:|" + "---:|" * (len(kinds) + len(hooked)),
    ]
    for r in results:
        lines.append(f"| {_n(r['n'])} | {_n(r['pages'])} | "
                     + " | ".join(_s(med(r["runs"].get(k, []), "build_seconds")) for k in kinds)
                     + "".join(f" | {_q(ratio(r, k))}" for k in hooked) + " |")
    lines += ["", "Temps de processeur de la même construction (médianes ; processus de MkDocs et, avec le pool, "
              "ses processus ; sans l'index de recherche). Il dépend bien moins que la durée des autres "
              "programmes qui tournent sur la machine, mais ne montre pas ce que gagne le travail en parallèle :",
              "", "| Fiches | " + " | ".join(LABELS[k] for k in kinds)
              + "".join(f" | Rapport, {LABELS[k][8:]}" for k in hooked) + " |",
              "|---:|" + "---:|" * (len(kinds) + len(hooked))]
    for r in results:
        lines.append(f"| {_n(r['n'])} | " + " | ".join(_s(med(r["runs"].get(k, []), "build_cpu_seconds")) for k in kinds)
                     + "".join(f" | {_q(ratio(r, k, 'build_cpu_seconds'))}" for k in hooked) + " |")
    lines += ["", "Index de recherche (Pagefind, écrit par `on_post_build` ; médianes), mémoire (pic du processus "
              "de construction, getrusage : " + " / ".join(LABELS[k] for k in kinds) + ") et taille du site "
              "(tout le dossier ; index de recherche compris pour le projet) :", "",
              "| Fiches | Index de recherche | Mémoire | Taille du site |", "|---:|---:|---:|---:|"]
    for r in results:
        runs = r["runs"]
        index = " ; ".join(_s(med(runs.get(k, []), "index_seconds")) for k in hooked)
        memory = " / ".join(_mib(med(runs.get(k, []), "peak_rss_kib")) for k in kinds)
        size = " / ".join(_size(r["sizes"][k][0]) if k in r["sizes"] else "—" for k in kinds)
        lines.append(f"| {_n(r['n'])} | {index} | {memory} | {size} |")
    lines += ["", "Chaque construction, dans l'ordre où elles ont été faites : durée (sans l'index), puis temps de "
              "processeur, et pour le projet l'index de recherche :", ""]
    for r in results:
        for k in kinds:
            series = ", ".join(f"{_s(x['build_seconds'])} / {_s(x['build_cpu_seconds'])}"
                               + (f" + {_s(x['index_seconds'])}" if KINDS[k] else "") for x in r["runs"].get(k, []))
            if series:  # a kind not measured at this size is not listed
                lines.append(f"- {_n(r['n'])} fiches, {LABELS[k].lower()} : {series}")
    lines += ["", "## Où va le temps du projet", "",
              "Part de chaque événement des hooks dans la durée de la construction (médianes des parts, sans "
              "l'index de recherche), dans le processus de MkDocs : la charge de la machine ralentit tout à peu "
              "près également, les parts en dépendent moins que les durées. Avec le pool, le rendu que font ses "
              "processus n'y est pas : `on_page_markdown` reprend le Markdown rendu (ou l'attend) ; le "
              "nettoyage de chaque page se fait dans `on_page_content`, dans le processus de MkDocs.", ""]
    for r in results:
        for k in hooked:
            runs = r["runs"].get(k, [])
            names = [e for e in EVENTS if e != "post_build" and any(e in x["own"] for x in runs)]
            parts = [f"{EVENTS[e]} {_pct(share(runs, e))}" for e in names]
            if runs:
                lines.append(f"- {_n(r['n'])} fiches, {LABELS[k].lower()} : " + " ; ".join(parts)
                             + f" ; le reste, MkDocs lui-même : {_pct(1 - share(runs, *names))}")
    if any("search_bytes" in r for r in results):
        lines += ["", "## Recherche", "",
                  f"Octets reçus par le navigateur pour une requête (« {QUERY} », page « Rechercher », "
                  "scripts/search_transfer.py, Chromium sans interface, serveur local sans compression) :", ""]
        for r in results:
            b = r.get("search_bytes")
            shown = "non mesuré" if b is None else (b if isinstance(b, str) else f"{_n(round(b / 1024))} Kio")
            lines.append(f"- {_n(r['n'])} fiches : {shown}")
    real = context.get("real_preview")
    serve = [r for r in results if "serve" in r]
    if real or serve:
        lines += ["", "## Prévisualisation", "",
                  "`mkdocs serve --strict --dirty` (ce que lance `make serve`), la page d'une fiche ouverte dans "
                  "Chromium, le texte de la fiche modifié trois fois de suite : du moment où la fiche est enregistrée "
                  "à la fin du rechargement de la page par le navigateur (entre parenthèses : à la ligne « Reloading "
                  "browsers » du serveur, qui sonde les fichiers tous les dixièmes de seconde). Chaque modification "
                  "refait toutes les étapes, mais ne rend à nouveau que les pages dont ce qu'elles lisent a changé "
                  "(`kb/assemble/reuse.py`), ne convertit que celles dont le Markdown a changé "
                  "(`kb/assemble/preview.py`) ; Pagefind réindexe tout le site. L'aperçu n'utilise pas le pool : "
                  "`KB_PARALLELE` n'y change rien. Objectif : "
                  f"{_s(PREVIEW_TARGETS['real'])} au contenu réel, {_s(PREVIEW_TARGETS[1000])} à 1 000 fiches.", ""]
        if real:
            lines.append(_preview_line(f"contenu réel ({_n(real['n'])} fiches)", real["durations"],
                                       PREVIEW_TARGETS["real"]))
        for r in serve:
            for parallel, d in r["serve"].items():
                lines.append(_preview_line(f"{_n(r['n'])} fiches ({_n(r['pages'] or 0)} pages), "
                                           f"`KB_PARALLELE={parallel}`", d, PREVIEW_TARGETS.get(r["n"], 3.0)))
    lines += ["", "## Objectif", ""] + targets(results, context) + ["", "## Lecture", ""] + analysis(results)
    return "\n".join(lines) + "\n"


def _preview_line(label: str, durations: list, target: float) -> str:
    reloads = [d["reloaded"] for d in durations]
    median = statistics.median(reloads)
    return (f"- {label} : médiane {_s(median)} — {'atteint' if median <= target else 'non atteint'} ; durées : "
            + ", ".join(f"{_s(d['reloaded']).removesuffix(' s')} ({_s(d['rebuilt']).removesuffix(' s')})"
                        for d in durations) + " s")


def share(runs: list[dict], *events: str) -> float:
    """Median share of the build's duration (search index excluded) spent in these hook events."""
    if not runs:
        return float("nan")
    return statistics.median(sum(x["own"].get(e, 0.0) for e in events) / x["build_seconds"] for x in runs)


def _pct(x: float) -> str:
    return "—" if x != x else f"{100 * x:.0f} %"


def analysis(results: list[dict]) -> list[str]:
    """What the figures say, in words; the numbers come from the results."""
    full = [r for r in results if r["runs"].get("projet") and r["runs"].get("mkdocs-seul")]
    if not full:
        return ["- (pas assez de mesures pour les commenter)"]
    r = full[-1]
    one, plain, pool = r["runs"]["projet"], r["runs"]["mkdocs-seul"], r["runs"].get("projet-parallele", [])
    n = _n(r["n"])
    cpu = med(one, "build_cpu_seconds")

    def part(*events):
        return f"{_pct(share(one, *events))}, environ {_s(cpu * share(one, *events))}"

    out = [
        f"- **D'où vient l'écart avec MkDocs seul.** À {n} fiches, MkDocs seul dépense "
        f"{_s(med(plain, 'build_cpu_seconds'))} de processeur pour les mêmes pages, le projet, dans un seul "
        f"processus, {_s(cpu)}, bien qu'il fasse davantage (parts de la durée de sa construction, et leur "
        f"équivalent en temps de processeur) : lire et valider les fiches, construire le graphe, la liste des "
        f"pages et les fichiers publiés ({part('config')}), rendre les pages avec Jinja2 "
        f"({part('files', 'page_markdown')}), "
        f"nettoyer le HTML de chaque page avec nh3 ({part('page_content')}). MkDocs seul analyse "
        "les grands blocs de HTML des gabarits (deux fois : l'extension md_in_html, puis MkDocs qui y cherche "
        "les ancres) ; le projet les met de côté avant toute analyse (kb.adapters.islands : "
        f"{part('islands')}). C'est ce qui fait l'essentiel de l'écart, sans aucun parallélisme.",
    ]
    if pool:
        from kb.assemble.parallel import THRESHOLD

        gain = 1 - med(pool, "build_seconds") / med(one, "build_seconds")
        extra = med(pool, "build_cpu_seconds") - med(one, "build_cpu_seconds")
        others = [x for x in results if x["runs"].get("projet") and x["runs"].get("projet-parallele")
                  and x is not r]
        elsewhere = " ; ".join(
            f"à {_n(x['n'])} fiches, {_s(med(x['runs']['projet-parallele'], 'build_seconds'))} contre "
            f"{_s(med(x['runs']['projet'], 'build_seconds'))}" for x in others)
        out.append(
            f"- **Rendu et nettoyage en parallèle.** À {n} fiches, la construction avec le pool "
            "(kb/assemble/parallel.py, kb/assemble/ahead.py) "
            f"prend {_s(med(pool, 'build_seconds'))} contre {_s(med(one, 'build_seconds'))} dans un seul "
            f"processus (médianes), soit {abs(100 * gain):.0f} % {'de moins' if gain > 0 else 'de plus'}"
            + (f" ; aux autres tailles, {elsewhere}" if elsewhere else "")
            + f". En temps de processeur, le pool {'coûte un peu plus' if extra > 0 else 'ne coûte pas davantage'} "
            f"({_s(med(pool, 'build_cpu_seconds'))} contre {_s(med(one, 'build_cpu_seconds'))} à {n} fiches), bien "
            "que chaque processus du pool reçoive le graphe et liste les pages une fois, et que les pages et leur "
            "HTML passent d'un processus à l'autre. Le gain a "
            "deux causes : Jinja2 et nh3 travaillent sur le second cœur pendant que MkDocs convertit les pages "
            "(le pool rend le Markdown des pages en avance, par lots, dans l'ordre où MkDocs les lit ; MkDocs "
            "convertit toutes les pages avant d'en écrire une, et le nettoyage se fait pendant ce temps), et, "
            "sur une machine chargée, le pool reçoit sa propre part du processeur. Le pool est donc employé par "
            "défaut à partir de "
            f"{_n(THRESHOLD)} pages (500 fiches en font 1 058) sur une machine d'au moins deux cœurs ; "
            "`KB_PARALLELE=0` l'écarte, `KB_PARALLELE=1` l'impose à toute taille.")
        moved = cpu * share(one, "files", "page_markdown", "page_content")
        out.append(
            f"- **Ce que le pool peut retirer (estimation).** Dans un seul processus, le rendu et le nettoyage "
            f"des pages prennent environ {_s(moved)} de processeur à {n} fiches ; avec le pool, ils se font sur "
            f"l'autre cœur, et la construction dure au mieux {_s(cpu)} − {_s(moved)} = {_s(cpu - moved)} "
            f"(rapport d'environ {_q((cpu - moved) / med(plain, 'build_cpu_seconds'))} au temps de processeur de "
            "MkDocs seul), plus l'attente du premier lot et le passage des pages d'un processus à l'autre.")
    out += [
        "- **Bruit.** La machine n'a que deux cœurs ; quand d'autres constructions et tests y tournent, une "
        "construction dure plusieurs fois son temps de processeur, et la même construction peut durer deux "
        "fois plus d'une fois à l'autre (voir la liste des durées). Le temps de processeur en dépend moins, "
        "mais en dépend aussi : caches et cœurs partagés, il varie d'une construction à l'autre de la même "
        f"sorte (à {n} fiches, dans un seul processus : de {_s(min(x['build_cpu_seconds'] for x in one))} à "
        f"{_s(max(x['build_cpu_seconds'] for x in one))}). D'où les médianes et les deux "
        "rapports ; celui du temps de processeur ne compte pas ce que gagne le parallélisme (le pool "
        "n'enlève pas de travail, il le fait en même temps).",
        f"- **Index de recherche.** Pagefind indexe le site à la fin de chaque construction du projet "
        f"({_s(med(one, 'index_seconds'))} à {n} fiches, médiane) ; il n'entre pas dans le rapport, MkDocs seul "
        "n'en construisant pas.",
    ]
    serve = [x for x in results if "serve" in x]
    if serve:
        x = serve[0]
        medians = {p: statistics.median(e["reloaded"] for e in d) for p, d in x["serve"].items()}
        out.append(
            f"- **Prévisualisation.** `make serve` (`mkdocs serve --strict --dirty`) refait toutes les étapes "
            "après une modification mais ne convertit et ne met en page que les pages dont le Markdown a "
            f"changé (kb/assemble/preview.py) : à {_n(x['n'])} fiches, médiane de "
            + " ; ".join(f"{_s(v)} avec `KB_PARALLELE={p}`" for p, v in medians.items())
            + " jusqu'au rechargement de la page, index de recherche compris (conditions de la mesure : plus "
            "haut). Ce qui reste : la lecture et la validation de toutes les fiches, le Markdown de toutes "
            "les pages (gabarits Jinja2), les fichiers publiés et l'index Pagefind de tout le site.")
    return out


# issue 22 §8: at 5,000 cases, the build at most this fraction of the plain MkDocs build
TARGETS = {"projet": 0.65, "projet-parallele": 0.50}
# issue 22 §6: from saving a fiche to the reload of its page in the browser
PREVIEW_TARGETS = {"real": 1.0, 1000: 3.0}


def targets(results: list[dict], context: dict | None = None) -> list[str]:
    """The issue's targets: the 5,000-case ratios (``TARGETS``) and the preview (``PREVIEW_TARGETS``)."""
    out = []
    for r in results:
        if r["n"] != 5000:
            continue
        for k in KINDS:
            q, cpu = ratio(r, k), ratio(r, k, "build_cpu_seconds")
            if KINDS[k] is None or q is None or q != q:
                continue
            goal = TARGETS[k]
            out.append(f"- Construction à 5 000 fiches au plus {_q(goal)} fois celle de MkDocs seul "
                       f"({LABELS[k].lower()}, médianes des durées) : {_q(q)} ("
                       + f"{q:.3f}".replace(".", ",") + ") — "
                       f"{'atteint' if q <= goal else 'non atteint'} (en temps de processeur : {_q(cpu)}).")
    if not out:
        out.append("- (5 000 fiches non mesurées dans cette exécution)")
    real = (context or {}).get("real_preview")
    if real:
        value = statistics.median(e["reloaded"] for e in real["durations"])
        goal = PREVIEW_TARGETS["real"]
        out.append(f"- Aperçu, contenu réel ({real['n']} fiches), de l'enregistrement au rechargement : au plus "
                   f"{_s(goal)} : {_s(value)} — {'atteint' if value <= goal else 'non atteint'}.")
    for r in results:
        if "serve" in r and r["n"] in PREVIEW_TARGETS:
            goal = PREVIEW_TARGETS[r["n"]]
            for parallel, durations in r["serve"].items():
                value = statistics.median(e["reloaded"] for e in durations)
                out.append(f"- Aperçu à {_n(r['n'])} fiches (`KB_PARALLELE={parallel}`), de l'enregistrement au "
                           f"rechargement : au plus {_s(goal)} : {_s(value)} — "
                           f"{'atteint' if value <= goal else 'non atteint'}.")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=list(KINDS))
    parser.add_argument("--builds", type=int, default=BUILDS, help="constructions de chaque sorte par taille")
    parser.add_argument("--serve-size", type=int, default=SERVE_SIZE)
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--no-transfer", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="ne pas écrire BENCHMARKS.md")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--workdir", help="dossier de travail (par défaut : temporaire, effacé)")
    parser.add_argument("--json", help="écrire aussi les mesures brutes en JSON dans ce fichier")
    parser.add_argument("--note", default="", help="phrase ajoutée au rapport (conditions de la mesure)")
    parser.add_argument("--from-json", nargs="+", help="ne rien mesurer : écrire le rapport depuis ces fichiers "
                        "JSON (écrits par --json ; plusieurs : leurs tailles réunies)")
    args = parser.parse_args(argv)
    options = ([f"--sizes {' '.join(map(str, args.sizes))}"] * (args.sizes != list(SIZES))
               + [f"--kinds {' '.join(args.kinds)}"] * (args.kinds != list(KINDS))
               + [f"--builds {args.builds}"] * (args.builds != BUILDS)
               + [f"--serve-size {args.serve_size}"] * (args.serve_size != SERVE_SIZE)
               + ["--no-serve"] * args.no_serve + ["--no-transfer"] * args.no_transfer)
    command = (".venv/bin/python scripts/bench.py " + " ".join(options) if options
               else "make bench    # = .venv/bin/python scripts/bench.py")
    if args.from_json:  # several runs (sizes measured apart) make one report
        results, context = [], {"commands": [], "loads": [], "dates": []}
        by_n: dict[int, dict] = {}
        for path in args.from_json:
            saved = json.loads(Path(path).read_text(encoding="utf-8"))
            for result in saved["results"]:  # one size measured by several runs: one result
                into = by_n.setdefault(result["n"], {**result, "runs": {}, "sizes": {}})
                for kind, runs in result["runs"].items():
                    into["runs"].setdefault(kind, []).extend(runs)
                into["sizes"].update(result.get("sizes", {}))
                into["pages"] = into.get("pages") or result.get("pages")
                into.update({k: result[k] for k in ("serve", "search_bytes") if k in result})
            if "real_preview" in saved["context"]:
                context["real_preview"] = saved["context"]["real_preview"]
            for key in ("commands", "loads", "dates"):
                context[key] += [x for x in saved["context"][key] if x not in context[key]]
            context["machine"] = saved["context"]["machine"]
        results = [by_n[n] for n in sorted(by_n)]
    else:
        from kb.infra.settings import last_commit_epoch

        os.environ.setdefault("SOURCE_DATE_EPOCH", last_commit_epoch(ROOT))  # both kinds: the same date
        context = {"dates": [time.strftime("%Y-%m-%d")], "machine": machine(), "commands": [command],
                   "loads": [[os.getloadavg()[0], None]]}
        work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="kb-bench-"))
        results = []

        def save(partial=None):
            context["loads"][0][1] = os.getloadavg()[0]
            if args.json:  # after each build: a long run is not lost
                Path(args.json).write_text(json.dumps({"results": results + [partial] * bool(partial),
                                                       "context": context}, indent=1, ensure_ascii=False),
                                           encoding="utf-8")
        try:
            if not args.no_serve:
                context["real_preview"] = real_content_preview(work)
                save()
            for n in args.sizes:
                results.append(measure(n, work, args.kinds, args.builds,
                                       serve=not args.no_serve and n == args.serve_size,
                                       transfer=not args.no_transfer, progress=save))
                save()
        finally:
            if not args.workdir:
                shutil.rmtree(work, ignore_errors=True)
    if args.note:
        context["note"] = args.note
    text = report(results, context)
    if not args.no_write:
        output = Path(args.output)
        kept = output.read_text(encoding="utf-8") if output.exists() else ""
        for section in (READER_SECTION, COVERAGE_SECTION):  # measured apart (their scripts): kept
            if section in kept:
                start = kept.index(section)
                end = kept.find("\n## ", start + 1)
                text = text.rstrip("\n") + "\n\n" + (kept[start:end + 1] if end != -1 else kept[start:])
        output.write_text(text, encoding="utf-8")
        print(f"{args.output} écrit")
    print("\n".join(targets(results, context)))
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(_child_build(sys.argv[2], sys.argv[3], sys.argv[4] == "hooked")))
        sys.exit(0)
    sys.exit(main())
