"""The editors' quality report: what in the archive is doubtful, found once every document is known."""
from __future__ import annotations

import collections
import difflib
import hashlib
import re

from annals import cache
from annals.errors import Problem
from annals.labels import CONNECTORS, LABEL
from annals.mentions import place_parts
from annals.model import Document, Entity, GlossaryTerm, Person
from annals.parallel import fork_map
from annals.parse import dateline_problems
from annals.registry import RegistryEntry
from annals.render.common import is_page_id
from annals.resolve import base_id
from annals.slug import slugify

CLOSE = 0.85  # names this similar (difflib ratio) are probably one person spelled two ways


def check_archive(documents: list[Document], people: dict[str, Person], names: bool = True) -> list[Problem]:
    """Every doubt about the archive: texts filed twice, ids that clash, labels not taken, near names (unless
    `names` is false: they are looked for once spellings are unified), no word for search.

    Each document's own doubts and body digest (`checked`) are kept in the cache (CHECKED), by its source file
    and the SHA-256 of its bytes, with the code: `checked` reads only what parsing made of the source (its path,
    date, time, title and paragraphs' text, labels, lines and joins, which resolving leaves as they are), so the
    same bytes give the same result, and an edit checks the edited text alone."""
    where = cache.cache_root() / CHECKED
    kept = cache.load(where)
    known = kept[1] if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == CODE and isinstance(kept[1], dict) \
        else {}
    keys_of = [(doc.source, doc.sha256) if doc.sha256 else None for doc in documents]
    missing = [i for i, k in enumerate(keys_of) if k is None or k not in known]
    made = dict(zip(missing, fork_map(checked, missing, documents)))  # every core
    problems, keys, now = [], {}, {}
    for i, (doc, k) in enumerate(zip(documents, keys_of)):
        found, key = made[i] if i in made else known[k]
        problems += found
        keys[id(doc)] = key
        if k is not None:
            now[k] = (found, key)
    if now != known:
        cache.store(where, (CODE, now))
    return (problems + filed_twice(documents, keys) + id_clashes(documents, keys)
            + (near_names(documents, people) if names else []) + no_words(documents))


CHECKED = "checked.pickle"  # in the cache: each source's own doubts and body digest, by its path and bytes' SHA-256
CODE = cache.package_code()


def checked(documents: list[Document], i: int) -> tuple[list[Problem], bytes]:
    """Document i's doubts (check_document) and the digest of its body_key: for fork_map (a digest travels
    back between processes, not the whole text)."""
    doc = documents[i]
    key = body_key(doc)
    digest = hashlib.sha256(f"{key[0]}\0{len(key[1])}:{key[1]}".encode())
    for text in key[2]:
        digest.update(f"\0{len(text)}:{text}".encode())
    return check_document(doc), digest.digest()


def check_document(doc: Document) -> list[Problem]:
    """Doubts about one document: a date line other than its date, lines that look like labels, paragraphs the
    parser joined."""
    out = dateline_problems(doc)
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


WORD = re.compile(r"[^\W_]")  # a letter or digit, of any script: what search can index


def no_words(documents: list[Document]) -> list[Problem]:
    """Say beforehand that the site will have no search when no paragraph of any document has a word
    (Pagefind finds nothing to index: annals.search then makes no index, and says so)."""
    if not documents or any(WORD.search(p.text) for d in documents for p in d.paragraphs):
        return []
    first = min(documents, key=lambda d: d.source)
    return [Problem(first.source, first.title_line, "no document has a word that search could index (every "
                    "paragraph is empty or only punctuation): the site will have no search", "add the texts' words; "
                    "the pages are built all the same, and the search page says that search is unavailable",
                    "warning")]


def looks_like_label(text: str) -> bool:
    """Short, and every word capitalised or a connector: a title or a name ("Minister of Sport")."""
    words = text.split()
    return 0 < len(words) <= 6 and all(w[:1].isupper() or w in CONNECTORS for w in words)


def filed_twice(documents: list[Document], keys: dict[int, bytes | tuple]) -> list[Problem]:
    """The same text in two source files is an error: one of them is surely a mistake (keys: by id(), body_key
    or its digest)."""
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


def id_clashes(documents: list[Document], keys: dict[int, bytes | tuple]) -> list[Problem]:
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
    rares = [p for p in persons if len(p.documents) == 1]
    nearby, docs, out = Neighbours(persons), {d.id: d for d in documents}, []
    lines = first_lines(documents, {p.id for p in rares})
    for rare in rares:
        close = [p for p in nearby.of(rare) if weight[p.id] > weight[rare.id] and is_close(rare.name, p.name)]
        if close:
            best = max(close, key=lambda p: weight[p.id])
            doc = docs[rare.documents[0]]
            out.append(Problem(doc.source, lines[doc.id, rare.id], f"speaker '{rare.name}' (seen once) is close to "
                               f"'{best.name}'", f"if it is the same person, add '{rare.name}' to the aliases of "
                               f"{best.id} in registry/people.yml", "warning"))
    return out


