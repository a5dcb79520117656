"""The one error type of Annals, and the collection of problems of a run."""
from __future__ import annotations

import collections
import re
from dataclasses import dataclass

QUOTE_LIMIT = 80  # characters of source text a message quotes: enough to find it, never a whole paragraph
MESSAGE_LIMIT = 500  # a message longer than this quoted too much; kept readable whoever made it


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or doubtful) in a source or registry, with where it is."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: str = "error"  # "error" or "warning"

    def __post_init__(self) -> None:
        # One line of a report must stay one readable line, whatever a module quoted into it.
        for field in ("message", "hint"):
            value = getattr(self, field)
            if len(value) > MESSAGE_LIMIT:
                object.__setattr__(self, field, value[:MESSAGE_LIMIT - 81] + " … " + value[-78:])

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        kind = "" if self.severity == "error" else "warning: "
        text = f"{where}: {kind}{self.message}"
        return text + (f"\n  {self.hint}" if self.hint else "")


class AnnalsError(Exception):
    """An error that carries the problems that caused it."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def error(path: str, line: int, message: str, hint: str = "") -> AnnalsError:
    """Make an AnnalsError for one problem."""
    return AnnalsError(Problem(path, line, message, hint))


def quote(text) -> str:
    """Source text as a message quotes it: on one line, cut to QUOTE_LIMIT characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= QUOTE_LIMIT else text[:QUOTE_LIMIT - 1] + "…"


def collapse(problems: list[Problem]) -> list[str]:
    """Format problems, collapsing repeated warnings into one line with a count."""
    counts = collections.Counter((p.severity, p.message) for p in problems if p.severity == "warning")
    lines, seen = [], set()
    for p in problems:
        key = (p.severity, p.message)
        if p.severity == "warning" and counts[key] > 1:
            if key in seen:
                continue
            seen.add(key)
            first, *hint = str(p).split("\n", 1)
            lines.append("\n".join([f"{first} (x{counts[key]})", *hint]))
        else:
            lines.append(str(p))
    return lines


KIND = re.compile(r"(?:[^'\"‘“«(:\d]|(?<=\w)'(?=\w))*")  # a message up to its first quote, bracket, colon or figure
QUOTED = re.compile(r"'[^']{1,60}'|‘[^’]{1,60}’|“[^”]{1,60}”|\"[^\"]{1,60}\"")


def kind_of(problem: Problem) -> str:
    """What kind of problem this is: its message without the particulars (the quoted name, the figures, what
    follows a colon or bracket). 'ambiguous name 'Mr Beck' (...): left unlinked' is an "ambiguous name"."""
    return KIND.match(problem.message).group(0).strip(" ,;.") or problem.message


def summarise(problems: list[Problem], first: int = 3) -> list[str]:
    """Problems as an editor reads them at the end of a run: every error, and each warning said once, alone
    or, when several are of one kind, as that kind with their count and the first `first` places
    ("warning: ambiguous name (x2,419), first: sources/x.txt:60 'Mr Putin', ...")."""
    errors = [p for p in problems if p.severity == "error"]
    kinds: dict[str, list[Problem]] = {}
    for p in problems:
        if p.severity != "error":
            kinds.setdefault(kind_of(p), []).append(p)
    lines = collapse(errors)
    for kind, found in kinds.items():
        if len(found) == 1:
            lines.append(str(found[0]))
            continue
        places = []
        for p in found[:first]:
            quoted = QUOTED.search(p.message)
            places.append((f"{p.path}:{p.line}" if p.line else p.path) + (f" {quoted.group(0)}" if quoted else ""))
        more = ", ..." if len(found) > first else ""
        hint = f"\n  {found[0].hint}" if found[0].hint else ""
        lines.append(f"warning: {kind} (x{len(found):,}), first: {', '.join(places)}{more}{hint}")
    return lines
