"""The timeline: the years at a glance, a page per year, and what a person or a pair said about which time.

A year's page holds two kinds of entry, told apart by a word, a shape and a class: the documents of the
year by their date, and the events their texts mention, placed where they start (a span at its start,
with the whole span shown; a year written without a month under "During the year").
"""
from __future__ import annotations

import collections
import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annals.crossrefs import Crossrefs, Dated
from annals.markup import MONTHS, attr_text, badge, md_text, plural, time_tag
from annals.model import Document
from annals.render_common import display_name, html_list, link, page_text, person_page

if TYPE_CHECKING:
    from annals.index import Archive

FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years that have pages; other events stay on people's pages
ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
DURING = 0  # the "month" of events known only by their year
OVERVIEW = {"hide": ["navigation"]}  # the rows of bars need the width
DOCUMENT = '<span class="annals-kind annals-kind-document">Document</span>'
EVENT = '<span class="annals-kind annals-kind-event">Event</span>'
LEVELS = (1, 2, 4, 8)  # entries in a month from which its cell on the overview is one shade darker


@dataclass(frozen=True, eq=False)
class Entry:
    """One line of a year's page: a document by its date, or (with `dated`) an event its text mentions."""

    start: str  # ISO day, month or year where the entry is placed
    doc: Document
    dated: Dated | None = None

    @property
    def key(self) -> tuple:
        """Sort key: where it is placed, documents before events of the same day, then where it is said."""
        if self.dated is None:
            return self.start, 0, "", self.doc.date, self.doc.id, 0, 0, 0
        return self.start, 1, *self.dated.key[1:]


Timeline = dict[int, dict[int, list[Entry]]]  # year -> month (DURING first) -> entries in time order


