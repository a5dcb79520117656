"""Parse a source text into a Document: header, paragraphs, speaker turns. Pure: no disk, no registry."""
from __future__ import annotations

import datetime
import re
import urllib.parse
from dataclasses import dataclass

from annals.errors import Problem, error, quote
from annals.labels import INITIALS, LABEL, is_name, split_label, strip_dash
from annals.model import Document, Paragraph
from annals.read import split_front_matter

MONTHS = {m.lower(): i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTH = r"(?P<month>[A-Za-z]+)\.?"
TIME = r"(?:,?\s+(?P<hour>\d{1,2})[:.](?P<minute>\d{2}))?"
DATE_LINES = (
    re.compile(rf"^(?P<day>\d{{1,2}})\s+{MONTH},?\s+(?P<year>\d{{4}}){TIME}$"),
    re.compile(rf"^{MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){TIME}$"),
)
BREAK = re.compile(r"^(\*\s*){3,}$|^(-\s*){3,}$|^(_\s*){3,}$")
CLOSING = tuple(".!?…:;\"”’»)]>")
SCALAR_KEYS = ("title", "date", "time", "place", "source_url", "retrieved", "language", "encoding")
DATE_HINT = 'expected a date line such as "20 July 2021, 19:40" or "August 11, 2020, 12:30", or "date:" in front matter'


@dataclass(frozen=True)
class Block:
    """Consecutive non-blank lines; `gap` counts the blank lines before them."""

    line: int
    lines: tuple[str, ...]
    gap: int

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def parse(text: str, source: str) -> Document:
    """Parse the text of the source file `source` into a Document."""
    meta, body, offset = split_front_matter(text, source)
    blocks = split_blocks(body, offset)
    header, blocks = parse_header(blocks, meta, source)
    blocks = drop_dateline(blocks, header["date"], header["time"])
    paragraphs = attribute(join_broken(to_paragraphs(blocks)))
    return Document(source=source, paragraphs=tuple(paragraphs), **header)


def split_blocks(body: str, offset: int) -> list[Block]:
    """Split text into blocks of non-blank lines, remembering line numbers and gaps."""
    blocks, current, start, gap = [], [], 0, 0
    for i, raw in enumerate(body.split("\n"), offset + 1):
        line = raw.strip()
        if line:
            if not current:
                start = i
            current.append(" ".join(line.split()))
            continue
        if current:
            blocks.append(Block(start, tuple(current), gap))
            current, gap = [], 0
        gap += 1
    if current:
        blocks.append(Block(start, tuple(current), gap))
    return blocks


def parse_date_line(line: str) -> tuple[datetime.date, str | None] | None:
    """Return (date, "HH:MM" or None) if the line is a date line in either style."""
    for pattern in DATE_LINES:
        m = pattern.match(line.strip())
        if m and m.group("month").lower() in MONTHS:
            try:
                date = datetime.date(int(m.group("year")), MONTHS[m.group("month").lower()], int(m.group("day")))
            except ValueError:
                return None
            if m.group("hour") is None:
                return date, None
            hour, minute = int(m.group("hour")), int(m.group("minute"))
            return (date, f"{hour:02d}:{minute:02d}") if hour < 24 and minute < 60 else None
    return None


def parse_header(blocks: list[Block], meta: dict, source: str) -> tuple[dict, list[Block]]:
    """Take title, date, time and place from the first lines; return them and the remaining blocks."""
    lines = [(b.line + k, text, bi) for bi, b in enumerate(blocks[:3]) for k, text in enumerate(b.lines)]
    if not lines:
        raise error(source, 1, "no text after the front matter" if meta else "file has no text")
    title, title_line, found = None, lines[0][0], None
    if has_title_line(lines, meta):
        title, lines = lines[0][1], lines[1:]
    for k, (line_no, text, bi) in enumerate(lines[:2]):
        if parse_date_line(text):
            found = k
            break
    header = {"title": title, "title_line": title_line, "date": None, "time": None, "place": None}
    used = 1 if title is not None else 0
    if found is not None:
        line_no, text, bi = lines[found]
        header["date"], header["time"] = parse_date_line(text)
        used += found + 1
        for line_no, after, bj in lines[found + 1:]:
            if bj != bi:
                break
            if title and norm(after) == norm(title):
                used += 1
            elif header["place"] is None and is_place_line(after):
                header["place"], header["place_line"] = after, line_no
                used += 1
            else:
                break
    rest = drop_lines(blocks, used)
    apply_meta(header, meta, source)
    if header["date"] is None:
        raise error(source, title_line + 1 if title else title_line, "no date found", DATE_HINT)
    if not header["title"]:
        raise error(source, title_line, "no title found", "the first line is the title, or set 'title:' in front matter")
    return header, rest


def has_title_line(lines: list[tuple[int, str, int]], meta: dict) -> bool:
    """Is the first line a title: followed by a date line, or the title the front matter gives?"""
    first = lines[0][1]
    if parse_date_line(first):
        return False
    if any(parse_date_line(text) for _, text, _ in lines[1:3]) or "title" not in meta:
        return True
    return norm(first) == norm(str(meta["title"]))


def drop_lines(blocks: list[Block], count: int) -> list[Block]:
    """Remove the first `count` lines from the blocks."""
    out = []
    for b in blocks:
        if count >= len(b.lines):
            count -= len(b.lines)
            continue
        out.append(Block(b.line + count, b.lines[count:], b.gap if count == 0 else 0) if count else b)
        count = 0
    return out


def drop_dateline(blocks: list[Block], date: datetime.date, time: str | None) -> list[Block]:
    """Drop the header's date line repeated as the first line of the body ("July 2, 2020 12:45").

    Only a bare date line that says what the header says (the same date, and the same time or none) goes: it
    is the page's dateline, not text. A date line that differs stays a paragraph (the header's date is the
    document's; the other may be text, or a mistake in either), and `dateline_problems` says so.
    """
    while blocks and parse_date_line(blocks[0].lines[0]) in ((date, None), (date, time)):
        blocks = drop_lines(blocks, 1)
    return blocks


def dateline_problems(doc: Document) -> list[Problem]:
    """A first paragraph that is a bare date line other than the document's date: kept as text, and said."""
    first = doc.paragraphs[0] if doc.paragraphs else None
    found = parse_date_line(first.text) if first and first.label is None else None
    if not found:
        return []
    said = f"{doc.date.isoformat()}" + (f" {doc.time}" if doc.time else "")
    return [Problem(doc.source, first.line, f"the text opens with the date line '{quote(first.text)}', other than "
                    f"the document's date ({said}): kept as its first paragraph", "if it is the dateline repeated, "
                    "correct the date under the title and remove this line; if it is text, nothing needs doing",
                    "warning")]


def is_place_line(line: str) -> bool:
    """Is this short line a place ("Novo-Ogaryovo, Moscow Region") rather than a sentence?"""
    words = line.split()
    return 0 < len(words) <= 8 and not line.endswith((".", "!", "?", ":")) and words[0][:1].isupper()


def apply_meta(header: dict, meta: dict, source: str) -> None:
    """Let front matter override what the header gave; every problem at its key's line."""
    line = getattr(meta, "line", lambda key: 1)
    for key in SCALAR_KEYS:
        if isinstance(meta.get(key), (list, dict)):
            kind = "list" if isinstance(meta[key], list) else "mapping"
            raise error(source, line(key), f"front matter '{key}' must be one value, not a {kind}",
                        "write it on one line after the key, e.g. 'title: ...'")
    if meta.get("title") is not None:
        header["title"] = str(meta["title"]).strip()
    if "date" in meta:
        header["date"] = meta_date(meta["date"], source, line("date"))
    if "time" in meta:
        header["time"] = meta_time(meta["time"], source, line("time"))
    for key in ("place", "source_url", "language"):
        if meta.get(key) is not None and str(meta[key]).strip():
            header[key] = str(meta[key]).strip()
    if meta.get("place") is not None and str(meta["place"]).strip():
        header["place_line"] = line("place")  # where a problem with the place is reported
    if "source_url" in header and not is_web_address(header["source_url"]):
        raise error(source, line("source_url"), f"source_url '{quote(header['source_url'])}' is not a web address",
                    "give the address of the page the text was taken from, starting with http:// or https://")
    if meta.get("retrieved"):
        header["retrieved"] = meta_date(meta["retrieved"], source, line("retrieved")).isoformat()
    if "tags" in meta:
        header["tags"], header["tags_line"] = meta_tags(meta["tags"], source, line("tags")), line("tags")


def meta_tags(value, source: str, line: int) -> tuple[str, ...]:
    """Front matter tags: a list of words or phrases (or one)."""
    tags = value if isinstance(value, list) else [value]
    if any(isinstance(t, (list, dict)) for t in tags):
        raise error(source, line, "front matter 'tags' must be a list of words or phrases, e.g. [energy, visits]")
    return tuple(str(t).strip() for t in tags if t is not None and str(t).strip())


def is_web_address(url: str) -> bool:
    """Is this an http(s) address with a host, and nothing a page could not link (spaces, controls)?"""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c <= " " or c == "\x7f" for c in url)


