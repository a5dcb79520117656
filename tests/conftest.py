"""Shared fixtures: the shared corpus (skipped with a reason where absent) and the project root."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
sys.path.insert(0, str(ROOT / "scripts"))


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
