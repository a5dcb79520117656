"""Find mentions: the names of people, places, organisations and topics in every paragraph."""
from __future__ import annotations

import collections
import dataclasses
import functools
import itertools
import re

from annals.errors import Problem
from annals.gazetteer import TOKEN, Gazetteer, cities, countries, tokens
from annals.labels import TITLE_WORDS, parse_label
from annals.model import Document, Entity, Mention, Person
from annals.named import Named, is_head, titled_names
from annals.offices import Offices
from annals.memo import derive, remembered_map, shared_key
from annals.registry import Registry
from annals.resolve import unify_identities
from annals.slug import slugify

HONORIFICS = frozenset("Mr Mrs Ms Madam Mister Dr".split())
PLACE_SPLIT = re.compile(r"\s*,\s*")


def build_gazetteer(documents: list[Document], people: dict[str, Person], registry: Registry) -> Gazetteer:
    """Know every name of the archive: registry entries, speakers, place lines, tags, countries and cities."""
    g = Gazetteer()
    for e in registry.entries:
        g.add(Entity(e.type, e.id, e.name, e.aliases, e.description, "registry"), (e.name, *e.aliases), "registry")
    add_people(g, documents, people, registry)
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


def add_people(g: Gazetteer, documents: list[Document], people: dict[str, Person], registry: Registry) -> None:
    """Know the archive's people: speakers (and people named in narration, once found) under every spelling,
    and the registry's office holders."""
    spoken = spoken_names(documents)
    for person in people.values():
        if person.kind == "person":
            g.add(Entity("person", person.id, person.name, person.aliases, person.description, "speakers"),
                  (person.name, *person.aliases, *sorted(spoken.get(person.id, ()))), "speakers")
    for pid, name in sorted(registry.office_index.holders().items()):
        if f"person:{pid}" not in g.entities:
            g.add(Entity("person", pid, name, origin="speakers"), (name,), "speakers")
    for person in people.values():  # "Mr Aliev" as well as "Mr Aliyev"
        for form in (tokens(a) for a in person.aliases if person.kind == "person"):
            if len(form) >= 2 and f"person:{person.id}" in g.entities:
                g.surnames.setdefault(form[-1], set()).add(f"person:{person.id}")


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


def find_mentions(doc: Document, g: Gazetteer, weight: dict[str, int] | None = None,
                  offices: Offices | None = None, decided: list | None = None) -> tuple[Document, list[Problem]]:
    """Attach every mention in the document's place line, tags and paragraphs; report ambiguous names.

    A short form ("Mr Aliyev", "President Aliyev") that several people bear goes to the one the document
    allows: named in full or speaking there, else holding an office on the document's date, else by far the
    most frequent in the archive (`weight`: documents per person key). Each choice made by weight is added
    to `decided`, when given: (the keys, the one chosen or none)."""
    mentions, problems = header_mentions(doc, g), []
    contested = contested_surnames(doc, g)
    known = {tokens_last(g.entities[f"person:{s.id}"].name): f"person:{s.id}" for s in doc.speakers
             if f"person:{s.id}" in g.entities}
    known = {family: key for family, key in known.items() if family not in contested}
    held = frozenset(f"person:{h.person}" for _, h in offices.in_office(doc.date)) if offices else frozenset()
    ctx = Context(frozenset(f"person:{s.id}" for s in doc.speakers), held, weight or {}, decided)
    titled, _ = scan(doc.title, g, known, contested, ctx)  # the people the title names settle "Mr Aliyev"
    mentions += [Mention(0, s, e, *key.split(":", 1), doc.title[s:e]) for s, e, key in titled
                 if key.startswith("person:")]  # and are mentions of the heading (paragraph 0)
    for p in doc.paragraphs:
        found, doubts = scan(p.text, g, known, contested, ctx)
        mentions += [Mention(p.n, s, e, *key.split(":", 1), p.text[s:e]) for s, e, key in found]
        problems += [Problem(doc.source, p.line, f"ambiguous name '{text}' ({names(keys, g)}): left unlinked",
                             "add it to a registry file as a name or alias of the right entry", "warning")
                     for text, keys in doubts]
    return dataclasses.replace(doc, mentions=tuple(mentions)), problems


@dataclasses.dataclass(frozen=True)
class Context:
    """What settles a short form borne by several people: who speaks in the document, who holds an office
    on its date, and how many documents each person is in."""

    speaking: frozenset[str] = frozenset()
    in_office: frozenset[str] = frozenset()
    weight: dict[str, int] = dataclasses.field(default_factory=dict)
    decided: list | None = None  # where the choices made by weight are noted, if anywhere

    def choose(self, keys: set[str]) -> set[str]:
        """The one key of `keys` the context allows, or `keys` as they were."""
        if len(keys) < 2 or "person:?" in keys:
            return keys
        for among in (self.speaking, self.in_office):
            chosen = keys & among
            if len(chosen) == 1:
                return chosen
        chosen = by_weight(tuple(sorted(keys)), self.weight)
        if self.decided is not None:
            self.decided.append((tuple(sorted(keys)), chosen))
        return {chosen} if chosen else keys


