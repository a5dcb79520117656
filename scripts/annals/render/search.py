"""The search page and what a document page tells the search index (Pagefind): pure functions, as pages.py.

docs/javascripts/search.js runs the page; annals.search builds the index from the built site.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from annals.crossrefs import Crossrefs
from annals.markup import clean_text, format_date, md_text
from annals.model import Document
from annals.render.common import display_name, html_block, page_text

if TYPE_CHECKING:
    from annals.index import Archive

# The form works without JavaScript too (GET ?q=&speaker=&year=), but only search.js shows results.
SEARCH_FORM = """<div class="annals-search-page">
<form class="annals-search-form" action="." method="get" role="search">
<div class="annals-search-field annals-search-query">
<label for="annals-q">Words to find in the documents' paragraphs</label>
<input type="search" id="annals-q" name="q" autocomplete="off" spellcheck="false" placeholder="e.g. gas, &quot;grain deal&quot;">
</div>
<div class="annals-search-field">
<label for="annals-speaker">Speaker</label>
<input type="search" id="annals-speaker" name="speaker" list="annals-speakers" autocomplete="off" placeholder="Anyone">
<datalist id="annals-speakers"></datalist>
</div>
<div class="annals-search-field">
<label for="annals-year">Year</label>
<select id="annals-year" name="year"><option value="">All years</option></select>
</div>
<button type="submit" class="md-button md-button--primary">Search</button>
</form>
<p class="annals-search-status" role="status" aria-live="polite">Search needs JavaScript; without it, the Documents and People pages list everything.</p>
<div class="md-search-result">
<ol class="md-search-result__list annals-search-results"></ol>
</div>
<button type="button" class="md-button annals-search-more" hidden>More results</button>
</div>"""

SEARCH_HELP = ("Each result is a paragraph of a document, with who speaks in it; the link leads to that paragraph. "
               "Choose a speaker to see only what they said, and a year to see only the documents of that year. "
               "The address of the page keeps the query and the filters (for example `search/?q=gas&year=2021`), "
               "so a search can be shared.")


def render_search() -> str:
    """Render the search page: the form, where search.js puts the results, and how to use it."""
    return page_text("Search", ["# Search", html_block(SEARCH_FORM), SEARCH_HELP], {"hide": ["toc"]})


def search_data(doc: Document, archive: Archive, refs: Crossrefs) -> str:
    """Return a hidden block telling the search index (Pagefind) the document's filters and who speaks where.

    Only the paragraphs are indexed: the plugin turns the SEARCH_BODY comments around them into an element
    marked data-pagefind-body. Filters: `speaker` (each
    person's name: an anonymous role such as Question is no one across documents) and `year`; metadata: `title`, `date`, `iso` and `turns`, a JSON list of [paragraph
    number, speaker's name or null for narration] at each paragraph where the speaker changes.
    """
    turn_of = {p.n: t for t in refs.turns.get(doc.id, ()) for p in t.paragraphs}
    turns: list[list] = []
    for p in doc.paragraphs:
        turn = turn_of.get(p.n)
        who = (display_name(archive, doc, turn.speaker) if turn.speaker else clean_text(turn.label)) if turn else None
        if not turns or turns[-1][1] != who:
            turns.append([p.n, who])
    fields = [("meta", "title", doc.title), ("meta", "date", format_date(doc.date)),
              ("meta", "iso", doc.date.isoformat()), ("filter", "year", str(doc.year))]
    fields += [("filter", "speaker", display_name(archive, doc, s.id)) for s in doc.speakers if s.kind == "person"]
    fields.append(("meta", "turns", json.dumps(turns, ensure_ascii=False, separators=(",", ":"))))
    spans = "".join(f'<span data-pagefind-{kind}="{key}">{md_text(value)}</span>'
                    for kind, key, value in fields if clean_text(value))
    return html_block(f'<div class="annals-search-data" hidden>{spans}</div>')
