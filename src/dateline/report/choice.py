"""What the report shows, chosen from the stage outputs: pure functions over frames given whole or a part at a time
(the stage-04 runner, ``dateline.stages.report``, reads the files; ``sections`` writes the HTML)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import pandas as pd

from dateline import columns as C
from dateline.timex.values import GRANULARITY_ORDER

# the columns of documents.parquet the overview and the cleaning summary read (the documents shown are read whole)
SUMMARY_COLUMNS = [C.DOC_ID, C.PUBLISHED, C.N_WORDS, C.DATELINE, C.DATELINE_PLACE, C.REPEATS_REMOVED, C.BOILERPLATE]



@dataclass(frozen=True)
class DocumentSummary:
    """What the overview and the cleaning summary say of the kept documents (``summarise_documents``)."""

    documents: int
    words: int
    first_published: dt.date | None
    last_published: dt.date | None
    undated: int
    datelines: int
    repeats_removed: int
    boilerplate_lines: int
    with_dateline: tuple[tuple[str, str, str], ...]  # the first documents with a dateline: doc_id, dateline, place


def summarise_documents(parts: Iterable[pd.DataFrame], *, examples: int = 20) -> DocumentSummary:
    """``DocumentSummary`` of documents' ``SUMMARY_COLUMNS`` given a part at a time (as ``io.parquet_parts``
    reads them), so a large corpus is never in memory whole."""
    documents = words = undated = datelines = repeats = boilerplate = 0
    first = last = None
    with_dateline: list[tuple[str, str, str]] = []
    for part in parts:
        documents += len(part)
        words += int(part[C.N_WORDS].sum())
        dates = part[C.PUBLISHED].dropna()
        undated += len(part) - len(dates)
        if len(dates):
            first = dates.min() if first is None else min(first, dates.min())
            last = dates.max() if last is None else max(last, dates.max())
        has_dateline = part[C.DATELINE] != ""
        datelines += int(has_dateline.sum())
        repeats += int(part[C.REPEATS_REMOVED].sum())
        boilerplate += int(part[C.BOILERPLATE].map(len).sum())
        if len(with_dateline) < examples:
            rows = part.loc[has_dateline, [C.DOC_ID, C.DATELINE, C.DATELINE_PLACE]].head(examples - len(with_dateline))
            with_dateline.extend(rows.itertuples(index=False, name=None))
    return DocumentSummary(documents, words, first, last, undated, datelines, repeats, boilerplate,
                           tuple(with_dateline))


def news_period(events: pd.DataFrame, around: tuple | None) -> pd.Series:
    """Whether each event starts within ``around`` (the corpus's publication dates) widened by a year on each side:
    the news period, not the history it recalls. An undated event is in no period."""
    dated = events[C.START_DATE].notna()
    if around is None or any(d is None or pd.isna(d) for d in around):
        return dated
    lo, hi = around[0].replace(year=around[0].year - 1), around[1].replace(year=around[1].year + 1)
    starts = events[C.START_DATE].where(dated, lo)
    return dated & (starts >= lo) & (starts <= hi)


CHART_CHOICE_COLUMNS = [C.EVENT_ID, C.START_DATE, C.END_DATE, C.GRANULARITY, C.ANCHOR, C.CONFIDENCE, C.N_SOURCES]
"""What ``chart_choice`` reads of every event (the chosen ones are then read whole)."""
_CHART_ORDER = [C.START_DATE, C.END_DATE, C.EVENT_ID]


_YEAR = GRANULARITY_ORDER.index("year")  # a year or coarser is drawn after finer dates


def _tiers(events: pd.DataFrame, around: tuple | None) -> Iterator[tuple]:
    fineness = events[C.GRANULARITY].map({g: i for i, g in enumerate(GRANULARITY_ORDER)})
    return zip(~news_period(events, around), events[C.ANCHOR] != "timex", fineness >= _YEAR,
               -events[C.CONFIDENCE], -events[C.N_SOURCES], strict=True)


def chart_choice(read: Callable[[], Iterable[pd.DataFrame]], *, limit: int, around: tuple | None = None) -> list:
    """The event_ids of the events worth drawing when there are too many, at most ``limit``, in chart order
    (start_date, end_date, event_id).

    Only events in the news period (``news_period``) when there are any: one recalled from years before, or a plan
    for years ahead, would squeeze the news into a corner of the axis. Preferred: events dated by the text, then
    those finer than a year, then the most confident and most reported. Among equals at the cut, evenly spread over
    time, so that a long corpus is not drawn as its first weeks only. ``read()`` gives the events'
    ``CHART_CHOICE_COLUMNS`` a part at a time in timeline order (``io.parquet_parts`` of events.parquet); it is
    called twice, once to count each tier and once to pick, so the events are never in memory whole.
    """
    def parts() -> Iterator[pd.DataFrame]:  # only dated events can be drawn
        return (part[part[C.START_DATE].notna()] for part in read())

    sizes = Counter(key for part in parts() for key in _tiers(part, around))
    if any(not out_of_period for out_of_period, *_ in sizes):  # the news, without what it recalls or plans
        sizes = Counter({key: n for key, n in sizes.items() if not key[0]})
    picks: dict[tuple, range | set[int]] = {}
    room = limit
    for key in sorted(sizes):
        if room <= 0:
            break
        n = sizes[key]  # more than room: evenly spaced picks over the tier's time order
        picks[key] = range(n) if n <= room else {round(i * (n - 1) / max(room - 1, 1)) for i in range(room)}
        room -= len(picks[key])
    seen: Counter = Counter()
    chosen = []
    for part in parts():
        for key, row in zip(_tiers(part, around), part[_CHART_ORDER].itertuples(index=False, name=None), strict=True):
            if key in picks:
                if seen[key] in picks[key]:
                    chosen.append(row)
                seen[key] += 1
    return pd.DataFrame(chosen, columns=_CHART_ORDER).sort_values(_CHART_ORDER)[C.EVENT_ID].tolist()


def chart_events(events: pd.DataFrame, *, limit: int, around: tuple | None = None) -> pd.DataFrame:
    """``chart_choice`` of ``events`` (in timeline order) as their rows, in chart order."""
    chosen = chart_choice(lambda: [events], limit=limit, around=around)
    return events.set_index(C.EVENT_ID, drop=False).loc[chosen].reset_index(drop=True)
