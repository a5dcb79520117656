"""The archive gathered: every document, person and entity known before any page is written."""
from __future__ import annotations

import collections
import functools
import hashlib
import itertools
import math
from dataclasses import dataclass, field

from annals import cache
from annals.errors import Problem
from annals.model import Contact, Document, Entity, GlossaryTerm, Person, Publisher
from annals.offices import Holding, Office, Offices, held_by_person
from annals.parallel import fork_map
from annals.resolve import Identities, newest_first

RELATED = 5
NEARBY = 50  # related documents are looked for among this many holders of each entity on either side
WEIGHTS = {"person": 3.0, "topic": 2.0, "organization": 2.0, "place": 1.0}


@dataclass(frozen=True)
class Archive:
    """All documents (newest first), people, entities and the links between them."""

    documents: tuple[Document, ...]
    people: dict[str, Person]
    problems: tuple[Problem, ...] = ()
    entities: dict[str, Entity] = field(default_factory=dict)  # "type:id" -> Entity, sorted by key
    glossary: tuple[GlossaryTerm, ...] = ()
    meetings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "a--b" -> documents of its contacts, oldest first
    related: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # doc id -> (doc id, reason)
    publishers: dict[str, Publisher] = field(default_factory=dict)  # id -> Publisher, registry order
    offices: tuple[Office, ...] = ()  # registry/offices.yml: who held which office when
    identities: Identities = field(default_factory=Identities)  # spellings unified into one person, close pairs
    contacts: dict[str, tuple[tuple[str, Contact], ...]] = field(default_factory=dict)  # "a--b" -> (doc id, contact)
    # document id -> the digest of the document, contacts and all, and the code (memo.outcome_digest): equal
    # digests, equal documents
    fingerprints: dict[str, str] = field(default_factory=dict, compare=False)

    @functools.cached_property
    def office_index(self) -> Offices:
        """The offices, looked up by any of their names."""
        return Offices(self.offices)

    @functools.cached_property
    def held(self) -> dict[str, tuple[tuple[Office, Holding], ...]]:
        """Each holder's offices, earliest first (person id -> (office, holding)s)."""
        return held_by_person(self.office_index)

    def publisher(self, doc: Document) -> Publisher | None:
        """The publisher of a document, where one is known."""
        return self.publishers.get(doc.publisher) if doc.publisher else None


def index(documents: list[Document], people: dict[str, Person], problems: list[Problem],
          entities: dict[str, Entity] | None = None, glossary: tuple[GlossaryTerm, ...] = (),
          crosslinks: bool = True, publishers: tuple[Publisher, ...] = (), offices: tuple[Office, ...] = ()) -> Archive:
    """Gather the resolved documents, people and entities; find meetings and related documents.

    Anonymous roles that speak ("Question", "Remark") are no people: a Person of kind "role" is left out.
    """
    docs = tuple(sorted(documents, key=newest_first))
    entities = dict(sorted((entities or {}).items()))
    by_id = {p.id: p for p in publishers}
    people = {pid: p for pid, p in people.items() if p.kind != "role"}
    if not crosslinks:
        return Archive(docs, people, tuple(problems), publishers=by_id, offices=offices)
    contacts = find_contacts_by_pair(docs, people)
    return Archive(docs, people, tuple(problems), entities, glossary, meetings_of(contacts), find_related(docs, entities), by_id,
                   offices, contacts=contacts)


def pair_id(a: str, b: str) -> str:
    """The id of the pair of people a and b: their ids sorted, joined by '--'."""
    return "--".join(sorted((a, b)))


def meetings_of(contacts: dict[str, tuple[tuple[str, Contact], ...]]) -> dict[str, tuple[str, ...]]:
    """Each pair's documents that record a contact of theirs, oldest first, from find_contacts_by_pair."""
    return {key: tuple(dict.fromkeys(doc_id for doc_id, _ in found)) for key, found in contacts.items()}


