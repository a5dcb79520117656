"""Who is who on the shared corpus: the right pages, one person under every spelling, short forms by date.

The archive is read with the project's offices and publishers but without registry/people.yml, whose
aliases would otherwise tell it that "Heidar Aliyev" is Heydar Aliyev: the rules must find it alone."""
from __future__ import annotations

import collections
import shutil
from pathlib import Path

import pytest

from annals.load import load_archive

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def archive(corpus, tmp_path_factory):
    registry = tmp_path_factory.mktemp("registry")
    for name in ("offices.yml", "publishers.yml"):
        shutil.copy(ROOT / "registry" / name, registry / name)
    return load_archive(corpus / "sources", registry)


def document(archive, stem: str):
    return next(d for d in archive.documents if d.source == f"{stem}.txt")


def links(doc, written: str) -> list[str]:
    """The keys of the mentions written exactly so in a document."""
    return [m.key for m in doc.mentions if m.text.replace("’", "'") == written]


@pytest.mark.site
def test_long_names_link_whole(archive):
    assert set(links(document(archive, "kremlin-57091"), "People's Republic of China")) == {"place:china"}
    uk = links(document(archive, "kremlin-62521"), "United Kingdom of Great Britain and Northern Ireland")
    assert uk and set(uk) == {"place:united-kingdom"}
    assert not any(m.key == "place:taiwan" for d in archive.documents for m in d.mentions
                   if "People" in d.paragraphs[m.paragraph - 1].text[max(0, m.start - 12):m.start]) 


def test_a_personal_name_is_never_a_place(archive):
    kennedy = {(m.text, m.key) for d in archive.documents for m in d.mentions if "Kennedy" in m.text}
    assert kennedy == {("John Kennedy", "person:john-kennedy"), ("Joseph Kennedy", "person:joseph-kennedy")}


def test_ilkham_and_ilham_are_one_person(archive):
    assert "ilkham-aliyev" not in archive.people
    written = collections.Counter(m.text for d in archive.documents for m in d.mentions if m.key == "person:ilham-aliyev")
    assert written["Ilkham Aliyev"] >= 5 and written["Ilham Aliyev"] >= 40


def test_heidar_and_heydar_are_one_person_whose_page_holds_2000_to_2003(archive):
    assert "heidar-aliyev" not in archive.people and "geidar-aliyev" not in archive.people
    years = {d.date.year for d in archive.documents for m in d.mentions if m.key == "person:heydar-aliyev"}
    assert {2000, 2001, 2002, 2003} <= years
    heidar = [m for d in archive.documents for m in d.mentions if m.text in ("Heidar Aliyev", "Geidar Aliyev")]
    assert heidar and {m.entity for m in heidar} == {"heydar-aliyev"}


def test_mr_aliyev_is_linked_by_date(archive):
    for stem, year, who in (("kremlin-26834", 2001, "heydar-aliyev"), ("kremlin-33543", 2005, "ilham-aliyev")):
        doc = document(archive, stem)
        assert doc.date.year == year
        assert set(links(doc, "Mr Aliyev")) == {f"person:{who}"}, stem


def test_anonymous_roles_have_no_person(archive):
    assert not {"question", "remark", "response", "remarks", "reply"} & set(archive.people)
    roles = {s.id for d in archive.documents for s in d.speakers if s.kind == "role"}
    assert {"question", "remark"} <= roles  # the turns keep their labels


def test_no_dateline_is_a_paragraph_or_an_event(archive, corpus):
    import importlib.util
    spec = importlib.util.spec_from_file_location("score_export", corpus.parent / "tools" / "score_export.py")
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    assert not [(d.source, p.n) for d in archive.documents for p in d.paragraphs if scorer.is_dateline(p.text)]
    for d in archive.documents:
        for e in d.events:
            assert not scorer.is_dateline(d.paragraphs[e.paragraph - 1].text), (d.source, e)
