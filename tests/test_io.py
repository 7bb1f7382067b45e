"""Stage files: atomic writes, row groups, and reading only the rows a step needs."""

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import io


def _frame(n=5_000):
    return pd.DataFrame({"doc_id": [f"d{i // 10:05d}" for i in range(n)], "start": range(n),
                         "text": [f"word {i} " * 5 for i in range(n)]})


def test_large_frames_are_written_in_row_groups_that_read_back_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "ROW_GROUP_BYTES", 20_000)
    frame = _frame()
    io.write_parquet(frame, tmp_path / "a.parquet")
    assert pq.ParquetFile(tmp_path / "a.parquet").metadata.num_row_groups > 2
    pd.testing.assert_frame_equal(io.read_parquet(tmp_path / "a.parquet"), frame)
    io.write_parquet(frame, tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_where_reads_the_rows_whose_columns_hold_the_values(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "ROW_GROUP_BYTES", 20_000)
    frame = _frame()
    path = io.write_parquet(frame, tmp_path / "a.parquet")
    ids = ["d00003", "d00250", "missing"]
    expected = frame[frame["doc_id"].isin(ids)].reset_index(drop=True)
    pd.testing.assert_frame_equal(io.read_parquet(path, where={"doc_id": ids}), expected)
    both = io.read_parquet(path, columns=["start"], where={"doc_id": ids, "start": [30, 31, 2501, 7]})
    assert both["start"].tolist() == [30, 31, 2501]
    none = io.read_parquet(path, where={"doc_id": []})
    assert none.empty and list(none.columns) == list(frame.columns)


_SCHEMA = pa.schema([("doc_id", pa.large_string()), ("start", pa.int64()), ("text", pa.large_string())])


def test_a_file_written_a_frame_at_a_time_reads_back_as_their_concatenation(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "ROW_GROUP_BYTES", 20_000)
    frame = _frame()
    parts = [frame.iloc[i:i + 700] for i in range(0, len(frame), 700)]
    parts.insert(1, frame.iloc[:0])
    no_text = pd.DataFrame({"doc_id": ["z"], "start": [0], "text": [None]})  # a column all empty: no type of its own
    with io.ParquetParts(tmp_path / "a.parquet", _SCHEMA, metadata={"model": "m 1"}) as out:
        out.write(no_text)
        for part in parts:
            out.write(part)
    assert out.rows == len(frame) + 1
    assert pq.ParquetFile(tmp_path / "a.parquet").metadata.num_row_groups > 2
    read = io.read_parquet(tmp_path / "a.parquet")
    assert read.iloc[0]["doc_id"] == "z" and pd.isna(read.iloc[0]["text"])
    pd.testing.assert_frame_equal(read.iloc[1:].reset_index(drop=True), frame)
    assert io.parquet_metadata(tmp_path / "a.parquet") == {"model": "m 1"}
    assert io.parquet_rows(tmp_path / "a.parquet") == len(frame) + 1


def test_a_file_written_a_frame_at_a_time_does_not_appear_when_the_writing_fails(tmp_path):
    io.write_csv(pd.DataFrame({"a": [1]}), tmp_path / "a.parquet")  # an older output stays as it was
    before = (tmp_path / "a.parquet").read_bytes()
    try:
        with io.ParquetParts(tmp_path / "a.parquet", _SCHEMA) as out:
            out.write(_frame(10))
            raise RuntimeError("the stage failed")
    except RuntimeError:
        pass
    assert (tmp_path / "a.parquet").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.parquet"]  # no temp file left


def test_a_frame_that_does_not_fit_the_schema_is_an_error(tmp_path):
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError)):
        with io.ParquetParts(tmp_path / "a.parquet", _SCHEMA) as out:
            out.write(pd.DataFrame({"doc_id": ["a"], "start": ["not a number"], "text": ["t"]}))
    assert not (tmp_path / "a.parquet").exists()


