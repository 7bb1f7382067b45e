import datetime as dt
import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import timex
from dateline.timex.values import interval, is_valid, readable
from tests.conftest import SAMPLE_DCT

DCT = SAMPLE_DCT  # Wednesday 2015-03-25


def values(text, dct=DCT):
    return [(t.text, t.type, t.value, t.mod) for t in timex.tag(text, dct)]


@pytest.mark.parametrize("text, expected", [
    ("a senior coalition official said Tuesday", [("Tuesday", "DATE", "2015-03-24", "")]),
    ("They will meet Tuesday.", [("Tuesday", "DATE", "2015-03-31", "")]),
    ("The flights began Saturday.", [("Saturday", "DATE", "2015-03-21", "")]),
    ("They met on Wednesday.", [("Wednesday", "DATE", "2015-03-25", "")]),
    ("They met last Tuesday.", [("last Tuesday", "DATE", "2015-03-24", "")]),
    ("The campaign, launched in August, grew.", [("August", "DATE", "2014-08", "")]),
    ("Sales will rise in August.", [("August", "DATE", "2015-08", "")]),
    ("the territory it seized last summer", [("last summer", "DATE", "2014-SU", "")]),
    ("Until now, the offensive", [("now", "DATE", "PRESENT_REF", "")]),
    ("It happened two weeks ago.", [("two weeks ago", "DATE", "2015-W11", "")]),
    ("It rose in the 1990s.", [("the 1990s", "DATE", "199", "")]),
    ("the 19th century", [("the 19th century", "DATE", "18", "")]),
    ("on March 24, 2015", [("March 24, 2015", "DATE", "2015-03-24", "")]),
    ("in March 1989", [("March 1989", "DATE", "1989-03", "")]),
    ("the third quarter of 1989", [("the third quarter of 1989", "DATE", "1989-Q3", "")]),
    ("next quarter", [("next quarter", "DATE", "2015-Q2", "")]),
    # TimeBank and AQUAINT leave "about" out of the extent (the mod keeps it), but not "more than" or "earlier"
    ("earlier this month", [("earlier this month", "DATE", "2015-03", "")]),
    ("last year", [("last year", "DATE", "2014", "")]),
    ("early 2014", [("early 2014", "DATE", "2014", "START")]),
    ("mid-2014", [("mid-2014", "DATE", "2014", "MID")]),
    ("yesterday morning", [("yesterday morning", "DATE", "2015-03-24TMO", "")]),  # typed as TBAQ does
    ("at 2:30 p.m.", [("2:30 p.m.", "TIME", "2015-03-25T14:30", "")]),
    ("He played in the 1998-1999 season.", [("1998", "DATE", "1998", ""), ("1999", "DATE", "1999", "")]),
    ("In the winter of 1988-89 and in 1999-00.", [("the winter of 1988", "DATE", "1988-WI", ""),
                                                  ("89", "DATE", "1989", ""), ("1999", "DATE", "1999", ""),
                                                  ("00", "DATE", "2000", "")]),  # both years of a range
    ("The 1998-12 issue and 2015-03-25.", [("1998", "DATE", "1998", ""),  # a month, not a range
                                          ("2015-03-25", "DATE", "2015-03-25", "")]),
    ("Sales fell in the last quarter and over the past year.", [("the last quarter", "DATE", "2014-Q4", ""),
                                                                  ("the past year", "DATE", "2014", "")]),
    ("It grew over the past decade.", [("the past decade", "DURATION", "P10Y", "")]),  # no narrative anchor
    ("Prices rose 3% yearly.", [("yearly", "SET", "P1Y", "")]),  # a unit's adverb, as "daily" and "weekly"
    ("The review is published monthly.", [("monthly", "SET", "P1M", "")]),
    ("The quarterly dividend was paid.", []),  # TBAQ leaves "quarterly" untagged
    ("at 1500 UTC", [("1500 UTC", "TIME", "2015-03-25T15:00Z", "")]),  # the zone in the value, as TimeML writes it
    # seconds, and never the minutes and seconds of a longer clock time read as hours ("3:24:55" is not 24:55)
    ("amended at 3:24:55 UTC", [("3:24:55 UTC", "TIME", "2015-03-25T03:24:55Z", "")]),
    ("at 9:15 a.m. (GMT+2) on Friday", [("9:15 a.m. (GMT+2)", "TIME", "2015-03-20T07:15Z", ""),
                                        ("Friday", "DATE", "2015-03-20", "")]),  # an offset converted to UTC
    ("landed at 11:30 p.m. GMT-5 on Monday", [("11:30 p.m. GMT-5", "TIME", "2015-03-24T04:30Z", ""),
                                              ("Monday", "DATE", "2015-03-23", "")]),  # past midnight in UTC
    ("The port will close on Monday and reopen on Thursday.", [("Monday", "DATE", "2015-03-30", ""),
                                                               ("Thursday", "DATE", "2015-03-26", "")]),
    ("The talks were postponed until 5 p.m. Friday.", [("5 p.m. Friday", "TIME", "2015-03-27T17:00", "")]),
    ("at 3:24:55 p.m.", [("3:24:55 p.m.", "TIME", "2015-03-25T15:24:55", "")]),
    ("called at 8.10am", [("8.10am", "TIME", "2015-03-25T08:10", "")]),
    ("this week", [("this week", "DATE", "2015-W13", "")]),
    ("over the weekend", [("the weekend", "DATE", "2015-W12-WE", "")]),
    ("for three days", [("three days", "DURATION", "P3D", "")]),
    ("a decade", [("a decade", "DURATION", "P10Y", "")]),
    ("in recent weeks", [("recent weeks", "DURATION", "PXW", "")]),
    ("the past three years", [("the past three years", "DURATION", "P3Y", "")]),
    ("more than two years", [("more than two years", "DURATION", "P2Y", "MORE_THAN")]),
    ("the 14-day strike", [("14-day", "DURATION", "P14D", "")]),
    ("the year-earlier quarter", [("the year-earlier quarter", "DATE", "2014", "")]),
    ("late yesterday", [("late yesterday", "DATE", "2015-03-24", "END")]),
    ("about five hours", [("five hours", "DURATION", "PT5H", "APPROX")]),
    ("a 6-year-old boy", []),
    ("about three-quarters of them", []),
    ("paid $5 a year, twice a week", []),
    ("third-quarter profit rose", [("third-quarter", "DATE", "2014-Q3", "")]),
    ("Monday", [("Monday", "DATE", "2015-03-23", "")]),
    ("Wednesday", [("Wednesday", "DATE", "2015-03-25", "")]),
    ("every Tuesday", [("every Tuesday", "SET", "XXXX-WXX-2", "")]),
    ("prices peak each July", [("each July", "SET", "XXXX-07", "")]),
    ("Every Jan. they rest", [("Every Jan.", "SET", "XXXX-01", "")]),
    ("each March of the Combatant Mothers", []),
    # a day and month without a year: the nearest such day in the tense's direction, unless that is a year away
    ("an editorial on Monday, Oct. 26", [("Monday, Oct. 26", "DATE", "2015-10-26", "")]),  # the year it is a Monday
    ("an editorial on Friday, Oct. 26", [("Friday, Oct. 26", "DATE", "2012-10-26", "")]),
    # a clock time and its day, a month and its year, are one expression
    ("until 9 a.m. EST Tuesday", [("9 a.m. EST Tuesday", "TIME", "2015-03-24T09:00", "")]),
    ("at noon Thursday", [("noon Thursday", "TIME", "2015-03-19T12:00", "")]),
    ("It will expire at 5 p.m. EST, Nov. 6", [("5 p.m. EST, Nov. 6", "TIME", "2015-11-06T17:00", "")]),
    ("in June last year", [("June last year", "DATE", "2014-06", "")]),
    ("January of this year", [("January of this year", "DATE", "2015-01", "")]),
    ("5 1/2 hours", [("5 1/2 hours", "DURATION", "PT5H30M", "")]),
    # years as broadcast transcripts spell them, alone and with a month or season
    ("It began in nineteen ninety-six.", [("nineteen ninety-six", "DATE", "1996", "")]),
    ("January nineteen ninety-seven", [("January nineteen ninety-seven", "DATE", "1997-01", "")]),
    ("the winter of nineteen ninety-four", [("the winter of nineteen ninety-four", "DATE", "1994-WI", "")]),
    ("by the year two thousand", [("the year two thousand", "DATE", "2000", "")]),
    ("since twenty fifteen", [("twenty fifteen", "DATE", "2015", "")]),
    ("in their twenties", []),  # an age, not a decade
    ("for more than two thousand years", []),  # a count, not the year 2000
    ("in the nineties", [("the nineties", "DATE", "199", "")]),
    ("police said last night", [("last night", "DATE", "2015-03-24TNI", "")]),
    ("at midday", [("midday", "TIME", "2015-03-25T12:00", "")]),
    ("2 1/2 years", [("2 1/2 years", "DURATION", "P2Y6M", "")]),
    ("a minute and a half", [("a minute and a half", "DURATION", "PT1M30S", "")]),
    ("a week and a half", [("a week and a half", "DURATION", "P10DT12H", "")]),
    ("in the last twenty four hours", [("the last twenty four hours", "DURATION", "PT24H", "")]),
    ("over the past 20 years", [("the past 20 years", "DURATION", "P20Y", "")]),  # "over" is not "more than"
    ("over 20 years", [("over 20 years", "DURATION", "P20Y", "MORE_THAN")]),
    ("the worst drought in half a century", [("half a century", "DURATION", "P50Y", "")]),
    ("He was convicted years ago.", [("years ago", "DATE", "PAST_REF", "")]),
    ("The year earlier was bad.", []),
    ("He waited half an hour.", [("half an hour", "DURATION", "PT30M", "")]),
    ("for two and a half years", [("two and a half years", "DURATION", "P2Y6M", "")]),
    ("Eastern Airlines", []),
    ("Wednesday's ruling will stand.", [("Wednesday", "DATE", "2015-03-25", "")]),
    ("Tuesday's ruling will stand.", [("Tuesday", "DATE", "2015-03-24", "")]),
    ("since 2014", [("2014", "DATE", "2014", "")]),
    ("2,000 people and 1999 troops", []),
    ("the number of those infected until now is 1501", [("now", "DATE", "PRESENT_REF", "")]),
    ("1720 had already been discharged", []),
    ("the 14 killings since 1993 were solved", [("1993", "DATE", "1993", "")]),
    ("They met on Thanksgiving Day.", [("Thanksgiving Day", "DATE", "2014-11-27", "")]),
    ("He will be back by Christmas.", [("Christmas", "DATE", "2015-12-25", "")]),
    ("Election Day 2016", [("Election Day 2016", "DATE", "2016-11-08", "")]),
    ("They marched on Good Friday.", [("Good Friday", "DATE", "2014-04-18", "")]),
    ("The fire started at about 19:00 local time.", [("19:00 local time", "TIME", "2015-03-25T19:00", "")]),
    ("Power was restored by 20:21.", [("20:21", "TIME", "2015-03-25T20:21", "")]),
    ("The score was 13:40.", []),
    ("Police were called at 23:15 BST.", [("23:15 BST", "TIME", "2015-03-25T23:15", "")]),
    ("Parliament will vote on Thursday 26 March.", [("Thursday 26 March", "DATE", "2015-03-26", "")]),
    ("He was last seen on the evening of 20 March.", [("20 March", "DATE", "2015-03-20", "")]),  # as TBAQ has it
    ("Officials met early Tuesday.", [("early Tuesday", "DATE", "2015-03-24", "START")]),  # TimeML keeps the mod
    ("It was filed late Sunday night.", [("late Sunday night", "DATE", "2015-03-22TNI", "END")]),
    ("The council meets every two weeks.", [("every two weeks", "SET", "P2W", "")]),
    ("The Daily Telegraph said so; they walk daily.", [("daily", "SET", "P1D", "")]),  # not a paper's name
    ("The Daily Mail and USA Today said so.", []),
    ("The daily press conferences ended.", [("daily", "SET", "P1D", "")]),
    ("It is like Back to the Future.", []),
    ("We will see in the future.", [("the future", "DATE", "FUTURE_REF", "")]),
    ("It is held every other year.", [("every other year", "SET", "P2Y", "")]),
    ("They met every Tuesday night.", [("every Tuesday night", "SET", "XXXX-WXX-2TNI", "")]),
    ("He jogs every morning; she each evening.", [("every morning", "SET", "XXXX-XX-XXTMO", ""),
                                                  ("each evening", "SET", "XXXX-XX-XXTEV", "")]),
    ("The shop is closed on Sundays.", [("Sundays", "SET", "XXXX-WXX-7", "")]),
    ("Flights leave on Tuesday nights.", [("Tuesday nights", "SET", "XXXX-WXX-2TNI", "")]),
    ("She joined Fridays for Future.", []),
    ("They met on March 20 last year.", [("March 20 last year", "DATE", "2014-03-20", "")]),
    ("About a quarter of the staff and three quarters of its states left.", []),  # shares, not times
    ("It fell after several quarters of losses.", [("several quarters", "DURATION", "PXQ", "")]),
    ("Police made a second arrest; a second later, it fell.", [("a second", "DURATION", "PT1S", "")]),
    ('Baker said on ABC\'s "This Week" and CBS\'s \'\'60 Minutes\'\' that "This week, we act."',
     [("This week", "DATE", "2015-W13", "")]),  # quoted titles are names
    ("By mid afternoon, at mid-afternoon yesterday.", [("mid afternoon", "TIME", "2015-03-25TAF", "MID"),
                                                       ("mid-afternoon yesterday", "TIME", "2015-03-24TAF", "MID")]),
    ("Over the summer they walked until early evening.", [("the summer", "DATE", "2014-SU", ""),
                                                          ("early evening", "TIME", "2015-03-25TEV", "START")]),
    ("It was their third day-long meeting in a decades-long feud.", [("day-long", "DURATION", "P1D", ""),
                                                                     ("decades-long", "DURATION", "PXY", "")]),
    ("It may be extended for an additional year; it fell a further 5 cents.",
     [("an additional year", "DURATION", "P1Y", "")]),
    ("He stays for the next couple years.", [("the next couple years", "DURATION", "P2Y", "")]),
    ("It took a couple  of weeks and several more months.", [("a couple  of weeks", "DURATION", "P2W", ""),
                                                            ("several more months", "DURATION", "PXM", "")]),
    ("He will serve two more years.", [("two more years", "DURATION", "P2Y", "")]),
    ("He won the nomination this past May.", [("this past May", "DATE", "2014-05", "")]),
    ("They met this past Tuesday.", [("this past Tuesday", "DATE", "2015-03-24", "")]),
    ("They rule by this coming Friday, and vote this coming June.", [("this coming Friday", "DATE", "2015-03-27", ""),
                                                                    ("this coming June", "DATE", "2015-06", "")]),
    ("The site was dug in the 90s.", [("the 90s", "DATE", "199", "")]),
    ("Highs will be in the 90s.", []),  # degrees Fahrenheit
    ("Sales rose in Q4 2014 and will fall in Q2.", [("Q4 2014", "DATE", "2014-Q4", ""),
                                                    ("Q2", "DATE", "2015-Q2", "")]),
    ("Every few years, it changes.", [("Every few years", "SET", "PXY", "")]),
    ("The troops leave by the end of the month.", [("the end of the month", "DATE", "2015-03", "END")]),
    ("In the month of May, they left.", [("May", "DATE", "2014-05", "")]),
    # a 24-hour clock only after a preposition of time or with a zone; idioms are no times
    ("They came to see the midnight sun; for Poland, high noon comes.", []),
    ("He left at 4 in the morning.", [("4 in the morning", "TIME", "2015-03-25T04:00", "")]),
    ("She was back by 10:30 at night.", [("10:30 at night", "TIME", "2015-03-25T22:30", "")]),
    ("Bombs killed 4 in the morning attack.", []),
    ("They marched on Easter Monday.", [("Easter Monday", "DATE", "2014-04-21", "")]),
    ("Easter Island lies far off the coast.", []),  # a holiday's name inside another name
    ("the Great Orchestra of Christmas Charity", []),
    ("They met on Christmas Day 2013.", [("Christmas Day 2013", "DATE", "2013-12-25", "")]),
    ("you may go", []),
])
def test_tag(text, expected):
    assert values(text) == expected


