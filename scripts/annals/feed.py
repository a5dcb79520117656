"""The Atom feed of the newest documents (feed.xml at the site root).

Dated by the documents, never the clock: the same sources give the same bytes. Each entry's author is its
publisher, its times the document's date and clock time in the publisher's time zone, its summary the first
sentence of the text. Links are absolute where the site's address is known (site_url), else relative to the
feed (the site root). Every string from a source goes through ElementTree, which escapes it. Ids are
name-based UUIDs, stable across rebuilds and hosts.
"""
from __future__ import annotations

import datetime
import re
import uuid
import xml.etree.ElementTree as ET
import zoneinfo
from typing import TYPE_CHECKING

from annals.markup import TIME, absolute, clean_text, url_attr
from annals.model import Document
from annals.parse import parse_date_line
from annals.sentences import sentence_spans

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


def stamp(date: datetime.date, time: str | None = None, zone: str = "") -> str:
    """An RFC 3339 time: the date (and clock time, else midnight) in the publisher's zone (UTC when unknown)."""
    hour, minute = (int(x) for x in time.split(":")) if time and TIME.fullmatch(time) else (0, 0)
    moment = datetime.datetime(date.year, date.month, date.day, hour, minute,
                               tzinfo=zoneinfo.ZoneInfo(zone) if zone else datetime.timezone.utc)
    return moment.isoformat() if zone else moment.isoformat().replace("+00:00", "Z")


def urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"annals:{name}").urn


def summary(doc: Document) -> str:
    """The text's first sentence (of its first paragraph that is not a dateline or the title again), cut to
    SUMMARY_WORDS words."""
    repeats = {clean_text(doc.title).casefold(), clean_text(doc.place or "").casefold()}
    for p in doc.paragraphs:
        text = xml_text(p.text)
        if not text or text.casefold() in repeats or parse_date_line(text):
            continue
        start, end = sentence_spans(text)[0]
        words = text[start:end].split(" ")
        return " ".join(words[:SUMMARY_WORDS]) + (" …" if len(words) > SUMMARY_WORDS else "")
    return ""


def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = text
    return element


def entry(feed: ET.Element, archive: Archive, doc: Document, site_url: str) -> None:
    publisher = archive.publisher(doc)
    zone = publisher.timezone if publisher else ""
    item = add(feed, "entry")
    add(item, "title", xml_text(doc.title) or doc.id)
    add(item, "link", rel="alternate", type="text/html", href=absolute(site_url, doc.url))
    if url_attr(doc.original_url):
        add(item, "link", rel="via", type="text/html", href=xml_text(doc.original_url))
    add(item, "id", urn(f"document:{doc.id}"))
    add(item, "published", stamp(doc.date, doc.time, zone))
    add(item, "updated", stamp(doc.date, doc.time, zone))
    if publisher is not None:
        add(add(item, "author"), "name", xml_text(publisher.name))
    text = summary(doc)
    if text:
        add(item, "summary", text, type="text")


def render_feed(archive: Archive, site_url: str = "", title: str = "Annals") -> str:
    """The Atom 1.0 feed of the NEWEST newest documents (archive.documents is newest first)."""
    docs = archive.documents[:NEWEST]
    feed = ET.Element("feed", xmlns=ATOM)  # plain names in the default namespace
    add(feed, "title", title)
    add(feed, "subtitle", "The newest documents of the archive")
    add(feed, "link", rel="self", type="application/atom+xml", href=absolute(site_url, FEED))
    add(feed, "link", rel="alternate", type="text/html", href=absolute(site_url, "") or "./")
    add(feed, "id", urn("feed"))
    add(feed, "updated", max((entry_time(archive, d) for d in docs), default=stamp(datetime.date(1970, 1, 1))))
    add(add(feed, "author"), "name", title)
    for doc in docs:
        entry(feed, archive, doc, site_url)
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def entry_time(archive: Archive, doc: Document) -> str:
    """A document's time in UTC (comparable across zones), for the feed's own `updated`."""
    publisher = archive.publisher(doc)
    local = datetime.datetime.fromisoformat(stamp(doc.date, doc.time, publisher.timezone if publisher else ""))
    return local.astimezone(datetime.timezone.utc).isoformat().replace("+00:00", "Z")
