"""Contacts (issue 16): who met, talked, telephoned or wrote to whom, read from titles and narration (made-up
texts, each beside the contacts it records: kind, people, paragraph, words)."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import archive_of as made_archive

REGISTRY = {
    "publishers.yml": """\
- id: kremlin
  name: Presidential Executive Office
  office: President of Russia
  files: [kremlin-*.txt]
""",
    "offices.yml": """\
- office: President of Russia
  aliases: [Russian President]
  holders:
    - {name: Boris Yeltsin, from: 1991-07-10, to: 1999-12-31}
    - {name: Vladimir Putin, from: 1999-12-31, to: 2008-05-07}
    - {name: Dmitry Medvedev, from: 2008-05-07, to: 2012-05-07}
    - {name: Vladimir Putin, from: 2012-05-07}
- office: President of Azerbaijan
  aliases: [Azerbaijani President, President of the Republic of Azerbaijan]
  holders:
    - {name: Heydar Aliyev, from: 1993-06-15, to: 2003-10-31}
    - {name: Ilham Aliyev, from: 2003-10-31}
""",
    "people.yml": "".join(f"- name: {name}\n" for name in (
        "Vladimir Putin", "Dmitry Medvedev", "Ilham Aliyev", "Heydar Aliyev", "Boris Yeltsin", "Nikol Pashinyan",
        "Kassym-Jomart Tokayev", "Alexander Lukashenko", "Recep Tayyip Erdogan", "Emomali Rahmon")),
}
PUTIN, MEDVEDEV, ILHAM, HEYDAR = "vladimir-putin", "dmitry-medvedev", "ilham-aliyev", "heydar-aliyev"
PASHINYAN, TOKAYEV, LUKASHENKO, ERDOGAN = "nikol-pashinyan", "kassym-jomart-tokayev", "alexander-lukashenko", \
    "recep-tayyip-erdogan"


def text(title: str, day: str, *paragraphs: str) -> str:
    return f"{title}\n\n{day}\nMoscow\n\n" + "\n\n".join(paragraphs) + "\n"


def archive_of(tmp_path: Path, texts: dict[str, str], registry: dict[str, str] | None = None):
    return made_archive(tmp_path, texts, REGISTRY if registry is None else registry)


def contacts(tmp_path: Path, texts: dict[str, str], registry: dict[str, str] | None = None) -> dict[str, list]:
    """Each document's contacts as (kind, people, paragraph, words); the words checked against the text."""
    out = {}
    for doc in archive_of(tmp_path, texts, registry).documents:
        paragraphs = {p.n: p for p in doc.paragraphs}
        for c in doc.contacts:
            held = (c.text if c.kind == "transcript" else doc.title if c.paragraph == 0
                    else paragraphs[c.paragraph].text[c.start:c.end])
            assert held == c.text and (c.kind != "transcript" or c.text == paragraphs[c.paragraph].label)
        out[doc.source] = [(c.kind, c.people, c.paragraph, c.text) for c in doc.contacts]
    return out


def test_each_kind_of_contact_told_in_narration(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Day of contacts", "20 July 2021",
        "Vladimir Putin had a telephone conversation with President of Azerbaijan Ilham Aliyev.",
        "Later Vladimir Putin met with Prime Minister of Armenia Nikol Pashinyan in Sochi.",
        "Vladimir Putin held talks in the Kremlin with President of Turkey Recep Tayyip Erdogan. They discussed trade.",
        "Vladimir Putin sent a message of condolences to President of Kazakhstan Kassym-Jomart Tokayev. "
        "Vladimir Putin congratulated President of Belarus Alexander Lukashenko on his birthday.",
        "The summit was attended by Ilham Aliyev, Nikol Pashinyan and Kassym-Jomart Tokayev.")})
    assert found["kremlin-1.txt"] == [
        ("telephone", (ILHAM, PUTIN), 1, "Vladimir Putin had a telephone conversation with President of Azerbaijan "
                                         "Ilham Aliyev."),
        ("meeting", (PASHINYAN, PUTIN), 2, "Later Vladimir Putin met with Prime Minister of Armenia Nikol Pashinyan "
                                           "in Sochi."),
        ("talks", (ERDOGAN, PUTIN), 3, "Vladimir Putin held talks in the Kremlin with President of Turkey Recep "
                                       "Tayyip Erdogan."),
        ("message", (TOKAYEV, PUTIN), 4, "Vladimir Putin sent a message of condolences to President of Kazakhstan "
                                         "Kassym-Jomart Tokayev."),
        ("message", (LUKASHENKO, PUTIN), 4, "Vladimir Putin congratulated President of Belarus Alexander Lukashenko "
                                            "on his birthday."),
        ("summit", (ILHAM, TOKAYEV, PASHINYAN), 5, "The summit was attended by Ilham Aliyev, Nikol Pashinyan and "
                                                   "Kassym-Jomart Tokayev.")]


