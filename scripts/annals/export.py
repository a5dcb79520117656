"""The data export: one `annals.document/1` JSON object per document."""
from __future__ import annotations

import json

from annals.model import Document, Entity

SCHEMA = "annals.document/1"


def document_json(doc: Document, entities: dict[str, Entity] | None = None) -> dict:
    """The export of one document, in the form of docs/data/annals.document-1.schema.json."""
    names = {k: e.name for k, e in (entities or {}).items()}
    return {
        "schema": SCHEMA,
        "id": doc.id,
        "url": doc.url,
        "source": doc.source,
        "source_url": doc.source_url,
        "title": doc.title,
        "date": doc.date.isoformat(),
        "time": doc.time,
        "place": doc.place,
        "language": doc.language,
        "tags": list(doc.tags),
        "speakers": [{"id": s.id, "name": s.name, "kind": s.kind, "labels": list(s.labels), "roles": list(s.roles)}
                     for s in doc.speakers],
        "mentions": [{"paragraph": m.paragraph, "start": m.start, "end": m.end, "entity": m.entity, "type": m.type,
                      "name": names.get(m.key, m.text), "text": m.text} for m in doc.mentions],
        "paragraphs": [{"n": p.n, "anchor": p.anchor, "line": p.line, "speaker": p.speaker, "label": p.label,
                        "text": p.text} for p in doc.paragraphs],
    }


def dumps(data: dict) -> str:
    """Serialise export data deterministically."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def entities_json(entities: dict[str, Entity], counts: dict[str, int]) -> dict:
    """site/data/entities.json: every entity with its type, name, aliases, page and number of documents."""
    return {"schema": "annals.entities/1", "entities": [
        {"type": e.type, "id": e.id, "name": e.name, "aliases": list(e.aliases), "description": e.description,
         "origin": e.origin, "url": e.url, "documents": counts.get(k, 0)} for k, e in entities.items()]}
