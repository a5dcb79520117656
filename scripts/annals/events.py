"""Time expressions: what the texts themselves date, resolved against the document's date.

Our own rules, not a date library: they keep the precision of what is written (a year stays
a year, a half-year a span, a week Monday to Sunday) and know the relative forms of speeches
("last year", "last week", "the first six months", "the 30th anniversary of ...", "its 40th
anniversary"); a day named as a recurring observance ("May 21, Polar Explorers' Day") is placed
only in a year the sentence names. `annals bench-dates` compares them with dateparser.
"""
from __future__ import annotations

import bisect
import dataclasses
import datetime
import functools
import re
from dataclasses import dataclass

from annals.model import Document, Event
from annals.sentences import sentence_spans, window

MONTHS = ("January February March April May June July August September October November December").split()
MONTH_NO = {m: i for i, m in enumerate(MONTHS, 1)}
MONTH = "(?P<month>" + "|".join(MONTHS) + ")"
NUMBERS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
NUMBER = r"(?P<n>\d{1,2}|" + "|".join(NUMBERS) + ")"
YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
ORDINALS = {w: i for i, w in enumerate("zeroth first second third fourth fifth sixth seventh eighth ninth tenth "
                                       "eleventh twelfth".split())}
FUTURE = re.compile(r"\b(will|shall|would|going to|plans?|planned|scheduled|upcoming|next|forthcoming|expect\w*|looking forward|approaching|prepar\w+)\b", re.I)
RELATIVE_YEARS = {"last": -1, "previous": -1, "next": 1, "coming": 1, "upcoming": 1, "this": 0}
# A day that recurs each year, named as such near a date written without its year ("on May 21, Polar Explorers'
# Day", "the Day of National Unity", "celebrated annually on"): within this many characters of it.
OBSERVANCE = re.compile(r"\b[A-Z][\w’'.-]*\s+Day\b|\bDay of (?:the )?[A-Z]|\b(?:annually|every year|each year)\b")
OBSERVANCE_GAP = 40
NAMED_YEAR = re.compile(r"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]revious|[Cc]oming|[Uu]pcoming) year\b"
                        r"|\b[Ii]n (?:the year )?(?P<year>(?:1[89]|20)\d\d)\b(?![,.]?\d)")
DEICTIC_DAY = re.compile(r"\b(?:[Tt]oday|[Tt]omorrow|[Yy]esterday)\b")
PAST = re.compile(r"\b(was|were|had|did|ago|last|held|took place|ended|began|started|signed|visited|met)\b", re.I)


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern
    resolve: object  # (match, context) -> when or None


def rule(kind: str, pattern: str):
    """Register the decorated function as the resolver of `pattern`."""
    def wrap(fn):
        RULES.append(Rule(kind, re.compile(pattern), fn))
        return fn
    return wrap


RULES: list[Rule] = []


@dataclass(frozen=True)
class Context:
    """What a resolver may look at: the document's date and the sentence around the match.

    What the sentence says of time is looked for once: a sentence of 100 KB naming thousands of days
    was read again for each of them.
    """

    date: datetime.date
    sentence: str

    @functools.cached_property
    def past(self) -> bool:
        return PAST.search(self.sentence) is not None

    @functools.cached_property
    def future(self) -> bool:
        return FUTURE.search(self.sentence) is not None

    @functools.cached_property
    def celebrated_now(self) -> bool:
        return CELEBRATED_NOW.search(self.sentence) is not None

    @functools.cached_property
    def observances(self) -> tuple[list[int], list[int]]:
        """Where the sentence names a day that recurs ("Polar Explorers' Day", "Day of ...", "every year"): their
        starts and ends, in order (disjoint), for bisection in a sentence that names thousands of days."""
        spans = [m.span() for m in OBSERVANCE.finditer(self.sentence)]
        return [s for s, _ in spans], [e for _, e in spans]

    def near_observance(self, start: int, end: int) -> bool:
        """Whether a recurring day is named within OBSERVANCE_GAP characters of sentence[start:end]."""
        starts, ends = self.observances
        i = bisect.bisect_left(ends, start - OBSERVANCE_GAP)  # the first that ends near enough before it, or after
        return i < len(starts) and starts[i] <= end + OBSERVANCE_GAP

    @functools.cached_property
    def named_year(self) -> int | None:
        """The year the sentence ties what it says to, if it names one ("this year", "last year", "in 2021")."""
        m = NAMED_YEAR.search(self.sentence)
        if m is None:
            return None
        return int(m["year"]) if m["year"] else self.date.year + RELATIVE_YEARS[m["rel"].lower()]


