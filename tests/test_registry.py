"""annals.registry: the editors' registry files read, each problem at its file and line."""
from __future__ import annotations

from annals.registry import load_registry


def write(folder, name: str, text: str):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_entries_are_read_with_their_aliases_and_lines(tmp_path):
    write(tmp_path / "r", "people.yml", "- id: putin\n  name: Vladimir Putin\n  aliases: [Putin]\n"
                                        "- id: aliyev\n  name: Ilham Aliyev\n")
    registry, problems = load_registry(tmp_path / "r", "registry")
    assert problems == []
    assert [(e.id, e.aliases, e.line) for e in registry.people] == [("putin", ("Putin",), 1), ("aliyev", (), 4)]
    assert registry.alias_map()["putin"] == "putin"


def test_a_bad_entry_is_reported_at_its_own_line(tmp_path):
    write(tmp_path / "r", "people.yml", "- id: a\n  name: A\n- id: b\n  name: B\n  aliases: 5\n")
    _, problems = load_registry(tmp_path / "r", "registry")
    assert [(p.path, p.line, p.severity) for p in problems] == [("registry/people.yml", 3, "error")]
    assert "must be lists of names" in problems[0].message


def test_no_folder_is_an_empty_registry():
    registry, problems = load_registry(None)
    assert registry.entries == () and problems == []
