"""Finding time expressions in text and normalising them to TIMEX3 values against the DCT.

Rules are regular expressions with a normaliser each; overlapping matches are settled longest first. A rule whose
context is not part of the expression ("in May") marks the expression with a group named ``tx``. Spans follow
TimeML: "Tuesday", not "on Tuesday"; "last summer" with "last"; "the past three years" with "the".
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import NamedTuple

import dateline.timex.resolve as resolve
from dateline.timex.values import interval, is_valid


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


MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
SEASON_CODES = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
_SMALL = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
          "seventeen eighteen nineteen").split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
NUMBER_WORDS = {w: i for i, w in enumerate(_SMALL)} | _TENS | {
    "a": 1, "an": 1, "a couple of": 2, "couple of": 2, "a couple": 2, "couple": 2, "a dozen": 12, "hundred": 100,
    "half a": 0.5, "half an": 0.5}
VAGUE_NUMBERS = ("a few", "few", "several", "some", "many", "a number of")
UNITS = {"second": "S", "minute": "MIN", "hour": "H", "day": "D", "week": "W", "weekend": "WE", "fortnight": "2W",
         "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "centurie": "CE"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "q1": 1, "q2": 2, "q3": 3, "q4": 4}  # quarters by ordinal
MODS = {"early": "START", "the beginning of": "START", "the start of": "START", "late": "END", "the end of": "END",
        "mid": "MID", "mid-": "MID", "the middle of": "MID", "more than": "MORE_THAN", "over": "MORE_THAN",
        "less than": "LESS_THAN", "under": "LESS_THAN", "nearly": "LESS_THAN", "almost": "LESS_THAN",
        "about": "APPROX", "around": "APPROX", "approximately": "APPROX", "roughly": "APPROX", "some": "APPROX",
        "at least": "EQUAL_OR_MORE", "at most": "EQUAL_OR_LESS", "up to": "EQUAL_OR_LESS"}

_MONTH = (r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|November|December)\b|"
          r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)")
_WEEKDAY = r"(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)\b"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
_ONES, _TEENS, _TENS_WORDS = "|".join(_SMALL[1:10]), "|".join(_SMALL[10:]), "|".join(_TENS)
# years as broadcast transcripts spell them: "nineteen ninety-six", "twenty fifteen", "the year two thousand"
_SPELLED_YEAR = (r"(?i:(?:nineteen|twenty)[\s-](?:" + _TEENS + "|(?:" + _TENS_WORDS + r")(?:[\s-](?:" + _ONES
                 + r"))?)\b|two thousand(?:\s+and)?(?:[\s-](?:" + _TEENS + "|" + _ONES + r")\b)?)"
                 r"(?![\s-]+(?:hundred|thousand)\b)")
_YEAR = r"(?P<year>(?:1[0-9]|20)\d\d\b|" + _SPELLED_YEAR + ")"
_NUM = (r"(?P<num>\d+(?:\.\d+|\s*(?:1/2|\u00bd))?|"
        r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|"
        r"four|five|six|seven|eight|nine))?|a\s+couple\s+of|couple\s+of|a\s+couple|couple|a dozen|a few|"
        r"a number of|half an?|"
        + "|".join(sorted(_SMALL[1:] + ["few", "several", "some", "many", "hundred"], key=len, reverse=True))
        + r"|an?)")
_UTC_OFFSET = r"(?:\s*(?P<sign>[+-])(?P<off_h>1[0-4]|0?\d)(?::?(?P<off_min>[0-5]\d))?\b)"  # "GMT+2", "UTC-05:00"
_UNIT_NAMES = r"second|minute|hour|day|weekend|week|fortnight|month|quarter|year|decade|centur(?:y|ie)"
_UNIT = r"(?P<unit>" + _UNIT_NAMES + r")s?\b(?!\s+(?:quarter|half|round|term)\b)"  # not "1988 second quarter"
_ONE_UNIT = r"(?P<unit>" + _UNIT_NAMES + r")\b"
# A bare four-digit number is a year only between 1500 and 2099 and when it is not a count, a clock time or part
# of a larger number ("2,000 people", "1999 troops", "1500 UTC").
_BARE_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)\b"
_YEAR_RANGE_END = r"(?:\d\d|1[5-9]\d\d|20\d\d)(?![\d\-/:%\u2013]|\.\d)"  # "1998-99", "1998-1999", not "2015-03-25"
_NOT_A_YEAR = (r"(?![\d%]|,\d|\.\d|[-\u2013](?!" + _YEAR_RANGE_END + r")\d|s\b|\s*(?:UTC|GMT|hours|hrs|h)\b"
               r"|\s+(?:people|persons|troops|soldiers|men|"
               r"women|children|students|votes|jobs|acres|miles|km|kilometers|tons|barrels|shares|cars|homes|houses|"
               r"deaths|cases|employees|workers|dollars|euros|pounds|feet|meters|metres|units|copies))")
_APOS = "(?:'|\u2019)"
_HOLIDAYS = "|".join([
    r"Christmas(?:\s+(?:Day|Eve))?", r"New Year" + _APOS + r"s\s+(?:Day|Eve)", "Independence Day", "Halloween",
    "Valentine" + _APOS + "s Day", "Veterans Day", "Boxing Day", r"St\. Patrick" + _APOS + "s Day", "Bastille Day",
    r"Thanksgiving(?:\s+Day)?", "Labor Day", "Memorial Day", "Election Day", r"Easter(?:\s+(?:Sunday|Monday))?",
    "Good Friday",
])
# "Easter Island", "the Great Orchestra of Christmas Charity": a holiday's name inside another name
_NOT_A_NAME = r"(?!\s+(?!(?:Day|Eve|Sunday|Monday|Weekend)\b)[A-Z][a-z])"
_PRE_MOD = r"(?:(?P<premod>early|late|mid-?|the (?:beginning|start|end|middle) of)\s*)?"
# "$5 a year", "twice a week", "40 hours a week": a rate, not a duration
_NOT_A_RATE = r"(?<![\d%]\s)(?<!\bonce\s)(?<!\btwice\s)(?<!\btimes\s)(?<!\bper\s)(?<!\bhours\s)(?<!\bdays\s)"
_APPROX = r"(?:(?P<approx>about|around|approximately|roughly)\s+)?"  # TBAQ leaves these out of the extent
_NUM_MOD = r"(?:(?P<nummod>more than|less than|(?:over|under)(?!\s+the\b)|nearly|almost|at least|at most|up to)\s+)?"

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
    if parts[0] in _TENS:  # "twenty-four", "twenty four"
        return str(_TENS[parts[0]] + NUMBER_WORDS.get(parts[-1], 0))
    try:
        number = float(text)
    except ValueError:
        return "X"
    return str(int(number)) if number == int(number) else str(number)


_HALF_OF = {"Y": (6, "M"), "Q": (45, "D"), "M": (15, "D"), "D": (12, "H"), "H": (30, "MIN"),
            "MIN": (30, "S"), "DE": (5, "Y"), "CE": (50, "Y")}  # half a unit in the next smaller one


def _duration(num: str, unit_code: str) -> str:
    """A TIMEX3 duration of ``num`` units; a half is written in the next smaller unit ("5 1/2 hours": PT5H30M)."""
    if num.endswith(".5") and unit_code == "W":  # "a week and a half": P10DT12H
        return f"P{int(float(num)) * 7 + 3}DT12H"
    if num.endswith(".5") and unit_code in _HALF_OF:
        whole, (half, smaller) = int(float(num)), _HALF_OF[unit_code]
        if unit_code in ("DE", "CE"):
            return f"P{whole * (10 if unit_code == 'DE' else 100) + half}Y"
        head = _duration(str(whole), unit_code) if whole else "P"
        tail = _duration(str(half), smaller)[1:]
        return head + (tail if "T" not in head or not tail.startswith("T") else tail[1:])
    if unit_code in ("H", "MIN", "S"):
        return f"PT{num}{'M' if unit_code == 'MIN' else unit_code}"
    if unit_code == "2W":
        return "P2W" if num == "1" else ("PXW" if num == "X" else f"P{2 * int(float(num))}W")
    if unit_code == "DE":
        return "PXDE" if num == "X" else (f"P{int(float(num) * 10)}Y" if float(num).is_integer() else f"P{num}DE")
    if unit_code == "CE":
        return "PXCE" if num == "X" else f"P{num}CE"
    return f"P{num}{unit_code}"


def _num_mod(m: re.Match) -> str:
    groups = m.groupdict()
    return MODS.get((groups.get("nummod") or groups.get("approx") or "").lower(), "")


def _premod(m: re.Match) -> str:
    text = (m.groupdict().get("premod") or "").lower().rstrip()
    return MODS.get(text, MODS.get(text.rstrip("-"), "")) if text else ""


# ---------------------------------------------------------------------------------------------- normalisers


def year_number(text: str) -> int:
    """A year written in digits or words: "1996", "nineteen ninety-six", "two thousand and one"."""
    if text[:1].isdigit():
        return int(text)
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if words[:2] == ["two", "thousand"]:
        return 2000 + sum(NUMBER_WORDS[w] for w in words[2:])
    return NUMBER_WORDS[words[0]] * 100 + sum(NUMBER_WORDS[w] for w in words[1:])


def _full_date(m: re.Match, ctx: Context):
    return "DATE", f"{year_number(m['year']):04d}-{MONTHS[m['mon'].lower().rstrip('.')]:02d}-{int(m['day']):02d}", ""


def _iso_date(m: re.Match, ctx: Context):
    return "DATE", f"{m['year']}-{m['m']}-{m['d']}", ""


def _month_day(m: re.Match, ctx: Context):
    month, day = MONTHS[m["mon"].lower().rstrip(".")], int(m["day"])
    if ctx.dct is None:
        return "DATE", f"XXXX-{month:02d}-{day:02d}", ""
    weekday = WEEKDAYS[m["wd"].lower()] if m.groupdict().get("wd") else None
    date = resolve.day_of_year(ctx.dct, month, day, ctx.direction(), weekday)
    return ("DATE", date.isoformat(), "") if date else None


def _month_year(m: re.Match, ctx: Context):
    return "DATE", f"{year_number(m['year']):04d}-{MONTHS[m['mon'].lower().rstrip('.')]:02d}", _premod(m)


def _month(m: re.Match, ctx: Context):
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


def _year(m: re.Match, ctx: Context):
    before = m.string[max(m.start() - 25, 0):m.start()]
    if not m["premod"] and (_RE_COUNT_BEFORE.search(before) or (
            _RE_COUNT_AFTER.match(m.string, m.end()) and not _RE_PREPOSITION_BEFORE.search(before))):
        return None
    return "DATE", m["year"], _premod(m)


def _year_range_end(m: re.Match, ctx: Context):
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


def _fiscal_year(m: re.Match, ctx: Context):
    return "DATE", f"{year_number(m['year']):04d}", ""  # TimeBank annotates "fiscal 1989" as 1989


_RE_TEMPERATURE = re.compile(r"\b(?:highs?|lows?|temperatures?|degrees|heat|thermometers?|mercury)\b[^.;]{0,25}$",
                             re.I)


def _decade(m: re.Match, ctx: Context):
    if m["short"] and "'" not in m[0] and _RE_TEMPERATURE.search(ctx.text, max(ctx.start - 40, 0), ctx.start):
        return None  # "highs in the 90s"; "the '90s" is a decade whatever comes before
    if m["dec"]:
        return "DATE", m["dec"][:3], _premod(m)
    short = int(m["short"])
    century = 19 if ctx.dct is None or short > ctx.dct.year % 100 else ctx.dct.year // 100
    return "DATE", f"{century:02d}{short // 10}", _premod(m)


def _spelled_year(m: re.Match, ctx: Context):
    if _words(m["year"]) == "two thousand" and not m[0].lower().startswith("the"):
        return None  # "more than two thousand years": a count, unless "the year two thousand"
    return "DATE", f"{year_number(m['year']):04d}", ""


_DECADE_WORDS = {word[:-1] + "ies": tens // 10 for word, tens in _TENS.items()}  # "twenties": 2 ... "nineties": 9


def _decade_word(m: re.Match, ctx: Context):
    """ "the nineties": the latest such decade begun by the DCT (the 1900s' without one)."""
    tens = _DECADE_WORDS[m["word"].lower()]
    century = 19 if ctx.dct is None or tens * 10 > ctx.dct.year % 100 else ctx.dct.year // 100
    return "DATE", f"{century:02d}{tens}", _premod(m)


def _century(m: re.Match, ctx: Context):
    number = int(m["ord"]) if m["ord"] else ORDINAL_WORDS[m["word"].lower()]
    if not 1 <= number <= 99:
        return None
    return "DATE", f"{number - 1:02d}", _premod(m)


ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                 "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                 "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                 "nineteenth": 19, "twentieth": 20, "twenty-first": 21, "twenty-second": 22}


