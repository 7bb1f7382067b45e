"""Key dates (dateline.steps.keydates), their date F1 (evaluation.date_f1) and the exports beside the report
(dateline.report.exports)."""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dateline import columns as C
from dateline.report import exports
from dateline.steps import keydates
from dateline.timex.values import interval
from dateline.tools import evaluation
from tests.conftest import ROOT

PERIOD = (dt.date(2023, 3, 5), dt.date(2023, 3, 16))


def event(event_id: str, value: str, docs: list[str], *, anchor: str = "timex", cls: str = "OCCURRENCE",
          description: str = "", confidence: float = 0.8, participants: tuple[str, ...] = ()) -> dict:
    start, end, granularity = interval(value)
    return {C.EVENT_ID: event_id, C.VALUE: value, C.START_DATE: start, C.END_DATE: end, C.GRANULARITY: granularity,
            C.EVENT_CLASS: cls, C.ANCHOR: anchor, C.CONFIDENCE: confidence, C.DOC_ID: docs[0], C.DOC_IDS: docs,
            C.N_SOURCES: len(docs), C.DESCRIPTION: description or f"event {event_id}",
            C.PARTICIPANTS: list(participants)}


def chosen(events: list[dict], count: int = 0, **kwargs) -> pd.DataFrame:
    """Key dates of events fed in timeline order, in two tables (a date's events may straddle them)."""
    ordered = sorted(events, key=lambda e: (e[C.START_DATE], e[C.END_DATE], e[C.EVENT_ID]))
    chooser = keydates.KeyDates(kwargs.pop("period", PERIOD), **kwargs)
    half = len(ordered) // 2
    for part in (ordered[:half], ordered[half:]):
        chooser.add(part)
    return chooser.chosen(count)


def test_a_day_many_articles_date_outranks_a_day_one_article_reports_at_length():
    events = [event("a", "2023-03-08", ["d1", "d2", "d3"], description="ferries stopped"),
              *[event(f"p{i}", "2023-03-09", ["d4"], anchor="publication") for i in range(6)],
              event("s", "2023-03-10", ["d5", "d6"], cls="REPORTING", description="the union said")]
    found = chosen(events, 2)
    assert found[C.DATE].tolist() == ["2023-03-08", "2023-03-10"]  # in date order
    assert found[C.SCORE].tolist() == [3.0, 1.0]  # three articles; two statements at half weight
    assert found[C.N_SOURCES].tolist() == [3, 2] and found[C.DOC_IDS].tolist()[0] == ["d1", "d2", "d3"]
    assert found[C.HEADLINE].tolist() == ["Ferries stopped", "The union said"]


def test_by_default_the_news_days_then_the_best_others_up_to_five():
    news = [event(f"n{i}", f"2023-03-{6 + i:02d}", [f"d{i}", f"e{i}"]) for i in range(7)]
    background = [event("b1", "2019", ["d0", "e0", "f0"]), event("b2", "2023-02-28", ["d1"])]
    weak = [event("w", "2023-03-15", ["d9"], anchor="publication")]  # a score of 0.25: never a key date
    assert chosen(news + background + weak)[C.DATE].tolist() == [f"2023-03-{6 + i:02d}" for i in range(7)]
    few = chosen(news[:2] + background + weak)  # two news days: the best background fills up to five
    assert few[C.DATE].tolist() == ["2019", "2023-02-28", "2023-03-06", "2023-03-07"]
    assert few[C.GRANULARITY].tolist() == ["year", "day", "day", "day"]


def test_a_time_of_day_is_its_day_and_undated_events_are_no_key_date():
    undated = {**event("u", "2023-03-09", ["d3"]), C.VALUE: "", C.START_DATE: None, C.END_DATE: None}
    chooser = keydates.KeyDates(PERIOD)
    chooser.add([event("t", "2023-03-08T05:00", ["d1"]), event("d", "2023-03-08", ["d2"]), undated])
    found = chooser.chosen()
    assert found[C.DATE].tolist() == ["2023-03-08"] and found[C.N_SOURCES].tolist() == [2]


def test_a_headline_that_repeats_a_better_dates_line_gives_way_to_the_next_event():
    events = [event("a", "2023-03-08", ["d1", "d2", "d3"], description="Ferries stopped across the bay"),
              event("b", "2023-03-09", ["d4", "d5"], description="ferries stopped across the bay again"),
              event("c", "2023-03-09", ["d6"], description="the mayor visited the terminal")]
    found = chosen(events).set_index(C.DATE)
    assert found.loc["2023-03-09", C.HEADLINE] == "The mayor visited the terminal"
    assert found.loc["2023-03-09", C.EVENT_IDS][0] == "c"


def test_an_entitys_key_dates_are_those_of_its_events_and_say_whose_they_are():
    events = [event("a", "2023-03-08", ["d1", "d2"], participants=("ORG:Bayline",)),
              event("b", "2023-03-09", ["d3", "d4", "d5"], participants=("PERSON:Okafor",))]
    found = chosen(events, 3, about=("ORG:Bayline", "Bayline"))
    assert found[C.DATE].tolist() == ["2023-03-08"]
    assert found[[C.ENTITY_ID, C.NAME]].values.tolist() == [["ORG:Bayline", "Bayline"]]


