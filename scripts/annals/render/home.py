"""The home page: the archive at a glance (its years, who speaks most, its latest documents) and where to start."""
from __future__ import annotations

import collections
import heapq
from typing import TYPE_CHECKING

from annals.crossrefs import Crossrefs, cross_index
from annals.feed import FEED, NEWEST
from annals.markup import badge, md_text, plural, time_tag
from annals.render.common import document_list, html_block, html_href, link, page_text, person_page
from annals.render.registers import name_key

if TYPE_CHECKING:
    from annals.index import Archive
    from annals.model import Person

PAGE = "index.md"
LATEST = 10  # documents in the list of the latest
TOP = 10  # people in the list of those who speak most
RUN = 3  # years without documents in a row from which the chart draws them as one gap
INTRO = "Official records of meetings and conversations, paragraph by paragraph, with every speaker identified."
START = ("[Search the archive](search.md){ .md-button .md-button--primary } "
         "[Documents](documents/index.md){ .md-button } [People](people/index.md){ .md-button } "
         "[Timeline](timeline/index.md){ .md-button }\n{ .annals-home-start }")
MORE = ("On any page, press <kbd>/</kbd> to search. Or browse the [places](places/index.md), "
        "[organisations](organizations/index.md), [topics](topics/index.md) and the [glossary](glossary/index.md).")


def render_home(archive: Archive, refs: Crossrefs | None = None) -> str:
    """Render the home page: the archive in figures, where to start, documents per year, who speaks most, the latest."""
    docs = archive.documents
    blocks = ["# Annals", INTRO]
    if not docs:
        return page_text("Annals", blocks + ["The archive holds no documents yet.", START, MORE])
    blocks += [summary(archive), START, MORE]
    blocks += ["## Documents per year { #years }", *year_chart(collections.Counter(d.year for d in docs))]
    blocks += speakers_section(archive, refs or cross_index(archive))
    blocks += ["## Latest documents { #latest }", document_list(archive, PAGE, list(docs[:LATEST])),
               f"The {NEWEST} newest documents are also in an [Atom feed]({FEED}); "
               "[all documents](documents/index.md) are listed by year."]
    return page_text("Annals", blocks)


def summary(archive: Archive) -> str:
    """Return the archive in one sentence: documents, paragraphs, people who speak, first and last date."""
    docs = archive.documents
    people = sum(1 for p in archive.people.values() if p.kind != "role" and p.documents)
    paragraphs = sum(len(d.paragraphs) for d in docs)
    first, last = min(d.date for d in docs), max(d.date for d in docs)
    speak = "1 person speaks" if people == 1 else f"{people:,} people speak"
    return (f"The archive holds {plural(len(docs), 'document')} with {plural(paragraphs, 'paragraph')}, "
            f"in which {speak}, from {time_tag(first)} to {time_tag(last)}.")


# Documents per year: a column per year, to one scale, each with its count written above it


def year_chart(counts: dict[int, int]) -> list[str]:
    """Return the chart's caption and the chart: a column per year from the first to the last, gaps collapsed."""
    years = sorted(counts)
    top, items = max(counts.values()), []
    for before, year in zip([None, *years], years):
        if before is not None:
            items += empty_years(before + 1, year - 1)
        items.append(column(str(year), counts[year], share(counts[year], top),
                            html_href(PAGE, f"documents/{year}/index.md")))
    caption = f"From {years[0]} to {years[-1]}: each column is a year, drawn to one scale and linked to its documents"
    gaps = any("annals-home-gap" in item for item in items)
    caption += f"; {RUN} or more years in a row without documents are drawn as one gap." if gaps else "."
    chart = '<div class="annals-home-chart">\n<ul>\n' + "\n".join(items) + "\n</ul>\n</div>"
    return [caption + "\n{ .annals-home-caption }", html_block(chart)]


def empty_years(first: int, last: int) -> list[str]:
    """Return the empty columns of the years from first to last (none if last < first), a long run as one gap."""
    if last - first + 1 >= RUN:
        return [column(f"{first}–{last}", 0, "", "", "annals-home-gap")]
    return [column(str(year), 0, "", "", "annals-home-empty") for year in range(first, last + 1)]


def column(label: str, n: int, height: str, href: str, kind: str = "") -> str:
    """Return one column of the chart: its years, its count (also in words, for screen readers) and its bar."""
    bar = f' style="--annals-share: {height}"' if height else ""
    count = (f'<span class="annals-home-count"><span class="annals-home-hidden">: </span>{n:,}'
             f'<span class="annals-home-hidden"> {"document" if n == 1 else "documents"}</span></span>')
    inner = (f'<span class="annals-home-label">{label}</span><span class="annals-home-plot">{count}'
             f'<span class="annals-home-bar"{bar}></span></span>')
    body = (f'<a href="{href}" class="annals-home-column">{inner}</a>' if href
            else f'<span class="annals-home-column">{inner}</span>')
    return f'<li class="{" ".join(["annals-home-year", kind]).strip()}">{body}</li>'


def share(n: int, top: int) -> str:
    """Return a bar's height: n's share of the largest count, at least a sliver so that one document shows."""
    return f"{max(100 * n / top, 3):.1f}%"


# Who speaks most


def speakers_section(archive: Archive, refs: Crossrefs) -> list[str]:
    """Return the people who speak in the most documents (roles left out), with their documents and turns."""
    turns = collections.Counter(t.speaker for ts in refs.turns.values() for t in ts if t.speaker)
    ranked = top_speakers(archive, turns)
    if not ranked:
        return []
    items = [f"- {badge(p.id, p.name)} [{md_text(p.name)}]({link(PAGE, person_page(p.id))}) · "
             f"{plural(len(p.documents), 'document')} · {plural(turns[p.id], 'turn')}" for p in ranked]
    return ["## Who speaks most { #speakers }",
            "The people who speak in the most documents, with the turns they take in them.",
            "\n".join(items), "Every person who speaks is in the register of [people](people/index.md)."]


def top_speakers(archive: Archive, turns: dict[str, int]) -> list[Person]:
    """Return the TOP persons by documents they speak in, then turns, then name and id (one pass, no full sort)."""
    persons = (p for p in archive.people.values() if p.kind != "role" and p.documents)
    return heapq.nsmallest(TOP, persons, key=lambda p: (-len(p.documents), -turns.get(p.id, 0), *name_key(p)))
