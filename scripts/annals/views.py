"""What one document's page and data files are made from: a small archive holding only that, and its digest.

A document's page and its JSON and TEI are rendered from its view in every build, cold or incremental, never
from the whole archive: what is not in the view cannot reach them. So the view's digest is a sound key for the
files: a build that finds for a document the digest recorded by the last one, and the files it made intact,
takes them as they are instead of rendering them again. An edit to one text, or a document added, leaves the
views of the other documents as they were (unless it changes what they show: a speaker's name, an entity's
page, the related documents), and with them their files.
"""
from __future__ import annotations

import dataclasses
import hashlib
from typing import TYPE_CHECKING

from annals.cache import canonical
from annals.crossrefs import Crossrefs
from annals.model import Document

if TYPE_CHECKING:
    from annals.index import Archive


def document_view(archive: Archive, refs: Crossrefs, i: int) -> tuple[Archive, Crossrefs]:
    """The archive and cross-references as document `i`'s page and data files see them: the document; the
    people it names, each without their list of documents and their other names; the entities it names
    (without their other names) and their pages; its related
    documents, each as its date, title and id; its publisher, the glossary, and the offices its speakers held."""
    doc = archive.documents[i]
    turns = refs.turns.get(doc.id, ())
    related = archive.related.get(doc.id, ())
    people_ids = ({s.id for s in doc.speakers} | {t.speaker for t in turns if t.speaker}
                  | {p for c in doc.contacts for p in c.people}
                  | {m.key.split(":", 1)[1] for m in doc.mentions if m.key.startswith("person:")})
    people = {p: bare(archive, "person", p, archive.people[p], documents=(), aliases=())
              for p in sorted(people_ids) if p in archive.people}
    keys = {m.key for m in doc.mentions} | {f"person:{p}" for p in people_ids}
    others = {o: stub(refs.docs[o]) for o, _ in related if o in refs.docs and o != doc.id}
    publisher = archive.publisher(doc)
    view = type(archive)(
        documents=(doc,), people=people,
        entities={k: bare(archive, "entity", k, archive.entities[k], aliases=()) for k in sorted(keys)
                  if k in archive.entities},
        glossary=archive.glossary, related={doc.id: related} if related else {},
        publishers={publisher.id: publisher} if publisher else {})
    held = archive.held
    view.__dict__["held"] = {p: held[p] for p in sorted(people_ids) if p in held}  # Archive.held, as cached
    view_refs = Crossrefs(
        docs={doc.id: doc, **others}, turns={doc.id: turns} if doc.id in refs.turns else {},
        pages={k: refs.pages[k] for k in sorted(keys) if k in refs.pages}, mentions={}, counts={}, pairs={},
        partners={}, glossary=refs.glossary, dated={doc.id: refs.dated[doc.id]} if doc.id in refs.dated else {},
        said={})
    return view, view_refs


def bare(archive: Archive, kind: str, key: str, value, **empty):
    """A person or entity of the archive as a document's page and data files show it: without the fields in
    `empty` (a person's list of documents, which grows with every text; the other names, which their own
    pages and entities.json give, so that an alias added in the registry changes no document's view). One copy
    for all views, as view_key's digests go by the object."""
    made = archive.__dict__.setdefault("_bare", {})
    found = made.get((kind, key))
    if found is None:
        found = made[kind, key] = dataclasses.replace(value, **empty)
    return found


def stub(doc: Document) -> Document:
    """A document as a list of related documents shows it: its date, title and id (its page)."""
    return Document(source="", title=doc.title, date=doc.date, id=doc.id)


def view_key(view: tuple[Archive, Crossrefs], shared: str, fingerprint: str | None = None,
             digests: dict | None = None) -> str:
    """The digest of a view, with `shared`: the digest of what every view holds alike (the glossary, which
    the view's refs hold compiled too) and of how the files are made (the site's address). The turns and the
    dated events of the view's document are made from the document alone (crossrefs.cross_index): its digest
    is theirs. The document's `fingerprint` (Archive.fingerprints: the digest of the document itself), where
    given, stands for the document, which is then not pickled: most of the bytes of a view are its text.
    `digests`, where given, keeps the digest of each person, entity and person's offices (by the object, which
    views share) for the next views: they stand for them too."""
    archive, refs = view
    doc = archive.documents[0]
    docs, people, entities, held = refs.docs, archive.people, archive.entities, archive.__dict__.get("held")
    if fingerprint is not None:
        docs = {k: (fingerprint if k == doc.id else v) for k, v in docs.items()}
    if digests is not None:
        people = {k: digest_of(v, digests) for k, v in people.items()}
        entities = {k: digest_of(v, digests) for k, v in entities.items()}
        held = {k: digest_of(v, digests) for k, v in (held or {}).items()}
    bare = (dataclasses.replace(archive, glossary=(), documents=(fingerprint or doc,), people=people,
                                entities=entities), held,
            dataclasses.replace(refs, glossary=None, turns={}, dated={}, docs=docs))
    return hashlib.sha256(shared.encode() + canonical(bare)).hexdigest()


def digest_of(value, digests: dict) -> bytes:
    """The digest of a value's pickle (canonical), kept in `digests` by the object (which it holds on to)."""
    held, digest = digests.get(id(value), (None, None))
    if held is not value:
        digest = hashlib.sha256(canonical(value)).digest()
        digests[id(value)] = (value, digest)
    return digest


def shared_key(archive: Archive, site_url: str) -> str:
    """What every document's view holds alike, and the site's address, as one digest for view_key."""
    return hashlib.sha256(canonical((archive.glossary, site_url))).hexdigest()
