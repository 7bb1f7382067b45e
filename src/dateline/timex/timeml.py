"""TimeML in and out, and a TempEval-3 style scorer for TIMEX3 tags.

Scores, as TempEval-3 computes them: strict span F1 (exact offsets), relaxed span F1 (any overlap), and, over the
relaxed matches, type F1 and value F1 (a match counts only when the attribute is right too: P = right / system
tags, R = right / gold tags).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from dateline.timex.tagger import Timex


@dataclass
class TimeMLDoc:
    docid: str
    dct: dt.date | None
    text: str
    timexes: list[Timex] = field(default_factory=list)


def read(path: str | Path) -> TimeMLDoc:
    """A .tml file: its DOCID, DCT, plain TEXT and the TIMEX3 tags in it (offsets into the plain text)."""
    root = ET.parse(path).getroot()
    docid = (root.findtext("DOCID") or Path(path).stem).strip()
    dct_tag = root.find("DCT/TIMEX3")
    dct = None
    if dct_tag is not None:
        try:
            dct = dt.date.fromisoformat(dct_tag.get("value", "")[:10])
        except ValueError:
            dct = None
    text_el = root.find("TEXT")
    parts: list[str] = []
    timexes: list[Timex] = []

    def walk(el: ET.Element) -> None:
        if el.text:
            parts.append(el.text)
        for child in el:
            start = sum(len(p) for p in parts)
            walk(child)
            if child.tag == "TIMEX3":
                end = sum(len(p) for p in parts)
                timexes.append(Timex(start, end, "".join(parts)[start:end], child.get("type", ""),
                                     child.get("value", ""), child.get("mod", "")))
            if child.tail:
                parts.append(child.tail)

    if text_el is not None:
        walk(text_el)
    return TimeMLDoc(docid, dct, "".join(parts), timexes)


def write(doc: TimeMLDoc, timexes: list[Timex], path: str | Path) -> None:
    """A TimeML file of ``doc`` with ``timexes`` as its TIMEX3 tags (no EVENT or TLINK)."""
    out, pos = [], 0
    for i, t in enumerate(sorted(timexes, key=lambda t: (t.start, t.end)), start=1):
        if t.start < pos:
            continue
        attrs = f"tid=\"t{i}\" type={quoteattr(t.type)} value={quoteattr(t.value)}"
        attrs += f" mod={quoteattr(t.mod)}" if t.mod else ""
        out.append(escape(doc.text[pos:t.start]))
        out.append(f"<TIMEX3 {attrs}>{escape(doc.text[t.start:t.end])}</TIMEX3>")
        pos = t.end
    out.append(escape(doc.text[pos:]))
    dct = doc.dct.isoformat() if doc.dct else ""
    Path(path).write_text(
        '<?xml version="1.0" ?>\n<TimeML>\n'
        f"<DOCID>{escape(doc.docid)}</DOCID>\n"
        f'<DCT><TIMEX3 tid="t0" type="DATE" value="{dct}" functionInDocument="CREATION_TIME">{dct}</TIMEX3></DCT>\n'
        f"<TEXT>{''.join(out)}</TEXT>\n</TimeML>\n", encoding="utf-8")


def _f1(right: int, n_sys: int, n_gold: int) -> dict:
    p = right / n_sys if n_sys else 0.0
    r = right / n_gold if n_gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def score(gold: dict[str, list[Timex]], system: dict[str, list[Timex]], texts: dict[str, str] | None = None) -> dict:
    """Compare TIMEX3 tags document by document (keys: document ids). Returns span, type and value scores and an
    error list (missed, spurious, boundary, type, value) with the texts involved."""
    n_gold = n_sys = strict = relaxed = right_type = right_value = 0
    errors = []
    for docid, gold_tags in gold.items():
        sys_tags = list(system.get(docid, []))
        n_gold += len(gold_tags)
        n_sys += len(sys_tags)
        used: set[int] = set()
        for g in gold_tags:
            free = [i for i in range(len(sys_tags)) if i not in used]
            match = next((i for i in free if (sys_tags[i].start, sys_tags[i].end) == (g.start, g.end)), None)
            if match is None:
                match = next((i for i in free if sys_tags[i].start < g.end and g.start < sys_tags[i].end), None)
            if match is None:
                errors.append({"docid": docid, "error": "missed", "gold": g.text, "gold_value": g.value,
                               "system": "", "system_value": ""})
                continue
            used.add(match)
            s = sys_tags[match]
            relaxed += 1
            exact = (s.start, s.end) == (g.start, g.end)
            strict += exact
            right_type += s.type == g.type
            right_value += s.value == g.value
            kind = "value" if s.value != g.value else "type" if s.type != g.type else "boundary" if not exact else ""
            if kind:
                errors.append({"docid": docid, "error": kind, "gold": g.text, "gold_value": g.value,
                               "system": s.text, "system_value": s.value})
        errors += [{"docid": docid, "error": "spurious", "gold": "", "gold_value": "", "system": s.text,
                    "system_value": s.value} for i, s in enumerate(sys_tags) if i not in used]
    return {
        "gold": n_gold, "system": n_sys,
        "strict": _f1(strict, n_sys, n_gold), "relaxed": _f1(relaxed, n_sys, n_gold),
        "type": _f1(right_type, n_sys, n_gold), "value": _f1(right_value, n_sys, n_gold),
        "errors": errors, "error_counts": Counter(e["error"] for e in errors),
    }


def tml_files(path: str | Path) -> list[Path]:
    path = Path(path)
    return sorted(path.rglob("*.tml")) if path.is_dir() else [path]
