"""Read a source file: bytes to clean text (with the warnings that cleaning gives), and its front matter."""
from __future__ import annotations

import codecs
import collections
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import yaml

from annals.errors import Problem, error, quote

FRONT_MATTER_KEYS = ("title", "date", "time", "place", "source_url", "retrieved", "language", "tags", "encoding")
MAX_BYTES = 5 * 1024 * 1024  # a transcript of a whole day is under 1 MB; anything larger is not one text
LEGACY = ("cp1251", "cp1252")
# Invisible characters that can hide or reorder text: bidi embeddings, overrides and isolates,
# zero-width spaces and joiners, and byte order marks inside the text. They are removed.
INVISIBLE = re.compile("[\u200b-\u200d\u2060\u202a-\u202e\u2066-\u2069\ufeff]")
NAMES = {"\u200b": "zero-width space", "\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner",
         "\u2060": "word joiner", "\ufeff": "byte order mark"}
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE = re.compile("[\ud800-\udfff]")
HIDDEN = re.compile(f"{INVISIBLE.pattern}|{CONTROL.pattern}")
COLUMNS_SHOWN = 10  # columns a warning lists; more are counted
LINES_SHOWN = 20  # lines of a file warned of one by one; more are counted in one warning
MAX_DEPTH = 20  # nesting of YAML lists and mappings: front matter needs 2, registries 4; deeper is no editor's
SPECIAL = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
           (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
ENCODING_LINE = re.compile(rb"^encoding:\s*['\"]?([\w-]+)['\"]?\s*$", re.M)


@dataclass(frozen=True)
class Source:
    """A source file read: its clean text, the SHA-256 of its bytes, and what cleaning it found."""

    text: str
    sha256: str
    warnings: tuple[Problem, ...] = ()


def read_source(path: Path, name: str) -> Source:
    """Read a source file (opened read-only), refusing what is not text; remove invisible controls."""
    return source_of(read_bytes(path, name), name)


def read_bytes(path: Path, name: str) -> bytes:
    """The bytes of a source file (opened read-only; a named pipe, device or folder refused), up to one more
    than MAX_BYTES (source_of refuses a larger file)."""
    refuse_special(os.stat(path).st_mode, name)  # before opening: opening a named pipe waits for a writer
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as f:
        refuse_special(os.fstat(fd).st_mode, name)  # replaced since the first look: still never read
        return f.read(MAX_BYTES + 1)


def source_of(data: bytes, name: str) -> Source:
    """The bytes of a source as check and build read them: refuse what is not a text, clean the rest."""
    if len(data) > MAX_BYTES:
        raise error(name, 0, f"file is larger than {MAX_BYTES // (1024 * 1024)} MB: refused",
                    "a source is one text; split a larger file into its documents")
    text, warnings = clean(decode(data, name), name)
    return Source(text, hashlib.sha256(data).hexdigest(), tuple(warnings))


def special_kind(mode: int) -> str | None:
    """What a file that is not a regular file is ("a named pipe" ...), for a message; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((what for is_kind, what in SPECIAL if is_kind(mode)), "not a file")


def refuse_special(mode: int, name: str) -> None:
    """Refuse a named pipe, socket, device or folder: reading it would hang or fail."""
    kind = special_kind(mode)
    if kind:
        raise error(name, 0, f"not a regular file ({kind}): refused",
                    "a source is a text file; remove this one or rename it so that its name does not end in .txt")


def source_file_problem(path: Path, shown: str) -> Problem | None:
    """Why a path found among the sources is not read (looked at without opening it), or None."""
    try:
        kind = special_kind(os.stat(path).st_mode)
    except OSError as exc:
        return Problem(shown, 0, f"cannot read the file: {exc.strerror or exc}")
    if kind == "a folder":  # a folder named like a text is only a folder: the texts in it are read
        return Problem(shown, 0, "a folder named like a text file: skipped (the texts in it are read)",
                       severity="warning")
    if kind:
        return Problem(shown, 0, f"not a regular file ({kind}): refused",
                       "a source is a text file; remove this one or rename it so that its name does not end in .txt")
    return None


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
        raise error(name, line, f"unknown encoding '{quote(encoding)}'", "use utf-8, cp1251 or cp1252")
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
    """Remove invisible controls and stray control characters, with a warning per line giving the columns
    (at most LINES_SHOWN lines warned of one by one)."""
    warnings = [Problem(name, line, f"invisible {what} removed ({columns_text(columns)})", severity="warning")
                for (line, what), columns in sorted(hidden_characters(text).items())]
    return CONTROL.sub("", INVISIBLE.sub("", text)), at_most_lines(warnings, name)


def hidden_characters(text: str) -> dict[tuple[int, str], list[int]]:
    """The columns of the invisible and control characters, by line and kind.

    One pass: lines are counted between one character and the next, never again from the start (a count
    from the start per character took minutes on a text full of zero-width spaces).
    """
    found = collections.defaultdict(list)
    line, line_start, pos = 1, 0, 0
    for m in HIDDEN.finditer(text):
        start = m.start()
        if start == 0 and m.group() == "\ufeff":
            continue  # a BOM at the start is only a BOM
        newlines = text.count("\n", pos, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", pos, start) + 1
        pos = start
        found[(line, describe(m.group()))].append(start - line_start + 1)
    return found


def columns_text(columns: list[int]) -> str:
    """'column 3, 10', or the first COLUMNS_SHOWN and a count of the rest."""
    shown = "column " + ", ".join(map(str, columns[:COLUMNS_SHOWN]))
    return shown + (f" and {len(columns) - COLUMNS_SHOWN} more" if len(columns) > COLUMNS_SHOWN else "")


def at_most_lines(warnings: list[Problem], name: str) -> list[Problem]:
    """The warnings of the first LINES_SHOWN lines, and one counting the lines after them."""
    lines = sorted({w.line for w in warnings})
    if len(lines) <= LINES_SHOWN:
        return warnings
    last = lines[LINES_SHOWN - 1]
    more = Problem(name, lines[LINES_SHOWN], f"invisible characters also removed on {len(lines) - LINES_SHOWN} "
                   "more lines", severity="warning")
    return [w for w in warnings if w.line <= last] + [more]


def describe(ch: str) -> str:
    """Name an invisible character for a message."""
    if ch in NAMES:
        return NAMES[ch]
    if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
        return f"bidirectional control U+{ord(ch):04X}"
    return f"control character U+{ord(ch):04X}"


class DataConstructor:
    """Values as data: no duplicate keys, no lone surrogates, and a scalar YAML cannot convert (2021-02-30,
    `!!int x`) stays text.

    Mixed into a SafeLoader (Python or libyaml): PyYAML raises ValueError, IndexError ..., not a YAMLError with a
    line, on such scalars, and keeps the last of two equal keys without a word.
    """

    def construct_object(self, node, deep=False):
        if isinstance(node, yaml.ScalarNode) and SURROGATE.search(node.value):
            # only an escape such as \ud800 makes one: no character, and no page can be written with it
            raise yaml.constructor.ConstructorError(None, None, "a lone surrogate escape (\\ud800 to \\udfff) is not "
                                                    "a character: write the character itself", node.start_mark)
        try:
            return super().construct_object(node, deep)
        except (ValueError, LookupError, AttributeError, TypeError, ArithmeticError):
            if isinstance(node, yaml.ScalarNode):
                return str(node.value)  # its checker (a date, a time ...) says what is wrong, at its key
            raise yaml.constructor.ConstructorError(None, None, "a value that cannot be read", node.start_mark)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key, _ in node.value if isinstance(node, yaml.MappingNode) else ():
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                if (key.tag, key.value) in seen:
                    raise yaml.constructor.ConstructorError(None, None, f"key '{quote(key.value)}' is given twice",
                                                            key.start_mark)
                seen.add((key.tag, key.value))
        return super().construct_mapping(node, deep)


class DataLoader(DataConstructor, yaml.SafeLoader):
    """The YAML loader of sources and registries: safe, and refusing anchors and aliases (`&a`, `*a`): an alias
    repeats a value, and a few of them nested repeat it billions of times ("billion laughs")."""

    depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (&name, *name) are not allowed: "
                                              "write each value out", event.start_mark)
        if self.depth >= MAX_DEPTH and not isinstance(event, yaml.ScalarEvent):
            # the composer recurses: refuse before Python's stack runs out
            raise yaml.composer.ComposerError(None, None, f"values nested more than {MAX_DEPTH} levels deep",
                                              event.start_mark)
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


if hasattr(yaml, "CSafeLoader"):
    class FastLoader(DataConstructor, yaml.CSafeLoader):
        """DataLoader's constructor on libyaml's parser, which composes in C: aliases and depth are refused
        around it (see load_yaml and load_fast)."""
else:
    FastLoader = None


def load_yaml(block: str):
    """Load YAML with DataLoader's rules; with libyaml (ten times faster) where PyYAML has it and the block
    can hold no anchor or alias. On any error, DataLoader again, whose messages and lines say better what is
    wrong."""
    if FastLoader is not None and "&" not in block and "*" not in block:
        try:
            return load_fast(block)
        except yaml.YAMLError:
            pass
    return yaml.load(block, Loader=DataLoader)


def load_fast(block: str):
    """Load with libyaml, refusing nesting deeper than DataLoader allows (so both accept the same)."""
    loader = FastLoader(block)
    try:
        node = loader.get_single_node()
        if node is not None and too_deep(node):
            raise yaml.YAMLError("nested too deep")
        return loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def too_deep(node) -> bool:
    """Are the lists and mappings of a tree of YAML nodes (no aliases: a tree) nested more than MAX_DEPTH deep?"""
    todo = [(node, 1)]
    while todo:
        node, depth = todo.pop()
        if depth > MAX_DEPTH:
            return True
        children = node.value if isinstance(node, yaml.SequenceNode) else (
            [child for pair in node.value for child in pair] if isinstance(node, yaml.MappingNode) else [])
        todo += [(child, depth + 1) for child in children if not isinstance(child, yaml.ScalarNode)]
    return False


class FrontMatter(dict):
    """The front matter's values by key, and the line of each key, for messages."""

    def __init__(self, values=(), lines: dict[str, int] | None = None):
        super().__init__(values)
        self.lines = lines or {}

    def line(self, key: str) -> int:
        return self.lines.get(key, 1)


def split_front_matter(text: str, name: str) -> tuple[FrontMatter, str, int]:
    """Split a leading `---` YAML block from the text; return (metadata, body, lines before body)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter(), text, 0
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
        raise error(name, key_line(lines[:end], unknown[0]), f"unknown front matter key '{quote(unknown[0])}'",
                    "known keys: " + ", ".join(FRONT_MATTER_KEYS))
    return FrontMatter(meta, {k: key_line(lines[:end], k) for k in meta}), "\n".join(lines[end + 1:]), end + 1


def key_line(lines: list[str], key: str) -> int:
    """The line number of `key:` in the front matter lines (1 if not found)."""
    return next((i + 1 for i, line in enumerate(lines) if line.split(":")[0].strip().strip("'\"") == key), 1)
