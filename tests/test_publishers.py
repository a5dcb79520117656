"""Publishers (registry/publishers.yml): who published each text, the address of its original, its credit and
licence, on every document page and in the data."""
from __future__ import annotations

import dataclasses
import datetime
import html
import json
import re
from pathlib import Path

import pytest

from annals.load import load_archive
from annals.export import document_json
from annals.model import Document
from annals.publishers import attach_publishers, publisher_of
from annals.registry import load_registry

ROOT = Path(__file__).resolve().parent.parent
RULES = """\
- id: office
  name: The Office
  home: https://office.example/
  licence: {name: CC BY 4.0, url: https://creativecommons.org/licenses/by/4.0/}
  addresses: [https://office.example/]
  original:
    - file: office-{n}.txt
      address: https://office.example/news/{n}
    - file: archive-{year}/{n}.txt
      address: https://office.example/{year}/{n}
- name: Files Only
  files: [other-*.txt]
- name: Nothing
- url: https://x.example/
- name: Bad Keys
  files: [a.txt]
  colour: red
- name: Bad Lists
  files: {a: 1}
- name: Bad Address
  addresses: [ftp://x.example/]
- name: Bad Zone
  timezone: Mars/Olympus
  files: [b.txt]
- name: Bad Licence
  files: [c.txt]
  licence:
    title: x
- name: Bad Rule
  original:
    file: d-{n}.txt
    address: https://d.example/{m}
- id: office
  name: Office Again
  files: [e.txt]
"""


def doc(source: str, url: str | None = None) -> Document:
    return Document(source=source, title="t", date=datetime.date(2020, 1, 1), source_url=url)


def test_publisher_rules_and_their_messages(tmp_path):
    (tmp_path / "publishers.yml").write_text(RULES, encoding="utf-8")
    registry, problems = load_registry(tmp_path)
    assert [str(p) for p in problems] == [
        "registry/publishers.yml:13: the publisher Nothing covers no text\n  give the 'addresses' (start of the "
        "source URL), 'files' (patterns such as kremlin-*.txt) or 'original' (file: kremlin-{n}.txt, address: "
        ".../{n}) it covers",
        "registry/publishers.yml:14: each publisher needs a 'name'",
        "registry/publishers.yml:15: unknown key 'colour' in the publisher Bad Keys\n  a publisher has: id, name, "
        "site, home, credit, office, timezone, licence, addresses, files, original",
        "registry/publishers.yml:18: 'files' of Bad Lists must be a list of strings",
        "registry/publishers.yml:20: 'addresses' of Bad Address: 'ftp://x.example/' is not a web address\n"
        "  an address starts with http:// or https://",
        "registry/publishers.yml:22: unknown timezone 'Mars/Olympus' of Bad Zone\n  give an IANA time zone name, "
        "such as Europe/Moscow or Asia/Baku",
        "registry/publishers.yml:28: the licence of Bad Licence must be a name, or 'name' and 'url'",
        "registry/publishers.yml:31: the 'original' rule 'd-{n}.txt' of Bad Rule cannot make "
        "'https://d.example/{m}'\n  the file pattern names each {placeholder} of the address once",
        "registry/publishers.yml:33: publisher id 'office' is used twice"]
    office, files_only = registry.publishers
    assert (office.id, office.licence, office.licence_url) == ("office", "CC BY 4.0",
                                                               "https://creativecommons.org/licenses/by/4.0/")
    assert files_only.id == "files-only" and files_only.licence == ""


def test_which_publisher_and_which_original(tmp_path):
    (tmp_path / "publishers.yml").write_text(RULES.split("- name: Nothing")[0], encoding="utf-8")
    publishers = load_registry(tmp_path)[0].publishers
    office, files_only = publishers
    assert publisher_of(doc("x.txt", "https://office.example/news/1"), publishers) is office
    assert publisher_of(doc("x.txt", "https://office.example.evil/1"), publishers) is None
    assert publisher_of(doc("other-1.txt"), publishers) is files_only
    assert publisher_of(doc("2019/office-7.txt"), publishers) is office  # the name alone, in a subfolder
    # The address decides before the file name: a text filed under another's name but taken from the office.
    assert publisher_of(doc("other-1.txt", "https://office.example/a"), publishers) is office
    assert office.original_of("2019/office-7.txt") == "https://office.example/news/7"
    assert office.original_of("archive-2019/7.txt") == "https://office.example/2019/7"  # rules are tried in order
    assert office.original_of("office-2019-7.txt") == "https://office.example/news/2019-7"
    # A name whose placeholder would hold what an address cannot, or more than the pattern, makes nothing.
    for name in ('office-7".txt', "office-7/8.txt", "office-.txt", "office-7.txt.bak", "xoffice-7.txt"):
        assert office.original_of(name) is None, name


