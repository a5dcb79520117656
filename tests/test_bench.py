"""The benchmarks run, and report what they say they report."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annals.bench.run import STAGES, bench_stages, scale_corpus
from annals.load import load_archive
from annals.generate import generate

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

ROOT = Path(__file__).resolve().parent.parent


def test_scale_makes_distinct_documents(tmp_path):
    scale_corpus(ROOT / "sources", tmp_path / "s", 3)
    ids = [d.id for d in load_archive(tmp_path / "s").documents]
    assert len(ids) == 3 == len(set(ids))


def test_stages_are_timed_and_sized(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    before = os.environ.get("ANNALS_CACHE")
    (tmp_path / "s").mkdir()  # one text is enough to time every stage
    (tmp_path / "s" / "seed.txt").write_bytes((ROOT / "sources" / "president-az-52519.txt").read_bytes())
    result = bench_stages(ROOT / "mkdocs.yml", tmp_path / "s", ROOT / "registry", runs=1)
    assert result["documents"] == 1 and result["pages"] > 5
    times = result["median_s"]
    assert set(STAGES) <= set(times) and {"before mkdocs", "build", "no-change rebuild"} <= set(times)
    assert all(t >= 0 for t in times.values()) and all(times[s] > 0 for s in ("mkdocs", "search index")), times
    assert times["before mkdocs"] < times["build"]
    assert result["output_mb"] > 0 and result["search_index_mb"] > 0 and result["peak_memory_mb"] > 0
    assert os.environ.get("ANNALS_CACHE") == before


def test_no_change_rebuild_reuses_and_a_change_remakes(tmp_path, monkeypatch):
    """The generated files are reused only while every input is the same; a change writes only what moved."""
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    scale_corpus(ROOT / "sources", tmp_path / "s", 3)
    first = generate(tmp_path / "s", ROOT / "registry")
    again = generate(tmp_path / "s", ROOT / "registry")
    assert not first.reused and again.reused and again.files == first.files
    manifest = json.loads((first.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["written"] == len(first.files)
    source = sorted((tmp_path / "s").rglob("*.txt"))[0]
    source.write_text(source.read_text(encoding="utf-8") + "\n\nA new closing paragraph.\n", encoding="utf-8")
    changed = generate(tmp_path / "s", ROOT / "registry")
    assert not changed.reused
    manifest = json.loads((first.folder / "manifest.json").read_text(encoding="utf-8"))
    assert 0 < manifest["written"] < len(changed.files)  # the other documents' pages were not rewritten
    source.unlink()
    fewer = generate(tmp_path / "s", ROOT / "registry")
    gone = set(changed.files) - set(fewer.files)
    assert any(f.startswith("data/documents/") for f in gone) and any(f.endswith(".md") for f in gone)
    assert not any((fewer.root / f).exists() for f in gone)  # removed from the folder, not only from the list
    assert all((fewer.root / f).is_file() for f in fewer.files)


def test_parallel_work_gives_what_serial_work_gives(monkeypatch):
    """fork_map on two workers returns what a plain loop returns, in order; and so do the pages."""
    from annals import parallel
    items = list(range(300))
    assert parallel.fork_map(square_of_shared, items, 7, minimum=1) == [7 * i * i for i in items]
    assert parallel.fork_map(abs, [-i for i in items], minimum=1) == items  # no data: func(item)
    if parallel.workers() > 1:  # the pages of a small archive rendered on every core are those of a plain loop
        archive = load_archive(ROOT / "sources", ROOT / "registry")
        monkeypatch.setattr(parallel, "MINIMUM", 1)
        from annals.render.pages import render_plan, render_site, render_task
        pages, tasks, refs = render_plan(archive)
        serial = dict(pages, **dict(render_task(archive, refs, t) for t in tasks))
        assert parallel.fork_map(square_of_shared, [1, 2], 3, minimum=1) == [3, 12]
        assert render_site(archive) == dict(sorted(serial.items()))


def square_of_shared(data: int, i: int) -> int:
    return data * i * i


def test_peak_memory_counts_the_processes_started():
    """annals.bench.memory sums the tree: memory held by a child process counts, and so does our own."""
    import subprocess
    import sys
    import time

    from annals.bench.memory import peak_memory
    hold = "x = bytearray(120 * 2**20); x[::4096] = b'y' * len(x[::4096]); import time; time.sleep(1.5)"
    with peak_memory() as child:
        subprocess.run([sys.executable, "-c", hold], check=True)
    with peak_memory() as own:
        block = bytearray(120 * 2**20)
        block[::4096] = b"y" * len(block[::4096])
        time.sleep(1.0)
    if not Path("/proc/self/smaps_rollup").exists():
        assert child["bytes"] == own["bytes"] == 0  # not Linux: nothing measured, and it says so
        return
    assert child["bytes"] > 120 * 2**20 and own["bytes"] > 120 * 2**20
    del block


def test_jobs_compares_one_process_with_two(tmp_path, monkeypatch):
    from annals import shards
    from annals.bench.run import bench_jobs

    monkeypatch.setattr(shards, "MIN_PAGES", 2)  # three texts: shards all the same
    before = os.environ.get("ANNALS_CACHE")
    result = bench_jobs(ROOT / "mkdocs.yml", ROOT / "sources", ROOT / "registry", 3, runs=1, work=tmp_path)
    assert result["documents"] == 3 and result["runs"] == 1
    for jobs in ("jobs_1", "jobs_2"):
        assert len(result[jobs]["mkdocs_s"]) == 1 and 0 < result[jobs]["median_mkdocs_s"] < result[jobs]["median_build_s"]
    assert result["mkdocs_speedup"] > 0 and result["build_speedup"] > 0
    assert len(list((tmp_path / "project" / "sources").rglob("*.txt"))) == 3
    assert (tmp_path / "project" / "site" / "index.html").is_file()
    assert os.environ.get("ANNALS_CACHE") == before
