"""Compare Annals' time-expression rules with dateparser on the test cases of tests/test_events.py.

    .venv/bin/pip install dateparser==1.5.0 && .venv/bin/python scripts/bench_dates.py

For each expected (words, when) of a case, a finder is right when it finds those words (or words
overlapping them) and places them at `when`: a date library that returns datetimes can only be
right where `when` is a single day, so it is also scored on the date `when` starts with
("loose"). False alarms are found expressions that overlap no expected one.
"""
from __future__ import annotations

import datetime
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts"), str(ROOT / "tests")]

from annals.events import find_events  # noqa: E402
from test_events import CASES  # noqa: E402


def ours(date: datetime.date, sentence: str) -> list[tuple[str, str]]:
    return [(e.text, e.when) for e in find_events(sentence, 1, date, lambda t: [(0, len(t))])]


def theirs(date: datetime.date, sentence: str) -> list[tuple[str, str]]:
    from dateparser.search import search_dates
    base = datetime.datetime.combine(date, datetime.time(12))
    found = search_dates(sentence, languages=["en"], settings={"RELATIVE_BASE": base}) or []
    return [(text, when.date().isoformat()) for text, when in found]


def overlaps(a: str, b: str) -> bool:
    return a in b or b in a


def score(finder) -> dict:
    exact = loose = expected = alarms = 0
    start = time.perf_counter()
    for date, sentence, wanted in CASES:
        got = finder(datetime.date.fromisoformat(date), sentence)
        expected += len(wanted)
        for words, when in wanted:
            hits = [w for t, w in got if overlaps(t, words)]
            exact += when in hits
            loose += any(w.startswith(when.split("/")[0]) or when.split("/")[0].startswith(w) for w in hits)
        alarms += sum(1 for t, _ in got if not any(overlaps(t, w) for w, _ in wanted))
    return {"expected": expected, "exact": exact, "loose": loose, "false_alarms": alarms,
            "seconds": round(time.perf_counter() - start, 3)}


if __name__ == "__main__":
    print("cases:", len(CASES))
    print("annals rules:", score(ours))
    print("dateparser 1.5.0 search_dates:", score(theirs))
