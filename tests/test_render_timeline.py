"""Tests of the timeline pages, the timelines of people and pairs, provenance lines and the editors' report."""
from __future__ import annotations

import dataclasses
import datetime
import html
import html.parser
import importlib.metadata
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from annals.errors import Problem
from annals.index import Archive
from annals.markup import colour_class
from annals.model import Contact, Document, Entity, Event, Paragraph, Person, Publisher, Speaker
from annals.render.pages import provenance, render_document, render_site
from annals.render.text import marked_text
from annals.render.timeline import by_century, ordinal, place_of, when_tag
from test_render import HOSTILE, html_hrefs, link_target, to_html, visible

ROOT = Path(__file__).resolve().parent.parent
V, T = "2021-07-20-a-visit", "2020-02-05-talks"
AL, BE = colour_class("ann-lee"), colour_class("bo-ek")
SHA = "0123456789abcdef" * 4


def event(p: Paragraph, words: str, when: str, kind: str) -> Event:
    """The event of the first occurrence of `words` in a paragraph (the sentence left to be found)."""
    start = p.text.index(words)
    return Event(p.n, start, start + len(words), when, words, kind, "")


def timeline_archive(problems: tuple[Problem, ...] = ()) -> Archive:
    """Two documents: a visit of 2021 (a date, a year, a span, a month) and talks of 2020 (a year, and 1898)."""
    p1 = Paragraph(1, 5, "The visit ended on 20 July.")
    p2 = Paragraph(2, 7, "We meet again next year. Trade grew in the first six months.", label="Ann", turn="Ann",
                   speaker="ann-lee")
    p3 = Paragraph(3, 9, "In January we spoke by phone.", label="Bo", turn="Bo", speaker="bo-ek")
    visit = Document(
        source="2021/visit.txt", title="A visit", date=datetime.date(2021, 7, 20), time="19:40", id=V,
        source_url="https://example.org/visit", retrieved="2024-03-12", sha256=SHA,
        speakers=(Speaker("ann-lee", "Ann Lee", "person", ("Ann",)), Speaker("bo-ek", "Bo Ek", "person", ("Bo",))),
        paragraphs=(p1, p2, p3),
        events=(event(p1, "20 July", "2021-07-20", "date"), event(p2, "next year", "2022", "relative"),
                event(p2, "the first six months", "2021-01/2021-06", "span"), event(p3, "In January", "2021-01", "month")))
    q1 = Paragraph(1, 4, "Next year will be good, as it was in 1898.", label="Ann", turn="Ann", speaker="ann-lee")
    talks = Document(source="2020/talks.txt", title="Talks", date=datetime.date(2020, 2, 5), id=T,
                     speakers=(Speaker("ann-lee", "Ann Lee", "person", ("Ann",)),), paragraphs=(q1,),
                     events=(event(q1, "Next year", "2021", "relative"), event(q1, "in 1898", "1898", "year")))
    people = {"ann-lee": Person("ann-lee", "Ann Lee", documents=(V, T)),
              "bo-ek": Person("bo-ek", "Bo Ek", documents=(V,))}
    return Archive((visit, talks), people, problems, meetings={"ann-lee--bo-ek": (V,)})


# A year's page


def test_year_page_exact():
    # Input: timeline_archive() above. The talks of 2020 say "Next year" (2021, a year only: "During the year");
    # the visit of 2021 says "In January" (a month), "the first six months" (a span, placed at its start)
    # and "ended on 20 July" (a day, after the document of that day).
    expected = f"""---
title: "Timeline of 2021"
---

# Timeline of 2021

1 document · 4 events · [All years](index.md#y2021) · earlier: [2020](2020.md) · later: [2022](2022.md)
{{ .annals-summary }}

[During the year](#during-2021) · [January 2021](#m2021-01) · [July 2021](#m2021-07)

<span class="annals-kind annals-kind-document">Document</span> a document of that day · <span class="annals-kind annals-kind-event">Event</span> a time that a text mentions, in the sentence that says it, with who says it and the date of the document
{{ .annals-legend }}

## During the year {{ #during-2021 }}

<!-- annals:html -->
<ul>
<li class="annals-entry annals-entry-event"><span class="annals-kind annals-kind-event">Event</span> <time datetime="2021">2021</time> · “<mark>Next year</mark> will be good, as it was in 1898.” · <span class="annals-badge {AL}" aria-hidden="true">AL</span> <a href="../../people/ann-lee/#timeline">Ann Lee</a>, <a href="../../documents/2020/2020-02-05-talks/#p1" title="Talks"><time datetime="2020-02-05">5 February 2020</time>, ¶ 1</a></li>
</ul>
<!-- /annals:html -->

## January 2021 {{ #m2021-01 }}

<!-- annals:html -->
<ul>
<li class="annals-entry annals-entry-event"><span class="annals-kind annals-kind-event">Event</span> <time datetime="2021-01">January 2021</time> · “<mark>In January</mark> we spoke by phone.” · <span class="annals-badge {BE}" aria-hidden="true">BE</span> <a href="../../people/bo-ek/#timeline">Bo Ek</a>, <a href="../../documents/2021/2021-07-20-a-visit/#p3" title="A visit"><time datetime="2021-07-20">20 July 2021</time>, ¶ 3</a></li>
<li class="annals-entry annals-entry-event annals-entry-span"><span class="annals-kind annals-kind-event">Event</span> from <time datetime="2021-01">January 2021</time> to <time datetime="2021-06">June 2021</time> · “Trade grew in <mark>the first six months</mark>.” · <span class="annals-badge {AL}" aria-hidden="true">AL</span> <a href="../../people/ann-lee/#timeline">Ann Lee</a>, <a href="../../documents/2021/2021-07-20-a-visit/#p2" title="A visit"><time datetime="2021-07-20">20 July 2021</time>, ¶ 2</a></li>
</ul>
<!-- /annals:html -->

## July 2021 {{ #m2021-07 }}

<!-- annals:html -->
<ul>
<li class="annals-entry annals-entry-document"><span class="annals-kind annals-kind-document">Document</span> <time datetime="2021-07-20T19:40">20 July 2021, 19:40</time> · <a href="../../documents/2021/2021-07-20-a-visit/">A visit</a> · Ann Lee, Bo Ek</li>
<li class="annals-entry annals-entry-event"><span class="annals-kind annals-kind-event">Event</span> <time datetime="2021-07-20">20 July 2021</time> · “The visit ended on <mark>&#50;0 July</mark>.” · narration, <a href="../../documents/2021/2021-07-20-a-visit/#p1" title="A visit"><time datetime="2021-07-20">20 July 2021</time>, ¶ 1</a></li>
</ul>
<!-- /annals:html -->
"""
    assert render_site(timeline_archive())["timeline/2021.md"] == expected


