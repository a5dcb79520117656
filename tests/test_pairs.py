"""Tests of who met whom as readers see it: a pair's page as a chronology of its contacts (counts by kind and year,
the chart of the years, tabs by kind, each contact linked to its paragraph), a person's counterparts, and the
register of pairs."""
from __future__ import annotations

import dataclasses
import datetime
import re
from pathlib import Path

import pytest

from annals.crossrefs import cross_index
from annals.index import index
from annals.markup import colour_class
from annals.model import CONTACT_KINDS, Contact, Document, Mention, Paragraph, Person, Speaker
from annals.render.pages import render_person, render_site
from annals.render.pairs import KINDS, render_pair
from test_render_entities import as_built

ROOT = Path(__file__).resolve().parent.parent
AB, AC, BC = "ann-lee--bo-ek", "ann-lee--cy-do", "bo-ek--cy-do"
PEOPLE = {"ann-lee": "Ann Lee", "bo-ek": "Bo Ek", "cy-do": "Cy Do"}


def told(n: int, text: str, words: str, kind: str, people: tuple[str, ...]) -> Contact:
    """The contact that `words`, in paragraph n's text (0: the title), record."""
    start = text.index(words)
    return Contact(kind, people, n, start, start + len(words), words)


def named(n: int, text: str) -> tuple[Mention, ...]:
    """The mentions of the people of PEOPLE in paragraph n's text."""
    return tuple(Mention(n, m.start(), m.end(), "person", pid, name)
                 for pid, name in PEOPLE.items() for m in re.finditer(re.escape(name), text))


def doc(day: str, title: str, *texts: str, contacts=(), speakers=(), labels=None) -> Document:
    """A made-up document of narration, and turns where `labels` gives a paragraph n its speaker's id."""
    labels = labels or {}
    paragraphs = tuple(Paragraph(n, 2 * n + 3, t, label=PEOPLE.get(labels.get(n)), turn=PEOPLE.get(labels.get(n)),
                                 speaker=labels.get(n)) for n, t in enumerate(texts, 1))
    return Document(source=f"{day}.txt", title=title, date=datetime.date.fromisoformat(day),
                    id=f"{day}-{title.lower().replace(' ', '-')}", paragraphs=paragraphs, contacts=tuple(contacts),
                    speakers=tuple(Speaker(s, PEOPLE[s], "person", (PEOPLE[s],)) for s in speakers),
                    mentions=tuple(m for n, t in enumerate(texts, 1) for m in named(n, t)))


MET = "Ann Lee met Bo Ek in the Kremlin. It was cold."
SENT = "On his birthday Ann Lee sent a message of congratulations to Bo Ek."
SUMMIT = "Ann Lee, Bo Ek and Cy Do took part in the summit."


def pair_archive():
    """Ann Lee and Bo Ek: 7 contacts of every kind over 2003, 2005 and 2008 (Cy Do at the summit, and meeting Bo
    Ek once more in 2009)."""
    call, ab = "Telephone conversation with Bo Ek", ("ann-lee", "bo-ek")
    dinner, met = "Talks went on over dinner.", "Bo Ek met Cy Do."
    docs = [
        doc("2003-01-20", "Call", "They spoke of trade.", contacts=[Contact("telephone", ab, 0, 0, len(call), call)]),
        doc("2003-05-10", "Visit", MET, dinner,
            contacts=[told(1, MET, MET[:33], "meeting", ab), told(2, dinner, dinner, "talks", ab)]),
        doc("2005-09-01", "Greetings", SENT, contacts=[told(1, SENT, SENT, "message", ab)]),
        doc("2005-11-11", "Summit", SUMMIT, contacts=[told(1, SUMMIT, SUMMIT, "summit", (*ab, "cy-do"))]),
        doc("2008-03-03", "Talks", "The leaders met.", "Welcome.", "Thank you.", speakers=ab,
            labels={2: "ann-lee", 3: "bo-ek"}, contacts=[Contact("transcript", ab, 3, 0, 0, "Bo Ek")]),
        doc("2008-12-30", "Late call", "Greetings for the new year.",
            contacts=[Contact("telephone", ab, 0, 0, len(call), call)]),
        doc("2009-04-04", "Meeting", met, contacts=[told(1, met, met, "meeting", ("bo-ek", "cy-do"))]),
    ]
    ids = [d.id for d in docs]
    people = {"ann-lee": Person("ann-lee", "Ann Lee", documents=tuple(ids)),
              "bo-ek": Person("bo-ek", "Bo Ek", documents=tuple(ids[:4])),
              "cy-do": Person("cy-do", "Cy Do", documents=tuple(ids[:1]))}
    return index(docs, people, [])


def test_every_kind_has_its_tag_tab_and_nouns():
    assert tuple(KINDS) == CONTACT_KINDS


