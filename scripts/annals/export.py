"""The data export: one `annals.document/1` JSON object per document."""
from __future__ import annotations

import json
from pathlib import Path

from annals.model import Contact, Document, Entity, Event, Person, Publisher, Speaker, name_of, turn_numbers
from annals.offices import Holding, Office
from annals.parallel import fork_map

SCHEMA = "annals.document/1"
SCHEMA_FILE = Path(__file__).parent / "schemas" / "annals.document-1.schema.json"
SCHEMA_PATH = "data/annals.document-1.schema.json"  # where the site publishes it


def document_json(doc: Document, entities: dict[str, Entity] | None = None, publisher: Publisher | None = None,
                  held: dict[str, tuple[tuple[Office, Holding], ...]] | None = None,
                  people: dict[str, Person] | None = None) -> dict:
    """The export of one document, in the form of annals/schemas/annals.document-1.schema.json; `held` gives
    each person's offices (Archive.held), `people` the names of the people in its contacts (Archive.people)."""
    names = {k: e.name for k, e in (entities or {}).items()}
    turn_of, named = turn_numbers(doc), named_by_paragraph(doc)
    return {
        "schema": SCHEMA,
        "id": doc.id,
        "url": doc.url,
        "source": doc.source,
        "source_url": doc.source_url,
        "original_url": doc.original_url,
        "retrieved": doc.retrieved,
        "sha256": doc.sha256,
        "publisher": publisher_json(publisher),
        "licence": licence_json(publisher),
        "title": doc.title,
        "date": doc.date.isoformat(),
        "time": doc.time,
        "place": doc.place,
        "language": doc.language,
        "tags": list(doc.tags),
        "speakers": [speaker_json(doc, s, held or {}) for s in doc.speakers],
        "mentions": [{"paragraph": m.paragraph, "start": m.start, "end": m.end, "entity": m.entity, "type": m.type,
                      "name": names.get(m.key, m.text), "text": m.text} for m in doc.mentions],
        "events": [event_json(doc, e, named) for e in doc.events],
        "contacts": [contact_json(c, names, people or {}) for c in doc.contacts],
        "paragraphs": [{"n": p.n, "anchor": p.anchor, "line": p.line, "speaker": p.speaker, "label": p.label,
                        "turn": turn_of.get(p.n), "text": p.text} for p in doc.paragraphs],
    }


def speaker_json(doc: Document, s: Speaker, held: dict[str, tuple[tuple[Office, Holding], ...]]) -> dict:
    """One speaker of a document: a person, or an anonymous role ("Question") known in this document alone;
    a person's offices are those held on the document's date."""
    offices = [{"office": o.name, "from": h.start.isoformat(), "to": h.end.isoformat() if h.end else None}
               for o, h in (held.get(s.id, ()) if s.kind == "person" else ()) if h.holds_on(doc.date)]
    return {"id": s.id, "name": s.name, "kind": s.kind, "labels": list(s.labels), "roles": list(s.roles),
            "offices": offices}


def contact_json(c: Contact, names: dict[str, str], people: dict[str, Person]) -> dict:
    """One contact the document records: its kind, the people (ids and names, in the same order), and the words
    that record it, text[start:end] of paragraph `paragraph` (0: the title)."""
    return {"kind": c.kind, "people": list(c.people), "names": [name_of(p, names, people) for p in c.people],
            "paragraph": c.paragraph, "start": c.start, "end": c.end, "text": c.text}


def publisher_json(publisher: Publisher | None) -> dict | None:
    """Who published the text: name, website, credit and the office it speaks for."""
    if publisher is None:
        return None
    return {"id": publisher.id, "name": publisher.name, "site": publisher.site, "home": publisher.home,
            "credit": publisher.credit, "office": publisher.office}


def licence_json(publisher: Publisher | None) -> dict | None:
    """The licence of the text, as its publisher gives it; None when not recorded."""
    if publisher is None or not publisher.licence:
        return None
    return {"name": publisher.licence, "url": publisher.licence_url, "attribution": publisher.credit}


def dumps(data: dict) -> str:
    """Serialise export data deterministically, compact: one line, keys sorted.

    Without `indent`, the json module uses its C encoder, ten times faster: at 10,000 documents the
    indented form cost more than parsing them (annals bench stages).
    """
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def entities_json(entities: dict[str, Entity], counts: dict[str, int]) -> dict:
    """site/data/entities.json: every entity with its type, name, aliases, page and number of documents."""
    return {"schema": "annals.entities/1", "entities": [
        {"type": e.type, "id": e.id, "name": e.name, "aliases": list(e.aliases), "description": e.description,
         "origin": e.origin, "url": e.url, "documents": counts.get(k, 0)} for k, e in entities.items()]}