def entries(page: str) -> list[tuple[str, str]]:
    """The list items of a rendered page: (class, visible text)."""
    parser = Items()
    parser.feed(to_html(page))
    return parser.items


class Items(html.parser.HTMLParser):
    """Collect each <li> with its class and its visible text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items, self.open = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "li":
            self.open = [dict(attrs).get("class", ""), ""]

    def handle_endtag(self, tag):
        if tag == "li" and self.open:
            self.items.append((self.open[0], " ".join(self.open[1].split())))
            self.open = None

    def handle_data(self, data):
        if self.open:
            self.open[1] += data


def test_documents_and_events_are_told_apart_by_word_and_class():
    items = entries(render_site(timeline_archive())["timeline/2021.md"])
    documents = [text for cls, text in items if "annals-entry-document" in cls]
    events = [text for cls, text in items if "annals-entry-event" in cls]
    assert documents == ["Document 20 July 2021, 19:40 · A visit · Ann Lee, Bo Ek"]
    assert len(events) == 4 and all(text.startswith("Event ") for text in events)
    assert not any("annals-entry-document" in cls and "annals-entry-event" in cls for cls, _ in items)


def test_span_is_placed_at_its_start_and_shown_whole():
    items = entries(render_site(timeline_archive())["timeline/2021.md"])
    spans = [text for cls, text in items if "annals-entry-span" in cls]
    assert spans == ["Event from January 2021 to June 2021 · “Trade grew in the first six months.” · AL Ann Lee, "
                     "20 July 2021, ¶ 2"]
    assert when_tag("2019/2021") == 'from <time datetime="2019">2019</time> to <time datetime="2021">2021</time>'
    assert when_tag("2021-07-01/2021-07-20") == ('from <time datetime="2021-07-01">1 July 2021</time> to '
                                                 '<time datetime="2021-07-20">20 July 2021</time>')


def test_year_only_event_goes_to_during_the_year_of_its_page():
    page = render_site(timeline_archive())["timeline/2022.md"]
    assert "0 documents · 1 event · [All years](index.md#y2022) · earlier: [2021](2021.md)\n" in page
    assert page.index("## During the year { #during-2022 }") < page.index("We meet again <mark>next year</mark>.")
    assert "## January" not in page


def test_years_outside_1900_to_2100_have_no_page():
    archive = timeline_archive()
    old = dataclasses.replace(archive.documents[1], id="1850-01-01-old", date=datetime.date(1850, 1, 1))
    pages = render_site(Archive((archive.documents[0], old), archive.people, (), meetings=archive.meetings))
    assert not any(p.startswith("timeline/18") for p in pages)  # neither the document of 1850 nor "in 1898"
    assert "documents/1850/1850-01-01-old.md" in pages
    assert "[Timeline]" not in pages["documents/1850/1850-01-01-old.md"]
    assert [place_of(w) for w in ("1899", "1900", "2100-12-31", "2101", "2021-13", "2021-00", "x")] == [
        None, (1900, 0), (2100, 12), None, None, None, None]


def test_overview_counts_years_and_keeps_the_old_anchors():
    page = render_site(timeline_archive())["timeline/index.md"]
    # the archive's years are 2020 and 2021; its texts mention 1898 (a year with no page) to 2022
    assert ("2 documents by their date, from 2020 to 2021; 6 events that their texts mention, from 1898 to 2022. "
            "Each year's page lists them month by month.\n{ .annals-summary }") in page
    assert "- 19th century: 1 event in 1898\n  { #century-19 .annals-century }\n- [2020](2020.md) " in page
    out = to_html(page)
    for anchor in ("y2020", "y2021", "y2022", "m2020-02", "m2021-01", "m2021-07"):  # as on the old timeline
        assert f'id="{anchor}"' in out, anchor
    assert ('<span class="annals-bar annals-bar-document" style="width: 25.0%"></span>'
            '<span class="annals-bar annals-bar-event" style="width: 100.0%"></span>') in page
    assert ('[J](2021.md#m2021-01){ #m2021-01 .annals-month .annals-level-2 title="January 2021: 0 documents, '
            '2 events" aria-label="January 2021: 0 documents, 2 events" }') in page
    assert "<script" not in out and "fonts" not in out


def folded_archive() -> Archive:
    """Documents of 2019 and 2021 whose texts mention 1812, 1825 and 1899 (years with no page), 1941, 1945 twice,
    2020 (between the documents) and 2030 (after them)."""
    p = Paragraph(1, 5, "Of 1812, 1825, 1899, 1941, 1945 and 1945 again, and 2030.")
    q = Paragraph(1, 5, "Trade grew in 2020.")
    words = ["1812", "1825", "1899", "1941", "1945 and", "1945 again", "2030"]
    events = tuple(event(p, w, w[:4], "year") for w in words)
    old = Document(source="a.txt", title="Old times", date=datetime.date(2019, 3, 1), id="2019-03-01-old-times",
                   paragraphs=(p,), events=events)
    new = Document(source="b.txt", title="Trade", date=datetime.date(2021, 5, 4), id="2021-05-04-trade",
                   paragraphs=(q,), events=(event(q, "in 2020", "2020", "year"),))
    return Archive((new, old), {}, ())


def test_overview_starts_with_the_archives_years_and_folds_earlier_centuries():
    pages = render_site(folded_archive())
    page = pages["timeline/index.md"]
    rows = [line for line in page.partition("# Timeline")[2].splitlines() if line.startswith("- ")]
    assert [r.split(" <span")[0] for r in rows] == [
        "- 19th century: 3 events in 3 years, from 1812 to 1899 — 1812 (1) · 1825 (1) · 1899 (1)",
        "- 20th century: 3 events in 2 years, from 1941 to 1945 — [1941](1941.md){ #y1941 } (1) · "
        "[1945](1945.md){ #y1945 } (2)",
        "- [2019](2019.md)", "- [2020](2020.md)", "- [2021](2021.md)", "- Nothing from 2022 to 2029", "- [2030](2030.md)"]
    assert ("2 documents by their date, from 2019 to 2021; 8 events that their texts mention, from 1812 to 2030."
            in page)
    assert "{ #century-20 .annals-century }" in page and 'id="century-20"' in to_html(page)
    # the folded years keep their pages, and their pages' link back lands on the overview
    assert "[All years](index.md#y1945)" in pages["timeline/1945.md"] and 'id="y1945"' in to_html(page)
    assert "timeline/1812.md" not in pages
    # the bars are drawn to the scale of the rows shown (at most 1 of a kind), not of 1945's 2 events
    assert '<span class="annals-bar annals-bar-event" style="width: 100.0%"></span>' in rows[3]


def test_centuries_and_their_names():
    assert by_century({1812: 2, 1899: 1, 1900: 4, 1999: 1, 2000: 3, 1850: 0}) == {
        19: {1812: 2, 1899: 1}, 20: {1900: 4, 1999: 1}, 21: {2000: 3}}  # as "the 1900s"; a year of no event left out
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 19, 21, 22, 23, 101, 111, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "19th", "21st", "22nd", "23rd", "101st", "111th", "112th"]


def test_overview_marks_the_gaps_between_years():
    archive = timeline_archive()
    old = dataclasses.replace(archive.documents[1], id="2015-01-01-old", date=datetime.date(2015, 1, 1), events=())
    pages = render_site(Archive((archive.documents[0], old), archive.people, ()))
    assert "- Nothing from 2016 to 2020\n  { .annals-year .annals-gap }" in pages["timeline/index.md"]


# Contacts on a year's page


def contact_archive() -> Archive:
    """timeline_archive() with two contacts in the visit of 2021: a meeting of three told in its title (paragraph
    0), one of them with no page of their own, and a telephone call told in paragraph 3."""
    archive = timeline_archive()
    visit = archive.documents[0]
    phone = visit.paragraphs[2].text.index("we spoke by phone")
    contacts = (Contact("meeting", ("ann-lee", "bo-ek", "cy-ho"), 0, 2, 7, "visit"),
                Contact("telephone", ("ann-lee", "bo-ek"), 3, phone, phone + 17, "we spoke by phone"))
    return dataclasses.replace(archive, documents=(dataclasses.replace(visit, contacts=contacts),
                                                   *archive.documents[1:]),
                               entities={"person:cy-ho": Entity("person", "cy-ho", "Cy Ho")})


def test_year_page_lists_contacts_after_their_document_exact():
    # Input: contact_archive() above. Output: the document, then its contacts in the order of its text (the
    # title's first), each with its kind in words, its people linked to their pages (and to the pair's page,
    # for two), the words that record it marked, and a link to its paragraph (the title's: the document page).
    page = render_site(contact_archive())["timeline/2021.md"]
    assert "1 document · 4 events · 2 contacts · [All years](index.md#y2021)" in page
    assert (' · <span class="annals-kind annals-kind-contact">Contact</span> who had contact with whom, and how, as a '
            "document of that day records it, in the words that record it · ") in page
    july = page[page.index("## July 2021"):]
    assert july == f"""## July 2021 {{ #m2021-07 }}

