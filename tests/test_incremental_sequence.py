"""Incremental builds through a sequence of an editor's changes: after each, the site equals a cold build of the
same state, byte for byte, search index and build record included (issue 17)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from annals.cli import main
from conftest import ROOT, THREE_TEXTS, project_copy

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

PARAGRAPH = "The venue and entry procedures for accredited journalists will be announced later."


def tree(folder: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under `folder`."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(folder.rglob("*"))}


def build(monkeypatch, capsys, project: Path, cache: str, *args: str) -> str:
    """Run annals build from the project folder with its own cache; return its line saying what it did."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)  # set by the plugin, in this process where no fork
    monkeypatch.setenv("ANNALS_CACHE", str(project / cache))
    capsys.readouterr()
    assert main(["build", "--strict", *args]) == 0
    return next(line for line in capsys.readouterr().out.splitlines() if "pages rendered" in line)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_newest(project: Path) -> None:
    """A text dated after every other: it moves the build's date."""
    text = (ROOT / "sources" / "kremlin-39225.txt").read_text(encoding="utf-8").replace("2000", "2022")
    (project / "sources" / "kremlin-99999.txt").write_text(text, encoding="utf-8")


def edit(project: Path) -> None:
    replace(project / "sources" / "kremlin-17100.txt", PARAGRAPH, PARAGRAPH.replace("later.", "later, by telephone."))


def rename(project: Path) -> None:
    (project / "sources" / "kremlin-17976.txt").rename(project / "sources" / "kremlin-17976-renamed.txt")


def delete(project: Path) -> None:
    (project / "sources" / "kremlin-99999.txt").unlink()


def alias(project: Path) -> None:
    replace(project / "registry" / "people.yml", "aliases: [I.Aliyev,", "aliases: [Ilham Heydar Aliyev, I.Aliyev,")


def glossary(project: Path) -> None:
    with open(project / "registry" / "glossary.yml", "a", encoding="utf-8") as f:
        f.write("- term: accredited\n  definition: Admitted by the press service to report on an event.\n")


def licence(project: Path) -> None:
    replace(project / "registry" / "publishers.yml", "  timezone: Asia/Baku\n",
            "  timezone: Asia/Baku\n  licence:\n    name: All rights reserved\n")


def setting(project: Path) -> None:
    replace(project / "mkdocs.yml", "site_description: An archive", "site_description: A public archive")


def docs_file(project: Path) -> None:
    with open(project / "docs" / "stylesheets" / "annals.css", "a", encoding="utf-8") as f:
        f.write("\n/* a change */\n")


# (change, whether the build after it may reuse the previous site)
STEPS = [(add_newest, True), (edit, True), (rename, True), (delete, True), (alias, True), (glossary, True),
         (licence, True), (setting, False), (docs_file, False)]


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    project_copy(tmp_path, *THREE_TEXTS)
    monkeypatch.chdir(tmp_path)
    for name in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_each_change_built_incrementally_equals_a_cold_build(project, monkeypatch, capsys):
    assert "(full build: no previous site" in build(monkeypatch, capsys, project, "cache")
    for i, (change, reuses) in enumerate(STEPS):
        change(project)
        said = build(monkeypatch, capsys, project, "cache")
        assert ("full build" not in said) == reuses, (change.__name__, said)
        cold = f"cold-{i}"
        build(monkeypatch, capsys, project, f"{cold}-cache", "--full", "--site-dir", cold)
        incremental, full = tree(project / "site"), tree(project / cold)
        assert incremental.keys() == full.keys(), (change.__name__, set(incremental) ^ set(full))
        differ = [path for path in full if incremental[path] != full[path]]
        assert not differ, (change.__name__, differ)
        shutil.rmtree(project / cold)
        shutil.rmtree(project / f"{cold}-cache")
