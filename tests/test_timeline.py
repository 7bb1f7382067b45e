"""The timeline (``dateline.steps.timeline``): merging the same event told by several articles, the order, the entity
timelines, and writing it all in parts as the whole would be written."""

import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import columns as C
from dateline.steps import timeline


def _event(doc, trigger, value, start, end, actors, cls="OCCURRENCE"):
    return {C.EVENT_ID: f"{doc}:0:1", C.DOC_ID: doc, C.DOC_IDS: [doc], C.VALUE: value, C.START_DATE: start,
            C.END_DATE: end, C.GRANULARITY: "day", C.TRIGGER: trigger, C.EVENT_CLASS: cls, C.ACTORS: actors,
            "actor_names": [], "agent": "", C.PLACES: [], "place_names": [], C.TEXT: trigger, C.ANCHOR: "timex",
            C.CONFIDENCE: 1.0, C.N_SOURCES: 1, "timex_text": "", C.SENT_ID: 0, C.START: 0, C.END: 1,
            C.TRIGGER_TEXT: trigger, C.TRIGGER_START: 0, C.TRIGGER_END: len(trigger),
            C.PARTICIPANTS: list(actors), C.ROLES: ["agent"] * len(actors), C.DESCRIPTION: trigger}


def test_timeline_is_ordered_day_before_the_month_that_holds_it(sample_events):
    table, _ = sample_events
    keys = list(zip(table[C.START_DATE], table[C.END_DATE], strict=True))
    dated = [k[0] for k in keys if k[0] is not None]
    assert dated == sorted(dated) and [k[0] for k in keys[len(dated):]] == [None] * (len(keys) - len(dated))
    assert table[C.EVENT_ID].is_unique
    reported = table[table[C.ANCHOR] == "publication"]
    assert (reported[C.START_DATE] == dt.date(2015, 3, 25)).all()
    assert (reported[C.CONFIDENCE] < 0.6).all()


def test_events_from_different_documents_merge():
    base = {C.VALUE: "2015-03-24", C.START_DATE: dt.date(2015, 3, 24), C.END_DATE: dt.date(2015, 3, 24),
            C.GRANULARITY: "day", C.TRIGGER: "launch", C.EVENT_CLASS: "ASPECTUAL", "actor_names": ["United States"],
            "agent": "", C.PLACES: [], "place_names": [], C.TEXT: "launched", C.ANCHOR: "timex",
            C.CONFIDENCE: 1.0, C.N_SOURCES: 1, "timex_text": "Tuesday", C.SENT_ID: 0, C.START: 0, C.END: 8,
            C.PARTICIPANTS: [], C.ROLES: []}
    import pandas as pd

    rows = pd.DataFrame([base | {C.EVENT_ID: "a:0:1", C.DOC_ID: "a", C.DOC_IDS: ["a"], C.ACTORS: ["PLACE:US"]},
                         base | {C.EVENT_ID: "b:0:1", C.DOC_ID: "b", C.DOC_IDS: ["b"], C.ACTORS: ["PLACE:US"]},
                         base | {C.EVENT_ID: "c:0:1", C.DOC_ID: "c", C.DOC_IDS: ["c"], C.ACTORS: ["ORG:X"]}])
    merged = timeline.merge_across_documents(rows)
    assert len(merged) == 2
    assert merged.set_index(C.EVENT_ID).loc["a:0:1", C.DOC_IDS] == ["a", "b"]
    assert merged.set_index(C.EVENT_ID).loc["a:0:1", C.N_SOURCES] == 2


def test_synonymous_triggers_with_overlapping_dates_merge():
    import pandas as pd

    day, week_start, week_end = dt.date(2015, 3, 24), dt.date(2015, 3, 23), dt.date(2015, 3, 29)
    rows = pd.DataFrame([
        _event("a", "kill", "2015-03-24", day, day, ["PERSON:X"]),
        _event("b", "slay", "2015-W13", week_start, week_end, ["PERSON:X"]),  # same event, other words, vaguer date
        _event("c", "murder", "2015-03-20", dt.date(2015, 3, 20), dt.date(2015, 3, 20), ["PERSON:X"]),  # other day
        _event("d", "kill", "2015", dt.date(2015, 1, 1), dt.date(2015, 12, 31), ["PERSON:X"]),  # a year: too vague
        _event("e", "arrest", "2015-03-24", day, day, ["PERSON:X"]),  # another kind of event
    ])
    merged = timeline.merge_across_documents(rows).set_index(C.EVENT_ID)
    assert merged.loc["a:0:1", C.DOC_IDS] == ["a", "b"]
    assert sorted(merged.index) == ["a:0:1", "c:0:1", "d:0:1", "e:0:1"]