def test_attached_to_each_document_front_matter_first(tmp_path):
    (tmp_path / "publishers.yml").write_text(RULES.split("- name: Nothing")[0], encoding="utf-8")
    publishers = load_registry(tmp_path)[0].publishers
    docs = [doc("office-7.txt"), doc("office-8.txt", "https://office.example/elsewhere"), doc("stray.txt")]
    out, problems = attach_publishers(docs, publishers)
    assert [(d.publisher, d.original_url) for d in out] == [
        ("office", "https://office.example/news/7"), ("office", "https://office.example/elsewhere"), ("", None)]
    assert [str(p) for p in problems] == [
        "stray.txt:1: warning: no publisher in publishers.yml covers this text: its page names no publisher or "
        "licence\n  add its site's address or file names to a publisher in registry/publishers.yml"]
    assert attach_publishers(docs, ())[1] == []  # an archive with no publishers registry is not warned at all


def test_old_licences_file_is_an_error_not_a_silent_loss(tmp_path):
    (tmp_path / "licences.yml").write_text("- name: CC BY 4.0\n  files: [a.txt]\n", encoding="utf-8")
    assert [str(p) for p in load_registry(tmp_path)[1]] == [
        "registry/licences.yml:1: licences.yml is no longer read: publishers.yml replaces it\n  move each licence "
        "into the publisher whose texts it covers (the editors' guide shows how), then remove licences.yml"]


@pytest.mark.site
def test_the_projects_registry_is_clean_and_covers_the_demo_sources():
    registry, problems = load_registry(ROOT / "registry")
    assert problems == []
    assert [p.id for p in registry.publishers] == ["kremlin", "president-az"]
    archive = load_archive(ROOT / "sources", ROOT / "registry")
    assert len(archive.documents) >= 100
    assert all(d.publisher and d.original_url for d in archive.documents)
    assert not [p for p in archive.problems if "publisher" in p.message]


def test_the_export_names_publisher_and_original(tmp_path):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "office-12.txt").write_text("Visit\n\n20 July 2021\n\nHello.\n", encoding="utf-8")
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "publishers.yml").write_text(RULES.split("- name: Nothing")[0], encoding="utf-8")
    archive = load_archive(tmp_path / "s", tmp_path / "r")
    [d] = archive.documents
    data = document_json(d, archive.entities, archive.publisher(d))
    assert (data["source_url"], data["original_url"]) == (None, "https://office.example/news/12")
    assert data["publisher"] == {"id": "office", "name": "The Office", "site": "", "home": "https://office.example/",
                                 "credit": "", "office": ""}
    assert data["licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/",
                               "attribution": ""}


# On the corpus site

def provenance(page: str) -> str:
    return re.search(r'<p class="annals-meta annals-provenance">(.*?)</p>', page, re.S).group(1)


def test_every_document_page_links_its_original_and_names_publisher_and_licence(corpus, corpus_site):
    pages = sorted(corpus_site.glob("documents/*/*/index.html"))
    exports = {p.parent.name: json.loads((corpus_site / "data" / "documents" / f"{p.parent.name}.json").read_text(
        encoding="utf-8")) for p in pages}
    assert len(pages) == 115
    for page in pages:
        export = exports[page.parent.name]
        gold = json.loads((corpus / "gold" / export["source"].replace(".txt", ".json")).read_text(encoding="utf-8"))
        line = provenance(page.read_text(encoding="utf-8"))
        original = re.search(r'<a class="annals-original" href="([^"]*)"', line)
        assert original and html.unescape(original.group(1)) == gold["url"], page  # the address its file name gives
        publisher = html.unescape(re.search(r'Published by <a class="annals-publisher" href="[^"]*" rel="noopener">'
                                            r"(.*?)</a>", line).group(1))
        assert publisher == export["publisher"]["name"], page
        licence = re.search(r'Licence: <a class="annals-licence" href="([^"]*)" rel="license noopener">(.*?)</a>', line)
        if export["source"].startswith("kremlin-"):
            assert publisher == "Presidential Executive Office of the Russian Federation"
            assert (html.unescape(licence.group(1)), html.unescape(licence.group(2))) == (
                "https://creativecommons.org/licenses/by/4.0/",
                "Creative Commons Attribution 4.0 International (CC BY 4.0)")
        else:
            assert gold["url"] == "https://president.az/en/articles/view/52519"
            assert licence is None and "Licence not recorded" in line
        assert ".txt" not in line  # no file names for readers


def test_a_document_with_no_publisher_says_so(tmp_path):
    from annals.render.pages import provenance as line
    d = dataclasses.replace(doc("stray.txt"), original_url="https://x.example/1", sha256="")
    assert line(d) == ('Original: <a class="annals-original" href="https&#58;&#47;&#47;x.example&#47;1" '
                       'rel="noopener">https&#58;&#47;&#47;x.example&#47;1</a> · Publisher and licence not recorded')
    hostile = dataclasses.replace(d, original_url="javascript:alert(1)")
    assert line(hostile) == "Publisher and licence not recorded"  # an address that is no web address is not linked
