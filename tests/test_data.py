"""The data for researchers: TEI, CSV and the corpus download agree with the JSON export (and so with the pages),
and the Data page lists every download with its size and documents every field."""
from __future__ import annotations

import csv
import html
import io
import json
import re
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from annals.load import load_archive
from annals.bundle import make_bundle
from annals.model import Document, Publisher
from annals.render.data import format_size, schema_fields
from annals.tables import CONTACTS, DOCUMENTS, ENTITIES, UTTERANCES

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ROOT = Path(__file__).resolve().parent.parent


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def exports(corpus_site) -> dict[str, dict]:
    """Every document's JSON export in the corpus site, by id."""
    found = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (corpus_site / "data" / "documents").glob("*.json")}
    assert len(found) == 115
    return found


def test_every_tei_file_is_valid_tei(corpus_site):
    """Every TEI file of the corpus build is valid against the TEI P5 schema (tei_all, in ../shared/schemas)."""
    schema = ROOT.parent / "shared" / "schemas" / "tei_all.rng"
    if not schema.is_file():
        pytest.skip(f"the TEI schema is absent ({schema})")
    relaxng = etree.RelaxNG(etree.parse(str(schema)))
    invalid = {}
    for path in sorted((corpus_site / "data" / "tei").glob("*.xml")):
        if not relaxng.validate(etree.parse(str(path))):
            invalid[path.name] = [str(e) for e in relaxng.error_log][:3]
    assert invalid == {}


def enclosing(element, tag: str):
    return next((a for a in element.iterancestors(tag)), None)