def event_json(doc: Document, e: Event, named: dict[int, tuple[list[str], list[str]]]) -> dict:
    """One event of a document: when, the words, the sentence, and who and where of its paragraph (named:
    named_by_paragraph of the document)."""
    p = doc.paragraphs[e.paragraph - 1]
    people, places = named.get(e.paragraph, ([], []))
    return {"paragraph": e.paragraph, "anchor": p.anchor, "start": e.start, "end": e.end, "when": e.when,
            "text": e.text, "kind": e.kind, "sentence": e.sentence, "speaker": p.speaker,
            "people": list(people), "places": list(places)}


def named_by_paragraph(doc: Document) -> dict[int, tuple[list[str], list[str]]]:
    """The people and places each paragraph names, sorted: found once for all the events of a paragraph (a
    paragraph may date thousands of days and name thousands of places)."""
    found: dict[int, tuple[set[str], set[str]]] = {}
    for m in doc.mentions:
        people, places = found.setdefault(m.paragraph, (set(), set()))
        if m.type in ("person", "place"):
            (people if m.type == "person" else places).add(m.entity)
    return {n: (sorted(people), sorted(places)) for n, (people, places) in found.items()}


def timeline_json(documents) -> dict:
    """site/data/timeline.json: every document by its date and every event the texts date, in time order."""
    entries = [{"when": d.date.isoformat(), "type": "document", "document": d.id, "url": d.url, "title": d.title}
               for d in documents]
    for d in documents:
        named = named_by_paragraph(d)
        for e in d.events:
            entries.append({"when": e.when, "type": "event", "document": d.id,
                            "url": f"{d.url}#p{e.paragraph}", **event_json(d, e, named)})
    entries.sort(key=lambda x: (x["when"].split("/")[0], x["type"], x["document"], x.get("paragraph", 0),
                                x.get("start", 0)))
    return {"schema": "annals.timeline/1", "entries": entries}


def document_files(archive, doc: Document, site_url: str = "") -> dict[str, str]:
    """A document's data files, by their path under site/: its JSON export and its TEI."""
    from annals.tei import document_tei

    return {document_path(doc): dumps(document_json(doc, archive.entities, archive.publisher(doc), archive.held,
                                                    archive.people)),
            tei_path(doc): document_tei(doc, archive, site_url)}


def document_file(archive, i: int) -> dict[str, str]:
    """document_files of document `i` of the archive: for fork_map."""
    return document_files(archive, archive.documents[i])


def document_path(doc: Document) -> str:
    """Where a document's export is, under site/."""
    return f"data/documents/{doc.id}.json"


def tei_path(doc: Document) -> str:
    """Where a document's TEI is, under site/."""
    return f"data/tei/{doc.id}.xml"


def data_files(archive) -> dict[str, str]:
    """Every data file of the archive, by its path under site/: each document's JSON and TEI, the tables,
    entities and timeline."""
    files = {}
    for made in fork_map(document_file, range(len(archive.documents)), archive):
        files.update(made)
    return files | archive_files(archive)


def archive_files(archive, rows: dict[str, str] | None = None) -> dict[str, str]:
    """The data files of the whole archive: entities, timeline, the CSV tables (contacts.csv among them) and the
    JSON Schema. `rows`: the utterances' rows of documents by fingerprint, as tables.utterances_csv takes them."""
    from annals.tables import contacts_csv, documents_csv, entities_csv, utterances_csv

    files = {}
    counts = {}
    for d in archive.documents:
        for key in {m.key for m in d.mentions} | {f"person:{s.id}" for s in d.speakers if s.kind == "person"}:
            counts[key] = counts.get(key, 0) + 1
    if archive.entities:
        files["data/entities.json"] = dumps(entities_json(archive.entities, counts))
        files["data/entities.csv"] = entities_csv(archive, counts)
    files["data/timeline.json"] = dumps(timeline_json(archive.documents))
    files["data/utterances.csv"] = utterances_csv(archive, rows)
    files["data/documents.csv"] = documents_csv(archive)
    files["data/contacts.csv"] = contacts_csv(archive)
    files[SCHEMA_PATH] = SCHEMA_FILE.read_text(encoding="utf-8")
    return files
