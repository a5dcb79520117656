"""Golden cases: the renderers' output for chosen pages of the demo archive, byte for byte, beside the test in
tests/golden/. A change to a renderer shows here as a diff to read; when it is meant, make the files again with
`python -m pytest tests/test_golden.py --regenerate-golden` and commit them with the change."""
from __future__ import annotations

from pathlib import Path

import pytest

from annals.export import document_files
from annals.load import load_archive
from annals.render.pages import render_plan, render_task
from conftest import ROOT

pytestmark = pytest.mark.site  # the whole demo archive is read

GOLDEN = Path(__file__).parent / "golden"
SEED = "president-az-52519.txt"
CASES = ("document", "place", "pair", "json", "tei")


@pytest.fixture(scope="module")
def demo():
    archive = load_archive(ROOT / "sources", ROOT / "registry")
    return archive, render_plan(archive, "https://archive.example.org/")[2]


def rendered(case: str, archive, refs) -> str:
    seed = next(d for d in archive.documents if d.source == SEED)
    if case == "document":
        return render_task(archive, refs, ("document", archive.documents.index(seed)))[1]
    if case == "place":
        return render_task(archive, refs, ("entity", "place:baku"))[1]
    if case == "pair":  # the pair of the fewest contacts, then by key: a short page with every part of one
        key = min(refs.pairs, key=lambda k: (len(archive.contacts.get(k, ())), k))
        return render_task(archive, refs, ("pair", key))[1]
    json_text, tei = document_files(archive, seed, "https://archive.example.org/").values()
    return json_text if case == "json" else tei


@pytest.mark.parametrize("case", CASES)
def test_the_renderers_give_the_golden_bytes(case, demo, request):
    text = rendered(case, *demo)
    path = GOLDEN / f"{case}.{'md' if case in ('document', 'place', 'pair') else 'json' if case == 'json' else 'xml'}"
    if request.config.getoption("--regenerate-golden"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"{path} is missing: make it with --regenerate-golden"
    expected = path.read_text(encoding="utf-8")
    if text != expected:  # the first line that differs (pytest's diff of two long texts takes minutes)
        got, want = text.splitlines(), expected.splitlines()
        n = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        pytest.fail(f"{case} differs from {path} at line {n + 1}: {got[n:n + 1]!r} != {want[n:n + 1]!r}")
