"""`annals build`: atomic, byte-identical, and never touching the sources."""
from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from annals.cli import main

pytestmark = pytest.mark.site  # builds sites (see conftest: the kinds of test)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the project's site files (mkdocs.yml, docs, sources, registry) as the working folder."""
    for name in ("docs", "sources", "registry"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "scripts" / "annals").mkdir(parents=True)  # watched by mkdocs.yml
    monkeypatch.chdir(tmp_path)
    for name in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


@pytest.fixture
def small_project(project) -> Path:
    """The project with only its first document (the seed): enough where the archive's size does not matter."""
    for path in (project / "sources").glob("kremlin-*.txt"):
        path.unlink()
    return project


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def digests(folder: Path) -> dict[str, str]:
    return {k: hashlib.sha256(v).hexdigest() for k, v in tree(folder).items()}


def test_two_builds_are_byte_identical(project, corpus, monkeypatch):
    assert main(["build", "--strict", "--sources", str(corpus / "sources"), "--site-dir", "one"]) == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert main(["build", "--strict", "--sources", str(corpus / "sources"), "--site-dir", "two"]) == 0
    one, two = tree(project / "one"), tree(project / "two")
    assert len(one) > 300 and any(k.startswith("pagefind/filter/") for k in one)
    assert one == two  # the search index too: Pagefind's filter lists are put in order (annals.pagefind_order)


def test_readme_build_makes_the_demo_archive_and_leaves_sources_alone(project):
    first = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()[0]
    assert first.split("#")[0].rstrip().endswith("&& .venv/bin/annals build")  # the demo sources, as they are
    before = digests(project / "sources")
    (project / "sources").chmod(0o555)  # a read-only sources folder builds
    try:
        assert main(["build", "--strict"]) == 0
    finally:
        (project / "sources").chmod(0o755)
    assert digests(project / "sources") == before
    assert len(list((project / "site" / "documents").glob("*/*/index.html"))) >= 100
    assert len(list((project / "site" / "people").glob("*/index.html"))) >= 50
    doc = json.loads((project / "site/data/documents/2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit.json")
                     .read_text(encoding="utf-8"))
    assert doc["schema"] == "annals.document/1" and len(doc["paragraphs"]) == 21
    assert not list(project.glob(".site-*")), "no staging folder is left behind"


def test_failed_build_keeps_the_previous_site(small_project, capsys):
    project = small_project
    assert main(["build"]) == 0
    before = tree(project / "site")
    (project / "sources" / "broken.txt").write_text("A title\n\nno date at all\n", encoding="utf-8")
    assert main(["build"]) == 1
    assert "sources/broken.txt:2: no date found" in capsys.readouterr().err
    assert tree(project / "site") == before
    assert not list(project.glob(".site-*"))


def test_mkdocs_failure_keeps_the_previous_site(small_project, capsys):
    project = small_project
    assert main(["build"]) == 0
    before = tree(project / "site")
    (project / "docs" / "about.md").write_text("[broken](missing.md)\n", encoding="utf-8")
    assert main(["build", "--strict"]) == 1
    assert "MkDocs build failed" in capsys.readouterr().err
    assert tree(project / "site") == before
    assert not list(project.glob(".site-*"))


def test_search_index_finds_a_phrase_of_a_speech_on_its_document(small_project):
    project = small_project
    assert main(["build"]) == 0
    fragments = [json.loads(gzip.decompress(f.read_bytes())[len(b"pagefind_dcd"):])
                 for f in (project / "site").glob("pagefind*/fragment/*")]
    hits = [f["url"] for f in fragments if "100,000 doses of the vaccine" in f["content"]]
    assert hits == ["/documents/2021/2021-07-20-ilham-aliyev-arrived-in-russia-for-working-visit/"]


def file_system_of(path: Path) -> str:
    """The type of the file system a path is on (from /proc/mounts: the longest mount point above it)."""
    best, kind = "", ""
    for line in Path("/proc/mounts").read_text(encoding="utf-8").splitlines():
        mount, fs = line.split()[1:3]
        if (str(path.resolve()) + "/").startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
            best, kind = mount, fs
    return kind


def test_search_index_is_the_same_bytes_on_tmpfs_and_on_disk(corpus_site, tmp_path):
    """Pagefind numbers pages in the order it is given them: the same pages give the same index on file systems
    that list a folder's entries in different orders (tmpfs: creation order; ext4: hash order)."""
    from annals.search import index_site
    shm = Path("/dev/shm")
    if not Path("/proc/mounts").is_file() or not shm.is_dir() or file_system_of(shm) != "tmpfs":
        pytest.skip("no tmpfs at /dev/shm to compare with")
    if file_system_of(tmp_path) == "tmpfs":
        pytest.skip(f"the test's folder {tmp_path} is on tmpfs too: no second file system to compare with")
    import tempfile
    with tempfile.TemporaryDirectory(dir=shm) as memory:
        indexes = []
        for root in (Path(memory), tmp_path):
            site = root / "site"
            shutil.copytree(corpus_site / "documents", site / "documents")
            index_site(site)
            indexes.append({path: data for path, data in tree(site).items() if path.startswith("pagefind")})
    assert len(indexes[0]) > 100 and indexes[0] == indexes[1]
