"""Reading a corpus folder (the input contract) into one row per article, and a ledger of what was rejected.

A corpus is ``data/raw/<name>/`` holding one ``.txt`` file per article (first non-empty line is the headline) with an
optional ``metadata.csv`` (columns ``file, published, source, url``), or ``.jsonl`` / ``.csv`` files with fields
``id`` (optional), ``title``, ``text``, ``published``, ``source``, ``url``. Other files (a README, a licence) are
listed as ignored, never read as articles.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import charset_normalizer
import ftfy
import pandas as pd
from dateutil import parser as dateparser

from dateline import columns as C
from dateline.io import concat_frames

FIELDS = ("id", "title", "text", "published", "source", "url")
METADATA_FILE = "metadata.csv"
ARTICLE_SUFFIXES = {".txt", ".jsonl", ".csv"}

csv.field_size_limit(2**31 - 1)

# Where a record came from, kept under keys that cannot collide with a file's own columns (metadata.csv has "file").
_FILE, _LINE, _ENCODING = "_dateline_file", "_dateline_line", "_dateline_encoding"
BODY_OFFSET = "_dateline_body_offset"


class InputError(ValueError):
    """A problem with one input document: its file, 1-based line and a reason a person can act on."""

    def __init__(self, file: str, line: int | None, reason: str):
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {reason}")


@dataclass
class CorpusReading:
    """What reading a corpus gave: articles, rejections (with reasons) and files that are not articles."""

    articles: pd.DataFrame
    rejected: pd.DataFrame
    ignored: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- decoding


def decode(raw: bytes, *, file: str = "<bytes>") -> tuple[str, str]:
    """Decode bytes of unknown encoding; return ``(text, encoding)``.

    A BOM decides first (UTF-8, UTF-16); then strict UTF-8; then charset-normalizer's detection for legacy
    encodings (cp1252, latin-1 ...). Binary or undecodable bytes raise InputError.
    """
    if raw.startswith(codecs.BOM_UTF8):
        text, encoding = raw[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "utf-8-sig"
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as err:
            raise InputError(file, None, f"undecodable UTF-16 ({err.reason} at byte {err.start})") from None
    elif b"\x00" in raw[:4096]:  # never in text, but in every other byte of UTF-16 written without a BOM
        utf16 = _utf16_without_bom(raw)
        if utf16 is None:
            raise InputError(file, None, "binary file (NUL bytes, not UTF-16 text)")
        encoding, text = utf16
    else:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            best = charset_normalizer.from_bytes(raw).best()
            if best is None:
                raise InputError(file, None, "undecodable: not UTF-8 and no legacy encoding fits") from None
            # On short texts the detector cannot tell Latin code pages apart (it may say cp775 for French in
            # cp1252). English news archives are overwhelmingly cp1252, so cp1252 wins when the detector finds it
            # as plausible as its own best guess; Cyrillic or Central European texts make cp1252 implausible.
            western = charset_normalizer.from_bytes(raw, cp_isolation=["cp1252"]).best()
            chosen = western if western is not None and western.chaos <= best.chaos else best
            text, encoding = str(chosen), chosen.encoding
    if _looks_binary(text):
        raise InputError(file, None, "binary file (control characters, not text)")
    return text, encoding


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """``(encoding, text)`` of UTF-16 written without a byte-order mark, or None: text in the Latin script has a
    NUL in every other byte, on the same side."""
    sample = raw[:4096] if len(raw) % 2 == 0 else None
    if not sample:
        return None
    for encoding, zeros in (("utf-16-le", sample[1::2]), ("utf-16-be", sample[0::2])):
        if zeros.count(0) > 0.9 * len(zeros):
            try:
                return encoding, raw.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


_CHECK_BYTES = 1 << 20


def open_text(path: Path, *, file: str) -> tuple[TextIO, str]:
    """A file of unknown encoding opened to be read as text (newlines as written), and its encoding, decided as
    ``decode`` decides. A UTF-8 or UTF-16 file is checked a megabyte at a time and then read as it is iterated,
    so a corpus in one large .jsonl or .csv file is never all in memory (47,991 Reuters articles in one 79 MB
    file: the peak while stage 01 reads and cleans them 389 -> 324 MB); only a file that is neither is decoded
    whole, as detection needs."""
    with path.open("rb") as raw:
        head = raw.read(4096)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    if (encoding == "utf-8" and b"\x00" in head) or not _decodes(path, encoding):
        # UTF-16 without a BOM, legacy encodings, and the errors: decoded whole, as detection needs
        text, encoding = decode(path.read_bytes(), file=file)
        return io.StringIO(text, newline=""), encoding
    stream = path.open(encoding=encoding, newline="")
    if _looks_binary(stream.read(4096)):
        stream.close()
        raise InputError(file, None, "binary file (control characters, not text)")
    stream.seek(0)
    return stream, encoding


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as raw:
            while chunk := raw.read(_CHECK_BYTES):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def fix_text(text: str) -> str:
    """Repair mojibake (ftfy) and normalise to Unicode NFC, leaving quotes, ligatures and widths as written."""
    if text.isascii():  # nothing for ftfy to repair, and NFC changes nothing: skip the slow path
        return text
    fixed = ftfy.fix_text(text, uncurl_quotes=False, fix_latin_ligatures=False, fix_character_width=False,
                          fix_line_breaks=False, normalization="NFC")
    return unicodedata.normalize("NFC", fixed)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f\v")
    return controls / len(sample) > 0.05


# ---------------------------------------------------------------------------------------------- dates


def parse_published(value: object) -> dt.date | None:
    """A publication date from ISO dates, datetimes and common written forms; None when empty.

    Raises ValueError when a value is present but is not a full date ("March 2015", "soon").
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    # dateutil fills missing fields from a default: parse twice with different defaults to insist on a full date.
    try:
        a = dateparser.parse(text, default=dt.datetime(2000, 1, 1), fuzzy=False)
        b = dateparser.parse(text, default=dt.datetime(2001, 2, 2), fuzzy=False)
    except (ValueError, OverflowError, TypeError):
        raise ValueError(f"unparseable date {text!r}") from None
    if a.date() != b.date():
        raise ValueError(f"incomplete date {text!r} (needs year, month and day)")
    return a.date()


