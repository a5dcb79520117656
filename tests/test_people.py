"""Who is who: people named in narration, short forms settled by context and by date, spellings made one
person, and what the editors are told of it (made-up texts)."""
from __future__ import annotations

from pathlib import Path

import pytest

from annals.cli import identity_lines
from annals.named import titled_names
from annals.render.pages import render_person
from annals.render.report import render_report
from conftest import archive_of

OFFICES = """\
- office: President of Azerbaijan
  aliases: [Azerbaijani President]
  holders:
    - {name: Heydar Aliyev, from: 1993-06-15, to: 2003-10-31}
    - {name: Ilham Aliyev, from: 2003-10-31}
"""


def text(title: str, day: str, *paragraphs: str) -> str:
    return f"{title}\n\n{day}\nMoscow\n\n" + "\n\n".join(paragraphs) + "\n"


def linked(doc, n: int | None = None) -> list[tuple[str, str]]:
    return [(m.text, m.entity) for m in doc.mentions if m.type == "person" and (n is None or m.paragraph == n)]


def test_a_title_then_a_name_in_narration_makes_a_person(tmp_path):
    a = archive_of(tmp_path, {"a.txt": text(
        "Talks", "12 May 2021",
        "Yesterday President of Kazakhstan Kassym-Jomart Tokayev and Prime Minister of Japan Shinzo Abe met "
        "Chairman of the Izborsk Club Ivan Sidorov.",
        "Later Mr Tokayev left. Minister of Foreign Affairs Olga Ivanova stayed.")})
    doc = a.documents[0]
    assert linked(doc) == [("Kassym-Jomart Tokayev", "kassym-jomart-tokayev"), ("Shinzo Abe", "shinzo-abe"),
                           ("Ivan Sidorov", "ivan-sidorov"), ("Mr Tokayev", "kassym-jomart-tokayev"),
                           ("Olga Ivanova", "olga-ivanova")]
    assert a.people["kassym-jomart-tokayev"].titles == ("President of Kazakhstan",)
    assert a.people["ivan-sidorov"].titles == ("Chairman of the Izborsk Club",)
    page = render_person(a.people["ivan-sidorov"], a)
    assert "## Offices and roles\n\n- Chairman of the Izborsk Club" in page and "named in 1 document" in page
    assert "foreign-affairs" not in a.people and "izborsk-club-ivan-sidorov" not in a.people


@pytest.mark.parametrize("sentence, named", [
    ("Prime Minister of Japan Shinzo Abe and President of Turkey Recep Tayyip Erdogan met.",
     [("Shinzo Abe", "Prime Minister of Japan"), ("Recep Tayyip Erdogan", "President of Turkey")]),
    ("Then Foreign Minister Sergei Lavrov spoke.", [("Sergei Lavrov", "Foreign Minister")]),
    ("Minister of Science and Higher Education Valery Falkov reported.",
     [("Valery Falkov", "Minister of Science and Higher Education")]),
    ("The talks with President Ilham Aliyev. Then Minister Ivan Petrov spoke.",
     [("Ilham Aliyev", "President"), ("Ivan Petrov", "Minister")]),
    ("He met the Minister of Foreign Affairs. Governor of St Petersburg spoke.", []),
    ("The Ministry of Labour and Social Protection of the Russian Federation.", []),
    ("Vladimir Putin met with Ilham Aliyev.", []),  # a name with no title: known people only
])
def test_titled_names(sentence, named):
    places = {("Japan",), ("Turkey",), ("St", "Petersburg"), ("Russian", "Federation")}
    assert [(n.name, n.role) for n in titled_names(sentence, lambda words: words in places)] == named


def test_short_form_goes_to_the_one_holding_office_on_the_date(tmp_path):
    a = archive_of(tmp_path, {
        "2001.txt": text("Visit", "9 January 2001", "Mr Aliyev arrived. President Aliyev spoke of the talks."),
        "2019.txt": text("Visit", "9 January 2019", "Mr Aliyev arrived. President Aliyev spoke of the talks."),
        "names.txt": text("Names", "1 March 2020", "President Heydar Aliyev and President Ilham Aliyev are named here in full."),
    }, {"offices.yml": OFFICES})
    docs = {d.source: d for d in a.documents}
    assert linked(docs["2001.txt"]) == [("Mr Aliyev", "heydar-aliyev"), ("Aliyev", "heydar-aliyev")]
    assert linked(docs["2019.txt"]) == [("Mr Aliyev", "ilham-aliyev"), ("Aliyev", "ilham-aliyev")]


