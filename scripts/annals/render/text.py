"""Source text as Markdown, with mentions linked, glossary terms explained and editorial marks set apart.

Offsets refer to the source text as written; the text is cleaned (annals.markup.clean_offsets)
before it is escaped, and every piece of it reaches the page only through escape_md. The markup
around the pieces is ours: links to pages we generate, <mark>, <abbr> and spans.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from annals.markup import MARKS, attr_text, clean_offsets, clean_text, escape_md, rich_text
from annals.model import GlossaryTerm
from annals.render.common import html_href
from annals.sentences import sentences_of, window


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


def linked_text(raw: str, links: list[tuple[int, int, str]], glossary: Glossary | None = None) -> str:
    """Return raw text as Markdown with each (start, end, href) linked and glossary terms explained."""
    return linked(raw, links, glossary, lambda s, e, href, title: Span(
        s, e, "[", f"]({href}" + (f' "{title}")' if title else ")")))


def linked_html(raw: str, links: list[tuple[int, int, str]], glossary: Glossary | None, page: str) -> str:
    """Return raw text as HTML for `page`, each (start, end, href) linked and glossary terms explained.

    The links are written as <a href> with the URL the built page needs: Python-Markdown passes HTML through at
    a fraction of the cost of its own links (a paragraph may name a dozen people and places), and a block of it
    (a document's paragraphs) need not pass through Python-Markdown at all.
    """
    return linked(raw, links, glossary, lambda s, e, href, title: Span(
        s, e, f'<a href="{html_href(page, href)}"' + (f' title="{title}"' if title else "") + ">", "</a>"))


def linked(raw: str, links: list[tuple[int, int, str]], glossary: Glossary | None, span) -> str:
    """linked_text and linked_html: `span(start, end, href, title or None)` writes one link around its text."""
    if not links and not glossary:
        return rich_text(raw)
    text, where = clean_offsets(raw)
    marks = mark_spans(text)
    kept = disjoint([(where(s), where(e), href) for s, e, href in links], marks)
    abbrs, titles = term_spans(text, glossary, kept, marks) if glossary else ([], {})
    spans = [span(s, e, href, titles.get(i)) for i, (s, e, href) in enumerate(kept)]
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


def quoted_sentence(raw: str, start: int, end: int) -> str:
    """Return the sentence around raw[start:end] as Markdown with those words marked, cut down if long."""
    s, e = sentences_of(raw).around(start, end)
    lo, hi = window(raw, (s, e), start, end)
    return ("… " if lo > s else "") + marked_text(raw[lo:hi], [(start - lo, end - lo)]) + (" …" if hi < e else "")


def mark_spans(text: str) -> list[Span]:
    """Editorial insertions [..] and omissions <...> of the clean text, as in markup.rich_text."""
    return [Span(m.start(), m.end(), f'<span class="annals-{"omission" if m.group("omission") else "insertion"}">',
                 "</span>") for m in MARKS.finditer(text)]


def disjoint(items: list[tuple[int, int, str]], marks: list[Span]) -> list[tuple[int, int, str]]:
    """Keep the non-empty items that overlap no earlier item and lie either inside a mark or outside all."""
    kept, last, nesting = [], 0, Nesting(marks)
    for s, e, data in sorted(items, key=lambda i: (i[0], i[1])):
        if s < e and s >= last and nesting.fits(s, e):
            kept.append((s, e, data))
            last = e
    return kept


class Nesting:
    """Disjoint spans in order (editorial marks, links): which one a piece of text overlaps, found by bisection.

    A paragraph may hold thousands of marks and names: looking at each mark for each name cost their product.
    """

    def __init__(self, spans: list) -> None:
        self.spans = [(sp.start, sp.end) if isinstance(sp, Span) else sp[:2] for sp in spans]
        self.ends = [e for _, e in self.spans]

    def overlapped(self, start: int, end: int) -> int | None:
        """The index of the first span that [start, end) overlaps, or None."""
        i = bisect.bisect_right(self.ends, start)
        return i if i < len(self.spans) and self.spans[i][0] < end else None

    def fits(self, start: int, end: int) -> bool:
        """Tell whether [start, end) nests properly among the spans: inside one, or apart from each."""
        i = self.overlapped(start, end)
        return i is None or (self.spans[i][0] <= start and end <= self.spans[i][1])


def term_spans(text: str, glossary: Glossary, links: list[tuple[int, int, str]],
               marks: list[Span]) -> tuple[list[Span], dict[int, str]]:
    """The first usable occurrence of each term: an <abbr>, or the title of the link it lies in."""
    abbrs, titles, done = [], {}, set()
    in_marks, in_links = Nesting(marks), Nesting(links)
    for s, e, term in glossary.occurrences(text):
        if term.id in done or not in_marks.fits(s, e):
            continue
        i = in_links.overlapped(s, e)
        inside = i is not None and links[i][0] <= s and e <= links[i][1]
        if inside and i not in titles:
            titles[i] = attr_text(term.definition)
        elif i is not None:  # inside a link that has its title, or across one
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
