"""The editors' registries (registry/people.yml): ids, names, aliases, roles, descriptions."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from annals.errors import Problem
from annals.slug import slugify


@dataclass(frozen=True)
class RegistryPerson:
    """One entry of registry/people.yml."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    description: str = ""
    line: int = 0


@dataclass(frozen=True)
class Registry:
    """What the editors' registry files say."""

    people: tuple[RegistryPerson, ...] = ()

    def alias_map(self) -> dict[str, str]:
        """Every name and alias, case-folded, to its person id."""
        out = {}
        for p in self.people:
            for name in (p.name, *p.aliases):
                out[" ".join(name.split()).casefold()] = p.id
        return out


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of each mapping."""


def _mapping_with_line(loader, node):
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def load_registry(folder: Path | None, label: str = "registry") -> tuple[Registry, list[Problem]]:
    """Read registry/people.yml if present; return the registry and every problem found."""
    if folder is None or not (folder / "people.yml").is_file():
        return Registry(), []
    name = f"{label}/people.yml"
    try:
        data = yaml.load((folder / "people.yml").read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return Registry(), [Problem(name, mark.line + 1 if mark else 0, f"invalid YAML: {getattr(exc, 'problem', exc)}")]
    except UnicodeDecodeError:
        return Registry(), [Problem(name, 0, "not valid UTF-8 text")]
    if data is None:
        return Registry(), []
    if not isinstance(data, list):
        return Registry(), [Problem(name, 1, "expected a list of people ('- name: ...')")]
    return read_people(data, name)


def read_people(data: list, name: str) -> tuple[Registry, list[Problem]]:
    """Check and convert the entries of people.yml."""
    people, problems, seen = [], [], {}
    for entry in data:
        line = entry.get("__line__", 0) if isinstance(entry, dict) else 0
        if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
            problems.append(Problem(name, line, "each person needs a 'name'"))
            continue
        pid = slugify(str(entry.get("id") or entry["name"]))
        aliases = entry.get("aliases") or []
        roles = entry.get("roles") or []
        if not isinstance(aliases, list) or not isinstance(roles, list):
            problems.append(Problem(name, line, f"'aliases' and 'roles' of {entry['name']} must be lists"))
            continue
        for key in (entry["name"], *aliases):
            folded = " ".join(str(key).split()).casefold()
            if folded in seen and seen[folded] != pid:
                problems.append(Problem(name, line, f"'{key}' names both {seen[folded]} and {pid}"))
            seen[folded] = pid
        people.append(RegistryPerson(pid, str(entry["name"]).strip(), tuple(str(a) for a in aliases),
                                     tuple(str(r) for r in roles), str(entry.get("description") or "").strip(), line))
    ids = [p.id for p in people]
    problems += [Problem(name, p.line, f"id '{p.id}' is used twice") for i, p in enumerate(people) if p.id in ids[:i]]
    return Registry(tuple(people)), problems
