"""Cleaning article bodies: whitespace, datelines, repeated paragraphs and wire boilerplate.

Needs the columns of ``corpus.read_corpus``; adds dateline, dateline_place, repeats_removed, boilerplate, n_words and
fills ``published`` from a Wikinews-style date line when the metadata has none.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pandas as pd

from dateline import columns as C
from dateline.corpus import fix_text, parse_published
from dateline.offsets import Traced

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# A place in a dateline starts with a word in capitals ("TIKRIT", "NEW YORK", "ST. LOUIS", "U.N."), optionally
# followed by a state or country in ordinary case ("TIKRIT, Iraq", "CALGARY, Alberta").
_PLACE_HEAD = r"[A-Z][A-Z.'\u2019&-]*[A-Z.](?:[ -][A-Z][A-Z.'\u2019&-]*[A-Z.])*"
_PLACE_TAIL = r"(?:, (?!" + _MONTH + r" \d)[A-Z][\w.'\u2019-]*(?: [A-Z][\w.'\u2019-]*){0,3})?"
_DASH = r"(?:-{1,2}|\u2013|\u2014)"
RE_DATELINE = re.compile(
    r"^(?P<place>" + _PLACE_HEAD + _PLACE_TAIL + r")"
    r"(?:,? (?P<date>" + _MONTH + r" \d{1,2}))?"
    r"(?: ?\((?:AP|Reuters|AFP|UPI|dpa|Xinhua|CNN|Bloomberg)\))?"
    r" ?" + _DASH + r" ?"
)
# Wikinews bodies open with the publication date on a line of its own: "Friday, January 4, 2019".
RE_DATE_LINE = re.compile(r"^(?P<date>" + _WEEKDAY + r", " + _MONTH + r" \d{1,2}, \d{4})[ \t]*$")

RE_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(?:Associated Press|AP|Reuters) (?:writers?|correspondents?|reporters?) .{0,200}"
        r"contributed (?:to )?(?:this )?(?:report|story)\.?$",
        r"^.{0,200} contributed (?:to )?this (?:report|story)\.?$",
        r"^(?:copyright|\(c\)|\u00a9)\s.{0,200}$",
        r"^.{0,120}\ball rights reserved\.?$",
        r"^by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}(?:,? (?:Associated Press|AP|Reuters)(?: writer)?)?$",
        r"^click here\b.{0,200}$",
        r"^\(?(?:AP|Reuters|AFP|Getty) Photo/.{0,200}$",
        r"^(?:photo|image)(?: credit)?: .{0,200}$",
        r"^reuter$",
    )
]
_RE_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")
_RE_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]?\s+(?=[\"\u201c\u2018(]?[A-Z0-9])")
_SENTENCE_FINAL = tuple('.!?:"\u201d\u2019)')
MIN_REPEATED_SENTENCE = 40  # shorter sentences ("He said no.") may repeat on purpose


def _lines(body: Traced) -> list[tuple[Traced, bool]]:
    """The body's lines as ``(line without its line break, starts with whitespace)``."""
    out = []
    for m in _RE_LINE.finditer(body.text):
        if m.start() == len(body.text) and not m.group(0):
            break
        line = body.slice(m.start(1), m.end(1))
        out.append((line, line.text[:1].isspace()))
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether the body is wrapped at a fixed width (wire copy), so that a line break is not a paragraph break.

    In wrapped text most lines end mid-sentence; in text with one paragraph per line, nearly all end a sentence.
    """
    texts = [t for t in (line.strip() for line in lines) if t]
    if len(texts) < 3 or max(len(t) for t in texts) > 120:
        return False
    return sum(not t.endswith(_SENTENCE_FINAL) for t in texts) >= 0.5 * len(texts)


def paragraphs(body: Traced) -> list[Traced]:
    """Paragraphs of a body, with inner whitespace collapsed.

    One per line, unless the text is hard-wrapped: then a paragraph runs to the next blank or indented line.
    """
    lines = _lines(body)
    wrapped = _hard_wrapped([line.text for line, _ in lines])
    out, current = [], []
    for line, indented in lines:
        line = line.collapse_spaces().strip()
        if current and (not line.text or not wrapped or indented):
            out.append(Traced.join(" ", current))
            current = []
        if line.text:
            current.append(line)
    if current:
        out.append(Traced.join(" ", current))
    return out


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs of a plain string body (see ``paragraphs``)."""
    return [p.text for p in paragraphs(Traced.raw(body))]
def find_dateline(paragraph: str) -> tuple[str, str] | None:
    """The dateline opening ``paragraph`` as ``(as written, place)``, or None.

    A normal sentence opening with a capitalised word and a comma ("Meanwhile, the ...") is not a dateline: the
    place must be in capitals and the dateline must end in a dash.
    """
    match = RE_DATELINE.match(paragraph)
    if not match or len(match.group(0)) == len(paragraph):
        return None
    return match.group(0), _place_case(match.group("place"))


