"""Speaker labels: tell `Healthcare Minister Mikhail Murashko:` from `Contact telephone numbers:`."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Anonymous roles of interviews and question sessions ("Question:", "Remark:").
ROLES = frozenset("""question questions remark remarks reply response answer comment comments operator
    speaker audience presenter voice voices interjection participant journalist moderator
    correspondent interviewer host""".split())

# Words that make up titles and offices: never the last word of a person's name.
TITLE_WORDS = frozenset("""president vice-president minister prime deputy director general chairman
    chairwoman chairperson head chief governor mayor ambassador secretary spokesman spokeswoman
    spokesperson press executive ceo editor coach host commander chancellor king queen emir prince
    patriarch speaker senator member aide adviser advisor assistant representative envoy officer
    colonel major captain lieutenant admiral marshal sergeant mr mrs ms dr professor first federal
    state government ministry council committee office service agency department duma parliament
    republic federation region territory team national the of and""".split())

# Lower-case words that show a clause, not a title, before a colon.
SENTENCE_WORDS = frozenset("""i we you he she it they me us him her them my our your his its their
    is are was were be been being am have has had do does did will would shall should can could may
    might must not no this that these those here there what which who whom whose why how when where
    let lets let's also now then just only so but if as than very too all some any such reads read
    said says say told tells asked asks quote quoted following follows part particular example
    there's here's it's that's what's i'm we're wrote writes added adds noted notes stated states
    announced replied answered continued sent signed took taking were believe think want like know
    see give go come make get take tell ask""".split())

CONNECTORS = frozenset("of the and for on in at to from with de del della der des di da dos du la le van von bin ibn al el ter y".split())
PARTICLES = frozenset("de del della der des di da dos du la le van von bin ibn al el ter".split())
SAID = re.compile(r"\s+said$")
LABEL = re.compile(r"^(?P<label>[^:\n]{1,160}?):(?=\s|$)")
INITIALS = re.compile(r"(?:[A-Z]\.\s?){1,2}[A-Z][\w’'-]+")
DASH = re.compile(r"^[-–—]\s+")


@dataclass(frozen=True)
class Label:
    """A speaker label as written (without its colon), and what it says of the speaker."""

    text: str
    name: str  # the person's name, or the role as written for anonymous roles
    role: str  # the role words before the name ("Healthcare Minister"), "" if none
    kind: str  # "person" or "role"


def split_label(line: str) -> tuple[Label, str] | None:
    """Split `Label: text` into a Label and the rest, or None if the line opens no turn."""
    m = LABEL.match(line)
    if not m:
        return None
    label = parse_label(m.group("label").strip())
    return (label, line[m.end():].strip()) if label else None


@functools.lru_cache(maxsize=65536)  # an archive says "Vladimir Putin:" thousands of times
def parse_label(text: str) -> Label | None:
    """Return the Label that `text` is, or None if it is not a speaker label."""
    if not text or not text[0].isupper() or len(text.split()) > 16:
        return None
    bare = SAID.sub("", text)
    role = parse_role(bare)
    if role:
        return Label(text, role, "", "role")
    words = re.sub(r"\([^)]*\)", " ", bare).split()
    cut = name_start([w.rstrip(",") for w in words])
    if INITIALS.fullmatch(bare):
        return Label(text, bare, "", "person")  # "V.Putin": resolved through registry aliases
    if cut is not None and (cut == 0 or not words[cut - 1].endswith(",")):
        role = " ".join(words[:cut])
        return Label(text, " ".join(words[cut:]), role, "person") if is_role_phrase(role.split()) else None
    parts = [p.strip() for p in bare.split(",")]
    if len(parts) > 1 and is_name(parts[0].split()) and is_role_phrase(", ".join(parts[1:]).split()):
        return Label(text, parts[0], ", ".join(parts[1:]), "person")  # "Name Surname, head of ..."
    return None


def parse_role(text: str) -> str | None:
    """Return the role if `text` is an anonymous role label ("Question", "Question from Izhevsk")."""
    words = text.split()
    if words[0].lower() not in ROLES:
        return None
    rest = words[1:]
    if not rest or (rest[0] == "from" and len(rest) > 1 and rest[1][0].isupper()) or text.endswith(")"):
        return text
    return None


def name_start(words: list[str]) -> int | None:
    """Index where the trailing personal name starts (given name [particles] surname), or None."""
    if len(words) < 2 or not is_name_word(words[-1]):
        return None
    i = len(words) - 2
    while i > 0 and words[i].lower() in PARTICLES:
        i -= 1
    if is_name_word(words[i]):
        return i
    return None


def is_name(words: list[str]) -> bool:
    """Is this a person's name on its own: two or three name words?"""
    return 2 <= len(words) <= 4 and name_start(words) == 0 and all(
        is_name_word(w) or w.lower() in PARTICLES for w in words)


def is_name_word(word: str) -> bool:
    """Is this word capitalised like a name and not a word of titles?"""
    core = word.strip("’'\".")
    return bool(core) and core[0].isupper() and core.lower() not in TITLE_WORDS


def is_role_phrase(words: list[str]) -> bool:
    """Could these words be the title before a name ("Direct line programme host")?"""
    lower = [w for w in words if not w[:1].isupper()]
    first = words[:1] if words and words[0].lower() not in TITLE_WORDS else []
    if any(w.lower().strip("’'") in SENTENCE_WORDS for w in lower + first):
        return False
    return len([w for w in lower if w not in CONNECTORS]) <= 4


def strip_dash(text: str) -> str:
    """Remove the dash that opens a quoted speech paragraph (`- Happy Eid al-Adha!`)."""
    return DASH.sub("", text, count=1)
