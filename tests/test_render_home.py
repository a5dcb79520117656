"""Tests of the home page: the chart of documents per year, who speaks most, the latest documents, an empty archive."""
from __future__ import annotations

import dataclasses
import datetime
import html
import os
import re
from pathlib import Path

import pytest

from annals.index import Archive
from annals.markup import clean_text
from annals.model import Document, Paragraph, Person, Speaker
from annals.render.pages import render_site
from annals.render.common import HTML_END, HTML_START
from annals.render.home import LATEST, TOP, render_home, share
from test_render import HOSTILE, hostile_archive, html_hrefs, link_target, to_html, visible

COLUMN = re.compile(r'<li class="([^"]*)">'
                    r'(?:<a href="([^"]*)" class="annals-home-column">|<span class="annals-home-column">)'
                    r'<span class="annals-home-label">([^<]*)</span><span class="annals-home-plot">'
                    r'<span class="annals-home-count"><span class="annals-home-hidden">: </span>([\d,]+)'
                    r'<span class="annals-home-hidden"> (documents?)</span></span>'
                    r'<span class="annals-home-bar"(?: style="--annals-share: ([\d.]+%)")?></span></span>'
                    r'</(?:a|span)></li>')


def doc(day: datetime.date, *turns: str) -> Document:
    """A document of a day in which each of `turns` (person ids) takes a turn, in that order."""
    doc_id = f"{day.isoformat()}-talks"
    paragraphs = tuple(Paragraph(n, n + 3, f"Words {n}.", label=who, turn=who, speaker=who)
                       for n, who in enumerate(turns, start=1))
    speakers = tuple(Speaker(who, who.title(), "person") for who in dict.fromkeys(turns))
    return Document(source=f"{doc_id}.txt", title=f"Talks of {day}", date=day, id=doc_id, speakers=speakers,
                    paragraphs=paragraphs)


def archive_of(docs: list[Document], people: dict[str, Person] | None = None) -> Archive:
    """An archive of these documents, newest first, with a Person for each speaker (or the people given)."""
    docs = sorted(docs, key=lambda d: (d.date, d.id), reverse=True)
    if people is None:
        people = {}
        for d in docs:
            for s in d.speakers:
                found = people.get(s.id, Person(s.id, s.name))
                people[s.id] = dataclasses.replace(found, documents=(*found.documents, d.id))
    return Archive(tuple(docs), people, ())


def columns(page: str) -> list[tuple[str, str, str, str, str, str]]:
    """The chart's columns: (classes, link, years, count, unit, bar height), checking that nothing else is in it."""
    chart = page[page.index(HTML_START):page.index(HTML_END)]
    found = COLUMN.findall(chart)
    assert len(found) == chart.count("<li"), chart
    return found


def years_archive() -> Archive:
    """Documents in 2015 (2), 2017 (1) and 2021 (3): one empty year, then a run of three."""
    days = [datetime.date(2015, 3, 1), datetime.date(2015, 9, 1), datetime.date(2017, 5, 5),
            datetime.date(2021, 1, 2), datetime.date(2021, 6, 7), datetime.date(2021, 12, 31)]
    return archive_of([doc(d, "ann") for d in days])


# Documents per year


def test_chart_has_a_column_per_year_linked_to_its_documents_with_its_count():
    page = render_home(years_archive())
    assert ("From 2015 to 2021: each column is a year, drawn to one scale and linked to its documents; 3 or more "
            "years in a row without documents are drawn as one gap.\n{ .annals-home-caption }") in page
    assert columns(page) == [
        ("annals-home-year", "documents/2015/", "2015", "2", "documents", "66.7%"),
        ("annals-home-year annals-home-empty", "", "2016", "0", "documents", ""),
        ("annals-home-year", "documents/2017/", "2017", "1", "document", "33.3%"),
        ("annals-home-year annals-home-gap", "", "2018–2020", "0", "documents", ""),
        ("annals-home-year", "documents/2021/", "2021", "3", "documents", "100.0%"),
    ]


