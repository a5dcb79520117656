"""The site's own address: with site_url (or `annals build --site-url`), the feed, sitemap, canonical links,
citations and TEI identifiers are absolute; without it everything works with relative links, and the build says
once what needs it. The 404 page works under any sub-path."""
from __future__ import annotations

import datetime
import json
import logging
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from annals.feed import summary
from annals.model import Document, Paragraph
from annals.bench.search import QuietHandler, served
from annals.site import NO_SITE_URL
from conftest import build_project_site, project_copy

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

SITE_URL = "https://annals.example/archive/"
T = "{http://www.tei-c.org/ns/1.0}"


@pytest.fixture(scope="module")
def absolute_site(corpus, tmp_path_factory) -> Path:
    """The corpus site built for https://annals.example/archive/ (no search index: not needed here)."""
    project = project_copy(tmp_path_factory.mktemp("absolute-site"))
    return build_project_site(project, corpus / "sources", search=False, site_url=SITE_URL)


def pages(site: Path) -> list[str]:
    """The address of every page of a built site, relative to its root ("" for the home page)."""
    return sorted(p.parent.relative_to(site).as_posix().removeprefix(".") + "/" if p.parent != site else ""
                  for p in site.rglob("index.html"))


def test_sitemap_lists_every_page(absolute_site):
    sitemap = (absolute_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = sorted(re.findall(r"<loc>(.*?)</loc>", sitemap))
    assert listed == sorted(SITE_URL + p for p in pages(absolute_site))
    assert len(listed) > 400  # documents, people, places ... not just the hand-written pages


def test_every_page_has_its_absolute_canonical_link(absolute_site):
    for page in pages(absolute_site):
        text = (absolute_site / page / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{SITE_URL}{page}">' in text, page


def test_feed_validates_with_absolute_links(absolute_site):
    import feedparser
    feed = feedparser.parse((absolute_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert {(link.rel, link.href) for link in feed.feed.links} == {("self", SITE_URL + "feed.xml"),
                                                                   ("alternate", SITE_URL)}
    exports = {json.loads(p.read_text(encoding="utf-8"))["id"]: json.loads(p.read_text(encoding="utf-8"))
               for p in (absolute_site / "data" / "documents").glob("*.json")}
    assert len(feed.entries) == 50
    for entry in feed.entries:
        page = entry.link.removeprefix(SITE_URL)
        assert entry.link.startswith(SITE_URL) and (absolute_site / page / "index.html").is_file(), entry.link
        export = exports[page.rstrip("/").rsplit("/", 1)[-1]]
        assert entry.author == export["publisher"]["name"]
        assert [link.href for link in entry.links if link.rel == "via"] == [export["original_url"]]
        assert entry.published.startswith(export["date"] + "T" + (export["time"] or "00:00") + ":00+0")  # Moscow, Baku
        assert not re.fullmatch(r"[A-Z][a-z]+ \d{1,2}, \d{4}( \d{1,2}:\d{2})?", entry.summary)  # never a dateline
        first = entry.summary.removesuffix(" …")  # the first sentence of the first paragraph of text
        assert first and any(p["text"].startswith(first) for p in export["paragraphs"][:3]), entry.summary
    seed = next(e for e in feed.entries if "ilham-aliyev-arrived" in e.link)
    assert seed.published == "2021-07-20T19:40:00+04:00"  # the text's clock time, in Baku
    assert seed.author == "Administration of the President of the Republic of Azerbaijan"
    assert seed.summary == ("President of the Republic of Azerbaijan Ilham Aliyev has arrived in Russia on a "
                            "working visit at the invitation of President of the Russian Federation Vladimir Putin.")


def test_tei_identifiers_are_absolute(absolute_site):
    from lxml import etree
    for path in (absolute_site / "data" / "tei").glob("*.xml"):
        uri = etree.parse(str(path)).getroot().findtext(f".//{T}publicationStmt/{T}idno[@type='URI']")
        assert uri.startswith(SITE_URL + "documents/") and (absolute_site / uri.removeprefix(SITE_URL)).is_dir()


def test_without_site_url_links_are_relative(corpus_site):
    assert "<url>" not in (corpus_site / "sitemap.xml").read_text(encoding="utf-8")
    feed = (corpus_site / "feed.xml").read_text(encoding="utf-8")
    assert '<link rel="self" type="application/atom+xml" href="feed.xml" />' in feed and "https://annals" not in feed
    home = (corpus_site / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in home


def test_summary_skips_datelines_and_repeated_titles():
    doc = Document(source="a.txt", title="Talks in Baku", date=datetime.date(2000, 1, 3), place="Baku",
                   paragraphs=(Paragraph(1, 3, "January 3, 2000 18:00"), Paragraph(2, 5, "Talks in Baku"),
                               Paragraph(3, 7, "Baku"), Paragraph(4, 9, "Mr. Aliyev met Mr Putin. They talked.")))
    assert summary(doc) == "Mr. Aliyev met Mr Putin."
    assert summary(Document(source="a.txt", title="t", date=datetime.date(2000, 1, 3))) == ""


def test_the_build_says_once_what_needs_the_address(tmp_path, monkeypatch, caplog):
    from annals.cli import main
    project = project_copy(tmp_path)
    (project / "sources" / "a.txt").write_text("Visit\n\n20 July 2021\n\nHello.\n", encoding="utf-8")
    monkeypatch.chdir(project)
    for name in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    with caplog.at_level(logging.WARNING):
        assert main(["build", "--sources", "sources"]) == 0
    assert [r.getMessage() for r in caplog.records if "site's address" in r.getMessage()] == [NO_SITE_URL]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        assert main(["build", "--sources", "sources", "--site-url", "https://x.example/a/"]) == 0
    assert not [r for r in caplog.records if "site's address" in r.getMessage()]
    assert "<loc>https://x.example/a/</loc>" in (project / "site" / "sitemap.xml").read_text(encoding="utf-8")


# The 404 page, in Chromium

class NotFoundHandler(QuietHandler):
    """A static host that answers a missing address under /site/ with the site's 404 page (as GitHub Pages does
    for a project site)."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "site" / "404.html"
        if code != 404 or not self.path.startswith("/site/"):
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.mark.parametrize("missing", ["nowhere", "documents/2099/no-such-document/", "people/a/b/c/d/"])
def test_the_404_page_works_under_a_sub_path(chromium, corpus_site, missing):
    with served(corpus_site.parent, handler=NotFoundHandler) as base:
        page = chromium.new_page(viewport={"width": 1280, "height": 800})
        response = page.goto(base + "site/" + missing)
        assert response.status == 404
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.baseURI") == base + "site/"
        # Material's style and our own are loaded from the site's root, not from the missing address.
        sheets = page.evaluate("[...document.styleSheets].map(s => s.href).filter(Boolean)")
        assert any(urlsplit(s).path.startswith("/site/assets/stylesheets/main.") for s in sheets), sheets
        assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"
        tabs = page.evaluate("[...document.querySelectorAll('.md-tabs__link')].map(a => a.href)")
        assert base + "site/documents/" in tabs and base + "site/people/" in tabs, tabs
        assert page.evaluate("document.querySelector('.md-header__button.md-logo').href") == base + "site/"
        # Every style sheet and script of the page is the site's, and loaded. (Chromium's preload scanner may
        # also ask for them at the missing address before the <base> is set: wasted requests, no effect.)
        used = page.evaluate("""[...document.querySelectorAll('link[rel=stylesheet], script[src]')]
                                .map(e => e.href || e.src)""")
        assert used and all(u.startswith(base + "site/") and "/site/" + missing not in u for u in used), used
        assert page.evaluate("[...document.styleSheets].every(s => s.cssRules.length > 0)")
        assert page.evaluate("typeof document$") == "object"  # Material's bundle ran
        page.close()


def test_citations_give_the_absolute_permalink(chromium, absolute_site):
    with served(absolute_site.parent) as base:
        context = chromium.new_context()
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
        page = context.new_page()
        path = next(p for p in pages(absolute_site) if re.fullmatch(r"documents/\d{4}/[^/]+/", p))
        page.goto(base + "site/" + path)  # served here, published there: the citation names where it is published
        page.hover("#p1")
        page.click("#p1 > button.annals-cite-button")
        page.wait_for_function("document.querySelector('.annals-cite-status').textContent !== ''")
        assert page.evaluate("navigator.clipboard.readText()").endswith(f" Annals: {SITE_URL}{path}#p1")
        context.close()
