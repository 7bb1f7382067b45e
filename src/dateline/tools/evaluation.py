"""Scoring stage outputs against hand-checked gold files (``tests/gold/``)."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import yaml

from dateline import columns as C
from dateline.config import corpus_paths
from dateline.io import parquet_metadata, read_parquet

_RE_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
_RE_THE = re.compile(r"^the\s+", re.IGNORECASE)


def load_gold(path: str | Path) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def surface_key(text: str) -> str:
    """A surface form for comparison: no leading "the", no possessive, no trailing punctuation, case-folded."""
    text = _RE_THE.sub("", " ".join(text.split())).strip(" ,.;:")
    return _RE_POSSESSIVE.sub("", text).casefold()


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "tp": tp, "predicted": n_pred,
            "gold": n_gold}


def entity_scores(gold: dict[str, list[dict]], mentions: pd.DataFrame) -> dict:
    """Precision and recall of canonical entities (name and type) and of alias merges (pairs of surface forms
    given one entity), micro-averaged over the gold documents; with the errors, document by document."""
    counts = {"entities": [0, 0, 0], "merges": [0, 0, 0]}
    errors = []
    for doc_id, gold_entities in gold.items():
        own = mentions[mentions[C.DOC_ID] == doc_id]
        predicted = {(name.casefold(), entity_id.split(":", 1)[0])
                     for name, entity_id in zip(own[C.NAME], own[C.ENTITY_ID], strict=True)}
        expected = {(e["name"].casefold(), e["type"]) for e in gold_entities}
        pred_pairs = set()
        for _, group in own.groupby(C.ENTITY_ID):
            forms = sorted({surface_key(t) for t in group[C.TEXT]})
            pred_pairs |= set(itertools.combinations(forms, 2))
        gold_pairs = set()
        for e in gold_entities:
            gold_pairs |= set(itertools.combinations(sorted({surface_key(a) for a in e["aliases"]}), 2))
        for key, pred, exp in (("entities", predicted, expected), ("merges", pred_pairs, gold_pairs)):
            counts[key][0] += len(pred & exp)
            counts[key][1] += len(pred)
            counts[key][2] += len(exp)
            errors += [{"doc_id": doc_id, "kind": key, "error": "spurious", "item": str(x)} for x in sorted(pred - exp)]
            errors += [{"doc_id": doc_id, "kind": key, "error": "missed", "item": str(x)} for x in sorted(exp - pred)]
    return {"entities": _prf(*counts["entities"]), "merges": _prf(*counts["merges"]),
            "errors": pd.DataFrame(errors, columns=["doc_id", "kind", "error", "item"])}


def corpus_documents(corpus: str, *, root: str | Path = ".") -> pd.DataFrame:
    """A corpus read and cleaned as stage 01 does (with its params file's column mapping)."""
    from dateline.corpus import read_corpus
    from dateline.steps import clean

    params = Path(root) / "params" / f"{corpus}.yaml"
    columns = (yaml.safe_load(params.read_text(encoding="utf-8")) or {}).get("columns", {}) if params.exists() else {}
    reading = read_corpus(Path(root) / "data" / "raw" / corpus, columns=columns)
    return clean.clean_documents(reading.articles)


def build(root: str | Path, corpora: Iterable[str], *, venv: str | Path | None = None) -> None:
    """Bring each corpus's stage 01-03 outputs up to date with `make`, as `make report` does: what is scored is
    what the report shows, made by the same code (``venv``: the environment to run it with, for a project copy)."""
    from dateline.provenance import with_environment

    given = with_environment(venv) if venv else []
    for corpus in corpora:
        command = ["make", "--no-print-directory", "-C", str(root), f"data/processed/{corpus}/events.parquet",
                   f"CORPUS={corpus}", *given]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"`{' '.join(command)}` failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")


def _gold_rows(gold: dict, root: str | Path, path_of) -> pd.DataFrame:
    """The rows of a stage file (``path_of(corpus paths)``) of each gold corpus, for its gold documents."""
    frames = []
    for corpus, docs in sorted(gold.items()):
        path = path_of(corpus_paths(corpus, root))
        frames.append(read_parquet(path))
        present = set(frames[-1][C.DOC_ID])
        missing = sorted(set(docs) - present - set(_all_sources(frames[-1])))
        if missing:
            raise KeyError(f"gold documents not in corpus {corpus!r} ({path}): {missing}")
    return pd.concat(frames, ignore_index=True)


def _all_sources(frame: pd.DataFrame) -> set[str]:
    return {d for ids in frame[C.DOC_IDS] for d in ids} if C.DOC_IDS in frame else set()


def _flatten(gold: dict) -> dict:
    return {doc_id: items for docs in gold.values() for doc_id, items in docs.items()}


