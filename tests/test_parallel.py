"""Stages 02 and 03 a batch at a time, read from their files and on any executor: always the outputs of the whole
corpus in one process."""

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dateline import columns as C
from dateline import executor, io
from dateline.nlp import DEFAULT_MODEL
from dateline.stages import entities as entities_stage
from dateline.stages import timeline as timeline_stage
from dateline.steps import entities, offsets, timeline
from tests.conftest import extract_events


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
        split = _collect(extract_events(executor.Executor(), wikinews_documents, sentences, canonical, size=size))
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


