"""`annals new`: file a pasted text under sources/<year>/<date>-<slug>.txt, and say what was understood.

Nothing is written that `check` and `build` could not read back: the file is made in memory, read with the
same reader, and only then written, whole, under a name no other file has.
"""
from __future__ import annotations

import collections
import datetime
import os
import secrets
import sys
from pathlib import Path

import yaml

from annals.load import read_documents
from annals.check import body_key, check_document
from annals.errors import AnnalsError, Problem, quote
from annals.model import Document
from annals.parse import is_web_address, parse
from annals.read import MAX_BYTES, Source, source_of, split_front_matter
from annals.resolve import label_name
from annals.slug import slugify

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # what YAML or str.splitlines takes for a line end


def read_input(file: str) -> tuple[bytes, str]:
    """The text to file (`-`: standard input) and its name for messages; never more than a source may hold."""
    name = "-" if file == "-" else file
    try:
        if file == "-":
            return sys.stdin.buffer.read(MAX_BYTES + 1), name
        with open(file, "rb") as f:
            return f.read(MAX_BYTES + 1), name  # one byte more than the limit: enough to refuse it
    except OSError as exc:
        raise AnnalsError(Problem(name, 0, f"cannot read the file: {exc.strerror or exc}")) from None


def add_document(data: bytes, sources: Path, source_url: str | None, name: str,
                 today: datetime.date | None = None) -> tuple[Path, str]:
    """Normalise, parse and file a text; return its new path and a report. Nothing is written on error."""
    source = source_of(data, name)
    doc = parse(source.text, name)
    refuse_address(source_url, name)
    target = sources / str(doc.date.year) / f"{doc.date.isoformat()}-{slugify(doc.title, 60) or 'untitled'}.txt"
    refuse_duplicates(doc, target, sources, name)
    meta, body = filed_parts(source.text, source_url, today or datetime.date.today(), name)
    filed = (front_matter(meta, name) + body).encode("utf-8")
    written = read_back(filed, target.as_posix(), meta, body, name)
    write_new(target, filed)
    return target, report(written, list(source.warnings) + check_document(written))


def refuse_address(source_url: str | None, name: str) -> None:
    """Refuse a --source-url that is not a web address: it would be linked from the page and the data."""
    if source_url is not None and not is_web_address(source_url):
        raise AnnalsError(Problem(name, 0, f"--source-url '{quote(source_url)}' is not a web address",
                                  "give the address of the page the text was taken from, starting with "
                                  "http:// or https://"))


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


def filed_parts(text: str, source_url: str | None, today: datetime.date, name: str) -> tuple[dict, str]:
    """The front matter to write (the text's, with the source address and today's date) and the body."""
    meta, body, _ = split_front_matter(text, name)
    meta = {k: v for k, v in meta.items() if k != "encoding"}  # the file is written as UTF-8, whatever it was
    stub = {"source_url": source_url or meta.get("source_url"), "retrieved": today}
    return {**meta, **{k: v for k, v in stub.items() if k not in meta or v}}, body.lstrip("\n")


class OneLineDumper(yaml.SafeDumper):
    """A YAML dumper that writes every string on one line: a string with a line break goes in double quotes,
    where the break is written `\\n` (a line '---' inside a value would end the front matter early)."""


def _represent_str(dumper, value: str):
    style = '"' if any(c in LINE_BREAKS for c in value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


OneLineDumper.add_representer(str, _represent_str)


def front_matter(meta: dict, name: str) -> str:
    """A YAML front matter block, written by the YAML dumper (values are data, never syntax), one line for each
    value (a list: one line for each item)."""
    block = yaml.dump(meta, Dumper=OneLineDumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
                      width=float("inf"))
    closing = [i for i, line in enumerate(block.split("\n"), 2) if line.strip() in ("---", "...")]
    if closing:  # a guard: the dumper above should never write one
        raise AnnalsError(Problem(name, 0, f"the front matter cannot be written: its line {closing[0]} would end it"))
    return "---\n" + block + "---\n"


def read_back(filed: bytes, shown: str, meta: dict, body: str, name: str) -> Document:
    """Read the file to be written as check and build will; refuse it unless it gives back `meta` and `body`."""
    try:
        source: Source = source_of(filed, shown)
        meta_back, body_back, _ = split_front_matter(source.text, shown)
        written = parse(source.text, shown)
    except AnnalsError as exc:
        raise AnnalsError([Problem(name, 0, "the file to be written could not be read back: not written"),
                           *exc.problems]) from None
    if meta_back != meta or body_back != body or source.warnings:
        raise AnnalsError(Problem(name, 0, "the file to be written would not read back as this text: not written"))
    return written


def write_new(target: Path, data: bytes) -> None:
    """Write a new file whole or not at all, and never over an existing one.

    The temporary file is made with mode 0666 less the user's umask, as any file the user makes (mkstemp's
    0600 would hide the source from the other editors), and is hidden and without .txt until it is whole.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.parent / f".annals-new-{secrets.token_hex(8)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise AnnalsError(Problem(str(target), 0, f"cannot write the file: {exc.strerror or exc}")) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.link(tmp, target)  # fails if the target appeared meanwhile: no overwrite, ever
    except FileExistsError:
        raise AnnalsError(Problem(str(target), 0, "already exists: not overwritten")) from None
    except OSError as exc:
        raise AnnalsError(Problem(str(target), 0, f"cannot write the file: {exc.strerror or exc}")) from None
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