def test_parts_and_head_read_a_file_a_few_rows_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "ROW_GROUP_BYTES", 20_000)
    frame = _frame()
    path = io.write_parquet(frame, tmp_path / "a.parquet")
    parts = list(io.parquet_parts(path, ["doc_id", "text"], rows=1_200))
    assert [len(p) for p in parts] == [1_200, 1_200, 1_200, 1_200, 200]
    pd.testing.assert_frame_equal(pd.concat(parts, ignore_index=True), frame[["doc_id", "text"]])
    pd.testing.assert_frame_equal(io.parquet_head(path, ["start"], rows=3), frame[["start"]].head(3))
    empty = io.write_parquet(frame.iloc[:0], tmp_path / "empty.parquet")
    head = io.parquet_head(empty, ["doc_id", "start"])
    assert head.empty and list(head.columns) == ["doc_id", "start"]


def test_where_reads_the_statistics_of_its_own_column_after_a_nested_column(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "ROW_GROUP_BYTES", 20_000)
    frame = _frame()
    frame.insert(0, "pair", [{"a": i, "b": "x"} for i in range(len(frame))])  # two Parquet columns before doc_id
    path = io.write_parquet(frame, tmp_path / "a.parquet")
    assert pq.ParquetFile(path).metadata.num_row_groups > 2
    ids = ["d00003", "d00250", "d00499"]
    read = io.read_parquet(path, columns=["doc_id", "start"], where={"doc_id": ids})
    expected = frame.loc[frame["doc_id"].isin(ids), ["doc_id", "start"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(read, expected)


_RUN_SCHEMA = pa.schema([("key", pa.int64()), ("serial", pa.int64()), ("blob", pa.large_string())])


# memory_bytes: 0 writes every part as a run, 2,000 some parts together, 10**9 none (sorted in memory)
_MEMORY = st.sampled_from([0, 2_000, 10**9])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-5, 5), max_size=40), max_size=6), st.integers(1, 7), st.integers(1, 9), _MEMORY)
def test_sorted_runs_read_back_as_a_stable_sort_of_all_their_frames(tmp_path_factory, keys, group_rows, rows, memory):
    frames, serial = [], 0
    for run in keys:
        frames.append(pd.DataFrame({"key": pd.array(run, dtype="int64"), "serial": range(serial, serial + len(run)),
                                    "blob": [f"x{serial + i}" for i in range(len(run))]}))
        serial += len(run)
    runs = io.SortedRuns("key", _RUN_SCHEMA, dir=tmp_path_factory.mktemp("runs"), group_rows=group_rows,
                         memory_bytes=memory)
    for frame in frames:
        runs.write(frame)
    chunks = list(runs.sorted(rows=rows))
    assert all(0 < len(chunk) <= rows for chunk in chunks)
    out = (pa.concat_tables(chunks) if chunks else _RUN_SCHEMA.empty_table()).to_pandas()
    expected = io.concat_frames(frames, _RUN_SCHEMA.names)
    expected = expected.sort_values("key", kind="stable", ignore_index=True) if len(expected) else expected
    assert out["serial"].tolist() == expected["serial"].tolist()
    assert out["blob"].tolist() == expected["blob"].tolist()
    runs.close()


_KEYED_SCHEMA = pa.schema([("a", pa.int64()), ("b", pa.large_string()), ("c", pa.date32()), ("serial", pa.int64())])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.none() | st.integers(-2, 2), st.none() | st.sampled_from(["", "a", "ab", "é"]),
                                   st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2000, 1, 3))), max_size=30),
                max_size=5), st.integers(1, 5), st.integers(1, 9), _MEMORY)
