"""Who is who: the spellings of one person's name that made two ids, found and merged (issue 15).

A typo or a transliteration makes a new person ("Ilkham Aliyev" beside "Ilham Aliyev", "Kirill Kleimenov"
beside "Kirill Kleymenov", "Vladimr Putin"). `find_variants` says which ids are one identity; it is pure
(no registry, no disk) and costs about linear time: ids are grouped by keys and compared only within a group.

Rules:

- A spelling is split into parts: given names (each word, a hyphenated name whole: "Kassym-Jomart") and the
  surname (the last word, with the particles before it: "de Koshko", "von der Leyen", and a suffix after
  it: "King Jr"). Honorifics in front (Mr, Mrs, Ms, Dr, Sir ...) are dropped. A name of one word is never
  merged by rule ("Mr Putin" is one word), only by the registry (`forced`).
- Transliteration: spellings whose parts all have the same `transliteration_key` are one person, whatever
  their counts (reason "same name" when the two ids share a spelling, as a registry id and a slug can).
  The key folds case, accents and scripts (as slugs do: "Niinistö", "Iван" fold to ASCII), then
  rewrites what the romanisations of Russian, Azerbaijani and Central-Asian names disagree on (REWRITES,
  one example each): kh/h, zh/dzh/dj/j, shch/sch, x/ks, y/i/j for Й and Ы, ye/e for Е, yo/e for Ё, doubled
  letters, -dr/-der, Gei-/Hei-. It keeps apart what makes another name: an ending (Ilya / Ilyas, Maria /
  Mario, Aliyev / Aliyeva, Ivan / Ivanov), vowels (Heydar / Gaidar), G/H elsewhere (Gill / Hill) and W/V
  (Wang / Vang, Lowe / Love: "Wizer" / "Vizer" is left to the typo rule).
  An initial ("V.") is a part of its own, compared as written: "Y. Ivanov" is not "I. Ivanov".
- One-letter typo: the keys of one part differ by one edit (insertion, deletion, substitution or transposition
  of neighbours: Damerau-Levenshtein 1), the other parts have the same keys, both keys of that part have at
  least 5 letters, and one form is rare: the rarer identity's occurrences times 10 are at most the commoner's
  (1 against 10 or more, 3 against 30 or more). "Vladimr Putin" (1) goes into "Vladimir Putin" (305).
  Counts are those of the identities as merged so far, so a rare link cannot join two common names. The rare
  form must be the one merged away: a registry's spelling rarer than its variant is left apart.
- Never merged (a `ClosePair` says why), whatever the spelling says:
    "registry forbids"            the pair is in `forbidden`;
    "seen apart in one document"  the pair (or any two ids of the two identities) is in `apart`;
    "both in the registry"        both identities hold a `preferred` id: neither may be merged away;
    "gendered forms"              the differing part ends in -a in one spelling only: Aliyev / Aliyeva,
                                  Yevgeny / Yevgenia (Alexander / Alexandra differ by two letters anyway);
    "short name"                  one letter apart in a part of 3 or 4 letters: Ivan / Ivar (parts of 2 letters
                                  are not compared: Li / Lu);
    "both common"                 one letter apart, but neither form rare: 4 / 20;
    "registry spelling rarer"     one letter apart, the registry's id the rarer: 3 ("Vladimir") / 40 ("Vladimr").
  A one-letter difference in an initial is no close pair: "A. Smith" and "B. Smith" are two people.
- An initial against a full given name ("V. Putin" / "Vladimir Putin", same surname key) is left to the
  registry's aliases: never merged, reported as a close pair "initial" so that an editor can add the alias.
- Which id is kept: a `preferred` id (the registry's people: never merged away), else one that is not a
  `forced` variant, else the most frequent, else the alphabetically first. Chains resolve to the kept id.
- `forced` (variant id -> id: the registry says they are one) is applied first and always (over `apart` and
  `forbidden`), reason "registry". A cycle of forced ids is one identity: the usual choice keeps one.
- Each merge's reason is that of its link towards the kept id: in "Kleimenof" -> "Kleimenov" -> "Kleymenov"
  the first is a "one-letter typo", the second a "transliteration"; both map to "Kleymenov".
- Deterministic: every output is sorted; no set order leaks.

Cost: each spelling is split and keyed once (keys of words are cached); key-equal spellings meet in a dict.
Typo candidates are found by the deletion neighbourhood (as SymSpell does): each tuple of keys is filed under
its keys joined and under them with one letter deleted from one part, so two tuples one edit apart in one part
share a file. A file holds one tuple and those that add one letter to it, so its size is bounded by the
alphabet times the length of the name, not by the archive. Initials are compared only with the full names of
the same surname key and first letters. `counter["comparisons"]` counts the pairs compared.
"""
from __future__ import annotations

