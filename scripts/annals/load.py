"""The pipeline from sources to an Archive: read -> parse (and date events) -> resolve -> mentions -> index."""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import stat
import time
from pathlib import Path

from annals import cache, memo, progress
from annals.errors import AnnalsError, Problem
from annals.index import Archive, index
from annals.check import check_archive, near_names, unusable_ids
from annals.contacts import attach_contacts, contact_people, registry_names
from annals.events import attach_events
from annals.mentions import attach_mentions
from annals.model import Document
from annals.parallel import fork_map
from annals.parse import parse
from annals.publishers import attach_publishers
from annals.read import Source, read_bytes, source_file_problem, source_of
from annals.registry import load_registry
from annals.resolve import resolve, resolve_speakers

log = logging.getLogger(__name__)


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder where possible."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def find_sources(sources: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Every source file under `sources` (sorted), with its path relative to that folder.

    Only links and folders are resolved (a regular file in a folder inside the sources is inside), and only a
    problem's path is made relative for display: path arithmetic took a second of a rebuild of 10,000 texts.
    """
    if not sources.is_dir():
        raise AnnalsError(Problem(display_path(sources), 0, "sources folder not found"))
    root, found, problems, folders, base = sources.resolve(), [], [], {}, str(sources)
    for rel in text_names(sources):
        parent, _, name = rel.rpartition("/")
        hidden = next((part for part in rel.split("/") if part.startswith(".")), None)
        if hidden:  # editors' and tools' own files (.#x.txt, ..txt): skipped, but never without a word
            kind = "hidden file (its name starts with '.')" if hidden == name else f"in the hidden folder {hidden}"
            problems.append(Problem(display_path(sources / rel), 0, f"{kind}: skipped", severity="warning"))
            continue
        try:
            mode = os.lstat(os.path.join(base, rel)).st_mode
        except OSError:
            mode = None  # gone or unreadable: source_file_problem says which
        inside = folders.get(parent)
        if inside is None:  # each folder once: rglob does not enter linked folders, but be sure of it
            inside = folders[parent] = (sources / parent).resolve().is_relative_to(root)
        path = sources / rel
        if inside and mode is not None and stat.S_ISREG(mode):
            found.append((path, rel))
            continue
        if not inside or mode is not None and stat.S_ISLNK(mode) and not path.resolve().is_relative_to(root):
            problems.append(Problem(display_path(path), 0, "symbolic link leads outside the sources folder; refused"))
            continue
        problem = source_file_problem(path, display_path(path))  # a named pipe would hang the read: never opened
        if problem:
            problems.append(problem)
            continue
        found.append((path, rel))
    return found, problems


def text_names(folder: Path) -> list[str]:
    """The paths (relative, with "/") of the entries named *.txt under `folder`, files or not, in the order of
    sorted(folder.rglob("*.txt")): os.walk, which, like rglob, does not enter linked folders, on strings."""
    names = []
    for top, dirs, files in os.walk(folder):
        rel = os.path.relpath(top, folder)
        prefix = () if rel == "." else tuple(rel.split(os.sep))
        names += [(*prefix, name) for name in dirs + files if name.endswith(".txt")]
    return ["/".join(parts) for parts in sorted(names)]


class Laps:
    """A stopwatch for the stages of a build: `laps("parse")` adds the time since the last lap to "parse"."""

    def __init__(self) -> None:
        self.times: dict[str, float] = {}
        self.last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.times[stage] = self.times.get(stage, 0.0) + now - self.last
        self.last = now

    def merge(self, times: dict[str, float]) -> None:
        """Add the stages timed elsewhere (in another process) up to now."""
        for stage, seconds in times.items():
            self.times[stage] = self.times.get(stage, 0.0) + seconds
        self.last = time.perf_counter()


def no_laps(stage: str) -> None:
    """The stopwatch of a build nobody times."""


def read_documents(sources: Path, lap=no_laps, aliases: dict[str, str] | None = None,
                   digests: dict[int, bytes] | None = None) -> tuple[list[Document], list[Problem], dict[str, str]]:
    """Read and parse every source (on every core when many), collecting every problem; also return each
    source's displayed path. Given the registry's `aliases` (Registry.alias_map), each document comes with its
    speakers resolved (resolve.resolve_speakers, on every core too), and, given `digests`, its digest is put
    there under id(document): that of its parse in the cache and of the speakers found (read_resolved)."""
    files, problems = find_sources(sources)
    shown = {rel: display_path(path) for path, rel in files}
    documents = []
    with progress.stage("reading and parsing", len(files), "texts"):
        found_all = (fork_map(read_and_parse, files) if aliases is None
                     else fork_map(read_resolved, files, aliases))
        for document, found, *digest in found_all:
            problems += found
            if document is not None:
                documents.append(document)
                if digests is not None and digest and digest[0] is not None:
                    digests[id(document)] = digest[0]
    lap("read and parse")
    order = {rel: i for i, (_, rel) in enumerate(files)}
    return documents, sorted(problems, key=lambda p: order.get(p.path, -1)), shown


def read_resolved(aliases: dict[str, str], item: tuple[Path, str]) -> tuple[Document | None, list[Problem],
                                                                            bytes | None]:
    """read_and_parse, with the document's speakers resolved by the registry's aliases (resolve_speakers); and a
    digest of the document: of its parse, by the pickle the cache holds (equal pickles, equal parses), and of what
    resolving its speakers set (its speakers and each paragraph's speaker), which makes it from the parse."""
    document, problems, digest = read_parsed(item)
    if document is None:
        return None, problems, None
    document = resolve_speakers(document, aliases)
    made = hashlib.sha256(b"speakers\0" + (digest or b""))
    made.update(cache.canonical((document.speakers, tuple(p.speaker for p in document.paragraphs))))
    return document, problems, made.digest() if digest else None


PARSE_VERSION = cache.code_version("parse", "labels", "read", "model", "slug", "events", "sentences")


def read_and_parse(item: tuple[Path, str]) -> tuple[Document | None, list[Problem]]:
    """Read one source and parse it, or take its parse from the cache: its Document (None if it could not
    be read or parsed) and the problems found. For fork_map: it runs in the worker processes.

    The cache keeps, by the source's bytes, its Document and what cleaning its text found (source_of): the
    same bytes are neither decoded nor cleaned again."""
    return read_parsed(item)[:2]


def read_parsed(item: tuple[Path, str]) -> tuple[Document | None, list[Problem], bytes | None]:
    """read_and_parse, with the SHA-256 of the pickle of (document, warnings) the cache holds (cache.
    load_with_digest, cache.store): equal digests, equal parses."""
    path, rel = item
    try:
        data = read_bytes(path, rel)
    except OSError as exc:
        return None, [Problem(rel, 0, f"cannot read the file: {exc.strerror or exc}")], None
    except AnnalsError as exc:
        return None, exc.problems, None
    where = cache_file(rel, hashlib.sha256(data).hexdigest())
    cached, digest = cache.load_with_digest(where)
    if isinstance(cached, tuple) and len(cached) == 2 and isinstance(cached[0], Document) \
            and isinstance(cached[1], tuple):
        return cached[0], list(cached[1]), digest
    try:
        source = source_of(data, rel)
    except AnnalsError as exc:
        return None, exc.problems, None
    result = parse_one((rel, source))
    if not isinstance(result, Document):
        return None, list(source.warnings) + result, None
    digest = cache.store(where, (result, source.warnings))
    return result, list(source.warnings), digest


def parse_one(item: tuple[str, Source]) -> Document | list[Problem]:
    """Parse one source and date its events: its Document, or the problems that stopped it.

    Picklable, for worker processes. The events depend on the document alone, so they are found (and
    cached) here, on every core, rather than once the archive is gathered.
    """
    rel, source = item
    try:
        return attach_events(dataclasses.replace(parse(source.text, rel), sha256=source.sha256))
    except AnnalsError as exc:
        return exc.problems


def cache_file(rel: str, sha256: str) -> Path:
    """Where the parse of a source is cached: keyed by its bytes (their SHA-256), its path and the parser's code."""
    key = hashlib.sha256(f"{PARSE_VERSION}\0{rel}\0{sha256}".encode()).hexdigest()
    return cache.cache_root() / "parsed" / key[:2] / f"{key}.pickle"


def located(problems: list[Problem], shown: dict[str, str]) -> list[Problem]:
    """Problems with each source named by its displayed path (sources/x.txt, not x.txt)."""
    return [dataclasses.replace(p, path=shown.get(p.path, p.path)) for p in problems]


def stop_on_errors(problems: list[Problem], shown: dict[str, str]) -> None:
    """Raise AnnalsError with every problem so far (warnings too, for the report) if any is an error."""
    if any(p.severity == "error" for p in problems):
        raise AnnalsError(located(problems, shown))


def load_archive(sources: Path, registry_dir: Path | None = None, crosslinks: bool = True, lap=no_laps) -> Archive:
    """Read, parse, resolve and index the archive; raise AnnalsError listing every error found.

    Without `crosslinks`, no mentions, entities, meetings or related documents are found (the baseline of
    `annals bench crosslinks`); everything else, the timeline included, is as always.
    """
    registry, registry_problems = load_registry(registry_dir, display_path(registry_dir) if registry_dir else "registry")
    read_digests: dict[int, bytes] = {}  # each document read: its digest (read_resolved), by id()
    documents, problems, shown = read_documents(Path(sources), lap, registry.alias_map(), read_digests)
    with progress.stage("resolving"):
        problems += registry_problems
        read = documents
        documents, found = attach_publishers(documents, registry.publishers)
        problems += found
        documents, people = resolve(documents, registry, speakers_resolved=True)
        digests = resolved_digests(read, documents, read_digests)
        problems += check_archive(documents, people, names=not crosslinks)
    lap("resolve")
    if not crosslinks:
        problems += unusable_ids(documents, people, {}, registry.glossary, registry.entries)
        stop_on_errors(problems, shown)
        archive = index(documents, people, located(problems, shown), crosslinks=False, publishers=registry.publishers,
                        offices=registry.offices)
        lap("index")
        return archive
    with progress.stage("cross-links", len(documents), "texts", passes=CROSSLINK_PASSES), memo.session():
        memo.vouch(documents, digests)
        archive = crosslinked(documents, people, registry, problems, shown)
    lap("index")
    return archive


def resolved_digests(read: list[Document], resolved: list[Document], digests: dict[int, bytes]) -> list[bytes | None]:
    """The digest of each resolved document (None where its read had none), made from that of the document read
    (read_resolved) and of what resolving set since: its id, publisher, original's address and speakers (names
    included). A resolved document is the document read with these fields replaced (resolve, attach_publishers:
    test_load checks it), so equal digests are equal documents, and the cross-link steps (annals.memo) need
    not pickle each document to know it."""
    out = []
    for before, doc in zip(read, resolved, strict=True):
        digest = digests.get(id(before))
        if digest is None:
            out.append(None)
            continue
        made = hashlib.sha256(b"resolved\0" + digest)
        made.update(cache.canonical((doc.id, doc.publisher, doc.original_url, doc.speakers)))
        out.append(made.digest())
    return out


CROSSLINK_PASSES = 4  # crosslinked's passes over every document (fork_map): names, mentions, contacts, related


def crosslinked(documents: list[Document], people: dict, registry, problems: list[Problem],
                shown: dict[str, str]) -> Archive:
    """The archive indexed with its cross-links: mentions, contacts, meetings and related documents."""
    documents, entities, people, doubts, identities = attach_mentions(documents, people, registry)
    problems += near_names(documents, people)  # the near names left once spellings of one person are one
    digests: list[str] = []
    documents = attach_contacts(documents, people, {p.id: p for p in registry.publishers}, registry.office_index,
                                registry_names(documents, people, registry),  # titles have no mentions: their names
                                digests)
    people = contact_people(documents, people, registry.office_index,
                            {e.id: e.name for e in entities.values() if e.type == "person"})
    doubts += unusable_ids(documents, people, entities, registry.glossary, registry.entries)  # what render refuses
    stop_on_errors(problems + doubts, shown)  # every problem is found before stopping: one report, all of it
    log.info("read %d documents, %d people, %d entities", len(documents), len(people), len(entities))
    archive = index(documents, people, located(problems + doubts, shown), entities, registry.glossary,
                    publishers=registry.publishers, offices=registry.offices)
    return dataclasses.replace(archive, identities=identities,
                               fingerprints={doc.id: digest for doc, digest in zip(documents, digests)})
