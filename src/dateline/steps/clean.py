"""Cleaning article bodies: whitespace, datelines, repeated paragraphs and wire boilerplate.

Needs the columns of ``corpus.read_corpus``; adds dateline, dateline_place, repeats_removed, boilerplate, n_words and
fills ``published`` from a Wikinews-style date line when the metadata has none.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dateline import columns as C
from dateline.corpus import fix_text, implausible_published, parse_published
from dateline.io import ParquetParts, SortedRuns
from dateline.steps import language
from dateline.steps.offsets import Traced

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
_ANY_CASE_MONTH = r"(?i:" + _MONTH + r")"  # wire copy writes "MARCH 13", "MArch 3", "april 7"
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
# A place in a dateline either starts with a word in capitals ("TIKRIT", "NEW YORK", "ST. LOUIS", "U.N."),
# optionally followed by a state or country in ordinary case ("TIKRIT, Iraq", "CALGARY, Alberta"), or is in any
# case but then must be followed by a date ("Kansas City, March 11 - "): a sentence that opens with a capitalised
# word and a comma ("Meanwhile, the ...") has neither.
# Capitals of the Latin script, accented ones included ("ZÜRICH", "SÃO PAULO", "MONTRÉAL").
_UPPER = "".join(c for c in map(chr, range(0x250)) if c.isupper() and c.isalpha())
_CAP = f"[{_UPPER}]"
_PLACE_HEAD = _CAP + r"[" + _UPPER + r".'\u2019&/-]*[" + _UPPER + r".](?:[ -]" + _CAP + r"[" + _UPPER + \
    r".'\u2019&/-]*[" + _UPPER + r".])*"
_REGION = r", (?!" + _ANY_CASE_MONTH + r" \d)" + _CAP + r"[\w.'\u2019-]*(?: " + _CAP + r"[\w.'\u2019-]*){0,3}"
_ANY_WORD = r"[A-Za-z][\w.'\u2019&/-]*"
_NOT_A_PLACE = r"(?!(?i:on|in|by|at|since|until|till|from|before|after|through|during|last|next|this|early|late|mid|" \
               r"as of|effective|dated|updated|posted|published|" + _WEEKDAY + r")\b)"
_ANY_PLACE = _NOT_A_PLACE + (_ANY_WORD + r"(?: " + _ANY_WORD + r"){0,3}(?:, (?!" + _ANY_CASE_MONTH + r" \d)" + _ANY_WORD
              + r"(?: " + _ANY_WORD + r"){0,3}){0,2}")
# A wire agency by name, or any short capitalised name in parentheses ("(Wire)", "(NW)", "(CP)").
_AGENCY = r"(?:,? ?(?:\(?(?:AP|Reuters?|AFP|UPI|dpa|Xinhua|CNN|Bloomberg)\)?|\(" + _CAP + r"[\w&.'\u2019/-]*" \
    r"(?: " + _CAP + r"[\w&.'\u2019/-]*){0,3}\)))?"
_DASH = r"(?:-{1,2}|\u2013|\u2014)"


def _date(group: str) -> str:
    return r" ?,? (?P<" + group + r">" + _ANY_CASE_MONTH + r",? \d{1,2}\b,?)"  # "March 3", "April, 13", "April 1,"


RE_DATELINE = re.compile(
    r"^[*#]*(?:(?P<place>" + _PLACE_HEAD + r"(?:" + _REGION + r"){0,2})(?:" + _date("date") + r")?"
    r"|(?P<any_place>" + _ANY_PLACE + r")" + _date("any_date") + r")"
    + _AGENCY + r" ?" + _DASH
    + r"(?: |$|(?(date)|(?(any_date)|(?!))))"  # after a date the body may be glued on: "March 19 -Qtr"
)
# Wikinews bodies open with the publication date on a line of its own: "Friday, January 4, 2019".
RE_DATE_LINE = re.compile(r"^(?P<date>" + _WEEKDAY + r", " + _MONTH + r" \d{1,2}, \d{4})[ \t]*$")

RE_BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in (
        r"^(?:Associated Press|AP|Reuters) (?:writers?|correspondents?|reporters?) .{0,200}"
        r"contributed (?:to )?(?:this )?(?:report|story)\.?$",
        r"^.{0,200} contributed (?:to )?this (?:report|story)\.?$",
        r"^(?:copyright|\(c\)|\u00a9)\s.{0,200}$",
        r"^.{0,120}\ball rights reserved\.?$",
        r"^by [A-Z][\w.'-]+(?: [A-Z][\w.'-]+){0,3}(?:,? (?:Associated Press|AP|Reuters)(?: writer)?)?$",
        r"^click here\b.{0,200}$",
        r"^\(?(?:AP|Reuters|AFP|Getty) Photo/.{0,200}$",
        r"^(?:photo|image)(?: credit)?: .{0,200}$",
        r"^.{0,200}\b(?:Image|Photo|Credit): [^.]{1,80}\.?$",  # a caption with its credit
        r"^reuter$",
)), re.IGNORECASE)
_RE_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|$)")

# HTML in a text field (a scrape's <p>, <b>, <a href>): the tags of HTML's own vocabulary only, so that "<AXP>" or
# "a < b > c" stay text; script and style elements go with their content; block tags end a paragraph.
_BLOCK_TAGS = "p|div|br|hr|li|ul|ol|h[1-6]|tr|table|blockquote|section|article|header|footer|figure|figcaption"
_INLINE_TAGS = ("a|abbr|b|big|cite|code|em|font|i|img|small|span|strong|sub|sup|u|s|strike|td|th|tbody|thead|time|"
                "mark|q|ins|del|wbr|iframe|meta|link|input|button|form|label|nav|aside|main|picture|source|video|"
                "audio|embed|object|noscript|svg|center|dl|dt|dd|caption|col|colgroup|tfoot|html|head|body|title")
RE_MARKUP = re.compile(r"<(?P<skip>script|style)\b[^>]*>.*?</(?P=skip)\s*>|<!--.*?-->"
                       r"|<(?P<block>/?(?:" + _BLOCK_TAGS + r"))\b[^<>]*>"
                       r"|</?(?:" + _INLINE_TAGS + r")\b[^<>]*>", re.IGNORECASE | re.DOTALL)
_RE_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_RE_SENTENCE_END = re.compile(r"(?<=[.!?])[\"\u201d\u2019)]?\s+(?=[\"\u201c\u2018(]?[A-Z0-9])")
_SENTENCE_FINAL = tuple('.!?:"\u201d\u2019)')
MIN_REPEATED_SENTENCE = 40  # shorter sentences ("He said no.") may repeat on purpose


def _lines(body: Traced) -> list[Traced]:
    """The body's lines, without their line breaks."""
    out = []
    for m in _RE_LINE.finditer(body.text):
        if m.start() == len(body.text) and not m.group(0):
            break
        out.append(body.slice(m.start(1), m.end(1)))
    return out