def number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]


def shift_month(d: datetime.date, months: int) -> tuple[int, int]:
    """(year, month) `months` after the month of d (negative: before)."""
    index = d.year * 12 + d.month - 1 + months
    return index // 12, index % 12 + 1


def nearest_year(month: int, ctx: Context) -> int:
    """The year of a month or day written without one: the document's, unless the tense says otherwise."""
    if month > ctx.date.month and ctx.past and not ctx.future:
        return ctx.date.year - 1
    if month < ctx.date.month and ctx.future and not ctx.past:
        return ctx.date.year + 1
    return ctx.date.year


def day_of_year(m, ctx: Context) -> str | None:
    """The day of a "May 21" written without its year: the document's year (or the one the tense points to),
    but a day the sentence names as a recurring observance only in the one year the sentence ties it to."""
    month, day = MONTH_NO[m["month"]], int(m["day"])
    if ctx.near_observance(m.start(), m.end()):
        year = observance_year(month, ctx)
        return iso_day(year, month, day) if year is not None else None
    return iso_day(nearest_year(month, ctx), month, day)


def observance_year(month: int, ctx: Context) -> int | None:
    """The year of an annual day: the year the sentence names, or the document's if it says "today",
    "tomorrow" or "yesterday"; else none. Tense alone does not tie it: "May 21 would be celebrated as
    Polar Explorers' Day", "declaring May 21 ...", "was declared" speak of the day, not of one of them."""
    if ctx.named_year is not None:
        return ctx.named_year
    return nearest_year(month, ctx) if DEICTIC_DAY.search(ctx.sentence) else None


