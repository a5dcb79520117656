"""Editors' safety: odd and hostile files, the quality report, `annals new`, and sources never changed."""
from __future__ import annotations

import codecs
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from annals.load import load_archive
from annals.cli import main
from annals.errors import AnnalsError
from annals.read import MAX_BYTES, read_source

ROOT = Path(__file__).resolve().parent.parent
TEXT = "Visit\n\n20 July 2021, 19:40\n\nPresident Ilham Aliyev: Thank you very much, Mr President.\n"


def read(tmp_path: Path, data: bytes, name: str = "x.txt"):
    (tmp_path / name).write_bytes(data)
    return read_source(tmp_path / name, name)


def refused(tmp_path: Path, data: bytes) -> str:
    with pytest.raises(AnnalsError) as exc:
        read(tmp_path, data)
    return str(exc.value).splitlines()[0]


@pytest.mark.parametrize("data", [
    TEXT.encode("utf-8"), codecs.BOM_UTF8 + TEXT.encode("utf-8"), codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
    codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), TEXT.replace("\n", "\r\n").encode(), TEXT.replace("\n", "\r").encode(),
], ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "crlf", "lone-cr"])
def test_text_in_every_accepted_form_reads_the_same(tmp_path, data):
    assert read(tmp_path, data).text == TEXT


def test_legacy_encodings_only_when_declared(tmp_path):
    russian = "Встреча\n\n20 July 2021\n\nПрезидент: Спасибо.\n"
    assert refused(tmp_path, russian.encode("cp1251")) == "x.txt:1: not valid UTF-8 text (it looks like cp1251)"
    declared = ("---\nencoding: cp1251\n---\n" + russian).encode("cp1251")
    assert read(tmp_path, declared).text.endswith(russian)
    french = "Visite\n\n20 July 2021\n\nLe président a déclaré: merci.\n"
    assert refused(tmp_path, french.encode("cp1252")) == "x.txt:5: not valid UTF-8 text (it looks like cp1252)"
    assert read(tmp_path, ("---\nencoding: windows-1252\n---\n" + french).encode("cp1252")).text.endswith(french)
    assert refused(tmp_path, b"---\nencoding: koi8-r\n---\nx") == "x.txt:2: unknown encoding 'koi8-r'"


