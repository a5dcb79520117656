"""TEI XML of a document, in the form ParlaMint uses for transcripts of speech.

One file per document: a teiHeader (title, date, place, source, licence, the people who speak and who are
named, the places, organisations and topics named), a standOff with the contacts the text records between
people (a listEvent of <event type when>, each with its words, a ptr to its paragraph and its participants, in the
form of the TEI's own example of an event with a listPerson), then the text: a <div> per section, narration as <p>,
each turn as <u who="#person.id"> with a <seg> per paragraph, every paragraph carrying its anchor as
xml:id (p1, p2 ... as on the page). Names the texts mention are <persName ref>, <placeName ref>,
<orgName ref> and <rs type="topic" ref>; time expressions are <date when> (or from/to for a span).

The XML is written as text, escaped here, so that the same document always gives the same bytes.
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from annals.feed import NOT_XML  # characters XML 1.0 cannot hold at all (reading removed the other controls)
from annals.markup import absolute, format_date, iso_time
from annals.model import Contact, Document, Paragraph, Publisher, Speaker, turn_numbers
from annals.offices import Holding, Office

if TYPE_CHECKING:
    from annals.index import Archive

NS = "http://www.tei-c.org/ns/1.0"
# Beyond &, < and >: what a parser would otherwise normalise (CR in text; quotes and whitespace in attributes).
TEXT_ENTITIES = {"\r": "&#13;"}
ATTR_ENTITIES = {'"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
# The element and the xml:id prefix of each kind of entity a mention refers to (and the prefix of an anonymous role
# that speaks: role.question, an id of its document alone).
MENTION_TAGS = {"person": "persName", "place": "placeName", "organization": "orgName", "topic": "rs"}
PREFIXES = {"person": "person", "place": "place", "organization": "org", "topic": "topic", "role": "role"}


def text(s: str) -> str:
    """Escape a string as XML character data (a character XML cannot hold becomes U+FFFD)."""
    return escape(NOT_XML.sub("\ufffd", s), TEXT_ENTITIES)


def attr(s: str) -> str:
    """Escape a string as the value of an XML attribute in double quotes."""
    return escape(NOT_XML.sub("\ufffd", s), ATTR_ENTITIES)


def xml_id(kind: str, entity_id: str) -> str:
    """The xml:id of an entity in a document's header: 'person.vladimir-putin' (ids may start with a digit,
    which an xml:id may not, and may equal a paragraph's anchor; the prefix keeps all of them apart)."""
    return f"{PREFIXES[kind]}.{entity_id}"


