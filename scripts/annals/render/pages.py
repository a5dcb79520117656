"""Render the archive as Markdown pages: pure functions from the model to page text.

Every string that comes from a source goes through annals.markup (md_text,
rich_text, html_text, url_attr) or annals.render.text; everything else on the
page is our own markup. Pages of entities, meetings and registers are in
render.entities and render.registers.
"""
from __future__ import annotations

import collections
import dataclasses
import datetime
import functools
from typing import TYPE_CHECKING, Callable

from annals.check import unusable_ids
from annals.crossrefs import Crossrefs, cross_index
from annals.errors import AnnalsError, Problem
from annals.feed import FEED, NEWEST, render_feed
from annals.markup import (attr_text, badge, clean_text, colour_class, format_date, md_text, plural, time_tag,
                           url_attr)
from annals.model import Document, Mention, Paragraph, Person, Publisher, Turn, split_turns
from annals.offices import is_bare_title, is_part_of
from annals.parallel import fork_map
from annals.render.common import (SEARCH_BODY, display_name, document_list, first_words, html_block, html_links,
                                  html_list, html_paragraph, html_table, link, page_text, person_page, remembered,
                                  speaker_link)
from annals.render.home import render_home
from annals.render.entities import person_sections, related_section, render_entity, render_pair
from annals.render.registers import REGISTERS, render_glossary, render_meetings, render_people, render_register
from annals.render.report import render_report
from annals.render.search import render_search, search_data
from annals.render.text import linked_html
from annals.render.timeline import (gather_timeline, has_page, month_id, person_timeline, render_timeline,
                                    render_timeline_year, year_page)

if TYPE_CHECKING:
    from annals.index import Archive

__all__ = ["render_document", "render_person", "render_site", "split_turns"]


# Document pages


def render_document(doc: Document, archive: Archive, refs: Crossrefs | None = None) -> str:
    """Render one document: heading, date and source, who speaks, the text, related documents."""
    refs = refs or cross_index(archive)
    # The lines under the title are HTML blocks too (html_paragraph): an original's address, written as
    # entities, cost Python-Markdown more than the rest of the page.
    blocks = [f"# {md_text(doc.title)}", html_paragraph(doc.page, document_meta(doc, refs), "annals-meta")]
    publisher = archive.publisher(doc)
    blocks.append(html_paragraph(doc.page, provenance(doc, publisher), "annals-meta annals-provenance"))
    blocks.append(cite_data(doc, publisher))
    if doc.speakers:
        blocks.append(html_paragraph(doc.page, document_speakers(doc, archive), "annals-speakers"))
    blocks.append(search_data(doc, archive, refs))
    body = document_body(doc, archive, refs)
    blocks += [SEARCH_BODY[0], *([body] if body else []), SEARCH_BODY[1]]
    blocks += related_section(doc, archive, refs)
    return page_text(doc.title, blocks)


def document_meta(doc: Document, refs: Crossrefs) -> str:
    """Return the line under the title: date and time, place, tags, data and timeline links (HTML with our
    Markdown links: html_paragraph)."""
    parts = [time_tag(doc.date, doc.time)]
    heading = [m for m in doc.mentions if m.paragraph == 0 and m.key in refs.pages]
    if doc.place and clean_text(doc.place):
        parts.append(linked_html(doc.place, heading_links(doc, doc.place, heading, refs), None, doc.page))
    tags = [linked_html(t, heading_links(doc, t, [m for m in heading if m.type == "topic" and m.text == t], refs),
                        None, doc.page) for t in doc.tags if clean_text(t)]
    if tags:
        parts.append('<span class="annals-tags">' + ", ".join(tags) + "</span>")
    parts.append(f"Data: [JSON]({link(doc.page, f'data/documents/{doc.id}.json')}), "
                 f"[TEI]({link(doc.page, f'data/tei/{doc.id}.xml')})")
    if has_page(doc.year):
        parts.append(f"[Timeline]({link(doc.page, year_page(doc.year), month_id(doc.year, doc.date.month))})")
    return " · ".join(parts)


def provenance(doc: Document, publisher: Publisher | None = None) -> str:
    """Return where the text comes from: its original's address and when it was taken, its publisher and licence,
    and the SHA-256 of the source file."""
    url, parts = url_attr(doc.original_url), []
    retrieved = retrieved_tag(doc.retrieved)
    if url:
        parts.append(f'Original: <a class="annals-original" href="{url}" rel="noopener">{md_text(doc.original_url)}</a>'
                     + (f", retrieved {retrieved}" if retrieved else ""))
    elif retrieved:
        parts.append(f"Retrieved {retrieved}")
    parts += publisher_parts(publisher)
    sha = clean_text(doc.sha256)
    if sha:
        short = md_text(sha[:12]) + ("…" if len(sha) > 12 else "")
        parts.append(f'SHA-256: <code title="{attr_text(sha)}">{short}</code>')
    return " · ".join(parts)


