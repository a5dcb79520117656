"""The Data page (data/index.md) and the README and licence of the corpus download.

Both document every format and field from the same definitions the writers use (the CSV columns of
annals.tables, the JSON Schema of the document export), so the documentation cannot drift from the files.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Callable

from annals.export import SCHEMA_FILE
from annals.markup import md_text, plural, url_attr
from annals.render.common import page_text
from annals.tables import CONTACTS, DOCUMENTS, ENTITIES, UTTERANCES

if TYPE_CHECKING:
    from annals.index import Archive
    from annals.model import Publisher

PAGE = "data/index.md"
BUNDLE = "data/annals-data.zip"
BUNDLE_FOLDER = "annals-data"  # the zip unpacks into one folder of this name
BUNDLE_SIZE = "annals-bundle-size"  # on the Data page, where the plugin writes the zip's size once it is made
ENTITIES_JSON = {
    "schema": "always annals.entities/1",
    "entities[]": "one object per entity, by type and id, with the fields of entities.csv (aliases as a list)",
}
TIMELINE_JSON = {
    "schema": "always annals.timeline/1",
    "entries[]": "every document by its date, and every time expression of the texts by the time it names, in "
                 "time order",
    "entries[].when": "ISO 8601 at the precision written (2022, 2021-01, 2021-07-20, a span 2021-01/2021-06)",
    "entries[].type": "document, or event (a time expression)",
    "entries[].document, .url, .title": "the document (and, for an event, the paragraph's address url#pN)",
    "entries[] of events": "also the fields of the document export's events[] (paragraph, anchor, start, end, "
                           "text, kind, sentence, speaker, people, places)",
}
TEI = {
    "teiHeader/fileDesc/titleStmt/title[@xml:id=title]": "the document's title",
    "publicationStmt/idno[@type=annals], [@type=URI]": "the document's id, and its page (an absolute address "
                                                       "where the site's address is set, else relative to its root)",
    "publicationStmt/availability": "the licence of the text (licence/@target is its address), and whom to credit",
    "sourceDesc/bibl": "title, date (and time), its publisher, the original's address (ref/@target), the date it "
                       "was retrieved, the source file (idno[@type=file]) and its SHA-256",
    "profileDesc/textClass/keywords": "the text's tags (n=tags), and the topics it names (n=topics; "
                                       "term/@xml:id = topic.<id>)",
    "profileDesc/settingDesc": "where and when the meeting was; listPlace: the places named (place.<id>)",
    "profileDesc/particDesc/listPerson": "the people who speak (@role=speaker) and who are named "
                                          "(@role=mentioned), xml:id = person.<id>; an anonymous speaker such as "
                                          "Question is a person of this document alone, xml:id = role.<id>, "
                                          "its label a persName/roleName",
    "listPerson/person/affiliation[@role=office]": "an office the registry says the speaker held: roleName, "
                                                   "@key (the office's id), @from and @to (its first and last "
                                                   "days; no @to while in office)",
    "listPerson/person/affiliation (no @role)": "a role the document's labels give the speaker, as written",
    "listPerson/person[@role=contact]": "a person the text records in contact with another without naming them in "
                                        "its words (the holder of the office its publisher speaks for, in a title "
                                        "such as 'Telephone conversation with ...'), xml:id = person.<id>",
    "profileDesc/particDesc/listOrg": "the organisations named (org.<id>)",
    "standOff/listEvent[@type=contacts]/event[@type][@when]": "one contact the text records (the rows of "
                                                              "contacts.csv): type is its kind (meeting, talks, "
                                                              "telephone, message, summit, transcript), when the "
                                                              "document's date",
    "event/p": "the words that record it (for a transcript, the label of the turn where the second of them first "
               "speaks)",
    "event/ptr[@target]": "the paragraph that holds them (#p5), or the title (#title)",
    "event/listPerson[@type=participants]/person/persName[@ref]": "the people in contact, ref = #person.<id> (each "
                                                                  "in the header's listPerson)",
    "text/body/div[@type=debateSection]": "one per section of the text (a '* * *' line starts a new one)",
    "p[@xml:id]": "a paragraph of narration; xml:id is its anchor on the page (p1, p2 ...)",
    "note[@type=speaker]": "the speaker's label as the text writes it, before the turn it opens",
    "u[@who][@xml:id]": "one turn of speech: who = #person.<id> (#role.<id> for an anonymous role; absent for "
                        "a speaker not identified), "
                        "xml:id = u1, u2 ... (the turn column of utterances.csv)",
    "u/seg[@xml:id]": "one paragraph of the turn; xml:id is its anchor (p5), its text the paragraph's",
    "persName, placeName, orgName, rs[@type=topic] with @ref": "a name in the text, ref = #person.<id>, "
                                                               "#place.<id>, #org.<id> or #topic.<id>",
    "date[@when] or date[@from][@to], @type": "a time expression, placed in time; type is how it dates "
                                              "(date, month, year, span, relative, anniversary, since)",
}


def format_size(n: int) -> str:
    """Write a file's size for people: 812 bytes, 12.3 kB, 4.56 MB (powers of 1,000)."""
    if n < 1000:
        return plural(n, "byte")
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if n < scale * 1000 or unit == "GB":
            return f"{n / scale:.3g} {unit}" if n / scale < 100 else f"{n / scale:,.0f} {unit}"
    raise AssertionError


