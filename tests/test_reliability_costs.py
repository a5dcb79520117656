"""Bounded cost (issue 14): inputs that once cost minutes are linear, with the same results.

No timings here (machines are noisy; `annals bench hostile` measures): each fix is guarded by the work it
counts (scans, comparisons, matches), by agreeing with the plain way of doing it, or by the located problem
that `check` now reports where only `build` failed.
"""
from __future__ import annotations

import collections
import dataclasses
import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annals import events, sentences
from annals.bench.run import HOSTILE, hostile_text, speaker_names
from annals.load import load_archive
from annals.check import CLOSE, Neighbours, near_names
from annals.errors import AnnalsError
from annals.model import Document, Paragraph, Person, Speaker

ROOT = Path(__file__).resolve().parent.parent
HEAD = "Costs\n\n20 July 2021, 19:40\n\n"


def archive_of(tmp_path: Path, text: str, registry: dict[str, str] | None = None, name: str = "t.txt"):
    """Load an archive of one source text (and registry files), as `annals check` does."""
    (tmp_path / "s").mkdir(exist_ok=True)
    (tmp_path / "s" / name).write_text(text, encoding="utf-8")
    (tmp_path / "r").mkdir(exist_ok=True)
    for file, content in (registry or {}).items():
        (tmp_path / "r" / file).write_text(content, encoding="utf-8")
    return load_archive(tmp_path / "s", tmp_path / "r")


# 1a. The sentence of each mention: one pass over the paragraph, then bisection