def test_sorted_runs_on_several_keys_sort_as_arrow_does_nulls_last(tmp_path_factory, parts, group_rows, rows, memory):
    tables, serial = [], 0
    for part in parts:
        a, b, c = zip(*part, strict=True) if part else ((), (), ())
        tables.append(pa.table({"a": pa.array(a, pa.int64()), "b": pa.array(b, pa.large_string()),
                                "c": pa.array(c, pa.date32()),
                                "serial": pa.array(range(serial, serial + len(part)), pa.int64())}))
        serial += len(part)
    runs = io.SortedRuns(["a", "b", "c"], _KEYED_SCHEMA, dir=tmp_path_factory.mktemp("runs"), group_rows=group_rows,
                         memory_bytes=memory)
    for table in tables:
        runs.write(table)
    got = [s for chunk in runs.sorted(rows=rows) for s in chunk["serial"].to_pylist()]
    whole = pa.concat_tables(tables) if tables else _KEYED_SCHEMA.empty_table()
    expected = whole.take(pc.sort_indices(whole, sort_keys=[(k, "ascending", "at_end") for k in "abc"]))
    assert got == expected["serial"].to_pylist()  # Arrow's sort is stable: ties in the order written
    runs.close()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 4), max_size=30), st.lists(st.integers(0, 6), max_size=6))
def test_whole_runs_recut_chunks_where_a_value_ends_and_keep_every_row(values, cuts):
    values = sorted(values)
    table, chunks, start = pa.table({"v": pa.array(values, pa.int64()), "serial": range(len(values))}), [], 0
    for size in cuts:
        chunks.append(table.slice(start, size))
        start += size
    chunks.append(table.slice(start))
    out = list(io.whole_runs(chunks, "v"))
    assert [s for part in out for s in part["serial"].to_pylist()] == list(range(len(values)))
    assert all(len(part) for part in out)
    ends = [part["v"][-1].as_py() for part in out[:-1]]
    assert all(end != nxt["v"][0].as_py() for end, nxt in zip(ends, out[1:], strict=True))  # no value split


def test_sorted_runs_hold_one_row_group_of_each_run_and_leave_no_file(tmp_path):
    runs = io.SortedRuns("key", _RUN_SCHEMA, dir=tmp_path, group_rows=10, memory_bytes=0)
    for r in range(5):
        runs.write(pd.DataFrame({"key": range(r, 1000, 5), "serial": range(200), "blob": ["b"] * 200}))
    assert len(list(tmp_path.iterdir())) == 1
    held = []
    for chunk in runs.sorted(rows=50):
        held.append(runs.held_rows)
        assert chunk["key"].to_pylist() == sorted(chunk["key"].to_pylist())
    assert max(held) <= 5 * 10 + 50
    runs.close()
    assert list(tmp_path.iterdir()) == []


def test_sorted_runs_remove_their_file_when_dropped(tmp_path):
    runs = io.SortedRuns("key", _RUN_SCHEMA, dir=tmp_path, memory_bytes=0)
    runs.write(pd.DataFrame({"key": [2, 1], "serial": [0, 1], "blob": ["a", "b"]}))
    assert len(list(tmp_path.iterdir())) == 1
    del runs
    import gc
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def test_sorted_runs_within_their_memory_never_touch_the_disk_and_spill_beyond_it(tmp_path):
    part = pd.DataFrame({"key": [3, 1, 2], "serial": [0, 1, 2], "blob": ["x" * 100] * 3})
    small = io.SortedRuns("key", _RUN_SCHEMA, dir=tmp_path)
    small.write(part)
    assert list(tmp_path.iterdir()) == []
    assert [c["serial"].to_pylist() for c in small.sorted(rows=2)] == [[1, 2], [0]]
    large = io.SortedRuns("key", _RUN_SCHEMA, dir=tmp_path, memory_bytes=500)
    large.write(part)
    assert list(tmp_path.iterdir()) == []
    large.write(part)  # now over 500 bytes: both parts written as one run
    assert len(list(tmp_path.iterdir())) == 1
    assert [s for c in large.sorted(rows=4) for s in c["serial"].to_pylist()] == [1, 1, 2, 2, 0, 0]
    large.close()
    assert list(tmp_path.iterdir()) == []
