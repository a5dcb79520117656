"""Find mentions: the names of people, places, organisations and topics in every paragraph."""
from __future__ import annotations

import dataclasses
import re

from annals.errors import Problem
from annals.gazetteer import TOKEN, Gazetteer, cities, countries
from annals.labels import TITLE_WORDS, parse_label
from annals.model import Document, Entity, Mention, Person
from annals.parallel import fork_map, shared
from annals.registry import Registry
from annals.slug import slugify

HONORIFICS = frozenset("Mr Mrs Ms Madam Mister Dr".split())
PLACE_SPLIT = re.compile(r"\s*,\s*")


def build_gazetteer(documents: list[Document], people: dict[str, Person], registry: Registry) -> Gazetteer:
    """Know every name of the archive: registry entries, speakers, place lines, tags, countries and cities."""
    g = Gazetteer()
    for e in registry.entries:
        g.add(Entity(e.type, e.id, e.name, e.aliases, e.description, "registry"), (e.name, *e.aliases), "registry")
    spoken = spoken_names(documents)
    for person in people.values():
        if person.kind == "person":
            g.add(Entity("person", person.id, person.name, person.aliases, person.description, "speakers"),
                  (person.name, *person.aliases, *sorted(spoken.get(person.id, ()))), "speakers")
    for doc in documents:
        for tag in doc.tags:
            g.add(Entity("topic", slugify(tag), tag, origin="tags"), (tag,), "tags")
    for entity, forms in countries() + cities():
        g.add(entity, forms, entity.origin)
    for doc in documents:
        for part in place_parts(doc):
            if tuple(TOKEN.findall(part)) not in g.forms and slugify(part):
                g.add(Entity("place", slugify(part), part, origin="place line"), (part,), "place line")
    return g


def spoken_names(documents: list[Document]) -> dict[str, set[str]]:
    """The names each person's speaker labels give (other spellings of the same person), in one pass."""
    names: dict[str, set[str]] = {}
    for doc in documents:
        for s in doc.speakers:
            names.setdefault(s.id, set()).update(
                parsed.name for parsed in map(parse_label, s.labels) if parsed and parsed.kind == "person")
    return names


def place_parts(doc: Document) -> list[str]:
    """The parts of a document's place line ("Novo-Ogaryovo, Moscow Region" -> two places)."""
    return [p for p in PLACE_SPLIT.split(doc.place or "") if p]


def find_mentions(doc: Document, g: Gazetteer) -> tuple[Document, list[Problem]]:
    """Attach every mention in the document's place line, tags and paragraphs; report ambiguous names."""
    mentions, problems = header_mentions(doc, g), []
    contested = contested_surnames(doc, g)
    known = {tokens_last(g.entities[f"person:{s.id}"].name): f"person:{s.id}" for s in doc.speakers
             if f"person:{s.id}" in g.entities}
    known = {family: key for family, key in known.items() if family not in contested}
    for p in doc.paragraphs:
        found, doubts = scan(p.text, g, known, contested)
        mentions += [Mention(p.n, s, e, *key.split(":", 1), p.text[s:e]) for s, e, key in found]
        problems += [Problem(doc.source, p.line, f"ambiguous name '{text}' ({names(keys, g)}): left unlinked",
                             "add it to a registry file as a name or alias of the right entry", "warning")
                     for text, keys in doubts]
    return dataclasses.replace(doc, mentions=tuple(mentions)), problems


def header_mentions(doc: Document, g: Gazetteer) -> list[Mention]:
    """The place line and front matter tags as mentions of paragraph 0, the document's header."""
    out = []
    for part in place_parts(doc):
        held = g.forms.get(tuple(TOKEN.findall(part)))
        if held and len(held[1]) == 1:
            key = next(iter(held[1]))
            out.append(Mention(0, 0, 0, *key.split(":", 1), part))
    for tag in doc.tags:
        out.append(Mention(0, 0, 0, "topic", slugify(tag), tag))
    return out


def names(keys: set[str], g: Gazetteer) -> str:
    """Name the entities an ambiguous form could mean."""
    return " or ".join(sorted(f"{g.entities[k].name} ({g.entities[k].type})" if k in g.entities
                              else "someone else of that name" for k in keys))


def tokens_last(name: str) -> str:
    found = TOKEN.findall(name)
    return found[-1] if found else ""


