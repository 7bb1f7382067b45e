"""Reuters-21578 (SGML, ``reut2-*.sgm``) read into articles: research data, never shipped, its path a parameter.

Each ``<REUTERS>`` element gives NEWID, ``<DATE>`` (e.g. ``26-FEB-1987 15:01:01.79``), ``<TITLE>``, ``<DATELINE>``
(e.g. ``    SALVADOR, Feb 26 - ``) and ``<BODY>``; entities such as ``&lt;`` and the control character ``&#3;`` that
ends each body are decoded and dropped.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path

_RE_ARTICLE = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_RE_NEWID = re.compile(r'NEWID="(\d+)"')
_RE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_RE_DATELINE_DATE = re.compile(
    r"\s*,?\s*\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{1,2}\b.*$|\s*-+\s*$",
    re.S | re.I)


def _field(block: str, tag: str) -> str:
    m = re.search(rf"<{tag}>(.*?)</{tag}>", block, re.S)
    return _RE_CONTROL.sub("", html.unescape(m.group(1))) if m else ""


def articles(folder: str | Path) -> Iterator[dict]:
    """Every article of the collection, in file and NEWID order: id, title, dateline, body, published, file."""
    for path in sorted(Path(folder).glob("reut2-*.sgm")):
        text = path.read_bytes().decode("latin-1")  # the files are ASCII but for a few stray bytes
        for attrs, block in _RE_ARTICLE.findall(text):
            newid = _RE_NEWID.search(attrs)
            date = _field(block, "DATE").strip()
            try:
                published = dt.datetime.strptime(date.split(".")[0], "%d-%b-%Y %H:%M:%S").date()
            except ValueError:
                published = None
            yield {"id": f"reuters-{newid.group(1) if newid else '?'}", "title": _field(block, "TITLE").strip(),
                   "dateline": _field(block, "DATELINE"), "body": _field(block, "BODY"), "published": published,
                   "file": path.name}


def gold_place(dateline: str) -> str:
    """The place of a Reuters dateline: ``"    PORTLAND, Ore., Feb 26 - "`` -> ``"PORTLAND, Ore."`` (what comes
    before the date, or before the dash when there is no date)."""
    return " ".join(_RE_DATELINE_DATE.sub("", dateline.strip(" *\n")).split())


def to_jsonl(folder: str | Path, out: str | Path, *, limit: int | None = None) -> int:
    """Write articles with a body as JSON lines of the input contract (text = dateline + body); return the count."""
    n = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        for a in articles(folder):
            if not a["body"].strip():
                continue
            record = {"id": a["id"], "title": a["title"], "text": a["dateline"] + a["body"],
                      "published": a["published"].isoformat() if a["published"] else "", "source": "Reuters"}
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
            if limit is not None and n >= limit:
                break
    return n