def publisher_parts(publisher: Publisher | None) -> list[str]:
    """Return who published the text (linked to their website) and its licence (linked to its terms)."""
    if publisher is None:
        return ["Publisher and licence not recorded"]
    home, terms = url_attr(publisher.home), url_attr(publisher.licence_url)
    name = md_text(publisher.name)
    parts = [f'Published by <a class="annals-publisher" href="{home}" rel="noopener">{name}</a>' if home
             else f"Published by {name}"]
    if not publisher.licence:
        return parts + ["Licence not recorded"]
    licence = md_text(publisher.licence)
    return parts + [f'Licence: <a class="annals-licence" href="{terms}" rel="license noopener">{licence}</a>' if terms
                    else f"Licence: {licence}"]


def cite_data(doc: Document, publisher: Publisher | None) -> str:
    """Return a hidden block with what a citation of the document needs beyond the page (annals cite.js)."""
    facts = {"original": doc.original_url or "", "publisher": publisher.name if publisher else "",
             "site": publisher.site if publisher else "", "credit": publisher.credit if publisher else "",
             "licence": publisher.licence if publisher else ""}
    attrs = "".join(f' data-{k}="{attr_text(v)}"' for k, v in facts.items() if clean_text(v))
    return html_block(f'<div class="annals-cite-data" hidden{attrs}></div>')


def retrieved_tag(retrieved: str | None) -> str:
    """Return the date a text was retrieved as a <time> element (as text if it is no ISO date; '' if none)."""
    if not retrieved or not clean_text(retrieved):
        return ""
    try:
        return time_tag(datetime.date.fromisoformat(clean_text(retrieved)))
    except ValueError:
        return md_text(retrieved)


def document_speakers(doc: Document, archive: Archive) -> str:
    """Return the line naming who speaks, each with badge, link and roles written in the document."""
    items = []
    for s in doc.speakers:
        name = display_name(archive, doc, s.id)
        item = f"{badge(s.id, name)} {speaker_link(archive, doc.page, s.id, name)}"
        roles = [md_text(r) for r in s.roles if clean_text(r)]
        items.append(item + (f" ({'; '.join(roles)})" if roles else ""))
    return "Speakers: " + ", ".join(items)


def heading_links(doc: Document, text: str, mentions: list[Mention], refs: Crossrefs) -> list[tuple[int, int, str]]:
    """Link the place line's or a tag's mentions (paragraph 0) where their text occurs in it."""
    links, pos = [], 0
    for m in mentions:
        at = text.find(m.text, pos) if m.text else -1
        if at >= 0:
            links.append((at, at + len(m.text), link(doc.page, refs.pages[m.key])))
            pos = at + len(m.text)
    return links


def document_body(doc: Document, archive: Archive, refs: Crossrefs) -> str:
    """Return the paragraphs as one block of HTML, with a rule where the section changes.

    The block is what Python-Markdown made of the paragraphs written as Markdown (attr_list's attributes in
    its order), made directly: the text is HTML already (linked_html), and converting a long transcript's
    thousand paragraphs was most of the time MkDocs took for the site.
    """
    turn_of = {p.n: t for t in refs.turns.get(doc.id, ()) for p in t.paragraphs}
    links = paragraph_links(doc, refs)
    out, section = [], None
    for p in doc.paragraphs:
        if section is not None and p.section != section:
            out.append("<hr />")
        section = p.section
        text = linked_html(p.text, links.get(p.n, []), refs.glossary, doc.page)
        out.append(render_paragraph(doc, archive, p, turn_of.get(p.n), text))
    return html_block("\n".join(out)) if out else ""


def paragraph_links(doc: Document, refs: Crossrefs) -> dict[int, list[tuple[int, int, str]]]:
    """Return, for each paragraph, its mentions as (start, end, link to the entity's page)."""
    links: dict[int, list[tuple[int, int, str]]] = collections.defaultdict(list)
    for m in doc.mentions:
        if m.paragraph > 0 and m.key in refs.pages:
            links[m.paragraph].append((m.start, m.end, link(doc.page, refs.pages[m.key])))
    return links


