"""Contacts on the shared corpus, read with the project's registry: the bars of issue 16 ("Who met whom")."""
from __future__ import annotations

import collections
import datetime
from pathlib import Path

import pytest

from annals.load import load_archive
from annals.model import CONTACT_KINDS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def archive(corpus):
    return load_archive(corpus / "sources", ROOT / "registry")


def dated(archive, pair: str) -> list[tuple[datetime.date, str]]:
    """The date and kind of each contact of a pair, oldest first."""
    day = {d.id: d.date for d in archive.documents}
    return [(day[doc_id], contact.kind) for doc_id, contact in archive.contacts.get(pair, ())]


@pytest.mark.site
def test_putin_and_ilham_aliyev_have_forty_contacts_from_2003_to_2021(archive):
    found = dated(archive, "ilham-aliyev--vladimir-putin")
    years = [day.year for day, _ in found]
    assert len(found) >= 40 and min(years) == 2003 and max(years) == 2021
    assert {"meeting", "talks", "telephone", "message", "summit", "transcript"} <= {kind for _, kind in found}


def test_putin_and_heydar_aliyev_have_twenty_contacts_from_2000_to_2003_none_after_his_death(archive):
    found = dated(archive, "heydar-aliyev--vladimir-putin")
    assert len(found) >= 20 and min(found)[0].year == 2000 and max(found)[0].year == 2003
    assert all(day <= datetime.date(2003, 12, 12) for doc in archive.documents for c in doc.contacts
               if "heydar-aliyev" in c.people for day in [doc.date])


def test_every_contact_links_to_a_paragraph_holding_its_words(archive):
    checked = collections.Counter()
    for doc in archive.documents:
        paragraphs = {p.n: p for p in doc.paragraphs}
        for c in doc.contacts:
            assert c.kind in CONTACT_KINDS and len(set(c.people)) == len(c.people) >= 2
            assert list(c.people) == sorted(c.people)
            if c.kind == "transcript":
                assert c.text == paragraphs[c.paragraph].label, (doc.source, c)
            elif c.paragraph == 0:
                assert doc.title[c.start:c.end] == c.text, (doc.source, c)
            else:
                assert paragraphs[c.paragraph].text[c.start:c.end] == c.text, (doc.source, c)
            checked[c.kind] += 1
    assert set(checked) == set(CONTACT_KINDS)


def test_contacts_are_in_the_order_of_the_text_without_repeats_in_a_sentence(archive):
    for doc in archive.documents:
        order = [(c.paragraph, c.start) for c in doc.contacts if c.kind != "transcript"]
        assert order == sorted(order), doc.source
        keys = [(c.kind, c.people, c.paragraph, c.start) for c in doc.contacts]
        assert len(keys) == len(set(keys)), doc.source
