"""Who a sentence names, grouped as its clauses join them, for the words of contact (annals.contacts).

A person is a name (a mention) with the titles written around it ("President of the Republic of Azerbaijan
Ilham Aliyev", "Heydar Aliyev of Azerbaijan"); an office named alone ("the Russian President") is its holder
on the document's date. People joined by "and" are a group ("A, B and C"); a comma alone joins no one.
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass

from annals.contact_words import (APPOSED, BARE, DOUBT, ELABORATION, ELSEWHEN, ENDS_CLAUSE, INTRO, LAST_WORD, MEMBER,
                                  NAME_GOES_ON, NOT_TITLE, OF_PLACE, OFFICE, POSSESSIVE, PUNCTUATION, SUBJECT_GAP,
                                  TITLE_LOWER, WORD_BEFORE, Rule, compiled, object_gap)
from annals.model import Document
from annals.offices import Offices

GAP = 120  # characters at most between the words of contact and a subject or object
PREFIX = 200  # characters at most before the subject of a clause (an introductory phrase, ended by a comma)


@dataclass(frozen=True, slots=True)
class Group:
    """People named together ("A, B and C", or one person), text[start:end] with their titles. `bare` for an
    office named without a country ("the President"): a subject only; `possessive` when "'s" follows."""

    start: int
    end: int
    ids: tuple[str, ...]
    bare: bool = False
    possessive: bool = False


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a text, text[start:end], its groups of people (their starts and ends, for bisection),
    where words of doubt stand, and the implied party."""

    text: str
    start: int
    end: int
    groups: tuple[Group, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    doubts: tuple[int, ...]
    implied: str | None
    elsewhen: bool = False  # the sentence dates what it tells away from the document's day (ELSEWHEN)

    def doubt_before(self, end: int) -> bool:
        return bool(self.doubts) and self.doubts[0] < end

    def before(self, pos: int) -> int:
        """The index of the last group ending at or before pos, or -1."""
        return bisect.bisect_right(self.ends, pos) - 1

    def after(self, pos: int) -> int:
        """The index of the first group starting at or after pos (len(groups) if none)."""
        return bisect.bisect_left(self.starts, pos)


def read_sentence(text: str, s: int, e: int, named: list[tuple[int, int, str]], implied: str | None,
                  offices: Offices, doc: Document) -> Sentence:
    """The sentence text[s:e] with its people grouped and its words of doubt."""
    doubts = tuple(m.start() for m in DOUBT.finditer(text, s, e) if not m.group(1) or int(m.group(1)) != doc.date.year)
    elsewhen = any(not m.group(1) or int(m.group(1)) != doc.date.year for m in ELSEWHEN.finditer(text, s, e))
    groups = tuple(groups_of(text, s, e, actors(text, s, e, named, implied, offices, doc)))
    return Sentence(text, s, e, groups, tuple(g.start for g in groups), tuple(g.end for g in groups), doubts, implied,
                    elsewhen)


def actors(text: str, s: int, e: int, named: list[tuple[int, int, str]], implied: str | None, offices: Offices,
           doc: Document) -> list[Group]:
    """The people of a sentence, each with the titles written around the name, and the offices it names
    without a name (held on the document's date), in order."""
    people: list[Group] = []
    for start, end, pid in named:
        if people and start < people[-1].end:
            continue
        people.append(Group(title_start(text, start, max(s, people[-1].end if people else s)),
                            name_end(text, end, e), (pid,), possessive=bool(POSSESSIVE.match(text, end))))
    for i in range(len(people) - 1):  # a title running into the next name belongs to it
        if people[i].end > people[i + 1].start:
            people[i] = dataclasses.replace(people[i], end=max(people[i + 1].start - 1, people[i].start))
    out, starts = list(people), [g.start for g in people]
    for m in OFFICE.finditer(text, s, e):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and m.start() < people[i].end:
            continue
        office = office_actor(text, m, s, e, implied, offices, doc)
        j = bisect.bisect_left(starts, office.end) if office else 0
        if office and not (j < len(people) and APPOSED.fullmatch(text, office.end, people[j].start)
                           and people[j].start - office.end <= 3):
            out.append(office)
    return sorted(out, key=lambda g: g.start)


def title_start(text: str, start: int, floor: int) -> int:
    """Where the titles before a name begin ("President of the Republic of Azerbaijan Ilham Aliyev")."""
    pos = begin = start
    for _ in range(16):
        m = WORD_BEFORE.search(text, max(floor, pos - 40), pos)
        if not m or not is_title_word(m.group(1)):
            break
        pos = m.start(1)
        if m.group(1) not in ("of", "the", "–", "-", "&"):
            begin = pos  # a title begins with a title word ("first President"), never with "of" or "the" alone
    m = WORD_BEFORE.search(text, max(floor, begin - 8), begin)
    return m.start(1) if m and m.group(1) in ("the", "The") else begin


def is_title_word(word: str) -> bool:
    return word in TITLE_LOWER or (word[:1].isupper() and word not in NOT_TITLE and not PUNCTUATION.search(word))


def name_end(text: str, end: int, ceiling: int) -> int:
    """Where a name's country ends ("Heydar Aliyev of Azerbaijan")."""
    m = OF_PLACE.match(text, end, ceiling)
    return m.end() if m else end


def office_actor(text: str, m: re.Match, s: int, e: int, implied: str | None, offices: Offices,
                 doc: Document) -> Group | None:
    """An office named without a name ("the Russian President", "the President of Azerbaijan"): its holder
    on the document's date; a bare "the President" or "the head of state" is the implied party's office."""
    end = name_end(text, m.end(), e)
    if NAME_GOES_ON.match(text, end):
        return None  # a name the archive does not know follows: the office is its title
    start = title_start(text, m.start(), s)
    words = text[start:end].split()
    if words and words[0] in ("the", "The"):
        words = words[1:]
    for i in range(len(words)):
        phrase = " ".join(words[i:])
        if phrase.casefold() in BARE:
            return Group(start, end, (implied,), bare=True) if implied and i == 0 else None
        for variant in (phrase, re.sub(r"(?i)head of state|leader", "President", phrase)):
            holder = offices.holder(variant, doc.date)
            if holder:
                return Group(start, end, (holder.person,), possessive=bool(POSSESSIVE.match(text, end)))
    return None


def groups_of(text: str, s: int, e: int, actors: list[Group]) -> list[Group]:
    """People named together: "A, B and C". A run of names joined by commas is a list only up to its last
    "and" ("A and B, C noted": C is not of the list), and with no "and" none is ("In his message to A, B said");
    list members the archive does not know may stand between."""
    out: list[Group] = []
    run: list[Group] = []
    joins: list[str] = []
    for actor in actors:
        join = joiner(text, run[-1].end, actor.start) if run and not run[-1].possessive else None
        if join:
            run.append(actor)
            joins.append(join)
            continue
        out += listed(run, joins)
        run, joins = [actor], []
    return out + listed(run, joins)


def listed(run: list[Group], joins: list[str]) -> list[Group]:
    """A run of names as groups: those up to the last "and" as one, each after it alone."""
    last = max((i for i, j in enumerate(joins) if j == "and"), default=-1) + 1
    return ([merged(run[:last + 1])] if last else []) + run[last + 1 if last else 0:]


def merged(chain: list[Group]) -> Group:
    ids = tuple(dict.fromkeys(i for g in chain for i in g.ids))
    return Group(chain[0].start, chain[-1].end, ids, possessive=chain[-1].possessive)


def joiner(text: str, start: int, end: int) -> str | None:
    """How two people are joined: "and" (", and", "as well as"), "comma", or None, across list members the
    archive does not know (", Deputy Prime Minister of Turkmenistan Purli Agamyradov, ")."""
    if end - start > 400:
        return None
    gap = text[start:end].strip()
    if gap in ("and", ", and", "as well as", ", as well as", "&"):
        return "and"
    if gap.startswith(("and ", ", and ")):  # "and President of the Republika Srpska entity of Bosnia and"
        gap = "," + gap.removeprefix(",").strip()[4:] + " and"
    if not gap.startswith(","):
        return None
    parts = gap[1:].split(",")
    last = parts[-1].strip()
    kind = "and" if last == "and" or last.endswith(" and") else "comma"
    last = last[:-3].strip() if kind == "and" else last
    members = [re.sub(r"^\s*and\s+", "", part) for part in parts[:-1] + ([last] if last else [])]
    return kind if all(is_member(m) for m in members) else None


def is_member(part: str) -> bool:
    """Is this part of a list a person the archive does not know, with their titles (a title may hold a
    lower-case word or two: "President of the Republika Srpska entity of Bosnia and Herzegovina")?"""
    words = part.split()
    lower = sum(1 for w in words if not is_title_word(w) and not w[:1].isupper())
    return bool(MEMBER.fullmatch(part)) and len(words) <= 16 and lower <= 2


def subject_at(sentence: Sentence, a0: int) -> Group | None:
    """The subject of words of contact at a0: the first people of the sentence, right before them, opening the
    clause (after at most an introductory phrase), not a possessor ("Mr Aliyev's father")."""
    i = sentence.before(a0)
    if i != 0:
        return None
    g = sentence.groups[0]
    if g.possessive or a0 - g.end > GAP or not SUBJECT_GAP.fullmatch(sentence.text, g.end, a0):
        return None
    return g if opens_clause(sentence, g.start) else None


def opens_clause(sentence: Sentence, start: int) -> bool:
    """Does the text before `start` leave it opening its clause: nothing, a comma, or an introductory phrase
    ("At Russia's initiative", "Earlier") that does not end in a preposition or article ("The son of")?"""
    if start - sentence.start > PREFIX:
        return False
    prefix = sentence.text[sentence.start:start]
    if not prefix.strip() or prefix.rstrip().endswith(","):
        return True
    first = prefix.split()[0].rstrip(",")
    last = LAST_WORD.search(prefix)
    return first in INTRO and len(prefix) <= 80 and bool(last) and last.group(1).lower() not in ENDS_CLAUSE


def elaborated(sentence: Sentence, pos: int) -> Group | None:
    """The people a sentence whose subject names no one ("A number of leaders telephoned B ...") names at its
    end as its subject: "..., in particular, C, D and E."."""
    m = ELABORATION.search(sentence.text, pos, min(sentence.end, pos + GAP))
    j = sentence.after(m.end()) if m else len(sentence.groups)
    if j != len(sentence.groups) - 1 or sentence.groups[j].start != m.end():
        return None
    g = sentence.groups[j]
    return g if sentence.end - g.end <= 2 and not sentence.text[g.end:sentence.end].strip(" .") else None


def object_at(sentence: Sentence, a1: int, rule: Rule) -> Group | None:
    """The people right after words of contact at a1, through what the rule lets stand between: not a
    possessor, not a bare office, not the beginning of a longer name ("Heydar Aliyev Airport")."""
    j = sentence.after(a1)
    if j >= len(sentence.groups):
        return None
    g = sentence.groups[j]
    if g.possessive or g.bare or g.start - a1 > GAP or not object_gap(rule.prep).fullmatch(sentence.text, a1, g.start):
        return None
    nxt = NAME_GOES_ON.match(sentence.text, g.end, sentence.end)
    if nxt and nxt.group(1) not in NOT_TITLE:
        return None
    if rule.after and not compiled(rule.after).match(sentence.text, g.end, sentence.end):
        return None
    return g