def test_each_kind_of_contact_told_in_a_title(tmp_path):
    found = contacts(tmp_path, {
        "kremlin-1.txt": text("President Vladimir Putin spoke by telephone with Azerbaijani President Heydar Aliyev",
                              "3 January 2000", "The two leaders discussed bilateral relations."),
        "kremlin-2.txt": text("Presidents Vladimir Putin of Russia and Heydar Aliyev of Azerbaijan held negotiations",
                              "25 January 2002", "The presidents signed an agreement."),
        "kremlin-3.txt": text("President Vladimir Putin sent a congratulatory message to Azerbaijani President "
                              "Heydar Aliyev on State Independence Day", "18 October 2002", "The message reads:"),
        "kremlin-4.txt": text("Meeting with President of Azerbaijan Ilham Aliyev", "26 April 2019",
                              "The leaders discussed bilateral relations.")})
    assert found == {
        "kremlin-1.txt": [("telephone", (HEYDAR, PUTIN), 0, "President Vladimir Putin spoke by telephone with "
                                                            "Azerbaijani President Heydar Aliyev")],
        "kremlin-2.txt": [("talks", (HEYDAR, PUTIN), 0, "Presidents Vladimir Putin of Russia and Heydar Aliyev of "
                                                        "Azerbaijan held negotiations")],
        "kremlin-3.txt": [("message", (HEYDAR, PUTIN), 0,
                           "President Vladimir Putin sent a congratulatory message to Azerbaijani President Heydar "
                           "Aliyev on State Independence Day")],
        "kremlin-4.txt": [("meeting", (ILHAM, PUTIN), 0, "Meeting with President of Azerbaijan Ilham Aliyev")]}


@pytest.mark.parametrize("day, implied", [("15 March 2010", MEDVEDEV), ("15 March 2015", PUTIN)])
def test_a_title_without_subject_is_the_publishers_office_holder_on_its_date(tmp_path, day, implied):
    found = contacts(tmp_path, {"kremlin-7.txt": text(
        "Telephone conversation with President of Azerbaijan Ilham Aliyev", day, "The presidents discussed trade.")})
    assert found["kremlin-7.txt"] == [("telephone", tuple(sorted((ILHAM, implied))), 0,
                                       "Telephone conversation with President of Azerbaijan Ilham Aliyev")]


def test_without_a_publisher_a_title_without_subject_records_no_contact(tmp_path):
    found = contacts(tmp_path, {"other-7.txt": text(
        "Telephone conversation with President of Azerbaijan Ilham Aliyev", "15 March 2015", "They spoke.")})
    assert found["other-7.txt"] == []


def test_an_office_as_subject_or_object_is_its_holder_on_the_date(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Greetings", "24 December 2010",
        "The President congratulated Ilham Aliyev on his birthday.",
        "Earlier, the Russian President sent a message of congratulations to the President of Azerbaijan.",
        "At the airport President Heydar Aliyev met the Russian head of state.")})
    assert found["kremlin-1.txt"] == [
        ("message", (MEDVEDEV, ILHAM), 1, "The President congratulated Ilham Aliyev on his birthday."),
        ("message", (MEDVEDEV, ILHAM), 2, "Earlier, the Russian President sent a message of congratulations to the "
                                          "President of Azerbaijan."),
        ("meeting", (MEDVEDEV, HEYDAR), 3, "At the airport President Heydar Aliyev met the Russian head of state.")]


def test_a_summit_of_three_heads_with_the_host_of_a_subject_less_title(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "CIS summit", "11 October 2017",
        "The summit was attended by President of Azerbaijan Ilham Aliyev, President of Kazakhstan "
        "Kassym-Jomart Tokayev, the Chairman of the CIS Executive Committee, and President of Belarus "
        "Alexander Lukashenko.",
        "Ilham Aliyev and Nikol Pashinyan took part in the summit.")})
    assert found["kremlin-1.txt"] == [
        ("summit", (LUKASHENKO, ILHAM, TOKAYEV, PUTIN), 1,
         "The summit was attended by President of Azerbaijan Ilham Aliyev, President of Kazakhstan Kassym-Jomart "
         "Tokayev, the Chairman of the CIS Executive Committee, and President of Belarus Alexander Lukashenko."),
        ("summit", (ILHAM, PASHINYAN), 2, "Ilham Aliyev and Nikol Pashinyan took part in the summit.")]