import collections
import functools
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, NamedTuple

from anyascii import anyascii

RARE = 10         # a typo merges when count(rarer) * RARE <= count(commoner)
LONG = 5          # a part must have this many letters in its key for a one-letter typo to merge
SHORT = 3         # parts shorter than this (initials aside) are not even close pairs

HONORIFICS = frozenset("mr mrs ms miss mx dr prof sir dame madam mister".split())
PARTICLES = frozenset("de da di du del della der den van von la le ter ten bin ibn al el ben dos das do".split())
SUFFIXES = frozenset("jr sr ii iii iv".split())
NOT_ALNUM = re.compile("[^a-z0-9]")
WORD = re.compile(r"\w+(?:['’ʼʹ-]+\w+)*")
TURKIC = str.maketrans({"ə": "a", "Ə": "A", "ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch"})

# Applied in order to a lower-case ASCII word of two letters or more, each only where its needle is (for speed);
# each says which spellings it joins.
REWRITES = tuple((needle, re.compile(pattern), replacement) for needle, pattern, replacement in (
    ("shch", "shch", "sch"),                       # Щ: Shchugorev / Schugorev, Khrushchev / Khruschev
    ("tch", "tch", "ch"),                          # Tchaikovsky / Chaikovsky
    ("dzh", "dzh", "j"),                           # Дж: Dzhabbar / Jabbar
    ("dj", "dj", "j"),                             # Дж written dj: Khadjimba / Khadzhimba
    ("zh", "zh", "j"),                             # Ж: Zhomart / Jomart, Zhenya / Jenya
    ("kh", "kh", "h"),                             # Х: Ilkham / Ilham, Mikhail / Mihail
    ("ch", "(?<=[aeiouy])ch(?=[aeiouy])", "h"),    # Х written ch between vowels: Michail / Mikhail
    ("ph", "ph", "f"),                             # Philipp / Filipp
    ("x", "x", "ks"),                              # Alexei / Aleksei, Maxim / Maksim
    ("ge", "^ge[iy]", "hei"),                      # Гейдар: Geidar / Heydar; only Gei-: Gill / Hill are two names
    ("yo", "(?<=[b-df-hj-np-tv-z])yo", "e"),       # Ё: Fyodor / Fedor, Pyotr / Petr, Artyom / Artem
    ("j", "j$", "i"),                              # Й written j: Sergej / Sergei
    ("y", "y", "i"),                               # Й, Ы: Sergey / Sergei, Dmitry / Dmitri, Kleymenov / Kleimenov
    ("ie", "^ie", "e"),                            # Е at the start: Yevgeny / Evgeny, Yelena / Elena
    ("ie", "(?<=[aeiou])i(?=e)", ""),              # Е after a vowel: Tokayev / Tokaev, Aliyev / Aliev
    ("", r"(.)\1+", r"\1"),                        # doubled letters: Kirill / Kiril, Dmitrii / Dmitri, Niinisto
    ("dr", "dr$", "der"),                          # Aleksandr / Alexander
))


@dataclass(frozen=True, slots=True)
class Merge:
    variant: str          # id merged away
    into: str             # id kept
    variant_name: str     # its most frequent spelling
    name: str             # the kept id's most frequent spelling
    reason: str           # "transliteration", "one-letter typo", "same name" (two ids, one spelling) or "registry"
    variant_count: int
    count: int


