"""What every page renderer shares: turns, links between pages, names, filing by letter."""
from __future__ import annotations

import collections
import functools
import posixpath
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from annals.markup import clean_text, front_matter, md_text, time_tag
from annals.model import Document, Turn

if TYPE_CHECKING:
    from annals.index import Archive

PAGE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*", re.ASCII)
FIRST_WORDS = 12
T = TypeVar("T")


def first_words(turn: Turn) -> str:
    """Return the opening words of a turn as link text."""
    words = clean_text(turn.paragraphs[0].text).split(" ")
    if not words[0]:
        return f"Paragraph {turn.paragraphs[0].n}"
    more = len(words) > FIRST_WORDS or len(turn.paragraphs) > 1
    return md_text(" ".join(words[:FIRST_WORDS])) + (" …" if more else "")


def link(from_page: str, to_page: str, anchor: str = "") -> str:
    """Return the relative link from one generated page to another (both relative to docs/)."""
    target = relative(posixpath.dirname(from_page), to_page)
    return f"{target}#{anchor}" if anchor else target


@functools.lru_cache(maxsize=65536)
def relative(folder: str, to_page: str) -> str:
    """Return the path of a page relative to a folder, both relative to docs/ (posixpath.relpath, faster)."""
    here, there = folder.split("/") if folder else [], to_page.split("/")
    same = 0
    while same < min(len(here), len(there) - 1) and here[same] == there[same]:
        same += 1
    return "/".join([".."] * (len(here) - same) + there[same:])


def person_page(person_id: str) -> str:
    """Return the page of a person, relative to docs/."""
    return f"people/{person_id}.md"


def display_name(archive: Archive, doc: Document | None, speaker_id: str) -> str:
    """Return the canonical name of a speaker: the archive's, else the document's, else the id."""
    if speaker_id in archive.people:
        return archive.people[speaker_id].name
    speaker = doc.speaker(speaker_id) if doc else None
    return speaker.name if speaker else speaker_id


def document_list(archive: Archive, page: str, docs: list[Document]) -> str:
    """Return a list of documents: date, linked title, who speaks."""
    items = []
    for doc in docs:
        names = ", ".join(md_text(display_name(archive, doc, s.id)) for s in doc.speakers)
        item = f"- {time_tag(doc.date)} · [{md_text(doc.title)}]({link(page, doc.page)})"
        items.append(item + (f" · {names}" if names else ""))
    return html_list(page, "\n".join(items)) if items else ""  # HTML of our own: a list of 10,000 is 2.5 MB


def speaker_link(archive: Archive, page: str, speaker_id: str | None, text: str) -> str:
    """Return text linked to the speaker's page when they have one."""
    if speaker_id in archive.people:
        return f"[{md_text(text)}]({link(page, person_page(speaker_id))})"
    return md_text(text)


def page_text(title: str, blocks: list[str], meta: dict | None = None) -> str:
    """Join blocks into a page under its front matter."""
    return front_matter(title, **(meta or {})) + "\n" + "\n\n".join(blocks) + "\n"


def is_page_id(s: str) -> bool:
    """Tell whether an id is safe as a file name, a link and an anchor."""
    return bool(PAGE_ID.fullmatch(s)) and s != "index"


# Filing by letter


def fold(s: str) -> str:
    """Return text without accents, case-folded, for sorting and filing."""
    decomposed = unicodedata.normalize("NFKD", s)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def letter_of(word: str) -> str:
    """Return the letter a word is filed under ('#' when it does not begin with a letter)."""
    first = fold(clean_text(word))[:1]
    upper = first.upper()
    if first.isalpha():
        return upper if len(upper) == 1 else first
    return "#"


def letter_id(group: str) -> str:
    """Return the anchor of a letter group."""
    if group == "#":
        return "letter-other"
    return f"letter-{group.lower()}" if group.isascii() else f"letter-u{ord(group[0]):04x}"


def by_letter(items: Iterable[T], word: Callable[[T], str]) -> dict[str, list[T]]:
    """File items (already sorted) under the letter of their word, letters A-Z first, '#' last."""
    groups: dict[str, list[T]] = collections.defaultdict(list)
    for item in items:
        groups[letter_of(word(item))].append(item)
    return {g: groups[g] for g in sorted(groups, key=lambda g: (g == "#", g))}


def lettered(groups: dict[str, list[T]], item: Callable[[T], str], heading: str = "##") -> list[str]:
    """Return blocks for filed items: a line of jump links, then a heading and a list per letter."""
    if not groups:
        return []
    blocks = [" · ".join(f"[{md_text(g)}](#{letter_id(g)})" for g in groups)]
    for g, items in groups.items():
        blocks += [f"{heading} {md_text(g)} {{ #{letter_id(g)} }}", "\n".join(map(item, items))]
    return blocks


# Long lists of links (mentions, meetings) go to the page as HTML that Python-Markdown passes through whole:
# converting thousands of list items and links is most of the cost of those pages. The lists are ours:
# every source string in them is already escaped (md_text), so the only [text](href) in them are our links.
LIST_LINK = re.compile(r'\[([^\[\]]*)\]\(([^()\s"]+)(?: "([^"]*)")?\)')


