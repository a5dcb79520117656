"""Registers: people, places, organisations and topics filed A to Z; the pairs in contact, most contacts first;
the glossary."""
from __future__ import annotations

from typing import TYPE_CHECKING

from annals.crossrefs import Crossrefs
from annals.markup import badge, clean_text, md_text, plural
from annals.model import Entity, Person
from annals.render.common import by_letter, fold, html_list, lettered, page_text
from annals.render.pairs import pair_title

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
    """Render the register of pairs of people in contact: most contacts first, then A to Z, with their count and
    their years."""
    page = "meetings/index.md"
    keys = sorted(refs.pairs, key=lambda k: (-len(archive.contacts.get(k, ())), fold(pair_title(archive, refs, k)), k))
    blocks = ["# Meetings", "Pairs of people who met, held talks, telephoned, wrote to each other, attended the "
              "same summit or spoke together on record, as the texts tell it: most contacts first. Each pair's "
              "page lists their contacts in time order."]
    if not keys:
        return page_text("Meetings", blocks + ["No two people are in contact in the archive yet."])
    items = "\n".join(pair_item(pair_title(archive, refs, k), k, archive, refs) for k in keys)
    return page_text("Meetings", blocks + [html_list(page, items)])


def pair_item(title: str, key: str, archive: Archive, refs: Crossrefs) -> str:
    """Return a register line for a pair of people: link, number of contacts, and the years from first to last."""
    found = archive.contacts.get(key, ())
    years = sorted({refs.docs[d].year for d, _ in found if d in refs.docs})
    span = f" · {years[0]}" + (f"–{years[-1]}" if len(years) > 1 else "") if years else ""
    return f"- [{md_text(title)}]({key}.md) · {plural(len(found), 'contact')}{span}"


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
