"""Publishers (registry/publishers.yml): who published each text, where its original is, its credit and licence.

A text's publisher is the first whose `addresses` start its `source_url`, else the first whose `files` (or
naming rules, `original`) match its file name. Where the front matter gives no `source_url`, the publisher's
naming rule makes the original's address from the file name: `kremlin-63590.txt` is
http://en.kremlin.ru/events/president/news/63590.
"""
from __future__ import annotations

import dataclasses
import re
import zoneinfo

from annals.errors import Problem
from annals.model import Document, Original, Publisher
from annals.slug import slugify

KEYS = ("id", "name", "site", "home", "credit", "office", "timezone", "licence", "addresses", "files", "original")
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
VALUE = r"[A-Za-z0-9_.~-]+"  # what a placeholder stands for: characters an address may hold as they are
WEB = ("http://", "https://")


def read_publishers(data: list, name: str) -> tuple[list[Publisher], list[Problem]]:
    """Check and convert publishers.yml; every problem with its line."""
    publishers, problems, seen = [], [], set()
    for entry in data:
        publisher, found = read_publisher(entry, name)
        problems += found
        if publisher is None:
            continue
        if publisher.id in seen:
            problems.append(Problem(name, publisher.line, f"publisher id '{publisher.id}' is used twice"))
            continue
        seen.add(publisher.id)
        publishers.append(publisher)
    return publishers, problems


def read_publisher(entry, name: str) -> tuple[Publisher | None, list[Problem]]:
    """One entry of publishers.yml, or None and why it cannot be used."""
    line = entry.get("__line__", 0) if isinstance(entry, dict) else 0
    if not isinstance(entry, dict) or not text_of(entry.get("name")):
        return None, [Problem(name, line, "each publisher needs a 'name'")]
    title = text_of(entry["name"])
    unknown = sorted(str(k) for k in entry if k not in KEYS and k != "__line__")
    if unknown:
        return None, [Problem(name, line, f"unknown key {unknown[0]!r} in the publisher {title}",
                              "a publisher has: " + ", ".join(KEYS))]
    problems: list[Problem] = []
    fields = {key: text_of(entry.get(key)) for key in ("site", "home", "credit", "office", "timezone")}
    lists = {key: string_list(entry.get(key)) for key in ("addresses", "files")}
    for key, value in lists.items():
        if value is None:
            problems.append(Problem(name, line, f"'{key}' of {title} must be a list of strings"))
    problems += web_addresses(name, line, title, [fields["home"]] if fields["home"] else [], "home")
    problems += web_addresses(name, line, title, lists["addresses"] or [], "addresses")
    problems += check_timezone(name, line, title, fields["timezone"])
    licence, found = read_licence(entry.get("licence"), name, line, title)
    originals, more = read_originals(entry.get("original"), name, line, title)
    problems += found + more
    if not problems and not (lists["addresses"] or lists["files"] or originals):
        problems.append(Problem(name, line, f"the publisher {title} covers no text",
                                "give the 'addresses' (start of the source URL), 'files' (patterns such as "
                                "kremlin-*.txt) or 'original' (file: kremlin-{n}.txt, address: .../{n}) it covers"))
    if problems:
        return None, problems
    return Publisher(slugify(text_of(entry.get("id")) or title), title, **fields, licence=licence[0],
                     licence_url=licence[1], addresses=tuple(lists["addresses"]), files=tuple(lists["files"]),
                     originals=tuple(originals), line=line), []


def text_of(value) -> str:
    """A scalar as one stripped string ('' for none)."""
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""


