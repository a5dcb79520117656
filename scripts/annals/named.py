"""People named in narration: a title followed by a name ("President of Kazakhstan Kassym-Jomart Tokayev",
"Prime Minister of Japan Shinzo Abe", "Russian President Vladimir Putin") makes a person with that role, linked
and listed like a speaker, with no registry entry.

A run of capitalised words (with "of", "the", "and" between them) is read from its end: the name is its last
two to four name words (never a title word, never a word the archive knows as a place or organisation), and
what comes before must be a title (it holds a title word: President, Minister, Chairman ...). One pass over
each paragraph, a regular expression: linear in the text.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from annals.labels import PARTICLES, SENTENCE_WORDS, TITLE_WORDS

# Words that make a phrase a title of office (a subset of labels.TITLE_WORDS, plus forms of it).
TITLE_HEADS = frozenset("""president vice-president minister premier chancellor king queen emir sultan pope
    patriarch secretary-general secretary chairman chairwoman chairperson governor mayor ambassador director
    director-general ceo head speaker senator spokesman spokeswoman spokesperson prince princess commander
    aide adviser advisor envoy representative rector chief leader monarch sheikh metropolitan archbishop
    cardinal general admiral marshal""".split())
WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][\w’']*(?:[-.][\w’']+)*\.?"
LINK = r"(?:of|the|and|for|on|to|de|del|da|di|du|von|van|bin|al|el|la|le)"
RUN = re.compile(rf"(?<![\w’'.-]){WORD}(?:[ \u00a0](?:{LINK}[ \u00a0])*{WORD})+")
# Capitalised words that open a sentence or a time, not a title: "Yesterday President ...", "On Monday ...".
LEADING = frozenset("""the and yesterday today tomorrow tonight later earlier then meanwhile also on in at during
    after before when while since last next this following monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december""".split())
HEAD = re.compile(r"(?i)(?<![\w-])(?:" + "|".join(sorted(map(re.escape, TITLE_HEADS), key=len, reverse=True))
                  + r"|[\w-]+-general)(?![\w-])")
LINKS = frozenset(LINK[3:-1].split("|"))
MAX_NAME = 4  # words of a personal name: Recep Tayyip Erdogan, Luiz Inacio Lula da Silva is five (with "da")


@dataclass(frozen=True, slots=True)
class Named:
    """A person a text names after a title: text[start:end] is the name, `role` the title before it."""

    start: int
    end: int
    name: str
    role: str


def titled_names(text: str, is_other: Callable[[tuple[str, ...]], bool] = lambda words: False) -> list[Named]:
    """Every "title + name" of a text, in order. `is_other(words)` says whether a run of words is a known
    place or organisation (never part of a personal name: "President of Kazakhstan Kassym-Jomart Tokayev")."""
    out: list[Named] = []
    for m in RUN.finditer(text):
        if not HEAD.search(m.group()):  # no title in the run: a name after a lower-case title at most
            before = text[max(0, m.start() - 30):m.start()]
            if before.endswith(" ") and is_head(before[:-1].rsplit(" ", 1)[-1]) and before[-2:-1].islower():
                out += after_lower_title(text, m, is_other)
            continue
        for words in sentences([(w.group(), m.start() + w.start()) for w in re.finditer(r"\S+", m.group())]):
            found: list[Named] = []
            while words:
                words = take_last(words, is_other, text, found)
            out += reversed(found)
        if not out or out[-1].end <= m.start():
            out += after_lower_title(text, m, is_other)
    return out


LOWER_TITLE = re.compile(r"(?:^|[\s(])((?:[a-z-]+ ){0,2}[a-z-]+) $")


def after_lower_title(text: str, m: re.Match, is_other) -> list[Named]:
    """A name of two to four words right after a title in lower case ("the future president John Kennedy",
    "former prime minister Ivan Petrov")."""
    before = LOWER_TITLE.search(text, max(0, m.start() - 40), m.start())
    words = m.group().split()
    if not before or not is_head(before.group(1).split()[-1]) or not 2 <= len(words) <= MAX_NAME:
        return []
    if not all(is_name_word(w.rstrip(".")) for w in words) or is_other(tuple(w.rstrip(".") for w in words)):
        return []
    title = before.group(1).split()
    while title and (title[0] in LINKS or title[0] in SENTENCE_WORDS or title[0] in LEADING or title[0] in "a an"):
        title = title[1:]
    end = m.start() + len(m.group().rstrip("."))
    return [Named(m.start(), end, text[m.start():end], " ".join(title))]


def sentences(words: list[tuple[str, int]]) -> list[list[tuple[str, int]]]:
    """A run cut after each word that ends a sentence ("Aliyev. Then ..."; not "V." or "St.")."""
    parts, part = [], []
    for w in words:
        part.append(w)
        if w[0].endswith(".") and len(w[0]) > 3:
            parts.append(part)
            part = []
    return parts + [part] if part else parts


def take_last(words: list[tuple[str, int]], is_other, text: str, found: list[Named]) -> list[tuple[str, int]]:
    """Find the "title + name" that ends a run of words (after its last "and" if that part is one on its own:
    "Prime Minister of Japan Shinzo Abe and President of Turkey Recep Tayyip Erdogan"); add it to `found` and
    return the words before it, still to be read ([] when none are)."""
    ands = [i for i, (w, _) in enumerate(words) if w == "and"]
    for k in reversed(ands):
        split = split_title(words[k + 1:], is_other)
        if split:
            add(words[k + 1:], split, text, found)
            return words[:k]
    split = split_title(words, is_other)
    if split:
        add(words, split, text, found)
    return []


def add(words: list[tuple[str, int]], split: tuple[int, str], text: str, found: list[Named]) -> None:
    cut, role = split
    start = words[cut][1]
    end = words[-1][1] + len(words[-1][0].rstrip("."))
    found.append(Named(start, end, text[start:end], role))


def split_title(words: list[tuple[str, int]], is_other) -> tuple[int, str] | None:
    """Where the name starts in a run of words, and the title before it; None unless it is "title + name".

    The name is the last two name words, and a third or fourth before them only where the word before that
    ends a title or a known place ("President of Turkey Recep Tayyip Erdogan", not "Minister of Foreign
    Affairs Sergei Lavrov")."""
    plain = [w for w, _ in words]
    if len(plain[-1]) > 3:
        plain[-1] = plain[-1].removesuffix(".")  # the sentence's full stop, not an initial's
    if len(plain) < 3 or not is_name_word(plain[-1]) or plain[-1].endswith("."):
        return None
    cut = len(plain) - 1
    while cut > 0 and len(plain) - cut < MAX_NAME:
        prev = plain[cut - 1]
        if prev.lower() in PARTICLES and cut > 1 and is_name_word(plain[cut - 2]):
            step = cut - 2
        elif is_name_word(prev):
            step = cut - 1
        else:
            break
        if is_other(tuple(plain[step:cut])) or is_other(tuple(plain[step:])):
            break
        if len(plain) - cut >= 2 and not (step == 0 or ends_title(plain[:step], is_other)):
            break
        cut = step
    if len(plain) - cut < 2 or cut == 0 or is_other(tuple(plain[cut:])) or plain[cut - 1] in LINKS:
        return None  # "Minister of Foreign Affairs": the name would be the office's own words
    title = title_words(plain[:cut])
    return (cut, " ".join(title)) if title else None


def ends_title(words: list[str], is_other) -> bool:
    """Do these words end with a title word or a known place ("President", "of Turkey")?"""
    last = words[-1].lower().strip(".,")
    return last in TITLE_HEADS or any(is_other(tuple(words[i:])) for i in range(max(0, len(words) - 4), len(words)))


def title_words(words: list[str]) -> list[str]:
    """The title at the end of `words` ("Then Foreign Minister" -> "Foreign Minister"), or [] if none."""
    heads = [i for i, w in enumerate(words) if is_head(w)]
    if not heads:
        return []
    start = 0
    for i, w in enumerate(words[:heads[0]]):
        if (w.lower() in SENTENCE_WORDS and not w.isupper()) or w.lower() in LEADING:  # "US" is no "us"
            start = i + 1
    title = words[start:]
    while title and title[0].lower() in {"of", "the", "and", "for", "on"}:
        title = title[1:]
    return title


def is_head(word: str) -> bool:
    """Is this a word that makes a title ("President", "Secretary-General")?"""
    w = word.lower().strip(".,")
    return w in TITLE_HEADS or w.endswith("-general")


def is_name_word(word: str) -> bool:
    """Could the word be part of a personal name: capitalised, not a title word, not an initial alone."""
    core = word.strip("’'\".,")
    return (len(core) > 1 and core[0].isupper() and core.lower() not in TITLE_WORDS
            and not core.isupper() and core.lower() not in SENTENCE_WORDS)
