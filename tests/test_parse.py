"""The parser: header, paragraphs, turns. Input and expected output side by side."""
from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from annals.errors import AnnalsError
from annals.parse import dateline_problems, parse

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


def paragraphs(text: str) -> list[tuple[int, str | None, str | None, str]]:
    """(line, label, turn label, text) of every paragraph of `text`."""
    return [(p.line, p.label, p.turn, p.text) for p in parse(text, "t.txt").paragraphs]


def test_an_appointment_list_is_narration():
    text = HEAD + ("The President signed decrees on the following appointments:\n\n"
                   "Head of Tula Arms Plant: Ivan Petrov.\n\n"
                   "Minister of Foreign Affairs: Anna Berg.\n\n"
                   "Director of Rosneft Oil Company: Oleg Sidorov.\n\n"
                   "The decrees take effect today.")
    assert paragraphs(text) == [
        (6, None, None, "The President signed decrees on the following appointments:"),
        (8, None, None, "Head of Tula Arms Plant: Ivan Petrov."),
        (10, None, None, "Minister of Foreign Affairs: Anna Berg."),
        (12, None, None, "Director of Rosneft Oil Company: Oleg Sidorov."),
        (14, None, None, "The decrees take effect today."),
    ]


def test_an_appointment_list_on_consecutive_lines_is_one_narration_paragraph():
    text = HEAD + "Head of Tula Arms Plant: Ivan Petrov.\nDirector of Rosneft Oil Company: Oleg Sidorov.\n\nEnd."
    assert paragraphs(text) == [
        (6, None, None, "Head of Tula Arms Plant: Ivan Petrov.\nDirector of Rosneft Oil Company: Oleg Sidorov."),
        (9, None, None, "End."),
    ]


def test_a_reply_that_is_a_name_is_still_dialogue():
    """One short answer, or one speaker twice, is a conversation, not a list of offices."""
    text = HEAD + ("Question: Who will lead the team?\n\nVladimir Putin: Ivan Petrov.\n\n"
                   "Anna Berg: Oleg Sidorov.\n\nAnna Berg: Ivan Petrov.")
    assert paragraphs(text) == [
        (6, "Question", "Question", "Who will lead the team?"),
        (8, "Vladimir Putin", "Vladimir Putin", "Ivan Petrov."),
        (10, "Anna Berg", "Anna Berg", "Oleg Sidorov."),
        (12, "Anna Berg", "Anna Berg", "Ivan Petrov."),
    ]


def test_a_colon_in_narration_opens_no_turn():
    text = HEAD + ("The President toured the exhibition Northern Rivers: Past and Future, where he saw old maps.\n\n"
                   "An exhibition opened\n\n"
                   "the President toured the exhibition Rivers of the North: Past and Future, where he saw maps.\n\n"
                   "The agenda included the following: trade, energy and transport.")
    assert paragraphs(text) == [
        (6, None, None, "The President toured the exhibition Northern Rivers: Past and Future, where he saw old maps."),
        (8, None, None, "An exhibition opened the President toured the exhibition Rivers of the North: Past and "
                        "Future, where he saw maps."),
        (12, None, None, "The agenda included the following: trade, energy and transport."),
    ]


def test_a_label_in_lower_case_opens_a_turn_and_is_not_joined_to_a_heading():
    text = HEAD + ("Meeting with the Board\n\n"
                   "chairman of the Board of Directors of Acme Ivan Petrov: Thank you.\n\n"
                   "US Secretary of State Jane Doe: Good afternoon.")
    assert paragraphs(text) == [
        (6, None, None, "Meeting with the Board"),
        (8, "chairman of the Board of Directors of Acme Ivan Petrov",
         "chairman of the Board of Directors of Acme Ivan Petrov", "Thank you."),
        (10, "US Secretary of State Jane Doe", "US Secretary of State Jane Doe", "Good afternoon."),
    ]


@pytest.mark.parametrize("dateline", [
    "July 2, 2020 12:45", "July 2, 2020, 12:45", "2 July 2020, 12:45", "2 July 2020 12.45", "July 2, 2020",
    "Jul. 2, 2020",
])
def test_the_dateline_repeated_at_the_start_of_the_body_is_dropped(dateline):
    text = f"Title\n\nJuly 2, 2020, 12:45\nMoscow\n\n{dateline}\n\nThe President met the Governor.\n\nJuly 2, 2020"
    doc = parse(text, "t.txt")
    assert (doc.date, doc.time, doc.place) == (datetime.date(2020, 7, 2), "12:45", "Moscow")
    assert paragraphs(text) == [(8, None, None, "The President met the Governor."), (10, None, None, "July 2, 2020")]
    assert dateline_problems(doc) == []


@pytest.mark.parametrize("dateline, said", [
    ("July 3, 2020", "2020-07-02 12:45"),  # another day
    ("July 2, 2020 13:00", "2020-07-02 12:45"),  # another time
])
def test_a_date_line_other_than_the_header_is_kept_and_said(dateline, said):
    """The header's date is the document's; the other may be text or a mistake: kept, and the report says so."""
    text = f"Title\n\nJuly 2, 2020, 12:45\n\n{dateline}\n\nThe President met the Governor."
    doc = parse(text, "t.txt")
    assert (doc.date, doc.time) == (datetime.date(2020, 7, 2), "12:45")
    assert paragraphs(text) == [(5, None, None, dateline), (7, None, None, "The President met the Governor.")]
    assert [str(p) for p in dateline_problems(doc)] == [
        f"t.txt:5: warning: the text opens with the date line '{dateline}', other than the document's date "
        f"({said}): kept as its first paragraph\n  if it is the dateline repeated, correct the date under the title "
        "and remove this line; if it is text, nothing needs doing"]


def test_a_timed_date_line_under_an_untimed_header_is_kept():
    text = "Title\n\nJuly 2, 2020\n\nJuly 2, 2020 12:45\n\nText."
    assert paragraphs(text) == [(5, None, None, "July 2, 2020 12:45"), (7, None, None, "Text.")]
    assert [p.message for p in dateline_problems(parse(text, "t.txt"))] == [
        "the text opens with the date line 'July 2, 2020 12:45', other than the document's date (2020-07-02): kept "
        "as its first paragraph"]
