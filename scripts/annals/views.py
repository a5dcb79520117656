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
from annals.crossrefs import Crossrefs, Dated
from annals.model import Document, Entity, Mention, Paragraph, Person

if TYPE_CHECKING:
    from annals.index import Archive


def document_view(archive: Archive, refs: Crossrefs, i: int) -> tuple[Archive, Crossrefs]:
    """The archive and cross-references as document `i`'s page and data files see them: the document; the
    people it names, each without their list of documents; the entities it names and their pages; its related
    documents, each as its date, title and id; its publisher, the glossary, and the offices its speakers held."""
    doc = archive.documents[i]
    turns = refs.turns.get(doc.id, ())
    related = archive.related.get(doc.id, ())
    people_ids = ({s.id for s in doc.speakers} | {t.speaker for t in turns if t.speaker}
                  | {p for c in doc.contacts for p in c.people}
                  | {m.key.split(":", 1)[1] for m in doc.mentions if m.key.startswith("person:")})
    people = {p: dataclasses.replace(archive.people[p], documents=()) for p in sorted(people_ids)
              if p in archive.people}
    keys = {m.key for m in doc.mentions} | {f"person:{p}" for p in people_ids}
    others = {o: stub(refs.docs[o]) for o, _ in related if o in refs.docs and o != doc.id}
    publisher = archive.publisher(doc)
    view = type(archive)(
        documents=(doc,), people=people,
        entities={k: archive.entities[k] for k in sorted(keys) if k in archive.entities},
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


def entity_view(entity: Entity, refs: Crossrefs) -> tuple[Entity, list[tuple[Document, Mention]]]:
    """What a place's, organisation's or topic's page is made from (render.entities.entity_page): the entity and
    its mentions, each with its document as the page shows it (mentioned_view)."""
    return entity, mentioned_view(refs.mentions.get(entity.key, []))


def person_view(archive: Archive, refs: Crossrefs, person_id: str) -> tuple[Archive, Crossrefs]:
    """The archive and cross-references as a person's page sees them (render.pages.render_person): the person;
    the documents they speak in as date, title, id and their own speaker's entry, with their turns; the people
    they met, by name, with the pair's contacts; their mentions (mentioned_view); the events they speak of, each
    with its document's date, title and id and its paragraph's number; their offices, and the registry's."""
    person = archive.people[person_id]
    docs = {}
    for doc_id in person.documents:
        if doc_id in refs.docs:
            doc = refs.docs[doc_id]
            own = doc.speaker(person_id)
            docs[doc_id] = Document(source="", title=doc.title, date=doc.date, id=doc.id,
                                    speakers=(own,) if own else ())
    partners = refs.partners.get(person_id, [])
    people = {person_id: person, **{o: Person(o, archive.people[o].name) for _, o in partners
                                    if o in archive.people and o != person_id}}
    key = f"person:{person_id}"
    said = [Dated(stub(d.doc), d.event, Paragraph(d.paragraph.n, 0, ""), d.quote)
            for d in refs.said.get(person_id, [])]
    view = type(archive)(documents=(), people=people, offices=archive.offices,
                         contacts={k: archive.contacts[k] for k, _ in partners if k in archive.contacts})
    view.__dict__["held"] = {person_id: archive.held[person_id]} if person_id in archive.held else {}
    view_refs = Crossrefs(docs=docs, turns={}, pages={}, mentions={key: mentioned_view(refs.mentions.get(key, []))},
                          counts={}, pairs={}, partners={person_id: partners} if partners else {}, glossary=None,
                          dated={}, said={person_id: said} if said else {})
    view_refs.__dict__["spoken"] = {(d, person_id): refs.spoken[d, person_id] for d in docs
                                    if (d, person_id) in refs.spoken}  # Crossrefs.spoken, as cached
    return view, view_refs


def pair_view(archive: Archive, refs: Crossrefs, key: str) -> tuple[Archive, Crossrefs]:
    """The archive and cross-references as a pair's page sees them (render.pairs.render_pair): the two people by
    name; their contacts; the documents of their contacts as date, time, place, title and id, with the
    paragraphs that record a contact, the mentions of the two in them, and the two as speakers; the turns of
    the two where both speak; the events they speak of, each with its document's date, title and id and its
    paragraph's number and speaker."""
    from annals.render.entities import paragraph

    pair, found = refs.pairs[key], archive.contacts.get(key, ())
    numbers: dict[str, set[int]] = {}
    for doc_id, c in found:
        numbers.setdefault(doc_id, set()).add(c.paragraph)
    docs, turns, dated = {}, {}, {}
    for doc_id in dict.fromkeys([*archive.meetings.get(key, ()), *numbers]):
        doc = refs.docs.get(doc_id)
        if doc is None:
            continue
        held = numbers.get(doc_id, set())
        docs[doc_id] = Document(
            source="", title=doc.title, date=doc.date, time=doc.time, place=doc.place, id=doc.id,
            paragraphs=tuple(p for n in sorted(held) if (p := paragraph(doc, n)) is not None),
            speakers=tuple(s for s in doc.speakers if s.id in pair),
            mentions=tuple(m for m in doc.mentions if m.paragraph in held and m.type == "person" and m.entity in pair))
        if doc_id in refs.turns:
            turns[doc_id] = tuple(t for t in refs.turns[doc_id] if t.speaker in pair)
        said = [Dated(stub(d.doc), d.event, Paragraph(d.paragraph.n, 0, "", turn=d.paragraph.turn,
                                                       speaker=d.paragraph.speaker), d.quote)
                for d in refs.dated.get(doc_id, ()) if d.paragraph.speaker in pair]
        if said:
            dated[doc_id] = said
    view = type(archive)(documents=(), people={p: Person(p, archive.people[p].name) for p in pair},
                         meetings={key: archive.meetings[key]} if key in archive.meetings else {},
                         contacts={key: found} if found else {})
    view_refs = Crossrefs(docs=docs, turns=turns, pages={}, mentions={}, counts={}, pairs={key: pair}, partners={},
                          glossary=None, dated=dated, said={})
    view_refs.__dict__["spoken"] = {(d, p): refs.spoken[d, p] for d in docs for p in pair if (d, p) in refs.spoken}
    view.__dict__["held"] = {}
    return view, view_refs


def page_view_key(view: tuple[Archive, Crossrefs], shared: str) -> str:
    """The digest of a person's or a pair's view (person_view, pair_view), with `shared`."""
    archive, refs = view
    fields = [getattr(o, f.name) for o in view for f in dataclasses.fields(o)]  # not what a render caches
    return page_key((fields, archive.__dict__["held"], refs.__dict__["spoken"]), shared)


def mentioned_view(found: list[tuple[Document, Mention]]) -> list[tuple[Document, Mention]]:
    """The mentions of an entity or a person with their documents as the page's "Mentioned in" shows them: date,
    title and id, and the paragraphs that hold its mentions (their text where the page quotes them, in the
    QUOTED latest documents; else their number)."""
    from annals.render.entities import QUOTED, paragraph

    numbers: dict[str, set[int]] = {}
    for doc, m in found:
        numbers.setdefault(doc.id, set()).add(m.paragraph)
    slim: dict[str, Document] = {}
    for doc, _ in found:
        if doc.id not in slim:
            held = [p for n in sorted(numbers[doc.id]) if (p := paragraph(doc, n)) is not None]
            if len(slim) >= QUOTED:
                held = [Paragraph(p.n, 0, "") for p in held]  # linked by number only
            slim[doc.id] = Document(source="", title=doc.title, date=doc.date, id=doc.id, paragraphs=tuple(held))
    return [(slim[doc.id], m) for doc, m in found]


def page_key(view, shared: str) -> str:
    """The digest of what a page other than a document's is made from (entity_view), with `shared`."""
    return hashlib.sha256(shared.encode() + canonical(view)).hexdigest()


def stub(doc: Document) -> Document:
    """A document as a list of related documents shows it: its date, title and id (its page)."""
    return Document(source="", title=doc.title, date=doc.date, id=doc.id)


def view_key(view: tuple[Archive, Crossrefs], shared: str) -> str:
    """The digest of a view, with `shared`: the digest of what every view holds alike (the glossary, which
    the view's refs hold compiled too) and of how the files are made (the site's address). The turns and the
    dated events of the view's document are made from the document alone (crossrefs.cross_index): its digest
    is theirs."""
    archive, refs = view
    bare = (dataclasses.replace(archive, glossary=()), archive.__dict__.get("held"),
            dataclasses.replace(refs, glossary=None, turns={}, dated={}))
    return hashlib.sha256(shared.encode() + canonical(bare)).hexdigest()


def shared_key(archive: Archive, site_url: str) -> str:
    """What every document's view holds alike, and the site's address, as one digest for view_key."""
    return hashlib.sha256(canonical((archive.glossary, site_url))).hexdigest()
