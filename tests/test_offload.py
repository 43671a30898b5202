"""The helper process (kb.build.offload) changes where the work is done, not what comes out.

Each corpus (the fixture content, and the hostile corpus with its script
payloads) is built twice in a fresh process: with the helper (the default on a
machine with several cores) and without it (KB_PARALLELE=0). Every output file
must be byte-identical, and the build log must say which way it went.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from project_copy import kb_build, make_project
from test_reproducible import _first_difference, digests

HERE = Path(__file__).resolve().parent
CORPORA = {"fixtures": HERE / "fixtures" / "content", "hostile": HERE / "fixtures" / "hostile" / "content"}
HELPER_LINE = "processus auxiliaire"


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_helper_and_single_process_builds_are_identical(corpus, tmp_path):
    config = make_project(tmp_path / "project", CORPORA[corpus])
    sites, logs = {}, {}
    for mode, env in (("helper", {"KB_PARALLELE": "1"}), ("single", {"KB_PARALLELE": "0"})):
        result = kb_build(config, tmp_path / mode, env={**env, "SOURCE_DATE_EPOCH": "1767225600"})
        assert result.returncode == 0, result.stdout + result.stderr
        sites[mode], logs[mode] = digests(tmp_path / mode), result.stdout + result.stderr
    assert HELPER_LINE in logs["helper"]
    assert HELPER_LINE not in logs["single"]
    assert sites["helper"].keys() == sites["single"].keys()
    different = [p for p in sites["helper"] if sites["helper"][p] != sites["single"][p]]
    assert not different, "\n".join(
        f"{p}: {_first_difference(tmp_path / 'helper' / p, tmp_path / 'single' / p)}" for p in different[:5])
    assert len(sites["helper"]) > 50


def test_helper_is_off_when_asked_or_unsafe(monkeypatch):
    import threading

    from kb.build import offload

    assert not offload.available({"KB_PARALLELE": "0"})
    # another thread running (as under `mkdocs serve`): forking would be unsafe
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not offload.available({})
    finally:
        stop.set()
        thread.join()


def _patched_build(tmp_path, patch: str) -> tuple[int, str, Path]:
    """Build the fixtures with the helper, in a fresh process, after running ``patch``
    (Python code, with ``sys.argv[4]`` a temporary folder); (exit code, output, site)."""
    import subprocess
    import sys

    from project_copy import ROOT

    script = (
        "import logging, os, sys; logging.basicConfig(level=logging.INFO, format='%(levelname)s %(message)s')\n"
        + patch +
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        "from mkdocs.exceptions import Abort, PluginError\n"
        "try:\n"
        "    build(load_config(config_file=sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3], strict=True))\n"
        "except (Abort, PluginError) as error:\n"
        "    print(f'ARRET {error}'); sys.exit(1)\n")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-c", script, str(ROOT / "mkdocs.yml"), str(CORPORA["fixtures"]),
                             str(site), str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "KB_PARALLELE": "1"})
    return result.returncode, result.stdout + result.stderr, site


def test_a_failure_in_the_helper_stops_the_build_with_a_french_message(tmp_path):
    """A page that cannot be rendered (here: a broken template) fails in the helper; the
    build stops with a French message naming the page, not a traceback."""
    import shutil

    from project_copy import ROOT

    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "page.md").write_text("{{ variable_inconnue.attribut }}\n", encoding="utf-8")
    code, output, _ = _patched_build(tmp_path, "from kb import pages\n"
                                               "pages.TEMPLATES = __import__('pathlib').Path(sys.argv[4]) / 'templates'\n")
    assert code == 1, output[-2000:]
    assert HELPER_LINE in output
    assert "rendu de la page a-propos.md impossible" in output and "variable_inconnue" in output, output[-2000:]
    assert "Traceback" not in output


def test_without_a_usable_helper_the_build_works_in_one_process(tmp_path):
    """Where processes cannot be started (no fork, a sandbox that refuses it…),
    the build says so and does everything in one process."""
    code, output, site = _patched_build(tmp_path, (
        "import multiprocessing.context\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('pas de processus')\n"
        "multiprocessing.context.ForkProcess.start = refuse\n"))
    assert code == 0, output[-2000:]
    assert "Processus auxiliaire indisponible (pas de processus)" in output
    assert HELPER_LINE + ", en parallèle" not in output
    assert (site / "cooperations" / "index.html").is_file()


def test_a_helper_that_dies_stops_the_build_with_a_french_message(tmp_path):
    """The helper process killed while it renders (out of memory…): the build stops with a
    French message telling how to build without it, and writes no page."""
    code, output, site = _patched_build(tmp_path, (
        "from kb import offload\n"
        "def die(site, put):\n"
        "    put(('pages', 0, [(site.pages[0].markdown, set())]))  # the first page, then it dies\n"
        "    import time; time.sleep(0.5); os._exit(9)\n"
        "offload._render_all = die\n"))
    assert code == 1, output[-2000:]
    assert "le processus auxiliaire s'est arrêté (EOFError" in output and "KB_PARALLELE=0" in output, output[-2000:]
    assert "Traceback" not in output
    assert not site.exists() or not list(site.rglob("*.html"))


def test_reading_half_of_the_files_in_a_helper_gives_the_same_content(tmp_path):
    """kb.content.validate.load_content(parallel=True) reads half of the files in a forked process
    (kb.build.offload.map_halves): records and problems are the same as read in one process,
    for the fixtures and for the hostile corpus (files with errors)."""
    import subprocess
    import sys

    import shutil

    from project_copy import ROOT

    broken = tmp_path / "content"
    shutil.copytree(CORPORA["fixtures"], broken)
    shutil.copytree(CORPORA["fixtures"].parent / "data", tmp_path / "data")
    case = (broken / "cooperations" / "montpellier-lacaune.md").read_text(encoding="utf-8")
    (broken / "cooperations" / "zz-terme-inconnu.md").write_text(
        case.replace("statut: en-cours", "statut: peut-etre"), encoding="utf-8")
    (broken / "cooperations" / "zz-cle-double.md").write_text(case.replace("---\n", "---\nstatut: acheve\n", 1),
                                                              encoding="utf-8")
    (broken / "cooperations" / "Nom Invalide.md").write_text(case, encoding="utf-8")
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from kb import offload, validate\n"
        "assert offload.available(), 'helper unavailable here'\n"
        "pids = offload.map_halves(lambda x: os.getpid(), list(range(10)), minimum=1)\n"
        "assert pids[:5] == [os.getpid()] * 5 and os.getpid() not in pids[5:], pids\n"
        "for corpus in sys.argv[1:]:\n"
        "    root = Path(corpus)\n"
        "    alone = validate.load_content(root)\n"
        "    validate._CHECKED.clear()\n"
        "    real = offload.map_halves\n"
        "    offload.map_halves = lambda fn, items: real(fn, items, minimum=1)\n"
        "    halves = validate.load_content(root, parallel=True)\n"
        "    offload.map_halves = real\n"
        "    assert alone == halves, corpus\n"
        "    print(corpus, len(alone.problems), len(alone.cooperations))\n")
    result = subprocess.run([sys.executable, "-c", script, *(str(CORPORA[c]) for c in sorted(CORPORA)), str(broken)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "KB_PARALLELE": "1"})
    assert result.returncode == 0, result.stdout + result.stderr
    counts = [line.split()[1:] for line in result.stdout.splitlines()]
    assert len(counts) == 3 and int(counts[2][0]) >= 3  # the broken copy: one problem per broken file at least
    assert all(int(coops) > 0 for _, coops in counts)