def test_two_empty_years_are_drawn_one_by_one_and_a_single_year_alone():
    two = archive_of([doc(datetime.date(2001, 1, 1), "ann"), doc(datetime.date(2004, 1, 1), "ann")])
    assert [(c[2], c[0]) for c in columns(render_home(two))] == [
        ("2001", "annals-home-year"), ("2002", "annals-home-year annals-home-empty"),
        ("2003", "annals-home-year annals-home-empty"), ("2004", "annals-home-year")]
    assert "drawn as one gap" not in render_home(two)
    one = archive_of([doc(datetime.date(1999, 4, 1), "ann")])
    assert columns(render_home(one)) == [("annals-home-year", "documents/1999/", "1999", "1", "document", "100.0%")]
    assert "From 1999 to 1999: each column is a year, drawn to one scale and linked to its documents.\n" in (
        render_home(one))


def test_a_year_of_one_document_among_thousands_still_shows_a_sliver():
    assert [share(1, 5000), share(2500, 5000), share(5000, 5000)] == ["3.0%", "50.0%", "100.0%"]


def test_chart_links_lead_to_the_year_pages_and_every_home_link_resolves():
    archive = years_archive()
    pages = render_site(archive)
    page = pages["index.md"]
    written_as_html = html_hrefs(page)
    targets = set()
    for tag, attrs in visible(to_html(page)).tags:
        href = attrs.get("href", "")
        if tag == "a" and href and not href.startswith("#"):
            target = link_target("index.md", href, href in written_as_html, pages)
            assert target in pages, href
            targets.add(target)
    assert {"documents/2015/index.md", "documents/2017/index.md", "documents/2021/index.md", "search.md",
            "people/index.md", "timeline/index.md", "documents/index.md", "people/ann.md", "feed.xml"} <= targets
    years = {h for h in written_as_html if h.count("/") == 2 and h.split("/")[1].isdigit()}
    assert len(years) == 3  # the three years with documents, in the chart
    latest = len(archive.documents[:LATEST])
    assert len(written_as_html - years) == latest  # and the latest documents, in their list


# Who speaks most


def test_top_speakers_by_documents_then_turns_then_name_without_roles():
    days = [datetime.date(2020, 1, d) for d in range(1, 6)]
    docs = [doc(days[0], "cy", "bo", "cy", "role", "al"), doc(days[1], "cy", "bo", "role"), doc(days[2], "bo", "role"),
            doc(days[3], "al", "dee", "role"), doc(days[4], "role", "eve")]
    people = archive_of(docs).people
    people["role"] = dataclasses.replace(people["role"], kind="role")  # speaks in all five: not a person
    people["idle"] = Person("idle", "Idle")  # speaks in none
    page = render_home(archive_of(docs, people))
    section = page[page.index("## Who speaks most"):page.index("## Latest documents")]
    lines = [line for line in section.split("\n") if line.startswith("- ")]
    assert [re.sub(r"<span[^>]*>[^<]*</span> ", "", line) for line in lines] == [
        "- [Bo](people/bo.md) · 3 documents · 3 turns",
        "- [Cy](people/cy.md) · 2 documents · 3 turns",  # two turns in the first document, split by Bo's
        "- [Al](people/al.md) · 2 documents · 2 turns",
        "- [Dee](people/dee.md) · 1 document · 1 turn",  # Dee and Eve tie: by name
        "- [Eve](people/eve.md) · 1 document · 1 turn",
    ]


def test_only_the_top_speakers_are_listed_and_ties_fall_by_name_then_id():
    ids = [f"p{i:02d}" for i in range(15)]
    d = doc(datetime.date(2020, 1, 1), *ids)
    names = [f"Name {14 - i:02d}" for i in range(15)]  # the reverse of the ids' order
    names[13] = "Name 00"  # the same as p14's
    people = {i: Person(i, name, documents=(d.id,)) for i, name in zip(ids, names)}
    page = render_home(archive_of([d], dict(reversed(people.items()))))
    assert re.findall(r"\]\(people/(p\d+)\.md\)", page) == [  # by name, and the same name by id
        "p13", "p14", "p12", "p11", "p10", "p09", "p08", "p07", "p06", "p05"]
    assert page == render_home(archive_of([d], people))  # the order of the register does not matter


def test_no_section_of_speakers_when_only_roles_speak():
    d = doc(datetime.date(2020, 1, 1), "question")
    page = render_home(archive_of([d], {"question": Person("question", "Question", kind="role", documents=(d.id,))}))
    assert "Who speaks most" not in page and "people/question.md" not in page
    assert "in which 0 people speak" in page


# Source text is text


