"""Where the NLP runs (this process, several processes, a Dask cluster) and what the cache saves: always the same
outputs."""

import pandas as pd
import pytest

from dateline import columns as C
from dateline import entities, evaluation, events, executor, nlp, timeline
from dateline.nlp import DEFAULT_MODEL
from tests.conftest import ROOT


def test_processes_default_to_every_core_but_not_for_a_small_corpus(monkeypatch):
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 16)
    assert nlp.processes(0, 10) == 1
    assert nlp.processes(0, 100_000) == 16
    assert nlp.processes(2, 100_000) == 2
    assert nlp.processes(4, 1_000) == 2  # one per 500 texts at most


@pytest.fixture(scope="module")
def wikinews_documents():
    return evaluation.corpus_documents("wikinews", root=ROOT).head(12).reset_index(drop=True)


def _rows(batches):
    """The rows of ``events.extract_with``'s batches, as ``events.extract`` returns them."""
    timexes, rows = [], []
    for batch in batches:
        timexes += batch.timexes
        rows += batch.events
    return timexes, rows


def _outputs(runner, documents):
    mentions, sentences = entities.extract_with(runner, DEFAULT_MODEL, documents)
    canonical, _ = entities.canonicalize(mentions, documents)
    return mentions, sentences, _rows(events.extract_with(runner, DEFAULT_MODEL, documents, sentences, canonical))


def _assert_same(a, b):
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert a[2] == b[2]


@pytest.fixture(scope="module")
def reference(wikinews_documents, ner, parser):
    """The in-process results, with the pipelines loaded directly."""
    mentions, sentences = entities.extract(ner, wikinews_documents)
    canonical, _ = entities.canonicalize(mentions, wikinews_documents)
    result = (mentions, sentences, events.extract(parser, wikinews_documents, sentences, canonical))
    assert len(result[2][1]) > 10
    return result


def test_local_executor_one_or_two_processes_gives_the_in_process_results(monkeypatch, wikinews_documents,
                                                                          reference):
    monkeypatch.setattr(nlp, "TEXTS_PER_PROCESS", 1)
    _assert_same(_outputs(executor.Executor(n_process=1), wikinews_documents), reference)
    _assert_same(_outputs(executor.Executor(n_process=2), wikinews_documents), reference)
    # partitions of 5 texts: both worker processes get work, results come back in order
    _assert_same(_outputs(executor.Executor(n_process=2, partition_size=5), wikinews_documents), reference)


def test_mentions_made_frames_a_few_rows_at_a_time_give_the_same_frames(monkeypatch, wikinews_documents, ner,
                                                                        reference):
    monkeypatch.setattr(entities, "_ROWS_PER_FRAME", 7)
    mentions, sentences = entities.extract(ner, wikinews_documents)
    assert len(mentions) > 7 * 3
    pd.testing.assert_frame_equal(mentions, reference[0])
    pd.testing.assert_frame_equal(sentences, reference[1])


def test_batches_of_documents_give_the_rows_and_frames_of_one_batch(wikinews_documents, reference):
    mentions, sentences, (timex_rows, event_rows) = reference
    whole = timeline.frames([events.Batch(wikinews_documents, timex_rows, event_rows)])
    canonical, _ = entities.canonicalize(mentions, wikinews_documents)
    for size in (5, 3):  # batches of 5, 5 and 2 documents; of 3
        split = timeline.frames(events.extract_with(executor.Executor(), DEFAULT_MODEL, wikinews_documents,
                                                    sentences, canonical, batch_documents=size))
        for a, b in zip(whole, split, strict=True):
            pd.testing.assert_frame_equal(a, b)
    assert len(whole[0]) == len(timex_rows) > 10 and len(whole[1]) == len(event_rows) > 10
    keys = list(zip(whole[0][C.DOC_ID], whole[0][C.START], strict=True))
    assert keys == sorted(keys)


def test_cache_computes_only_new_texts(tmp_path, wikinews_documents, reference):
    cache = tmp_path / "nlp.sqlite"
    before, after = wikinews_documents.head(11), wikinews_documents  # one article added
    first = executor.Executor(cache_path=cache)
    mentions, sentences = entities.extract_with(first, DEFAULT_MODEL, before)
    canonical, _ = entities.canonicalize(mentions, before)
    _rows(events.extract_with(first, DEFAULT_MODEL, before, sentences, canonical))
    parsed_before = {text for *_, text in events.plan(before, sentences, canonical).parse}

    again = executor.Executor(cache_path=cache)
    mentions, sentences = entities.extract_with(again, DEFAULT_MODEL, after)
    assert again.stats == {"cached": 11, "computed": 1}
    canonical, _ = entities.canonicalize(mentions, after)
    todo = {text for *_, text in events.plan(after, sentences, canonical).parse}
    again.stats = {"cached": 0, "computed": 0}
    result = _rows(events.extract_with(again, DEFAULT_MODEL, after, sentences, canonical))
    assert again.stats == {"cached": len(todo & parsed_before), "computed": len(todo - parsed_before)}
    assert 0 < again.stats["computed"] < again.stats["cached"]
    _assert_same((mentions, sentences, result), reference)


def test_cache_rows_of_another_result_format_are_not_read(tmp_path, monkeypatch, wikinews_documents, reference):
    cache = tmp_path / "nlp.sqlite"
    entities.extract_with(executor.Executor(cache_path=cache), DEFAULT_MODEL, wikinews_documents)
    monkeypatch.setattr(executor, "RESULT_FORMAT", executor.RESULT_FORMAT + 1)
    executor.recipe_id.cache_clear()
    try:
        again = executor.Executor(cache_path=cache)
        mentions, sentences = entities.extract_with(again, DEFAULT_MODEL, wikinews_documents)
    finally:
        executor.recipe_id.cache_clear()
    assert again.stats == {"cached": 0, "computed": 12}
    pd.testing.assert_frame_equal(mentions, reference[0])


def test_dask_local_cluster_gives_the_same_bytes_as_local(wikinews_documents, reference):
    pytest.importorskip("distributed")
    runner = executor.Executor(kind="dask", scheduler="local-cluster:2", partition_size=3)
    try:
        _assert_same(_outputs(runner, wikinews_documents), reference)
        assert runner.stats["computed"] > 0
    finally:
        executor.close_dask()


def test_dask_needs_a_scheduler():
    with pytest.raises(ValueError, match="scheduler"):
        executor.Executor(kind="dask")