def render_paragraph(doc: Document, archive: Archive, p: Paragraph, turn: Turn | None, text: str) -> str:
    """Render one paragraph (its text already as HTML) as a <p> with id, classes and permalink.

    The stylesheet shows the permalink as "¶ N" from its data-n, and a continuation paragraph's speaker
    (data-speaker) when a link lands on it: attributes, so that the search index's text stays the words alone.
    """
    pilcrow = (f'<a class="annals-pilcrow" data-n="{p.n}" href="#{p.anchor}" '
               f'title="Link to paragraph {p.n}">¶</a>')
    if turn is None:
        return f'<p class="annals-narration" id="{p.anchor}">{text} {pilcrow}</p>'
    colour = colour_class(turn.key)
    name = display_name(archive, doc, turn.speaker) if turn.speaker else turn.label
    if p.n != turn.paragraphs[0].n:
        speaker = f' data-speaker="{attr_text(name)}"' if clean_text(name) else ""
        return f'<p class="annals-turn annals-cont {colour}"{speaker} id="{p.anchor}">{text} {pilcrow}</p>'
    who = html_links(doc.page, f"{badge(turn.key, name)} {speaker_link(archive, doc.page, turn.speaker, turn.label)}:")
    return (f'<p class="annals-turn {colour}" id="{p.anchor}"><span class="annals-speaker">{who}</span> {text} '
            f"{pilcrow}</p>")


# Person pages


def render_person(person: Person, archive: Archive, refs: Crossrefs | None = None,
                  lines: tuple[dict, dict] | None = None) -> str:
    """Render one person: summary, offices and roles, documents, whom they met, every turn, where they are
    mentioned.

    `lines`, when given, is (the parts of each document a rendering of this page made before, a dict this one's
    are added to): the words of the person's turns, the turns' list, the lines of the timeline, each taken where
    it was made for a document of the same fingerprint (render.common.remembered)."""
    refs = refs or cross_index(archive)
    page = person_page(person.id)
    spoken = [(refs.docs[d], refs.spoken.get((d, person.id), [])) for d in person.documents if d in refs.docs]
    words = {doc.id: remembered(lines, archive.fingerprints, doc.id, ("words",), lambda ts=ts: tuple(t.words for t in ts))
             for doc, ts in spoken}
    met, mentioned = person_sections(person, archive, refs, lines)
    named = len({doc.id for doc, _ in refs.mentions.get(f"person:{person.id}", [])})
    blocks = [f"# {md_text(person.name)}", person_summary(person, spoken, named, len(refs.said.get(person.id, ())),
                                                          words) + "\n{ .annals-summary }"]
    blocks += person_about(person)
    blocks += person_offices(person, archive, page, [d for d, _ in spoken])
    blocks += ["## Documents", person_table(page, spoken, words)] if spoken else []
    blocks += met + person_timeline(page, refs, person.id, archive, lines)
    blocks += ["## What they said"] + [
        b for doc, ts in spoken
        for b in remembered(lines, archive.fingerprints, doc.id, ("turns",), lambda doc=doc, ts=ts: person_turns(page, doc, ts))
    ] if spoken else []
    return page_text(person.name, blocks + mentioned)


def person_about(person: Person) -> list[str]:
    """Return the other names and the description of a person, where the registry gives them."""
    aliases = [md_text(a) for a in person.aliases if clean_text(a)]
    blocks = ["Also written as: " + "; ".join(aliases)] if aliases else []
    return blocks + ([md_text(person.description)] if clean_text(person.description) else [])


def person_summary(person: Person, spoken: list[tuple[Document, list[Turn]]], named: int, dated: int = 0,
                   words: dict[str, tuple[int, ...]] | None = None) -> str:
    """Return the line under a person's name: badge and totals (`words`: of each turn, by document, if known)."""
    words = words if words is not None else {doc.id: tuple(t.words for t in ts) for doc, ts in spoken}
    counts = [plural(len(spoken), "document"), plural(sum(len(ts) for _, ts in spoken), "turn"),
              plural(sum(sum(words[doc.id]) for doc, _ in spoken), "word")] if spoken else []
    if named:
        counts.append(f"named in {plural(named, 'document')}")
    if dated:
        counts.append(f"[speaks of {plural(dated, 'dated event')}](#timeline)")
    return f"{badge(person.id, person.name)} Person · " + " · ".join(counts or ["not in any document"])


def person_offices(person: Person, archive: Archive, page: str, docs: list[Document]) -> list[str]:
    """Return the offices and roles section: first the offices the registry says the person held, each with the
    years of each holding ("President of Russia, 1999-2008, since 2012"), then the other roles given."""
    held = archive.held.get(person.id, ())
    years: dict[str, list[str]] = {}  # office name -> the years of each holding, earliest first
    for office, holding in held:
        years.setdefault(office.name, []).append(holding.dates)
    titles = [t for office, _ in held for t in (office.name, *office.aliases)]
    offices, roles = given_roles(person, archive, docs, titles)
    items = [office_item(page, name, years.get(name, []), offices.get(name, []))
             for name in dict.fromkeys([*years, *offices])]
    items += [office_item(page, role, [], where) for role, where in roles.items()]
    return ["## Offices and roles", "\n".join(items)] if items else []