@pytest.mark.parametrize("text, dct, expected", [
    ("The offer was extended to Nov. 20.", dt.date(2015, 11, 2), "2015-11-20"),  # not a year back, for the tense
    ("The boy must be returned by Jan. 14.", dt.date(2000, 1, 15), "2000-01-14"),  # not a year ahead
    ("It was done by Jan. 14.", dt.date(2000, 6, 15), "2000-01-14"),
    ("It will be done by Jan. 14.", dt.date(2000, 6, 15), "2001-01-14"),
])
def test_a_day_without_a_year_is_the_near_one_when_the_tense_points_a_year_away(text, dct, expected):
    assert [t.value for t in timex.tag(text, dct)] == [expected]


@pytest.mark.parametrize("text, expected", [
    ("said Tuesday", "XXXX-WXX-2"),
    ("in August", "XXXX-08"),
    ("last summer", "XXXX-SU"),
    ("March 5", "XXXX-03-05"),
])
def test_without_dct_unknown_parts_stay_x(text, expected):
    assert [t.value for t in timex.tag(text, None)] == [expected]


@pytest.mark.parametrize("text", ["February 30", "the 99th century", "2882015", "31/31/2015", "99:99 p.m."])
def test_absurd_dates_never_give_invalid_values(text):
    for t in timex.tag(text, DCT):
        assert is_valid(t.value, t.type), t


