"""Where the NLP runs (this process, several processes, a Dask cluster) and what its cache saves: the same results,
each text computed once."""

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dateline import columns as C
from dateline import executor, nlp
from dateline.nlp import DEFAULT_MODEL, PARSE
from dateline.stages import entities as entities_stage
from dateline.steps import entities, narrative
from dateline.steps.entities import NER
from tests.conftest import assert_same_outputs, extract_events, stage_outputs, stage_rows


def test_processes_default_to_every_core_but_not_for_a_small_corpus(monkeypatch):
    monkeypatch.setattr(nlp.os, "cpu_count", lambda: 16)
    assert nlp.processes(0, 10) == 1
    assert nlp.processes(0, 100_000) == 16
    assert nlp.processes(2, 100_000) == 2
    assert nlp.processes(4, 1_000) == 2  # one per 500 texts at most


def test_local_executor_one_or_two_processes_gives_the_in_process_results(monkeypatch, wikinews_documents,
                                                                          reference):
    monkeypatch.setattr(nlp, "TEXTS_PER_PROCESS", 1)
    assert_same_outputs(stage_outputs(executor.Executor(n_process=1), wikinews_documents), reference)
    assert_same_outputs(stage_outputs(executor.Executor(n_process=2), wikinews_documents), reference)
    # partitions of 5 texts: both worker processes get work, results come back in order
    assert_same_outputs(stage_outputs(executor.Executor(n_process=2, partition_size=5), wikinews_documents), reference)


def test_cache_computes_only_new_texts(tmp_path, wikinews_documents, reference):
    cache = tmp_path / "nlp.sqlite"
    before, after = wikinews_documents.head(11), wikinews_documents  # one article added
    first = executor.Executor(cache_path=cache)
    mentions, sentences = entities_stage.extract_with(first, DEFAULT_MODEL, before)
    canonical, _ = entities.canonicalize(mentions, before)
    stage_rows(extract_events(first, before, sentences, canonical))
    parsed_before = {text for *_, text in narrative.plan(before, sentences, canonical).parse}

    again = executor.Executor(cache_path=cache)
    mentions, sentences = entities_stage.extract_with(again, DEFAULT_MODEL, after)
    assert again.stats == {"cached": 11, "computed": 1}
    canonical, _ = entities.canonicalize(mentions, after)
    todo = {text for *_, text in narrative.plan(after, sentences, canonical).parse}
    again.stats = {"cached": 0, "computed": 0}
    result = stage_rows(extract_events(again, after, sentences, canonical))
    assert again.stats == {"cached": len(todo & parsed_before), "computed": len(todo - parsed_before)}
    assert 0 < again.stats["computed"] < again.stats["cached"]
    assert_same_outputs((mentions, sentences, result), reference)


def test_cache_rows_of_another_result_format_are_not_read(tmp_path, monkeypatch, wikinews_documents, reference):
    cache = tmp_path / "nlp.sqlite"
    entities_stage.extract_with(executor.Executor(cache_path=cache), DEFAULT_MODEL, wikinews_documents)
    monkeypatch.setattr(executor, "RESULT_FORMAT", executor.RESULT_FORMAT + 1)
    executor.recipe_id.cache_clear()
    try:
        again = executor.Executor(cache_path=cache)
        mentions, sentences = entities_stage.extract_with(again, DEFAULT_MODEL, wikinews_documents)
    finally:
        executor.recipe_id.cache_clear()
    assert again.stats == {"cached": 0, "computed": 12}
    pd.testing.assert_frame_equal(mentions, reference[0])


def test_dask_local_cluster_gives_the_same_bytes_as_local(wikinews_documents, reference):
    pytest.importorskip("distributed")
    runner = executor.Executor(kind="dask", scheduler="local-cluster:2", partition_size=3)
    try:
        assert_same_outputs(stage_outputs(runner, wikinews_documents), reference)
        assert runner.stats["computed"] > 0
    finally:
        executor.close_dask()


def test_texts_all_in_the_cache_need_no_cluster(tmp_path, monkeypatch):
    cache, texts = tmp_path / "nlp.sqlite", ["The talks began on Tuesday.", "They end in May."]
    expected = list(executor.Executor(cache_path=cache).run(PARSE, DEFAULT_MODEL, texts))

    def no_cluster(scheduler):
        raise AssertionError(f"a client for {scheduler} was asked for")
    monkeypatch.setattr(executor, "dask_client", no_cluster)
    cached = executor.Executor(kind="dask", scheduler="tcp://127.0.0.1:1", cache_path=cache)
    assert list(cached.run(PARSE, DEFAULT_MODEL, texts)) == expected
    assert cached.stats == {"cached": 2, "computed": 0}


