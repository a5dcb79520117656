"""The timeline: the years at a glance, a page per year, and what a person or a pair said about which time.

A year's page holds three kinds of entry, told apart by a word, a shape and a class: the documents of the
year by their date, the contacts their texts record (dated by their document), and the events their texts
mention, placed where they start (a span at its start, with the whole span shown; a year written without a
month under "During the year"). The overview starts with the archive's own years: the years before its first
document, which only its texts mention, are folded into a line per century.
"""
from __future__ import annotations

import collections
import datetime
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from annals.crossrefs import Crossrefs, Dated
from annals.markup import MONTHS, attr_text, badge, md_text, plural, time_tag
from annals.model import Contact, Document
from annals.render.common import display_name, html_list, link, page_text, person_page, remembered
from annals.render.text import quoted_sentence

if TYPE_CHECKING:
    from annals.index import Archive

FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years that have pages; other events stay on people's pages
ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)
DURING = 0  # the "month" of events known only by their year
OVERVIEW = {"hide": ["navigation"]}  # the rows of bars need the width
DOCUMENT = '<span class="annals-kind annals-kind-document">Document</span>'
EVENT = '<span class="annals-kind annals-kind-event">Event</span>'
CONTACT = '<span class="annals-kind annals-kind-contact">Contact</span>'
CONTACT_KINDS = {"meeting": "Meeting", "talks": "Talks", "telephone": "Telephone conversation", "message": "Message",
                 "summit": "Summit", "transcript": "Transcript"}  # Contact.kind -> the words a page shows
LEVELS = (1, 2, 4, 8)  # entries in a month from which its cell on the overview is one shade darker


@dataclass(frozen=True, eq=False)
class Entry:
    """One line of a year's page: a document by its date, (with `contact`) a contact its text records, or (with
    `dated`) an event its text mentions."""

    start: str  # ISO day, month or year where the entry is placed
    doc: Document
    dated: Dated | None = None
    contact: Contact | None = None

    @property
    def kind(self) -> str:
        return "event" if self.dated else "contact" if self.contact else "document"

    @property
    def key(self) -> tuple:
        """Sort key: where it is placed, each document followed by its contacts (in the order of its text), then
        the events of the same day, then where they are said."""
        if self.dated is not None:
            return self.start, 1, *self.dated.key[1:]
        c = self.contact
        return self.start, 0, "", self.doc.date, self.doc.id, *((1, c.paragraph, c.start) if c else (0, 0, 0))


class Counts(NamedTuple):
    """How many entries of each kind."""

    documents: int = 0
    events: int = 0
    contacts: int = 0


Timeline = dict[int, dict[int, list[Entry]]]  # year -> month (DURING first) -> entries in time order


def gather_timeline(archive: Archive, refs: Crossrefs) -> Timeline:
    """Place every document and every event that starts in a year with a page, in order."""
    years: dict[int, dict[int, list[Entry]]] = collections.defaultdict(lambda: collections.defaultdict(list))
    for doc in archive.documents:
        if FIRST_YEAR <= doc.year <= LAST_YEAR:
            day = years[doc.year][doc.date.month]
            day.append(Entry(doc.date.isoformat(), doc))
            day.extend(Entry(doc.date.isoformat(), doc, contact=c) for c in doc.contacts)
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


def render_timeline(timeline: Timeline, refs: Crossrefs | None = None) -> str:
    """Render the overview: totals, a line per century before the archive's first document, then a row per year
    with bars to one scale and a strip of its months. `refs` gives the events of years that have no page."""
    blocks = ["# Timeline"]
    if not timeline:
        return page_text("Timeline", blocks + ["The archive holds no documents yet."], OVERVIEW)
    counts = {y: kinds(e for es in months.values() for e in es) for y, months in timeline.items()}
    own = [y for y, c in counts.items() if c.documents]  # the years of the archive's documents
    first = own[0] if own else min(timeline)
    early = {y: c.events for y, c in counts.items() if y < first} | pageless_years(refs, first)
    blocks.append(summary(counts, own, early) + "\n{ .annals-summary }")
    blocks.append(f'{DOCUMENT} <span class="annals-bar annals-bar-document annals-key" aria-hidden="true"></span> '
                  f'documents of the year · {EVENT} <span class="annals-bar annals-bar-event annals-key" '
                  'aria-hidden="true"></span> events the texts place in it. The bars are drawn to one scale; '
                  "the letters are the months, darker as they hold more. The years before the first document, "
                  "which only the texts mention, are counted by century.\n{ .annals-legend }")
    shown = {y: months for y, months in timeline.items() if y >= first}
    rows = [century_line(c, years, timeline) for c, years in by_century(early).items()]
    top, before = max((max(counts[y][:2]) for y in shown), default=0), None
    for year, months in shown.items():
        if before is not None and year - before > 1:
            gap = f"in {before + 1}" if year - before == 2 else f"from {before + 1} to {year - 1}"
            rows.append(f"- Nothing {gap}\n  {{ .annals-year .annals-gap }}")
        rows.append(year_row(year, months, counts[year], top))
        before = year
    blocks.append("\n".join(rows))
    return page_text("Timeline", blocks, OVERVIEW)