def test_sample_article_with_parse(sample_documents, parser):
    doc = parser(sample_documents.iloc[0]["text"])
    found = [(t.text, t.value) for t in timex.tag_doc(doc, DCT)]
    assert found == [("Tuesday", "2015-03-24"), ("Saturday", "2015-03-21"), ("current", "PRESENT_REF"),
                     ("now", "PRESENT_REF"), ("August", "2014-08"), ("last summer", "2014-SU"),
                     ("Tuesday", "2015-03-24")]


def test_a_year_earlier_in_a_quarterly_report_is_that_quarter_a_year_before():
    text = "Third-quarter profit rose 5%. A year earlier, it fell. The quarter was strong; a year ago it was weak."
    values = [(t.text, t.value) for t in timex.tag(text, dt.date(1989, 10, 26))]
    assert values == [("Third-quarter", "1989-Q3"), ("A year earlier", "1988-Q3"), ("The quarter", "1989-Q3"),
                      ("a year ago", "1988-Q3")]


@pytest.mark.parametrize("text, expected", [
    # a word before the date fixes its direction, whatever the verb's tense
    ("It had not been allowed to inspect since Jan. 13.", "1998-01-13"),
    ("Smith was named president, effective July 1.", "1998-07-01"),  # the nearest, not the past tense's
    ("I am used to hearing about it back in May.", "1997-05"),
    ("He will be back in May.", "1998-05"),
    ("The dividend was declared, payable July 15.", "1998-07-15"),
    # an infinitive under a past verb is not the future ("plans to meet Feb. 2" is)
    ("He had been allowed to inspect Nov. 20.", "1997-11-20"),
    ("He plans to inspect Nov. 20.", "1998-11-20"),
    ("The vote was scheduled to take place Wednesday.", "1998-03-04"),  # a past plan: the nearest
    ("The offer had been scheduled to expire Wednesday.", "1998-03-04"),
    ("The vote is scheduled to take place Wednesday.", "1998-03-11"),
    ("It was forecast to reach Florida on Monday.", "1998-03-09"),  # a forecast is a plan: the nearest
    ("He didn't come to work on Monday.", "1998-03-02"),  # an act done, not a plan: the past
    ("This Monday the minister stressed it.", "1998-03-02"),  # "this" and a weekday go by the tense
    ("This Monday the minister will stress it.", "1998-03-09"),
    # a present passive is the present, not the past
    ("The case is heard in May.", "1998-05"),
    ("The case was heard in May.", "1997-05"),
    # a deferral reaches ahead of the act, whatever its tense ("held until Tuesday" is no deferral)
    ("Officials postponed until Tuesday any action on the case.", "1998-03-10"),
    ("The court has given the relatives until 9 a.m. Tuesday to sign the paper.", "1998-03-10T09:00"),
    ("The lenders extended the loans through January.", "1999-01"),
    ("The police held him until Tuesday.", "1998-03-03"),
    ("Maryland rescheduled its primary to June 2.", "1998-06-02"),
    ("Events have been planned until December.", "1998-12"),  # until, not in the past: ahead
    ("Schools are closed until Tuesday.", "1998-03-10"),
    ("They had given the government until Thursday, but the deadline was not met.", "1998-03-05"),  # pluperfect
    # a participle clause without auxiliaries takes the tense of the clause it hangs on
    ("The stock has fluctuated sharply, rising to $42 from $29 in May.", "1997-05"),
    ("The stock will fluctuate, rising to $42 in May.", "1998-05"),
    ("Despite winning the primary in May, he lost the nomination.", "1997-05"),
    ("He started giving out masks in May.", "1997-05"),
    # a verb coordinated without auxiliaries of its own takes its first conjunct's ("will ... and reopen")
    ("The port will close and reopen on Thursday.", "1998-03-12"),
    ("The firm has cut jobs and closed plants on Monday.", "1998-03-02"),
])
def test_direction_cues(text, expected, parser):
    assert [t.value for t in timex.tag_doc(parser(text), dt.date(1998, 3, 6))] == [expected]