def render_data_page(archive: Archive, sizes: dict[str, int]) -> str:
    """The Data page: every download with its size, the licences, and every format and field.

    The zip is made while MkDocs runs (annals.bundle): its size is written as BUNDLE_SIZE, which the plugin
    replaces when it puts the page together."""
    blocks = ["# Data", "Everything this site shows is also published as data, for research and reuse: the same "
              "text, the same speakers, the same paragraph anchors as the pages. Every build writes these files "
              "anew from the sources, and the same sources always give byte-identical files.",
              "## Downloads", download_table(archive, sizes),
              "Each document's page links its JSON and its TEI under its title."]
    blocks += licence_blocks(archive, md_text)
    blocks += format_blocks(md_text)
    return page_text("Data", blocks)


def download_table(archive: Archive, sizes: dict[str, int]) -> str:
    """The downloads: link, format, size, what each holds."""
    docs = len(archive.documents)
    rows = ["| Download | Format | Size | What it holds |", "| --- | --- | ---: | --- |"]

    def row(path: str, fmt: str, what: str) -> None:
        if path in sizes or path == BUNDLE:
            name = path.removeprefix("data/")
            size = BUNDLE_SIZE if path == BUNDLE else format_size(sizes[path])
            rows.append(f"| [{name}]({name}) | {fmt} | {size} | {what} |")

    row(BUNDLE, "ZIP", "all the files below, with a README and the licences of the texts")
    row("data/utterances.csv", "CSV", f"every paragraph of every document ({plural(archive_paragraphs(archive), 'row')})")
    row("data/documents.csv", "CSV", f"one row per document ({plural(docs, 'row')})")
    row("data/contacts.csv", "CSV", f"one row per contact between people that the texts record "
                                    f"({plural(archive_contacts(archive), 'row')})")
    row("data/entities.csv", "CSV", f"one row per person, place, organisation and topic "
                                    f"({plural(len(archive.entities), 'row')})")
    row("data/entities.json", "JSON (annals.entities/1)", "the same entities, with their aliases as lists")
    row("data/timeline.json", "JSON (annals.timeline/1)", "every document and every dated expression, in time order")
    for folder, fmt, what in (("documents", "JSON (annals.document/1)", "one file per document: data/documents/<id>.json"),
                              ("tei", "TEI XML", "one file per document: data/tei/<id>.xml")):
        total = sum(n for p, n in sizes.items() if p.startswith(f"data/{folder}/"))
        if docs:
            rows.append(f"| {folder}/ | {fmt} | {format_size(total)} in {plural(docs, 'file')} | {md_text(what)} |")
    row("data/annals.document-1.schema.json", "JSON Schema", "the schema of the document export")
    return "\n".join(rows)


def archive_paragraphs(archive: Archive) -> int:
    return sum(len(d.paragraphs) for d in archive.documents)


def archive_contacts(archive: Archive) -> int:
    return sum(len(d.contacts) for d in archive.documents)


def by_publisher(archive: Archive) -> list[tuple[Publisher | None, list[str]]]:
    """Each publisher (in the registry's order, then None for texts no publisher covers) with its documents' ids."""
    ids: dict[str, list[str]] = {}
    for d in archive.documents:
        ids.setdefault(d.publisher, []).append(d.id)
    groups = [(p, ids[p.id]) for p in archive.publishers.values() if ids.get(p.id)]
    return groups + ([(None, ids[""])] if ids.get("") else [])


def licence_blocks(archive: Archive, escape: Callable[[str], str]) -> list[str]:
    """Who published how many texts, under which licence, and what to do where the licence is not recorded."""
    items = []
    for publisher, ids in by_publisher(archive):
        if publisher is None:
            items.append(f"- Publisher not recorded: {plural(len(ids), 'text')}; their copyright stays with their "
                         "sources, and reuse is subject to their terms")
            continue
        name = linked(publisher.name, publisher.home, escape)
        licence = (linked(publisher.licence, publisher.licence_url, escape) if publisher.licence
                   else "licence not recorded (copyright stays with the publisher; reuse is subject to its terms)")
        credit = f"; credit: {escape(publisher.credit)}" if publisher.credit and publisher.licence else ""
        items.append(f"- {name}: {plural(len(ids), 'text')}, {licence}{credit}")
    blocks = ["## Licences", "The texts keep the licences their publishers give them. Each document's publisher "
              "and licence are on its page and in its JSON (`publisher`, `licence`), its TEI (`availability`) "
              "and documents.csv."]
    if items:
        blocks.append("\n".join(items))
    return blocks + ["The structure Annals adds (speakers, paragraph anchors, names, dates) is offered for "
                     "research and reference. Cite the original together with the Annals page and "
                     "paragraph (each paragraph's Cite button writes the citation)."]