def _hard_wrapped(lines: list[str]) -> bool:
    """Whether the body is wrapped at a fixed width (wire copy), so that a line break is not a paragraph break.

    In wrapped text most lines end mid-sentence; in text with one paragraph per line, nearly all end a sentence.
    """
    texts = [t for t in (line.strip() for line in lines) if t]
    if len(texts) < 3 or max(len(t) for t in texts) > 120:
        return False
    return sum(not t.endswith(_SENTENCE_FINAL) for t in texts) >= 0.5 * len(texts)


def _join_lines(body: Traced, spans: list[tuple[int, int]]) -> Traced:
    """The line contents ``body.text[start:end]`` joined by spaces, traced back through ``body``."""
    if len(body.segments) == 1 and body.segments[0][1] - body.segments[0][0] == len(body.text) and \
            body.segments[0][3] - body.segments[0][2] == len(body.text):  # verbatim body: skip slicing
        base, pos, segments, texts = body.segments[0][2], 0, [], []
        for start, end in spans:
            segments.append((pos, pos + end - start, base + start, base + end))
            texts.append(body.text[start:end])
            pos += end - start + 1
        return Traced(" ".join(texts), tuple(segments))
    return Traced.join(" ", [body.slice(start, end) for start, end in spans])


def paragraphs(body: Traced) -> list[Traced]:
    """Paragraphs of a body, with inner whitespace collapsed.

    One per line, unless the text is hard-wrapped: then a paragraph runs to the next blank or indented line.
    """
    lines, pos = [], 0
    for line in body.text.splitlines(keepends=True):
        content = line.strip()
        start = pos + len(line) - len(line.lstrip())
        lines.append((start, start + len(content), bool(content) and start > pos))
        pos += len(line)
    wrapped = _hard_wrapped([body.text[s:e] for s, e, _ in lines])
    groups: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for start, end, indented in lines:
        if current and (start == end or not wrapped or indented):
            groups.append(current)
            current = []
        if end > start:
            current.append((start, end))
    if current:
        groups.append(current)
    return [_join_lines(body, group).collapse_spaces() for group in groups]


