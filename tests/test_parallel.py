"""Several processes give the same outputs as one."""

import pandas as pd
import pytest

from dateline import columns as C
from dateline import entities, evaluation, events, nlp
from tests.conftest import ROOT


def test_processes_default_to_every_core_but_not_for_a_small_corpus(monkeypatch):
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 16)
    assert nlp.processes(0, 10) == 1
    assert nlp.processes(0, 100_000) == 16
    assert nlp.processes(2, 100_000) == 2
    assert nlp.processes(4, 1_000) == 2  # one per 500 texts at most


@pytest.fixture(scope="module")
def wikinews_documents():
    return evaluation.corpus_documents("wikinews", root=ROOT).head(12)


def test_two_processes_give_the_same_entities_and_events_as_one(monkeypatch, wikinews_documents, ner, parser):
    monkeypatch.setattr(nlp, "TEXTS_PER_PROCESS", 1)
    one = entities.extract(ner, wikinews_documents, n_process=1)
    two = entities.extract(ner, wikinews_documents, n_process=2)
    for a, b in zip(one, two, strict=True):
        pd.testing.assert_frame_equal(a, b)
    mentions, _ = entities.canonicalize(one[0], wikinews_documents)
    single = events.extract(parser, wikinews_documents, one[1], mentions, n_process=1)
    double = events.extract(parser, wikinews_documents, one[1], mentions, n_process=2)
    assert single == double
    assert len(single[1]) > 10 and {C.TRIGGER, C.VALUE} <= set(single[1][0])