def summary(counts: dict[int, Counts], own: list[int], early: dict[int, int]) -> str:
    """Say what the timeline holds: documents over the archive's years, events over the years they fall in."""
    total = Counts(*map(sum, zip(*counts.values())))
    events = total.events + sum(n for y, n in early.items() if y not in counts)
    placed = [y for y, c in counts.items() if c.events] + [y for y, n in early.items() if n]
    parts = [f"{plural(total.documents, 'document')} by {'its' if total.documents == 1 else 'their'} date"
             + (f", {span_text(own[0], own[-1])}" if own else "")]
    parts += [f"{plural(events, 'event')} that their texts mention"
              + (f", {span_text(min(placed), max(placed))}" if placed else "")]
    parts += [f"{plural(total.contacts, 'contact')} that they record"] if total.contacts else []
    return "; ".join(parts) + ". Each year's page lists them month by month."


def span_text(first: int, last: int) -> str:
    """Say a range of years: "in 2021", "from 2019 to 2021"."""
    return f"in {first}" if first == last else f"from {first} to {last}"


def pageless_years(refs: Crossrefs | None, before: int) -> dict[int, int]:
    """The years before `before` that events fall in but that have no page (1812), with their numbers of events."""
    found: dict[int, int] = collections.Counter()
    for dated in (refs.dated.values() if refs else ()):
        for d in dated:
            m = ISO.match(d.event.first)
            if m and int(m[1]) < min(before, FIRST_YEAR):
                found[int(m[1])] += 1
    return dict(found)