@pytest.mark.parametrize("data, message", [
    (b"", "x.txt:1: file is empty"),
    (b"  \n\n \r\n", "x.txt:1: file is empty"),
    (b"Title\n\n20 July 2021\n\nText\x00more", "x.txt:5: file contains NUL bytes: a binary file, not a text"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.txt:3: file contains NUL bytes: a binary file, not a text"),
    (bytes(range(1, 9)) * 20, "x.txt:1: file is full of control characters: a binary file, not a text"),
    (b"x" * (MAX_BYTES + 1), "x.txt: file is larger than 5 MB: refused"),
])
def test_files_that_are_not_texts_are_refused(tmp_path, data, message):
    assert refused(tmp_path, data) == message


def test_invisible_controls_are_removed_with_line_and_column(tmp_path):
    data = "Visit\n\n20 July 2021\n\nHe\u202esaid\u200b \u2066yes\u2069.\ufeff\n".encode()
    source = read(tmp_path, data)
    assert source.text == "Visit\n\n20 July 2021\n\nHesaid yes.\n"
    assert [str(w) for w in source.warnings] == [
        "x.txt:5: warning: invisible bidirectional control U+202E removed (column 3)",
        "x.txt:5: warning: invisible bidirectional control U+2066 removed (column 10)",
        "x.txt:5: warning: invisible bidirectional control U+2069 removed (column 14)",
        "x.txt:5: warning: invisible byte order mark removed (column 16)",
        "x.txt:5: warning: invisible zero-width space removed (column 8)",
    ]


def test_a_parse_taken_from_the_cache_keeps_what_cleaning_found_and_a_damaged_one_is_parsed_again(
        tmp_path, monkeypatch):
    """The parse cache keeps, by a source's bytes, its document and its cleaning's warnings: a second read gives
    both as the first, without cleaning again; a cache file that is not such a pair is parsed again."""
    import annals.load
    from annals.load import read_and_parse
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    (tmp_path / "x.txt").write_bytes("Visit\n\n20 July 2021\n\nPresident Ilham Aliyev: He\u202esaid yes.\n".encode())
    first = read_and_parse((tmp_path / "x.txt", "x.txt"))
    assert first[0] is not None and [str(w) for w in first[1]] == [
        "x.txt:5: warning: invisible bidirectional control U+202E removed (column 27)"]
    monkeypatch.setattr(annals.load, "source_of", lambda *a: pytest.fail("cleaned again"))
    assert read_and_parse((tmp_path / "x.txt", "x.txt")) == first
    [kept] = (tmp_path / "cache" / "parsed").rglob("*.pickle")
    from annals import cache
    cache.store(kept, first[0])  # a document alone, as the cache held before: not taken
    monkeypatch.undo()
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    assert read_and_parse((tmp_path / "x.txt", "x.txt")) == first


def test_names_with_spaces_and_other_scripts_get_ascii_ids(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "Встреча с президентом.txt").write_text(
        "Встреча с Ильхамом Алиевым\n\n20 July 2021\n\nText.", encoding="utf-8")
    [doc] = load_archive(tmp_path / "s").documents
    assert doc.id == "2021-07-20-vstrecha-s-il-khamom-alievym" and doc.id.isascii()
    assert doc.source == "Встреча с президентом.txt"


def test_colliding_ids_are_distinct_stable_and_reported(tmp_path):
    (tmp_path / "s" / "a").mkdir(parents=True)
    (tmp_path / "s" / "b").mkdir()
    (tmp_path / "s" / "a" / "x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "s" / "b" / "x.txt").write_text(TEXT + "\nMore.\n", encoding="utf-8")
    archive = load_archive(tmp_path / "s")
    ids = sorted(d.id for d in archive.documents)
    assert ids == sorted(d.id for d in load_archive(tmp_path / "s").documents) and len(set(ids)) == 2
    clashes = [str(p).splitlines()[0] for p in archive.problems if "same date and title" in p.message]
    assert len(clashes) == 2 and clashes[0].endswith(f"a/x.txt:1: warning: same date and title as b/x.txt: given the id {ids[0]}")


def test_symlink_leading_outside_is_refused(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "outside.txt").write_text(TEXT, encoding="utf-8")
    os.symlink(tmp_path / "outside.txt", tmp_path / "s" / "link.txt")
    with pytest.raises(AnnalsError) as exc:
        load_archive(tmp_path / "s")
    assert str(exc.value).endswith("link.txt: symbolic link leads outside the sources folder; refused")


def seed_problems(folder: Path) -> None:
    """A sources folder with one of each problem the report knows."""
    (folder / "s").mkdir()
    files = {
        "no-date.txt": "A title\n\nNo date anywhere.\n",
        "bad-front.txt": "---\ntitle: [\n---\nT\n",
        "one.txt": TEXT,
        "two.txt": TEXT,  # the same text again
        "label.txt": "List\n\n21 July 2021\n\nMinister of Sport: Pavel Kolobkov.\n",
        "joined.txt": "Talk\n\n22 July 2021\n\nVladimir Putin: I know that\n\nthere is more.\n",
        "puton.txt": "Talk\n\n23 July 2021\n\nVladimir Puton: Hello.\n",
        "putin.txt": "Talk\n\n24 July 2021\n\nVladimir Putin: Hello.\n\nVladimir Putin: Again.\n",
        "putin2.txt": "Talk again\n\n25 July 2021\n\nVladimir Putin: Hello.\n",
        "aliyev.txt": "Visit\n\n26 July 2021\n\nSamir Aliyev came. Mr Aliyev spoke.\n",
    }
    for name, text in files.items():
        (folder / "s" / name).write_text(text, encoding="utf-8")
    (folder / "s" / "folder.txt").mkdir()  # a folder named like a text: skipped, with a word
    os.mkfifo(folder / "s" / "pipe.txt")  # a named pipe named like a text: reading it would wait for ever
    (folder / "r").mkdir()
    (folder / "r" / "people.yml").write_text("- name: Ilham Aliyev\n- name: [unclosed\n", encoding="utf-8")


def test_check_reports_each_problem_once(tmp_path, capsys):
    seed_problems(tmp_path)
    assert main(["check", "--sources", str(tmp_path / "s"), "--registry", str(tmp_path / "r"), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    found = sorted((Path(p["path"]).name, p["line"], p["severity"], p["message"]) for p in report["problems"])
    assert found == [
        ("aliyev.txt", 5, "warning", "ambiguous name 'Mr Aliyev' (Ilham Aliyev (person) or someone else of that "
                                     "name): left unlinked"),
        ("bad-front.txt", 2, "error", "invalid front matter: expected the node content, but found '<stream end>'"),
        ("folder.txt", 0, "warning", "a folder named like a text file: skipped (the texts in it are read)"),
        ("joined.txt", 7, "warning", "paragraph joined to the one before (line 5): it was broken in the middle of a "
                                     "sentence"),
        ("label.txt", 5, "warning", "'Minister of Sport:' looks like a speaker label but was not taken as one"),
        ("no-date.txt", 2, "error", "no date found"),
        ("people.yml", 2, "error", "invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ("pipe.txt", 0, "error", "not a regular file (a named pipe): refused"),
        ("puton.txt", 5, "warning", "speaker 'Vladimir Puton' (seen once) is close to 'Vladimir Putin'"),
        ("two.txt", 1, "error", "the same text as one.txt: filed twice"),
    ]
    assert (report["errors"], report["warnings"]) == (5, 5)


def test_strict_check_fails_on_warnings(tmp_path, capsys):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "a.txt").write_text("Talk\n\n22 July 2021\n\nI know that\n\nthere is more.\n", encoding="utf-8")
    (tmp_path / "r").mkdir()  # no registry: no publisher to warn about
    assert main(["check", "--sources", str(tmp_path / "s"), "--registry", str(tmp_path / "r")]) == 0
    assert main(["check", "--sources", str(tmp_path / "s"), "--registry", str(tmp_path / "r"), "--strict"]) == 1
    out = capsys.readouterr()
    assert "a.txt:7: warning: paragraph joined to the one before (line 5)" in out.err
    assert out.out.splitlines()[-1] == "1 document(s), 0 people: 0 error(s), 1 warning(s)"


@pytest.mark.site
def test_check_on_the_corpus_and_the_seed_has_no_error(corpus, tmp_path, capsys):
    shutil.copytree(corpus / "sources", tmp_path / "s")
    shutil.copy(ROOT / "sources" / "president-az-52519.txt", tmp_path / "s" / "seed.txt")
    # the seed is in the corpus too: filed twice, as the report must say; without that copy, no error
    assert main(["check", "--sources", str(tmp_path / "s"), "--registry", str(ROOT / "registry")]) == 1
    assert "seed.txt:1: the same text as president-az-52519.txt: filed twice" in capsys.readouterr().err
    (tmp_path / "s" / "seed.txt").unlink()
    assert main(["check", "--sources", str(tmp_path / "s"), "--registry", str(ROOT / "registry")]) == 0


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_new_files_a_text_and_reports_what_it_understood(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pasted = tmp_path / "pasted.txt"
    pasted.write_bytes(("Meeting\r\n\r\nAugust 11, 2020, 12:30\r\nNovo-Ogaryovo, Moscow Region\r\n\r\n"
                        "Vladimir Putin: Good afternoon.\r\n\r\nHealthcare Minister Mikhail Murashko: Thank you.\u200b\r\n"
                        ).encode("utf-8"))
    before = pasted.read_bytes()
    assert main(["new", str(pasted), "--source-url", "https://example.org/a"]) == 0
    out = capsys.readouterr().out
    filed = tmp_path / "sources" / "2020" / "2020-08-11-meeting.txt"
    assert out.splitlines()[0] == f"wrote {Path('sources/2020/2020-08-11-meeting.txt')}"
    assert "speakers:   Vladimir Putin (1 turn), Mikhail Murashko (1 turn)" in out
    assert "doubtful:   invisible zero-width space removed (column 49) (line 8)" in out
    text = filed.read_text(encoding="utf-8")
    assert text.startswith("---\nsource_url: https://example.org/a\nretrieved: ") and "\r" not in text
    assert pasted.read_bytes() == before
    [doc] = load_archive(tmp_path / "sources").documents
    assert doc.source_url == "https://example.org/a" and doc.retrieved and len(doc.sha256) == 64
    # again: refused, and nothing changes
    sources = digests(tmp_path / "sources")
    assert main(["new", str(pasted)]) == 1
    assert "already exists: not overwritten" in capsys.readouterr().err
    assert digests(tmp_path / "sources") == sources


def test_new_refuses_what_it_cannot_file_and_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.txt").write_text("A title\n\nno date\n", encoding="utf-8")
    assert main(["new", "bad.txt"]) == 1
    assert "bad.txt:2: no date found" in capsys.readouterr().err
    assert not (tmp_path / "sources").exists()


@pytest.mark.site
def test_sources_unchanged_by_every_command(tmp_path, monkeypatch, corpus):
    for name in ("docs", "registry"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "scripts" / "annals").mkdir(parents=True)
    shutil.copytree(corpus / "sources", tmp_path / "sources")
    monkeypatch.chdir(tmp_path)
    for name in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    before = digests(tmp_path / "sources")
    (tmp_path / "new.txt").write_text(TEXT.replace("Visit", "Another visit"), encoding="utf-8")
    assert main(["new", "new.txt"]) == 0
    added = "2021/2021-07-20-another-visit.txt"
    before[added] = digests(tmp_path / "sources")[added]
    assert main(["check"]) == 0
    assert main(["build"]) == 0
    (tmp_path / "sources" / "zz-broken.txt").write_text("no date\n", encoding="utf-8")
    before["zz-broken.txt"] = digests(tmp_path / "sources")["zz-broken.txt"]
    assert main(["build"]) == 1
    assert main(["export", "--out", str(tmp_path / "out")]) == 1
    assert digests(tmp_path / "sources") == before


def test_an_edit_re_reads_only_that_document(tmp_path, monkeypatch):
    import annals.load
    (tmp_path / "s").mkdir()
    for i in range(5):
        (tmp_path / "s" / f"{i}.txt").write_text(TEXT.replace("Visit", f"Visit {i}"), encoding="utf-8")
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    parsed = []
    real = annals.load.parse_one
    monkeypatch.setattr(annals.load, "parse_one", lambda item: parsed.append(item[0]) or real(item))
    load_archive(tmp_path / "s")
    assert sorted(parsed) == [f"{i}.txt" for i in range(5)]
    parsed.clear()
    load_archive(tmp_path / "s")
    assert parsed == []
    (tmp_path / "s" / "3.txt").write_text(TEXT.replace("Visit", "Visit three"), encoding="utf-8")
    docs = load_archive(tmp_path / "s").documents
    assert parsed == ["3.txt"] and any(d.title == "Visit three" for d in docs)
