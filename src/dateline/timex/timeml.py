"""TimeML in and out, and a TempEval-3 style scorer for TIMEX3 tags.

Scores, as TempEval-3 computes them: strict span F1 (exact offsets), relaxed span F1 (any overlap), and, over the
relaxed matches, type F1 and value F1 (a match counts only when the attribute is right too: P = right / system
tags, R = right / gold tags).
"""

from __future__ import annotations

import datetime as dt
import re
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


CAT_SENTENCES = (0, 2, 3, 4, 5)  # the sentences MEANTIME annotates in full: the headline, then four after the date line


def from_cat(path: str | Path) -> TimeMLDoc:
    """A MEANTIME (CAT) document as TimeML: its text the sentences annotated in full (``CAT_SENTENCES``), one
    paragraph each; its DCT the creation time; its TIMEX3 tags those of these sentences (the creation time, on the
    date line, left out)."""
    from dateline.tools.semeval import join_tokens  # the corpus's own detokenizer (imported here: it needs pandas)

    root = ET.parse(path).getroot()
    sentence_of, words = {}, {}
    for token in root.iter("token"):
        sentence_of[token.get("t_id")] = int(token.get("sentence"))
        words[token.get("t_id")] = token.text or ""
    paragraphs, span_of, pos = [], {}, 0
    for number in CAT_SENTENCES:
        ids = [t for t, s in sentence_of.items() if s == number]
        if not ids:
            continue
        text, spans = join_tokens([words[t] for t in ids])
        span_of.update({t: (pos + a, pos + b) for t, (a, b) in zip(ids, spans, strict=True)})
        paragraphs.append(text)
        pos += len(text) + 2
    text = "\n\n".join(paragraphs)
    dct, timexes = None, []
    for tag in root.find("Markables").iter("TIMEX3"):
        if tag.get("functionInDocument") == "CREATION_TIME":
            try:
                dct = dt.date.fromisoformat((tag.get("value") or "")[:10])
            except ValueError:
                dct = None
            continue
        spans = [span_of[a.get("t_id")] for a in tag.iter("token_anchor") if a.get("t_id") in span_of]
        if spans:
            start, end = min(a for a, _ in spans), max(b for _, b in spans)
            timexes.append(Timex(start, end, text[start:end], tag.get("type", ""), tag.get("value", ""),
                                 tag.get("mod", "") or ""))
    return TimeMLDoc(root.get("doc_id") or Path(path).stem, dct, text, sorted(timexes, key=lambda t: t.start))


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


def _pairs(gold_tags: list[Timex], sys_tags: list[Timex]) -> tuple[list[tuple[Timex, Timex | None]], list[Timex]]:
    """Each gold tag with the system tag it is scored against (the same span, else the first overlapping one not
    taken; None: missed), and the system tags left over (spurious)."""
    used: set[int] = set()
    pairs: list[tuple[Timex, Timex | None]] = []
    for g in gold_tags:
        free = [i for i in range(len(sys_tags)) if i not in used]
        match = next((i for i in free if (sys_tags[i].start, sys_tags[i].end) == (g.start, g.end)), None)
        if match is None:
            match = next((i for i in free if sys_tags[i].start < g.end and g.start < sys_tags[i].end), None)
        if match is not None:
            used.add(match)
        pairs.append((g, None if match is None else sys_tags[match]))
    return pairs, [s for i, s in enumerate(sys_tags) if i not in used]


def score(gold: dict[str, list[Timex]], system: dict[str, list[Timex]], texts: dict[str, str] | None = None) -> dict:
    """Compare TIMEX3 tags document by document (keys: document ids). Returns span, type and value scores and an
    error list (missed, spurious, boundary, type, value) with the texts involved."""
    n_gold = n_sys = strict = relaxed = right_type = right_value = 0
    errors = []
    for docid, gold_tags in gold.items():
        sys_tags = list(system.get(docid, []))
        n_gold += len(gold_tags)
        n_sys += len(sys_tags)
        pairs, spurious = _pairs(gold_tags, sys_tags)
        for g, s in pairs:
            if s is None:
                errors.append({"docid": docid, "error": "missed", "gold": g.text, "gold_value": g.value,
                               "system": "", "system_value": ""})
                continue
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
                    "system_value": s.value} for s in spurious]
    return {
        "gold": n_gold, "system": n_sys,
        "strict": _f1(strict, n_sys, n_gold), "relaxed": _f1(relaxed, n_sys, n_gold),
        "type": _f1(right_type, n_sys, n_gold), "value": _f1(right_value, n_sys, n_gold),
        "errors": errors, "error_counts": Counter(e["error"] for e in errors),
    }


_RE_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b")
_RE_MONTH = re.compile(r"\b(?:january|february|march|april|may|june|july|august|september|october|november|"
                       r"december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?")
_RE_NUMBER_WORD = re.compile(r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
                             r"twenty|thirty)\b")


def expression_kind(text: str) -> str:
    """A time expression with its particulars abstracted: "last Tuesday" -> "last <weekday>", "the 1990s" ->
    "the #s", "two weeks ago" -> "<n> weeks ago"."""
    text = _RE_WEEKDAY.sub("<weekday>", text.lower().strip(" .,"))
    text = re.sub(r"\d+", "#", _RE_MONTH.sub("<month>", text))
    return _RE_NUMBER_WORD.sub("<n>", text)


def value_shape(value: str) -> str:
    """A TIMEX3 value with its digits abstracted: "1998-W32" -> "9999-W99"."""
    return re.sub(r"\d", "9", value)


def conventions(gold: dict[str, list[Timex]], system: dict[str, list[Timex]]) -> list[dict]:
    """How the gold writes each kind of expression (``expression_kind``) against how the system does, over the
    scorer's matches: for each kind, the gold's value shapes, the system's, and ``gain``, the matches the system
    would gain at most by writing the gold's most frequent shape (its count less the gold's count of the system's
    own most frequent shape). Kinds with a gain first. Shows which value errors are a corpus's conventions."""
    kinds: dict[str, list[Counter]] = {}
    for docid, gold_tags in gold.items():
        for g, s in _pairs(gold_tags, list(system.get(docid, [])))[0]:
            if s is not None:
                gold_shapes, sys_shapes = kinds.setdefault(expression_kind(g.text), [Counter(), Counter()])
                gold_shapes[value_shape(g.value)] += 1
                sys_shapes[value_shape(s.value)] += 1
    rows = []
    for kind, (gold_shapes, sys_shapes) in kinds.items():
        (gold_top, gold_n), ours = gold_shapes.most_common(1)[0], sys_shapes.most_common(1)[0][0]
        rows.append({"kind": kind, "gold": dict(gold_shapes.most_common()), "system": dict(sys_shapes.most_common()),
                     "gold_majority": gold_top, "gold_majority_n": gold_n,
                     "gain": gold_n - gold_shapes[ours] if gold_top != ours else 0})
    rows.sort(key=lambda r: (-r["gain"], -r["gold_majority_n"], r["kind"]))
    return rows


def read_tags(path: str | Path) -> dict[str, list[Timex]]:
    """The TIMEX3 tags of each .tml file at ``path`` (a file or a folder), by file name: what ``score`` compares."""
    return {p.name: read(p).timexes for p in tml_files(path)}


def tml_files(path: str | Path) -> list[Path]:
    path = Path(path)
    return sorted(path.rglob("*.tml")) if path.is_dir() else [path]
