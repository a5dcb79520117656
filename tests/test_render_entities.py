"""Tests of the cross-links: mentions and glossary terms in the text, entity, pair and register pages."""
from __future__ import annotations

import dataclasses
import datetime

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annals.index import Archive, find_contacts_by_pair
from annals.markup import clean_offsets, clean_text, colour_class, rich_text
from annals.model import Contact, Document, Entity, GlossaryTerm, Mention, Paragraph, Person, Speaker
from annals.crossrefs import cross_index
from annals.render.pages import render_document, render_person, render_site
from annals.render.entities import render_entity
from annals.render.text import Glossary, linked_text
from annals.sentences import sentence_at, sentence_spans
from test_render import HOSTILE, MD, TEXT, feed_titles, html_hrefs, link_target, text_of, to_html, visible

D1, D2 = "2020-03-01-first-talks", "2021-05-02-second-talks"


def mention(doc_par: tuple[str, int], text: str, needle: str, kind: str, entity: str, nth: int = 0) -> Mention:
    """A mention of `needle` (its nth occurrence) in a paragraph's text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Mention(doc_par[1], start, start + len(needle), kind, entity, needle)


def crosslinked() -> Archive:
    """Two documents in which Ann Lee and Bo Ek meet (Cy Do in the second), naming Baku and the CIS."""
    p1 = "Ann Lee met Bo Ek in Baku. They spoke of the CIS."
    p2 = "Welcome to Baku, Mr. Ek. The C.I.S. helps."
    q1 = "Ann Lee went to Baku again for the CIS summit. It was long."
    d1 = Document(
        source="a.txt", title="First talks", date=datetime.date(2020, 3, 1), place="Baku", id=D1,
        speakers=(Speaker("ann-lee", "Ann Lee", "person", ("Ann",)), Speaker("bo-ek", "Bo Ek", "person", ("Bo",))),
        paragraphs=(Paragraph(1, 3, p1), Paragraph(2, 5, p2, label="Ann", turn="Ann", speaker="ann-lee"),
                    Paragraph(3, 7, "Thank you.", label="Bo", turn="Bo", speaker="bo-ek")),
        mentions=(Mention(0, 0, 0, "place", "baku", "Baku"),
                  mention(("", 1), p1, "Ann Lee", "person", "ann-lee"), mention(("", 1), p1, "Bo Ek", "person", "bo-ek"),
                  mention(("", 1), p1, "Baku", "place", "baku"), mention(("", 2), p2, "Baku", "place", "baku")))
    d2 = Document(
        source="b.txt", title="Second talks", date=datetime.date(2021, 5, 2), id=D2,
        speakers=(Speaker("ann-lee", "Ann Lee", "person", ("Ann",)), Speaker("bo-ek", "Bo Ek", "person", ("Bo",)),
                  Speaker("cy-do", "Cy Do", "person", ("Cy",))),
        paragraphs=(Paragraph(1, 3, q1), Paragraph(2, 5, "Hello, Bo.", label="Ann", turn="Ann", speaker="ann-lee"),
                    Paragraph(3, 7, "Hi.", label="Bo", turn="Bo", speaker="bo-ek"),
                    Paragraph(4, 9, "Good day to you both.", label="Cy", turn="Cy", speaker="cy-do")),
        mentions=(mention(("", 1), q1, "Ann Lee", "person", "ann-lee"), mention(("", 1), q1, "Baku", "place", "baku"),
                  mention(("", 1), q1, "CIS", "organization", "cis"),
                  mention(("", 2), "Hello, Bo.", "Bo", "person", "bo-ek")))
    people = {"ann-lee": Person("ann-lee", "Ann Lee", documents=(D2, D1)),
              "bo-ek": Person("bo-ek", "Bo Ek", documents=(D2, D1)),
              "cy-do": Person("cy-do", "Cy Do", documents=(D2,))}
    entities = {"organization:cis": Entity("organization", "cis", "Commonwealth of Independent States", ("CIS",),
                                           "", "registry"),
                "person:ann-lee": Entity("person", "ann-lee", "Ann Lee", origin="speakers"),
                "person:bo-ek": Entity("person", "bo-ek", "Bo Ek", origin="speakers"),
                "person:cy-do": Entity("person", "cy-do", "Cy Do", origin="speakers"),
                "place:baku": Entity("place", "baku", "Baku", ("Baky",), "Capital of Azerbaijan.", "registry")}
    glossary = (GlossaryTerm("cis", "CIS", "Commonwealth of Independent States", ("C.I.S.",)),)
    # As annals.contacts finds them: Ann Lee met Bo Ek (narration), and those who speak together in each transcript.
    d1 = dataclasses.replace(d1, contacts=(Contact("meeting", ("ann-lee", "bo-ek"), 1, 0, 26, p1[:26]),
                                           Contact("transcript", ("ann-lee", "bo-ek"), 3, 0, 0, "Bo")))
    d2 = dataclasses.replace(d2, contacts=(Contact("transcript", ("ann-lee", "bo-ek", "cy-do"), 3, 0, 0, "Bo"),))
    contacts = find_contacts_by_pair((d2, d1), people)
    meetings = {"ann-lee--bo-ek": (D1, D2), "ann-lee--cy-do": (D2,), "bo-ek--cy-do": (D2,)}
    assert meetings == {k: tuple(dict.fromkeys(d for d, _ in v)) for k, v in contacts.items()}
    related = {D2: ((D1, "also with Bo Ek; also in Baku"),), D1: ((D2, "also in Baku"),)}
    return Archive((d2, d1), people, (), entities, glossary, meetings, related, contacts=contacts)


# Mentions and glossary terms in the text


def test_paragraph_links_mentions_and_explains_a_term():
    archive = crosslinked()
    page = render_document(archive.documents[1], archive)
    # Mentions are HTML links to the built pages' URLs: documents/2020/<id>/ is three folders deep.
    assert ('<a href="../../../people/ann-lee/">Ann Lee</a> met <a href="../../../people/bo-ek/">Bo Ek</a> in '
            '<a href="../../../places/baku/">Baku</a>. '
            'They spoke of the <abbr title="Commonwealth of Independent States">CIS</abbr>. '
            '<a class="annals-pilcrow" data-n="1" href="#p1" title="Link to paragraph 1">¶</a></p>') in page
    assert '<p class="annals-narration" id="p1"><a href="../../../people/ann-lee/">Ann Lee</a> met' in page
    # The alias is explained too, once per paragraph; the place line links to the place.
    assert ('Welcome to <a href="../../../places/baku/">Baku</a>, Mr. Ek. The '
            '<abbr title="Commonwealth of Independent States">C.I.S.</abbr> helps.') in page
    assert '<time datetime="2020-03-01">1 March 2020</time> · <a href="../../../places/baku/">Baku</a> · ' in page


def test_term_inside_a_mention_becomes_the_link_title():
    archive = crosslinked()
    page = render_document(archive.documents[0], archive)
    assert ('<a href="../../../people/ann-lee/">Ann Lee</a> went to <a href="../../../places/baku/">Baku</a> again for '
            'the <a href="../../../organizations/cis/" title="Commonwealth of Independent States">CIS</a> summit. '
            'It was long.') in page
    out = to_html(page)
    assert ('<a href="../../../organizations/cis/" title="Commonwealth of Independent States">CIS</a>') in out


def test_mention_in_a_speech_turn_keeps_the_speaker_label():
    archive = crosslinked()
    page = render_document(archive.documents[0], archive)
    assert ('<a href="../../../people/ann-lee/">Ann</a>:</span> Hello, <a href="../../../people/bo-ek/">Bo</a>. '
            '<a class="annals-pilcrow" data-n="2"') in page


def test_unknown_entities_stay_text():
    archive = crosslinked()
    doc = archive.documents[1]
    stray = dataclasses.replace(doc, mentions=(Mention(1, 21, 25, "place", "nowhere", "Baku"),))
    page = render_document(stray, archive)
    assert "met Bo Ek in Baku. They" in page and "nowhere" not in page


def test_linked_text_without_links_or_terms_is_rich_text():
    assert linked_text("a [laughs] b", [], Glossary(())) == rich_text("a [laughs] b")


def test_links_nest_inside_editorial_marks_and_never_across_them():
    raw = "We [in Baku] met; Baku [x]"
    assert linked_text(raw, [(7, 11, "b.md"), (18, 24, "c.md")]) == (  # "Baku [" would cross a mark: left as text
        'We <span class="annals-insertion">&#91;in [Baku](b.md)&#93;</span> met; '
        'Baku <span class="annals-insertion">&#91;x&#93;</span>')
    assert linked_text(raw, [(10, 14, "b.md")]) == rich_text(raw)


def test_offsets_survive_cleaning():
    raw = "  Ann\x00 Lee\t\tmet \n Baku. "
    s = raw.index("Baku")
    assert linked_text(raw, [(2, 10, "a.md"), (s, s + 4, "b.md")]) == "[Ann Lee](a.md) met [Baku](b.md)."


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(st.tuples(st.integers(0, 45), st.integers(0, 45)), max_size=4),
       st.sampled_from(["CIS", "a", "1", "*", "x y"]), st.sampled_from(["Commonwealth", '<b x="1">&amp;</b> [x](y)']))
def test_linked_text_renders_exactly_the_text(s, spans, term, definition):
    assume(clean_text(s))
    links = [(min(a, b), max(a, b), "x.md") for a, b in spans]
    MD.reset()
    out = MD.convert(linked_text(s, links, Glossary((GlossaryTerm("t", term, definition),))))
    assert text_of(out, "p") == clean_text(s)
    for tag, attrs in visible(out).tags:
        assert tag in {"p", "a", "abbr", "span"}, tag
        assert attrs.get("href", "x.md") == "x.md"
        assert attrs.get("title", definition) == definition


@settings(max_examples=300, deadline=None)
@given(TEXT, st.lists(st.integers(0, 50), max_size=6))
def test_clean_offsets_agree_with_clean_text(s, offsets):
    clean, where = clean_offsets(s)
    assert clean == clean_text(s)
    mapped = [where(x) for x in sorted(o for o in offsets if o <= len(s))]
    assert mapped == sorted(mapped) and all(0 <= m <= len(clean) for m in mapped)


def test_clean_offsets_map_words_to_words():
    raw = "\t a \x85\x85b\x01c  d "
    clean, where = clean_offsets(raw)
    assert clean == "a bc d"
    assert [clean[where(raw.index(ch))] for ch in "abcd"] == list("abcd")


# Sentences


def test_sentences_end_at_stops_before_capitals_and_quotes():
    text = 'Mr. Putin met V. Aliyev in Baku. He said: "Hello!" Then they left… “Quote.” And so on? yes. No.'
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Mr. Putin met V. Aliyev in Baku.", 'He said: "Hello!"', "Then they left…", "“Quote.”",
        "And so on? yes.", "No."]
    assert sentence_at(text, text.index("Baku"), text.index("Baku") + 4) == "Mr. Putin met V. Aliyev in Baku."
    assert sentence_at(text, text.index("yes"), text.index("yes") + 3) == "And so on? yes."


def test_sentence_at_spans_a_false_stop_inside_a_name():
    text = "We flew to St. Petersburg. It rained."
    assert sentence_at(text, 11, 25) == "We flew to St. Petersburg."
    assert sentence_at("A. B. C.", 0, 8) == "A. B. C."


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ .!?…\"“' \nMrV")), max_size=60), st.integers(0, 60), st.integers(0, 5))
def test_sentence_spans_cover_the_text_in_order(text, start, length):
    spans = sentence_spans(text)
    assert all(a < b <= c for (a, b), (c, _) in zip(spans, spans[1:]))
    covered = "".join(text[a:b] for a, b in spans)
    assert covered.replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")
    start = min(start, len(text))
    end = min(start + length, len(text))
    if text[start:end].strip():
        assert text[start:end] in sentence_at(text, start, end)


# Entity pages


def test_entity_page_shows_each_sentence_with_a_link_to_its_paragraph():
    archive = crosslinked()
    page = render_site(archive)["places/baku.md"]
    assert page == """---
