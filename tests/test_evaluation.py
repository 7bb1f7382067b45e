import sys

import pandas as pd
import pytest

from dateline import columns as C
from dateline.tools import evaluation
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def gold_project(tmp_path_factory):
    """A copy of the project with the gold files' corpora (the sample and Wikinews) in data/raw: the evaluations
    build them there with make, as `make report` does."""
    from dateline import provenance

    copy = provenance.copy_project(ROOT, tmp_path_factory.mktemp("gold-project"))
    for corpus in ("tikrit", "wikinews"):
        provenance.copy_raw(ROOT / "data" / "raw" / corpus, copy / "data" / "raw" / corpus)
    return copy


def test_surface_key():
    assert evaluation.surface_key("the Islamic State's") == evaluation.surface_key("Islamic State")


def test_entity_scores_count_entities_and_merges():
    gold = {"d": [{"name": "United States", "type": "PLACE", "aliases": ["U.S.", "the United States"]},
                  {"name": "Iran", "type": "PLACE", "aliases": ["Iran"]}]}
    mentions = pd.DataFrame({C.DOC_ID: ["d"] * 4, C.TEXT: ["U.S.", "the United States", "Iran", "Tehran"],
                             C.NAME: ["United States", "United States", "Iran", "Iran"],
                             C.ENTITY_ID: ["PLACE:United States"] * 2 + ["PLACE:Iran"] * 2})
    scores = evaluation.entity_scores(gold, mentions)
    assert (scores["entities"]["tp"], scores["entities"]["predicted"], scores["entities"]["gold"]) == (2, 2, 2)
    assert (scores["merges"]["tp"], scores["merges"]["predicted"], scores["merges"]["gold"]) == (1, 2, 1)
    assert scores["merges"]["precision"] == 0.5


def test_gold_entities_are_met(gold_project):
    scores = evaluation.evaluate_entities(ROOT / "tests/gold/entities.yaml", root=gold_project, venv=sys.prefix)
    assert scores["documents"] == 11
    assert scores["merges"]["precision"] >= 0.9
    assert scores["entities"]["f1"] >= 0.75


def test_timeline_scores_compare_dates_triggers_and_main_actors():
    gold = {"d": [{"date": "2020-01-11TMO", "trigger": "acknowledge", "actor": "Iran"},
                  {"date": "2020-01-08", "trigger": "crash", "actor": ""}]}
    events = pd.DataFrame({C.DOC_ID: ["d", "d", "d"], C.ANCHOR: ["timex", "timex", "publication"],
                           C.VALUE: ["2020-01-11", "2020-01-08", "2020-01-13"],
                           C.TRIGGER: ["acknowledge", "crash", "deny"],
                           "actor_names": [["Iran"], ["Boeing"], ["Iran"]]})
    scores = evaluation.timeline_scores(gold, events)
    assert scores["date+trigger"]["tp"] == 2 and scores["date+trigger"]["predicted"] == 2
    assert scores["date+trigger+actor"]["tp"] == 1


def test_gold_timelines_are_met(gold_project):
    scores = evaluation.evaluate_timeline(ROOT / "tests/gold/timelines.yaml", root=gold_project, venv=sys.prefix)
    assert scores["documents"] == 6
    # in the corpora's merged timelines: an event merged with another article's is scored at the merged row's date
    assert scores["date+trigger"]["f1"] >= 0.78
    assert scores["date+trigger+actor"]["f1"] >= 0.58