def test_a_story_has_a_date_a_fifth_of_its_articles_tell_of():
    found = chosen([event("a", "2023-03-08", ["d1", "d2"])])
    assert keydates.is_story(found, 10) and not keydates.is_story(found, 11)
    assert not keydates.is_story(found.iloc[:0], 1)


def test_the_news_period_starts_the_day_before_the_first_article():
    published = [dt.date(2023, 3, 8), None, float("nan"), pd.Timestamp("2023-03-06")]
    assert keydates.news_period(published) == (dt.date(2023, 3, 5), dt.date(2023, 3, 8))
    assert keydates.news_period([None]) is None


@given(st.sets(st.integers(0, 30)), st.sets(st.integers(0, 30)))
def test_date_f1_is_tilses_set_precision_and_recall(predicted, gold):
    days = lambda s: {f"2023-03-{d + 1:02d}" for d in s}  # noqa: E731
    score = evaluation.date_f1(days(predicted), days(gold))
    right = len(predicted & gold)
    assert score["right"] == right and 0.0 <= score["f1"] <= 1.0
    assert score["f1"] == (1.0 if predicted == gold and gold else score["f1"])
    if right:
        p, r = right / len(predicted), right / len(gold)
        assert score["f1"] == pytest.approx(2 * p * r / (p + r))
    else:
        assert score["f1"] == 0.0


def test_timelinejs_dates_are_as_precise_as_the_value():
    assert exports.timeline_dates("2015-03-24") == ({"year": 2015, "month": 3, "day": 24}, None)
    assert exports.timeline_dates("2014-08") == ({"year": 2014, "month": 8}, None)
    assert exports.timeline_dates("2019") == ({"year": 2019}, None)
    assert exports.timeline_dates("2014-SU") == ({"year": 2014, "month": 6, "day": 1},
                                                 {"year": 2014, "month": 8, "day": 31})
    assert exports.timeline_dates("PRESENT_REF") is None


def valid_timelinejs(timeline: dict) -> bool:
    """The parts of TimelineJS3's JSON format (timeline.knightlab.com/docs/json-format.html) this export uses."""
    def valid_date(d: dict) -> bool:
        return (set(d) <= {"year", "month", "day"} and isinstance(d["year"], int)
                and 1 <= d.get("month", 1) <= 12 and 1 <= d.get("day", 1) <= 31)
    slides = timeline["events"]
    return (isinstance(timeline["title"]["text"]["headline"], str) and isinstance(slides, list)
            and all(valid_date(s["start_date"]) and valid_date(s.get("end_date", {"year": 1}))
                    and isinstance(s["text"]["headline"], str) and isinstance(s["text"]["text"], str)
                    and isinstance(s["unique_id"], str) for s in slides)
            and len({s["unique_id"] for s in slides}) == len(slides))


def test_timelinejs_export_escapes_what_came_from_articles():
    hostile = "<script>alert(1)</script>"
    key_dates = pd.DataFrame([{C.DATE: "2023-03-08", C.GRANULARITY: "day", C.HEADLINE: f"Ferries {hostile}",
                               C.EVENT_IDS: ["e1"], C.N_SOURCES: 2, C.DOC_IDS: ["d1", "d2"], C.SCORE: 2.0,
                               C.ENTITY_ID: "", C.NAME: ""}])
    events = pd.DataFrame({C.EVENT_ID: ["e1"], C.DESCRIPTION: [f"crews {hostile} walked out"]})
    documents = pd.DataFrame({C.DOC_ID: ["d1", "d2"], C.TITLE: [f"A {hostile} title", None],
                              C.URL: ["javascript:alert(1)", "https://example.org/a?b=1&c=<2>"]})
    timeline = exports.timelinejs(key_dates, events, documents, title=f"corpus {hostile}")
    assert valid_timelinejs(timeline)
    text = json.dumps(timeline)
    assert "<script>" not in text and "javascript:" not in text
    slide = timeline["events"][0]
    assert slide["start_date"] == {"year": 2023, "month": 3, "day": 8}
    assert '<a href="https://example.org/a?b=1&amp;c=&lt;2&gt;">d2</a>' in slide["text"]["text"]


def test_the_network_reads_back_from_its_gexf_and_carries_no_date_stamp():
    entities = pd.DataFrame({C.ENTITY_ID: ["ORG:A&B", "PERSON:<X>"], C.NAME: ["A & B", "<X>"],
                             C.LABEL: ["ORG", "PERSON"], C.N_MENTIONS: [3, 2], C.N_DOCS: [2, 1]})
    pairs = pd.DataFrame({C.ENTITY_A: ["ORG:A&B"], C.ENTITY_B: ["PERSON:<X>"], C.COUNT: [4]})
    text = exports.gexf(exports.network(entities, pairs))
    assert "lastmodifieddate" not in text and text.startswith("<?xml")
    graph = nx.read_gexf(io.BytesIO(text.encode()))
    assert graph.nodes["ORG:A&B"]["label"] == "A & B" and graph.edges["ORG:A&B", "PERSON:<X>"]["weight"] == 4


@pytest.mark.slow
def test_the_strike_storys_key_dates_are_its_seven_days_and_few_others():
    table = evaluation.evaluate_key_dates([ROOT / "tests" / "data" / "strike"], root=ROOT, venv=Path(sys.prefix))
    row = table.iloc[0]
    assert row["recall"] == 1.0 and row["f1"] >= 0.85, row.to_dict()