def iso_day(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


# Spans first, then the longest forms: rules earlier in this list win overlaps.
@rule("span", rf"\b(?:from|between) {YEAR.replace('year', 'y1')} (?:to|and|until|till) {YEAR.replace('year', 'y2')}\b")
def span_years(m, ctx):
    return f"{m['y1']}/{m['y2']}" if m["y1"] < m["y2"] else None


@rule("span", rf"(?<![\d,.]){YEAR.replace('year', 'y1')}[–-]{YEAR.replace('year', 'y2')}(?![\d,])")
def span_dash(m, ctx):
    return f"{m['y1']}/{m['y2']}" if m["y1"] < m["y2"] else None


@rule("span", rf"\b{MONTH.replace('month', 'm1')}[–-]{MONTH.replace('month', 'm2')},? {YEAR}\b")
def month_range(m, ctx):
    a, b = MONTH_NO[m["m1"]], MONTH_NO[m["m2"]]
    return f"{m['year']}-{a:02d}/{m['year']}-{b:02d}" if a < b else None


@rule("span", rf"\b(?:the )?first (?P<n>\w+) months of {YEAR}\b|\b(?:the )?first (?P<part>half|quarter) of {YEAR.replace('year', 'y2')}\b")
def first_months_of_year(m, ctx):
    if m["part"]:
        return f"{m['y2']}-01/{m['y2']}-{6 if m['part'] == 'half' else 3:02d}"
    n = number(m["n"]) if m["n"].isdigit() or m["n"].lower() in NUMBERS else 0
    return f"{m['year']}-01/{m['year']}-{n:02d}" if 0 < n <= 12 else None


@rule("span", rf"\b{MONTH} (?P<d1>\d{{1,2}}) ?[-–−] ?(?P<d2>\d{{1,2}})\b(?![,.]?\d)")
def day_range(m, ctx):
    month = MONTH_NO[m["month"]]
    year = nearest_year(month, ctx)
    a, b = iso_day(year, month, int(m["d1"])), iso_day(year, month, int(m["d2"]))
    return f"{a}/{b}" if a and b and a < b else None


@rule("span", r"\b(?:in )?the (?P<decade>1[89]\d0|20\d0)s\b")
def decade(m, ctx):
    return f"{m['decade']}/{int(m['decade']) + 9}"


@rule("date", rf"\b{MONTH} (?P<day>\d{{1,2}}) \[{YEAR}\]")
def month_day_bracketed_year(m, ctx):
    return iso_day(int(m["year"]), MONTH_NO[m["month"]], int(m["day"]))


@rule("date", rf"\b(?P<day>\d{{1,2}}) {MONTH},? {YEAR}\b")
def day_month_year(m, ctx):
    return iso_day(int(m["year"]), MONTH_NO[m["month"]], int(m["day"]))


@rule("date", rf"\b{MONTH} (?P<day>\d{{1,2}}),? {YEAR}\b")
def month_day_year(m, ctx):
    return iso_day(int(m["year"]), MONTH_NO[m["month"]], int(m["day"]))


@rule("month", rf"\b{MONTH},? {YEAR}\b")
def month_year(m, ctx):
    return f"{m['year']}-{MONTH_NO[m['month']]:02d}"


@rule("date", rf"\b(?P<day>\d{{1,2}}) {MONTH}\b")
def day_month(m, ctx):
    return day_of_year(m, ctx)


@rule("date", rf"\b{MONTH} (?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?![,.]?\d)")
def month_day(m, ctx):
    return day_of_year(m, ctx)


@rule("span", r"\b(?:the |over the )?(?:first|past|last|previous) (?P<n>six|three|nine|twelve|\d{1,2}|two|four|five|seven|eight|ten|eleven) months(?: of (?:the year|this year))?\b")
def first_or_past_months(m, ctx):
    n = number(m["n"])
    if m[0].lstrip().startswith(("the first", "first")):
        return f"{ctx.date.year}-01/{ctx.date.year}-{n:02d}" if n <= 12 else None
    start = shift_month(ctx.date, -n)
    return f"{start[0]}-{start[1]:02d}/{ctx.date.year}-{ctx.date.month:02d}"


@rule("span", r"\b(?:the )?first (?P<part>half|quarter) of (?:the year|this year)\b|\bthe first (?P<part2>half|quarter)\b")
def first_part(m, ctx):
    months = 6 if "half" in m[0] else 3
    return f"{ctx.date.year}-01/{ctx.date.year}-{months:02d}"


@rule("relative", r"\b(?:[Ll]ast|[Nn]ext|[Tt]his|[Pp]revious|[Cc]oming|[Uu]pcoming) year\b")
def relative_year(m, ctx):
    return str(ctx.date.year + RELATIVE_YEARS[m[0].split()[0].lower()])


@rule("relative", r"\b(?:[Ll]ast|[Nn]ext|[Tt]his) month\b")
def relative_month(m, ctx):
    year, month = shift_month(ctx.date, {"last": -1, "next": 1, "this": 0}[m[0].split()[0].lower()])
    return f"{year}-{month:02d}"


@rule("relative", r"\b(?:[Ll]ast|[Nn]ext|[Tt]his|[Pp]revious|[Cc]oming|[Uu]pcoming) week\b")
def relative_week(m, ctx):
    """A week, Monday to Sunday: "last week" in a text of Tuesday 20 July 2021 is 12 to 18 July."""
    weeks = RELATIVE_YEARS[m[0].split()[0].lower()]
    monday = ctx.date - datetime.timedelta(days=ctx.date.weekday()) + datetime.timedelta(weeks=weeks)
    return f"{monday.isoformat()}/{(monday + datetime.timedelta(days=6)).isoformat()}"


@rule("relative", rf"\b{NUMBER} years? ago\b")
def years_ago(m, ctx):
    return str(ctx.date.year - number(m["n"]))


@rule("relative", rf"\bin {NUMBER} years'? time\b|\bin {NUMBER.replace('<n>', '<n2>')} years\b")
def in_years(m, ctx):
    return str(ctx.date.year + number(m["n"] or m["n2"]))


@rule("year", rf"\b(?:(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Bb]efore|[Aa]fter|[Dd]uring|[Ff]rom|[Oo]f|[Ff]or|[Tt]o) )?"
              rf"[Tt]he year {YEAR}\b(?![,.]?\d)")
def the_year(m, ctx):
    """A year written with "the year": "in the year 2003" (the words kept whole, as "in 2003" is)."""
    return m["year"]


@rule("year", rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Tt]ill|[Bb]efore|[Aa]fter|[Dd]uring|[Ff]rom|[Oo]f|[Ff]or|[Tt]o|"
              rf"[Ii]n early|[Ii]n late|[Ii]n mid-)\s+{YEAR}\b(?![,.]?\d)"
              rf"|(?<=\[){YEAR.replace('year', 'y2')}(?=\])|\b{YEAR.replace('year', 'y3')}(?= year\b)"
              rf"|(?<=\d{{4}} and ){YEAR.replace('year', 'y4')}\b(?![,.]?\d)|(?<=\bthe ){YEAR.replace('year', 'y5')}(?= [A-Z])"
              rf"|^{YEAR.replace('year', 'y6')}(?=, )")