<!-- annals:html -->
<ul>
<li class="annals-entry annals-entry-document"><span class="annals-kind annals-kind-document">Document</span> <time datetime="2021-07-20T19:40">20 July 2021, 19:40</time> · <a href="../../documents/2021/2021-07-20-a-visit/">A visit</a> · Ann Lee, Bo Ek</li>
<li class="annals-entry annals-entry-contact"><span class="annals-kind annals-kind-contact">Contact</span> <time datetime="2021-07-20">20 July 2021</time> · Meeting: <a href="../../people/ann-lee/">Ann Lee</a>, <a href="../../people/bo-ek/">Bo Ek</a> and Cy Ho · “A <mark>visit</mark>” · <a href="../../documents/2021/2021-07-20-a-visit/" title="A visit">title</a></li>
<li class="annals-entry annals-entry-contact"><span class="annals-kind annals-kind-contact">Contact</span> <time datetime="2021-07-20">20 July 2021</time> · Telephone conversation: <a href="../../people/ann-lee/">Ann Lee</a> and <a href="../../people/bo-ek/">Bo Ek</a> (<a href="../../meetings/ann-lee--bo-ek/">all their contacts</a>) · “In January <mark>we spoke by phone</mark>.” · <a href="../../documents/2021/2021-07-20-a-visit/#p3" title="A visit">¶ 3</a></li>
<li class="annals-entry annals-entry-event"><span class="annals-kind annals-kind-event">Event</span> <time datetime="2021-07-20">20 July 2021</time> · “The visit ended on <mark>&#50;0 July</mark>.” · narration, <a href="../../documents/2021/2021-07-20-a-visit/#p1" title="A visit"><time datetime="2021-07-20">20 July 2021</time>, ¶ 1</a></li>
</ul>
<!-- /annals:html -->
"""


def test_contacts_are_told_apart_by_word_and_class_and_counted_on_the_overview():
    pages = render_site(contact_archive())
    items = entries(pages["timeline/2021.md"])
    contacts = [text for cls, text in items if "annals-entry-contact" in cls]
    assert contacts == ["Contact 20 July 2021 · Meeting: Ann Lee, Bo Ek and Cy Ho · “A visit” · title",
                        "Contact 20 July 2021 · Telephone conversation: Ann Lee and Bo Ek (all their contacts) · "
                        "“In January we spoke by phone.” · ¶ 3"]
    kinds = ("annals-entry-document", "annals-entry-contact", "annals-entry-event")
    assert all(sum(k in cls.split() for k in kinds) == 1 for cls, _ in items)  # one kind each
    assert len([c for c, _ in items if "annals-entry-document" in c]) == 1  # contacts are no documents
    overview = pages["timeline/index.md"]
    assert "; 2 contacts that they record. Each year's page" in overview
    assert '<span class="annals-counts">1 document · 4 events · 2 contacts</span>' in overview
    assert 'title="July 2021: 1 document, 1 event, 2 contacts"' in overview
    assert '<span class="annals-counts">1 document · 0 events</span>' in overview  # 2020: no contact, none said


def test_year_page_without_contacts_has_no_contact_legend():
    page = render_site(timeline_archive())["timeline/2021.md"]
    assert "annals-kind-contact" not in page and "contact" not in page.split("{ .annals-summary }")[0]


def test_theme_styles_contacts_like_the_other_kinds():
    css = (ROOT / "docs/stylesheets/annals.css").read_text(encoding="utf-8")
    for kind in ("document", "event", "contact"):
        assert f".md-typeset .annals-kind-{kind} {{" in css and f"--annals-{kind}:" in css


TRANSCRIPT = """Talks with Bo Ek

