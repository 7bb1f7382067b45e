"""Calendar arithmetic against the document creation time (DCT), in the direction a sentence's tense points.

``direction`` is -1 (past: "said Tuesday"), +1 (future: "will meet Tuesday") or 0 (present: the nearest).
"""

from __future__ import annotations

import datetime as dt

from dateline.timex.values import SEASONS, season_bounds


def iso_day(day: dt.date) -> str:
    return day.isoformat()


def iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def weekday(dct: dt.date, target: int, direction: int) -> dt.date:
    """The weekday ``target`` (Monday=0) on or before the DCT (past), after it (future), or the nearest."""
    back = (dct.weekday() - target) % 7
    ahead = (target - dct.weekday()) % 7 or 7
    if direction < 0:
        return dct - dt.timedelta(days=back)
    if direction > 0:
        return dct + dt.timedelta(days=ahead if back else 7)
    return dct - dt.timedelta(days=back) if back <= ahead else dct + dt.timedelta(days=ahead)


def month_year(dct: dt.date, month: int, direction: int) -> int:
    """The year of the nearest ``month`` in the tense's direction (the current month counts as either)."""
    if month == dct.month:
        return dct.year
    if direction < 0:
        return dct.year if month < dct.month else dct.year - 1
    if direction > 0:
        return dct.year if month > dct.month else dct.year + 1
    forward = (month - dct.month) % 12
    return dct.year + (1 if month < dct.month else 0) if forward <= 6 else dct.year - (1 if month > dct.month else 0)


def day_of_year(dct: dt.date, month: int, day: int, direction: int) -> dt.date | None:
    """``month``/``day`` in the nearest year in the tense's direction (None if no such day, e.g. February 30)."""
    for year in _years_near(dct, month, day, direction):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def _years_near(dct: dt.date, month: int, day: int, direction: int) -> list[int]:
    this_year = (month, day)
    now = (dct.month, dct.day)
    if direction < 0:
        first = dct.year if this_year <= now else dct.year - 1
        return [first, first - 1, first - 2, first - 3]
    if direction > 0:
        first = dct.year if this_year >= now else dct.year + 1
        return [first, first + 1, first + 2, first + 3]
    try:
        candidates = sorted((abs((dt.date(y, month, day) - dct).days), y) for y in (dct.year - 1, dct.year,
                                                                                      dct.year + 1))
        return [y for _, y in candidates]
    except ValueError:
        return [dct.year, dct.year - 1, dct.year + 1, dct.year - 2]


def season(dct: dt.date, name: str, relation: str) -> str:
    """``relation`` is last | this | next | past | future | nearest: e.g. "last summer" before 2015-03-25 is 2014-SU."""
    candidates = [(y, name) for y in range(dct.year - 2, dct.year + 3)]
    spans = [(y, *season_bounds(y, name)) for y, _ in candidates]
    if relation == "this":
        containing = [y for y, s, e in spans if s <= dct <= e]
        if containing:
            return f"{containing[0]}-{name}"
        relation = "nearest"
    if relation in ("last", "past"):
        year = max(y for y, s, e in spans if e < dct or (relation == "past" and s <= dct))
    elif relation in ("next", "future"):
        year = min(y for y, s, e in spans if s > dct or (relation == "future" and e >= dct))
    else:
        year = min(spans, key=lambda t: min(abs((t[1] - dct).days), abs((t[2] - dct).days)))[0]
    return f"{year}-{name}"


def season_of(day: dt.date) -> str:
    for name in SEASONS:
        for year in (day.year - 1, day.year):
            start, end = season_bounds(year, name)
            if start <= day <= end:
                return f"{year}-{name}"
    raise AssertionError(day)  # every day belongs to a season


def shift(dct: dt.date, unit: str, amount: int) -> str | None:
    """The DCT moved by ``amount`` units, at that unit's granularity ("two weeks ago" -> 2015-W11)."""
    try:
        if unit == "D":
            return iso_day(dct + dt.timedelta(days=amount))
        if unit == "W":
            return iso_week(dct + dt.timedelta(weeks=amount))
        if unit == "M":
            index = dct.year * 12 + dct.month - 1 + amount
            return f"{index // 12:04d}-{index % 12 + 1:02d}"
        if unit == "Q":
            index = dct.year * 4 + (dct.month - 1) // 3 + amount
            return f"{index // 4:04d}-Q{index % 4 + 1}"
        if unit == "Y":
            return f"{dct.year + amount:04d}"
        if unit == "DE":
            return f"{(dct.year + 10 * amount) // 10:03d}"
        if unit == "CE":
            return f"{(dct.year + 100 * amount) // 100:02d}"
    except (ValueError, OverflowError):
        return None
    return None
