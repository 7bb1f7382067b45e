"""Text that remembers where it came from: every cleaning edit keeps a map back to offsets in the raw text.

A ``Traced`` text carries segments ``(start, end, raw_start, raw_end)``: its characters ``start:end`` come from the
raw characters ``raw_start:raw_end``. A segment of equal lengths was copied verbatim, so any offset inside it maps
exactly; one of unequal lengths was rewritten (mojibake repaired, say) and maps as a whole. Characters in no segment
were inserted (the blank line joining two paragraphs).
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

Segment = tuple[int, int, int, int]
_RE_IRREGULAR_SPACE = re.compile(r"[^\S\n]{2,}|[^\S \n]")  # runs of spaces, or any whitespace but a plain space


@dataclass(frozen=True)
class Traced:
    text: str
    segments: tuple[Segment, ...] = ()

    @classmethod
    def raw(cls, text: str, offset: int = 0) -> Traced:
        """``text`` taken verbatim from raw offset ``offset``."""
        return cls(text, ((0, len(text), offset, offset + len(text)),) if text else ())

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, start: int, end: int) -> Traced:
        start, end = max(0, start), min(len(self.text), end)
        if end <= start:
            return Traced("")
        return Traced(self.text[start:end], tuple(_cut(self.segments, start, end)))

    def strip(self) -> Traced:
        left = len(self.text) - len(self.text.lstrip())
        return self.slice(left, len(self.text.rstrip()))

    @staticmethod
    def join(separator: str, pieces: Iterable[Traced]) -> Traced:
        text, segments, pos = [], [], 0
        for i, piece in enumerate(pieces):
            if i:
                text.append(separator)
                pos += len(separator)
            text.append(piece.text)
            segments += [(s + pos, e + pos, rs, re_) for s, e, rs, re_ in piece.segments]
            pos += len(piece.text)
        return Traced("".join(text), _coalesce(segments))

    def collapse_spaces(self) -> Traced:
        """Runs of whitespace (tabs, no-break spaces, several spaces) become one space; newlines stay."""
        text = self.text
        if "  " not in text and "\t" not in text and (text.isascii() or not _RE_IRREGULAR_SPACE.search(text)):
            return self  # the common case, decided by fast string tests
        runs = [m.span() for m in _RE_IRREGULAR_SPACE.finditer(text)]
        if not runs:
            return self
        bounds = [0] + [x for span in runs for x in span] + [len(self.text)]
        pieces = [self.slice(a, b) for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
        return Traced.join(" ", pieces)

    def rewrite(self, fix: Callable[[str], str]) -> Traced:
        """Apply a text-to-text fix, keeping exact offsets where the text did not change."""
        fixed = fix(self.text)
        if fixed == self.text:
            return self
        matcher = difflib.SequenceMatcher(None, self.text, fixed, autojunk=False)
        pieces = []
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if j1 == j2:
                continue
            if tag == "equal":
                pieces.append(self.slice(i1, i2))
            else:
                raw = self.slice(i1, i2) if i2 > i1 else self.slice(max(i1 - 1, 0), i1)
                span = raw.raw_span(0, len(raw.text)) if raw.segments else None
                pieces.append(Traced(fixed[j1:j2], ((0, j2 - j1, *span),) if span else ()))
        return Traced.join("", pieces)

    def raw_span(self, start: int, end: int) -> tuple[int, int] | None:
        """The raw offsets that ``text[start:end]`` came from, or None when it was inserted."""
        return to_raw(self.segments, start, end)


def to_raw(segments: Sequence[Segment], start: int, end: int) -> tuple[int, int] | None:
    """Map a span of the cleaned text to raw offsets with a document's segments (sorted by start)."""
    first = max(bisect.bisect_right([s[0] for s in segments], start) - 1, 0)
    inside = [s for s in _cut(segments[first:], start, end)]
    if not inside:
        return None
    return int(min(s[2] for s in inside)), int(max(s[3] for s in inside))


def _cut(segments: Iterable[Segment], start: int, end: int) -> Iterable[Segment]:
    """The parts of ``segments`` inside ``start:end``, shifted to start at 0."""
    for s, e, rs, re_ in segments:
        if s >= end:
            break
        lo, hi = max(s, start), min(e, end)
        if lo >= hi:
            continue
        if e - s == re_ - rs:  # verbatim: cut exactly
            yield lo - start, hi - start, rs + lo - s, rs + hi - s
        else:  # rewritten: keep the whole raw span
            yield lo - start, hi - start, rs, re_


def _coalesce(segments: list[Segment]) -> tuple[Segment, ...]:
    """Merge neighbouring verbatim segments separated by gaps of equal length in the text and the raw text
    (a collapsed tab is one character for one), so an ordinary paragraph is one segment."""
    out: list[Segment] = []
    for seg in segments:
        if out:
            s, e, rs, re_ = out[-1]
            if (e - s == re_ - rs and seg[1] - seg[0] == seg[3] - seg[2]
                    and seg[0] - e == seg[2] - re_ and seg[0] >= e):
                out[-1] = (s, seg[1], rs, seg[3])
                continue
        out.append(seg)
    return tuple(out)


def add_raw_offsets(spans: pd.DataFrame, offsets: pd.DataFrame) -> pd.DataFrame:
    """``spans`` (doc_id, start, end into the cleaned text) with raw_start and raw_end added from stage 01's
    offsets table (doc_id, start, end, raw_start, raw_end); -1 where a span was inserted by cleaning."""
    by_doc = {doc_id: list(zip(g["start"], g["end"], g["raw_start"], g["raw_end"], strict=True))
              for doc_id, g in offsets.sort_values(["doc_id", "start"], kind="stable").groupby("doc_id", sort=False)}
    raw = [to_raw(by_doc.get(doc_id, []), start, end) or (-1, -1)
           for doc_id, start, end in zip(spans["doc_id"], spans["start"], spans["end"], strict=True)]
    out = spans.copy()
    out["raw_start"] = pd.Series([r[0] for r in raw], index=spans.index, dtype="int64")
    out["raw_end"] = pd.Series([r[1] for r in raw], index=spans.index, dtype="int64")
    return out