def test_a_doer_that_is_no_actor_merges_too():
    import pandas as pd

    day = dt.date(2021, 9, 14)
    storm = {C.ACTORS: [], C.PARTICIPANTS: ["EVENT:Hurricane Orla"], C.ROLES: ["agent"]}
    rows = pd.DataFrame([_event("a", "landfall", "2021-09-14", day, day, []) | storm,
                         _event("b", "hit", "2021-09-14", day, day, []) | storm,
                         _event("c", "hit", "2021-09-14", day, day, []) | storm | {C.ROLES: ["on"]}])
    merged = timeline.merge_across_documents(rows).set_index(C.EVENT_ID)
    assert merged.loc["a:0:1", C.DOC_IDS] == ["a", "b"] and merged.loc["a:0:1", C.N_SOURCES] == 2
    assert "c:0:1" in merged.index  # the storm only as a place it happened "on": not its doer


def _merge_by_definition(events_frame):
    """merge_across_documents as first written: every row compared with every kept row of its trigger group."""
    import pandas as pd

    groups = timeline.trigger_groups()
    kept, index = [], {}
    ranked = events_frame.sort_values([C.CONFIDENCE, C.EVENT_ID], ascending=[False, True], kind="stable")
    for row in ranked.to_dict("records"):
        key = groups.get(row[C.TRIGGER], row[C.TRIGGER])
        match = next((i for i in index.get(key, []) if row[C.DOC_ID] not in kept[i][C.DOC_IDS]
                      and set(timeline.doers(kept[i][C.ACTORS], kept[i][C.PARTICIPANTS], kept[i][C.ROLES]))
                      & set(timeline.doers(row[C.ACTORS], row[C.PARTICIPANTS], row[C.ROLES]))
                      and timeline._same_time(*[(e[C.VALUE], e[C.START_DATE], e[C.END_DATE]) for e in (kept[i], row)])),
                     None)
        if match is None:
            index.setdefault(key, []).append(len(kept))
            kept.append(row)
        else:
            kept[match][C.DOC_IDS] = sorted(set(kept[match][C.DOC_IDS]) | {row[C.DOC_ID]})
            kept[match][C.N_SOURCES] = len(kept[match][C.DOC_IDS])
    return timeline.order(pd.DataFrame(kept, columns=events_frame.columns))


_day = st.dates(dt.date(2015, 3, 1), dt.date(2015, 3, 31))


@st.composite
def _events_frames(draw):
    import pandas as pd

    rows = []
    for i in range(draw(st.integers(0, 25))):
        start = draw(_day)
        end = start + dt.timedelta(days=draw(st.sampled_from([0, 0, 6, 30, 40])))
        row = _event(draw(st.sampled_from("abcdef")), draw(st.sampled_from(["kill", "slay", "arrest", "say"])),
                     start.isoformat() if start == end else f"{start}/{end}", start, end,
                     draw(st.lists(st.sampled_from(["PERSON:X", "ORG:Y", "PLACE:Z"]), max_size=2)))
        if draw(st.booleans()):  # participants that are no actors, as agents or patients
            row |= {C.ACTORS: [], C.ROLES: [draw(st.sampled_from(["agent", "patient"])) for _ in row[C.PARTICIPANTS]]}
        if draw(st.integers(0, 5)) == 0:  # a value without an interval ("XXXX-WXX-2")
            row |= {C.VALUE: "XXXX-WXX-2", C.START_DATE: None, C.END_DATE: None}
        rows.append(row | {C.EVENT_ID: f"{row[C.DOC_ID]}:{i}:1", C.CONFIDENCE: draw(st.sampled_from([1.0, 0.8, 0.5])),
                           C.GRANULARITY: draw(st.sampled_from(["day", "week", "month", "none"]))})
    return pd.DataFrame(rows, columns=timeline.EVENT_COLUMNS)


@settings(max_examples=200, deadline=None)
@given(_events_frames())
def test_merge_compares_only_rows_sharing_a_doer_and_finds_what_comparing_all_finds(frame):
    import pandas as pd

    if frame.empty:
        return
    pd.testing.assert_frame_equal(timeline.merge_across_documents(frame), _merge_by_definition(frame))


_LIST_COLUMNS = (C.ACTORS, "actor_names", C.PLACES, "place_names", C.DOC_IDS)


def _slices(table, sizes):
    """``table`` cut into consecutive slices of the given sizes (the rest in the last)."""
    out, start = [], 0
    for size in sizes:
        out.append(table.slice(start, size))
        start += size
    return out + [table.slice(start)]


@settings(max_examples=100, deadline=None)
@given(_events_frames(), st.lists(st.integers(0, 9), max_size=4), st.sampled_from([1, 3, timeline.MERGE_CHUNK_ROWS]),
       st.integers(1, 4), st.integers(1, 7))