def test_pair_page_counts_the_contacts_by_kind_under_the_summary():
    page = render_site(pair_archive())[f"meetings/{AB}.md"]
    assert ("[Ann Lee](../people/ann-lee.md) and [Bo Ek](../people/bo-ek.md): 7 contacts in 6 documents, from "
            '<time datetime="2003-01-20">20 January 2003</time> to <time datetime="2008-12-30">30 December 2008</time>.'
            "\n{ .annals-summary }\n\n") in page
    legend = page.split("{ .annals-summary }\n\n", 1)[1].split("\n{ .annals-legend }", 1)[0]
    assert re.sub(r"<[^>]+>", "", legend) == (" 1 meeting ·  1 round of talks ·  2 telephone conversations ·  "
                                              "1 message ·  1 summit ·  1 transcript")
    assert '<span class="annals-contact-key annals-contact-telephone" aria-hidden="true"></span> 2 telephone' in legend


def test_chart_of_the_years_has_bars_to_one_scale_and_folds_years_without_contact():
    page = render_site(pair_archive())[f"meetings/{AB}.md"]
    chart = page[page.index('<ul class="annals-pair-years">'):page.index("</ul>")]
    rows = chart.split("\n")[1:-1]
    assert rows[0] == ('<li id="y2003"><span class="annals-pair-year"><a href="../../timeline/2003/">2003</a></span> '
                       '<span class="annals-contact-bars" aria-hidden="true">'
                       '<span class="annals-bar annals-contact-meeting" style="width: 33.3%" '
                       'title="2003: 1 meeting"></span><span class="annals-bar annals-contact-talks" '
                       'style="width: 33.3%" title="2003: 1 round of talks"></span>'
                       '<span class="annals-bar annals-contact-telephone" style="width: 33.3%" '
                       'title="2003: 1 telephone conversation"></span></span> <span class="annals-counts">3 contacts: '
                       "1 meeting, 1 round of talks, 1 telephone conversation</span></li>")
    assert [re.sub(r"<[^>]+>", "", r) for r in rows] == [
        "2003  3 contacts: 1 meeting, 1 round of talks, 1 telephone conversation", "No contact in 2004",
        "2005  2 contacts: 1 message, 1 summit", "No contact from 2006 to 2007",
        "2008  2 contacts: 1 telephone conversation, 1 transcript"]
    assert re.findall(r'width: ([\d.]+%)', rows[4]) == ["33.3%", "33.3%"]  # the scale is the busiest year's
    assert "timeline/2003.md" in render_site(pair_archive())  # the year's link has a page


def test_chronology_groups_contacts_under_their_documents_with_links_to_their_paragraphs():
    archive = pair_archive()
    page = render_pair(AB, archive, cross_index(archive))
    all_tab = page.split('=== "All (7)"\n\n    ', 1)[1].split("\n\n===", 1)[0]
    visit = "../../documents/2003/2003-05-10-visit/"
    assert (f'<li><time datetime="2003-05-10">10 May 2003</time> · <a href="{visit}">Visit</a><ul>\n'
            '<li><span class="annals-contact annals-contact-meeting">Meeting</span> '
            f'“<mark>Ann Lee</mark> met <mark>Bo Ek</mark> in the Kremlin.” <a href="{visit}#p1">¶ 1</a></li>\n'
            '<li><span class="annals-contact annals-contact-talks">Talks</span> '
            f'“Talks went on over dinner.” <a href="{visit}#p2">¶ 2</a></li>\n</ul></li>') in all_tab
    call = "../../documents/2003/2003-01-20-call/"
    assert (f'<li><time datetime="2003-01-20">20 January 2003</time> · <a href="{call}">Call</a><ul>\n'  # the title's
            '<li><span class="annals-contact annals-contact-telephone">Telephone</span> told in the title</li>'
            ) in all_tab
    talks = "../../documents/2008/2008-03-03-talks/"
    assert ('<li><span class="annals-contact annals-contact-transcript">Transcript</span> both speak, from '
            f'<a href="{talks}#p3">¶ 3</a> · <a href="#2008-03-03-talks">their turns</a></li>') in all_tab
    dates = re.findall(r'<li><time datetime="([\d-]+)">', all_tab)
    assert dates == ["2003-01-20", "2003-05-10", "2005-09-01", "2005-11-11", "2008-03-03", "2008-12-30"]  # oldest first


def test_tabs_show_all_then_each_kind_present():
    archive = pair_archive()
    page = render_pair(AB, archive, cross_index(archive))
    assert re.findall(r'^=== "(.*)"$', page, re.M) == ["All (7)", "Meetings (1)", "Talks (1)", "Telephone (2)",
                                                       "Messages (1)", "Summits (1)", "Transcripts (1)"]
    telephone = page.split('=== "Telephone (2)"', 1)[1].split("===", 1)[0]
    assert re.findall(r'<time datetime="([\d-]+)">', telephone) == ["2003-01-20", "2008-12-30"]
    assert "annals-contact-meeting" not in telephone
    built = as_built(page)  # as the site has it: radio buttons and labels, the lists in their tabs, no script
    assert built.count('type="radio"') == 7 and "<script" not in built
    assert re.findall(r"<label [^>]*>([^<]*)</label>", built)[:2] == ["All (7)", "Meetings (1)"]
    assert '<div class="tabbed-block">\n<ul>\n<li><time datetime="2003-01-20">' in built


