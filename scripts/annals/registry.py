"""The editors' registries (registry/*.yml): people, places, organisations, topics and the glossary."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

from annals.errors import Problem
from annals.model import GlossaryTerm, Publisher
from annals.offices import Office, Offices, read_offices
from annals.publishers import read_publishers
from annals.read import DataLoader, special_kind
from annals.slug import slugify

FILES = {"people": "person", "places": "place", "organizations": "organization", "topics": "topic"}


@dataclass(frozen=True)
class RegistryEntry:
    """One entry of people.yml, places.yml, organizations.yml or topics.yml."""

    type: str
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    description: str = ""
    path: str = ""
    line: int = 0
    distinct: tuple[str, ...] = ()  # ids of people never to be taken for this one (people.yml 'distinct')


@dataclass(frozen=True)
class Registry:
    """What the editors' registry files say."""

    entries: tuple[RegistryEntry, ...] = ()
    glossary: tuple[GlossaryTerm, ...] = ()
    publishers: tuple[Publisher, ...] = ()
    offices: tuple[Office, ...] = ()

    @functools.cached_property
    def office_index(self) -> Offices:
        """The offices, looked up by any of their names (made once)."""
        return Offices(self.offices)

    @property
    def people(self) -> tuple[RegistryEntry, ...]:
        return tuple(e for e in self.entries if e.type == "person")

    def alias_map(self) -> dict[str, str]:
        """Every person's name and alias, case-folded, to its person id."""
        return {" ".join(name.split()).casefold(): p.id for p in self.people for name in (p.name, *p.aliases)}


class _LineLoader(DataLoader):
    """The loader of sources' front matter (no aliases, no duplicate keys), remembering the line of each
    mapping."""


def _mapping_with_line(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_registry(folder: Path | None, label: str = "registry") -> tuple[Registry, list[Problem]]:
    """Read every registry file present; return the registry and every problem found."""
    if folder is None:
        return Registry(), []
    entries, problems = [], []
    for stem, kind in FILES.items():
        data, found = load_list(folder / f"{stem}.yml", f"{label}/{stem}.yml")
        problems += found
        got, found = read_entries(data, kind, f"{label}/{stem}.yml")
        entries += got
        problems += found
    data, found = load_list(folder / "glossary.yml", f"{label}/glossary.yml")
    problems += found
    terms, found = read_glossary(data, f"{label}/glossary.yml")
    problems += found
    data, found = load_list(folder / "publishers.yml", f"{label}/publishers.yml")
    problems += found
    publishers, found = read_publishers(data, f"{label}/publishers.yml")
    problems += found + replaced_files(folder, label)
    data, found = load_list(folder / "offices.yml", f"{label}/offices.yml")
    problems += found
    offices, found = read_offices(data, f"{label}/offices.yml")
    problems += found
    return Registry(tuple(entries), tuple(terms), tuple(publishers), offices), problems + duplicate_ids(entries)


def replaced_files(folder: Path, label: str) -> list[Problem]:
    """Registry files of an earlier Annals that are no longer read: an error, so that no licence is lost."""
    if not (folder / "licences.yml").is_file():
        return []
    return [Problem(f"{label}/licences.yml", 1, "licences.yml is no longer read: publishers.yml replaces it",
                    "move each licence into the publisher whose texts it covers (the editors' guide shows how), "
                    "then remove licences.yml")]


def load_list(path: Path, name: str) -> tuple[list, list[Problem]]:
    """Read one registry file as a list of mappings (an absent file is an empty list)."""
    try:
        kind = special_kind(path.stat().st_mode)
        if kind:  # looked at before opening: a named pipe would wait for a writer
            return [], [Problem(name, 0, f"not a regular file ({kind}): refused")]
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_LineLoader)
    except FileNotFoundError:
        return [], []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = min(mark.line + 1, text.count("\n") or 1) if mark else 0  # an error at the end: the last line
        return [], [Problem(name, line, f"invalid YAML: {getattr(exc, 'problem', None) or exc}")]
    except UnicodeDecodeError:
        return [], [Problem(name, 0, "not valid UTF-8 text")]
    except OSError as exc:
        return [], [Problem(name, 0, f"cannot read the file: {exc.strerror or exc}")]
    if data is None:
        return [], []
    if not isinstance(data, list):
        return [], [Problem(name, 1, "expected a list of entries ('- name: ...')")]
    return data, []


def strings(value) -> tuple[str, ...] | None:
    """A YAML list of strings (or one string) as a tuple; None if it is something else."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return None


def read_entries(data: list, kind: str, name: str) -> tuple[list[RegistryEntry], list[Problem]]:
    """Check and convert the entries of one registry file."""
    entries, problems, seen = [], [], {}
    for entry in data:
        line = entry.get("__line__", 0) if isinstance(entry, dict) else 0
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            problems.append(Problem(name, line, "each entry needs a 'name'"))
            continue
        aliases, roles = strings(entry.get("aliases")), strings(entry.get("roles"))
        distinct = strings(entry.get("distinct"))
        if aliases is None or roles is None or distinct is None:
            problems.append(Problem(name, line, f"'aliases', 'roles' and 'distinct' of {entry['name']} must be "
                                                "lists of names"))
            continue
        eid = slugify(str(entry.get("id") or entry["name"]))
        for key in (str(entry["name"]), *aliases):
            folded = " ".join(key.split()).casefold()
            if seen.get(folded, eid) != eid:
                problems.append(Problem(name, line, f"'{key}' names both {seen[folded]} and {eid}"))
            seen[folded] = eid
        entries.append(RegistryEntry(kind, eid, str(entry["name"]).strip(), aliases, roles,
                                     str(entry.get("description") or "").strip(), name, line,
                                     tuple(slugify(d) for d in distinct if slugify(d))))
    return entries, problems


def read_glossary(data: list, name: str) -> tuple[list[GlossaryTerm], list[Problem]]:
    """Check and convert glossary.yml: term, definition, aliases."""
    terms, problems = [], []
    for entry in data:
        line = entry.get("__line__", 0) if isinstance(entry, dict) else 0
        if not isinstance(entry, dict) or not str(entry.get("term") or "").strip() or not entry.get("definition"):
            problems.append(Problem(name, line, "each glossary entry needs a 'term' and a 'definition'"))
            continue
        aliases = strings(entry.get("aliases"))
        if aliases is None:
            problems.append(Problem(name, line, f"'aliases' of {entry['term']} must be a list"))
            continue
        term = str(entry["term"]).strip()
        terms.append(GlossaryTerm(slugify(term), term, str(entry["definition"]).strip(), aliases, name, line))
    return sorted(terms, key=lambda t: t.term.casefold()), problems


def duplicate_ids(entries: list[RegistryEntry]) -> list[Problem]:
    """An id used twice within one type is an error."""
    seen, problems = set(), []
    for e in entries:
        if (e.type, e.id) in seen:
            problems.append(Problem(e.path, e.line, f"id '{e.id}' is used twice"))
        seen.add((e.type, e.id))
    return problems
