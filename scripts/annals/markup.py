"""Safe Markdown from source text: every source string reaches HTML only as visible text.

A source string enters a page through exactly one of these functions:
`md_text` (Markdown text, inline or at a line start), `rich_text` (the same, with
editorial marks wrapped in spans), `html_text` (front matter and other plain HTML
contexts) or `url_attr` (an http(s) URL in a double-quoted attribute).
"""
from __future__ import annotations

import bisect
import datetime
import functools
import html
import json
import re
import zlib
from collections.abc import Callable

import yaml

MONTHS = ("January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
COLOURS = 12
KEEP = frozenset(",.'?; ")  # ASCII punctuation that no Markdown syntax we enable can use
ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# Whitespace as Python (and so str.splitlines, str.strip) knows it, among the C0/C1 controls.
SPACES = re.compile(r"[ \t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+")
# Other controls; Python-Markdown uses \x02 and \x03 for its placeholders.
CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
MARKS = re.compile(r"(?P<omission><(?:\.\.\.|\u2026)>|\[(?:\.\.\.|\u2026)\])|(?P<insertion>\[[^\[\]]+\])")
# Characters YAML does not allow unescaped (PyYAML's reader): they are written as \\uXXXX.
NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
TIME = re.compile(r"(?:[01]?\d|2[0-3]):[0-5]\d", re.ASCII)
URL = re.compile(r"https?://[^\s\x00-\x1f\x7f-\x9f]+", re.IGNORECASE)
# A run of whitespace and controls that clean_text changes (into one space, or nothing if it holds no space):
# two or more such characters, or one that is not a plain space.
_RUN = r"[ \t\n\r\x0b-\x0c\x1c-\x1f\x85\u2028\u2029\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]"
RUNS = re.compile(rf"{_RUN}{{2,}}|(?! ){_RUN}")
UNCLEAN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]|  ")  # where RUNS can match: a control, or two spaces


def clean_text(s: str) -> str:
    """Drop control characters, collapse runs of ASCII-like whitespace to one space, strip the ends."""
    if not UNCLEAN.search(s):  # most text: one scan, nothing to change
        return s.strip()
    return SPACES.sub(" ", CONTROLS.sub("", s)).strip()


def clean_offsets(s: str) -> tuple[str, Callable[[int], int]]:
    """Return clean_text(s) and a function mapping an offset in s to the same place in the clean text."""
    if not UNCLEAN.search(s):  # most paragraphs: nothing to collapse, at most spaces to strip at the ends
        clean = s.strip()
        lead, size = len(s) - len(s.lstrip()), len(clean)
        return clean, lambda x: min(max(x - lead, 0), size)
    pieces, runs, pos, shift = [], [], 0, 0
    for m in RUNS.finditer(s):
        new = " " if SPACES.search(m.group()) else ""
        if m.group() == new:
            continue
        pieces += [s[pos:m.start()], new]
        runs.append((m.start(), m.end(), m.start() - shift, len(new)))
        shift += m.end() - m.start() - len(new)
        pos = m.end()
    collapsed = "".join(pieces) + s[pos:]
    clean = collapsed.strip()
    lead, starts = len(collapsed) - len(collapsed.lstrip()), [r[0] for r in runs]

    def where(x: int) -> int:
        i = bisect.bisect_right(starts, x) - 1
        if i >= 0:
            start, end, at, size = runs[i]
            x = at + size + (x - end) if x >= end else at + min(x - start, size)
        return min(max(x - lead, 0), len(clean))

    return clean, where


def encode_char(ch: str) -> str:
    """Return one character as Markdown that can only mean that character."""
    if ch in ESCAPES:
        return ESCAPES[ch]
    if ch < "\x80" and not ch.isalnum() and ch not in KEEP:
        return f"&#{ord(ch)};"
    return ch


ENCODE = {i: encode_char(chr(i)) for i in range(128) if encode_char(chr(i)) != chr(i)}


def escape_md(s: str) -> str:
    """Encode already clean text so that no Markdown or HTML syntax can form from it."""
    out = s.translate(ENCODE)
    if s[:1].isdigit():  # "1. item" at a line start would open a list
        out = f"&#{ord(s[0])};" + out[1:]
    return out