def is_close(a: str, b: str) -> bool:
    """Tell whether two names are probably one spelled two ways: same first letter, difflib ratio >= CLOSE."""
    folded_a, folded_b = a.casefold(), b.casefold()
    if a[:1] != b[:1] or 2 * min(len(folded_a), len(folded_b)) < CLOSE * (len(folded_a) + len(folded_b)):
        return False  # what real_quick_ratio would say, without making a SequenceMatcher
    m = difflib.SequenceMatcher(None, folded_a, folded_b)
    return m.real_quick_ratio() >= CLOSE and m.quick_ratio() >= CLOSE and m.ratio() >= CLOSE


def first_lines(documents: list[Document], speakers: set[str]) -> dict[tuple[str, str], int]:
    """The line of each speaker's first paragraph in each document, for the speakers asked."""
    lines: dict[tuple[str, str], int] = {}
    for d in documents:
        for p in d.paragraphs:
            if p.speaker in speakers:
                lines.setdefault((d.id, p.speaker), p.line)
    return lines


class Neighbours:
    """The names to compare a name with: those near it in the case-folded names sorted as written, and sorted
    as read backwards (a sorted neighbourhood, as record linkage does it).

    Comparing every pair took 4 minutes for 4,000 speakers. Two spellings of one name share their beginning or
    their end, so one of the orders puts them close together: a misspelt surname sorts beside the right one
    (forwards), a misspelt given name too (backwards). Each name is compared with at most 4 * WINDOW others.
    """

    WINDOW = 16  # names on either side, in each order

    def __init__(self, persons: list[Person]):
        self.orders = []
        for read in (str, lambda s: s[::-1]):
            ordered = sorted(persons, key=lambda p: (read(p.name.casefold()), p.id))
            self.orders.append((ordered, {p.id: i for i, p in enumerate(ordered)}))

    def of(self, person: Person) -> list[Person]:
        """The persons near this one in either order, each once, nearest first."""
        seen, out = {person.id}, []
        for ordered, at in self.orders:
            i = at[person.id]
            for p in sorted(ordered[max(i - self.WINDOW, 0):i + self.WINDOW + 1], key=lambda q: abs(at[q.id] - i)):
                if p.id not in seen:
                    seen.add(p.id)
                    out.append(p)
        return out


# Ids that cannot name a page: found here, where they come from, so that `check` reports what `build` refuses
# (render.check_ids asks the same of the archive it renders).

ID_HINT = "a page's id is made of the letters and digits of the name, and cannot be empty or 'index'"


def unusable_ids(documents: list[Document], people: dict[str, Person], entities: dict[str, Entity],
                 glossary: tuple[GlossaryTerm, ...], entries: tuple[RegistryEntry, ...] = ()) -> list[Problem]:
    """Every id of a page or anchor to be made that cannot name one, at the lines that gave it."""
    out = [Problem(d.source, d.title_line, f"document id {d.id!r} cannot name a page", ID_HINT)
           for d in documents if not is_page_id(d.id)]
    bad = {e.key: e for e in entities.values() if e.type != "person" and not is_page_id(e.id)}
    bad.update({f"person:{pid}": Entity("person", pid, p.name) for pid, p in people.items() if not is_page_id(pid)})
    for key, entity in sorted(bad.items()):
        out += entity_sources(entity, documents, entries) or [unlocated(entity)]
    for t in glossary:
        if not is_page_id(t.id):
            out.append(Problem(t.path, t.line, f"glossary term '{t.term}' cannot name an anchor: its id would be "
                               f"'{t.id}'", ID_HINT + ": change the term") if t.path else
                       Problem("registry/glossary.yml", 0, f"glossary id {t.id!r} cannot name an anchor", ID_HINT))
    return out


def entity_sources(e: Entity, documents: list[Document], entries: tuple[RegistryEntry, ...]) -> list[Problem]:
    """Where an entity's id comes from: registry entries, front matter tags, place lines, speakers' labels."""
    said = f"cannot name a page: its id would be '{e.id}'"
    out = [Problem(r.path, r.line, f"{r.type} '{r.name}' {said}", ID_HINT + ": give the entry an 'id'")
           for r in entries if (r.type, r.id) == (e.type, e.id)]
    for d in documents:
        if e.type == "topic":
            out += [Problem(d.source, d.tags_line, f"tag '{t}' {said}", ID_HINT + ": name the tag otherwise")
                    for t in d.tags if slugify(t) == e.id]
        if e.type == "place":
            out += [Problem(d.source, d.place_line, f"place '{part}' {said}", ID_HINT + ": name the place otherwise")
                    for part in place_parts(d) if slugify(part) == e.id]
        if e.type == "person" and not out:
            line = next((p.line for p in d.paragraphs if p.speaker == e.id), 0)
            out += [Problem(d.source, line, f"speaker '{e.name}' {said}", ID_HINT)] if line else []
    return out


def unlocated(e: Entity) -> Problem:
    """An id whose origin is not known here (an archive made by hand): named as render.check_ids always did."""
    where = "people" if e.type == "person" else "registry"
    return Problem(where, 0, f"{e.type} id {e.id!r} cannot name a page", ID_HINT)
