"""Work remembered between builds (annals.memo): an edited text has its names, mentions and contacts found again,
the others are taken from the cache, and the archive is the one a fresh cache gives."""
from __future__ import annotations

import collections
import dataclasses
import datetime
import shutil
from pathlib import Path

import pytest

from annals import contacts, memo, mentions
from annals.load import load_archive
from annals.mentions import by_weight, still_chosen
from annals.model import Document
from conftest import ROOT, THREE_TEXTS

EDITED = "kremlin-17100.txt"
PARAGRAPH = "The venue and entry procedures for accredited journalists will be announced later."


@pytest.fixture
def counted(monkeypatch):
    """The documents (by source) each step worked on, as the steps are called."""
    calls: dict[str, list[str]] = collections.defaultdict(list)
    for module, name in ((mentions, "named_of"), (mentions, "mentions_of"), (contacts, "contacts_of")):
        def wrapper(data, i, _step=getattr(module, name), _name=name):
            calls[_name].append(data[0][i].source)
            return _step(data, i)
        monkeypatch.setattr(module, name, wrapper)
    return calls


def sources_of(folder, edited: bool = False):
    folder.mkdir()
    for name in THREE_TEXTS:
        shutil.copy(ROOT / "sources" / name, folder / name)
    if edited:
        text = (folder / EDITED).read_text(encoding="utf-8")
        assert PARAGRAPH in text
        (folder / EDITED).write_text(text.replace(PARAGRAPH, PARAGRAPH.replace("later.", "later, by telephone.")), encoding="utf-8")
    return folder


def test_a_load_after_an_edit_finds_names_mentions_and_contacts_again_in_the_edited_text_alone(
        tmp_path, monkeypatch, counted):
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    sources = sources_of(tmp_path / "sources")
    load_archive(sources, ROOT / "registry")
    assert {step: len(docs) for step, docs in counted.items()} == {"named_of": 3, "mentions_of": 3, "contacts_of": 3}

    counted.clear()
    before = load_archive(sources, ROOT / "registry")  # nothing changed: all remembered
    assert dict(counted) == {}

    sources_edited = sources_of(tmp_path / "edited", edited=True)
    shutil.rmtree(sources)
    sources_edited.rename(sources)
    archive = load_archive(sources, ROOT / "registry")
    assert dict(counted) == {"named_of": [EDITED], "mentions_of": [EDITED], "contacts_of": [EDITED]}
    edited = next(d for d in archive.documents if d.source == EDITED)
    assert any("by telephone" in p.text for p in edited.paragraphs)

    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "fresh"))
    fresh = load_archive(sources, ROOT / "registry")
    assert archive.documents == fresh.documents
    assert archive.people == fresh.people and archive.entities == fresh.entities

    # Each document's fingerprint: the same for the same document, from the cache or not; another for the edited
    assert archive.fingerprints == fresh.fingerprints and set(archive.fingerprints) == {d.id for d in archive.documents}
    changed = {d.source for d in archive.documents if archive.fingerprints[d.id] != before.fingerprints[d.id]}
    assert changed == {EDITED}
    assert all(d == next(b for b in before.documents if b.id == d.id) for d in archive.documents if d.source != EDITED)


def test_a_remembered_result_that_no_longer_holds_is_made_again(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path))
    made = []

    def step(data, i):
        made.append(i)
        return data[i].title * 2

    documents = [Document(f"{t}.txt", t, datetime.date(2020, 1, 1)) for t in "ab"]
    assert memo.remembered_map(step, documents, documents, "k", "test") == ["aa", "bb"]
    assert memo.remembered_map(step, documents, documents, "k", "test") == ["aa", "bb"]
    assert made == [0, 1]
    assert memo.remembered_map(step, documents, documents, "k", "test", still=lambda r: r != "bb") == ["aa", "bb"]
    assert made == [0, 1, 1]
    assert memo.remembered_map(step, documents, documents, "other", "test") == ["aa", "bb"]  # shared data changed
    assert made == [0, 1, 1, 0, 1]
    edited = [documents[0], dataclasses.replace(documents[1], title="c")]
    assert memo.remembered_map(step, edited, edited, "other", "test") == ["aa", "cc"]
    assert made == [0, 1, 1, 0, 1, 1]
    assert len(list((tmp_path / "remembered" / "test").rglob("*.pickle"))) == 2  # one result per step and text
    place = Path(memo.place("test", "a.txt"))
    place.write_bytes(place.read_bytes()[:-3])  # a damaged record is never trusted
    assert memo.remembered_map(step, edited, edited, "other", "test") == ["aa", "cc"]
    assert made == [0, 1, 1, 0, 1, 1, 0]