20 July 2021

Ann Lee: Good afternoon. We met last week.

Bo Ek: Thank you. In the year 2003 we first spoke.

Ann Lee: Indeed.
"""


def test_every_contact_of_a_loaded_archive_is_on_its_year_page(tmp_path):
    from annals.load import load_archive

    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "talks.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (tmp_path / "s" / "alone.txt").write_text("A speech\n\n3 May 2019\n\nAnn Lee: Hello.\n", encoding="utf-8")
    archive = load_archive(tmp_path / "s")
    pages = render_site(archive)
    found = [(doc, c) for doc in archive.documents for c in doc.contacts]
    assert found  # two people speak in the transcript
    for doc, c in found:
        page = pages[f"timeline/{doc.year}.md"]
        anchor = f"#p{c.paragraph}" if c.paragraph else ""
        url = "../../" + doc.page.removesuffix(".md") + "/" + anchor
        lines = [line for line in page.splitlines() if line.startswith('<li class="annals-entry annals-entry-contact"')
                 and f'<a href="{url}" title=' in line]
        assert len(lines) == 1, (c, page)
        assert all(f'<a href="../../people/{pid}/">' in lines[0] for pid in c.people)
    assert "annals-kind-contact" not in pages["timeline/2019.md"]


# People and pairs


def test_person_timeline_lists_what_they_said_in_time_order():
    page = render_site(timeline_archive())["people/ann-lee.md"]
    assert "· [speaks of 4 dated events](#timeline)\n{ .annals-summary }" in page
    section = page[page.index("## Timeline { #timeline }"):page.index("## What they said")]
    items = [text for _, text in entries(section)]
    assert items == [
        "1898 · “Next year will be good, as it was in 1898.” · 5 February 2020, ¶ 1",
        "2021 · “Next year will be good, as it was in 1898.” · 5 February 2020, ¶ 1",
        "from January 2021 to June 2021 · “Trade grew in the first six months.” · 20 July 2021, ¶ 2",
        "2022 · “We meet again next year.” · 20 July 2021, ¶ 2"]
    assert ('<li><time datetime="2022">2022</time> · “We meet again <mark>next year</mark>.” · '
            '<a href="../../documents/2021/2021-07-20-a-visit/#p2" title="A visit">'
            '<time datetime="2021-07-20">20 July 2021</time>, ¶ 2</a></li>\n') in section
    assert "In January" not in section  # Bo Ek said it


def test_pair_timeline_lists_what_either_said_in_shared_documents():
    page = render_site(timeline_archive())["meetings/ann-lee--bo-ek.md"]
    assert "they speak of [3 dated events](#timeline)" in page  # the rest of the summary is render_pairs'
    items = [text for _, text in entries(page[page.index("## Timeline"):])]
    assert items == [
        "January 2021 · “In January we spoke by phone.” · BE Bo Ek, 20 July 2021, ¶ 3",
        "from January 2021 to June 2021 · “Trade grew in the first six months.” · AL Ann Lee, 20 July 2021, ¶ 2",
        "2022 · “We meet again next year.” · AL Ann Lee, 20 July 2021, ¶ 2"]  # not the talks, where Bo Ek is not


def test_no_timeline_section_without_events():
    archive = timeline_archive()
    quiet = Archive(tuple(dataclasses.replace(d, events=()) for d in archive.documents), archive.people, (),
                    meetings=archive.meetings)
    pages = render_site(quiet)
    assert "## Timeline" not in pages["people/ann-lee.md"] and "#timeline" not in pages["people/ann-lee.md"]
    assert "## Timeline" not in pages["meetings/ann-lee--bo-ek.md"]
    assert "timeline/2022.md" not in pages


def test_long_sentence_is_cut_around_the_words():
    text = "We spoke " + "of many things " * 30 + "and then, next year, of more " + "things " * 30 + "again."
    p = Paragraph(1, 3, text)
    doc = Document(source="x.txt", title="Long", date=datetime.date(2021, 1, 1), id="2021-01-01-long",
                   paragraphs=(p,), events=(event(p, "next year", "2022", "relative"),))
    page = render_site(Archive((doc,), {}, ()))["timeline/2022.md"]
    line = next(line for line in page.splitlines() if "<mark>" in line)
    assert "“… " in line and " …”" in line and "<mark>next year</mark>" in line and len(line) < 600


# Every link lands


class Anchors(html.parser.HTMLParser):
    """Collect every id and every href of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.hrefs = set(), []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def test_every_link_with_an_anchor_lands_on_an_element_with_that_id():
    checked, as_html = landed_links(render_site(timeline_archive()))
    assert checked > 20 and as_html > 5