@pytest.mark.parametrize("s", HOSTILE)
def test_hostile_names_and_titles_stay_text(s):
    page = render_home(hostile_archive(s))
    out = to_html(page)
    lowered = out.lower()
    assert "<script" not in lowered and "<img" not in lowered and "<strong" not in lowered
    assert "onclick=" not in lowered and 'href="javascript' not in lowered
    seen = visible(out)
    for tag, attrs in seen.tags:
        assert tag in {"a", "p", "div", "span", "time", "h1", "h2", "ul", "li", "kbd"}, tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
    items = [html.unescape(re.sub(r"<[^>]+>", "", li)) for li in re.findall(r"<li>(.*?)</li>", out, re.S)]
    name = clean_text(s)
    assert items[0].endswith(f" {name} · 1 document · 1 turn")  # after the badge's initials
    assert sum(item.endswith(" turn") for item in items) == 1  # the role of the same name is left out
    assert "Who speaks most" in seen.text
    assert f"2 January 2020 · {name} · {name}, {name}" in items  # the latest: date, title, who speaks


# An empty archive, and the same bytes every time


def test_empty_archive_has_a_home_page_with_where_to_start():
    page = render_home(Archive((), {}, ()))
    assert page == (
        '---\ntitle: "Annals"\n---\n\n# Annals\n\n'
        "Official records of meetings and conversations, paragraph by paragraph, with every speaker identified.\n\n"
        "The archive holds no documents yet.\n\n"
        "[Search the archive](search.md){ .md-button .md-button--primary } [Documents](documents/index.md)"
        "{ .md-button } [People](people/index.md){ .md-button } [Timeline](timeline/index.md){ .md-button }\n"
        "{ .annals-home-start }\n\n"
        "On any page, press <kbd>/</kbd> to search. Or browse the [places](places/index.md), "
        "[organisations](organizations/index.md), [topics](topics/index.md) and the [glossary](glossary/index.md).\n")
    out = to_html(page)
    assert '<p class="annals-home-start"><a class="md-button md-button--primary" href="search.md">' in out


def test_same_archive_same_bytes():
    archive = years_archive()
    assert render_home(archive) == render_home(archive_of(list(reversed(archive.documents))))


# In the browser: the corpus site's home page at a phone's width and a desktop's, in both palettes


def chart_geometry(page) -> list[dict]:
    """Each column of the chart: its count, and the boxes of its bar, label and the list."""
    return page.evaluate("""() => [...document.querySelectorAll('.annals-home-year')].map(li => {
        const box = el => { const r = el.getBoundingClientRect(); return {left: r.left, right: r.right,
                                                                          top: r.top, bottom: r.bottom}; };
        return {count: +li.querySelector('.annals-home-count').textContent.replace(/\\D/g, ''),
                link: !!li.querySelector('a'), bar: box(li.querySelector('.annals-home-bar')),
                label: box(li.querySelector('.annals-home-label')), item: box(li),
                lineHeight: parseFloat(getComputedStyle(li.querySelector('.annals-home-label')).lineHeight),
                content: box(document.querySelector('.md-content__inner'))};
    })""")


@pytest.mark.parametrize("width, scheme", [(375, "light"), (375, "dark"), (1280, "light"), (1280, "dark")])
def test_chart_draws_counts_to_one_scale_within_the_page(corpus_browser, width, scheme):
    chromium, base = corpus_browser
    page = chromium.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page.goto(base)
    found = chart_geometry(page)
    assert len(found) > 5 and any(not c["link"] for c in found)  # the corpus has years without documents
    top = max(c["count"] for c in found)
    tallest = max(c["bar"]["bottom"] - c["bar"]["top"] for c in found)
    for c in found:
        height = c["bar"]["bottom"] - c["bar"]["top"]
        assert abs(height - max(tallest * c["count"] / top, tallest * 0.03)) < 1 if c["count"] else height == 0, c
        assert c["label"]["top"] >= c["bar"]["bottom"] - 0.5, c  # the year under its bar
        assert c["item"]["left"] >= c["content"]["left"] and c["item"]["right"] <= c["content"]["right"] + 0.5, c
        if c["link"]:  # a year's label is on one line
            assert c["label"]["bottom"] - c["label"]["top"] < 1.5 * c["lineHeight"], c
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= width, widths
    shots = os.environ.get("ANNALS_SCREENSHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"home-{width}-{scheme}.png"), full_page=True)
    page.close()
