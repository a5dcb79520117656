"""Contacts: who met, talked, telephoned or wrote to whom, as the texts record it (issue 16).

A contact is read from the title and from narration (never from what speakers say in their turns: a speaker's
"we met many times" is a memory, not a dated record), one sentence at a time, by words of contact that link
people as subject and object of one clause: "A met (with) B", "A spoke by telephone with B", "A congratulated
B", "A sent a message of condolences to B", "A and B held talks", "the summit was attended by A, B and C". A
subject-less title ("Telephone conversation with B", "Greetings to B") and a subject that is an office ("The
Russian President", "The President") name the holder of that office on the document's date; a bare "The
President" or "The head of state" is the holder of the office the publisher speaks for (`implied`).

Precision comes first: the subject must open its clause (after at most an introductory phrase), the object
must follow the words of contact directly, and a clause with a word of doubt before its object (future or
modal verbs, negation, reported speech, "hoped", "invited", a year other than the document's) records none.
A news item tells one event: the title's contact is left out when the text records the same kind of contact
between the same people (the text's sentence is the better link). "A and B discussed ..." is a contact only
where the document records none of theirs before (it is what their meeting or call consisted of).
"""
from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Callable

from annals.clauses import (Sentence, actors, elaborated, groups_of, object_at, opens_clause, read_sentence,
                            subject_at)
from annals.contact_words import EVENT, HOSTING, NOUN_KIND, RULES, SUMMIT_CUE, WORDS, Rule
from annals.gazetteer import Gazetteer
from annals.mentions import Context, build_gazetteer, scan, tokens_last
from annals.memo import remembered_map, shared_key
from annals.model import Contact, Document, Entity, Person, Publisher
from annals.offices import Offices
from annals.parallel import fork_map
from annals.registry import Registry
from annals.sentences import sentence_spans

MEETING_SIZE = 8  # in a phone-in with fifty callers, each caller has not met every other
CONTEXT = 200  # characters of a long sentence kept as a contact's words on either side of the words of contact
GROUP_SIZE = 40  # a "meeting" of more is a crowd (a forum of 3,000): not each of them met each other
# Finds the people a text names: (start, end, person id) of each name, in order (for titles, which have no mentions)
NamesIn = Callable[[Document, str], list[tuple[int, int, str]]]


@dataclass(frozen=True, slots=True)
class Found:
    """A contact found in a sentence, before it is placed: the weak ones ("A and B discussed") are kept only
    where nothing before records these people's contact."""

    kind: str
    people: tuple[str, ...]
    weak: bool = False


def attach_contacts(documents: list[Document], people: dict[str, Person], publishers: dict[str, Publisher],
                    offices: Offices, names: NamesIn | None = None, digests: list | None = None) -> list[Document]:
    """Every document with its contacts (Document.contacts), in the order of the text. `names` finds the
    people a title names (by default, the archive's people by every name and alias they are known by). Where
    the contacts are remembered (annals.memo: `names` finds them with a gazetteer), each document's digest is
    added to `digests`, when given: the digest of the document with its contacts (memo.outcome_digest)."""
    names = names or names_finder(people, offices)
    data = (documents, people, publishers, offices, names)
    if isinstance(names, functools.partial) and names.func is names_in and not names.keywords:
        g, names_offices = names.args  # what a document's contacts depend on beyond itself: remembered by it
        shared = shared_key(sorted((pid, p.kind) for pid, p in people.items()), sorted(publishers.items()),
                            offices.offices, names_offices.offices)
        found = remembered_map(contacts_of, documents, data, shared, "contacts", digests=digests, names=g)
    else:
        found = fork_map(contacts_of, range(len(documents)), data)
    return [dataclasses.replace(doc, contacts=contacts) for doc, contacts in zip(documents, found)]


def contacts_of(data: tuple, i: int) -> tuple[Contact, ...]:
    """The contacts of document `i` of (documents, people, publishers, offices, names): for fork_map."""
    documents, people, publishers, offices, names = data
    doc = documents[i]
    publisher = publishers.get(doc.publisher)
    holder = offices.holder(publisher.office, doc.date) if publisher and publisher.office else None
    return find_contacts(doc, people, holder.person if holder else None, offices, names)


