"""The page of a pair of people: every contact the texts record between them, as a chronology.

At the top, how many contacts of each kind and in each year (a chart of the years drawn at build time: bars
are spans with widths, as on the timeline's overview); then the contacts, oldest first, grouped by document,
each in the words that record it and linked to their paragraph, in Material's content tabs (pymdownx.tabbed:
radio buttons and CSS, no script) to show one kind at a time; then the turns of both in the transcripts where
both speak, and the dated events either of them speaks of there.
"""
from __future__ import annotations

import collections
import itertools
from typing import TYPE_CHECKING

from annals.crossrefs import Crossrefs
from annals.markup import badge, clean_text, md_text, plural, time_tag
from annals.model import CONTACT_KINDS, Contact, Document
from annals.render.common import (display_name, first_words, html_block, html_href, html_list, link, page_text,
                                  remembered)
from annals.render.text import marked_text
from annals.render.timeline import has_page, pair_events, pair_timeline, share, year_page
from annals.sentences import window

if TYPE_CHECKING:
    from annals.index import Archive

# Each kind of contact: the tag that names it in the chronology, its tab, and its noun, one and many.
KINDS = {
    "meeting": ("Meeting", "Meetings", "meeting", "meetings"),
    "talks": ("Talks", "Talks", "round of talks", "rounds of talks"),
    "telephone": ("Telephone", "Telephone", "telephone conversation", "telephone conversations"),
    "message": ("Message", "Messages", "message", "messages"),
    "summit": ("Summit", "Summits", "summit", "summits"),
    "transcript": ("Transcript", "Transcripts", "transcript", "transcripts"),
}
Found = list[tuple[Document, Contact]]  # a pair's contacts with their documents, oldest first


def kind_count(kind: str, n: int) -> str:
    """Return a number of contacts of one kind: "1 meeting", "3 telephone conversations"."""
    _, _, one, many = KINDS[kind]
    return f"{n:,} {one if n == 1 else many}"


def kind_counts(contacts) -> list[tuple[str, int]]:
    """Count contacts by kind, in the order of CONTACT_KINDS (kinds with none left out)."""
    counts = collections.Counter(c.kind for c in contacts)
    return [(k, counts[k]) for k in CONTACT_KINDS if counts[k]]


def contacts_line(found) -> str:
    """Return how many contacts a pair has, and of which kinds: "3 contacts: 1 meeting, 2 messages" (found: its
    (document id, contact)s, Archive.contacts)."""
    kinds = ", ".join(kind_count(kind, n) for kind, n in kind_counts(c for _, c in found))
    return plural(len(found), "contact") + (f": {kinds}" if kinds else "")


def kind_tag(kind: str) -> str:
    """Return the tag that names a contact's kind in the chronology."""
    return f'<span class="annals-contact annals-contact-{kind}">{KINDS[kind][0]}</span>'


def pair_title(archive: Archive, refs: Crossrefs, key: str) -> str:
    """Return the title of a pair's page: "Vladimir Putin and Ilham Aliyev"."""
    a, b = refs.pairs[key]
    return f"{archive.people[a].name} and {archive.people[b].name}"


def pair_contacts(key: str, archive: Archive, refs: Crossrefs) -> Found:
    """The contacts of a pair with their documents, oldest first (Archive.contacts)."""
    return [(refs.docs[d], c) for d, c in archive.contacts.get(key, ()) if d in refs.docs]


def render_pair(key: str, archive: Archive, refs: Crossrefs, lines: tuple[dict, dict] | None = None) -> str:
    """Render a pair's page: counts by kind and year, the chronology of their contacts, their turns where both
    speak, and the times they speak of (each contact's line and each time's taken from `lines` where it was
    made before for a document of the same fingerprint: render.common.remembered)."""
    page, pair = f"meetings/{key}.md", refs.pairs[key]
    found, dated = pair_contacts(key, archive, refs), pair_events(key, archive, refs)
    both = [d for d in (refs.docs.get(i) for i in archive.meetings.get(key, ())) if d and both_speak(d, refs, pair)]
    blocks = [f"# {md_text(pair_title(archive, refs, key))}", summary(page, archive, pair, found, len(dated))]
    if found:
        blocks += [legend(found), year_chart(page, found), "## Chronology { #contacts }",
                   "Each contact in the words that record it, oldest first, under its document."]
        blocks += chronology(page, found, pair, {d.id for d in both}, lines, archive.fingerprints)
    if both:
        blocks += ["## In their words { #turns }", "The documents in which both speak, with the first words of "
                   "each of their turns."]
        for doc in both:
            blocks += pair_document(page, doc, archive, refs, pair)
    blocks += pair_timeline(page, dated, archive, lines)
    return page_text(pair_title(archive, refs, key), blocks)


