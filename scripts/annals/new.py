"""`annals new`: file a pasted text under sources/<year>/<date>-<slug>.txt, and say what was understood."""
from __future__ import annotations

import collections
import datetime
import os
import tempfile
from pathlib import Path

import yaml

from annals.build import read_documents
from annals.check import body_key, check_document
from annals.errors import AnnalsError, Problem
from annals.model import Document
from annals.parse import parse
from annals.read import clean, decode, split_front_matter
from annals.resolve import label_name
from annals.slug import slugify


def add_document(data: bytes, sources: Path, source_url: str | None, name: str,
                 today: datetime.date | None = None) -> tuple[Path, str]:
    """Normalise, parse and file a text; return its new path and a report. Nothing is written on error."""
    text, warnings = clean(decode(data, name), name)
    doc = parse(text, name)
    meta, body, _ = split_front_matter(text, name)
    target = sources / str(doc.date.year) / f"{doc.date.isoformat()}-{slugify(doc.title, 60) or 'untitled'}.txt"
    refuse_duplicates(doc, target, sources, name)
    stub = {"source_url": source_url or meta.get("source_url"), "retrieved": (today or datetime.date.today())}
    filed = front_matter({**meta, **{k: v for k, v in stub.items() if k not in meta or v}}) + body.lstrip("\n")
    write_new(target, filed.encode("utf-8"))
    written = parse(filed, target.as_posix())
    return target, report(written, warnings + check_document(written))


def refuse_duplicates(doc: Document, target: Path, sources: Path, name: str) -> None:
    """Refuse to overwrite a file, or to file a text that is already in the sources."""
    if target.exists():
        raise AnnalsError(Problem(name, 0, f"{target} already exists: not overwritten",
                                  "if this is another text, change its title or date"))
    if sources.is_dir():
        existing, _, _ = read_documents(sources)
        same = [d for d in existing if body_key(d) == body_key(doc)]
        if same:
            raise AnnalsError(Problem(name, 0, f"the same text is already filed as {sources / same[0].source}"))


def front_matter(meta: dict) -> str:
    """A YAML front matter block, written by the YAML dumper (values are data, never syntax)."""
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False) + "---\n"


def write_new(target: Path, data: bytes) -> None:
    """Write a new file whole or not at all, and never over an existing one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".annals-new-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, target)  # fails if the target appeared meanwhile: no overwrite, ever
    except FileExistsError:
        raise AnnalsError(Problem(str(target), 0, "already exists: not overwritten")) from None
    finally:
        os.unlink(tmp)


def report(doc: Document, doubts: list[Problem]) -> str:
    """What Annals understood of a document, for the editor to check at a glance."""
    turns = collections.Counter(label_name(p.turn) for p in doc.paragraphs if p.label)
    speakers = ", ".join(f"{n} ({c} turn{'s' * (c != 1)})" for n, c in turns.most_common()) or "none (narration)"
    lines = [f"title:      {doc.title}", f"date:       {doc.date.isoformat()}",
             f"time:       {doc.time or '-'}", f"place:      {doc.place or '-'}",
             f"source_url: {doc.source_url or '- (add it to the front matter)'}",
             f"paragraphs: {len(doc.paragraphs)}", f"speakers:   {speakers}"]
    lines += [f"doubtful:   {p.message}" + (f" (line {p.line})" if p.line else "") for p in doubts]
    return "\n".join(lines)
