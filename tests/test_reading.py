"""Reading the site: the Atom feed, and document, person and timeline pages in Chromium (permalinks, phones,
dark palette, print). Screenshots go to $ANNALS_SCREENSHOTS when set, for a person to look at."""
from __future__ import annotations

import datetime
import os
import re
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest

from annals.feed import NEWEST, render_feed
from annals.model import Document, Paragraph, Speaker

ROOT = Path(__file__).resolve().parent.parent
A = "{http://www.w3.org/2005/Atom}"
PHONE = 375


def feed_of(*docs: Document) -> ET.Element:
    from annals.index import Archive
    return ET.fromstring(render_feed(Archive(docs, {}, ())).encode("utf-8"))


def doc(day: int, title: str = "A visit", text: str = "Hello.", speaker: str | None = None) -> Document:
    p = Paragraph(1, 3, text, speaker=speaker)
    speakers = (Speaker(speaker, "Ann <i>Lee</i>", "person"),) if speaker else ()
    return Document(source=f"{day}.txt", title=title, date=datetime.date(2021, 7, day), id=f"2021-07-{day:02}-x",
                    paragraphs=(p,), speakers=speakers)


def test_feed_escapes_source_text_and_is_dated_by_the_newest_document():
    feed = feed_of(doc(20, '<script>"x"</script> & co', 'Hello <b>&\x01 "world"', "ann"), doc(3))
    assert feed.tag == A + "feed"
    assert feed.findtext(A + "updated") == "2021-07-20T00:00:00Z"
    first, second = feed.findall(A + "entry")
    assert first.findtext(A + "title") == '<script>"x"</script> & co'
    assert first.findtext(A + "summary") == 'Hello <b>& "world"'
    assert first.findtext(A + "author/" + A + "name") == "Ann <i>Lee</i>"
    assert first.find(A + "link").get("href") == "documents/2021/2021-07-20-x/"
    assert first.findtext(A + "published") == first.findtext(A + "updated") == "2021-07-20T00:00:00Z"
    assert second.find(A + "author") is None and feed.find(A + "author") is not None  # Atom: the feed's author
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", first.findtext(A + "id"))
    assert feed_of(doc(20), doc(3)).findtext(A + "id") == feed.findtext(A + "id")


def test_feed_holds_the_newest_documents_only():
    docs = tuple(doc(day) for day in range(31, 0, -1)) * 2
    assert len(feed_of(*docs).findall(A + "entry")) == NEWEST < len(docs)


# The corpus site, in Chromium

@pytest.fixture(scope="module")
def site(corpus_site) -> Path:
    """The corpus site, built by annals build."""
    return corpus_site


@pytest.fixture(scope="module")
def browser(corpus_browser):
    return corpus_browser


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("ANNALS_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def longest_document(site: Path) -> str:
    """The address (relative to the site) of the document page with the most paragraphs."""
    pages = site.glob("documents/*/*/index.html")
    best = max(pages, key=lambda p: (p.read_text(encoding="utf-8").count('class="annals-pilcrow"'), str(p)))
    return best.parent.relative_to(site).as_posix() + "/"


def open_page(browser, path: str, width: int = 1280, scheme: str = "light"):
    chromium, base = browser
    page = chromium.new_page(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page.goto(base + path)
    return page


def test_a_paragraph_permalink_scrolls_to_a_highlighted_paragraph(browser, site):
    page = open_page(browser, longest_document(site) + "#p5")
    page.wait_for_function("document.querySelector('#p5').matches(':target')")
    box = page.evaluate("""() => {
        const r = document.querySelector('#p5').getBoundingClientRect();
        const header = document.querySelector('.md-header').getBoundingClientRect();
        return {top: r.top, bottom: r.bottom, header: header.bottom, height: innerHeight, scrolled: scrollY};
    }""")
    assert box["scrolled"] > 0 and box["header"] <= box["top"] < box["height"], box
    style = "id => { const s = getComputedStyle(document.getElementById(id)); " \
            "return [s.backgroundColor, s.outlineStyle, s.boxShadow]; }"
    assert page.evaluate(style, "p5") != page.evaluate(style, "p6")
    page.close()


@pytest.mark.parametrize("path", ["", "document", "people/vladimir-putin/", "timeline/", "timeline/year", "data/"])
def test_a_phone_scrolls_no_page_sideways(browser, site, path):
    if path == "document":
        path = longest_document(site)
    elif path == "timeline/year":
        path = sorted(p.parent.relative_to(site).as_posix() for p in site.glob("timeline/*/index.html"))[-1] + "/"
    assert (site / path / "index.html").is_file(), path
    page = open_page(browser, path, PHONE)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= PHONE, (path, widths)
    page.close()


def palette_toggle(page) -> None:
    page.click('[data-md-component="palette"] label:not([hidden])')


def test_the_palette_toggle_switches_to_dark_and_back(browser, site):
    page = open_page(browser, longest_document(site))
    scheme = 'document.body.getAttribute("data-md-color-scheme")'
    assert page.evaluate(scheme) == "default"
    palette_toggle(page)
    page.wait_for_function(f'{scheme} === "slate"')
    palette_toggle(page)
    page.wait_for_function(f'{scheme} === "default"')
    page.close()


def test_print_shows_the_text_without_navigation(browser, site):
    page = open_page(browser, longest_document(site))
    assert page.is_visible(".md-header")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"):
        assert not page.is_visible(selector), selector
    assert page.is_visible("#p1")
    assert page.evaluate("getComputedStyle(document.querySelector('#p1')).breakInside") == "avoid"
    page.close()


def test_the_feed_links_to_document_pages(browser, site):
    chromium, base = browser
    page = open_page(browser, "")
    href = page.get_attribute('head link[rel="alternate"][type="application/atom+xml"]', "href")
    feed_url = urljoin(page.url, href)
    assert feed_url == base + "feed.xml"
    assert page.is_visible('article a[href="feed.xml"]')
    page.close()
    with urllib.request.urlopen(feed_url) as response:
        feed = ET.fromstring(response.read())
    entries = feed.findall(A + "entry")
    assert len(entries) == min(NEWEST, len(list(site.glob("documents/*/*/index.html"))))
    dates = [e.findtext(A + "updated") for e in entries]
    assert dates == sorted(dates, reverse=True) and feed.findtext(A + "updated") == dates[0]
    for e in entries:
        link = urljoin(feed_url, e.find(A + "link").get("href"))
        assert re.fullmatch(re.escape(base) + r"documents/\d{4}/[^/]+/", link), link
        assert (site / link[len(base):] / "index.html").is_file(), link
        assert e.findtext(A + "title") and e.findtext(A + "id")
    with urllib.request.urlopen(urljoin(feed_url, entries[0].find(A + "link").get("href"))) as response:
        assert response.status == 200
    inner = site / longest_document(site) / "index.html"
    assert re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]* href="../../../feed.xml"',
                     inner.read_text(encoding="utf-8"))


def test_screenshots_of_a_document_page(browser, site, shots):
    path = longest_document(site)
    for name, width, scheme in (("document-desktop", 1280, "light"), ("document-phone", PHONE, "light"),
                                ("document-dark", 1280, "dark")):
        page = open_page(browser, path + "#p5", width, scheme)
        if scheme == "dark":
            assert page.evaluate('document.body.getAttribute("data-md-color-scheme")') == "slate"
        page.wait_for_timeout(500)  # the header's title has finished moving
        page.screenshot(path=str(shots / f"{name}.png"))
        assert (shots / f"{name}.png").stat().st_size > 10_000
        page.close()
