"""Who is who (issue 15): anonymous roles are no people; person pages and the data show offices with their dates."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest

from annals.load import load_archive
from annals.export import data_files
from annals.index import Archive
from annals.markup import badge
from annals.offices import is_bare_title, is_part_of
from annals.render.pages import render_site

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "scripts" / "annals" / "schemas" / "annals.document-1.schema.json").read_text(encoding="utf-8"))
INTERVIEW = "2021-07-20-interview-with-ann-lee"
TALK = "2022-03-03-another-interview"
SOURCES = {
    "a.txt": "Interview with Ann Lee\n\n20 July 2021, 19:40\n\n"
             "Question: How are you?\n\nRuritanian President Ann Lee: Well, thank you.\n\nRemark: Good.\n\n"
             "Response: Indeed.\n\nQuestion from Izhevsk: And tomorrow?\n\nPresident Ann Lee: We shall see.\n",
    "b.txt": "Another interview\n\n3 March 2022\n\n"
             "Question: Why?\n\nHealthcare Minister Bo Ek: Because.\n\nDeputy Bo Ek: Indeed.\n",
}
OFFICES = """\
- office: President of Ruritania
  aliases: [Ruritanian President]
  holders:
    - {name: Ann Lee, from: 2012-05-07, to: 2016-05-07}
    - {name: Ann Lee, from: 2020-01-01}
- office: Prime Minister of Ruritania
  holders:
    - {name: Ann Lee, from: 2016-05-08, to: 2019-12-31}
"""


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    """Two interviews: Ann Lee (twice President of Ruritania, once its Prime Minister) and Bo Ek answer questions."""
    folder = tmp_path_factory.mktemp("roles")
    for name, text in SOURCES.items():
        (folder / "sources").mkdir(exist_ok=True)
        (folder / "sources" / name).write_text(text, encoding="utf-8")
    (folder / "registry").mkdir()
    (folder / "registry" / "offices.yml").write_text(OFFICES, encoding="utf-8")
    return load_archive(folder / "sources", folder / "registry")


@pytest.fixture(scope="module")
def pages(archive) -> dict[str, str]:
    return render_site(archive)


@pytest.fixture(scope="module")
def data(archive) -> dict[str, str]:
    return data_files(archive)


def section(page: str, heading: str) -> str:
    """The text of a page's section, from its heading to the next heading of its level."""
    start = page.index(f"## {heading}\n")
    end = page.find("\n## ", start + 1)
    return page[start:end if end >= 0 else None].strip()


# Roles are roles


def test_roles_speak_in_their_document_but_are_no_people(archive):
    doc = next(d for d in archive.documents if d.id == INTERVIEW)
    assert [(s.id, s.kind) for s in doc.speakers] == [
        ("question", "role"), ("ann-lee", "person"), ("remark", "role"), ("response", "role"),
        ("question-from-izhevsk", "role")]
    assert [(p.label, p.speaker) for p in doc.paragraphs] == [
        ("Question", "question"), ("Ruritanian President Ann Lee", "ann-lee"), ("Remark", "remark"),
        ("Response", "response"), ("Question from Izhevsk", "question-from-izhevsk"), ("President Ann Lee", "ann-lee")]
    assert list(archive.people) == ["ann-lee", "bo-ek"]  # the two questioners are not one person "question"
    assert archive.meetings == {}  # Ann Lee met no one: the questions are no one


def test_a_role_has_no_page_and_no_register_line(pages):
    assert sorted(p for p in pages if p.startswith("people/")) == ["people/ann-lee.md", "people/bo-ek.md",
                                                                   "people/index.md"]
    register = pages["people/index.md"]
    assert "[Ann Lee](ann-lee.md)" in register and "[Bo Ek](bo-ek.md)" in register
    assert "Question" not in register and "Roles" not in register
    assert "people/question" not in "".join(pages.values())