def by_century(years: dict[int, int]) -> dict[int, dict[int, int]]:
    """Group years (year -> number of events) by century (1812 is of the 19th), oldest first."""
    centuries: dict[int, dict[int, int]] = collections.defaultdict(dict)
    for year in sorted(years):
        if years[year]:
            centuries[year // 100 + 1][year] = years[year]
    return dict(centuries)


def century_line(century: int, years: dict[int, int], timeline: Timeline) -> str:
    """Return an overview line for the years of a century before the archive's own: how many events in how many
    years, and each year with its count, linked to its page where it has one."""
    shown = {y: f"[{y}]({y}.md){{ #y{y} }}" if y in timeline else str(y) for y in years}
    events = plural(sum(years.values()), "event")
    if len(years) == 1:
        said = f"{events} in {shown[min(years)]}"
    else:
        said = (f"{events} in {len(years)} years, {span_text(min(years), max(years))} — "
                + " · ".join(f"{shown[y]} ({n:,})" for y, n in years.items()))
    return f"- {ordinal(century)} century: {said}\n  {{ #century-{century} .annals-century }}"


def ordinal(n: int) -> str:
    """Return 1st, 2nd, 3rd, 4th, 11th, 21st ..."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def kinds(entries) -> Counts:
    """Count documents, events and contacts among entries."""
    found = collections.Counter(e.kind for e in entries)
    return Counts(found["document"], found["event"], found["contact"])


def year_row(year: int, months: dict[int, list[Entry]], counts: Counts, top: int) -> str:
    """Return an overview row: the year linked to its page, its two bars, its counts and its months."""
    bars = "".join(f'<span class="annals-bar annals-bar-{kind}" style="width: {share(n, top)}"></span>'
                   for kind, n in zip(("document", "event"), counts))
    return (f'- [{year}]({year}.md) <span class="annals-bars" aria-hidden="true">{bars}</span> '
            f'<span class="annals-counts">{counts_text(counts)}</span> '
            f"{month_strip(year, months)}\n  {{ #y{year} .annals-year }}")


def counts_text(counts: Counts, sep: str = " · ") -> str:
    """Say the counts of a year or month: documents and events, and contacts where there are any."""
    parts = [plural(counts.documents, "document"), plural(counts.events, "event")]
    return sep.join(parts + ([plural(counts.contacts, "contact")] if counts.contacts else []))


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
        label = f"{MONTHS[month - 1]} {year}: {counts_text(kinds(entries), ', ')}"
        level = sum(1 for at in LEVELS if len(entries) >= at)
        cells.append(f"[{letter}]({year}.md#{month_id(year, month)}){{ #{month_id(year, month)} .annals-month "
                     f'.annals-level-{level} title="{label}" aria-label="{label}" }}')
    return '<span class="annals-months">' + " ".join(cells) + "</span>"


# A year's page


def render_timeline_year(year: int, months: dict[int, list[Entry]], years: list[int], archive: Archive,
                         lines: tuple[dict, dict] | None = None) -> str:
    """Render one year: its documents, the contacts they record and the events its texts mention, month by month.

    `lines`, when given, is (the lines a rendering of this page made before, a dict this one's are added to),
    by the fingerprint of their document and the entry (remembered_line): whoever gives them vouches that all
    else a line shows (everyone's names, which pairs have a page, the code) is as it was then."""
    page = year_page(year)
    counts = kinds(e for es in months.values() for e in es)
    where = [f"[All years](index.md#y{year})"]
    earlier, later = [y for y in years if y < year], [y for y in years if y > year]
    where += [f"earlier: [{earlier[-1]}]({earlier[-1]}.md)"] if earlier else []
    where += [f"later: [{later[0]}]({later[0]}.md)"] if later else []
    legend = [f"{DOCUMENT} a document of that day"]
    legend += [f"{CONTACT} who had contact with whom, and how, as a document of that day records it, in the words "
               "that record it"] if counts.contacts else []
    legend += [f"{EVENT} a time that a text mentions, in the sentence that says it, with who says it and the date "
               "of the document"]
    blocks = [f"# Timeline of {year}",
              " · ".join([counts_text(counts)] + where) + "\n{ .annals-summary }",
              " · ".join(f"[{month_name(year, m)}](#{month_id(year, m)})" for m in months),
              " · ".join(legend) + "\n{ .annals-legend }"]
    for month, entries in months.items():
        blocks.append(f"## {month_name(year, month)} {{ #{month_id(year, month)} }}")
        blocks.append(html_list(page, "\n".join(remembered_line(page, e, archive, lines) for e in entries)))
    return page_text(f"Timeline of {year}", blocks)


def remembered_line(page: str, entry: Entry, archive: Archive, lines: tuple[dict, dict] | None) -> str:
    """entry_line, taken from `lines` (see render_timeline_year) where the same entry of a document of the same
    fingerprint was rendered before (render.common.remembered): an edit renders the lines of the edited text,
    not the year's thousands."""
    d = entry.dated
    key = (entry.start, entry.contact, d and (d.event, d.paragraph.n))
    return remembered(lines, archive.fingerprints, entry.doc.id, key, lambda: entry_line(page, entry, archive))


def month_name(year: int, month: int) -> str:
    """Return the heading of a month of a year's page."""
    return "During the year" if month == DURING else f"{MONTHS[month - 1]} {year}"


def entry_line(page: str, entry: Entry, archive: Archive) -> str:
    """Return one list item of a year's page: a document, a contact, or an event in its sentence."""
    doc, d = entry.doc, entry.dated
    if entry.contact is not None:
        return contact_line(page, doc, entry.contact, archive)
    if d is None:
        names = ", ".join(md_text(display_name(archive, doc, s.id)) for s in doc.speakers)
        return (f"- {DOCUMENT} {time_tag(doc.date, doc.time)} · [{md_text(doc.title)}]({link(page, doc.page)})"
                + (f" · {names}" if names else "") + "\n  { .annals-entry .annals-entry-document }")
    return (f"- {EVENT} {when_tag(d.event.when)} · “{d.quote}” · {speaker_of(page, d, archive)}, "
            f"{source_link(page, d)}\n  {item_class(d)}")


def contact_line(page: str, doc: Document, c: Contact, archive: Archive) -> str:
    """Return a contact's item: its kind, the people (linked to their pages, and to the pair's page for two), the
    words that record it, and the link to their paragraph (the document's page for its title, paragraph 0)."""
    names = [person_link(page, doc, pid, archive) for pid in c.people]
    people = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    key = "--".join(sorted(c.people))
    if len(c.people) == 2 and key in archive.meetings and all(pid in archive.people for pid in c.people):
        people += f" ([all their contacts]({link(page, f'meetings/{key}.md')}))"
    quote = contact_quote(doc, c)
    # The document's line is just above its contacts: the link names the paragraph, the title is its tooltip.
    where = f"¶ {c.paragraph}" if c.paragraph else "title"
    href = link(page, doc.page, f"p{c.paragraph}" if c.paragraph else "")
    return (f"- {CONTACT} {time_tag(doc.date)} · {CONTACT_KINDS.get(c.kind, md_text(c.kind))}: {people}"
            + (f" · “{quote}”" if quote else "") + f' · [{where}]({href} "{attr_text(doc.title)}")'
            + "\n  { .annals-entry .annals-entry-contact }")


def person_link(page: str, doc: Document, person_id: str, archive: Archive) -> str:
    """Return a person's name, linked to their page where they have one."""
    entity = archive.entities.get(f"person:{person_id}")
    name = md_text(entity.name if entity and person_id not in archive.people else display_name(archive, doc, person_id))
    return f"[{name}]({link(page, person_page(person_id))})" if person_id in archive.people else name


def contact_quote(doc: Document, c: Contact) -> str:
    """Return the sentence that records a contact, its words marked; "" for a transcript (its words are a label)."""
    raw = doc.title if c.paragraph == 0 else next((p.text for p in doc.paragraphs if p.n == c.paragraph), "")
    return quoted_sentence(raw, c.start, c.end) if 0 <= c.start < c.end <= len(raw) else ""


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


def person_timeline(page: str, refs: Crossrefs, person_id: str, archive: Archive | None = None,
                    lines: tuple[dict, dict] | None = None) -> list[str]:
    """Return the timeline section of a person's page: the times they speak of, in time order (each line taken
    from `lines` where it was made before for the same document: render.common.remembered)."""
    found = refs.said.get(person_id, [])
    items = [remembered(lines, archive and archive.fingerprints, d.doc.id, ("said", d.event, d.paragraph.n),
                        lambda d=d: f"- {when_tag(d.event.when)} · “{d.quote}” · {source_link(page, d)}")
             for d in found]
    intro = "The times they speak of, in time order, each in the sentence that says it."
    return ["## Timeline { #timeline }", intro, html_list(page, "\n".join(items))] if items else []


def pair_events(key: str, archive: Archive, refs: Crossrefs) -> list[Dated]:
    """Return the events in the words of either of a pair, in the documents where both speak, in time order."""
    pair = refs.pairs[key]
    found = [d for doc_id in archive.meetings[key] for d in refs.dated.get(doc_id, ()) if d.paragraph.speaker in pair]
    return sorted(found, key=lambda d: d.key)


def pair_timeline(page: str, found: list[Dated], archive: Archive, lines: tuple[dict, dict] | None = None
                  ) -> list[str]:
    """Return the timeline section of a pair's page: who speaks of which time, in time order (each line taken from
    `lines` where it was made before for the same document: render.common.remembered)."""
    # Both people are linked at the top of the page: their names here are plain, which keeps pages lean.
    def line(d: Dated) -> str:
        return f"- {when_tag(d.event.when)} · “{d.quote}” · {speaker_of(page, d, archive, False)}, {source_link(page, d)}"

    items = [remembered(lines, archive.fingerprints, d.doc.id, ("said", d.event, d.paragraph.n), lambda d=d: line(d))
             for d in found]
    intro = "The times either of them speaks of in these documents, in time order."
    return ["## Timeline { #timeline }", intro, html_list(page, "\n".join(items))] if items else []
