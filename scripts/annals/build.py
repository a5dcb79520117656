"""The pipeline from sources to an Archive: read -> parse -> resolve -> index."""
from __future__ import annotations

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
    documents, shown = [], {}
    for path, rel in files:
        shown[rel] = display_path(path)
        try:
            source = read_source(path, rel)
            documents.append(parse_cached(source, rel))
            problems += source.warnings
        except OSError as exc:
            problems.append(Problem(rel, 0, f"cannot read the file: {exc.strerror or exc}"))
        except AnnalsError as exc:
            problems += exc.problems
    return documents, problems, shown


PARSE_VERSION = cache.code_version("parse", "labels", "read", "model", "slug")


def parse_cached(source: Source, rel: str) -> Document:
    """Parse a source, or take its Document from the cache (keyed by content, path and parser code)."""
    key = hashlib.sha256(f"{PARSE_VERSION}\0{rel}\0{source.sha256}".encode()).hexdigest()
    path = cache.cache_root() / "parsed" / key[:2] / f"{key}.pickle"
    doc = cache.load(path)
    if not isinstance(doc, Document):
        doc = dataclasses.replace(parse(source.text, rel), sha256=source.sha256)
        cache.store(path, doc)
    return doc


def located(problems: list[Problem], shown: dict[str, str]) -> list[Problem]:
    """Problems with each source named by its displayed path (sources/x.txt, not x.txt)."""
    return [dataclasses.replace(p, path=shown.get(p.path, p.path)) for p in problems]


def stop_on_errors(problems: list[Problem], shown: dict[str, str]) -> None:
    """Raise AnnalsError with every problem so far (warnings too, for the report) if any is an error."""
    if any(p.severity == "error" for p in problems):
        raise AnnalsError(located(problems, shown))


def load_archive(sources: Path, registry_dir: Path | None = None, crosslinks: bool = True) -> Archive:
    """Read, parse, resolve and index the archive; raise AnnalsError listing every error found.

    Without `crosslinks`, no mentions, entities, meetings or related documents are found (for benchmarks).
    """
    documents, problems, shown = read_documents(Path(sources))
    registry, registry_problems = load_registry(registry_dir, display_path(registry_dir) if registry_dir else "registry")
    problems += registry_problems
    documents, people = resolve(documents, registry)
    problems += check_archive(documents, people)
    if not crosslinks:
        stop_on_errors(problems, shown)
        return index(documents, people, located(problems, shown), crosslinks=False)
    documents, entities, people, doubts = attach_mentions(documents, people, registry)
    stop_on_errors(problems + doubts, shown)  # every problem is found before stopping: one report, all of it
    documents = [attach_events(doc) for doc in documents]
    log.info("read %d documents, %d people, %d entities", len(documents), len(people), len(entities))
    return index(documents, people, located(problems + doubts, shown), entities, registry.glossary)
