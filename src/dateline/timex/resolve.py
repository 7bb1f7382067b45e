"""Calendar arithmetic against the document creation time (DCT), in the direction a sentence's tense points.

``direction`` is -1 (past: "said Tuesday"), +1 (future: "will meet Tuesday") or 0 (present: the nearest).
"""

from __future__ import annotations

import datetime as dt

from dateline.timex.lexicon import HOLIDAYS
from dateline.timex.values import season_bounds


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


FAR_DAYS = 180  # a date the tense points to that is this far away ...
NEAR_DAYS = 45  # ... loses to one this close the other way: "April" in a March paper is next month, whatever the verb


def _prefer_near(dct: dt.date, chosen: dt.date, other: dt.date) -> dt.date:
    if abs((chosen - dct).days) > FAR_DAYS and abs((other - dct).days) <= NEAR_DAYS:
        return other
    return chosen


def month_year(dct: dt.date, month: int, direction: int) -> int:
    """The year of ``month``: the nearest one in the tense's direction (the current month counts as either), or
    the nearest of all without a tense; a far month loses to a near one the other way."""
    if month == dct.month:
        return dct.year
    past = dct.year if month < dct.month else dct.year - 1
    future = dct.year if month > dct.month else dct.year + 1
    first_of = {y: dt.date(y, month, 1) for y in (past, future)}
    mid = dct.replace(day=1)
    if direction == 0:
        return min((past, future), key=lambda y: (abs((first_of[y] - mid).days), y))
    chosen, other = (past, future) if direction < 0 else (future, past)
    return _prefer_near(mid, first_of[chosen], first_of[other]).year


def day_of_year(dct: dt.date, month: int, day: int, direction: int, weekday: int | None = None) -> dt.date | None:
    """``month``/``day`` in the nearest year in the tense's direction (None if no such day, e.g. February 30); a
    far date loses to a near one the other way ("Jan. 14" in a paper of Jan. 15 is the day before). A weekday
    written with it ("Monday, Oct. 26") picks the nearest year in which that day is that weekday."""
    candidates = []
    for year in range(dct.year - 6, dct.year + 7):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if weekday is not None and any(c.weekday() == weekday for c in candidates):
        return min((c for c in candidates if c.weekday() == weekday), key=lambda c: (abs((c - dct).days), c))
    past = [c for c in candidates if c <= dct]
    future = [c for c in candidates if c >= dct]
    if not candidates:
        return None
    if direction == 0 or not past or not future:
        return min(candidates, key=lambda c: (abs((c - dct).days), c))
    chosen, other = (past[-1], future[0]) if direction < 0 else (future[0], past[-1])
    return _prefer_near(dct, chosen, other)


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


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th ``weekday`` (Monday=0) of a month; n=-1 for the last."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def holiday(name: str, year: int) -> dt.date | None:
    """The date of a holiday news writes about by name, by its rule in ``data/timex/holidays.csv``."""
    from dateutil.easter import easter

    row = HOLIDAYS.get(name.lower().replace("\u2019", "'"))
    if row is None:
        return None
    offset = dt.timedelta(days=int(row["offset"] or 0))
    if row["rule"] == "fixed":
        return dt.date(year, int(row["month"]), int(row["day"]))
    if row["rule"] == "nth_weekday":
        return _nth_weekday(year, int(row["month"]), int(row["weekday"]), int(row["nth"])) + offset
    return easter(year) + offset  # rule "easter" (``lexicon`` accepts no other)


def holiday_near(dct: dt.date, name: str, direction: int) -> dt.date | None:
    """The holiday in the tense's direction from the DCT (the nearest without a tense)."""
    dates = [d for d in (holiday(name, y) for y in (dct.year - 1, dct.year, dct.year + 1)) if d]
    if not dates:
        return None
    if direction < 0:
        past = [d for d in dates if d <= dct]
        return past[-1] if past else dates[0]
    if direction > 0:
        future = [d for d in dates if d >= dct]
        return future[0] if future else dates[-1]
    return min(dates, key=lambda d: abs((d - dct).days))