def test_every_tei_file_equals_the_json_export(corpus_site, exports):
    """Each TEI file parses, and its utterances, speakers and paragraph texts (and names and dates) are the
    JSON export's."""
    files = sorted((corpus_site / "data" / "tei").glob("*.xml"))
    assert [f.stem for f in files] == sorted(exports)
    utterances = offices = contacts = 0
    for path in files:
        doc = exports[path.stem]
        root = etree.parse(str(path)).getroot()
        assert root.tag == f"{T}TEI", path
        assert root.findtext(f".//{T}titleStmt/{T}title") == doc["title"]
        assert root.find(f".//{T}sourceDesc/{T}bibl/{T}date").get("when") == doc["date"]
        assert root.findtext(f".//{T}publicationStmt/{T}idno[@type='annals']") == doc["id"]
        licence = root.find(f".//{T}availability/{T}licence")
        assert (licence.text if licence is not None else None) == (doc["licence"] or {}).get("name"), path
        assert root.findtext(f".//{T}sourceDesc/{T}bibl/{T}publisher") == (doc["publisher"] or {}).get("name"), path
        assert root.find(f".//{T}sourceDesc/{T}bibl/{T}ref").get("target") == doc["original_url"], path
        body = root.find(f"{T}text/{T}body")
        prefix_of = {s["id"]: "role" if s["kind"] == "role" else "person" for s in doc["speakers"]}
        # Paragraphs: every one, in order, with its anchor and its exact text; speech in a <u>, narration not.
        paragraphs = [e for e in body.iter(f"{T}p", f"{T}seg")]
        assert [e.get(XML_ID) for e in paragraphs] == [p["anchor"] for p in doc["paragraphs"]], path
        for e, p in zip(paragraphs, doc["paragraphs"]):
            assert "".join(e.itertext()) == p["text"], (path, p["anchor"])
            u = enclosing(e, f"{T}u")
            assert (e.tag == f"{T}seg") == (u is not None)
            who = u.get("who") if u is not None else None
            assert who == (f"#{prefix_of[p['speaker']]}.{p['speaker']}" if p["speaker"] else None), (path, p["anchor"])
            if p["label"]:  # a label opens a turn: the first <seg> of its <u>, after the label's note
                assert u is not None and u[0] is e, (path, p["anchor"])
                note = u.getprevious()
                assert note.tag == f"{T}note" and note.text == f"{p['label']}:", (path, p["anchor"])
        # Utterances: one <u> per turn (a label, a change of speaker or narration ends one), numbered in order.
        us = body.findall(f".//{T}u")
        assert [u.get(XML_ID) for u in us] == [f"u{i}" for i in range(1, len(us) + 1)]
        assert [[s.get(XML_ID) for s in u] for u in us] == json_turns(doc["paragraphs"]), path
        utterances += len(us)
        # Speakers: the listPerson's speakers are the export's, with their names and roles (an anonymous role as
        # role.<id>), and the offices they held on the document's date among their offices.
        speakers = [(p.get(XML_ID), "".join(p.find(f"{T}persName").itertext()),
                     [r.text for r in p.findall(f"{T}affiliation") if r.get("role") != "office"])
                    for p in root.iterfind(f".//{T}listPerson/{T}person[@role='speaker']")]
        assert speakers == [(f"{prefix_of[s['id']]}.{s['id']}", s["name"], s["roles"]) for s in doc["speakers"]], path
        for s in doc["speakers"]:
            held = {(a.findtext(f"{T}roleName"), a.get("from"), a.get("to")) for a in root.iterfind(
                f".//{T}person[@{XML_ID}='{prefix_of[s['id']]}.{s['id']}']/{T}affiliation[@role='office']")}
            assert {(o["office"], o["from"], o["to"]) for o in s["offices"]} <= held, (path, s["id"])
            offices += len(s["offices"])
        mentioned = {p.get(XML_ID) for p in root.iterfind(f".//{T}listPerson/{T}person[@role='mentioned']")}
        assert mentioned == {f"person.{m['entity']}" for m in doc["mentions"] if m["type"] == "person"} - {
            f"person.{s['id']}" for s in doc["speakers"]}
        # Names and dates in the text: every mention and event of the export, at its words.
        names = sorted((enclosing_anchor(e), e.get("ref"), "".join(e.itertext()))
                       for e in body.iter(f"{T}persName", f"{T}placeName", f"{T}orgName", f"{T}rs"))
        prefix = {"person": "person", "place": "place", "organization": "org", "topic": "topic"}
        assert names == sorted((f"p{m['paragraph']}", f"#{prefix[m['type']]}.{m['entity']}", m["text"])
                               for m in doc["mentions"] if m["paragraph"] > 0), path
        dates = sorted((enclosing_anchor(e), e.get("when") or f"{e.get('from')}/{e.get('to')}", "".join(e.itertext()))
                       for e in body.iter(f"{T}date"))
        assert dates == sorted((e["anchor"], e["when"], e["text"]) for e in doc["events"]), path
        refs = {e.get("ref")[1:] for e in body.iter() if e.get("ref")} | {u.get("who")[1:] for u in us if u.get("who")}
        assert refs <= {e.get(XML_ID) for e in root.find(f"{T}teiHeader").iter() if e.get(XML_ID)}, path
        # Contacts: the standOff's events are the export's, each pointing at its paragraph (or the title) and at
        # people of the header.
        events = root.findall(f"{T}standOff/{T}listEvent/{T}event")
        assert [(e.get("type"), e.get("when"), e.findtext(f"{T}p"), e.find(f"{T}ptr").get("target"),
                 [n.get("ref") for n in e.iter(f"{T}persName")]) for e in events] == [
            (c["kind"], doc["date"], c["text"], f"#p{c['paragraph']}" if c["paragraph"] else "#title",
             [f"#person.{i}" for i in c["people"]]) for c in doc["contacts"]], path
        ids = {e.get(XML_ID) for e in root.iter() if e.get(XML_ID)}
        assert {n.get("ref")[1:] for e in events for n in e.iter(f"{T}persName")} <= ids, path
        contacts += len(events)
    assert utterances > 700
    assert offices > 20  # the registry's presidents, on the dates of the documents they speak in
    assert contacts > 0


def json_turns(paragraphs: list[dict]) -> list[list[str]]:
    """The turns of an export's paragraphs, as lists of anchors: what the TEI's <u>s must hold."""
    turns: dict[int, list[str]] = {}
    for p in paragraphs:
        if p["turn"] is not None:
            turns.setdefault(p["turn"], []).append(p["anchor"])
    assert list(turns) == list(range(1, len(turns) + 1))
    return list(turns.values())


def enclosing_anchor(element) -> str:
    return next(a.get(XML_ID) for a in element.iterancestors() if a.tag in (f"{T}p", f"{T}seg"))


