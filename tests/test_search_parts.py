"""The search index's parts (annals.search.parts_of) are stable as the archive grows: a page stays in its part, so
a change re-indexes the parts it touches and no other (issue 17)."""
from __future__ import annotations

import random

from annals.search import bundle_name, parts_of


def pages_of(years: dict[int, int], seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return sorted(f"documents/{year}/{year}-{rng.randrange(10**9):09d}-a-title/index.html"
                  for year, count in years.items() for _ in range(count))


def part_of(parts: dict[str, list[str]]) -> dict[str, str]:
    return {page: name for name, pages in parts.items() for page in pages}


def test_an_archive_that_fits_in_one_part_has_one():
    pages = pages_of({1999: 3, 2003: 5, 2011: 2})
    assert parts_of(pages, dict.fromkeys(pages, 1000), most=10) == {"all": pages}


def test_a_larger_archive_has_a_part_a_decade():
    pages = pages_of({1999: 3, 2003: 5, 2011: 2, 2012: 4})
    parts = parts_of(pages, dict.fromkeys(pages, 1000), most=10)
    assert {name: len(p) for name, p in parts.items()} == {"1990s": 3, "2000s": 5, "2010s": 6}
    assert [bundle_name(i, name) for i, name in enumerate(parts)] == ["pagefind", "pagefind-2000s", "pagefind-2010s"]


def test_a_full_decade_has_a_part_a_year_and_a_full_year_stable_shares():
    pages = pages_of({2011: 4, 2012: 30, 2013: 2})
    parts = parts_of(pages, dict.fromkeys(pages, 1000), most=10)
    assert list(parts) == ["2011", "2012-1-of-4", "2012-2-of-4", "2012-3-of-4", "2012-4-of-4", "2013"]
    assert sum(len(p) for p in parts.values()) == len(pages) and all(len(p) <= 16 for p in parts.values())


def test_parts_of_bytes_as_well_as_pages():
    pages = pages_of({2011: 8})
    parts = parts_of(pages, dict.fromkeys(pages, 1000), most=10, most_bytes=2000)  # 8,000 bytes: 4 shares
    assert set(parts) <= {f"2011-{i}-of-4" for i in range(1, 5)} and len(parts) > 1
    assert sorted(p for part in parts.values() for p in part) == pages


def test_a_page_added_changes_its_own_part_only():
    pages = pages_of({2001: 40, 2002: 60, 2015: 35, 2016: 20, 2021: 5}, seed=7)
    sizes = dict.fromkeys(pages, 5000)
    before = parts_of(pages, sizes, most=25)
    for year in (2001, 2002, 2016, 2021):
        new = f"documents/{year}/{year}-000000000-added/index.html"
        after = parts_of(sorted([*pages, new]), {**sizes, new: 5000}, most=25)
        changed = {name for name in set(before) | set(after) if before.get(name) != after.get(name)}
        assert changed == {part_of(after)[new]}, (year, changed)
        assert part_of(after).items() - {(new, part_of(after)[new])} <= part_of(before).items()


def test_a_page_removed_changes_its_own_part_only():
    pages = pages_of({2001: 40, 2002: 60, 2015: 35}, seed=3)
    sizes = dict.fromkeys(pages, 5000)
    before = parts_of(pages, sizes, most=25)
    gone = pages[70]
    after = parts_of([p for p in pages if p != gone], sizes, most=25)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {part_of(before)[gone]}
