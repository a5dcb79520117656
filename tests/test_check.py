"""annals.check and `annals check`: what a build would refuse is found by the check, at its file and line."""
from __future__ import annotations

from annals.cli import main

TEXT = "---\ntitle: A meeting\ndate: 2021-07-20\ntags: [Index, Energy]\n---\nVladimir Putin: Good afternoon.\n"


def test_a_tag_that_cannot_name_a_page_is_reported_by_the_check_at_its_line(tmp_path, capsys):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text(TEXT, encoding="utf-8")
    status = main(["check", "--sources", str(tmp_path / "sources"), "--registry", str(tmp_path / "none")])
    out = capsys.readouterr()
    said = out.out + out.err
    assert status == 1, said
    assert "a.txt:4: tag 'Index' cannot name a page: its id would be 'index'" in said


def test_a_clean_text_passes_the_check(tmp_path, capsys):
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text(TEXT.replace("Index, ", ""), encoding="utf-8")
    assert main(["check", "--sources", str(tmp_path / "sources"), "--registry", str(tmp_path / "none")]) == 0
    assert "0 error(s)" in capsys.readouterr().out


def test_each_texts_doubts_are_those_of_its_parse_and_are_kept_by_its_bytes(tmp_path, monkeypatch):
    """`checked` reads only what parsing made: on the 115 demo texts, the doubts and body digest of each resolved
    document are those of the document as parsed (so they may be kept by the source's bytes); kept, a second
    check makes none again, an edited text is checked again alone, and the result is the same as made anew."""
    import shutil
    from pathlib import Path

    import annals.check
    from annals import cache
    from annals.check import check_archive, checked
    from annals.load import read_documents
    from annals.registry import load_registry
    from annals.resolve import resolve
    from annals.publishers import attach_publishers

    root = Path(__file__).resolve().parent.parent
    parsed, _, _ = read_documents(root / "sources")
    registry, _ = load_registry(root / "registry", "registry")
    documents, people = resolve(attach_publishers(parsed, registry.publishers)[0], registry)
    assert len(documents) == 115
    assert [checked(documents, i) for i in range(115)] == [checked(parsed, i) for i in range(115)]

    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    first = check_archive(documents, people)
    assert (tmp_path / "cache" / annals.check.CHECKED).is_file()
    seen = []
    monkeypatch.setattr(annals.check, "checked", lambda docs, i: seen.append(docs[i].source) or checked(docs, i))
    assert check_archive(documents, people) == first and seen == []
    shutil.copytree(root / "sources", tmp_path / "sources")
    edited = tmp_path / "sources" / "kremlin-17100.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nVladimir Putin: One more line.\n", encoding="utf-8")
    again, _, _ = read_documents(tmp_path / "sources")
    again, people = resolve(attach_publishers(again, registry.publishers)[0], registry)
    made = check_archive(again, people)
    assert seen == ["kremlin-17100.txt"]
    assert made == check_archive_anew(again, people, tmp_path / "other")
    kept = tmp_path / "cache" / annals.check.CHECKED
    cache.store(kept, ("another code", cache.load(kept)[1]))  # kept by other code: not taken, all checked again
    assert check_archive(again, people) == made and cache.load(kept)[0] == annals.check.CODE


def check_archive_anew(documents, people, folder):
    """check_archive with an empty cache of its own."""
    import os
    from annals.check import check_archive
    saved = os.environ.get("ANNALS_CACHE")
    os.environ["ANNALS_CACHE"] = str(folder)
    try:
        return check_archive(documents, people)
    finally:
        os.environ["ANNALS_CACHE"] = saved
