"""Stage files: atomic writes, row groups, and reading only the rows a step needs."""

import pandas as pd
import pyarrow.parquet as pq

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
