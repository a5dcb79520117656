"""Benchmarks, measured in one run so that ratios compare like with like on a noisy machine."""
from __future__ import annotations

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
