"""The editors' quality report: what in the archive is doubtful, found once every document is known."""
from __future__ import annotations

import collections
import difflib

from annals.errors import Problem
from annals.labels import CONNECTORS, LABEL
from annals.model import Document, Person
from annals.resolve import base_id

CLOSE = 0.85  # names this similar (difflib ratio) are probably one person spelled two ways


def check_archive(documents: list[Document], people: dict[str, Person]) -> list[Problem]:
    """Every doubt about the archive: texts filed twice, ids that clash, labels not taken, near names."""
    problems = []
    for doc in documents:
        problems += check_document(doc)
    keys = {id(d): body_key(d) for d in documents}
    return problems + filed_twice(documents, keys) + id_clashes(documents, keys) + near_names(documents, people)


def check_document(doc: Document) -> list[Problem]:
    """Doubts about one document: lines that look like labels, paragraphs the parser joined."""
    out = []
    for p in doc.paragraphs:
        m = None if p.label else LABEL.match(p.text)
        if m and looks_like_label(m.group("label")):
            out.append(Problem(doc.source, p.line, f"'{m.group('label')}:' looks like a speaker label but was not "
                               "taken as one", "a label ends with a name ('Minister of Sport Pavel Kolobkov:') or is "
                               "a role such as 'Question:'; if it is narration, nothing needs doing", "warning"))
        for line in p.joined:
            out.append(Problem(doc.source, line, f"paragraph joined to the one before (line {p.line}): it was "
                               "broken in the middle of a sentence", "if they are two paragraphs, end the first "
                               "with a full stop", "warning"))
    return out


def looks_like_label(text: str) -> bool:
    """Short, and every word capitalised or a connector: a title or a name ("Minister of Sport")."""
    words = text.split()
    return 0 < len(words) <= 6 and all(w[:1].isupper() or w in CONNECTORS for w in words)


def filed_twice(documents: list[Document], keys: dict[int, tuple]) -> list[Problem]:
    """The same text in two source files is an error: one of them is surely a mistake (keys: body_key by id())."""
    first: dict[tuple, Document] = {}
    out = []
    for doc in sorted(documents, key=lambda d: d.source):
        key = keys[id(doc)]
        if key in first:
            out.append(Problem(doc.source, 1, f"the same text as {first[key].source}: filed twice",
                               "remove one of the two files"))
        else:
            first[key] = doc
    return out


def body_key(doc: Document) -> tuple:
    """What makes two documents the same text: date, title and every paragraph's words."""
    return (doc.date, doc.title.casefold(), tuple(" ".join(p.text.split()) for p in doc.paragraphs))


def id_clashes(documents: list[Document], keys: dict[int, tuple]) -> list[Problem]:
    """Documents of the same date and title get distinct ids (a suffix from their path): say so."""
    by_base = collections.defaultdict(list)
    twice = collections.Counter(keys.values())
    for doc in (d for d in documents if twice[keys[id(d)]] == 1):  # a text filed twice is reported as such
        by_base[base_id(doc)].append(doc)
    out = []
    for docs in by_base.values():
        if len(docs) > 1:
            for d in docs:
                others = ", ".join(o.source for o in docs if o is not d)
                out.append(Problem(d.source, d.title_line, f"same date and title as {others}: given the id {d.id}",
                                   "if they are different documents, give one a more precise title", "warning"))
    return out


def near_names(documents: list[Document], people: dict[str, Person]) -> list[Problem]:
    """A speaker seen in one document whose name is close to a more frequent one: probably a misspelling."""
    turns = collections.Counter(p.speaker for d in documents for p in d.paragraphs if p.label and p.speaker)
    persons = [p for p in people.values() if p.kind == "person" and p.documents]
    weight = {p.id: (len(p.documents), turns[p.id], p.id) for p in persons}
    out = []
    for rare in (p for p in persons if len(p.documents) == 1):
        close = [p for p in persons if p.id != rare.id and weight[p.id] > weight[rare.id]
                 and p.name[:1] == rare.name[:1]
                 and difflib.SequenceMatcher(None, rare.name.casefold(), p.name.casefold()).ratio() >= CLOSE]
        if close:
            best = max(close, key=lambda p: weight[p.id])
            doc = next(d for d in documents if d.id == rare.documents[0])
            line = next(p.line for p in doc.paragraphs if p.speaker == rare.id)
            out.append(Problem(doc.source, line, f"speaker '{rare.name}' (seen once) is close to '{best.name}'",
                               f"if it is the same person, add '{rare.name}' to the aliases of {best.id} in "
                               "registry/people.yml", "warning"))
    return out