def _weekday(m: re.Match, ctx: Context):
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


def _deictic_day(m: re.Match, ctx: Context):
    word = _words(m["deixis"])
    part = PARTS_OF_DAY.get((m["part"] or "").lower(), "")
    if word in ("tonight", "last night"):
        part = "NI"
    if ctx.dct is None:
        return "DATE", "XXXX-XX-XX" + (f"T{part}" if part else ""), ""
    shift = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    value = (ctx.dct + dt.timedelta(days=shift)).isoformat()
    return ("DATE", f"{value}T{part}", _premod(m)) if part else ("DATE", value, _premod(m))


def _this_part_of_day(m: re.Match, ctx: Context):
    part = PARTS_OF_DAY[m["part"].lower()]
    return "TIME", (ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX") + f"T{part}", ""


def _ref(value: str) -> Normaliser:
    return lambda m, ctx: ("DATE", value, "")


def _relative_unit(m: re.Match, ctx: Context):
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


def _weekend(m: re.Match, ctx: Context):
    if ctx.dct is None:
        return "DATE", "XXXX-WXX-WE", ""
    direction = ctx.direction()
    saturday = resolve.weekday(ctx.dct, 5, -1 if direction < 0 else (1 if direction > 0 else 0))
    return "DATE", f"{resolve.iso_week(saturday)}-WE", ""


def _ago(m: re.Match, ctx: Context):
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


def _year_earlier(m: re.Match, ctx: Context):
    return ("DATE", str(ctx.dct.year - 1), "") if ctx.dct else ("DATE", "XXXX", "")


def _the_quarter(m: re.Match, ctx: Context):
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


def _duration_rule(m: re.Match, ctx: Context):
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
    return "DURATION", _duration(num, UNITS[unit]), _num_mod(m)


def _the_past_unit(m: re.Match, ctx: Context):
    """"the last quarter", "the past year", "the previous week": the calendar unit just ended (TBAQ and MEANTIME
    both write "the past year" as the year before, "the last quarter" as the quarter before); "the next month",
    "the past decade" (each gold writes it both ways; as a decade it would date the narrative a decade back) and
    units shorter than a week: a duration."""
    unit = UNITS[m["unit"].lower()]
    if m["which"].lower() in ("past", "last", "previous") and unit in ("W", "M", "Q", "Y") and ctx.dct:
        value = resolve.shift(ctx.dct, unit, -1)
        if value:
            return "DATE", value, ""
    return _duration_rule(m, ctx)


def _duration_long(m: re.Match, ctx: Context):
    return "DURATION", _duration("X" if m["plural"] else "1", UNITS[m["unit"].lower()]), ""


def _vague_duration(m: re.Match, ctx: Context):
    return "DURATION", _duration("X", UNITS[m["unit"].lower()]), ""


_ANAPHORIC_UNITS = {"day": "D", "morning": "D", "afternoon": "D", "evening": "D", "night": "D", "week": "W",
                    "month": "M", "quarter": "Q", "year": "Y"}
_ANAPHORIC_SHIFT = {"that": 0, "same": 0, "following": 1, "next": 1, "previous": -1, "prior": -1}


def _anaphoric(m: re.Match, ctx: Context):
    """ "that day", "the same day", "the following year", "the next morning": relative to the text's latest
    reference time (``_anchor``); the publication date until one is found."""
    unit, which = m["unit"].lower(), m["which"].lower()
    code, shift = _ANAPHORIC_UNITS[unit], _ANAPHORIC_SHIFT[which]
    if (which == "that") == bool(m["the"]) or (which == "next" and code != "D"):
        return None  # "the following year" and "that year", not "following year"; "the next year" is a duration
    part = PARTS_OF_DAY.get(unit, "")
    if ctx.dct is None:
        value = {"D": "XXXX-XX-XX", "W": "XXXX-WXX", "M": "XXXX-XX", "Q": "XXXX-QX", "Y": "XXXX"}[code]
    else:
        value = resolve.shift(ctx.dct, code, shift)
    return ("DATE", value + (f"T{part}" if part else ""), "") if value else None


def _the_year(m: re.Match, ctx: Context):
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


def _the_month(m: re.Match, ctx: Context):
    return "DATE", ctx.dct.isoformat()[:7] if ctx.dct else "XXXX-XX", _premod(m)


def _year_end(m: re.Match, ctx: Context):
    """ "by year-end", "since year-end" (the last one): the year, at its end."""
    if ctx.dct is None:
        return "DATE", "XXXX", "END"
    return "DATE", f"{ctx.dct.year - (m['prep'].lower() == 'since'):04d}", "END"


def _week_of(m: re.Match, ctx: Context):
    result = _full_date(m, ctx) if m["year"] else _month_day(m, ctx)
    if result is None or not _RE_DAY_VALUE.match(result[1]):
        return None
    return "DATE", resolve.iso_week(dt.date.fromisoformat(result[1])), ""


def _holiday(m: re.Match, ctx: Context):
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


def _season_year(m: re.Match, ctx: Context):
    return "DATE", f"{year_number(m['year']):04d}-{SEASON_CODES[m['season'].lower()]}", _premod(m)


def _season(m: re.Match, ctx: Context):
    code = SEASON_CODES[m["season"].lower()]
    if ctx.dct is None:
        return "DATE", f"XXXX-{code}", _premod(m)
    relation = {-1: "past", 1: "future", 0: "nearest"}[ctx.direction()]
    return "DATE", resolve.season(ctx.dct, code, relation), _premod(m)


def _year_period(m: re.Match, ctx: Context):
    year = year_number(m["year"])
    q = ORDINAL_WORDS[m["ord"].lower()] if m["ord"] else None
    return "DATE", f"{year:04d}-Q{q}" if q else f"{year:04d}", ""


def _half(m: re.Match, ctx: Context):
    half = 1 if m["which"].lower() == "first" else 2
    if m["year"]:
        return "DATE", f"{year_number(m['year']):04d}-H{half}", ""
    if ctx.dct is None:
        return "DATE", f"XXXX-H{half}", ""
    return "DATE", f"{ctx.dct.year + {'last': -1, 'next': 1}.get(m['rel'].lower(), 0):04d}-H{half}", ""


def _quarter(m: re.Match, ctx: Context):
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


def _clock(m: re.Match, ctx: Context):
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


def _clock_part(m: re.Match, ctx: Context):
    hour, minute = int(m["h"]), int(m["min"] or 0)
    part = (m["part"] or m["night"]).lower()
    if part == "morning" and hour == 12 or part in ("afternoon", "evening") and hour < 12 or (
            part == "night" and 6 <= hour < 12):
        hour = (hour + 12) % 24
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return "TIME", f"{day}T{hour:02d}:{minute:02d}", ""


def _part_of_day(m: re.Match, ctx: Context):
    part = PARTS_OF_DAY[m["part"].lower()]
    if ctx.dct is None:
        return "TIME", f"XXXX-XX-XXT{part}", _premod(m)
    day = ctx.dct + dt.timedelta(days={"yesterday": -1, "tomorrow": 1}.get((m["deixis"] or "").lower(), 0))
    return "TIME", f"{day.isoformat()}T{part}", _premod(m)


def _noon(m: re.Match, ctx: Context):
    day = ctx.dct.isoformat() if ctx.dct else "XXXX-XX-XX"
    return "TIME", f"{day}T{'24:00' if m[0].lower() == 'midnight' else '12:00'}", ""


def _set_weekday(m: re.Match, ctx: Context):  # "every Tuesday", "every Tuesday night", "on Sundays"
    part = PARTS_OF_DAY.get((m["part"] or "").lower(), "")
    return "SET", f"XXXX-WXX-{WEEKDAYS[m['wd'].lower()] + 1}" + (f"T{part}" if part else ""), ""


def _set_part_of_day(m: re.Match, ctx: Context):  # "every morning"
    return "SET", f"XXXX-XX-XXT{PARTS_OF_DAY[m['part'].lower()]}", ""


def _set_month(m: re.Match, ctx: Context):
    return "SET", f"XXXX-{MONTHS[m['mon'].rstrip('.').lower()]:02d}", ""


def _set_unit(m: re.Match, ctx: Context):
    # adverbs of a unit, not "quarterly" or "annual(ly)": TBAQ leaves "quarterly dividend" and four of six "annually"
    # untagged
    unit = {"daily": "D", "weekly": "W", "monthly": "M", "yearly": "Y", "hourly": "H"}.get(m[0].lower()) \
        or UNITS[m["unit"].lower()]
    return "SET", _duration("2" if m["other"] else _number(m["num"]) if m["num"] else "1", unit), ""


_AFTER_A_TIME_PREPOSITION = "(?:" + "|".join(rf"(?<=\b{w}\s)" for w in (
    "at", "At", "by", "until", "before", "after", "around", "about", "from", "since", "to")) + ")"
_TIME_WORDS = r"(?P<part>morning|afternoon|evening|night)"
# "the March for Life", "the March on Washington", "the March of the Combatant Mothers": a march, not the month
_NOT_A_MARCH = r"(?<!March(?=\s+(?:for|on|against)\s+[A-Z]))(?<!March(?=\s+of\s+the\s+[A-Z]))"
RULES: list[tuple[str, re.Pattern, Normaliser]] = [
    ("full_date", re.compile(r"(?:" + _WEEKDAY + r",?\s+)?" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR), _full_date),
    ("full_date_dmy", re.compile(r"(?:" + _WEEKDAY + r",?\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r",?\s+"
                                 + _YEAR), _full_date),
    ("iso_date", re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"), _iso_date),
    ("month_day", re.compile(r"(?:" + _WEEKDAY + r",?\s+)?" + _MONTH + r"\s+" + _DAY + r"(?!\s*,?\s*\d)"),
     _month_day),
    ("day_month", re.compile(r"\b(?:" + _WEEKDAY + r",?\s+)?(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MONTH),
     _month_day),  # "26 March", "Tuesday 26 March", "the 26th of March"
    ("month_year", re.compile(_PRE_MOD + _MONTH + r",?\s+(?:of\s+)?" + _YEAR), _month_year),
    ("month", re.compile(_PRE_MOD + r"(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his\s+(?:past|coming)|[Tt]his|[Pp]ast|"
                         r"[Cc]oming)\s+)?(?P<mon>January|February|March|April|June|July|August|September|October|November|"
                         r"December)\b(?!\s+\d)" + _NOT_A_MARCH), _month),
    ("month_may_relative", re.compile(r"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his\s+past|[Tt]his)\s+(?P<premod>)"
                                      r"(?P<mon>May)\b(?!\s+\d)"), _month),
    ("month_may", re.compile(r"\b(?:in|since|until|by|of|from|through|during|early|late|mid|last|next)\s+"
                             r"(?P<tx>(?P<rel>)(?P<premod>)(?P<mon>May)\b)(?!\s+\d)"), _month),
    ("fiscal_year", re.compile(r"\b(?:fiscal(?:\s+year)?|FY)\s*'?" + _YEAR, re.I), _fiscal_year),
    ("decade", re.compile(r"\b(?:the\s+)?" + _PRE_MOD + r"(?:(?P<dec>(?:1[0-9]|20)\d0)s\b|'(?P<short>\d0)s\b)"),
     _decade),
    # "the 90s", "the late 60s"; not a temperature ("highs in the 90s": _decade checks)
    ("decade_short", re.compile(r"\bthe\s+" + _PRE_MOD + r"(?P<dec>)(?P<short>[1-9]0)s\b(?!\s+(?:degrees|F)\b)"),
     _decade),
    ("spelled_year", re.compile(r"\b(?:the\s+year\s+)?(?P<year>" + _SPELLED_YEAR + ")", re.I), _spelled_year),
    ("decade_word", re.compile(r"\bthe\s+" + _PRE_MOD + r"(?P<word>" + "|".join(_DECADE_WORDS) + r")\b", re.I),
     _decade_word),
    ("century", re.compile(r"\b(?:the\s+)?" + _PRE_MOD + r"(?:(?P<ord>\d{1,2})(?:st|nd|rd|th)|(?P<word>"
                           + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + r"))\s+century\b", re.I),
     _century),
    ("year", re.compile(_PRE_MOD + r"(?<![\d$.,:/])" + _BARE_YEAR + _NOT_A_YEAR), _year),
    # the second year of a range: "the 1998-1999 season", "the winter of 1988-89" name both years
    ("year_range_end", re.compile(r"(?<=\b1[5-9]\d\d[-\u2013]|\b20\d\d[-\u2013])(?P<end>" + _YEAR_RANGE_END + ")"),
     _year_range_end),
    ("holiday", re.compile(r"\b(?:(?P<rel>last|next|this)\s+)?(?P<holiday>" + _HOLIDAYS + r")\b" + _NOT_A_NAME
                           + r"(?:,?\s+" + _YEAR + r")?"), _holiday),
    ("season_year", re.compile(_PRE_MOD + r"(?:the\s+)?(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)"
                               r"\s+(?:of\s+)?" + _YEAR), _season_year),
    ("relative_unit", re.compile(r"\b(?P<tx>(?:(?P<premod>earlier|later|early|late|the (?:beginning|start|"
                                 r"end|middle) of)\s+)?(?P<rel>this\s+past|last|next|this|past|coming|previous|"
                                 r"current)\s+"
                                 r"(?P<unit>weekend|week|month|quarter|year|decade|century|spring|summer|fall|autumn|"
                                 r"winter)\b)", re.I), _relative_unit),
    ("the_weekend", re.compile(r"\b(?:the|this)\s+(?P<unit>weekend)\b(?P<rel>)(?P<premod>)", re.I), _weekend),
    ("season", re.compile(r"\b(?i:in|during|by|until|since|over|into|through|throughout|from|for)\s+(?P<tx>(?:the\s+)?"
                          + _PRE_MOD
                          + r"(?P<season>spring|summer|autumn|winter)\b)(?!\s+(?:of\s+)?\d)"), _season),
    ("weekday", re.compile(r"\b(?:(?P<premod>early|late)\s+)?(?:(?P<rel>last|next|this\s+(?:past|coming)|this|"
                           r"coming)\s+)?" + _WEEKDAY + r"(?!s)(?:\s+" + _TIME_WORDS
                           + r")?(?=(?P<poss>" + _APOS + r"s\b)?)", re.I), _weekday),
    ("deictic_day", re.compile(r"\b(?<!USA\s)(?:(?P<premod>late|early)\s+)?"  # not the paper "USA Today"
                               r"(?P<deixis>today|yesterday|tomorrow|tonight|last\s+night)\b"
                               r"(?:\s+(?P<part>morning|afternoon|evening|night))?", re.I), _deictic_day),
    ("this_part_of_day", re.compile(r"\bthis\s+(?P<part>morning|afternoon|evening)\b", re.I), _this_part_of_day),
    ("present_ref", re.compile(r"\b(?:right\s+now|now|currently|nowadays|these days|at present|"
                               r"current(?!\s+(?:\w+\s+)?(?:"
                               + _UNIT_NAMES + r")))\b", re.I), _ref("PRESENT_REF")),
    ("past_ref", re.compile(r"\b(?:recently|the past|recent)\b(?!\s+(?:\w+\s+)?(?:" + _UNIT_NAMES
                            + r"))", re.I), _ref("PAST_REF")),
    # "the future", not the film "Back to the Future"
    ("future_ref", re.compile(r"\bthe\s+(?:(?:near|distant|foreseeable)\s+)?(?-i:future)\b", re.I),
     _ref("FUTURE_REF")),
    ("vague_plural", re.compile(r"\b(?:for|within|in)\s+(?P<tx>(?P<unit>minute|hour|day|week|month|year|decade)s)\b",
                                re.I), _vague_duration),
    ("ago", re.compile(r"\b" + _APPROX + r"(?P<tx>(?:" + _NUM_MOD + _NUM + r"\s+)?" + _UNIT + r"\s+(?:ago|earlier)\b)",
                       re.I), _ago),  # "two years ago", "years ago"
    ("year_earlier", re.compile(r"\b(?:the\s+(?=year-\w+\s+(?:(?:first|second|third|fourth)\s+)?(?:quarter|period)))?"
                                r"year-(?:earlier|ago)(?:\s+(?:(?:first|second|third|fourth)\s+)?(?:quarter|period))?\b",
                                re.I), _year_earlier),
    ("duration", re.compile(r"\b" + _NOT_A_RATE + _APPROX + r"(?P<tx>" + _NUM_MOD + r"(?:the\s+(?:(?:past|last|"
                            r"next|coming|previous|first|final)\s+)?)?" + _NUM
                            + r"(?P<andhalf>\s+and\s+a\s+half)?(?:\s+(?:more|additional|extra|further))?\s+"
                            + _UNIT + r"(?P<half>\s+and\s+a\s+half\b)?)(?![\s-]+old\b)",
                            re.I), _duration_rule),
    # "a 14-day strike"; singular only ("three-quarters" is a share, not a time); not an age ("6-year-old")
    ("duration_adjective", re.compile(r"\b" + _APPROX + r"(?P<tx>" + _NUM_MOD + _NUM + r"-" + _ONE_UNIT
                                      + r")(?!-old\b)", re.I), _duration_rule),
    # "a day-long meeting", "the decades-long feud"
    ("duration_long", re.compile(r"\b(?P<unit>" + _UNIT_NAMES + r")(?P<plural>s)?-long\b", re.I), _duration_long),
    ("anaphoric", re.compile(r"\b(?:(?:earlier|later)\s+)?(?P<the>the\s+)?(?P<which>that|following|previous|prior|"
                             r"next|same)\s+(?:same\s+)?(?P<unit>day|morning|afternoon|evening|night|week|month|quarter|"
                             r"year)\b(?!-)", re.I), _anaphoric),
    ("the_year", re.compile(r"\b(?<!time of )(?:(?P<premod>the (?:beginning|start|end|middle) of)\s+)?the\s+"
                            r"(?P<which>full\s+|fiscal\s+|current\s+(?:fiscal\s+)?|latest\s+(?:fiscal\s+)?)?"
                            r"(?P<unit>(?-i:year|week))\b(?:\s+(?P<year>(?:1[0-9]|20)\d\d)\b(?![,.]\d)|(?![-'\u2019]|"
                            r"\s+\d|\s+(?:before|after|earlier|later|ago|of|two|nineteen|twenty)\b))"
                            r"(?=(?P<ended>\s+(?:ended|ending|(?:up\s+)?to(?!\s+date))\b)?)",
                            re.I), _the_year),
    # "the end of the month": the month the text speaks of (``_anchor``), not "the month of May"
    ("the_month", re.compile(r"\b(?:(?P<premod>the (?:beginning|start|end|middle) of)\s+)?the\s+month\b"
                             r"(?!\s+(?:of|before|after|earlier|later|ago)\b|[-\d])", re.I), _the_month),
    ("year_end", re.compile(r"\b(?P<prep>by|at|around|before|until|since|through|after)\s+"
                            r"(?P<tx>year(?:-|\s+)end|year's\s+end)\b", re.I), _year_end),
    ("week_of", re.compile(r"\bthe\s+week\s+of\s+(?:" + _MONTH + r"\s+" + _DAY + r"(?:,?\s+" + _YEAR + r")?)"),
     _week_of),
    ("near_term", re.compile(r"\bthe\s+(?:near|short)\s+term\b", re.I), _ref("FUTURE_REF")),
    ("coming_units", re.compile(r"\b(?:the\s+)?coming\s+(?P<unit>day|week|month|quarter|year|decade)s\b", re.I),
     _vague_duration),
    ("units_ahead", re.compile(r"\bthe\s+(?P<unit>day|week|month|year)s\s+ahead\b", re.I), _vague_duration),
    ("the_past_unit", re.compile(r"\bthe\s+(?P<which>past|last|next|coming|previous)\s+(?P<num>)" + _ONE_UNIT
                                 + r"(?P<nummod>)", re.I), _the_past_unit),
    ("recent_units", re.compile(r"\b(?P<tx>(?:recent|the\s+(?:past|last|coming|next)\s+(?:few|several))\s+"
                                + _UNIT + ")", re.I), _vague_duration),
    # "the 1988 second quarter", "the 1988 quarter", "the 1989 period": a year's quarter (the one the report is
    # about, when the text names none: ``_anchor``)
    ("year_period", re.compile(r"\bthe\s+(?:comparable\s+)?" + _YEAR + r"\s+(?:(?P<ord>first|second|third|fourth)"
                               r"(?:[\s-]+fiscal)?[\s-]+)?(?:quarter|period)\b", re.I), _year_period),
    ("half", re.compile(r"\b(?:the\s+)?(?P<which>first|second|last|latter)\s+half\s+of\s+(?:(?P<rel>this|last|next|the)"
                        r"\s+year|(?:fiscal\s+)?" + _YEAR + r")\b", re.I), _half),
    ("year_quarter", re.compile(r"\b(?P<rel>this|last|next)\s+year's\s+(?P<ord>first|second|third|fourth)"
                                r"(?:[\s-]+fiscal)?[\s-]+quarter\b(?P<year>)", re.I), _quarter),
    ("quarter", re.compile(r"\b(?:the\s+(?!\w+-quarter))?(?:fiscal[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|"
                           r"3rd|4th)"
                           r"(?:[\s-]+fiscal)?[\s-]+quarter\b(?:\s+(?:of\s+)?(?:fiscal\s+)?" + _YEAR + r")?", re.I),
     _quarter),
    ("quarter_q", re.compile(r"\b(?P<ord>Q[1-4])\b(?:[\s/-]+" + _YEAR + r")?"), _quarter),  # "Q4 2014", "Q2"
    ("the_quarter", re.compile(r"\bthe\s+(?:(?P<which>latest|most recent|current|just-ended|recent)\s+)?quarter\b"
                               r"|\bthe\s+(?P<period>latest|most recent)\s+period\b", re.I), _the_quarter),
    ("clock", re.compile(r"\b(?<![:.])(?P<h>[0-2]?\d)(?:[:.](?P<min>[0-5]\d)(?::(?P<sec>[0-5]\d))?)?\s*"
                         r"(?P<ap>[ap]\.m\.|[ap]m\b)(?:\s*(?P<paren>\()?(?P<zone>(?-i:UTC|GMT))\b" + _UTC_OFFSET
                         + r"?(?(paren)\)))?", re.I), _clock),
    ("clock_utc", re.compile(r"\b(?<![:.])(?:(?P<h>[0-2]\d):?|(?P<h1>\d):)(?P<min>[0-5]\d)(?::(?P<sec>[0-5]\d))?"
                             r"(?P<ap>)\s*(?:(?P<zone>UTC|GMT)\b" + _UTC_OFFSET + r"?|BST|CES?T|EES?T|MSK|local\s+time)"
                             r"\b"), _clock),
    # "at 13:40", "by 09:15": a 24-hour clock after a preposition of time ("3:30" alone may be a score)
    ("clock_24", re.compile(_AFTER_A_TIME_PREPOSITION + r"(?P<h>[01]\d|2[0-3]):(?P<min>[0-5]\d)(?P<sec>)(?P<ap>)"
                            r"(?![:.]?\d)(?!\s*[AaPp]\.?[Mm])"), _clock),
    # "at 4 in the morning", "by 10:30 at night" (not "killed 4 in the morning attack")
    ("clock_part", re.compile(_AFTER_A_TIME_PREPOSITION + r"(?P<h>1[0-2]|0?[1-9])(?::(?P<min>[0-5]\d))?\s+"
                              r"(?:o'clock\s+)?(?:in\s+the\s+(?P<part>morning|afternoon|evening)|at\s+(?P<night>night))\b",
                              re.I), _clock_part),
    # "by mid afternoon", "at mid-afternoon yesterday", "until early evening"
    ("part_of_day", re.compile(_AFTER_A_TIME_PREPOSITION + r"(?P<premod>early[- ]|late[- ]|mid[- ]?(?!night))"
                               r"(?P<part>morning|afternoon|evening|night)\b(?:\s+(?P<deixis>yesterday|today|tomorrow))?",
                               re.I), _part_of_day),
    # not "the midnight sun", "high noon"
    ("noon", re.compile(r"\b(?<!\bhigh\s)(?:noon|midday|midnight)\b(?!\s+sun\b)", re.I), _noon),
    ("set_weekday", re.compile(r"\b(?:every|each)\s+" + _WEEKDAY + r"(?:\s+" + _TIME_WORDS + r"\b)?", re.I),
     _set_weekday),
    # "on Sundays", "Tuesday nights"; not the movement "Fridays for Future"
    ("weekdays", re.compile(r"\b(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)(?:\s+" + _TIME_WORDS
                            + r")?s\b(?!\s+(?-i:for\s+[A-Z]))", re.I), _set_weekday),
    ("set_part_of_day", re.compile(r"\b(?:every|each)\s+" + _TIME_WORDS + r"\b", re.I), _set_part_of_day),
    ("set_month", re.compile(r"\b(?:[Ee]very|[Ee]ach)\s+" + _MONTH + _NOT_A_MARCH), _set_month),  # "each July"
    # "every two weeks", "every other year"; not a paper's name ("the Daily Telegraph")
    ("set_unit", re.compile(r"\b(?:(?:every|each)\s+(?:(?P<other>other)\s+|" + _NUM + r"\s+)?(?P<unit>" + _UNIT_NAMES
                            + r")s?|(?-i:daily|weekly|monthly|yearly|hourly|(?:Daily|Weekly|Monthly|Yearly|Hourly)"
                            r"(?!\s+[A-Z])))\b", re.I), _set_unit),
]


def first_characters(pattern: re.Pattern) -> str | None:
    """A character class of what a match of ``pattern`` can start with ("[\\dAa]"), read off its parse; None when
    that cannot be told (a pattern that may match the empty string, a negated class, ``.``, a backreference)."""
    from re import _constants as K
    from re import _parser

    categories = {K.CATEGORY_DIGIT: r"\d", K.CATEGORY_SPACE: r"\s", K.CATEGORY_WORD: r"\w"}

    def chars_of(op, av, fold: bool) -> set | None:
        if op is K.LITERAL:
            return {re.escape(c) for c in {chr(av), *([chr(av).swapcase()] if fold else [])}}
        if op is K.RANGE and not fold:
            return {f"\\u{av[0]:04x}-\\u{av[1]:04x}"}
        if op is K.CATEGORY and av in categories:
            return {categories[av]}
        return None

    def first(items, fold: bool) -> tuple[set | None, bool]:  # (what the sequence can start with, may it be empty)
        out: set = set()
        for op, av in items:
            if op in (K.AT, K.ASSERT, K.ASSERT_NOT):  # zero width: look past them
                continue
            if op in (K.LITERAL, K.RANGE, K.CATEGORY) or op is K.IN:
                parts = [chars_of(o, a, fold) for o, a in (av if op is K.IN else [(op, av)])]
                if any(p is None for p in parts) or op is K.IN and av and av[0][0] is K.NEGATE:
                    return None, False
                return out.union(*parts), False
            if op in (K.SUBPATTERN, K.ATOMIC_GROUP, K.BRANCH, K.MAX_REPEAT, K.MIN_REPEAT, K.POSSESSIVE_REPEAT):
                if op is K.SUBPATTERN:
                    subs, minimum, fold = [av[-1]], 1, fold or bool(av[1] & re.IGNORECASE)
                elif op is K.ATOMIC_GROUP:
                    subs, minimum = [av], 1
                elif op is K.BRANCH:
                    subs, minimum = av[1], 1
                else:
                    subs, minimum = [av[2]], av[0]
                found = [first(sub, fold) for sub in subs]
                if any(f is None for f, _ in found):
                    return None, False
                out = out.union(*(f for f, _ in found))
                if minimum > 0 and not any(empty for _, empty in found):
                    return out, False
                continue
            return None, False  # ".", a negated literal, a backreference...
        return out, True

    found, empty = first(_parser.parse(pattern.pattern, pattern.flags), False)
    return None if found is None or empty or not found else "[" + "".join(sorted(found)) + "]"


def _guarded(pattern: re.Pattern) -> re.Pattern:
    """``pattern`` behind a lookahead of its first characters: the same matches, but a position where none can
    start fails at once, instead of after every alternative of an optional prefix and every lookbehind ("May 5"
    with an optional weekday before it; a duration's six lookbehinds): a third less time in the rules' regexes."""
    chars = first_characters(pattern)
    return pattern if chars is None else re.compile(f"(?={chars})" + pattern.pattern, pattern.flags)


RULES = [(name, _guarded(pattern), normaliser) for name, pattern, normaliser in RULES]


# The last word of a _NUM ("30", "5 1/2", "twenty-four", "a couple of", "several"): a duration's unit word comes
# after one and whitespace ("30 days"), and most unit words do not ("last year", "the day", "Monday").
_RE_NUMBER_END = re.compile(r"(?:\d|1/2|\u00bd|\b(?:" + "|".join(
    _SMALL[1:] + list(_TENS) + ["a", "an", "of", "couple", "more", "additional", "extra", "further", "dozen", "few",
                                "several", "some", "many", "hundred", "half"])
    + r"))$")


def _after(pattern: re.Pattern, lower: str, i: int) -> bool:
    """Whether whitespace and then a word that ends a match of ``pattern`` come just before ``i``."""
    if not i or not lower[i - 1].isspace():
        return False
    while i and lower[i - 1].isspace():
        i -= 1
    return pattern.search(lower, max(i - 12, 0), i) is not None


def _preceded_by(pattern: re.Pattern) -> Callable[[str, int, int], bool]:
    """A ``Words.around`` test: the word comes after whitespace and a word ending a match of ``pattern``."""
    return lambda lower, i, end: _after(pattern, lower, i)


def _followed_by(pattern: re.Pattern) -> Callable[[str, int, int], bool]:
    """A ``Words.around`` test: ``pattern`` matches just after the word."""
    return lambda lower, i, end: pattern.match(lower, end) is not None


def _after_digit_or_space(text: str, i: int, end: int) -> bool:  # "10 a.m.", "10am", not "America"
    return i > 0 and (text[i - 1].isdigit() or text[i - 1].isspace())


def _after_year(lower: str, i: int, end: int) -> bool:  # "year-end", "year end", "year's  end" (any whitespace)
    j = i
    while j and lower[j - 1].isspace():
        j -= 1
    return lower.endswith("year-" if j == i else ("year", "year's"), max(j - 6, 0), j)


_after_a_number = _preceded_by(_RE_NUMBER_END)  # "30 days"
_after_a_unit_word = _preceded_by(re.compile(r"(?:" + _UNIT_NAMES + r")s?$"))  # "three years ago"
_after_for_within_in = _preceded_by(re.compile(r"\b(?:for|within|in)$"))  # "for years"
_after_the = _preceded_by(re.compile(r"\b(?:the|full|fiscal|current|latest)$"))  # "the year", "the fiscal year"
_after_the_word = _preceded_by(re.compile(r"\bthe$"))  # "the month"
_after_early_late_or_mid = _preceded_by(re.compile(r"\b(?:early|late|mid)$"))  # "late afternoon"


def _after_early_late_or_mid_or_hyphen(lower: str, i: int, end: int) -> bool:  # "mid afternoon", "mid-afternoon"
    return lower.endswith(("mid-", "early-", "late-"), 0, i) or _after_early_late_or_mid(lower, i, end)


_after_the_or_at = _preceded_by(re.compile(r"\b(?:the|at)$"))  # "4 in the morning", "10 at night"
_before_a_relative_unit = _followed_by(re.compile(  # "last year", not "the last time"
    r"\s+(?:weekend|week|month|quarter|year|decade|century|spring|summer|fall|autumn|winter)\b"))
_before_one_unit = _followed_by(re.compile(r"\s+(?:" + _UNIT_NAMES + r")\b"))  # "the past week", "every month"
_before_a_part_of_day = _followed_by(re.compile(r"\s+(?:morning|afternoon|evening)\b"))  # "this morning"
_before_a_part_of_day_or_night = _followed_by(re.compile(r"\s+(?:morning|afternoon|evening|night)\b"))
_before_of = _followed_by(re.compile(r"\s+of\b"))  # "the week of March 2"
_after_near_or_short = _preceded_by(re.compile(r"\b(?:near|short)$"))  # "the near term"
_before_a_unit = _followed_by(re.compile(  # "that day", "the following year", not "said that"
    r"\s+(?:same\s+)?(?:day|morning|afternoon|evening|night|week|month|quarter|year)\b"))


_within_three_words_of_units = _followed_by(re.compile(r"(?:\s+\S+){0,3}?\s+(?:" + _UNIT_NAMES + r")s?\b"))


def _a_set_word(lower: str, i: int, end: int) -> bool:  # "daily", "weekly", "every week", "every two weeks"
    return lower[i] in "dwmyh" or _within_three_words_of_units(lower, i, end)


# Most rules need a word of a small set to match at all: they are run only in windows around such words instead
# of being tried at every position of the text. (Matching is unchanged: a window reaches as many tokens before and
# after its word as any match of the rule can, _REACH.) Words are found with str.find in the text (case-sensitive)
# or in its ASCII lower case, which is many times faster than a case-insensitive regex, and only the words that
# occur in one of the text's tokens (_present).
class Words(NamedTuple):
    words: tuple[str, ...]
    any_case: bool = True
    around: Callable[[str, int, int], bool] | None = None  # a test of the text around the word at [i, end)
    word_end: bool = False  # only where the text's word ends with it ("Mar." and "March", not "Market")
    word_start: bool = False  # only where the text's word starts with it ("now", not "know")


_ANCHOR_MONTH = Words(tuple(name.capitalize() for name in MONTHS), any_case=False, word_end=True)
_ANCHOR_MAY = Words(("May",), any_case=False, word_end=True)  # the rules for "May", which is also a verb
_ANCHOR_UNIT = Words(("second", "minute", "hour", "day", "week", "fortnight", "month", "quarter", "year", "decade",
                      "centur"))
_ANCHOR_WEEKDAY = Words(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
_ANCHOR_SEASON = Words(("spring", "summer", "fall", "autumn", "winter"))
_ANCHOR_YEAR = re.compile(r"(?:1[0-9]|20)\d\d")
_ANCHOR_RELATIVE = Words(("last", "next", "this", "past", "coming", "previous", "current"),
                         around=_before_a_relative_unit)
_ANCHORS: dict[str, Words | re.Pattern] = {
    "full_date": _ANCHOR_MONTH, "full_date_dmy": _ANCHOR_MONTH, "month_day": _ANCHOR_MONTH,
    "day_month": _ANCHOR_MONTH, "month_year": _ANCHOR_MONTH, "month": _ANCHOR_MONTH,
    "month_may_relative": _ANCHOR_MAY, "month_may": _ANCHOR_MAY, "century": Words(("century",)),
    "spelled_year": Words(("nineteen", "twenty", "two thousand")), "decade_word": Words(tuple(_DECADE_WORDS)),
    "iso_date": re.compile(r"\d{4}-"), "year_range_end": re.compile(r"\d{4}[-\u2013]\d\d"),
    "fiscal_year": Words(("fiscal", "fy")), "year": _ANCHOR_YEAR,
    "decade": Words(("0s",)), "decade_short": Words(("0s",)),
    "holiday": Words(("Christmas", "Year", "Independence", "Halloween", "Valentine", "Veterans", "Boxing", "Patrick",
                      "Bastille", "Thanksgiving", "Labor", "Memorial", "Election", "Easter", "Good"), False),
    "season_year": _ANCHOR_SEASON, "season": _ANCHOR_SEASON,
    "relative_unit": _ANCHOR_RELATIVE, "the_weekend": Words(("weekend",)), "weekday": _ANCHOR_WEEKDAY,
    "set_weekday": _ANCHOR_WEEKDAY, "weekdays": _ANCHOR_WEEKDAY, "set_month": _ANCHOR_MONTH,
    "set_part_of_day": Words(("every", "each"), around=_before_a_part_of_day_or_night),
    "deictic_day": Words(("today", "yesterday", "tomorrow", "tonight", "night")),
    "this_part_of_day": Words(("this",), around=_before_a_part_of_day),
    "present_ref": Words(("now", "current", "these days", "at present"), word_start=True),  # not "know"
    "past_ref": Words(("recent", "the past")), "future_ref": Words(("future",)),
    "vague_plural": Words(("minutes", "hours", "days", "weeks", "months", "years", "decades"),
                          around=_after_for_within_in),
    "ago": Words(("ago", "earlier"), around=_after_a_unit_word), "year_earlier": Words(("year-earlier", "year-ago")),
    "duration": _ANCHOR_UNIT._replace(around=_after_a_number),
    "duration_adjective": Words(tuple("-" + w for w in _ANCHOR_UNIT.words)),  # "14-day"
    "the_past_unit": Words(("past", "last", "next", "coming", "previous"), around=_before_one_unit),
    "recent_units": Words(("recent", "few", "several")), "year_quarter": Words(("year's",)),
    "quarter": Words(("quarter",)), "quarter_q": Words(("Q1", "Q2", "Q3", "Q4"), False),
    "year_period": Words(("quarter", "period")), "half": Words(("half",)),
    "the_quarter": Words(("quarter", "period")),
    "clock": Words(("a.m", "p.m", "am", "pm"), around=_after_digit_or_space, word_end=True),  # not "among"
    "clock_utc": Words(("UTC", "GMT", "BST", "CET", "CEST", "EET", "EEST", "MSK", "local time"), False),
    "clock_24": re.compile(r"\d\d:[0-5]\d"),
    "clock_part": Words(("morning", "afternoon", "evening", "night"), around=_after_the_or_at),
    "noon": Words(("noon", "midday", "midnight")),
    "part_of_day": Words(("morning", "afternoon", "evening", "night"), around=_after_early_late_or_mid_or_hyphen),
    "duration_long": Words(("-long",)),
    "anaphoric": Words(("that", "following", "previous", "prior", "next", "same"), around=_before_a_unit),
    "the_year": Words(("year", "week"), around=_after_the),
    "year_end": Words(("end",), around=_after_year), "week_of": Words(("week",), around=_before_of),
    "near_term": Words(("term",), around=_after_near_or_short), "coming_units": Words(("coming",)),
    "units_ahead": Words(("ahead",)), "the_month": Words(("month",), around=_after_the_word),
    "set_unit": Words(("every", "each", "daily", "weekly", "monthly", "yearly", "hourly"), around=_a_set_word),
}
# How far a rule's match may reach from the token holding its anchor word, in whitespace-separated tokens before
# and after, read off each pattern (a spelled year is up to four tokens: "two thousand and one"; _PRE_MOD up to
# three: "the beginning of"). Tokens, not characters, so that no run of whitespace can put a match out of reach.
_REACH: dict[str, tuple[int, int]] = {
    "full_date": (1, 5), "full_date_dmy": (3, 5), "iso_date": (0, 0), "month_day": (1, 1), "day_month": (5, 0),
    "month_year": (3, 5), "month": (5, 0), "month_may_relative": (2, 0), "month_may": (1, 0), "fiscal_year": (0, 5),
    "decade": (4, 0), "decade_short": (4, 0), "spelled_year": (2, 3), "decade_word": (4, 0), "century": (5, 0),
    "year": (3, 0), "year_range_end": (0, 0),
    "holiday": (2, 5), "season_year": (4, 5), "relative_unit": (4, 1), "the_weekend": (1, 0), "season": (5, 0),
    "weekday": (3, 1), "deictic_day": (2, 1), "this_part_of_day": (0, 1), "present_ref": (1, 0), "past_ref": (0, 0),
    "future_ref": (2, 0), "vague_plural": (1, 0), "ago": (7, 0), "year_earlier": (1, 2), "duration": (9, 3),
    "duration_adjective": (5, 0), "the_past_unit": (1, 1), "recent_units": (2, 1), "year_period": (8, 0),
    "half": (2, 6), "year_quarter": (1, 3), "quarter": (3, 6), "quarter_q": (0, 4), "the_quarter": (3, 0),
    "clock": (1, 2), "clock_utc": (1, 1), "clock_24": (1, 0), "clock_part": (4, 0), "noon": (0, 0),
    "part_of_day": (2, 1), "duration_long": (0, 0),
    "set_weekday": (1, 1), "weekdays": (0, 1), "set_part_of_day": (0, 1),
    "set_month": (1, 0), "set_unit": (0, 4),
    "anaphoric": (2, 2),
    "the_year": (6, 1), "year_end": (2, 0), "week_of": (1, 7), "near_term": (2, 0), "coming_units": (1, 1),
    "units_ahead": (2, 0), "the_month": (4, 0),
}
assert _REACH.keys() == _ANCHORS.keys()
_LOOKAHEAD_TOKENS = 3  # a rule's lookahead reads up to three tokens past its match ("March of the Combatant")
_RE_TOKENS = [re.compile(r"\S*(?:\s+\S+){0," + str(k) + "}") for k in range(10)]  # the rest of a token and k more
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_RE_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def ascii_lower(text: str) -> str:
    """``text`` with A-Z lowered and every offset kept, to look for ASCII words in: other letters are lowered as
    ``str.lower`` lowers them when that keeps the length and makes no ASCII letter of a character that was not one
    (of all of Unicode, only "\u0130" grows and only the Kelvin sign becomes "k"); else they are kept, and the
    ASCII runs lowered one by one. (``str.translate`` with a table looked each character up in a dict: a fifth of
    the tagger's time on Wikinews.)"""
    lower = text.lower()
    if len(lower) == len(text) and "\u212a" not in text:
        return lower
    parts, last = [], 0
    for m in _RE_NON_ASCII.finditer(text):
        parts += [text[last:m.start()].lower(), m[0]]
        last = m.end()
    parts.append(text[last:].lower())
    return "".join(parts)


# Anchors are looked up by number while tagging: hashing a Words (its tuple of words) at every lookup cost a tenth
# of the tagger's time.
_ANCHOR_LIST = list(dict.fromkeys(_ANCHORS.values()))
_ANCHOR_OF = {name: _ANCHOR_LIST.index(anchor) for name, anchor in _ANCHORS.items()}
# the rules of one anchor search the same windows, as far as the farthest reaching of them (a window per rule took
# more to make than the wider windows take to search)
_ANCHOR_REACH = {i: tuple(max(_REACH[n][side] for n in _ANCHORS if _ANCHOR_OF[n] == i) for side in (0, 1))
                 for i in range(len(_ANCHOR_LIST))}

# Which anchors occur in a text is decided from its distinct whitespace-separated tokens, each looked up once per
# process: a few hundred dictionary lookups instead of a scan of the whole text for each of ~130 anchor words.
# (An anchor word or pattern without whitespace in it can only occur inside one token; one with whitespace, "these
# days", only where each of its words does.) A key is (word, any_case, word_end, word_start).
_ANCHOR_KEYS = sorted({(w, a.any_case, a.word_end, a.word_start) for a in _ANCHOR_LIST if isinstance(a, Words)
                       for w in a.words})
_SPACED_KEYS = {k: tuple((part, k[1], False, False) for part in k[0].split()) for k in _ANCHOR_KEYS if " " in k[0]}
assert not any(c.isspace() and c != " " for w, *_ in _ANCHOR_KEYS for c in w)
_TOKEN_KEYS = sorted({k for k in _ANCHOR_KEYS if k not in _SPACED_KEYS}
                     | {part for parts in _SPACED_KEYS.values() for part in parts})
_ANCHOR_PATTERNS = [a for a in _ANCHOR_LIST if isinstance(a, re.Pattern)]
assert not any("\\s" in p.pattern or " " in p.pattern for p in _ANCHOR_PATTERNS), "must match inside one token"
_KEYS_OF = [frozenset([(w, a.any_case, a.word_end, a.word_start) for w in a.words]) if isinstance(a, Words)
            else frozenset([a])
            for a in _ANCHOR_LIST]
_TOKEN_ANCHORS: dict[str, frozenset] = {}  # tokens that hold anchor words, and which
_TOKENS_WITHOUT_ANCHORS: set[str] = set()  # most tokens: taken out of a text's tokens at once, in C
_TOKEN_ANCHORS_MAX = 200_000  # distinct tokens remembered (a large corpus has millions: numbers, names)
_RE_ANY_CASE_KEY = re.compile("|".join(re.escape(w) for w, any_case, *_ in _TOKEN_KEYS if any_case))
_RE_CASED_KEY = re.compile("|".join([re.escape(w) for w, any_case, *_ in _TOKEN_KEYS if not any_case]
                                    + [p.pattern for p in _ANCHOR_PATTERNS]))


def _occurrences(word: str, haystack: str, word_end: bool, word_start: bool = False) -> list[int]:
    """Where ``word`` starts in ``haystack``; with ``word_end``, only where no ASCII letter follows it, with
    ``word_start``, only where none comes before it."""
    found, i, n = [], haystack.find(word), len(haystack)
    while i >= 0:
        end = i + len(word)
        if not (word_end and end < n and haystack[end] in _ASCII_LETTERS
                or word_start and i and haystack[i - 1] in _ASCII_LETTERS):
            found.append(i)
        i = haystack.find(word, i + 1)
    return found


def _anchors_in(token: str) -> frozenset:
    lower = ascii_lower(token)
    if not _RE_ANY_CASE_KEY.search(lower) and not _RE_CASED_KEY.search(token):  # most tokens: one quick test
        return frozenset()
    return frozenset([k for k in _TOKEN_KEYS if k[0] in (haystack := lower if k[1] else token) and (
        not (k[2] or k[3]) or _occurrences(k[0], haystack, k[2], k[3]))] + [p for p in _ANCHOR_PATTERNS
                                                                              if p.search(token)])


def _present(text: str) -> set:
    """The anchor keys that occur in ``text``, from its distinct tokens (each classified once per process)."""
    present: set = set()
    known, without = _TOKEN_ANCHORS, _TOKENS_WITHOUT_ANCHORS
    for token in set(text.split()).difference(without):
        found = known.get(token)
        if found is None:
            found = _anchors_in(token)
            if not found:
                if len(without) >= _TOKEN_ANCHORS_MAX:
                    without.clear()
                without.add(token)
                continue
            if len(known) >= _TOKEN_ANCHORS_MAX:
                known.clear()
            known[token] = found
        present |= found
    present.update(k for k, parts in _SPACED_KEYS.items() if present.issuperset(parts))
    return present


def _hits(anchor_id: int, text: str, cache: dict) -> list[tuple[int, int]]:
    """(start, end) of every occurrence of an anchor's words in ``text``, in order."""
    if anchor_id in cache:
        return cache[anchor_id]
    if "present" not in cache:
        cache["present"] = _present(text)
    anchor, keys = _ANCHOR_LIST[anchor_id], _KEYS_OF[anchor_id] & cache["present"]
    found = []
    if isinstance(anchor, re.Pattern):
        found = [m.span() for m in anchor.finditer(text)] if keys else []
    elif keys:
        if anchor.any_case and "lower" not in cache:
            cache["lower"] = ascii_lower(text)
        haystack = cache["lower"] if anchor.any_case else text
        around = anchor.around
        for key in keys:  # a word's occurrences are found once for every anchor that has it ("this", "quarter")
            if key not in cache:
                cache[key] = _occurrences(key[0], haystack, key[2], key[3])
            size = len(key[0])
            found += [(i, i + size) for i in cache[key] if around is None or around(haystack, i, i + size)]
        found.sort()
    cache[anchor_id] = found
    return found


def _windows(anchor_id: int, text: str, cache: dict) -> list[tuple[int, int, int]]:
    """Spans of ``text`` where the rules of an anchor may match: around each of its hits, as many tokens before and
    after as the farthest reaching of them (``_ANCHOR_REACH``), overlapping spans merged; with how far their
    lookaheads may read."""
    before, after = _RE_TOKENS[_ANCHOR_REACH[anchor_id][0]], _RE_TOKENS[_ANCHOR_REACH[anchor_id][1]]
    if "reversed" not in cache:
        cache["reversed"] = text[::-1]
    backwards, n = cache["reversed"], len(text)
    merged: list[list[int]] = []
    for hit_start, hit_end in _hits(anchor_id, text, cache):  # in order, so the spans' starts are too
        start, end = n - before.match(backwards, n - hit_start).end(), after.match(text, hit_end).end()
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    ahead = _RE_TOKENS[_LOOKAHEAD_TOKENS]
    return [(start, end, min(ahead.match(text, end).end() + 1, n)) for start, end in merged]


_RULES_OF_ANCHOR = [[(priority, pattern, normaliser) for priority, (name, pattern, normaliser) in enumerate(RULES)
                     if _ANCHOR_OF[name] == anchor_id] for anchor_id in range(len(_ANCHOR_LIST))]


def _rule_windows(text: str, windowed: bool = True) -> list[tuple[int, re.Pattern, Normaliser, list]]:
    """(priority, pattern, normaliser, windows) of each rule that may match in ``text``: the rules of the anchors it
    holds, in windows around them; ``windowed=False``: every rule over the whole text (what windows must equal)."""
    if not windowed:
        return [(priority, pattern, normaliser, [(0, len(text), len(text))])
                for priority, (_, pattern, normaliser) in enumerate(RULES)]
    cache = {"present": _present(text)}
    out = []
    for anchor_id, rules in enumerate(_RULES_OF_ANCHOR):
        if _KEYS_OF[anchor_id].isdisjoint(cache["present"]) or not _hits(anchor_id, text, cache):
            continue
        windows = _windows(anchor_id, text, cache)
        out += [(priority, pattern, normaliser, windows) for priority, pattern, normaliser in rules]
    return out


def _matches(pattern: re.Pattern, windows: list[tuple[int, int, int]], text: str) -> list[re.Match]:
    """The matches of ``pattern`` inside ``windows`` of ``text`` (disjoint, in order: no match is found twice)."""
    # search past the window so that lookaheads and \b see the real text; keep the matches inside it
    return [m for start, end, reads_to in windows for m in pattern.finditer(text, start, reads_to) if m.end() <= end]


# a full stop that ends a sentence, not one of "p.m.", "Nov. 6" or "Mr. Smith" (the stop first, then what comes
# before it: the lookbehinds are tried at stops only, not at every character)
_RE_SENTENCE_END = re.compile(r"[.!?](?<![ap]\.m.)(?<!\b[A-Z].)" + "".join(
    f"(?<!{a}.)" for a in ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mr",
                           "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "No", "Co", "Inc", "Corp", "Jr")
) + r"\s|\n")
_RE_FUTURE_MARKER = re.compile(
    r"\b(?:will|'ll|shall|going to|plans? to|planned|expected to|scheduled|due to|upcoming)\b", re.I)


_RE_DEFERRED_UNTIL = re.compile(
    r"(?P<had>\bhad\s+(?:been\s+)?)?\b(?:postpon|delay|defer|adjourn|extend|suspend|reschedul|gave|give|grant|pushed"
    r"|moved)\w*\b[^.;]{0,40}?\b(?:until|till)\s+(?:(?:\d{1,2}(?::\d\d)?\s*(?:[ap]\.m\.|[ap]m)?|noon|midnight)"
    r",?\s+(?:on\s+)?)?$", re.I)


def _default_tense(text: str) -> Callable[[int, int], int]:
    """Tense from words near a span when no parse is given: future markers before it, else past (news default)."""

    def tense(start: int, end: int) -> int:
        left = start - 80
        for m in _RE_SENTENCE_END.finditer(text, max(left, 0), start):
            left = m.end()
        if _RE_FUTURE_MARKER.search(text, max(left, 0), start):
            return 1
        # "postponed until 5 p.m. Friday", "gave them until Thursday": what is put off lies ahead (as the parse
        # path reads it, ``timex.tense_of``), unless pluperfect
        deferral = _RE_DEFERRED_UNTIL.search(text, max(left, 0), start)
        return 1 if deferral and deferral.end() == start and not deferral["had"] else -1

    return tense


def find(text: str, dct: dt.date | None, tense: Callable[[int, int], int] | None = None, *,
         windowed: bool = True) -> list[Timex]:
    """All time expressions in ``text``, normalised against ``dct`` (None: leave unresolved parts as X).
    ``windowed=False`` runs every rule over the whole text: slower, and the same result."""
    if not isinstance(text, str) or not text:
        return []
    tense = tense or _default_tense(text)
    candidates = []
    for priority, pattern, normaliser, windows in _rule_windows(text, windowed):
        for m in _matches(pattern, windows, text):
            start, end = m.span("tx") if "tx" in pattern.groupindex else m.span()
            if end > start:
                candidates.append((start, end, priority, m, normaliser))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[2], c[0]))
    taken_starts: list[int] = []  # the spans taken so far, disjoint, in order: their ends are in order too
    taken_ends: list[int] = []
    found: list[tuple[Timex, str]] = []
    for start, end, priority, m, normaliser in candidates:
        i = bisect.bisect_left(taken_starts, end)  # taken_starts[:i] start before this candidate ends
        if i and taken_ends[i - 1] > start:  # the latest of them ends after it starts
            continue
        if start and text[start - 1] in _QUOTES and _RE_TITLE.fullmatch(text, start, end):
            continue  # a quoted title: the programme "This Week", CBS's ''60 Minutes''
        ctx = Context(dct=dct, tense=tense, start=start, end=end, text=text)
        try:
            result = normaliser(m, ctx)
        except (ValueError, OverflowError, KeyError):
            result = None
        if result is None:
            continue
        type_, value, mod = result
        if not is_valid(value, type_):
            continue
        taken_starts.insert(i, start)
        taken_ends.insert(i, end)
        found.append((Timex(start, end, text[start:end], type_, value, mod), RULES[priority][0]))
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
    if _RE_DAY_VALUE.match(day):
        day = (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
    elif days:
        day = "XXXX-XX-XX"
    value = f"{day}T{minutes // 60:02d}:{minutes % 60:02d}{m['sec'] or ''}Z"
    return Timex(timex.start, timex.end, timex.text, timex.type, value, timex.mod)


_QUOTES = "\"'`\u2018\u201c"
_RE_TITLE = re.compile(r"(?:[A-Z]\w*|\d+)(?:\s+[A-Z]\w*)+")  # two words or more, each capitalised
_CLOCK_RULES = ("clock", "clock_utc", "clock_24", "clock_part", "noon")
_DAY_RULES = ("weekday", "month_day", "deictic_day", "full_date", "iso_date")
_MONTH_RULES = ("month", "month_may", "month_day")  # what a relative year may follow: "March 20 last year"
_RE_ZONE_GAP = re.compile(r"\s*(?:[A-Z]{1,2}[SD]?T\b)?,?\s*")  # "5 p.m. EST, Nov. 6"
_RE_OF_GAP = re.compile(r",?\s+(?:of\s+)?")
_RE_YEAR_VALUE = re.compile(r"^\d{4}$")


def _join(found: list[tuple[Timex, str]], text: str) -> list[tuple[Timex, str]]:
    """Join the expressions TimeML draws as one: a clock time and its day ("9 a.m. EST Tuesday", "noon Thursday",
    "5 p.m. EST, Nov. 6": TIME, the day's date with the time), a month or a day and its relative year ("June last
    year", "January of this year", "March 20 last year": in that year). Not a part of the day and its date: TBAQ
    tags "Oct. 23" alone in "the night of Oct. 23"."""
    out: list[tuple[Timex, str]] = []
    for timex, rule in found:
        prev, prev_rule = out[-1] if out else (None, "")
        if prev and rule in _DAY_RULES and prev_rule in _CLOCK_RULES and _RE_ZONE_GAP.fullmatch(
                text, prev.end, timex.start) and _RE_DAY_VALUE.match(timex.value[:10]) and "T" not in timex.value:
            value = timex.value[:10] + prev.value[prev.value.index("T"):]
            timex, rule = Timex(prev.start, timex.end, text[prev.start:timex.end], "TIME", value, prev.mod), "clock_day"
            out.pop()
        elif prev and rule == "relative_unit" and prev_rule in _MONTH_RULES and _RE_OF_GAP.fullmatch(
                text, prev.end, timex.start) and _RE_YEAR_VALUE.match(timex.value) and timex.text.lower().split()[
                -1] == "year" and is_valid(value := timex.value + prev.value[4:], "DATE"):
            timex = Timex(prev.start, timex.end, text[prev.start:timex.end], "DATE", value, prev.mod)
            rule = "month_year"
            out.pop()
        out.append((timex, rule))
    return out


_RE_QUARTER_VALUE = re.compile(r"^(?:FY)?(\d{4})-Q([1-4])$")
_RE_DAY_VALUE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_RE_SENTENCE_BREAK = re.compile(r"[.!?]\s|\n")


def _anchor(found: list[tuple[Timex, str]], text: str) -> list[Timex]:
    """Resolve expressions against the document's own reference times rather than the DCT, as TimeML does:
    in a report about a quarter, "a year earlier" is that quarter a year before and "the quarter" is that quarter;
    a clock time takes the day named in its sentence."""
    out: list[Timex] = []
    last_quarter: tuple[int, int] | None = None
    for timex, rule in found:
        try:
            value = _anchored_value(timex, rule, found, out, last_quarter, text)
        except (ValueError, OverflowError):  # a reference beyond the calendar ("the quarter before" year 1)
            value = timex.value
        if value != timex.value and not is_valid(value, timex.type):
            value = timex.value
        if rule in ("quarter", "relative_unit", "year_period") and (m := _RE_QUARTER_VALUE.match(timex.value)):
            last_quarter = (int(m.group(1)), int(m.group(2)))  # quarters the text names, not ones inferred here
        out.append(timex if value == timex.value else Timex(timex.start, timex.end, timex.text, timex.type, value,
                                                            timex.mod))
    return out


def _anchored_value(timex: Timex, rule: str, found: list[tuple[Timex, str]], out: list[Timex],
                    last_quarter: tuple[int, int] | None, text: str) -> str:
    """``timex``'s value against the text's reference times: those ``found`` in its sentence, the expressions
    ``out`` before it, and the latest quarter the text names."""
    value = timex.value
    if (rule in ("month", "month_may") or (rule == "the_year" and _RE_YEAR_VALUE.match(value))) and value[
            :4].isdigit():
        year = _year_in_sentence(timex, found, text)
        if year:  # "In the 2016 election ... until June": June of that year; "1988 earnings ... for the year'
            value = year + value[4:]
    if rule in ("ago", "year_earlier") and last_quarter and value[:4].isdigit() and (
            rule == "year_earlier" or timex.text.lower().startswith(("a year", "one year"))):
        value = f"{last_quarter[0] - 1:04d}-Q{last_quarter[1]}"
    elif rule == "the_quarter" and last_quarter and timex.text.lower().split()[-2] == "the":
        value = f"{last_quarter[0]:04d}-Q{last_quarter[1]}"
    elif rule in _CLOCK_RULES:
        day = _day_in_sentence(timex, [t for t, _ in found], text)
        if day:
            value = day + value[value.index("T"):]
    elif rule == "year_period" and last_quarter and _RE_YEAR_VALUE.match(value):  # "the 1988 quarter"
        value = f"{value}-Q{last_quarter[1]}"
    elif rule == "anaphoric" and last_quarter and timex.text.lower().endswith("quarter"):
        value = resolve.shift(dt.date(last_quarter[0], 3 * last_quarter[1] - 2, 1), "Q", _anaphoric_shift(
            timex)) or value  # "that quarter" of a report is the quarter it names, not one of its dates
    elif rule in ("anaphoric", "the_month"):
        value = _from_reference(timex, out) or value
    return value


_GRANULARITY_RANK = {"time": 0, "day": 1, "weekend": 2, "week": 2, "month": 3, "quarter": 4, "season": 5, "half": 5,
                     "year": 6, "decade": 7, "century": 8}
_UNIT_RANK = {"D": 1, "W": 2, "M": 3, "Q": 4, "Y": 6}


def _anaphoric_shift(timex: Timex) -> int:
    return next((_ANAPHORIC_SHIFT[w] for w in timex.text.lower().split() if w in _ANAPHORIC_SHIFT), 0)


def _from_reference(timex: Timex, earlier: list[Timex]) -> str | None:
    """The value of an anaphoric expression ("that day", "the following year") from the latest expression before it
    that names a time at least as fine as its unit ("May 22, 1995" for "the following year": 1996)."""
    unit = timex.text.lower().split()[-1]
    code, shift = _ANAPHORIC_UNITS[unit], _anaphoric_shift(timex)
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


def _year_in_sentence(timex: Timex, found: list[tuple[Timex, str]], text: str) -> str | None:
    """The one explicit year written earlier in the same sentence as ``timex`` (none, or several: None)."""
    years = {t.value[:4] for t, rule in found if rule in ("year", "full_date", "full_date_dmy", "month_year",
                                                             "season_year") and t.value[:4].isdigit()
             and t.end <= timex.start and not _RE_SENTENCE_BREAK.search(text, t.end, timex.start)
             and not _RE_CLAUSE_AND.search(text, t.end, timex.start)}
    return years.pop() if len(years) == 1 else None


def _day_in_sentence(timex: Timex, others: list[Timex], text: str) -> str | None:
    """The date of a day-valued expression in the same sentence as ``timex``, nearest first."""
    days = [t for t in others if _RE_DAY_VALUE.match(t.value[:10]) and t.type in ("DATE", "TIME") and t is not timex
            and "T" not in t.value[10:11] and not _RE_SENTENCE_BREAK.search(
                text, min(t.end, timex.end), max(t.start, timex.start))]
    days.sort(key=lambda t: abs(t.start - timex.start))
    return days[0].value[:10] if days else None
