"""The archive's model: frozen dataclasses with tuple fields, each node keeping its source line."""
from __future__ import annotations

import datetime
import fnmatch
import re
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


CONTACT_KINDS = ("meeting", "talks", "telephone", "message", "summit", "transcript")


@dataclass(frozen=True, slots=True)
class Contact:
    """A contact a text records between people: `kind` is one of CONTACT_KINDS (a meeting, talks, a telephone
    call, a message, a summit both attended, or a transcript both speak in); `people` their ids, sorted, two or
    more; the words that record it are text[start:end] of paragraph `paragraph` (0: the title), and `text`
    holds them (the sentence; for a transcript, the label of the turn, with start = end = 0)."""

    kind: str
    people: tuple[str, ...]
    paragraph: int
    start: int
    end: int
    text: str


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
    path: str = field(default="", compare=False)  # where it is defined (registry/glossary.yml), for messages
    line: int = field(default=0, compare=False)


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
    tags_line: int = 0  # source line of the front matter's tags, 0 if none
    publisher: str = ""  # the id of its publisher (registry/publishers.yml), "" when none is known
    original_url: str | None = None  # where it was published: source_url, else made from its file name
    contacts: tuple[Contact, ...] = ()  # who had contact with whom, as the text records it (annals.contacts)

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
        if len(self.speakers) < 16:
            return next((s for s in self.speakers if s.id == speaker_id), None)
        return speakers_by_id(self.speakers).get(speaker_id)


# The speakers of the documents asked last, by id: a document of 4,000 speakers is asked once per turn.
_BY_ID: dict[int, tuple[tuple[Speaker, ...], dict[str, Speaker]]] = {}


def speakers_by_id(speakers: tuple[Speaker, ...]) -> dict[str, Speaker]:
    """The speakers by id (the first of each id), kept while asked: the tuple held here cannot be freed and
    its id given to another."""
    held = _BY_ID.get(id(speakers))
    if held is None or held[0] is not speakers:
        if len(_BY_ID) > 64:
            _BY_ID.clear()
        by_id: dict[str, Speaker] = {}
        for s in speakers:
            by_id.setdefault(s.id, s)
        held = _BY_ID[id(speakers)] = (speakers, by_id)
    return held[1]


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
    titles: tuple[str, ...] = ()  # the titles narration gives them ("President of Kazakhstan"), most frequent first


@dataclass(frozen=True, slots=True)
class Original:
    """How a publisher's texts are named, and where each was published: `file` is a file-name pattern with
    placeholders ("kremlin-{n}.txt"), `address` the original's address made from them
    ("http://en.kremlin.ru/events/president/news/{n}")."""

    file: str
    address: str
    pattern: re.Pattern = field(compare=False, repr=False)

    def address_of(self, source: str) -> str | None:
        """The original's address of a source (its path relative to the sources folder), if its name fits."""
        for name in (source, source.rsplit("/", 1)[-1]):
            m = self.pattern.fullmatch(name)
            if m:
                return self.address.format(**m.groupdict())
        return None


@dataclass(frozen=True, slots=True)
class Publisher:
    """Who published some texts (registry/publishers.yml): the office or body, its website, the credit and
    licence its texts carry, and which texts are its: those whose address starts with one of `addresses`,
    whose file name matches one of `files`, or whose name fits one of `originals`."""

    id: str
    name: str
    site: str = ""  # the website's own name ("President of Russia")
    home: str = ""  # the website's address
    credit: str = ""  # the attribution its licence asks for
    office: str = ""  # the office it speaks for ("President of Russia")
    timezone: str = ""  # IANA name of the zone its clock times are in ("Europe/Moscow")
    licence: str = ""  # the licence's name; "" when not recorded
    licence_url: str = ""
    addresses: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    originals: tuple[Original, ...] = ()
    line: int = 0

    def has_address(self, url: str | None) -> bool:
        """Whether an original's address is on this publisher's site."""
        return bool(url) and any(url.startswith(a) for a in self.addresses)

    def has_file(self, source: str) -> bool:
        """Whether a source's file name (or path, relative to the sources folder) is one of this publisher's."""
        name = source.rsplit("/", 1)[-1]
        return (any(fnmatch.fnmatchcase(source, f) or fnmatch.fnmatchcase(name, f) for f in self.files)
                or any(o.address_of(source) for o in self.originals))

    def original_of(self, source: str) -> str | None:
        """The original's address that this publisher's naming rules make from a source's file name."""
        return next((url for o in self.originals if (url := o.address_of(source))), None)


# Turns of speech, and names


@dataclass(frozen=True)
class Turn:
    """One speaker's run of paragraphs: the one that opens it and those that continue it."""

    key: str  # person id, or "label:<label>" for an unresolved speaker
    speaker: str | None
    label: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)


def split_turns(doc: Document) -> tuple[Turn, ...]:
    """Group a document's speech paragraphs into turns; narration belongs to none."""
    turns: list[Turn] = []
    current: list[Paragraph] = []
    for p in doc.paragraphs:
        speech = p.speaker is not None or p.turn is not None
        opens = speech and (p.label is not None or not current
                            or (current[-1].speaker, current[-1].turn) != (p.speaker, p.turn))
        if current and (opens or not speech):
            turns.append(make_turn(doc, current))
            current = []
        if speech:
            current.append(p)
    if current:
        turns.append(make_turn(doc, current))
    return tuple(turns)


def make_turn(doc: Document, paragraphs: list[Paragraph]) -> Turn:
    """Make a Turn from its paragraphs, naming it by the label as written."""
    first = paragraphs[0]
    speaker = doc.speaker(first.speaker)
    label = first.label or first.turn or (speaker.name if speaker else first.speaker) or ""
    key = first.speaker or f"label:{label}"
    return Turn(key, first.speaker, label, tuple(paragraphs))


def turn_numbers(doc: Document) -> dict[int, int]:
    """The number of the turn of speech (1, 2 ...) of each paragraph that is speech, by paragraph n: the
    TEI's u1, u2 ... and the turn column of utterances.csv."""
    return {p.n: i for i, t in enumerate(split_turns(doc), 1) for p in t.paragraphs}


def name_of(person_id: str, names: dict[str, str], people: dict[str, Person]) -> str:
    """A person's name: the archive's, else their entity's, else their id."""
    person = people.get(person_id)
    return person.name if person else names.get(f"person:{person_id}", person_id)


def pickled_by_fields(namespace: dict) -> None:
    """Pickle the slotted dataclasses defined in a module's `namespace` as their class and a tuple of their
    fields, taken at C speed: dataclasses' own __getstate__ and __setstate__ are loops in Python, and the cache,
    the cross-link steps and the worker processes pickle millions of these (half the time, or less)."""
    import dataclasses

    for cls in list(namespace.values()):
        if (isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == namespace["__name__"]
                and "__slots__" in vars(cls)):
            assert all(f.init for f in dataclasses.fields(cls)), cls  # made again from them by __init__
            cls.__reduce__ = by_fields(cls)


def by_fields(cls: type):
    """A dataclass's reduction for pickle: (its class, a tuple of its fields), the fields taken at C speed."""
    import dataclasses
    import operator

    names = [f.name for f in dataclasses.fields(cls)]
    get = operator.attrgetter(*names) if len(names) > 1 else (lambda o, n=names[0]: (getattr(o, n),))
    return lambda obj: (cls, get(obj))


pickled_by_fields(globals())