EARLIEST_PUBLISHED = dt.date(1800, 1, 1)


def implausible_published(date: dt.date | None, *, today: dt.date | None = None) -> str | None:
    """Why a publication date cannot be right (before 1800, or after the day of the run), or None. A day of slack
    covers time zones ahead of this machine's."""
    if date is None:
        return None
    latest = (today or dt.date.today()) + dt.timedelta(days=1)
    if date < EARLIEST_PUBLISHED:
        return f"publication date {date} is before {EARLIEST_PUBLISHED.year}"
    if date > latest:
        return f"publication date {date} is in the future (after {latest})"
    return None


# ---------------------------------------------------------------------------------------------- formats


def _txt_article(path: Path, rel: str, max_chars: int) -> dict:
    if path.stat().st_size > 4 * max_chars + 4:  # more characters than the limit, whatever the encoding: not read
        raise InputError(rel, None, _too_long(path.stat().st_size, max_chars, unit="bytes"))
    text, encoding = decode(path.read_bytes(), file=rel)
    lines = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise InputError(rel, None, "empty file")
    body_offset = sum(len(line) for line in lines[: first + 1])
    body = text[body_offset:]
    if not body.strip():
        raise InputError(rel, first + 1, "no text after the headline")
    return {"id": path.stem, "title": lines[first].strip(), "text": body, BODY_OFFSET: body_offset, _FILE: rel,
            _LINE: first + 1, _ENCODING: encoding}