def test_a_choice_made_by_weight_holds_while_the_weights_make_it_still():
    keys = ("person:a", "person:b")
    assert by_weight(keys, {"person:a": 50, "person:b": 2}) == "person:a"
    assert by_weight(keys, {"person:a": 50, "person:b": 6}) is None
    result = ((), [], ((keys, "person:a"),))
    assert still_chosen({"person:a": 51, "person:b": 2}, result)  # one more document: the same choice
    assert not still_chosen({"person:a": 50, "person:b": 6}, result)
    assert still_chosen({}, ((), [], ()))


def test_steps_of_one_session_pickle_each_document_once_and_a_derived_one_as_its_new_field(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path))
    pickled = []
    canonical = memo.cache.canonical

    def counting(value):
        pickled.append(type(value).__name__)
        return canonical(value)

    monkeypatch.setattr(memo.cache, "canonical", counting)
    docs = [Document(source=f"{n}.txt", title=f"Text {n}", date=datetime.date(2020, 1, n + 1), id=f"t{n}")
            for n in range(3)]
    with memo.session():
        first = memo.remembered_map(lambda data, i: i, docs, None, "", "one", digests=(one := []))
        memo.remembered_map(lambda data, i: -i, docs, None, "", "two")
        assert pickled.count("Document") == 3 and first == [0, 1, 2]  # once each, for both steps
        titled = [dataclasses.replace(d, title=d.title + "!") for d in docs]
        for new, old in zip(titled, docs):
            memo.derive(new, old, "title")
        memo.remembered_map(lambda data, i: i, titled, None, "", "three", digests=(three := []))
        assert pickled.count("Document") == 3 and pickled.count("str") == 3  # the new titles alone
    assert memo.KNOWN == {}  # the session's documents are let go
    again = []
    memo.remembered_map(lambda data, i: i, docs, None, "", "one", digests=again)  # outside a session: pickled
    assert again == one and pickled.count("Document") == 6

    # A derived digest is another document's digest only where that is the same document, however made
    whole = [memo.document_digest(d) for d in titled]
    assert len(set(whole)) == 3 and not set(whole) & {memo.document_digest(d) for d in docs}
    derived = [memo.document_digest(d, (memo.document_digest(o), "title")) for d, o in zip(titled, docs)]
    assert len(set(derived)) == 3 and not set(derived) & set(whole)
    other = dataclasses.replace(docs[0], title="Another title")
    assert memo.document_digest(other, (memo.document_digest(docs[0]), "title")) != derived[0]
    assert [memo.outcome_digest("three", d, r) for d, r in zip(derived, [0, 1, 2])] == three


def test_the_digest_of_a_document_with_its_result_follows_the_result_not_what_else_the_step_shares(tmp_path,
                                                                                                   monkeypatch):
    """A new alias in the registry changes what the contacts step shares (its gazetteer): every result is made
    again, but a document whose result is the same keeps its digest (its fingerprint, for the pages that show
    it); one whose result changed gets a new one."""
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path))
    docs = [Document(source=f"{n}.txt", title=f"Text {n}", date=datetime.date(2020, 1, n + 1), id=f"t{n}")
            for n in range(3)]
    memo.remembered_map(lambda data, i: i, docs, None, "registry 1", "contacts", digests=(before := []))
    made = []
    memo.remembered_map(lambda data, i: made.append(i) or (i if i else "new"), docs, None, "registry 2",
                        "contacts", digests=(after := []))
    assert made == [0, 1, 2]  # made again, not kept (three documents: made here, not in workers)
    assert after[1:] == before[1:] and after[0] != before[0]
    assert len(set(before)) == 3


def test_the_models_dataclasses_pickle_as_their_fields_and_come_back_equal():
    import pickle

    from annals import model, offices

    archive = load_archive(ROOT / "sources", ROOT / "registry")
    doc = next(d for d in archive.documents if d.mentions and d.contacts and d.speakers)
    slotted = [cls for module in (model, offices) for cls in vars(module).values()
               if isinstance(cls, type) and dataclasses.is_dataclass(cls) and "__slots__" in vars(cls)]
    assert {model.Paragraph, model.Mention, model.Contact, model.Person, offices.Office} <= set(slotted)
    assert all(cls.__reduce__ is not object.__reduce__ for cls in slotted)
    for value in (doc, list(archive.people.values()), archive.offices):
        assert pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)) == value


