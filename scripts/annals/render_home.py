"""The home page: what the archive holds, its latest documents, and where to start."""
from __future__ import annotations

from typing import TYPE_CHECKING

from annals.feed import FEED, NEWEST
from annals.markup import plural, time_tag
from annals.render_common import document_list, page_text

if TYPE_CHECKING:
    from annals.index import Archive

LATEST = 10


def render_home(archive: Archive) -> str:
    """Render the home page: what the archive holds, the latest documents, where to search."""
    docs = archive.documents
    people = sum(1 for p in archive.people.values() if p.kind != "role" and p.documents)
    paragraphs = sum(len(d.paragraphs) for d in docs)
    blocks = ["# Annals", "Official records of meetings and conversations, paragraph by paragraph, "
              "with every speaker identified."]
    if docs:
        first, last = min(d.date for d in docs), max(d.date for d in docs)
        speak = "1 person speaks" if people == 1 else f"{people:,} people speak"
        blocks.append(f"The archive holds {plural(len(docs), 'document')} with {plural(paragraphs, 'paragraph')}, "
                      f"in which {speak}, from {time_tag(first)} to {time_tag(last)}.")
    blocks.append("[Search the archive](search.md) (on any page, press <kbd>/</kbd>) "
                  "or browse the [documents](documents/index.md), [people](people/index.md), "
                  "[places](places/index.md), [organisations](organizations/index.md), [topics](topics/index.md), "
                  "the [timeline](timeline/index.md) and the [glossary](glossary/index.md).")
    if docs:
        blocks += ["## Latest documents", document_list(archive, "index.md", list(docs[:LATEST])),
                   f"The {NEWEST} newest documents are also in an [Atom feed]({FEED})."]
    return page_text("Annals", blocks)