def summary(page: str, archive: Archive, pair: tuple[str, str], found: Found, dated: int) -> str:
    """Return the line under a pair's title: who, how many contacts in how many documents, from when to when."""
    people = " and ".join(f"[{md_text(archive.people[p].name)}]({link(page, f'people/{p}.md')})" for p in pair)
    line = f"{people}: no contact recorded"
    if found:
        first, last, docs = found[0][0].date, found[-1][0].date, len({d.id for d, _ in found})
        when = f"on {time_tag(first)}" if first == last else f"from {time_tag(first)} to {time_tag(last)}"
        line = f"{people}: {plural(len(found), 'contact')} in {plural(docs, 'document')}, {when}"
    if dated:
        line += f"; they speak of [{plural(dated, 'dated event')}](#timeline)"
    return line + ".\n{ .annals-summary }"


def legend(found: Found) -> str:
    """Return the counts by kind, each with the colour its bars have in the chart."""
    parts = [f'<span class="annals-contact-key annals-contact-{kind}" aria-hidden="true"></span> {kind_count(kind, n)}'
             for kind, n in kind_counts(c for _, c in found)]
    return " · ".join(parts) + "\n{ .annals-legend }"


def year_chart(page: str, found: Found) -> str:
    """Return a row per year from the first contact to the last: the year (linked to its timeline), a bar per
    kind drawn to one scale, the count; a run of years without contact is one row."""
    by_year: dict[int, list[Contact]] = collections.defaultdict(list)
    for doc, c in found:
        by_year[doc.year].append(c)
    top, rows, year = max(len(cs) for cs in by_year.values()), [], min(by_year)
    while year <= max(by_year):
        if year not in by_year:
            last = next(y for y in itertools.count(year) if y + 1 in by_year)
            gap = f"in {year}" if last == year else f"from {year} to {last}"
            rows.append(f'<li class="annals-pair-gap">No contact {gap}</li>')
            year = last + 1
            continue
        rows.append(year_row(page, year, by_year[year], top))
        year += 1
    return html_block('<ul class="annals-pair-years">\n' + "\n".join(rows) + "\n</ul>")


def year_row(page: str, year: int, contacts: list[Contact], top: int) -> str:
    """Return one year of the chart: its label, its bars (a span per kind, its width its share of the busiest
    year) and its count."""
    label = (f'<a href="{html_href(page, link(page, year_page(year)))}">{year}</a>' if has_page(year) else str(year))
    bars = "".join(f'<span class="annals-bar annals-contact-{kind}" style="width: {share(n, top)}" '
                   f'title="{year}: {kind_count(kind, n)}"></span>' for kind, n in kind_counts(contacts))
    kinds = ", ".join(kind_count(kind, n) for kind, n in kind_counts(contacts))
    return (f'<li id="y{year}"><span class="annals-pair-year">{label}</span> '
            f'<span class="annals-contact-bars" aria-hidden="true">{bars}</span> '
            f'<span class="annals-counts">{plural(len(contacts), "contact")}: {kinds}</span></li>')


def chronology(page: str, found: Found, pair: tuple[str, str], turns: set[str], lines: tuple[dict, dict] | None = None,
               fingerprints: dict[str, str] | None = None) -> list[str]:
    """Return the contacts grouped by document: all of them, and one tab per kind when there are several (each
    contact's line taken from `lines`, render.common.remembered)."""
    kinds = kind_counts(c for _, c in found)
    if len(kinds) == 1:
        return [contact_list(page, found, pair, turns, lines, fingerprints)]
    tabs = [("All", len(found), found)]
    tabs += [(KINDS[kind][1], n, [(d, c) for d, c in found if c.kind == kind]) for kind, n in kinds]
    # Only the marker that opens our HTML block needs the tab's indent: the plugin puts the block's placeholder
    # there before Python-Markdown reads the page (annals.plugin.on_page_markdown).
    return [f'=== "{title} ({n:,})"\n\n    {contact_list(page, subset, pair, turns, lines, fingerprints)}'
            for title, n, subset in tabs]


