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
PARTICLES = frozenset("de del della der des di da dos du la le van von bin ibn al el ter y".split())
# Lower-case links between the words of an organisation ("Minister of Foreign Affairs"): a personal name never
# follows one, so "Foreign Affairs" there is not a name, nor is "Audit Chamber" in "Head of the Audit Chamber".
ORG_LINKS = CONNECTORS - PARTICLES
SONS = frozenset("bin ibn bint ben".split())  # "Tamim bin Hamad Al Thani": one name, given name and father's

# Titles of those known by one name and the title ("Pope Francis", "Patriarch Bartholomew", "King Abdullah II").
DIGNITARIES = frozenset("""pope patriarch catholicos metropolitan archbishop cardinal bishop king queen emperor
    empress emir amir sultan sheikh shah prince princess duke duchess ayatollah imam mufti""".split())
GRAND = frozenset("crown grand".split())  # ... and the words that make one title with them ("Crown Prince")
REGNAL = re.compile(r"[IVX]{1,5}")
# Forms of address that may open a label ("His Holiness Patriarch Kirill", "His Excellency Ivan Petrov").
HONORIFICS = frozenset("his her their majesty majesties highness highnesses holiness excellency eminence beatitude "
                       "royal serene grace all-holiness".split())
# The office nouns a label may open with in lower case ("chairman of the Board of Acme Ivan Petrov").
OFFICES = frozenset("""president vice-president minister deputy director chairman chairwoman chairperson head chief
    governor mayor ambassador secretary spokesman spokeswoman spokesperson executive ceo editor coach commander
    chancellor senator member aide adviser advisor assistant representative envoy officer acting first general
    rector founder president-elect""".split())
# Lower-case words ending in -ed that belong to titles; any other one is a verb: the line is a sentence.
PARTICIPLES = frozenset("""authorised authorized retired honoured honored elected appointed designated accredited
    united armed allied qualified specialised specialized distinguished merited applied advanced""".split())
# Things whose names follow them as a person's follows a title ("the exhibition Northern Rivers: Past and
# Future"): what comes after one of them, in lower case, names a work, a ship or an event, not a speaker
# (capitalised, it ends the name of a body: "Director of the State Hermitage Museum Mikhail Piotrovsky").
WORKS = frozenset("""exhibition exhibitions book books film films movie play opera ballet programme program project
    festival forum conference exercise exercises operation campaign song poem novel painting monument memorial
    museum ship vessel icebreaker submarine aircraft plane station plant factory centre center park stadium
    arena bridge street avenue square prize award order medal contest competition tournament cup series""".split())
# Capitalised words that open a sentence, never a title ("During the talks Vladimir Putin: ...").
OPENERS = frozenset("""during after before among besides meanwhile later earlier today yesterday tomorrow tonight
    afterwards finally however thus therefore then in at on with when while since upon""".split())
SAID = re.compile(r"\s+said$")
LABEL = re.compile(r"^(?P<label>[^:\n]{1,160}?):(?=\s|$)")
INITIALS = re.compile(r"(?:[A-Z]\.\s?){1,2}[A-Z][\w’'-]+")
DASH = re.compile(r"^[-–—]\s+")


