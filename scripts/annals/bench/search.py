"""Measure search in a real browser: time from the last keystroke to the first result, and bytes transferred.

Debian's Chromium (/usr/bin/chromium) driven by Playwright, which downloads no browser of its own. The site is
served from 127.0.0.1 by http.server in a thread. Each query runs in a new browser context (a cold cache).
`bench_search` measures our search (Pagefind) on the search page; `bench_material_search` builds the same archive
with Material's own search plugin and measures its search box, for comparison.
"""
from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import statistics
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")
TIMEOUT_MS = 30_000

# In the page: the time of the last key pressed, and of the first result shown after it.
WATCH = """
window.__annals = {key: 0, shown: 0};
document.addEventListener("keydown", () => { window.__annals.key = performance.now(); window.__annals.shown = 0; },
                          true);
new MutationObserver(() => {
  if (!window.__annals.shown && window.__annals.key && document.querySelector(%s))
    window.__annals.shown = performance.now();
}).observe(document, {childList: true, subtree: true});
"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files without logging each request."""

    def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
        pass


# What static hosts (GitHub Pages, Netlify, nginx's gzip on) send compressed; Pagefind's files are gzip already.
COMPRESSED = (".html", ".css", ".js", ".json", ".svg")


class GzipHandler(QuietHandler):
    """Serve text files gzip-compressed when the browser accepts it, as a static host does."""

    def do_GET(self) -> None:  # noqa: N802 (the base class's name)
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?", 1)[0].endswith("/"):
            path = path / "index.html"
        if path.suffix not in COMPRESSED or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            super().do_GET()  # and a folder without its slash is redirected, as before
            return
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def served(folder: Path, compress: bool = False, handler: type | None = None) -> Iterator[str]:
    """Serve a folder on 127.0.0.1 (a free port) while the block runs; yield its base URL. With `compress`,
    text files go gzip-compressed, as a static host sends them; `handler`, a request handler class of one's own."""
    handler = functools.partial(handler or (GzipHandler if compress else QuietHandler), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def launch_chromium(playwright):
    """Launch Debian's Chromium, headless, with nothing fetched from outside."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))


class Transfer:
    """Count the bytes of the responses a page receives (bodies, as Chromium reports them)."""

    def __init__(self, page):
        self.requests: list = []
        page.on("requestfinished", lambda request: self.requests.append(request))  # sizes asked later

    def mark(self) -> int:
        """Return how many requests have finished so far."""
        return len(self.requests)

    def bytes(self, start: int = 0, stop: int | None = None) -> int:
        """Return the bytes of the responses to the requests from start to stop (in order of finishing)."""
        return sum(max(r.sizes()["responseBodySize"], 0) for r in self.requests[start:stop])


def measure_query(browser, url: str, box: str, result: str, query: str) -> dict:
    """Open url in a new context, type query into box, and measure until result appears."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(WATCH % json.dumps(result))
        transfer = Transfer(page)
        page.goto(url, wait_until="load")
        loaded = transfer.mark()
        page.click(box)
        page.keyboard.type(query)
        page.wait_for_selector(result, timeout=TIMEOUT_MS)
        page.wait_for_load_state("networkidle")
        watch = page.evaluate("window.__annals")
        page_bytes, query_bytes = transfer.bytes(0, loaded), transfer.bytes(loaded)
        wasm = [r.url for r in transfer.requests if "/wasm." in r.url and r.url.endswith(".pagefind")]
        return {"ms": round(watch["shown"] - watch["key"], 1), "query_bytes": query_bytes, "page_bytes": page_bytes,
                "total_bytes": page_bytes + query_bytes, "requests": len(transfer.requests), "wasm_requests": wasm}
    finally:
        context.close()


def summarise(queries: list[str], rows: dict[str, list[dict]], runs: int) -> dict:
    """Medians per query and over all queries."""
    per_query = {q: {k: statistics.median(r[k] for r in rs) for k in ("ms", "query_bytes", "total_bytes")}
                 for q, rs in rows.items()}
    every = [r for rs in rows.values() for r in rs]
    return {"queries": queries, "runs": runs, "per_query": per_query,
            "median_ms": statistics.median(r["ms"] for r in every),
            "max_ms": max(r["ms"] for r in every),
            "median_query_bytes": statistics.median(r["query_bytes"] for r in every),
            "max_query_bytes": max(r["query_bytes"] for r in every),
            "median_page_bytes": statistics.median(r["page_bytes"] for r in every),
            "max_total_bytes": max(r["total_bytes"] for r in every)}


def bench_browser(site_dir: Path, path: str, box: str, result: str, queries: list[str], runs: int,
                  compress: bool = False) -> dict:
    """Serve a built site (gzip-compressed, with `compress`) and measure each query `runs` times on the page at
    `path`."""
    from playwright.sync_api import sync_playwright

    rows: dict[str, list[dict]] = {q: [] for q in queries}
    with served(Path(site_dir), compress) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for _ in range(runs):
                for query in queries:
                    rows[query].append(measure_query(browser, base + path, box, result, query))
        finally:
            browser.close()
    return summarise(queries, rows, runs)


def bench_search(site_dir: Path, queries: list[str], runs: int, compress: bool = False) -> dict:
    """Our search on a site built by `annals build`: the search page, cold cache for each query.

    Returns medians over runs: ms from the last keystroke to the first result shown, bytes transferred for the
    query (after the page loaded) and for the page itself.
    """
    return bench_browser(site_dir, "search/", "#annals-q", ".annals-search-status[data-query]", queries, runs,
                         compress)


def build_material_site(config_file: Path, sources: Path | None, registry: Path | None, site_dir: Path) -> Path:
    """Build the archive with Material's own search plugin in place of ours (no Pagefind index)."""
    from annals.site import build_site, load_mkdocs_config

    config, plugin = load_mkdocs_config(config_file, sources, registry)
    annals = {"sources": str(plugin.sources_dir(config)), "registry": str(plugin.folder(config, "registry"))}
    return build_site(config_file, sources, registry, site_dir, search=False, plugins=["search", {"annals": annals}])


def bench_material_search(config_file: Path, sources: Path | None, registry: Path | None, queries: list[str],
                          runs: int) -> dict:
    """Material's search box on the same archive: built once, then measured as bench_search measures ours."""
    with tempfile.TemporaryDirectory(prefix="annals-material-") as tmp:
        site = build_material_site(config_file, sources, registry, Path(tmp) / "site")
        index = site / "search" / "search_index.json"
        result = bench_browser(site, "", ".md-search__input", ".md-search-result__item", queries, runs)
        result["index_bytes"] = index.stat().st_size if index.is_file() else 0
        return result