def given_roles(person: Person, archive: Archive, docs: list[Document],
                titles: list[str]) -> tuple[dict[str, list[Document]], dict[str, list[Document]]]:
    """Return the offices and the other roles the registry, the documents' labels and narration (Person.titles)
    give a person, each with the documents whose labels give it (newest first).

    A role that names an office ("Russian President") is that office. A label's role of bare words of rank
    ("President", "Deputy Prime Minister"), or a part of a name of an office held (`titles`), says no more than
    the offices and is left out.
    """
    offices: dict[str, list[Document]] = {}
    roles: dict[str, list[Document]] = {}
    for role in filter(None, map(clean_text, person.registry_roles)):
        office = archive.office_index.office(role)
        (offices if office else roles).setdefault(office.name if office else role, [])
    for role in filter(None, map(clean_text, person.titles)):  # as narration names them: "President of Kazakhstan"
        office = archive.office_index.office(role)
        if not office and (is_bare_title(role) or any(is_part_of(role, t) for t in titles)):
            continue
        (offices if office else roles).setdefault(office.name if office else role, [])
    seen: set[tuple[str, str]] = set()  # (office or role, document id): a list's `in` would compare whole documents
    for doc in docs:
        speaker = doc.speaker(person.id)
        for role in filter(None, map(clean_text, speaker.roles if speaker else ())):
            office = archive.office_index.office(role)
            if not office and (is_bare_title(role) or any(is_part_of(role, t) for t in titles)):
                continue
            key, found = (office.name, offices) if office else (role, roles)
            if (key, doc.id) not in seen:
                seen.add((key, doc.id))
                found.setdefault(key, []).append(doc)
    return offices, roles


def office_item(page: str, name: str, years: list[str], docs: list[Document]) -> str:
    """Return a line of the offices and roles: the name, the years held, the documents that give it."""
    dates = ", ".join(f"[{format_date(d.date)}]({link(page, d.page)})" for d in docs)
    return f"- {md_text(name)}" + "".join(f", {y}" for y in years) + (f": {dates}" if dates else "")  # years: ours


def person_table(page: str, spoken: list[tuple[Document, list[Turn]]],
                 words: dict[str, tuple[int, ...]] | None = None) -> str:
    """Return the table of documents with turns and words for each, and the totals (`words`: as person_summary)."""
    words = words if words is not None else {doc.id: tuple(t.words for t in ts) for doc, ts in spoken}
    rows = [[time_tag(doc.date), f"[{md_text(doc.title)}]({link(page, doc.page)})", f"{len(ts):,}",
             f"{sum(words[doc.id]):,}"] for doc, ts in spoken]
    n_turns = sum(len(ts) for _, ts in spoken)
    n_words = sum(sum(words[doc.id]) for doc, _ in spoken)
    rows.append(["Total", plural(len(spoken), "document"), f"{n_turns:,}", f"{n_words:,}"])
    return html_table(page, ["Date", "Document", "Turns", "Words"], {2, 3}, rows)


def person_turns(page: str, doc: Document, ts: list[Turn]) -> list[str]:
    """Return a heading for one document and the list of the person's turns in it."""
    heading = f"### {time_tag(doc.date)} · [{md_text(doc.title)}]({link(page, doc.page)}) {{ #{doc.id} }}"
    items = [f"- [{first_words(t)}]({link(page, doc.page, t.paragraphs[0].anchor)})" for t in ts]
    return [heading, html_list(page, "\n".join(items))] if items else [heading]


# Lists of documents


def render_documents(archive: Archive) -> str:
    """Render the list of all documents, newest first, grouped by year."""
    page, blocks = "documents/index.md", ["# Documents"]
    if not archive.documents:
        blocks.append("The archive holds no documents yet.")
    for year, docs in by_year(archive.documents).items():
        blocks += [f"## [{year}]({year}/index.md)", document_list(archive, page, docs)]
    return page_text("Documents", blocks)


def render_year(archive: Archive, year: int, docs: list[Document], years: list[int]) -> str:
    """Render the documents of one year, newest first."""
    page = f"documents/{year}/index.md"
    blocks = [f"# Documents of {year}", plural(len(docs), "document") + " · [All years](../index.md)",
              document_list(archive, page, docs)]
    others = [f"[{y}](../{y}/index.md)" for y in years if y != year]
    if others:
        blocks.append("Other years: " + " · ".join(others))
    return page_text(f"Documents of {year}", blocks)