def by_weight(keys: tuple[str, ...], weight: dict[str, int]) -> str | None:
    """The one of several keys that is in far more documents than the others together (`weight`), if any."""
    counts = sorted(((weight.get(k, 0), k) for k in keys), reverse=True)
    if counts[0][0] >= DOMINANT * max(1, sum(n for n, _ in counts[1:])):
        return counts[0][1]
    return None


DOMINANT = 10  # a short form goes to the most frequent bearer when they are in this many times more documents


def header_mentions(doc: Document, g: Gazetteer) -> list[Mention]:
    """The place line and front matter tags as mentions of paragraph 0, the document's header."""
    out = []
    for part in place_parts(doc):
        held = g.forms.get(tuple(TOKEN.findall(part)))
        if held and len(held[1]) == 1:
            key = next(iter(held[1]))
            out.append(Mention(0, 0, 0, *key.split(":", 1), part))
    for tag in doc.tags:
        out.append(Mention(0, 0, 0, "topic", g.topic_of(tag), tag))
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


def scan(text: str, g: Gazetteer, known: dict[str, str], contested: set[str] = frozenset(),
         ctx: Context = Context()) -> tuple[list[tuple[int, int, str]], list[tuple[str, set]]]:
    """Find (start, end, key) of every mention in `text`, longest form first; and the ambiguous names."""
    found, doubts, pos = [], [], 0
    for m in name_starts(text, g):
        if m.start() < pos:
            continue
        hit = match_form(text, m, g) or match_surname(text, m, g, known, contested, ctx)
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
    """The longest known form starting at the word m: (start, end, keys), or None.

    None too for a place that is part of a longer name here: a person's ("John Kennedy"), another place's
    ("Northern Ireland") or a region's ("Kursk Region").
    """
    hit = g.match(text, m.start(), m.group())
    if hit is None:
        return None
    end, keys = hit
    return (m.start(), end, keys) if g.stands_here(text, m.start(), end, keys) else None


def name_starts(text: str, g: Gazetteer):
    """The words where a name may start, in order: capitalised words, and the first words of the topics
    matched in any letter case ("coronavirus"). For scan, in place of CAPITAL.finditer(text)."""
    return g.start_pattern(CAPITAL).finditer(text)


def match_surname(text: str, m: re.Match, g: Gazetteer, known: dict[str, str], contested: set[str],
                  ctx: Context = Context()):
    """"Mr Murashko", "Ms Aliyeva", "President Aliyev", or a surname alone once its bearer has spoken or been
    named. A surname several people bear goes to the one the context allows (Context.choose).

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
        return (m.start(), nxt.end(), ctx.choose(keys)) if keys else None
    if word in known and not after_a_name(text, m.start()):
        return m.start(), m.end(), {known[word]}
    if word in g.surnames and after_a_title(text, m.start()):
        keys = set(g.surnames[word]) | ({"person:?"} if word in contested else set())
        return m.start(), m.end(), ctx.choose(keys)
    return None


def after_a_title(text: str, start: int) -> bool:
    """Does a title word stand right before `start` ("President Aliyev", "Chancellor Merkel")?"""
    before = WORD_BEFORE.search(text, max(0, start - 40), start)
    return bool(before) and before.group(1)[:1].isupper() and is_head(before.group(1))


def after_a_name(text: str, start: int) -> bool:
    """Does a capitalised word that is not a title stand right before `start` ("Heydar Aliyev")?"""
    before = WORD_BEFORE.search(text, max(0, start - 40), start)
    if not before:
        return False
    word = before.group(1)
    return word[:1].isupper() and word.lower() not in TITLE_WORDS and word not in HONORIFICS


def mentions_of(data: tuple, i: int) -> tuple[tuple[Mention, ...], list[Problem], tuple]:
    """The mentions and doubts of document `i` of (documents, gazetteer, weights, offices), and the choices
    made by weight (which hold while `still_chosen`): for fork_map."""
    documents, g, weight, offices = data
    decided: list = []
    doc, found = find_mentions(documents[i], g, weight, offices, decided)
    return doc.mentions, found, tuple(dict.fromkeys(decided))


def still_chosen(weight: dict[str, int], result: tuple) -> bool:
    """Would the weights of the archive as it is now make the choices a document's mentions were found with?"""
    return all(by_weight(keys, weight) == chosen for keys, chosen in result[2])


