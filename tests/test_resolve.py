"""annals.resolve: every document an id of its date and title, one speaker id per person across the archive."""
from __future__ import annotations

from annals.parse import parse
from annals.registry import Registry, RegistryEntry
from annals.resolve import resolve

ONE = "Talks with Ilham Aliyev\n\nJuly 20, 2021, 19:40\n\nRussian President Vladimir Putin: Good evening.\n\n" \
      "President of Azerbaijan Ilham Aliyev: Thank you.\n\nVladimir Putin: Welcome."
TWO = "Telephone conversation\n\nAugust 11, 2020, 12:30\n\nPresident of Russia Vladimir Putin: Hello."


def test_a_document_id_is_its_date_and_title_and_twins_are_told_apart_by_their_file():
    docs, _ = resolve([parse(ONE, "a.txt"), parse(TWO, "b.txt")], Registry())
    assert [d.id for d in docs] == ["2021-07-20-talks-with-ilham-aliyev", "2020-08-11-telephone-conversation"]
    twins, _ = resolve([parse(ONE, "a.txt"), parse(ONE, "b.txt")], Registry())
    again, _ = resolve([parse(ONE, "b.txt"), parse(ONE, "a.txt")], Registry())
    assert [d.id.rsplit("-", 1)[0] for d in twins] == ["2021-07-20-talks-with-ilham-aliyev"] * 2
    assert len({d.id for d in twins}) == 2  # a suffix of each one's file: the same ids in any order
    assert {d.source: d.id for d in twins} == {d.source: d.id for d in again}


def test_one_person_has_one_id_whatever_the_label_says():
    docs, people = resolve([parse(ONE, "a.txt"), parse(TWO, "b.txt")], Registry())
    assert [p.speaker for p in docs[0].paragraphs] == ["vladimir-putin", "ilham-aliyev", "vladimir-putin"]
    assert docs[1].paragraphs[0].speaker == "vladimir-putin"
    assert people["vladimir-putin"].name == "Vladimir Putin"
    assert set(people["vladimir-putin"].documents) == {d.id for d in docs}


def test_a_registry_alias_gives_the_registry_id():
    registry = Registry(entries=(RegistryEntry("person", "putin", "Vladimir Putin", aliases=("Vladimir Vladimirovich",)),))
    text = "Visit\n\nJuly 21, 2021\n\nVladimir Vladimirovich: Good afternoon."
    docs, people = resolve([parse(text, "a.txt")], registry)
    assert docs[0].paragraphs[0].speaker == "putin" and people["putin"].name == "Vladimir Putin"