def test_a_meeting_of_three_is_one_contact_and_calls_and_messages_to_several_one_each(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Contacts", "2 July 2020",
        "Vladimir Putin met with Ilham Aliyev and Nikol Pashinyan.",
        "Vladimir Putin spoke by telephone with Ilham Aliyev, Kassym-Jomart Tokayev and Alexander Lukashenko.",
        "Greetings have been sent to Emomali Rahmon and Nikol Pashinyan.")})
    assert [(kind, people, n) for kind, people, n, _ in found["kremlin-1.txt"]] == [
        ("meeting", (ILHAM, PASHINYAN, PUTIN), 1),
        ("telephone", (ILHAM, PUTIN), 2), ("telephone", (TOKAYEV, PUTIN), 2), ("telephone", (LUKASHENKO, PUTIN), 2),
        ("message", ("emomali-rahmon", PUTIN), 3), ("message", (PASHINYAN, PUTIN), 3)]


@pytest.mark.parametrize("sentence", [
    "Vladimir Putin recalled what Boris Yeltsin said.",
    "As Heydar Aliyev once said, friendship is work; Ilham Aliyev agreed.",
    "Ilham Aliyev spoke of the legacy of Heydar Aliyev.",
    "Mr Putin noted that Mr Aliyev met Boris Yeltsin many times.",
    "Vladimir Putin met Ilham Aliyev's father in 1999.",
    "Vladimir Putin said he had met Heydar Aliyev in Baku.",
    "Vladimir Putin will meet with Ilham Aliyev next week.",
    "Vladimir Putin did not meet Ilham Aliyev.",
    "Vladimir Putin hoped that the meeting between Ilham Aliyev and Nikol Pashinyan would help.",
    "Nikol Pashinyan informed Vladimir Putin about his meeting with Ilham Aliyev.",
    "The son of Heydar Aliyev met Vladimir Putin.",
    "Vladimir Putin met with the Heydar Aliyev Foundation staff.",
    "“I met Ilham Aliyev,” Vladimir Putin said.",
    "Vladimir Putin congratulated the people of Azerbaijan, and Ilham Aliyev thanked him.",
    "Vladimir Putin reportedly met Ilham Aliyev.",
    "In 1999, Vladimir Putin sent a message to Heydar Aliyev.",
    "Vladimir Putin met with Heydar Aliyev in Baku in 1999.",
    "Vladimir Putin spoke by telephone with Ilham Aliyev two years ago.",
])
def test_two_people_named_without_a_contact_between_them(tmp_path, sentence):
    found = contacts(tmp_path, {"kremlin-1.txt": text("Remarks", "20 July 2021", sentence)})
    assert found["kremlin-1.txt"] == []


def test_speakers_turns_record_no_contact_from_their_words(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Remarks", "20 July 2021", "Boris Yeltsin: I met with Heydar Aliyev yesterday.",
        "Vladimir Putin met with Ilham Aliyev yesterday.")})
    assert found["kremlin-1.txt"] == []  # one speaker alone, and the second paragraph is his turn's


def test_a_title_and_its_lead_recording_one_call_give_one_contact_the_leads(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Telephone conversation with President of Azerbaijan Ilham Aliyev", "24 December 2019",
        "Vladimir Putin had a telephone conversation with President of the Republic of Azerbaijan Ilham Aliyev.",
        "Vladimir Putin and Ilham Aliyev discussed bilateral relations.",
        "Earlier, Vladimir Putin sent a message of congratulations to Ilham Aliyev.")})
    assert found["kremlin-1.txt"] == [
        ("telephone", (ILHAM, PUTIN), 1, "Vladimir Putin had a telephone conversation with President of the Republic "
                                         "of Azerbaijan Ilham Aliyev."),
        ("message", (ILHAM, PUTIN), 3, "Earlier, Vladimir Putin sent a message of congratulations to Ilham Aliyev.")]


def test_people_who_discussed_are_in_contact_only_where_nothing_else_says_so(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Caucasian Four met", "25 January 2000",
        "Vladimir Putin, Heydar Aliyev and Nikol Pashinyan discussed regional security.",
        "Mr Putin and Mr Aliyev discussed the Caspian Sea.")})
    assert found["kremlin-1.txt"] == [
        ("talks", (HEYDAR, PASHINYAN, PUTIN), 1, "Vladimir Putin, Heydar Aliyev and Nikol Pashinyan discussed "
                                                 "regional security.")]


def test_a_message_named_before_its_sender(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "New Year greetings", "30 December 2019",
        "In his message of greetings to President of Azerbaijan Ilham Aliyev, Vladimir Putin noted the progress.",
        "In his greetings to Nikol Pashinyan and Alexander Lukashenko, the President of Russia stressed friendship.")})
    assert [(kind, people, n) for kind, people, n, _ in found["kremlin-1.txt"]] == [
        ("message", (ILHAM, PUTIN), 1), ("message", (PASHINYAN, PUTIN), 2), ("message", (LUKASHENKO, PUTIN), 2)]


