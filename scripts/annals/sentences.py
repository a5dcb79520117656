"""Sentences of a paragraph: where each begins and ends, for showing a mention in its context."""
from __future__ import annotations

import bisect
import functools
import re

# A sentence ends at . ! ? or …, perhaps followed by closing quotes or brackets, then space.
END = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*(\s+)")
OPENERS = frozenset("\"'\u201c\u2018\u00ab(")
# Words after which a full stop does not end the sentence ("Mr. Putin", "St. Petersburg").
ABBREVIATIONS = frozenset("Mr Mrs Ms Dr St Mt Prof Gen Col Lt Sr Jr No Nos vs cf Art".split())
WORD_BEFORE = re.compile(r"(\w+)$")
LIMIT = 240  # characters of context shown around a mention in a long sentence


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of every sentence in text, in order, without surrounding spaces."""
    spans, start = [], 0
    for m in END.finditer(text):
        after = m.end()
        if after < len(text) and is_sentence_start(text[after]) and not is_abbreviation(text, m.start()):
            spans.append((start, m.start(1)))
            start = after
    spans.append((start, len(text)))
    return [trimmed(text, s, e) for s, e in spans if text[s:e].strip()]


def is_sentence_start(ch: str) -> bool:
    """Tell whether a character can open a sentence: an upper-case letter or an opening quote."""
    return ch.isupper() or ch in OPENERS


def is_abbreviation(text: str, stop: int) -> bool:
    """Tell whether the full stop at `stop` closes an abbreviation or an initial ("Mr.", "V.")."""
    if text[stop] != ".":
        return False
    word = WORD_BEFORE.search(text, max(stop - 20, 0), stop)
    if not word:
        return False
    w = word.group(1)
    return w in ABBREVIATIONS or (len(w) == 1 and w.isupper())


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span so that it neither begins nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class Sentences:
    """The sentences of one text, found in one pass; the one around any span is then found by bisection.

    A paragraph may hold thousands of mentions: scanning it again for each one would cost its length
    every time (a paragraph of 'Moscow. ' repeated for 640 KB took minutes).
    """

    __slots__ = ("spans", "starts")

    def __init__(self, text: str):
        self.spans = sentence_spans(text)
        self.starts = [s for s, _ in self.spans]

    def around(self, start: int, end: int) -> tuple[int, int]:
        """Return the span of the sentence (or run of sentences) that holds text[start:end]."""
        if not self.spans:
            return start, end
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        last = max(bisect.bisect_right(self.starts, max(end - 1, start)) - 1, first)
        return min(self.spans[first][0], start), max(self.spans[last][1], end)


@functools.lru_cache(maxsize=256)
def sentences_of(text: str) -> Sentences:
    """The Sentences of a text, kept for the next lookups: the pages that quote one paragraph ask in turn."""
    return Sentences(text)


def sentence_at(text: str, start: int, end: int) -> str:
    """Return the sentence around text[start:end] (several, if the span crosses a sentence end)."""
    s, e = sentences_of(text).around(start, end)
    return text[s:e]


def window(text: str, span: tuple[int, int], start: int, end: int, limit: int = LIMIT) -> tuple[int, int]:
    """Cut a long sentence down to about `limit` characters around text[start:end], at spaces."""
    s, e = span
    if e - s <= limit:
        return s, e
    room = max((limit - (end - start)) // 2, 0)
    lo, hi = max(s, start - room), min(e, end + room)
    if lo > s:
        cut = text.find(" ", lo, start)
        lo = cut + 1 if cut >= 0 else lo
    if hi < e:
        cut = text.rfind(" ", end, hi)
        hi = cut if cut >= 0 else hi
    return lo, hi
