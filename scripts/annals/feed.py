"""The Atom feed of the newest documents (feed.xml at the site root).

Dated by the documents, never the clock: the same sources give the same bytes. Every string from a
source goes through ElementTree, which escapes it. Links are relative to the feed (site root), so the
feed works wherever the site is served; ids are name-based UUIDs, stable across rebuilds and hosts.
"""
from __future__ import annotations

import datetime
import re
import uuid
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from annals.markup import clean_text
from annals.model import Document
from annals.render_common import display_name

if TYPE_CHECKING:
    from annals.index import Archive

ATOM = "http://www.w3.org/2005/Atom"
FEED = "feed.xml"
NEWEST = 50
SUMMARY_WORDS = 60
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")  # what XML 1.0 cannot hold


def xml_text(s: str) -> str:
    """Source text as one clean line that XML can hold (ElementTree escapes it when writing)."""
    return NOT_XML.sub("", clean_text(s))


def stamp(date: datetime.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"annals:{name}").urn


def summary(doc: Document) -> str:
    """The first paragraph's text, cut to its first SUMMARY_WORDS words."""
    words = xml_text(doc.paragraphs[0].text).split(" ") if doc.paragraphs else []
    return " ".join(words[:SUMMARY_WORDS]) + (" …" if len(words) > SUMMARY_WORDS else "")


def first_speaker(archive: Archive, doc: Document) -> str | None:
    speaker = next((p.speaker for p in doc.paragraphs if p.speaker), None)
    return display_name(archive, doc, speaker) if speaker else None


def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def entry(feed: ET.Element, archive: Archive, doc: Document) -> None:
    item = add(feed, "entry")
    add(item, "title", xml_text(doc.title) or doc.id)
    add(item, "link", rel="alternate", type="text/html", href=doc.url)
    add(item, "id", urn(f"document:{doc.id}"))
    add(item, "published", stamp(doc.date))
    add(item, "updated", stamp(doc.date))
    speaker = first_speaker(archive, doc)
    if speaker:
        add(add(item, "author"), "name", xml_text(speaker))
    text = summary(doc)
    if text:
        add(item, "summary", text, type="text")


def render_feed(archive: Archive, title: str = "Annals") -> str:
    """The Atom 1.0 feed of the NEWEST newest documents (archive.documents is newest first)."""
    docs = archive.documents[:NEWEST]
    newest = max((d.date for d in docs), default=datetime.date(1970, 1, 1))
    feed = ET.Element("feed", xmlns=ATOM)  # plain names in the default namespace
    add(feed, "title", title)
    add(feed, "subtitle", "The newest documents of the archive")
    add(feed, "link", rel="self", type="application/atom+xml", href=FEED)
    add(feed, "link", rel="alternate", type="text/html", href="./")
    add(feed, "id", urn("feed"))
    add(feed, "updated", stamp(newest))
    add(add(feed, "author"), "name", title)
    for doc in docs:
        entry(feed, archive, doc)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"