@pytest.mark.parametrize("text, expected", [
    ("Profit fell from the 1988 third quarter.", [("the 1988 third quarter", "1988-Q3")]),
    ("Third-quarter profit rose from the 1988 quarter.", [("Third-quarter", "1989-Q3"), ("the 1988 quarter",
                                                                                        "1988-Q3")]),
    ("Sales rose from the 1988 period.", [("the 1988 period", "1988")]),  # no quarter named: the year
    ("Sales will rise in the first half of 1990.", [("the first half of 1990", "1990-H1")]),
    ("Sales rose in the second half of last year.", [("the second half of last year", "1988-H2")]),
    ("Sales fell in the first half of the year.", [("the first half of the year", "1989-H1")]),
    ("The company earned $5 million in the first quarter.", [("the first quarter", "1989-Q1")]),  # past: this year's
    ("over 1000 years", [("over 1000 years", "P1000Y")]),
])
def test_quarters_and_halves_of_a_year(text, expected):
    assert [(t.text, t.value) for t in timex.tag(text, dt.date(1989, 10, 26))] == expected


def test_a_month_takes_the_year_written_before_it_in_its_sentence():
    text = "In the 2016 election, Sanders continued until June. He spoke in June."
    assert [t.value for t in timex.tag(text, dt.date(2020, 4, 15))] == ["2016", "2016-06", "2019-06"]


