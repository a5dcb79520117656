"""Citing (docs/javascripts/cite.js), in Chromium: search a phrase and land on its paragraph; the "Cite" button
of a paragraph copies a plain-text citation; "Cite this document" copies BibTeX and CSL JSON; page text is never
read as HTML."""
from __future__ import annotations

import collections
import html
import json
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from annals.bench.search import served
from conftest import build_project_site, project_copy

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = re.compile(r'<p class="(annals-(?:turn|narration)[^"]*)"[^>]*? id="p(\d+)"[^>]*>(.*?)</p>', re.S)
HOSTILE_TITLE = 'Talks <img src=x onerror=alert(1)> & {braces} "quoted"'
HOSTILE_SOURCE = f"""---
title: '{HOSTILE_TITLE}'
date: 2021-07-21
source_url: "https://example.org/record?id=7&lang=en"
retrieved: 2024-03-05
---
Narration before the talks <b>not bold</b>.

President Ilham Aliyev: Thank you, <img src=x onerror=alert(2)> colleagues.
"""


@pytest.fixture(scope="module")
def site(corpus_site) -> Path:
    """The corpus site, built by annals build."""
    return corpus_site


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """A site of one document whose title and text look like HTML, with a source address."""
    project = project_copy(tmp_path_factory.mktemp("cite-hostile"))
    (project / "sources" / "hostile.txt").write_text(HOSTILE_SOURCE, encoding="utf-8")
    return build_project_site(project, project / "sources", search=False)


def serve(chromium, site: Path):
    with served(site.parent) as base:
        context = chromium.new_context(viewport={"width": 1280, "height": 800})
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(base))
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
        yield context, base + "site/"  # served from a subfolder, as on a host that puts the site in one
        context.close()


@pytest.fixture(scope="module")
def browser(chromium, site):
    yield from serve(chromium, site)


@pytest.fixture(scope="module")
def hostile_browser(chromium, hostile_site):
    yield from serve(chromium, hostile_site)


# What the built pages say

def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def page_facts(index: Path) -> dict:
    """Title, date, turns, source file and paragraphs (n: (classes, text)) of a built document page."""
    text = index.read_text(encoding="utf-8")

    def meta(name):
        return html.unescape(re.search(rf'<span data-pagefind-meta="{name}">(.*?)</span>', text).group(1))

    url = re.search(r'class="annals-meta annals-provenance">Original: <a class="annals-original" href="([^"]*)"', text)
    return {"title": meta("title"), "date": meta("date"), "iso": meta("iso"), "turns": json.loads(meta("turns")),
            "url": html.unescape(url.group(1)) if url else None, "export": export_of(index),
            "paragraphs": {int(n): (classes.split(), plain(body.replace("¶</a>", "</a>")))
                           for classes, n, body in PARAGRAPH.findall(text)}}


def export_of(index: Path) -> dict | None:
    """The JSON export of a built document page (data/documents/<id>.json), where the site has one."""
    site = index.parent.parent.parent.parent
    path = site / "data" / "documents" / f"{index.parent.name}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def speaker_of(facts: dict, n: int) -> str | None:
    if "annals-narration" in facts["paragraphs"][n][0]:
        return None
    return [name for first, name in facts["turns"] if first <= n][-1]


def documents(site: Path) -> list[Path]:
    return sorted(site.glob("documents/*/*/index.html"))


def address(site: Path, index: Path) -> str:
    return index.parent.relative_to(site).as_posix() + "/"


def unique_phrase(site: Path) -> tuple[str, str, int]:
    """A two-word phrase whose first word (and its stem) occurs in one paragraph of the corpus only: its
    phrase, page address and paragraph."""
    where, counts = {}, collections.Counter()
    for index in documents(site):
        for n, (_, text) in page_facts(index)["paragraphs"].items():
            words = re.findall(r"[a-z]+", text.lower())
            for w in {w[:6] for w in words}:
                counts[w] += 1
            for a, b in zip(words, words[1:]):
                if len(a) >= 9 and len(b) >= 4:
                    where.setdefault(a[:6], (f"{a} {b}", address(site, index), n))
    phrase, path, n = min(v for k, v in where.items() if counts[k] == 1)
    return phrase, path, n


def shown(page, n: int) -> None:
    """Wait until paragraph n's Cite button has faded in (it is hidden until hover or focus)."""
    page.wait_for_function(f"getComputedStyle(document.querySelector('#p{n} > .annals-cite-button')).opacity"
                           " === '1'", timeout=5_000)


def words(text: str) -> str:
    return " ".join(re.findall(r"[a-z]+", text.lower()))


