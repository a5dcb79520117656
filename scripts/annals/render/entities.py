"""Pages that follow a name through the archive: entities, where they are mentioned, whom a person met (a pair's
page is annals.render.pairs')."""
from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from annals.crossrefs import Crossrefs
from annals.markup import badge, clean_text, md_text, plural, time_tag
from annals.model import Document, Entity, Mention, Paragraph, Person
from annals.render.common import display_name, html_list, link, page_text, remembered
from annals.render.pairs import contacts_line, render_pair  # noqa: F401 (render_pair: render.py imports it here)
from annals.render.text import marked_text
from annals.sentences import sentences_of, window

if TYPE_CHECKING:
    from annals.index import Archive

# Sentences shown per document on an entity's page; the further paragraphs that mention it are linked
# by number only, which keeps pages such as Russia's (650 mentions in 89 documents) lean.
SENTENCES = 3
KINDS = {"person": "Person", "place": "Place", "organization": "Organisation", "topic": "Topic"}
ORIGINS = {
    "registry": "the editors' registry", "speakers": "the speakers of the documents",
    "countries": "a list of the world's countries", "pycountry": "a list of the world's countries",
    "cities": "a gazetteer of cities", "geonames": "a gazetteer of cities",
    "place line": "the place lines of the documents", "tags": "the tags of the documents",
}


# An entity named in thousands of documents would make a page of megabytes: its sentences are quoted from
# this many latest documents, and the older documents link to the paragraphs that name it.
QUOTED = 100


def render_entity(entity: Entity, refs: Crossrefs, lines: tuple[dict, dict] | None = None,
                  fingerprints: dict[str, str] | None = None) -> str:
    """Render an entity's page: what it is, then its mentions by document, newest first, in their sentences
    (each document's taken from `lines` where it was made before for a document of the same fingerprint:
    render.common.remembered)."""
    found = refs.mentions.get(entity.key, [])
    blocks = [f"# {md_text(entity.name)}", entity_summary(entity, found) + "\n{ .annals-summary }"]
    blocks += entity_about(entity)
    blocks += mentioned_in(entity.page, found, lines, fingerprints)
    return page_text(entity.name, blocks)


def entity_summary(entity: Entity, found: list[tuple[Document, Mention]]) -> str:
    """Return the line under an entity's name: its kind and how often it is mentioned."""
    docs = len({doc.id for doc, _ in found})
    kind = KINDS.get(entity.type, "Entry")
    return f"{kind} · mentioned in {plural(docs, 'document')} · {plural(len(found), 'time')}"


def entity_about(entity: Entity) -> list[str]:
    """Return what is known of an entity: description, other names, where the entry comes from."""
    blocks = [md_text(entity.description)] if clean_text(entity.description) else []
    aliases = [md_text(a) for a in entity.aliases if clean_text(a) and clean_text(a) != clean_text(entity.name)]
    if aliases:
        blocks.append("Also written as: " + "; ".join(aliases))
    if clean_text(entity.origin):
        origin = ORIGINS.get(clean_text(entity.origin)) or md_text(entity.origin)
        blocks.append(f"Known from {origin}.\n{{ .annals-meta }}")
    return blocks


def mentioned_in(page: str, found: list[tuple[Document, Mention]], lines: tuple[dict, dict] | None = None,
                 fingerprints: dict[str, str] | None = None) -> list[str]:
    """Return the mentions grouped by document (in the order given), in their sentences, linked to paragraphs
    (each document's lines taken from `lines`, render.common.remembered)."""
    if not found:
        return []
    items, quoted = [], 0
    for _, group in itertools.groupby(found, key=lambda dm: dm[0].id):
        group = list(group)
        doc, mentions, whole = group[0][0], [m for _, m in group], quoted < QUOTED
        items += remembered(lines, fingerprints, doc.id, ("mentioned", whole, len(mentions)),
                            lambda doc=doc, mentions=mentions, whole=whole: mentioned_lines(page, doc, mentions, whole))
        quoted += 1
    note = ([f"The sentences are quoted from the {QUOTED} latest documents; the older ones link to the paragraphs."]
            if quoted > QUOTED else [])
    return ["## Mentioned in { #mentioned-in }", *note, html_list(page, "\n".join(items))]


def mentioned_lines(page: str, doc: Document, mentions: list[Mention], whole: bool) -> list[str]:
    """Return a document's item of a list of mentions: its date and title, then its sentences (`whole`) or the
    links to its paragraphs."""
    lines = context_lines(page, doc, mentions) if whole else [paragraph_links(page, doc, mentions)]
    return [f"- {time_tag(doc.date)} · [{md_text(doc.title)}]({link(page, doc.page)})",
            *(f"    - {line}" for line in lines)]