def test_a_month_in_a_clause_of_its_own_does_not_take_the_year_before_it():
    text = "He became president in 2005 and was due to stand down in August."
    assert [t.value for t in timex.tag(text, dt.date(2020, 6, 11))] == ["2005", "2020-08"]
    text = "The firm said 4 billion songs were sold since its launch in 2003 and that as of February, it leads."
    assert [t.value for t in timex.tag(text, dt.date(2008, 4, 9))] == ["2003", "2008-02"]


def test_a_clock_time_takes_the_day_named_in_its_sentence():
    values = [t.value for t in timex.tag("On Friday, the blast came at 10:35 a.m. in Nairobi.", dt.date(1998, 8, 8))]
    assert values == ["1998-08-07", "1998-08-07T10:35"]
    values = [t.value for t in timex.tag("The fire broke out before midnight on Friday.", dt.date(1998, 8, 8))]
    assert values == ["1998-08-07T24:00", "1998-08-07"]


@pytest.mark.parametrize("text, expected", [
    # an anaphoric expression takes the latest reference time fine enough for it, moved by its word
    ("Farkas was made a general on May 22, 1995, and the following year he was appointed.",
     [("May 22, 1995", "1995-05-22"), ("the following year", "1996")]),
    ("He fled in June 1998 and returned later that year.", [("June 1998", "1998-06"), ("later that year", "1998")]),
    ("He was killed on Oct. 23, 1999. Earlier that day, his family went out. He appeared in court in 2000 and "
     "left the next morning.", [("Oct. 23, 1999", "1999-10-23"), ("Earlier that day", "1999-10-23"),
                                ("2000", "2000"), ("the next morning", "1999-10-24TMO")]),
    ("Revenue in the second quarter of 1988 was $175 million, as of Sept. 30. Results for that quarter included a "
     "charge; the previous quarter had none.", [("the second quarter of 1988", "1988-Q2"), ("Sept. 30", "2014-09-30"),
                                                ("that quarter", "1988-Q2"), ("the previous quarter", "1988-Q1")]),
    ("The company was founded in March 1989. The following month, it sold a unit.",
     [("March 1989", "1989-03"), ("The following month", "1989-04")]),
    ("Trading was heavy that day.", [("that day", "2015-03-25")]),  # no reference: the publication's day
    ("He was hired in May 2014. At the end of the month, he quit.", [("May 2014", "2014-05"),
                                                                    ("the end of the month", "2014-05")]),
    ("He was shot on May 3, 2014, and died the same day.", [("May 3, 2014", "2014-05-03"),
                                                              ("the same day", "2014-05-03")]),
    ("At the same time, same day delivery began.", []),
])
def test_anaphoric_expressions(text, expected):
    assert [(t.text, t.value) for t in timex.tag(text, DCT)] == expected


