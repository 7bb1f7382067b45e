"""Stage 04's runner: what the report reads from the stage outputs, each file read a part at a time or only the rows
shown, so that a large corpus never has to fit in memory. The choices are pure (``dateline.report.choice``), the
HTML is written by ``dateline.report.sections``; the notebook calls one function here per section and shows it."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dateline import columns as C
from dateline import io
from dateline.config import CorpusPaths
from dateline.report.choice import (
    CHART_CHOICE_COLUMNS,
    SUMMARY_COLUMNS,
    DocumentSummary,
    chart_choice,
    news_period,
    summarise_documents,
)
from dateline.steps import keydates

READ_ROWS = 10_000  # rows a part when the report reads a whole file's columns a part at a time
ENTITY_ROWS = 30  # the entity table's rows (and at least the chart's)


@dataclass(frozen=True)
class Overview:
    """What every section of the report reads: the documents' summary, the cleaning's lists, the most mentioned
    entities (at most ``max(ENTITY_ROWS, top_entities)``), how many entities and events there are, the model."""

    summary: DocumentSummary
    rejected: pd.DataFrame
    merged: pd.DataFrame
    entities: pd.DataFrame
    n_entities: int
    n_events: int
    model_id: str

    @property
    def news_period(self) -> tuple | None:
        """The first and last publication dates (None when no document is dated)."""
        first, last = self.summary.first_published, self.summary.last_published
        return (first, last) if first is not None else None


def overview(paths: CorpusPaths, *, top_entities: int) -> Overview:
    summary = summarise_documents(io.parquet_parts(paths.documents, SUMMARY_COLUMNS, rows=READ_ROWS))
    return Overview(summary=summary, rejected=io.read_csv(paths.rejected), merged=io.read_csv(paths.merged),
                    entities=io.parquet_head(paths.entities, rows=max(ENTITY_ROWS, top_entities)),
                    n_entities=io.parquet_rows(paths.entities), n_events=io.parquet_rows(paths.events),
                    model_id=io.parquet_metadata(paths.mentions).get("model", "unknown"))


def timeline_events(paths: CorpusPaths, seen: Overview, *, limit: int) -> pd.DataFrame:
    """The events the timeline chart draws (``chart_choice``: seven columns of every event read twice, a part at a
    time), then read whole, in chart order."""
    chosen = chart_choice(lambda: io.parquet_parts(paths.events, CHART_CHOICE_COLUMNS, rows=READ_ROWS),
                          limit=limit, around=seen.news_period)
    return io.read_parquet(paths.events, where={C.EVENT_ID: chosen}).set_index(C.EVENT_ID).loc[chosen].reset_index()


def entity_timelines(paths: CorpusPaths, seen: Overview) -> tuple[pd.DataFrame, int]:
    """The entity timelines' events in the news period (``news_period``), and how many were left out."""
    timelines = io.read_parquet(paths.entity_timelines)
    in_period = timelines[news_period(timelines, seen.news_period)]
    return in_period, len(timelines) - len(in_period)


def first_events(paths: CorpusPaths, *, rows: int) -> pd.DataFrame:
    return io.parquet_head(paths.events, rows=rows)


def cooccurrence(paths: CorpusPaths, seen: Overview, *, top: int) -> pd.DataFrame:
    """The co-occurrence pairs among the ``top`` most mentioned entities (the network shows no others)."""
    top_ids = seen.entities[C.ENTITY_ID].head(top)
    return io.read_parquet(paths.cooccurrence, where={C.ENTITY_A: top_ids, C.ENTITY_B: top_ids})


def shown_documents(paths: CorpusPaths, key_dates: pd.DataFrame, *,
                    max_documents: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The documents the report shows (the first ``max_documents``, and those the key dates link to), with their
    mentions and time expressions: only their rows are read."""
    first = io.parquet_head(paths.documents, [C.DOC_ID], rows=max_documents)[C.DOC_ID].tolist()
    shown = {C.DOC_ID: list(dict.fromkeys(first + keydates.linked_articles(key_dates)))}
    return (io.read_parquet(paths.documents, where=shown), io.read_parquet(paths.mentions, where=shown),
            io.read_parquet(paths.timexes, where=shown))
