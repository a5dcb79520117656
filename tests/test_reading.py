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
from annals.model import Document, Paragraph, Publisher, Speaker

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

ROOT = Path(__file__).resolve().parent.parent
A = "{http://www.w3.org/2005/Atom}"
PHONE = 375


OFFICE = Publisher("office", "The <i>Office</i> & co", timezone="Asia/Baku")


def feed_of(*docs: Document) -> ET.Element:
    from annals.index import Archive
    return ET.fromstring(render_feed(Archive(docs, {}, (), publishers={"office": OFFICE})).encode("utf-8"))


def doc(day: int, title: str = "A visit", text: str = "Hello.", speaker: str | None = None, **more) -> Document:
    p = Paragraph(1, 3, text, speaker=speaker)
    speakers = (Speaker(speaker, "Ann <i>Lee</i>", "person"),) if speaker else ()
    return Document(source=f"{day}.txt", title=title, date=datetime.date(2021, 7, day), id=f"2021-07-{day:02}-x",
                    paragraphs=(p,), speakers=speakers, **more)


def test_feed_escapes_source_text_and_is_dated_by_the_newest_document():
    feed = feed_of(doc(20, '<script>"x"</script> & co', 'Hello <b>&\x01 "world"', "ann", time="19:40",
                       publisher="office", original_url="https://office.example/1?a=1&b=2"), doc(3))
    assert feed.tag == A + "feed"
    assert feed.findtext(A + "updated") == "2021-07-20T15:40:00Z"  # 19:40 in Baku
    first, second = feed.findall(A + "entry")
    assert first.findtext(A + "title") == '<script>"x"</script> & co'
    assert first.findtext(A + "summary") == 'Hello <b>& "world"'
    assert first.findtext(A + "author/" + A + "name") == "The <i>Office</i> & co"  # the publisher, not a speaker
    assert first.find(A + "link").get("href") == "documents/2021/2021-07-20-x/"
    assert first.find(A + "link[@rel='via']").get("href") == "https://office.example/1?a=1&b=2"
    assert first.findtext(A + "published") == first.findtext(A + "updated") == "2021-07-20T19:40:00+04:00"
    assert second.findtext(A + "published") == "2021-07-03T00:00:00Z"  # no clock time, no publisher's zone
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
    assert page.is_visible("#p1 > a.annals-pilcrow")  # a printed citation needs the paragraph numbers
    assert page.evaluate("getComputedStyle(document.querySelector('#p1 > a.annals-pilcrow'), '::after').content") \
        == '"\u00a01"'
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
    dates = [datetime.datetime.fromisoformat(e.findtext(A + "updated")) for e in entries]  # in their own zones
    assert [d.date() for d in dates] == sorted((d.date() for d in dates), reverse=True)
    assert datetime.datetime.fromisoformat(feed.findtext(A + "updated")) == max(dates)
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


# One visible numbering: the paragraphs' (issue 13)

# The contrast of an element's text (or its pseudo-element's) with what lies behind it, the backgrounds of the
# element and its ancestors laid over each other, as WCAG computes it.
CONTRAST = """([selector, pseudo]) => {
    const rgba = c => { const v = c.match(/rgba?\\(([^)]+)\\)/)[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
                        return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
    const over = (top, below) => [0, 1, 2].map(i => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
    const lum = c => c.slice(0, 3).map(x => (x /= 255) <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4)
                      .reduce((sum, x, i) => sum + x * [0.2126, 0.7152, 0.0722][i], 0);
    const el = document.querySelector(selector), chain = [];
    for (let e = el; e; e = e.parentElement) chain.unshift(e);
    const back = chain.reduce((below, e) => over(rgba(getComputedStyle(e).backgroundColor), below), [255, 255, 255, 1]);
    const [a, b] = [lum(over(rgba(getComputedStyle(el, pseudo).color), back)), lum(back)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
}"""


def page_facts(page) -> dict:
    """Each paragraph's id, classes and permalink box, the box of its first line of text, and the page's turns."""
    return page.evaluate("""() => ({
        turns: JSON.parse(document.querySelector('[data-pagefind-meta="turns"]').textContent),
        paragraphs: [...document.querySelectorAll('article p[id]')].filter(p => p.querySelector(':scope > a.annals-pilcrow'))
            .map(p => { const a = p.querySelector(':scope > a.annals-pilcrow'), r = a.getBoundingClientRect(),
                              box = p.getBoundingClientRect(), range = document.createRange();
                        range.selectNodeContents(p);
                        return {id: p.id, cls: p.className, number: getComputedStyle(a, '::after').content,
                                text: p.textContent, opacity: getComputedStyle(a).opacity,
                                a: [r.left, r.top, r.right, r.bottom], p: [box.left, box.top, box.right, box.bottom],
                                first: range.getClientRects()[0].top}; })})""")


