"""The tagger's rules: each kind of time expression is one record (name, normaliser, anchor words, reach,
roles, pattern), tried in this order where two match the same span.

To add a kind of expression: a normaliser in ``normalisers``, words in ``data/timex/`` where it needs a list, and one
``Rule`` here. ``anchor``: words (or a one-token pattern) every match contains, so that the rule runs only near them;
``reach``: how many whitespace-separated tokens a match may extend before and after the token holding its anchor
word (``tests/timex`` checks that windows find what a scan of the whole text finds); ``roles``: how the expression
takes part in the reading of the whole document (``ROLES``); ``pattern``: a regular expression, whose group ``tx``,
where it has one, is the expression's extent ("in May": "May").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import dateline.timex.normalisers as N
from dateline.timex.anchors import Anchor, Words, followed_by, guarded, preceded_by
from dateline.timex.lexicon import DECADE_WORDS, HOLIDAY_NAMES, MONTHS, SMALL_NUMBERS, TENS
from dateline.timex.patterns import (
    AFTER_A_TIME_PREPOSITION,
    APOS,
    APPROX,
    BARE_YEAR,
    DAY,
    DECADE_WORD,
    HOLIDAYS,
    MONTH,
    MONTH_BUT_MAY,
    NOT_A_MARCH,
    NOT_A_NAME,
    NOT_A_RATE,
    NOT_A_YEAR,
    NUM,
    NUM_MOD,
    ONE_UNIT,
    ORDINAL_WORD,
    PRE_MOD,
    SPELLED_YEAR,
    TIME_WORDS,
    UNIT,
    UNIT_NAMES,
    UTC_OFFSET,
    WEEKDAY,
    YEAR,
    YEAR_RANGE_END,
)

ROLES = {
    "clock": "a clock time: takes the day named in its sentence, and joins a day written just after it",
    "day": "a day's date: a clock time just before it joins it (\"9 a.m. EST Tuesday\")",
    "month": "a month or a day: a relative year just after it joins it (\"June last year\")",
    "relative_year": "joins a month just before it",
    "year": "writes a year out: a month later in its sentence is of that year",
    "sentence_year": "takes the year written earlier in its sentence (\"in 2016 ... until June\")",
    "quarter": "names the quarter a report is about",
    "year_before": "\"a year earlier\" in a report about a quarter: that quarter a year before",
    "this_quarter": "\"the quarter\" in a report about a quarter: that quarter",
    "quarter_of_year": "\"the 1988 quarter\": the quarter the report is about, in that year",
    "anaphoric": "\"that day\", \"the following year\": counted from the latest time the text names",
}


@dataclass(frozen=True)
class Rule:
    name: str
    normalise: N.Normaliser
    anchor: Anchor
    reach: tuple[int, int]  # tokens before and after the anchor word's token
    roles: frozenset[str]
    pattern: re.Pattern = field(repr=False)

    def __post_init__(self):
        unknown = set(self.roles) - ROLES.keys()
        if unknown:
            raise ValueError(f"rule {self.name!r}: unknown roles {sorted(unknown)}; known: {sorted(ROLES)}")
        object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(self, "pattern", guarded(self.pattern))


# ---------------------------------------------------------------------------------------------- anchor words

# The last word of a NUM ("30", "5 1/2", "twenty-four", "a couple of", "several"): a duration's unit word comes
# after one and whitespace ("30 days"), and most unit words do not ("last year", "the day", "Monday").
_after_a_number = preceded_by(r"(?:\d|1/2|\u00bd|\b(?:" + "|".join(
    list(SMALL_NUMBERS[1:]) + list(TENS) + ["a", "an", "of", "couple", "more", "additional", "extra", "further",
                                            "dozen", "few", "several", "some", "many", "hundred", "half"])
    + r"))$")
_after_a_unit_word = preceded_by(r"(?:" + UNIT_NAMES + r")s?$")  # "three years ago"
_after_for_within_in = preceded_by(r"\b(?:for|within|in)$")  # "for years"
_after_the = preceded_by(r"\b(?:the|full|fiscal|financial|current|latest)$")  # "the year", "the fiscal year"
_after_the_word = preceded_by(r"\bthe$")  # "the month"
_after_early_late_or_mid = preceded_by(r"\b(?:early|late|mid)$")  # "late afternoon"
_after_the_or_at = preceded_by(r"\b(?:the|at)$")  # "4 in the morning", "10 at night"
_after_near_or_short = preceded_by(r"\b(?:near|short)$")  # "the near term"
_before_a_relative_unit = followed_by(  # "last year", not "the last time"
    r"\s+(?:weekend|week|month|quarter|year|decade|century|spring|summer|fall|autumn|winter)\b")
_before_one_unit = followed_by(r"\s+(?:" + UNIT_NAMES + r")\b")  # "the past week", "every month"
_before_a_part_of_day = followed_by(r"\s+(?:morning|afternoon|evening)\b")  # "this morning"
_before_a_part_of_day_or_night = followed_by(r"\s+(?:morning|afternoon|evening|night)\b")
_before_date_or_time = followed_by(r"\s+(?:date|time)\b")  # "a later date"
_before_of = followed_by(r"\s+of\b")  # "the week of March 2"
_before_a_unit = followed_by(  # "that day", "the following year", not "said that"
    r"\s+(?:same\s+)?(?:day|morning|afternoon|evening|night|week|month|quarter|year)\b")
_within_three_words_of_units = followed_by(r"(?:\s+\S+){0,3}?\s+(?:" + UNIT_NAMES + r")s?\b")


def _after_digit_or_space(text: str, i: int, end: int) -> bool:  # "10 a.m.", "10am", not "America"
    return i > 0 and (text[i - 1].isdigit() or text[i - 1].isspace())


def _after_year(lower: str, i: int, end: int) -> bool:  # "year-end", "year end", "year's  end" (any whitespace)
    j = i
    while j and lower[j - 1].isspace():
        j -= 1
    return lower.endswith("year-" if j == i else ("year", "year's"), max(j - 6, 0), j)


def _after_early_late_or_mid_or_hyphen(lower: str, i: int, end: int) -> bool:  # "mid afternoon", "mid-afternoon"
    return lower.endswith(("mid-", "early-", "late-"), 0, i) or _after_early_late_or_mid(lower, i, end)


def _a_set_word(lower: str, i: int, end: int) -> bool:  # "daily", "weekly", "every week", "every two weeks"
    return lower[i] in "dwmyh" or _within_three_words_of_units(lower, i, end)


_ANCHOR_MONTH = Words(tuple(name.capitalize() for name in MONTHS), any_case=False, word_end=True)
_ANCHOR_MAY = Words(("May",), any_case=False, word_end=True)  # the rules for "May", which is also a verb
_ANCHOR_UNIT = Words(("second", "minute", "hour", "day", "week", "fortnight", "month", "quarter", "year", "decade",
                      "centur"))
_ANCHOR_WEEKDAY = Words(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
_ANCHOR_SEASON = Words(("spring", "summer", "fall", "autumn", "winter"))
_ANCHOR_YEAR = re.compile(r"(?:1[0-9]|20)\d\d")
# a holiday by the longest word of its name ("Year" of "New Year's Day", "Friday" of "Good Friday")
_ANCHOR_HOLIDAY = Words(tuple(dict.fromkeys(max(name.replace("'s", "").split(), key=len) for name in HOLIDAY_NAMES)),
                        any_case=False)
_ANCHOR_RELATIVE = Words(("last", "next", "this", "past", "coming", "previous", "current"),
                         around=_before_a_relative_unit)

# ---------------------------------------------------------------------------------------------- the rules

RULES: list[Rule] = [
    Rule("full_date", N.full_date, _ANCHOR_MONTH, (1, 5), {"day", "year"},
         re.compile(r"(?:" + WEEKDAY + r",?\s+)?" + MONTH + r"\s+" + DAY + r",?\s+" + YEAR)),
    Rule("full_date_dmy", N.full_date, _ANCHOR_MONTH, (3, 5), {"year"},
         re.compile(r"(?:" + WEEKDAY + r",?\s+)?" + DAY + r"\s+(?:of\s+)?" + MONTH + r",?\s+"
                    + YEAR)),
    Rule("iso_date", N.iso_date, re.compile(r"\d{4}-"), (0, 0), {"day"},
         re.compile(r"\b(?P<year>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b")),
    Rule("month_day", N.month_day, _ANCHOR_MONTH, (1, 1), {"day", "month"},
         re.compile(r"(?:" + WEEKDAY + r",?\s+)?" + MONTH + r"\s+" + DAY + r"(?!\s*,?\s*\d)")),
    Rule("day_month", N.month_day, _ANCHOR_MONTH, (5, 0), set(),  # "26 March", "Tuesday 26 March", "the 26th of March"
         re.compile(r"\b(?:" + WEEKDAY + r",?\s+)?(?:the\s+)?" + DAY + r"\s+(?:of\s+)?" + MONTH)),
    Rule("month_year", N.month_year, _ANCHOR_MONTH, (3, 5), {"year"},
         re.compile(PRE_MOD + MONTH + r",?\s+(?:of\s+)?" + YEAR)),
    Rule("month", N.month, _ANCHOR_MONTH, (5, 0), {"month", "sentence_year"},
         re.compile(PRE_MOD + r"(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his\s+(?:past|coming)|[Tt]his|[Pp]ast|"
                    r"[Cc]oming)\s+)?(?P<mon>" + MONTH_BUT_MAY + r")\b(?!\s+\d)" + NOT_A_MARCH)),
    Rule("month_may_relative", N.month, _ANCHOR_MAY, (2, 0), set(),
         re.compile(r"\b(?P<rel>[Ll]ast|[Nn]ext|[Tt]his\s+past|[Tt]his)\s+(?P<premod>)"
                    r"(?P<mon>May)\b(?!\s+\d)")),
    Rule("month_may", N.month, _ANCHOR_MAY, (1, 0), {"month", "sentence_year"},
         re.compile(r"\b(?:in|since|until|by|of|from|through|during|early|late|mid|last|next)\s+"
                    r"(?P<tx>(?P<rel>)(?P<premod>)(?P<mon>May)\b)(?!\s+\d)")),
    # "fiscal 1989", "FY2012", "financial year 2012" (British for the fiscal year)
    Rule("fiscal_year", N.fiscal_year, Words(("fiscal", "fy", "financial")), (0, 5), set(),
         re.compile(r"\b(?:fiscal(?:\s+year)?|financial\s+year|FY)\s*'?" + YEAR, re.I)),
    Rule("decade", N.decade, Words(("0s",)), (4, 0), set(),
         re.compile(r"\b(?:the\s+)?" + PRE_MOD + r"(?:(?P<dec>(?:1[0-9]|20)\d0)s\b|'(?P<short>\d0)s\b)")),
    # "the 90s", "the late 60s"; not a temperature ("highs in the 90s": _decade checks)
    Rule("decade_short", N.decade, Words(("0s",)), (4, 0), set(),
         re.compile(r"\bthe\s+" + PRE_MOD + r"(?P<dec>)(?P<short>[1-9]0)s\b(?!\s+(?:degrees|F)\b)")),
    Rule("spelled_year", N.spelled_year, Words(("nineteen", "twenty", "two thousand")), (2, 3), set(),
         re.compile(r"\b(?:the\s+year\s+)?(?P<year>" + SPELLED_YEAR + ")", re.I)),
    Rule("decade_word", N.decade_word, Words(tuple(DECADE_WORDS)), (4, 0), set(),
         re.compile(r"\bthe\s+" + PRE_MOD + DECADE_WORD + r"\b", re.I)),
    Rule("century", N.century, Words(("century",)), (5, 0), set(),
         re.compile(r"\b(?:the\s+)?" + PRE_MOD + r"(?:(?P<ord>\d{1,2})(?:st|nd|rd|th)|"
                    + ORDINAL_WORD + r")\s+century\b", re.I)),
    Rule("year", N.year, _ANCHOR_YEAR, (3, 0), {"year"},
         re.compile(PRE_MOD + r"(?<![\d$.,:/])" + BARE_YEAR + NOT_A_YEAR)),
    # the second year of a range: "the 1998-1999 season", "the winter of 1988-89" name both years
    Rule("year_range_end", N.year_range_end, re.compile(r"\d{4}[-\u2013]\d\d"), (0, 0), set(),
         re.compile(r"(?<=\b1[5-9]\d\d[-\u2013]|\b20\d\d[-\u2013])(?P<end>" + YEAR_RANGE_END + ")")),
    Rule("holiday", N.holiday, _ANCHOR_HOLIDAY, (2, 5), set(),
         re.compile(r"\b(?:(?P<rel>last|next|this)\s+)?(?P<holiday>" + HOLIDAYS + r")\b" + NOT_A_NAME
                    + r"(?:,?\s+" + YEAR + r")?")),
    Rule("season_year", N.season_year, _ANCHOR_SEASON, (4, 5), {"year"},
         re.compile(PRE_MOD + r"(?:the\s+)?(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)"
                    r"\s+(?:of\s+)?" + YEAR)),
    Rule("relative_unit", N.relative_unit, _ANCHOR_RELATIVE, (4, 1), {"relative_year", "quarter"},
         re.compile(r"\b(?P<tx>(?:(?P<premod>earlier|later|early|late|the (?:beginning|start|"
                    r"end|middle) of)\s+)?(?P<rel>this\s+past|last|next|this|past|coming|previous|"
                    r"current)\s+"
                    r"(?P<unit>weekend|week|month|quarter|year|decade|century|spring|summer|fall|autumn|"
                    r"winter)\b)", re.I)),
    Rule("the_weekend", N.weekend, Words(("weekend",)), (1, 0), set(),
         re.compile(r"\b(?:the|this)\s+(?P<unit>weekend)\b(?P<rel>)(?P<premod>)", re.I)),
    Rule("season", N.season, _ANCHOR_SEASON, (5, 0), set(),
         re.compile(r"\b(?i:in|during|by|until|since|over|into|through|throughout|from|for)\s+(?P<tx>(?:the\s+)?"
                    + PRE_MOD
                    + r"(?P<season>spring|summer|autumn|winter)\b)(?!\s+(?:of\s+)?\d)")),
    Rule("weekday", N.weekday, _ANCHOR_WEEKDAY, (3, 1), {"day"},
         re.compile(r"\b(?:(?P<premod>early|late)\s+)?(?:(?P<rel>last|next|this\s+(?:past|coming)|this|"
                    r"coming)\s+)?" + WEEKDAY + r"(?!s)(?:\s+" + TIME_WORDS
                    + r")?(?=(?P<poss>" + APOS + r"s\b)?)", re.I)),
    Rule("deictic_day", N.deictic_day, Words(("today", "yesterday", "tomorrow", "tonight", "night")), (2, 1), {"day"},
         re.compile(r"\b(?<!USA\s)(?:(?P<premod>late|early)\s+)?"  # not the paper "USA Today"
                    r"(?P<deixis>today|yesterday|tomorrow|tonight|last\s+night)\b"
                    r"(?:\s+(?P<part>morning|afternoon|evening|night))?", re.I)),
    Rule("this_part_of_day", N.this_part_of_day, Words(("this",), around=_before_a_part_of_day), (0, 1), set(),
         re.compile(r"\bthis\s+(?P<part>morning|afternoon|evening)\b", re.I)),
    Rule("present_ref", N.ref("PRESENT_REF"),
         Words(("now", "current", "these days", "at present"), word_start=True), (1, 0), set(),
         re.compile(r"\b(?:right\s+now|now|currently|nowadays|these days|at present|"
                    r"current(?!\s+(?:\w+\s+)?(?:"
                    + UNIT_NAMES + r")))\b", re.I)),
    Rule("past_ref", N.ref("PAST_REF"), Words(("recent", "the past")), (0, 0), set(),
         re.compile(r"\b(?:recently|the past|recent)\b(?!\s+(?:\w+\s+)?(?:" + UNIT_NAMES
                    + r"))", re.I)),
    # "the future", not the film "Back to the Future"
    Rule("future_ref", N.ref("FUTURE_REF"), Words(("future",)), (2, 0), set(),
         re.compile(r"\bthe\s+(?:(?:near|distant|foreseeable)\s+)?(?-i:future)\b", re.I)),
    Rule("vague_plural", N.vague_duration, Words(("minutes", "hours", "days", "weeks", "months", "years", "decades"),
                          around=_after_for_within_in), (1, 0), set(),
         re.compile(r"\b(?:for|within|in)\s+(?P<tx>(?P<unit>minute|hour|day|week|month|year|decade)s)\b",
                    re.I)),
    Rule("ago", N.ago,
         Words(("ago", "earlier"), around=_after_a_unit_word), (7, 0), {"year_before"},  # "two years ago", "years ago"
         re.compile(r"\b" + APPROX + r"(?P<tx>(?:" + NUM_MOD + NUM + r"\s+)?" + UNIT + r"\s+(?:ago|earlier)\b)",
                    re.I)),
    Rule("year_earlier", N.year_earlier, Words(("year-earlier", "year-ago")), (1, 2), {"year_before"},
         re.compile(r"\b(?:the\s+(?=year-\w+\s+(?:(?:first|second|third|fourth)\s+)?(?:quarter|period)))?"
                    r"year-(?:earlier|ago)(?:\s+(?:(?:first|second|third|fourth)\s+)?(?:quarter|period))?\b",
                    re.I)),
    Rule("duration", N.duration, _ANCHOR_UNIT._replace(around=_after_a_number), (9, 3), set(),
         re.compile(r"\b" + NOT_A_RATE + APPROX + r"(?P<tx>" + NUM_MOD + r"(?:the\s+(?:(?:past|last|"
                    r"next|coming|previous|first|final)\s+)?)?" + NUM
                    + r"(?P<andhalf>\s+and\s+a\s+half)?(?:\s+(?:more|additional|extra|further))?\s+"
                    + UNIT + r"(?P<half>\s+and\s+a\s+half\b)?)(?![\s-]+old\b)",
                    re.I)),
    # "a 14-day strike"; singular only ("three-quarters" is a share, not a time); not an age ("6-year-old")
    Rule("duration_adjective", N.duration, Words(tuple("-" + w for w in _ANCHOR_UNIT.words)), (5, 0), set(),
         re.compile(r"\b" + APPROX + r"(?P<tx>" + NUM_MOD + NUM + r"-" + ONE_UNIT
                    + r")(?!-old\b)", re.I)),
    # "a day-long meeting", "the decades-long feud"
    Rule("duration_long", N.duration_long, Words(("-long",)), (0, 0), set(),
         re.compile(r"\b(?P<unit>" + UNIT_NAMES + r")(?P<plural>s)?-long\b",
                    re.I)),
    Rule("anaphoric", N.anaphoric,
         Words(("that", "following", "previous", "prior", "next", "same"), around=_before_a_unit), (2, 2),
         {"anaphoric"},
         re.compile(r"\b(?:(?:earlier|later)\s+)?(?P<the>the\s+)?(?P<which>that|following|previous|prior|"
                    r"next|same)\s+(?:same\s+)?(?P<unit>day|morning|afternoon|evening|night|week|month|quarter|"
                    r"year)\b(?!-)", re.I)),
    Rule("the_year", N.the_year, Words(("year", "week"), around=_after_the), (6, 1), {"sentence_year"},
         re.compile(r"\b(?<!time of )(?:(?P<premod>the (?:beginning|start|end|middle) of)\s+)?the\s+"
                    r"(?P<which>full\s+|(?:fiscal|financial)\s+|current\s+(?:fiscal\s+|financial\s+)?|"
                    r"latest\s+(?:fiscal\s+|financial\s+)?)?"
                    r"(?P<unit>(?-i:year|week))\b(?:\s+(?P<year>(?:1[0-9]|20)\d\d)\b(?![,.]\d)|(?![-'\u2019]|"
                    r"\s+\d|\s+(?:before|after|earlier|later|ago|of|two|nineteen|twenty)\b))"
                    r"(?=(?P<ended>\s+(?:ended|ending|(?:up\s+)?to(?!\s+date))\b)?)",
                    re.I)),
    # "the end of the month": the month the text speaks of (``_anchor``), not "the month of May"
    Rule("the_month", N.the_month, Words(("month",), around=_after_the_word), (4, 0), {"anaphoric"},
         re.compile(r"\b(?:(?P<premod>the (?:beginning|start|end|middle) of)\s+)?the\s+month\b"
                    r"(?!\s+(?:of|before|after|earlier|later|ago)\b|[-\d])", re.I)),
    Rule("year_end", N.year_end, Words(("end",), around=_after_year), (2, 0), set(),
         re.compile(r"\b(?P<prep>by|at|around|before|until|since|through|after)\s+"
                    r"(?P<tx>year(?:-|\s+)end|year's\s+end)\b", re.I)),
    Rule("week_of", N.week_of, Words(("week",), around=_before_of), (1, 7), set(),
         re.compile(r"\bthe\s+week\s+of\s+(?:" + MONTH + r"\s+" + DAY + r"(?:,?\s+" + YEAR + r")?)")),
    # "at a later date", "to a future time", "an earlier date"
    Rule("unnamed_date", N.unnamed_date, Words(("later", "earlier", "future"), around=_before_date_or_time), (1, 1),
         set(), re.compile(r"\ban?\s+(?P<which>later|earlier|future)\s+(?:date|time)\b(?!-)", re.I)),
    Rule("near_term", N.ref("FUTURE_REF"), Words(("term",), around=_after_near_or_short), (2, 0), set(),
         re.compile(r"\bthe\s+(?:near|short)\s+term\b", re.I)),
    Rule("coming_units", N.vague_duration, Words(("coming",)), (1, 1), set(),
         re.compile(r"\b(?:the\s+)?coming\s+(?P<unit>day|week|month|quarter|year|decade)s\b", re.I)),
    Rule("units_ahead", N.vague_duration, Words(("ahead",)), (2, 0), set(),
         re.compile(r"\bthe\s+(?P<unit>day|week|month|year)s\s+ahead\b", re.I)),
    Rule("the_past_unit", N.the_past_unit,
         Words(("past", "last", "next", "coming", "previous"), around=_before_one_unit), (1, 1), set(),
         re.compile(r"\bthe\s+(?P<which>past|last|next|coming|previous)\s+(?P<num>)" + ONE_UNIT
                    + r"(?P<nummod>)", re.I)),
    Rule("recent_units", N.vague_duration, Words(("recent", "few", "several")), (2, 1), set(),
         re.compile(r"\b(?P<tx>(?:recent|the\s+(?:past|last|coming|next)\s+(?:few|several))\s+"
                    + UNIT + ")", re.I)),
    # "the 1988 second quarter", "the 1988 quarter", "the 1989 period": a year's quarter (the one the report is
    # about, when the text names none: ``_anchor``)
    Rule("year_period", N.year_period, Words(("quarter", "period")), (8, 0), {"quarter", "quarter_of_year"},
         re.compile(r"\bthe\s+(?:comparable\s+)?" + YEAR + r"\s+(?:(?P<ord>first|second|third|fourth)"
                    r"(?:[\s-]+fiscal)?[\s-]+)?(?:quarter|period)\b", re.I)),
    Rule("half", N.half, Words(("half",)), (2, 6), set(),
         re.compile(r"\b(?:the\s+)?(?P<which>first|second|last|latter)\s+half\s+of\s+(?:(?P<rel>this|last|next|the)"
                    r"\s+year|(?:fiscal\s+)?" + YEAR + r")\b", re.I)),
    Rule("year_quarter", N.quarter, Words(("year's",)), (1, 3), set(),
         re.compile(r"\b(?P<rel>this|last|next)\s+year's\s+(?P<ord>first|second|third|fourth)"
                    r"(?:[\s-]+fiscal)?[\s-]+quarter\b(?P<year>)", re.I)),
    Rule("quarter", N.quarter, Words(("quarter",)), (3, 6), {"quarter"},
         re.compile(r"\b(?:the\s+(?!\w+-quarter))?(?:fiscal[\s-]+)?(?P<ord>first|second|third|fourth|1st|2nd|"
                    r"3rd|4th)"
                    r"(?:[\s-]+fiscal)?[\s-]+quarter\b(?:\s+(?:of\s+)?(?:fiscal\s+)?" + YEAR + r")?", re.I)),
    Rule("quarter_q", N.quarter, Words(("Q1", "Q2", "Q3", "Q4"), False), (0, 4), set(),  # "Q4 2014", "Q2"
         re.compile(r"\b(?P<ord>Q[1-4])\b(?:[\s/-]+" + YEAR + r")?")),
    Rule("the_quarter", N.the_quarter, Words(("quarter", "period")), (3, 0), {"this_quarter"},
         re.compile(r"\bthe\s+(?:(?P<which>latest|most recent|current|just-ended|recent)\s+)?quarter\b"
                    r"|\bthe\s+(?P<period>latest|most recent)\s+period\b", re.I)),
    Rule("clock", N.clock,
         Words(("a.m", "p.m", "am", "pm"), around=_after_digit_or_space, word_end=True), (1, 2), {"clock"},
         re.compile(r"\b(?<![:.])(?P<h>[0-2]?\d)(?:[:.](?P<min>[0-5]\d)(?::(?P<sec>[0-5]\d))?)?\s*"
                    r"(?P<ap>[ap]\.m\.|[ap]m\b)(?:\s*(?P<paren>\()?(?P<zone>(?-i:UTC|GMT))\b" + UTC_OFFSET
                    + r"?(?(paren)\)))?", re.I)),
    Rule("clock_utc", N.clock,
         Words(("UTC", "GMT", "BST", "CET", "CEST", "EET", "EEST", "MSK", "local time"), False), (1, 1), {"clock"},
         re.compile(r"\b(?<![:.])(?:(?P<h>[0-2]\d):?|(?P<h1>\d):)(?P<min>[0-5]\d)(?::(?P<sec>[0-5]\d))?"
                    r"(?P<ap>)\s*(?:(?P<zone>UTC|GMT)\b" + UTC_OFFSET + r"?|BST|CES?T|EES?T|MSK|local\s+time)"
                    r"\b")),
    # "at 13:40", "by 09:15": a 24-hour clock after a preposition of time ("3:30" alone may be a score)
    Rule("clock_24", N.clock, re.compile(r"\d\d:[0-5]\d"), (1, 0), {"clock"},
         re.compile(AFTER_A_TIME_PREPOSITION + r"(?P<h>[01]\d|2[0-3]):(?P<min>[0-5]\d)(?P<sec>)(?P<ap>)"
                    r"(?![:.]?\d)(?!\s*[AaPp]\.?[Mm])")),
    # "at 4 in the morning", "by 10:30 at night" (not "killed 4 in the morning attack")
    Rule("clock_part", N.clock_part,
         Words(("morning", "afternoon", "evening", "night"), around=_after_the_or_at), (4, 0), {"clock"},
         re.compile(AFTER_A_TIME_PREPOSITION + r"(?P<h>1[0-2]|0?[1-9])(?::(?P<min>[0-5]\d))?\s+"
                    r"(?:o'clock\s+)?(?:in\s+the\s+(?P<part>morning|afternoon|evening)|at\s+(?P<night>night))\b",
                    re.I)),
    # "by mid afternoon", "at mid-afternoon yesterday", "until early evening"
    Rule("part_of_day", N.part_of_day,
         Words(("morning", "afternoon", "evening", "night"), around=_after_early_late_or_mid_or_hyphen), (2, 1), set(),
         re.compile(AFTER_A_TIME_PREPOSITION + r"(?P<premod>early[- ]|late[- ]|mid[- ]?(?!night))"
                    r"(?P<part>morning|afternoon|evening|night)\b(?:\s+(?P<deixis>yesterday|today|tomorrow))?",
                    re.I)),
    # not "the midnight sun", "high noon"
    Rule("noon", N.noon, Words(("noon", "midday", "midnight")), (0, 0), {"clock"},
         re.compile(r"\b(?<!\bhigh\s)(?:noon|midday|midnight)\b(?!\s+sun\b)", re.I)),
    Rule("set_weekday", N.set_weekday, _ANCHOR_WEEKDAY, (1, 1), set(),
         re.compile(r"\b(?:every|each)\s+" + WEEKDAY + r"(?:\s+" + TIME_WORDS + r"\b)?", re.I)),
    # "on Sundays", "Tuesday nights"; not the movement "Fridays for Future"
    Rule("weekdays", N.set_weekday, _ANCHOR_WEEKDAY, (0, 1), set(),
         re.compile(r"\b(?P<wd>(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)(?:\s+" + TIME_WORDS
                    + r")?s\b(?!\s+(?-i:for\s+[A-Z]))", re.I)),
    Rule("set_part_of_day", N.set_part_of_day,
         Words(("every", "each"), around=_before_a_part_of_day_or_night), (0, 1), set(),
         re.compile(r"\b(?:every|each)\s+" + TIME_WORDS + r"\b", re.I)),
    Rule("set_month", N.set_month, _ANCHOR_MONTH, (1, 0), set(),  # "each July"
         re.compile(r"\b(?:[Ee]very|[Ee]ach)\s+" + MONTH + NOT_A_MARCH)),
    # "every two weeks", "every other year"; not a paper's name ("the Daily Telegraph")
    Rule("set_unit", N.set_unit,
         Words(("every", "each", "daily", "weekly", "monthly", "yearly", "hourly"), around=_a_set_word), (0, 4), set(),
         re.compile(r"\b(?:(?:every|each)\s+(?:(?P<other>other)\s+|" + NUM + r"\s+)?(?P<unit>" + UNIT_NAMES
                    + r")s?|(?-i:daily|weekly|monthly|yearly|hourly|(?:Daily|Weekly|Monthly|Yearly|Hourly)"
                    r"(?!\s+[A-Z])))\b", re.I)),
]
assert len({rule.name for rule in RULES}) == len(RULES), "rule names are unique"