@pytest.mark.parametrize("text, expected", [
    # "the year" of a report is the publication's, a period when it ends on a date; "the latest fiscal year" ended
    ("Sales for the full year were $6.6 billion.", [("the full year", "DATE", "2015", "")]),
    ("It expects a loss for the year ending tomorrow.", [("the year", "DURATION", "P1Y", ""),
                                                          ("tomorrow", "DATE", "2015-03-26", "")]),
    ("sales of $6.3 billion in the latest fiscal year", [("the latest fiscal year", "DATE", "2014", "")]),
    ("a reduction of $500 million by the end of the year", [("the end of the year", "DATE", "2015", "END")]),
    ("down from $450 million the year before", []),
    ("named Person of the Year", []),
    ("two cts a share during the full year 1986", [("the full year 1986", "DATE", "1986", "")]),
    ("Exports rose 7.6 pct in the year to end-January.", [("the year", "DURATION", "P1Y", ""),
                                                          ("January", "DATE", "2015-01", "")]),
    ("Grain registrations in the week to April 8 were", [("the week", "DURATION", "P1W", ""),
                                                         ("April 8", "DATE", "2015-04-08", "")]),
    ("He sees 1988 earnings of 3.35 dlrs, up from three dlrs forecast for the year.",
     [("1988", "DATE", "1988", ""), ("the year", "DATE", "1988", "")]),
    ("not unusual at this time of the year", []),
    ("The index fell 3% for the week.", [("the week", "DATE", "2015-W13", "")]),
    ("the week of March 6", [("the week of March 6", "DATE", "2015-W10", "")]),
    ("should be in place by year's end", [("year's end", "DATE", "2015", "END")]),
    ("The percentage change is since year-end.", [("year-end", "DATE", "2014", "END")]),
    ("when year-end net was below", []),
    ("profits in the near term", [("the near term", "DATE", "FUTURE_REF", "")]),
    ("will decide at a later date", [("a later date", "DATE", "FUTURE_REF", "")]),
    ("profits for the current financial year", [("the current financial year", "DATE", "2015", "")]),
    ("sales in financial year 2012", [("financial year 2012", "DATE", "2012", "")]),
    ("moved to an earlier time", [("an earlier time", "DATE", "PAST_REF", "")]),
    ("at a later time-point, the later dates", []),
    ("in the coming weeks", [("the coming weeks", "DURATION", "PXW", "")]),
    ("the weeks ahead", [("the weeks ahead", "DURATION", "PXW", "")]),
])
def test_report_periods(text, expected):
    assert [(t.text, t.type, t.value, t.mod) for t in timex.tag(text, DCT)] == expected


@pytest.mark.parametrize("text, expected", [
    ("the general election due this September", [("this September", "DATE", "2015-09", "")]),
    ("this January", [("this January", "DATE", "2015-01", "")]),  # "this": the publication's year, either way
    ("Last April, the group made a bid.", [("Last April", "DATE", "2014-04", "")]),
    ("Next June they meet.", [("Next June", "DATE", "2015-06", "")]),
    ("last March", [("last March", "DATE", "2014-03", "")]), ("next March", [("next March", "DATE", "2016-03", "")]),
    ("protesters at the annual March for Life on Capitol Hill", []),  # a march, not the month
    ("the March of the Combatant Mothers", []),
    ("prices fell in March to 3.2%", [("March", "DATE", "2015-03", "")]),
])
def test_months(text, expected):
    assert [(t.text, t.type, t.value, t.mod) for t in timex.tag(text, DCT)] == expected


