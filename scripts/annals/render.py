"""Render the archive as Markdown pages: pure functions from the model to page text.

Every string that comes from a source goes through annals.markup (md_text,
rich_text, html_text, url_attr); everything else on the page is our own markup.
"""
from __future__ import annotations

import collections
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annals.errors import AnnalsError, Problem
from annals.markup import (MONTHS, badge, clean_text, colour_class, format_date, front_matter, md_text, plural,
                           rich_text, time_tag, url_attr)
from annals.model import Document, Paragraph, Person

if TYPE_CHECKING:
    from annals.index import Archive

PAGE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*", re.ASCII)
LATEST = 10
FIRST_WORDS = 12
NO_SEARCH = {"search": {"exclude": True}}


@dataclass(frozen=True)
class Turn:
    """One speaker's run of paragraphs: the one that opens it and those that continue it."""

    key: str  # person id, or "label:<label>" for an unresolved speaker
    speaker: str | None
    label: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)


def split_turns(doc: Document) -> tuple[Turn, ...]:
    """Group a document's speech paragraphs into turns; narration belongs to none."""
    turns: list[Turn] = []
    current: list[Paragraph] = []
    for p in doc.paragraphs:
        speech = p.speaker is not None or p.turn is not None
        opens = speech and (p.label is not None or not current
                            or (current[-1].speaker, current[-1].turn) != (p.speaker, p.turn))
        if current and (opens or not speech):
            turns.append(make_turn(doc, current))
            current = []
        if speech:
            current.append(p)
    if current:
        turns.append(make_turn(doc, current))
    return tuple(turns)


def make_turn(doc: Document, paragraphs: list[Paragraph]) -> Turn:
    """Make a Turn from its paragraphs, naming it by the label as written."""
    first = paragraphs[0]
    speaker = doc.speaker(first.speaker)
    label = first.label or first.turn or (speaker.name if speaker else first.speaker) or ""
    key = first.speaker or f"label:{label}"
    return Turn(key, first.speaker, label, tuple(paragraphs))


def link(from_page: str, to_page: str, anchor: str = "") -> str:
    """Return the relative link from one generated page to another (both relative to docs/)."""
    target = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return f"{target}#{anchor}" if anchor else target


def person_page(person_id: str) -> str:
    """Return the page of a person, relative to docs/."""
    return f"people/{person_id}.md"


def display_name(archive: Archive, doc: Document | None, speaker_id: str) -> str:
    """Return the canonical name of a speaker: the archive's, else the document's, else the id."""
    if speaker_id in archive.people:
        return archive.people[speaker_id].name
    speaker = doc.speaker(speaker_id) if doc else None
    return speaker.name if speaker else speaker_id


def speaker_link(archive: Archive, page: str, speaker_id: str | None, text: str) -> str:
    """Return text linked to the speaker's page when they have one."""
    if speaker_id in archive.people:
        return f"[{md_text(text)}]({link(page, person_page(speaker_id))})"
    return md_text(text)


# Document pages


def render_document(doc: Document, archive: Archive, turns: tuple[Turn, ...]) -> str:
    """Render one document: heading, date and source, who speaks, then the text."""
    blocks = [f"# {md_text(doc.title)}", document_meta(doc) + "\n{ .annals-meta }"]
    if doc.speakers:
        blocks.append(document_speakers(doc, archive) + "\n{ .annals-speakers }")
    blocks += document_body(doc, archive, turns)
    return page_text(doc.title, blocks)


def document_meta(doc: Document) -> str:
    """Return the line under the title: date and time, place, tags, source and data links."""
    parts = [time_tag(doc.date, doc.time)]
    if doc.place and clean_text(doc.place):
        parts.append(md_text(doc.place))
    tags = [md_text(t) for t in doc.tags if clean_text(t)]
    if tags:
        parts.append('<span class="annals-tags">' + ", ".join(tags) + "</span>")
    url = url_attr(doc.source_url)
    if url:
        parts.append(f'<a href="{url}" rel="noopener">Source</a>')
    parts.append(f"[Data (JSON)]({link(doc.page, f'data/documents/{doc.id}.json')})")
    return " · ".join(parts)


def document_speakers(doc: Document, archive: Archive) -> str:
    """Return the line naming who speaks, each with badge, link and roles written in the document."""
    items = []
    for s in doc.speakers:
        name = display_name(archive, doc, s.id)
        item = f"{badge(s.id, name)} {speaker_link(archive, doc.page, s.id, name)}"
        roles = [md_text(r) for r in s.roles if clean_text(r)]
        items.append(item + (f" ({'; '.join(roles)})" if roles else ""))
    return "Speakers: " + ", ".join(items)


