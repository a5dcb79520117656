"""Work on each document remembered between builds: an edit to one text makes its own results again, not
every text's.

A document's result of a step is kept in the cache (annals.cache), one file per step and source file, with the
digest of what made it: the step's name, the code of this package, what the step shares across the archive
(the gazetteer, the offices: a `shared` key the caller gives) and the document itself, as pickled without the
memo (cache.canonical). A build that finds the same digest takes the result; anything else makes it again and
replaces the file, so the cache holds one result per step and text, however many builds. A result may also
depend on figures of the whole archive that change with every text added (how many documents each person is
in); the caller then checks each remembered result (`still`), and one that no longer holds is made again.

A step that shares a gazetteer (`names`) keeps a table of its names and the history of their last changes
(Names): after a change of names (a registry alias), a result kept under an earlier key still holds for a
document the changes do not touch (gazetteer.changes, touches), and is vouched for in the step's state.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from annals import cache
from annals.gazetteer import Gazetteer, changes, touches
from annals.parallel import fork_map

CODE = cache.package_code()  # any change to the package's code: every result made again


def shared_key(*parts: Any) -> str:
    """A key of what a step shares across the archive: the hash of its parts as pickled (plain data, in a
    stable order: sorted items, not sets)."""
    return hashlib.sha256(cache.canonical(parts)).hexdigest()


# The digests of the documents the steps of one build have seen (id -> (document, digest)), while `session` holds:
# steps over the same documents pickle each once, and a document made from one of them by a new value of one
# field (`derive`) is pickled as that field alone.
KNOWN: dict[int, tuple[Any, Any]] = {}


@contextlib.contextmanager
def session():
    """Share the documents' digests between the steps run inside (then forget them: they hold the documents)."""
    KNOWN.clear()
    try:
        yield
    finally:
        KNOWN.clear()


def vouch(documents: Sequence, digests: Sequence) -> None:
    """Tell the session the digest of each document, where known (None where not): equal digests must be equal
    documents (load.resolved_digests makes them so)."""
    for document, digest in zip(documents, digests, strict=True):
        if isinstance(digest, bytes):
            KNOWN[id(document)] = (document, digest)


def derive(document, source, field: str) -> None:
    """Tell the session that `document` is `source` with a new value of `field`, every other field the same: its
    digest is then that of `source` and of the field's value, once `source` has one."""
    held, digest = KNOWN.get(id(source), (None, None))
    if held is source and isinstance(digest, bytes):
        KNOWN[id(document)] = (document, (digest, field))


def remembered_map(func: Callable[[Any, int], Any], documents: Sequence, data: Any, shared: str, name: str,
                   still: Callable[[Any], bool] | None = None, digests: list | None = None,
                   names: Gazetteer | None = None) -> list:
    """[func(data, i) for each document i], on every core (fork_map), each taken from the cache where the
    document, `shared` and the code are as when it was made (and `still(result)` holds, when given). The
    digest of each document and its result (and the code) is added to `digests`, when given: equal digests,
    equal documents and results, whatever else in `shared` changed (a new alias in the registry that no
    document's result shows changes none).

    `names`, when given, is a gazetteer the step also shares (its state joins `shared`). Where the names it
    knows are not those of a recent run of the step, and all else it shares is, a document the changes of
    names since do not touch (gazetteer.changes, touches: a new alias touches the texts that write its words)
    keeps the result it had: an alias finds the names of a few texts again, not of every text."""
    names_now = with_names(name, shared, names) if names is not None else None
    if names_now is not None:
        shared = names_now.shared
    known = [KNOWN.get(id(d), (None, None)) for d in documents]
    bases = [base if held is d else None for d, (held, base) in zip(documents, known)]
    folder = str(cache.cache_root() / "remembered" / name)
    found = fork_map(remember, range(len(documents)),
                     (func, documents, data, shared, name, still, bases, digests is not None, names_now, folder))
    if digests is not None:
        digests += [digest for _, digest, _, _ in found]
    for d, (_, _, base, _) in zip(documents, found):
        KNOWN[id(d)] = (d, base)
    if names_now is not None:
        names_now.keep({d.source: vouched for d, (_, _, _, vouched) in zip(documents, found) if vouched})
    return [result for result, _, _, _ in found]


HISTORY = 32  # changes of names a step remembers: a result kept under an older key is made again