def names_finder(people: dict[str, Person], offices: Offices | None = None, g: Gazetteer | None = None) -> NamesIn:
    """Find people in a text as mentions are found (annals.mentions.scan), with the gazetteer `g` (by default,
    one of the archive's people by every name and alias): by name, and by a surname after a title or "Mr"
    where the document names its bearer or an office holds it on its date."""
    if g is None:
        g = Gazetteer()
        for p in people.values():
            if p.kind == "person":
                g.add(Entity("person", p.id, p.name, p.aliases), (p.name, *p.aliases), "speakers")
    return functools.partial(names_in, g, offices or Offices())


def registry_names(documents: list[Document], people: dict[str, Person], registry: Registry) -> NamesIn:
    """Find people in a text with the gazetteer mentions are found with (registry entries, speakers, office
    holders; places and bodies too, so that "the Heydar Aliyev Foundation" is no person)."""
    return names_finder(people, registry.office_index, build_gazetteer(documents, people, registry))


def names_in(g: Gazetteer, offices: Offices, doc: Document, text: str) -> list[tuple[int, int, str]]:
    """The people of the gazetteer `g` that `text` (of document `doc`) names: (start, end, person id)."""
    keys = [f"person:{m.entity}" for m in doc.mentions if m.type == "person"]
    keys += [f"person:{s.id}" for s in doc.speakers if s.kind == "person"]
    known = {tokens_last(g.entities[k].name): k for k in keys if k in g.entities}
    held = frozenset(f"person:{h.person}" for _, h in offices.in_office(doc.date))
    found, _ = scan(text, g, known, set(), Context(frozenset(keys), held))
    return [(s, e, k.split(":", 1)[1]) for s, e, k in found if k.startswith("person:")]


def find_contacts(doc: Document, people: dict[str, Person], implied: str | None, offices: Offices | None = None,
                  names: NamesIn | None = None) -> tuple[Contact, ...]:
    """The contacts a document records; `implied` is the id of the person a subject-less title or sentence
    means ("Telephone conversation with ...": the holder, on the document's date, of its publisher's office).
    `names` finds the people its title names; `offices` gives an office named in the text ("the Azerbaijani
    President") its holder on the document's date."""
    offices = offices or Offices()
    title_names = names(doc, doc.title) if names else []
    title = list(sentence_contacts(doc, 0, doc.title, title_names, implied, offices, title=True))
    host = title_host(doc.title, title_names, implied, offices, doc)
    body, inside = [], False
    by_paragraph = people_by_paragraph(doc)
    for p in doc.paragraphs:
        if p.turn is None and p.label is None and not quoted(p.text, inside):
            body += sentence_contacts(doc, p.n, p.text, by_paragraph.get(p.n, []), implied, offices, host=host)
        inside = in_quotation(p.text, inside) if p.turn is None else False
    found = placed(title, body) + list(transcript_contacts(doc, people))
    return tuple(sorted(found, key=lambda c: c.paragraph))  # stable: the text's order within a paragraph


def quoted(text: str, inside: bool) -> bool:
    """Is a paragraph of narration quoted words (a message read out): inside a quotation opened before, or
    opening with one?"""
    return inside or text[:1] in "“\"«"


def in_quotation(text: str, inside: bool) -> bool:
    """Is a quotation still open after this paragraph ("“We are glad ..." with its "”" paragraphs later)?"""
    opened, closed = max(text.rfind("“"), text.rfind("«")), max(text.rfind("”"), text.rfind("»"))
    return opened > closed if opened >= 0 or closed >= 0 else inside


def people_by_paragraph(doc: Document) -> dict[int, list[tuple[int, int, str]]]:
    """The person mentions of each paragraph: (start, end, person id), in order."""
    out: dict[int, list[tuple[int, int, str]]] = {}
    for m in doc.mentions:
        if m.type == "person" and m.end > m.start:
            out.setdefault(m.paragraph, []).append((m.start, m.end, m.entity))
    return out


def placed(title: list[tuple[Found, Contact]], body: list[tuple[Found, Contact]]) -> list[Contact]:
    """The title's contacts and the text's, in order: a weak one only where nothing before records a contact
    of its people; a title's only where the text does not record the same kind between the same people."""
    seen: list[frozenset[str]] = []
    out: list[tuple[Found, Contact]] = []
    for found, contact in title + body:
        people = frozenset(found.people)
        if found.weak and any(people <= s for s in seen):
            continue
        seen.append(people)
        out.append((found, contact))
    told = {(c.kind, c.people) for _, c in out if c.paragraph > 0}
    return [c for _, c in out if c.paragraph > 0 or (c.kind, c.people) not in told]


