"""Property tests: the parser never crashes, and never loses or repeats a paragraph."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from annals.errors import AnnalsError
from annals.parse import parse

HEAD = "A title\n\n20 July 2021, 19:40\n\n"
WORDS = st.sampled_from(["Vladimir", "Putin", "President", "said", "said:", "Question:", "Remark:", "the", "of",
                         "thank", "you", "-", "–", "* * *", "Mr", "Aliyev:", "Minister", "12:30", "[2018]",
                         "<…>", "year.", "and", "<script>", "{:", "#", "1."])
PARAGRAPH = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)


def squeeze(text: str) -> str:
    """Text without whitespace, colons and dashes: what must survive parsing unchanged."""
    return re.sub(r"[\s:\-–—*]", "", text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_parser_never_crashes(text):
    try:
        parse(text, "t.txt")
    except AnnalsError as exc:  # the only way it may fail: a located error
        assert exc.problems and all(p.path == "t.txt" and p.line >= 1 and p.message for p in exc.problems)


@settings(max_examples=300, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=12), st.lists(st.sampled_from(["\n\n", "\n\n\n"]), min_size=12, max_size=12))
def test_every_paragraph_kept_exactly_once(paragraphs, gaps):
    text = HEAD + "".join(p + gap for p, gap in zip(paragraphs, gaps))
    doc = parse(text, "t.txt")
    out = "".join((p.label or "") + p.text for p in doc.paragraphs)
    assert squeeze(out) == squeeze("".join(paragraphs))
    assert [p.n for p in doc.paragraphs] == list(range(1, len(doc.paragraphs) + 1))


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_body_after_a_header_parses(body):
    doc = parse(HEAD + body, "t.txt")
    assert all(p.text.strip() or p.label for p in doc.paragraphs)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_are_read_or_refused_with_a_located_error(data):
    from annals.read import clean, decode
    try:
        text, warnings = clean(decode(data, "t.txt"), "t.txt")
        parse(text, "t.txt")
    except AnnalsError as exc:
        assert exc.problems and all(p.path == "t.txt" and p.line >= 1 and p.message for p in exc.problems)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["20 July 2021", "July 20, 2021, 19:40", "20 July 2021 19.40"]), st.text(max_size=300))
def test_the_repeated_dateline_is_dropped_and_nothing_else(dateline, body):
    """The header's date line repeated at the start of the body is dropped; every other paragraph is kept."""
    def texts(text: str) -> list[tuple[str | None, str]]:
        return [(p.label, p.text) for p in parse(text, "t.txt").paragraphs]
    assert texts(HEAD + dateline + "\n\n" + body) == texts(HEAD + body)
