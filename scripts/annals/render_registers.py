"""Registers: people, places, organisations, topics and meetings filed A to Z; the glossary."""
from __future__ import annotations

from typing import TYPE_CHECKING

from annals.crossrefs import Crossrefs
from annals.markup import badge, clean_text, md_text, plural
from annals.model import Entity, Person
from annals.render_common import by_letter, fold, lettered, page_text
from annals.render_entities import pair_title

if TYPE_CHECKING:
    from annals.index import Archive

REGISTERS = {  # type -> folder, title, what the register says when it is empty
    "place": ("places", "Places", "No places are named in the archive yet."),
    "organization": ("organizations", "Organisations", "No organisations are named in the archive yet."),
    "topic": ("topics", "Topics", "No topics are named in the archive yet."),
}


def render_people(archive: Archive, refs: Crossrefs) -> str:
    """Render the register of people, A to Z by surname (an anonymous role such as Question is no person)."""
    people = sorted((p for p in archive.people.values() if p.kind != "role"), key=surname_key)
    blocks = ["# People"] + lettered(by_letter(people, surname), lambda p: person_item(p, refs))
    return page_text("People", blocks if people else blocks + ["No person speaks in the archive yet."])


def person_item(person: Person, refs: Crossrefs) -> str:
    """Return a register line for a person: badge, link, number of documents that involve them."""
    count = refs.counts.get(f"person:{person.id}", len(person.documents))
    return f"- {badge(person.id, person.name)} [{md_text(person.name)}]({person.id}.md) · {plural(count, 'document')}"


def surname(person: Person) -> str:
    """Return the word a person is filed under: the last word of the name."""
    words = clean_text(person.name).split(" ")
    return words[-1] if words[-1] else person.id


def surname_key(person: Person) -> tuple[str, str, str]:
    """Sort key: surname, then full name, then id."""
    return fold(surname(person)), fold(person.name), person.id


def name_key(person: Person | Entity) -> tuple[str, str]:
    """Sort key: name, then id."""
    return fold(clean_text(person.name)), person.id


def render_register(kind: str, archive: Archive, refs: Crossrefs) -> str:
    """Render the register of one kind of entity, A to Z, each with the number of documents naming it."""
    _, title, empty = REGISTERS[kind]
    entities = sorted((e for e in archive.entities.values() if e.type == kind), key=name_key)
    blocks = [f"# {title}"] + lettered(by_letter(entities, lambda e: e.name), lambda e: entity_item(e, refs))
    return page_text(title, blocks if entities else blocks + [empty])


def entity_item(entity: Entity, refs: Crossrefs) -> str:
    """Return a register line for an entity: link and number of documents."""
    return f"- [{md_text(entity.name)}]({entity.id}.md) · {plural(refs.counts.get(entity.key, 0), 'document')}"


def render_meetings(archive: Archive, refs: Crossrefs) -> str:
    """Render the register of pairs of people who speak in the same documents."""
    titles = sorted(((pair_title(archive, refs, k), k) for k in refs.pairs), key=lambda tk: (fold(tk[0]), tk[1]))
    blocks = ["# Meetings", "Pairs of people who speak in the same document, with the number of such documents."]
    blocks += lettered(by_letter(titles, lambda tk: tk[0]), lambda tk: pair_item(tk[0], tk[1], archive))
    return page_text("Meetings", blocks if titles else blocks + ["No two people speak in the same document yet."])


def pair_item(title: str, key: str, archive: Archive) -> str:
    """Return a register line for a pair of people: link and number of documents."""
    return f"- [{md_text(title)}]({key}.md) · {plural(len(archive.meetings[key]), 'document')}"


def render_glossary(archive: Archive) -> str:
    """Render the glossary: each term with its anchor, definition and other forms."""
    blocks = ["# Glossary", "Terms and abbreviations explained where they occur in the texts."]
    for term in sorted(archive.glossary, key=lambda t: (fold(clean_text(t.term)), t.id)):
        blocks += [f"## {md_text(term.term) or term.id} {{ #{term.id} }}", md_text(term.definition) or "(none)"]
        aliases = [md_text(a) for a in term.aliases if clean_text(a)]
        if aliases:
            blocks.append("Also written as: " + "; ".join(aliases) + "\n{ .annals-meta }")
    if not archive.glossary:
        blocks.append("The glossary is empty.")
    return page_text("Glossary", blocks)