@pytest.mark.parametrize("text, expected", [
    ("results for the fiscal first quarter of 1989", [("the fiscal first quarter of 1989", "DATE", "1989-Q1", "")]),
    ("sales this past spring", [("this past spring", "DATE", "2014-SP", "")]),
    ("Right now, nobody knows.", [("Right now", "DATE", "PRESENT_REF", "")]),
])
def test_spans_with_their_modifiers(text, expected):
    assert [(t.text, t.type, t.value, t.mod) for t in timex.tag(text, DCT)] == expected


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_any_text_never_raises_and_values_are_valid(text):
    for t in timex.tag(text, DCT):
        assert is_valid(t.value, t.type)
        assert text[t.start:t.end] == t.text


PHRASES = st.builds(
    lambda pre, core: f"{pre} {core}",
    st.sampled_from(["", "said", "will meet", "last", "next", "in", "early", "the past", "about", "every"]),
    st.one_of(
        st.builds(lambda m, d, y: f"{m} {d}, {y}", st.sampled_from(["January", "February", "May", "Sept.", "Dec"]),
                  st.integers(0, 40), st.integers(0, 9999)),
        st.builds(lambda n, u: f"{n} {u}", st.sampled_from(["a", "two", "several", "30", "1.5", "twenty-one"]),
                  st.sampled_from(["days", "week", "months", "years", "decades", "century", "hours"])),
        st.sampled_from(["Tuesday", "summer", "the 1990s", "the '90s", "fiscal 2014", "the 21st century", "now"]),
    ),
)


@given(PHRASES, st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)) | st.none())
@settings(max_examples=300, deadline=None)
def test_generated_date_phrases_with_any_dct(phrase, dct):
    for t in timex.tag(phrase, dct):
        assert is_valid(t.value, t.type), t


WORDS = st.sampled_from([
    "the", "said", "on", "TODAY", "This Morning", "the latest period", "9 a.m. EST Tuesday", "the year-earlier quarter",
    "every week", "noon", "Christmas", "2015-03-24", "recently", "the FUTURE", "5 p.m.", "1530 GMT", "in May",
    "the past few WEEKS", "three years ago", "a 14-day strike", "this year's second quarter", "the weekend", "fall",
    "October of this year", "Nov. 2", "in the 1980s", "mid-1990s", "earlier this month", "for days", "1,500 troops",
    "\n", ",", ".", "Monday's", "last spring", "nowadays", "at present", "fiscal 1998", "the 19th century",
    "nineteen ninety-six", "the year two thousand", "the early eighties", "last night", "midday", "twenty fifteen",
    "the 1988 third quarter", "the 1989 period", "the first half of 1990", "since Jan. 13", "effective July 1",
    "that same day", "the following year", "later that month", "the previous quarter", "the next morning",
    "for the full year", "the year ended", "the end of the year", "by year-end", "the near term", "a later date",
    "coming months",
    "the week of Nov. 2", "the latest fiscal year", "the year before", "the March of the Combatant Mothers",
    "Last April", "the March for Life", "this September", "by year\nend", "at year's  end",
    "every Friday night", "Sundays", "each morning", "Monday nights", "this past May", "early this past Monday",
    "the late 90s", "highs in the 90s", "Q3", "Q1 2021", "Q4/twenty twenty", "a couple weeks", "two more years",
    "by mid afternoon", "at mid-afternoon yesterday", "Over the summer", "day-long", "an additional year"])


