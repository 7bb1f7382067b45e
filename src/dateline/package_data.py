"""The editable tables shipped in ``src/dateline/data/`` (CSV; lines starting with # are comments)."""

from __future__ import annotations

import csv
from importlib import resources


def package_table(name: str) -> list[dict]:
    """Rows of ``data/<name>`` as dicts (``name`` may have a folder: "timex/months.csv")."""
    text = resources.files("dateline").joinpath("data", *name.split("/")).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(lines))