@dataclasses.dataclass
class Names:
    """What a step that shares a gazetteer knows of its recent runs (kept in the cache, `where`): the key of what it
    shares now (`shared`: the rest and the names); for each key of its last runs (at most HISTORY) that shared the
    same rest, the conditions under which the changes of names since touch a document (`since`); and the
    documents whose result, kept under an earlier key, was found to hold now (`vouched`: source -> that key)."""

    where: Path
    shared: str
    rest: str
    table: dict
    history: tuple
    vouched: dict
    since: dict
    stored: bool  # whether `where` holds this state (but for `vouched`, which `keep` compares)

    def holds(self, source: str, kept_under: str, document) -> bool:
        """Does the result of `document` (of file `source`), kept under the key `kept_under`, hold now?"""
        if self.vouched.get(source) == kept_under:
            return True
        return kept_under in self.since and not touches(self.since[kept_under], document)

    def keep(self, vouched: dict) -> None:
        """Keep the state for the next run, with the documents now vouched for (written once, when it changed)."""
        if not self.stored or vouched != self.vouched:
            self.vouched, self.stored = vouched, True
            cache.store(self.where, (self.shared, self.rest, self.table, self.history, vouched))


def with_names(name: str, rest: str, names: Gazetteer) -> Names:
    """The state of the step `name`, which shares `rest` and the names of the gazetteer `names` (see Names); it is
    kept for the next run once the step ran (Names.keep)."""
    shared = shared_key(rest, names.state())
    where = cache.cache_root() / "remembered" / name / "names.pickle"
    last = cache.load(where)
    if not (isinstance(last, tuple) and len(last) == 5 and last[1] == rest and isinstance(last[2], dict)
            and isinstance(last[3], tuple) and isinstance(last[4], dict)):
        return Names(where, shared, rest, names.table(), (), {}, {}, stored=False)
    previous, _, table, history, vouched = last
    if previous != shared:
        now = names.table()
        made, table, vouched = changes(table, now), now, {}
        history = () if made is None else (*history, (previous, made))[-HISTORY:]
    since: dict[str, list] = {}
    for key_before, conditions in reversed(history):  # the conditions of every change since each key
        since[key_before] = conditions + since[next(reversed(since))] if since else conditions
    return Names(where, shared, rest, table, history, vouched, since, stored=previous == shared)


def remember(work: tuple, i: int) -> tuple[Any, str, bytes, str | None]:
    """In a worker: document i's result, from the cache or made (and stored); the digest of the document with
    its result (`outcome_digest`), if asked for (else that of what made it); the document's digest; and, for a
    result kept under an earlier key of the step that holds now (Names.holds), that key.

    A kept result is taken only for the document it was made from, by this code (its digest, made again from
    the key it was kept under, is the one kept)."""
    func, documents, data, shared, name, still, bases, outcome, names, folder = work
    document = documents[i]
    base = document_digest(document, bases[i])
    where, digest = place(name, document.source, folder), key(name, shared, base)
    kept = cache.load(where)
    result, vouched = None, None
    if isinstance(kept, tuple) and len(kept) == 4 and (still is None or still(kept[1])):
        if kept[0] == digest:
            result = kept
        elif names is not None and kept[3] == base and kept[0] == key(name, kept[2], base) \
                and names.holds(document.source, kept[2], document):
            result, vouched = kept, kept[2]
    if result is None:
        result = (digest, func(data, i))
        cache.store(Path(where), (digest, result[1], shared, base))
    return result[1], outcome_digest(name, base, result[1]) if outcome else digest, base, vouched


def outcome_digest(name: str, base: bytes, result) -> str:
    """The digest of a document (its digest, document_digest) with its result of the step `name`, and the code."""
    made = hashlib.sha256(f"outcome\0{name}\0{CODE}\0".encode())
    made.update(base)
    made.update(cache.canonical(result))
    return made.hexdigest()


def document_digest(document, known=None) -> bytes:
    """The digest of a document: of its pickle (cache.canonical); or, where it is known to be a document of
    digest `d` with a new value of one field (`known` is (d, field), as `derive` records it), of d and that
    value. Either way, equal digests are equal documents."""
    if isinstance(known, bytes):
        return known
    if isinstance(known, tuple) and isinstance(known[0], bytes):
        return hashlib.sha256(b"derived\0" + known[0] + known[1].encode() + b"\0"
                              + cache.canonical(getattr(document, known[1]))).digest()
    return hashlib.sha256(b"whole\0" + cache.canonical(document)).digest()


def key(name: str, shared: str, base: bytes) -> str:
    """The digest of what made a document's result of the step `name`: the step, the code, what the step shares
    across the archive, and the document (its digest, document_digest)."""
    made = hashlib.sha256(f"{name}\0{CODE}\0{shared}\0".encode())
    made.update(base)
    return made.hexdigest()


def place(name: str, source: str, folder: str | None = None) -> str:
    """Where the result of the step `name` for the source file `source` (relative to the sources) is kept (in
    `folder`, the step's folder of the cache, when the caller knows it)."""
    digest = hashlib.sha256(source.encode()).hexdigest()
    folder = folder or str(cache.cache_root() / "remembered" / name)
    return f"{folder}/{digest[:2]}/{digest}.pickle"