def md_text(s: str) -> str:
    """Return source text as Markdown that renders as exactly that text."""
    return escape_md(clean_text(s))


def rich_text(s: str) -> str:
    """Like md_text, with editorial insertions [..] and omissions <...> in their own spans."""
    text, parts, pos = clean_text(s), [], 0
    for m in MARKS.finditer(text):
        kind = "omission" if m.group("omission") else "insertion"
        parts.append(escape_md(text[pos:m.start()]))
        parts.append(f'<span class="annals-{kind}">{escape_md(m.group())}</span>')
        pos = m.end()
    parts.append(escape_md(text[pos:]))
    return "".join(parts)


def attr_text(s: str) -> str:
    """Return source text for a double-quoted attribute or link title in Markdown (a tooltip)."""
    return escape_md(clean_text(s))


def html_text(s: str) -> str:
    """Return source text escaped for an HTML text or attribute context (not Markdown)."""
    return html.escape(clean_text(s), quote=True)


def url_attr(url: str | None) -> str | None:
    """Return an http(s) URL encoded for a double-quoted attribute in Markdown, or None if unsafe."""
    if not url or not URL.fullmatch(url):
        return None
    return escape_md(url)


def absolute(site_url: str | None, path: str) -> str:
    """A path of the site (relative to its root) as an absolute address when the site's address is known."""
    return site_url.rstrip("/") + "/" + path if site_url else path


def front_matter(title: str, **meta: object) -> str:
    """Return a YAML front matter block; the title is HTML-escaped because themes print it raw."""
    head = dumped_meta(json.dumps(meta, sort_keys=True)) if meta else ""
    return f"---\n{head}title: {yaml_string(html_text(title))}\n---\n"  # a quoted scalar, as safe_dump would


@functools.lru_cache(maxsize=64)
def dumped_meta(meta_json: str) -> str:
    """YAML for front matter keys other than the title (a few constant dicts: dumped once each)."""
    return yaml.safe_dump(json.loads(meta_json), allow_unicode=True, sort_keys=True, default_flow_style=False)


def yaml_string(s: str) -> str:
    """Return a YAML double-quoted scalar (JSON's syntax) meaning exactly s."""
    return NOT_YAML.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(s, ensure_ascii=False))


def format_date(d: datetime.date, year: bool = True) -> str:
    """Write a date the one way the site uses: 20 July 2021."""
    text = f"{d.day} {MONTHS[d.month - 1]}"
    return f"{text} {d.year}" if year else text


def iso_time(time: str | None) -> str | None:
    """Return a source time as HH:MM when it is a clock time, else None."""
    if time and TIME.fullmatch(time.strip()):
        hours, minutes = time.strip().split(":")
        return f"{int(hours):02d}:{minutes}"
    return None


def time_tag(d: datetime.date, time: str | None = None, year: bool = True) -> str:
    """Return a <time> element with the date (and clock time) written out and in ISO form."""
    clock = iso_time(time)
    if clock:
        return f'<time datetime="{d.isoformat()}T{clock}">{format_date(d, year)}, {clock}</time>'
    shown = f'<time datetime="{d.isoformat()}">{format_date(d, year)}</time>'
    return f"{shown}, {md_text(time)}" if time and clean_text(time) else shown


def colour_class(key: str) -> str:
    """Choose a speaker's colour class from their id, the same on every build."""
    return f"annals-c{zlib.crc32(key.encode('utf-8')) % COLOURS}"


def initials(name: str) -> str:
    """Return a short badge for a name: first and last initials, or two letters of one word."""
    words = re.findall(r"[^\W\d_]+", name)
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].capitalize()
    return (words[0][0] + words[-1][0]).upper()


def badge(key: str, name: str) -> str:
    """Return the speaker's badge: their initials on their colour, hidden from screen readers."""
    return f'<span class="annals-badge {colour_class(key)}" aria-hidden="true">{escape_md(initials(name))}</span>'


def plural(n: int, word: str) -> str:
    """Return '1 document', '2 documents', '1,234 words'."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
