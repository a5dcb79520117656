"""Incremental `annals build`: only the changed pages rendered, the same bytes as a cold build, the published site
never written through its links."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annals.cli import main
from conftest import THREE_TEXTS, project_copy

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

PARAGRAPH = "The venue and entry procedures for accredited journalists will be announced later."


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A project with three of the demo sources, as the working folder."""
    project_copy(tmp_path, *THREE_TEXTS)
    monkeypatch.chdir(tmp_path)
    for name in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(monkeypatch, capsys, *args: str) -> str:
    """Run annals build; return its line saying what it did."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # set by the plugin, in this process where no fork
    capsys.readouterr()
    assert main(["build", "--strict", *args]) == 0
    return next(line for line in capsys.readouterr().out.splitlines() if "pages rendered" in line)


def edit(project: Path, old: str, new: str) -> None:
    source = project / "sources" / "kremlin-17100.txt"
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")


def test_one_paragraph_edited_renders_its_pages_only_and_equals_a_cold_build(project, monkeypatch, capsys):
    first = build(monkeypatch, capsys)
    assert "(full build: no previous site" in first
    published = project / "snapshot"
    shutil.copytree(project / "site", published, copy_function=lambda src, dst: Path(dst).hardlink_to(src))
    before = tree(published)  # the published files themselves, through links to them

    edit(project, PARAGRAPH, PARAGRAPH.replace("later.", "later, by telephone."))
    said = build(monkeypatch, capsys)
    assert said.startswith("2 pages rendered, 155 reused, search: 1 part of 1 re-indexed, ")  # the page, Data
    assert "full build" not in said
    assert tree(published) == before, "the incremental build wrote through a link into the published site"
    build(monkeypatch, capsys, "--full", "--site-dir", "cold")
    incremental, cold = tree(project / "site"), tree(project / "cold")
    assert "by telephone" in incremental["documents/2012/2012-12-10-accreditation-is-open-for-journalists-to-cover-"
                                         "the-meeting-of-the/index.html"].decode()
    assert any(path.startswith("pagefind/") for path in incremental)
    assert incremental == cold  # byte for byte, search index and build record included


def test_nothing_changed_leaves_the_site_as_it_is(project, monkeypatch, capsys):
    build(monkeypatch, capsys)
    before = {p: p.stat().st_ino for p in (project / "site").rglob("*")}
    assert build(monkeypatch, capsys).startswith("0 pages rendered, 157 reused, search: 0 parts of 1 re-indexed")
    assert {p: p.stat().st_ino for p in (project / "site").rglob("*")} == before  # the same files, not copies
    (project / "registry" / "glossary.yml").write_text(
        (project / "registry" / "glossary.yml").read_text(encoding="utf-8") + "# a comment\n", encoding="utf-8")
    assert build(monkeypatch, capsys).startswith("0 pages rendered, ")  # the generated files are the same
    assert not list(project.glob(".site-*"))
    build(monkeypatch, capsys, "--full", "--site-dir", "cold")
    assert tree(project / "site") == tree(project / "cold")


def test_damaged_record_makes_a_full_build(project, monkeypatch, capsys):
    build(monkeypatch, capsys)
    record = project / "site" / ".annals-build.json"
    record.write_bytes(record.read_bytes()[:100])
    edit(project, PARAGRAPH, PARAGRAPH.replace("later.", "soon."))
    assert "full build: no previous site, or no record" in build(monkeypatch, capsys)
    build(monkeypatch, capsys, "--full", "--site-dir", "cold")
    assert tree(project / "site") == tree(project / "cold")


def test_docs_make_a_full_build_and_a_removed_source_its_pages_removed(project, monkeypatch, capsys):
    build(monkeypatch, capsys)
    (project / "docs" / "about.md").write_text("# About\n\nAnother text.\n", encoding="utf-8")
    assert "full build: a change that affects every page" in build(monkeypatch, capsys)
    pages = {p.relative_to(project / "site").as_posix() for p in (project / "site" / "documents").rglob("*.html")}
    (project / "sources" / "kremlin-17976.txt").unlink()
    said = build(monkeypatch, capsys)
    assert "full build" not in said
    gone = pages - {p.relative_to(project / "site").as_posix() for p in (project / "site" / "documents").rglob("*.html")}
    assert gone == {"documents/2013/2013-04-25-direct-line-with-vladimir-putin/index.html",
                    "documents/2013/index.html"}  # its page, and its year's, the only text of 2013
    assert not (project / "site" / "documents" / "2013").exists()
    build(monkeypatch, capsys, "--full", "--site-dir", "cold")
    assert tree(project / "site") == tree(project / "cold")


def test_the_spare_site_whatever_it_holds_gives_the_site_of_a_cold_build(project, monkeypatch, capsys):
    """An incremental build keeps the site it replaced beside the new one (.site.spare, its files mostly links to
    the site's), and the next starts from it (incremental.sync): what the spare holds that the site does not (a
    changed file, a stray file or folder, a folder in a file's place), or lacks, is put right, never written
    through a link into the published site."""
    build(monkeypatch, capsys)
    edit(project, PARAGRAPH, PARAGRAPH.replace("later.", "later, by telephone."))
    assert "full build" not in build(monkeypatch, capsys)
    spare, site = project / ".site.spare", project / "site"
    shared = [p for p in site.rglob("*") if p.is_file() and (spare / p.relative_to(site)).is_file()
              and (spare / p.relative_to(site)).stat().st_ino == p.stat().st_ino]
    assert len(shared) > 100  # the spare's files are mostly the site's own
    changed = spare / "index.html"
    changed.unlink()
    changed.write_text("not the site's", encoding="utf-8")
    (spare / "stray.html").write_text("stray", encoding="utf-8")
    (spare / "stray" / "deeper").mkdir(parents=True)
    shutil.rmtree(spare / "people")
    page = next(p for p in spare.rglob("index.html") if p.parent != spare and "documents" in p.parts)
    page.unlink()
    page.mkdir()
    published = project / "snapshot"
    shutil.copytree(site, published, copy_function=lambda src, dst: Path(dst).hardlink_to(src))
    before = tree(published)
    edit(project, PARAGRAPH.replace("later.", "later, by telephone."), PARAGRAPH.replace("later.", "later, by fax."))
    said = build(monkeypatch, capsys)
    assert "full build" not in said and said.startswith("2 pages rendered")
    assert tree(published) == before, "the build wrote through a link into the published site"
    assert spare.is_dir() and not list(project.glob(".site-*"))
    build(monkeypatch, capsys, "--full", "--site-dir", "cold")
    assert tree(site) == tree(project / "cold")
    assert not (project / ".cold.spare").exists()  # a full build keeps no spare
