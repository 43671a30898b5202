"""Benchmark: build cost of the knowledge base against plain MkDocs, at 500, 1,000 and 5,000 cases.

    python scripts/bench.py                      # the three sizes, writes BENCHMARKS.md
    python scripts/bench.py --sizes 200 --no-write --no-serve   # a quick look

For each size N, the tool:

1. generates N valid synthetic cases (content/cooperations/), with realistic
   territories (names, types, régions and départements drawn from
   data/departements.yml and shared between cases), terms from
   data/vocabulaires.yml, cross-links between cases in their Markdown bodies, and
   N/10 recommendations and N/100 source documents that cite and are cited by
   cases; `python -m kb check` must accept it;
2. builds it with the project's configuration and hooks (`mkdocs build`, in a
   child process, the hooks' events timed), then runs the project's post-build
   steps (Pagefind search index);
3. builds, in another child process, the equivalent plain site: every page the
   project generates, written out as a plain Markdown file (the same Markdown),
   built by plain MkDocs with the same theme, overrides, Markdown extensions and
   navigation, and no hooks;
4. records, for both, the build time, the peak memory of the child process
   (getrusage), the size of the output; for the project, the time spent in its
   own code (kb.build.session.build_site in on_config, and the hook work: on_files,
   on_page_content) and the search transfer for one query
   (scripts/search_transfer.py, in headless Chromium);
5. at 1,000 cases, starts `mkdocs serve` (and `mkdocs serve --dirty`), edits one
   case and measures the time until the server has rebuilt (its "Reloading"
   log line).

The last line printed is the 5,000-case ratio (project build / plain build).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import resource
import shutil
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
QUERY = "coopération énergie"
SEED = 20261122

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
TYPES = ("metropole", "communaute-d-agglomeration", "communaute-de-communes", "communaute-de-communes",
         "petr-pays", "parc-naturel-regional", "commune", "departement", "pole-metropolitain",
         "syndicat-mixte")


# --- 1. Synthetic content -----------------------------------------------------------------

def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(_sentence(rng, rng.randint(9, 18)) for _ in range(sentences))


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def generate_content(target: Path, n_cases: int, seed: int = SEED) -> dict:
    """Write a valid content folder with ``n_cases`` cases; returns counts."""
    from kb.content.vocab import load_departements, load_vocabularies

    rng = random.Random(seed + n_cases)
    vocab = load_vocabularies()
    terms = {name: list(v.terms) for name, v in vocab.items()}
    deps = sorted(load_departements().items())
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
                  f"date_ajout: 2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                  f"date_revue: 2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
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


def make_project(root: Path) -> Path:
    """A project folder (mkdocs.yml + links to the project's code) around root/content."""
    root.mkdir(parents=True, exist_ok=True)
    for entry in ROOT.iterdir():
        if entry.name in ("content", "site", ".git", ".venv", "mkdocs.yml") or entry.name.startswith("site"):
            continue
        if not (root / entry.name).exists():
            (root / entry.name).symlink_to(entry)
    shutil.copy2(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root / "mkdocs.yml"


def make_plain_project(root: Path, content: Path) -> Path:
    """The equivalent plain MkDocs project: every generated page as a Markdown file, no hooks."""
    import yaml

    from kb.build.session import build_site

    site = build_site(content)
    docs = root / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    for page in site.pages:
        path = docs / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page.markdown, encoding="utf-8")
    for extra in content.rglob("*"):  # images and other files of the content folder
        if extra.is_file() and extra.suffix != ".md":
            target = docs / extra.relative_to(content)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(extra, target)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)
    config.pop("hooks", None)
    config.pop("validation", None)
    # the project's Markdown extension (kb.render.islands) is the project's code: plain MkDocs parses
    # the generated HTML blocks itself (the pages come out the same: tests/test_islands.py)
    config["markdown_extensions"] = [e for e in config["markdown_extensions"] if e != "kb.render.islands"]
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(ROOT / "overrides")
    out = root / "mkdocs.yml"
    out.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


class _EnvLoader(__import__("yaml").SafeLoader):
    pass


_EnvLoader.add_constructor("!ENV", lambda loader, node: None)


# --- 2-3. Builds, in child processes -------------------------------------------------------