def find_dateline(paragraph: str) -> tuple[str, str] | None:
    """The dateline opening ``paragraph`` as ``(as written, place)``, or None.

    A normal sentence opening with a capitalised word and a comma ("Meanwhile, the ...") is not a dateline: the
    place must be in capitals and the dateline must end in a dash. The dateline may be the whole paragraph (wire
    copy sometimes puts it on a line of its own).
    """
    match = RE_DATELINE.match(paragraph)
    if not match:
        return None
    return match.group(0), _place_case(match.group("place") or match.group("any_place"))


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
    traced = without_markup(Traced.raw(body, offset))
    if _RE_ENTITY.search(traced.text):
        fix = _unescaped if fix is None else (lambda line, repair=fix: repair(_unescaped(line)))
    if fix is not None and fix(traced.text) != traced.text:
        traced = Traced.join("\n", [line.rewrite(fix) for line in _lines(traced)])
    paras = paragraphs(traced)
    dateline, place, date_line = "", "", ""
    if paras and RE_DATE_LINE.match(paras[0].text):
        date_line = dateline = paras.pop(0).text
    if paras and (found := find_dateline(paras[0].text)):
        dateline, place = found
        if len(dateline.rstrip()) == len(paras[0].text):  # a dateline on a line of its own (or all there is)
            paras.pop(0)
    kept, seen, repeats, boilerplate = [], set(), 0, []
    for paragraph in paras:
        if dateline and not date_line and paragraph.text.startswith(dateline):
            paragraph = paragraph.slice(len(dateline), len(paragraph)).strip()  # scrapes repeat the lead's dateline
        if RE_BOILERPLATE.match(paragraph.text):
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


def without_markup(text: Traced) -> Traced:
    """``text`` without HTML tags (see ``RE_MARKUP``), offsets kept; a block tag becomes a paragraph break."""
    if "<" not in text.text or not RE_MARKUP.search(text.text):
        return text
    pieces, pos = [], 0
    for m in RE_MARKUP.finditer(text.text):
        pieces.append(text.slice(pos, m.start()))
        if m.group("block"):
            pieces.append(Traced("\n\n"))  # inserted: in no segment
        pos = m.end()
    pieces.append(text.slice(pos, len(text)))
    return Traced.join("", pieces)


def _unescaped(line: str) -> str:
    return html.unescape(line) if "&" in line else line


def _drop_repeated_sentences(paragraph: Traced, seen: set[str]) -> tuple[Traced, int]:
    """Drop long sentences already seen in the document (``seen`` collects them); return the rest and the count."""
    text = paragraph.text
    bounds = [0] + [m.end() for m in _RE_SENTENCE_END.finditer(text)] + [len(text)]
    if len(bounds) == 2:
        return paragraph, 0
    sentences = [text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]
    repeated = {i for i, sentence in enumerate(sentences) if len(sentence) >= MIN_REPEATED_SENTENCE and (
        sentence in seen or sentence in sentences[:i])}
    seen.update(sentences)
    if not repeated:
        return paragraph, 0
    kept = [paragraph.slice(a, b).strip() for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))
            if i not in repeated]
    return Traced.join(" ", kept), len(repeated)