def rescanned(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end] found the plain way: every sentence looked at."""
    spans = sentences.sentence_spans(text)
    if not spans:
        return start, end
    first = max([i for i, (s, _) in enumerate(spans) if s <= start] or [0])
    last = max([i for i, (s, _) in enumerate(spans) if s <= max(end - 1, start)] or [0] + [first])
    last = max(last, first)
    return min(spans[first][0], start), max(spans[last][1], end)


TRICKY = ["Mr. Putin met V. Aliyev in Baku. And so on? yes.", "We flew to St. Petersburg. Then home!",
          "A. B. C.", "  Moscow.  Moscow.  ", "", "“Quoted.” (Bracketed.) Next… Last?", "No stop at all"]


@pytest.mark.parametrize("text", TRICKY)
def test_sentence_lookup_agrees_with_a_rescan_on_tricky_text(text):
    found = sentences.sentences_of(text)
    for start in range(len(text) + 1):
        for end in range(start, min(len(text), start + 12) + 1):
            assert found.around(start, end) == rescanned(text, start, end), (text, start, end)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="Ab .?!\"“”()…V", max_size=60), st.integers(0, 60), st.integers(0, 20))
def test_sentence_lookup_agrees_with_a_rescan(text, start, length):
    start = min(start, len(text))
    end = min(start + length, len(text))
    assert sentences.Sentences(text).around(start, end) == rescanned(text, start, end)


def test_a_paragraph_is_scanned_for_sentences_once_for_all_its_pages(tmp_path, monkeypatch):
    """One paragraph naming 'Moscow' 3,000 times and forty capitals: its sentences are found once for all the
    entity pages and quotes, and only the quoted sentences (three a page) are marked up."""
    capitals = ["Paris", "Berlin", "Madrid", "Rome", "Vienna", "Prague", "Warsaw", "Budapest", "Athens", "Lisbon",
                "Dublin", "Oslo", "Stockholm", "Helsinki", "Copenhagen", "Brussels", "Amsterdam", "Bern", "Minsk",
                "Kyiv", "Riga", "Vilnius", "Tallinn", "Sofia", "Bucharest", "Belgrade", "Zagreb", "Ankara", "Baku",
                "Tbilisi", "Yerevan", "Astana", "Tashkent", "Beijing", "Tokyo", "Seoul", "Delhi", "Cairo", "Nairobi",
                "Ottawa"]
    archive = archive_of(tmp_path, HEAD + "Moscow. " * 3000 + " ".join(f"{c} too." for c in capitals) + "\n")
    from annals.render import entities as render_entities
    from annals.render.pages import render_plan, render_task
    scans, marked = [], []
    real_spans, real_marked = sentences.sentence_spans, render_entities.marked_text
    monkeypatch.setattr(sentences, "sentence_spans", lambda text: scans.append(len(text)) or real_spans(text))
    monkeypatch.setattr(render_entities, "marked_text", lambda *a: marked.append(1) or real_marked(*a))
    sentences.sentences_of.cache_clear()
    _, tasks, refs = render_plan(archive)
    pages = dict(render_task(archive, refs, t) for t in tasks if t[0] == "entity")
    moscow = pages["places/moscow.md"]
    assert moscow.count("<mark>Moscow</mark>") == 3 and "Also in" not in moscow
    assert sum(1 for p in pages if p.startswith("places/")) >= 40
    assert sum(1 for n in scans if n > 20000) == 1  # the long paragraph, once (the sentence cache)
    assert len(marked) <= 3 * len(pages)


# 1a (events). A sentence naming thousands of days is read for its tense once


class Counted:
    """A compiled pattern whose searches are counted."""

    def __init__(self, pattern: re.Pattern):
        self.pattern, self.searches = pattern, 0

    def search(self, *args):
        self.searches += 1
        return self.pattern.search(*args)


def test_the_tense_of_a_sentence_is_read_once(monkeypatch):
    past, future = Counted(events.PAST), Counted(events.FUTURE)
    monkeypatch.setattr(events, "PAST", past)
    monkeypatch.setattr(events, "FUTURE", future)
    import datetime
    text = "They met on May 5 and " * 500 + "then."
    found = events.find_events(text, 1, datetime.date(2021, 7, 20))
    assert len(found) == 500 and {e.when for e in found} == {"2021-05-05"}
    assert past.searches <= 1 and future.searches <= 1


def test_an_event_keeps_a_long_sentence_cut_around_it():
    import datetime
    short = "On 5 May 2021 the talks began in Moscow, and they went on for a long time."
    (event,) = events.find_events(short, 1, datetime.date(2021, 7, 20))
    assert event.sentence == short
    long = "word " * 400 + "on 5 May 2021 " + "word " * 400 + "end."
    (event,) = events.find_events(long, 1, datetime.date(2021, 7, 20))
    assert len(event.sentence) <= events.SENTENCE and "on 5 May 2021" in event.sentence
    assert long.find(event.sentence) >= 0 and not event.sentence.startswith(" ")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 80), st.integers(1, 10)), max_size=40))
def test_taken_parts_overlap_as_looking_at_each_would_say(spans):
    taken, kept = events.Taken(), []
    for start, size in spans:
        end = start + size
        plain = any(a < end and start < b for a, b in kept)
        assert taken.overlaps(start, end) == plain
        if not plain:
            taken.add(start, end)
            kept.append((start, end))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["span", "date"]), st.integers(0, 50)), max_size=20),
       st.lists(st.integers(0, 60), max_size=10))
def test_the_last_span_before_each_since_is_the_plain_ones(kinds_ends, positions):
    evs = [events.Event(1, max(end - 3, 0), end, "2001/2002", "x", kind, "") for kind, end in kinds_ends]
    plain = [([e for e in evs if e.kind == "span" and e.end <= pos] or [None])[-1] for pos in positions]
    assert events.last_spans_before(evs, positions) == plain


# 1b. Many entities or tags in one paragraph pass Python-Markdown by


def converted(markdown_text: str) -> str:
    """Markdown to HTML as a build does: the plugin lifts its HTML blocks out and puts them back."""
    import markdown
    from annals.plugin import AnnalsPlugin

    class Page:
        file = None
    page, plugin = Page(), AnnalsPlugin()
    lifted = plugin.on_page_markdown(markdown_text, page=page, config=None, files=None)
    md = markdown.Markdown(extensions=["toc", "attr_list", "admonition"],
                           extension_configs={"toc": {"permalink": True}})
    page.toc = None
    return plugin.on_page_content(md.convert(lifted), page=page, config=None, files=None)


@pytest.mark.parametrize("raw", [">" * 3000, "a-b (c) *d* _e_ [f] `g` <h> & i; {j} #k " * 120, "1. " + "&" * 2000,
                                 "> quoted " * 1200])
def test_a_paragraph_of_many_entities_is_exactly_its_text_with_few_inline_matches(raw, tmp_path, monkeypatch):
    # Python-Markdown takes each entity and tag of a text one at a time (100,000 '>' took MkDocs a minute):
    # a document's paragraphs reach the page as an HTML block it never parses.
    import html
    from markdown import treeprocessors
    from annals.markup import clean_text
    from annals.render.pages import render_document
    archive = archive_of(tmp_path, HEAD + raw + "\n")
    page = render_document(archive.documents[0], archive)
    stashed = collections.Counter()
    real = treeprocessors.InlineProcessor._InlineProcessor__stashNode
    monkeypatch.setattr(treeprocessors.InlineProcessor, "_InlineProcessor__stashNode",
                        lambda self, node, kind: stashed.update([1]) or real(self, node, kind))
    out = converted(page)
    assert stashed[1] < 10  # was one match per entity or tag
    body = re.search(r'<p class="annals-narration" id="p1">(.*?) <a class="annals-pilcrow"', out, re.S)[1]
    assert html.unescape(re.sub(r"<[^>]*>", "", body)) == clean_text(raw)


def test_a_paragraph_of_few_entities_is_as_before():
    from annals.render.text import linked_html
    assert linked_html("A > B & C", [], None, "documents/2021/x.md") == "A &gt; B &amp; C"


# 1c. Near names: a sorted neighbourhood, not every pair


def all_pairs(documents: list[Document], people: dict[str, Person]) -> list[tuple[str, str]]:
    """near_names as it was: each name seen once compared with every more frequent one."""
    turns = collections.Counter(p.speaker for d in documents for p in d.paragraphs if p.label and p.speaker)
    persons = [p for p in people.values() if p.kind == "person" and p.documents]
    weight = {p.id: (len(p.documents), turns[p.id], p.id) for p in persons}
    out = []
    for rare in (p for p in persons if len(p.documents) == 1):
        close = [p for p in persons if p.id != rare.id and weight[p.id] > weight[rare.id]
                 and p.name[:1] == rare.name[:1]
                 and difflib.SequenceMatcher(None, rare.name.casefold(), p.name.casefold()).ratio() >= CLOSE]
        if close:
            out.append((rare.name, max(close, key=lambda p: weight[p.id]).name))
    return out


def found_pairs(problems) -> list[tuple[str, str]]:
    return [tuple(re.findall(r"'([^']*)'", p.message)[:2]) for p in problems]


def test_near_names_of_the_corpus_are_those_of_every_pair(corpus):
    from annals.load import read_documents
    from annals.registry import load_registry
    from annals.resolve import resolve
    documents, _, _ = read_documents(corpus / "sources")
    registry, _ = load_registry(ROOT / "registry")
    documents, people = resolve(documents, registry)
    found = found_pairs(near_names(documents, people))
    assert found == all_pairs(documents, people) == [("Dmitry Schugorev", "Dmitry Shchugorev"),
                                                     ("Kirill Kleimenov", "Kirill Kleymenov")]


def speaking(names: list[str], heard: dict[str, int]) -> tuple[list[Document], dict[str, Person]]:
    """One document per name, its speaker heard in `heard[name]` documents (1 if not given)."""
    documents, people = [], {}
    for i, name in enumerate(names):
        pid = re.sub(r"\W+", "-", name.lower())
        docs = tuple(f"d{i}-{k}" for k in range(heard.get(name, 1)))
        for d in docs:
            documents.append(Document(source=f"{d}.txt", title=d, date=__import__("datetime").date(2021, 1, 1), id=d,
                                      speakers=(Speaker(pid, name, "person"),),
                                      paragraphs=(Paragraph(1, 5, "Hello.", label=name, turn=name, speaker=pid),)))
        people[pid] = Person(pid, name, documents=docs)
    return documents, people


def test_near_names_find_misspellings_among_many_names():
    """Misspellings at the start, middle and end of given names and surnames, among 400 other names: the same
    findings as comparing every pair."""
    right = ["Kirill Kleymenov", "Sergey Kiriyenko", "Dmitry Peskov", "Alexander Novak", "Maria Zakharova",
             "Anton Vaino", "Yury Ushakov", "Elvira Nabiullina"]
    wrong = ["Kirill Kleimenov", "Sergei Kirienko", "Dmitri Peskov", "Aleksandr Novak", "Mariya Zakharova",
             "Anton Vayno", "Yuri Ushakov", "Elvira Nabiulina"]
    names = speaker_names(400) + right + wrong
    documents, people = speaking(names, {name: 3 for name in right})
    found = found_pairs(near_names(documents, people))
    assert set(zip(wrong, right)) <= set(found)
    assert sorted(found) == sorted(all_pairs(documents, people))


def test_near_names_compare_a_bounded_number_of_pairs(monkeypatch):
    import annals.check as check
    made = []

    class Counting(difflib.SequenceMatcher):
        def __init__(self, *args):
            made.append(1)
            super().__init__(*args)
    monkeypatch.setattr(check.difflib, "SequenceMatcher", Counting)
    names = speaker_names(3000)
    documents, people = speaking(names, {})
    near_names(documents, people)
    assert 0 < len(made) <= 4 * Neighbours.WINDOW * len(names)  # every pair with the same initial: ~900,000


def test_neighbours_are_found_in_both_orders():
    persons = [Person(f"p{i}", n) for i, n in enumerate(["Ann Lee", "Bo Ek", "Xan Lee", "Ann Leigh", "Cy Do"])]
    near = Neighbours(persons)
    assert [p.name for p in near.of(persons[0])][:2] == ["Ann Leigh", "Bo Ek"]  # as written: the next names
    assert "Xan Lee" in [p.name for p in near.of(persons[0])]  # read backwards: "eel nax" beside "eel nna"


# 1c (speakers' pages). A document of thousands of speakers: looked up by id


def test_a_document_of_many_speakers_finds_each_by_id():
    speakers = tuple(Speaker(f"s{i}", f"S {i}", "person") for i in range(40)) + (Speaker("s3", "Again", "person"),)
    doc = Document(source="a.txt", title="A", date=__import__("datetime").date(2021, 1, 1), speakers=speakers)
    assert doc.speaker("s3").name == "S 3" and doc.speaker("s39").name == "S 39" and doc.speaker("nobody") is None
    other = dataclasses.replace(doc, speakers=tuple(dataclasses.replace(s, name=s.name + "!") for s in speakers))
    assert other.speaker("s3").name == "S 3!" and doc.speaker("s3").name == "S 3"


# 1d. The export of events: the people and places of a paragraph found once


def test_events_name_the_people_and_places_of_their_paragraph(tmp_path):
    from annals.export import document_json
    text = HEAD + "In Moscow Vladimir Putin met him on 5 May 2021 and on 6 May 2021 in Paris.\n\nLater, in 2022.\n"
    archive = archive_of(tmp_path, text)
    doc = archive.documents[0]
    exported = document_json(doc, archive.entities)
    by_paragraph = collections.defaultdict(set)
    for m in doc.mentions:
        by_paragraph[m.paragraph, m.type].add(m.entity)
    assert len(exported["events"]) == 3
    for e in exported["events"]:
        assert e["people"] == sorted(by_paragraph[e["paragraph"], "person"])
        assert e["places"] == sorted(by_paragraph[e["paragraph"], "place"])
    assert {"moscow", "paris"} <= set(exported["events"][0]["places"]) and not exported["events"][2]["places"]


# 2. What build refuses, check finds: at the lines that gave it


def problems_of(tmp_path, text: str, registry: dict[str, str] | None = None) -> list[tuple[str, int, str]]:
    with pytest.raises(AnnalsError) as caught:
        archive_of(tmp_path, text, registry)
    return [(Path(p.path).name, p.line, p.message) for p in caught.value.problems if p.severity == "error"]


def test_a_tag_named_index_is_an_error_at_the_tags_line(tmp_path):
    text = "---\ntags: [energy, Index, '!!!']\n---\n" + HEAD + "Talks.\n"
    assert problems_of(tmp_path, text) == [
        ("t.txt", 2, "tag '!!!' cannot name a page: its id would be ''"),
        ("t.txt", 2, "tag 'Index' cannot name a page: its id would be 'index'")]


def test_a_place_named_index_is_an_error_at_the_place_line(tmp_path):
    assert problems_of(tmp_path, "Costs\n\n20 July 2021, 19:40\nIndex\n\nTalks.\n") == [
        ("t.txt", 4, "place 'Index' cannot name a page: its id would be 'index'")]
    assert problems_of(tmp_path, "---\ntitle: Costs\nplace: Index\n---\n20 July 2021\n\nTalks.\n") == [
        ("t.txt", 3, "place 'Index' cannot name a page: its id would be 'index'")]


def test_registry_entries_and_terms_that_cannot_name_a_page_are_errors_at_their_lines(tmp_path):
    registry = {"places.yml": "- name: Moscow\n- name: Registry Index\n  id: index\n",
                "glossary.yml": "- term: CIS\n  definition: Commonwealth\n- term: '...'\n  definition: dots\n"}
    assert problems_of(tmp_path, HEAD + "Talks in Registry Index.\n", registry) == [
        ("places.yml", 2, "place 'Registry Index' cannot name a page: its id would be 'index'"),
        ("glossary.yml", 3, "glossary term '...' cannot name an anchor: its id would be ''")]


def test_check_reports_what_build_refuses(tmp_path, capsys):
    """`annals check` exits 1 with the located error; the render's own guard refuses an archive made by hand."""
    from annals.cli import main
    from annals.index import Archive
    from annals.model import Entity
    from annals.render.pages import check_ids
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "t.txt").write_text("---\ntags: [Index]\n---\n" + HEAD + "Talks.\n", encoding="utf-8")
    assert main(["check", "--sources", str(tmp_path / "s")]) == 1
    assert "t.txt:2: tag 'Index' cannot name a page: its id would be 'index'" in capsys.readouterr().err
    archive = Archive((), {}, entities={"topic:index": Entity("topic", "index", "Index", origin="tags")})
    with pytest.raises(AnnalsError, match=r"^registry: topic id 'index' cannot name a page") as caught:
        check_ids(archive)
    assert len(caught.value.problems) == 1