def document_body(doc: Document, archive: Archive, turns: tuple[Turn, ...]) -> list[str]:
    """Return the paragraphs as blocks, with a rule where the section changes."""
    turn_of = {p.n: t for t in turns for p in t.paragraphs}
    blocks, section = [], None
    for p in doc.paragraphs:
        if section is not None and p.section != section:
            blocks.append("---")
        section = p.section
        blocks.append(render_paragraph(doc, archive, p, turn_of.get(p.n)))
    return blocks


def render_paragraph(doc: Document, archive: Archive, p: Paragraph, turn: Turn | None) -> str:
    """Render one paragraph with its id, classes and permalink; a turn's first names its speaker."""
    text = rich_text(p.text)
    pilcrow = f'[¶](#{p.anchor}){{ .annals-pilcrow title="Link to this paragraph" }}'
    if turn is None:
        return f"{text} {pilcrow}\n{{ #{p.anchor} .annals-narration }}"
    colour = colour_class(turn.key)
    if p.n != turn.paragraphs[0].n:
        return f"{text} {pilcrow}\n{{ #{p.anchor} .annals-turn .annals-cont .{colour} }}"
    name = display_name(archive, doc, turn.speaker) if turn.speaker else turn.label
    who = f"{badge(turn.key, name)} {speaker_link(archive, doc.page, turn.speaker, turn.label)}:"
    return (f'<span class="annals-speaker">{who}</span> {text} {pilcrow}\n'
            f"{{ #{p.anchor} .annals-turn .{colour} }}")


# Person pages


def render_person(person: Person, archive: Archive, docs: dict[str, Document],
                  turns: dict[str, tuple[Turn, ...]]) -> str:
    """Render one person: summary, roles, documents with counts, and every turn linked."""
    page = person_page(person.id)
    spoken = [(docs[d], [t for t in turns[d] if t.speaker == person.id]) for d in person.documents if d in docs]
    blocks = [f"# {md_text(person.name)}", person_summary(person, spoken) + "\n{ .annals-summary }"]
    aliases = [md_text(a) for a in person.aliases if clean_text(a)]
    if aliases:
        blocks.append("Also written as: " + "; ".join(aliases))
    if clean_text(person.description):
        blocks.append(md_text(person.description))
    blocks += person_roles(person, page, [d for d, _ in spoken])
    if spoken:
        blocks += ["## Documents", person_table(page, spoken), "## What they said"]
        blocks += [block for doc, ts in spoken for block in person_turns(page, doc, ts)]
    return page_text(person.name, blocks)


def person_summary(person: Person, spoken: list[tuple[Document, list[Turn]]]) -> str:
    """Return the line under a person's name: badge, kind and totals."""
    kind = "Role" if person.kind == "role" else "Person"
    all_turns = [t for _, ts in spoken for t in ts]
    counts = [plural(len(spoken), "document"), plural(len(all_turns), "turn"),
              plural(sum(t.words for t in all_turns), "word")]
    return f"{badge(person.id, person.name)} {kind} · " + " · ".join(counts)


def person_roles(person: Person, page: str, docs: list[Document]) -> list[str]:
    """Return the roles section: each role with the documents that give it, newest first."""
    roles: dict[str, list[Document]] = {clean_text(r): [] for r in person.registry_roles if clean_text(r)}
    for doc in docs:
        speaker = doc.speaker(person.id)
        for role in (clean_text(r) for r in (speaker.roles if speaker else ())):
            if role and doc not in roles.setdefault(role, []):
                roles[role].append(doc)
    if not roles:
        return []
    items = []
    for role, where in roles.items():
        dates = ", ".join(f"[{format_date(d.date)}]({link(page, d.page)})" for d in where)
        items.append(f"- {md_text(role)}" + (f": {dates}" if dates else ""))
    return ["## Roles", "\n".join(items)]


def person_table(page: str, spoken: list[tuple[Document, list[Turn]]]) -> str:
    """Return the table of documents with turns and words for each, and the totals."""
    rows = ["| Date | Document | Turns | Words |", "| --- | --- | ---: | ---: |"]
    for doc, ts in spoken:
        title = f"[{md_text(doc.title)}]({link(page, doc.page)})"
        rows.append(f"| {time_tag(doc.date)} | {title} | {len(ts):,} | {sum(t.words for t in ts):,} |")
    n_turns = sum(len(ts) for _, ts in spoken)
    n_words = sum(t.words for _, ts in spoken for t in ts)
    rows.append(f"| Total | {plural(len(spoken), 'document')} | {n_turns:,} | {n_words:,} |")
    return "\n".join(rows)