def registry_copy(folder):
    shutil.copytree(ROOT / "registry", folder)
    return folder


def add_to(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_change_of_names_finds_names_again_in_the_texts_that_write_its_words_alone(tmp_path, monkeypatch, counted):
    """A registry alias, or a new entry, changes the names every step shares: only the texts that write each
    word of a changed name are scanned again (none, for a name no text writes), and the archive is the one an
    empty cache gives."""
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    sources, registry = sources_of(tmp_path / "sources"), registry_copy(tmp_path / "registry")
    load_archive(sources, registry)
    steps = ("named_of", "mentions_of", "contacts_of")

    for change, touched in (
            (("people.yml", "aliases: [I.Aliyev,", "aliases: [Ilham Heydarovich, I.Aliyev,"), []),
            (("organizations.yml", "\n- name:", "\n- name: Technopark\n- name:"), ["kremlin-17976.txt"]),
            # "Ivan" begins a form now: the text that writes it ("Ivan", "Ivanov"), not the one writing "Sechenov"
            (("people.yml", "aliases: [Andrei Rudenko]", "aliases: [Andrei Rudenko, Ivan Sechenov]"),
             ["kremlin-17976.txt"])):
        counted.clear()
        add_to(registry / change[0], *change[1:])
        archive = load_archive(sources, registry)
        assert {step: sorted(set(done)) for step, done in counted.items()} == {step: touched for step in steps if touched}
        monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / f"fresh-{len(touched)}-{change[0]}"))
        fresh = load_archive(sources, registry)
        monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
        assert archive.documents == fresh.documents and archive.fingerprints == fresh.fingerprints
        assert archive.people == fresh.people and archive.entities == fresh.entities
    assert any(m.entity == "technopark" for d in archive.documents for m in d.mentions)


@pytest.mark.site
def test_after_any_change_of_names_the_remembered_archive_is_the_one_an_empty_cache_gives(tmp_path, monkeypatch):
    """Changes of every kind to the registry's names, one after another on the 115 demo texts: an alias of a
    person of many texts, a new given name, an entry renamed, an alias removed, a new place; after each, the
    archive loaded with the cache of the one before equals the archive loaded with an empty cache."""
    sources, registry = ROOT / "sources", registry_copy(tmp_path / "registry")
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    load_archive(sources, registry)
    for i, (name, old, new) in enumerate((
            ("people.yml", "aliases: [V.Putin,", "aliases: [Volodya Putin, V.Putin,"),
            ("people.yml", "name: Heydar Aliyev\n", "name: Heydar Alirza Aliyev\n"),
            ("people.yml", "Vladimir Vladimirovich]", "]"),
            ("places.yml", "\n- name:", "\n- name: Vnukovo\n  aliases: [Vnukovo Airport]\n- name:"),
            ("people.yml", "aliases: [Andrei Rudenko]", "aliases: [Andrei Rudenko, Mr Rudenko, Rudenko]"))):
        add_to(registry / name, old, new)
        archive = load_archive(sources, registry)
        monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / f"fresh-{i}"))
        fresh = load_archive(sources, registry)
        monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
        assert archive.documents == fresh.documents, (name, new)
        assert archive.fingerprints == fresh.fingerprints and archive.people == fresh.people
        assert archive.entities == fresh.entities