def test_short_form_without_offices_stays_unlinked_and_is_reported(tmp_path):
    a = archive_of(tmp_path, {
        "2001.txt": text("Visit", "9 January 2001", "Mr Aliyev arrived."),
        "names.txt": text("Names", "1 March 2020", "President Heydar Aliyev and President Ilham Aliyev are named here in full."),
    })
    doc = next(d for d in a.documents if d.source == "2001.txt")
    assert linked(doc) == []
    assert any("ambiguous name 'Mr Aliyev'" in p.message for p in a.problems)


def test_short_form_goes_to_the_one_named_in_full_or_speaking_in_the_document(tmp_path):
    a = archive_of(tmp_path, {
        "a.txt": text("Talks", "9 January 2001", "Ilham Aliyev: Thank you.", "Vladimir Putin: Mr Aliyev, welcome."),
        "b.txt": text("Talks", "9 January 2002", "Heydar Aliyev came. Later Mr Aliyev spoke."),
        "c.txt": text("Names", "1 March 2020", "President Heydar Aliyev and President Ilham Aliyev are named here in full."),
    }, {"offices.yml": OFFICES})
    docs = {d.source: d for d in a.documents}
    assert ("Mr Aliyev", "ilham-aliyev") in linked(docs["a.txt"])  # he speaks there, though not in office
    assert linked(docs["b.txt"]) == [("Heydar Aliyev", "heydar-aliyev"), ("Mr Aliyev", "heydar-aliyev")]


def test_short_form_goes_to_a_far_more_frequent_bearer(tmp_path):
    texts = {f"p{i}.txt": text(f"Talk {i}", f"{i + 1} March 2020", "Vladimir Putin: Good afternoon.")
             for i in range(10)}
    texts["other.txt"] = text("Other", "1 April 2020", "Governor Ivan Putin opened the road.")
    texts["short.txt"] = text("Short", "2 April 2020", "Mr Putin arrived.")
    a = archive_of(tmp_path, texts)
    doc = next(d for d in a.documents if d.source == "short.txt")
    assert linked(doc) == [("Mr Putin", "vladimir-putin")]


def test_variants_are_one_person_and_the_report_says_so(tmp_path):
    texts = {f"k{i}.txt": text(f"Direct Line {i}", f"{i + 1} June 2017", "Kirill Kleymenov: Good afternoon.",
                                "Vladimir Putin: Good afternoon.") for i in range(12)}
    texts["typo.txt"] = text("Direct Line", "20 June 2017", "Kirill Kleimenov: A question from Omsk.",
                             "Vladimir Putin: Yes.")
    texts["narration.txt"] = text("Call", "21 June 2017",
                                  "Vladimir Putin spoke with President of Azerbaijan Ilkham Aliyev.")
    a = archive_of(tmp_path, texts, {"offices.yml": OFFICES})
    assert "kirill-kleimenov" not in a.people and "ilkham-aliyev" not in a.people
    assert len(a.people["kirill-kleymenov"].documents) == 13
    assert "Also written as: Kirill Kleimenov" in render_person(a.people["kirill-kleymenov"], a)  # searched too
    typo = next(d for d in a.documents if d.source == "typo.txt")
    assert typo.paragraphs[0].speaker == "kirill-kleymenov"
    call = next(d for d in a.documents if d.source == "narration.txt")
    assert ("Ilkham Aliyev", "ilham-aliyev") in linked(call)
    lines = identity_lines(a)
    assert "one person: 'Kirill Kleimenov' (1) is 'Kirill Kleymenov' (12), transliteration" in lines
    report = render_report(a)
    assert "## Spellings made one person" in report and "Kirill Kleimenov (1 time) is [Kirill Kleymenov]" in report


def test_the_registry_keeps_two_people_apart(tmp_path):
    texts = {f"k{i}.txt": text(f"Meeting {i}", f"{i + 1} June 2017", "Kirill Kleymenov: Good afternoon.")
             for i in range(12)}
    texts["other.txt"] = text("Meeting", "20 June 2017", "Kirill Kleimenov: Good afternoon.")
    people = "- name: Kirill Kleymenov\n  distinct: [Kirill Kleimenov]\n"
    a = archive_of(tmp_path, texts, {"people.yml": people})
    assert {"kirill-kleimenov", "kirill-kleymenov"} <= set(a.people)
    assert any("Kirill Kleimenov" in line and "left apart" in line for line in identity_lines(a))
    assert "## Close names left apart" in render_report(a)