def test_csv_holds_the_same_rows(corpus_site, exports):
    rows = read_csv(corpus_site / "data" / "utterances.csv")
    assert list(rows[0]) == list(UTTERANCES)
    order = [d["id"] for d in read_csv(corpus_site / "data" / "documents.csv")]
    expected = []
    for doc_id in order:
        doc = exports[doc_id]
        speakers = {s["id"]: s for s in doc["speakers"]}
        for p in doc["paragraphs"]:
            s = speakers.get(p["speaker"])
            expected.append({"document": doc_id, "date": doc["date"], "paragraph": p["anchor"], "n": str(p["n"]),
                             "turn": "" if p["turn"] is None else str(p["turn"]),
                             "speaker": p["speaker"] or "", "speaker_name": s["name"] if s else "",
                             "role": "; ".join(s["roles"]) if s else "", "label": p["label"] or "", "text": p["text"]})
    assert rows == expected
    assert len(rows) == sum(len(d["paragraphs"]) for d in exports.values()) > 2000
    # The turn column numbers the TEI's utterances.
    tei = {}
    for path in (corpus_site / "data" / "tei").glob("*.xml"):
        for u in etree.parse(str(path)).getroot().iter(f"{T}u"):
            for seg in u.iter(f"{T}seg"):
                tei[(path.stem, seg.get(XML_ID))] = u.get(XML_ID)
    assert {(r["document"], r["paragraph"]): f"u{r['turn']}" for r in rows if r["turn"]} == tei


def test_documents_and_entities_csv(corpus_site, exports):
    docs = read_csv(corpus_site / "data" / "documents.csv")
    assert list(docs[0]) == list(DOCUMENTS) and sorted(d["id"] for d in docs) == sorted(exports)
    for row in docs:
        doc = exports[row["id"]]
        assert (row["title"], row["date"], row["sha256"], row["url"]) == (doc["title"], doc["date"], doc["sha256"], doc["url"])
        assert row["speakers"] == "; ".join(s["id"] for s in doc["speakers"] if s["kind"] == "person")  # no roles
        assert row["paragraphs"] == str(len(doc["paragraphs"]))
        assert row["licence"] == (doc["licence"] or {}).get("name", "")
        assert (row["original_url"], row["publisher"]) == (doc["original_url"] or "", (doc["publisher"] or {}).get("name", ""))
    assert [d["date"] for d in docs] == sorted((d["date"] for d in docs), reverse=True)
    entities = read_csv(corpus_site / "data" / "entities.csv")
    data = json.loads((corpus_site / "data" / "entities.json").read_text(encoding="utf-8"))["entities"]
    assert list(entities[0]) == list(ENTITIES)
    assert entities == [{k: ("; ".join(e[k]) if k == "aliases" else str(e[k])) for k in ENTITIES} for e in data]


def test_contacts_csv_holds_the_contacts_of_the_export(corpus_site, exports):
    rows = read_csv(corpus_site / "data" / "contacts.csv")
    assert list(rows[0]) == list(CONTACTS)
    order = [d["id"] for d in read_csv(corpus_site / "data" / "documents.csv")]
    assert rows == [{"document": i, "date": exports[i]["date"], "kind": c["kind"], "people": "; ".join(c["people"]),
                     "names": "; ".join(c["names"]), "paragraph": str(c["paragraph"]),
                     "anchor": f"p{c['paragraph']}" if c["paragraph"] else "", "text": c["text"]}
                    for i in order for c in exports[i]["contacts"]]
    for doc in exports.values():  # each contact's words are its paragraph's (a transcript's: the label of its turn)
        for c in doc["contacts"]:
            p = next((p for p in doc["paragraphs"] if p["n"] == c["paragraph"]), None)
            words = doc["title"] if p is None else p["label"] if c["kind"] == "transcript" else p["text"]
            assert c["paragraph"] == 0 or p is not None, (doc["id"], c)
            assert c["text"] == (words if c["kind"] == "transcript" else words[c["start"]:c["end"]]), (doc["id"], c)