def _child_build(config: str, site: str, hooked: bool) -> dict:
    """Run in a child process: one MkDocs build, timed; prints a JSON report."""
    import logging

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    start = time.perf_counter()
    cfg = load_config(config_file=config, site_dir=site, strict=hooked)
    own = {}
    if hooked:
        # time every event of the project's hooks module (kb.build.session.build_site runs in on_config)
        for event, methods in cfg.plugins.events.items():
            for index, method in enumerate(methods):
                module = getattr(method, "__module__", "") or ""
                if "kb_hooks" not in module:
                    continue
                own[event] = 0.0

                def timed(*args, _method=method, _event=event, **kwargs):
                    t0 = time.perf_counter()
                    try:
                        return _method(*args, **kwargs)
                    finally:
                        own[_event] += time.perf_counter() - t0

                methods[index] = timed
    stages = {}
    if hooked:
        # the project's Markdown extension runs inside MkDocs' conversion of each page
        import kb.render.islands

        own["markdown (kb.render.islands)"] = 0.0
        island_run = kb.render.islands.IslandPreprocessor.run

        def islands_run(self, lines):
            t0 = time.perf_counter()
            try:
                return island_run(self, lines)
            finally:
                own["markdown (kb.render.islands)"] += time.perf_counter() - t0

        kb.render.islands.IslandPreprocessor.run = islands_run
        # split kb.build.session.build_site into its stages (the hooks call it in on_config)
        import kb.build.session

        for name in ("load_content", "build_graph", "generate_pages"):
            def stage(*args, _f=getattr(kb.build.session, name), _name=name, **kwargs):
                t0 = time.perf_counter()
                try:
                    return _f(*args, **kwargs)
                finally:
                    stages[_name] = stages.get(_name, 0.0) + time.perf_counter() - t0

            setattr(kb.build.session, name, stage)
    build(cfg)
    mkdocs_seconds = time.perf_counter() - start
    # CPU of the helper process (kb.build.offload), stopped and reaped by the end of the build
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    helper_cpu = children.ru_utime + children.ru_stime
    post = {}
    if hooked:
        from kb.cli import POST_BUILD

        for step in POST_BUILD:
            t0 = time.perf_counter()
            assert step(Path(site)) == 0, step.__name__
            post[getattr(step, "__name__", str(step))] = time.perf_counter() - t0
    return {"mkdocs_seconds": mkdocs_seconds, "own": own, "stages": stages, "post_build": post,
            "helper_cpu_seconds": helper_cpu,
            "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "children_peak_rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}


