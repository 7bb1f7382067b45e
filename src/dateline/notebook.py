"""Executed notebooks without what changes from run to run: papermill's and the kernel's timestamps and durations,
the random id of papermill's injected-parameters cell, and progress bars. The executed copies then differ only when
results do.

Usage: ``python -m dateline.notebook EXECUTED.ipynb [...]`` (rewrites each file in place, atomically)
"""

from __future__ import annotations

import sys

import nbformat

from dateline.io import write_atomic
from dateline.progress import is_progress_text

_TIMING_KEYS = ("start_time", "end_time", "duration")


def normalize(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for key in _TIMING_KEYS:
        nb.metadata.get("papermill", {}).pop(key, None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        for key in _TIMING_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        if cell.get("outputs"):
            cell["outputs"] = [o for o in cell["outputs"] if not (o.get("output_type") == "stream" and o.get(
                "name") == "stderr" and is_progress_text(o.get("text", "")))]
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = f"injected-parameters-{index}"
    return nb


def normalize_file(path: str) -> None:
    nb = normalize(nbformat.read(path, as_version=4))
    write_atomic(path, lambda tmp: nbformat.write(nb, str(tmp)))


def main(argv: list[str] | None = None) -> int:
    paths = sys.argv[1:] if argv is None else argv
    for path in paths:
        normalize_file(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
