"""Where the NLP runs (this process, several processes, a Dask cluster) and what the cache saves: always the same
outputs."""

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dateline import columns as C
from dateline import entities, evaluation, executor, io, narrative, nlp, offsets, timeline
from dateline.entities import NER
from dateline.nlp import DEFAULT_MODEL, PARSE
from dateline.stages import entities as entities_stage
from dateline.stages import timeline as timeline_stage
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
    """The rows of ``timeline_stage.extract_with``'s batches, as ``narrative.extract`` returns them."""
    timexes, rows = [], []
    for batch in batches:
        timexes += batch.timexes
        rows += batch.events
    return timexes, rows


def _extract(runner, documents, sentences, mentions, size=timeline_stage.DOCUMENTS_PER_BATCH):
    batches = timeline_stage.document_batches(documents, sentences, mentions, size)
    return timeline_stage.extract_with(runner, DEFAULT_MODEL, batches, total=len(documents))


def _outputs(runner, documents):
    mentions, sentences = entities_stage.extract_with(runner, DEFAULT_MODEL, documents)
    canonical, _ = entities.canonicalize(mentions, documents)
    return mentions, sentences, _rows(_extract(runner, documents, sentences, canonical))


def _assert_same(a, b):
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert a[2] == b[2]


@pytest.fixture(scope="module")
def reference(wikinews_documents, ner, parser):
    """The in-process results, with the pipelines loaded directly."""
    mentions, sentences = entities.extract(ner, wikinews_documents)
    canonical, _ = entities.canonicalize(mentions, wikinews_documents)
    result = (mentions, sentences, narrative.extract(parser, wikinews_documents, sentences, canonical))
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
    monkeypatch.setattr(io, "ROWS_PER_FRAME", 7)
    mentions, sentences = entities.extract(ner, wikinews_documents)
    assert len(mentions) > 7 * 3
    pd.testing.assert_frame_equal(mentions, reference[0])
    pd.testing.assert_frame_equal(sentences, reference[1])


def _collect(batches):
    """``timeline_stage.collect``'s time expressions (as they are written, in one frame) and events."""
    written, tables = [], []
    timeline_stage.collect(batches, written.append, tables.append)
    return pd.concat(written, ignore_index=True), timeline.order(pa.concat_tables(tables).to_pandas())


def test_batches_of_documents_give_the_rows_and_frames_of_one_batch(wikinews_documents, reference):
    mentions, sentences, (timex_rows, event_rows) = reference
    whole = _collect([timeline_stage.Batch(wikinews_documents, timex_rows, event_rows)])
    canonical, _ = entities.canonicalize(mentions, wikinews_documents)
    for size in (5, 3):  # batches of 5, 5 and 2 documents; of 3
        split = _collect(_extract(executor.Executor(), wikinews_documents, sentences, canonical, size=size))
        for a, b in zip(whole, split, strict=True):
            pd.testing.assert_frame_equal(a, b)
    assert len(whole[0]) == len(timex_rows) > 10 and len(whole[1]) == len(event_rows) > 10
    position = {doc_id: i for i, doc_id in enumerate(wikinews_documents[C.DOC_ID])}
    keys = list(zip(whole[0][C.DOC_ID].map(position), whole[0][C.START], strict=True))
    assert keys == sorted(keys)  # in the documents' order, then by offset


def test_batches_read_from_the_stage_files_are_the_batches_of_the_frames(tmp_path, monkeypatch, wikinews_documents,
                                                                        reference):
    mentions, sentences, _ = reference
    canonical, _ = entities.canonicalize(mentions, wikinews_documents)
    monkeypatch.setattr(io, "ROW_GROUP_BYTES", 2_000)  # several row groups per file: batches cross them
    monkeypatch.setattr(io, "ROW_GROUP_MIN_ROWS", 3)
    files = {}
    stage_01 = wikinews_documents.drop(columns="segments")  # as documents.parquet holds them
    for name, frame in (("documents", stage_01), ("sentences", sentences), ("mentions", canonical)):
        files[name] = io.write_parquet(frame, tmp_path / f"{name}.parquet")
        assert pq.ParquetFile(files[name]).metadata.num_row_groups > 2
    stored = list(timeline_stage.stored_batches(files["documents"], files["sentences"], files["mentions"], size=5))
    in_memory = list(timeline_stage.document_batches(wikinews_documents, sentences, canonical, 5))
    assert [len(docs) for docs, *_ in stored] == [5, 5, 2]
    columns = (timeline_stage.DOCUMENT_COLUMNS, timeline_stage.SENTENCE_COLUMNS, timeline_stage.MENTION_COLUMNS)
    for a, b in zip(stored, in_memory, strict=True):
        for x, y, cols in zip(a, b, columns, strict=True):
            pd.testing.assert_frame_equal(x, y[cols].reset_index(drop=True), check_dtype=False)