def evaluate_entities(gold_path: str | Path, *, root: str | Path = ".", venv: str | Path | None = None) -> dict:
    """Score the canonical entities of the gold documents, as stage 02 resolved them over their whole corpus
    (each corpus built first with ``build``)."""
    gold = load_gold(gold_path)
    build(root, gold, venv=venv)
    mentions = _gold_rows(gold, root, lambda paths: paths.mentions)
    model = parquet_metadata(corpus_paths(sorted(gold)[0], root).mentions).get("model", "")
    return entity_scores(_flatten(gold), mentions) | {"documents": len(_flatten(gold)), "model": model}


def _date_key(value: object) -> str:
    """A TIMEX3 value compared as a date: a time of day is dropped ("2020-01-11TMO" -> "2020-01-11")."""
    return str(value).split("T")[0]


def timeline_scores(gold: dict[str, list[dict]], events: pd.DataFrame) -> dict:
    """Precision and recall of dated events of the documents' bodies (the gold covers no headline) as (date,
    trigger) and as (date, trigger, main actor), each set once per document; the main actor is the first actor's
    canonical name, or "" when the event has none."""
    counts = {"date+trigger": [0, 0, 0], "date+trigger+actor": [0, 0, 0]}
    errors = []
    for doc_id, gold_events in gold.items():
        own = events[(events[C.DOC_ID] == doc_id) & (events[C.ANCHOR] == "timex")
                     & (events[C.SENT_ID] != C.HEADLINE_SENT_ID if C.SENT_ID in events else True)]
        predicted = {(_date_key(v), t, (names[0] if len(names) else "").casefold())
                     for v, t, names in zip(own[C.VALUE], own[C.TRIGGER], own[C.ACTOR_NAMES], strict=True)}
        expected = {(_date_key(e["date"]), e["trigger"], (e.get("actor") or "").casefold()) for e in gold_events}
        for key, pred, exp in (("date+trigger+actor", predicted, expected),
                               ("date+trigger", {p[:2] for p in predicted}, {e[:2] for e in expected})):
            counts[key][0] += len(pred & exp)
            counts[key][1] += len(pred)
            counts[key][2] += len(exp)
            if key == "date+trigger+actor":
                errors += [{"doc_id": doc_id, "error": "spurious", "event": str(x)} for x in sorted(pred - exp)]
                errors += [{"doc_id": doc_id, "error": "missed", "event": str(x)} for x in sorted(exp - pred)]
    return {key: _prf(*c) for key, c in counts.items()} | {
        "errors": pd.DataFrame(errors, columns=["doc_id", "error", "event"])}


def evaluate_timeline(gold_path: str | Path, *, root: str | Path = ".", venv: str | Path | None = None) -> dict:
    """Score the dated events of the gold documents in their corpus's timeline (each corpus built first with
    ``build``): an event merged across articles counts for each document that tells it."""
    gold = load_gold(gold_path)
    build(root, gold, venv=venv)
    events = _gold_rows(gold, root, lambda paths: paths.events)
    told = events.explode(C.DOC_IDS).assign(**{C.DOC_ID: lambda e: e[C.DOC_IDS]})
    return timeline_scores(_flatten(gold), told) | {"documents": len(_flatten(gold))}


def date_f1(predicted: Iterable[str], gold: Iterable[str]) -> dict:
    """Date selection F1 as tilse defines it (Martschat and Markert 2018, used by news-tls): precision and recall
    of the set of dates a timeline picks against the gold timeline's dates."""
    predicted, gold = set(predicted), set(gold)
    hits = len(predicted & gold)
    precision = hits / len(predicted) if predicted else 0.0
    recall = hits / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    return {"predicted": len(predicted), "gold": len(gold), "right": hits, "precision": precision,
            "recall": recall, "f1": f1}


def evaluate_key_dates(stories: Iterable[str | Path], *, root: Path, venv: Path) -> pd.DataFrame:
    """Date F1 of key_dates.csv against each story's ``key_dates.yaml`` (a folder holding a JSONL corpus and its
    true key dates): the story is built as `make report` builds it (stages 01-03) in a temporary copy of the
    project, under the folder's name. One row per story: its counts, precision, recall and F1, and the dates
    missed and wrongly chosen."""
    from dateline.tools import bench

    rows = []
    for story in map(Path, stories):
        gold = [str(entry["date"]) for entry in yaml.safe_load((story / "key_dates.yaml").read_text(encoding="utf-8"))]
        with bench.scratch_project(root, story.name) as (copy, raw):
            for articles in sorted(story.glob("*.jsonl")):  # not the README nor the gold beside them
                shutil.copyfile(articles, raw / articles.name)
            build(copy, [story.name], venv=venv)
            chosen = pd.read_csv(corpus_paths(story.name, copy).key_dates, dtype=str, keep_default_na=False)
        predicted = chosen[C.DATE].tolist()
        rows.append({"story": story.name} | date_f1(predicted, gold)
                    | {"missed": " ".join(sorted(set(gold) - set(predicted))),
                       "wrong": " ".join(sorted(set(predicted) - set(gold)))})
    return pd.DataFrame(rows)
