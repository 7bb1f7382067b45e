"""The tagger's word lists are data (``src/dateline/data/timex/``): every row of them is read by the rules."""

import datetime as dt

import pytest

from dateline import timex
from dateline.package_data import package_table
from dateline.timex import lexicon, resolve

DCT = dt.date(2015, 3, 25)


@pytest.mark.parametrize("row", package_table("timex/months.csv"), ids=lambda row: row["word"])
def test_every_spelling_of_a_month_is_a_month(row):
    dot = "." if row["kind"] == "abbreviation" else ""
    [found] = timex.tag(f"It opened on {row['word']}{dot} 5, 2014.", DCT)
    assert found.value == f"2014-{int(row['month']):02d}-05"


@pytest.mark.parametrize("row", package_table("timex/holidays.csv"), ids=lambda row: row["name"])
def test_every_holiday_is_found_by_its_name(row):
    [found] = timex.tag(f"They met on {row['name']} 2015.", DCT)
    assert found.text == f"{row['name']} 2015"
    assert found.value == resolve.holiday(row["name"], 2015).isoformat()


@pytest.mark.parametrize("name, expected", [
    ("Thanksgiving", "2015-11-26"), ("Memorial Day", "2015-05-25"), ("Labor Day", "2015-09-07"),
    ("Election Day", "2015-11-03"), ("Good Friday", "2015-04-03"), ("Easter Monday", "2015-04-06"),
    ("New Year\u2019s Eve", "2015-12-31"),
])
def test_holiday_rules(name, expected):
    assert resolve.holiday(name, 2015).isoformat() == expected


@pytest.mark.parametrize("row", package_table("timex/units.csv"), ids=lambda row: row["word"])
def test_every_unit_makes_a_duration(row):
    found = timex.tag(f"It lasted three {row['word']}s.", DCT)
    assert [t.type for t in found] == ["DURATION"]


@pytest.mark.parametrize("noun", lexicon.COUNTED_NOUNS)
def test_a_number_before_a_counted_noun_is_no_year(noun):
    assert timex.tag(f"Officials said 1999 {noun} were there.", DCT) == []


def test_a_holiday_with_an_unknown_rule_is_refused_naming_the_table(monkeypatch):
    rows = [{"name": "Arbor Day", "rule": "last friday of april", "month": "4", "day": "", "weekday": "",
             "nth": "", "offset": ""}]
    monkeypatch.setattr(lexicon, "_table", lambda name: rows)
    with pytest.raises(ValueError, match=r"holidays\.csv: holiday 'Arbor Day' has rule"):
        lexicon._holidays()
