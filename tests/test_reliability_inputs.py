"""Hardened inputs (issue 14): no text, front matter, registry file or odd file in sources/ can crash, hang or
exhaust a run, or make `annals new` write what check and build cannot read back."""
from __future__ import annotations

import datetime
import io
import json
import os
import signal
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import annals.new
from annals.load import find_sources, load_archive
from annals.cli import main
from annals.errors import AnnalsError, Problem, quote
from annals.new import add_document
from annals.parse import parse
from annals.read import MAX_BYTES, clean, load_yaml, read_source
from annals.registry import load_registry

TEXT = "Visit\n\n20 July 2021, 19:40\n\nPresident Ilham Aliyev: Thank you very much, Mr President.\n"
TODAY = datetime.date(2024, 1, 2)
LEVELS = ["&a [" + ",".join(["lol"] * 9) + "]"] + [
    f"&{n} [" + ",".join([f"*{p}"] * 9) + "]" for p, n in zip("abcdefgh", "bcdefghi")]
LAUGHS = "tags: [" + ", ".join(LEVELS) + "]\ntitle: *i\n"  # expanded, `title` would be 9**9 "lol"s: 3 GB as text
NO_ALIASES = "anchors and aliases (&name, *name) are not allowed: write each value out"


def first_line(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value).splitlines()[0]


def parse_error(text: str) -> str:
    with pytest.raises(AnnalsError) as exc:
        parse(text, "s.txt")
    return first_line(exc)


def files_in(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")) if folder.exists() else []


@pytest.fixture
def no_hang():
    """Fail (not hang) a test whose code blocks, e.g. opening a named pipe that has no writer."""
    def timeout(signum, frame):
        raise TimeoutError("blocked for 10 s")
    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# 1. `annals new` writes nothing it cannot read back

@pytest.mark.parametrize("url, shown", [
    ("https://example.org/a\n---\ntitle: x", "https://example.org/a --- title: x"),
    ("javascript:alert(1)", "javascript:alert(1)"),
    ("ftp://example.org/a", "ftp://example.org/a"),
    ("https://", "https://"),
    ("example.org/a", "example.org/a"),
    ("https://example.org/a b", "https://example.org/a b"),
])
def test_new_refuses_a_source_url_that_is_not_a_web_address(tmp_path, capsys, monkeypatch, url, shown):
    monkeypatch.chdir(tmp_path)
    Path("x.txt").write_text(TEXT, encoding="utf-8")
    assert main(["new", "x.txt", "--source-url", url]) == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        f"x.txt: --source-url '{shown}' is not a web address",
        "  give the address of the page the text was taken from, starting with http:// or https://"]
    assert files_in(tmp_path) == ["x.txt"]


def test_new_writes_a_value_with_a_line_break_on_one_line_and_reads_it_back(tmp_path):
    pasted = '---\nplace: "Moscow\\n---\\nsource_url: javascript:alert(1)"\n---\n' + TEXT
    path, _ = add_document(pasted.encode(), tmp_path / "s", None, "x.txt", today=TODAY)
    assert path.read_text(encoding="utf-8") == (  # source_url: null is the stub the editor fills in
        '---\nplace: "Moscow\\n---\\nsource_url: javascript:alert(1)"\nsource_url: null\nretrieved: 2024-01-02\n'
        '---\n' + TEXT)
    [doc] = load_archive(tmp_path / "s").documents
    assert (doc.place, doc.source_url) == ("Moscow\n---\nsource_url: javascript:alert(1)", None)


@pytest.mark.site
@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["title", "place", "language"]))
def test_new_writes_any_value_so_that_it_reads_back_or_refuses_it(value, key):
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        pasted = f"---\n{key}: {json.dumps(value)}\n---\n" + TEXT  # JSON's string: a YAML double-quoted one
        try:
            path, _ = add_document(pasted.encode(), Path(folder), None, "x.txt", today=TODAY)
        except AnnalsError as exc:
            assert exc.problems and all(p.message for p in exc.problems)
            assert files_in(Path(folder)) == []
            return
        [doc] = load_archive(Path(folder)).documents
        assert getattr(doc, key) == (value.strip() or getattr(parse(TEXT, "x.txt"), key))
        assert path.read_text(encoding="utf-8").startswith(f"---\n{key}: ") and files_in(Path(folder)) == [
            str(path.parent.name), f"{path.parent.name}/{path.name}"]


