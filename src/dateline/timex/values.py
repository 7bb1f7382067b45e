"""The TIMEX3 value grammar (TimeML 1.2.1 / ISO-TimeML) and the calendar interval a value denotes."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

REFS = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")
SEASONS = ("SP", "SU", "FA", "WI")
PARTS_OF_DAY = ("MO", "MI", "AF", "EV", "NI", "DT")

_RE_DATE = re.compile(
    r"^(?:FY)?(?P<year>\d{4}|\d{3}|\d{2}|\d{2}XX|\d{3}X|XXXX)"
    r"(?:-(?:(?P<month>\d{2}|XX)(?:-(?P<day>\d{2}|XX))?"
    r"|W(?P<week>\d{2}|XX)(?:-(?P<wday>[1-7X]|WE))?"
    r"|(?P<season>SP|SU|FA|WI)|Q(?P<quarter>[1-4X])|H(?P<half>[12X])))?"
    r"(?:T(?:(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?(?P<zone>Z|[+-]\d{4})?|(?P<part>MO|MI|AF|EV|NI|DT)))?$"
)
_RE_DURATION = re.compile(
    r"^P(?:(?:(?:\d+(?:\.\d+)?|X)(?:Y|M|W|D|DE|CE|Q|WE|L))+(?:T(?:(?:\d+(?:\.\d+)?|X)(?:H|M|S))+)?"
    r"|T(?:(?:\d+(?:\.\d+)?|X)(?:H|M|S))+)$"
)
_RE_SET = re.compile(r"^(?:XXXX-WXX-[1-7]|XXXX-XX-XX|XXXX-XX|XXXX|XXXX-(?:SP|SU|FA|WI)|XXXX-XX-XXT(?:MO|AF|EV|NI))$")


def is_valid(value: str, type_: str = "DATE") -> bool:
    """Whether ``value`` is a well-formed TIMEX3 value of ``type_`` that names a real calendar position."""
    if not isinstance(value, str) or not value:
        return False
    return _is_valid(value, type_)


@functools.lru_cache(maxsize=1 << 16)  # the tagger checks every value it emits; most recur ("P1Y", "1998-08")
def _is_valid(value: str, type_: str) -> bool:
    if type_ == "DURATION":
        return bool(_RE_DURATION.match(value))
    if type_ == "SET":
        return bool(_RE_DURATION.match(value) or _RE_SET.match(value) or _date_ok(value))
    if value in REFS:
        return type_ in ("DATE", "TIME")
    return _date_ok(value)


def _date_ok(value: str) -> bool:
    m = _RE_DATE.match(value)
    if not m:
        return False
    g = m.groupdict()
    year = int(g["year"]) if g["year"].isdigit() and len(g["year"]) == 4 else None
    month = int(g["month"]) if g["month"] and g["month"].isdigit() else None
    if month is not None and not 1 <= month <= 12:
        return False
    if g["day"] and g["day"].isdigit():
        day = int(g["day"])
        last = calendar.monthrange(year or 2000, month or 1)[1] if month else 31
        if not 1 <= day <= last or (year is not None and year < 1):
            return False
    if g["week"] and g["week"].isdigit():
        week = int(g["week"])
        weeks = dt.date(year, 12, 28).isocalendar()[1] if year else 53
        if not 1 <= week <= weeks:
            return False
    if g["hour"] is not None and not 0 <= int(g["hour"]) <= 24:
        return False
    if g["hour"] == "24" and (g["minute"] or "00") + (g["second"] or "00") != "0000":  # T24:00 ends the day
        return False
    if g["minute"] is not None and not 0 <= int(g["minute"]) <= 59:
        return False
    return not (g["second"] is not None and not 0 <= int(g["second"]) <= 59)


def interval(value: str) -> tuple[dt.date, dt.date, str] | None:
    """The inclusive date interval a DATE/TIME value denotes and its granularity, or None (refs, unresolved X).

    Granularities: time, day, weekend, week, month, season, quarter, half, year, decade, century.
    """
    m = _RE_DATE.match(value or "")
    if not m or "X" in value.split("T")[0]:
        return None
    g = m.groupdict()
    y = g["year"]
    try:
        if len(y) == 2:
            return dt.date(int(y) * 100 or 1, 1, 1), dt.date(int(y) * 100 + 99, 12, 31), "century"
        if len(y) == 3:
            return dt.date(int(y) * 10 or 1, 1, 1), dt.date(int(y) * 10 + 9, 12, 31), "decade"
        year = int(y)
        if g["day"]:
            day = dt.date(year, int(g["month"]), int(g["day"]))
            return day, day, "time" if (g["hour"] or g["part"]) else "day"
        if g["month"]:
            month = int(g["month"])
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]), "month"
        if g["week"]:
            monday = dt.date.fromisocalendar(year, int(g["week"]), 1)
            if g["wday"] == "WE":
                return monday + dt.timedelta(days=5), monday + dt.timedelta(days=6), "weekend"
            if g["wday"]:
                day = monday + dt.timedelta(days=int(g["wday"]) - 1)
                return day, day, "day"
            return monday, monday + dt.timedelta(days=6), "week"
        if g["season"]:
            return (*season_bounds(year, g["season"]), "season")
        if g["quarter"]:
            q = int(g["quarter"])
            last = dt.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1])
            return dt.date(year, 3 * q - 2, 1), last, "quarter"
        if g["half"]:
            h = int(g["half"])
            return dt.date(year, 6 * h - 5, 1), dt.date(year, 6 * h, 30 if h == 1 else 31), "half"
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    except (ValueError, OverflowError):  # beyond the calendar: the week of 9999-12-31 ends in year 10000
        return None


def season_bounds(year: int, season: str) -> tuple[dt.date, dt.date]:
    """Meteorological seasons (northern hemisphere); winter YYYY runs from December YYYY to February YYYY+1."""
    if season == "WI":
        end = dt.date(year + 1, 3, 1) - dt.timedelta(days=1)
        return dt.date(year, 12, 1), end
    first = {"SP": 3, "SU": 6, "FA": 9}[season]
    return dt.date(year, first, 1), dt.date(year, first + 3, 1) - dt.timedelta(days=1)


GRANULARITY_ORDER = ("time", "day", "weekend", "week", "month", "season", "quarter", "half", "year", "decade",
                     "century")


_SEASON_NAMES = {"SP": "spring", "SU": "summer", "FA": "autumn", "WI": "winter"}
_PART_NAMES = {"MO": "morning", "MI": "midday", "AF": "afternoon", "EV": "evening", "NI": "night", "DT": "daytime"}


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def readable(value: str) -> str:
    """A TIMEX3 DATE/TIME value as a reader says it: ``199`` -> "the 1990s", ``19`` -> "the 20th century",
    ``2014-SU`` -> "summer 2014", ``2015-W13`` -> "week 13 of 2015", ``2015-03`` -> "March 2015",
    ``2015-03-24TMO`` -> "2015-03-24 morning". Days stay ISO dates; anything else is returned as it is."""
    m = _RE_DATE.match(value) if isinstance(value, str) else None
    if m is None or "X" in value:
        return value
    year = m.group("year")
    if value.startswith("FY"):
        return "fiscal " + readable(value[2:])
    if len(year) == 2:
        return f"the {_ordinal(int(year) + 1)} century"
    if len(year) == 3:
        return f"the {year}0s"
    if m.group("day"):
        day = value[:10]
        if m.group("part"):
            return f"{day} {_PART_NAMES[m.group('part')]}"
        return f"{day} {value[11:]}" if m.group("hour") else day
    if m.group("month"):
        return f"{dt.date(2000, int(m.group('month')), 1):%B} {year}"
    if m.group("week"):
        weekend = "the weekend of " if m.group("wday") == "WE" else ""
        return f"{weekend}week {int(m.group('week'))} of {year}"
    if m.group("season"):
        return f"{_SEASON_NAMES[m.group('season')]} {year}"
    if m.group("quarter"):
        return f"Q{m.group('quarter')} {year}"
    if m.group("half"):
        return f"{'first' if m.group('half') == '1' else 'second'} half of {year}"
    return year
