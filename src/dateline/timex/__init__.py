"""dateline's temporal tagger: time expressions in news text as TimeML TIMEX3 values.

>>> [(t.text, t.value) for t in tag("The flights began Saturday.", dt.date(2015, 3, 25))]
[('Saturday', '2015-03-21')]
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from dateline.timex.tagger import Timex, find
from dateline.timex.tense import governing_verb, tense_of
from dateline.timex.values import interval, is_valid

if TYPE_CHECKING:  # spaCy is not imported for the tagger's own sake: the report reads values without it
    from spacy.tokens import Doc

__all__ = ["Timex", "tag", "tag_doc", "tense_of", "governing_verb", "interval", "is_valid"]


def tag(text: str, dct: dt.date | None = None) -> list[Timex]:
    """Time expressions of ``text`` resolved against the document creation time ``dct``.

    Without a parse, the tense is guessed from nearby words (future markers, else past). Never raises on any
    string; every value is valid under the TIMEX3 grammar.
    """
    try:
        return find(text, _as_date(dct))
    except RecursionError:  # pathological input: better no timexes than a crash
        return []


def tag_doc(doc: Doc, dct: dt.date | None = None, text: str | None = None) -> list[Timex]:
    """Like ``tag``, on an already parsed spaCy Doc: the tense comes from the verb that governs each expression.

    ``text``: the Doc's text, where the caller has it (``doc.text`` is rebuilt from the tokens at every call, which
    took a fifth of the tagger's time); ignored unless its length is the Doc's.
    """
    if text is None or not len(doc) or len(text) != doc[-1].idx + len(doc[-1].text_with_ws):
        text = doc.text
    if not doc.has_annotation("DEP") or not doc.has_annotation("TAG"):
        return tag(text, dct)

    def tense(start: int, end: int) -> int:
        span = doc.char_span(start, end, alignment_mode="expand")
        return tense_of(span.root) if span is not None and len(span) else -1

    return find(text, _as_date(dct), tense)


def _as_date(dct: object) -> dt.date | None:
    if dct is None:
        return None
    if isinstance(dct, dt.datetime):
        return dct.date()
    if isinstance(dct, dt.date):
        return dct
    try:
        return dt.date.fromisoformat(str(dct)[:10])
    except ValueError:
        return None