def test_a_transcript_of_two_speakers_is_a_contact_at_the_second_ones_first_words(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Beginning of talks", "1 September 2018", "The talks were held in Sochi.",
        "Vladimir Putin: Mr President, welcome.", "Ilham Aliyev: Thank you.")})
    assert found["kremlin-1.txt"] == [("transcript", (ILHAM, PUTIN), 3, "Ilham Aliyev")]


def test_contacts_are_in_text_order_without_duplicates_in_a_sentence(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Talks", "1 September 2018",
        "Vladimir Putin met with Ilham Aliyev and later Vladimir Putin met with Ilham Aliyev again.",
        "Ilham Aliyev congratulated Vladimir Putin on the victory.", "Vladimir Putin: Thank you.",
        "Ilham Aliyev: Welcome.")})
    assert [(kind, n) for kind, _, n, _ in found["kremlin-1.txt"]] == [("meeting", 1), ("message", 2),
                                                                       ("transcript", 4)]


@pytest.mark.parametrize("sentence, expected", [
    ("A meeting has been held between Ilham Aliyev and Vladimir Putin.", [("meeting", (ILHAM, PUTIN))]),
    ("At the airport, Ilham Aliyev was welcomed by Nikol Pashinyan.", [("meeting", (ILHAM, PASHINYAN))]),
    ("Vladimir Putin received a telephone call from Ilham Aliyev.", [("telephone", (ILHAM, PUTIN))]),
    ("Vladimir Putin also sent Ilham Aliyev a message of congratulations.", [("message", (ILHAM, PUTIN))]),
    ("Vladimir Putin sent Ilham Aliyev to the airport.", []),
    ("The Russian President, now in Malaysia, telephoned Ilham Aliyev.", [("telephone", (ILHAM, PUTIN))]),
    ("Vladimir Putin met separately with Ilham Aliyev and Nikol Pashinyan.",
     [("meeting", (ILHAM, PUTIN)), ("meeting", (PASHINYAN, PUTIN))]),
    ("A number of leaders telephoned the President of Russia to convey their greetings, in particular, "
     "Ilham Aliyev and Nikol Pashinyan.", [("telephone", (ILHAM, PUTIN)), ("telephone", (PASHINYAN, PUTIN))]),
    ("A number of leaders telephoned the President of Russia, in particular, Ilham Aliyev, who is ill.", []),
])
def test_words_of_contact(tmp_path, sentence, expected):
    found = contacts(tmp_path, {"kremlin-1.txt": text("Remarks", "20 July 2021", sentence)})
    assert [(kind, people) for kind, people, _, _ in found["kremlin-1.txt"]] == expected


@pytest.mark.parametrize("title, kind", [("Conversation with Ilham Aliyev", "meeting"),
                                         ("Telephone conversation with Ilham Aliyev", "telephone"),
                                         ("Talks with Ilham Aliyev", "talks"),
                                         ("Condolences to Ilham Aliyev", "message"),
                                         ("Press statements following talks with Ilham Aliyev", "talks"),
                                         ("Birthday greetings to Vladimir Putin", None)])
def test_the_noun_of_a_subject_less_title_gives_the_kind(tmp_path, title, kind):
    found = contacts(tmp_path, {"kremlin-1.txt": text(title, "20 July 2021", "The text.")})
    assert found["kremlin-1.txt"] == ([(kind, (ILHAM, PUTIN), 0, title)] if kind else [])


def test_a_message_read_out_records_no_contact_until_its_quotation_closes(tmp_path):
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Greetings", "20 July 2021", "The message reads:",
        "“Dear friend, Vladimir Putin met with Ilham Aliyev.", "Nikol Pashinyan met with Ilham Aliyev.”",
        "Vladimir Putin met with Nikol Pashinyan.")})
    assert [(kind, people, n) for kind, people, n, _ in found["kremlin-1.txt"]] == [("meeting", (PASHINYAN, PUTIN), 4)]


def test_a_crowd_is_no_contact_of_each_with_each(tmp_path):
    names = ", ".join(f"Deputy Minister Ivan Petrov{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(45))
    found = contacts(tmp_path, {"kremlin-1.txt": text(
        "Remarks", "20 July 2021", f"The forum was attended by {names} and Ilham Aliyev.",
        "The summit was attended by Nikol Pashinyan and Ilham Aliyev.")})
    assert [(kind, people, n) for kind, people, n, _ in found["kremlin-1.txt"]] == [("summit", (ILHAM, PASHINYAN), 2)]