def named_of(data: tuple, i: int) -> list[tuple[int, Named]]:
    """The people document `i` names after a title (see annals.named), in its title (paragraph 0) and its
    paragraphs: for fork_map."""
    documents, g = data
    is_other = functools.partial(is_place_or_body, g)
    doc = documents[i]
    return [(n, named) for n, text in [(0, doc.title)] + [(p.n, p.text) for p in doc.paragraphs]
            for named in titled_names(text, is_other)]


def is_place_or_body(g: Gazetteer, words: tuple[str, ...]) -> bool:
    """Is a run of words a form the archive knows as something other than a person?"""
    held = g.forms.get(tokens(" ".join(words)))
    return bool(held) and any(not k.startswith("person:") for k in held[1])


def people_named(documents: list[Document], g: Gazetteer, registry: Registry):
    """Every person named after a title in narration: their id (an existing person's where the name is one
    of theirs), spellings, roles; and the pairs named as two people in one paragraph (never one person)."""
    aliases = registry.alias_map()
    spellings: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    roles: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    apart: set[frozenset[str]] = set()
    found_in = remembered_map(named_of, documents, (documents, g), "", "named", names=g)
    for doc, found in zip(documents, found_in):
        ids_in: dict[int, set[str]] = collections.defaultdict(set)
        for n, named in found:
            pid = person_id(named.name, g, aliases)
            spellings[pid][named.name] += 1
            roles[pid][named.role] += 1
            ids_in[n].add(pid)
        apart |= {frozenset(pair) for ids in ids_in.values() for pair in itertools.combinations(sorted(ids), 2)}
    return spellings, roles, apart


def person_id(name: str, g: Gazetteer, aliases: dict[str, str]) -> str:
    """The id of the person a name is: a registry alias, a person the gazetteer knows by it, or its slug."""
    folded = " ".join(name.split()).casefold()
    if folded in aliases:
        return aliases[folded]
    held = g.forms.get(tokens(name))
    persons = sorted(k for k in held[1] if k.startswith("person:")) if held else []
    return persons[0].split(":", 1)[1] if len(persons) == 1 else slugify(name)


def attach_mentions(documents: list[Document], people: dict[str, Person], registry: Registry):
    """Find the people named in narration, unify spellings of one person, then find the mentions of every
    document; return documents, entities, people, the doubts found and what unifying did."""
    g = build_gazetteer(documents, people, registry)
    spellings, roles, apart = people_named(documents, g, registry)
    documents, people, identities = unify_identities(documents, people, spellings, apart, registry)
    people, holders = dict(people), registry.office_index.holders()
    for pid, counter in sorted(spellings.items()):
        pid = identities.merged.get(pid, pid)
        if pid not in people:
            name = holders.get(pid) or max(counter.items(), key=lambda kv: (kv[1], kv[0]))[0]
            people[pid] = Person(pid, name, "person")
        titles = tuple(r for r, _ in sorted(roles[pid].items(), key=lambda kv: (-kv[1], kv[0])))
        people[pid] = dataclasses.replace(people[pid], titles=tuple(dict.fromkeys(people[pid].titles + titles)),
                                          aliases=tuple(dict.fromkeys(people[pid].aliases + tuple(
                                              n for n in sorted(counter) if n != people[pid].name))))
    g = build_gazetteer(documents, people, registry)
    weight: collections.Counter = collections.Counter()
    for pid, counter in spellings.items():
        weight[f"person:{identities.merged.get(pid, pid)}"] += sum(counter.values())
    for p in people.values():
        weight[f"person:{p.id}"] += len(p.documents)
    out, problems = [], []
    weight = dict(weight)
    data = (documents, g, weight, registry.office_index)
    found_in = remembered_map(mentions_of, documents, data, shared_key(registry.office_index.offices), "mentions",
                              functools.partial(still_chosen, weight), names=g)
    for doc, (mentions, found, _) in zip(documents, found_in):
        out.append(dataclasses.replace(doc, mentions=mentions))
        derive(out[-1], doc, "mentions")  # the contacts' step knows it by its mentions
        problems += found
    used = {m.key for d in out for m in d.mentions} | {f"person:{pid}" for pid, p in people.items() if p.kind == "person"}
    entities = {k: g.entities[k] for k in sorted(used) if k in g.entities}
    for key, e in entities.items():
        if e.type == "person" and e.id not in people:  # named, never speaking: a page all the same
            people[e.id] = Person(e.id, e.name, "person", e.aliases, e.description)
    people = {pid: p for pid, p in people.items() if p.documents or f"person:{pid}" in used}
    return out, entities, dict(sorted(people.items())), problems, identities