def contested_surnames(doc: Document, g: Gazetteer) -> set[str]:
    """Surnames of known people that the document also gives to someone unknown ("Heydar Aliyev")."""
    out = set()
    for p in doc.paragraphs:
        toks = TOKEN.findall(p.text)
        for given, family in zip(toks, toks[1:]):
            if family in g.surnames and given[:1].isupper() and given.lower() not in TITLE_WORDS \
                    and given not in HONORIFICS and (given, family) not in g.forms:
                out.add(family)
    return out


# A capitalised word, where a name may start: only these positions are looked at.
CAPITAL = re.compile(r"(?<![\w.-])[A-ZÀ-ÖØ-ÞĀ-Ž]\w*(?:[-.]\w+)*")
NEXT_WORD = re.compile(r" ([A-ZÀ-ÖØ-ÞĀ-Ž]\w*(?:[-.]\w+)*)")
WORD_BEFORE = re.compile(r"(\w+(?:[-.]\w+)*) $")
WORD_CHAR = re.compile(r"[\w]|[-.]\w")


def scan(text: str, g: Gazetteer, known: dict[str, str],
         contested: set[str] = frozenset()) -> tuple[list[tuple[int, int, str]], list[tuple[str, set]]]:
    """Find (start, end, key) of every mention in `text`, longest form first; and the ambiguous names."""
    found, doubts, pos = [], [], 0
    for m in CAPITAL.finditer(text):
        if m.start() < pos:
            continue
        hit = match_form(text, m, g) or match_surname(text, m, g, known, contested)
        if hit is None:
            continue
        start, pos, keys = hit
        if len(keys) == 1:
            key = next(iter(keys))
            found.append((start, pos, key))
            if key.startswith("person:"):
                known[tokens_last(g.entities[key].name)] = key  # later, the surname alone means this person
        else:
            doubts.append((text[start:pos], keys))
    return found, doubts


def match_form(text: str, m: re.Match, g: Gazetteer):
    """The longest known form starting at the word m: (start, end, keys), or None."""
    for form in g.candidates(m.group()):
        written = " ".join(form)
        end = m.start() + len(written)
        if text.startswith(written, m.start()) and not WORD_CHAR.match(text, end):
            return m.start(), end, g.forms[form][1]
    return None


def match_surname(text: str, m: re.Match, g: Gazetteer, known: dict[str, str], contested: set[str]):
    """"Mr Murashko", "Ms Aliyeva", or a surname alone once its bearer has spoken or been named.

    A surname the document also gives to someone unknown is linked only once its bearer was named in full.
    """
    word = m.group()
    nxt = NEXT_WORD.match(text, m.end()) if word in HONORIFICS else None
    if nxt:
        family = nxt.group(1)
        keys = set(g.surnames.get(family, set()))
        if family in known:
            keys = {known[family]}
        elif keys and family in contested:
            keys.add("person:?")
        return (m.start(), nxt.end(), keys) if keys else None
    if word in known and not after_a_name(text, m.start()):
        return m.start(), m.end(), {known[word]}
    return None


def after_a_name(text: str, start: int) -> bool:
    """Does a capitalised word that is not a title stand right before `start` ("Heydar Aliyev")?"""
    before = WORD_BEFORE.search(text, max(0, start - 40), start)
    if not before:
        return False
    word = before.group(1)
    return word[:1].isupper() and word.lower() not in TITLE_WORDS and word not in HONORIFICS


def mentions_of(i: int) -> tuple[tuple[Mention, ...], list[Problem]]:
    """The mentions and doubts of document `i` of the shared (documents, gazetteer): for fork_map."""
    documents, g = shared()
    doc, found = find_mentions(documents[i], g)
    return doc.mentions, found


def attach_mentions(documents: list[Document], people: dict[str, Person], registry: Registry):
    """Find the mentions of every document; return documents, entities, people and the doubts found."""
    g = build_gazetteer(documents, people, registry)
    out, problems = [], []
    for doc, (mentions, found) in zip(documents, fork_map(mentions_of, range(len(documents)), (documents, g))):
        out.append(dataclasses.replace(doc, mentions=mentions))
        problems += found
    used = {m.key for d in out for m in d.mentions} | {f"person:{pid}" for pid, p in people.items() if p.kind == "person"}
    entities = {k: g.entities[k] for k in sorted(used) if k in g.entities}
    people = dict(people)
    for key, e in entities.items():
        if e.type == "person" and e.id not in people:  # named, never speaking: a page all the same
            people[e.id] = Person(e.id, e.name, "person", e.aliases, e.description)
    return out, entities, dict(sorted(people.items())), problems