def test_a_pair_with_one_kind_of_contact_has_no_tabs():
    archive = pair_archive()
    page = render_pair(AC, archive, cross_index(archive))
    assert "===" not in page and '<span class="annals-contact annals-contact-summit">Summit</span>' in page
    assert ': 1 contact in 1 document, on <time datetime="2005-11-11">11 November 2005</time>.' in page
    assert "## In their words" not in page  # they never speak together


def test_turns_of_both_keep_their_documents_ids():
    archive = pair_archive()
    page = render_pair(AB, archive, cross_index(archive))
    turns = page[page.index("## In their words { #turns }"):]
    assert re.findall(r"^### .* \{ #([\w-]+) \}$", turns, re.M) == ["2008-03-03-talks"]
    assert (f'<li><span class="annals-badge {colour_class("bo-ek")}" aria-hidden="true">BE</span> Bo Ek: '
            '<a href="../../documents/2008/2008-03-03-talks/#p3">Thank you.</a></li>') in turns


def test_a_long_sentence_is_cut_around_the_names():
    text = "Far away " + "and long ago " * 40 + "Ann Lee met Bo Ek " + "and then more " * 40 + "in the end."
    archive = pair_archive()
    visit = dataclasses.replace(archive.documents[-2], paragraphs=(Paragraph(1, 5, text),), mentions=named(1, text),
                                contacts=(Contact("meeting", ("ann-lee", "bo-ek"), 1, 0, len(text), text),))
    archive = index([visit, *(d for d in archive.documents if d.id != visit.id)], archive.people, [])
    line = next(l for l in render_pair(AB, archive, cross_index(archive)).splitlines() if "<mark>Ann Lee</mark>" in l)
    assert "“… " in line and " …”" in line and "<mark>Ann Lee</mark> met <mark>Bo Ek</mark>" in line
    assert len(line) < 450


def test_person_page_lists_counterparts_most_contacts_first():
    archive = pair_archive()
    page = render_person(archive.people["cy-do"], archive)
    met = page[page.index("## Met"):page.index("<!-- /annals:html -->", page.index("## Met"))]
    assert re.findall(r'<a href="../../meetings/([\w-]+)/">([^<]+)</a> · ([^<]+)</li>', met) == [
        (BC, "Bo Ek", "2 contacts: 1 meeting, 1 summit"),  # before Ann Lee, who comes first by name
        (AC, "Ann Lee", "1 contact: 1 summit")]
    page = render_person(archive.people["ann-lee"], archive)
    assert ("Bo Ek</a> · 7 contacts: 1 meeting, 1 round of talks, 2 telephone conversations, 1 message, 1 summit, "
            "1 transcript</li>") in page


def test_register_lists_pairs_by_number_of_contacts():
    page = render_site(pair_archive())["meetings/index.md"]
    assert re.findall(r'<li><a href="([\w-]+)/">([^<]+)</a> · ([^<]+)</li>', page) == [
        (AB, "Ann Lee and Bo Ek", "7 contacts · 2003–2008"),
        (BC, "Bo Ek and Cy Do", "2 contacts · 2005–2009"),
        (AC, "Ann Lee and Cy Do", "1 contact · 2005")]


@pytest.mark.site
def test_corpus_pair_pages_link_each_contact_to_the_paragraph_that_holds_its_words(corpus):
    """Every contact of the shared corpus: its pair's page links the paragraph (or, for the title, the document)
    whose words record it."""
    from annals.load import load_archive
    from annals.render.common import html_href, link

    archive = load_archive(corpus / "sources", ROOT / "registry")  # as the corpus site is built
    refs, checked = cross_index(archive), 0
    for key, found in archive.contacts.items():
        page_path = f"meetings/{key}.md"
        page = render_pair(key, archive, refs)
        for doc_id, c in found:
            d = refs.docs[doc_id]
            if c.paragraph == 0:
                assert c.text == d.title[c.start:c.end] or c.start == c.end, (doc_id, c)
                assert f'<a href="{html_href(page_path, link(page_path, d.page))}">' in page, (key, doc_id)
            else:
                p = next(p for p in d.paragraphs if p.n == c.paragraph)
                assert c.text == (p.label if c.kind == "transcript" else p.text[c.start:c.end]), (doc_id, c)
                assert f'href="{html_href(page_path, link(page_path, d.page, p.anchor))}"' in page, (key, doc_id)
            checked += 1
    assert checked >= sum(len(f) for f in archive.contacts.values()) > 0
