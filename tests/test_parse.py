"""The parser: header, paragraphs, turns. Input and expected output side by side."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from annals.errors import AnnalsError
from annals.parse import parse

SEED = Path(__file__).resolve().parent.parent / "sources" / "president-az-52519.txt"

PUTIN, ALIYEV = "vladimir-putin", "ilham-aliyev"


def turns(text: str) -> list[tuple[str | None, str | None, str]]:
    """(label, turn label, text) of every paragraph of `text`."""
    return [(p.label, p.turn, p.text) for p in parse(text, "t.txt").paragraphs]


def test_seed_header():
    doc = parse(SEED.read_text(encoding="utf-8"), "president-az-52519.txt")
    assert (doc.title, doc.date, doc.time, doc.place) == (
        "Ilham Aliyev arrived in Russia for working visit", datetime.date(2021, 7, 20), "19:40", None)
    assert not any(p.text == doc.title for p in doc.paragraphs), "the title repeated under the date is not a paragraph"


def test_seed_structure():
    doc = parse(SEED.read_text(encoding="utf-8"), "president-az-52519.txt")
    putin1, aliyev1 = "Russian President Vladimir Putin said", "President Ilham Aliyev"
    putin2, aliyev2 = "President Vladimir Putin", "President of Azerbaijan Ilham Aliyev said"
    expected = [None, None, None, putin1, aliyev1, putin2, putin2, putin2, putin2, aliyev1, putin2, putin2, putin2,
                aliyev2, aliyev2, aliyev2, aliyev2, aliyev2, aliyev2, putin2, None]
    assert [p.turn for p in doc.paragraphs] == expected
    labels = [p.n for p in doc.paragraphs if p.label]
    assert labels == [4, 5, 6, 10, 11, 14, 20]
    said = doc.paragraphs[3]
    assert (said.label, said.text) == (putin1, "Happy Eid al-Adha! I congratulate you, all the best.")
    joined = doc.paragraphs[15]
    assert "I know that there are a lot of applicants" in joined.text and joined.joined == (43,)
    assert doc.paragraphs[-1].turn is None and doc.paragraphs[-1].text.startswith("The working visit")
    assert [p.line for p in doc.paragraphs[:4]] == [6, 8, 10, 12]


HEAD = "Title\n\nAugust 11, 2020, 12:30\nNovo-Ogaryovo, Moscow Region\n\n"


@pytest.mark.parametrize("text, expected", [
    ("President Ilham Aliyev: Thank you very much.",
     [("President Ilham Aliyev", "President Ilham Aliyev", "Thank you very much.")]),
    ("Russian President Vladimir Putin said:\n\n- Happy Eid al-Adha!",
     [("Russian President Vladimir Putin said", "Russian President Vladimir Putin said", "Happy Eid al-Adha!")]),
    ("President of Russia Vladimir Putin: Good afternoon.",
     [("President of Russia Vladimir Putin", "President of Russia Vladimir Putin", "Good afternoon.")]),
    ("Healthcare Minister Mikhail Murashko: Mr President, colleagues.",
     [("Healthcare Minister Mikhail Murashko", "Healthcare Minister Mikhail Murashko", "Mr President, colleagues.")]),
    ("Question: Will you run?\n\nVladimir Putin: We will see.",
     [("Question", "Question", "Will you run?"), ("Vladimir Putin", "Vladimir Putin", "We will see.")]),
    ("Remark: Yes.\n\nResponse: No.\n\nReply: Maybe.",
     [("Remark", "Remark", "Yes."), ("Response", "Response", "No."), ("Reply", "Reply", "Maybe.")]),
    ("Question from Perm Territory: Hello.", [("Question from Perm Territory", "Question from Perm Territory", "Hello.")]),
    ("Civil Defence, Emergency Situations and Disaster Relief Minister Vladimir Puchkov: Mr President.",
     [("Civil Defence, Emergency Situations and Disaster Relief Minister Vladimir Puchkov",) * 2 + ("Mr President.",)]),
    ("Vladimir Putin: Hello.\n\nThis continues.\n\n* * *\n\nNarration again.",
     [("Vladimir Putin", "Vladimir Putin", "Hello."), (None, "Vladimir Putin", "This continues."),
      (None, None, "Narration again.")]),
    ("Vladimir Putin: Hello.\n\n\nThe visit ended.",
     [("Vladimir Putin", "Vladimir Putin", "Hello."), (None, None, "The visit ended.")]),
])
def test_speaker_label_forms(text, expected):
    assert turns(HEAD + text) == expected


@pytest.mark.parametrize("line", [
    "Contact telephone numbers: +7 (495) 606-55-27.",
    "Deadline: December 14, 2012.",
    "Taking part in the meeting were: Prime Minister Mikhail Kasyanov, Chief of Staff Alexander Voloshin.",
    "Minister of Sport: Pavel Kolobkov.",
    "The message reads, in part:",
    "I want to reiterate: the situation is satisfactory.",
    "Churchill’s statement: “I am very glad.”",
    "Mr President, here is my question for you: why?",
    "It was a truly convincing victory: you beat the Finnish team 6:1.",
])
def test_not_speakers(line):
    assert turns(HEAD + line + "\n\nNext paragraph.") == [(None, None, line), (None, None, "Next paragraph.")]


def test_header_kremlin_style():
    doc = parse(HEAD + "Lead.", "t.txt")
    assert (doc.title, doc.date, doc.time, doc.place) == (
        "Title", datetime.date(2020, 8, 11), "12:30", "Novo-Ogaryovo, Moscow Region")


def test_date_without_time():
    doc = parse("Title\n\n20 July 2021\n\nText.", "t.txt")
    assert (doc.date, doc.time, doc.place) == (datetime.date(2021, 7, 20), None, None)


def test_front_matter_overrides():
    text = "---\ntitle: Given title\ndate: 2020-01-02\ntime: '09:05'\nplace: Baku\ntags: [visit]\n---\nTitle\n\n20 July 2021\n\nText."
    doc = parse(text, "t.txt")
    assert (doc.title, doc.date, doc.time, doc.place, doc.tags) == (
        "Given title", datetime.date(2020, 1, 2), "09:05", "Baku", ("visit",))
    assert doc.paragraphs[0].line == 12


def test_broken_paragraph_joined_only_mid_sentence():
    assert [t for _, _, t in turns(HEAD + "I know that\n\nthere are many.\n\nDone.\n\nfine")] == [
        "I know that there are many.", "Done.", "fine"]


def test_no_date_is_an_error_with_location():
    with pytest.raises(AnnalsError) as exc:
        parse("A title\n\nSome text without a date.", "sources/x.txt")
    assert str(exc.value).splitlines()[0] == "sources/x.txt:2: no date found"


def test_invalid_front_matter_reports_its_line():
    with pytest.raises(AnnalsError) as exc:
        parse("---\ntitle: ok\ndate: [unclosed\n---\nT\n\n20 July 2021\n", "s.txt")
    assert str(exc.value).startswith("s.txt:3: invalid front matter")


def test_unknown_front_matter_key():
    with pytest.raises(AnnalsError) as exc:
        parse("---\ntitle: ok\nauthor: me\n---\nT\n\n20 July 2021\n", "s.txt")
    assert str(exc.value).splitlines()[0] == "s.txt:3: unknown front matter key 'author'"


@pytest.mark.parametrize("body, first", [
    ("Narration starts at once.\n\nMore.", "Narration starts at once."),
    ("Given title\n\nNarration.", "Narration."),
    ("Old title\n\n20 July 2021\n\nNarration.", "Narration."),
])
def test_first_line_is_a_title_only_when_it_looks_like_one(body, first):
    doc = parse("---\ntitle: Given title\ndate: 2021-07-20\n---\n" + body, "t.txt")
    assert doc.title == "Given title" and doc.paragraphs[0].text == first