def year(m, ctx):
    return next(m[g] for g in ("year", "y2", "y3", "y4", "y5", "y6") if m[g])


@rule("month", rf"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ee]arly|[Ll]ate|[Mm]id-|[Tt]he end of|[Tt]he beginning of|[Ss]ince early) {MONTH}\b(?![ ,]+\d)")
def month_alone(m, ctx):
    month = MONTH_NO[m["month"]]
    return f"{nearest_year(month, ctx)}-{month:02d}"


ANNIVERSARY = re.compile(r"\b(?:the )?(?P<ord>\d{1,3})(?:st|nd|rd|th) anniversary of (?P<what>[^.,;:!?–—()]+)")
# "its 40th anniversary", "Gazprom's 25th anniversary": what it is the anniversary of is the owner's founding.
OWN_ANNIVERSARY = re.compile(r"\b(?:[Ii]ts|[Tt]heir|[Hh]is|[Hh]er|[Oo]ur|[Yy]our|[A-Z][\w.&-]*[’']s) "
                             r"(?P<ord>\d{1,3})(?:st|nd|rd|th) anniversary\b(?! of\b)")
WHAT_END = re.compile(r"\s(?:would|will|is|was|were|which|that|and (?:expressed|stressed|noted|said)|(?:in|of|on) (?:\d|the year)).*")
CELEBRATED_NOW = re.compile(r"\b(congratulat\w*|marks|marked|marking|celebrated|on the occasion)\b", re.I)
SINCE = re.compile(r"\bsince (?P<what>the (?:end|start|beginning|signing) of [a-z ]+?)(?=[.,;:!?]|$| and\b)")


def anniversary_year(events: list[Event], ctx: Context) -> int | None:
    """The year an anniversary falls in: a year the sentence names, or now if it is being celebrated now.

    Otherwise (a future celebration with no year given) it is uncertain, and no event is made.
    """
    years = [e for e in events if len(e.when) == 4 and e.kind in ("relative", "year")]
    if years:
        return int(years[0].when)
    if ctx.celebrated_now and not ctx.future:
        return ctx.date.year
    return None


def find_events(text: str, paragraph: int, date: datetime.date, sentences=sentence_spans) -> list[Event]:
    """Every time expression of one paragraph; `sentences(text)` gives (start, end) of its sentences."""
    events = []
    for s_start, s_end in sentences(text):
        events += sentence_events(text, s_start, s_end, paragraph, date)
    return events


def attach_events(doc: Document) -> Document:
    """The document with the events of all its paragraphs."""
    events = tuple(e for p in doc.paragraphs for e in find_events(p.text, p.n, doc.date))
    return dataclasses.replace(doc, events=events)


