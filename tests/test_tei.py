"""TEI XML of one document: its form, its escaping, and that its text is always exactly the model's."""
from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from annals.index import Archive
from annals.model import CONTACT_KINDS, Contact, Document, Event, Mention, Paragraph, Person, Publisher, Speaker
from annals.offices import Holding, Office
from annals.tei import document_tei, inline

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
TEI_ALL = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas" / "tei_all.rng"


OFFICE = Publisher("office", "The Office", "Office site", "https://example.org/", "Office & Co",
                   licence="CC BY 4.0", licence_url="https://creativecommons.org/licenses/by/4.0/")


def tiny(publisher: Publisher | None = OFFICE, **changes) -> tuple[Document, Archive]:
    doc = Document(
        source="2021/visit.txt", title="A visit", date=datetime.date(2021, 7, 20), time="19:40", place="Moscow",
        source_url="https://example.org/a?b=1&c=2", original_url="https://example.org/a?b=1&c=2",
        id="2021-07-20-a-visit", sha256="ab" * 32, publisher="office",
        speakers=(Speaker("ann-lee", "Ann Lee", "person", ("President Ann Lee",), ("President",)),
                  Speaker("question", "Question", "role", ("Question",))),
        paragraphs=(
            Paragraph(1, 5, "The talks began in Baku on 3 May."),
            Paragraph(2, 7, "Welcome, Bo Ek!", label="President Ann Lee", turn="President Ann Lee", speaker="ann-lee"),
            Paragraph(3, 9, "We agree.", turn="President Ann Lee", speaker="ann-lee"),
            Paragraph(4, 12, "Why?", label="Question", turn="Question", speaker="question", section=1),
            Paragraph(5, 14, "Nobody knows.", label="A voice", turn="A voice", section=1),
        ),
        mentions=(Mention(1, 19, 23, "place", "baku", "Baku"), Mention(2, 9, 14, "person", "bo-ek", "Bo Ek")),
        events=(Event(1, 27, 32, "2021-05-03", "3 May", "date"),))
    doc = dataclasses.replace(doc, **changes)
    people = {"ann-lee": Person("ann-lee", "Ann Lee"), "bo-ek": Person("bo-ek", "Bo Ek")}  # a role is no person
    return doc, Archive((doc,), people, (), publishers={publisher.id: publisher} if publisher else {})


def parse(xml: str):
    return etree.fromstring(xml.encode("utf-8"))


def test_tei_form():
    doc, archive = tiny()
    root = parse(document_tei(doc, archive, "https://annals.example/sub/"))
    assert root.tag == f"{T}TEI"
    assert root.findtext(f".//{T}publicationStmt/{T}idno[@type='URI']") == (
        "https://annals.example/sub/documents/2021/2021-07-20-a-visit/")
    assert root.findtext(f".//{T}sourceDesc/{T}bibl/{T}publisher") == "The Office"
    assert root.findtext(f".//{T}titleStmt/{T}title") == "A visit"
    assert root.find(f".//{T}sourceDesc/{T}bibl/{T}date").get("when") == "2021-07-20"
    assert root.find(f".//{T}sourceDesc/{T}bibl/{T}time").get("when") == "19:40:00"
    assert root.find(f".//{T}sourceDesc//{T}ref").get("target") == "https://example.org/a?b=1&c=2"
    licence = root.find(f".//{T}availability/{T}licence")
    assert (licence.get("target"), licence.text) == ("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0")
    assert root.findtext(f".//{T}availability/{T}p") == "Attribution: Office & Co"
    assert root.findtext(f".//{T}settingDesc/{T}setting/{T}placeName") == "Moscow"
    people = [(p.get(XML_ID), p.get("role"), "".join(p.itertext())) for p in root.iter(f"{T}person")]
    assert people == [("person.ann-lee", "speaker", "Ann LeePresident"), ("role.question", "speaker", "Question"),
                      ("person.bo-ek", "mentioned", "Bo Ek")]
    assert root.find(f".//{T}person[@{XML_ID}='role.question']/{T}persName/{T}roleName") is not None  # a role
    assert root.findtext(f".//{T}person[@{XML_ID}='person.ann-lee']/{T}affiliation") == "President"
    divs = root.findall(f".//{T}body/{T}div")
    assert [d.get("type") for d in divs] == ["debateSection", "debateSection"]
    assert [(e.tag.removeprefix(T), e.get(XML_ID), e.get("who")) for e in divs[0]] == [
        ("p", "p1", None), ("note", None, None), ("u", "u1", "#person.ann-lee")]
    assert [s.get(XML_ID) for s in divs[0].find(f"{T}u")] == ["p2", "p3"]
    assert divs[0].findtext(f"{T}note") == "President Ann Lee:"
    utterances = divs[1].findall(f"{T}u")
    assert [(u.get(XML_ID), u.get("who")) for u in utterances] == [("u2", "#role.question"), ("u3", None)]
    p1 = root.find(f".//{T}p[@{XML_ID}='p1']")
    assert etree.tostring(p1, encoding="unicode", with_tail=False).split(">", 1)[1] == (
        'The talks began in <placeName ref="#place.baku">Baku</placeName> on '
        '<date when="2021-05-03" type="date">3 May</date>.</p>')
    assert root.find(f".//{T}listPlace/{T}place").get(XML_ID) == "place.baku"