def test_dask_needs_a_scheduler():
    with pytest.raises(ValueError, match="scheduler"):
        executor.Executor(kind="dask")


@given(st.integers(0, 5_000), st.integers(1, 16), st.integers(1, 500))
def test_partitions_cover_the_texts_in_order_in_a_multiple_of_the_processes(n, processes, size):
    parts = executor.balanced_partitions(n, processes, size)
    assert [i for lo, hi in parts for i in range(lo, hi)] == list(range(n))
    sizes = [hi - lo for lo, hi in parts]
    assert all(0 < k <= size for k in sizes) and (not sizes or max(sizes) - min(sizes) <= 1)
    rounds = -(-n // (processes * size))  # partitions per process
    assert len(parts) == min(n, rounds * processes)  # every process gets as many (when there are texts enough)


def test_ahead_computes_each_new_text_once_in_the_processes_the_corpus_calls_for(tmp_path, monkeypatch,
                                                                               wikinews_documents):
    monkeypatch.setattr(nlp, "TEXTS_PER_PROCESS", 4)  # 9 texts: two processes, though no batch alone calls for them
    texts = list(wikinews_documents[C.TEXT].head(7))
    texts = texts + texts[:2]  # texts seen again, in a later batch
    batches = [(i, texts[i:i + 3]) for i in range(0, len(texts), 3)]
    runner = executor.Executor(cache_path=tmp_path / "nlp.sqlite")
    got = [(i, list(results)) for i, results in runner.ahead(NER, DEFAULT_MODEL, iter(batches), total=len(texts))]
    assert [i for i, _ in got] == [0, 3, 6]
    assert [r for _, results in got for r in results] == list(executor.compute(NER, DEFAULT_MODEL, texts))
    assert runner.stats == {"cached": 2, "computed": 7}
    assert list(runner._pools) == [("ner", DEFAULT_MODEL)]
    again = executor.Executor(cache_path=tmp_path / "nlp.sqlite")
    for _, results in again.ahead(NER, DEFAULT_MODEL, batches, total=len(texts)):
        list(results)
    assert again.stats == {"cached": 9, "computed": 0}
    runner.close()


def test_a_corrupt_cache_is_moved_aside_with_a_warning_and_started_afresh(tmp_path, capsys):
    from dateline.executor import _cache_get, _cache_put, _open_cache

    path = tmp_path / "nlp.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    db = _open_cache(path)
    _cache_put(db, {"k": b"v"})
    assert _cache_get(db, ["k"]) == {"k": b"v"}
    db.close()
    assert (tmp_path / "nlp.sqlite.corrupt").read_bytes().startswith(b"this is not a database")
    warning = capsys.readouterr().err
    assert str(path) in warning and "moved to" in warning and "started afresh" in warning


def test_started_results_stream_as_their_partitions_land_and_a_later_batch_reads_them_from_the_cache(tmp_path,
                                                                                                     monkeypatch):
    computed: list[str] = []

    def counted(task, model, texts, *, batch_size=64):
        for text in texts:
            computed.append(text)
            yield text.upper().encode()
    monkeypatch.setattr(executor, "compute", counted)
    monkeypatch.setattr(executor, "_CHUNK", 10)
    texts = [f"sentence {i}" for i in range(35)]
    runner = executor.Executor(cache_path=tmp_path / "nlp.sqlite")
    first = runner.start(PARSE, DEFAULT_MODEL, texts)
    later = runner.start(PARSE, DEFAULT_MODEL, texts[:12] + ["another"])  # started while the first is in flight
    stream = first()
    assert next(stream) == b"SENTENCE 0"
    assert len(computed) < len(texts)  # the first result came before the last text was computed
    assert [next(stream), *stream] == [t.upper().encode() for t in texts[1:]]
    assert list(later()) == [t.upper().encode() for t in texts[:12] + ["another"]]
    assert sorted(computed) == sorted(texts + ["another"])  # each text computed once
    assert runner.stats == {"cached": 12, "computed": 36}