def document_tei(doc: Document, archive: Archive, site_url: str = "") -> str:
    """Return the TEI XML of one document; its page's address is absolute when the site's address is known."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<TEI xmlns="{NS}" xml:lang="{attr(doc.language or "en")}">',
             *header(doc, archive, site_url), *contacts(doc, archive), "  <text>", "    <body>", *body(doc),
             "    </body>", "  </text>", "</TEI>"]
    return "\n".join(lines) + "\n"


def header(doc: Document, archive: Archive, site_url: str = "") -> list[str]:
    """The teiHeader: what the file is, where the text comes from, and who and what it names."""
    title, publisher = text(doc.title), archive.publisher(doc)
    lines = ["  <teiHeader>", "    <fileDesc>", f'      <titleStmt><title xml:id="title">{title}</title></titleStmt>',
             "      <publicationStmt>", "        <publisher>Annals</publisher>",
             f'        <idno type="annals">{text(doc.id)}</idno>',
             f'        <idno type="URI">{text(absolute(site_url, doc.url))}</idno>',
             *availability(publisher), "      </publicationStmt>", "      <sourceDesc>", "        <bibl>",
             f"          <title>{title}</title>", f"          {date_element(doc)}"]
    if publisher is not None:
        lines.append(f"          <publisher>{text(publisher.name)}</publisher>")
    if doc.original_url:
        lines.append(f'          <ref target="{attr(doc.original_url)}">{text(doc.original_url)}</ref>')
    if doc.retrieved:
        lines.append(f'          <date type="retrieved">{text(doc.retrieved)}</date>')
    lines += [f'          <idno type="file">{text(doc.source)}</idno>']
    if doc.sha256:
        lines.append(f'          <idno type="sha256">{text(doc.sha256)}</idno>')
    lines += ["        </bibl>", "      </sourceDesc>", "    </fileDesc>", "    <profileDesc>",
              f'      <langUsage><language ident="{attr(doc.language or "en")}"/></langUsage>']
    lines += keywords(doc, archive)
    lines += setting(doc, archive)
    lines += participants(doc, archive)
    return lines + ["    </profileDesc>", "  </teiHeader>"]


def availability(publisher: Publisher | None) -> list[str]:
    """The licence of the text, as its publisher (registry/publishers.yml) gives it."""
    if publisher is None or not publisher.licence:
        return ['        <availability status="unknown"><p>The licence of this text is not recorded; '
                'its copyright stays with its source.</p></availability>']
    target = f' target="{attr(publisher.licence_url)}"' if publisher.licence_url else ""
    lines = ["        <availability>", f"          <licence{target}>{text(publisher.licence)}</licence>"]
    if publisher.credit:
        lines.append(f"          <p>Attribution: {text(publisher.credit)}</p>")
    return lines + ["        </availability>"]



def date_element(doc: Document) -> str:
    """The date (and clock time, where the text gives one) of the document."""
    element = f'<date when="{doc.date.isoformat()}">{format_date(doc.date)}</date>'
    clock = iso_time(doc.time)
    if clock:
        element += f'<time when="{clock}:00">{text(doc.time or "")}</time>'
    elif doc.time:
        element += f"<time>{text(doc.time)}</time>"
    return element


def mentioned(doc: Document, archive: Archive, kind: str) -> list[tuple[str, str]]:
    """(id, name) of every entity of one kind the document names, in the order of their ids."""
    ids = sorted({m.entity for m in doc.mentions if m.type == kind})
    return [(i, entity_name(archive, kind, i)) for i in ids]


def entity_name(archive: Archive, kind: str, entity_id: str) -> str:
    entity = archive.entities.get(f"{kind}:{entity_id}")
    if entity is not None:
        return entity.name
    person = archive.people.get(entity_id) if kind == "person" else None
    return person.name if person else entity_id


def keywords(doc: Document, archive: Archive) -> list[str]:
    """The document's tags, and the topics it names with their xml:ids."""
    topics = mentioned(doc, archive, "topic")
    if not doc.tags and not topics:
        return []
    lines = ["      <textClass>"]
    if doc.tags:
        lines += ['        <keywords n="tags">', *(f"          <term>{text(t)}</term>" for t in doc.tags),
                  "        </keywords>"]
    if topics:
        lines += ['        <keywords n="topics">',
                  *(f'          <term xml:id="{xml_id("topic", i)}">{text(n)}</term>' for i, n in topics),
                  "        </keywords>"]
    return lines + ["      </textClass>"]


def setting(doc: Document, archive: Archive) -> list[str]:
    """Where and when the meeting was, and the places the text names."""
    place = f"<placeName>{text(doc.place)}</placeName>" if doc.place else ""
    lines = ["      <settingDesc>", f"        <setting>{place}{date_element(doc)}</setting>"]
    places = mentioned(doc, archive, "place")
    if places:
        lines += ["        <listPlace>",
                  *(f'          <place xml:id="{xml_id("place", i)}"><placeName>{text(n)}</placeName></place>'
                    for i, n in places), "        </listPlace>"]
    return lines + ["      </settingDesc>"]


def speaker_id(s: Speaker) -> str:
    """The xml:id of a speaker: person.<id> for a person, role.<id> for an anonymous role (Question), whose id
    names it in this document alone."""
    return xml_id("role" if s.kind == "role" else "person", s.id)