def test_corpus_licences(exports):
    licences = {d["source"]: d["licence"] for d in exports.values()}
    assert licences["president-az-52519.txt"] is None  # president.az publishes no licence
    kremlin = {json.dumps(v, sort_keys=True) for k, v in licences.items() if k.startswith("kremlin-")}
    assert len(licences) == 115 and kremlin == {json.dumps(
        {"attribution": "Presidential Executive Office of the Russian Federation, en.kremlin.ru",
         "name": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
         "url": "https://creativecommons.org/licenses/by/4.0/"}, sort_keys=True)}
    publishers = {d["source"]: (d["publisher"] or {}).get("id") for d in exports.values()}
    assert publishers.pop("president-az-52519.txt") == "president-az" and set(publishers.values()) == {"kremlin"}


def test_download_holds_every_data_file(corpus_site):
    data = corpus_site / "data"
    with zipfile.ZipFile(data / "annals-data.zip") as z:
        names = z.namelist()
        assert names == sorted(names) and all(n.startswith("annals-data/") for n in names)
        inside = {n.removeprefix("annals-data/"): z.read(n) for n in names}
        infos = z.infolist()
    published = {p.relative_to(data).as_posix(): p.read_bytes() for p in data.rglob("*")
                 if p.is_file() and p.suffix in (".json", ".xml", ".csv")}
    assert len(published) == 2 * 115 + 7
    assert {k: v for k, v in inside.items() if k not in ("README.md", "LICENCE.md")} == published
    readme, licence = inside["README.md"].decode(), inside["LICENCE.md"].decode()
    assert all(column in readme for column in [*UTTERANCES, *DOCUMENTS, *CONTACTS, *ENTITIES])
    assert ("- Presidential Executive Office of the Russian Federation (http://en.kremlin.ru/): 114 texts, Creative "
            "Commons Attribution 4.0 International (CC BY 4.0) (https://creativecommons.org/licenses/by/4.0/); credit: "
            "Presidential Executive Office of the Russian Federation, en.kremlin.ru") in readme
    seed = licence.split("## Administration of the President of the Republic of Azerbaijan", 1)[1]
    assert seed.startswith("\n\nWebsite: https://president.az/en\n\nLicence not recorded")
    assert "- 2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit" in seed
    assert {i.date_time for i in infos} == {(2021, 7, 20, 0, 0, 0)}  # the newest document's date: no build time


def test_data_page_lists_each_download_with_its_size(corpus_site):
    page = (corpus_site / "data" / "index.html").read_text(encoding="utf-8")
    article = html.unescape(re.sub(r"<[^>]+>", " ", page.split("<article", 1)[1].split("</article>", 1)[0]))
    article = " ".join(article.split())
    data = corpus_site / "data"
    for name in ("annals-data.zip", "utterances.csv", "documents.csv", "contacts.csv", "entities.csv", "entities.json",
                 "timeline.json", "annals.document-1.schema.json"):
        size = format_size((data / name).stat().st_size)
        assert f'href="{name}"' in page, name
        assert re.search(rf"{re.escape(name)} [^|]*? {re.escape(size)} ", article), (name, size)
    for folder in ("documents", "tei"):
        files = list((data / folder).iterdir())
        assert f"{format_size(sum(f.stat().st_size for f in files))} in 115 files" in article, folder
    for field in [*UTTERANCES, *DOCUMENTS, *CONTACTS, *ENTITIES, *schema_fields()]:
        assert f" {field} " in article, field
    assert re.search(r"Presidential Executive Office of the Russian Federation ?: 114 texts, Creative Commons "
                     r"Attribution 4\.0 International \(CC BY 4\.0\) ?; credit", article)
    nav = page.split('<nav class="md-tabs"', 1)[1].split("</nav>", 1)[0]
    tabs = dict(re.findall(r'<a href="([^"]*)" class="md-tabs__link[^"]*">\s*([^<]*?)\s*<', nav))
    assert tabs["./"] == "Data"  # a tab of the site's navigation, this very page


def test_document_page_links_its_data(corpus_site, exports):
    doc = exports["2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit"]
    page = (corpus_site / doc["url"] / "index.html").read_text(encoding="utf-8")
    assert f'href="../../../data/documents/{doc["id"]}.json"' in page
    assert f'href="../../../data/tei/{doc["id"]}.xml"' in page


def test_format_size():
    assert [format_size(n) for n in (0, 1, 999, 1000, 12_345, 999_499, 1_065_855, 123_456_789, 2_500_000_000)] == [
        "0 bytes", "1 byte", "999 bytes", "1 kB", "12.3 kB", "999 kB", "1.07 MB", "123 MB", "2.5 GB"]


