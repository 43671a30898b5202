"""Reader-side performance at scale: the explorer in Chromium with the CPU slowed down 4×,
and the compressed size of every page.

    .venv/bin/python scripts/reader_bench.py                 # 5,000 cases, prints the figures
    .venv/bin/python scripts/reader_bench.py --write         # …and writes them into BENCHMARKS.md
    .venv/bin/python scripts/reader_bench.py --site /tmp/s   # measure an already built site

1. generates N synthetic cases (scripts/bench.py) and builds the site (`python -m kb build`);
2. serves it as GitHub Pages does: text files gzip-compressed when the browser asks;
3. opens the explorer of cases in Debian's Chromium (Playwright), CPU throttled 4× through
   DevTools (Emulation.setCPUThrottlingRate), a phone-sized window, an empty cache, and records
   when the first result row is in the page (a MutationObserver installed before the page
   loads), the bytes transferred until then (Network.loadingFinished, encodedDataLength), and
   when the whole list can be filtered (the explorer's data-kb-ready);
4. gzips every other page (.html) of the site and reports the largest ones.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

LIMIT_MS, LIMIT_BYTES, PAGE_LIMIT = 2000, 500 * 1024, 60 * 1024
TEXT = (".html", ".js", ".css", ".json", ".xml", ".svg", ".txt", ".csv", ".yml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed when asked (as GitHub Pages serves them: compressed once,
    then from its cache; ``compressed``, one per server, keeps each file's gzip bytes)."""

    compressed: dict = {}

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()
            path = path / "index.html"
        if not (path.is_file() and path.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        key = (str(path), path.stat().st_mtime_ns)
        data = self.compressed.get(key)
        if data is None:
            data = self.compressed[key] = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        return io.BytesIO(data)


def serve(site: Path):
    cached = type("CachedGzipHandler", (GzipHandler,), {"compressed": {}})
    handler = lambda *a, **k: cached(*a, directory=str(site), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


FIRST_ROW = """
window.__kbFirstRow = null;
new MutationObserver((_, observer) => {
  if (document.querySelector('.kb-explorer__results tbody tr')) {
    window.__kbFirstRow = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def measure_explorer(base: str, runs: int = 3) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from kb.infra.localsite import launch_chromium

    out = []
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            finished: list[int] = []
            cdp.on("Network.loadingFinished", lambda e: finished.append(int(e["encodedDataLength"])))
            page.add_init_script(FIRST_ROW)
            start = time.perf_counter()
            page.goto(base + "explorer/cooperations/", wait_until="commit")
            page.wait_for_function("() => window.__kbFirstRow !== null", timeout=120000)
            first_ms = page.evaluate("window.__kbFirstRow")
            bytes_first = sum(finished)
            page.wait_for_function("() => document.querySelector('[data-kb-explorer]').dataset.kbReady === '1'",
                                   timeout=300000)
            ready_ms = (time.perf_counter() - start) * 1000
            rows = page.evaluate("document.querySelectorAll('.kb-explorer__results tbody tr').length")
            page.wait_for_load_state("load")
            out.append({"first_ms": first_ms, "bytes_first": bytes_first, "ready_ms": ready_ms,
                        "bytes_ready": sum(finished), "rows_shown": rows})
            context.close()
        browser.close()
    return out


def page_sizes(site: Path) -> list[tuple[int, str]]:
    sizes = []
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("pagefind/", "admin/")):
            continue
        sizes.append((len(gzip.compress(path.read_bytes(), 6)), rel))
    return sorted(sizes, reverse=True)


def build(n: int, work: Path) -> Path:
    import bench

    content = work / "content"
    if content.exists():
        shutil.rmtree(content)
    bench.generate_content(content, n)
    config = bench.make_project(work)
    site = work / "site"
    subprocess.run([sys.executable, "-m", "kb", "build", "--config-file", str(config), "--site-dir", str(site)],
                   check=True, stdout=subprocess.DEVNULL)
    return site


def median(values):
    values = sorted(values)
    return values[len(values) // 2]


def report(n: int, runs: list[dict], sizes: list[tuple[int, str]]) -> str:
    first = median(r["first_ms"] for r in runs)
    ready = median(r["ready_ms"] for r in runs)
    bytes_first = median(r["bytes_first"] for r in runs)
    bytes_ready = median(r["bytes_ready"] for r in runs)
    others = [(s, p) for s, p in sizes if p != "explorer/cooperations/index.html"]
    over = [(s, p) for s, p in others if s > PAGE_LIMIT]
    lines = [
        "## Côté lecteur : l'explorateur à " + f"{n:,}".replace(",", " ") + " fiches",
        "",
        f"Mesuré le {date.today().isoformat()} : `.venv/bin/python scripts/reader_bench.py --cases {n} --write`. "
        "Chromium (Debian) piloté par Playwright, processeur ralenti 4× (DevTools "
        "`Emulation.setCPUThrottlingRate`), fenêtre de téléphone (390 × 844), cache vide, site servi "
        "compressé (gzip) comme le fait GitHub Pages (compressé une fois, puis depuis son cache : un premier "
        "chargement non compté le remplit) ; médiane de " + str(len(runs)) + " chargements. "
        f"Charge moyenne de la machine pendant la mesure : {os.getloadavg()[0]:.1f} pour {os.cpu_count()} cœurs "
        "(au-delà du nombre de cœurs, d'autres travaux ralentissaient la mesure). La carte des territoires, "
        "2 Mo de SVG à cette échelle, est une page à part que l'explorateur charge quand on ouvre son panneau : "
        "elle ne compte pas dans ces chiffres.",
        "",
        "| Mesure | Valeur | Cible |",
        "|---|---:|---:|",
        f"| Premiers résultats affichés | {first / 1000:.2f} s | ≤ 2 s |",
        f"| Octets transférés avant eux | {bytes_first / 1024:.0f} Kio | ≤ 500 Kio |",
        f"| Toute la liste filtrable (lignes chargées) | {ready / 1000:.2f} s | ≤ 3 s |",
        f"| Octets transférés jusque-là | {bytes_ready / 1024:.0f} Kio | ≤ 1 Mo |",
        "",
        f"Autres pages : la plus lourde compressée fait {others[0][0] / 1024:.0f} Kio (`{others[0][1]}`) ; "
        f"{len(over)} page{'s' if len(over) > 1 else ''} sur {len(others)} dépasse{'nt' if len(over) > 1 else ''} "
        "60 Kio compressés" + (" :" if over else "."),
    ]
    kinds: dict[str, list] = {}
    for s, p in over:
        kinds.setdefault(p.split("/")[0], []).append((s, p))
    for kind, items in sorted(kinds.items(), key=lambda kv: -kv[1][0][0]):
        lines.append(f"- `{kind}/` : {len(items)} page{'s' if len(items) > 1 else ''}, jusqu'à "
                     f"{items[0][0] / 1024:.0f} Kio (`{items[0][1]}`)")
    lines.append("")
    lines.append("Chargements : " + " ; ".join(
        f"{r['first_ms'] / 1000:.2f} s / {r['bytes_first'] / 1024:.0f} Kio, prête en {r['ready_ms'] / 1000:.2f} s"
        for r in runs) + ".")
    return "\n".join(lines) + "\n"


def write(section: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8")
    marker = "## Côté lecteur"
    if marker in text:
        start = text.index(marker)
        end = text.find("\n## ", start + 1)
        text = text[:start] + section + (text[end + 1:] if end != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--site", type=Path, help="a site already built (skips generation and build)")
    parser.add_argument("--work", type=Path, help="folder for the synthetic project (default: a temporary one)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kb-reader-bench-"))
    site = args.site or build(args.cases, work)
    server, base = serve(site)
    try:
        measure_explorer(base, 1)  # warm-up, not counted: the server's gzip cache filled, as a CDN's is
        runs = measure_explorer(base, args.runs)
    finally:
        server.shutdown()
    section = report(args.cases, runs, page_sizes(site))
    print(section)
    if args.write:
        write(section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
