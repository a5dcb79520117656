"""The JSON export: its schema, its ids, and byte-identical output for the same input."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import csv
import dataclasses
import datetime
import io

from annals.load import load_archive
from annals.errors import AnnalsError
from annals.cli import main
from annals.export import archive_files, document_json
from annals.index import Archive
from annals.model import CONTACT_KINDS, Contact, Document, Entity, Paragraph, Person
from annals.tables import CONTACTS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "scripts" / "annals" / "schemas" / "annals.document-1.schema.json").read_text(encoding="utf-8"))
HEAD = "Visit\n\n20 July 2021, 19:40\n\n"


def write_sources(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.site
def test_seed_export_matches_schema_and_form():
    archive = load_archive(ROOT / "sources", ROOT / "registry")
    data = document_json(archive.documents[0])
    jsonschema.validate(data, SCHEMA)
    assert data["id"] == "2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit"
    assert data["url"] == "documents/2021/2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit/"
    assert data["source"] == "president-az-52519.txt"
    assert [s["id"] for s in data["speakers"]] == ["vladimir-putin", "ilham-aliyev"]
    putin = data["speakers"][0]
    assert putin["labels"] == ["Russian President Vladimir Putin said", "President Vladimir Putin"]
    assert putin["kind"] == "person" and putin["name"] == "Vladimir Putin"
    p4 = data["paragraphs"][3]
    assert p4 == {"n": 4, "anchor": "p4", "line": 12, "speaker": "vladimir-putin",
                  "label": "Russian President Vladimir Putin said", "turn": 1,
                  "text": "Happy Eid al-Adha! I congratulate you, all the best."}
    assert data["paragraphs"][4] == {"n": 5, "anchor": "p5", "line": 16, "speaker": "ilham-aliyev",
                                     "label": "President Ilham Aliyev", "turn": 2, "text": "Thank you very much."}


@pytest.mark.site
def test_corpus_exports_match_schema(corpus):
    for doc in load_archive(corpus / "sources").documents:
        jsonschema.validate(document_json(doc), SCHEMA)


@pytest.mark.site
def test_export_is_byte_identical(tmp_path, corpus):
    for out in ("a", "b"):
        assert main(["export", "--sources", str(corpus / "sources"), "--out", str(tmp_path / out)]) == 0
    a = {p.name: p.read_bytes() for p in (tmp_path / "a").iterdir()}
    b = {p.name: p.read_bytes() for p in (tmp_path / "b").iterdir()}
    assert a == b
    for suffix in (".json", ".xml"):  # each document's export and its TEI
        assert sum(1 for name in a if name.startswith(("1", "2")) and name.endswith(suffix)) == 115
    assert {"entities.json", "timeline.json", "utterances.csv", "documents.csv", "entities.csv",
            "annals.document-1.schema.json"} <= set(a)


def test_one_identity_for_every_form_of_a_name(tmp_path):
    src = write_sources(tmp_path / "s", {
        "a.txt": HEAD + "Russian President Vladimir Putin said:\n\n- Hello.\n\nPresident of Russia Vladimir Putin: Yes.",
        "b.txt": "Other\n\nAugust 11, 2020, 12:30\n\nVladimir Putin: Hi.\n\nPresident Vladimir Putin: Again."})
    archive = load_archive(src)
    assert list(archive.people) == ["vladimir-putin"]
    assert archive.people["vladimir-putin"].documents == ("2021-07-20-visit", "2020-08-11-other")
    roles = {d.id: d.speakers[0].roles for d in archive.documents}
    assert roles == {"2021-07-20-visit": ("Russian President", "President of Russia"), "2020-08-11-other": ("President",)}


def test_registry_aliases_and_names_win(tmp_path):
    src = write_sources(tmp_path / "s", {"a.txt": HEAD + "V.Putin: Hello.\n\nVladimir Vladimirovich: Yes."})
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "people.yml").write_text(
        "- id: putin\n  name: Vladimir V. Putin\n  aliases: [V.Putin, Vladimir Vladimirovich]\n", encoding="utf-8")
    archive = load_archive(src, tmp_path / "r")
    assert [(s.id, s.name) for s in archive.documents[0].speakers] == [("putin", "Vladimir V. Putin")]
    assert {p.speaker for p in archive.documents[0].paragraphs} == {"putin"}


def test_same_title_and_date_get_distinct_stable_ids(tmp_path):
    src = write_sources(tmp_path / "s", {"x/a.txt": HEAD + "One.", "y/a.txt": HEAD + "Two."})
    ids = sorted(d.id for d in load_archive(src).documents)
    assert len(set(ids)) == 2 and all(i.startswith("2021-07-20-visit-") for i in ids)
    assert ids == sorted(d.id for d in load_archive(src).documents)


def test_every_error_is_reported_with_its_place(tmp_path, capsys):
    src = write_sources(tmp_path / "s", {"a.txt": "No date here\n\nText.", "b.txt": HEAD + "Fine.",
                                         "c.txt": "---\ntitle: [\n---\nT\n"})
    (tmp_path / "s" / "d.txt").write_bytes(b"Title\n\n20 July 2021\n\n\xff\xfe bad")
    (tmp_path / "r").mkdir()  # no registry: no publisher to warn about
    code = main(["check", "--quiet", "--sources", str(src), "--registry", str(tmp_path / "r")])
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert code == 1
    assert err[0].endswith("a.txt:2: no date found")
    assert any(line.endswith("c.txt:2: invalid front matter: expected the node content, but found '<stream end>'")
               for line in err), err
    assert any(line.endswith("d.txt:5: not valid UTF-8 text (it looks like cp1251)") for line in err), err
    assert captured.out.splitlines()[-1] == "3 error(s), 0 warning(s)"


def test_registry_errors_name_their_line(tmp_path):
    src = write_sources(tmp_path / "s", {"a.txt": HEAD + "Fine."})
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "people.yml").write_text("- name: A B\n- id: x\n  aliases: [Q]\n", encoding="utf-8")
    with pytest.raises(AnnalsError) as exc:
        load_archive(src, tmp_path / "r")
    [problem] = exc.value.problems
    assert (problem.path.endswith("people.yml"), problem.line, problem.message) == (
        True, 2, "each entry needs a 'name'")


# Contacts: in each document's JSON and in contacts.csv


def contact_archive() -> Archive:
    """A telephone call told in a title (Cy Do implied by it, named nowhere) and a meeting told in narration."""
    call = Document(source="a.txt", title="Telephone conversation with Bo Ek", date=datetime.date(2010, 5, 3),
                    id="2010-05-03-call", paragraphs=(Paragraph(1, 5, "They spoke of trade."),),
                    contacts=(Contact("telephone", ("bo-ek", "cy-do"), 0, 0, 33, "Telephone conversation with Bo Ek"),))
    text = "Ann Lee met Bo Ek and Cy Do in Baku. It rained."
    visit = Document(source="b.txt", title="Visit", date=datetime.date(2011, 6, 1), id="2011-06-01-visit",
                     paragraphs=(Paragraph(1, 5, "Welcome."), Paragraph(2, 7, text)),
                     contacts=(Contact("meeting", ("ann-lee", "bo-ek", "cy-do"), 2, 0, 36, text[:36]),))
    people = {i: Person(i, n) for i, n in (("ann-lee", "Ann Lee"), ("bo-ek", "Bo Ek"), ("cy-do", "Cy Do"))}
    entities = {f"person:{i}": Entity("person", i, p.name) for i, p in people.items()}
    return Archive((visit, call), people, (), entities)


def test_document_json_lists_its_contacts_and_matches_the_schema():
    archive = contact_archive()
    visit, call = (document_json(d, archive.entities, people=archive.people) for d in archive.documents)
    assert call["contacts"] == [{"kind": "telephone", "people": ["bo-ek", "cy-do"], "names": ["Bo Ek", "Cy Do"],
                                 "paragraph": 0, "start": 0, "end": 33, "text": "Telephone conversation with Bo Ek"}]
    assert visit["contacts"] == [{"kind": "meeting", "people": ["ann-lee", "bo-ek", "cy-do"],
                                  "names": ["Ann Lee", "Bo Ek", "Cy Do"], "paragraph": 2, "start": 0, "end": 36,
                                  "text": "Ann Lee met Bo Ek and Cy Do in Baku."}]
    for data in (visit, call):
        jsonschema.validate(data, SCHEMA)


def test_schema_knows_every_kind_of_contact_and_no_other():
    assert SCHEMA["properties"]["contacts"]["items"]["properties"]["kind"]["enum"] == list(CONTACT_KINDS)
    doc = contact_archive().documents[1]
    for kind in CONTACT_KINDS:
        jsonschema.validate(document_json(dataclasses.replace(doc, contacts=(
            dataclasses.replace(doc.contacts[0], kind=kind),))), SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document_json(dataclasses.replace(doc, contacts=(
            dataclasses.replace(doc.contacts[0], kind="lunch"),))), SCHEMA)


def test_contacts_csv_one_row_per_contact_newest_document_first():
    text = archive_files(contact_archive())["data/contacts.csv"]
    assert text.splitlines()[0] == ",".join(CONTACTS) == "document,date,kind,people,names,paragraph,anchor,text"
    assert list(csv.DictReader(io.StringIO(text))) == [
        {"document": "2011-06-01-visit", "date": "2011-06-01", "kind": "meeting", "people": "ann-lee; bo-ek; cy-do",
         "names": "Ann Lee; Bo Ek; Cy Do", "paragraph": "2", "anchor": "p2", "text": "Ann Lee met Bo Ek and Cy Do in Baku."},
        {"document": "2010-05-03-call", "date": "2010-05-03", "kind": "telephone", "people": "bo-ek; cy-do",
         "names": "Bo Ek; Cy Do", "paragraph": "0", "anchor": "", "text": "Telephone conversation with Bo Ek"}]