def test_a_change_of_names_touches_the_texts_that_write_every_word_of_a_changed_name():
    """gazetteer.changes and touches, on two gazetteers: an alias's words; an entity renamed touches the texts
    naming it or where it speaks; too many changes touch every text."""
    from annals.gazetteer import CHANGES, Gazetteer, changes, touches
    from annals.model import Entity, Mention, Paragraph, Speaker

    def gazetteer(*extra):
        g = Gazetteer()
        g.add(Entity("person", "ilham-aliyev", "Ilham Aliyev"), ("Ilham Aliyev", *extra), "registry")
        g.add(Entity("place", "baku", "Baku"), ("Baku",), "registry")
        return g

    def doc(text, **fields):
        return Document(source="x.txt", title="T", date=datetime.date(2020, 1, 1),
                        paragraphs=(Paragraph(1, text, 2),), **fields)

    before = gazetteer().table()
    after = gazetteer("Ilham Heydarovich").table()
    found = changes(before, after)
    assert found == [("heydarovich", "ilham")]  # the new form's words ("Ilham" begins forms already)
    assert touches(found, doc("Then ILHAM HEYDAROVICH said."))  # in any case
    assert touches(found, doc("Ilham Aliyev and Mr Heydarovich."))  # anywhere in the text: never too few
    assert not touches(found, doc("Ilham Aliyev arrived in Baku.")) and not touches(found, doc("Mr Heydarovich"))
    found = changes(before, gazetteer("Heydar Ilhamovich").table())
    assert found == [("heydar",), ("heydar", "ilhamovich")]  # "Heydar" begins a form now
    renamed = Gazetteer()
    renamed.add(Entity("person", "ilham-aliyev", "Ilham H. Aliyev"), ("Ilham Aliyev",), "registry")
    renamed.add(Entity("place", "baku", "Baku"), ("Baku",), "registry")
    found = changes(before, renamed.table())
    assert touches(found, doc("Mr Aliyev spoke."))  # a surname of the entity
    assert touches(found, doc("He spoke.", speakers=(Speaker("ilham-aliyev", "Ilham Aliyev", "person"),)))
    assert touches(found, doc("He spoke.", mentions=(Mention(1, 0, 2, "person", "ilham-aliyev", "He"),)))
    assert not touches(found, doc("Baku, a city."))
    many = gazetteer(*(f"Name{i} Aliyev" for i in range(CHANGES))).table()
    assert changes(before, many) is None


def test_a_result_is_kept_through_changes_of_names_that_do_not_touch_its_text(tmp_path, monkeypatch):
    """Each change of names makes again the results of the texts it touches; a text no change touched keeps the
    result it had, under the key of the run that made it, while the step remembers that many changes."""
    from annals.gazetteer import Gazetteer
    from annals.model import Entity, Paragraph

    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path))
    docs = [Document(source=f"{n}.txt", title=f"Text {n}", date=datetime.date(2020, 1, 1), id=f"t{n}",
                     paragraphs=(Paragraph(1, text, 2),))
            for n, text in enumerate(("Nothing here.", "Mr Smith and Mr Jones.", "Dr Jones."))]

    def names(*aliases):
        g = Gazetteer()
        g.add(Entity("person", "john-smith", "John Smith"), ("John Smith", *aliases), "registry")
        return g

    def run(g):
        made = []
        found = memo.remembered_map(lambda data, i: made.append(i) or docs[i].title, docs, None, "k", "step", names=g)
        assert found == [d.title for d in docs]
        return made

    assert run(names()) == [0, 1, 2]
    assert run(names()) == []
    assert run(names("Mr Smith")) == [1]  # "Mr" and "Smith": the text that writes both
    assert run(names("Mr Smith", "Dr Jones")) == [2]  # text 1 writes "Jones", not "Dr"
    assert run(names("Mr Smith", "Dr Jones", "Johnny")) == []  # no text writes "Johnny"
    # Remembering two changes only: a result made three changes ago is made again
    monkeypatch.setattr(memo, "HISTORY", 2)
    assert run(names("Mr Smith", "Dr Jones", "Johnny", "Xavier")) == [0, 1]  # made four and three changes ago
    assert run(names("Mr Smith", "Dr Jones", "Johnny", "Xavier", "Yves")) == [2]  # made three changes ago
    assert run(names("Mr Smith", "Dr Jones", "Johnny", "Xavier", "Yves", "Smith John")) == [1]  # touched

    # The texts found untouched are vouched for: the next run with the same names looks at no text again
    looked = []
    monkeypatch.setattr(memo, "touches", lambda conditions, doc: looked.append(doc.source) or False)
    assert run(names("Mr Smith", "Dr Jones", "Johnny", "Xavier", "Yves", "Smith John")) == [] and looked == []
    # Another code: every result made again, whatever the history says
    monkeypatch.setattr(memo, "CODE", "another code")
    assert run(names("Mr Smith", "Dr Jones", "Johnny", "Xavier", "Yves", "Smith John", "Zoe")) == [0, 1, 2]


