"""The archive's model: frozen dataclasses with tuple fields, each node keeping its source line."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Speaker:
    """A speaker as one document knows them: identity, and the labels and roles written there."""

    id: str
    name: str
    kind: str  # "person" or "role"
    labels: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """One source text, parsed (and, after resolve, with ids and speakers)."""

    source: str  # path relative to the sources folder, with forward slashes
    title: str
    date: datetime.date
    time: str | None = None
    place: str | None = None
    source_url: str | None = None
    language: str = "en"
    tags: tuple[str, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    title_line: int = 1
    id: str = ""
    speakers: tuple[Speaker, ...] = ()

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


@dataclass(frozen=True)
class Person:
    """A speaker across the whole archive: one id, one name, every document they speak in."""

    id: str
    name: str
    kind: str = "person"
    aliases: tuple[str, ...] = ()
    description: str = ""
    registry_roles: tuple[str, ...] = ()
    documents: tuple[str, ...] = field(default=(), compare=False)  # document ids, newest first