def test_bundle_is_deterministic(tmp_path):
    (tmp_path / "data" / "tei").mkdir(parents=True)
    (tmp_path / "data" / "tei" / "a.xml").write_text("<a/>", encoding="utf-8")
    (tmp_path / "data" / "b.csv").write_text("x\r\n", encoding="utf-8")
    import datetime
    one, two = io.BytesIO(), io.BytesIO()
    make_bundle(tmp_path, ["data/tei/a.xml", "data/b.csv"], {"README.md": "r"}, datetime.date(1975, 1, 2), one)
    make_bundle(tmp_path, ["data/b.csv", "data/tei/a.xml"], {"README.md": "r"}, datetime.date(1975, 1, 2), two)
    one, two = one.getvalue(), two.getvalue()
    assert one == two
    with zipfile.ZipFile(io.BytesIO(one)) as z:
        assert z.namelist() == ["annals-data/README.md", "annals-data/b.csv", "annals-data/tei/a.xml"]
        assert z.read("annals-data/tei/a.xml") == b"<a/>" and z.testzip() is None
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}  # a zip's earliest date


def test_download_is_remade_only_when_the_data_changes(tmp_path, monkeypatch):
    from annals.bench.run import scale_corpus
    from annals.bundle import update_bundle
    from annals.generate import generate

    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    scale_corpus(ROOT / "sources", tmp_path / "s", 3)
    first = generate(tmp_path / "s", ROOT / "registry")
    zipped = first.root / "data" / "annals-data.zip"
    assert not zipped.exists() and update_bundle(first.folder)  # made after the stage, while MkDocs runs
    with zipfile.ZipFile(zipped) as z:
        assert len([n for n in z.namelist() if n.startswith("annals-data/tei/")]) == 3
    assert not update_bundle(first.folder)
    # Whatever forces the stage to run again (here: a manifest whose key no longer matches), the same data
    # files leave the zip as it was.
    manifest = first.folder / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    manifest.write_text(json.dumps(data | {"key": "x" + data["key"]}), encoding="utf-8")
    again = generate(tmp_path / "s", ROOT / "registry")
    assert not again.reused and not update_bundle(first.folder)
    source = sorted((tmp_path / "s").rglob("*.txt"))[0]
    source.write_text(source.read_text(encoding="utf-8") + "\n\nA new closing paragraph.\n", encoding="utf-8")
    generate(tmp_path / "s", ROOT / "registry")
    assert update_bundle(first.folder)
    with zipfile.ZipFile(zipped) as z:
        assert any(b"A new closing paragraph." in z.read(n) for n in z.namelist() if n.endswith(".csv"))
    assert "| annals-bundle-size |" in (first.root / "data" / "index.md").read_text(encoding="utf-8")


def remade_zip(folder) -> bytes:
    """The corpus download of a generated folder as make_bundle makes it from nothing."""
    import datetime

    from annals.manifest import FILES, read_manifest
    manifest = read_manifest(folder)
    plan, out = manifest["bundle"], io.BytesIO()
    paths = sorted(p for p in manifest["files"] if p.startswith("data/") and p.endswith((".json", ".xml", ".csv")))
    make_bundle(folder / FILES, paths, plan["extra"], datetime.date.fromisoformat(plan["newest"]), out)
    return out.getvalue()