def contact_list(page: str, found: Found, pair: tuple[str, str], turns: set[str],
                 lines: tuple[dict, dict] | None = None, fingerprints: dict[str, str] | None = None) -> str:
    """Return contacts as a list: a document (its date and title, linked) over each of its contacts."""
    items = []
    for _, group in itertools.groupby(found, key=lambda dc: dc[0].id):
        group = list(group)
        doc = group[0][0]
        items.append(f"- {time_tag(doc.date)} · [{md_text(doc.title)}]({link(page, doc.page)})")
        items += [remembered(lines, fingerprints, doc.id, ("contact", c, doc.id in turns),
                             lambda doc=doc, c=c: f"    - {contact_line(page, doc, c, pair, doc.id in turns)}")
                  for _, c in group]
    return html_list(page, "\n".join(items))


def contact_line(page: str, doc: Document, c: Contact, pair: tuple[str, str], turns: bool) -> str:
    """Return one contact: its kind, and the words that record it, linked to their paragraph (a title's contact
    is told by the title above it; a transcript's, by the turns of both)."""
    p = doc.paragraphs[c.paragraph - 1] if 0 < c.paragraph <= len(doc.paragraphs) else None
    if p is None or p.n != c.paragraph:
        p = next((q for q in doc.paragraphs if q.n == c.paragraph), None)
    if p is None:
        return f"{kind_tag(c.kind)} told in the title"
    href = link(page, doc.page, p.anchor)
    if c.kind == "transcript" or c.start == c.end:
        their = f" · [their turns](#{doc.id})" if turns else ""
        return f"{kind_tag(c.kind)} both speak, from [¶ {p.n}]({href}){their}"
    return f"{kind_tag(c.kind)} “{quote(doc, p.text, c, pair)}” [¶ {p.n}]({href})"


def quote(doc: Document, text: str, c: Contact, pair: tuple[str, str]) -> str:
    """Return the words that record a contact, the names of the pair in them marked, cut down if long."""
    if not (0 <= c.start < c.end <= len(text)) or text[c.start:c.end] != c.text:
        return md_text(c.text)  # words not where the contact says: shown as they are, unmarked
    names = [(m.start, m.end) for m in doc.mentions if m.paragraph == c.paragraph and m.type == "person"
             and m.entity in pair and c.start <= m.start and m.end <= c.end]
    lo, hi = window(text, (c.start, c.end), names[0][0] if names else c.start,
                    names[-1][1] if names else c.start)
    shown = [(s - lo, e - lo) for s, e in names if lo <= s and e <= hi]
    return ("… " if lo > c.start else "") + marked_text(text[lo:hi], shown) + (" …" if hi < c.end else "")


def both_speak(doc: Document, refs: Crossrefs, pair: tuple[str, str]) -> bool:
    """Tell whether both people of a pair have turns in a document."""
    return all((doc.id, p) in refs.spoken for p in pair)


def pair_document(page: str, doc: Document, archive: Archive, refs: Crossrefs, pair: tuple[str, str]) -> list[str]:
    """Return one document in which both speak: heading, place, and the first words of each of their turns."""
    blocks = [f"### {time_tag(doc.date, doc.time)} · [{md_text(doc.title)}]({link(page, doc.page)}) "
              f"{{ #{doc.id} }}"]
    if doc.place and clean_text(doc.place):
        blocks.append(md_text(doc.place) + "\n{ .annals-meta }")
    turns = [t for t in refs.turns[doc.id] if t.speaker in pair]
    items = [f"- {badge(t.key, display_name(archive, doc, t.speaker))} "
             f"{md_text(display_name(archive, doc, t.speaker))}: "
             f"[{first_words(t)}]({link(page, doc.page, t.paragraphs[0].anchor)})" for t in turns]
    return blocks + ([html_list(page, "\n".join(items))] if items else [])