def sentence_contacts(doc: Document, n: int, text: str, named: list[tuple[int, int, str]], implied: str | None,
                      offices: Offices, title: bool = False, host: Host | None = None):
    """(Found, Contact) of each contact the sentences of one paragraph (n; 0: the title) record, in order."""
    starts = [s for s, _, _ in named]
    for s, e in sentence_spans(text):
        matches = list(WORDS.finditer(text, s, e))
        if not matches:
            continue
        inside = named[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]
        sentence = read_sentence(text, s, e, inside, implied, offices, doc)
        seen = set()
        for m in matches:
            rule = RULES[int(m.lastgroup[1:])]
            for found, lo, hi in contacts_of_rule(sentence, rule, m, title, host or Host()):
                if sentence.elsewhen and found.kind != "message":
                    continue  # "... met in 1999": a memory (a message may name the year it celebrates)
                if (found.kind, found.people) not in seen:
                    seen.add((found.kind, found.people))
                    ws, we = around(text, s, e, lo, hi)
                    yield found, Contact(found.kind, found.people, n, ws, we, text[ws:we])


def around(text: str, s: int, e: int, lo: int, hi: int) -> tuple[int, int]:
    """The words of a contact: its sentence, or in a long one, the words of contact and their people with up
    to CONTEXT characters on either side, cut at spaces."""
    start = s if lo - s <= CONTEXT else text.find(" ", lo - CONTEXT, lo) + 1 or lo
    end = e if e - hi <= CONTEXT else text.rfind(" ", hi, hi + CONTEXT)
    return start, end if end > hi else hi


def contacts_of_rule(sentence: Sentence, rule: Rule, m: re.Match, title: bool, host: Host):
    """(Found, start, end) of the contacts these words of contact make in the sentence."""
    a0, a1 = m.start(), m.end()
    if rule.form == "in":
        yield from in_message(sentence, rule, m)
        return
    if rule.form in ("title", "between", "list", "implied"):
        obj = object_at(sentence, a1, rule)
        if obj is None or sentence.doubt_before(obj.end):
            return
        kind = noun_kind(m.group(), rule.kind)
        alone = sentence.before(a0) < 0  # no one named before the words: the implied party's
        if rule.form == "title" and title and alone and sentence.implied:
            yield from made(kind, (sentence.implied,), obj.ids, sentence.start, obj.end, pairs=is_pairwise(kind))
        elif rule.form == "implied" and alone and sentence.implied:
            yield from made(kind, (sentence.implied,), obj.ids, a0, obj.end, pairs=True)
        elif rule.form == "between" and len(obj.ids) >= 2:
            yield from made(kind, (), obj.ids, a0, obj.end)
        elif rule.form == "list":
            near = max(sentence.start, a0 - CONTEXT), min(sentence.end, obj.end + CONTEXT)
            summit = host.kind == "summit" or SUMMIT_CUE.search(sentence.text, *near)
            yield from made("summit" if summit else "meeting", host.people, obj.ids, a0, obj.end)
        return
    subject = subject_at(sentence, a0)
    if subject is None and rule.form == "verb" and sentence.before(a0) < 0:
        obj = object_at(sentence, a1, rule)
        subject = elaborated(sentence, obj.end if obj else a1)
        if obj and subject and not sentence.doubt_before(obj.end):
            yield from made(rule.kind, subject.ids, obj.ids, a0, subject.end, pairs=is_pairwise(rule.kind))
        return
    if subject is None:
        return
    if rule.form in ("weak", "attend"):
        if len(subject.ids) >= 2 and not sentence.doubt_before(a1):
            yield from made(rule.kind, subject.ids, (), subject.start, a1, weak=rule.form == "weak")
        return
    obj = object_at(sentence, a1, rule)
    if sentence.doubt_before(obj.end if obj else a1):
        return
    if obj:
        pairs = is_pairwise(rule.kind) or "separately" in m.group()
        yield from made(rule.kind, subject.ids, obj.ids, subject.start, obj.end, pairs=pairs)
    elif rule.alone and len(subject.ids) >= 2:
        yield from made(rule.kind, subject.ids, (), subject.start, a1)


def is_pairwise(kind: str) -> bool:
    """A call or a message to several people is one to each of them; a meeting of several is one meeting."""
    return kind in ("message", "telephone")