def run_child(config: Path, site: Path, hooked: bool) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    env.setdefault("SOURCE_DATE_EPOCH", _source_date_epoch())
    shutil.rmtree(site, ignore_errors=True)
    t0 = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--child", str(config), str(site),
                             "hooked" if hooked else "plain"], cwd=str(config.parent), env=env,
                            capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if result.returncode:
        raise SystemExit(f"échec de la construction ({'projet' if hooked else 'MkDocs seul'}) :\n"
                         f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    report["wall_seconds"] = wall
    return report


def _source_date_epoch() -> str:
    from kb.cli import source_date_epoch

    return source_date_epoch()


def tree_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


# --- 5. mkdocs serve -------------------------------------------------------------------------

def add_sentence(text: str, i: int = 0) -> str:
    """An edit of the body: what a contributor does most while writing."""
    return text + f"\nUne phrase ajoutée pendant la mesure ({i}).\n"


def retitle(text: str, i: int = 0) -> str:
    """An edit of the front matter: the title, shown in every listing of the case."""
    return text.replace("titre: \"Coopération", f"titre: \"Coopération retitrée ({i})", 1)


SERVE_EDITS = 5


def serve_rebuild(config: Path, case: Path, dirty: bool, timeout: float = 900, incremental: bool = False,
                  edit=add_sentence, repeat: int = SERVE_EDITS) -> list[float]:
    """Seconds from editing ``case`` (``edit``: old text, i -> new text) to the server's reload,
    under `mkdocs serve` (``incremental``: `make serve-rapide`, KB_INCREMENTAL=1 with --dirty),
    for ``repeat`` edits one after the other (each one different) in the same session."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # --dirty warns that navigation may be inaccurate: a warning that --strict would turn into an error
    args = [sys.executable, "-m", "mkdocs", "serve", "--dirty" if dirty else "--strict", "-f", str(config),
            "-a", f"127.0.0.1:{port}"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if incremental:
        env["KB_INCREMENTAL"] = "1"
    proc = subprocess.Popen(args, cwd=str(config.parent), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    lines: list[tuple[float, str]] = []
    ready = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append((time.perf_counter(), line.rstrip()))
            if "Serving on" in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    original = case.read_text(encoding="utf-8")
    try:
        deadline = time.perf_counter() + timeout
        while not ready.wait(0.2) and proc.poll() is None and time.perf_counter() < deadline:
            pass
        if not ready.is_set():
            raise SystemExit("mkdocs serve n'a pas démarré :\n" + "\n".join(l for _, l in lines[-30:]))
        durations = []
        for i in range(repeat):
            time.sleep(2.0)
            seen = len(lines)
            t0 = time.perf_counter()
            edited = edit(original, i)
            assert edited != original
            case.write_text(edited, encoding="utf-8")
            durations.append(_reloaded(lines, seen, t0, timeout))
        return durations
    finally:
        case.write_text(original, encoding="utf-8")
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _reloaded(lines: list, seen: int, t0: float, timeout: float) -> float:
    """Seconds from ``t0`` to the server's next "Reloading" line after line ``seen``."""
    while time.perf_counter() < t0 + timeout:
        for stamp, line in lines[seen:]:
            if "Reloading" in line:
                return stamp - t0
            if "ERROR" in line or "Aborted" in line:
                raise SystemExit("reconstruction en échec : " + line)
        time.sleep(0.02)
    raise SystemExit("pas de reconstruction dans le délai")


def search_transfer(site: Path):
    """Bytes for one query, by scripts/search_transfer.py (another helper's tool) in a child
    process (Playwright and Chromium kept out of this one); None when the tool is absent."""
    tool = ROOT / "scripts" / "search_transfer.py"
    if not tool.exists():
        return None
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from search_transfer import measure_query_transfer; "
            "print(measure_query_transfer(sys.argv[2], sys.argv[3]))")
    result = subprocess.run([sys.executable, "-c", code, str(tool.parent), str(site), QUERY],
                            capture_output=True, text=True, timeout=600)
    if result.returncode:
        return "échec : " + (result.stderr.strip().splitlines() or ["?"])[-1]
    return int(result.stdout.strip().splitlines()[-1])


# --- Report ------------------------------------------------------------------------------------

BUILDS = 3  # builds of each kind and size; the report gives the median one


