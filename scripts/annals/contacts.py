"""Contacts: who met, talked, telephoned or wrote to whom, as the texts record it (issue 16).

Written by the lead as the interface, with the one kind known before issue 16 (people who speak together in a
transcript); the contacts helper adds the kinds told in titles and narration.
"""
from __future__ import annotations

import dataclasses

from annals.model import Contact, Document, Person, Publisher
from annals.offices import Offices

MEETING_SIZE = 8  # in a phone-in with fifty callers, each caller has not met every other


def attach_contacts(documents: list[Document], people: dict[str, Person], publishers: dict[str, Publisher],
                    offices: Offices) -> list[Document]:
    """Every document with its contacts (Document.contacts), in the order of the text."""
    out = []
    for doc in documents:
        publisher = publishers.get(doc.publisher)
        holder = offices.holder(publisher.office, doc.date) if publisher and publisher.office else None
        out.append(dataclasses.replace(doc, contacts=find_contacts(doc, people, holder.person if holder else None)))
    return out


def find_contacts(doc: Document, people: dict[str, Person], implied: str | None) -> tuple[Contact, ...]:
    """The contacts a document records; `implied` is the id of the person a subject-less title or sentence
    means ("Telephone conversation with ...": the holder, on the document's date, of its publisher's office)."""
    return transcript_contacts(doc, people)


def transcript_contacts(doc: Document, people: dict[str, Person]) -> tuple[Contact, ...]:
    """People who speak together in a transcript of at most MEETING_SIZE speakers: one contact of them all,
    recorded where the second of them first speaks: its label is the contact's text (start = end = 0, the label
    not being part of the paragraph's text)."""
    first: dict[str, int] = {}
    for p in doc.paragraphs:
        if p.label and p.speaker in people and people[p.speaker].kind == "person":
            first.setdefault(p.speaker, p.n)
    if not 2 <= len(first) <= MEETING_SIZE:
        return ()
    n = sorted(first.values())[1]
    label = next(p.label for p in doc.paragraphs if p.n == n)
    return (Contact("transcript", tuple(sorted(first)), n, 0, 0, label),)