def test_a_changed_download_compresses_only_the_changed_files(tmp_path, monkeypatch, caplog):
    from annals import bundle
    from annals.bench.run import scale_corpus
    from annals.generate import generate

    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    scale_corpus(ROOT / "sources", tmp_path / "s", 4)
    first = generate(tmp_path / "s", ROOT / "registry")
    assert bundle.update_bundle(first.folder)
    zipped = first.root / "data" / "annals-data.zip"
    source = sorted((tmp_path / "s").rglob("*.txt"))[1]
    source.write_text(source.read_text(encoding="utf-8") + "\n\nA new closing paragraph.\n", encoding="utf-8")
    generate(tmp_path / "s", ROOT / "registry")
    read = []
    monkeypatch.setattr(bundle, "read_checked", lambda path, *a: read.append(path.name) or path.read_bytes())
    assert bundle.update_bundle(first.folder)
    changed = {p.rsplit("/", 1)[-1] for p in json.loads((first.folder / "manifest.json").read_text())["files"]
               if "documents/" in p or "tei/" in p}
    assert read and len(read) < len(changed) / 2  # the tables, and the changed document's JSON and TEI
    assert any(name.endswith(".xml") for name in read) and any(name.endswith(".csv") for name in read)
    assert zipped.read_bytes() == remade_zip(first.folder)  # the same bytes as a zip made from nothing
    # A previous zip that is not the one recorded is not copied from: made from nothing, with a warning.
    data = bytearray(zipped.read_bytes())
    data[len(data) // 3] ^= 0xFF
    zipped.write_bytes(bytes(data))
    source.write_text(source.read_text(encoding="utf-8") + "\nAnother one.\n", encoding="utf-8")
    generate(tmp_path / "s", ROOT / "registry")
    read.clear()
    assert bundle.update_bundle(first.folder)
    assert "the corpus download in the cache is damaged" in caplog.text
    assert len(read) > len(changed) and zipped.read_bytes() == remade_zip(first.folder)


def test_registry_text_on_the_data_page_is_data():
    import datetime

    from annals.index import Archive
    from annals.render.data import render_data_page, render_licence, render_readme

    hostile = '<script>alert(1)</script> *x* [a](javascript:b)'
    doc = Document(source="a.txt", title="t", date=datetime.date(2020, 1, 1), id="2020-01-01-t")
    doc = Document(source="a.txt", title="t", date=datetime.date(2020, 1, 1), id="2020-01-01-t", publisher="x")
    publisher = Publisher("x", hostile, hostile, "javascript:alert(1)", hostile, licence=hostile,
                          licence_url="javascript:alert(1)")
    archive = Archive((doc,), {}, (), publishers={"x": publisher})
    page = render_data_page(archive, {})
    assert "<script>" not in page and "javascript:" not in page and "[a](" not in page
    assert "| [annals-data.zip](annals-data.zip) | ZIP | annals-bundle-size |" in page
    assert hostile in render_licence(archive) and hostile in render_readme(archive)  # plain text files: as written


def test_two_makers_of_the_download_take_turns_and_the_second_finds_it_made(tmp_path, monkeypatch):
    """A build starts the download as soon as the files are generated (site.beside); MkDocs' plugin asks for it
    too, and waits for it rather than make it a second time. What a maker killed midway left is cleared."""
    import threading

    from annals.bench.run import scale_corpus
    from annals.bundle import update_bundle
    from annals.generate import generate

    monkeypatch.setenv("ANNALS_CACHE", str(tmp_path / "cache"))
    scale_corpus(ROOT / "sources", tmp_path / "s", 3)
    first = generate(tmp_path / "s", ROOT / "registry")
    (first.root / "data").mkdir(exist_ok=True)
    stale = first.root / "data" / ".annals-killed"
    stale.write_bytes(b"half a zip")
    made: list[bool] = []
    makers = [threading.Thread(target=lambda: made.append(update_bundle(first.folder))) for _ in range(2)]
    for t in makers:
        t.start()
    for t in makers:
        t.join()
    assert sorted(made) == [False, True]
    assert (first.root / "data" / "annals-data.zip").read_bytes() == remade_zip(first.folder)
    assert not stale.exists()


def test_a_build_makes_the_download_beside_the_site_and_waits_for_it(tmp_path):
    """site.beside, in a process of its own (a test run may have left threads running, and beside then forks
    nothing: the plugin makes the download itself)."""
    import subprocess
    import sys

    script = """if True:
        import sys, threading, time
        from pathlib import Path
        from annals.site import beside
        log = Path(sys.argv[1])
        def write():
            time.sleep(0.3)
            log.write_text("done", encoding="utf-8")
        with beside(write):
            assert not log.exists()  # running meanwhile
        assert log.read_text(encoding="utf-8") == "done"  # waited for
        with beside(lambda: 1 / 0):  # what fails beside is the block's to find and say
            pass
        try:
            with beside(time.sleep, 30):
                raise KeyboardInterrupt
        except KeyboardInterrupt:
            pass  # stopped with the block, not waited for
        log.unlink()
        stop = threading.Event()
        other = threading.Thread(target=stop.wait)
        other.start()
        with beside(write):  # forking beside another thread is not safe: not done
            pass
        stop.set()
        other.join()
        assert not log.exists()
        print("ok")
    """
    clock = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "log")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
    assert time.perf_counter() - clock < 20  # the 30 s sleep was stopped