def test_related_documents_are_kept_under_their_inputs_and_found_again_when_those_change(tmp_path, monkeypatch):
    """find_related keeps its result under the digest of the documents' ids and entities and the entities' names
    and types: the same inputs take it as it is (related_to is not called); an entity renamed, or a document
    that involves other entities, finds them again, and the result is the one made from nothing."""
    import annals.index
    from annals.index import RELATED_FILE, find_related

    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    archive = load_archive(ROOT / "sources", ROOT / "registry")
    docs, entities = archive.documents, archive.entities
    assert len(docs) >= 100 and any(archive.related.values())
    assert (tmp_path / "cache" / RELATED_FILE).is_file()
    fresh = annals.index.related_to

    def refused(data, i):
        raise AssertionError("related documents found again")
    monkeypatch.setattr(annals.index, "related_to", refused)
    assert find_related(docs, entities) == archive.related
    key, entity = next((k, e) for k, e in entities.items() if e.type == "place"
                       and any(k in annals.index.document_keys(d) for d in docs))
    renamed = {**entities, key: dataclasses.replace(entity, name="Another Name Of A Place")}
    with pytest.raises(AssertionError, match="found again"):
        find_related(docs, renamed)
    fewer = (dataclasses.replace(docs[0], mentions=()), *docs[1:])
    with pytest.raises(AssertionError, match="found again"):
        find_related(fewer, entities)
    monkeypatch.setattr(annals.index, "related_to", fresh)
    made = find_related(docs, renamed)
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "empty"))
    assert made == find_related(docs, renamed)


@pytest.mark.site
def test_a_resolved_document_is_its_parse_with_the_fields_its_digest_records(tmp_path, monkeypatch):
    """load.resolved_digests digests a resolved document as its parse (by the pickle the cache holds) and the fields
    resolving sets (id, publisher, original's address, speakers, each paragraph's speaker): that is sound only if
    the resolved document IS its parse with those fields replaced, checked here on every demo text; and reading
    with the speakers resolved by the workers gives what resolving them afterwards gives."""
    import dataclasses

    from annals.load import find_sources, read_and_parse, read_documents, resolved_digests
    from annals.publishers import attach_publishers
    from annals.registry import load_registry
    from annals.resolve import resolve

    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    registry, _ = load_registry(ROOT / "registry")
    digests: dict = {}
    read, _, _ = read_documents(ROOT / "sources", aliases=registry.alias_map(), digests=digests)
    resolved, people = resolve(attach_publishers(read, registry.publishers)[0], registry, speakers_resolved=True)
    plain, _, _ = read_documents(ROOT / "sources")
    assert resolve(attach_publishers(plain, registry.publishers)[0], registry) == (resolved, people)
    parses = {doc.source: doc for doc in (read_and_parse(item)[0] for item in find_sources(ROOT / "sources")[0])}
    assert len(parses) == len(resolved) > 100
    for doc in resolved:
        parse = parses[doc.source]
        assert doc == dataclasses.replace(
            parse, id=doc.id, publisher=doc.publisher, original_url=doc.original_url, speakers=doc.speakers,
            paragraphs=tuple(dataclasses.replace(p, speaker=q.speaker) for p, q in zip(parse.paragraphs,
                                                                                        doc.paragraphs, strict=True)))
    made = resolved_digests(read, resolved, digests)
    assert None not in made and len(set(made)) == len(made)  # one each, all different
    again: dict = {}
    read2, _, _ = read_documents(ROOT / "sources", aliases=registry.alias_map(), digests=again)
    assert resolved_digests(read2, resolve(attach_publishers(read2, registry.publishers)[0], registry,
                                           speakers_resolved=True)[0], again) == made  # from the cache: the same


def test_documents_vouched_for_by_their_digest_are_not_pickled_by_the_steps(tmp_path, monkeypatch):
    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path))
    pickled = []
    canonical = memo.cache.canonical
    monkeypatch.setattr(memo.cache, "canonical", lambda value: pickled.append(type(value).__name__) or canonical(value))
    docs = [Document(source=f"{n}.txt", title=f"Text {n}", date=datetime.date(2020, 1, n + 1), id=f"t{n}")
            for n in range(3)]
    with memo.session():
        memo.vouch(docs, [bytes([n]) * 32 for n in range(2)] + [None])  # the third's digest is not known
        assert memo.remembered_map(lambda data, i: i * 10, docs, None, "", "one") == [0, 10, 20]
        assert pickled.count("Document") == 1
    with memo.session():  # the same digests: the results kept under them
        memo.vouch(docs, [bytes([n]) * 32 for n in range(3)])
        assert memo.remembered_map(lambda data, i: -1, docs, None, "", "one")[:2] == [0, 10]
