"""The benchmarks run, and report what they say they report."""
from __future__ import annotations

import os
from pathlib import Path

from annals.bench import bench_stages, scale_corpus
from annals.build import load_archive

ROOT = Path(__file__).resolve().parent.parent


def test_scale_makes_distinct_documents(tmp_path):
    scale_corpus(ROOT / "sources", tmp_path / "s", 3)
    ids = [d.id for d in load_archive(tmp_path / "s").documents]
    assert len(ids) == 3 == len(set(ids))


def test_stages_are_timed_and_sized(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    before = os.environ.get("ANNALS_CACHE")
    result = bench_stages(ROOT / "mkdocs.yml", ROOT / "sources", ROOT / "registry", runs=1)
    assert result["documents"] == 1 and result["pages"] > 5
    assert set(result["median_s"]) == {"read+parse", "resolve", "index", "render", "mkdocs"}
    assert all(t > 0 for t in result["median_s"].values())
    assert result["output_mb"] > 0 and result["peak_memory_mb"] > 0
    assert os.environ.get("ANNALS_CACHE") == before