def _json_lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    """``(number, line)`` of a JSON Lines stream, without line ends, one at a time: a text stream opened with
    ``newline=""`` ends lines at \\n, \\r and \\r\\n only, as JSON does (str.splitlines would also split at
    U+2028 and U+0085, which a JSON string may hold raw)."""
    for number, line in enumerate(stream, start=1):
        yield number, line.removesuffix("\n").removesuffix("\r")


def _jsonl_records(path: Path, rel: str) -> Iterator[dict | InputError]:
    stream, encoding = open_text(path, file=rel)
    with stream:
        for number, line in _json_lines(stream):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                yield InputError(rel, number, f"malformed JSON ({err.msg}, column {err.colno})")
                continue
            if not isinstance(record, dict):
                yield InputError(rel, number, f"a JSON object was expected, got {type(record).__name__}")
                continue
            yield record | {_FILE: rel, _LINE: number, _ENCODING: encoding}


def _csv_records(path: Path, rel: str, text_column: str | None = None) -> Iterator[dict | InputError]:
    stream, encoding = open_text(path, file=rel)
    with stream:
        reader = csv.DictReader(stream)
        if not reader.fieldnames:
            yield InputError(rel, 1, "CSV file without a header row")
            return
        if text_column is not None and text_column not in reader.fieldnames:
            yield InputError(rel, 1, _no_text_column(text_column, reader.fieldnames, "column"))
            return
        line = reader.line_num + 1
        try:
            for record in reader:
                yield {k: v for k, v in record.items() if k is not None} | {_FILE: rel, _LINE: line,
                                                                            _ENCODING: encoding}
                line = reader.line_num + 1  # the next record starts after this one's last physical line
        except csv.Error as err:
            yield InputError(rel, reader.line_num, f"malformed CSV ({err})")


def _no_text_column(name: str, found: Iterable[str], kind: str) -> str:
    listed = ", ".join(repr(f) for f in found if not str(f).startswith("_dateline_")) or "none"
    return (f"no {name!r} {kind} (the {kind}s are: {listed}): name the one that holds the article's text in "
            f"params/<corpus>.yaml, e.g. `columns: {{text: body}}`")


def _too_long(size: int, max_chars: int, *, unit: str = "characters") -> str:
    return (f"{size:,} {unit}, over max_document_chars ({max_chars:,} characters): split it into articles, or "
            f"raise max_document_chars in params/<corpus>.yaml (the memory the NLP needs grows with it)")


def _remap(record: dict, columns: Mapping[str, str]) -> dict:
    """Rename a record's keys from the file's column names to the contract's fields."""
    out = dict(record)
    for contract_field, file_column in columns.items():
        if file_column in record:
            out[contract_field] = record[file_column]
    return out


def _read_metadata(raw_dir: Path) -> tuple[dict[str, dict], list[InputError]]:
    path = raw_dir / METADATA_FILE
    if not path.exists():
        return {}, []
    rows, errors = {}, []
    for record in _csv_records(path, METADATA_FILE):
        if isinstance(record, InputError):
            errors.append(record)
        elif not (record.get("file") or "").strip():
            errors.append(InputError(METADATA_FILE, record[_LINE], "metadata row without a file name"))
        else:
            rows[record["file"].strip()] = record
    return rows, errors


# ---------------------------------------------------------------------------------------------- the corpus


MAX_DOCUMENT_CHARS = 1_000_000  # the default limit on one document's text (about 150,000 words, a long book)