def test_offices_with_dates_are_affiliations_of_the_speaker_and_valid_tei():
    held = (Holding("ann-lee", "Ann Lee", datetime.date(2012, 5, 7), datetime.date(2016, 5, 7)),
            Holding("bo-ek", "Bo Ek", datetime.date(2016, 5, 8), datetime.date(2019, 12, 31)),
            Holding("ann-lee", "Ann Lee", datetime.date(2020, 1, 1)))
    doc, archive = tiny()
    archive = dataclasses.replace(archive, offices=(Office("President of Ruritania", ("Ruritanian President",), held),))
    root = parse(document_tei(doc, archive))
    ann = root.find(f".//{T}person[@{XML_ID}='person.ann-lee']")
    assert [(a.get("role"), a.get("key"), a.get("from"), a.get("to"), "".join(a.itertext()))
            for a in ann.iterfind(f"{T}affiliation")] == [
        ("office", "president-of-ruritania", "2012-05-07", "2016-05-07", "President of Ruritania"),
        ("office", "president-of-ruritania", "2020-01-01", None, "President of Ruritania"),
        (None, None, None, None, "President")]  # the role the document's label gives, as written
    assert ann.findtext(f"{T}affiliation/{T}roleName") == "President of Ruritania"
    # Bo Ek, named but not speaking, and the role Question carry no offices.
    assert [p.get(XML_ID) for p in root.iter(f"{T}person")
            if p.find(f"{T}affiliation") is not None] == ["person.ann-lee"]
    if not TEI_ALL.is_file():
        pytest.skip(f"the TEI schema is absent ({TEI_ALL})")
    relaxng = etree.RelaxNG(etree.parse(str(TEI_ALL)))
    assert relaxng.validate(root), [str(e) for e in relaxng.error_log][:3]


def test_contacts_of_every_kind_are_events_with_participants_and_valid_tei():
    """Each contact is a standOff event of its kind and date, with its words, a pointer to its paragraph (the
    title's xml:id for a title) and its people; one nobody names (Cy Do, implied by the title) joins the header."""
    doc, archive = tiny()
    archive = dataclasses.replace(archive, people={**archive.people, "cy-do": Person("cy-do", "Cy Do")})
    found = {"meeting": Contact("meeting", ("ann-lee", "bo-ek"), 1, 0, 10, "The talks began"),
             "talks": Contact("talks", ("ann-lee", "bo-ek"), 1, 4, 9, "talks"),
             "telephone": Contact("telephone", ("bo-ek", "cy-do"), 0, 0, 7, "A visit"),
             "message": Contact("message", ("ann-lee", "cy-do"), 3, 0, 9, "We agree."),
             "summit": Contact("summit", ("ann-lee", "bo-ek", "cy-do"), 1, 0, 33, "The talks began in Baku on 3 May."),
             "transcript": Contact("transcript", ("ann-lee", "bo-ek"), 2, 0, 0, "President Ann Lee")}
    assert set(found) == set(CONTACT_KINDS)
    doc = dataclasses.replace(doc, contacts=tuple(found.values()))
    root = parse(document_tei(doc, archive))
    events = root.findall(f"{T}standOff/{T}listEvent[@type='contacts']/{T}event")
    assert [(e.get("type"), e.get("when"), e.findtext(f"{T}p"), e.find(f"{T}ptr").get("target"),
             [(n.get("ref"), n.text) for n in e.iterfind(f"{T}listPerson[@type='participants']/{T}person/{T}persName")])
            for e in events] == [
        ("meeting", "2021-07-20", "The talks began", "#p1", [("#person.ann-lee", "Ann Lee"), ("#person.bo-ek", "Bo Ek")]),
        ("talks", "2021-07-20", "talks", "#p1", [("#person.ann-lee", "Ann Lee"), ("#person.bo-ek", "Bo Ek")]),
        ("telephone", "2021-07-20", "A visit", "#title", [("#person.bo-ek", "Bo Ek"), ("#person.cy-do", "Cy Do")]),
        ("message", "2021-07-20", "We agree.", "#p3", [("#person.ann-lee", "Ann Lee"), ("#person.cy-do", "Cy Do")]),
        ("summit", "2021-07-20", "The talks began in Baku on 3 May.", "#p1",
         [("#person.ann-lee", "Ann Lee"), ("#person.bo-ek", "Bo Ek"), ("#person.cy-do", "Cy Do")]),
        ("transcript", "2021-07-20", "President Ann Lee", "#p2", [("#person.ann-lee", "Ann Lee"), ("#person.bo-ek", "Bo Ek")])]
    people = [(p.get(XML_ID), p.get("role")) for p in root.find(f".//{T}particDesc/{T}listPerson")]
    assert people == [("person.ann-lee", "speaker"), ("role.question", "speaker"), ("person.bo-ek", "mentioned"),
                      ("person.cy-do", "contact")]
    ids = {e.get(XML_ID) for e in root.iter() if e.get(XML_ID)}
    assert {e.get("target")[1:] for e in root.iter(f"{T}ptr")} | {n.get("ref")[1:] for e in events
                                                                   for n in e.iter(f"{T}persName")} <= ids
    assert [e.tag.removeprefix(T) for e in root] == ["teiHeader", "standOff", "text"]
    if not TEI_ALL.is_file():
        pytest.skip(f"the TEI schema is absent ({TEI_ALL})")
    relaxng = etree.RelaxNG(etree.parse(str(TEI_ALL)))
    assert relaxng.validate(root), [str(e) for e in relaxng.error_log][:3]