def person_turns(page: str, doc: Document, ts: list[Turn]) -> list[str]:
    """Return a heading for one document and the list of the person's turns in it."""
    heading = f"### {time_tag(doc.date)} · [{md_text(doc.title)}]({link(page, doc.page)}) {{ #{doc.id} }}"
    items = [f"- [{first_words(t)}]({link(page, doc.page, t.paragraphs[0].anchor)})" for t in ts]
    return [heading, "\n".join(items)] if items else [heading]


def first_words(turn: Turn) -> str:
    """Return the opening words of a turn as link text."""
    words = clean_text(turn.paragraphs[0].text).split(" ")
    if not words[0]:
        return f"Paragraph {turn.paragraphs[0].n}"
    more = len(words) > FIRST_WORDS or len(turn.paragraphs) > 1
    return md_text(" ".join(words[:FIRST_WORDS])) + (" …" if more else "")


# Indexes


def render_people(archive: Archive) -> str:
    """Render the register of people, A to Z by surname, with roles listed apart."""
    people = [p for p in archive.people.values() if p.kind != "role"]
    roles = sorted((p for p in archive.people.values() if p.kind == "role"), key=name_key)
    groups: dict[str, list[Person]] = collections.defaultdict(list)
    for p in sorted(people, key=surname_key):
        groups[letter(p)].append(p)
    order = sorted(groups, key=lambda g: (g == "#", g))
    jumps = [f"[{md_text(g)}](#{letter_id(g)})" for g in order] + (["[Roles](#roles)"] if roles else [])
    blocks = ["# People", " · ".join(jumps)] if jumps else ["# People", "No one speaks in the archive yet."]
    for g in order:
        blocks += [f"## {md_text(g)} {{ #{letter_id(g)} }}", person_list(groups[g])]
    if roles:
        blocks += ["## Roles { #roles }", "Speakers known only by a role, such as a moderator.", person_list(roles)]
    return page_text("People", blocks)


def person_list(people: list[Person]) -> str:
    """Return a list of people with badge, link and number of documents."""
    return "\n".join(f"- {badge(p.id, p.name)} [{md_text(p.name)}]({p.id}.md) · "
                     f"{plural(len(p.documents), 'document')}" for p in people)


def surname(person: Person) -> str:
    """Return the word a person is filed under: the last word of the name."""
    words = clean_text(person.name).split(" ")
    return words[-1] if words[-1] else person.id


def fold(s: str) -> str:
    """Return text without accents, case-folded, for sorting and filing."""
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def surname_key(person: Person) -> tuple[str, str, str]:
    """Sort key: surname, then full name, then id."""
    return fold(surname(person)), fold(person.name), person.id


def name_key(person: Person) -> tuple[str, str]:
    """Sort key: name, then id."""
    return fold(person.name), person.id


def letter(person: Person) -> str:
    """Return the letter a person is filed under ('#' when it is not a letter)."""
    first = fold(surname(person))[:1]
    upper = first.upper()
    if first.isalpha():
        return upper if len(upper) == 1 else first
    return "#"


def letter_id(group: str) -> str:
    """Return the anchor of a letter group."""
    if group == "#":
        return "letter-other"
    return f"letter-{group.lower()}" if group.isascii() else f"letter-u{ord(group[0]):04x}"


def render_documents(archive: Archive) -> str:
    """Render the list of all documents, newest first, grouped by year."""
    page, blocks = "documents/index.md", ["# Documents"]
    if not archive.documents:
        blocks.append("The archive holds no documents yet.")
    for year, docs in by_year(archive.documents).items():
        blocks += [f"## [{year}]({year}/index.md)", document_list(archive, page, docs)]
    return page_text("Documents", blocks, NO_SEARCH)


def render_year(archive: Archive, year: int, docs: list[Document], years: list[int]) -> str:
    """Render the documents of one year, newest first."""
    page = f"documents/{year}/index.md"
    blocks = [f"# Documents of {year}", plural(len(docs), "document") + " · [All years](../index.md)",
              document_list(archive, page, docs)]
    others = [f"[{y}](../{y}/index.md)" for y in years if y != year]
    if others:
        blocks.append("Other years: " + " · ".join(others))
    return page_text(f"Documents of {year}", blocks, NO_SEARCH)