def read_corpus(raw_dir: str | Path, *, columns: Mapping[str, str] | None = None,
                max_chars: int = MAX_DOCUMENT_CHARS) -> CorpusReading:
    """Read every article of a corpus folder at once (``stream_corpus`` reads it a batch at a time).

    Args:
        raw_dir: the corpus folder, ``data/raw/<name>/``.
        columns: contract field -> column name in the files, for ``.csv``/``.jsonl`` (e.g. ``{"published": "date"}``).

    Returns:
        articles with doc_id, title, text (the body as decoded, not yet repaired), body_offset (where the body starts
        in the decoded file; 0 for a .csv/.jsonl field), published, published_from, source, url, file, line, encoding;
        rejected with doc_id, file, line, reason; ignored file names. Sorted by file then line.
    """
    stream = stream_corpus(raw_dir, columns=columns, max_chars=max_chars)
    articles = concat_frames(list(stream), ARTICLE_COLUMNS)
    return CorpusReading(articles, stream.rejected, stream.ignored)


BATCH_ROWS = 2_000  # articles per frame of stream_corpus


def stream_corpus(raw_dir: str | Path, *, columns: Mapping[str, str] | None = None, rows: int = BATCH_ROWS,
                  max_chars: int = MAX_DOCUMENT_CHARS) -> CorpusStream:
    """The articles of a corpus folder as frames of ``rows`` articles (columns as ``read_corpus``), read as they
    are iterated, so a corpus is never all in memory; the stream's ``rejected`` and ``ignored`` are complete once
    the frames have all been read. A folder that does not exist is an error at once."""
    raw_dir = Path(raw_dir)
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"corpus folder {raw_dir} does not exist: put the articles in data/raw/<corpus>/")
    return CorpusStream(raw_dir, dict(columns or {}), rows, max_chars)


class CorpusStream:
    """``stream_corpus``'s articles: iterate for the frames; then ``rejected`` and ``ignored``."""

    def __init__(self, raw_dir: Path, columns: dict[str, str], rows: int, max_chars: int = MAX_DOCUMENT_CHARS):
        self.raw_dir, self.columns, self.rows, self.max_chars = raw_dir, columns, rows, max_chars
        self.rejected = pd.DataFrame(columns=[C.DOC_ID, C.FILE, C.LINE, C.REASON])
        self.ignored: list[str] = []

    def __iter__(self) -> Iterator[pd.DataFrame]:
        metadata, errors = _read_metadata(self.raw_dir)
        self.ignored = []
        invalid: list[dict] = []
        yield from _validate(self._records(metadata, errors), invalid, rows=self.rows, max_chars=self.max_chars)
        errors += [InputError(METADATA_FILE, row[_LINE], f"names {name!r}, which is not a .txt file of the corpus")
                   for name, row in metadata.items()]
        rejected = pd.DataFrame([{C.DOC_ID: None, C.FILE: e.file, C.LINE: e.line, C.REASON: e.reason}
                                 for e in errors] + invalid, columns=[C.DOC_ID, C.FILE, C.LINE, C.REASON])
        rejected[C.LINE] = rejected[C.LINE].astype("Int64")
        self.rejected = rejected.sort_values([C.FILE, C.LINE], kind="stable", na_position="first",
                                             ignore_index=True)

    def _records(self, metadata: dict[str, dict], errors: list[InputError]) -> Iterator[dict]:
        """One record at a time, into _validate: the raw records are never all held."""
        inside = self.raw_dir.resolve()
        for path in sorted(p for p in self.raw_dir.rglob("*") if p.is_file() or p.is_symlink()):
            rel = path.relative_to(self.raw_dir).as_posix()
            suffix = path.suffix.lower()
            if rel == METADATA_FILE:
                continue
            if not path.exists():
                errors.append(InputError(rel, None, f"a symbolic link to {os.readlink(path)}, which does not exist"))
                continue
            if not path.resolve().is_relative_to(inside):  # a link: what it reads must be part of the corpus
                errors.append(InputError(rel, None, f"a symbolic link to {path.resolve()}, outside the corpus folder: "
                                                    "copy the file into the folder (links are read only within it)"))
                continue
            if suffix not in ARTICLE_SUFFIXES or path.name.startswith("."):
                self.ignored.append(rel)
                continue
            try:
                if suffix == ".txt":
                    meta = metadata.pop(rel, {})
                    yield _txt_article(path, rel, self.max_chars) | {k: meta.get(k)
                                                                      for k in ("published", "source", "url")}
                    continue
                records = (_jsonl_records(path, rel) if suffix == ".jsonl"
                           else _csv_records(path, rel, self.columns.get("text", "text")))
                for record in records:
                    if isinstance(record, InputError):
                        errors.append(record)
                    else:
                        yield _remap(record, self.columns)
            except InputError as err:
                errors.append(err)
            except OSError as err:
                errors.append(InputError(rel, None, f"unreadable ({err.strerror})"))