def paragraph_links(page: str, doc: Document, mentions: list[Mention]) -> str:
    """Return the paragraphs that hold mentions as links ("In ¶ 2, ¶ 5"), without their sentences."""
    numbers = sorted({m.paragraph for m in mentions if paragraph(doc, m.paragraph)})
    links = ", ".join(f"[¶ {n}]({link(page, doc.page, paragraph(doc, n).anchor)})" for n in numbers)
    heading = any(m.paragraph == 0 for m in mentions)
    return "; ".join(part for part in ("In the heading" if heading else "", f"In {links}" if links else "") if part)


def paragraph(doc: Document, n: int) -> Paragraph | None:
    """Paragraph n of a document (numbered from 1, in order), without a look through all of them."""
    p = doc.paragraphs[n - 1] if 0 < n <= len(doc.paragraphs) else None
    return p if p is not None and p.n == n else next((q for q in doc.paragraphs if q.n == n), None)


def context_lines(page: str, doc: Document, mentions: list[Mention]) -> list[str]:
    """Return the first sentences that hold mentions, marked and linked; then links to the other paragraphs."""
    heading, lines, more = [], [], []
    for n, group in itertools.groupby(mentions, key=lambda m: m.paragraph):
        p = paragraph(doc, n)
        if n == 0:  # the place line and tags
            heading.append(f"In the heading: <mark>{md_text(' · '.join(m.text for m in group))}</mark>")
        elif p is not None and len(lines) < SENTENCES:
            lines += sentence_lines(page, doc, p, list(group), SENTENCES - len(lines))
        elif p is not None:
            more.append(f"[¶ {n}]({link(page, doc.page, p.anchor)})")
    return heading + lines + (["Also in " + ", ".join(more)] if more else [])


def sentence_lines(page: str, doc: Document, p: Paragraph, mentions: list[Mention], most: int) -> list[str]:
    """Return the first `most` sentences of a paragraph that hold mentions, with them marked, each linked to it."""
    sentences, lines = sentences_of(p.text), []
    for (s, e), hits in itertools.groupby(mentions, key=lambda m: sentences.around(m.start, m.end)):
        if len(lines) == most:  # a paragraph may name a place thousands of times: quote only what is shown
            break
        hits = list(hits)
        lo, hi = window(p.text, (s, e), hits[0].start, hits[-1].end)
        shown = [(m.start - lo, m.end - lo) for m in hits if lo <= m.start and m.end <= hi]
        text = ("… " if lo > s else "") + marked_text(p.text[lo:hi], shown) + (" …" if hi < e else "")
        lines.append(f"{text} [¶ {p.n}]({link(page, doc.page, p.anchor)})")
    return lines


# People: whom they met, where they are mentioned


def person_sections(person: Person, archive: Archive, refs: Crossrefs, lines: tuple[dict, dict] | None = None
                    ) -> tuple[list[str], list[str]]:
    """Return a person page's 'Met' section and its 'Mentioned in' section (each document's lines of it taken
    from `lines`, render.common.remembered)."""
    page = f"people/{person.id}.md"
    met = [f"- {badge(other, display_name(archive, None, other))} "
           f"[{md_text(display_name(archive, None, other))}]({link(page, f'meetings/{key}.md')}) · "
           f"{contacts_line(archive.contacts.get(key, ()))}" for key, other in refs.partners.get(person.id, [])]
    intro = "The people they met, held talks with, telephoned, wrote to or spoke with on record, most contacts first."
    met_blocks = ["## Met", intro, html_list(page, "\n".join(met))] if met else []
    return met_blocks, mentioned_in(page, refs.mentions.get(f"person:{person.id}", []), lines, archive.fingerprints)


# The foot of a document page


def related_section(doc: Document, archive: Archive, refs: Crossrefs) -> list[str]:
    """Return the related documents of a document, each with the reason it is related."""
    items = []
    for other_id, why in archive.related.get(doc.id, ())[:5]:
        other = refs.docs.get(other_id)
        if other is None or other.id == doc.id:
            continue
        reason = f" · {md_text(why)}" if clean_text(why) else ""
        items.append(f"- {time_tag(other.date)} · [{md_text(other.title)}]({link(doc.page, other.page)}){reason}")
    return ["## Related documents { #related }", html_list(doc.page, "\n".join(items))] if items else []