def clean_documents(articles: pd.DataFrame) -> pd.DataFrame:
    """Clean every article body; a publication date missing from the metadata is taken from a date line.

    The ``segments`` column maps each cleaned text back to its raw source (see ``offsets_table``): an int64 array
    of ``(start, end, raw_start, raw_end)`` rows per document, not a tuple per segment (hard-wrapped wire copy
    has a segment per line: stage 01 on 44,852 Reuters articles 686 -> 591 MB).
    """
    offsets = articles[C.BODY_OFFSET] if C.BODY_OFFSET in articles else pd.Series(0, index=articles.index)

    def cleaned_body(body: str, offset: int) -> dict:
        out = clean_body(body, offset=offset, fix=fix_text)
        return out | {"segments": np.array(out["segments"], dtype=np.int64).reshape(-1, 4)}

    cleaned = pd.DataFrame([cleaned_body(body, int(offset)) for body, offset in zip(articles[C.TEXT], offsets,
                                                                                    strict=True)],
                           index=articles.index,
                           columns=[C.TEXT, C.DATELINE, C.DATELINE_PLACE, "date_line", C.REPEATS_REMOVED,
                                    C.BOILERPLATE, "segments"])
    out = articles.drop(columns=[C.TEXT]).join(cleaned)
    from_line = out["date_line"].map(_date_or_none)
    fill = out[C.PUBLISHED].isna() & from_line.notna()
    out.loc[fill, C.PUBLISHED] = from_line[fill]
    out.loc[fill, C.PUBLISHED_FROM] = "dateline"
    # one text at a time: .str.split() would hold every word of the corpus at once
    out[C.N_WORDS] = out[C.TEXT].map(lambda text: len(text.split())).astype("int64")
    out[C.ENGLISH_SHARE] = out[C.TEXT].map(language.english_share).astype("float64")
    return out.drop(columns=["date_line"])


def _date_or_none(line: str) -> dt.date | None:
    if not line:
        return None
    try:
        date = parse_published(line)
    except ValueError:
        return None
    return None if implausible_published(date) else date


REJECTED_COLUMNS = [C.DOC_ID, C.FILE, C.LINE, C.REASON]