def page_url(page: str) -> str:
    """The URL folder of a generated page, relative to the site ("people/x.md" -> "people/x/")."""
    if page == "index.md" or page.endswith("/index.md"):
        return page[: -len("index.md")]
    return page[:-3] + "/" if page.endswith(".md") else page


def html_href(page: str, href: str) -> str:
    """The link `href`, written for Markdown in `page`, as the URL the built page needs."""
    path, sep, anchor = href.partition("#")
    return (html_path(page, path) if path else "") + sep + anchor


@functools.lru_cache(maxsize=262144)
def html_path(page: str, path: str) -> str:
    """The page path `path`, relative to `page`, as a URL relative to the built page (html_href, cached)."""
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    url = relative_url(page_url(target), page_url(page))
    if target.endswith(".md"):
        url = "./" if url == "." else url + "/"
    return url


def relative_url(target: str, start: str) -> str:
    """The site folder `target` seen from the folder `start` (both relative to the site, like "people/x/").

    posixpath.relpath would ask the operating system for the working folder on every call: at 10,000
    documents the entity pages make half a million links.
    """
    to, frm = [s for s in target.split("/") if s], [s for s in start.split("/") if s]
    common = 0
    while common < min(len(to), len(frm)) and to[common] == frm[common]:
        common += 1
    return "/".join([".."] * (len(frm) - common) + to[common:]) or "."


RIGHT = ' style="text-align: right;"'


def html_table(page: str, head: list[str], right: set[int], rows: list[list[str]]) -> str:
    """A table as Python-Markdown's tables extension writes it (the columns in `right` aligned right), as one
    HTML block: each cell is our Markdown text, whose links ([text](href "title")) are written as HTML."""
    def row(cells: list[str], tag: str) -> str:
        out = [f"<{tag}{RIGHT if i in right else ''}>{html_links(page, c)}</{tag}>" for i, c in enumerate(cells)]
        return "<tr>\n" + "\n".join(out) + "\n</tr>"

    body = "\n".join(row(r, "td") for r in rows)
    return html_block(f"<table>\n<thead>\n{row(head, 'th')}\n</thead>\n<tbody>\n{body}\n</tbody>\n</table>")


def html_paragraph(page: str, markdown: str, classes: str) -> str:
    """A line of our Markdown text (its links as [text](href "title")) as the HTML block of a paragraph with
    these classes, as Python-Markdown with attr_list ("{ .a .b }") writes it."""
    return html_block(f'<p class="{classes}">{html_links(page, markdown)}</p>')


def html_links(page: str, text: str) -> str:
    """Our Markdown text with its links ([text](href "title")) written as HTML for `page`."""
    return LIST_LINK.sub(lambda m: f'<a href="{html_href(page, m[2])}"' + (f' title="{m[3]}"' if m[3] else "")
                         + f">{m[1]}</a>", text)


def html_list(page: str, markdown: str) -> str:
    """Our two-level Markdown list ("- ..." and "    - ...", a top-level item's classes on a line of their own
    after it: "  { .a .b }") as one HTML block."""
    item = functools.partial(html_links, page)
    out, open_sub = ["<ul>"], False
    for line in markdown.split("\n"):
        if line.startswith("  { .") and not open_sub:
            classes = " ".join(c.removeprefix(".") for c in line.strip("{} ").split())
            out[-1] = f'<li class="{classes}">' + out[-1].removeprefix("<li>")
            continue
        sub = line.startswith("    - ")
        if sub and not open_sub:
            out[-1] = out[-1].removesuffix("</li>") + "<ul>"
        elif not sub and open_sub:
            out.append("</ul></li>")
        open_sub = sub
        out.append(f"<li>{item(line[6:] if sub else line[2:])}</li>")
    out.append("</ul></li></ul>" if open_sub else "</ul>")
    return html_block("\n".join(out))


def html_block(markup: str) -> str:
    """Our own HTML (every source string in it already escaped) as a block that Python-Markdown never parses."""
    return f"{HTML_START}\n{markup}\n{HTML_END}"


# The plugin lifts what stands between these markers out of the Markdown before it is converted, and puts
# it back into the HTML after: Python-Markdown never has to parse it (annals.plugin).
HTML_START, HTML_END = "<!-- annals:html -->", "<!-- /annals:html -->"

# What search indexes stands between these (the paragraphs of a document page); the plugin makes them an element
# marked data-pagefind-body in the HTML (annals.plugin, annals.search). Left alone, they are harmless comments.
SEARCH_BODY = ("<!-- annals:search-body -->", "<!-- /annals:search-body -->")


def remembered(lines: tuple[dict, dict] | None, fingerprints: dict[str, str] | None, doc_id: str, key: tuple, make):
    """make(), a part of a page that shows a document (a line, a block) and nothing else of the archive but what
    whoever gives `lines` vouches is unchanged (everyone's names, the code ...): taken from lines[0], where a
    rendering of the same page made it for the same part of a document of the same fingerprint (Archive.
    fingerprints: the document with its contacts), and added to lines[1] for the next one."""
    fingerprint = fingerprints.get(doc_id) if lines is not None and fingerprints else None
    if fingerprint is None:
        return make()
    key = (fingerprint, *key)
    part = lines[0].get(key)
    if part is None:
        part = make()
    lines[1][key] = part
    return part