@pytest.mark.parametrize("width", [1280, PHONE])
def test_every_paragraph_shows_its_number_as_permalinks_and_citations_use_it(browser, site, width):
    page = open_page(browser, longest_document(site), width)
    facts = page_facts(page)
    assert len(facts["paragraphs"]) > 100
    for p in facts["paragraphs"]:
        n = p["id"][1:]
        assert p["number"] == f'"\u00a0{n}"', p  # shown as "¶ 12" by the stylesheet, from data-n
        assert p["opacity"] == "1" and p["a"][2] - p["a"][0] > 10, p
        assert p["p"][0] <= p["a"][0] and p["a"][2] <= min(p["p"][2], width) + 0.5, p  # inside the paragraph
        assert not re.search(rf"\b{n}\s*$", p["text"]), p  # written by the stylesheet: not in the text indexed
        if width > PHONE:  # in the right margin, level with the first line (after the continuing speaker's name)
            assert abs(p["a"][2] - p["p"][2]) < 1 and abs(p["a"][1] - p["first"]) < 6, p
        else:  # after the text
            assert p["p"][3] - p["a"][3] < 40, p
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_paragraph_and_turn_numbers_keep_contrast_also_on_the_paragraph_a_link_points_to(browser, site, scheme):
    page = open_page(browser, longest_document(site) + "#p5", scheme=scheme)
    page.wait_for_function("document.querySelector('#p5').matches(':target')")
    ratios = {what: page.evaluate(CONTRAST, [selector, pseudo]) for what, selector, pseudo in (
        ("target", "#p5 > a.annals-pilcrow", "::after"), ("paragraph", "#p6 > a.annals-pilcrow", "::after"),
        ("turn", "p.annals-turn:not(.annals-cont) > .annals-speaker", "::before"))}
    assert min(ratios.values()) >= 4.5, ratios
    page.close()


def test_landing_on_a_paragraph_that_continues_a_turn_shows_who_speaks(browser, site):
    path = longest_document(site)
    facts = page_facts(open_page(browser, path))
    conts = [int(p["id"][1:]) for p in facts["paragraphs"] if "annals-cont" in p["cls"].split()]
    n = conts[len(conts) // 2]
    speaker = [name for first, name in facts["turns"] if first <= n][-1]
    assert speaker, n
    page = open_page(browser, f"{path}#p{n}", PHONE)
    page.wait_for_function(f"document.querySelector('#p{n}').matches(':target')")
    label = "([id, pseudo]) => getComputedStyle(document.getElementById(id), pseudo).content"
    assert page.evaluate(label, [f"p{n}", "::before"]) == f'"{speaker} (continuing)"'
    assert page.evaluate(label, [f"p{conts[0]}", "::before"]) in ("none", "normal")  # only where a link lands
    box = page.evaluate(f"document.getElementById('p{n}').getBoundingClientRect().toJSON()")
    assert 0 <= box["top"] < 800, box  # scrolled to, below the header
    page.close()


def test_a_person_pages_tables_fit_a_phone(browser, site):
    with_tables = [p for p in site.glob("people/*/index.html") if "<table" in p.read_text(encoding="utf-8")]
    people = sorted(with_tables, key=lambda p: (-p.stat().st_size, str(p)))[:4]  # those named only have none
    paths = {"people/vladimir-putin/"} | {p.parent.relative_to(site).as_posix() + "/" for p in people}
    for path in sorted(paths):
        page = open_page(browser, path, PHONE)
        tables = page.evaluate("""() => [...document.querySelectorAll('article table')].map(t => {
            const wrap = t.closest('.md-typeset__scrollwrap');
            return [t.scrollWidth, wrap.clientWidth, wrap.scrollWidth, t.getBoundingClientRect().right]; })""")
        assert tables, path
        for table, shown, scrolled, right in tables:
            assert table <= shown and scrolled <= shown and right <= PHONE, (path, table, shown, scrolled, right)
        page.close()


def test_the_editors_guide_numbers_its_three_steps_in_one_list(browser, site):
    page = open_page(browser, "editors/")
    lists = page.evaluate("""() => [...document.querySelectorAll('article ol')].map(ol =>
        [...ol.children].map(li => li.textContent.trim().split(/\\s+/).slice(0, 3).join(' ')))""")
    assert lists == [["Copy the text", "Run annals new", "Run annals build"]], lists
    page.close()


def test_editors_pages_are_reached_from_about_not_from_the_tabs(browser, site):
    chromium, base = browser
    for path in ("", "documents/", longest_document(site), "editors/"):
        page = open_page(browser, path)
        tabs = page.eval_on_selector_all(".md-tabs__link", "els => els.map(e => e.textContent.trim())")
        assert "About" in tabs and "Editors" not in tabs, (path, tabs)
        page.close()
    page = open_page(browser, "about/")
    for name, target in (("editors' guide", "editors/"), ("editors' report", "editors/report/")):
        link = page.get_by_role("link", name=name, exact=True)
        assert urljoin(page.url, link.get_attribute("href")) == base + target
    page.get_by_role("link", name="editors' report", exact=True).click()
    page.wait_for_url(base + "editors/report/")
    assert page.locator("h1").inner_text().startswith("Editors' report")
    page.close()
