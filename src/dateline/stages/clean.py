"""Stage 01 (``notebooks/01_clean``): read the raw articles of a corpus a batch at a time, clean them, find their
syndicated copies and write documents.parquet, offsets.parquet and the ledgers (rejected.csv, merged.csv,
summary.csv). The cleaned text waits on disk (sorted runs) while the corpus is read, so memory holds one batch of
text, each article's metadata and a fingerprint of its words (``dedup.Signatures``)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dateline import columns as C
from dateline import corpus as corpus_reader
from dateline.config import CorpusPaths
from dateline.io import SortedRuns, concat_frames, write_csv
from dateline.steps import clean, dedup


@dataclass
class CleanRun:
    """What ``run`` wrote, and what the notebook shows: the kept documents (without their text), the rejected
    and merged ledgers, the summary, the first articles with their text and segments, the files ignored."""
    documents: pd.DataFrame
    rejected: pd.DataFrame
    merged: pd.DataFrame
    summary: pd.DataFrame
    example: pd.DataFrame
    ignored: list[str]


def run(paths: CorpusPaths, *, columns: dict, max_document_chars: int, dedup_threshold: float,
        strict: bool) -> CleanRun:
    """Stage 01 over ``data/raw/<corpus>``; with ``strict``, any rejected document fails it before anything is
    written."""
    reading = corpus_reader.stream_corpus(paths.raw, columns=columns, max_chars=max_document_chars)
    staged = SortedRuns(C.DOC_ID, clean.STAGED_SCHEMA, dir=paths.interim)
    try:
        signatures = dedup.Signatures()
        batches, example, emptied = [], clean.EMPTY_EXAMPLE, []
        for articles in reading:
            cleaned, empty = clean.split_empty(clean.clean_documents(articles))  # an article that was only a dateline
            emptied.append(empty)
            if not batches:
                example = cleaned.head(10)  # the first articles, text and all, for the notebook to show
            signatures.add(cleaned[C.TEXT])
            batches.append(clean.stage(cleaned, staged))  # the text to disk, the rest of the row kept
        documents = concat_frames(batches, clean.STAGE_COLUMNS)
        del batches
        rejected = concat_frames([reading.rejected, *emptied], clean.REJECTED_COLUMNS).sort_values(
            [C.FILE, C.LINE], kind="stable", na_position="first", ignore_index=True)
        copies = dedup.copies_among(documents, signatures, threshold=dedup_threshold)
        documents, merged = dedup.merge_copies(documents, copies)
        summary = clean.summary(documents, merged, rejected)
        if strict and len(rejected):
            raise ValueError(f"strict: {len(rejected)} document(s) rejected:\n{rejected.to_string()}")
        write_csv(rejected, paths.rejected)
        write_csv(merged, paths.merged)
        write_csv(summary.rename_axis("what").reset_index(), paths.summary)
        clean.write_documents(staged, documents, paths.documents, paths.offsets)
    finally:
        staged.close()
    return CleanRun(documents, rejected, merged, summary, example, list(reading.ignored))