def speaker_person(s: Speaker, archive: Archive) -> str:
    """A speaker as a TEI person: the name (a role's as a roleName), the offices the registry says they held, each
    an affiliation with its dates, then the roles this document's labels give them."""
    if s.kind == "role":
        return f'<person xml:id="{speaker_id(s)}" role="speaker">{person_name(s.name, s.kind)}</person>'
    offices = "".join(office_affiliation(o, h) for o, h in archive.held.get(s.id, ()))
    roles = "".join(f"<affiliation>{text(r)}</affiliation>" for r in s.roles)
    return f'<person xml:id="{speaker_id(s)}" role="speaker">{person_name(s.name)}{offices}{roles}</person>'


def office_affiliation(office: Office, holding: Holding) -> str:
    """One holding of an office, in ParlaMint's form: an affiliation with @role, @from and @to (absent while in
    office), its @key the office's id in registry/offices.yml."""
    to = f' to="{holding.end.isoformat()}"' if holding.end else ""
    return (f'<affiliation role="office" key="{attr(office.id)}" from="{holding.start.isoformat()}"{to}>'
            f"<roleName>{text(office.name)}</roleName></affiliation>")


def participants(doc: Document, archive: Archive) -> list[str]:
    """The people who speak (with their offices and the roles the text gives them), the people named, the people
    in its contacts it does not name (the implied party of "Telephone conversation with ..."), the organisations
    named."""
    speaking = {s.id for s in doc.speakers if s.kind == "person"}
    people = [f"          {speaker_person(s, archive)}" for s in doc.speakers]
    named = mentioned(doc, archive, "person")
    people += [f'          <person xml:id="{xml_id("person", i)}" role="mentioned">{person_name(n)}</person>'
               for i, n in named if i not in speaking]
    unnamed = sorted({p for c in doc.contacts for p in c.people} - speaking - {i for i, _ in named})
    people += [f'          <person xml:id="{xml_id("person", i)}" role="contact">'
               f'{person_name(entity_name(archive, "person", i))}</person>' for i in unnamed]
    orgs = mentioned(doc, archive, "organization")
    if not people and not orgs:
        return []
    lines = ["      <particDesc>"]
    if people:
        lines += ["        <listPerson>", *people, "        </listPerson>"]
    if orgs:
        lines += ["        <listOrg>", *(f'          <org xml:id="{xml_id("organization", i)}"><orgName>{text(n)}'
                                         "</orgName></org>" for i, n in orgs), "        </listOrg>"]
    return lines + ["      </particDesc>"]


def contacts(doc: Document, archive: Archive) -> list[str]:
    """The contacts the text records, as a standOff listEvent: each an event of its kind, dated by the document,
    with the words that record it, a pointer to their paragraph (or to the title) and the people in contact."""
    if not doc.contacts:
        return []
    lines = ["  <standOff>", '    <listEvent type="contacts">']
    for c in doc.contacts:
        lines += contact_event(doc, c, archive)
    return lines + ["    </listEvent>", "  </standOff>"]


def contact_event(doc: Document, c: Contact, archive: Archive) -> list[str]:
    """One contact as an event, its participants a listPerson as in the TEI's own example of <event>."""
    people = [f'          <person><persName ref="#{xml_id("person", p)}">'
              f'{text(entity_name(archive, "person", p))}</persName></person>' for p in c.people]
    return [f'      <event type="{attr(c.kind)}" when="{doc.date.isoformat()}">', f"        <p>{text(c.text)}</p>",
            f'        <ptr target="#{f"p{c.paragraph}" if c.paragraph else "title"}"/>',
            '        <listPerson type="participants">', *people, "        </listPerson>", "      </event>"]


def person_name(name: str, kind: str = "person") -> str:
    """A person's name; an anonymous role that speaks ('Question', 'Remark') is a roleName (inside a persName:
    TEI allows no roleName directly in a person)."""
    return f"<persName><roleName>{text(name)}</roleName></persName>" if kind == "role" else f"<persName>{text(name)}</persName>"


