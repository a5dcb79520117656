"""Read a source file: bytes to clean text (with the warnings that cleaning gives), and its front matter."""
from __future__ import annotations

import codecs
import collections
import hashlib
import itertools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from annals.errors import Problem, error

FRONT_MATTER_KEYS = ("title", "date", "time", "place", "source_url", "retrieved", "language", "tags", "encoding")
MAX_BYTES = 5 * 1024 * 1024  # a transcript of a whole day is under 1 MB; anything larger is not one text
LEGACY = ("cp1251", "cp1252")
# Invisible characters that can hide or reorder text: bidi embeddings, overrides and isolates,
# zero-width spaces and joiners, and byte order marks inside the text. They are removed.
INVISIBLE = re.compile("[\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069\ufeff]")
NAMES = {"\u200b": "zero-width space", "\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner",
         "\u2060": "word joiner", "\ufeff": "byte order mark"}
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ENCODING_LINE = re.compile(rb"^encoding:\s*['\"]?([\w-]+)['\"]?\s*$", re.M)


@dataclass(frozen=True)
class Source:
    """A source file read: its clean text, the SHA-256 of its bytes, and what cleaning it found."""

    text: str
    sha256: str
    warnings: tuple[Problem, ...] = ()


def read_source(path: Path, name: str) -> Source:
    """Read a source file (opened read-only), refusing what is not text; remove invisible controls."""
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise error(name, 0, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB: refused",
                    "a source is one text; split a larger file into its documents")
    text, warnings = clean(decode(data, name), name)
    return Source(text, hashlib.sha256(data).hexdigest(), tuple(warnings))


def decode(data: bytes, name: str) -> str:
    """Decode UTF-8 (BOM optional), BOM-marked UTF-16, or a legacy encoding named in front matter."""
    if not data.strip():
        raise error(name, 1, "file is empty")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise error(name, 1, f"not valid UTF-16 text (byte {exc.start})") from None
        return normalise_lines(text, name)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise error(name, line, "file contains NUL bytes: a binary file, not a text", "paste the text itself")
    declared = declared_encoding(data, name)
    try:
        text = data.decode(declared or "utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if declared:
            raise error(name, line, f"not valid {declared} text") from None
        likely = likely_encoding(data)
        raise error(name, line, f"not valid UTF-8 text (it looks like {likely})",
                    f"save it as UTF-8, or add 'encoding: {likely}' to its front matter") from None
    return normalise_lines(text, name)


def declared_encoding(data: bytes, name: str) -> str | None:
    """The `encoding:` of a front matter block (ASCII in any legacy encoding), if the file opens with one."""
    if not data.startswith(b"---"):
        return None
    head = data[: data.find(b"\n---", 3) + 1 if b"\n---" in data else 0]
    m = ENCODING_LINE.search(head)
    if not m:
        return None
    encoding = m.group(1).decode("ascii").lower().replace("windows-", "cp")
    if encoding in ("utf-8", "utf8"):
        return None
    if encoding not in LEGACY:
        line = head[: m.start()].count(b"\n") + 1
        raise error(name, line, f"unknown encoding '{encoding}'", "use utf-8, cp1251 or cp1252")
    return encoding


def likely_encoding(data: bytes) -> str:
    """Guess between the legacy encodings, to name it in the message (never to decode with).

    Cyrillic words in cp1251 are runs of high bytes; accented letters in cp1252 stand alone among ASCII.
    """
    high = [i for i, b in enumerate(data) if b >= 0x80]
    in_runs = sum(1 for i in high if (i > 0 and data[i - 1] >= 0x80) or (i + 1 < len(data) and data[i + 1] >= 0x80))
    return "cp1251" if high and in_runs > len(high) / 2 else "cp1252"


def normalise_lines(text: str, name: str) -> str:
    """CRLF and lone CR to LF; refuse text full of control characters (a binary file)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = CONTROL.findall(text)
    if len(controls) > max(8, len(text) // 100):
        line = text[: CONTROL.search(text).start()].count("\n") + 1
        raise error(name, line, "file is full of control characters: a binary file, not a text")
    return text


def clean(text: str, name: str) -> tuple[str, list[Problem]]:
    """Remove invisible controls and stray control characters, with a warning per line giving the columns."""
    found = collections.defaultdict(list)  # (line, what) -> columns
    for m in itertools.chain(INVISIBLE.finditer(text), CONTROL.finditer(text)):
        if m.start() == 0 and m.group() == "\ufeff":
            continue  # a BOM at the start is only a BOM
        line = text.count("\n", 0, m.start()) + 1
        column = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        found[(line, describe(m.group()))].append(column)
    warnings = [Problem(name, line, f"invisible {what} removed (column {', '.join(map(str, columns))})",
                        severity="warning") for (line, what), columns in sorted(found.items())]
    return CONTROL.sub("", INVISIBLE.sub("", text)), warnings


def describe(ch: str) -> str:
    """Name an invisible character for a message."""
    if ch in NAMES:
        return NAMES[ch]
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        return f"bidirectional control U+{ord(ch):04X}"
    return f"control character U+{ord(ch):04X}"


def load_yaml(block: str):
    """yaml.safe_load, with libyaml's loader where PyYAML has it (ten times faster); on an error, the
    Python loader again, whose messages and lines say better what is wrong."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return yaml.load(block, Loader=fast)
        except yaml.YAMLError:
            pass
    return yaml.safe_load(block)


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
        meta = load_yaml(block) if block.strip() else {}
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

