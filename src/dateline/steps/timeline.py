"""The timeline: events from all documents with their dates, merged across articles and put in order.

Sort key of events.parquet and timeline.csv: start_date, granularity (a day before the month that holds it),
end_date, trigger, event_id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dateline import columns as C
from dateline.io import ParquetParts, SortedRuns, concat_frames, whole_runs, write_csv_parts
from dateline.package_data import package_table
from dateline.steps.anchoring import confidence
from dateline.steps.events import Event
from dateline.timex.values import GRANULARITY_ORDER

_TEXT, _NAMES = pa.large_string(), pa.list_(pa.string())
EVENT_SCHEMA = pa.schema([
    (C.EVENT_ID, _TEXT), (C.VALUE, _TEXT), (C.START_DATE, pa.date32()), (C.END_DATE, pa.date32()),
    (C.GRANULARITY, _TEXT), (C.TRIGGER, _TEXT), (C.EVENT_CLASS, _TEXT), (C.ACTORS, _NAMES), (C.ACTOR_NAMES, _NAMES),
    (C.AGENT, _TEXT), (C.PLACES, _NAMES), (C.PLACE_NAMES, _NAMES), (C.TEXT, _TEXT), (C.ANCHOR, _TEXT),
    (C.CONFIDENCE, pa.float64()), (C.DOC_ID, _TEXT), (C.DOC_IDS, _NAMES), (C.N_SOURCES, pa.int64()),
    (C.TIMEX_TEXT, _TEXT), (C.SENT_ID, pa.int64()), (C.START, pa.int64()), (C.END, pa.int64()),
    (C.TRIGGER_TEXT, _TEXT), (C.TRIGGER_START, pa.int64()), (C.TRIGGER_END, pa.int64()),
    (C.PARTICIPANTS, _NAMES), (C.ROLES, _NAMES), (C.DESCRIPTION, _TEXT)])
EVENT_COLUMNS = EVENT_SCHEMA.names


def assemble(events: list[Event], documents: pd.DataFrame) -> pd.DataFrame:
    """One row per extracted event, with event_id, the dateline place as a fallback place, and a confidence."""
    dateline_places = dict(zip(documents[C.DOC_ID], documents[C.DATELINE_PLACE], strict=True))
    rows = []
    counters: dict[tuple[str, int], int] = {}
    for e in sorted(events, key=lambda e: (e.doc_id, e.sent_id, e.when.timex_start, e.trigger)):
        key = (e.doc_id, e.sent_id)
        counters[key] = counters.get(key, 0) + 1
        places, place_names = list(e.places), list(e.place_names)
        dateline_place = dateline_places[e.doc_id]
        from_dateline = not places and bool(dateline_place)
        if from_dateline:
            place_names = [dateline_place]
        when = e.when
        rows.append({
            C.VALUE: when.value, C.START_DATE: when.start_date, C.END_DATE: when.end_date,
            C.GRANULARITY: when.granularity, C.TRIGGER: e.trigger, C.EVENT_CLASS: e.event_class, C.ACTORS: e.actors,
            C.ACTOR_NAMES: e.actor_names, C.AGENT: e.agent, C.ANCHOR: when.anchor, C.TIMEX_TEXT: when.timex_text,
            C.DOC_ID: e.doc_id, C.SENT_ID: e.sent_id,
            C.EVENT_ID: f"{e.doc_id}:{e.sent_id}:{counters[key]}",
            C.PLACES: places, C.PLACE_NAMES: place_names,
            C.TEXT: e.text,
            C.START: e.sent_start + e.clause_start,
            C.END: e.sent_start + e.clause_start + len(e.text),
            C.TRIGGER_TEXT: e.trigger_text,
            C.TRIGGER_START: e.sent_start + e.trigger_local,
            C.TRIGGER_END: e.sent_start + e.trigger_local + len(e.trigger_text),
            C.PARTICIPANTS: e.participants, C.ROLES: e.roles, C.DESCRIPTION: e.description,
            C.CONFIDENCE: confidence(anchor_confidence=when.anchor_confidence, has_actor=bool(e.actors),
                                     place_from_dateline=from_dateline, pronoun=e.pronoun_resolved,
                                     expected=e.expected),
            C.DOC_IDS: [e.doc_id],
            C.N_SOURCES: 1,
        })
    return order(pd.DataFrame(rows, columns=EVENT_COLUMNS))


@cache
def trigger_groups() -> dict[str, str]:
    """Trigger lemma -> its synonym group (``data/trigger_synonyms.csv``); a lemma not listed is its own group."""
    return {row["lemma"]: row["group"] for row in package_table("trigger_synonyms.csv")}


def merge_across_documents(events: pd.DataFrame) -> pd.DataFrame:
    """Merge rows that report the same event from different documents: the same or a synonymous trigger
    ("killed" / "slain"), a shared doer (an actor or a participant in the agent role: a storm that "made landfall"
    is no actor but it is the doer) and overlapping date intervals ("Tuesday" / "March 24" / "this week").

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


