"""SemEval-2015 Task 4 (TimeLine: cross-document event ordering), main track: the task's CAT documents as a dateline
corpus, the timeline of a target entity in the task's format, and the official scorer.

The corpus is what a user would give the pipeline: one JSONL record per document, the headline (sentence 0) as the
title, the body sentences (2 on; sentence 1 is the date line) one per paragraph, the creation time as the
publication date. An event's trigger is mapped back to the CAT token under its first character: that token's
sentence and text make the task's event id (``docid-sentence-token``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dateline import columns as C
from dateline.steps.explore import matching_entities

HEADLINE, DATE_LINE = 0, 1  # CAT sentence numbers of the headline and the date line
_NO_SPACE_BEFORE = re.compile(r"^(?:[.,;:!?%)\]}]|'s|'re|'ve|'ll|'d|'m|n't|''|')$", re.IGNORECASE)
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "`"}


@dataclass(frozen=True)
class CatDocument:
    doc_id: str
    published: dt.date | None
    tokens: tuple[tuple[int, str], ...]  # (sentence, text), in order


def read_cat(path: str | Path) -> CatDocument:
    root = ET.parse(path).getroot()
    tokens = tuple((int(t.get("sentence")), t.text or "") for t in root.iter("token"))
    created = next((t.get("value") for t in root.iter("TIMEX3") if t.get("functionInDocument") == "CREATION_TIME"),
                   None)
    published = dt.date.fromisoformat(created[:10]) if created and re.match(r"\d{4}-\d\d-\d\d", created) else None
    return CatDocument(root.get("doc_id"), published, tokens)


def join_tokens(tokens: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Tokens as running text (no space before a comma or after an opening bracket), with each token's span."""
    text, spans = "", []
    for i, token in enumerate(tokens):
        if i and not _NO_SPACE_BEFORE.match(token) and tokens[i - 1] not in _NO_SPACE_AFTER:
            text += " "
        spans.append((len(text), len(text) + len(token)))
        text += token
    return text, spans


@dataclass(frozen=True)
class TokenIndex:
    """Where each CAT token of a document's body lies in the record's text: sorted starts, ends, ids."""

    starts: list[int]
    ends: list[int]
    ids: list[str]  # "sentence-token text"

    def at(self, offset: int) -> str | None:
        """The token covering ``offset``, or None."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.ids[i] if i >= 0 and offset < self.ends[i] else None

    def mention(self, start: int, end: int) -> str | None:
        """The task's name of the tokens from the one covering ``start`` to the one covering ``end - 1``:
        "sentence-token", or "sentence-token_token" for several ("12-showed_off"); None if either is no token or
        they lie in two sentences."""
        first, last = self.at(start), self.at(end - 1)
        if first is None or last is None:
            return None
        i, j = bisect.bisect_right(self.starts, start) - 1, bisect.bisect_right(self.starts, end - 1) - 1
        sentences = {self.ids[k].split("-", 1)[0] for k in range(i, j + 1)}
        if len(sentences) > 1:
            return None
        return first.split("-", 1)[0] + "-" + "_".join(self.ids[k].split("-", 1)[1] for k in range(i, j + 1))


def to_record(doc: CatDocument) -> tuple[dict, TokenIndex]:
    """A JSONL record of the document and the index of its body's tokens in the record's text."""
    sentences: dict[int, list[str]] = {}
    for sentence, text in doc.tokens:
        sentences.setdefault(sentence, []).append(text)
    title, _ = join_tokens(sentences.get(HEADLINE, []))
    paragraphs, starts, ends, ids, pos = [], [], [], [], 0
    for number in sorted(s for s in sentences if s not in (HEADLINE, DATE_LINE)):
        text, spans = join_tokens(sentences[number])
        for (start, end), token in zip(spans, sentences[number], strict=True):
            starts.append(pos + start)
            ends.append(pos + end)
            ids.append(f"{number}-{token}")
        paragraphs.append(text)
        pos += len(text) + 2
    record = {"id": doc.doc_id, "title": title, "text": "\n\n".join(paragraphs),
              "published": doc.published.isoformat() if doc.published else ""}
    return record, TokenIndex(starts, ends, ids)


def write_corpus(documents_dir: str | Path, out: str | Path) -> dict[str, TokenIndex]:
    """The CAT documents of a folder as one JSONL corpus file; the token index of each document."""
    indexes, lines = {}, []
    for path in sorted(Path(documents_dir).glob("*.xml")):
        record, index = to_record(read_cat(path))
        indexes[record["id"]] = index
        lines.append(json.dumps(record, ensure_ascii=False))
    Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return indexes


def anchor(start: dt.date | None, granularity: str) -> str:
    """The task's time anchor of an event: the day, month or year its date names (as the gold writes them)."""
    if start is None or pd.isna(start):
        return "XXXX-XX-XX"
    if granularity in ("day", "time"):
        return start.isoformat()
    if granularity == "month":
        return start.strftime("%Y-%m")
    return str(start.year)


