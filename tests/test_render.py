"""Tests of render.py and markup.py: exact pages, and source text that can never become markup."""
from __future__ import annotations

import datetime
import html
import html.parser
import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import markdown
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mkdocs.utils import meta as mkdocs_meta
from mkdocs.utils import yaml_load

from annals.errors import AnnalsError
from annals.feed import xml_text
from annals.index import Archive
from annals.markup import (badge, clean_text, colour_class, front_matter, initials, md_text, rich_text, time_tag,
                           url_attr)
from annals.model import Document, Paragraph, Person, Speaker
from annals.render.pages import render_document, render_person, render_site, split_turns

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    '{: onclick="alert(1)" }',
    '--8<-- "mkdocs.yml"',
    "</title><script>alert(1)</script>",
    "{{ config }}",
    "**bold**",
    "# heading",
    "1. item",
    "| a | b |",
    "<a href='javascript:alert(1)'>x</a>",
    "`code` ```fence",
    "!!! note \"x\"",
    "![i](x.png) <https://evil.example> <x@evil.example>",
    "[^1] *[HTML]: Hyper &amp; &#60;script&#62; &lt;b&gt;",
    "\\*not em\\* __u__ ~~s~~ ==m== ^^i^^ ++k++",
    "- item\n---\n===",
]