def body(doc: Document) -> list[str]:
    """The text: a div per section, narration as <p>, turns as <u> of <seg>s, in document order."""
    turn_of = turn_numbers(doc)
    who = {s.id: speaker_id(s) for s in reversed(doc.speakers)}  # the first speaker of an id, as Document.speaker
    spans = inline_spans(doc)
    lines, section, open_turn = [], None, None
    for p in doc.paragraphs:
        number = turn_of.get(p.n)
        if open_turn is not None and (number != open_turn or p.section != section):  # a <u> stays in its <div>
            lines.append("        </u>")
            open_turn = None
        if p.section != section:
            if section is not None:
                lines.append("      </div>")
            lines.append('      <div type="debateSection">')
            section = p.section
        content = inline(p.text, spans.get(p.n, []))
        if number is None:
            lines.append(f'        <p xml:id="{p.anchor}">{content}</p>')
            continue
        if open_turn is None:
            speaker = who.get(p.speaker, xml_id("person", p.speaker)) if p.speaker else None
            lines += open_utterance(number, speaker, p)  # a turn's speaker is its first paragraph's
            open_turn = number
        lines.append(f'          <seg xml:id="{p.anchor}">{content}</seg>')
    if open_turn is not None:
        lines.append("        </u>")
    if section is not None:
        lines.append("      </div>")
    return lines


def open_utterance(number: int, speaker: str | None, first: Paragraph) -> list[str]:
    """The speaker's label as written (a note, as ParlaMint has it) and the start of the utterance; `speaker` is
    the speaker's xml:id."""
    who = f' who="#{speaker}"' if speaker else ""
    note = [f'        <note type="speaker">{text(first.label)}:</note>'] if first.label else []
    return note + [f'        <u{who} xml:id="u{number}">']


def inline_spans(doc: Document) -> dict[int, list[tuple[int, int, str, str]]]:
    """For each paragraph, its mentions and time expressions as (start, end, opening tag, closing tag)."""
    spans: dict[int, list[tuple[int, int, str, str]]] = {}
    for m in doc.mentions:
        if m.paragraph > 0:
            tag = MENTION_TAGS[m.type]
            kind = ' type="topic"' if m.type == "topic" else ""
            spans.setdefault(m.paragraph, []).append(
                (m.start, m.end, f'<{tag}{kind} ref="#{xml_id(m.type, m.entity)}">', f"</{tag}>"))
    for e in doc.events:
        first, _, last = e.when.partition("/")
        when = f'from="{attr(first)}" to="{attr(last)}"' if last else f'when="{attr(first)}"'
        spans.setdefault(e.paragraph, []).append((e.start, e.end, f'<date {when} type="{attr(e.kind)}">', "</date>"))
    return spans


def inline(s: str, spans: list[tuple[int, int, str, str]]) -> str:
    """Escape a paragraph's text, marking up its spans. Spans nest; one that would cross another is left out
    (the words stay, unmarked), so the text of every paragraph is always exactly the model's."""
    out, stack, pos = [], [], 0

    def close_until(at: int) -> None:
        nonlocal pos
        while stack and stack[-1][1] <= at:
            end, closing = stack.pop()[1], stack_tags.pop()
            out.append(text(s[pos:end]) + closing)
            pos = end

    stack_tags: list[str] = []
    for start, end, opening, closing in sorted(spans, key=lambda x: (x[0], -x[1], x[2])):
        if not 0 <= start < end <= len(s) or start < pos:
            continue
        close_until(start)
        if stack and stack[-1][1] < end:
            continue  # it would cross the span open around it
        out.append(text(s[pos:start]) + opening)
        pos = start
        stack.append((start, end))
        stack_tags.append(closing)
    close_until(len(s))
    out.append(text(s[pos:]))
    return "".join(out)