def timeline(target: str, events: pd.DataFrame, entities: pd.DataFrame, indexes: dict[str, TokenIndex],
             raw_span) -> list[str]:
    """The target entity's timeline over CAT documents: ``timeline_lines`` with each event named by its CAT
    tokens (``raw_span(doc_id, start, end)`` maps a span of the cleaned text to the record's text); headline
    events are left out, as the task annotates none."""
    def mention(e) -> str | None:
        if getattr(e, C.SENT_ID, 0) == C.HEADLINE_SENT_ID:
            return None
        span = raw_span(e.doc_id, getattr(e, C.TRIGGER_START), getattr(e, C.TRIGGER_END))
        token = indexes[e.doc_id].mention(*span) if span is not None and e.doc_id in indexes else None
        return f"{e.doc_id}-{token}" if token else None

    return timeline_lines(target, events, entities, mention)


def corpus_mention(e) -> str:
    """An event of any corpus named in the task's way: doc_id, sent_id (-1: the headline), the trigger's words."""
    return f"{getattr(e, C.DOC_ID)}-{getattr(e, C.SENT_ID)}-{'_'.join(getattr(e, C.TRIGGER_TEXT).split())}"


def timeline_lines(target: str, events: pd.DataFrame, entities: pd.DataFrame, mention) -> list[str]:
    """The target entity's timeline in the task's format (first line the target, then
    ``order<TAB>anchor<TAB>mention``): the events it takes part in (an entity whose name matches it is a
    participant), in time order, undated ones with order 0; one line per mention (``mention(event)``, None to
    leave an event out), at its most confident event's anchor."""
    ids = set(matching_entities(target, entities))
    rows = []
    for e in events.itertuples(index=False):
        if not ids & set(getattr(e, C.PARTICIPANTS)):
            continue
        named = mention(e)
        if named:
            rows.append((getattr(e, C.START_DATE), anchor(getattr(e, C.START_DATE), e.granularity), named,
                         getattr(e, C.CONFIDENCE, 1.0)))
    best: dict[str, tuple] = {}  # one line per mention: its most confident event, then the finest anchor
    for row in rows:
        kept = best.get(row[2])
        if kept is None or (row[3], len(row[1])) > (kept[3], len(kept[1])):
            best[row[2]] = row
    rows = sorted(best.values(), key=lambda r: (r[0] is None, r[0] or dt.date.min, r[1], r[2]))
    order, lines, previous = 0, [target], None
    for _, when, mention, _ in rows:
        if when != previous:
            order, previous = order + 1, when
        lines.append(f"{order if when != 'XXXX-XX-XX' else 0}\t{when}\t{mention}")
    return lines