def make_markdown() -> markdown.Markdown:
    """A Python-Markdown with the extensions MkDocs uses for this site (its defaults and mkdocs.yml's)."""
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names, configs = ["toc", "tables", "fenced_code"], {}
    for item in config["markdown_extensions"]:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, {})
        names.append(name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


MD = make_markdown()


def to_html(page: str) -> str:
    """Render a generated page (front matter and all) as MkDocs would."""
    body, _ = mkdocs_meta.get_data(page)
    MD.reset()
    return MD.convert(body)


class Visible(html.parser.HTMLParser):
    """Collect the text a reader sees, and every tag with its attributes (entities decoded)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if self.skip or "headerlink" in (dict(attrs).get("class") or ""):
            self.skip += 1

    def handle_endtag(self, tag):
        if self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.text.append(data)


def visible(html_text: str) -> Visible:
    """Parse HTML into its visible text and tags."""
    v = Visible()
    v.feed(html_text)
    v.close()
    return v


# A generated page links in two ways. A Markdown link [text](path.md) is a path relative to the page's file, which
# MkDocs rewrites to the built page's URL. A link written as HTML (<a href="...">, in the lists and the paragraphs)
# is left alone by MkDocs: it must already be a URL of the built site, relative to the page's URL (directory URLs).
HTML_LINK = re.compile(r'<a href="([^"]*)"')


def html_hrefs(page: str) -> set[str]:
    """The hrefs (entities decoded) of the links a generated page writes as HTML rather than as Markdown."""
    return {html.unescape(href) for href in HTML_LINK.findall(page)}


def site_url(path: str) -> str:
    """The URL of a generated page relative to the site ("places/baku.md" -> "places/baku/", "people/index.md" -> "people/")."""
    if path == "index.md" or path.endswith("/index.md"):
        return path[:-len("index.md")]
    assert path.endswith(".md"), path
    return path[:-len(".md")] + "/"


def link_target(path: str, href: str, as_url: bool, pages: dict[str, str]) -> str:
    """The file (relative to docs/) that a link on the generated page `path` leads to; `as_url` for an HTML link."""
    target = href.partition("#")[0]
    if not target:
        return path
    if not as_url:
        return posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    url = posixpath.normpath(posixpath.join(site_url(path) or ".", target))
    url = "" if url == "." else url
    if not target.endswith("/"):  # a file of the built site (the data), not a page's folder; it has no .md files
        return url if not url.endswith(".md") else f"{url} (a Markdown file: not in the built site)"
    found = [p for p in (f"{url}/index.md" if url else "index.md", f"{url}.md") if p in pages]
    return found[0] if len(found) == 1 else f"{url}/"  # no page (or two) at that URL: not in pages


def archive_of(*documents: Document, people: dict[str, Person] | None = None) -> Archive:
    """An Archive built by hand: documents newest first, people by id."""
    return Archive(tuple(documents), people or {}, ())


def tiny() -> tuple[Document, Archive]:
    """One short document: narration, a turn of two paragraphs, a new section, another turn."""
    doc = Document(
        source="2021/visit.txt", title="A visit", date=datetime.date(2021, 7, 20), time="19:40", place="Moscow",
        source_url="https://example.org/a?b=1&c=2", original_url="https://example.org/a?b=1&c=2",
        id="2021-07-20-a-visit",
        speakers=(Speaker("ann-lee", "Ann Lee", "person", ("President Ann Lee",), ("President",)),
                  Speaker("bo-ek", "Bo Ek", "person", ("Bo",))),
        paragraphs=(
            Paragraph(1, 5, "The talks began [in Russian]."),
            Paragraph(2, 7, "Welcome!", label="President Ann Lee", turn="President Ann Lee", speaker="ann-lee"),
            Paragraph(3, 9, "2. We agree <...>", turn="President Ann Lee", speaker="ann-lee"),
            Paragraph(4, 12, "Thanks.", label="Bo", turn="Bo", speaker="bo-ek", section=1),
        ))
    people = {"ann-lee": Person("ann-lee", "Ann Lee", documents=(doc.id,)),
              "bo-ek": Person("bo-ek", "Bo Ek", documents=(doc.id,))}
    return doc, archive_of(doc, people=people)


def test_document_page_exact():
    doc, archive = tiny()
    ann, bo = colour_class("ann-lee"), colour_class("bo-ek")
    expected = f"""---
title: "A visit"
---

# A visit

<!-- annals:html -->
<p class="annals-meta"><time datetime="2021-07-20T19:40">20 July 2021, 19:40</time> · Moscow · Data: <a href="../../../data/documents/2021-07-20-a-visit.json">JSON</a>, <a href="../../../data/tei/2021-07-20-a-visit.xml">TEI</a> · <a href="../../../timeline/2021/#m2021-07">Timeline</a></p>
<!-- /annals:html -->

<!-- annals:html -->
<p class="annals-meta annals-provenance">Original: <a class="annals-original" href="https&#58;&#47;&#47;example.org&#47;a?b&#61;1&amp;c&#61;2" rel="noopener">https&#58;&#47;&#47;example.org&#47;a?b&#61;1&amp;c&#61;2</a> · Publisher and licence not recorded</p>
<!-- /annals:html -->

<!-- annals:html -->
<div class="annals-cite-data" hidden data-original="https&#58;&#47;&#47;example.org&#47;a?b&#61;1&amp;c&#61;2"></div>
<!-- /annals:html -->

<!-- annals:html -->
<p class="annals-speakers">Speakers: <span class="annals-badge {ann}" aria-hidden="true">AL</span> <a href="../../../people/ann-lee/">Ann Lee</a> (President), <span class="annals-badge {bo}" aria-hidden="true">BE</span> <a href="../../../people/bo-ek/">Bo Ek</a></p>
<!-- /annals:html -->

<!-- annals:html -->
<div class="annals-search-data" hidden><span data-pagefind-meta="title">A visit</span><span data-pagefind-meta="date">&#50;0 July 2021</span><span data-pagefind-meta="iso">&#50;021&#45;07&#45;20</span><span data-pagefind-filter="year">&#50;021</span><span data-pagefind-filter="speaker">Ann Lee</span><span data-pagefind-filter="speaker">Bo Ek</span><span data-pagefind-meta="turns">&#91;&#91;1,null&#93;,&#91;2,&quot;Ann Lee&quot;&#93;,&#91;4,&quot;Bo Ek&quot;&#93;&#93;</span></div>
<!-- /annals:html -->

<!-- annals:search-body -->

<!-- annals:html -->
<p class="annals-narration" id="p1">The talks began <span class="annals-insertion">&#91;in Russian&#93;</span>. <a class="annals-pilcrow" data-n="1" href="#p1" title="Link to paragraph 1">¶</a></p>
<p class="annals-turn {ann}" id="p2"><span class="annals-speaker"><span class="annals-badge {ann}" aria-hidden="true">AL</span> <a href="../../../people/ann-lee/">President Ann Lee</a>:</span> Welcome&#33; <a class="annals-pilcrow" data-n="2" href="#p2" title="Link to paragraph 2">¶</a></p>
<p class="annals-turn annals-cont {ann}" data-speaker="Ann Lee" id="p3">&#50;. We agree <span class="annals-omission">&lt;...&gt;</span> <a class="annals-pilcrow" data-n="3" href="#p3" title="Link to paragraph 3">¶</a></p>
<hr />
<p class="annals-turn {bo}" id="p4"><span class="annals-speaker"><span class="annals-badge {bo}" aria-hidden="true">BE</span> <a href="../../../people/bo-ek/">Bo</a>:</span> Thanks. <a class="annals-pilcrow" data-n="4" href="#p4" title="Link to paragraph 4">¶</a></p>
<!-- /annals:html -->

<!-- /annals:search-body -->
"""
    assert render_document(doc, archive) == expected


def test_document_page_html():
    doc, archive = tiny()
    out = to_html(render_site(archive)[doc.page])
    ann = colour_class("ann-lee")
    assert f'<p class="annals-turn annals-cont {ann}" data-speaker="Ann Lee" id="p3">&#50;. We agree' in out
    assert '<p class="annals-narration" id="p1">The talks began' in out
    assert '<a class="annals-pilcrow" data-n="4" href="#p4" title="Link to paragraph 4">¶</a></p>' in out
    assert out.count("<hr />") == 1 and "<ol" not in out


@pytest.mark.parametrize("s", HOSTILE + ['Ann "Lee" } { #p1 .x data-n="9" }', "Ann &amp; Lee\\"])
def test_paragraph_numbers_and_a_continuations_speaker_are_attributes_holding_exactly_their_text(s):
    out = to_html(render_site(hostile_archive(s))["documents/2020/2020-01-02-x.md"])
    tags = visible(out).tags
    paragraphs = {attrs["id"]: attrs for tag, attrs in tags if tag == "p" and "id" in attrs}
    pilcrows = [attrs for tag, attrs in tags if tag == "a" and attrs.get("class") == "annals-pilcrow"]
    assert paragraphs["p3"] == {"class": f"annals-turn annals-cont {colour_class('p')}", "id": "p3",
                                "data-speaker": clean_text(s)}
    assert all("data-speaker" not in paragraphs[f"p{n}"] for n in (1, 2, 4, 5))  # labelled or narration
    assert [(a["href"], a["data-n"], a["title"]) for a in pilcrows] == [
        (f"#p{n}", str(n), f"Link to paragraph {n}") for n in range(1, 6)]


def test_person_page_counts_turns_words_and_links_each_turn():
    doc, archive = tiny()
    page = render_person(archive.people["ann-lee"], archive)
    assert "Person · 1 document · 1 turn · 5 words" in page
    assert ('<tr>\n<td><time datetime="2021-07-20">20 July 2021</time></td>\n'
            '<td><a href="../../documents/2021/2021-07-20-a-visit/">A visit</a></td>\n'
            '<td style="text-align: right;">1</td>\n<td style="text-align: right;">5</td>\n</tr>\n'
            '<tr>\n<td>Total</td>\n<td>1 document</td>\n<td style="text-align: right;">1</td>\n'
            '<td style="text-align: right;">5</td>\n</tr>') in page
    assert "President" not in page  # the label's bare title names no office: no "Offices and roles" section
    assert '<li><a href="../../documents/2021/2021-07-20-a-visit/#p2">Welcome&#33; …</a></li>' in page


def test_split_turns_opens_on_label_and_on_change_of_speaker():
    doc, _ = tiny()
    turns = split_turns(doc)
    assert [(t.speaker, t.label, [p.n for p in t.paragraphs]) for t in turns] == [
        ("ann-lee", "President Ann Lee", [2, 3]), ("bo-ek", "Bo", [4])]
    assert turns[0].words == 5


def test_site_pages_and_determinism():
    doc, archive = tiny()
    pages = render_site(archive)
    assert list(pages) == ["documents/2021/2021-07-20-a-visit.md", "documents/2021/index.md", "documents/index.md",
                           "editors/report.md", "feed.xml", "glossary/index.md", "index.md", "meetings/index.md",
                           "organizations/index.md", "people/ann-lee.md", "people/bo-ek.md", "people/index.md",
                           "places/index.md", "search.md", "timeline/2021.md", "timeline/index.md", "topics/index.md"]
    shuffled = Archive(archive.documents, dict(reversed(archive.people.items())), ())
    assert render_site(shuffled) == pages


def test_people_index_files_by_surname():
    doc, archive = tiny()
    page = render_site(archive)["people/index.md"]
    assert "[E](#letter-e) · [L](#letter-l)" in page
    assert page.index("## E { #letter-e }") < page.index("[Bo Ek](bo-ek.md)") < page.index("## L")


def test_every_generated_link_resolves():
    doc, archive = tiny()
    pages = render_site(archive)
    for path, page in pages.items():
        written_as_html = html_hrefs(page)  # URLs of the built site (the home page's chart of years)
        for tag, attrs in visible(to_html(page)).tags:
            href = attrs.get("href", "")
            if tag == "a" and not href.startswith(("#", "https")):
                target = link_target(path, href, href in written_as_html, pages)
                assert target in pages or target in (f"data/documents/{doc.id}.json", f"data/tei/{doc.id}.xml"), (
                    path, href)


def hostile_archive(s: str) -> Archive:
    """An archive with the string in every field that comes from a source or the registry."""
    doc = Document(
        source="x.txt", title=s, date=datetime.date(2020, 1, 2), time=s, place=s, source_url=s, tags=(s,),
        id="2020-01-02-x", speakers=(Speaker("p", s, "person", (s,), (s,)), Speaker("r", s, "role", (s,), (s,))),
        paragraphs=(Paragraph(1, 1, s), Paragraph(2, 2, s, label=s, turn=s, speaker="p"),
                    Paragraph(3, 3, s, turn=s, speaker="p"), Paragraph(4, 4, s, label=s, turn=s, speaker="r"),
                    Paragraph(5, 5, s, label=s, turn=s)))
    people = {"p": Person("p", s, aliases=(s,), description=s, registry_roles=(s,), documents=(doc.id,))}  # r: a role
    return archive_of(doc, people=people)


def feed_titles(feed: str) -> list[str]:
    """The entries' titles of an Atom feed (which must parse as XML, whatever the sources held)."""
    atom = "{http://www.w3.org/2005/Atom}"
    return [e.findtext(atom + "title") for e in ET.fromstring(feed.encode("utf-8")).iter(atom + "entry")]


@pytest.mark.parametrize("s", HOSTILE)
def test_hostile_text_stays_text(s):
    for path, page in render_site(hostile_archive(s)).items():
        if path == "feed.xml":  # XML, not Markdown: the parser gives the text back as it was
            assert feed_titles(page) == [xml_text(s) or "2020-01-02-x"]
            continue
        out = to_html(page)
        seen = visible(out)
        lowered = out.lower()
        assert "<script" not in lowered and "<img" not in lowered and "<strong" not in lowered, path
        assert "onclick=" not in lowered and 'href="javascript' not in lowered, path
        for tag, attrs in seen.tags:
            form = {"form", "input", "select", "option", "datalist", "button", "ol"} if path == "search.md" else set()
            assert tag in {"a", "p", "div", "span", "time", "h1", "h2", "h3", "ul", "li", "hr", "table", "thead",
                           "tbody", "tr", "th", "td", "label", "kbd", "code", "mark"} | form, (path, tag)
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            assert not (attrs.get("href") or "").strip().lower().startswith(("javascript", "data", "vbscript"))
        if path.startswith(("documents/2020/2", "people/p")):
            assert clean_text(s) in "".join(seen.text), path


@pytest.mark.parametrize("s", HOSTILE)
def test_hostile_title_is_escaped_in_front_matter(s):
    page = render_site(hostile_archive(s))["documents/2020/2020-01-02-x.md"]
    _, meta = mkdocs_meta.get_data(page)
    assert "<" not in meta["title"] and ">" not in meta["title"]
    assert html.unescape(meta["title"]) == clean_text(s)


def test_front_matter_survives_yaml_traps():
    for title in ["---", "...", "a: b", "- x", "'\"", "# c", "x\n---\ny", "\x85\u2028"]:
        _, meta = mkdocs_meta.get_data(front_matter(title, search={"exclude": True}) + "\nbody\n")
        assert meta == {"title": html.escape(clean_text(title)), "search": {"exclude": True}}


def test_url_attr_accepts_only_http():
    assert url_attr("https://example.org/x") == "https&#58;&#47;&#47;example.org&#47;x"
    for bad in ["javascript:alert(1)", " https://x", "data:text/html,x", "https://x y", "//x", None, ""]:
        assert url_attr(bad) is None


def test_rich_text_marks_insertions_and_omissions():
    assert rich_text("a [laughs] b <…> c [...]") == (
        'a <span class="annals-insertion">&#91;laughs&#93;</span> b '
        '<span class="annals-omission">&lt;…&gt;</span> c <span class="annals-omission">&#91;...&#93;</span>')
    assert rich_text("<b>[x</b>]") == '&lt;b&gt;<span class="annals-insertion">&#91;x&lt;&#47;b&gt;&#93;</span>'


def test_speaker_identity_is_stable():
    assert colour_class("vladimir-putin") == colour_class("vladimir-putin")
    assert {colour_class(f"p{i}") for i in range(200)} == {f"annals-c{i}" for i in range(12)}
    assert [initials(n) for n in ["Vladimir Putin", "Moderator", "Recep Tayyip Erdoğan", "123"]] == [
        "VP", "Mo", "RE", "?"]
    assert badge("x", "<b>") == f'<span class="annals-badge {colour_class("x")}" aria-hidden="true">B</span>'


def test_time_tag():
    d = datetime.date(2021, 7, 2)
    assert time_tag(d, "9:05") == '<time datetime="2021-07-02T09:05">2 July 2021, 09:05</time>'
    assert time_tag(d, "noon") == '<time datetime="2021-07-02">2 July 2021</time>, noon'
    assert time_tag(d, year=False) == '<time datetime="2021-07-02">2 July</time>'


def test_unsafe_ids_are_refused():
    doc, archive = tiny()
    bad = Archive(archive.documents, {**archive.people, "../x": Person("../x", "X")}, ())
    with pytest.raises(AnnalsError, match=r"people: person id '\.\./x' cannot name a page"):
        render_site(bad)


SYNTAX = list("*_[]()<>&#;!`\\|-+=~^{}:/.'\"$%@?0123456789 \n\t\x02\x03") + ["&amp;", "&#42;", "1. ", "    ", "  \n", "--8<--"]
TEXT = st.lists(st.one_of(st.sampled_from(SYNTAX), st.characters(exclude_categories=("Cs",))), max_size=40).map("".join)
CONTEXTS = {
    "paragraph": ("{}", "p"),
    "list item": ("- {}", "li"),
    "link text": ("[{}](x.md)", "a"),
    "heading": ("## {}", "h2"),
    "table cell": ("| h |\n| --- |\n| {} |", "td"),
}


def text_of(out: str, tag: str) -> str:
    """Return the visible text inside the first `tag` element of some HTML."""
    class Inner(Visible):
        inside = done = False

        def handle_starttag(self, t, attrs):
            super().handle_starttag(t, attrs)
            self.inside = self.inside or (t == tag and not self.done)

        def handle_endtag(self, t):
            super().handle_endtag(t)
            if t == tag and self.inside:
                self.inside, self.done = False, True

        def handle_data(self, data):
            if self.inside and not self.skip:
                self.text.append(data)

    v = Inner()
    v.feed(out)
    return "".join(v.text)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.sampled_from(sorted(CONTEXTS)))
def test_md_text_renders_exactly_the_text(s, context):
    assume(clean_text(s))
    template, tag = CONTEXTS[context]
    MD.reset()
    out = MD.convert(template.format(md_text(s)))
    assert text_of(out, tag) == clean_text(s)
    assert out.count(f"<{tag}") == 1


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_rich_text_renders_exactly_the_text(s):
    assume(clean_text(s))
    MD.reset()
    assert text_of(MD.convert(rich_text(s)), "p") == clean_text(s)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_front_matter_title_survives_any_text(title):
    _, meta = mkdocs_meta.get_data(front_matter(title) + "\nbody\n")
    assert meta == {"title": html.escape(clean_text(title))}
