"""Offices and their holders (registry/offices.yml): who was President of Azerbaijan on a given day.

They settle a short form by date ("Mr Aliyev" in 2001 is Heydar Aliyev, in 2019 Ilham Aliyev), give a title
its person ("the President of Azerbaijan" on 20 July 2021), and give person pages their offices with dates.

    - office: President of Azerbaijan
      aliases: [Azerbaijani President, President of the Republic of Azerbaijan]
      holders:
        - {name: Heydar Aliyev, from: 1993-06-15, to: 2003-10-31}
        - {name: Ilham Aliyev, from: 2003-10-31}

A holder is named as the archive names the person (`name`, and `id` where the person's id is not the slug
of the name). `from` is the first day in office; `to`, the last (absent: still in office).
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from annals.errors import Problem
from annals.model import pickled_by_fields
from annals.publishers import text_of
from annals.slug import slugify

KEYS = ("office", "aliases", "holders")
HOLDER_KEYS = ("name", "id", "from", "to")


@dataclass(frozen=True, slots=True)
class Holding:
    """One person's time in an office: from `start` to `end` inclusive (`end` None: still in office)."""

    person: str  # the person's id
    name: str
    start: datetime.date
    end: datetime.date | None = None

    def holds_on(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    @property
    def dates(self) -> str:
        """The years in office, as a person page shows them: "1993-2003", "since 2003"."""
        if self.end is None:
            return f"since {self.start.year}"
        return f"{self.start.year}" if self.start.year == self.end.year else f"{self.start.year}-{self.end.year}"


@dataclass(frozen=True, slots=True)
class Office:
    """An office (President of Russia), the other ways texts write it, and its holders in order."""

    name: str
    aliases: tuple[str, ...] = ()
    holders: tuple[Holding, ...] = ()
    path: str = ""
    line: int = 0

    @property
    def id(self) -> str:
        return slugify(self.name)

    def holder_on(self, day: datetime.date) -> Holding | None:
        """Who held the office on `day` (the later holder on a day of handover)."""
        found = [h for h in self.holders if h.holds_on(day)]
        return max(found, key=lambda h: h.start) if found else None


class Offices:
    """The offices of the registry, looked up by any of their names (in any letter case)."""

    def __init__(self, offices: tuple[Office, ...] = ()) -> None:
        self.offices = offices
        self.by_name: dict[str, Office] = {}
        for office in offices:
            for name in (office.name, *office.aliases):
                self.by_name.setdefault(fold(name), office)

    def __bool__(self) -> bool:
        return bool(self.offices)

    def office(self, title: str) -> Office | None:
        """The office a title names ("President of the Republic of Azerbaijan", "Russian President")."""
        return self.by_name.get(fold(title.removeprefix("the ").removeprefix("The ")))

    def holder(self, title: str, day: datetime.date) -> Holding | None:
        """Who held the office that `title` names on `day`, if the registry knows."""
        office = self.office(title)
        return office.holder_on(day) if office else None

    def in_office(self, day: datetime.date) -> list[tuple[Office, Holding]]:
        """Every office held on `day`, with its holder, in registry order."""
        return [(o, h) for o in self.offices if (h := o.holder_on(day))]

    def of_person(self, person: str) -> list[tuple[Office, Holding]]:
        """The offices a person held, earliest first."""
        held = [(o, h) for o in self.offices for h in o.holders if h.person == person]
        return sorted(held, key=lambda oh: (oh[1].start, oh[0].name))

    def holders(self) -> dict[str, str]:
        """Every holder's id with the name the registry gives them."""
        return {h.person: h.name for o in self.offices for h in o.holders}


def fold(text: str) -> str:
    """A title compared in any case and spacing: "President of  azerbaijan" == "President of Azerbaijan"."""
    return " ".join(text.replace("’", "'").split()).casefold()


def read_offices(data: list, name: str) -> tuple[tuple[Office, ...], list[Problem]]:
    """Check and convert offices.yml; every problem with its line."""
    offices, problems, seen = [], [], {}
    for entry in data:
        office, found = read_office(entry, name)
        problems += found
        if office is None:
            continue
        for title in (office.name, *office.aliases):
            other = seen.get(fold(title))
            if other is not None and other != office.name:
                problems.append(Problem(name, office.line, f"'{title}' names both {other} and {office.name}"))
            seen[fold(title)] = office.name
        offices.append(office)
    return tuple(offices), problems


def read_office(entry, name: str) -> tuple[Office | None, list[Problem]]:
    """One entry of offices.yml, or None and why it cannot be used."""
    line = entry.get("__line__", 0) if isinstance(entry, dict) else 0
    if not isinstance(entry, dict) or not text_of(entry.get("office")):
        return None, [Problem(name, line, "each entry needs an 'office' (its name, e.g. President of Russia)")]
    title = text_of(entry["office"])
    unknown = sorted(str(k) for k in entry if k not in KEYS and k != "__line__")
    if unknown:
        return None, [Problem(name, line, f"unknown key {unknown[0]!r} in the office {title}",
                              "an office has: " + ", ".join(KEYS))]
    aliases = entry.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [aliases]
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        return None, [Problem(name, line, f"'aliases' of {title} must be a list of names")]
    holders, problems = [], []
    raw = entry.get("holders") or []
    if not isinstance(raw, list):
        return None, [Problem(name, line, f"'holders' of {title} must be a list ('- name: ..., from: ...')")]
    for item in raw:
        holding, problem = read_holding(item, name, line, title)
        if problem:
            problems.append(problem)
        else:
            holders.append(holding)
    if problems:
        return None, problems
    holders.sort(key=lambda h: h.start)
    return Office(title, tuple(" ".join(a.split()) for a in aliases), tuple(holders), name, line), []


def read_holding(item, name: str, line: int, title: str) -> tuple[Holding | None, Problem | None]:
    """One holder of an office: name, id, from, to."""
    line = item.get("__line__", line) if isinstance(item, dict) else line
    if not isinstance(item, dict) or not text_of(item.get("name")):
        return None, Problem(name, line, f"each holder of {title} needs a 'name'")
    who = text_of(item["name"])
    unknown = sorted(str(k) for k in item if k not in HOLDER_KEYS and k != "__line__")
    if unknown:
        return None, Problem(name, line, f"unknown key {unknown[0]!r} in a holder of {title}",
                             "a holder has: " + ", ".join(HOLDER_KEYS))
    start, end = day_of(item.get("from")), day_of(item.get("to"))
    if start is None or (item.get("to") is not None and end is None):
        return None, Problem(name, line, f"{who} as {title}: 'from' (and 'to', if given) must be dates "
                                         "written YYYY-MM-DD")
    if end is not None and end < start:
        return None, Problem(name, line, f"{who} as {title}: 'to' ({end}) is before 'from' ({start})")
    person = slugify(text_of(item.get("id")) or who)
    if not person:
        return None, Problem(name, line, f"the holder '{who}' of {title} has no usable id")
    return Holding(person, who, start, end), None


def day_of(value) -> datetime.date | None:
    """A date from YAML (which reads 2003-10-31 as a date) or from a string written YYYY-MM-DD."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


# Words of rank: a title made of these alone ("President", "Deputy Prime Minister") names no office of its own.
RANKS = frozenset("""president vice-president vice minister prime deputy first acting chairman chairwoman
    chairperson head chief secretary general director governor mayor ambassador senator member of the and""".split())


def held_by_person(offices: Offices) -> dict[str, tuple[tuple[Office, Holding], ...]]:
    """Every holder's offices, earliest first: Offices.of_person of all of them, in one pass."""
    held: dict[str, list[tuple[Office, Holding]]] = {}
    for office in offices.offices:
        for holding in office.holders:
            held.setdefault(holding.person, []).append((office, holding))
    return {p: tuple(sorted(found, key=lambda oh: (oh[1].start, oh[0].name))) for p, found in sorted(held.items())}


def is_bare_title(title: str) -> bool:
    """Tell whether a title is words of rank alone, naming no office ("President", "Deputy Prime Minister")."""
    words = [w.strip(".,;") for w in fold(title).split()]
    return any(words) and all(w in RANKS for w in words if w)


def is_part_of(title: str, name: str) -> bool:
    """Tell whether a title is a run of whole words of an office's name ("Prime Minister" of "Prime Minister of
    Russia")."""
    return bool(fold(title)) and f" {fold(title)} " in f" {fold(name)} "


pickled_by_fields(globals())