def test_an_archive_without_a_word_to_index_is_a_warning(tmp_path):
    archive = archive_of(tmp_path, HEAD + "...\n\n* * *\n\n— ?\n")
    (problem,) = [p for p in archive.problems if "search" in p.message]
    assert (Path(problem.path).name, problem.line, problem.severity) == ("t.txt", 1, "warning")
    assert problem.message == ("no document has a word that search could index (every paragraph is empty or only "
                               "punctuation): the site will have no search")
    assert not [p for p in archive_of(tmp_path, HEAD + "... 1\n").problems if "search" in p.message]


@pytest.mark.site
def test_a_site_without_a_word_to_index_builds_without_a_search_index(tmp_path, caplog):
    from conftest import build_project_site, project_copy
    project = project_copy(tmp_path / "project")
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "t.txt").write_text(HEAD + "...\n", encoding="utf-8")
    with caplog.at_level("WARNING"):
        site = build_project_site(project, tmp_path / "s")
    assert (site / "search" / "index.html").is_file() and not (site / "pagefind").exists()
    assert any("no document has a word to index" in r.getMessage() for r in caplog.records)


# The benchmark's inputs


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_texts_are_documents_of_their_size(case, tmp_path):
    prose = (ROOT / "sources" / "president-az-52519.txt").read_text(encoding="utf-8")
    text = hostile_text(case, 2000 if case != "speakers" else 30, prose)
    archive = archive_of(tmp_path, text)
    (doc,) = archive.documents
    if case == "speakers":
        assert len({p.speaker for p in doc.paragraphs if p.speaker}) == 30
    else:
        assert 1500 <= sum(len(p.text) for p in doc.paragraphs) <= 2100  # the prose loses its line breaks
    assert len(speaker_names(50)) == 50 == len(set(speaker_names(50)))
