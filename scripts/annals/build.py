"""The pipeline from sources to an Archive: read -> parse -> resolve -> index."""
from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import logging
import os
from pathlib import Path

from annals import cache
from annals.errors import AnnalsError, Problem
from annals.index import Archive, index
from annals.check import check_archive
from annals.events import attach_events
from annals.mentions import attach_mentions
from annals.model import Document
from annals.parse import parse
from annals.read import Source, read_source
from annals.registry import load_registry
from annals.resolve import resolve

log = logging.getLogger(__name__)


def display_path(path: Path) -> str:
    """A path as messages show it: relative to the working folder where possible."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def find_sources(sources: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Every source file under `sources` (sorted), with its path relative to that folder."""
    if not sources.is_dir():
        raise AnnalsError(Problem(display_path(sources), 0, "sources folder not found"))
    root, found, problems = sources.resolve(), [], []
    for path in sorted(sources.rglob("*.txt")):
        rel = path.relative_to(sources).as_posix()
        if any(part.startswith(".") for part in Path(rel).parts):
            continue
        if not path.resolve().is_relative_to(root):
            problems.append(Problem(display_path(path), 0, "symbolic link leads outside the sources folder; refused"))
            continue
        found.append((path, rel))
    return found, problems


def read_documents(sources: Path) -> tuple[list[Document], list[Problem], dict[str, str]]:
    """Read and parse every source, collecting every problem; also return each source's displayed path."""
    files, problems = find_sources(sources)
    read, shown = [], {}
    for path, rel in files:
        shown[rel] = display_path(path)
        try:
            source = read_source(path, rel)
            read.append((rel, source))
            problems += source.warnings
        except OSError as exc:
            problems.append(Problem(rel, 0, f"cannot read the file: {exc.strerror or exc}"))
        except AnnalsError as exc:
            problems += exc.problems
    documents, failed = parse_all(read)
    order = {rel: i for i, (_, rel) in enumerate(files)}
    return documents, sorted(problems + failed, key=lambda p: order.get(p.path, -1)), shown


PARSE_VERSION = cache.code_version("parse", "labels", "read", "model", "slug")
PARALLEL = 64  # below this many texts to parse, starting worker processes costs more than it saves


def parse_all(read: list[tuple[str, Source]]) -> tuple[list[Document], list[Problem]]:
    """Parse the sources, taking what the cache has; the rest in parallel on every core when many."""
    done = {rel: cache.load(cache_file(rel, source)) for rel, source in read}
    todo = [(rel, source) for rel, source in read if not isinstance(done[rel], Document)]
    workers = min(os.cpu_count() or 1, 8)
    if len(todo) >= PARALLEL and workers > 1:
        with concurrent.futures.ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(parse_one, todo, chunksize=32))
    else:
        results = [parse_one(item) for item in todo]
    problems = []
    for (rel, source), result in zip(todo, results):
        if isinstance(result, Document):
            cache.store(cache_file(rel, source), result)
        else:
            problems += result
        done[rel] = result
    return [done[rel] for rel, _ in read if isinstance(done[rel], Document)], problems


def parse_one(item: tuple[str, Source]) -> Document | list[Problem]:
    """Parse one source: its Document, or the problems that stopped it (picklable, for worker processes)."""
    rel, source = item
    try:
        return dataclasses.replace(parse(source.text, rel), sha256=source.sha256)
    except AnnalsError as exc:
        return exc.problems


def cache_file(rel: str, source: Source) -> Path:
    """Where the parse of a source is cached: keyed by its bytes, its path and the parser's code."""
    key = hashlib.sha256(f"{PARSE_VERSION}\0{rel}\0{source.sha256}".encode()).hexdigest()
    return cache.cache_root() / "parsed" / key[:2] / f"{key}.pickle"


def located(problems: list[Problem], shown: dict[str, str]) -> list[Problem]:
    """Problems with each source named by its displayed path (sources/x.txt, not x.txt)."""
    return [dataclasses.replace(p, path=shown.get(p.path, p.path)) for p in problems]


def stop_on_errors(problems: list[Problem], shown: dict[str, str]) -> None:
    """Raise AnnalsError with every problem so far (warnings too, for the report) if any is an error."""
    if any(p.severity == "error" for p in problems):
        raise AnnalsError(located(problems, shown))


def load_archive(sources: Path, registry_dir: Path | None = None, crosslinks: bool = True) -> Archive:
    """Read, parse, resolve and index the archive; raise AnnalsError listing every error found.

    Without `crosslinks`, no mentions, entities, meetings or related documents are found (the baseline of
    `annals bench crosslinks`); everything else, the timeline included, is as always.
    """
    documents, problems, shown = read_documents(Path(sources))
    registry, registry_problems = load_registry(registry_dir, display_path(registry_dir) if registry_dir else "registry")
    problems += registry_problems
    documents, people = resolve(documents, registry)
    problems += check_archive(documents, people)
    if not crosslinks:
        stop_on_errors(problems, shown)
        documents = [attach_events(doc) for doc in documents]
        return index(documents, people, located(problems, shown), crosslinks=False)
    documents, entities, people, doubts = attach_mentions(documents, people, registry)
    stop_on_errors(problems + doubts, shown)  # every problem is found before stopping: one report, all of it
    documents = [attach_events(doc) for doc in documents]
    log.info("read %d documents, %d people, %d entities", len(documents), len(people), len(entities))
    return index(documents, people, located(problems + doubts, shown), entities, registry.glossary)
