"""The data export: one `annals.document/1` JSON object per document."""
from __future__ import annotations

import json

from annals.model import Document

SCHEMA = "annals.document/1"


def document_json(doc: Document) -> dict:
    """The export of one document, in the form of schema/annals.document-1.schema.json."""
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
        "paragraphs": [{"n": p.n, "anchor": p.anchor, "line": p.line, "speaker": p.speaker, "label": p.label,
                        "text": p.text} for p in doc.paragraphs],
    }


def dumps(data: dict) -> str:
    """Serialise export data deterministically."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
