"""Finding time expressions in text and normalising them to TIMEX3 values against the DCT.

The rules (``rules``) run near their anchor words (``anchors``); overlapping matches are settled longest first, then
the rule listed first. Spans follow TimeML: "Tuesday", not "on Tuesday"; "last summer" with "last"; "the past three
years" with "the". What the whole document says is read last: a clock time and its day are one expression, a month
takes the year its sentence names, "the quarter" of a report is the quarter it is about (``Rule.roles``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

import dateline.timex.resolve as resolve
from dateline.timex.anchors import AnchorIndex, matches
from dateline.timex.lexicon import PARTS_OF_DAY
from dateline.timex.normalisers import ANAPHORIC_SHIFT, ANAPHORIC_UNITS, RE_DAY_VALUE, Context
from dateline.timex.rules import RULES
from dateline.timex.tense import text_tense
from dateline.timex.values import GRANULARITY_ORDER, interval, is_valid


@dataclass(frozen=True)
class Timex:
    """A TIMEX3: character offsets into the tagged text, type (DATE, TIME, DURATION, SET), value and mod."""

    start: int
    end: int
    text: str
    type: str
    value: str
    mod: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

_INDEX = AnchorIndex(RULES)
_BY_NAME = {rule.name: rule for rule in RULES}
Found = tuple[Timex, frozenset]  # an expression and the roles of the rule that found it


def find(text: str, dct: dt.date | None, tense: Callable[[int, int], int] | None = None, *,
         windowed: bool = True) -> list[Timex]:
    """All time expressions in ``text``, normalised against ``dct`` (None: leave unresolved parts as X).
    ``windowed=False`` runs every rule over the whole text: slower, and the same result."""
    if not isinstance(text, str) or not text:
        return []
    tense = tense or text_tense(text)
    candidates = []
    for priority, rule, windows in _INDEX.rule_windows(text, windowed):
        has_extent = "tx" in rule.pattern.groupindex
        for m in matches(rule.pattern, windows, text):
            start, end = m.span("tx") if has_extent else m.span()
            if end > start:
                candidates.append((start, end, priority, m, rule))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken_starts: list[int] = []  # the spans taken so far, disjoint, in order: their ends are in order too
    taken_ends: list[int] = []
    found: list[Found] = []
    for start, end, _, m, rule in candidates:
        i = bisect.bisect_left(taken_starts, end)  # taken_starts[:i] start before this candidate ends
        if i and taken_ends[i - 1] > start:  # the latest of them ends after it starts
            continue
        if start and text[start - 1] in _QUOTES and _RE_TITLE.fullmatch(text, start, end):
            continue  # a quoted title: the programme "This Week", CBS's ''60 Minutes''
        ctx = Context(dct=dct, tense=tense, start=start, end=end, text=text)
        try:
            result = rule.normalise(m, ctx)
        except (ValueError, OverflowError, KeyError):
            result = None
        if result is None:
            continue
        type_, value, mod = result
        if not is_valid(value, type_):
            continue
        taken_starts.insert(i, start)
        taken_ends.insert(i, end)
        found.append((Timex(start, end, text[start:end], type_, value, mod), rule.roles))
    found.sort(key=lambda f: (f[0].start, f[0].end))
    return [_in_utc(t) for t in _anchor(_join(found, text), text)]


_RE_OFFSET_TIME = re.compile(r"^(?P<day>.{10})T(?P<h>\d\d):(?P<min>\d\d)(?P<sec>:\d\d)?(?P<sign>[+-])(?P<oh>\d\d)"
                             r"(?P<om>\d\d)$")


def _in_utc(timex: Timex) -> Timex:
    """A clock time given with an offset from UTC, once its day is known, in UTC ("9:15 a.m. (GMT+2)" on Friday:
    Friday T07:15Z; a day earlier or later when the hours cross midnight, if the day is known)."""
    m = _RE_OFFSET_TIME.match(timex.value)
    if not m:
        return timex
    total = int(m["h"]) * 60 + int(m["min"]) - (int(m["oh"]) * 60 + int(m["om"])) * (1 if m["sign"] == "+" else -1)
    days, minutes = divmod(total, 24 * 60)
    day = m["day"]
    if RE_DAY_VALUE.match(day):
        day = (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
    elif days:
        day = "XXXX-XX-XX"
    value = f"{day}T{minutes // 60:02d}:{minutes % 60:02d}{m['sec'] or ''}Z"
    return Timex(timex.start, timex.end, timex.text, timex.type, value, timex.mod)


_QUOTES = "\"'`\u2018\u201c"
_RE_TITLE = re.compile(r"(?:[A-Z]\w*|\d+)(?:\s+[A-Z]\w*)+")  # two words or more, each capitalised
_RE_ZONE_GAP = re.compile(r"\s*(?:[A-Z]{1,2}[SD]?T\b)?,?\s*")  # "5 p.m. EST, Nov. 6"
_RE_OF_GAP = re.compile(r",?\s+(?:of\s+)?")
_RE_YEAR_VALUE = re.compile(r"^\d{4}$")


def _join(found: list[Found], text: str) -> list[Found]:
    """Join the expressions TimeML draws as one: a clock time and its day ("9 a.m. EST Tuesday", "noon Thursday",
    "5 p.m. EST, Nov. 6": TIME, the day's date with the time), a month or a day and its relative year ("June last
    year", "January of this year", "March 20 last year": in that year). Not a part of the day and its date: TBAQ
    tags "Oct. 23" alone in "the night of Oct. 23"."""
    out: list[Found] = []
    for timex, roles in found:
        prev, prev_roles = out[-1] if out else (None, frozenset())
        if prev and "day" in roles and "clock" in prev_roles and _RE_ZONE_GAP.fullmatch(
                text, prev.end, timex.start) and RE_DAY_VALUE.match(timex.value[:10]) and "T" not in timex.value:
            value = timex.value[:10] + prev.value[prev.value.index("T"):]
            timex = Timex(prev.start, timex.end, text[prev.start:timex.end], "TIME", value, prev.mod)
            roles = frozenset()
            out.pop()
        elif prev and "relative_year" in roles and "month" in prev_roles and _RE_OF_GAP.fullmatch(
                text, prev.end, timex.start) and _RE_YEAR_VALUE.match(timex.value) and timex.text.lower().split()[
                -1] == "year" and is_valid(value := timex.value + prev.value[4:], "DATE"):
            timex = Timex(prev.start, timex.end, text[prev.start:timex.end], "DATE", value, prev.mod)
            roles = _BY_NAME["month_year"].roles
            out.pop()
        out.append((timex, roles))
    return out


_RE_QUARTER_VALUE = re.compile(r"^(?:FY)?(\d{4})-Q([1-4])$")
_RE_SENTENCE_BREAK = re.compile(r"[.!?]\s|\n")


def _anchor(found: list[Found], text: str) -> list[Timex]:
    """Resolve expressions against the document's own reference times rather than the DCT, as TimeML does:
    in a report about a quarter, "a year earlier" is that quarter a year before and "the quarter" is that quarter;
    a clock time takes the day named in its sentence."""
    out: list[Timex] = []
    last_quarter: tuple[int, int] | None = None
    for timex, roles in found:
        try:
            value = _anchored_value(timex, roles, found, out, last_quarter, text)
        except (ValueError, OverflowError):  # a reference beyond the calendar ("the quarter before" year 1)
            value = timex.value
        if value != timex.value and not is_valid(value, timex.type):
            value = timex.value
        if "quarter" in roles and (m := _RE_QUARTER_VALUE.match(timex.value)):
            last_quarter = (int(m.group(1)), int(m.group(2)))  # quarters the text names, not ones inferred here
        out.append(timex if value == timex.value else Timex(timex.start, timex.end, timex.text, timex.type, value,
                                                            timex.mod))
    return out


def _anchored_value(timex: Timex, roles: frozenset, found: list[Found], out: list[Timex],
                    last_quarter: tuple[int, int] | None, text: str) -> str:
    """``timex``'s value against the text's reference times: those ``found`` in its sentence, the expressions
    ``out`` before it, and the latest quarter the text names."""
    value = timex.value
    if "sentence_year" in roles and ("month" in roles or _RE_YEAR_VALUE.match(value)) and value[:4].isdigit():
        year = _year_in_sentence(timex, found, text)
        if year:  # "In the 2016 election ... until June": June of that year; "1988 earnings ... for the year'
            value = year + value[4:]
    if "year_before" in roles and last_quarter and value[:4].isdigit() and (
            "year-" in timex.text.lower() or timex.text.lower().startswith(("a year", "one year"))):
        value = f"{last_quarter[0] - 1:04d}-Q{last_quarter[1]}"
    elif "this_quarter" in roles and last_quarter and timex.text.lower().split()[-2] == "the":
        value = f"{last_quarter[0]:04d}-Q{last_quarter[1]}"
    elif "clock" in roles:
        day = _day_in_sentence(timex, [t for t, _ in found], text)
        if day:
            value = day + value[value.index("T"):]
    elif "quarter_of_year" in roles and last_quarter and _RE_YEAR_VALUE.match(value):  # "the 1988 quarter"
        value = f"{value}-Q{last_quarter[1]}"
    elif "anaphoric" in roles and last_quarter and timex.text.lower().endswith("quarter"):
        value = resolve.shift(dt.date(last_quarter[0], 3 * last_quarter[1] - 2, 1), "Q", _anaphoric_shift(
            timex)) or value  # "that quarter" of a report is the quarter it names, not one of its dates
    elif "anaphoric" in roles:
        value = _from_reference(timex, out) or value
    return value


_GRANULARITY_RANK = {name: i for i, name in enumerate(GRANULARITY_ORDER)}
_UNIT_RANK = {"D": _GRANULARITY_RANK["day"], "W": _GRANULARITY_RANK["week"], "M": _GRANULARITY_RANK["month"],
              "Q": _GRANULARITY_RANK["quarter"], "Y": _GRANULARITY_RANK["year"]}


def _anaphoric_shift(timex: Timex) -> int:
    return next((ANAPHORIC_SHIFT[w] for w in timex.text.lower().split() if w in ANAPHORIC_SHIFT), 0)


def _from_reference(timex: Timex, earlier: list[Timex]) -> str | None:
    """The value of an anaphoric expression ("that day", "the following year") from the latest expression before it
    that names a time at least as fine as its unit ("May 22, 1995" for "the following year": 1996)."""
    unit = timex.text.lower().split()[-1]
    code, shift = ANAPHORIC_UNITS[unit], _anaphoric_shift(timex)
    for other in reversed(earlier):
        bounds = interval(other.value) if other.type in ("DATE", "TIME") else None
        if bounds and _GRANULARITY_RANK[bounds[2]] <= _UNIT_RANK[code]:
            value = resolve.shift(bounds[0], code, shift)
            part = PARTS_OF_DAY.get(unit, "")
            return value + f"T{part}" if value and part else value
    return None


# a clause of its own between a year and a month: "in 2005 and was due to stand down in August", "since its launch
# in 2003 and that as of February", "in 2003, while in February"
_RE_CLAUSE_AND = re.compile(r"\b(?:and|but)\s+(?:was|were|is|are|will|would|had|has|have|then|that)\b"
                            r"|\b(?:while|whereas)\b")


def _year_in_sentence(timex: Timex, found: list[Found], text: str) -> str | None:
    """The one explicit year written earlier in the same sentence as ``timex`` (none, or several: None)."""
    years = {t.value[:4] for t, roles in found if "year" in roles and t.value[:4].isdigit()
             and t.end <= timex.start and not _RE_SENTENCE_BREAK.search(text, t.end, timex.start)
             and not _RE_CLAUSE_AND.search(text, t.end, timex.start)}
    return years.pop() if len(years) == 1 else None


def _day_in_sentence(timex: Timex, others: list[Timex], text: str) -> str | None:
    """The date of a day-valued expression in the same sentence as ``timex``, nearest first."""
    days = [t for t in others if RE_DAY_VALUE.match(t.value[:10]) and t.type in ("DATE", "TIME") and t is not timex
            and "T" not in t.value[10:11] and not _RE_SENTENCE_BREAK.search(
                text, min(t.end, timex.end), max(t.start, timex.start))]
    days.sort(key=lambda t: abs(t.start - timex.start))
    return days[0].value[:10] if days else None