@dataclass(frozen=True)
class Label:
    """A speaker label as written (without its colon), and what it says of the speaker.

    `name` is what the speaker's id is made from, `role` the words of office around it:

    - "US Secretary of State Jane Doe" -> name "Jane Doe", role "US Secretary of State";
    - "Ivan Petrov, Head of the Audit Office" -> name "Ivan Petrov", role "Head of the Audit Office";
    - one known by one name keeps the title in the name, so that the id means someone ("patriarch-bartholomew",
      not "bartholomew"): "Patriarch Bartholomew" -> name "Patriarch Bartholomew", role ""; "His Majesty King
      Abdullah II of Jordan" -> name "King Abdullah II", role "His Majesty King of Jordan";
    - an anonymous role ("Question", "Response", "Question from Izhevsk") -> name the role as written, kind
      "role".
    """

    text: str
    name: str  # the person's name, or the role as written for anonymous roles
    role: str  # the role words around the name ("Healthcare Minister"), "" if none
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
    """Return the Label that `text` is, or None if it is not a speaker label.

    The readings, first that fits: an anonymous role; initials ("V.Putin"); "Name Surname, office"; a
    dignitary known by one name; office then name ("Healthcare Minister Mikhail Murashko"); "Name, anything".
    """
    if not text or len(text.split()) > 16 or not opens_label(text):
        return None
    bare = SAID.sub("", text)
    role = parse_role(bare)
    if role:
        return Label(text, role, "", "role")
    if INITIALS.fullmatch(bare):
        return Label(text, bare, "", "person")  # "V.Putin": resolved through registry aliases
    words = re.sub(r"\([^)]*\)", " ", bare).split()
    for reading in (name_then_office, dignitary, office_then_name, name_then_anything):
        found = reading(words)
        if found:
            return Label(text, found[0], found[1], "person")
    return None


def opens_label(text: str) -> bool:
    """Does `text` start as a label may: capitalised, or with an office in lower case ("chairman of ...")?"""
    return text[0].isupper() or text.split()[0].lower() in OFFICES


def parse_role(text: str) -> str | None:
    """Return the role if `text` is an anonymous role label ("Question", "Question from Izhevsk")."""
    words = text.split()
    if words[0].lower() not in ROLES or not words[0][0].isupper():
        return None
    rest = words[1:]
    if not rest or text.endswith(")") or (len(rest) == 1 and rest[0].isdigit()):
        return text  # "Question", "Question (retranslated)", "Question 2"
    if rest[0] == "from" and 1 < len(rest) <= 6 and not any(w.lower() in SENTENCE_WORDS for w in rest[1:]):
        return text  # "Question from Izhevsk", "Question from the audience"
    return None


def name_then_office(words: list[str]) -> tuple[str, str] | None:
    """"Ivan Petrov, Head of the Audit Chamber": a name, a comma, then an office that opens with a title."""
    at = next((i for i, w in enumerate(words) if w.endswith(",")), None)
    if at is None or at + 1 >= len(words):
        return None
    name, office = [w.rstrip(",") for w in words[:at + 1]], words[at + 1:]
    first = office[0]
    if is_name(name) and (first[:1].islower() or first.lower() in TITLE_WORDS) and is_role_phrase(office):
        return " ".join(name), " ".join(office)
    return None


def dignitary(words: list[str]) -> tuple[str, str] | None:
    """"Pope Francis", "His Holiness Patriarch Kirill", "King Abdullah II of Jordan": (title and name, role)."""
    plain = [w.rstrip(",") for w in words]
    honour = honorific_end(plain)
    d = next((i for i in range(honour, len(plain) - 1) if is_dignitary(plain[i])), None)
    if d is None or not is_name_word(plain[d + 1]):
        return None
    end = d + 2 + (d + 2 < len(plain) and bool(REGNAL.fullmatch(plain[d + 2])))
    tail = plain[end:]
    if tail and not is_see(tail):
        return None
    start = d - 1 if d > honour and plain[d - 1].lower() in GRAND else d
    if (start > honour and plain[start - 1].lower() in ORG_LINKS) or not is_role_phrase(plain[honour:start]):
        return None  # "Adviser to King Abdullah" is not the king
    role = plain[:start] + (plain[start:d + 1] + tail if tail else [])
    return " ".join(plain[start:end]), " ".join(role)


def is_dignitary(word: str) -> bool:
    """Is this the title of one known by one name ("Pope", "Patriarch", "Emir")?"""
    return word[:1].isupper() and word.lower() in DIGNITARIES


