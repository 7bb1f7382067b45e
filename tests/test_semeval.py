"""SemEval-2015 TimeLine: the CAT documents as a corpus, entity timelines in the task's format."""

import datetime as dt

import pandas as pd

from dateline import columns as C
from dateline.tools import semeval

CAT = """<?xml version="1.0" ?><Document doc_id="1664" doc_name="x">
<token number="0" sentence="0" t_id="1">Jobs</token><token number="1" sentence="0" t_id="2">speaks</token>
<token number="2" sentence="1" t_id="3">June</token><token number="3" sentence="1" t_id="4">6</token>
<token number="4" sentence="2" t_id="5">Steve</token><token number="5" sentence="2" t_id="6">Jobs</token>
<token number="6" sentence="2" t_id="7">,</token><token number="7" sentence="2" t_id="8">CEO</token>
<token number="8" sentence="2" t_id="9">(</token><token number="9" sentence="2" t_id="10">Apple</token>
<token number="10" sentence="2" t_id="11">)</token><token number="11" sentence="2" t_id="12">spoke</token>
<token number="12" sentence="2" t_id="13">.</token>
<token number="13" sentence="3" t_id="14">He</token><token number="14" sentence="3" t_id="15">left</token>
<Markables><TIMEX3 functionInDocument="CREATION_TIME" m_id="49" type="DATE" value="2005-06-06"/></Markables>
</Document>"""


def test_a_cat_document_becomes_a_record_whose_tokens_map_back(tmp_path):
    path = tmp_path / "1664.xml"
    path.write_text(CAT, encoding="utf-8")
    doc = semeval.read_cat(path)
    assert doc.doc_id == "1664" and doc.published == dt.date(2005, 6, 6)
    record, index = semeval.to_record(doc)
    assert record["title"] == "Jobs speaks" and record["published"] == "2005-06-06"
    assert record["text"] == "Steve Jobs, CEO (Apple) spoke.\n\nHe left"
    assert index.at(record["text"].index("spoke")) == "2-spoke"
    assert index.at(record["text"].index("left") + 2) == "3-left"
    assert index.at(record["text"].index("\n")) is None


def test_anchors_are_written_as_the_gold_writes_them():
    assert semeval.anchor(dt.date(2005, 6, 6), "day") == "2005-06-06"
    assert semeval.anchor(dt.date(2005, 6, 1), "month") == "2005-06"
    assert semeval.anchor(dt.date(2005, 1, 1), "year") == "2005"
    assert semeval.anchor(None, "day") == "XXXX-XX-XX"


def test_a_target_is_the_entity_of_that_name_or_a_longer_name_within_it():
    entities = pd.DataFrame({C.ENTITY_ID: ["PERSON:Steve Jobs", "ORG:Apple Corps", "ORG:Apple"],
                             C.NAME: ["Steve Jobs", "Apple Corps", "Apple"],
                             C.ALIASES: [["Steve Jobs", "Jobs"], ["Apple Corps"], ["Apple"]]})
    assert semeval.matching_entities("Steve Jobs", entities) == ["PERSON:Steve Jobs"]
    assert semeval.matching_entities("Beatles Apple Corps", entities) == ["ORG:Apple Corps"]
    assert semeval.matching_entities("iPod", entities) == []
    stores = pd.DataFrame({C.ENTITY_ID: ["ORG:iTunes Music Store", "ORG:Apple Store"],
                           C.NAME: ["iTunes Music Store", "Apple Store"],
                           C.ALIASES: [["iTunes Music Store"], ["Apple Store"]]})
    assert semeval.matching_entities("iTunes store", stores) == ["ORG:iTunes Music Store"]  # its words, in order
    assert semeval.matching_entities("Store", stores) == []  # one word: the name itself only


def test_a_timeline_orders_the_targets_events_and_numbers_simultaneous_ones_alike():
    index = semeval.TokenIndex([0, 6, 11], [5, 10, 15], ["2-Jobs", "2-said", "3-left"])
    events = pd.DataFrame({C.PARTICIPANTS: [["P:J"], ["P:J"], ["O:X"]], C.DOC_ID: ["1664"] * 3,
                           C.TRIGGER_START: [11, 6, 0], C.TRIGGER_END: [15, 10, 5],
                           C.START_DATE: [dt.date(2005, 6, 6), dt.date(1985, 1, 1), dt.date(2005, 6, 6)],
                           C.GRANULARITY: ["day", "year", "day"]})
    entities = pd.DataFrame({C.ENTITY_ID: ["P:J"], C.NAME: ["Steve Jobs"], C.ALIASES: [["Steve Jobs"]]})
    lines = semeval.timeline("Steve Jobs", events, entities, {"1664": index}, lambda doc_id, start, end: (start, end))
    assert lines == ["Steve Jobs", "1\t1985\t1664-2-said", "2\t2005-06-06\t1664-3-left"]