def _validate(records: Iterable[dict], rejected: list[dict], *, rows: int,
              max_chars: int = MAX_DOCUMENT_CHARS) -> Iterator[pd.DataFrame]:
    """The articles of valid records, as frames of ``rows``; a rejection (doc_id, file, line, reason) in
    ``rejected`` for each other one."""
    held, seen = [], {}
    for record in records:
        doc_id = _doc_id(record)
        where = {C.DOC_ID: doc_id, C.FILE: record[_FILE], C.LINE: record[_LINE]}
        text = record.get("text")
        if "text" not in record and not record[_FILE].endswith(".txt"):
            rejected.append(where | {C.REASON: _no_text_column("text", record, "field")})
            continue
        if text is None or (isinstance(text, float) and pd.isna(text)) or not str(text).strip():
            rejected.append(where | {C.REASON: "no text"})
            continue
        if len(str(text)) > max_chars:
            rejected.append(where | {C.REASON: _too_long(len(str(text)), max_chars)})
            continue
        if doc_id in seen:
            rejected.append(where | {C.REASON: f"duplicate doc_id {doc_id!r} (first at {seen[doc_id]})"})
            continue
        try:
            published = parse_published(record.get("published"))
        except ValueError as err:
            rejected.append(where | {C.REASON: str(err)})
            continue
        if implausible := implausible_published(published):
            rejected.append(where | {C.REASON: f"{implausible}: correct it, or leave it empty to keep the article "
                                               "undated"})
            continue
        seen[doc_id] = f"{record[_FILE]}:{record[_LINE]}"
        held.append({
            C.DOC_ID: doc_id,
            C.TITLE: _clean_field(record.get("title")),
            C.TEXT: str(text),  # as decoded: cleaning repairs it and keeps offsets into this raw text
            C.BODY_OFFSET: int(record.get(BODY_OFFSET, 0)),
            C.PUBLISHED: published,
            C.PUBLISHED_FROM: "metadata" if published else "missing",
            C.SOURCE: _clean_field(record.get("source")),
            C.URL: _clean_field(record.get("url")),
            C.FILE: record[_FILE],
            C.LINE: record[_LINE],
            C.ENCODING: record[_ENCODING],
        })
        if len(held) == rows:
            yield pd.DataFrame(held, columns=ARTICLE_COLUMNS)
            held = []
    if held:
        yield pd.DataFrame(held, columns=ARTICLE_COLUMNS)


ARTICLE_COLUMNS = [C.DOC_ID, C.TITLE, C.TEXT, C.BODY_OFFSET, C.PUBLISHED, C.PUBLISHED_FROM, C.SOURCE, C.URL, C.FILE,
                   C.LINE, C.ENCODING]


_RE_ID_UNSAFE = re.compile(r"[^\w.-]+")


def _doc_id(record: dict) -> str:
    given = record.get("id")
    if given is not None and str(given).strip() and not (isinstance(given, float) and pd.isna(given)):
        return str(given).strip()
    if record[_FILE].endswith(".txt"):
        return Path(record[_FILE]).with_suffix("").as_posix()
    stem = _RE_ID_UNSAFE.sub("_", Path(record[_FILE]).with_suffix("").as_posix())
    return f"{stem}-{record[_LINE]}"


def _clean_field(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return " ".join(fix_text(str(value)).split())