# Every rule needs one of these: sentences without any are skipped (most sentences: a fast path).
TRIGGER = re.compile(r"\d|" + "|".join(MONTHS) + r"|\byears?\b|\bmonths?\b|\bweek\b|\bhalf\b|\bquarter\b")


# An event keeps its sentence for the data (the JSON export): cut to about this many characters around it, so
# that a "sentence" of 100 KB naming thousands of days does not make the export hundreds of megabytes.
SENTENCE = 600


def sentence_events(text: str, s_start: int, s_end: int, paragraph: int, date: datetime.date) -> list[Event]:
    """The events of one sentence: its own expressions, then what anniversaries and "since X" imply."""
    sentence = text[s_start:s_end]
    if not TRIGGER.search(sentence):
        return []
    ctx = Context(date, sentence)
    taken = Taken()
    events = []
    for r in RULES:
        for m in r.pattern.finditer(sentence):
            if taken.overlaps(m.start(), m.end()):
                continue
            when = r.resolve(m, ctx)
            if when:
                taken.add(m.start(), m.end())
                events.append(Event(paragraph, s_start + m.start(), s_start + m.end(), when, m[0], r.kind,
                                    quoted(text, s_start, s_end, m.start(), m.end())))
    events += implied(text, s_start, s_end, paragraph, events, ctx)
    return sorted(events, key=lambda e: (e.start, e.end))


def quoted(text: str, s_start: int, s_end: int, start: int, end: int) -> str:
    """The sentence an event keeps (start, end relative to the sentence): the whole, or SENTENCE characters of it."""
    if s_end - s_start <= SENTENCE:
        return text[s_start:s_end]
    lo, hi = window(text, (s_start, s_end), s_start + start, s_start + end, SENTENCE)
    return text[lo:hi]


class Taken:
    """The parts of a sentence that rules have taken: disjoint, kept in order, so that an overlap is found
    by bisection rather than by looking at every part (thousands, in a sentence that lists days)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)  # the parts that begin before `end`: the last may reach past start
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def implied(text: str, s_start: int, s_end: int, paragraph: int, events: list[Event], ctx: Context) -> list[Event]:
    """Anniversaries ("the 30th anniversary of X" next year: X in 1992; "its 40th anniversary this year": its
    founding in 1979) and "over the past N months since X"."""
    out, sentence = [], ctx.sentence
    anniversaries = [(m, m.start("what"), m.start("what") + len(WHAT_END.sub("", m["what"]).strip()))
                     for m in ANNIVERSARY.finditer(sentence)]
    anniversaries += [(m, m.start(), m.end()) for m in OWN_ANNIVERSARY.finditer(sentence)]
    base = anniversary_year(events, ctx) if anniversaries else None  # the same for every one: found once
    for m, start, end in sorted(anniversaries, key=lambda a: a[1]):
        if base is not None and end > start:
            out.append(Event(paragraph, s_start + start, s_start + end, str(base - int(m["ord"])), sentence[start:end],
                             "anniversary", quoted(text, s_start, s_end, start, end)))
    since = list(SINCE.finditer(sentence))
    for m, span in zip(since, last_spans_before(events, [s_start + m.start() for m in since])):
        if span is not None:
            out.append(Event(paragraph, s_start + m.start("what"), s_start + m.end("what"), span.when.split("/")[0],
                             m["what"], "since", quoted(text, s_start, s_end, m.start("what"), m.end("what"))))
    return out


def last_spans_before(events: list[Event], positions: list[int]) -> list[Event | None]:
    """For each position, the last span of `events` (in their order) that ends at or before it; in one sweep."""
    spans = sorted(((e.end, i) for i, e in enumerate(events) if e.kind == "span"))
    found, best, j = {}, None, 0
    for pos in sorted(set(positions)):
        while j < len(spans) and spans[j][0] <= pos:
            best = spans[j][1] if best is None else max(best, spans[j][1])
            j += 1
        found[pos] = None if best is None else events[best]
    return [found[pos] for pos in positions]
