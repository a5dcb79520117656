"""Accessibility (issue 7): axe-core, run in Chromium, finds no serious or critical violation on the home page, a
document page, a person page and the timeline pages, in the light palette and in the dark one."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parent.parent
SERIOUS = ("serious", "critical")
SHOWN = 3  # target selectors shown per violation

# Violations left out, each by rule id and the CSS selector of the elements it is left out for (why in a comment).
# Material's own shortfalls (tabs at 0.7 opacity, the copyright line) are fixed in stylesheets/annals.css instead.
EXCLUDED: dict[str, str] = {}  # rule id -> selector of nodes to leave out (none: everything axe finds counts)


@pytest.fixture(scope="module")
def site(corpus_site) -> Path:
    """The corpus site, built by annals build."""
    return corpus_site


@pytest.fixture(scope="module")
def browser(corpus_browser):
    if importlib.util.find_spec("axe_playwright_python") is None:
        pytest.skip("axe-playwright-python (axe-core) is not installed (pip install -e '.[test]')")
    return corpus_browser


def longest_document(site: Path) -> str:
    """The address (relative to the site) of the document page with the most paragraphs."""
    pages = site.glob("documents/*/*/index.html")
    best = max(pages, key=lambda p: (p.read_text(encoding="utf-8").count('class="annals-pilcrow"'), str(p)))
    return best.parent.relative_to(site).as_posix() + "/"


def page_path(site: Path, path: str) -> str:
    if path == "document":
        return longest_document(site)
    if path == "timeline/year":
        return sorted(p.parent.relative_to(site).as_posix() for p in site.glob("timeline/*/index.html"))[-1] + "/"
    return path


def serious_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the page, less the nodes EXCLUDED."""
    from axe_playwright_python.sync_playwright import Axe
    found = []
    for v in Axe().run(page).response["violations"]:
        if v["impact"] not in SERIOUS:
            continue
        if v["id"] in EXCLUDED:
            v["nodes"] = [n for n in v["nodes"] if not page.evaluate(
                "([target, excluded]) => document.querySelector(target).matches(excluded)",
                [n["target"][0], EXCLUDED[v["id"]]]) or len(n["target"]) > 1]  # a target inside a frame: kept
        if v["nodes"]:
            found.append(v)
    return found


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [" ".join(map(str, node["target"])) for node in v["nodes"]]
        more = f" (+{len(targets) - SHOWN} more)" if len(targets) > SHOWN else ""
        lines.append(f"{v['id']} [{v['impact']}] {v['help']}: {', '.join(targets[:SHOWN])}{more}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["default", "slate"])
@pytest.mark.parametrize("path", ["", "document", "people/vladimir-putin/", "timeline/", "timeline/year", "data/"])
def test_axe_finds_no_serious_violation(browser, site, path, scheme):
    path = page_path(site, path)
    assert (site / path / "index.html").is_file(), path
    chromium, base = browser
    page = chromium.new_page(viewport={"width": 1280, "height": 800}, color_scheme="light")
    page.goto(base + path)
    attribute = 'document.body.getAttribute("data-md-color-scheme")'
    if scheme == "slate":  # Material's toggle, as a reader would use it
        page.click('[data-md-component="palette"] label:not([hidden])')
    page.wait_for_function(f'{attribute} === "{scheme}"')
    page.wait_for_timeout(400)  # Material's colour transitions have ended
    violations = serious_violations(page)
    page.close()
    assert not violations, f"{path or 'home'} ({scheme}):\n" + report(violations)