@pytest.mark.parametrize("make", [contact_archive, folded_archive])
def test_links_of_contacts_and_folded_years_land(make):
    checked, _ = landed_links(render_site(make()))
    assert checked > 10


def landed_links(pages: dict[str, str]) -> tuple[int, int]:
    """Check that every link with an anchor lands on an element with that id: (links checked, of them HTML)."""
    parsed = {}
    for path, page in pages.items():
        parsed[path] = Anchors()
        parsed[path].feed(to_html(page))
    checked = as_html = 0
    for path, anchors in parsed.items():
        written_as_html = html_hrefs(pages[path])  # URLs of the built site, relative to the page's URL
        for href in anchors.hrefs:
            anchor = href.partition("#")[2]
            if href.startswith("http") or not anchor:
                continue
            as_url = href in written_as_html
            target_path = link_target(path, href, as_url, pages)
            if target_path.startswith("data/"):
                continue
            assert target_path in parsed, (path, href)
            assert anchor in parsed[target_path].ids, (path, href)
            checked += 1
            as_html += as_url
    return checked, as_html


def test_generated_pages_never_hide_hand_written_ones():
    hand_written = {p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert "editors/report.md" in render_site(timeline_archive())
    assert not hand_written & set(render_site(timeline_archive()))


# Provenance


OFFICE = Publisher("office", "The Office", "Office site", "https://example.org/", "The Office, example.org",
                   licence="CC BY 4.0", licence_url="https://creativecommons.org/licenses/by/4.0/")


def test_provenance_line_exact():
    base = timeline_archive()
    doc = dataclasses.replace(base.documents[0], original_url="https://example.org/visit", publisher="office")
    page = render_document(doc, dataclasses.replace(base, publishers={"office": OFFICE}))
    assert ('<p class="annals-meta annals-provenance">Original: <a class="annals-original" '
            'href="https&#58;&#47;&#47;example.org&#47;visit" rel="noopener">https&#58;&#47;&#47;example.org&#47;visit</a>, '
            'retrieved <time datetime="2024-03-12">12 March 2024</time>'
            ' · Published by <a class="annals-publisher" href="https&#58;&#47;&#47;example.org&#47;" rel="noopener">'
            'The Office</a> · Licence: <a class="annals-licence" href="https&#58;&#47;&#47;creativecommons.org&#47;'
            'licenses&#47;by&#47;4.0&#47;" rel="license noopener">CC BY 4.0</a>'
            f' · SHA-256: <code title="&#48;{SHA[1:]}">&#48;123456789ab…</code></p>') in page
    assert ('<div class="annals-cite-data" hidden data-original="https&#58;&#47;&#47;example.org&#47;visit" '
            'data-publisher="The Office" data-site="Office site" data-credit="The Office, example.org" '
            'data-licence="CC BY 4.0"></div>') in page
    assert '· <a href="../../../timeline/2021/#m2021-07">Timeline</a></p>' in page
    shown = "".join(visible(to_html(page)).text)
    assert ("Original: https://example.org/visit, retrieved 12 March 2024 · Published by The Office · "
            "Licence: CC BY 4.0 · SHA-256: 0123456789ab…") in shown
    assert "visit.txt" not in shown  # the file's name means nothing to a reader


def test_provenance_without_address_or_hash():
    doc = dataclasses.replace(timeline_archive().documents[0], original_url="javascript:alert(1)", sha256="")
    assert provenance(doc) == ('Retrieved <time datetime="2024-03-12">12 March 2024</time> · '
                               "Publisher and licence not recorded")
    bare = dataclasses.replace(doc, retrieved="last spring", source="visit.txt")
    assert provenance(bare, Publisher("o", "The Office")) == ("Retrieved last spring · Published by The Office · "
                                                              "Licence not recorded")
    assert provenance(dataclasses.replace(bare, retrieved=None)) == "Publisher and licence not recorded"


@pytest.mark.parametrize("s", HOSTILE)
def test_hostile_provenance_stays_text(s):
    doc = dataclasses.replace(timeline_archive().documents[0], source=s, retrieved=s, sha256=s, original_url=s)
    out = to_html(provenance(doc, Publisher("x", s, s, s, s, licence=s, licence_url=s)))
    seen = visible(out)
    assert {tag for tag, _ in seen.tags} <= {"p", "code"}, out
    assert not any(name.startswith("on") for _, attrs in seen.tags for name in attrs)


# The editors' report


def test_report_page_exact_collapses_repeats_and_escapes():
    problems = (
        Problem("sources/2021/visit.txt", 7, "unknown speaker '<script>alert(1)</script>'", "add them to **people**"),
        Problem("registry/people.yml", 3, "bad [x](javascript:alert(1))", severity="warning"),
        Problem("sources/2021/visit.txt", 9, "unknown speaker '<script>alert(1)</script>'", "add them to **people**"),
        Problem("registry/people.yml", 0, "bad [x](javascript:alert(1))", severity="warning"),
        Problem("sources/2020/talks.txt", 1, "no date {: onclick=\"alert(1)\" }", severity="warning"),
    )
    expected = """---
title: "Editors&#x27; report"
---

# Editors' report

2 errors and 3 warnings in the sources and the registry (3 distinct messages). Each says where (file and line), what is wrong and, where it can, how to fix it.
{ .annals-summary }

## Errors { #errors }

- [<code>&#50;021&#47;visit.txt:7</code>](../documents/2021/2021-07-20-a-visit.md#p2): unknown speaker '&lt;script&gt;alert&#40;1&#41;&lt;&#47;script&gt;' (x2)
    - Hint: add them to &#42;&#42;people&#42;&#42;
    - Also at [<code>&#50;021&#47;visit.txt:9</code>](../documents/2021/2021-07-20-a-visit.md#p3)

## Warnings { #warnings }

- <code>registry&#47;people.yml:3</code>: bad &#91;x&#93;&#40;javascript&#58;alert&#40;1&#41;&#41; (x2)
    - Also at <code>registry&#47;people.yml</code>
- [<code>&#50;020&#47;talks.txt:1</code>](../documents/2020/2020-02-05-talks.md): no date &#123;&#58; onclick&#61;&quot;alert&#40;1&#41;&quot; &#125;
"""
    page = render_site(timeline_archive(problems))["editors/report.md"]
    assert page == expected
    out = to_html(page)
    assert "<script" not in out and 'href="javascript' not in out and "onclick=" not in out and "<strong" not in out
    shown = " ".join("".join(visible(out).text).split())
    assert "unknown speaker '<script>alert(1)</script>' (x2)" in shown
    assert "Hint: add them to **people**" in shown


def test_report_names_files_from_the_sources_folder_never_the_builders_folders():
    problems = (
        Problem("/tmp/build-7/corpus/sources/2021/visit.txt", 7, "odd label", severity="warning"),
        Problem("../shared/corpus/sources/2020/talks.txt", 1, "odd date", severity="warning"),
        Problem("/home/ann/archive/registry/people.yml", 3, "odd alias", severity="warning"),
        Problem("C:\\Users\\ann\\registry\\topics.yml", 2, "odd topic", severity="warning"),
        Problem("/tmp/build-7/corpus/sources/2019/gone.txt", 0, "cannot read the file"),
    )
    page = render_site(timeline_archive(problems))["editors/report.md"]
    shown = visible(to_html(page)).text
    codes = [t for t in shown if t.endswith((".txt", ".yml")) or ".txt:" in t or ".yml:" in t]
    assert codes == ["gone.txt", "2021/visit.txt:7", "2020/talks.txt:1", "registry/people.yml:3",
                     "registry/topics.yml:2"], codes
    assert "tmp" not in page and "shared" not in page and "home" not in page and "Users" not in page
    assert "(../documents/2021/2021-07-20-a-visit.md#p2)" in page and "(../documents/2020/2020-02-05-talks.md)" in page


def test_report_without_problems_says_so():
    page = render_site(timeline_archive())["editors/report.md"]
    assert "0 errors and 0 warnings" in page and "Nothing to report" in page and "## " not in page


# The real corpus, built by MkDocs


class Events(html.parser.HTMLParser):
    """Collect each timeline entry of an event (its marked words and its links), and each paragraph's text by id
    (the title's as "h1").

    Entries are the items of class `kind` (year pages) and, for events, those of a section "timeline" (people,
    pairs).
    """

    def __init__(self, kind: str = "annals-entry-event"):
        super().__init__(convert_charrefs=True)
        self.entries, self.entry, self.depth, self.marking, self.section = [], None, 0, False, False
        self.texts, self.open_ids, self.kind = {}, [], kind

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.section = a.get("id") == "timeline" if tag == "h2" else self.section
        in_section = self.section and self.kind == "annals-entry-event"
        if tag == "li" and self.entry is None and (in_section or self.kind in (a.get("class") or "").split()):
            self.entry, self.depth = {"marks": [], "hrefs": []}, 0
        if self.entry is not None:
            self.depth += tag == "li"
            self.marking = self.marking or tag == "mark"
            if tag == "mark":
                self.entry["marks"].append("")
            if tag == "a" and a.get("href"):
                self.entry["hrefs"].append(a["href"])
        if (tag == "p" and "id" in a) or tag == "h1":
            key = "h1" if tag == "h1" else a["id"]
            self.texts[key] = ""
            self.open_ids.append((tag, key))

    def handle_endtag(self, tag):
        if self.entry is not None:
            self.marking = self.marking and tag != "mark"
            self.depth -= tag == "li"
            if self.depth == 0:
                self.entries.append(self.entry)
                self.entry = None
        if self.open_ids and self.open_ids[-1][0] == tag:
            self.open_ids.pop()

    def handle_data(self, data):
        if self.entry is not None and self.marking:
            self.entry["marks"][-1] += data
        for _, anchor in self.open_ids:
            self.texts[anchor] += data


def parse_page(path: Path, kind: str = "annals-entry-event") -> Events:
    parser = Events(kind)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def squeeze(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture(scope="module")
def corpus_site(corpus, tmp_path_factory) -> Path:
    """The site of ../shared/corpus, built strictly (anchors validated) with the project's mkdocs.yml."""
    if not any(e.name == "annals" for e in importlib.metadata.entry_points(group="mkdocs.plugins")):
        pytest.skip("the annals MkDocs plugin is not installed (pip install -e .)")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = tmp_path_factory.mktemp("corpus-project")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "registry"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, project / folder)
    for folder in ("sources", "scripts/annals"):  # watched by mkdocs.yml, so they must exist
        (project / folder).mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNALS_SOURCES", str(corpus / "sources"))
        mp.delenv("ANNALS_REGISTRY", raising=False)
        mp.delenv("SOURCE_DATE_EPOCH", raising=False)
        config = load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site"))
        build(config)
    os.environ.pop("SOURCE_DATE_EPOCH", None)  # set by the plugin for this build only
    return project / "site"


@pytest.mark.site
def test_corpus_every_timeline_entry_lands_on_its_paragraph(corpus_site):
    pages = sorted((corpus_site / "timeline").glob("*/index.html"))
    pages += sorted((corpus_site / "people").glob("*/index.html")) + sorted((corpus_site / "meetings").glob("*/index.html"))
    documents: dict[Path, Events] = {}
    checked = on_year_pages = 0
    for page in pages:
        for entry in parse_page(page).entries:
            target = next(h for h in entry["hrefs"] if "/documents/" in h and "#p" in h)
            url, anchor = target.split("#")
            doc_page = (page.parent / url).resolve() / "index.html"
            if doc_page not in documents:
                documents[doc_page] = parse_page(doc_page)
            texts = documents[doc_page].texts
            assert anchor in texts, (page, target)
            assert entry["marks"] and squeeze(entry["marks"][0]) in squeeze(texts[anchor]), (page, target, entry)
            checked += 1
            on_year_pages += page.parent.parent.name == "timeline"
    timeline = json.loads((corpus_site / "data/timeline.json").read_text(encoding="utf-8"))
    in_range = [e for e in timeline["entries"] if e["type"] == "event" and 1900 <= int(e["when"][:4]) <= 2100]
    assert on_year_pages == len(in_range) > 100
    assert checked > on_year_pages


def test_corpus_every_contact_on_a_year_page_lands_on_the_words_that_record_it(corpus_site):
    documents: dict[Path, Events] = {}
    checked = 0
    for page in sorted((corpus_site / "timeline").glob("*/index.html")):
        for entry in parse_page(page, "annals-entry-contact").entries:
            url, _, anchor = next(h for h in entry["hrefs"] if "/documents/" in h).partition("#")
            doc_page = (page.parent / url).resolve() / "index.html"
            if doc_page not in documents:
                documents[doc_page] = parse_page(doc_page)
            texts = documents[doc_page].texts
            assert (anchor or "h1") in texts, (page, url, anchor)
            marks = [squeeze(m) for m in entry["marks"]]
            assert all(m in squeeze(texts[anchor or "h1"]) for m in marks), (page, url, anchor, marks)
            checked += 1
    assert checked > 10  # people who speak together in a transcript, at least


def test_corpus_overview_and_year_pages(corpus_site):
    overview = (corpus_site / "timeline/index.html").read_text(encoding="utf-8")
    years = sorted(p.parent.name for p in (corpus_site / "timeline").glob("*/index.html"))
    assert years and all(1900 <= int(y) <= 2100 for y in years)
    for year in years:
        assert f'id="y{year}"' in overview and f'href="{year}/"' in overview, year
    assert "2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit" in (
        corpus_site / "timeline/2021/index.html").read_text(encoding="utf-8")
    report = (corpus_site / "editors/report/index.html").read_text(encoding="utf-8")
    assert "Editors&#39; report" in report or "Editors' report" in report
    places = re.findall(r"<code>([^<]*)</code>", report)
    assert places and all(re.fullmatch(r"(registry/)?[\w.-]+(:\d+)?", html.unescape(c)) for c in places), places
    assert "data-pagefind-body" not in report + overview  # search indexes the documents' paragraphs only


def test_marked_words_may_hold_or_cut_an_editorial_insertion():
    assert marked_text("the case of May 6 [2012], and", [(12, 24)]) == (
        'the case of <mark>May 6 <span class="annals-insertion">&#91;2012&#93;</span></mark>, and')
    assert marked_text("on May 6 [2012] there", [(3, 13)]) == (
        'on <mark>May 6 <span class="annals-insertion">&#91;2012&#93;</span></mark> there')
    assert marked_text("a [in 2012] b", [(6, 10)]) == 'a <span class="annals-insertion">&#91;in <mark>&#50;012</mark>&#93;</span> b'


@pytest.mark.parametrize("s", HOSTILE)
def test_hostile_text_on_timeline_pages_stays_text(s):
    text = f"{s} We meet next year. {s}"
    p = Paragraph(1, 3, text, label=s, turn=s)
    at = text.index("next year")
    doc = Document(source=s, title=s, date=datetime.date(2021, 7, 20), time=s, id="2021-07-20-x", paragraphs=(p,),
                   speakers=(Speaker("p", s, "person", (s,)),),
                   events=(Event(1, at, at + 9, "2022", "next year", "relative", s),))
    pages = render_site(Archive((doc,), {"p": Person("p", s, documents=(doc.id,))}, ()))
    for path in ("timeline/2021.md", "timeline/2022.md", "timeline/index.md"):
        out = to_html(pages[path])
        seen = visible(out)
        assert {tag for tag, _ in seen.tags} <= {"a", "p", "span", "time", "h1", "h2", "ul", "li", "mark"}, path
        assert not any(name.startswith("on") for _, attrs in seen.tags for name in attrs), path
        assert not any((attrs.get("href") or "").lower().startswith(("javascript", "data")) for _, attrs in seen.tags)
    shown = " ".join("".join(visible(to_html(pages["timeline/2022.md"])).text).split())
    assert "We meet next year." in shown and " ".join(f"{s}".split()) in shown
