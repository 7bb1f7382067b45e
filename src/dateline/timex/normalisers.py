"""Normalisers: from a rule's match to a TIMEX3 (type, value, mod), against the document creation time (DCT).

A normaliser reads the groups its rule's pattern names (``patterns``) and returns None to reject the match ("the
1988 quarter" is not 1,988 quarters). It sees the text around the match through ``Context`` and the tense of its
clause through ``Context.tense``; what the rest of the document says is settled afterwards (``tagger``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import dateline.timex.resolve as resolve
from dateline.timex.lexicon import (
    DECADE_WORDS,
    MODS,
    MONTHS,
    NUMBER_WORDS,
    ORDINAL_WORDS,
    ORDINALS,
    PARTS_OF_DAY,
    SEASON_CODES,
    TENS,
    UNITS,
    VAGUE_NUMBERS,
    WEEKDAYS,
)

RE_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

Normaliser = Callable[[re.Match, "Context"], tuple[str, str, str] | None]


@dataclass
class Context:
    dct: dt.date | None
    tense: Callable[[int, int], int]  # (start, end) -> -1 past, 0 present, +1 future
    start: int = 0
    end: int = 0
    text: str = ""

    def direction(self) -> int:
        """Where the expression points: a word just before it that fixes the direction whatever the verb's tense
        ("since Jan. 13", "back in May" are past; "effective Feb. 1", "payable Dec. 15" are dates set in advance,
        the nearest), else the tense."""
        cue = _RE_DIRECTION_CUE.search(self.text, max(self.start - 24, 0), self.start)
        if cue:
            return -1 if cue["cue"].lower() in ("since", "back") else 0
        return self.tense(self.start, self.end)


# "back in May" looks back, unless it is a return: "will be back in May"
_RE_DIRECTION_CUE = re.compile(r"\b(?P<cue>since|effective|payable|(?<!\bbe\s)(?<!\bcome\s)(?<!\bget\s)(?<!\bgo\s)"
                               r"back(?=\s+(?:in|on)\s))\s+(?:(?:on|from|in)\s+)?$", re.I)


def _words(text: str) -> str:
    """``text`` lowered, its words one space apart ("This  past" -> "this past")."""
    return " ".join(text.lower().split())


def _number(text: str) -> str:
    text = _words(text)
    if text in VAGUE_NUMBERS:
        return "X"
    if text in NUMBER_WORDS:
        return str(NUMBER_WORDS[text])
    text = re.sub(r"\s*(?:1/2|\u00bd)$", ".5", text)
    parts = re.split(r"[-\s]+", text)
    if parts[0] in TENS:  # "twenty-four", "twenty four"
        return str(TENS[parts[0]] + NUMBER_WORDS.get(parts[-1], 0))
    try:
        number = float(text)
    except ValueError:
        return "X"
    return str(int(number)) if number == int(number) else str(number)


_HALF_OF = {"Y": (6, "M"), "Q": (45, "D"), "M": (15, "D"), "D": (12, "H"), "H": (30, "MIN"),
            "MIN": (30, "S"), "DE": (5, "Y"), "CE": (50, "Y")}  # half a unit in the next smaller one


def duration_value(num: str, unit_code: str) -> str:
    """A TIMEX3 duration of ``num`` units; a half is written in the next smaller unit ("5 1/2 hours": PT5H30M)."""
    if num.endswith(".5") and unit_code == "W":  # "a week and a half": P10DT12H
        return f"P{int(float(num)) * 7 + 3}DT12H"
    if num.endswith(".5") and unit_code in _HALF_OF:
        whole, (half, smaller) = int(float(num)), _HALF_OF[unit_code]
        if unit_code in ("DE", "CE"):
            return f"P{whole * (10 if unit_code == 'DE' else 100) + half}Y"
        head = duration_value(str(whole), unit_code) if whole else "P"
        tail = duration_value(str(half), smaller)[1:]
        return head + (tail if "T" not in head or not tail.startswith("T") else tail[1:])
    if unit_code in ("H", "MIN", "S"):
        return f"PT{num}{'M' if unit_code == 'MIN' else unit_code}"
    if unit_code == "2W":
        return "P2W" if num == "1" else ("PXW" if num == "X" else f"P{2 * int(float(num))}W")
    if unit_code == "DE":  # in years, as TBAQ and MEANTIME write "two decades" (P20Y) and "decades-long" (PXY)
        return "PXY" if num == "X" else (f"P{int(float(num) * 10)}Y" if float(num).is_integer() else f"P{num}DE")
    if unit_code == "CE":
        return "PXCE" if num == "X" else f"P{num}CE"
    return f"P{num}{unit_code}"


def _num_mod(m: re.Match) -> str:
    groups = m.groupdict()
    return MODS.get((groups.get("nummod") or groups.get("approx") or "").lower(), "")


def _premod(m: re.Match) -> str:
    text = (m.groupdict().get("premod") or "").lower().rstrip()
    return MODS.get(text, MODS.get(text.rstrip("-"), "")) if text else ""


def year_number(text: str) -> int:
    """A year written in digits or words: "1996", "nineteen ninety-six", "two thousand and one"."""
    if text[:1].isdigit():
        return int(text)
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(NUMBER_WORDS[w] for w in words[2:])
    return NUMBER_WORDS[words[0]] * 100 + sum(NUMBER_WORDS[w] for w in words[1:])


def full_date(m: re.Match, ctx: Context):
    return "DATE", f"{year_number(m['year']):04d}-{MONTHS[m['mon'].lower().rstrip('.')]:02d}-{int(m['day']):02d}", ""


def iso_date(m: re.Match, ctx: Context):
    return "DATE", f"{m['year']}-{m['m']}-{m['d']}", ""


def month_day(m: re.Match, ctx: Context):
    month, day = MONTHS[m["mon"].lower().rstrip(".")], int(m["day"])
    if ctx.dct is None:
        return "DATE", f"XXXX-{month:02d}-{day:02d}", ""
    weekday = WEEKDAYS[m["wd"].lower()] if m.groupdict().get("wd") else None
    date = resolve.day_of_year(ctx.dct, month, day, ctx.direction(), weekday)
    return ("DATE", date.isoformat(), "") if date else None


def month_year(m: re.Match, ctx: Context):
    return "DATE", f"{year_number(m['year']):04d}-{MONTHS[m['mon'].lower().rstrip('.')]:02d}", _premod(m)


def month(m: re.Match, ctx: Context):
    month = MONTHS[m["mon"].lower().rstrip(".")]
    rel = _words(m["rel"] or "")
    if ctx.dct is None:
        return "DATE", f"XXXX-{month:02d}", _premod(m)
    if rel == "this":
        year = ctx.dct.year
    elif rel in ("last", "past", "this past"):  # the latest such month before the DCT's ("last April" in March)
        year = ctx.dct.year - (month >= ctx.dct.month)
    elif rel in ("next", "coming", "this coming"):
        year = ctx.dct.year + (month <= ctx.dct.month)
    else:
        year = resolve.month_year(ctx.dct, month, ctx.direction())
    return "DATE", f"{year:04d}-{month:02d}", _premod(m)


# "the number of those infected is 1501", "1720 had been discharged": a count, not a year
_RE_COUNT_BEFORE = re.compile(r"\b(?:is|was|are|were|totall?ed|reached|number of|total of|toll of)\s+$", re.I)
_RE_COUNT_AFTER = re.compile(r"\s+(?:had|have|were|are)\b")
_RE_PREPOSITION_BEFORE = re.compile(r"\b(?:in|since|by|until|from|before|after|during|of|to|through)\s+$", re.I)


def year(m: re.Match, ctx: Context):
    before = m.string[max(m.start() - 25, 0):m.start()]
    if not m["premod"] and (_RE_COUNT_BEFORE.search(before) or (
            _RE_COUNT_AFTER.match(m.string, m.end()) and not _RE_PREPOSITION_BEFORE.search(before))):
        return None
    return "DATE", m["year"], _premod(m)


def year_range_end(m: re.Match, ctx: Context):
    first = int(m.string[m.start() - 5:m.start() - 1])
    end = int(m["end"]) if len(m["end"]) == 4 else first // 100 * 100 + int(m["end"])
    if len(m["end"]) == 2 and end < first and first % 100 >= 90 and end % 100 <= 10:  # "1999-00", "1995-02"
        end += 100
    if not first < end <= first + 20:  # not a range of years: "1998-12" (a month), a score
        return None
    before = m.string[max(m.start() - 30, 0):m.start() - 5]
    if _RE_COUNT_BEFORE.search(before):
        return None
    return "DATE", f"{end:04d}", ""


def fiscal_year(m: re.Match, ctx: Context):
    return "DATE", f"{year_number(m['year']):04d}", ""  # TimeBank annotates "fiscal 1989" as 1989


_RE_TEMPERATURE = re.compile(r"\b(?:highs?|lows?|temperatures?|degrees|heat|thermometers?|mercury)\b[^.;]{0,25}$",
                             re.I)


def decade(m: re.Match, ctx: Context):
    if m["short"] and "'" not in m[0] and _RE_TEMPERATURE.search(ctx.text, max(ctx.start - 40, 0), ctx.start):
        return None  # "highs in the 90s"; "the '90s" is a decade whatever comes before
    if m["dec"]:
        return "DATE", m["dec"][:3], _premod(m)
    short = int(m["short"])
    century = 19 if ctx.dct is None or short > ctx.dct.year % 100 else ctx.dct.year // 100
    return "DATE", f"{century:02d}{short // 10}", _premod(m)


def spelled_year(m: re.Match, ctx: Context):
    if _words(m["year"]) == "two thousand" and not m[0].lower().startswith("the"):
        return None  # "more than two thousand years": a count, unless "the year two thousand"
    return "DATE", f"{year_number(m['year']):04d}", ""


def decade_word(m: re.Match, ctx: Context):
    """ "the nineties": the latest such decade begun by the DCT (the 1900s' without one)."""
    tens = DECADE_WORDS[m["word"].lower()]
    century = 19 if ctx.dct is None or tens * 10 > ctx.dct.year % 100 else ctx.dct.year // 100
    return "DATE", f"{century:02d}{tens}", _premod(m)


def century(m: re.Match, ctx: Context):
    number = int(m["ord"]) if m["ord"] else ORDINAL_WORDS[m["word"].lower()]
    if not 1 <= number <= 99:
        return None
    return "DATE", f"{number - 1:02d}", _premod(m)


def weekday(m: re.Match, ctx: Context):
    wd = WEEKDAYS[m["wd"].lower()]
    rel = _words(m["rel"] or "")
    part = PARTS_OF_DAY.get((m["part"] or "").lower(), "")
    if ctx.dct is None:
        return "DATE", f"XXXX-WXX-{wd + 1}" + (f"T{part}" if part else ""), ""
    if rel in ("last", "this past"):
        date = resolve.weekday(ctx.dct - dt.timedelta(days=1), wd, -1)
    elif rel in ("next", "coming", "this coming"):
        date = resolve.weekday(ctx.dct, wd, 1)
    elif wd == ctx.dct.weekday():  # "Monday" in a Monday paper is that day, whatever the tense
        date = ctx.dct
    elif m["poss"] and not m["part"]:  # "Wednesday's ruling", "Friday's close": a day that has been
        date = resolve.weekday(ctx.dct, wd, -1)
    else:  # by the tense ("this Wednesday" too); without one, the nearest: news speaks of the days around it
        date = resolve.weekday(ctx.dct, wd, ctx.direction())
    value = date.isoformat()
    # TimeBank and AQUAINT mostly type "Friday morning" as a DATE with a part-of-day value; "late Tuesday": END
    return "DATE", f"{value}T{part}" if part else value, _premod(m)


def deictic_day(m: re.Match, ctx: Context):
    word = _words(m["deixis"])
    part = PARTS_OF_DAY.get((m["part"] or "").lower(), "")
    if word in ("tonight", "last night"):
        part = "NI"
    if ctx.dct is None:
        return "DATE", "XXXX-XX-XX" + (f"T{part}" if part else ""), ""
    shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    value = (ctx.dct + dt.timedelta(days=shift)).isoformat()
    return ("DATE", f"{value}T{part}", _premod(m)) if part else ("DATE", value, _premod(m))


def this_part_of_day(m: re.Match, ctx: Context):
    part = PARTS_OF_DAY[m["part"].lower()]
    return "TIME", (ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX") + f"T{part}", ""


def ref(value: str) -> Normaliser:
    return lambda m, ctx: ("DATE", value, "")


def unnamed_date(m: re.Match, ctx: Context):
    """ "a later date", "a future time": some time ahead (TBAQ: FUTURE_REF); "an earlier date": some time before."""
    return "DATE", "PAST_REF" if m["which"].lower() == "earlier" else "FUTURE_REF", ""


def relative_unit(m: re.Match, ctx: Context):
    rel = _words(m["rel"])
    unit = m["unit"].lower()
    mod = _premod(m)
    pre = (m["premod"] or "").lower()
    if pre in ("earlier", "later"):
        mod = ""
    amount = {"last": -1, "past": -1, "previous": -1, "this past": -1, "next": 1, "coming": 1}.get(rel, 0)
    if unit in SEASON_CODES:
        code = SEASON_CODES[unit]
        if ctx.dct is None:
            return "DATE", f"XXXX-{code}", mod
        relation = {-1: "last", 1: "next", 0: "this"}[amount]
        return "DATE", resolve.season(ctx.dct, code, relation), mod
    code = UNITS[unit]
    if ctx.dct is None:
        return "DATE", {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "WE": "XXXX-WXX-WE", "M": "XXXX-XX", "Q": "XXXX-QX",
                        "Y": "XXXX", "DE": "XXX", "CE": "XX"}[code], mod
    if code == "WE":
        week = resolve.iso_week(ctx.dct + dt.timedelta(weeks=amount))
        return "DATE", f"{week}-WE", mod
    value = resolve.shift(ctx.dct, code, amount)
    return ("DATE", value, mod) if value else None


def weekend(m: re.Match, ctx: Context):
    if ctx.dct is None:
        return "DATE", "XXXX-WXX-WE", ""
    direction = ctx.direction()
    saturday = resolve.weekday(ctx.dct, 5, -1 if direction < 0 else (1 if direction > 0 else 0))
    return "DATE", f"{resolve.iso_week(saturday)}-WE", ""


def ago(m: re.Match, ctx: Context):
    if not m["num"] and m.string[m.end("unit"):m.end("unit") + 1] != "s":
        return None  # "years ago", not "year earlier"
    num = _number(m["num"]) if m["num"] else "X"
    code = UNITS[m["unit"].lower()]
    if num == "X" or ctx.dct is None or code in ("H", "MIN", "S", "2W", "WE"):
        return "DATE", "PAST_REF", ""
    amount = float(num)
    if not amount.is_integer():
        return "DATE", "PAST_REF", ""
    value = resolve.shift(ctx.dct, code, -int(amount))
    return ("DATE", value, _num_mod(m)) if value else None


def year_earlier(m: re.Match, ctx: Context):
    return ("DATE", str(ctx.dct.year - 1), "") if ctx.dct else ("DATE", "XXXX", "")


def the_quarter(m: re.Match, ctx: Context):
    """"the quarter" and "the latest quarter": the last quarter completed by the DCT (quarterly reports come after
    it); "the current quarter": the DCT's own. Refined by the document's own quarters in ``_anchor``."""
    if ctx.dct is None:
        return "DATE", "XXXX-QX", ""
    current = (ctx.dct.month - 1) // 3
    shift = 0 if (m["which"] or "").lower() == "current" else -1  # "the latest period" too: the quarter reported
    index = ctx.dct.year * 4 + current + shift
    return "DATE", f"{index // 4:04d}-Q{index % 4 + 1}", ""


# "a quarter of the government", "three-quarters of its food": a share, not a time ("several quarters of losses" is)
_RE_SHARE_OF = re.compile(r"\s+of\s+(?:the|its|their|his|her|our|all|an?|those|these|this|that)\b", re.I)
# "a second arrest": an ordinal, unless a word of time comes next ("a second later", "for a second or two")
_RE_ORDINAL_SECOND = re.compile(r"\s+(?!(?:later|earlier|ago|before|after|or|and|longer|apart|that)\b)[a-z]")


def duration(m: re.Match, ctx: Context):
    num = _number(m["num"]) if m["num"] else "1"
    singular = m.string[m.end("unit"):m.end("unit") + 1] != "s"
    if num.isdigit() and int(num) >= 1000 and singular:
        return None  # "the 1988 quarter": a year's quarter, not 1,988 quarters
    unit, rest = m["unit"].lower(), m.end("tx") if "tx" in m.re.groupindex else m.end()
    if unit == "quarter" and num in ("1", "2", "3") and _RE_SHARE_OF.match(m.string, rest):
        return None
    if unit == "second" and num == "1" and singular and _RE_ORDINAL_SECOND.match(m.string, rest):
        return None
    if (m.groupdict().get("half") or m.groupdict().get("andhalf")) and num != "X" and float(num).is_integer():
        # "an hour and a half", "two and a half years"
        num = f"{int(float(num))}.5"
    return "DURATION", duration_value(num, UNITS[unit]), _num_mod(m)


def the_past_unit(m: re.Match, ctx: Context):
    """"the last quarter", "the past year", "the previous week": the calendar unit just ended (TBAQ and MEANTIME
    both write "the past year" as the year before, "the last quarter" as the quarter before); "the next month",
    "the past decade" (each gold writes it both ways; as a decade it would date the narrative a decade back) and
    units shorter than a week: a duration."""
    unit = UNITS[m["unit"].lower()]
    if m["which"].lower() in ("past", "last", "previous") and unit in ("W", "M", "Q", "Y") and ctx.dct:
        value = resolve.shift(ctx.dct, unit, -1)
        if value:
            return "DATE", value, ""
    return duration(m, ctx)


def duration_long(m: re.Match, ctx: Context):
    return "DURATION", duration_value("X" if m["plural"] else "1", UNITS[m["unit"].lower()]), ""


def vague_duration(m: re.Match, ctx: Context):
    return "DURATION", duration_value("X", UNITS[m["unit"].lower()]), ""


ANAPHORIC_UNITS = {"day": "D", "morning": "D", "afternoon": "D", "evening": "D", "night": "D", "week": "W",
                    "month": "M", "quarter": "Q", "year": "Y"}
ANAPHORIC_SHIFT = {"that": 0, "same": 0, "following": 1, "next": 1, "previous": -1, "prior": -1}


def anaphoric(m: re.Match, ctx: Context):
    """ "that day", "the same day", "the following year", "the next morning": relative to the text's latest
    reference time (``_anchor``); the publication date until one is found."""
    unit, which = m["unit"].lower(), m["which"].lower()
    code, shift = ANAPHORIC_UNITS[unit], ANAPHORIC_SHIFT[which]
    if (which == "that") == bool(m["the"]) or (which == "next" and code != "D"):
        return None  # "the following year" and "that year", not "following year"; "the next year" is a duration
    part = PARTS_OF_DAY.get(unit, "")
    if ctx.dct is None:
        value = {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX", "Y": "XXXX"}[code]
    else:
        value = resolve.shift(ctx.dct, code, shift)
    return ("DATE", value + (f"T{part}" if part else ""), "") if value else None


def the_year(m: re.Match, ctx: Context):
    """ "the year", "the full year", "the current fiscal year": the publication's year (or week); "the year ended
    June 30": a year's time; "the latest fiscal year", "the latest week": the one before."""
    week = m["unit"].lower() == "week"
    if m["year"] and not week:  # "the full year 1986"
        return "DATE", m["year"], _premod(m)
    if m["ended"] and not m["premod"]:  # "the week ended Feb. 25", "the year ending June 30"
        return "DURATION", "P1W" if week else "P1Y", ""
    if ctx.dct is None:
        return "DATE", "XXXX-WXX" if week else "XXXX", _premod(m)
    latest = (m["which"] or "").lower().startswith("latest")
    if week:
        return "DATE", resolve.iso_week(ctx.dct - dt.timedelta(weeks=latest)), _premod(m)
    return "DATE", f"{ctx.dct.year - latest:04d}", _premod(m)


def the_month(m: re.Match, ctx: Context):
    return "DATE", ctx.dct.isoformat()[:7] if ctx.dct else "XXXX-XX", _premod(m)


def year_end(m: re.Match, ctx: Context):
    """ "by year-end", "since year-end" (the last one): the year, at its end."""
    if ctx.dct is None:
        return "DATE", "XXXX", "END"
    return "DATE", f"{ctx.dct.year - (m['prep'].lower() == 'since'):04d}", "END"


def week_of(m: re.Match, ctx: Context):
    result = full_date(m, ctx) if m["year"] else month_day(m, ctx)
    if result is None or not RE_DAY_VALUE.match(result[1]):
        return None
    return "DATE", resolve.iso_week(dt.date.fromisoformat(result[1])), ""


def holiday(m: re.Match, ctx: Context):
    name = " ".join(m["holiday"].split())
    rel = (m["rel"] or "").lower()
    if m["year"]:
        date = resolve.holiday(name, year_number(m["year"]))
    elif ctx.dct is None:
        return None
    else:
        direction = {"last": -1, "next": 1, "this": 0}.get(rel, ctx.direction())
        date = resolve.holiday_near(ctx.dct - dt.timedelta(days=1) if rel == "last" else ctx.dct, name, direction)
    return ("DATE", date.isoformat(), "") if date else None


def season_year(m: re.Match, ctx: Context):
    return "DATE", f"{year_number(m['year']):04d}-{SEASON_CODES[m['season'].lower()]}", _premod(m)


def season(m: re.Match, ctx: Context):
    code = SEASON_CODES[m["season"].lower()]
    if ctx.dct is None:
        return "DATE", f"XXXX-{code}", _premod(m)
    relation = {-1: "past", 1: "future", 0: "nearest"}[ctx.direction()]
    return "DATE", resolve.season(ctx.dct, code, relation), _premod(m)


def year_period(m: re.Match, ctx: Context):
    year = year_number(m["year"])
    q = ORDINAL_WORDS[m["ord"].lower()] if m["ord"] else None
    return "DATE", f"{year:04d}-Q{q}" if q else f"{year:04d}", ""


def half(m: re.Match, ctx: Context):
    half = 1 if m["which"].lower() == "first" else 2
    if m["year"]:
        return "DATE", f"{year_number(m['year']):04d}-H{half}", ""
    if ctx.dct is None:
        return "DATE", f"XXXX-H{half}", ""
    return "DATE", f"{ctx.dct.year + {'last': -1, 'next': 1}.get(m['rel'].lower(), 0):04d}-H{half}", ""


def quarter(m: re.Match, ctx: Context):
    q = ORDINALS.get(m["ord"].lower())
    if q is None:
        return None
    if m["year"]:
        year = year_number(m["year"])
    elif ctx.dct is None:
        return "DATE", f"XXXX-Q{q}", ""
    else:  # in the past tense, the latest ("earned in the first quarter" in October: this year's)
        current = (ctx.dct.month - 1) // 3 + 1
        if ctx.direction() < 0:  # not the future tense's: "will report third-quarter results" is of a past quarter
            year = ctx.dct.year - (1 if q > current else 0)
        else:  # the nearest: reports speak of the quarter just ended or the ones ahead
            year = ctx.dct.year + (1 if q - current < -2 else 0) - (1 if q - current > 1 else 0)
    if m.groupdict().get("rel"):
        year = ctx.dct.year + {"this": 0, "last": -1, "next": 1}[m["rel"].lower()] if ctx.dct else None
        if year is None:
            return "DATE", f"XXXX-Q{q}", ""
    return "DATE", f"{year:04d}-Q{q}", ""


def clock(m: re.Match, ctx: Context):
    """A clock time on the DCT's day; given in UTC or GMT, the value says so ("T16:08Z", as TimeML writes it), and
    one given with an offset from it ("9:15 a.m. (GMT+2)") is converted to UTC."""
    hour, minute = int(m["h"] or m.groupdict().get("h1")), int(m["min"] or 0)
    seconds = f":{m['sec']}" if m["sec"] else ""
    ampm = (m["ap"] or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    if ampm == "am" and hour == 12:
        hour = 0
    if not (0 <= hour <= 24 and 0 <= minute <= 59):
        return None
    zone, given = "", m.groupdict()  # an offset stays on the value until its day is known (``_in_utc``)
    if given.get("sign"):
        zone = f"{given['sign']}{int(given['off_h']):02d}{int(given['off_min'] or 0):02d}"
    elif given.get("zone"):
        zone = "Z"
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return "TIME", f"{day}T{hour:02d}:{minute:02d}{seconds}{zone}", ""


def clock_part(m: re.Match, ctx: Context):
    hour, minute = int(m["h"]), int(m["min"] or 0)
    part = (m["part"] or m["night"]).lower()
    if part == "morning" and hour == 12 or part in ("afternoon", "evening") and hour < 12 or (
            part == "night" and 6 <= hour < 12):
        hour = (hour + 12) % 24
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return "TIME", f"{day}T{hour:02d}:{minute:02d}", ""


def part_of_day(m: re.Match, ctx: Context):
    part = PARTS_OF_DAY[m["part"].lower()]
    if ctx.dct is None:
        return "TIME", f"XXXX-XX-XXT{part}", _premod(m)
    day = ctx.dct + dt.timedelta(days={"yesterday": -1, "tomorrow": 1}.get((m["deixis"] or "").lower(), 0))
    return "TIME", f"{day.isoformat()}T{part}", _premod(m)


def noon(m: re.Match, ctx: Context):
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return "TIME", f"{day}T{'24:00' if m[0].lower() == 'midnight' else '12:00'}", ""


def set_weekday(m: re.Match, ctx: Context):  # "every Tuesday", "every Tuesday night", "on Sundays"
    part = PARTS_OF_DAY.get((m["part"] or "").lower(), "")
    return "SET", f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()] + 1}" + (f"T{part}" if part else ""), ""


def set_part_of_day(m: re.Match, ctx: Context):  # "every morning"
    return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[m['part'].lower()]}", ""


def set_month(m: re.Match, ctx: Context):
    return "SET", f"XXXX-{MONTHS[m['mon'].rstrip('.').lower()]:02d}", ""


def set_unit(m: re.Match, ctx: Context):
    # adverbs of a unit, not "quarterly" or "annual(ly)": TBAQ leaves "quarterly dividend" and four of six "annually"
    # untagged
    unit = {"daily": "D", "weekly": "W", "monthly": "M", "yearly": "Y", "hourly": "H"}.get(m[0].lower()) \
        or UNITS[m["unit"].lower()]
    return "SET", duration_value("2" if m["other"] else _number(m["num"]) if m["num"] else "1", unit), ""
