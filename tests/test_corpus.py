"""The archive's figures on the shared corpus, scored by ../shared/tools/score_export.py."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annals.load import load_archive
from annals.read import INVISIBLE
from annals.write import write_export

ERRATA = Path(__file__).parent / "data" / "gold_errata.json"
BARS = {"attribution": 0.99, "label_precision": 0.99, "label_recall": 0.99, "identity_consistency": 0.99,
        "speaker_name_match": 0.99, "title": 0.99, "date": 0.99, "time": 0.99, "place": 0.99}


@pytest.fixture(scope="module")
def export(corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    write_export(load_archive(corpus / "sources"), out)
    return out


def corrected_gold(gold: Path, out: Path) -> Path:
    """Copy the gold with the errata of tests/data/gold_errata.json applied, and full names tagged."""
    corrections = json.loads(ERRATA.read_text(encoding="utf-8"))
    errata, same = corrections["errata"], corrections["same_people"]
    golds = {path: json.loads(path.read_text(encoding="utf-8")) for path in sorted(gold.glob("*.json"))}
    full_names = speaker_names(golds.values())
    out.mkdir()
    for path, data in golds.items():
        for p in data["paragraphs"]:  # the page's zero-width spaces, which the archive removes (read.INVISIBLE)
            p["text"] = INVISIBLE.sub("", p["text"])
        for e in (e for e in errata if e["source"] == path.stem):
            apply_erratum(data["paragraphs"], e)
        for e in same:
            one_person(data["paragraphs"], e)
        tag_named(data, full_names)
        for e in corrections["named_as"]:  # "Heidar Aliev" names Heydar Aliyev, whose surname the tags miss
            if e["spelling"] in " ".join([data.get("title") or "", data.get("lead") or ""]
                                         + [p["text"] for p in data["paragraphs"]]):
                data["tags"]["Persons"].append({"name": f"{e['person'].split()[-1]} {e['person'].split()[0]}"})
        (out / path.name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def speaker_names(golds) -> set[str]:
    """Full names ("Vladimir Putin") of the people who speak somewhere in the gold."""
    return {" ".join(p["speaker"].split()[-2:]) for g in golds for p in g["paragraphs"]
            if p.get("speaker") and len(p["speaker"].split()) >= 2 and p["speaker"].split()[-2][:1].isupper()}


def tag_named(data: dict, full_names: set[str]) -> None:
    """Tag the people a text names, in its title or its body: en.kremlin.ru never tags Vladimir Putin and tags
    others only now and then. A text names someone of a speaker's surname where the surname follows a capitalised word (a
    given name, "Mr", "President"): "Vladimir Putin", "Mr Putin", "Heidar Aliyev" (the scorer, too, counts
    people by surname)."""
    text = " ".join([data.get("title") or "", data.get("lead") or ""] + [p["text"] for p in data["paragraphs"]])
    data.setdefault("tags", {}).setdefault("Persons", [])
    for name in sorted(full_names):
        family = name.split()[-1]
        if re.search(rf"\b[A-Z][\w.]* {re.escape(family)}\b", text):
            data["tags"]["Persons"].append({"name": f"{family} {name.split()[0]}"})


def apply_erratum(paragraphs: list[dict], e: dict) -> None:
    """Give the paragraph starting with e["starts"] its label, and the turn its speaker."""
    start = [i for i, p in enumerate(paragraphs) if p["text"].startswith(e["starts"])]
    assert len(start) == 1, f"erratum {e['starts']!r} matches {len(start)} gold paragraphs"
    first = paragraphs[start[0]]
    assert first["text"].startswith(e["label"] + ":"), e
    first["text"] = first["text"][len(e["label"]) + 1:].strip()
    first["label"] = e["label"]
    for p in paragraphs[start[0]:start[0] + e["paragraphs"]]:
        p["speaker"] = e["label"]


def one_person(paragraphs: list[dict], e: dict) -> None:
    """Give the turns of each spelling of e["spellings"] to e["person"] (the gold's identity is the label's
    last two words, so a misspelt label is another person there)."""
    variants = {" ".join(s.casefold().split()[-2:]) for s in e["spellings"]}
    for p in paragraphs:
        if p.get("speaker") and " ".join(p["speaker"].casefold().split()[-2:]) in variants:
            p["speaker"] = e["person"]


# The figures against the corrected gold before issue 15 ("Who is who"): none may fall below them.
BEFORE_ISSUE_15 = {"attribution": 0.9988, "label_precision": 1.0, "label_recall": 1.0, "identity_consistency": 1.0,
                   "speaker_name_match": 0.9904, "mention_recall": 0.9783, "mention_precision": 1.0,
                   "paragraphs_matched": 0.9995, "title": 1.0, "date": 1.0, "time": 1.0, "place": 1.0}


@pytest.mark.site
def test_corpus_meets_the_bar_against_corrected_gold(corpus, scorer, export, tmp_path):
    r = scorer.score(str(corrected_gold(corpus / "gold", tmp_path / "gold")), str(export))
    assert r["documents_missing"] == 0
    low = {k: r[k] for k, bar in BARS.items() if r[k] < bar}
    assert not low, f"below 0.99: {low}"
    worse = {k: (r[k], bar) for k, bar in BEFORE_ISSUE_15.items() if r[k] < bar}
    assert not worse, f"worse than before issue 15: {worse}"
    assert r["narration_false_speaker"] == 0.0 and r["spurious_paragraphs"] == 0.0
    assert r["identities_merged"] == 0


@pytest.mark.site
def test_corpus_against_the_gold_as_published(corpus, scorer, export):
    """Against the uncorrected gold the figures stay where the errata explain the difference."""
    r = scorer.score(str(corpus / "gold"), str(export))
    assert r["documents_missing"] == 0
    assert r["label_recall"] >= 0.99 and r["narration_false_speaker"] <= 0.005
    assert min(r["title"], r["date"], r["time"], r["place"]) >= 0.99
    assert r["label_precision"] >= 0.97 and r["attribution"] >= 0.94
    assert r["mention_recall"] >= 0.95


def test_seed_scores_one_on_attribution(corpus, scorer, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "president-az-52519.txt").write_bytes((corpus / "sources" / "president-az-52519.txt").read_bytes())
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "president-az-52519.json").write_bytes((corpus / "gold" / "president-az-52519.json").read_bytes())
    write_export(load_archive(tmp_path / "src"), tmp_path / "out")
    r = scorer.score(str(tmp_path / "gold"), str(tmp_path / "out"))
    assert r["attribution"] == 1.0 and r["label_precision"] == 1.0 and r["label_recall"] == 1.0


def test_errata_only_touch_paragraphs_that_hold_a_label(corpus):
    errata = json.loads(ERRATA.read_text(encoding="utf-8"))["errata"]
    for e in errata:
        gold = json.loads((corpus / "gold" / f"{e['source']}.json").read_text(encoding="utf-8"))
        first = [p for p in gold["paragraphs"] if p["text"].startswith(e["starts"])]
        assert len(first) == 1 and first[0]["label"] is None


def test_same_people_errata_name_speakers_of_the_gold(corpus):
    """Each spelling the errata make one person is a speaker of the gold (or of a label erratum), and its person
    speaks there too."""
    corrections = json.loads(ERRATA.read_text(encoding="utf-8"))
    same = corrections["same_people"]
    speakers = {p["speaker"].casefold() for path in corpus.joinpath("gold").glob("*.json")
                for p in json.loads(path.read_text(encoding="utf-8"))["paragraphs"] if p.get("speaker")}
    speakers |= {e["label"].casefold() for e in corrections["errata"]}
    lasts = {" ".join(s.split()[-2:]) for s in speakers}
    for e in same:
        assert all(s.casefold() in speakers for s in e["spellings"]), e
        assert e["person"].casefold() in lasts, e


def test_named_as_errata_are_written_in_the_gold(corpus):
    named_as = json.loads(ERRATA.read_text(encoding="utf-8"))["named_as"]
    golds = [json.loads(path.read_text(encoding="utf-8")) for path in corpus.joinpath("gold").glob("*.json")]
    texts = " ".join([g.get("title") or "" for g in golds] + [p["text"] for g in golds for p in g["paragraphs"]])
    assert named_as and all(e["spelling"] in texts for e in named_as)