@dataclass(frozen=True, slots=True)
class ClosePair:
    a: str                # the id that would be kept
    b: str
    a_name: str
    b_name: str
    reason: str           # why left apart: see the module's docstring


class Parts(NamedTuple):
    """A spelling split for comparison: each part's key, its first letter as written, whether it is an initial.
    (A named tuple, not a dataclass: it is hashed and sorted thousands of times.)"""
    keys: tuple[str, ...]
    firsts: tuple[str, ...]
    initials: tuple[bool, ...]


# The key.

def transliteration_key(name: str) -> str:
    """Give spellings that transliterate one name the same key: "Ilkham Aliyev" and "Ilham Aliev" -> "ilham aliev"."""
    return " ".join(word_key(w) for w in words(name))


@functools.lru_cache(maxsize=1 << 16)
def word_key(word: str) -> str:
    """Key one word, each part of a hyphenated word apart; a single letter (an initial) stays as it is."""
    return "-".join(fold_key(fold(piece)) for piece in word.split("-") if fold(piece))


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower-case ASCII letters and digits of `text`, accents and scripts transliterated as slugs are."""
    return NOT_ALNUM.sub("", anyascii(text.translate(TURKIC)).lower())


def fold_key(folded: str) -> str:
    if len(folded) < 2:
        return folded
    for needle, pattern, replacement in REWRITES:
        if needle in folded:
            folded = pattern.sub(replacement, folded)
    return folded


def words(spelling: str) -> list[str]:
    """The words of a spelling: letters, digits, apostrophes and inner hyphens ("V.Putin" is two words)."""
    return [w for w in WORD.findall(spelling) if fold(w)]


def split_name(spelling: str) -> tuple[list[str], list[str]] | None:
    """The given names and the surname's words of a spelling, honorifics dropped; None for a name of one word."""
    ws = words(spelling)
    while len(ws) > 1 and fold(ws[0]) in HONORIFICS:
        ws = ws[1:]
    if len(ws) < 2:
        return None
    end = len(ws) - 1
    if fold(ws[end]) in SUFFIXES and end > 1:
        end -= 1
    while end > 1 and ws[end - 1].casefold() in PARTICLES:
        end -= 1
    return ws[:end], ws[end:]


def parts_of(spelling: str) -> Parts | None:
    """The parts of a spelling to compare, or None when no rule may merge it (one word, a surname initial)."""
    split = split_name(spelling)
    if split is None or sum(len(fold(w)) for w in split[1]) < 2:
        return None
    given, surname = [fold(w) for w in split[0]], split[1]
    keys = tuple(map(word_key, split[0])) + (" ".join(map(word_key, surname)),)
    return Parts(keys, tuple(g[:1] for g in given) + (fold(surname[0])[:1],),
                 tuple(len(g) == 1 for g in given) + (False,))