MERGE_CHUNK_ROWS = 20_000  # rows of whole trigger groups merged at once
CSV_ROWS = 10_000  # merged events read back, and made a frame for timeline.csv, at a time
_GROUP, _RANK = "_trigger_group", "_granularity_rank"
_GROUPED_SCHEMA = EVENT_SCHEMA.append(pa.field(_GROUP, _TEXT))
_ORDERED_SCHEMA = EVENT_SCHEMA.append(pa.field(_RANK, pa.int32()))
_ORDER_KEYS = [C.START_DATE, _RANK, C.END_DATE, C.TRIGGER, C.EVENT_ID]  # ``order``'s


class EventMerger:
    """``merge_across_documents`` and ``order`` of a corpus's events without holding them all.

    Events are added a batch at a time (``add``) to runs on disk sorted by trigger group (``io.SortedRuns`` in
    ``dir``); ``merged`` reads them back a chunk of whole trigger groups at a time (rows of different groups never
    merge), merges each chunk, and sorts the kept rows into timeline order through a second set of runs. Memory
    holds one chunk: ``chunk_rows`` rows, or the largest trigger group ("be" is a tenth of the events of Reuters).
    The temporary files go when the merged rows have been read, or when the object is dropped.
    """

    def __init__(self, *, dir: str | Path, chunk_rows: int = MERGE_CHUNK_ROWS, group_rows: int = 128) -> None:
        self.dir, self.chunk_rows, self.group_rows = Path(dir), chunk_rows, group_rows
        self._grouped = SortedRuns(_GROUP, _GROUPED_SCHEMA, dir=dir, group_rows=group_rows)

    def add(self, events: pa.Table) -> None:
        self._grouped.write(events.append_column(_GROUP, _group_names(events[C.TRIGGER])))

    def merged(self, *, rows: int = CSV_ROWS) -> Iterator[pa.Table]:
        """The merged events in timeline order, as tables of ``rows`` rows (``EVENT_SCHEMA``); none if none."""
        ordered = SortedRuns(_ORDER_KEYS, _ORDERED_SCHEMA, dir=self.dir, group_rows=self.group_rows)
        try:
            for chunk in whole_runs(self._grouped.sorted(rows=self.chunk_rows), _GROUP):
                kept = merge_chunk(chunk.drop_columns([_GROUP]))
                ordered.write(kept.append_column(_RANK, _granularity_rank(kept)))
            self._grouped.close()
            for chunk in ordered.sorted(rows=rows):
                yield chunk.drop_columns([_RANK])
        finally:
            ordered.close()


def _group_names(triggers: pa.ChunkedArray) -> pa.Array:
    """Each row's trigger group (``trigger_groups``; a missing trigger is the group "")."""
    encoded = pc.dictionary_encode(pc.fill_null(triggers, "")).combine_chunks()
    groups = trigger_groups()
    names = pa.array([groups.get(trigger, trigger) for trigger in encoded.dictionary.to_pylist()], type=_TEXT)
    return names.take(encoded.indices)


def merge_chunk(events: pa.Table) -> pa.Table:
    """``merge_across_documents`` of a table that holds whole trigger groups, in no particular order: only its
    compared columns leave Arrow, as Python values."""
    kept, doc_ids, n_sources = _merged_rows(events.select(_MERGE_COLUMNS).to_pydict())
    out = events.take(pa.array(kept, type=pa.int64()))
    out = out.set_column(out.schema.get_field_index(C.DOC_IDS), C.DOC_IDS,
                         pa.array(doc_ids, type=out.schema.field(C.DOC_IDS).type))
    return out.set_column(out.schema.get_field_index(C.N_SOURCES), C.N_SOURCES, pa.array(n_sources, type=pa.int64()))


_MERGE_COLUMNS = (C.CONFIDENCE, C.EVENT_ID, C.TRIGGER, C.DOC_ID, C.ACTORS, C.PARTICIPANTS, C.ROLES, C.VALUE,
                  C.START_DATE, C.END_DATE, C.DOC_IDS, C.N_SOURCES)


def doers(actors, participants, roles) -> list[str]:
    """An event's doers: its actors, then its other participants in the agent role."""
    return list(dict.fromkeys([*actors, *(p for p, r in zip(participants, roles, strict=True) if r == "agent")]))


def _merged_rows(columns: dict[str, list]) -> tuple[list[int], list[list[str]], list[int]]:
    """The rows ``merge_across_documents`` keeps (positions, most confident first), with their doc_ids and
    n_sources after merging, from the compared columns as lists."""
    groups = trigger_groups()
    confidence, event_id = columns[C.CONFIDENCE], columns[C.EVENT_ID]
    ranked = sorted(range(len(event_id)), key=lambda i: (-confidence[i], event_id[i]))
    doc_ids, n_sources = columns[C.DOC_IDS], columns[C.N_SOURCES]
    kept: list[int] = []  # positions in the table
    merged: dict[int, list[str]] = {}  # kept position -> its documents, once it took another row
    # kept rows by (trigger group, doer): a row is compared only with rows it shares a trigger and a doer with,
    # not with every row of its trigger ("say" has thousands), so the cost stays linear in the corpus
    index: dict[tuple[str, str], list[int]] = {}
    times = []
    for position in ranked:
        trigger, doc_id = columns[C.TRIGGER][position], columns[C.DOC_ID][position]
        actors = doers(columns[C.ACTORS][position], columns[C.PARTICIPANTS][position], columns[C.ROLES][position])
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


