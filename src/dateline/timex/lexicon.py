"""The tagger's word lists, read from ``src/dateline/data/timex/`` (edit those tables, not this module).

Each list is a plain mapping from a lower-case word to what it stands for; ``patterns`` builds the rules' regular
expressions from them, so a new spelling of a month or a new holiday is one row of a table.
"""

from __future__ import annotations

from dateline.package_data import package_table


def _table(name: str) -> list[dict]:
    return package_table(f"timex/{name}.csv")


def _number(text: str) -> int | float:
    number = float(text)
    return int(number) if number.is_integer() else number


_MONTH_ROWS = _table("months")
MONTH_NAMES = tuple(row["word"] for row in _MONTH_ROWS if row["kind"] == "name")  # "January" ... "December"
MONTH_ABBREVIATIONS = tuple(row["word"] for row in _MONTH_ROWS if row["kind"] == "abbreviation")  # "Jan", "Sept"
MONTHS = {row["word"].lower(): int(row["month"]) for row in _MONTH_ROWS}  # "january": 1, "sept": 9
WEEKDAYS = {row["word"].lower(): int(row["weekday"]) for row in _table("weekdays")}  # "monday": 0
SEASON_CODES = {row["word"]: row["code"] for row in _table("seasons")}  # "fall": "FA"
PARTS_OF_DAY = {row["word"]: row["code"] for row in _table("parts_of_day")}  # "morning": "MO"
UNITS = {row["word"]: row["code"] for row in _table("units")}  # "week": "W"

_NUMBER_ROWS = _table("number_words")
SMALL_NUMBERS = tuple(row["word"] for row in _NUMBER_ROWS if row["kind"] == "unit")  # "zero" ... "nineteen"
TENS = {row["word"]: int(row["value"]) for row in _NUMBER_ROWS if row["kind"] == "tens"}  # "twenty": 20
NUMBER_WORDS = {row["word"]: _number(row["value"]) for row in _NUMBER_ROWS}  # "a couple of": 2, "half an": 0.5
VAGUE_NUMBERS = ("a few", "few", "several", "some", "many", "a number of")  # a duration of X units

ORDINAL_WORDS = {row["word"]: int(row["number"]) for row in _table("ordinals")}  # "twenty-first": 21
# a quarter by its ordinal: "the first quarter", "1st quarter", "Q1"
ORDINALS = {word: n for word, n in ORDINAL_WORDS.items() if n <= 4} | {
    f"{n}{suffix}": n for n, suffix in ((1, "st"), (2, "nd"), (3, "rd"), (4, "th"))} | {f"q{n}": n for n in range(1, 5)}
MODS = {row["words"]: row["mod"] for row in _table("modifiers")}  # "the end of": "END", "at least": "EQUAL_OR_MORE"
# "twenties": 2 ... "nineties": 9 (a decade of the century)
DECADE_WORDS = {word[:-1] + "ies": tens // 10 for word, tens in TENS.items()}


def _holidays() -> dict[str, dict]:
    rows = _table("holidays")
    for row in rows:
        if row["rule"] not in ("fixed", "nth_weekday", "easter"):
            raise ValueError(f"src/dateline/data/timex/holidays.csv: holiday {row['name']!r} has rule "
                             f"{row['rule']!r}; write fixed, nth_weekday or easter")
    return {row["name"].lower(): row for row in rows}


HOLIDAYS = _holidays()  # "christmas day": its date rule
HOLIDAY_NAMES = tuple(row["name"] for row in HOLIDAYS.values())  # as written: "Christmas Day"
COUNTED_NOUNS = tuple(row["noun"] for row in _table("counted_nouns"))  # "1999 troops": a count, not a year