def document_list(archive: Archive, page: str, docs: list[Document]) -> str:
    """Return a list of documents: date, linked title, who speaks."""
    items = []
    for doc in docs:
        names = ", ".join(md_text(display_name(archive, doc, s.id)) for s in doc.speakers)
        item = f"- {time_tag(doc.date)} · [{md_text(doc.title)}]({link(page, doc.page)})"
        items.append(item + (f" · {names}" if names else ""))
    return "\n".join(items)


def by_year(documents: tuple[Document, ...]) -> dict[int, list[Document]]:
    """Group documents by year, newest year first, keeping their order within a year."""
    groups: dict[int, list[Document]] = collections.defaultdict(list)
    for doc in documents:
        groups[doc.year].append(doc)
    return {y: groups[y] for y in sorted(groups, reverse=True)}


def render_timeline(archive: Archive) -> str:
    """Render the timeline: years, and in each the months with their documents."""
    page, blocks = "timeline/index.md", ["# Timeline"]
    if not archive.documents:
        blocks.append("The archive holds no documents yet.")
    for year, docs in by_year(archive.documents).items():
        blocks.append(f"## {year} {{ #y{year} }}")
        months: dict[int, list[Document]] = collections.defaultdict(list)
        for doc in docs:
            months[doc.date.month].append(doc)
        for month in sorted(months, reverse=True):
            blocks.append(f"### {MONTHS[month - 1]} {year} {{ #m{year}-{month:02d} }}")
            blocks.append("\n".join(f"- {time_tag(d.date, year=False)} · [{md_text(d.title)}]({link(page, d.page)})"
                                    for d in months[month]))
    return page_text("Timeline", blocks, NO_SEARCH)


def render_home(archive: Archive) -> str:
    """Render the home page: what the archive holds, the latest documents, where to search."""
    docs = archive.documents
    people = sum(1 for p in archive.people.values() if p.kind != "role")
    paragraphs = sum(len(d.paragraphs) for d in docs)
    blocks = ["# Annals", "Official records of meetings and conversations, paragraph by paragraph, "
              "with every speaker identified."]
    if docs:
        first, last = min(d.date for d in docs), max(d.date for d in docs)
        speak = "1 person speaks" if people == 1 else f"{people:,} people speak"
        blocks.append(f"The archive holds {plural(len(docs), 'document')} with {plural(paragraphs, 'paragraph')}, "
                      f"in which {speak}, from {time_tag(first)} to {time_tag(last)}.")
    blocks.append('<label class="annals-search-link" for="__search">Search the archive</label> (on any page, '
                  "press <kbd>/</kbd>) or browse the [documents](documents/index.md), [people](people/index.md) "
                  "and [timeline](timeline/index.md).")
    if docs:
        blocks += ["## Latest documents", document_list(archive, "index.md", list(docs[:LATEST]))]
    return page_text("Annals", blocks)


# The site


def page_text(title: str, blocks: list[str], meta: dict | None = None) -> str:
    """Join blocks into a page under its front matter."""
    return front_matter(title, **(meta or {})) + "\n" + "\n\n".join(blocks) + "\n"


def check_ids(archive: Archive) -> None:
    """Refuse ids that cannot safely name a page (they become paths and links)."""
    problems = [Problem(d.source, d.title_line, f"document id {d.id!r} cannot name a page",
                        "ids are ASCII letters, digits, '-' and '_'") for d in archive.documents if not is_page_id(d.id)]
    problems += [Problem("people", 0, f"person id {p!r} cannot name a page",
                         "ids are ASCII letters, digits, '-' and '_', and not 'index'")
                 for p in sorted(archive.people) if not is_page_id(p)]
    if problems:
        raise AnnalsError(problems)


def is_page_id(s: str) -> bool:
    """Tell whether an id is safe as a file name, a link and an anchor."""
    return bool(PAGE_ID.fullmatch(s)) and s != "index"


def render_site(archive: Archive) -> dict[str, str]:
    """Render every page of the archive: source path relative to docs/ -> Markdown text."""
    check_ids(archive)
    docs = {d.id: d for d in archive.documents}
    turns = {d.id: split_turns(d) for d in archive.documents}
    years = list(by_year(archive.documents))
    pages = {"index.md": render_home(archive), "documents/index.md": render_documents(archive),
             "people/index.md": render_people(archive), "timeline/index.md": render_timeline(archive)}
    for year, year_docs in by_year(archive.documents).items():
        pages[f"documents/{year}/index.md"] = render_year(archive, year, year_docs, years)
    for doc in archive.documents:
        pages[doc.page] = render_document(doc, archive, turns[doc.id])
    for person in archive.people.values():
        pages[person_page(person.id)] = render_person(person, archive, docs, turns)
    return dict(sorted(pages.items()))
