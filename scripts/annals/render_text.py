"""Source text as Markdown, with mentions linked, glossary terms explained and editorial marks set apart.

Offsets refer to the source text as written; the text is cleaned (annals.markup.clean_offsets)
before it is escaped, and every piece of it reaches the page only through escape_md. The markup
around the pieces is ours: links to pages we generate, <mark>, <abbr> and spans.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from annals.markup import MARKS, attr_text, clean_offsets, clean_text, escape_md, rich_text
from annals.model import GlossaryTerm
from annals.render_common import html_href
from annals.sentences import sentence_of, sentence_spans, window


@dataclass(frozen=True)
class Span:
    """Markup to put around text[start:end] of the clean text."""

    start: int
    end: int
    before: str
    after: str


class Glossary:
    """The glossary's terms and aliases as one pattern: whole words, case as written, longest first."""

    def __init__(self, terms: tuple[GlossaryTerm, ...]):
        self.forms: dict[str, GlossaryTerm] = {}
        for term in terms:
            for form in map(clean_text, (term.term, *term.aliases)):
                if form and clean_text(term.definition):
                    self.forms.setdefault(form, term)
        alternatives = "|".join(map(re.escape, sorted(self.forms, key=lambda f: (-len(f), f))))
        self.pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)") if self.forms else None

    def __bool__(self) -> bool:
        return self.pattern is not None

    def occurrences(self, text: str) -> list[tuple[int, int, GlossaryTerm]]:
        """Every occurrence of a term in the (clean) text, in order."""
        if self.pattern is None:
            return []
        return [(m.start(), m.end(), self.forms[m.group()]) for m in self.pattern.finditer(text)]


def linked_text(raw: str, links: list[tuple[int, int, str]], glossary: Glossary | None = None,
                page: str | None = None) -> str:
    """Return raw text as Markdown with each (start, end, href) linked and glossary terms explained.

    Given the `page` the text is on, the links are written as HTML (<a href>), which Python-Markdown passes
    through at a fraction of the cost of its own links: a paragraph may name a dozen people and places.
    """
    if not links and not glossary:
        return rich_text(raw)
    text, where = clean_offsets(raw)
    marks = mark_spans(text)
    kept = disjoint([(where(s), where(e), href) for s, e, href in links], marks)
    abbrs, titles = term_spans(text, glossary, kept, marks) if glossary else ([], {})
    if page is not None:
        spans = [Span(s, e, f'<a href="{html_href(page, href)}"' + (f' title="{titles[i]}"' if i in titles else "")
                      + ">", "</a>") for i, (s, e, href) in enumerate(kept)]
    else:
        spans = [Span(s, e, "[", f"]({href}" + (f' "{titles[i]}")' if i in titles else ")"))
                 for i, (s, e, href) in enumerate(kept)]
    return emit(text, marks + spans + abbrs)


def marked_text(raw: str, hits: list[tuple[int, int]]) -> str:
    """Return raw text as Markdown with each (start, end) highlighted, widened over editorial marks it cuts."""
    text, where = clean_offsets(raw)
    marks = mark_spans(text)
    kept = disjoint([(*widened(where(s), where(e), marks), "") for s, e in hits], [])
    return emit(text, marks + [Span(s, e, "<mark>", "</mark>") for s, e, _ in kept])


def widened(start: int, end: int, marks: list[Span]) -> tuple[int, int]:
    """Widen [start, end) to the whole of each mark it partly overlaps ("May 6 [2012" -> "May 6 [2012]")."""
    for m in marks:
        crosses = m.start < end and start < m.end
        if crosses and not (m.start <= start and end <= m.end) and not (start <= m.start and m.end <= end):
            start, end = min(start, m.start), max(end, m.end)
    return start, end


def quoted_sentence(raw: str, start: int, end: int, sentence: str = "") -> str:
    """Return the sentence around raw[start:end] as Markdown with those words marked, cut down if long."""
    s, e = sentence_bounds(raw, start, end, sentence)
    lo, hi = window(raw, (s, e), start, end)
    return ("… " if lo > s else "") + marked_text(raw[lo:hi], [(start - lo, end - lo)]) + (" …" if hi < e else "")


def sentence_bounds(raw: str, start: int, end: int, sentence: str = "") -> tuple[int, int]:
    """Return where the given sentence holding raw[start:end] lies in raw; else the sentence found around it."""
    if sentence and len(sentence) >= end - start:
        lo = max(end - len(sentence), 0)
        at = raw.find(sentence, lo, start + len(sentence))
        if at >= 0:
            return at, at + len(sentence)
    return sentence_of(sentence_spans(raw), start, end)


def mark_spans(text: str) -> list[Span]:
    """Editorial insertions [..] and omissions <...> of the clean text, as in markup.rich_text."""
    return [Span(m.start(), m.end(), f'<span class="annals-{"omission" if m.group("omission") else "insertion"}">',
                 "</span>") for m in MARKS.finditer(text)]


def disjoint(items: list[tuple[int, int, str]], marks: list[Span]) -> list[tuple[int, int, str]]:
    """Keep the non-empty items that overlap no earlier item and lie either inside a mark or outside all."""
    kept, last = [], 0
    for s, e, data in sorted(items, key=lambda i: (i[0], i[1])):
        if s < e and s >= last and fits(s, e, marks):
            kept.append((s, e, data))
            last = e
    return kept


def fits(start: int, end: int, outer: list[Span]) -> bool:
    """Tell whether [start, end) nests properly among spans: inside one, or apart from each."""
    return all(end <= o.start or start >= o.end or (o.start <= start and end <= o.end) for o in outer)


def term_spans(text: str, glossary: Glossary, links: list[tuple[int, int, str]],
               marks: list[Span]) -> tuple[list[Span], dict[int, str]]:
    """The first usable occurrence of each term: an <abbr>, or the title of the link it lies in."""
    abbrs, titles, done = [], {}, set()
    for s, e, term in glossary.occurrences(text):
        if term.id in done or not fits(s, e, marks):
            continue
        inside = [i for i, (ls, le, _) in enumerate(links) if ls <= s and e <= le]
        if inside and inside[0] not in titles:
            titles[inside[0]] = attr_text(term.definition)
        elif inside or not all(e <= ls or s >= le for ls, le, _ in links):
            continue
        else:
            abbrs.append(Span(s, e, f'<abbr title="{attr_text(term.definition)}">', "</abbr>"))
        done.add(term.id)
    return abbrs, titles


def emit(text: str, spans: list[Span]) -> str:
    """Write the clean text escaped, with properly nested spans' markup around their pieces."""
    ordered = sorted(spans, key=lambda sp: (sp.start, -sp.end))
    events = sorted([(sp.start, 1, i, sp.before) for i, sp in enumerate(ordered)]
                    + [(sp.end, 0, -i, sp.after) for i, sp in enumerate(ordered)])
    out, pos = [], 0
    for at, _, _, markup in events:
        out += [escape_md(text[pos:at]), markup]
        pos = at
    out.append(escape_md(text[pos:]))
    return "".join(out)