def is_see(words: list[str]) -> bool:
    """Are these words the see or realm after a dignitary's name ("of Moscow and All Russia", "of Jordan")?"""
    return words[0] == "of" and 1 < len(words) <= 6 and all(is_name_word(w) or w in CONNECTORS for w in words[1:])


def office_then_name(words: list[str]) -> tuple[str, str] | None:
    """"Healthcare Minister Mikhail Murashko", "US Secretary of State Jane Doe": (name, office before it)."""
    cut = name_start([w.rstrip(",") for w in words])
    before = words[cut - 1] if cut else ""
    if cut is None or before.endswith(",") or before.lower() in ORG_LINKS or before in WORKS:
        return None
    honour = honorific_end(words[:cut])
    if not is_role_phrase(words[honour:cut]):
        return None
    return " ".join(words[cut:]), " ".join(words[:cut])


def name_then_anything(words: list[str]) -> tuple[str, str] | None:
    """"Ivan Petrov, Acme CEO": a name, a comma, then any role phrase."""
    parts = [p.strip() for p in " ".join(words).split(",")]
    if len(parts) > 1 and is_name(parts[0].split()) and is_role_phrase(", ".join(parts[1:]).split()):
        return parts[0], ", ".join(parts[1:])
    return None


def honorific_end(words: list[str]) -> int:
    """How many words at the start are a form of address ("His Royal Highness"): 0 if none."""
    if not words or words[0].lower() not in ("his", "her", "their"):
        return 0
    n = 1
    while n < len(words) and words[n].lower() in HONORIFICS and words[n][0].isupper():
        n += 1
    return n if n > 1 else 0


def name_start(words: list[str]) -> int | None:
    """Index where the trailing personal name starts (given name [particles] surname), or None."""
    if len(words) < 2 or not is_name_word(words[-1]):
        return None
    i = len(words) - 2
    while i > 0 and words[i].lower() in PARTICLES:
        i -= 1
    if not is_name_word(words[i]):
        return None
    while i >= 2 and words[i - 1].lower() in SONS and is_name_word(words[i - 2]):
        i -= 2  # "Tamim bin Hamad Al Thani"
    return i


def is_name(words: list[str]) -> bool:
    """Is this a person's name on its own: two or three name words?"""
    return 2 <= len(words) <= 4 and name_start(words) == 0 and all(
        is_name_word(w) or w.lower() in PARTICLES for w in words)


def is_name_word(word: str) -> bool:
    """Is this word capitalised like a name and not a word of titles?"""
    core = word.strip("’'\".")
    return bool(core) and core[0].isupper() and core.lower() not in TITLE_WORDS


def is_role_phrase(words: list[str]) -> bool:
    """Could these words be the title before a name ("Direct line programme host", "US Secretary of State")?"""
    lower = [w for w in words if not w[:1].isupper()]
    first = words[:1] if words and words[0].lower() not in TITLE_WORDS and not is_acronym(words[0]) else []
    if any(w.lower().strip("’'") in SENTENCE_WORDS for w in lower + first) or any(is_verb(w) for w in lower):
        return False
    if first and first[0].lower() in OPENERS:
        return False
    return len([w for w in lower if w not in CONNECTORS and w.lower() not in TITLE_WORDS]) <= 4


def is_acronym(word: str) -> bool:
    """Is this an abbreviation in capitals ("US", "UN", "IOC"), not a word that opens a sentence ("Us")?"""
    core = word.strip(".,’'")
    return len(core) >= 2 and core.isupper()


def is_verb(word: str) -> bool:
    """Is this lower-case word a verb in the past ("toured", "opened"): a sentence, not a title?"""
    core = word.strip(",.’'")
    return len(core) > 4 and core.endswith("ed") and core not in PARTICIPLES


def strip_dash(text: str) -> str:
    """Remove the dash that opens a quoted speech paragraph (`- Happy Eid al-Adha!`)."""
    return DASH.sub("", text, count=1)
