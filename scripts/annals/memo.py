"""Work on each document remembered between builds: an edit to one text makes its own results again, not
every text's.

A document's result of a step is kept in the cache (annals.cache), one file per step and source file, with the
digest of what made it: the step's name, the code of this package, what the step shares across the archive
(the gazetteer, the offices: a `shared` key the caller gives) and the document itself, as pickled without the
memo (cache.canonical). A build that finds the same digest takes the result; anything else makes it again and
replaces the file, so the cache holds one result per step and text, however many builds. A result may also
depend on figures of the whole archive that change with every text added (how many documents each person is
in); the caller then checks each remembered result (`still`), and one that no longer holds is made again.
"""
from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from annals import cache
from annals.gazetteer import Gazetteer, changes, touches
from annals.parallel import fork_map

CODE = cache.code_version(*cache.modules())  # any change to the package's code: every result made again


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
    knows are not those of the last run of the step, and all else it shares is, a document the change of
    names does not touch (gazetteer.changes, touches: a new alias touches the texts that write its words)
    keeps the result it had: an alias finds the names of a few texts again, not of every text."""
    since: dict[str, list] = {}
    if names is not None:
        shared, since = with_names(name, shared, names)
    known = [KNOWN.get(id(d), (None, None)) for d in documents]
    bases = [base if held is d else None for d, (held, base) in zip(documents, known)]
    found = fork_map(remember, range(len(documents)),
                     (func, documents, data, shared, name, still, bases, digests is not None, since))
    if digests is not None:
        digests += [digest for _, digest, _ in found]
    for d, (_, _, base) in zip(documents, found):
        KNOWN[id(d)] = (d, base)
    return [result for result, _, _ in found]


HISTORY = 32  # changes of names a step remembers: a result kept under an older key is made again


def with_names(name: str, rest: str, names: Gazetteer) -> tuple[str, dict[str, list]]:
    """The key of what the step `name` shares (`rest`, and the names of the gazetteer `names`); and, for each key
    of the step's last runs (at most HISTORY) that shared the same rest, the conditions under which the changes
    of names since touch a document (gazetteer.changes, each run's in turn). The table of names is kept for the
    next run, with that history."""
    shared = shared_key(rest, names.state())
    where = cache.cache_root() / "remembered" / name / "names.pickle"
    last = cache.load(where)
    if not (isinstance(last, tuple) and len(last) == 4 and last[1] == rest and isinstance(last[2], dict)):
        cache.store(where, (shared, rest, names.table(), ()))
        return shared, {}
    previous, _, table, history = last
    if previous != shared:
        now = names.table()
        made, table = changes(table, now), now
        history = () if made is None else (*history, (previous, made))[-HISTORY:]
        cache.store(where, (shared, rest, table, history))
    since: dict[str, list] = {}
    for key_before, conditions in reversed(history):  # the conditions of every change since each key
        since[key_before] = conditions + since[next(reversed(since))] if since else conditions
    return shared, since


def remember(work: tuple, i: int) -> tuple[Any, str, bytes]:
    """In a worker: document i's result, from the cache or made (and stored); the digest of the document with
    its result (`outcome_digest`), if asked for (else that of what made it); and the document's digest.

    A result kept under an earlier key of the step (`since`: the conditions under which the changes of names
    since that key touch a document) holds for the same document where none of them touches it."""
    func, documents, data, shared, name, still, bases, outcome, since = work
    document = documents[i]
    base = document_digest(document, bases[i])
    where, digest = place(name, document.source), key(name, shared, base)
    kept = cache.load(where)
    if isinstance(kept, tuple) and len(kept) == 4 and (still is None or still(kept[1])) and (
            kept[0] == digest or kept[3] == base and kept[2] in since and not touches(since[kept[2]], document)):
        result = kept[1]
    else:
        result = func(data, i)
        cache.store(where, (digest, result, shared, base))
    return result, outcome_digest(name, base, result) if outcome else digest, base


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


def place(name: str, source: str) -> Path:
    """Where the result of the step `name` for the source file `source` (relative to the sources) is kept."""
    digest = hashlib.sha256(source.encode()).hexdigest()
    return cache.cache_root() / "remembered" / name / digest[:2] / f"{digest}.pickle"
