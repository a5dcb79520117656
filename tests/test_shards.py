"""The pages rendered in shards (annals.shards): the same site for any number of processes, the check of links
to anchors made across the shards, a shard's failure failing the build and leaving the previous site."""
from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from annals import shards
from annals.errors import AnnalsError
from annals.site import build_site
from conftest import ROOT, THREE_TEXTS, project_copy

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def counted(monkeypatch, tmp_path):
    """How many shards each build ran in (a line per build in a file: the shards run in forked processes)."""
    record, run = tmp_path / "shards.txt", shards.run_shards

    def counting(config, jobs):
        with open(record, "a", encoding="utf-8") as f:
            f.write(f"{jobs}\n")
        return run(config, jobs)

    monkeypatch.setattr(shards, "run_shards", counting)
    return lambda: record.read_text(encoding="utf-8").split() if record.exists() else []


def build(project: Path, site: str, jobs: int, monkeypatch, **options) -> Path:
    monkeypatch.chdir(project)
    for name in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ANNALS_CACHE", str(project / f"cache-{site}"))
    return build_site(project / "mkdocs.yml", project / "sources", project / "registry", project / site, jobs=jobs,
                      **options)


def test_the_corpus_site_is_the_same_in_one_process_and_in_two(tmp_path, monkeypatch, counted):
    project = project_copy(tmp_path)
    shutil.rmtree(project / "sources")
    shutil.copytree(ROOT / "sources", project / "sources")
    one = tree(build(project, "one", 1, monkeypatch))
    assert counted() == []
    two = tree(build(project, "two", 2, monkeypatch))
    assert counted() == ["2"]
    assert len(one) > 1000 and sorted(one) == sorted(two)
    assert [p for p in one if one[p] != two[p]] == []


def test_a_missing_anchor_is_found_across_shards(tmp_path, monkeypatch, counted, capfd):
    project = project_copy(tmp_path, *THREE_TEXTS)
    (project / "docs" / "about.md").write_text(
        "# About\n\nSee [the people](people/index.md#no-such-anchor) and [here](#nor-this).\n", encoding="utf-8")
    monkeypatch.setattr(shards, "MIN_PAGES", 2)
    said = []
    for jobs in (1, 2):
        handler = logging.FileHandler(tmp_path / f"log{jobs}.txt")  # the shards' processes inherit it
        logging.getLogger("mkdocs").addHandler(handler)
        try:
            build(project, f"site{jobs}", jobs, monkeypatch)
        finally:
            logging.getLogger("mkdocs").removeHandler(handler)
            handler.close()
        said.append(sorted(line for line in (tmp_path / f"log{jobs}.txt").read_text(encoding="utf-8").splitlines()
                           if "anchor" in line))
    assert counted() == ["2"]
    assert said[0] == said[1] == [
        "Doc file 'about.md' contains a link '#nor-this', but there is no such anchor on this page.",
        "Doc file 'about.md' contains a link 'people/index.md#no-such-anchor', but the doc 'people/index.md' does "
        "not contain an anchor '#no-such-anchor'."]
    for jobs in (1, 2):
        with pytest.raises(AnnalsError, match="Aborted with 2 warnings in strict mode"):
            build(project, f"site{jobs}", jobs, monkeypatch, strict=True, full=True)
        assert (project / f"site{jobs}" / "about" / "index.html").is_file()  # the previous site, as it was


def test_a_shard_that_fails_fails_the_build_and_leaves_the_previous_site(tmp_path, monkeypatch, counted):
    project = project_copy(tmp_path, *THREE_TEXTS)
    monkeypatch.setattr(shards, "MIN_PAGES", 2)
    site = build(project, "site", 2, monkeypatch)
    before = tree(site)
    build_one = shards.shard_build

    def second_fails(config, shard, jobs):
        if shard == 1:
            os._exit(3)  # as a process killed or out of memory would end
        return build_one(config, shard, jobs)

    monkeypatch.setattr(shards, "shard_build", second_fails)
    with pytest.raises(AnnalsError) as caught:
        build(project, "site", 2, monkeypatch, full=True)
    assert str(caught.value) == (f"{project / 'mkdocs.yml'}: MkDocs build failed: the process of shard 2 of 2 ended "
                                 f"with code 3 (killed, or out of memory: --jobs 1 needs less)\n"
                                 f"  the previous site in {site} is unchanged")
    assert tree(site) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]  # no staging folder left behind
    assert counted() == ["2", "2"]
