"""Every link of the built corpus site lands somewhere: the page exists, and so does the anchor.

MkDocs validates the Markdown links; the long lists and the mentions are written as HTML (for speed),
which MkDocs does not look into. This test checks every link, whatever wrote it.
"""
from __future__ import annotations

import html.parser
import posixpath
import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

ROOT = Path(__file__).resolve().parent.parent


class Links(html.parser.HTMLParser):
    """The hrefs of <a> elements inside the page's <article>, and every id of the page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs, self.ids, self.depth = [], set(), 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "article":
            self.depth += 1
        elif tag == "a" and self.depth and attrs.get("href"):
            self.hrefs.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1


@pytest.fixture(scope="module")
def site(corpus, tmp_path_factory) -> Path:
    from annals.site import build_site
    project = tmp_path_factory.mktemp("links")
    for name in ("docs", "registry"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    (project / "scripts" / "annals").mkdir(parents=True)
    (project / "sources").mkdir()  # mkdocs.yml watches it; the corpus is given instead
    with pytest.MonkeyPatch.context() as mp:
        for name in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH"):
            mp.delenv(name, raising=False)
        mp.chdir(project)
        return build_site(project / "mkdocs.yml", corpus / "sources", project / "registry", project / "site",
                          strict=True)


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def ids_of(target: str, parsed: dict[str, Links], site: Path) -> set[str]:
    if target not in parsed:
        parsed[target] = parse(site / target)
    return parsed[target].ids


def test_every_link_in_every_page_lands(site):
    pages = {p.relative_to(site).as_posix(): p for p in site.rglob("index.html")}
    parsed = {name: parse(path) for name, path in pages.items()}
    checked, broken = 0, []
    for name, links in parsed.items():
        folder = posixpath.dirname(name)
        for href in links.hrefs:
            if re.match(r"^[a-z]+:", href):
                continue  # another site's address, or mailto:
            path, _, anchor = href.partition("#")
            target = posixpath.normpath(posixpath.join(folder, path)) if path else name
            if path.endswith("/") or not path:
                target = posixpath.join(target, "index.html") if path else target
            checked += 1
            if not (site / target).is_file():
                broken.append((name, href, "no such page"))
            elif anchor and target.endswith(".html") and anchor not in ids_of(target, parsed, site):
                broken.append((name, href, "no such anchor"))
    assert not broken, f"{len(broken)} broken links, such as {broken[:5]}"
    assert checked > 10_000  # mentions, lists, timelines: the corpus site holds some 16,700 links