def test_the_document_page_shows_a_roles_label_unlinked(pages):
    page = pages[f"documents/2021/{INTERVIEW}.md"]
    assert f'<span class="annals-speaker">{badge("question", "Question")} Question:</span> How are you?' in page
    assert (f'<span class="annals-speaker">{badge("question-from-izhevsk", "Question from Izhevsk")} '
            "Question from Izhevsk:</span> And tomorrow?") in page
    assert (f"{badge('ann-lee', 'Ann Lee')} <a href=\"../../../people/ann-lee/\">Ruritanian President Ann Lee</a>:"
            in page)
    # Search: a role is no speaker to filter by, but each result still says whose turn it is.
    assert '<span data-pagefind-filter="speaker">Ann Lee</span>' in page
    assert 'data-pagefind-filter="speaker">Question' not in page and "&quot;Question&quot;" in page


def test_no_role_among_the_people_of_the_data(data):
    export = json.loads(data[f"data/documents/{INTERVIEW}.json"])
    jsonschema.validate(export, SCHEMA)
    assert [(s["id"], s["kind"], s["offices"]) for s in export["speakers"] if s["kind"] == "role"] == [
        ("question", "role", []), ("remark", "role", []), ("response", "role", []),
        ("question-from-izhevsk", "role", [])]
    assert [p["speaker"] for p in export["paragraphs"]][:2] == ["question", "ann-lee"]  # each turn still says whose
    documents = list(csv.DictReader(io.StringIO(data["data/documents.csv"])))
    assert sorted((d["id"], d["speakers"]) for d in documents) == [(INTERVIEW, "ann-lee"), (TALK, "bo-ek")]
    utterances = list(csv.DictReader(io.StringIO(data["data/utterances.csv"])))
    assert [(u["speaker"], u["speaker_name"], u["label"]) for u in utterances if u["document"] == TALK] == [
        ("question", "Question", "Question"), ("bo-ek", "Bo Ek", "Healthcare Minister Bo Ek"),
        ("bo-ek", "Bo Ek", "Deputy Bo Ek")]
    entities = json.loads(data["data/entities.json"])["entities"]
    assert [e["id"] for e in entities if e["type"] == "person"] == ["ann-lee", "bo-ek"]
    tei = data[f"data/tei/{INTERVIEW}.xml"]
    assert ('<person xml:id="role.question" role="speaker"><persName><roleName>Question</roleName></persName></person>'
            in tei) and '<u who="#role.question" xml:id="u1">' in tei


# Offices with their dates


def test_a_person_page_lists_offices_with_their_years_then_roles(pages):
    ann = pages["people/ann-lee.md"]  # the label's "Ruritanian President" is the office; "President" is not listed
    assert section(ann, "Offices and roles") == (
        "## Offices and roles\n\n"
        f"- President of Ruritania, 2012-2016, since 2020: [20 July 2021](../documents/2021/{INTERVIEW}.md)\n"
        "- Prime Minister of Ruritania, 2016-2019")
    assert section(pages["people/bo-ek.md"], "Offices and roles") == (
        f"## Offices and roles\n\n- Healthcare Minister: [3 March 2022](../documents/2022/{TALK}.md)")  # no "Deputy"


def test_the_export_gives_the_offices_held_on_the_documents_date(data):
    export = json.loads(data[f"data/documents/{INTERVIEW}.json"])
    ann = next(s for s in export["speakers"] if s["id"] == "ann-lee")
    assert ann["offices"] == [{"office": "President of Ruritania", "from": "2020-01-01", "to": None}]
    assert ann["roles"] == ["Ruritanian President", "President"]  # as the labels write them
    tei = data[f"data/tei/{INTERVIEW}.xml"]
    assert ('<affiliation role="office" key="president-of-ruritania" from="2012-05-07" to="2016-05-07">'
            "<roleName>President of Ruritania</roleName></affiliation>") in tei


@pytest.mark.parametrize("title, bare", [
    ("President", True), ("Deputy Prime Minister", True), ("Minister", True), ("Deputy", True),
    ("Healthcare Minister", False), ("Russian President", False), ("Speaker of the State Duma", False),
    ("Press Secretary", False), ("", False)])
def test_bare_titles_are_words_of_rank_alone(title, bare):
    assert is_bare_title(title) is bare


def test_a_part_of_an_offices_name_is_whole_words_of_it():
    assert is_part_of("Prime Minister", "Prime Minister of Russia")
    assert is_part_of("minister of  RUSSIA", "Prime Minister of Russia")
    assert not is_part_of("Minister of Rus", "Prime Minister of Russia")
    assert not is_part_of("", "Prime Minister of Russia")
