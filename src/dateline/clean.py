"""Cleaning article bodies: whitespace, datelines, repeated paragraphs and wire boilerplate.

Needs the columns of ``corpus.read_corpus``; adds dateline, dateline_place, repeats_removed, boilerplate, n_words and
fills ``published`` from a Wikinews-style date line when the metadata has none.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from dateline import columns as C
from dateline.corpus import parse_published

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
_RE_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def split_paragraphs(body: str) -> list[str]:
    """Paragraphs of a body: one per non-empty line, inner whitespace collapsed."""
    return [p for p in (_RE_SPACES.sub(" ", line).strip() for line in body.splitlines()) if p]


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


def clean_body(body: str) -> dict:
    """Clean one article body.

    Returns:
        text (paragraphs joined by blank lines), dateline, dateline_place, date_line (a Wikinews-style date line or
        ""), repeats_removed (paragraphs dropped as repeats) and boilerplate (lines removed).
    """
    paragraphs = split_paragraphs(body)
    dateline, place, date_line = "", "", ""
    if paragraphs and RE_DATE_LINE.match(paragraphs[0]):
        date_line = dateline = paragraphs.pop(0)
    if paragraphs and (found := find_dateline(paragraphs[0])):
        dateline, place = found
    kept, seen, repeats, boilerplate = [], set(), 0, []
    for paragraph in paragraphs:
        if dateline and not date_line and paragraph.startswith(dateline):
            paragraph = paragraph[len(dateline):].lstrip()  # scrapes often repeat the lead with its dateline
        if any(p.match(paragraph) for p in RE_BOILERPLATE):
            boilerplate.append(paragraph)
            continue
        if paragraph in seen:
            repeats += 1
            continue
        seen.add(paragraph)
        kept.append(paragraph)
    return {C.TEXT: "\n\n".join(kept), C.DATELINE: dateline, C.DATELINE_PLACE: place, "date_line": date_line,
            C.REPEATS_REMOVED: repeats, C.BOILERPLATE: boilerplate}


def clean_documents(articles: pd.DataFrame) -> pd.DataFrame:
    """Clean every article body; a publication date missing from the metadata is taken from a date line."""
    cleaned = pd.DataFrame([clean_body(body) for body in articles[C.TEXT]], index=articles.index)
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