def test_the_event_merger_gives_the_rows_of_merging_the_frame(tmp_path_factory, frame, batches, chunk_rows,
                                                              group_rows, rows):
    """Batches added, merged a chunk of whole trigger groups at a time (one group; a few; all), read back in
    parts: the rows of ``merge_across_documents`` of the whole frame, and no temporary file left."""
    import pandas as pd
    import pyarrow as pa

    table = pa.Table.from_pandas(frame, schema=timeline.EVENT_SCHEMA, preserve_index=False)
    expected = timeline.merge_across_documents(frame) if len(frame) else frame
    folder = tmp_path_factory.mktemp("merge")
    merger = timeline.EventMerger(dir=folder, chunk_rows=chunk_rows, group_rows=group_rows)
    for batch in _slices(table, batches):
        merger.add(batch)
    parts = list(merger.merged(rows=rows))
    assert all(0 < len(part) <= rows for part in parts) and list(folder.iterdir()) == []
    merged = (pa.concat_tables(parts) if parts else timeline.EVENT_SCHEMA.empty_table()).to_pandas()
    merged = merged.assign(**{c: merged[c].map(list) for c in _LIST_COLUMNS})
    pd.testing.assert_frame_equal(merged, expected.reset_index(drop=True), check_dtype=False)


def _entity_timelines_by_definition(events, entities, top):
    """The pandas definition: participants counted over every listing, the top ``top`` by count then id, and
    each one's events in the frame's order."""
    import pandas as pd

    counts = events[[C.EVENT_ID, C.PARTICIPANTS]].explode(C.PARTICIPANTS).dropna()[C.PARTICIPANTS].value_counts()
    counts = counts.rename_axis(C.ENTITY_ID).reset_index(name="n").sort_values(
        ["n", C.ENTITY_ID], ascending=[False, True], kind="stable").head(top)
    names = dict(zip(entities[C.ENTITY_ID], entities[C.NAME], strict=True))
    rows = [{C.ENTITY_ID: e, C.NAME: names.get(e, e)} | {c: r[c] for c in timeline.ENTITY_TIMELINE_COLUMNS[2:]}
            for e in counts[C.ENTITY_ID] for r in events[events[C.PARTICIPANTS].apply(lambda a, e=e: e in a)]
            .to_dict("records")]
    return pd.DataFrame(rows, columns=timeline.ENTITY_TIMELINE_COLUMNS)


@settings(max_examples=100, deadline=None)
@given(_events_frames(), st.integers(0, 4), st.lists(st.integers(0, 9), max_size=3))
def test_entity_timelines_of_arrow_tables_in_parts_are_those_of_the_definition(frame, top, parts):
    import pandas as pd
    import pyarrow as pa

    entities = pd.DataFrame({C.ENTITY_ID: ["PERSON:X", "ORG:Y"], C.NAME: ["X", "Y"]})  # PLACE:Z has no name
    if len(frame):
        frame = frame.assign(**{C.PARTICIPANTS: [a + a[:1] for a in frame[C.PARTICIPANTS]]})  # one twice in an event
    table = pa.Table.from_pandas(frame, schema=timeline.EVENT_SCHEMA, preserve_index=False)
    counts = sum((timeline.participation_counts(part) for part in _slices(table, parts)), Counter())
    assert counts == timeline.participation_counts(table)
    got = timeline.entity_timelines(_slices(table, parts), entities, timeline.most_active(counts, top))
    expected = _entity_timelines_by_definition(frame, entities, top)
    pd.testing.assert_frame_equal(got, expected, check_dtype=not expected.empty)


@settings(max_examples=50, deadline=None)
@given(_events_frames(), st.lists(st.integers(0, 9), max_size=3))
def test_the_timeline_written_in_parts_is_that_of_the_whole(tmp_path_factory, frame, parts):
    """events.parquet holds the rows given, timeline.csv has the bytes of the whole frame's CSV, and the counts
    are those of the whole."""
    import pandas as pd
    import pyarrow as pa

    from dateline import io

    table = pa.Table.from_pandas(frame, schema=timeline.EVENT_SCHEMA, preserve_index=False)
    folder = tmp_path_factory.mktemp("timeline")
    whole = io.write_csv(timeline.to_csv_frame(table.to_pandas()), folder / "whole.csv")
    written = timeline.write_timeline(_slices(table, parts), folder / "events.parquet", folder / "timeline.csv")
    assert (folder / "timeline.csv").read_bytes() == whole.read_bytes()
    pd.testing.assert_frame_equal(io.read_parquet(folder / "events.parquet"), table.to_pandas())
    assert written.rows == len(frame) and written.participants == timeline.participation_counts(table)
    assert written.anchors == Counter(frame[C.ANCHOR].tolist())
    assert written.several_sources == int((frame[C.N_SOURCES] > 1).sum())


def test_a_failed_timeline_write_leaves_neither_file(tmp_path, sample_events):
    import pyarrow as pa

    table = pa.Table.from_pandas(sample_events[0], schema=timeline.EVENT_SCHEMA, preserve_index=False)

    def parts():
        yield table
        raise RuntimeError("the merge failed")

    with pytest.raises(RuntimeError, match="the merge failed"):
        timeline.write_timeline(parts(), tmp_path / "events.parquet", tmp_path / "timeline.csv")
    assert list(tmp_path.iterdir()) == []