def test_a_large_member_is_compressed_in_chunks_and_an_edit_compresses_its_own_chunk_again(tmp_path, monkeypatch):
    import datetime
    import hashlib
    import zlib as zlib_module

    from annals import bundle

    # Chunks of 64-256 KB here (512 KB-2 MB in use), so that a few MB hold many
    monkeypatch.setattr(bundle, "CHUNK_MIN", 1 << 16)
    monkeypatch.setattr(bundle, "CHUNK_MAX", 1 << 18)
    monkeypatch.setattr(bundle, "CHUNKED", 1 << 18)
    rows = "".join(f"doc-{i // 40},{i},\"Paragraph {i} says {'something ' * (i % 17)}\"\n" for i in range(60_000))
    objects = "[" + ",".join(f'{{"n":{i},"p":[{{"a":{i % 7}}}]}}' for i in range(90_000)) + "]\n"
    lone = "x" * (3 * bundle.CHUNK_MAX + 5)  # no place to cut: cut at the largest chunk
    data = tmp_path / "data"
    data.mkdir()
    for name, text in (("utterances.csv", rows), ("timeline.json", objects), ("lone.csv", lone)):
        (data / name).write_text(text, encoding="utf-8")
    paths = ["data/lone.csv", "data/timeline.json", "data/utterances.csv"]
    day = datetime.date(2020, 1, 1)

    def made(reuse=None):
        out, chunks = io.BytesIO(), {}
        hashes = {p: hashlib.sha256((tmp_path / p).read_bytes()).hexdigest() for p in paths}
        members = make_bundle(tmp_path, paths, {}, day, out, hashes, reuse, chunks)
        return out.getvalue(), members, chunks

    first, members, chunks = made()
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert z.testzip() is None
        assert z.read("annals-data/utterances.csv").decode() == rows and z.read("annals-data/lone.csv").decode() == lone
        assert z.read("annals-data/timeline.json").decode() == objects
    assert all(len(chunks[f"annals-data/{n}"]) > 2 for n in ("utterances.csv", "timeline.json", "lone.csv"))
    assert [size for _, _, size in chunks["annals-data/lone.csv"]][:1] and bundle.chunk_ends(lone.encode())[:3] == [
        bundle.CHUNK_MAX, 2 * bundle.CHUNK_MAX, 3 * bundle.CHUNK_MAX]
    whole = io.BytesIO()  # chunks cost little: within 5 % of one stream (this text repeats much)
    with zipfile.ZipFile(whole, "w") as z:
        z.writestr("u", rows, compress_type=zipfile.ZIP_DEFLATED, compresslevel=bundle.LEVEL)
    assert chunks and sum(s for _, _, s in chunks["annals-data/utterances.csv"]) < 1.05 * len(whole.getvalue())

    (data / "utterances.csv").write_text(rows.replace("Paragraph 30000 says", "Paragraph 30000, edited, says"),
                                         encoding="utf-8")
    (data / "timeline.json").write_text(objects.replace('{"n":45000,', '{"n":45000,"new":1,'), encoding="utf-8")
    old_zip = tmp_path / "old.zip"
    old_zip.write_bytes(first)
    compressed = []
    real = zlib_module.compressobj
    monkeypatch.setattr(bundle.zlib, "compressobj", lambda *a: compressed.append(1) or real(*a))
    record = {"sha256": hashlib.sha256(first).hexdigest(), "members": members, "chunks": chunks,
              "zlib": bundle.COMPRESSOR}
    with bundle.previous(old_zip, record) as (intact, reuse):
        assert intact
        second, _, _ = made(reuse)
    assert 2 <= len(compressed) <= 6  # the edited chunks (and a neighbour or two), not the 200 of the three
    monkeypatch.setattr(bundle.zlib, "compressobj", real)
    assert second == made()[0]  # the bytes of a zip made from nothing
    with zipfile.ZipFile(io.BytesIO(second)) as z:
        assert b"Paragraph 30000, edited, says" in z.read("annals-data/utterances.csv") and z.testzip() is None