def gather_timeline(archive: Archive, refs: Crossrefs) -> Timeline:
    """Place every document and every event that starts in a year with a page, in order."""
    years: dict[int, dict[int, list[Entry]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for doc in archive.documents:
        if FIRST_YEAR <= doc.year <= LAST_YEAR:
            years[doc.year][doc.date.month].append(Entry(doc.date.isoformat(), doc))
    for found in refs.dated.values():
        for d in found:
            placed = place_of(d.event.first)
            if placed is not None:
                years[placed[0]][placed[1]].append(Entry(d.event.first, d.doc, d))
    return {y: {m: sorted(years[y][m], key=lambda e: e.key) for m in sorted(years[y])} for y in sorted(years)}


def place_of(iso: str) -> tuple[int, int] | None:
    """Return (year, month) of an ISO day, month or year (month DURING for a year), None if it has no page."""
    m = ISO.fullmatch(iso)
    if not m or not FIRST_YEAR <= int(m[1]) <= LAST_YEAR or (m[2] and not 1 <= int(m[2]) <= 12):
        return None
    return int(m[1]), int(m[2]) if m[2] else DURING


def month_id(year: int, month: int) -> str:
    """Return the anchor of a month of a year's page ("m2021-07"; "during-2021" for the year as a whole)."""
    return f"during-{year}" if month == DURING else f"m{year}-{month:02d}"


def year_page(year: int) -> str:
    """Return the page of a year's timeline, relative to docs/."""
    return f"timeline/{year}.md"


def has_page(year: int) -> bool:
    """Tell whether a year is in the range that has timeline pages."""
    return FIRST_YEAR <= year <= LAST_YEAR


# Dates at their precision


def when_tag(when: str) -> str:
    """Return a day, month, year or span as the site writes dates, with ISO in datetime attributes."""
    ends = when.split("/")
    if len(ends) == 2 and all(ISO.fullmatch(e) for e in ends):
        return f"from {point_tag(ends[0])} to {point_tag(ends[1])}"
    return point_tag(when)


def point_tag(iso: str) -> str:
    """Return one ISO day, month or year as a <time> element (as plain text if it is no date)."""
    m = ISO.fullmatch(iso)
    try:
        if m and m[3]:
            return time_tag(datetime.date(int(m[1]), int(m[2]), int(m[3])))
        if m and m[2] and 1 <= int(m[2]) <= 12:
            return f'<time datetime="{iso}">{MONTHS[int(m[2]) - 1]} {m[1]}</time>'
        if m and not m[2]:
            return f'<time datetime="{iso}">{m[1]}</time>'
    except ValueError:
        pass
    return md_text(iso)


# The overview


def render_timeline(timeline: Timeline) -> str:
    """Render the overview: totals, then a row per year with bars to one scale and a strip of its months."""
    blocks = ["# Timeline"]
    if not timeline:
        return page_text("Timeline", blocks + ["The archive holds no documents yet."], OVERVIEW)
    counts = {y: kinds(e for es in months.values() for e in es) for y, months in timeline.items()}
    docs, events = sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values())
    first, last = min(timeline), max(timeline)
    blocks.append(f"{plural(docs, 'document')} by their date and {plural(events, 'event')} that their texts "
                  f"mention, from {first} to {last}. Each year's page lists them month by month.\n{{ .annals-summary }}")
    blocks.append(f'{DOCUMENT} <span class="annals-bar annals-bar-document annals-key" aria-hidden="true"></span> '
                  f'documents of the year · {EVENT} <span class="annals-bar annals-bar-event annals-key" '
                  'aria-hidden="true"></span> events the texts place in it. The bars are drawn to one scale; '
                  "the letters are the months, darker as they hold more.\n{ .annals-legend }")
    top, rows, before = max(max(c) for c in counts.values()), [], None
    for year, months in timeline.items():
        if before is not None and year - before > 1:
            gap = f"in {before + 1}" if year - before == 2 else f"from {before + 1} to {year - 1}"
            rows.append(f"- Nothing {gap}\n  {{ .annals-year .annals-gap }}")
        rows.append(year_row(year, months, counts[year], top))
        before = year
    blocks.append("\n".join(rows))
    return page_text("Timeline", blocks, OVERVIEW)


def kinds(entries) -> tuple[int, int]:
    """Count documents and events among entries."""
    docs = events = 0
    for e in entries:
        docs, events = (docs + 1, events) if e.dated is None else (docs, events + 1)
    return docs, events


def year_row(year: int, months: dict[int, list[Entry]], counts: tuple[int, int], top: int) -> str:
    """Return an overview row: the year linked to its page, its two bars, its counts and its months."""
    bars = "".join(f'<span class="annals-bar annals-bar-{kind}" style="width: {share(n, top)}"></span>'
                   for kind, n in zip(("document", "event"), counts))
    return (f'- [{year}]({year}.md) <span class="annals-bars" aria-hidden="true">{bars}</span> '
            f'<span class="annals-counts">{plural(counts[0], "document")} · {plural(counts[1], "event")}</span> '
            f"{month_strip(year, months)}\n  {{ #y{year} .annals-year }}")


def share(n: int, top: int) -> str:
    """Return a bar's width: n's share of the largest count, at least a sliver when n is not zero."""
    return "0%" if n == 0 or top == 0 else f"{max(100 * n / top, 1):.1f}%"


def month_strip(year: int, months: dict[int, list[Entry]]) -> str:
    """Return the twelve months of a year, those with entries linked to their part of the year's page."""
    cells = []
    for month in range(1, 13):
        letter, entries = MONTHS[month - 1][0], months.get(month, [])
        if not entries:
            cells.append(f'<span aria-hidden="true">{letter}</span>')
            continue
        docs, events = kinds(entries)
        label = f"{MONTHS[month - 1]} {year}: {plural(docs, 'document')}, {plural(events, 'event')}"
        level = sum(1 for at in LEVELS if len(entries) >= at)
        cells.append(f"[{letter}]({year}.md#{month_id(year, month)}){{ #{month_id(year, month)} .annals-month "
                     f'.annals-level-{level} title="{label}" aria-label="{label}" }}')
    return '<span class="annals-months">' + " ".join(cells) + "</span>"


# A year's page


def render_timeline_year(year: int, months: dict[int, list[Entry]], years: list[int], archive: Archive) -> str:
    """Render one year: its documents and the events its texts mention, month by month."""
    page = year_page(year)
    docs, events = kinds(e for es in months.values() for e in es)
    where = [f"[All years](index.md#y{year})"]
    earlier, later = [y for y in years if y < year], [y for y in years if y > year]
    where += [f"earlier: [{earlier[-1]}]({earlier[-1]}.md)"] if earlier else []
    where += [f"later: [{later[0]}]({later[0]}.md)"] if later else []
    blocks = [f"# Timeline of {year}",
              " · ".join([plural(docs, "document"), plural(events, "event")] + where) + "\n{ .annals-summary }",
              " · ".join(f"[{month_name(year, m)}](#{month_id(year, m)})" for m in months),
              f"{DOCUMENT} a document of that day · {EVENT} a time that a text mentions, in the sentence that "
              "says it, with who says it and the date of the document\n{ .annals-legend }"]
    for month, entries in months.items():
        blocks.append(f"## {month_name(year, month)} {{ #{month_id(year, month)} }}")
        blocks.append("\n".join(entry_line(page, e, archive) for e in entries))
    return page_text(f"Timeline of {year}", blocks)


def month_name(year: int, month: int) -> str:
    """Return the heading of a month of a year's page."""
    return "During the year" if month == DURING else f"{MONTHS[month - 1]} {year}"


def entry_line(page: str, entry: Entry, archive: Archive) -> str:
    """Return one list item of a year's page: a document, or an event in its sentence."""
    doc, d = entry.doc, entry.dated
    if d is None:
        names = ", ".join(md_text(display_name(archive, doc, s.id)) for s in doc.speakers)
        return (f"- {DOCUMENT} {time_tag(doc.date, doc.time)} · [{md_text(doc.title)}]({link(page, doc.page)})"
                + (f" · {names}" if names else "") + "\n  { .annals-entry .annals-entry-document }")
    return (f"- {EVENT} {when_tag(d.event.when)} · “{d.quote}” · {speaker_of(page, d, archive)}, "
            f"{source_link(page, d)}\n  {item_class(d)}")


def item_class(d: Dated) -> str:
    """Return the attribute list of an event's item on a year's page (spans have a class of their own)."""
    return "{ .annals-entry .annals-entry-event" + (" .annals-entry-span }" if "/" in d.event.when else " }")


def speaker_of(page: str, d: Dated, archive: Archive, linked: bool = True) -> str:
    """Return who says an event: badge and name (linked to their timeline if `linked`), or narration."""
    p = d.paragraph
    if p.speaker is None and p.turn is None:
        return "narration"
    name = display_name(archive, d.doc, p.speaker) if p.speaker else p.turn
    who = f"{badge(p.speaker or f'label:{p.turn}', name)} "
    if linked and p.speaker in archive.people:
        return who + f"[{md_text(name)}]({link(page, person_page(p.speaker), 'timeline')})"
    return who + md_text(name)


def source_link(page: str, d: Dated) -> str:
    """Return the link to the paragraph that says an event: the document's date and the paragraph number."""
    href = link(page, d.doc.page, d.paragraph.anchor)
    return f'[{time_tag(d.doc.date)}, ¶ {d.paragraph.n}]({href} "{attr_text(d.doc.title)}")'


# The timeline of a person or a pair


def person_timeline(page: str, refs: Crossrefs, person_id: str) -> list[str]:
    """Return the timeline section of a person's page: the times they speak of, in time order."""
    found = refs.said.get(person_id, [])
    items = [f"- {when_tag(d.event.when)} · “{d.quote}” · {source_link(page, d)}" for d in found]
    intro = "The times they speak of, in time order, each in the sentence that says it."
    return ["## Timeline { #timeline }", intro, html_list(page, "\n".join(items))] if items else []


def pair_events(key: str, archive: Archive, refs: Crossrefs) -> list[Dated]:
    """Return the events in the words of either of a pair, in the documents where both speak, in time order."""
    pair = refs.pairs[key]
    found = [d for doc_id in archive.meetings[key] for d in refs.dated.get(doc_id, ()) if d.paragraph.speaker in pair]
    return sorted(found, key=lambda d: d.key)


def pair_timeline(page: str, found: list[Dated], archive: Archive) -> list[str]:
    """Return the timeline section of a pair's page: who speaks of which time, in time order."""
    # Both people are linked at the top of the page: their names here are plain, which keeps pages lean.
    items = [f"- {when_tag(d.event.when)} · “{d.quote}” · {speaker_of(page, d, archive, False)}, "
             f"{source_link(page, d)}" for d in found]
    intro = "The times either of them speaks of in these documents, in time order."
    return ["## Timeline { #timeline }", intro, html_list(page, "\n".join(items))] if items else []