def is_one_edit(a: str, b: str) -> bool:
    """Tell whether `a` and `b` are one insertion, deletion, substitution or swap of neighbours apart."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) != len(b):
        longer, shorter = (a, b) if len(a) > len(b) else (b, a)
        return longer[i + 1:] == shorter[i:]
    return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])


# The identities being joined.

class Clusters:
    """Ids joined into identities; a join is refused when it would make one person of two kept apart."""

    def __init__(self, counts: dict[str, int], preferred: Iterable[str], apart: Iterable[frozenset[str]],
                 forbidden: Iterable[frozenset[str]]):
        self.parent = {i: i for i in counts}
        self.members = {i: [i] for i in counts}
        self.total = dict(counts)
        chosen = set(preferred)
        self.preferred = {i: int(i in chosen) for i in counts}
        self.apart, self.forbidden = neighbours(apart, counts), neighbours(forbidden, counts)
        self.partners = {i: len(self.apart.get(i, ())) + len(self.forbidden.get(i, ())) for i in counts}
        self.edges: list[tuple[str, str, str]] = []

    def find(self, i: str) -> str:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def refusal(self, a: str, b: str) -> str | None:
        """Why the identities of `a` and `b` may not be joined, or None."""
        ra, rb = self.find(a), self.find(b)
        small, big = sorted((ra, rb), key=lambda r: (self.partners[r], r))  # look through the fewer partners
        if self.across(self.forbidden, small, big):
            return "registry forbids"
        if self.across(self.apart, small, big):
            return "seen apart in one document"
        if self.preferred[ra] and self.preferred[rb]:
            return "both in the registry"
        return None

    def kept_and_variant(self, a: str, b: str) -> tuple[str, str]:
        """The roots of the identities of `a` and `b`: the one that would be kept (it holds a preferred id, else it
        is the more frequent), then the other."""
        ra, rb = self.find(a), self.find(b)
        if (self.preferred[ra] > 0, self.total[ra]) >= (self.preferred[rb] > 0, self.total[rb]):
            return ra, rb
        return rb, ra

    def across(self, pairs: dict[str, list[str]], small: str, big: str) -> bool:
        return any(self.find(o) == big for m in self.members[small] for o in pairs.get(m, ()))

    def join(self, a: str, b: str, reason: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if (len(self.members[ra]), rb) < (len(self.members[rb]), ra):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.total[ra] += self.total.pop(rb)
        self.partners[ra] += self.partners.pop(rb)
        self.preferred[ra] += self.preferred[rb]
        self.edges.append((a, b, reason))


def neighbours(pairs: Iterable[frozenset[str]], known: dict[str, int]) -> dict[str, list[str]]:
    """Each known id's partners in the pairs (pairs naming an unknown id say nothing here)."""
    out: dict[str, list[str]] = collections.defaultdict(list)
    for pair in pairs:
        if len(pair) == 2 and all(i in known for i in pair):
            a, b = sorted(pair)
            out[a].append(b)
            out[b].append(a)
    return out


# Finding the variants.

def find_variants(names: dict[str, dict[str, int]], apart: set[frozenset[str]] = frozenset(),
                  preferred: set[str] = frozenset(), forced: dict[str, str] | None = None,
                  forbidden: set[frozenset[str]] = frozenset(), counter: collections.Counter | None = None,
                  ) -> tuple[dict[str, str], list[Merge], list[ClosePair]]:
    """Say which ids are spellings of one person: {variant id: kept id}, the merges made, the close pairs left."""
    forced = forced or {}
    counter = counter if counter is not None else collections.Counter()
    ids = set(names) | set(forced) | set(forced.values())
    counts = {i: sum(names.get(i, {}).values()) for i in sorted(ids)}
    rank = {i: (i not in preferred, i in forced, -counts[i], i) for i in counts}
    clusters = Clusters(counts, preferred, apart, forbidden)
    for variant, kept in sorted(forced.items()):
        clusters.join(kept, variant, "registry")
    groups = key_groups(names)
    same_keys = by_keys(groups, rank)
    close = join_transliterations(clusters, same_keys, names)
    close += join_typos(clusters, same_keys, counts, counter)
    close += initial_pairs(groups, same_keys, counter)
    return outcome(clusters, names, counts, rank, close)


def key_groups(names: dict[str, dict[str, int]]) -> dict[Parts, list[str]]:
    """The ids of each spelling's parts, in the order of the sorted ids and spellings."""
    groups: dict[Parts, list[str]] = {}
    for i in sorted(names):
        for spelling in sorted(names[i]):
            parts = parts_of(spelling)
            if parts is not None:
                members = groups.setdefault(parts, [])
                if not members or members[-1] != i:
                    members.append(i)
    return groups


def by_keys(groups: dict[Parts, list[str]], rank: dict[str, tuple]) -> dict[tuple[str, ...], list[str]]:
    """The ids of each tuple of keys, best ranked first: spellings differing in first letters only ("Yuri" /
    "Iuri") are one."""
    out: dict[tuple[str, ...], list[str]] = {}
    for parts, members in groups.items():
        out.setdefault(parts.keys, []).extend(members)
    return {keys: sorted(set(members), key=rank.__getitem__) for keys, members in out.items()}


