"""Resolve identities: document ids, and one speaker id per person across the archive."""
from __future__ import annotations

import collections
import dataclasses
import hashlib

from annals.labels import parse_label
from annals.model import Document, Person, Speaker
from annals.registry import Registry
from annals.slug import slugify


def resolve(documents: list[Document], registry: Registry) -> tuple[list[Document], dict[str, Person]]:
    """Give every document its id and speakers, and return the people of the archive."""
    aliases = registry.alias_map()
    documents = assign_ids(documents)
    spellings: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    kinds: dict[str, str] = {}
    out = []
    for doc in documents:
        doc = resolve_speakers(doc, aliases)
        for p in doc.paragraphs:
            if p.label:
                s = doc.speaker(p.speaker)
                spellings[s.id][label_name(p.label)] += 1
                kinds[s.id] = s.kind
        out.append(doc)
    names = {pid: best_spelling(c) for pid, c in spellings.items()}
    for rp in registry.people:
        names[rp.id] = rp.name
    out = [rename_speakers(doc, names) for doc in out]
    return out, make_people(out, registry, names, kinds)


def base_id(doc: Document) -> str:
    """A document's id before any clash: its date and the slug of its title."""
    return f"{doc.date.isoformat()}-{slugify(doc.title, 70) or 'untitled'}"


def assign_ids(documents: list[Document]) -> list[Document]:
    """Id each document by date and title slug; on a clash, add a suffix from the source path."""
    base = {d.source: base_id(d) for d in documents}
    counts = collections.Counter(base.values())
    out = []
    for d in documents:
        doc_id = base[d.source]
        if counts[doc_id] > 1:
            doc_id += "-" + hashlib.sha1(d.source.encode("utf-8")).hexdigest()[:6]
        out.append(dataclasses.replace(d, id=doc_id))
    return out


def label_name(label: str) -> str:
    """The name a label gives its speaker ("Russian President Vladimir Putin said" -> "Vladimir Putin")."""
    parsed = parse_label(label)
    return parsed.name if parsed else label


def speaker_id(label: str, aliases: dict[str, str]) -> tuple[str, str, str]:
    """Return (id, kind, role) for a turn label, registry aliases first."""
    parsed = parse_label(label)
    name = parsed.name if parsed else label
    kind = parsed.kind if parsed else "person"
    role = parsed.role if parsed else ""
    for key in (name, label, parsed.text if parsed else label):
        folded = " ".join(key.split()).casefold()
        if folded in aliases:
            return aliases[folded], "person", role
    return slugify(name) or "unknown", kind, role


def resolve_speakers(doc: Document, aliases: dict[str, str]) -> Document:
    """Set each paragraph's speaker id and collect the document's speakers."""
    ids, labels, roles, kinds = {}, collections.defaultdict(list), collections.defaultdict(list), {}
    paragraphs = []
    for p in doc.paragraphs:
        if p.turn is None:
            paragraphs.append(p)
            continue
        if p.turn not in ids:
            ids[p.turn], kind, role = speaker_id(p.turn, aliases)
            kinds[ids[p.turn]] = kind
            if role and role not in roles[ids[p.turn]]:
                roles[ids[p.turn]].append(role)
        sid = ids[p.turn]
        if p.label and p.label not in labels[sid]:
            labels[sid].append(p.label)
        paragraphs.append(dataclasses.replace(p, speaker=sid))
    speakers = tuple(Speaker(sid, "", kinds[sid], tuple(labels[sid]), tuple(roles[sid])) for sid in kinds)
    return dataclasses.replace(doc, paragraphs=tuple(paragraphs), speakers=speakers)


def best_spelling(counter: collections.Counter) -> str:
    """The most frequent spelling of a name; ties go to the alphabetically first."""
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def rename_speakers(doc: Document, names: dict[str, str]) -> Document:
    """Give each speaker of a document the archive-wide name of their id."""
    speakers = tuple(dataclasses.replace(s, name=names.get(s.id, s.id)) for s in doc.speakers)
    return dataclasses.replace(doc, speakers=speakers)


def make_people(documents: list[Document], registry: Registry, names: dict[str, str],
                kinds: dict[str, str]) -> dict[str, Person]:
    """Build the archive's people, each with their documents newest first."""
    docs_of = collections.defaultdict(list)
    for doc in sorted(documents, key=newest_first):
        for s in doc.speakers:
            docs_of[s.id].append(doc.id)
    entries = {rp.id: rp for rp in registry.people}
    people = {}
    for pid in sorted(docs_of):
        rp = entries.get(pid)
        people[pid] = Person(pid, names[pid], kinds.get(pid, "person") if not rp else "person",
                             rp.aliases if rp else (), rp.description if rp else "",
                             rp.roles if rp else (), tuple(docs_of[pid]))
    return people


def newest_first(doc: Document) -> tuple:
    """Sort key: newest date and time first, then id for a stable order."""
    minutes = int(doc.time[:2]) * 60 + int(doc.time[3:]) if doc.time else -1
    return (-doc.date.toordinal(), -minutes, doc.id)
