"""The archive's model: frozen dataclasses with tuple fields, each node keeping its source line."""
from __future__ import annotations

import datetime
import fnmatch
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph of a document, in reading order.

    `label` is the speaker label as written (without its colon) on the paragraph
    that opens a turn; `turn` is the label of the turn the paragraph belongs to
    (None for narration); `speaker` is the resolved speaker id.
    """

    n: int
    line: int
    text: str
    label: str | None = None
    turn: str | None = None
    speaker: str | None = None
    section: int = 0
    joined: tuple[int, ...] = ()  # source lines of paragraphs joined into this one

    @property
    def anchor(self) -> str:
        return f"p{self.n}"


ENTITY_FOLDERS = {"person": "people", "place": "places", "organization": "organizations", "topic": "topics"}


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in a paragraph's text that refers to an entity: text[start:end] as written."""

    paragraph: int
    start: int
    end: int
    type: str  # "person", "place", "organization" or "topic"
    entity: str  # the entity's id (within its type)
    text: str

    @property
    def key(self) -> str:
        return f"{self.type}:{self.entity}"


@dataclass(frozen=True, slots=True)
class Event:
    """A time expression of a paragraph, text[start:end], placed at `when`.

    `when` is ISO 8601 at the precision written: "2022", "2021-01", "2021-07-20", or a span "2021-01/2021-06".
    """

    paragraph: int
    start: int
    end: int
    when: str
    text: str
    kind: str  # date, month, year, span, relative, anniversary, since
    sentence: str = ""

    @property
    def first(self) -> str:
        """The start of `when` (the whole of it unless it is a span)."""
        return self.when.split("/")[0]


@dataclass(frozen=True, slots=True)
class Entity:
    """Something the texts name: a person, place, organisation or topic, with its page."""

    type: str
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""
    origin: str = ""  # where it is known from: registry, speakers, pycountry, geonames, place line, tags

    @property
    def key(self) -> str:
        return f"{self.type}:{self.id}"

    @property
    def page(self) -> str:
        """The entity's Markdown page, relative to docs/."""
        return f"{ENTITY_FOLDERS[self.type]}/{self.id}.md"

    @property
    def url(self) -> str:
        return f"{ENTITY_FOLDERS[self.type]}/{self.id}/"


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    """A term or abbreviation explained where it occurs (registry/glossary.yml)."""

    id: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Speaker:
    """A speaker as one document knows them: identity, and the labels and roles written there."""

    id: str
    name: str
    kind: str  # "person" or "role"
    labels: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Document:
    """One source text, parsed (and, after resolve, with ids and speakers)."""

    source: str  # path relative to the sources folder, with forward slashes
    title: str
    date: datetime.date
    time: str | None = None
    place: str | None = None
    source_url: str | None = None
    retrieved: str | None = None  # when the text was taken from source_url (front matter), ISO date
    sha256: str = ""  # of the source file's bytes: provenance, and the key of the parse cache
    language: str = "en"
    tags: tuple[str, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    title_line: int = 1
    id: str = ""
    speakers: tuple[Speaker, ...] = ()
    mentions: tuple[Mention, ...] = ()  # in paragraph order, then by position
    events: tuple[Event, ...] = ()  # in paragraph order, then by position
    place_line: int = 0  # source line of the place, 0 if none

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def url(self) -> str:
        return f"documents/{self.date.year}/{self.id}/"

    @property
    def page(self) -> str:
        """The generated Markdown page of the document, relative to docs/."""
        return f"documents/{self.date.year}/{self.id}.md"

    def speaker(self, speaker_id: str | None) -> Speaker | None:
        return next((s for s in self.speakers if s.id == speaker_id), None)


@dataclass(frozen=True, slots=True)
class Person:
    """A speaker across the whole archive: one id, one name, every document they speak in."""

    id: str
    name: str
    kind: str = "person"
    aliases: tuple[str, ...] = ()
    description: str = ""
    registry_roles: tuple[str, ...] = ()
    documents: tuple[str, ...] = field(default=(), compare=False)  # document ids, newest first


@dataclass(frozen=True, slots=True)
class Licence:
    """The licence of some texts (registry/licences.yml): those whose address starts with one of
    `addresses`, or whose file name (relative to the sources folder) matches one of `files`."""

    name: str
    url: str = ""
    attribution: str = ""
    addresses: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    line: int = 0

    def covers(self, doc: Document) -> bool:
        """Whether this licence is the one of `doc`."""
        url = doc.source_url or ""
        return (any(url.startswith(a) for a in self.addresses)
                or any(fnmatch.fnmatchcase(doc.source, f) or fnmatch.fnmatchcase(doc.source.rsplit("/", 1)[-1], f)
                       for f in self.files))


def licence_of(doc: Document, licences: tuple[Licence, ...]) -> Licence | None:
    """The first licence that covers a document, or None when none does."""
    return next((lic for lic in licences if lic.covers(doc)), None)