def join_transliterations(clusters: Clusters, same_keys: dict[tuple[str, ...], list[str]],
                          names: dict[str, dict[str, int]]) -> list[tuple[str, str, str]]:
    """Join the ids of key-equal spellings, each into the best ranked; a refused join is a close pair."""
    close = []
    for members in same_keys.values():
        for other in members[1:]:
            if clusters.find(other) == clusters.find(members[0]):
                continue
            reason = clusters.refusal(members[0], other)
            if reason:
                close.append((members[0], other, reason))
            else:
                same = as_written(names[members[0]]) & as_written(names[other])
                clusters.join(members[0], other, "same name" if same else "transliteration")
    return close


def as_written(spellings: dict[str, int]) -> set[str]:
    """The spellings folded to lower-case ASCII words: "ILHAM ALIYEV" is "ilham aliyev"."""
    return {" ".join(map(fold, words(s))) for s in spellings}


def join_typos(clusters: Clusters, same_keys: dict[tuple[str, ...], list[str]], counts: dict[str, int],
               counter: collections.Counter) -> list[tuple[str, str, str]]:
    """Join identities one letter apart in one long part when one is rare; the others are close pairs."""
    close = []
    for best_a, best_b, part_a, part_b in typo_candidates(same_keys, counts, counter):
        if clusters.find(best_a) == clusters.find(best_b):
            continue
        reason = typo_refusal(clusters, best_a, best_b, part_a, part_b)
        if reason:
            close.append((best_a, best_b, reason))
        else:
            clusters.join(best_a, best_b, "one-letter typo")
    return close


def typo_refusal(clusters: Clusters, a: str, b: str, part_a: str, part_b: str) -> str | None:
    if part_a.endswith("a") != part_b.endswith("a"):
        return "gendered forms"
    if min(len(part_a), len(part_b)) < LONG:
        return "short name"
    reason = clusters.refusal(a, b)
    if reason:
        return reason
    kept, variant = clusters.kept_and_variant(a, b)
    if clusters.total[variant] * RARE <= clusters.total[kept]:
        return None
    return "both common" if clusters.total[variant] <= clusters.total[kept] else "registry spelling rarer"


def typo_candidates(same_keys: dict[tuple[str, ...], list[str]], counts: dict[str, int],
                    counter: collections.Counter) -> list[tuple[str, str, str, str]]:
    """Pairs of key tuples one edit apart in one part, as (best id, best id, part, part), most lopsided first."""
    first: dict[str, tuple[str, ...]] = {}  # most signatures are one tuple's own: no list for them
    more: dict[str, list[tuple[str, ...]]] = collections.defaultdict(list)
    for keys in same_keys:
        for signature in signatures(keys):
            if first.setdefault(signature, keys) is not keys:
                more[signature].append(keys)
    seen, out = set(), []
    for signature, others in more.items():
        members = [first[signature]] + others
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                if (members[x], members[y]) not in seen:
                    seen.add((members[x], members[y]))
                    counter["comparisons"] += 1
                    out += one_part_apart(members[x], members[y], same_keys)
    return sorted(out, key=lambda c: (lopsided(counts[c[0]], counts[c[1]]), c))


def signatures(keys: tuple[str, ...]) -> list[str]:
    """The keys joined by "|", as they are and with one letter deleted from a part of SHORT letters or more: two
    tuples of keys one edit apart in one part share a signature (the deletion neighbourhood)."""
    joined, start = "|".join(keys), 0
    out = [joined]
    for key in keys:
        if len(key) >= SHORT:  # deleting either of two equal neighbours makes one string: keep the first
            out += [joined[:j] + joined[j + 1:] for j in range(start, start + len(key))
                    if j == 0 or joined[j] != joined[j - 1]]
        start += len(key) + 1
    return out