def noun_kind(words: str, kind: str) -> str:
    """The kind a noun of contact gives ("Telephone conversation": telephone), else the rule's."""
    low = words.lower()
    return next((k for noun, k in NOUN_KIND if noun in low), kind)


def made(kind: str, subjects: tuple[str, ...], objects: tuple[str, ...], lo: int, hi: int, pairs: bool = False,
         weak: bool = False):
    """The contacts of subjects and objects: each subject with each object (pairs: a call, a message), or all
    of them together (a meeting, talks, a summit); two people at least, GROUP_SIZE at most together."""
    if pairs and subjects and objects:
        many = min(len(subjects), len(objects)) > 1 and len(subjects) * len(objects) > GROUP_SIZE
        sets = [] if many else [(a, b) for a in subjects for b in objects]
    else:
        sets = [subjects + objects] if len(set(subjects + objects)) <= GROUP_SIZE else []
    for ids in sets:
        people = tuple(sorted(set(ids)))
        if len(people) >= 2:
            yield Found(kind, people, weak), lo, hi


def in_message(sentence: Sentence, rule: Rule, m: re.Match):
    """"In his message to B, A noted ...": the words open the sentence, B follows them, A follows B's comma."""
    if not opens_clause(sentence, m.start()) or sentence.before(m.start()) >= 0:
        return
    obj = object_at(sentence, m.end(), dataclasses.replace(rule, prep=""))
    if obj is None:
        return
    j = sentence.after(obj.end)
    if j >= len(sentence.groups):
        return
    subject = sentence.groups[j]
    if subject.possessive or subject.start - obj.end > 3 or sentence.text[obj.end:subject.start].strip() != "," \
            or sentence.doubt_before(subject.end):
        return
    kind = noun_kind(m.group(), "message")
    yield from made(kind, subject.ids, obj.ids, m.start(), subject.end, pairs=True)


@dataclass(frozen=True, slots=True)
class Host:
    """Who the title says held or attended its event, and its kind (summit or meeting): they were at the
    meeting whose participants the text lists ("The meeting was attended by ...")."""

    people: tuple[str, ...] = ()
    kind: str = ""


def title_host(title: str, named: list[tuple[int, int, str]], implied: str | None, offices: Offices,
               doc: Document) -> Host:
    """The people opening a title such as "President Vladimir Putin held a meeting with ...", or the implied
    party of a subject-less title that starts with its event ("CIS summit", "Informal meeting of CIS heads of
    state"); nobody where the title names no event."""
    event = EVENT.search(title)
    if not event:
        return Host()
    kind = "summit" if SUMMIT_CUE.search(title) else "meeting"
    groups = groups_of(title, 0, len(title), actors(title, 0, len(title), named, implied, offices, doc))
    if groups and not title[:groups[0].start].strip() and HOSTING.search(title, groups[0].end, event.start()):
        return Host(groups[0].ids, kind)
    if not groups and implied and len(title[:event.start()].split()) < 4:
        return Host((implied,), kind)
    return Host()


def transcript_contacts(doc: Document, people: dict[str, Person]) -> tuple[Contact, ...]:
    """People who speak together in a transcript of at most MEETING_SIZE speakers: one contact of them all,
    recorded where the second of them first speaks: its label is the contact's text (start = end = 0, the label
    not being part of the paragraph's text)."""
    first: dict[str, int] = {}
    for p in doc.paragraphs:
        if p.label and p.speaker in people and people[p.speaker].kind == "person":
            first.setdefault(p.speaker, p.n)
    if not 2 <= len(first) <= MEETING_SIZE:
        return ()
    n = sorted(first.values())[1]
    label = next(p.label for p in doc.paragraphs if p.n == n)
    return (Contact("transcript", tuple(sorted(first)), n, 0, 0, label),)


def contact_people(documents: list[Document], people: dict[str, Person], offices: Offices,
                   names: dict[str, str]) -> dict[str, Person]:
    """The people, with a page for everyone a contact names who has none yet: the holder an office implies
    (the President of Russia of a "Telephone conversation with ..." title), someone named only in a title.
    `names` gives the names the gazetteer knows (person id -> name)."""
    known = {**names, **offices.holders()}
    missing = sorted({p for d in documents for c in d.contacts for p in c.people} - set(people))
    added = {pid: Person(pid, known[pid], "person") for pid in missing if pid in known}
    return dict(sorted({**people, **added}.items())) if added else people