def read_clipboard(page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


def clear_clipboard(page) -> None:
    page.evaluate("navigator.clipboard.writeText('')")


def expected_citation(facts: dict, base_url: str, n: int) -> str:
    """The plain citation, from the JSON export (not from the page cite.js reads): speaker, title, the publisher's
    site, date, paragraph, the publisher's credit and the original's address, and the paragraph's permalink."""
    speaker, export = speaker_of(facts, n), facts["export"]
    publisher = export["publisher"] or {}
    site = f", {publisher['site']}" if publisher.get("site") else ""
    who = publisher.get("credit") or publisher.get("name")
    original = export["original_url"]
    source = f"{who}: {original}. " if who and original else f"{who or original}. " if who or original else ""
    return (f"{speaker + ', in ' if speaker else ''}\"{facts['title']}\"{site}, {facts['date']}, ¶{n}. "
            f"{source}Annals: {base_url}#p{n}")


def bib_escape(text: str) -> str:
    return re.sub(r"[\\{}&%$#_]", lambda m: "\\textbackslash{}" if m.group() == "\\" else "\\" + m.group(), text)


# In Chromium

def test_search_a_phrase_and_land_on_its_paragraph(browser, site):
    context, base = browser
    phrase, path, n = unique_phrase(site)
    page = context.new_page()
    page.goto(base + "search/?q=" + quote(phrase))
    page.wait_for_selector(".annals-search-status[data-query]", timeout=30_000)
    first = page.locator(".annals-result-paragraph").first
    assert phrase in words(first.text_content())
    first.click()
    page.wait_for_url(re.compile(r"#p\d+$"))
    assert page.url == f"{base}{path}#p{n}", (phrase, page.url)
    page.wait_for_function(f"document.querySelector(':target') && document.querySelector(':target').id === 'p{n}'")
    target = page.evaluate("""() => {
        const p = document.querySelector(':target'), r = p.getBoundingClientRect();
        return {id: p.id, text: p.textContent, top: r.top, bottom: r.bottom, height: innerHeight};
    }""")
    assert target["id"] == f"p{n}"
    assert phrase in words(target["text"])
    assert 0 <= target["top"] < target["height"] and target["bottom"] > 0, target
    page.close()


def longest(site: Path) -> Path:
    return max(documents(site), key=lambda p: (len(page_facts(p)["paragraphs"]), str(p)))


def test_cite_copies_a_paragraph_citation_with_its_speaker(browser, site):
    context, base = browser
    index = longest(site)
    facts, url = page_facts(index), base + address(site, index)
    turns = [n for n in sorted(facts["paragraphs"]) if speaker_of(facts, n)]
    turn = ([n for n in turns if "annals-cont" in facts["paragraphs"][n][0]] or turns)[0]  # later in a turn
    page = context.new_page()
    page.goto(url)
    clear_clipboard(page)
    button = page.locator(f"#p{turn} > button.annals-cite-button")
    assert button.get_attribute("type") == "button"
    assert button.get_attribute("aria-label") == f"Cite paragraph {turn}"
    assert page.locator("p > button.annals-cite-button").count() == len(facts["paragraphs"])
    assert page.locator("a.annals-pilcrow").count() == len(facts["paragraphs"])
    page.hover(f"#p{turn}")
    shown(page, turn)
    button.click()
    page.wait_for_function("document.querySelector('.annals-cite-status').textContent !== ''")
    copied = read_clipboard(page)
    speaker = speaker_of(facts, turn)
    assert speaker and copied.startswith(speaker + ", in ")
    publisher = facts["export"]["publisher"]
    for part in (facts["title"], facts["date"], f"¶{turn}", facts["url"], publisher["name"], publisher["site"]):
        assert part and part in copied, (part, copied)
    assert facts["export"]["source"] not in copied and ".txt" not in copied  # no file names
    assert copied.endswith(f" {url}#p{turn}")
    assert copied == expected_citation(facts, url, turn)
    assert button.text_content() == "Copied"
    assert page.text_content(".annals-cite-status") == f"Citation of paragraph {turn} copied"
    assert page.get_attribute(".annals-cite-status", "aria-live") == "polite"
    page.wait_for_function(f"document.querySelector('#p{turn} > .annals-cite-button').textContent === 'Cite'",
                           timeout=5_000)
    page.close()


def test_cite_of_a_narration_paragraph_by_keyboard_names_no_speaker(browser, site):
    context, base = browser
    index = next(p for p in documents(site)
                 if any("annals-narration" in c for c, _ in page_facts(p)["paragraphs"].values()))
    facts, url = page_facts(index), base + address(site, index)
    n = next(n for n in sorted(facts["paragraphs"]) if "annals-narration" in facts["paragraphs"][n][0])
    page = context.new_page()
    page.goto(url)
    clear_clipboard(page)
    page.focus(f"#p{n} > button.annals-cite-button")
    shown(page, n)
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.annals-cite-status').textContent !== ''")
    copied = read_clipboard(page)
    assert copied.startswith(f"\"{facts['title']}\", President of Russia, {facts['date']}, ¶{n}. ")
    assert copied == expected_citation(facts, url, n)
    page.close()


def copy_format(page, name: str) -> str:
    clear_clipboard(page)
    page.click(f'details.annals-cite-document button[data-format="{name}"]')
    page.wait_for_function(f"""document.querySelector('details.annals-cite-document button[data-format="{name}"]')
                               .textContent === 'Copied'""")
    return read_clipboard(page)


def parse_bibtex(text: str) -> dict[str, str]:
    """The one entry of a BibTeX text, read by bibtexparser (which must find nothing it cannot read)."""
    import bibtexparser
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and len(library.entries) == 1, text
    entry = library.entries[0]
    return {"ENTRYTYPE": entry.entry_type, "ID": entry.key, **{f.key: f.value for f in entry.fields}}


def csl_bibliography(items: list[dict]) -> str:
    """The items read by citeproc-py (a CSL processor) and formatted in its bundled Harvard style, as text."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(CitationStylesStyle("harvard-cite-them-right", validate=False), source, formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    return " ".join(str(entry) for entry in bibliography.bibliography())


def test_cite_this_document_copies_bibtex_and_csl_json(browser, site):
    context, base = browser
    index = longest(site)
    facts, url = page_facts(index), base + address(site, index)
    publisher = facts["export"]["publisher"]
    page = context.new_page()
    page.goto(url)
    details = page.locator("article details.annals-cite-document")
    assert details.count() == 1 and not details.evaluate("d => d.open")
    page.click("details.annals-cite-document > summary")
    assert details.evaluate("d => d.open")
    bib = copy_format(page, "bibtex")
    assert page.text_content("details.annals-cite-document pre code") == bib
    entry = parse_bibtex(bib)
    assert (entry["ENTRYTYPE"], entry["ID"]) == ("misc", index.parent.name)
    assert entry["title"] == bib_escape(facts["title"]) and entry["url"] == facts["url"] == facts["export"]["original_url"]
    assert (entry["publisher"], entry["howpublished"]) == (publisher["name"], publisher["site"])
    assert (entry["date"], entry["year"]) == (facts["iso"], facts["iso"][:4])
    assert entry["note"] == f"Annals: \\url{{{url}}}"  # the permalink
    assert "kremlin-" not in bib and ".txt" not in bib
    csl = json.loads(copy_format(page, "csl-json"))
    assert isinstance(csl, list) and len(csl) == 1
    item = csl[0]
    year, month, day = (int(x) for x in facts["iso"].split("-"))
    assert (item["title"], item["URL"], item["type"]) == (facts["title"], facts["url"], "webpage")
    assert (item["publisher"], item["container-title"]) == (publisher["name"], publisher["site"])
    assert (item["archive"], item["archive_location"]) == ("Annals", url)
    assert item["issued"] == {"date-parts": [[year, month, day]]}
    assert item["id"] == index.parent.name
    formatted = csl_bibliography(csl)
    for part in (publisher["name"], facts["url"], str(year)):
        assert part in formatted, (part, formatted)
    page.close()


def test_a_title_that_looks_like_html_is_copied_as_text(hostile_browser, hostile_site):
    context, base = hostile_browser
    [index] = documents(hostile_site)
    facts, url = page_facts(index), base + address(hostile_site, index)
    assert facts["title"] == HOSTILE_TITLE and facts["url"] == "https://example.org/record?id=7&lang=en"
    assert facts["export"]["publisher"] is None  # no publisher of the registry covers example.org
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    clear_clipboard(page)
    turn = next(n for n in sorted(facts["paragraphs"]) if speaker_of(facts, n))
    page.click(f"#p{turn} > button.annals-cite-button")
    page.wait_for_function("document.querySelector('.annals-cite-status').textContent !== ''")
    copied = read_clipboard(page)
    assert copied == (f"{speaker_of(facts, turn)}, in \"{HOSTILE_TITLE}\", 21 July 2021, ¶{turn}. "
                      f"https://example.org/record?id=7&lang=en. Annals: {url}#p{turn}")
    assert copied == expected_citation(facts, url, turn)
    page.click("details.annals-cite-document > summary")
    bib = copy_format(page, "bibtex")
    entry = parse_bibtex(bib)
    assert entry["title"] == "Talks <img src=x onerror=alert(1)> \\& \\{braces\\} \"quoted\""
    assert (entry["url"], entry["urldate"]) == ("https://example.org/record?id=7&lang=en", "2024-03-05")
    assert "publisher" not in entry and "howpublished" not in entry
    item = json.loads(copy_format(page, "csl-json"))[0]
    assert item["title"] == HOSTILE_TITLE and item["URL"] == "https://example.org/record?id=7&lang=en"
    assert item["accessed"] == {"date-parts": [[2024, 3, 5]]}
    assert HOSTILE_TITLE in csl_bibliography([item])
    assert page.text_content("details.annals-cite-document pre code").count("<img src=x") == 1
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    assert dialogs == []
    page.close()
