"""Shared fixtures: the shared corpus (skipped with a reason where absent) and the project root."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
sys.path.insert(0, str(ROOT / "scripts"))


KINDS = ("unit", "site", "browser")  # the markers: `pytest -m unit` runs the fast tests alone


def pytest_addoption(parser):
    parser.addoption("--regenerate-golden", action="store_true",
                     help="write tests/golden/ anew from the renderers (test_golden.py), then compare")


def pytest_collection_modifyitems(config, items):
    """Give every test its kind: `browser` if it needs Chromium (its fixtures reach `chromium`); `site` if it reads
    the shared corpus or its site, or is marked so (it builds a site, or works through a whole archive: seconds,
    not milliseconds); else `unit`."""
    for item in items:
        if "chromium" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
        elif {"corpus_site", "corpus"} & set(item.fixturenames):
            item.add_marker(pytest.mark.site)
        elif item.get_closest_marker("site") is None:
            item.add_marker(pytest.mark.unit)


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """Each test run caches in a folder of its own, never in the user's cache."""
    folder = tmp_path_factory.mktemp("annals-cache")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ANNALS_CACHE", str(folder))
        yield folder


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared corpus of real documents with gold annotations."""
    if not (CORPUS / "sources").is_dir() or not (CORPUS / "gold").is_dir():
        pytest.skip(f"the shared corpus is absent ({CORPUS}); these tests need ../shared/corpus")
    return CORPUS


@pytest.fixture(scope="session")
def scorer():
    """The shared scoring tool, ../shared/tools/score_export.py, as a module."""
    tools = SHARED / "tools"
    if not (tools / "score_export.py").is_file():
        pytest.skip(f"the shared scoring tool is absent ({tools / 'score_export.py'})")
    sys.path.insert(0, str(tools))
    import score_export
    return score_export


# Sites built by annals build, and Debian's Chromium (driven by Playwright) to read them

THREE_TEXTS = ("president-az-52519.txt", "kremlin-17100.txt", "kremlin-17976.txt")  # a small archive of demo texts


def project_copy(folder: Path, *sources: str) -> Path:
    """A project folder like this one (docs, registry, mkdocs.yml), with the demo sources named (none by default)."""
    import shutil
    for name in ("docs", "registry"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder / "mkdocs.yml")
    (folder / "scripts" / "annals").mkdir(parents=True)
    (folder / "sources").mkdir()  # watched by mkdocs.yml
    for name in sources:
        shutil.copy(ROOT / "sources" / name, folder / "sources" / name)
    return folder


def build_project_site(project: Path, sources: Path, search: bool = True, site_url: str | None = None) -> Path:
    """Build project/site from `sources` with annals build, as from the project folder (at `site_url`, if given)."""
    from annals.site import build_site
    with pytest.MonkeyPatch.context() as mp:
        for name in ("ANNALS_SOURCES", "ANNALS_REGISTRY", "SOURCE_DATE_EPOCH"):
            mp.delenv(name, raising=False)
        mp.chdir(project)
        return build_site(project / "mkdocs.yml", sources, project / "registry", project / "site", search=search,
                          site_url=site_url)


def needs_browser() -> None:
    """Skip, with the reason, where Playwright or Debian's Chromium is missing."""
    import importlib.util

    from annals.bench.search import CHROMIUM
    if importlib.util.find_spec("playwright") is None:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")


@pytest.fixture(scope="session")
def corpus_site(corpus, tmp_path_factory) -> Path:
    """The corpus site, built once by annals build (search index included); tests read it, never change it."""
    return build_project_site(project_copy(tmp_path_factory.mktemp("corpus-site")), corpus / "sources")


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, launched once."""
    needs_browser()
    from playwright.sync_api import sync_playwright

    from annals.bench.search import launch_chromium
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def corpus_browser(chromium, corpus_site):
    """(Chromium, the corpus site's address): served from a subfolder, as on a host that puts the site in one."""
    from annals.bench.search import served
    with served(corpus_site.parent) as base:
        yield chromium, base + "site/"


def archive_of(tmp_path: Path, texts: dict[str, str], registry: dict[str, str] | None = None):
    """The archive of made-up texts (file name -> text) and registry files (file name -> YAML), read from tmp_path."""
    from annals.load import load_archive

    for folder, files in (("s", texts), ("r", registry or {})):
        (tmp_path / folder).mkdir()
        for name, text in files.items():
            (tmp_path / folder / name).write_text(text, encoding="utf-8")
    return load_archive(tmp_path / "s", tmp_path / "r")
