"""TimeML in and out, the TempEval-3 scorer and the conventions table."""

import datetime as dt

import pytest

from dateline.timex import timeml
from dateline.timex.tagger import Timex

TML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>doc1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="1998-03-06" functionInDocument="CREATION_TIME">1998-03-06</TIMEX3></DCT>
<TEXT>Talks ended <TIMEX3 tid="t1" type="DATE" value="1998-03-03">Tuesday</TIMEX3> after <TIMEX3 tid="t2"
type="DURATION" value="P3D">three days</TIMEX3>, <EVENT eid="e1">officials</EVENT> said.</TEXT>
</TimeML>
"""


def _file(tmp_path, text):
    path = tmp_path / "in.tml"
    path.write_text(text)
    return path


def test_read_gives_the_plain_text_and_its_tags(tmp_path):
    doc = timeml.read(_file(tmp_path, TML))
    assert (doc.docid, doc.dct) == ("doc1", dt.date(1998, 3, 6))
    assert doc.text == "Talks ended Tuesday after three days, officials said."
    assert [(doc.text[t.start:t.end], t.type, t.value) for t in doc.timexes] == [
        ("Tuesday", "DATE", "1998-03-03"), ("three days", "DURATION", "P3D")]


def test_write_then_read_gives_the_same_tags(tmp_path):
    doc = timeml.read(_file(tmp_path, TML))
    tags = [Timex(12, 19, "Tuesday", "DATE", "1998-03-03", ""), Timex(26, 36, "three days", "DURATION", "P3D", "")]
    timeml.write(doc, tags, tmp_path / "out.tml")
    again = timeml.read(tmp_path / "out.tml")
    assert again.text == doc.text and again.dct == doc.dct
    assert [(t.start, t.end, t.type, t.value) for t in again.timexes] == [(t.start, t.end, t.type, t.value)
                                                                          for t in tags]


def _t(start, end, value, type_="DATE"):
    return Timex(start, end, "", type_, value, "")


def test_score_counts_strict_and_relaxed_spans_then_type_and_value_over_relaxed_matches():
    gold = {"d": [_t(0, 7, "1998-03-03"), _t(10, 20, "P3D", "DURATION"), _t(30, 35, "1997"), _t(40, 45, "1998")]}
    system = {"d": [_t(0, 7, "1998-03-03"),  # right
                    _t(12, 20, "P3D", "DURATION"),  # boundary only
                    _t(30, 35, "P1Y", "DURATION"),  # type and value wrong
                    _t(50, 55, "1999")]}  # spurious; gold 40-45 missed
    result = timeml.score(gold, system)
    assert (result["gold"], result["system"]) == (4, 4)
    assert result["strict"]["f1"] == pytest.approx(2 / 4)
    assert result["relaxed"]["f1"] == pytest.approx(3 / 4)
    assert result["type"]["f1"] == pytest.approx(2 / 4)
    assert result["value"]["f1"] == pytest.approx(2 / 4)
    assert dict(result["error_counts"]) == {"boundary": 1, "value": 1, "missed": 1, "spurious": 1}


def test_a_system_tag_is_matched_once():
    gold = {"d": [_t(0, 5, "1998"), _t(6, 10, "1998-03")]}
    system = {"d": [_t(0, 10, "1998")]}  # overlaps both gold tags
    result = timeml.score(gold, system)
    assert result["relaxed"]["precision"] == 1.0 and result["relaxed"]["recall"] == 0.5


@pytest.mark.parametrize("text, kind", [
    ("last Tuesday", "last <weekday>"),
    ("the 1990s", "the #s"),
    ("Two weeks ago", "<n> weeks ago"),
    ("Sept. 27, 1989", "<month> #, #"),
    ("May 3", "<month> #"),
])
def test_expression_kind_abstracts_numbers_weekdays_and_months(text, kind):
    assert timeml.expression_kind(text) == kind


def test_conventions_measure_what_the_gold_s_majority_form_would_gain():
    def tags(*values):
        return [Timex(10 * i, 10 * i + 9, "last week", "DATE", v, "") for i, v in enumerate(values)]

    gold = {"a": tags("1998-W10", "1998-03-02", "1998-03-09"), "b": tags("1998-03")}
    system = {"a": tags("1998-W10", "1998-W10", "1998-W11"), "b": tags("1998-W12")}
    [row] = timeml.conventions(gold, system)
    assert row["kind"] == "last week"
    assert row["gold"] == {"9999-99-99": 2, "9999-W99": 1, "9999-99": 1}
    assert row["system"] == {"9999-W99": 4}
    assert (row["gold_majority"], row["gold_majority_n"], row["gain"]) == ("9999-99-99", 2, 1)


CAT = """<?xml version="1.0" ?><Document doc_id="7" doc_name="7_x">
<token sentence="0" t_id="1">Talks</token><token sentence="0" t_id="2">end</token>
<token sentence="1" t_id="3">March</token><token sentence="1" t_id="4">6</token>
<token sentence="2" t_id="5">Talks</token><token sentence="2" t_id="6">ended</token>
<token sentence="2" t_id="7">on</token><token sentence="2" t_id="8">Tuesday</token>
<token sentence="2" t_id="9">,</token>
<token sentence="2" t_id="10">officials</token><token sentence="2" t_id="11">said</token>
<token sentence="2" t_id="12">.</token>
<token sentence="7" t_id="13">Later</token><token sentence="7" t_id="14">that</token>
<token sentence="7" t_id="15">year</token>
<Markables>
<TIMEX3 m_id="1" type="DATE" value="1998-03-06" functionInDocument="CREATION_TIME"><token_anchor t_id="3"/>
<token_anchor t_id="4"/></TIMEX3>
<TIMEX3 m_id="2" type="DATE" value="1998-03-03" functionInDocument="NONE"><token_anchor t_id="8"/></TIMEX3>
<TIMEX3 m_id="3" type="DATE" value="1998" functionInDocument="NONE"><token_anchor t_id="14"/>
<token_anchor t_id="15"/></TIMEX3>
<TIMEX3 m_id="4" type="DATE" value="1998-Q1" functionInDocument="NONE"/>
</Markables></Document>
"""


def test_a_meantime_document_becomes_timeml_of_its_sentences_annotated_in_full(tmp_path):
    path = tmp_path / "7_x.xml"
    path.write_text(CAT, encoding="utf-8")
    doc = timeml.from_cat(path)
    # the headline and sentence 2; not the date line (the creation time: the DCT) nor sentence 7 (not annotated)
    assert (doc.docid, doc.dct, doc.text) == ("7", dt.date(1998, 3, 6), "Talks end\n\nTalks ended on Tuesday, "
                                                                       "officials said.")
    assert [(t.text, t.type, t.value) for t in doc.timexes] == [("Tuesday", "DATE", "1998-03-03")]
    timeml.write(doc, doc.timexes, tmp_path / "7.tml")
    assert timeml.read(tmp_path / "7.tml").timexes == doc.timexes
