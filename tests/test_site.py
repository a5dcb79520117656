"""A whole MkDocs build of the site (real mkdocs.yml, real sources plus a hostile one) in a temporary folder."""
from __future__ import annotations

import html
import html.parser
import re
import importlib.metadata
import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_SOURCE = """---
title: "</title><script>alert(1)</script> **bold** {{ config }}"
date: 2021-07-21
place: "<img src=x onerror=alert(1)>"
source_url: "https://example.org/a?b=\\"><script>alert(1)</script>"
tags: ["{: onclick=\\"alert(1)\\" }"]
---
Narration with <script>alert(1)</script> and [x](javascript:alert(1)).

President Ilham Aliyev: **bold** <img src=x onerror=alert(1)> {: onclick="alert(1)" }

1. item | a | b | --8<-- "mkdocs.yml"
"""

pytestmark = [pytest.mark.site, pytest.mark.skipif(
    not any(e.name == "annals" for e in importlib.metadata.entry_points(group="mkdocs.plugins")),
    reason="the annals MkDocs plugin is not installed (pip install -e .)")]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Build the site strictly from a copy of the project with one hostile source added."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    project = tmp_path_factory.mktemp("project")
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "sources", "registry"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, project / folder)
    (project / "scripts" / "annals").mkdir(parents=True)
    (project / "sources" / "hostile.txt").write_text(HOSTILE_SOURCE, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("ANNALS_SOURCES", raising=False)
        mp.delenv("ANNALS_REGISTRY", raising=False)
        config = load_config(str(project / "mkdocs.yml"), strict=True, site_dir=str(project / "site"))
        build(config)
    return project / "site"


def test_pages_anchors_and_data(site):
    page = site / "documents/2021/2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit/index.html"
    text = page.read_text(encoding="utf-8")
    assert 'id="p1"' in text and 'href="../../../people/vladimir-putin/"' in text
    assert (site / "people/vladimir-putin/index.html").is_file()
    for index in ("index.html", "documents/index.html", "documents/2021/index.html", "people/index.html",
                  "timeline/index.html", "about/index.html"):
        assert (site / index).is_file(), index
    data = json.loads((site / "data/documents/2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit.json")
                      .read_text(encoding="utf-8"))
    assert data["id"] == "2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit"


def test_navigation_lists_only_sections(site):
    text = (site / "index.html").read_text(encoding="utf-8")
    assert "ilham-aliyev-arrived" not in text.split('<nav class="md-nav md-nav--primary')[1].split("</nav>")[0]


class Tags(html.parser.HTMLParser):
    """Collect every tag with its (decoded) attributes, and the contents of script elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.in_script = tag == "script"

    def handle_endtag(self, tag):
        self.in_script = False

    def handle_data(self, data):
        if self.in_script:
            self.scripts.append(data)


def assert_harmless(markup: str, where: str) -> None:
    """Fail if some HTML holds an element, attribute or script that came from the hostile source."""
    parser = Tags()
    parser.feed(markup)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag not in ("img", "strong", "iframe", "object"), (where, tag)
        assert not any(name.startswith("on") for name in attrs), (where, tag, attrs)
        for name in ("href", "src", "action"):
            assert not re.match(r"\s*javascript\s*:", attrs.get(name) or "", re.I), (where, tag, attrs)
    assert not any("alert" in script for script in parser.scripts), where


def test_no_hostile_markup_anywhere(site):
    pages = [p for p in site.rglob("*.html") if "assets" not in p.parts]
    assert len(pages) > 10
    for path in pages:
        assert_harmless(path.read_text(encoding="utf-8"), str(path))
    assert not (site / "search/search_index.json").exists()  # Material's search is off; ours shows text as text


def test_hostile_title_is_text(site):
    pages = list((site / "documents/2021").glob("*/index.html"))
    hostile = next(p for p in pages if "alert" in p.read_text(encoding="utf-8"))
    text = hostile.read_text(encoding="utf-8")
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; **bold** {{ config }} - Annals</title>" in text
    assert "fonts.googleapis" not in text and "fonts.gstatic" not in text


def article_text(page: str) -> str:
    """The visible text of a page's article: tags dropped, entities decoded, spaces squeezed."""
    article = page[page.index("<article"):page.index("</article>")]
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", article)).split())


@pytest.mark.parametrize("literal", [
    "<script>alert(1)</script>", "[x](javascript:alert(1))", "<img src=x onerror=alert(1)>",
    '{: onclick="alert(1)" }', '--8<-- "mkdocs.yml"', "**bold**", "1. item | a | b |",
])
def test_hostile_text_is_shown_literally(site, literal):
    page = next(p for p in (site / "documents/2021").glob("*/index.html") if "alert" in p.read_text(encoding="utf-8"))
    assert literal in article_text(page.read_text(encoding="utf-8"))


SEED = "2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit"
SEED_NAMES = ["Vladimir Putin", "Ilham Aliyev", "Andrey Rudenko", "Russia", "Azerbaijan", "Baku", "Moscow",
              "Vnukovo-2 International Airport", "Sechenov First Moscow State Medical University",
              "Moscow State University", "North-South transportation corridor", "Sputnik-V"]


class Links(html.parser.HTMLParser):
    """Collect the text of each link of a page's article, with its href."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links, self.href = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.href, self.text = dict(attrs).get("href"), ""

    def handle_endtag(self, tag):
        if tag == "a" and self.href is not None:
            self.links.append((self.text, self.href))
            self.href = None

    def handle_data(self, data):
        if self.href is not None:
            self.text += data


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_names_link_to_pages_that_show_the_sentence(site, name):
    page = (site / f"documents/2021/{SEED}/index.html").read_text(encoding="utf-8")
    parser = Links()
    parser.feed(page[page.index("<article"):page.index("</article>")])
    hrefs = {href for text, href in parser.links if text == name and href.startswith("../../../")}
    assert hrefs, f"no link named {name!r} on the seed's page"
    for href in hrefs:
        target = (site / "documents/2021" / SEED / href).resolve() / "index.html"
        items = target.read_text(encoding="utf-8").split("<li>")
        shown = [item for item in items if f"{SEED}/#p" in item and "<mark>" in item]
        assert shown, f"{target} shows no sentence of the seed"


def test_glossary_and_registers_are_built(site):
    for index in ("places", "organizations", "topics", "meetings", "glossary"):
        assert (site / index / "index.html").is_file(), index
    tabs = (site / "index.html").read_text(encoding="utf-8").split('<nav class="md-tabs"')[1].split("</nav>")[0]
    for folder in ("places", "organizations", "topics", "glossary"):
        assert f'href="{folder}/"' in tabs, folder
    assert 'href="meetings/"' not in tabs