def _place_case(place: str) -> str:
    return ", ".join(part.title() if part.isupper() else part for part in place.split(", "))


def clean_body(body: str, *, offset: int = 0, fix: Callable[[str], str] | None = None) -> dict:
    """Clean one article body.

    Args:
        body: the raw body as decoded.
        offset: the body's character offset in its raw source, so the offsets map into the raw file.
        fix: a repair applied line by line (mojibake, NFC); offsets stay exact where it changes nothing.

    Returns:
        text (paragraphs joined by blank lines), dateline, dateline_place, date_line (a Wikinews-style date line or
        ""), repeats_removed (paragraphs and sentences dropped as repeats), boilerplate (lines removed) and
        segments (``(start, end, raw_start, raw_end)`` tuples mapping the text back to the raw source).
    """
    traced = Traced.raw(body, offset)
    if fix is not None and fix(body) != body:
        traced = Traced.join("\n", [line.rewrite(fix) for line, _ in _lines(traced)])
    paras = paragraphs(traced)
    dateline, place, date_line = "", "", ""
    if paras and RE_DATE_LINE.match(paras[0].text):
        date_line = dateline = paras.pop(0).text
    if paras and (found := find_dateline(paras[0].text)):
        dateline, place = found
    kept, seen, repeats, boilerplate = [], set(), 0, []
    for paragraph in paras:
        if dateline and not date_line and paragraph.text.startswith(dateline):
            paragraph = paragraph.slice(len(dateline), len(paragraph)).strip()  # scrapes repeat the lead's dateline
        if any(p.match(paragraph.text) for p in RE_BOILERPLATE):
            boilerplate.append(paragraph.text)
            continue
        if paragraph.text in seen:
            repeats += 1
            continue
        seen.add(paragraph.text)
        paragraph, dropped = _drop_repeated_sentences(paragraph, seen)
        repeats += dropped
        if paragraph.text:
            kept.append(paragraph)
    text = Traced.join("\n\n", kept)
    return {C.TEXT: text.text, C.DATELINE: dateline, C.DATELINE_PLACE: place, "date_line": date_line,
            C.REPEATS_REMOVED: repeats, C.BOILERPLATE: boilerplate, "segments": text.segments}


def _drop_repeated_sentences(paragraph: Traced, seen: set[str]) -> tuple[Traced, int]:
    """Drop long sentences already seen in the document (``seen`` collects them); return the rest and the count."""
    bounds = [0] + [m.end() for m in _RE_SENTENCE_END.finditer(paragraph.text)] + [len(paragraph)]
    if len(bounds) == 2:
        return paragraph, 0
    kept, dropped = [], 0
    for start, end in zip(bounds, bounds[1:], strict=False):
        sentence = paragraph.slice(start, end).strip()
        if len(sentence) >= MIN_REPEATED_SENTENCE and sentence.text in seen:
            dropped += 1
            continue
        seen.add(sentence.text)
        kept.append(sentence)
    return (Traced.join(" ", kept), dropped) if dropped else (paragraph, 0)


def clean_documents(articles: pd.DataFrame) -> pd.DataFrame:
    """Clean every article body; a publication date missing from the metadata is taken from a date line.

    The ``segments`` column maps each cleaned text back to its raw source (see ``offsets_table``).
    """
    offsets = articles[C.BODY_OFFSET] if C.BODY_OFFSET in articles else pd.Series(0, index=articles.index)
    cleaned = pd.DataFrame([clean_body(body, offset=int(offset), fix=fix_text)
                            for body, offset in zip(articles[C.TEXT], offsets, strict=True)],
                           index=articles.index,
                           columns=[C.TEXT, C.DATELINE, C.DATELINE_PLACE, "date_line", C.REPEATS_REMOVED,
                                    C.BOILERPLATE, "segments"])
    out = articles.drop(columns=[C.TEXT]).join(cleaned)
    from_line = out["date_line"].map(_date_or_none)
    fill = out[C.PUBLISHED].isna() & from_line.notna()
    out.loc[fill, C.PUBLISHED] = from_line[fill]
    out.loc[fill, C.PUBLISHED_FROM] = "dateline"
    out[C.N_WORDS] = out[C.TEXT].str.split().str.len().astype("int64")
    return out.drop(columns=["date_line"])


def _date_or_none(line: str) -> dt.date | None:
    if not line:
        return None
    try:
        return parse_published(line)
    except ValueError:
        return None


def offsets_table(documents: pd.DataFrame) -> pd.DataFrame:
    """One row per segment: doc_id, start, end (in the cleaned text), raw_start, raw_end (in the raw text:
    the decoded file for .txt articles, the text field for .csv/.jsonl records)."""
    rows = [(doc_id, *segment) for doc_id, segments in zip(documents[C.DOC_ID], documents["segments"], strict=True)
            for segment in segments]
    return pd.DataFrame(rows, columns=[C.DOC_ID, C.START, C.END, C.RAW_START, C.RAW_END])