def _median_run(runs: list[dict]) -> dict:
    """The run with the median build time, with every run's time (``all_seconds``)."""
    ordered = sorted(runs, key=lambda r: r["mkdocs_seconds"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["all_seconds"] = [r["mkdocs_seconds"] for r in runs]
    return chosen


def measure(n: int, work: Path, serve: bool, transfer: bool, builds: int = BUILDS) -> dict:
    root = work / f"n{n}"
    shutil.rmtree(root, ignore_errors=True)
    config = make_project(root / "projet")
    counts = generate_content(root / "projet" / "content", n)
    check = subprocess.run([sys.executable, "-m", "kb", "check", str(root / "projet" / "content")],
                           capture_output=True, text=True, cwd=ROOT)
    if check.returncode:
        raise SystemExit(f"contenu synthétique invalide :\n{check.stdout[-3000:]}")
    plain_config = make_plain_project(root / "plain", root / "projet" / "content")

    hooked_runs, plain_runs = [], []
    for i in range(builds):  # alternately, so that a slow spell of the machine touches both
        print(f"[{n}] construction du projet ({i + 1}/{builds})…", flush=True)
        hooked_runs.append(run_child(config, root / "site", hooked=True))
        print(f"[{n}] construction MkDocs seul ({i + 1}/{builds})…", flush=True)
        plain_runs.append(run_child(plain_config, root / "plain-site", hooked=False))
    hooked, plain = _median_run(hooked_runs), _median_run(plain_runs)
    out = {"n": n, "counts": counts, "hooked": hooked, "plain": plain,
           "size": tree_size(root / "site"), "plain_size": tree_size(root / "plain-site"),
           "pages": len(list((root / "site").rglob("*.html")))}
    if transfer:
        out["search_bytes"] = search_transfer(root / "site")
    if serve:
        case = sorted((root / "projet" / "content" / "cooperations").glob("*.md"))[n // 2]
        print(f"[{n}] mkdocs serve…", flush=True)
        out["serve"] = serve_rebuild(config, case, dirty=False, repeat=3)
        print(f"[{n}] make serve-rapide, texte modifié…", flush=True)
        out["serve_incremental"] = serve_rebuild(config, case, dirty=True, incremental=True)
        print(f"[{n}] make serve-rapide, titre modifié…", flush=True)
        out["serve_incremental_front_matter"] = serve_rebuild(config, case, dirty=True, incremental=True,
                                                              edit=retitle)
    shutil.rmtree(root / "plain-site", ignore_errors=True)
    return out


def _n(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")  # French thousands separator


def _mib(kib: int) -> str:
    return f"{_n(round(kib / 1024))} Mio"


def _bytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} Mio"


def _s(x: float) -> str:
    return f"{x:.2f} s"


def median(durations) -> float:
    """Median of a series of measures (a single number: itself)."""
    if isinstance(durations, (int, float)):
        return float(durations)
    ordered = sorted(durations)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _series(durations) -> str:
    """'0.52 s (médiane de 5 modifications : de 0.45 à 0.60 s)'."""
    if isinstance(durations, (int, float)) or len(durations) == 1:
        return _s(median(durations))
    return (f"{_s(median(durations))} (médiane de {len(durations)} modifications successives : de "
            f"{min(durations):.2f} à {max(durations):.2f} s)")


def own_seconds(h: dict) -> float:
    """Seconds the build waits on the project's code (its hooks, in MkDocs' process)."""
    return sum(h["own"].values())


def own_cpu(h: dict) -> float:
    """Processor seconds of the project's code: its hooks plus the helper process."""
    return own_seconds(h) + h.get("helper_cpu_seconds", 0.0)


def report(results: list[dict], command: str, note: str = "") -> str:
    cpu = platform.processor() or platform.machine()
    lines = [
        "# Mesures de performance",
        "",
        f"Mesuré le {time.strftime('%Y-%m-%d')} sur cette machine : {os.cpu_count()} cœurs ({cpu}), "
        f"Python {platform.python_version()}, {platform.system()}. Pour reproduire :",
        "",
        "```sh",
        command,
        "```",
        "",
        "Contenu synthétique (scripts/bench.py) : N coopérations valides, des territoires réalistes partagés "
        "entre fiches (noms, types, régions et départements tirés de data/departements.yml), des termes de "
        "data/vocabulaires.yml, deux liens vers d'autres fiches dans chaque texte, N/10 recommandations et "
        "N/100 documents sources liés aux fiches. « MkDocs seul » construit les mêmes pages (le Markdown que "
        "génère le projet, écrit en fichiers) avec le même thème, les mêmes surcharges, extensions et "
        "navigation, sans les hooks du projet. Chaque construction tourne dans un processus à part ; la "
        "mémoire est le pic (getrusage) de ce processus. Chaque taille est construite plusieurs fois de chaque "
        "sorte, en alternance ; le tableau donne, pour chaque sorte, la construction au temps médian, et la "
        "liste des durées suit le tableau." + (f" {note}" if note else ""),
        "",
        "## Construction",
        "",
        "Deux choses séparent le projet de MkDocs seul. Les grands blocs de HTML que génèrent les gabarits "
        "(tableaux, cartes, explorateur) sont mis de côté tels quels avant l'analyse de Markdown "
        "(kb/islands.py) ; MkDocs seul, qui n'a pas cette extension, les analyse. Le rendu des pages (Jinja2), "
        "les données ouvertes et le nettoyage du HTML (nh3) sont faits par un processus auxiliaire, sur le "
        "second cœur, pendant que MkDocs convertit les pages (kb/offload.py). « Attente du code du projet » : "
        "le temps pendant lequel la construction attend le code du projet (ses hooks et son extension "
        "Markdown, dans le processus de MkDocs) ; la part est rapportée à la construction du projet, puis "
        "(entre parenthèses) à celle de MkDocs seul. « CPU du code du projet » : ce même temps plus le temps "
        "processeur du processus auxiliaire ; la part est rapportée au temps processeur de toute la "
        "construction.",
        "",
        "| Fiches | Pages | Projet (MkDocs + hooks) | MkDocs seul | Rapport | Attente du code du projet "
        "| Part | CPU du code du projet (part) | Index de recherche (après) | Mémoire projet / seul "
        "| Taille du site |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        h, p = r["hooked"], r["plain"]
        own, cpu_s = own_seconds(h), own_cpu(h)
        total_cpu = h["mkdocs_seconds"] + h.get("helper_cpu_seconds", 0.0)
        post = sum(h["post_build"].values())
        lines.append(
            f"| {_n(r['n'])} | {_n(r['pages'])} | {_s(h['mkdocs_seconds'])} | {_s(p['mkdocs_seconds'])} | "
            f"{h['mkdocs_seconds'] / p['mkdocs_seconds']:.2f} | {_s(own)} | "
            f"{100 * own / h['mkdocs_seconds']:.1f} % ({100 * own / p['mkdocs_seconds']:.1f} %) | "
            f"{_s(cpu_s)} ({100 * cpu_s / total_cpu:.1f} %) | "
            f"{_s(post)} | {_mib(h['peak_rss_kib'])} / {_mib(p['peak_rss_kib'])} | {_bytes(r['size'][0])} |")
    lines += ["", "Durées de chaque construction (projet ; MkDocs seul) :", ""]
    for r in results:
        runs = [", ".join(f"{x:.2f}" for x in r[k].get("all_seconds", [r[k]["mkdocs_seconds"]]))
                for k in ("hooked", "plain")]
        lines.append(f"- {_n(r['n'])} fiches : {runs[0]} s ; {runs[1]} s")
    lines += ["", "Détail de l'attente (secondes, par événement des hooks ; `config` contient "
              "kb.build.session.build_site : lecture et validation, graphe, liste des pages) :", ""]
    names = {"load_content": "lecture et validation", "build_graph": "graphe", "generate_pages": "liste des pages"}
    for r in results:
        h = r["hooked"]
        detail = ", ".join(f"{k} {v:.2f}" for k, v in sorted(h["own"].items()) if v >= 0.005)
        stages = h.get("stages") or {}
        if stages:
            detail += " (dont " + ", ".join(f"{names.get(k, k)} {v:.2f}" for k, v in stages.items()) + ")"
        post = ", ".join(f"{k} {v:.2f}" for k, v in h["post_build"].items())
        lines.append(f"- {_n(r['n'])} fiches : {detail} ; processus auxiliaire : "
                     f"{h.get('helper_cpu_seconds', 0.0):.2f} s de CPU ; après construction : {post}")
    lines += ["", "## Recherche", "",
              f"Octets reçus par le navigateur pour une requête (« {QUERY} », page « Rechercher », "
              "scripts/search_transfer.py, serveur local sans compression) :", ""]
    for r in results:
        b = r.get("search_bytes")
        shown = "non mesuré" if b is None else (b if isinstance(b, str) else f"{_n(round(b / 1024))} Kio")
        lines.append(f"- {_n(r['n'])} fiches : {shown}")
    serve = [r for r in results if "serve" in r]
    if serve:
        lines += ["", "## Prévisualisation", "",
                  "Du moment où une fiche est enregistrée à la ligne « Reloading browsers » du serveur "
                  "(délai d'attente de MkDocs compris) :", ""]
        for r in serve:
            lines += [
                f"- {_n(r['n'])} fiches, `make serve-rapide`, texte de la fiche modifié : "
                f"{_series(r['serve_incremental'])}",
                f"- {_n(r['n'])} fiches, `make serve-rapide`, titre de la fiche modifié : "
                f"{_series(r['serve_incremental_front_matter'])}",
                f"- {_n(r['n'])} fiches, `make serve` (tout est reconstruit) : {_series(r['serve'])}",
            ]
    lines += ["", "## Objectifs", ""] + targets(results) + ["", "## Pourquoi", ""] + analysis(results)
    return "\n".join(lines) + "\n"


def analysis(results: list[dict]) -> list[str]:
    """What the figures say, in words (the reasons do not change with the figures)."""
    r = max(results, key=lambda r: r["n"])
    h, p = r["hooked"], r["plain"]
    own, stages = h["own"], h.get("stages") or {}
    waits = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(own.items(), key=lambda kv: -kv[1])
                      if k != "config" and v >= 0.05)
    out = [
        f"- À {_n(r['n'])} fiches, MkDocs seul met {p['mkdocs_seconds']:.1f} s à convertir et écrire les "
        f"pages, dont l'essentiel à analyser le HTML des gabarits (deux fois : l'extension md_in_html, puis "
        f"MkDocs qui y cherche les ancres) ; le projet met {h['mkdocs_seconds']:.1f} s, parce que ses blocs "
        "de HTML ne sont pas analysés (kb/islands.py, même page produite : tests/test_islands.py).",
        f"- La construction attend le code du projet {own_seconds(h):.1f} s : "
        f"{stages.get('load_content', 0):.1f} s pour lire et valider chaque fichier (la moitié des fichiers "
        "dans un processus créé pour cela ; YAML événement par événement ; schéma JSON vérifié d'abord par "
        "`fastjsonschema`, puis par `jsonschema` seulement pour un fichier refusé, afin d'en nommer chaque "
        f"erreur), {stages.get('build_graph', 0):.1f} s pour le "
        f"graphe, puis, page après page : {waits or 'presque rien'}.",
        f"- Le rendu Jinja2 des pages, les données ouvertes et le passage du HTML dans `nh3` "
        f"({h.get('helper_cpu_seconds', 0):.1f} s de processeur) se font dans le processus auxiliaire. Il rend "
        "toutes les pages d'un trait dans l'ordre où MkDocs les lit (les pages des territoires et des fiches "
        "d'abord, rapides à rendre, puis les grandes listes), et ses fils d'exécution reçoivent et envoient "
        "les messages : ni lui ni MkDocs n'attendent l'autre. La sortie est identique octet pour octet à celle "
        "d'un seul processus (tests/test_offload.py) ; `KB_PARALLELE=0` fait tout dans un seul processus, et "
        "c'est automatique hors Linux, sur une machine à un cœur et pour les reconstructions de `mkdocs serve`.",
        "- Compté en temps processeur, le code du projet reste ce qu'il est (dernière colonne) : `nh3` et Jinja2 "
        "coûtent ce qu'ils coûtent, et le gain sur ce point vient du second cœur, que MkDocs n'utilise pas. "
        "Le nettoyage de chaque page par `nh3`, exigé même pour le HTML des gabarits, en est la plus grosse "
        "part.",
        "- D'une mesure à l'autre, sur cette machine virtuelle partagée, les durées varient de 5 à 10 % (voir "
        "les durées de chaque construction) : d'où les médianes.",
        "- Les « coopérations proches » et tous les index viennent d'index inversés (kb/graph.py) : aucune "
        "comparaison de toutes les paires de fiches ; les listes d'identifiants trop longues (plus de 400 "
        "fiches pour un même terme) ne sont pas parcourues.",
        f"- L'index de recherche (Pagefind, après la construction) prend {sum(h['post_build'].values()):.1f} s "
        "de plus ; il n'est pas compté dans le rapport, MkDocs seul n'en construisant pas.",
    ]
    serve = [x for x in results if "serve" in x]
    if serve:
        out.append(
            "- `make serve` reconstruit tout le site à chaque modification. `make serve-rapide` "
            "(kb/incremental.py) garde d'une reconstruction à l'autre le graphe, les pages, les lignes des "
            "tableaux et les fichiers publiés. Texte d'une fiche modifié : seule sa page est rendue et convertie. "
            "En-tête modifié : le graphe est refait et comparé clé par clé à l'ancien, et seules les pages qui "
            "avaient lu une clé changée sont rendues de nouveau (kb/tracking.py) ; pour un titre, une "
            "quarantaine de pages à 1 000 fiches, dont le catalogue, l'explorateur et les pages de ses termes "
            "(environ 5 Mo de HTML à convertir et nettoyer). Le serveur de MkDocs cherche les fichiers modifiés "
            "toutes les 0,2 s (0,5 s sans le projet) puis attend 0,1 s : ce délai est compris dans les chiffres.")
    return out


def targets(results: list[dict]) -> list[str]:
    by_n = {r["n"]: r for r in results}
    out = []
    if 5000 in by_n:
        r = by_n[5000]
        h = r["hooked"]
        ratio = h["mkdocs_seconds"] / r["plain"]["mkdocs_seconds"]
        share = own_seconds(h) / h["mkdocs_seconds"]
        plain_share = own_seconds(h) / r["plain"]["mkdocs_seconds"]
        cpu_share = own_cpu(h) / (h["mkdocs_seconds"] + h.get("helper_cpu_seconds", 0.0))
        out.append(f"- Construction à 5 000 fiches au plus 1,10 fois celle de MkDocs seul : "
                   f"{ratio:.2f} — {'atteint' if ratio <= 1.10 else 'non atteint'}.")
        out.append(f"- Code du projet au plus 5 % de la construction : la construction du projet l'attend "
                   f"{100 * share:.1f} % de son temps — {'atteint' if share <= .05 else 'non atteint'} ; "
                   f"rapporté à la construction de MkDocs seul (le projet allège le travail de MkDocs : "
                   f"la part grandit à mesure que la construction raccourcit), {100 * plain_share:.1f} % — "
                   f"{'atteint' if plain_share <= .05 else 'non atteint'} ; en temps processeur, processus "
                   f"auxiliaire compris, {100 * cpu_share:.1f} % — "
                   f"{'atteint aussi' if cpu_share <= .05 else 'non atteint compté ainsi'}.")
    if 5000 in by_n and 500 in by_n:
        growth = by_n[5000]["hooked"]["mkdocs_seconds"] / by_n[500]["hooked"]["mkdocs_seconds"]
        out.append(f"- Croissance linéaire (5 000 contre 500 fiches, au plus 11 fois) : {growth:.1f} fois — "
                   f"{'atteint' if growth <= 11 else 'non atteint'}.")
    for r in results:
        if "serve" in r:
            body, front = median(r["serve_incremental"]), median(r["serve_incremental_front_matter"])
            out.append(f"- Reconstruction de la prévisualisation après une modification, à {_n(r['n'])} fiches, "
                       f"au plus 1 s (médianes) : texte d'une fiche modifié {_s(body)} — "
                       f"{'atteint' if body <= 1 else 'non atteint'} ; titre d'une fiche modifié {_s(front)} — "
                       f"{'atteint' if front <= 1 else 'non atteint'}.")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--serve-size", type=int, default=SERVE_SIZE)
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--builds", type=int, default=BUILDS, help="constructions de chaque sorte par taille")
    parser.add_argument("--no-transfer", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="ne pas écrire BENCHMARKS.md")
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--workdir", help="dossier de travail (par défaut : temporaire, effacé)")
    parser.add_argument("--json", help="écrire aussi les mesures brutes en JSON dans ce fichier")
    parser.add_argument("--from-json", help="ne rien mesurer : réécrire le rapport depuis ce fichier JSON")
    parser.add_argument("--note", default="", help="phrase ajoutée au rapport (conditions de mesure)")
    args = parser.parse_args(argv)
    if args.from_json:
        results = json.loads(Path(args.from_json).read_text(encoding="utf-8"))
        Path(args.output).write_text(report(results, "make bench    # = .venv/bin/python scripts/bench.py",
                                            args.note), encoding="utf-8")
        print("\n".join(targets(results)))
        return 0

    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="kb-bench-"))
    results = []
    try:
        for n in args.sizes:
            results.append(measure(n, work, serve=(not args.no_serve and n == args.serve_size),
                                   transfer=not args.no_transfer, builds=args.builds))
            r = results[-1]
            print(f"[{n}] projet {r['hooked']['mkdocs_seconds']:.2f} s, MkDocs seul "
                  f"{r['plain']['mkdocs_seconds']:.2f} s, code du projet {sum(r['hooked']['own'].values()):.2f} s, "
                  f"index {sum(r['hooked']['post_build'].values()):.2f} s", flush=True)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    command = "make bench    # = .venv/bin/python scripts/bench.py"
    if args.sizes != list(SIZES):
        command = f".venv/bin/python scripts/bench.py --sizes {' '.join(map(str, args.sizes))}"
    text = report(results, command, args.note)
    if not args.no_write:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"{args.output} écrit")
    print("\n".join(targets(results)))
    last = next((r for r in results if r["n"] == 5000), results[-1])
    ratio = last["hooked"]["mkdocs_seconds"] / last["plain"]["mkdocs_seconds"]
    print(f"Rapport à {last['n']} fiches (projet / MkDocs seul) : {ratio:.2f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(_child_build(sys.argv[2], sys.argv[3], sys.argv[4] == "hooked")))
        sys.exit(0)
    sys.exit(main())