def linked(text: str, url: str, escape: Callable[[str], str]) -> str:
    """A name linked to its address on the page (escape is md_text), or followed by it in plain text."""
    href = url_attr(url)
    if escape is md_text:
        return f'<a href="{href}">{md_text(text)}</a>' if href else md_text(text)
    return f"{text} ({url})" if url else text


def format_blocks(escape: Callable[[str], str]) -> list[str]:
    """Every format and its fields."""
    blocks = ["## Formats and fields",
              "### CSV", "UTF-8 without a byte-order mark, comma-separated with a header row; fields holding a "
              "comma, a quote or a line break are quoted, lines end with CRLF (RFC 4180). Text is exactly the "
              "sources' words: a cell may begin with `=` or `+`, so open the files as text, not as formulas.",
              "#### utterances.csv", field_table(UTTERANCES, escape),
              "#### documents.csv", field_table(DOCUMENTS, escape),
              "#### contacts.csv", field_table(CONTACTS, escape),
              "#### entities.csv", field_table(ENTITIES, escape),
              "### JSON", "UTF-8, one line per file, keys sorted.",
              "#### The export of each document (annals.document/1)",
              "Its JSON Schema is annals.document-1.schema.json.", field_table(schema_fields(), escape),
              "#### entities.json (annals.entities/1)", field_table(ENTITIES_JSON, escape),
              "#### timeline.json (annals.timeline/1)", field_table(TIMELINE_JSON, escape),
              "### TEI XML", "One file per document in the TEI P5 namespace, in the form the ParlaMint corpora "
              "use for speech: its utterances, speakers and paragraph texts are those of the JSON export.",
              field_table(TEI, escape, ("Element", "What it holds"))]
    return blocks


def field_table(fields: dict[str, str], escape: Callable[[str], str], head=("Field", "What it holds")) -> str:
    rows = [f"| {head[0]} | {head[1]} |", "| --- | --- |"]
    rows += [f"| {escape(k)} | {escape(v)} |" for k, v in fields.items()]
    return "\n".join(rows)


def schema_fields() -> dict[str, str]:
    """Every field of the document export, with its description, read from its JSON Schema."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    fields: dict[str, str] = {}

    def walk(properties: dict, prefix: str) -> None:
        for name, spec in properties.items():
            fields[prefix + name] = spec.get("description", "")
            items = spec.get("items", {})
            if "properties" in spec:
                walk(spec["properties"], f"{prefix}{name}.")
            if isinstance(items, dict) and "properties" in items:
                walk(items["properties"], f"{prefix}{name}[].")

    walk(schema["properties"], "")
    return fields


def render_readme(archive: Archive) -> str:
    """The README of the corpus download: what it holds, the licences, every format and field."""
    files = ["documents/<id>.json: each document, annals.document/1", "tei/<id>.xml: each document, TEI XML",
             "utterances.csv, documents.csv, contacts.csv, entities.csv: tables", "entities.json, timeline.json",
             "annals.document-1.schema.json: the JSON Schema of the document export",
             "LICENCE.md: the licences of the texts"]
    blocks = ["# Annals: the data of the archive",
              f"{plural(len(archive.documents), 'document')}, {plural(archive_paragraphs(archive), 'paragraph')}.",
              "## Files", "\n".join(f"- {f}" for f in files)]
    blocks += licence_blocks(archive, str)
    return "\n\n".join(blocks + format_blocks(str)) + "\n"


def render_licence(archive: Archive) -> str:
    """LICENCE.md of the corpus download: each publisher's licence, its terms' address and credit, and its texts."""
    blocks = ["# Licences of the texts"]
    for publisher, ids in by_publisher(archive):
        if publisher is None:
            blocks += ["## Publisher not recorded", "Their copyright stays with their sources; reuse is subject "
                       f"to their terms. {plural(len(ids), 'document')}:", "\n".join(f"- {i}" for i in ids)]
            continue
        head = [f"## {publisher.name}"] + ([f"Website: {publisher.home}"] if publisher.home else [])
        if publisher.licence:
            head += [f"Licence: {publisher.licence}"] + ([f"Terms: {publisher.licence_url}"] if publisher.licence_url else [])
            head += [f"Credit: {publisher.credit}"] if publisher.credit else []
        else:
            head += ["Licence not recorded: the copyright stays with the publisher; reuse is subject to its terms."]
        blocks += head + [f"{plural(len(ids), 'document')}:", "\n".join(f"- {i}" for i in ids)]
    return "\n\n".join(blocks) + "\n"
