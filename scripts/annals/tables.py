"""CSV tables of the whole archive: every paragraph spoken or narrated, every document, every entity, every
contact between people.

UTF-8 without a byte-order mark, comma-separated, a header row, fields quoted where they hold a comma, a
quote or a line break, lines ended by CRLF (RFC 4180, as Python's csv module writes it).
"""
from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from annals.model import name_of, split_turns, turn_numbers

if TYPE_CHECKING:
    from annals.index import Archive

# The columns of each table, with what each holds: the Data page documents them from here.
UTTERANCES = {
    "document": "the document's id (its page is /documents/<year>/<id>/)",
    "date": "the document's date, YYYY-MM-DD",
    "paragraph": "the paragraph's anchor on the page and in the TEI (p1, p2 ...): cite it as <page>#p5",
    "n": "the paragraph's number in the document",
    "turn": "the number of the turn of speech it belongs to (u1, u2 ... in the TEI); empty for narration",
    "speaker": "the speaker's id (a person's page is /people/<id>/; an anonymous role such as Question has an id "
               "in its document alone, and no page); empty for narration or an unknown speaker",
    "speaker_name": "the speaker's name",
    "role": "the roles the document gives the speaker, separated by '; '",
    "label": "the speaker's label as the text writes it, on the paragraph that opens a turn",
    "text": "the paragraph's text, exactly as on the page and in the JSON",
}
DOCUMENTS = {
    "id": "the document's id",
    "date": "its date, YYYY-MM-DD",
    "time": "the clock time the text gives, as written; empty if none",
    "title": "its title",
    "place": "the place line of the text, as written",
    "url": "its page, relative to the site's root",
    "source": "the source file, relative to the sources folder",
    "source_url": "where the text was published, as its front matter gives it",
    "original_url": "the address of the original: source_url, else made from the file name by its publisher's rule",
    "publisher": "who published it (registry/publishers.yml), where known",
    "retrieved": "when it was taken from there, YYYY-MM-DD",
    "sha256": "the SHA-256 of the source file's bytes",
    "licence": "the licence of the text, as its publisher gives it, where recorded",
    "speakers": "the ids of the people who speak in it, separated by '; ' (anonymous roles such as Question are "
                "no people: utterances.csv has their turns)",
    "paragraphs": "its number of paragraphs",
    "turns": "its number of turns of speech",
}
ENTITIES = {
    "type": "person, place, organization or topic",
    "id": "the entity's id within its type (its page is /<people|places|organizations|topics>/<id>/)",
    "name": "its name",
    "aliases": "other names the texts use, separated by '; '",
    "description": "a description, where the registry gives one",
    "origin": "where it is known from: registry, speakers, pycountry, geonames, place line or tags",
    "url": "its page, relative to the site's root",
    "documents": "the number of documents that name it or in which it speaks",
}
CONTACTS = {
    "document": "the document's id (its page is /documents/<year>/<id>/)",
    "date": "the document's date, YYYY-MM-DD: the contact is dated by it",
    "kind": "how: meeting, talks, telephone (a telephone conversation), message (greetings, congratulations, "
            "condolences, a letter), summit (a multilateral event both took part in) or transcript (both speak in "
            "the text)",
    "people": "the ids of the people in contact, sorted, separated by '; ' (a person's page is /people/<id>/); "
              "a contact of three or more (a summit) is one row",
    "names": "their names, in the same order, separated by '; '",
    "paragraph": "the number of the paragraph whose words record it; 0 for the title",
    "anchor": "that paragraph's anchor on the page and in the TEI (p1, p2 ...): cite it as <page>#p5; empty for "
              "the title",
    "text": "the words that record it (its sentence); for a transcript, the label of the turn where the second "
            "of them first speaks",
}


def table(columns: dict[str, str] | None, rows) -> str:
    """Write a header (none for None) and rows as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    if columns is not None:
        writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def utterances_csv(archive: Archive, known: dict[str, str] | None = None) -> str:
    """Every paragraph of every document, newest document first, in reading order within each. `known`, where
    given, holds the rows of documents by their fingerprints (Archive.fingerprints: equal fingerprints, equal
    documents, equal rows), as this fills it: those found there are not written again."""
    known = {} if known is None else known
    parts = [table(UTTERANCES, ())]
    for doc in archive.documents:
        fingerprint = archive.fingerprints.get(doc.id)
        rows = known.get(fingerprint) if fingerprint else None
        if rows is None:
            rows = table(None, utterance_rows(doc))
            if fingerprint:
                known[fingerprint] = rows
        parts.append(rows)
    return "".join(parts)


def utterance_rows(doc):
    turn_of = turn_numbers(doc)
    speakers = {s.id: s for s in doc.speakers}
    date = doc.date.isoformat()
    for p in doc.paragraphs:
        s = speakers.get(p.speaker)
        yield (doc.id, date, p.anchor, p.n, turn_of.get(p.n, ""), p.speaker or "", s.name if s else "",
               "; ".join(s.roles) if s else "", p.label or "", p.text)


def documents_csv(archive: Archive) -> str:
    """One row per document, newest first."""
    rows = []
    for d in archive.documents:
        publisher = archive.publisher(d)
        rows.append((d.id, d.date.isoformat(), d.time or "", d.title, d.place or "", d.url, d.source,
                     d.source_url or "", d.original_url or "", publisher.name if publisher else "",
                     d.retrieved or "", d.sha256, publisher.licence if publisher else "",
                     "; ".join(s.id for s in d.speakers if s.kind == "person"), len(d.paragraphs),
                     len(split_turns(d))))
    return table(DOCUMENTS, rows)


def contacts_csv(archive: Archive) -> str:
    """One row per contact, newest document first, in the order of the text within each."""
    names = {k: e.name for k, e in archive.entities.items() if e.type == "person"}
    rows = [(d.id, d.date.isoformat(), c.kind, "; ".join(c.people),
             "; ".join(name_of(p, names, archive.people) for p in c.people), c.paragraph,
             f"p{c.paragraph}" if c.paragraph else "", c.text)
            for d in archive.documents for c in d.contacts]
    return table(CONTACTS, rows)


def entities_csv(archive: Archive, counts: dict[str, int]) -> str:
    """One row per entity, by type and id."""
    rows = [(e.type, e.id, e.name, "; ".join(e.aliases), e.description, e.origin, e.url, counts.get(k, 0))
            for k, e in archive.entities.items()]
    return table(ENTITIES, rows)