title: "Baku"
---

# Baku

Place · mentioned in 2 documents · 4 times
{ .annals-summary }

Capital of Azerbaijan.

Also written as: Baky

Known from the editors' registry.
{ .annals-meta }

## Mentioned in { #mentioned-in }

<!-- annals:html -->
<ul>
<li><time datetime="2021-05-02">2 May 2021</time> · <a href="../../documents/2021/2021-05-02-second-talks/">Second talks</a><ul>
<li>Ann Lee went to <mark>Baku</mark> again for the CIS summit. <a href="../../documents/2021/2021-05-02-second-talks/#p1">¶ 1</a></li>
</ul></li>
<li><time datetime="2020-03-01">1 March 2020</time> · <a href="../../documents/2020/2020-03-01-first-talks/">First talks</a><ul>
<li>In the heading: <mark>Baku</mark></li>
<li>Ann Lee met Bo Ek in <mark>Baku</mark>. <a href="../../documents/2020/2020-03-01-first-talks/#p1">¶ 1</a></li>
<li>Welcome to <mark>Baku</mark>, Mr. Ek. <a href="../../documents/2020/2020-03-01-first-talks/#p2">¶ 2</a></li>
</ul></li></ul>
<!-- /annals:html -->
"""


def test_entity_page_shows_a_few_sentences_per_document_and_links_the_rest():
    doc = Document(source="c.txt", title="Many", date=datetime.date(2022, 1, 1), id="2022-01-01-many",
                   paragraphs=tuple(Paragraph(n, n, f"In Baku {n}. Baku again.") for n in range(1, 5)),
                   mentions=tuple(Mention(n, i, i + 4, "place", "baku", "Baku")
                                  for n in range(1, 5) for i in (3, 10 + len(str(n)))))
    archive = Archive((doc,), {}, (), {"place:baku": Entity("place", "baku", "Baku")})
    page = render_site(archive)["places/baku.md"]
    link = "../../documents/2022/2022-01-01-many/"  # from the page's URL, places/baku/
    assert (f'<ul>\n<li>In <mark>Baku</mark> 1. <a href="{link}#p1">¶ 1</a></li>\n'
            f'<li><mark>Baku</mark> again. <a href="{link}#p1">¶ 1</a></li>\n'
            f'<li>In <mark>Baku</mark> 2. <a href="{link}#p2">¶ 2</a></li>\n'
            f'<li>Also in <a href="{link}#p3">¶ 3</a>, <a href="{link}#p4">¶ 4</a></li>\n</ul></li></ul>\n') in page
    assert "8 times" in page


def test_long_sentences_are_cut_around_the_mention():
    words = " ".join(f"w{i}" for i in range(200))
    text = f"{words} Baku {words}."
    start = text.index("Baku")
    doc = Document(source="c.txt", title="Long", date=datetime.date(2022, 1, 1), id="2022-01-01-long",
                   paragraphs=(Paragraph(1, 1, text),), mentions=(Mention(1, start, start + 4, "place", "baku", "Baku"),))
    archive = Archive((doc,), {}, (), {"place:baku": Entity("place", "baku", "Baku")})
    line = next(l for l in render_site(archive)["places/baku.md"].splitlines() if "<mark>" in l)
    assert (line.startswith("<li>… w1") and line.endswith(' … <a href="../../documents/2022/2022-01-01-long/#p1">¶ 1</a></li>')
            and len(line) < 340)
    assert "w199 <mark>Baku</mark> w0 " in line


# Person pages


def test_person_page_lists_whom_they_met_with_counts():
    """The Met section: the people of their contacts, most contacts first, with the count of each kind."""
    archive = crosslinked()
    page = render_person(archive.people["ann-lee"], archive)
    bo, cy = colour_class("bo-ek"), colour_class("cy-do")
    assert ("## Met\n\nThe people they met, held talks with, telephoned, wrote to or spoke with on record, most "
            "contacts first.\n\n<!-- annals:html -->\n<ul>\n"
            f'<li><span class="annals-badge {bo}" aria-hidden="true">BE</span> <a href="../../meetings/ann-lee--bo-ek/">Bo Ek</a>'
            " · 3 contacts: 1 meeting, 2 transcripts</li>\n"
            f'<li><span class="annals-badge {cy}" aria-hidden="true">CD</span> <a href="../../meetings/ann-lee--cy-do/">Cy Do</a>'
            " · 1 contact: 1 transcript</li>\n"
            "</ul>\n<!-- /annals:html -->\n"
            "\n## What they said") in page
    assert "Person · 2 documents · 2 turns · 10 words · named in 2 documents" in page


def test_person_page_lists_where_they_are_mentioned():
    archive = crosslinked()
    page = render_person(archive.people["bo-ek"], archive)
    assert page.endswith(
        "## Mentioned in { #mentioned-in }\n\n<!-- annals:html -->\n<ul>\n"
        '<li><time datetime="2021-05-02">2 May 2021</time> · '
        '<a href="../../documents/2021/2021-05-02-second-talks/">Second talks</a><ul>\n'
        '<li>Hello, <mark>Bo</mark>. <a href="../../documents/2021/2021-05-02-second-talks/#p2">¶ 2</a></li>\n</ul></li>\n'
        '<li><time datetime="2020-03-01">1 March 2020</time> · '
        '<a href="../../documents/2020/2020-03-01-first-talks/">First talks</a><ul>\n'
        '<li>Ann Lee met <mark>Bo Ek</mark> in Baku. <a href="../../documents/2020/2020-03-01-first-talks/#p1">¶ 1</a></li>\n'
        "</ul></li></ul>\n<!-- /annals:html -->\n")


def test_only_the_latest_documents_are_quoted_on_an_entity_page(monkeypatch):
    """A name in thousands of documents: sentences from the latest QUOTED, paragraph links for the others."""
    from annals.render import entities as render_entities
    monkeypatch.setattr(render_entities, "QUOTED", 1)
    archive = crosslinked()
    page = render_entity(archive.entities["place:baku"], cross_index(archive))
    assert "The sentences are quoted from the 1 latest documents; the older ones link to the paragraphs." in page
    assert "<mark>Baku</mark> again for the CIS summit." in page  # the latest document, quoted
    assert "in <mark>Baku</mark>. They" not in page  # the older one is not...
    assert ('<li>In the heading; In <a href="../../documents/2020/2020-03-01-first-talks/#p1">¶ 1</a>, '
            '<a href="../../documents/2020/2020-03-01-first-talks/#p2">¶ 2</a></li>') in page  # ...but linked


def test_person_only_named_has_a_page():
    archive = crosslinked()
    doc = dataclasses.replace(archive.documents[1], mentions=(Mention(3, 0, 5, "person", "dee", "Thank"),))
    people = {**archive.people, "dee": Person("dee", "Dee", description="Named, never speaking.")}
    archive = dataclasses.replace(archive, documents=(archive.documents[0], doc), people=people)
    pages = render_site(archive)
    assert "Person · named in 1 document" in pages["people/dee.md"]
    assert "## What they said" not in pages["people/dee.md"] and "## Met" not in pages["people/dee.md"]
    assert '<a href="../../../people/dee/">Thank</a> you.' in pages[doc.page]


# Meetings between two people


def test_pair_page_keeps_the_turns_of_both_under_their_documents_ids():
    """Under the chronology (tests/test_pairs.py), the documents in which both speak, oldest first, each with its
    id as before, and the first words of each of their turns."""
    archive = crosslinked()
    page = render_site(archive)["meetings/ann-lee--bo-ek.md"]
    ann, bo = colour_class("ann-lee"), colour_class("bo-ek")
    assert page.startswith("---\ntitle: \"Ann Lee and Bo Ek\"\n---\n\n# Ann Lee and Bo Ek\n\n"
                           "[Ann Lee](../people/ann-lee.md) and [Bo Ek](../people/bo-ek.md): 3 contacts in 2 documents, "
                           'from <time datetime="2020-03-01">1 March 2020</time> to '
                           '<time datetime="2021-05-02">2 May 2021</time>.\n{ .annals-summary }\n')
    turns = page[page.index("## In their words { #turns }"):]
    assert turns.index("[First talks]") < turns.index("[Second talks]")
    assert ('### <time datetime="2020-03-01">1 March 2020</time> · [First talks](../documents/2020/2020-03-01-first-talks.md)'
            " { #2020-03-01-first-talks }\n\nBaku\n{ .annals-meta }\n\n"
            "<!-- annals:html -->\n<ul>\n"
            f'<li><span class="annals-badge {ann}" aria-hidden="true">AL</span> Ann Lee: '
            '<a href="../../documents/2020/2020-03-01-first-talks/#p2">Welcome to Baku, Mr. Ek. The C.I.S. helps.</a></li>\n'
            f'<li><span class="annals-badge {bo}" aria-hidden="true">BE</span> Bo Ek: '
            '<a href="../../documents/2020/2020-03-01-first-talks/#p3">Thank you.</a></li>\n'
            "</ul>\n<!-- /annals:html -->\n") in turns
    assert "Cy Do:" not in page


def test_pair_title_names_the_person_in_more_documents_first():
    archive = crosslinked()
    pages = render_site(archive)
    assert "# Ann Lee and Cy Do" in pages["meetings/ann-lee--cy-do.md"]
    people = {**archive.people, "cy-do": dataclasses.replace(archive.people["cy-do"], documents=(D2, D1, "z"))}
    assert "# Cy Do and Ann Lee" in render_site(dataclasses.replace(archive, people=people))["meetings/ann-lee--cy-do.md"]


def test_meetings_register_lists_every_pair_with_counts():
    page = render_site(crosslinked())["meetings/index.md"]
    assert ('<li><a href="ann-lee--bo-ek/">Ann Lee and Bo Ek</a> · 3 contacts · 2020–2021</li>\n'
            '<li><a href="ann-lee--cy-do/">Ann Lee and Cy Do</a> · 1 contact · 2021</li>\n'
            '<li><a href="bo-ek--cy-do/">Bo Ek and Cy Do</a> · 1 contact · 2021</li>\n') in page


# Related documents, registers, glossary


def test_related_documents_at_the_foot_with_the_reason():
    archive = crosslinked()
    page = render_document(archive.documents[0], archive)
    assert page.endswith('## Related documents { #related }\n\n<!-- annals:html -->\n<ul>\n'
                         '<li><time datetime="2020-03-01">1 March 2020</time> · '
                         '<a href="../../2020/2020-03-01-first-talks/">First talks</a> · also with Bo Ek; also in Baku</li>\n'
                         "</ul>\n<!-- /annals:html -->\n")


def test_registers_file_entities_by_letter_with_counts():
    pages = render_site(crosslinked())
    assert pages["places/index.md"].endswith("# Places\n\n[B](#letter-b)\n\n## B { #letter-b }\n\n"
                                             "- [Baku](baku.md) · 2 documents\n")
    assert "- [Commonwealth of Independent States](cis.md) · 1 document" in pages["organizations/index.md"]
    assert "No topics are named in the archive yet." in pages["topics/index.md"]
    people = pages["people/index.md"]
    assert "[Bo Ek](bo-ek.md) · 2 documents" in people and "[Cy Do](cy-do.md) · 1 document" in people
    assert "[D](#letter-d) · [E](#letter-e) · [L](#letter-l)" in people


def test_glossary_page_gives_each_term_an_anchor():
    page = render_site(crosslinked())["glossary/index.md"]
    assert "## CIS { #cis }\n\nCommonwealth of Independent States\n\nAlso written as: C.I.S.\n{ .annals-meta }" in page
    assert 'id="cis"' in to_html(page)


def test_every_cross_link_resolves_and_output_is_deterministic():
    archive = crosslinked()
    pages = render_site(archive)
    as_html = 0
    for path, page in pages.items():
        html_out = to_html(page)
        written_as_html = html_hrefs(page)  # URLs of the built site, relative to the page's URL
        for tag, attrs in visible(html_out).tags:
            href = attrs.get("href", "")
            if tag == "a" and not href.startswith(("#", "https")):
                as_url = href in written_as_html
                as_html += as_url
                target = link_target(path, href, as_url, pages)
                assert target in pages or target.startswith(("data/documents/", "data/tei/")), (path, href)
                anchor = href.partition("#")[2]
                if anchor.startswith("p") and anchor[1:].isdigit():
                    assert f'id="{anchor}"' in to_html(pages[target]), (path, href)
    assert as_html > 20  # the mentions in the text and the lists of mentions, meetings and related documents
    shuffled = dataclasses.replace(archive, entities=dict(reversed(archive.entities.items())),
                                   people=dict(reversed(archive.people.items())),
                                   meetings=dict(reversed(archive.meetings.items())))
    assert render_site(shuffled) == pages


def test_unsafe_entity_and_glossary_ids_are_refused():
    from annals.errors import AnnalsError
    archive = crosslinked()
    bad = dataclasses.replace(archive, entities={**archive.entities, "place:../x": Entity("place", "../x", "X")})
    with pytest.raises(AnnalsError, match=r"place id '\.\./x' cannot name a page"):
        render_site(bad)
    bad = dataclasses.replace(archive, glossary=(GlossaryTerm("", "?", "d"),))
    with pytest.raises(AnnalsError, match=r"glossary id '' cannot name an anchor"):
        render_site(bad)


# Hostile registry entries, glossary definitions and mention texts


def as_built(page: str) -> str:
    """Render a generated page as the site does: our HTML blocks lifted out before Python-Markdown reads the page
    and put back after (annals.plugin), as a page of content tabs needs (a tab's block is indented only in its
    first line)."""
    from types import SimpleNamespace

    from annals.plugin import AnnalsPlugin
    plugin, built = AnnalsPlugin(), SimpleNamespace()
    markdown = plugin.on_page_markdown(page, page=built, config=None, files=None)
    return plugin.on_page_content(to_html(markdown), page=built, config=None, files=None)


def hostile_crosslinked(s: str) -> Archive:
    """The cross-linked archive with the string in every registry field, definition, reason and mention."""
    archive = crosslinked()
    d2, d1 = archive.documents
    text = f"{s} and CIS then {s}"
    para = Paragraph(5, 11, text, label=s, turn=s, speaker="cy-do")
    d2 = dataclasses.replace(d2, paragraphs=d2.paragraphs + (para,), tags=(s,),
                             mentions=d2.mentions + (Mention(5, 0, len(s), "place", "baku", s),
                                                     Mention(5, len(text) - len(s), len(text), "topic", "t", s)),
                             contacts=d2.contacts + (Contact("message", ("ann-lee", "bo-ek"), 5, 0, len(text), text),
                                                     Contact("meeting", ("ann-lee", "bo-ek"), 0, 0, 1, s)))
    entities = {**{k: dataclasses.replace(e, name=s, aliases=(s,), description=s, origin=s)
                   for k, e in archive.entities.items()},
                "topic:t": Entity("topic", "t", s, (s,), s, s)}
    people = {k: dataclasses.replace(p, name=s, aliases=(s,), description=s) for k, p in archive.people.items()}
    glossary = (GlossaryTerm("cis", "CIS", s, (s,)), GlossaryTerm("x", s, s))
    related = {D2: ((D1, s),), D1: ((D2, s),)}
    return dataclasses.replace(archive, documents=(d2, d1), entities=entities, people=people, glossary=glossary,
                               related=related, contacts=find_contacts_by_pair((d2, d1), people))


@pytest.mark.parametrize("s", HOSTILE)
def test_hostile_registry_and_mentions_stay_text(s):
    pages = render_site(hostile_crosslinked(s))
    for path, page in pages.items():
        if path == "feed.xml":  # XML, not Markdown
            assert len(feed_titles(page)) == 2
            continue
        out = as_built(page) if path.startswith("meetings/") else to_html(page)
        lowered = out.lower()
        assert "<script" not in lowered and "<img" not in lowered and "<strong" not in lowered, path
        for tag, attrs in visible(out).tags:
            form = {"form", "input", "select", "option", "datalist", "button", "ol"} if path == "search.md" else set()
            form |= {"input"} if path.startswith("meetings/") and attrs.get("type") == "radio" else set()  # tabs
            assert tag in {"a", "p", "div", "span", "time", "h1", "h2", "h3", "ul", "li", "hr", "table", "thead",
                           "tbody", "tr", "th", "td", "label", "kbd", "abbr", "mark", "code"} | form, (path, tag)
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            href = (attrs.get("href") or "").strip().lower()
            assert not href.startswith(("javascript", "data:", "vbscript")), (path, href)
            if "title" in attrs and tag in ("abbr", "a") and not href.startswith("#") and "annals-month" not in (
                    attrs.get("class") or ""):  # the overview's month cells carry their counts as titles
                assert attrs["title"] in (clean_text(s), "First talks", "Second talks"), (path, attrs)  # or a title
    shown = "".join(visible(to_html(pages[f"documents/2021/{D2}.md"])).text)
    assert f"{clean_text(s)} and CIS then {clean_text(s)}" in shown
    for path in ("places/baku.md", "topics/t.md", "organizations/cis.md", "glossary/index.md",
                 "meetings/ann-lee--bo-ek.md"):
        assert clean_text(s) in "".join(visible(as_built(pages[path])).text), path