def test_no_contacts_no_stand_off():
    doc, archive = tiny()
    assert parse(document_tei(doc, archive)).find(f"{T}standOff") is None


def test_no_licence_says_so():
    for publisher in (None, Publisher("office", "The Office")):  # no publisher; a publisher with no licence
        doc, archive = tiny(publisher)
        root = parse(document_tei(doc, archive))
        availability = root.find(f".//{T}availability")
        assert availability.get("status") == "unknown" and availability.find(f"{T}licence") is None
        assert root.findtext(f".//{T}publicationStmt/{T}idno[@type='URI']") == "documents/2021/2021-07-20-a-visit/"


def test_hostile_text_is_data():
    hostile = '<script>alert(1)</script> & ]]> "q" \ufffe\uffff end'
    publisher = Publisher("office", hostile, credit=hostile, licence=hostile, licence_url='https://x.org/"><script>')
    doc, archive = tiny(publisher, title=hostile, place=hostile, original_url='https://x.org/"><script>', tags=(hostile,),
                        paragraphs=(Paragraph(1, 3, hostile),), speakers=(), mentions=(), events=())
    root = parse(document_tei(doc, archive))
    assert root.findtext(f".//{T}titleStmt/{T}title") == hostile.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")
    assert "".join(root.find(f".//{T}body//{T}p").itertext()) == root.findtext(f".//{T}titleStmt/{T}title")
    assert root.find(f".//{T}sourceDesc//{T}ref").get("target") == 'https://x.org/"><script>'
    assert root.findtext(f".//{T}sourceDesc//{T}publisher") == root.findtext(f".//{T}availability/{T}licence")
    assert root.find(f".//{T}availability/{T}licence").get("target") == 'https://x.org/"><script>'
    assert not list(root.iter("script", f"{T}script"))


def test_ids_that_would_clash_are_kept_apart():
    # A person whose id is a paragraph's anchor, or starts with a digit: the prefix keeps xml:ids unique and valid.
    doc, archive = tiny(speakers=(Speaker("p1", "P One", "person"), Speaker("1st", "First", "person")),
                        paragraphs=(Paragraph(1, 3, "Hello.", label="P One", turn="P One", speaker="p1"),
                                    Paragraph(2, 5, "Hi.", label="First", turn="First", speaker="1st")),
                        mentions=(), events=())
    root = parse(document_tei(doc, archive))
    ids = [e.get(XML_ID) for e in root.iter() if e.get(XML_ID)]
    assert len(ids) == len(set(ids)) and {"person.p1", "person.1st", "p1", "p2"} <= set(ids)


def test_crossing_spans_are_left_unmarked_not_lost():
    spans = [(0, 5, "<a>", "</a>"), (3, 8, "<b>", "</b>"), (6, 8, "<c>", "</c>"), (0, 5, "<d>", "</d>")]
    out = inline("abcdefgh&", spans)
    assert out == "<a><d>abcde</d></a>f<c>gh</c>&amp;"
    assert "".join(parse(f"<x>{out.replace('<a>', '<a_>').replace('</a>', '</a_>')}</x>").itertext()) == "abcdefgh&"


def test_same_document_same_bytes():
    doc, archive = tiny()
    assert document_tei(doc, archive) == document_tei(*tiny())


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(st.text(min_size=1, max_size=60), min_size=1, max_size=4),
       cuts=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=6))
def test_any_text_parses_and_round_trips(texts, cuts):
    """Whatever the paragraphs hold, and wherever mentions fall, the TEI parses and each paragraph's text is
    the model's (characters XML cannot hold become U+FFFD)."""
    from annals.feed import NOT_XML

    paragraphs = tuple(Paragraph(i, i, t, label="Ann" if i == 2 else None, turn="Ann" if i >= 2 else None,
                                 speaker="ann-lee" if i >= 2 else None) for i, t in enumerate(texts, 1))
    mentions = tuple(Mention(1, min(a, b), max(a, b), "place", "baku", texts[0][min(a, b):max(a, b)])
                     for a, b in cuts if min(a, b) < max(a, b) <= len(texts[0]))
    doc, archive = tiny(paragraphs=paragraphs, mentions=mentions, events=())
    root = parse(document_tei(doc, archive))
    got = {e.get(XML_ID): "".join(e.itertext()) for e in root.find(f".//{T}body").iter(f"{T}p", f"{T}seg")}
    assert got == {p.anchor: NOT_XML.sub("\ufffd", p.text) for p in paragraphs}