def by_year(documents: tuple[Document, ...]) -> dict[int, list[Document]]:
    """Group documents by year, newest year first, keeping their order within a year."""
    groups: dict[int, list[Document]] = collections.defaultdict(list)
    for doc in documents:
        groups[doc.year].append(doc)
    return {y: groups[y] for y in sorted(groups, reverse=True)}


# The site


def check_ids(archive: Archive) -> None:
    """Refuse ids that cannot safely name a page or an anchor (they become paths and links).

    `annals check` finds the same (check.unusable_ids, run by load.load_archive) with the registry's lines
    too: an archive loaded from sources never gets here with one.
    """
    problems = unusable_ids(list(archive.documents), archive.people, archive.entities, archive.glossary)
    if problems:
        raise AnnalsError(problems)


def render_site(archive: Archive, site_url: str = "") -> dict[str, str]:
    """Render every page of the archive: source path relative to docs/ -> Markdown text (and the Atom feed)."""
    pages, tasks, refs = render_plan(archive, site_url)
    pages.update(fork_map(render_one, tasks, (archive, refs), chunksize=8))  # the many pages, on every core
    return dict(sorted(pages.items()))


def render_plan(archive: Archive, site_url: str = "") -> tuple[dict[str, str], list[tuple[str, int | str]], Crossrefs]:
    """The cross-references, and every page as a task for render_task (the Atom feed is rendered here).

    The tasks list the index pages first, then the entity pages (one may list thousands of documents), then
    the documents: given out a few at a time to worker processes, no worker is left alone with a long last
    chunk, and the main process renders nothing while the workers could.
    """
    check_ids(archive)
    refs = cross_index(archive)
    refs = dataclasses.replace(refs, timeline=gather_timeline(archive, refs))
    refs = dataclasses.replace(refs, index=make_index_pages(archive, refs))
    pages = {FEED: render_feed(archive, site_url)}
    tasks = ([("index", path) for path in refs.index]
             + [("person", p) for p in archive.people] + [("entity", k) for k, e in archive.entities.items()
                                                         if e.type != "person"] + [("pair", k) for k in refs.pairs]
             + [("document", i) for i in range(len(archive.documents))])
    return pages, tasks, refs


def make_index_pages(archive: Archive, refs: Crossrefs) -> dict[str, Callable[[], str]]:
    """The home page, the lists and registers, the timeline's pages and the report: path -> how to render it
    (render_plan keeps them in the cross-references, Crossrefs.index)."""
    timeline, years = refs.timeline, list(by_year(archive.documents))
    pages: dict[str, Callable[[], str]] = {
        "index.md": lambda: render_home(archive, refs), "documents/index.md": lambda: render_documents(archive),
        "people/index.md": lambda: render_people(archive, refs), "timeline/index.md": lambda: render_timeline(timeline, refs),
        "meetings/index.md": lambda: render_meetings(archive, refs), "glossary/index.md": lambda: render_glossary(archive),
        "editors/report.md": lambda: render_report(archive), "search.md": render_search}
    for year, months in timeline.items():
        pages[year_page(year)] = functools.partial(render_timeline_year, year, months, list(timeline), archive)
    for kind, (folder, _, _) in REGISTERS.items():
        pages[f"{folder}/index.md"] = functools.partial(render_register, kind, archive, refs)
    for year, year_docs in by_year(archive.documents).items():
        pages[f"documents/{year}/index.md"] = functools.partial(render_year, archive, year, year_docs, years)
    return pages


def render_one(data: tuple, task: tuple[str, int | str]) -> tuple[str, str]:
    """render_task on (archive, refs): for fork_map."""
    return render_task(*data, task)


def render_task(archive: Archive, refs: Crossrefs, task: tuple[str, int | str]) -> tuple[str, str]:
    """Render one page: ("document", index), ("person", id), ("entity", key), ("pair", key) or ("index", path)
    -> (path, Markdown)."""
    kind, key = task
    if kind == "index":
        return key, (refs.index or make_index_pages(archive, refs))[key]()
    if kind == "document":
        doc = archive.documents[key]
        return doc.page, render_document(doc, archive, refs)
    if kind == "person":
        return person_page(key), render_person(archive.people[key], archive, refs)
    if kind == "entity":
        entity = archive.entities[key]
        return entity.page, render_entity(entity, refs)
    return f"meetings/{key}.md", render_pair(key, archive, refs)