def string_list(value) -> list[str] | None:
    """A YAML list of strings (or one string); None if it is something else."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    return None


def web_addresses(name: str, line: int, title: str, urls: list[str], key: str) -> list[Problem]:
    """Addresses must be web addresses: anything else would become a link nobody can follow."""
    return [Problem(name, line, f"'{key}' of {title}: {url!r} is not a web address",
                    "an address starts with http:// or https://") for url in urls if not url.startswith(WEB)]


def check_timezone(name: str, line: int, title: str, zone: str) -> list[Problem]:
    if not zone:
        return []
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return [Problem(name, line, f"unknown timezone {zone!r} of {title}",
                        "give an IANA time zone name, such as Europe/Moscow or Asia/Baku")]
    return []


def read_licence(value, name: str, line: int, title: str) -> tuple[tuple[str, str], list[Problem]]:
    """The licence: a name, or a mapping of name and url (its terms); ('', '') when none is recorded."""
    if value is None:
        return ("", ""), []
    if isinstance(value, str):
        return (text_of(value), ""), []
    if not isinstance(value, dict) or not text_of(value.get("name")) or set(value) - {"name", "url", "__line__"}:
        where = value.get("__line__", line) if isinstance(value, dict) else line
        return ("", ""), [Problem(name, where, f"the licence of {title} must be a name, or 'name' and 'url'")]
    url = text_of(value.get("url"))
    return (text_of(value["name"]), url), web_addresses(name, value.get("__line__", line), title,
                                                        [url] if url else [], "licence url")


def read_originals(value, name: str, line: int, title: str) -> tuple[list[Original], list[Problem]]:
    """The naming rules: one mapping or a list of mappings of 'file' (a pattern) and 'address'."""
    rules = value if isinstance(value, list) else [] if value is None else [value]
    originals, problems = [], []
    for rule in rules:
        where = rule.get("__line__", line) if isinstance(rule, dict) else line
        if not isinstance(rule, dict) or set(rule) != {"file", "address", "__line__"}:
            problems.append(Problem(name, where, f"each 'original' rule of {title} needs a 'file' and an 'address'",
                                    "e.g. file: kremlin-{n}.txt, address: http://en.kremlin.ru/events/president/news/{n}"))
            continue
        original, found = make_original(text_of(rule["file"]), text_of(rule["address"]), name, where, title)
        problems += found
        if original is not None:
            originals.append(original)
    return originals, problems


def make_original(file: str, address: str, name: str, line: int, title: str) -> tuple[Original | None, list[Problem]]:
    """Check one naming rule and compile its file pattern."""
    names = PLACEHOLDER.findall(file)
    missing = sorted(set(PLACEHOLDER.findall(address)) - set(names))
    if not address.startswith(WEB):
        return None, web_addresses(name, line, title, [address], "original address")
    if missing or len(set(names)) != len(names) or not names:
        return None, [Problem(name, line, f"the 'original' rule {file!r} of {title} cannot make {address!r}",
                              "the file pattern names each {placeholder} of the address once")]
    parts = PLACEHOLDER.split(file)  # literal, name, literal, name ...
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>{VALUE})" for i, part in enumerate(parts))
    return Original(file, address, re.compile(regex)), []


def publisher_of(doc: Document, publishers: tuple[Publisher, ...]) -> Publisher | None:
    """The publisher of a document: by its address first, else by its file name."""
    return (next((p for p in publishers if p.has_address(doc.source_url)), None)
            or next((p for p in publishers if p.has_file(doc.source)), None))


def attach_publishers(documents: list[Document], publishers: tuple[Publisher, ...]) -> tuple[list[Document], list[Problem]]:
    """Give each document its publisher and the address of its original; warn of texts no publisher covers."""
    out, problems = [], []
    for doc in documents:
        publisher = publisher_of(doc, publishers)
        original = doc.source_url or (publisher.original_of(doc.source) if publisher else None)
        if publisher is None and publishers:
            problems.append(Problem(doc.source, doc.title_line, "no publisher in publishers.yml covers this text: "
                                    "its page names no publisher or licence", "add its site's address or file "
                                    "names to a publisher in registry/publishers.yml", "warning"))
        out.append(dataclasses.replace(doc, publisher=publisher.id if publisher else "", original_url=original))
    return out, problems