def one_part_apart(a: tuple[str, ...], b: tuple[str, ...], same_keys: dict) -> list[tuple[str, str, str, str]]:
    """[(best id of a, best id of b, part of a, part of b)] when exactly one part differs, by one edit; else []."""
    differ = [i for i in range(len(a)) if a[i] != b[i]] if len(a) == len(b) else []
    if len(differ) != 1 or not is_one_edit(a[differ[0]], b[differ[0]]):
        return []
    return [(same_keys[a][0], same_keys[b][0], a[differ[0]], b[differ[0]])]


def lopsided(a: int, b: int) -> Fraction:
    return Fraction(min(a, b), max(a, b)) if max(a, b) else Fraction(1)


def initial_pairs(groups: dict[Parts, list[str]], same_keys: dict[tuple[str, ...], list[str]],
                  counter: collections.Counter) -> list[tuple[str, str, str]]:
    """Spellings with initials beside full names of the same surname key and first letters ("V. Putin")."""
    initialled: dict[tuple, list[Parts]] = collections.defaultdict(list)
    for parts in groups:
        if any(parts.initials):
            initialled[parts.firsts, parts.keys[-1]].append(parts)
    full: dict[tuple, list[Parts]] = collections.defaultdict(list)
    for parts in groups:
        if (parts.firsts, parts.keys[-1]) in initialled and not any(parts.initials):
            full[parts.firsts, parts.keys[-1]].append(parts)
    close = []
    for file, shorts in initialled.items():
        for short in shorts:
            for long in full.get(file, ()):
                counter["comparisons"] += 1
                if all(s or k == l for s, k, l in zip(short.initials, short.keys, long.keys)):
                    close.append((same_keys[long.keys][0], same_keys[short.keys][0], "initial"))
    return close


def outcome(clusters: Clusters, names: dict[str, dict[str, int]], counts: dict[str, int], rank: dict[str, tuple],
            close: list[tuple[str, str, str]]) -> tuple[dict[str, str], list[Merge], list[ClosePair]]:
    """The mapping, the merges (by kept id, then variant) and the close pairs between kept ids (sorted)."""
    kept = {r: min(ms, key=rank.__getitem__) for r, ms in clusters.members.items()}
    final = {i: kept[clusters.find(i)] for i in counts}
    mapping = {i: final[i] for i in sorted(final) if final[i] != i}
    reasons = link_reasons(clusters.edges, set(kept.values()))
    name = {i: most_frequent(names.get(i, {})) or i for i in counts}
    merges = sorted((Merge(v, k, name[v], name[k], reasons[v], counts[v], counts[k]) for v, k in mapping.items()),
                    key=lambda m: (m.into, m.variant))
    pairs: dict[frozenset[str], ClosePair] = {}
    for a, b, reason in close:
        a, b = sorted((final[a], final[b]), key=rank.__getitem__)
        if a != b and frozenset((a, b)) not in pairs:
            pairs[frozenset((a, b))] = ClosePair(a, b, name[a], name[b], reason)
    return mapping, merges, sorted(pairs.values(), key=lambda p: (p.a, p.b, p.reason))


def link_reasons(edges: list[tuple[str, str, str]], roots: set[str]) -> dict[str, str]:
    """Each merged id's reason: that of the join by which it is reached from its kept id (breadth first)."""
    adjacent: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for a, b, reason in edges:
        adjacent[a].append((b, reason))
        adjacent[b].append((a, reason))
    reasons: dict[str, str] = {}
    for root in sorted(roots & set(adjacent)):
        queue, seen = collections.deque([root]), {root}
        while queue:
            for other, reason in sorted(adjacent[queue.popleft()]):
                if other not in seen:
                    seen.add(other)
                    reasons[other] = reason
                    queue.append(other)
    return reasons


def most_frequent(spellings: dict[str, int]) -> str:
    """The spelling written most often, the alphabetically first of a tie; "" when there is none."""
    return min(spellings.items(), key=lambda kv: (-kv[1], kv[0]))[0] if spellings else ""
