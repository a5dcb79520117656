"""Resolve identities: document ids, and one speaker id per person across the archive."""
from __future__ import annotations

import collections
import dataclasses
import hashlib

from annals.identities import ClosePair, Merge, find_variants
from annals.labels import parse_label
from annals.model import Document, Person, Speaker
from annals.registry import Registry
from annals.slug import slugify


def resolve(documents: list[Document], registry: Registry,
            speakers_resolved: bool = False) -> tuple[list[Document], dict[str, Person]]:
    """Give every document its id and speakers, and return the people of the archive. `speakers_resolved`: each
    document has had resolve_speakers with the registry's aliases already (load.read_resolved, on every core)."""
    aliases = registry.alias_map()
    documents = assign_ids(documents)
    spellings: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    out = []
    for doc in documents:
        if not speakers_resolved:
            doc = resolve_speakers(doc, aliases)
        for p in doc.paragraphs:
            if p.label:
                spellings[p.speaker][label_name(p.label)] += 1
        out.append(doc)
    names = {pid: best_spelling(c) for pid, c in spellings.items()}
    for rp in registry.people:
        names[rp.id] = rp.name
    out = [rename_speakers(doc, names) for doc in out]
    return out, make_people(out, registry, names)


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
    """Give each speaker of a document the archive-wide name of their id (a role, no person of the archive,
    keeps the name it has)."""
    speakers = tuple(dataclasses.replace(s, name=names.get(s.id, s.name or s.id)) for s in doc.speakers)
    return dataclasses.replace(doc, speakers=speakers)


def make_people(documents: list[Document], registry: Registry, names: dict[str, str]) -> dict[str, Person]:
    """Build the archive's people, each with their documents newest first.

    An anonymous role that speaks ("Question", "Remark from the audience") is a speaker of its document
    alone: the questioners of two interviews are not one person, so a role is no Person of the archive.
    """
    docs_of = collections.defaultdict(list)
    for doc in sorted(documents, key=newest_first):
        for s in doc.speakers:
            if s.kind == "person":
                docs_of[s.id].append(doc.id)
    entries = {rp.id: rp for rp in registry.people}
    people = {}
    for pid in sorted(docs_of):
        rp = entries.get(pid)
        people[pid] = Person(pid, names[pid], "person", rp.aliases if rp else (), rp.description if rp else "",
                             rp.roles if rp else (), tuple(docs_of[pid]))
    return people


def newest_first(doc: Document) -> tuple:
    """Sort key: newest date and time first, then id for a stable order."""
    minutes = int(doc.time[:2]) * 60 + int(doc.time[3:]) if doc.time else -1
    return (-doc.date.toordinal(), -minutes, doc.id)


# Identities across spellings: "Ilkham Aliyev" and "Ilham Aliyev", "Kirill Kleimenov" and "Kirill Kleymenov".


@dataclasses.dataclass(frozen=True)
class Identities:
    """What unifying spellings did: the ids merged into others, and the close names left apart."""

    merged: dict[str, str] = dataclasses.field(default_factory=dict)  # variant id -> id kept
    merges: tuple[Merge, ...] = ()
    close: tuple[ClosePair, ...] = ()


def spellings_of(documents: list[Document], named: dict[str, collections.Counter]) -> dict[str, dict[str, int]]:
    """Every person's spellings with how often each is written: speaker labels (each turn), then names in
    narration (`named`: id -> Counter of spellings)."""
    names: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for doc in documents:
        for p in doc.paragraphs:
            parsed = parse_label(p.label) if p.label and p.speaker else None
            if parsed and parsed.kind == "person":
                names[p.speaker][parsed.name] += 1
    for pid, counter in named.items():
        names[pid].update(counter)
    return {pid: dict(sorted(c.items())) for pid, c in sorted(names.items())}


def unify_identities(documents: list[Document], people: dict[str, Person], named: dict[str, collections.Counter],
                     apart: set[frozenset[str]], registry: Registry) -> tuple[list[Document], dict[str, Person],
                                                                               Identities]:
    """Merge the ids that spell one person differently, where the evidence is strong (see annals.identities);
    the registry's people and office holders keep their ids; `distinct` in people.yml forbids a merge."""
    names = spellings_of(documents, named)
    holders = registry.office_index.holders()
    preferred = {rp.id for rp in registry.people} | set(holders)
    for pid, name in [(rp.id, rp.name) for rp in registry.people] + list(holders.items()):
        names[pid] = {name: 0, **names.get(pid, {})}
    forbidden = {frozenset((rp.id, other)) for rp in registry.people for other in rp.distinct}
    merged, merges, close = find_variants({k: v for k, v in names.items() if v}, apart, preferred, {}, forbidden)
    if not merged:
        return documents, people, Identities(close=tuple(close))
    documents = [renamed(doc, merged) for doc in documents]
    kept = {}
    for pid, person in sorted(people.items()):
        target = merged.get(pid, pid)
        spelled = tuple(sorted(n for n in names.get(pid, {}) if n != person.name))
        if target in kept:
            kept[target] = joined(kept[target], person)
        else:
            kept[target] = dataclasses.replace(person, id=target)
        kept[target] = dataclasses.replace(kept[target], aliases=tuple(dict.fromkeys(kept[target].aliases + spelled)))
    for variant, target in merged.items():
        if target in kept:
            best = max(names.get(target, {}).items(), key=lambda kv: (kv[1], kv[0] == kept[target].name), default=None)
            if target not in preferred and best:
                kept[target] = dataclasses.replace(kept[target], name=best[0])
            kept[target] = dataclasses.replace(kept[target], aliases=tuple(sorted(
                set(kept[target].aliases) | (set(names.get(variant, {})) | set(names.get(target, {})))
                - {kept[target].name})))
    names_now = {pid: p.name for pid, p in kept.items()}
    documents = [rename_speakers(doc, names_now) for doc in documents]
    docs_of = collections.defaultdict(list)
    for doc in sorted(documents, key=newest_first):
        for s in doc.speakers:
            docs_of[s.id].append(doc.id)
    kept = {pid: dataclasses.replace(p, documents=tuple(docs_of.get(pid, ()))) for pid, p in sorted(kept.items())}
    return documents, kept, Identities(merged, tuple(merges), tuple(close))


def renamed(doc: Document, merged: dict[str, str]) -> Document:
    """A document with its speakers' merged ids replaced by the ids kept (two variants in one document become
    one speaker, with both spellings' labels)."""
    if not any(s.id in merged for s in doc.speakers):
        return doc
    speakers: dict[str, Speaker] = {}
    for s in doc.speakers:
        sid = merged.get(s.id, s.id)
        if sid in speakers:
            old = speakers[sid]
            speakers[sid] = dataclasses.replace(old, labels=tuple(dict.fromkeys(old.labels + s.labels)),
                                                roles=tuple(dict.fromkeys(old.roles + s.roles)))
        else:
            speakers[sid] = dataclasses.replace(s, id=sid)
    paragraphs = tuple(dataclasses.replace(p, speaker=merged.get(p.speaker, p.speaker)) if p.speaker in merged else p
                       for p in doc.paragraphs)
    return dataclasses.replace(doc, paragraphs=paragraphs, speakers=tuple(speakers.values()))


def joined(a: Person, b: Person) -> Person:
    """Two records of one person as one: the first's name, both's aliases and documents."""
    return dataclasses.replace(a, aliases=tuple(dict.fromkeys(a.aliases + (b.name,) + b.aliases)),
                               description=a.description or b.description,
                               registry_roles=tuple(dict.fromkeys(a.registry_roles + b.registry_roles)))
