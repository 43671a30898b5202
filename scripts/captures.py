"""Screenshots of the site on a phone (390 × 844), for reviewers: docs/captures/*.png.

    .venv/bin/python scripts/captures.py                  # builds the site from content/, then shoots
    .venv/bin/python scripts/captures.py --site /tmp/site # shoots an already built site

Home, the explorer of cases, a fiche, and the « arrêter / commencer » table, each as the
first screen a phone shows (the stop/start capture starts at its first table).
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "captures"
FICHE = "cooperations/brest-metropole-centre-ouest-bretagne/"
SHOTS = (  # file, page, element brought to the top (or None)
    ("accueil.png", "", None),
    ("explorateur.png", "explorer/cooperations/", None),
    ("fiche.png", FICHE, None),
    ("arreter-commencer.png", "arreter-commencer/", "table.kb-stop-start"),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path)
    args = parser.parse_args()
    site = args.site
    if site is None:
        site = Path(tempfile.mkdtemp(prefix="kb-captures-")) / "site"
        subprocess.run([sys.executable, "-m", "kb", "build", "--site-dir", str(site)], check=True,
                       stdout=subprocess.DEVNULL)
    from playwright.sync_api import sync_playwright

    from kb.infra.localsite import LocalServer, launch_chromium

    OUT.mkdir(parents=True, exist_ok=True)
    with LocalServer(site) as server, sync_playwright() as pw:
        browser = launch_chromium(pw)
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1,
                                      locale="fr-FR")
        page = context.new_page()
        for name, url, top in SHOTS:
            page.goto(server.url + url)
            page.wait_for_load_state("networkidle")
            if url.startswith("explorer/"):
                page.wait_for_function("() => document.querySelector('[data-kb-explorer]').dataset.kbReady === '1'")
            if top:
                page.locator(top).first.evaluate("e => window.scrollTo(0, e.getBoundingClientRect().top + scrollY - 60)")
                page.wait_for_timeout(800)  # the header's title change is animated
            page.screenshot(path=str(OUT / name))
            print(OUT / name)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