def meta_date(value, source: str, line: int = 1) -> datetime.date:
    """Read a front matter date: a YAML date or an ISO string."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    parsed = parse_date_line(str(value))
    if parsed:
        return parsed[0]
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise error(source, line, f"front matter date '{quote(value)}' is not a date",
                    "write it as YYYY-MM-DD") from None


def meta_time(value, source: str, line: int = 1) -> str | None:
    """Read a front matter time ("19:40"); YAML may give minutes since midnight for 19:40."""
    if value is None:
        return None
    if isinstance(value, int) and 0 <= value < 24 * 60:  # YAML 1.1 reads 19:40 as base-60
        return f"{value // 60:02d}:{value % 60:02d}"
    m = re.fullmatch(r"(\d{1,2})[:.](\d{2})", str(value).strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise error(source, line, f"front matter time '{quote(value)}' is not a time", "write it as HH:MM")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class Raw:
    """A paragraph before attribution."""

    line: int
    text: str
    section: int
    joined: tuple[int, ...] = ()


def to_paragraphs(blocks: list[Block]) -> list[Raw]:
    """Turn blocks into paragraphs, counting sections (`* * *` or an extra blank line)."""
    out, section = [], 0
    for b in blocks:
        if BREAK.match(b.text):
            section += 1
            continue
        if b.gap >= 2 and out:
            section += 1
        out.append(Raw(b.line, b.text, section))
    return out


def join_broken(paras: list[Raw]) -> list[Raw]:
    """Join a paragraph broken mid-sentence (no closing punctuation, next starts in lower case)."""
    out: list[Raw] = []
    for p in paras:
        prev = out[-1] if out else None
        if prev and prev.section == p.section and is_broken(prev.text, p.text):
            out[-1] = Raw(prev.line, prev.text + " " + p.text, prev.section, prev.joined + (p.line,))
        else:
            out.append(p)
    return out


def is_broken(before: str, after: str) -> bool:
    """Does `before` stop mid-sentence and `after` carry on in lower case (and open no turn: "chairman of the
    Board Ivan Petrov: ...")?"""
    return not before.rstrip().endswith(CLOSING) and after[:1].islower() and not split_label(after)


def attribute(paras: list[Raw]) -> list[Paragraph]:
    """Find speaker labels and give every paragraph the turn it belongs to."""
    out: list[Paragraph] = []
    turn, section, pending = None, 0, None
    listed = list_runs(paras)
    for i, raw in enumerate(paras):
        if raw.section != section:
            turn, section = None, raw.section
        if pending is not None and pending.section == raw.section:
            label_raw, pending = pending, None
            out.append(make(out, label_raw.line, strip_dash(raw.text), turn, turn, raw))
            continue
        if pending is not None:  # a label with nothing after it in its section: keep it as text
            out.append(make(out, pending.line, pending.text, None, None, pending))
            pending = None
        found = None if i in listed else split_label(raw.text)
        if found:
            label, rest = found
            turn = label.text
            if not rest:
                pending = raw
                continue
            out.append(make(out, raw.line, rest, label.text, turn, raw))
        else:
            out.append(make(out, raw.line, raw.text, None, turn, raw))
    if pending is not None:
        out.append(make(out, pending.line, pending.text, None, None, pending))
    return out


def list_runs(paras: list[Raw]) -> set[int]:
    """The paragraphs that are lists of appointments ("Minister of Culture: Ivan Petrov."), not turns.

    An item is a line "Office: Name Surname." with nothing after the name. A paragraph of two or more item
    lines is a list; so is a run of two or more item paragraphs in a section, each under another office (a
    dialogue would have someone speak twice, or say more than a name).
    """
    items = [list_items(p.text) for p in paras]
    listed: set[int] = set()
    i = 0
    while i < len(paras):
        j = i
        while j < len(paras) and items[j] and paras[j].section == paras[i].section:
            j += 1
        if j > i:
            offices = [o for k in range(i, j) for o in items[k]]
            if len(offices) > 1 and len(set(offices)) == len(offices):
                listed.update(range(i, j))
        i = max(j, i + 1)
    return listed


def list_items(text: str) -> tuple[str, ...]:
    """The offices of a paragraph whose every line is "Office: Name Surname.", else ()."""
    offices: list[str] = []
    if ": " not in text:
        return ()
    for line in text.split("\n"):
        m = LABEL.match(line) if len(line) <= 200 and ": " in line else None  # an item is short
        if not m:
            return ()
        name = line[m.end():].strip().rstrip(".;,")
        if not name or not (is_name(re.sub(r"\([^)]*\)", " ", name).split()) or INITIALS.fullmatch(name)):
            return ()
        offices.append(" ".join(m.group("label").split()).casefold())
    return tuple(offices)


def make(out, line, text, label, turn, raw: Raw) -> Paragraph:
    """Make the next Paragraph of `out`."""
    return Paragraph(n=len(out) + 1, line=line, text=text, label=label, turn=turn,
                     section=raw.section, joined=raw.joined)