def _granularity_rank(events: pa.Table) -> pa.Array:
    return pc.index_in(events[C.GRANULARITY], value_set=pa.array(GRANULARITY_ORDER, type=_TEXT))


ENTITY_TIMELINE_COLUMNS = [C.ENTITY_ID, C.NAME, C.EVENT_ID, C.START_DATE, C.END_DATE, C.GRANULARITY, C.TRIGGER,
                           C.ANCHOR, C.CONFIDENCE]
ENTITY_TIMELINE_READS = [C.PARTICIPANTS, *ENTITY_TIMELINE_COLUMNS[2:]]  # the events' columns entity_timelines reads


def _participant_lists(events: pa.Table) -> pa.Array:
    return events[C.PARTICIPANTS].combine_chunks() if events.num_rows else pa.array([], type=_NAMES)


def participation_counts(events: pa.Table) -> Counter:
    """How many events each entity takes part in, in any role."""
    counts = pc.value_counts(pc.drop_null(pc.list_flatten(_participant_lists(events))))
    return Counter(dict(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist(), strict=True)))


def most_active(counts: Counter, top: int) -> list[str]:
    """The ``top`` entities of ``participation_counts``, by count then entity_id."""
    return sorted(counts, key=lambda entity_id: (-counts[entity_id], entity_id))[:top]


def entity_timelines(events: Iterable[pa.Table], entities: pd.DataFrame, chosen: list[str]) -> pd.DataFrame:
    """The events each ``chosen`` entity (``most_active``) takes part in, in the order of ``events`` (tables in
    timeline order, as ``EventMerger.merged`` gives them or read back from events.parquet); only those rows leave
    Arrow."""
    found: dict[str, list[pa.Table]] = {entity_id: [] for entity_id in chosen}
    for chunk in events:
        listed = _participant_lists(chunk)
        acting, rows_of = pc.list_flatten(listed), pc.list_parent_indices(listed)
        shown = chunk.select(ENTITY_TIMELINE_COLUMNS[2:])
        for entity_id, parts in found.items():
            rows = np.unique(pc.filter(rows_of, pc.equal(acting, entity_id)).to_numpy())
            if len(rows):
                parts.append(shown.take(rows))
    names = dict(zip(entities[C.ENTITY_ID], entities[C.NAME], strict=True))
    frames = []
    for entity_id, parts in found.items():
        if parts:
            part = pa.concat_tables(parts).to_pandas()
            part.insert(0, C.ENTITY_ID, entity_id)
            part.insert(1, C.NAME, names.get(entity_id, entity_id))
            frames.append(part)
    return concat_frames(frames, ENTITY_TIMELINE_COLUMNS)


@dataclass
class Written:
    """What ``write_timeline`` wrote: rows, and the counts the notebook's summary and the entity timelines use."""
    rows: int = 0
    participants: Counter = field(default_factory=Counter)
    anchors: Counter = field(default_factory=Counter)
    several_sources: int = 0


def write_timeline(events: Iterable[pa.Table], events_path: str | Path, csv_path: str | Path, *,
                   metadata: dict[str, str] | None = None) -> Written:
    """Write merged, ordered events (``EventMerger.merged``) to events.parquet and, for people, timeline.csv
    (``to_csv_frame``), a table at a time; when the events fail to come or the CSV fails, neither file appears."""
    written = Written()
    with ParquetParts(events_path, EVENT_SCHEMA, metadata=metadata) as events_file:
        def frames() -> Iterator[pd.DataFrame]:
            for chunk in events:
                events_file.write(chunk)
                written.rows += chunk.num_rows
                written.participants.update(participation_counts(chunk))
                written.anchors.update(chunk[C.ANCHOR].to_pylist())
                written.several_sources += pc.sum(pc.greater(chunk[C.N_SOURCES], 1)).as_py() or 0
                yield to_csv_frame(chunk.to_pandas())
            if not written.rows:  # the header
                yield to_csv_frame(EVENT_SCHEMA.empty_table().to_pandas())

        write_csv_parts(frames(), csv_path)
    return written


def to_csv_frame(events: pd.DataFrame) -> pd.DataFrame:
    """The timeline for people: list columns joined with "; "."""
    return events.assign(**{col: events[col].apply("; ".join)
                            for col in (C.ACTORS, C.ACTOR_NAMES, C.PLACES, C.PLACE_NAMES, C.DOC_IDS,
                                        C.PARTICIPANTS, C.ROLES)})