def score(gold_dir: str | Path, system_dir: str | Path, scorer: str | Path, *, python: list[str]) -> pd.DataFrame:
    """The official scorer's precision, recall and F1 per timeline and micro-averaged (row "micro")."""
    run = subprocess.run([*python, str(Path(scorer) / "evaluation_all.py"), f"{gold_dir}/", f"{system_dir}/"],
                         capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        raise RuntimeError(f"the scorer failed:\n{run.stderr[-2000:]}")
    rows = []
    for line in run.stdout.splitlines():
        fields = line.split("\t")
        if "FSCORE" in line and len(fields) >= 7:
            rows.append({"timeline": fields[0].removesuffix(".txt") or "micro", "f1": float(fields[2]),
                         "precision": float(fields[4]), "recall": float(fields[6])})
    return pd.DataFrame(rows)


@dataclass
class PipelineRun:
    """What stages 01-03 made of CAT documents: the events, entities and mentions, the map from cleaned-text
    offsets to the records' text, and each record's token index."""

    events: pd.DataFrame
    entities: pd.DataFrame
    mentions: pd.DataFrame
    indexes: dict[str, TokenIndex]
    segments: dict[str, list[tuple[int, int, int, int]]]

    def raw_span(self, doc_id: str, start: int, end: int) -> tuple[int, int] | None:
        """A span of a document's cleaned text in its record's text (None if it lies in no kept text)."""
        from dateline.steps.offsets import to_raw

        first, last = to_raw(self.segments.get(doc_id, []), start, start + 1), \
            to_raw(self.segments.get(doc_id, []), end - 1, end)
        return (first[0], last[1]) if first and last else None


def run_pipeline(documents_dir: str | Path, out: str | Path, *, root: Path, venv: Path) -> PipelineRun:
    """Stages 01-03, as `make report` runs them, on CAT documents turned into a JSONL corpus, in a temporary
    copy of the project; events, entities and offsets are also copied to ``out`` for error analysis."""
    from dateline import io
    from dateline.tools import bench
    from dateline.tools.evaluation import build

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    with bench.scratch_project(root, "cat") as (copy, raw):
        indexes = write_corpus(documents_dir, raw / "cat.jsonl")
        build(copy, ["cat"], venv=venv)
        processed, interim = copy / "data" / "processed" / "cat", copy / "data" / "interim" / "cat"
        for kept in (processed / "events.parquet", processed / "entities.parquet", interim / "offsets.parquet"):
            shutil.copyfile(kept, out / kept.name)
        offsets = io.read_parquet(interim / "offsets.parquet")
        segments = {doc_id: list(group[[C.START, C.END, C.RAW_START, C.RAW_END]].itertuples(index=False, name=None))
                    for doc_id, group in offsets.groupby(C.DOC_ID, sort=False)}
        return PipelineRun(io.read_parquet(processed / "events.parquet"),
                           io.read_parquet(processed / "entities.parquet"),
                           io.read_parquet(processed / "mentions.parquet"), indexes, segments)


def evaluate(trial: str | Path, out: str | Path, *, root: Path, venv: Path, python: list[str]
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The pipeline (``run_pipeline``) on the trial's documents; the target entities' timelines written to
    ``out/system``; the official scorer's figures, and the date F1 of each entity's key dates (``key_date_f1``)."""
    trial, out = Path(trial), Path(out)
    system = out / "system"
    system.mkdir(parents=True, exist_ok=True)
    run = run_pipeline(trial / "documents", out, root=root, venv=venv)
    dates = []
    for gold in sorted((trial / "gold-timelines").glob("*.txt")):
        target = gold.read_text(encoding="utf-8").splitlines()[0].strip()
        lines = timeline(target, run.events, run.entities, run.indexes, run.raw_span)
        (system / gold.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
        dates.append({"timeline": gold.stem} | key_date_f1(gold, target, run.events, run.entities))
    return score(trial / "gold-timelines", system, trial / "scorer", python=python), pd.DataFrame(dates)


def gold_dates(gold: str | Path) -> list[str]:
    """The dates of a gold timeline as key dates write them: a day, a month ("2010-06-XX" -> "2010-06") or a year;
    undated lines (XXXX-XX-XX) left out."""
    found = set()
    for line in Path(gold).read_text(encoding="utf-8").splitlines()[1:]:
        value = line.split("\t")[1] if line.count("\t") >= 2 else ""
        parts = [p for p in value.split("-") if p and "X" not in p]
        if parts and len(parts[0]) == 4:
            found.add("-".join(parts))
    return sorted(found)


def key_date_f1(gold: str | Path, target: str, events: pd.DataFrame, entities: pd.DataFrame) -> dict:
    """Date F1 (``evaluation.date_f1``) of the key dates of the events a target entity takes part in
    (``keydates.KeyDates``, as many as the gold timeline has dates, as news-tls evaluates) against the gold
    timeline's dates (``gold_dates``)."""
    from dateline.steps import keydates
    from dateline.tools.evaluation import date_f1

    wanted = gold_dates(gold)
    ids = set(matching_entities(target, entities))
    chooser = keydates.KeyDates(None)
    about = events[events[C.PARTICIPANTS].map(lambda p: not ids.isdisjoint(p))
                   | events[C.ACTORS].map(lambda a: not ids.isdisjoint(a))]
    chooser.add(about[keydates.EVENT_COLUMNS].to_dict("records"))
    return date_f1(chooser.chosen(len(wanted))[C.DATE] if wanted else [], wanted)
