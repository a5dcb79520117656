"""What the pages need to know about each other, gathered once before any page is rendered."""
from __future__ import annotations

import collections
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annals.model import Document, Event, Mention, Paragraph, Person, Turn, split_turns
from annals.render.common import fold
from annals.render.text import Glossary, quoted_sentence

if TYPE_CHECKING:
    from annals.index import Archive


@dataclass(frozen=True, eq=False)
class Dated:
    """An event the text of a document mentions, with its paragraph and its sentence (Markdown, words marked)."""

    doc: Document
    event: Event
    paragraph: Paragraph

    @functools.cached_property
    def quote(self) -> str:
        """The sentence that says the event, its words marked: made when a page shows it (most pages of a build
        are taken from the last one, and need none)."""
        return quoted_sentence(self.paragraph.text, self.event.start, self.event.end)

    @property
    def key(self) -> tuple:
        """Sort key: when it starts, the wider precision first, then where it is said."""
        e = self.event
        return e.first, e.when, self.doc.date, self.doc.id, e.paragraph, e.start, e.end


@dataclass(frozen=True)
class Crossrefs:
    """Documents, turns and mentions indexed by id and entity key, for every page to look up."""

    docs: dict[str, Document]
    turns: dict[str, tuple[Turn, ...]]  # document id -> turns
    pages: dict[str, str]  # entity key -> its page, for every entity that has one
    mentions: dict[str, list[tuple[Document, Mention]]]  # entity key -> mentions, newest document first
    counts: dict[str, int]  # entity key -> number of documents that mention it or where it speaks
    pairs: dict[str, tuple[str, str]]  # pair key -> its two person ids, the one with more documents first
    partners: dict[str, list[tuple[str, str]]]  # person id -> (pair key, other person id), most contacts first
    glossary: Glossary
    dated: dict[str, list[Dated]]  # document id -> its events, in the order of the text
    said: dict[str, list[Dated]]  # person id -> the events in their words, in time order
    timeline: dict | None = None  # render.timeline.gather_timeline's years -> months -> entries, once gathered
    index: dict | None = None  # render.pages.make_index_pages: the index pages' paths -> how to render each

    @functools.cached_property
    def spoken(self) -> dict[tuple[str, str], list[Turn]]:
        """Each speaker's turns in each document, (document id, speaker id) -> turns: a person page looks up
        its own, where a look through every turn of a document of 4,000 speakers took seconds for each."""
        found: dict[tuple[str, str], list[Turn]] = collections.defaultdict(list)
        for doc_id, turns in self.turns.items():
            for t in turns:
                found[doc_id, t.speaker].append(t)
        return dict(found)


def cross_index(archive: Archive) -> Crossrefs:
    """Index the archive once: documents, turns, entity pages, mentions by entity, meetings by person."""
    mentions: dict[str, list[tuple[Document, Mention]]] = collections.defaultdict(list)
    involved: dict[str, set[str]] = collections.defaultdict(set)
    for doc in archive.documents:
        for m in doc.mentions:
            mentions[m.key].append((doc, m))
            involved[m.key].add(doc.id)
    for person in archive.people.values():
        involved[f"person:{person.id}"].update(person.documents)
    pairs = {key: pair for key in archive.meetings if (pair := split_pair(key, archive)) is not None}
    dated = {d.id: dated_events(d) for d in archive.documents if d.events}
    return Crossrefs(
        docs={d.id: d for d in archive.documents}, turns={d.id: split_turns(d) for d in archive.documents},
        pages=entity_pages(archive), mentions=dict(mentions), counts={k: len(v) for k, v in involved.items()},
        pairs=pairs, partners=partners_of(archive, pairs), glossary=Glossary(archive.glossary),
        dated=dated, said=said_by(dated, archive.people))


def dated_events(doc: Document) -> list[Dated]:
    """The events of a document with their paragraphs and sentences (events of no paragraph are left out)."""
    paragraphs, found = {p.n: p for p in doc.paragraphs}, []
    for e in doc.events:
        p = paragraphs.get(e.paragraph)
        if p is not None:
            found.append(Dated(doc, e, p))
    return found


def said_by(dated: dict[str, list[Dated]], people: dict[str, Person]) -> dict[str, list[Dated]]:
    """The events in each person's words, in time order (an anonymous role's words are nobody's across documents)."""
    said: dict[str, list[Dated]] = collections.defaultdict(list)
    for found in dated.values():
        for d in found:
            if d.paragraph.speaker in people:
                said[d.paragraph.speaker].append(d)
    return {k: sorted(v, key=lambda d: d.key) for k, v in said.items()}


def entity_pages(archive: Archive) -> dict[str, str]:
    """The page of each entity that has one: people in archive.people, other entities their own."""
    pages = {f"person:{pid}": f"people/{pid}.md" for pid in archive.people}
    pages.update({key: e.page for key, e in archive.entities.items() if e.type != "person"})
    return pages


def split_pair(key: str, archive: Archive) -> tuple[str, str] | None:
    """Return the two people of a pair key ("a--b"), the one in more documents first; None if unknown."""
    for at in range(len(key)):
        a, b = key[:at], key[at + 2:]
        if key[at:at + 2] == "--" and a in archive.people and b in archive.people:
            return tuple(sorted((a, b), key=lambda p: prominence(archive, p)))
    return None


def prominence(archive: Archive, person_id: str) -> tuple[int, str, str]:
    """Sort key: more documents spoken in first, then by name."""
    person = archive.people[person_id]
    return -len(person.documents), fold(person.name), person_id


def partners_of(archive: Archive, pairs: dict[str, tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """For each person, the pairs they belong to and the other person, most contacts first."""
    partners: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for key, (a, b) in pairs.items():
        partners[a].append((key, b))
        partners[b].append((key, a))
    for found in partners.values():
        found.sort(key=lambda kb: (-len(archive.contacts.get(kb[0], ())), fold(archive.people[kb[1]].name), kb[1]))
    return dict(partners)
