"""A document's view (annals.views): its page and data files rendered from it are those rendered from the whole
archive, and a generation renders again only the documents whose view changed."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annals import cache
from annals.load import load_archive
from annals.export import document_files
from annals.generate import generate
from annals.manifest import MANIFEST
from annals.render.pages import render_plan, render_task
from annals.views import document_view, view_key
from conftest import ROOT, THREE_TEXTS, project_copy

PARAGRAPH = "The venue and entry procedures for accredited journalists will be announced later."


@pytest.fixture(scope="module")
def demo():
    """The demo archive (this project's sources and registry) and its cross-references."""
    archive = load_archive(ROOT / "sources", ROOT / "registry")
    return archive, render_plan(archive)[2]


@pytest.mark.site
def test_every_document_renders_the_same_from_its_view_as_from_the_whole_archive(demo):
    archive, refs = demo
    assert len(archive.documents) > 100
    for i, doc in enumerate(archive.documents):
        view = document_view(archive, refs, i)
        assert view[0].documents == (doc,)
        assert render_task(*view, ("document", 0)) == render_task(archive, refs, ("document", i)), doc.source
        site = "https://archive.example.org/"
        assert document_files(view[0], doc, site) == document_files(archive, doc, site), doc.source


@pytest.mark.site
def test_a_view_holds_no_more_than_its_document_shows(demo):
    archive, refs = demo
    i = next(i for i, d in enumerate(archive.documents) if archive.related.get(d.id))
    view, view_refs = document_view(archive, refs, i)
    assert all(not p.documents for p in view.people.values())  # a person's list grows with every document
    others = [d for d in view_refs.docs.values() if d is not archive.documents[i]]
    assert others and all(not d.paragraphs and not d.mentions for d in others)  # related: date, title, id
    assert len(view.entities) < len(archive.entities)


def generation(tmp_path: Path, name: str) -> tuple[dict, dict[str, bytes]]:
    """Generate the files of tmp_path's sources and registry into tmp_path/name: its manifest and files."""
    folder = tmp_path / name
    generate(tmp_path / "sources", tmp_path / "registry", folder=folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    root = folder / "files"
    return manifest, {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.mark.site
def test_a_generation_renders_again_only_the_documents_whose_view_changed(tmp_path):
    project_copy(tmp_path, *THREE_TEXTS)
    first, _ = generation(tmp_path, "gen")
    assert first["rendered"] == 3 and len(first["views"]) == 3

    assert first["entities_rendered"] == len(first["entity_pages"]) > 10  # places, organisations, topics ...
    assert {k.split(":")[0] for k in first["entity_pages"]} >= {"place", "person", "pair", "index"}
    edit(tmp_path / "sources" / "kremlin-17100.txt", PARAGRAPH, PARAGRAPH.replace("later.", "later, by phone."))
    edited, files = generation(tmp_path, "gen")
    assert edited["rendered"] == 1
    archive = load_archive(tmp_path / "sources", tmp_path / "registry")
    doc = next(d for d in archive.documents if d.source == "kremlin-17100.txt")
    named = {m.key for m in doc.mentions if m.type != "person"}  # the pages of what the edited text names
    named |= {f"person:{p.id}" for p in archive.people.values() if doc.id in p.documents}  # who speak in it
    named |= {f"person:{m.entity}" for m in doc.mentions if m.type == "person" and m.entity in archive.people}
    named |= {f"pair:{k}" for k, docs in archive.meetings.items() if doc.id in docs}  # who met in it
    named |= {f"index:timeline/{doc.date.year}.md"}  # and the year of the timeline it is in; no other
    assert {k for k, v in edited["entity_pages"].items() if v != first["entity_pages"][k]} == named
    assert 0 < edited["entities_rendered"] == len(named) < len(first["entity_pages"])
    changed = {d for d, v in edited["views"].items() if v != first["views"][d]}
    assert changed == {"2012-12-10-accreditation-is-open-for-journalists-to-cover-the-meeting-of-the"}
    assert generation(tmp_path, "cold")[1] == files  # the same bytes as a generation from nothing

    glossary = tmp_path / "registry" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n- id: venue\n  term: venue\n"
                        "  definition: Where the meeting takes place.\n", encoding="utf-8")
    glossed, files = generation(tmp_path, "gen")
    assert glossed["rendered"] == 3  # every document's text may hold the new term
    assert "Where the meeting takes place." in files["documents/2012/2012-12-10-accreditation-is-open-for-"
                                                     "journalists-to-cover-the-meeting-of-the.md"].decode()
    assert generation(tmp_path, "cold2")[1] == files


@pytest.mark.site
def test_a_view_has_the_same_key_in_another_process(tmp_path):
    """The keys are digests of pickled views: a process of another hash seed (sets, dicts) finds the same, and a
    change that no view holds (a new registry file of no use) renders nothing again."""
    project_copy(tmp_path, *THREE_TEXTS)
    first, _ = generation(tmp_path, "gen")
    (tmp_path / "registry" / "notes.txt").write_text("not a registry file\n", encoding="utf-8")
    script = ("import sys; from pathlib import Path; from annals.generate import generate; "
              "generate(Path(sys.argv[1]) / 'sources', Path(sys.argv[1]) / 'registry', folder=Path(sys.argv[1]) / 'gen')")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    remembered = {p: p.read_bytes() for p in (cache.cache_root() / "remembered").rglob("*.pickle")}
    assert len(remembered) >= 9  # annals.memo: the names, mentions and contacts of each text
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env)
    again = json.loads((tmp_path / "gen" / MANIFEST).read_text(encoding="utf-8"))
    assert again["key"] != first["key"] and again["rendered"] == 0 and again["entities_rendered"] == 0
    assert again["views"] == first["views"] and again["entity_pages"] == first["entity_pages"]
    assert {p: p.read_bytes() for p in (cache.cache_root() / "remembered").rglob("*.pickle")} == remembered  # found


@pytest.mark.site
def test_the_key_of_a_view_changes_with_what_it_shows(demo):
    archive, refs = demo
    i = next(i for i, d in enumerate(archive.documents) if archive.related.get(d.id))
    view = document_view(archive, refs, i)
    assert view_key(view, "a") == view_key(document_view(archive, refs, i), "a")
    assert view_key(view, "a") != view_key(view, "b")  # the code, the glossary, the site's address
    other = archive.related[archive.documents[i].id][0][0]
    view[1].docs[other] = type(view[1].docs[other])(source="", title="Another title", date=view[1].docs[other].date,
                                                   id=other)
    assert view_key(view, "a") != view_key(document_view(archive, refs, i), "a")  # a related document's title


@pytest.mark.site
def test_the_keys_of_people_pairs_and_years_change_with_a_name_they_show(demo):
    """A pair's page, a person's and a year of the timeline show the names of people whose documents they do not
    hold (a partner, the other of a pair): a new name for one makes new keys, though no document changed."""
    import dataclasses

    from annals.generate import page_key

    archive, refs = demo
    key, (a, b) = next((k, pair) for k, pair in refs.pairs.items() if archive.contacts.get(k))
    year = next(y for y, months in refs.timeline.items()
                if any(e.contact is not None and b in e.contact.people for es in months.values() for e in es))
    tasks = [("pair", key), ("person", a), ("index", f"timeline/{year}.md")]
    before = [page_key(archive, refs, task, "code") for task in tasks]
    assert all(k is not None for _, k in before) and page_key(archive, refs, tasks[0], "other code") != before[0]
    renamed = dataclasses.replace(archive, people={**archive.people,
                                                   b: dataclasses.replace(archive.people[b], name="Someone Else")})
    assert renamed.fingerprints == archive.fingerprints
    after = [page_key(renamed, refs, task, "code") for task in tasks]
    for task, (name, old), (_, new) in zip(tasks, before, after):
        assert new != old, task
        fresh = dataclasses.replace(refs, index=None)  # its index pages are bound to the archive they were made of
        assert render_task(renamed, fresh, task) != render_task(archive, fresh, task), task  # it shows the name
    assert page_key(dataclasses.replace(archive), refs, tasks[0], "code") == before[0]  # the same archive, the same


@pytest.mark.site
def test_an_alias_changes_the_key_of_its_bearers_page_and_of_no_document_that_names_them(demo):
    """Another name in the registry shows on its bearer's page ("Also written as"), never on a document's page
    or data files: the views of the documents that name them keep their keys (and their bytes: the test above
    renders each view as the whole archive does, aliases and all)."""
    import dataclasses

    from annals.generate import page_key

    archive, refs = demo
    person = max((p for p in archive.people.values() if p.kind == "person"), key=lambda p: len(p.documents))
    named = [i for i, d in enumerate(archive.documents) if d.id in set(person.documents)]
    assert len(named) > 10
    views = [view_key(document_view(archive, refs, i), "code") for i in named]
    aliased = dataclasses.replace(archive, people={**archive.people, person.id: dataclasses.replace(
        person, aliases=(*person.aliases, "A Benchmark Alias"))})
    assert [view_key(document_view(aliased, refs, i), "code") for i in named] == views
    task = ("person", person.id)
    assert page_key(aliased, refs, task, "code") != page_key(archive, refs, task, "code")
    assert "A Benchmark Alias" in render_task(aliased, dataclasses.replace(refs, index=None), task)[1]


@pytest.mark.site
def test_a_registry_name_changed_makes_the_pages_that_show_it_as_from_nothing(tmp_path):
    project_copy(tmp_path, *THREE_TEXTS)
    generation(tmp_path, "gen")
    edit(tmp_path / "registry" / "people.yml", "  name: Ilham Aliyev\n", "  name: Ilham H. Aliyev\n")
    renamed, files = generation(tmp_path, "gen")
    shown = [p for p, text in files.items() if p.startswith(("meetings/", "people/", "timeline/"))
             and b"Ilham H. Aliyev" in text]
    assert any(p.startswith("meetings/") and p != "meetings/index.md" for p in shown), shown
    assert generation(tmp_path, "cold")[1] == files


@pytest.mark.site
def test_a_documents_fingerprint_stands_for_it_in_the_key_of_its_view(demo):
    archive, refs = demo
    i = next(i for i, d in enumerate(archive.documents) if archive.related.get(d.id))
    doc = archive.documents[i]
    fingerprint = archive.fingerprints[doc.id]
    view = document_view(archive, refs, i)
    assert view_key(view, "a", fingerprint) == view_key(document_view(archive, refs, i), "a", fingerprint)
    assert view_key(view, "a", fingerprint) != view_key(view, "a", "another fingerprint")
    assert view_key(view, "a", fingerprint) != view_key(view, "a")  # a key of either kind, never both
    person = next(iter(view[0].people))  # what the view holds beside its document still counts
    view[0].people[person] = type(view[0].people[person])(id=person, name="Someone Else")
    assert view_key(view, "a", fingerprint) != view_key(document_view(archive, refs, i), "a", fingerprint)


@pytest.mark.site
def test_the_utterances_table_made_from_the_rows_kept_by_fingerprint_is_the_table(demo, tmp_path):
    from annals.export import archive_files
    from annals.generate import archive_data
    from annals.tables import utterances_csv

    archive, _ = demo
    whole = utterances_csv(archive)
    kept: dict[str, str] = {}
    assert utterances_csv(archive, kept) == whole and len(kept) == len(archive.documents)
    assert utterances_csv(archive, kept) == whole  # taken from what was kept
    where = tmp_path / "rows"
    assert archive_data(archive, where) == archive_files(archive)
    files = sorted(where.iterdir())
    assert len(files) > 10  # in shards, by the fingerprint's first characters
    stamps = {f.name: f.stat().st_mtime_ns for f in files}
    assert archive_data(archive, where) == archive_files(archive)  # from the files, none written again
    assert {f.name: f.stat().st_mtime_ns for f in where.iterdir()} == stamps

    import dataclasses
    import time
    time.sleep(0.01)
    edited = archive.documents[3].id  # its fingerprint changes, as an edit changes it: two files written, at most
    other = dataclasses.replace(archive, fingerprints={**archive.fingerprints, edited: "ff" + "0" * 62})
    assert archive_data(other, where) == archive_files(other)
    now = {f.name: f.stat().st_mtime_ns for f in where.iterdir()}
    changed = {n for n in now if stamps.get(n) != now[n]} | (set(stamps) - set(now))
    assert 1 <= len(changed) <= 2 and "ff.pickle" in changed, changed
    assert archive_data(archive, where) == archive_files(archive)  # and back
    damaged = sorted(where.iterdir())[0]
    damaged.write_bytes(damaged.read_bytes()[:-100])  # truncated: not trusted, made again
    assert archive_data(archive, where) == archive_files(archive)
    (where / "zz.pickle").write_bytes(b"stray")  # the file of no document's fingerprint: removed
    assert archive_data(archive, where) == archive_files(archive) and not (where / "zz.pickle").exists()


@pytest.mark.site
def test_the_people_and_entities_of_views_are_hashed_once_and_stand_for_themselves(demo):
    archive, refs = demo
    i = next(i for i, d in enumerate(archive.documents) if len(d.speakers) > 1)
    fingerprint = archive.fingerprints[archive.documents[i].id]
    digests: dict = {}
    key = view_key(document_view(archive, refs, i), "a", fingerprint, digests)
    assert digests and key == view_key(document_view(archive, refs, i), "a", fingerprint, {})  # from scratch
    view = document_view(archive, refs, i)
    person = next(iter(view[0].people))
    assert view[0].people[person] is document_view(archive, refs, i)[0].people[person]  # one copy, all views
    view[0].people[person] = type(view[0].people[person])(id=person, name="Someone Else")
    assert view_key(view, "a", fingerprint, digests) != key


@pytest.mark.site
def test_a_year_of_the_timeline_made_from_the_lines_kept_by_fingerprint_is_the_year(demo, monkeypatch):
    """A year's page renders again only the lines of documents whose fingerprint it has not seen, and is the
    page rendered from nothing; a line is never taken for another document or another entry."""
    import dataclasses

    from annals.render import timeline

    archive, refs = demo
    year = max(refs.timeline, key=lambda y: sum(len(es) for es in refs.timeline[y].values()))
    months, years = refs.timeline[year], list(refs.timeline)
    whole = timeline.render_timeline_year(year, months, years, archive)
    made = []
    entry_line = timeline.entry_line
    monkeypatch.setattr(timeline, "entry_line", lambda page, e, a: made.append(e.doc.id) or entry_line(page, e, a))
    kept: dict = {}
    assert timeline.render_timeline_year(year, months, years, archive, ({}, kept)) == whole
    entries = sum(len(es) for es in months.values())
    assert len(made) == entries > 20 and len(kept) == entries  # every entry has a line of its own
    made.clear()
    again: dict = {}
    assert timeline.render_timeline_year(year, months, years, archive, (kept, again)) == whole
    assert made == [] and again == kept

    edited = next(e.doc.id for es in months.values() for e in es)  # one document's fingerprint changes
    other = dataclasses.replace(archive, fingerprints={**archive.fingerprints, edited: "another fingerprint"})
    assert timeline.render_timeline_year(year, months, years, other, (kept, {})) == whole
    assert set(made) == {edited} and len(made) == sum(e.doc.id == edited for es in months.values() for e in es)


@pytest.mark.site
def test_a_persons_page_made_from_the_parts_kept_by_fingerprint_is_the_page(demo, monkeypatch):
    """A person's page takes the words and the list of their turns, and their timeline's lines, for each document
    whose fingerprint it has seen; the page is the one rendered from nothing."""
    import dataclasses

    from annals.render import pages

    archive, refs = demo
    person = max(archive.people.values(), key=lambda p: len(p.documents))
    whole = pages.render_person(person, archive, refs)
    made = []
    person_turns = pages.person_turns
    monkeypatch.setattr(pages, "person_turns", lambda page, doc, ts: made.append(doc.id) or person_turns(page, doc, ts))
    kept: dict = {}
    assert pages.render_person(person, archive, refs, ({}, kept)) == whole
    assert len(made) == len(person.documents) > 5
    assert {k[1] for k in kept} >= {"words", "turns", "said"}  # the three kinds of parts
    made.clear()
    again: dict = {}
    assert pages.render_person(person, archive, refs, (kept, again)) == whole and made == [] and again == kept
    edited = person.documents[0]
    other = dataclasses.replace(archive, fingerprints={**archive.fingerprints, edited: "another fingerprint"})
    assert pages.render_person(person, other, refs, (kept, {})) == whole and made == [edited]


@pytest.mark.site
def test_pages_of_entities_and_pairs_made_from_the_parts_kept_by_fingerprint_are_the_pages(demo, monkeypatch):
    """A place's page takes each document's lines of mentions, a pair's each contact's line and its timeline's,
    where it saw the document's fingerprint; each page is the one rendered from nothing."""
    import dataclasses

    from annals.render import entities, pairs

    archive, refs = demo
    place = max((e for e in archive.entities.values() if e.type == "place"), key=lambda e: len(refs.mentions[e.key]))
    pair = max(refs.pairs, key=lambda k: len(archive.contacts.get(k, ())))
    made = []
    for module, name in ((entities, "mentioned_lines"), (pairs, "contact_line")):
        monkeypatch.setattr(module, name, lambda *a, _f=getattr(module, name): made.append(a[1].id) or _f(*a))
    render = {"place": lambda a, lines: entities.render_entity(place, refs, lines, a.fingerprints),
              "pair": lambda a, lines: pairs.render_pair(pair, a, refs, lines)}
    for kind, page in render.items():
        whole = page(archive, None)
        made.clear()
        kept: dict = {}
        assert page(archive, ({}, kept)) == whole and len(made) > 3, kind
        made.clear()
        assert page(archive, (kept, {})) == whole and made == [], kind
        fingerprint = next(iter(kept))[0]  # the document it stands for, changed
        doc = next(d for d, f in archive.fingerprints.items() if f == fingerprint)
        other = dataclasses.replace(archive, fingerprints={**archive.fingerprints, doc: "another fingerprint"})
        assert page(other, (kept, {})) == whole and set(made) == {doc}, kind


@pytest.mark.site
def test_the_parts_a_page_keeps_are_kept_in_files_by_fingerprint_and_an_edit_writes_few(demo, tmp_path):
    """The parts of documents a person's page keeps (render_remembering) are in one file per first character of
    their document's fingerprint: a document's new fingerprint writes two files again at most, not the parts of
    every document of the page; a damaged file is not trusted; the page is always the one rendered from nothing."""
    import dataclasses
    import time

    from annals.generate import LINES, render_remembering

    archive, refs = demo
    person = max(archive.people.values(), key=lambda p: len(p.documents))
    task = ("person", person.id)
    fresh = dataclasses.replace(refs, index=None)
    whole = render_task(archive, fresh, task)
    assert render_remembering(archive, refs, task, tmp_path, "code") == whole
    where = tmp_path / LINES / "people" / person.id

    def stamps():
        return {f.name: f.stat().st_mtime_ns for f in where.iterdir()}

    before = stamps()
    assert len(before) > 5
    assert render_remembering(archive, refs, task, tmp_path, "code") == whole and stamps() == before
    time.sleep(0.01)
    edited = person.documents[0]
    other = dataclasses.replace(archive, fingerprints={**archive.fingerprints, edited: "f" * 64})
    assert render_remembering(other, refs, task, tmp_path, "code") == render_task(other, fresh, task)
    now = stamps()
    changed = {n for n in now if before.get(n) != now[n]} | (set(before) - set(now))
    assert 1 <= len(changed) <= 2 and "f.pickle" in changed, changed
    damaged = sorted(where.iterdir())[0]
    damaged.write_bytes(damaged.read_bytes()[:-50])
    assert render_remembering(archive, refs, task, tmp_path, "code") == whole
    assert render_remembering(archive, refs, task, tmp_path, "other code") == whole  # other code: none taken