def test_a_multi_word_trigger_is_named_by_its_tokens_joined_by_underscores():
    index = semeval.TokenIndex([0, 5, 10, 14], [4, 9, 13, 20], ["2-Jobs", "2-took", "2-off", "3-Friday"])
    assert index.mention(5, 13) == "2-took_off"
    assert index.mention(5, 9) == "2-took"
    assert index.mention(10, 20) is None  # two sentences
    assert index.mention(4, 9) is None  # starts on no token


def test_a_mention_is_listed_once_at_its_most_confident_events_anchor():
    index = semeval.TokenIndex([0], [8], ["2-unveiled"])
    events = pd.DataFrame({C.PARTICIPANTS: [["P:J"], ["P:J"]], C.DOC_ID: ["1"] * 2, C.TRIGGER_START: [0, 0],
                           C.TRIGGER_END: [8, 8],
                           C.START_DATE: [dt.date(2010, 1, 1), dt.date(2010, 6, 7)],
                           C.GRANULARITY: ["year", "day"], C.CONFIDENCE: [0.5, 1.0]})
    entities = pd.DataFrame({C.ENTITY_ID: ["P:J"], C.NAME: ["Steve Jobs"], C.ALIASES: [["Steve Jobs"]]})
    lines = semeval.timeline("Steve Jobs", events, entities, {"1": index}, lambda doc_id, start, end: (start, end))
    assert lines == ["Steve Jobs", "1\t2010-06-07\t1-2-unveiled"]


def test_an_entity_timeline_of_any_corpus_names_events_by_document_sentence_and_trigger():
    events = pd.DataFrame({C.PARTICIPANTS: [["P:J"], ["P:J"], ["P:J"]], C.DOC_ID: ["a", "a", "b"],
                           C.SENT_ID: [3, -1, 0], C.TRIGGER_TEXT: ["showed off", "unveils", "said"],
                           C.START_DATE: [dt.date(2010, 6, 7), dt.date(2010, 6, 7), None],
                           C.GRANULARITY: ["day", "day", "none"], C.CONFIDENCE: [1.0, 0.5, 0.3]})
    entities = pd.DataFrame({C.ENTITY_ID: ["P:J"], C.NAME: ["Steve Jobs"], C.ALIASES: [["Steve Jobs", "Jobs"]]})
    lines = semeval.timeline_lines("Steve Jobs", events, entities, semeval.corpus_mention)
    assert lines == ["Steve Jobs", "1\t2010-06-07\ta--1-unveils", "1\t2010-06-07\ta-3-showed_off",
                     "0\tXXXX-XX-XX\tb-0-said"]  # the undated last, with order 0


def test_a_gold_timelines_dates_are_read_as_key_dates_write_them(tmp_path):
    gold = tmp_path / "jobs.txt"
    gold.write_text("Steve Jobs\n0\tXXXX-XX-XX\t1-2-said\n1\t2010-06-XX\t1-3-unveil\n2\t2010-06-07\t1-4-say\n"
                    "3\t2011-XX-XX\t2-1-resign\n4\t2010-06-07\t2-2-show\n", encoding="utf-8")
    assert semeval.gold_dates(gold) == ["2010-06", "2010-06-07", "2011"]


def test_an_entitys_key_dates_are_scored_against_its_gold_dates(tmp_path):
    from tests.test_keydates import event

    gold = tmp_path / "jobs.txt"
    gold.write_text("Steve Jobs\n1\t2010-06-07\t1-2-unveil\n2\t2011-01-17\t2-3-leave\n", encoding="utf-8")
    entities = pd.DataFrame({C.ENTITY_ID: ["PERSON:Steve Jobs"], C.NAME: ["Steve Jobs"], C.ALIASES: [["Jobs"]]})
    events = pd.DataFrame([event("a", "2010-06-07", ["d1", "d2"], participants=("PERSON:Steve Jobs",)),
                           event("b", "2010-06-09", ["d3", "d4", "d5"], participants=("ORG:Apple",)),
                           event("c", "2009", ["d6"], participants=("PERSON:Steve Jobs",))])
    events[C.ACTORS] = [[], [], []]
    score = semeval.key_date_f1(gold, "Steve Jobs", events, entities)
    assert (score["predicted"], score["right"], score["gold"]) == (2, 1, 2)  # 2010-06-07 and 2009; not Apple's day
