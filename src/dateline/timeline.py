"""The timeline: events from all documents with their dates, merged across articles and put in order.

Sort key of events.parquet and timeline.csv: start_date, granularity (a day before the month that holds it),
end_date, trigger, event_id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dateline import columns as C
from dateline.events import Batch, confidence
from dateline.io import concat_frames, package_table
from dateline.timex.values import GRANULARITY_ORDER

_TEXT, _NAMES = pa.large_string(), pa.list_(pa.string())
EVENT_SCHEMA = pa.schema([
    (C.EVENT_ID, _TEXT), (C.VALUE, _TEXT), (C.START_DATE, pa.date32()), (C.END_DATE, pa.date32()),
    (C.GRANULARITY, _TEXT), (C.TRIGGER, _TEXT), (C.EVENT_CLASS, _TEXT), (C.ACTORS, _NAMES), ("actor_names", _NAMES),
    ("agent", _TEXT), (C.PLACES, _NAMES), ("place_names", _NAMES), (C.TEXT, _TEXT), (C.ANCHOR, _TEXT),
    (C.CONFIDENCE, pa.float64()), (C.DOC_ID, _TEXT), (C.DOC_IDS, _NAMES), (C.N_SOURCES, pa.int64()),
    ("timex_text", _TEXT), (C.SENT_ID, pa.int64()), (C.START, pa.int64()), (C.END, pa.int64())])
EVENT_COLUMNS = EVENT_SCHEMA.names


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


TIMEX_SCHEMA = pa.schema([(C.DOC_ID, pa.large_string()), (C.SENT_ID, pa.int64()), (C.START, pa.int64()),
                          (C.END, pa.int64()), (C.TEXT, pa.large_string()), (C.TYPE, pa.large_string()),
                          (C.VALUE, pa.large_string()), (C.MOD, pa.large_string())])
TIMEX_COLUMNS = TIMEX_SCHEMA.names


def collect(batches: Iterable[Batch], write_timexes: Callable[[pd.DataFrame], None]) -> pa.Table:
    """The events of ``events.extract_with``'s batches, assembled (``assemble``) but not yet merged across
    documents nor ordered, as an Arrow table (``EVENT_SCHEMA``; gathering them so took about half the memory of
    frames of Python lists and dates); each batch's time expressions go to ``write_timexes`` as they come (an
    ``io.ParquetParts``' ``write``), so they are never all in memory: in the documents' order (stage 01 sorts them
    by doc_id), then by offsets."""
    events = [EVENT_SCHEMA.empty_table()]
    for batch in batches:
        timexes = pd.DataFrame(batch.timexes, columns=TIMEX_COLUMNS)
        position = timexes[C.DOC_ID].map({doc_id: i for i, doc_id in enumerate(batch.documents[C.DOC_ID])})
        write_timexes(timexes.assign(_position=position).sort_values(["_position", C.START, C.END], kind="stable")
                      .drop(columns="_position").reset_index(drop=True))
        events.append(pa.Table.from_pandas(assemble(batch.events, batch.documents), schema=EVENT_SCHEMA,
                                           preserve_index=False).replace_schema_metadata())
    return pa.concat_tables(events)


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
    kept, doc_ids, n_sources = _merged_rows({column: events[column].tolist() for column in _MERGE_COLUMNS})
    out = events.iloc[kept].copy()
    out[C.DOC_IDS] = doc_ids
    out[C.N_SOURCES] = n_sources
    return order(out)


def merge_table(events: pa.Table) -> pa.Table:
    """``merge_across_documents`` of an Arrow table (``collect``'s), in timeline order (``order_table``).

    Rows merge only with rows of their trigger group, so the table is merged in chunks of whole groups: only one
    chunk's compared columns are out of the table as Python values at once (all of them were 200 MB at the stage's
    peak on 44,852 Reuters articles; the largest group, "be", is a tenth of the rows). The kept rows stay Arrow and
    are taken once, already in timeline order. The merge step's peak there: 572 -> 507 MB, same output.
    """
    if not len(events):
        return events
    kept, doc_ids, n_sources = [], [], []
    compared = events.select(_MERGE_COLUMNS)
    for rows in _trigger_group_rows(events[C.TRIGGER]):
        group_kept, group_doc_ids, group_n_sources = _merged_rows(compared.take(rows).to_pydict())
        kept += rows[group_kept].tolist()
        doc_ids += group_doc_ids
        n_sources += group_n_sources
    # the kept rows in timeline order, taken out of the table once (not once to keep them and again to order them)
    kept_rows = np.asarray(kept)
    order = _order_indices(events.select(_ORDER_COLUMNS).take(kept_rows)).to_numpy()
    out = events.take(kept_rows[order])
    out = out.set_column(out.schema.get_field_index(C.DOC_IDS), C.DOC_IDS,
                         pa.array([doc_ids[i] for i in order], type=out.schema.field(C.DOC_IDS).type))
    return out.set_column(out.schema.get_field_index(C.N_SOURCES), C.N_SOURCES,
                          pa.array([n_sources[i] for i in order], type=pa.int64()))


MERGE_CHUNK_ROWS = 20_000  # rows of whole trigger groups merged at once


def _trigger_group_rows(triggers: pa.ChunkedArray) -> list[np.ndarray]:
    """Positions of rows in chunks of whole trigger groups (about ``MERGE_CHUNK_ROWS`` rows, or one larger
    group): rows of different groups never merge, so each chunk merges on its own."""
    encoded = pc.dictionary_encode(pc.fill_null(triggers, "")).combine_chunks()
    groups = trigger_groups()
    names = [groups.get(trigger, trigger) for trigger in encoded.dictionary.to_pylist()]
    number = {name: i for i, name in enumerate(dict.fromkeys(names))}
    codes = np.array([number[name] for name in names], dtype=np.int64)[encoded.indices.to_numpy(zero_copy_only=False)]
    by_group = np.argsort(codes, kind="stable")
    starts = np.flatnonzero(np.diff(codes[by_group])) + 1  # where each group after the first begins
    cuts, last = [], 0
    for start in starts.tolist():
        if start - last >= MERGE_CHUNK_ROWS:
            cuts.append(start)
            last = start
    return np.split(by_group, cuts)


_MERGE_COLUMNS = (C.CONFIDENCE, C.EVENT_ID, C.TRIGGER, C.DOC_ID, C.ACTORS, C.VALUE, C.START_DATE, C.END_DATE,
                  C.DOC_IDS, C.N_SOURCES)


def _merged_rows(columns: dict[str, list]) -> tuple[list[int], list[list[str]], list[int]]:
    """The rows ``merge_across_documents`` keeps (positions, most confident first), with their doc_ids and
    n_sources after merging, from the compared columns as lists."""
    groups = trigger_groups()
    confidence, event_id = columns[C.CONFIDENCE], columns[C.EVENT_ID]
    ranked = sorted(range(len(event_id)), key=lambda i: (-confidence[i], event_id[i]))
    doc_ids, n_sources = columns[C.DOC_IDS], columns[C.N_SOURCES]
    kept: list[int] = []  # positions in the table
    merged: dict[int, list[str]] = {}  # kept position -> its documents, once it took another row
    # kept rows by (trigger group, actor): a row is compared only with rows it shares a trigger and an actor with,
    # not with every row of its trigger ("say" has thousands), so the cost stays linear in the corpus
    index: dict[tuple[str, str], list[int]] = {}
    times = []
    for position in ranked:
        trigger, doc_id, actors = columns[C.TRIGGER][position], columns[C.DOC_ID][position], columns[C.ACTORS][position]
        time = (columns[C.VALUE][position], columns[C.START_DATE][position], columns[C.END_DATE][position])
        key = groups.get(trigger, trigger)
        candidates = sorted({i for actor in actors for i in index.get((key, actor), ())})
        match = next((i for i in candidates if doc_id not in merged.get(kept[i], doc_ids[kept[i]])
                      and _same_time(times[i], time)), None)
        if match is None:
            for actor in dict.fromkeys(actors):
                index.setdefault((key, actor), []).append(len(kept))
            kept.append(position)
            times.append(time)
        else:
            row = kept[match]
            merged[row] = sorted(set(merged.get(row, doc_ids[row])) | {doc_id})
    return (kept, [merged.get(p, doc_ids[p]) for p in kept],
            [len(merged[p]) if p in merged else n_sources[p] for p in kept])


MERGE_MAX_DAYS = 31  # the longest interval that merges with another value it overlaps


def _same_time(a, b) -> bool:
    """Whether two (value, start_date, end_date) are one time: the same value, or overlapping short intervals."""
    (value_a, start_a, end_a), (value_b, start_b, end_b) = a, b
    if value_a == value_b:
        return True
    if any(pd.isna(start) or (end - start).days >= MERGE_MAX_DAYS for start, end in ((start_a, end_a),
                                                                                     (start_b, end_b))):
        return False
    return start_a <= end_b and start_b <= end_a


def order(events: pd.DataFrame) -> pd.DataFrame:
    """Sort by start_date, then granularity (finer first), end_date, trigger and event_id."""
    rank = events[C.GRANULARITY].map({g: i for i, g in enumerate(GRANULARITY_ORDER)})
    return (events.assign(_rank=rank)
            .sort_values([C.START_DATE, "_rank", C.END_DATE, C.TRIGGER, C.EVENT_ID], kind="stable")
            .drop(columns="_rank").reset_index(drop=True))


def order_table(events: pa.Table) -> pa.Table:
    """``order`` of an Arrow table."""
    return events.take(_order_indices(events))


_ORDER_COLUMNS = [C.START_DATE, C.END_DATE, C.TRIGGER, C.EVENT_ID, C.GRANULARITY]


def _order_indices(events: pa.Table) -> pa.Array:
    rank = pc.index_in(events[C.GRANULARITY], value_set=pa.array(GRANULARITY_ORDER, type=pa.large_string()))
    keys = events.select([C.START_DATE, C.END_DATE, C.TRIGGER, C.EVENT_ID]).append_column("_rank", rank)
    sort_keys = [(key, "ascending", "at_end") for key in (C.START_DATE, "_rank", C.END_DATE, C.TRIGGER, C.EVENT_ID)]
    return pc.sort_indices(keys, sort_keys=sort_keys)


ENTITY_TIMELINE_COLUMNS = [C.ENTITY_ID, C.NAME, C.EVENT_ID, C.START_DATE, C.END_DATE, C.GRANULARITY, C.TRIGGER,
                           C.ANCHOR, C.CONFIDENCE]


def entity_timelines(events: pa.Table, entities: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """For the ``top`` entities that act in most events (mentions as actors, then entity_id), their events in the
    order of ``events`` (``merge_table``'s: timeline order). Only those rows leave Arrow."""
    actors = events[C.ACTORS].combine_chunks() if events.num_rows else pa.array([], type=pa.list_(pa.string()))
    acting, rows_of = pc.list_flatten(actors), pc.list_parent_indices(actors)
    counts = pc.value_counts(pc.drop_null(acting))
    counts = pd.DataFrame({C.ENTITY_ID: counts.field("values").to_pylist(),
                           "n_events": counts.field("counts").to_pylist()})
    counts = counts.sort_values(["n_events", C.ENTITY_ID], ascending=[False, True], kind="stable").head(top)
    names = dict(zip(entities[C.ENTITY_ID], entities[C.NAME], strict=True))
    shown = events.select(ENTITY_TIMELINE_COLUMNS[2:])
    parts = []
    for entity_id in counts[C.ENTITY_ID]:
        rows = np.unique(pc.filter(rows_of, pc.equal(acting, entity_id)).to_numpy())
        part = shown.take(rows).to_pandas()
        part.insert(0, C.ENTITY_ID, entity_id)
        part.insert(1, C.NAME, names.get(entity_id, entity_id))
        parts.append(part)
    return concat_frames(parts, ENTITY_TIMELINE_COLUMNS)


CSV_ROWS = 10_000  # events made a frame at a time for timeline.csv


def csv_frames(events: pa.Table, *, rows: int = CSV_ROWS) -> Iterator[pd.DataFrame]:
    """The timeline for people (``to_csv_frame``) of an Arrow table, ``rows`` at a time (at least one frame, so
    an empty table still gives the header)."""
    for start in range(0, max(events.num_rows, 1), rows):
        yield to_csv_frame(events.slice(start, rows).to_pandas())


def to_csv_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The timeline for people: list columns joined with "; "."""
    return events.assign(**{col: events[col].apply("; ".join)
                            for col in (C.ACTORS, "actor_names", C.PLACES, "place_names", C.DOC_IDS)})