@given(st.lists(PHRASES | WORDS, min_size=1, max_size=40).map(" ".join),
       st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
@settings(max_examples=300, deadline=None)
def test_rules_run_near_their_anchor_words_find_what_they_find_everywhere(text, dct):
    from dateline.timex import tagger

    assert timex.tag(text, dct) == tagger.find(text, dct, windowed=False)


@given(st.lists(PHRASES | WORDS, min_size=1, max_size=20).map(" ".join),
       st.sampled_from([dt.date(1, 1, 1), dt.date(1, 3, 1), dt.date(9999, 12, 31), dt.date(9999, 10, 1)]))
@settings(max_examples=300, deadline=None)
def test_expressions_that_count_from_others_never_raise_at_the_ends_of_the_calendar(text, dct):
    for t in timex.tag(text, dct):
        assert is_valid(t.value, t.type), t


@pytest.mark.parametrize("text, dct", [
    ("This Week later that month", dt.date(9999, 12, 31)),  # the week of 9999-12-31 ends in year 10000
    ("this past quarter ... the previous quarter", dt.date(1, 1, 1)),  # the quarter before year 1
    ("the first quarter; a year earlier", dt.date(1, 2, 1)),
])
def test_anchoring_at_the_ends_of_the_calendar(text, dct):
    for t in timex.tag(text, dct):
        assert is_valid(t.value, t.type), t


@pytest.mark.parametrize("value, expected", [
    ("2015-03-24", (dt.date(2015, 3, 24), dt.date(2015, 3, 24), "day")),
    ("2014-08", (dt.date(2014, 8, 1), dt.date(2014, 8, 31), "month")),
    ("2014-SU", (dt.date(2014, 6, 1), dt.date(2014, 8, 31), "season")),
    ("2014-WI", (dt.date(2014, 12, 1), dt.date(2015, 2, 28), "season")),
    ("2015-W12-WE", (dt.date(2015, 3, 21), dt.date(2015, 3, 22), "weekend")),
    ("1989-Q3", (dt.date(1989, 7, 1), dt.date(1989, 9, 30), "quarter")),
    ("199", (dt.date(1990, 1, 1), dt.date(1999, 12, 31), "decade")),
    ("2015-03-24TMO", (dt.date(2015, 3, 24), dt.date(2015, 3, 24), "time")),
    ("PRESENT_REF", None),
    ("XXXX-08", None),
])
def test_interval(value, expected):
    assert interval(value) == expected


@pytest.mark.parametrize("value, type_, valid", [
    ("2015-02-29", "DATE", False), ("2016-02-29", "DATE", True), ("2015-13", "DATE", False),
    ("2015-W54", "DATE", False), ("P3D", "DURATION", True), ("PT24H", "DURATION", True), ("P", "DURATION", False),
    ("XXXX-WXX-2", "SET", True), ("PAST_REF", "DATE", True), ("2015-03-24T25:00", "TIME", False),
    ("2015-03-24T24:00", "TIME", True), ("2015-03-24T24:55", "TIME", False),
])
def test_value_grammar(value, type_, valid):
    assert is_valid(value, type_) is valid


@given(st.lists(PHRASES, min_size=1, max_size=6).map(". ".join))
@settings(max_examples=150, deadline=None)
def test_anchored_windows_find_what_a_full_scan_finds(text):
    from dateline.timex import tagger

    assert tagger.find(text, DCT) == tagger.find(text, DCT, windowed=False)


@pytest.mark.parametrize("value, expected", [
    ("199", "the 1990s"), ("19", "the 20th century"), ("11", "the 12th century"), ("2014-SU", "summer 2014"),
    ("2015-W13", "week 13 of 2015"), ("2015-W12-WE", "the weekend of week 12 of 2015"), ("2015-03", "March 2015"),
    ("2015-03-24", "2015-03-24"), ("2015-03-24TMO", "2015-03-24 morning"), ("2015-03-24T14:30", "2015-03-24 14:30"),
    ("1989-Q3", "Q3 1989"), ("1990-H1", "first half of 1990"), ("2015", "2015"), ("FY1989", "fiscal 1989"),
    ("PRESENT_REF", "PRESENT_REF"), ("XXXX-08", "XXXX-08"), ("P3D", "P3D"),
])
def test_readable(value, expected):
    assert readable(value) == expected


def test_anchored_windows_find_what_a_full_scan_finds_in_real_news(wikinews_corpus):
    from dateline.timex import tagger

    for text, published in zip(wikinews_corpus["text"], wikinews_corpus["published"], strict=True):
        assert tagger.find(text, published) == tagger.find(text, published, windowed=False)


@pytest.mark.parametrize("pattern, expected", [
    (r"(?:a|bc)?d", "[abd]"), (r"\b(?<!x)(?:the\s+)?\d+", r"[\dt]"), (r"(?i:ab)", "[Aa]"), (r"x*", None),
    (r"[^a]b", None), (r".b", None), (r"(?:a?)+b", "[ab]"), (r"[0-3]x", r"[\u0030-\u0033]"), (r"(a)\1", "[a]"),
])
def test_first_characters_of_a_pattern(pattern, expected):
    from dateline.timex.anchors import first_characters

    assert first_characters(re.compile(pattern)) == expected


def test_every_rule_is_guarded_on_this_python():
    """``first_characters`` reads CPython's private ``re._parser``: on a Python where it reads nothing (or fails),
    the rules still match the same but a third slower. Pinned here so an upgrade that changes it is noticed."""
    from dateline.timex.rules import RULES

    assert sys.version_info[:2] == (3, 11), "check first_characters against this Python's re._parser, then pin it"
    assert [rule.name for rule in RULES if not rule.pattern.pattern.startswith("(?=[")] == []


def _unguarded(pattern: re.Pattern) -> re.Pattern:
    from dateline.timex.anchors import first_characters

    guard = f"(?={first_characters(pattern)})"
    assert pattern.pattern.startswith(guard), pattern.pattern[:60]
    return re.compile(pattern.pattern[len(guard):], pattern.flags)


@given(st.lists(PHRASES | WORDS | st.text(max_size=5), min_size=1, max_size=30).map(" ".join))
@settings(max_examples=200, deadline=None)
def test_every_rule_behind_its_first_characters_matches_as_without(text):
    from dateline.timex.rules import RULES

    for rule in RULES:
        spans = [m.span() for m in rule.pattern.finditer(text)]
        assert spans == [m.span() for m in _unguarded(rule.pattern).finditer(text)], rule.name


@given(st.text() | st.text(alphabet="AzK\u212a\u0130\u00c9 "))
def test_ascii_lower_lowers_a_to_z_keeps_every_offset_and_makes_no_ascii_letter(text):
    from dateline.timex.anchors import ascii_lower

    lower = ascii_lower(text)
    assert len(lower) == len(text)
    for old, new in zip(text, lower, strict=True):
        assert new == old.lower() if old.isascii() else not new.isascii()
