"""Pieces of the rules' regular expressions, built from the word lists (``lexicon``).

A piece names its groups (``mon``, ``year``, ``num``, ``unit``, ``premod``...) as the normalisers read them.
"""

from __future__ import annotations

import re

from dateline.timex.lexicon import (
    COUNTED_NOUNS,
    DECADE_WORDS,
    HOLIDAY_NAMES,
    MONTH_ABBREVIATIONS,
    MONTH_NAMES,
    ORDINAL_WORDS,
    SMALL_NUMBERS,
    TENS,
    UNITS,
    WEEKDAYS,
)


def alternatives(words) -> str:
    """``words`` as a regex alternation, longest first (so that "Sept" is tried before "Sep")."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


APOS = "(?:'|\u2019)"
MONTH_WORDS = "(?:" + alternatives(MONTH_NAMES) + ")"  # a month's full name
MONTH = "(?P<mon>" + MONTH_WORDS + r"\b|(?:" + alternatives(MONTH_ABBREVIATIONS) + r")\b\.?)"
MONTH_BUT_MAY = "(?:" + alternatives(n for n in MONTH_NAMES if n != "May") + ")"  # "May" is also a verb
WEEKDAY = "(?P<wd>(?:" + alternatives(w.capitalize() for w in WEEKDAYS) + r"))\b"
DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b"
ONES, TEENS, TENS_WORDS = "|".join(SMALL_NUMBERS[1:10]), "|".join(SMALL_NUMBERS[10:]), "|".join(TENS)
# years as broadcast transcripts spell them: "nineteen ninety-six", "twenty fifteen", "the year two thousand"
SPELLED_YEAR = (r"(?i:(?:nineteen|twenty)[\s-](?:" + TEENS + "|(?:" + TENS_WORDS + r")(?:[\s-](?:" + ONES
                + r"))?)\b|two thousand(?:\s+and)?(?:[\s-](?:" + TEENS + "|" + ONES + r")\b)?)"
                r"(?![\s-]+(?:hundred|thousand)\b)")
YEAR = r"(?P<year>(?:1[0-9]|20)\d\d\b|" + SPELLED_YEAR + ")"
NUM = (r"(?P<num>\d+(?:\.\d+|\s*(?:1/2|\u00bd))?|"
       r"(?:" + TENS_WORDS + r")(?:[-\s](?:" + ONES + r"))?|a\s+couple\s+of|couple\s+of|a\s+couple|couple|a dozen|"
       r"a few|a number of|half an?|"
       + "|".join(sorted(list(SMALL_NUMBERS[1:]) + ["few", "several", "some", "many", "hundred"], key=len,
                         reverse=True))
       + r"|an?)")
UTC_OFFSET = r"(?:\s*(?P<sign>[+-])(?P<off_h>1[0-4]|0?\d)(?::?(?P<off_min>[0-5]\d))?\b)"  # "GMT+2", "UTC-05:00"
UNIT_NAMES = "|".join(w for w in UNITS if w not in ("century", "centurie")) + "|centur(?:y|ie)"
UNIT = r"(?P<unit>" + UNIT_NAMES + r")s?\b(?!\s+(?:quarter|half|round|term)\b)"  # not "1988 second quarter"
ONE_UNIT = r"(?P<unit>" + UNIT_NAMES + r")\b"
# A bare four-digit number is a year only between 1500 and 2099 and when it is not a count, a clock time or part
# of a larger number ("2,000 people", "1999 troops", "1500 UTC").
BARE_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)\b"
YEAR_RANGE_END = r"(?:\d\d|1[5-9]\d\d|20\d\d)(?![\d\-/:%\u2013]|\.\d)"  # "1998-99", "1998-1999", not "2015-03-25"
NOT_A_YEAR = (r"(?![\d%]|,\d|\.\d|[-\u2013](?!" + YEAR_RANGE_END + r")\d|s\b|\s*(?:UTC|GMT|hours|hrs|h)\b"
              r"|\s+(?:" + "|".join(COUNTED_NOUNS) + "))")
HOLIDAYS = "|".join(re.escape(name).replace(r"\ ", r"\s+").replace("'", APOS)
                    for name in sorted(HOLIDAY_NAMES, key=lambda n: (-len(n), n)))
# "Easter Island", "the Great Orchestra of Christmas Charity": a holiday's name inside another name
NOT_A_NAME = r"(?!\s+(?!(?:Day|Eve|Sunday|Monday|Weekend)\b)[A-Z][a-z])"
PRE_MOD = r"(?:(?P<premod>early|late|mid-?|the (?:beginning|start|end|middle) of)\s*)?"
# "$5 a year", "twice a week", "40 hours a week": a rate, not a duration
NOT_A_RATE = r"(?<![\d%]\s)(?<!\bonce\s)(?<!\btwice\s)(?<!\btimes\s)(?<!\bper\s)(?<!\bhours\s)(?<!\bdays\s)"
APPROX = r"(?:(?P<approx>about|around|approximately|roughly)\s+)?"  # TBAQ leaves these out of the extent
NUM_MOD = r"(?:(?P<nummod>more than|less than|(?:over|under)(?!\s+the\b)|nearly|almost|at least|at most|up to)\s+)?"
AFTER_A_TIME_PREPOSITION = "(?:" + "|".join(rf"(?<=\b{w}\s)" for w in (
    "at", "At", "by", "until", "before", "after", "around", "about", "from", "since", "to")) + ")"
TIME_WORDS = r"(?P<part>morning|afternoon|evening|night)"
# "the March for Life", "the March on Washington", "the March of the Combatant Mothers": a march, not the month
NOT_A_MARCH = r"(?<!March(?=\s+(?:for|on|against)\s+[A-Z]))(?<!March(?=\s+of\s+the\s+[A-Z]))"
DECADE_WORD = "(?P<word>" + "|".join(DECADE_WORDS) + ")"
ORDINAL_WORD = "(?P<word>" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + ")"
