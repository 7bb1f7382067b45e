"""The timeline: events from all documents with their dates, merged across articles and put in order.

Sort key of events.parquet and timeline.csv: start_date, granularity (a day before the month that holds it),
end_date, trigger, event_id.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from dateline import columns as C
from dateline.events import confidence
from dateline.io import package_table
from dateline.timex.values import GRANULARITY_ORDER

EVENT_COLUMNS = [C.EVENT_ID, C.VALUE, C.START_DATE, C.END_DATE, C.GRANULARITY, C.TRIGGER, C.EVENT_CLASS, C.ACTORS,
                 "actor_names", "agent", C.PLACES, "place_names", C.TEXT, C.ANCHOR, C.CONFIDENCE, C.DOC_ID,
                 C.DOC_IDS, C.N_SOURCES, "timex_text", C.SENT_ID, C.START, C.END]


def assemble(events: list[dict], documents: pd.DataFrame) -> pd.DataFrame:
    """One row per extracted event, with event_id, the dateline place as a fallback place, and a confidence."""
    docs = documents.set_index(C.DOC_ID)
    rows = []
    counters: dict[tuple[str, int], int] = {}
    for e in sorted(events, key=lambda e: (e[C.DOC_ID], e[C.SENT_ID], e["timex_start"], e[C.TRIGGER])):
        key = (e[C.DOC_ID], e[C.SENT_ID])
        counters[key] = counters.get(key, 0) + 1
        places, place_names = list(e[C.PLACES]), list(e["place_names"])
        dateline_place = docs.at[e[C.DOC_ID], C.DATELINE_PLACE]
        from_dateline = not places and bool(dateline_place)
        if from_dateline:
            place_names = [dateline_place]
        rows.append({
            **{k: e[k] for k in (C.VALUE, C.START_DATE, C.END_DATE, C.GRANULARITY, C.TRIGGER, C.EVENT_CLASS,
                                 C.ACTORS, "actor_names", "agent", C.ANCHOR, "timex_text", C.DOC_ID, C.SENT_ID)},
            C.EVENT_ID: f"{e[C.DOC_ID]}:{e[C.SENT_ID]}:{counters[key]}",
            C.PLACES: places, "place_names": place_names,
            C.TEXT: e[C.TEXT],
            C.START: e["sent_start"] + e["clause_start"],
            C.END: e["sent_start"] + e["clause_start"] + len(e[C.TEXT]),
            C.CONFIDENCE: confidence(anchored=e[C.ANCHOR] == "timex", has_actor=bool(e[C.ACTORS]),
                                     place_from_dateline=from_dateline, pronoun=e["pronoun_resolved"]),
            C.DOC_IDS: [e[C.DOC_ID]],
            C.N_SOURCES: 1,
        })
    return order(pd.DataFrame(rows, columns=EVENT_COLUMNS))


@cache
def trigger_groups() -> dict[str, str]:
    """Trigger lemma -> its synonym group (``data/trigger_synonyms.csv``); a lemma not listed is its own group."""
    return {row["lemma"]: row["group"] for row in package_table("trigger_synonyms.csv")}


def merge_across_documents(events: pd.DataFrame) -> pd.DataFrame:
    """Merge rows that report the same event from different documents: the same or a synonymous trigger
    ("killed" / "slain"), a shared actor and overlapping date intervals ("Tuesday" / "March 24" / "this week").

    Intervals longer than a month merge only with the same value: "attacked in 2014" need not be the attack of
    June 10, 2014. The kept row is the most confident (then the first by event_id); it lists every document.
    """
    if events.empty:
        return events
    groups = trigger_groups()
    kept: list[dict] = []
    index: dict[str, list[int]] = {}
    ranked = events.sort_values([C.CONFIDENCE, C.EVENT_ID], ascending=[False, True], kind="stable")
    for row in ranked.to_dict("records"):
        key = groups.get(row[C.TRIGGER], row[C.TRIGGER])
        match = next((i for i in index.get(key, []) if row[C.DOC_ID] not in kept[i][C.DOC_IDS]
                      and set(kept[i][C.ACTORS]) & set(row[C.ACTORS]) and _same_time(kept[i], row)), None)
        if match is None:
            index.setdefault(key, []).append(len(kept))
            kept.append(row)
        else:
            kept[match][C.DOC_IDS] = sorted(set(kept[match][C.DOC_IDS]) | {row[C.DOC_ID]})
            kept[match][C.N_SOURCES] = len(kept[match][C.DOC_IDS])
    return order(pd.DataFrame(kept, columns=events.columns))


MERGE_MAX_DAYS = 31  # the longest interval that merges with another value it overlaps


def _same_time(a: dict, b: dict) -> bool:
    if a[C.VALUE] == b[C.VALUE]:
        return True
    if any(pd.isna(e[C.START_DATE]) or (e[C.END_DATE] - e[C.START_DATE]).days >= MERGE_MAX_DAYS for e in (a, b)):
        return False
    return a[C.START_DATE] <= b[C.END_DATE] and b[C.START_DATE] <= a[C.END_DATE]


def order(events: pd.DataFrame) -> pd.DataFrame:
    """Sort by start_date, then granularity (finer first), end_date, trigger and event_id."""
    rank = events[C.GRANULARITY].map({g: i for i, g in enumerate(GRANULARITY_ORDER)})
    return (events.assign(_rank=rank)
            .sort_values([C.START_DATE, "_rank", C.END_DATE, C.TRIGGER, C.EVENT_ID], kind="stable")
            .drop(columns="_rank").reset_index(drop=True))


def entity_timelines(events: pd.DataFrame, entities: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """For the ``top`` entities that act in most events, their events in timeline order."""
    exploded = events[[C.EVENT_ID, C.ACTORS]].explode(C.ACTORS).dropna()
    counts = exploded[C.ACTORS].value_counts()
    counts = counts.rename_axis(C.ENTITY_ID).reset_index(name="n_events").sort_values(
        ["n_events", C.ENTITY_ID], ascending=[False, True], kind="stable").head(top)
    names = dict(zip(entities[C.ENTITY_ID], entities[C.NAME], strict=True))
    rows = []
    for entity_id in counts[C.ENTITY_ID]:
        own = events[events[C.ACTORS].apply(lambda a, e=entity_id: e in a)]
        for r in own.to_dict("records"):
            rows.append({C.ENTITY_ID: entity_id, C.NAME: names.get(entity_id, entity_id), C.EVENT_ID: r[C.EVENT_ID],
                         C.START_DATE: r[C.START_DATE], C.END_DATE: r[C.END_DATE], C.GRANULARITY: r[C.GRANULARITY],
                         C.TRIGGER: r[C.TRIGGER], C.ANCHOR: r[C.ANCHOR], C.CONFIDENCE: r[C.CONFIDENCE]})
    return pd.DataFrame(rows, columns=[C.ENTITY_ID, C.NAME, C.EVENT_ID, C.START_DATE, C.END_DATE, C.GRANULARITY,
                                       C.TRIGGER, C.ANCHOR, C.CONFIDENCE])


def to_csv_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The timeline for people: list columns joined with "; "."""
    out = events.copy()
    for col in (C.ACTORS, "actor_names", C.PLACES, "place_names", C.DOC_IDS):
        out[col] = out[col].apply("; ".join)
    return out