def split_empty(cleaned: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(articles with text, rejections)``: an article that was only a dateline, boilerplate or repeats has no
    text left to read, and is rejected with that reason."""
    empty = cleaned[C.TEXT].str.strip() == ""
    rejected = cleaned.loc[empty, [C.DOC_ID, C.FILE, C.LINE]].assign(**{
        C.REASON: "no text once cleaned (only a dateline, boilerplate or repeated lines)"})
    return cleaned[~empty], rejected.reset_index(drop=True)[REJECTED_COLUMNS]


_STRINGS = pa.list_(pa.string())
DOCUMENT_SCHEMA = pa.schema([
    (C.DOC_ID, pa.large_string()), (C.TITLE, pa.large_string()), (C.BODY_OFFSET, pa.int64()),
    (C.PUBLISHED, pa.date32()), (C.PUBLISHED_FROM, pa.large_string()), (C.SOURCE, pa.large_string()),
    (C.URL, pa.large_string()), (C.FILE, pa.large_string()), (C.LINE, pa.int64()), (C.ENCODING, pa.large_string()),
    (C.TEXT, pa.large_string()), (C.DATELINE, pa.large_string()), (C.DATELINE_PLACE, pa.large_string()),
    (C.REPEATS_REMOVED, pa.int64()), (C.BOILERPLATE, _STRINGS), (C.N_WORDS, pa.int64()),
    (C.ENGLISH_SHARE, pa.float64()), (C.MERGED_IDS, _STRINGS), (C.COPIES, pa.int64()), (C.SOURCES, _STRINGS)])
"""documents.parquet: the kept documents, in doc_id order."""
OFFSET_SCHEMA = pa.schema([(C.DOC_ID, pa.large_string()), (C.START, pa.int64()), (C.END, pa.int64()),
                           (C.RAW_START, pa.int64()), (C.RAW_END, pa.int64())])
"""offsets.parquet: the segments of the kept documents, in doc_id order."""
STAGED_SCHEMA = pa.schema([(C.DOC_ID, pa.large_string()), (C.TEXT, pa.large_string()),
                           ("segments", pa.list_(pa.int64()))])
"""What ``stage`` keeps on disk of each cleaned document until ``write_documents``: the text and its segments."""


STAGE_COLUMNS = [c for c in DOCUMENT_SCHEMA.names if c not in (C.TEXT, C.MERGED_IDS, C.COPIES, C.SOURCES)]
"""The columns ``stage`` returns."""
EMPTY_EXAMPLE = pd.DataFrame(columns=[*STAGE_COLUMNS, C.TEXT, "segments"])
"""``clean_documents``' columns without a row: what stage 01 shows of a corpus with no article."""


def stage(documents: pd.DataFrame, runs: SortedRuns) -> pd.DataFrame:
    """Put the cleaned ``documents``' text and segments in ``runs`` (on disk); return the rest of their columns,
    the small part that stays in memory."""
    runs.write(pd.DataFrame({C.DOC_ID: documents[C.DOC_ID], C.TEXT: documents[C.TEXT],
                             "segments": [s.reshape(-1) for s in documents["segments"]]}))
    return documents.drop(columns=[C.TEXT, "segments"]).copy()  # a copy: a view would keep the segments alive


WRITE_ROWS = 1_000  # documents written at a time


def write_documents(runs: SortedRuns, kept: pd.DataFrame, documents_path: str | Path, offsets_path: str | Path,
                    *, rows: int = WRITE_ROWS) -> None:
    """Write the ``kept`` documents (their columns but text, as ``stage`` returned them, with the copies' columns)
    to ``documents_path`` in doc_id order, their text from ``runs``, and their segments to ``offsets_path``, a few
    rows at a time; the staged rows of documents not kept (the copies) are skipped. Neither file appears unless
    both are written whole."""
    kept = kept.sort_values(C.DOC_ID, kind="stable", ignore_index=True)
    wanted = pa.array(kept[C.DOC_ID].tolist(), type=pa.large_string())
    written = 0
    with ParquetParts(documents_path, DOCUMENT_SCHEMA) as documents, \
            ParquetParts(offsets_path, OFFSET_SCHEMA) as offsets:
        for chunk in runs.sorted(rows=rows):
            chunk = chunk.filter(pc.is_in(chunk[C.DOC_ID], value_set=wanted))
            part = kept.iloc[written:written + len(chunk)]
            if part[C.DOC_ID].tolist() != chunk[C.DOC_ID].to_pylist():
                raise ValueError("the staged documents are not those kept: stage every cleaned document once")
            documents.write(part.assign(**{C.TEXT: chunk[C.TEXT].to_pylist()})[DOCUMENT_SCHEMA.names])
            segments = chunk["segments"]
            flat = pc.list_flatten(segments).to_numpy().reshape(-1, 4)
            doc_ids = np.repeat(chunk[C.DOC_ID].to_numpy(zero_copy_only=False),
                                (pc.list_value_length(segments).to_numpy() // 4))
            offsets.write(pd.DataFrame({C.DOC_ID: pd.array(doc_ids, dtype="str"), C.START: flat[:, 0],
                                        C.END: flat[:, 1], C.RAW_START: flat[:, 2], C.RAW_END: flat[:, 3]}))
            written += len(chunk)
        if written != len(kept):
            raise ValueError(f"{len(kept) - written} kept document(s) were never staged")


def summary(documents: pd.DataFrame, merged: pd.DataFrame, rejected: pd.DataFrame) -> pd.DataFrame:
    """What stage 01 did, as counts (summary.csv): documents in = kept + merged as copies + rejected, and what
    cleaning found and removed."""
    n_in = len(documents) + len(merged) + len(rejected)
    return pd.DataFrame({"count": {"documents in": n_in, "kept": len(documents), "merged as copies": len(merged),
                                   "rejected": len(rejected),
                                   "datelines found": int((documents[C.DATELINE] != "").sum()),
                                   "repeated paragraphs and sentences removed":
                                       int(documents[C.REPEATS_REMOVED].sum()),
                                   "boilerplate lines removed": int(documents[C.BOILERPLATE].str.len().sum()),
                                   "without publication date": int(documents[C.PUBLISHED].isna().sum()),
                                   "with text not in English": int((documents[C.ENGLISH_SHARE] < 1).sum())}})