def test_entities_read_from_the_stage_files_a_batch_at_a_time_are_those_of_the_whole_corpus(tmp_path, monkeypatch,
                                                                                           wikinews_documents):
    documents = wikinews_documents.sort_values(C.DOC_ID, ignore_index=True)  # as stage 01 writes them
    lengths = documents[C.TEXT].str.len()
    raw = pd.DataFrame({C.DOC_ID: documents[C.DOC_ID], C.START: 0, C.END: lengths, C.RAW_START: 7,
                        C.RAW_END: lengths + 7})
    documents_file = io.write_parquet(documents[[C.DOC_ID, C.TEXT, C.PUBLISHED]], tmp_path / "documents.parquet")
    offsets_file = io.write_parquet(raw, tmp_path / "offsets.parquet")
    runner = executor.Executor()
    mentions, sentences = entities_stage.extract_with(runner, DEFAULT_MODEL, documents)
    expected, expected_entities = entities.canonicalize(mentions, documents)
    expected = offsets.add_raw_offsets(expected, raw)
    found_sentences, found = [], []
    stored = entities_stage.extract_stored(runner, DEFAULT_MODEL, documents_file, offsets_file, found_sentences.append,
                                     dir=tmp_path / "runs", size=5)
    assert runner.stats["cached"] == len(documents)  # the second pass over the texts reads the NER results
    monkeypatch.setattr(entities_stage, "MENTION_ROWS", 7)  # chunks of a few mentions, re-cut at documents
    counted = []
    got_entities = entities_stage.resolve_stored(stored, found.append, counted.append)
    assert list((tmp_path / "runs").iterdir()) == []
    assert [len(part) for part in counted] == [len(part) for part in found]
    got = pd.concat(found, ignore_index=True)
    assert (got[C.RAW_START] == got[C.START] + 7).all() and len(got) > 50 and len(found) > 5
    assert all(part[C.DOC_ID].iloc[-1] < next_part[C.DOC_ID].iloc[0] for part, next_part in
               zip(found, found[1:], strict=False))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    pd.testing.assert_frame_equal(got_entities, expected_entities, check_dtype=False)
    pd.testing.assert_frame_equal(pd.concat(found_sentences, ignore_index=True), sentences)


def test_cache_computes_only_new_texts(tmp_path, wikinews_documents, reference):
    cache = tmp_path / "nlp.sqlite"
    before, after = wikinews_documents.head(11), wikinews_documents  # one article added
    first = executor.Executor(cache_path=cache)
    mentions, sentences = entities_stage.extract_with(first, DEFAULT_MODEL, before)
    canonical, _ = entities.canonicalize(mentions, before)
    _rows(_extract(first, before, sentences, canonical))
    parsed_before = {text for *_, text in narrative.plan(before, sentences, canonical).parse}

    again = executor.Executor(cache_path=cache)
    mentions, sentences = entities_stage.extract_with(again, DEFAULT_MODEL, after)
    assert again.stats == {"cached": 11, "computed": 1}
    canonical, _ = entities.canonicalize(mentions, after)
    todo = {text for *_, text in narrative.plan(after, sentences, canonical).parse}
    again.stats = {"cached": 0, "computed": 0}
    result = _rows(_extract(again, after, sentences, canonical))
    assert again.stats == {"cached": len(todo & parsed_before), "computed": len(todo - parsed_before)}
    assert 0 < again.stats["computed"] < again.stats["cached"]
    _assert_same((mentions, sentences, result), reference)


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
        _assert_same(_outputs(runner, wikinews_documents), reference)
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


def test_fill_computes_each_new_text_once_and_run_then_reads_it(tmp_path, monkeypatch, wikinews_documents):
    monkeypatch.setattr(nlp, "TEXTS_PER_PROCESS", 1)  # two worker processes, kept busy by a window of partitions
    texts = list(wikinews_documents[C.TEXT].head(7))
    texts = texts + texts[:2]  # a text seen again, in a later partition
    filled = executor.Executor(n_process=2, partition_size=2, cache_path=tmp_path / "nlp.sqlite")
    filled.fill(NER, DEFAULT_MODEL, iter(texts), total=len(texts))
    assert filled.stats == {"cached": 0, "computed": 7}
    results = list(filled.run(NER, DEFAULT_MODEL, texts, show_progress=False))
    assert filled.stats == {"cached": 0, "computed": 7}  # what fill computed is not counted again as cached
    assert results == list(executor.compute(NER, DEFAULT_MODEL, texts))
    assert list(filled._pools) == [("ner", DEFAULT_MODEL)]
    again = executor.Executor(cache_path=tmp_path / "nlp.sqlite")
    again.fill(NER, DEFAULT_MODEL, texts, total=len(texts))
    list(again.run(NER, DEFAULT_MODEL, texts, show_progress=False))
    assert again.stats == {"cached": 7, "computed": 0}
    filled.close()


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
