"""Places and topics: the longest name wins, personal names are not places, topics in any letter case."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from annals.crossrefs import cross_index
from annals.gazetteer import make_countries, trie_pattern
from annals.render.entities import render_entity
from annals.render.registers import render_register
from conftest import archive_of

HEAD = "Meeting\n\n20 July 2021, 19:40\nNovo-Ogaryovo, Moscow Region\n\n"
TOPICS = "- name: Coronavirus\n  aliases: [COVID-19, coronavirus infection]\n"


def linked(tmp_path: Path, text: str, registry: dict[str, str] | None = None, head: str = HEAD):
    """The places and topics linked in the paragraphs of a one-document archive: (key, text as written)."""
    doc = archive_of(tmp_path, {"a.txt": head + text}, registry).documents[0]
    return [(m.key, m.text) for m in doc.mentions if m.paragraph > 0 and m.type in ("place", "topic")]


def test_the_longest_name_wins_over_the_names_inside_it(tmp_path):
    text = ("The People’s Republic of China and the People's Republic of China, not the Republic of China; "
            "the Democratic People's Republic of Korea and the Republic of Korea; the Democratic Republic of "
            "the Congo, the Democratic Republic of Congo and the Republic of the Congo; Papua New Guinea, "
            "Equatorial Guinea and Guinea; South Sudan and Sudan; Niger and Nigeria; the Commonwealth of "
            "Dominica and the Dominican Republic.")
    assert linked(tmp_path, text) == [
        ("place:china", "People’s Republic of China"), ("place:china", "People's Republic of China"),
        ("place:taiwan", "Republic of China"),
        ("place:north-korea", "Democratic People's Republic of Korea"), ("place:south-korea", "Republic of Korea"),
        ("place:democratic-republic-of-the-congo", "Democratic Republic of the Congo"),
        ("place:democratic-republic-of-the-congo", "Democratic Republic of Congo"),
        ("place:republic-of-the-congo", "Republic of the Congo"),
        ("place:papua-new-guinea", "Papua New Guinea"), ("place:equatorial-guinea", "Equatorial Guinea"),
        ("place:guinea", "Guinea"), ("place:south-sudan", "South Sudan"), ("place:sudan", "Sudan"),
        ("place:niger", "Niger"), ("place:nigeria", "Nigeria"),
        ("place:dominica", "Commonwealth of Dominica"), ("place:dominican-republic", "Dominican Republic")]


def test_the_united_kingdom_under_every_name_and_wales_on_its_own(tmp_path):
    text = ("The Queen of the United Kingdom of Great Britain and Northern Ireland, the United Kingdom, Great "
            "Britain, Britain, the UK and the British people. Wales voted; the Welsh too. Northern Ireland, "
            "New South Wales and New Guinea are other places than Ireland, Wales and Guinea.")
    assert linked(tmp_path, text) == [
        ("place:united-kingdom", "United Kingdom of Great Britain and Northern Ireland"),
        ("place:united-kingdom", "United Kingdom"), ("place:united-kingdom", "Great Britain"),
        ("place:united-kingdom", "Britain"), ("place:united-kingdom", "UK"), ("place:united-kingdom", "British"),
        ("place:wales", "Wales"), ("place:wales", "Welsh"),
        ("place:ireland", "Ireland"), ("place:wales", "Wales"), ("place:guinea", "Guinea")]


def test_a_personal_name_is_never_a_place(tmp_path):
    text = ("John Kennedy, John F. Kennedy, President Kennedy and Mr Kennedy. George Washington went to "
            "Washington. Michael Jordan visited Jordan. Jordan Peterson met Georgia Meloni, the President of "
            "Georgia Salome Zourabichvili and Vladimir Rushailo. Her neighbour, Vladimir, lives in Vladimir.")
    assert linked(tmp_path, text) == [
        ("place:washington", "Washington"), ("place:jordan", "Jordan"), ("place:georgia", "Georgia"),
        ("place:vladimir", "Vladimir")]


def test_a_city_named_like_a_known_person_is_one_only_after_a_word_of_place(tmp_path):
    text = "Alexander Hamilton wrote. Hamilton agreed, and flew to Hamilton."
    assert linked(tmp_path, text, {"people.yml": "- name: Alexander Hamilton\n"}) == [
        ("place:hamilton", "Hamilton")]


def test_a_region_is_not_its_city(tmp_path):
    text = "From Kursk to the Kursk Region, Krasnodar Territory and Moscow Region, then to Moscow. United Russia won."
    assert linked(tmp_path, text) == [
        ("place:kursk", "Kursk"), ("place:moscow-region", "Moscow Region"), ("place:moscow", "Moscow")]


def test_topics_match_in_any_letter_case_but_common_words_only_capitalised(tmp_path):
    head = "---\ntags: [Energy, Foreign policy, COVID-19]\n---\n" + HEAD
    text = ("The coronavirus, Coronavirus, CORONAVIRUS and covid-19 (a coronavirus infection). Energy matters; "
            "energy is cheap. Foreign policy and foreign policy. The coronaviruses are many.")
    assert linked(tmp_path, text, {"topics.yml": TOPICS}, head) == [
        ("topic:coronavirus", "coronavirus"), ("topic:coronavirus", "Coronavirus"),
        ("topic:coronavirus", "CORONAVIRUS"), ("topic:coronavirus", "covid-19"),
        ("topic:coronavirus", "coronavirus infection"), ("topic:energy", "Energy"),
        ("topic:foreign-policy", "Foreign policy"), ("topic:foreign-policy", "foreign policy")]


def test_a_tag_that_is_a_form_of_a_topic_names_that_topic(tmp_path):
    doc = archive_of(tmp_path, {"a.txt": "---\ntags: [COVID-19, Energy]\n---\n" + HEAD + "Hello."},
                     {"topics.yml": TOPICS}).documents[0]
    assert [(m.paragraph, m.key, m.text) for m in doc.mentions if m.type == "topic"] == [
        (0, "topic:coronavirus", "COVID-19"), (0, "topic:energy", "Energy")]


def test_registers_count_the_documents_their_pages_list(tmp_path):
    texts = {"a.txt": "---\ntags: [Energy]\n---\n" + HEAD + "Coronavirus in Baku and Kursk.",
             "b.txt": HEAD.replace("20 July", "21 July") + "The coronavirus reached Baku. Energy, energy.",
             "c.txt": HEAD.replace("20 July", "22 July") + "John Kennedy spoke of the Kursk Region."}
    archive = archive_of(tmp_path, texts, {"topics.yml": TOPICS})
    refs = cross_index(archive)
    counted = {}
    for kind in ("place", "topic"):
        for name, page, n in re.findall(r"^- \[(.*?)\]\((.*?)\.md\) · (\d+) documents?$",
                                        render_register(kind, archive, refs), re.M):
            entity = archive.entities[f"{kind}:{page}"]
            listed = render_entity(entity, refs)
            assert int(n) == listed.count("<li><time") == int(re.search(r"mentioned in (\d+)", listed).group(1))
            counted[entity.key] = int(n)
    assert counted == {"place:baku": 2, "place:kursk": 1, "place:moscow-region": 3, "place:novo-ogaryovo": 3,
                       "topic:coronavirus": 2, "topic:energy": 2}


def test_countries_sharing_a_code_give_one_country_and_its_parts():
    made = {e.id: (e, forms) for e, forms in make_countries()}
    uk, forms = made["united-kingdom"]
    assert (uk.name, uk.description) == ("United Kingdom", "Country")
    assert {"Britain", "Great Britain", "UK", "British",
            "United Kingdom of Great Britain and Northern Ireland"} <= set(forms)
    assert made["wales"][0].description == "Part of United Kingdom" and made["wales"][1] == ("Wales", "Welsh")
    assert {"Burma", "Myanmar"} <= set(made["myanmar"][1]) and "burma" not in made
    assert not any("," in f for _, forms in made.values() for f in forms)  # "Korea, Republic of" is no name in a text


@pytest.mark.parametrize("words", [["co", "cov", "covid-19", "x.y"], ["a"], ["north-south", "nord", "no"]])
def test_trie_pattern_matches_the_words_and_nothing_else(words):
    pattern = re.compile(trie_pattern(words))
    assert [w for w in words if pattern.fullmatch(w)] == words
    assert [w for w in ("c", "covid", "x", "xyy", "n", "nor", "northsouth") if pattern.fullmatch(w)] == []