def find_contacts_by_pair(docs: tuple[Document, ...],
                          people: dict[str, Person]) -> dict[str, tuple[tuple[str, Contact], ...]]:
    """Every pair of people with each contact of theirs the texts record: (document id, contact), oldest
    document first, then in the order of its text. A contact of three or more people (a summit) counts for
    each pair of them."""
    found: dict[str, list[tuple[str, Contact]]] = collections.defaultdict(list)
    for doc in reversed(docs):  # oldest first
        for contact in doc.contacts:
            ids = sorted({p for p in contact.people if p in people and people[p].kind == "person"})
            for a, b in itertools.combinations(ids, 2):
                found[pair_id(a, b)].append((doc.id, contact))
    return {k: tuple(v) for k, v in sorted(found.items())}


def document_keys(doc: Document) -> set[str]:
    """The entities a document involves: its speaking people and everything it mentions."""
    keys = {f"person:{s.id}" for s in doc.speakers if s.kind == "person"}
    return keys | {m.key for m in doc.mentions}


def find_related(docs: tuple[Document, ...], entities: dict[str, Entity]) -> dict[str, tuple[tuple[str, str], ...]]:
    """The most related documents of each, by shared people, topics and places (rarer counts more).

    Of the documents sharing an entity, only the NEARBY nearest in date on either side are candidates:
    that keeps the cost linear in the archive's size (a person in every document would otherwise pair
    each document with all the others), and nearer documents are the likelier related ones.

    The result depends on nothing else than the documents' ids and entities, in order, and the names and types of
    the entities (and the code): kept in the cache (RELATED_FILE) under their digest, it is taken as it is by a
    build whose documents involve the same entities (an edit of a paragraph that names no one new).
    """
    keys = {d.id: document_keys(d) for d in docs}
    inputs = hashlib.sha256(f"related\0{CODE}\0".encode() + cache.canonical((
        [(d.id, sorted(keys[d.id])) for d in docs], sorted((k, e.name, e.type) for k, e in entities.items())))).digest()
    where = cache.cache_root() / RELATED_FILE
    kept = cache.load(where)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == inputs and isinstance(kept[1], dict):
        return kept[1]
    holders: dict[str, list[int]] = collections.defaultdict(list)  # entity -> positions in docs (newest first)
    places: list[list[tuple[str, int]]] = []  # per document: (entity, its place among that entity's holders)
    for i, d in enumerate(docs):
        places.append([(k, len(holders[k])) for k in sorted(keys[d.id])])
        for k in keys[d.id]:
            holders[k].append(i)
    limit = max(50, len(docs) // 10)  # an entity in most documents says nothing about relatedness
    weight = {k: WEIGHTS[k.split(":")[0]] / math.log2(1 + len(h)) for k, h in holders.items() if len(h) <= limit}
    found = fork_map(related_to, range(len(docs)), (docs, entities, keys, dict(holders), places, weight))
    related = {d.id: best for d, best in zip(docs, found)}
    cache.store(where, (inputs, related))
    return related


RELATED_FILE = "related.pickle"  # in the cache: the related documents of the last build, under its inputs' digest
CODE = cache.package_code()


def related_to(data: tuple, i: int) -> tuple[tuple[str, str], ...]:
    """The related documents of document i, of the data of find_related: for fork_map."""
    docs, entities, keys, holders, places, weight = data
    scores: dict[int, float] = {}
    for k, at in places[i]:
        w = weight.get(k)
        if w is None:
            continue
        for other in holders[k][max(0, at - NEARBY): at + NEARBY + 1]:
            scores[other] = scores.get(other, 0.0) + w
    scores.pop(i, None)
    best = sorted(scores, key=lambda o: (-round(scores[o], 9), o))[:RELATED]
    return tuple((docs[o].id, reason(keys[docs[i].id] & keys[docs[o].id], entities)) for o in best)


def reason(shared: set[str], entities: dict[str, Entity]) -> str:
    """Say why two documents are related: "also with X; also about Y; also in Z"."""
    parts = []
    for kind, words in (("person", "also with"), (("topic", "organization"), "also about"), ("place", "also in")):
        kinds = kind if isinstance(kind, tuple) else (kind,)
        names = sorted(entities[k].name for k in shared if k in entities and entities[k].type in kinds)
        if names:
            parts.append(f"{words} {', '.join(names[:3])}" + (" …" if len(names) > 3 else ""))
    return "; ".join(parts)
