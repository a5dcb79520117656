"""Read a source file: bytes to text, and the optional YAML front matter block."""
from __future__ import annotations

import codecs
from pathlib import Path

import yaml

from annals.errors import error

FRONT_MATTER_KEYS = ("title", "date", "time", "place", "source_url", "language", "tags")
MAX_BYTES = 5 * 1024 * 1024


def read_source(path: Path, name: str) -> str:
    """Return the text of a source file, refusing what is not UTF-8 (or UTF-16 with a BOM) text."""
    with open(path, "rb") as f:  # sources are only ever opened for reading
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise error(name, 0, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it or check it is a text")
    return decode(data, name)


def decode(data: bytes, name: str) -> str:
    """Decode bytes as UTF-8 (BOM optional) or BOM-marked UTF-16; normalise line ends."""
    if not data.strip():
        raise error(name, 0, "file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16")
    else:
        if b"\x00" in data:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            raise error(name, line, "file contains NUL bytes: not a text file")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise error(name, line, "not valid UTF-8 text",
                        "save the file as UTF-8 (a legacy encoding such as cp1251 or cp1252 is likely)") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(text: str, name: str) -> tuple[dict, str, int]:
    """Split a leading `---` YAML block from the text; return (metadata, body, lines before body)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 0
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        raise error(name, 1, "front matter opened with '---' is never closed", "add a line '---' after the metadata")
    block = "\n".join(lines[1:end])
    try:
        meta = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise error(name, line, f"invalid front matter: {problem}") from None
    if not isinstance(meta, dict):
        raise error(name, 2, "front matter must be a mapping of keys to values, e.g. 'title: ...'")
    unknown = sorted(str(k) for k in meta if k not in FRONT_MATTER_KEYS)
    if unknown:
        raise error(name, key_line(lines[:end], unknown[0]), f"unknown front matter key '{unknown[0]}'",
                    "known keys: " + ", ".join(FRONT_MATTER_KEYS))
    return meta, "\n".join(lines[end + 1:]), end + 1


def key_line(lines: list[str], key: str) -> int:
    """The line number of `key:` in the front matter lines (1 if not found)."""
    return next((i + 1 for i, line in enumerate(lines) if line.split(":")[0].strip() == key), 1)
