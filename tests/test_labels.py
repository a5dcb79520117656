"""The speaker-label grammar: parse_label and split_label, one test per class of label. Input and expected
output side by side: (name, role, kind), or None where the text is not a label."""
from __future__ import annotations

import pytest

from annals.labels import parse_label, split_label
from annals.slug import slugify


def read(text: str) -> tuple[str, str, str] | None:
    label = parse_label(text)
    return (label.name, label.role, label.kind) if label else None


@pytest.mark.parametrize("text, expected", [
    ("US Secretary of State Jane Doe", ("Jane Doe", "US Secretary of State", "person")),
    ("UN Secretary-General Ivan Petrov", ("Ivan Petrov", "UN Secretary-General", "person")),
    ("IOC President Thomas Lind", ("Thomas Lind", "IOC President", "person")),
    ("EU High Representative Anna Berg", ("Anna Berg", "EU High Representative", "person")),
    ("US President Ivan Petrov said", ("Ivan Petrov", "US President", "person")),
])
def test_an_acronym_opens_an_office(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected, person_id", [
    ("Patriarch Bartholomew", ("Patriarch Bartholomew", "", "person"), "patriarch-bartholomew"),
    ("Pope Francis", ("Pope Francis", "", "person"), "pope-francis"),
    ("King Abdullah", ("King Abdullah", "", "person"), "king-abdullah"),
    ("Emir Tamim", ("Emir Tamim", "", "person"), "emir-tamim"),
    ("King Abdullah II", ("King Abdullah II", "", "person"), "king-abdullah-ii"),
    ("Crown Prince Hussein", ("Crown Prince Hussein", "", "person"), "crown-prince-hussein"),
    ("His Holiness Patriarch Kirill", ("Patriarch Kirill", "His Holiness", "person"), "patriarch-kirill"),
    ("His Majesty King Abdullah II of Jordan", ("King Abdullah II", "His Majesty King of Jordan", "person"),
     "king-abdullah-ii"),
    ("Patriarch Kirill of Moscow and All Russia", ("Patriarch Kirill", "Patriarch of Moscow and All Russia", "person"),
     "patriarch-kirill"),
])
def test_a_dignitary_known_by_one_name_keeps_the_title_in_the_name(text, expected, person_id):
    assert read(text) == expected
    assert slugify(parse_label(text).name) == person_id


@pytest.mark.parametrize("text, expected", [
    ("Adviser to King Abdullah", None),  # the adviser speaks, and is not named
    ("Crown Prince Mohammed bin Salman", ("Mohammed bin Salman", "Crown Prince", "person")),
    ("Emir of Qatar Tamim bin Hamad Al Thani", ("Tamim bin Hamad Al Thani", "Emir of Qatar", "person")),
])
def test_a_dignitary_with_a_full_name_is_named_by_it(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("chairman of the Board of Directors of Acme Ivan Petrov",
     ("Ivan Petrov", "chairman of the Board of Directors of Acme", "person")),
    ("deputy head of the Audit Office Anna Berg", ("Anna Berg", "deputy head of the Audit Office", "person")),
    ("the President toured the exhibition Rivers of the North", None),
    ("question", None),
    ("we met Ivan Petrov", None),
])
def test_a_label_may_open_with_an_office_in_lower_case(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Ivan Petrov, Head of the Audit Office", ("Ivan Petrov", "Head of the Audit Office", "person")),
    ("Ivan Petrov, Head of the Audit Chamber", ("Ivan Petrov", "Head of the Audit Chamber", "person")),
    ("Anna Berg, teacher at School No. 5", ("Anna Berg", "teacher at School No. 5", "person")),
    ("Ivan Petrov, Acme CEO", ("Ivan Petrov", "Acme CEO", "person")),
    ("Civil Defence, Emergency Situations and Disaster Relief Minister Ivan Petrov",
     ("Ivan Petrov", "Civil Defence, Emergency Situations and Disaster Relief Minister", "person")),
])
def test_name_then_comma_then_office_is_the_name(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text", [
    "Minister of Culture", "Minister of Economic Development", "Minister of Foreign Affairs",
    "Head of the Audit Chamber", "Governor of Saint Petersburg", "Adviser to Ivan Petrov",
])
def test_an_office_alone_is_no_label(text):
    """The lines of an appointment list ("Minister of Foreign Affairs: Ivan Petrov."): after "of", "the", "to" come
    the words of a body, never the speaker's name."""
    assert read(text) is None


@pytest.mark.parametrize("text", [
    "The President toured the exhibition Northern Rivers",
    "The President visits the exhibition Northern Rivers",
    "During the talks Ivan Petrov",
    "The agenda included the following",
    "Contact telephone numbers",
    "We told Ivan Petrov",
])
def test_a_colon_in_narration_is_no_label(text):
    assert read(text) is None


@pytest.mark.parametrize("text, expected", [
    ("Question", ("Question", "", "role")),
    ("Questions", ("Questions", "", "role")),
    ("Remark", ("Remark", "", "role")),
    ("Remarks", ("Remarks", "", "role")),
    ("Response", ("Response", "", "role")),
    ("Reply", ("Reply", "", "role")),
    ("Answer", ("Answer", "", "role")),
    ("Comment", ("Comment", "", "role")),
    ("Question from Izhevsk", ("Question from Izhevsk", "", "role")),
    ("Question from the audience", ("Question from the audience", "", "role")),
    ("Question (retranslated)", ("Question (retranslated)", "", "role")),
    ("Question 2", ("Question 2", "", "role")),
    ("Question from the audience was answered by", None),
    ("Speaker of the State Duma Ivan Petrov", ("Ivan Petrov", "Speaker of the State Duma", "person")),
])
def test_anonymous_roles_are_roles(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Vladimir Putin", ("Vladimir Putin", "", "person")),
    ("V.Putin", ("V.Putin", "", "person")),
    ("Russian President Vladimir Putin said", ("Vladimir Putin", "Russian President", "person")),
    ("Director General of the State Hermitage Museum Ivan Petrov",
     ("Ivan Petrov", "Director General of the State Hermitage Museum", "person")),
    ("His Excellency Ivan Petrov", ("Ivan Petrov", "His Excellency", "person")),
    ("Direct Line programme host Anna Berg", ("Anna Berg", "Direct Line programme host", "person")),
])
def test_common_labels_still_read(text, expected):
    assert read(text) == expected


@pytest.mark.parametrize("line, expected", [
    ("US Secretary of State Jane Doe: Thank you.", ("US Secretary of State Jane Doe", "Jane Doe", "Thank you.")),
    ("Pope Francis: Dear friends.", ("Pope Francis", "Pope Francis", "Dear friends.")),
    ("Response: No.", ("Response", "Response", "No.")),
    ("Minister of Foreign Affairs: Ivan Petrov.", None),
    ("Contact telephone numbers: +7 495 000-00-00.", None),
    ("It ended at 12:30: everyone left.", None),
])
def test_split_label(line, expected):
    found = split_label(line)
    assert (found and (found[0].text, found[0].name, found[1])) == expected