def test_new_refuses_a_text_larger_than_check_reads(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("big.txt").write_bytes(TEXT.encode() + b"x" * MAX_BYTES)
    assert main(["new", "big.txt"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "big.txt: file is larger than 5 MB: refused"
    assert files_in(tmp_path) == ["big.txt"]
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode() + b"x" * MAX_BYTES)))
    assert main(["new", "-"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == "-: file is larger than 5 MB: refused"
    assert files_in(tmp_path) == ["big.txt"]


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_new_files_a_source_with_the_mode_the_umask_allows(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        path, _ = add_document(TEXT.encode(), tmp_path / "s", None, "x.txt", today=TODAY)
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == mode


def test_new_refuses_what_it_could_not_read_back_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(annals.new, "front_matter", lambda meta, name: "---\ntitle: [\n---\n")
    with pytest.raises(AnnalsError) as exc:
        add_document(TEXT.encode(), tmp_path / "s", None, "x.txt", today=TODAY)
    assert [str(p) for p in exc.value.problems] == [
        "x.txt: the file to be written could not be read back: not written",
        f"{(tmp_path / 's' / '2021' / '2021-07-20-visit.txt').as_posix()}:2: invalid front matter: expected the node "
        "content, but found '<stream end>'"]
    assert files_in(tmp_path) == []


def test_new_refuses_what_would_read_back_otherwise(tmp_path, monkeypatch):
    monkeypatch.setattr(annals.new, "front_matter", lambda meta, name: "---\nretrieved: 2020-01-01\n---\n")
    with pytest.raises(AnnalsError) as exc:
        add_document(TEXT.encode(), tmp_path / "s", None, "x.txt", today=TODAY)
    assert [str(p) for p in exc.value.problems] == [
        "x.txt: the file to be written would not read back as this text: not written"]
    assert files_in(tmp_path) == []


def test_new_never_overwrites_a_file_that_appears_meanwhile(tmp_path, monkeypatch):
    target = tmp_path / "s" / "2021" / "2021-07-20-visit.txt"
    real = annals.new.read_back

    def another_editor_files_it_first(*args):
        target.parent.mkdir(parents=True)
        target.write_text("theirs", encoding="utf-8")
        return real(*args)
    monkeypatch.setattr(annals.new, "read_back", another_editor_files_it_first)
    with pytest.raises(AnnalsError) as exc:
        add_document(TEXT.encode(), tmp_path / "s", None, "x.txt", today=TODAY)
    assert str(exc.value) == f"{target}: already exists: not overwritten"
    assert target.read_text(encoding="utf-8") == "theirs"
    assert files_in(tmp_path / "s") == ["2021", "2021/2021-07-20-visit.txt"]  # and no temporary file left


def test_new_files_a_legacy_encoded_text_as_utf8_without_its_encoding(tmp_path):
    russian = "Встреча\n\n20 July 2021\n\nПрезидент: Спасибо.\n"
    data = ("---\nencoding: cp1251\n---\n" + russian).encode("cp1251")
    path, _ = add_document(data, tmp_path / "s", None, "x.txt", today=TODAY)
    assert path.read_text(encoding="utf-8") == "---\nsource_url: null\nretrieved: 2024-01-02\n---\n" + russian


# 2. YAML aliases ("billion laughs") are refused before anything is expanded

def refused_quickly(run) -> str:
    """Run `run` and return its first error line, asserting that nothing was expanded: a single level of the
    laughs as text is hundreds of MB; the refusal takes well under a megabyte and a second."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(AnnalsError) as exc:
            run()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000 and time.perf_counter() - started < 10
    return first_line(exc)


def test_billion_laughs_in_a_source_are_refused_without_expansion(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "x.txt").write_text("---\n" + LAUGHS + "---\n" + TEXT, encoding="utf-8")
    run = lambda: parse(read_source(tmp_path / "s" / "x.txt", "x.txt").text, "x.txt")  # noqa: E731
    assert refused_quickly(run) == f"x.txt:2: invalid front matter: {NO_ALIASES}"
    with pytest.raises(AnnalsError) as exc:
        load_archive(tmp_path / "s")
    assert first_line(exc).endswith(f"x.txt:2: invalid front matter: {NO_ALIASES}")


def test_billion_laughs_through_new_are_refused_and_nothing_is_written(tmp_path):
    data = ("---\n" + LAUGHS + "---\n" + TEXT).encode()
    run = lambda: add_document(data, tmp_path / "s", None, "x.txt", today=TODAY)  # noqa: E731
    assert refused_quickly(run) == f"x.txt:2: invalid front matter: {NO_ALIASES}"
    assert files_in(tmp_path) == []


@pytest.mark.parametrize("stem", ["people", "publishers", "glossary"])
def test_billion_laughs_in_a_registry_file_are_refused_without_expansion(tmp_path, stem):
    (tmp_path / f"{stem}.yml").write_text("- name: Laughs\n  lol: [" + ", ".join(LEVELS) + "]\n  description: *i\n",
                                          encoding="utf-8")
    tracemalloc.start()
    try:
        _, problems = load_registry(tmp_path, "r")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [str(p) for p in problems] == [f"r/{stem}.yml:2: invalid YAML: {NO_ALIASES}"] and peak < 20_000_000


def test_an_anchor_alone_is_refused_too():
    assert parse_error("---\ntitle: &t Visit\n---\n" + TEXT) == f"s.txt:2: invalid front matter: {NO_ALIASES}"


@pytest.mark.parametrize("depth, refused", [(19, False), (20, True), (5000, True)])  # lists in a mapping
def test_nesting_is_limited_alike_with_and_without_libyaml(depth, refused):
    block = "tags: " + "[" * depth + "x" + "]" * depth
    python = lambda: yaml.load(block, Loader=annals.read.DataLoader)  # noqa: E731
    for load in (lambda: load_yaml(block), python):
        if refused:
            with pytest.raises(yaml.YAMLError, match="values nested more than 20 levels deep"):
                load()
        else:
            assert load() == load_yaml(block)
    if refused:
        assert parse_error("---\n" + block + "\n---\n" + TEXT) == (
            "s.txt:2: invalid front matter: values nested more than 20 levels deep")


# 3. Values YAML cannot convert: located errors, not tracebacks

@pytest.mark.parametrize("front, message", [
    ("date: 2021-02-30", "s.txt:2: front matter date '2021-02-30' is not a date"),
    ("title: T\nretrieved: 2021-13-01", "s.txt:3: front matter date '2021-13-01' is not a date"),
    ("date: !!int x", "s.txt:2: front matter date 'x' is not a date"),
    ("time: !!float x", "s.txt:2: front matter time 'x' is not a time"),
    ("time: !!bool maybe", "s.txt:2: front matter time 'maybe' is not a time"),
    ("time: " + "9" * 5000, f"s.txt:2: front matter time '{'9' * 79}…' is not a time"),
])
def test_values_yaml_cannot_convert_are_located_errors(front, message):
    assert parse_error(f"---\n{front}\n---\n" + TEXT) == message


def test_a_lone_surrogate_escape_is_a_located_error(tmp_path):
    message = "a lone surrogate escape (\\ud800 to \\udfff) is not a character: write the character itself"
    assert parse_error('---\ndate: 2021-07-20\ntitle: "\\ud800\\udc00"\n---\n' + TEXT) == (
        f"s.txt:3: invalid front matter: {message}")
    (tmp_path / "people.yml").write_text('- name: "A\\udfff"\n', encoding="utf-8")
    assert [str(p) for p in load_registry(tmp_path, "r")[1]] == [f"r/people.yml:1: invalid YAML: {message}"]


YAML_BITS = st.sampled_from(["title", "date", "time", "place", "tags", "source_url", "retrieved", ":", ": ", "\n",
                             "  ", "- ", "[", "]", "{", "}", ",", "&a", "*a", "!!int", "!!timestamp", "!!binary", "? ",
                             "'", '"', "\\u", "d800", "2021-02-30", "19:40", "99999", "<<", "#", "|", ">", "null",
                             "yes", "https://x.org", "javascript:x", "\t", "%YAML 1.1", "---", "..."])


@settings(max_examples=500, deadline=None)
@given(st.lists(YAML_BITS, max_size=30).map("".join))
def test_no_front_matter_crashes_the_reader(block):
    try:
        parse(f"---\n{block}\n---\n" + TEXT, "s.txt")
    except AnnalsError as exc:  # the only way it may fail: a located error
        assert exc.problems and all(p.path == "s.txt" and p.line >= 1 and p.message for p in exc.problems)


def test_an_impossible_date_in_a_registry_is_text(tmp_path):
    (tmp_path / "people.yml").write_text("- name: Ilham Aliyev\n  description: 2021-02-30\n", encoding="utf-8")
    registry, problems = load_registry(tmp_path)
    assert problems == [] and registry.people[0].description == "2021-02-30"


# 4. Named pipes, folders and hidden files in sources/

def test_a_named_pipe_is_refused_without_being_opened(tmp_path, no_hang):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "x.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(tmp_path / "s" / "pipe.txt")
    files, problems = find_sources(tmp_path / "s")
    assert [rel for _, rel in files] == ["x.txt"]
    assert [(Path(p.path).name, p.line, p.message, p.severity) for p in problems] == [
        ("pipe.txt", 0, "not a regular file (a named pipe): refused", "error")]
    with pytest.raises(AnnalsError) as exc:
        read_source(tmp_path / "s" / "pipe.txt", "pipe.txt")
    assert first_line(exc) == "pipe.txt: not a regular file (a named pipe): refused"


def test_check_does_not_hang_on_named_pipes_in_sources_or_registry(tmp_path, capsys, no_hang):
    (tmp_path / "s").mkdir()
    os.mkfifo(tmp_path / "s" / "pipe.txt")
    (tmp_path / "s" / "x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "r").mkdir()
    os.mkfifo(tmp_path / "r" / "people.yml")
    assert main(["check", "--sources", str(tmp_path / "s"), "--registry", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert "pipe.txt: not a regular file (a named pipe): refused" in err
    assert "people.yml: not a regular file (a named pipe): refused" in err


def test_a_folder_named_like_a_text_is_skipped_with_a_warning_and_its_texts_read(tmp_path):
    (tmp_path / "s" / "2021.txt").mkdir(parents=True)
    (tmp_path / "s" / "2021.txt" / "x.txt").write_text(TEXT, encoding="utf-8")
    archive = load_archive(tmp_path / "s")
    assert [d.source for d in archive.documents] == ["2021.txt/x.txt"]
    assert [(Path(p.path).name, p.line, p.message, p.severity) for p in archive.problems
            if "folder" in p.message] == [
        ("2021.txt", 0, "a folder named like a text file: skipped (the texts in it are read)", "warning")]


def test_hidden_files_are_skipped_with_a_warning(tmp_path):
    (tmp_path / "s" / ".drafts").mkdir(parents=True)
    for name in ("..txt", ".#x.txt", ".drafts/y.txt", "x.txt"):
        (tmp_path / "s" / name).write_text(TEXT, encoding="utf-8")
    files, problems = find_sources(tmp_path / "s")
    assert [rel for _, rel in files] == ["x.txt"]
    root = os.path.relpath(tmp_path / "s")
    assert [str(p) for p in problems] == [
        f"{root}/.#x.txt: warning: hidden file (its name starts with '.'): skipped",
        f"{root}/..txt: warning: hidden file (its name starts with '.'): skipped",
        f"{root}/.drafts/y.txt: warning: in the hidden folder .drafts: skipped"]


# 5. Addresses, duplicate keys, lists where one value belongs, long quotations

@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org/", "//example.org/a",
                                 "https://"])
def test_a_source_url_that_is_not_a_web_address_is_a_located_error(tmp_path, url):
    assert parse_error(f"---\ntitle: T\nsource_url: '{url}'\n---\n" + TEXT) == (
        f"s.txt:3: source_url '{url}' is not a web address")
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "x.txt").write_text(f"---\nsource_url: '{url}'\n---\n" + TEXT, encoding="utf-8")
    assert main(["export", "--sources", str(tmp_path / "s"), "--out", str(tmp_path / "out")]) == 1
    assert not (tmp_path / "out").exists()


def test_duplicate_keys_are_located_errors(tmp_path):
    assert parse_error("---\ntitle: A\ndate: 2021-07-20\ntitle: B\n---\n" + TEXT) == (
        "s.txt:4: invalid front matter: key 'title' is given twice")
    (tmp_path / "people.yml").write_text("- name: A\n  aliases: [B]\n  name: C\n", encoding="utf-8")
    _, problems = load_registry(tmp_path, "r")
    assert [str(p) for p in problems] == ["r/people.yml:3: invalid YAML: key 'name' is given twice"]


@pytest.mark.parametrize("front, message", [
    ("title: [A, B]", "s.txt:2: front matter 'title' must be one value, not a list"),
    ("date: 2021-07-20\nplace: {city: Baku}", "s.txt:3: front matter 'place' must be one value, not a mapping"),
    ("time: ['19:40']", "s.txt:2: front matter 'time' must be one value, not a list"),
    ("source_url: [https://example.org/]", "s.txt:2: front matter 'source_url' must be one value, not a list"),
    ("language: [en]", "s.txt:2: front matter 'language' must be one value, not a list"),
    ("tags: [a, [b]]", "s.txt:2: front matter 'tags' must be a list of words or phrases, e.g. [energy, visits]"),
])
def test_a_list_or_mapping_where_one_value_belongs_is_a_located_error(front, message):
    assert parse_error(f"---\n{front}\n---\n" + TEXT) == message


def test_messages_quote_at_most_80_characters_of_a_source(tmp_path):
    assert quote("a  b\nc") == "a b c" and quote("x" * 200) == "x" * 79 + "…"
    long = Problem("x.txt", 1, "y" * 1_000_000, "z" * 1_000_000)
    assert (len(long.message), len(long.hint)) == (500, 500) and long.message.endswith("y … " + "y" * 78)
    (tmp_path / "x.txt").write_text("---\nencoding: " + "k" * 744_000 + "\n---\n" + TEXT, encoding="utf-8")
    with pytest.raises(AnnalsError) as exc:
        read_source(tmp_path / "x.txt", "x.txt")
    assert first_line(exc) == f"x.txt:2: unknown encoding '{'k' * 79}…'"
    assert parse_error("---\n? " + "k" * 744_000 + "\n: 1\n---\n" + TEXT) == (
        f"s.txt:1: unknown front matter key '{'k' * 79}…'")


# 6. Invisible characters: one pass, few warnings

def test_many_zero_width_spaces_are_removed_in_linear_time_with_few_warnings():
    lines = ["word\u200b " * 10] * 20_000  # 200,000 zero-width spaces: 80 s before (a line count per character)
    started = time.perf_counter()
    text, warnings = clean("Visit\n\n20 July 2021\n\n" + "\n".join(lines), "x.txt")
    assert time.perf_counter() - started < 10 and "\u200b" not in text
    assert [str(w) for w in warnings[:1] + warnings[-2:]] == [
        "x.txt:5: warning: invisible zero-width space removed (column 5, 11, 17, 23, 29, 35, 41, 47, 53, 59)",
        "x.txt:24: warning: invisible zero-width space removed (column 5, 11, 17, 23, 29, 35, 41, 47, 53, 59)",
        "x.txt:25: warning: invisible characters also removed on 19980 more lines"]
    assert len(warnings) == 21


def test_a_line_full_of_zero_width_spaces_gives_one_short_warning():
    _, warnings = clean("Visit\n\n20 July 2021\n\n" + "a\u200b" * 400_000, "x.txt")
    assert [str(w) for w in warnings] == [
        "x.txt:5: warning: invisible zero-width space removed (column 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 and 399990 "
        "more)"]
