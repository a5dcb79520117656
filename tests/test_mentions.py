"""Mentions: names of people, places, organisations and topics found in the text, conservatively."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from annals.load import load_archive
from conftest import archive_of

ROOT = Path(__file__).resolve().parent.parent
HEAD = "Meeting\n\n20 July 2021, 19:40\nNovo-Ogaryovo, Moscow Region\n\n"


def found(doc) -> list[tuple[int, str, str]]:
    return [(m.paragraph, m.key, m.text) for m in doc.mentions]


@pytest.mark.site
def test_seed_mentions_every_required_entity():
    doc = load_archive(ROOT / "sources", ROOT / "registry").documents[0]
    keys = {m.key for m in doc.mentions}
    assert {"person:vladimir-putin", "person:ilham-aliyev", "person:andrey-rudenko", "place:russia",
            "place:azerbaijan", "place:baku", "place:moscow", "place:vnukovo-2-international-airport",
            "organization:sechenov-first-moscow-state-medical-university", "organization:moscow-state-university",
            "topic:north-south-transportation-corridor", "topic:sputnik-v"} <= keys
    assert (14, "person:vladimir-putin", "Vladimir Vladimirovich") in found(doc)  # a form of address, by alias
    assert (17, "organization:moscow-state-university", "Moscow State University") in found(doc)
    assert not any(m.key == "place:moscow" and m.paragraph == 17 and m.text == "Moscow" and m.start > 600
                   for m in doc.mentions)


def test_people_in_every_form(tmp_path):
    a = archive_of(tmp_path, {"a.txt": HEAD + "Healthcare Minister Mikhail Murashko: Thank you.\n\n"
                              "Vladimir Putin: Mr Murashko, and Ms Aliyeva too. Murashko agrees.\n\n"
                              "Question: And President of the Russian Federation Vladimir Putin?"},
                   {"people.yml": "- name: Mehriban Aliyeva\n"})
    doc = a.documents[0]
    assert found(doc) == [
        (0, "place:novo-ogaryovo", "Novo-Ogaryovo"), (0, "place:moscow-region", "Moscow Region"),
        (2, "person:mikhail-murashko", "Mr Murashko"), (2, "person:mehriban-aliyeva", "Ms Aliyeva"),
        (2, "person:mikhail-murashko", "Murashko"),
        (3, "place:russia", "Russian Federation"), (3, "person:vladimir-putin", "Vladimir Putin")]


def test_places_from_data_packages(tmp_path):
    doc = archive_of(tmp_path, {"a.txt": HEAD + "Azerbaijani and Russian delegations met in Baku, then in "
                                "St Petersburg and Moscow; the Republic of Korea sent word."}).documents[0]
    assert [(k, t) for _, k, t in found(doc)[2:]] == [
        ("place:azerbaijan", "Azerbaijani"), ("place:russia", "Russian"), ("place:baku", "Baku"),
        ("place:saint-petersburg", "St Petersburg"), ("place:moscow", "Moscow"),
        ("place:south-korea", "Republic of Korea")]


def test_ambiguous_surname_is_left_unlinked_and_reported(tmp_path):
    a = archive_of(tmp_path, {"a.txt": HEAD + "Mr Aliyev arrived.\n\nHe met Heydar Aliyev, then Mr Aliyev left."},
                   {"people.yml": "- name: Ilham Aliyev\n- name: Heydar Aliyev\n"})
    doc = a.documents[0]
    assert [(p, k, t) for p, k, t in found(doc) if p] == [
        (2, "person:heydar-aliyev", "Heydar Aliyev"), (2, "person:heydar-aliyev", "Mr Aliyev")]
    [warning] = [p for p in a.problems if p.severity == "warning"]
    assert str(warning).splitlines()[0].endswith(
        "a.txt:6: warning: ambiguous name 'Mr Aliyev' (Heydar Aliyev (person) or Ilham Aliyev (person)): left unlinked")


def test_a_surname_shared_with_someone_unknown_waits_for_the_full_name(tmp_path):
    a = archive_of(tmp_path, {"a.txt": HEAD + "Ilham Aliyev: Hello.\n\n* * *\n\nSamir Aliyev came. Mr Aliyev spoke.",
                              "b.txt": HEAD.replace("20 July", "21 July") + "Samir Aliyev came. Mr Aliyev spoke."})
    b = next(d for d in a.documents if d.source == "b.txt")
    assert [t for p, _, t in found(b) if p] == []
    a_doc = next(d for d in a.documents if d.source == "a.txt")
    assert "Mr Aliyev" not in [t for _, _, t in found(a_doc)], "Ilham Aliyev speaks, but Samir Aliyev is named"
    assert any("'Mr Aliyev'" in p.message for p in a.problems)


def test_tags_are_topics_and_mentions_export(tmp_path):
    a = archive_of(tmp_path, {"a.txt": "---\ntags: [Energy]\n---\n" + HEAD + "Energy matters in Russia."})
    doc = a.documents[0]
    assert (0, "topic:energy", "Energy") in found(doc)
    assert a.entities["topic:energy"].origin == "tags"


@pytest.mark.site
def test_putin_aliyev_meetings_match_the_gold(corpus):
    from test_corpus import ERRATA, apply_erratum
    errata = json.loads(ERRATA.read_text(encoding="utf-8"))["errata"]
    expected = []
    for path in sorted((corpus / "gold").glob("*.json")):
        gold = json.loads(path.read_text(encoding="utf-8"))
        for e in (e for e in errata if e["source"] == path.stem):
            apply_erratum(gold["paragraphs"], e)
        speakers = {" ".join(p["speaker"].split()[-2:]) for p in gold["paragraphs"] if p.get("speaker")}
        if {"Vladimir Putin", "Ilham Aliyev"} <= speakers:
            expected.append((gold["date"], path.stem))
    archive = load_archive(corpus / "sources", ROOT / "registry")
    by_source = {d.id: d for d in archive.documents}
    got = [(by_source[i].date.isoformat(), by_source[i].source[:-4])  # speaking together; narration adds others
           for i, contact in archive.contacts["ilham-aliyev--vladimir-putin"] if contact.kind == "transcript"]
    assert len(expected) >= 5 and got == sorted(expected)


def test_gazetteer_cache_gives_what_the_packages_give(tmp_path, monkeypatch):
    from annals import gazetteer
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path))
    made = gazetteer.cached("countries", gazetteer.make_countries)  # written
    assert list(tmp_path.glob("countries-*.pickle"))
    assert gazetteer.cached("countries", lambda: ()) == made  # read back, not made again
    assert any(e.id == "azerbaijan" and "Azerbaijani" in forms for e, forms in made)
