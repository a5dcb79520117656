"""The archive gathered: every document and person known before any page is written."""
from __future__ import annotations

from dataclasses import dataclass

from annals.errors import Problem
from annals.model import Document, Person
from annals.resolve import newest_first


@dataclass(frozen=True)
class Archive:
    """All documents (newest first), all people by id, and the problems found on the way."""

    documents: tuple[Document, ...]
    people: dict[str, Person]
    problems: tuple[Problem, ...] = ()

    def document(self, doc_id: str) -> Document:
        return next(d for d in self.documents if d.id == doc_id)


def index(documents: list[Document], people: dict[str, Person], problems: list[Problem]) -> Archive:
    """Gather the resolved documents and people into an Archive."""
    return Archive(tuple(sorted(documents, key=newest_first)), people, tuple(problems))
