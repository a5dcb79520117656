"""Benchmarks, measured in one run so that ratios compare like with like on a noisy machine."""
from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from annals.site import build_site


def bench_crosslinks(config_file: Path, sources: Path, registry: Path | None, runs: int) -> dict:
    """Build the site with and without cross-links, alternately, `runs` times each; return the timings."""
    times = {"with": [], "without": []}
    with tempfile.TemporaryDirectory(prefix="annals-bench-") as tmp:
        for _ in range(runs):
            for kind in ("without", "with"):
                start = time.perf_counter()
                site = build_site(config_file, sources, registry, Path(tmp) / kind, crosslinks=kind == "with")
                times[kind].append(time.perf_counter() - start)
                pages = sum(1 for _ in site.rglob("index.html"))
                times[f"{kind}_pages"] = pages
                shutil.rmtree(site)
    with_, without = statistics.median(times["with"]), statistics.median(times["without"])
    return {"runs": runs, "median_with_s": round(with_, 3), "median_without_s": round(without, 3),
            "ratio": round(with_ / without, 3), "pages_with": times["with_pages"],
            "pages_without": times["without_pages"], "times_with": [round(t, 3) for t in times["with"]],
            "times_without": [round(t, 3) for t in times["without"]]}


def scale_corpus(sources: Path, out: Path, count: int) -> int:
    """Write `count` documents into `out`, copies of the texts of `sources` with distinct titles and dates."""
    import datetime

    from annals.build import find_sources
    from annals.parse import parse
    from annals.read import read_source

    files, _ = find_sources(sources)
    texts = [(rel, read_source(path, rel).text) for path, rel in files]
    out.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        rel, text = texts[i % len(texts)]
        round_ = i // len(texts)
        name = out / f"{round_:04d}" / rel
        if round_:
            doc = parse(text, rel)
            shifted = doc.date - datetime.timedelta(days=7 * round_)
            meta = f"---\ntitle: {json.dumps(f'{doc.title} ({round_})')}\ndate: {shifted.isoformat()}\n---\n"
            text = meta + (text.split("\n---\n", 1)[1] if text.startswith("---\n") else text)
        name.parent.mkdir(parents=True, exist_ok=True)
        name.write_text(text, encoding="utf-8")
    return count


def bench_serve(sources: Path, edits: int, timeout: float = 300) -> dict:
    """Start `annals serve` on a copy of `sources`, edit one document `edits` times, time until it shows."""
    import socket
    import subprocess
    import sys
    import urllib.request

    def fetch(url: str) -> str:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    def wait(predicate) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if predicate():
                return time.perf_counter() - start
            time.sleep(0.2)
        raise TimeoutError("the served page did not change in time")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="annals-serve-") as tmp:
        copy = Path(tmp) / "sources"
        shutil.copytree(sources, copy)
        from annals.build import load_archive
        doc = load_archive(copy, crosslinks=False).documents[0]
        url = f"http://127.0.0.1:{port}/{doc.url}"
        proc = subprocess.Popen([sys.executable, "-m", "annals", "serve", "--sources", str(copy),
                                 "--dev-addr", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            first = wait(lambda: doc.title.split()[0] in fetch(url))
            times = []
            for i in range(edits):
                marker = f"Edited paragraph number {i} for the benchmark."
                with open(copy / doc.source, "a", encoding="utf-8") as f:
                    f.write(f"\n\n{marker}\n")
                times.append(wait(lambda: marker in fetch(url)))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return {"documents": len(list(sources.rglob("*.txt"))), "first_build_s": round(first, 2),
            "edit_shown_s": [round(t, 2) for t in times], "median_edit_shown_s": round(statistics.median(times), 2)}


def bench_stages(config_file: Path, sources: Path, registry: Path | None, runs: int) -> dict:
    """Time each stage of a cold build (parse cache emptied), `runs` times; medians, sizes and peak memory."""
    import resource

    from annals import build as stages
    from annals.index import index
    from annals.mentions import attach_mentions
    from annals.registry import load_registry
    from annals.render import render_site
    from annals.resolve import resolve

    times: dict[str, list[float]] = {k: [] for k in ("read+parse", "resolve", "index", "render", "mkdocs")}
    saved = os.environ.get("ANNALS_CACHE")
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="annals-stages-") as tmp:
            os.environ["ANNALS_CACHE"] = str(Path(tmp) / "cache")
            clock = time.perf_counter()
            documents, problems, _ = stages.read_documents(sources)
            times["read+parse"].append(time.perf_counter() - clock)
            clock = time.perf_counter()
            registry_data, _ = load_registry(registry)
            documents, people = resolve(documents, registry_data)
            times["resolve"].append(time.perf_counter() - clock)
            clock = time.perf_counter()
            documents, entities, people, doubts = attach_mentions(documents, people, registry_data)
            documents = [stages.attach_events(d) for d in documents]
            archive = index(documents, people, problems + doubts, entities, registry_data.glossary)
            times["index"].append(time.perf_counter() - clock)
            clock = time.perf_counter()
            pages = render_site(archive)
            times["render"].append(time.perf_counter() - clock)
            clock = time.perf_counter()
            site = build_site(config_file, sources, registry, Path(tmp) / "site")
            times["mkdocs"].append(time.perf_counter() - clock)  # the whole site build (archive loaded again)
            size = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
            search = site / "search" / "search_index.json"
            search_size = search.stat().st_size if search.is_file() else 0
    if saved is None:
        os.environ.pop("ANNALS_CACHE", None)
    else:
        os.environ["ANNALS_CACHE"] = saved
    count = len(documents)
    medians = {k: round(statistics.median(v), 3) for k, v in times.items()}
    before_mkdocs = medians["read+parse"] + medians["resolve"] + medians["index"] + medians["render"]
    return {"documents": count, "runs": runs, "median_s": medians,
            "documents_per_s_before_mkdocs": round(count / before_mkdocs, 1),
            "documents_per_s_build": round(count / medians["mkdocs"], 1),
            "pages": len(pages), "output_mb": round(size / 2**20, 1), "search_index_mb": round(search_size / 2**20, 2),
            "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
