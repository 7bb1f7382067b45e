import datetime as dt
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import anchoring, entities, events, narrative, nlp, timeline
from dateline import columns as C


@pytest.fixture(scope="module")
def sample_events(sample_documents, ner, parser):
    mentions, sentences = entities.extract(ner, sample_documents)
    mentions, table = entities.canonicalize(mentions, sample_documents)
    timexes, rows = narrative.extract(parser, sample_documents, sentences, mentions)
    return timeline.merge_across_documents(timeline.assemble(rows, sample_documents)), table


def test_sample_article_dated_events(sample_events):
    table, _ = sample_events
    dated = table[table[C.ANCHOR] == "timex"]
    got = {(v, t) for v, t in zip(dated[C.VALUE], dated[C.TRIGGER], strict=True)}
    assert {("2015-03-24", "say"), ("2015-03-21", "begin"), ("2014-08", "launch"), ("2014-SU", "seize"),
            ("2015-03-24", "launch")} == got


def test_sample_article_actors(sample_events):
    table, _ = sample_events
    by_trigger = {(r[C.VALUE], r[C.TRIGGER]): r for r in table[table[C.ANCHOR] == "timex"].to_dict("records")}
    assert by_trigger[("2014-08", "launch")]["actor_names"] == ["United States"]  # "the U.S.-led air campaign"
    assert by_trigger[("2014-SU", "seize")]["actor_names"] == ["Islamic State"]  # "it", resolved to the IS group
    assert by_trigger[("2015-03-24", "say")][C.EVENT_CLASS] == "REPORTING"
    assert by_trigger[("2015-03-24", "say")]["agent"] == "a senior coalition official"
    # "an Iraqi official said the coalition was not providing airstrikes ..., but launched airstrikes on Beiji":
    # "not ..., but" keeps "launched" in the reported clause: the coalition, "The U.S.-led coalition" of the lede
    beiji = by_trigger[("2015-03-24", "launch")]
    assert beiji["agent"] == "The U.S.-led coalition" and beiji["place_names"] == ["Beiji"]
    assert beiji["actor_names"] == ["United States"]  # as the lede's "The U.S.-led coalition ... has begun"
    assert beiji[C.DESCRIPTION].startswith("the coalition launched airstrikes")
    # "the flights and intelligence sharing began Saturday": the flights the coalition "has begun" in the lede
    began = by_trigger[("2015-03-21", "begin")]
    assert began["agent"] == "The U.S.-led coalition" and began["actor_names"] == ["United States"]


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


def _event(doc, trigger, value, start, end, actors, cls="OCCURRENCE"):
    return {C.EVENT_ID: f"{doc}:0:1", C.DOC_ID: doc, C.DOC_IDS: [doc], C.VALUE: value, C.START_DATE: start,
            C.END_DATE: end, C.GRANULARITY: "day", C.TRIGGER: trigger, C.EVENT_CLASS: cls, C.ACTORS: actors,
            "actor_names": [], "agent": "", C.PLACES: [], "place_names": [], C.TEXT: trigger, C.ANCHOR: "timex",
            C.CONFIDENCE: 1.0, C.N_SOURCES: 1, "timex_text": "", C.SENT_ID: 0, C.START: 0, C.END: 1,
            C.TRIGGER_TEXT: trigger, C.TRIGGER_START: 0, C.TRIGGER_END: len(trigger),
            C.PARTICIPANTS: list(actors), C.ROLES: ["agent"] * len(actors), C.DESCRIPTION: trigger}


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


@pytest.mark.parametrize("lemma, cls", [("say", "REPORTING"), ("begin", "ASPECTUAL"), ("request", "I_ACTION"),
                                        ("seize", "OCCURRENCE")])
def test_event_class(lemma, cls):
    assert events.event_class(lemma) == cls


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


def test_parse_results_made_docs_with_a_batch_vocabulary_read_as_with_the_models(parser):
    from dateline import executor

    texts = ["The coalition said Tuesday that Zyxqwv flights over Tikrit had begun.", "Officials met again!"]
    model_vocab = executor.pipeline(nlp.PARSE, nlp.DEFAULT_MODEL).vocab
    results = list(executor.compute(nlp.PARSE, nlp.DEFAULT_MODEL, texts))
    before = len(model_vocab)
    docs = [nlp.parsed_doc(data, nlp.batch_vocab(model_vocab)) for data in results]
    assert len(model_vocab) == before  # the model's vocabulary did not grow with the new words
    same = [nlp.parsed_doc(data, model_vocab) for data in results]
    attributes = ("text", "lower_", "is_punct", "is_space", "tag_", "pos_", "dep_", "lemma_", "i")
    assert [[tuple(getattr(t, a) for a in attributes) + (t.head.i,) for t in d] for d in docs] == \
        [[tuple(getattr(t, a) for a in attributes) + (t.head.i,) for t in d] for d in same]


def test_an_event_nouns_actor_comes_before_it_not_from_its_prepositions(parser):
    doc = parser("The U.S. offensive began and airstrikes on Beiji continued.")
    mentions = [{"local_start": 4, C.START: 4, C.END: 8, C.LABEL: "GPE", C.ENTITY_ID: "PLACE:United States",
                 C.NAME: "United States"},
                {"local_start": 43, C.START: 43, C.END: 48, C.LABEL: "GPE", C.ENTITY_ID: "PLACE:Beiji",
                 C.NAME: "Beiji"}]
    offensive = events.build_event(doc[:], doc[2], mentions, [])
    airstrikes = events.build_event(doc[:], doc[5], mentions, [])
    assert offensive["actor_names"] == ["United States"]
    assert airstrikes["actor_names"] == [] and airstrikes[C.PARTICIPANTS] == ["PLACE:Beiji"]


def test_an_event_is_described_in_a_few_words_of_its_own_text(parser):
    doc = parser("Iran did not launch missiles at the bases, and an unnamed official said the factory closed.")
    iran = [{"local_start": 0, C.START: 0, C.END: 4, C.LABEL: "GPE", C.ENTITY_ID: "PLACE:Iran", C.NAME: "Iran"}]
    launch = events.build_event(doc[:], doc[3], iran, [])
    assert launch[C.DESCRIPTION] == "Iran did not launch missiles"
    said = next(t for t in doc if t.text == "said")
    assert events.build_event(doc[:], said, iran, [])[C.DESCRIPTION] == "an unnamed official said"
    closed = next(t for t in doc if t.text == "closed")
    assert events.build_event(doc[:], closed, iran, [])[C.DESCRIPTION] == "the factory closed"


def _mention(doc, text, label, entity_id=None):
    start = doc.text.index(text)
    return {"local_start": start, C.START: start, C.END: start + len(text), C.LABEL: label,
            C.ENTITY_ID: entity_id or f"{label}:{text}", C.NAME: text}


def test_a_pronoun_subject_is_the_actor_and_an_object_never_is(parser):
    earlier_doc = parser("Steve Jobs was born in 1955.")
    earlier = [_mention(earlier_doc, "Steve Jobs", "PERSON")]
    doc = parser("He started Apple in 1976 and bought Pixar.")
    mentions = [_mention(doc, "Apple", "ORG"), _mention(doc, "Pixar", "ORG")]
    started = events.build_event(doc[:], doc[1], mentions, earlier)
    assert started["actor_names"] == ["Steve Jobs"] and started["pronoun_resolved"]
    assert dict(zip(started[C.PARTICIPANTS], started[C.ROLES], strict=True)) == {"PERSON:Steve Jobs": "agent",
                                                                    "ORG:Apple": "patient"}
    assert started[C.DESCRIPTION] == "Steve Jobs started Apple"
    alone = events.build_event(doc[:], doc[1], mentions, [])  # no person named before: no actor, not Apple
    assert alone["actor_names"] == []


def test_a_definite_description_and_a_possessive_pronoun_refer_to_the_last_compatible_entity(parser):
    doc = parser("Apple hired Tim Cook. The company praised his resignation.")
    mentions = [_mention(doc, "Apple", "ORG"), _mention(doc, "Tim Cook", "PERSON")]
    praised = next(t for t in doc if t.text == "praised")
    resignation = next(t for t in doc if t.text == "resignation")
    assert events.build_event(doc[:], praised, mentions, [])["actor_names"] == ["Apple"]
    assert events.build_event(doc[:], resignation, mentions, [])[C.PARTICIPANTS] == ["PERSON:Tim Cook"]


def test_a_phrasal_verbs_particle_is_part_of_the_trigger(parser):
    doc = parser("Jobs showed off the new phone and took it off the market.")
    jobs = [_mention(doc, "Jobs", "PERSON")]
    showed = events.build_event(doc[:], doc[1], jobs, [])
    assert showed[C.TRIGGER_TEXT] == "showed off" and showed["trigger_local"] == doc[1].idx
    took = next(t for t in doc if t.text == "took")
    assert events.build_event(doc[:], took, jobs, [])[C.TRIGGER_TEXT] == "took"  # not one run of words


@pytest.mark.parametrize("noun, eventive", [("resignation", True), ("settlement", True), ("appearance", True),
                                            ("approval", True), ("closure", True), ("lawsuit", True),
                                            ("government", False), ("department", False), ("company", False),
                                            ("price", False), ("information", False)])
def test_event_nouns_are_listed_or_derived_from_a_verb(noun, eventive):
    assert events.is_event_noun(noun) is eventive


def test_a_past_report_is_at_the_narratives_date_only_when_that_is_the_news(parser):
    said = parser("Jobs said the phone sold well.")[1]
    dct = dt.date(2010, 7, 17)

    def on(day):
        return {C.VALUE: day.isoformat(), C.START_DATE: day, C.END_DATE: day, C.GRANULARITY: "day"}

    friday = anchoring.anchor_undated(said, [], lede=False, narrative=on(dt.date(2010, 7, 16)), dct=dct)
    assert (friday[C.ANCHOR], friday[C.START_DATE]) == ("narrative", dt.date(2010, 7, 16))
    long_ago = anchoring.anchor_undated(said, [], lede=False, narrative=on(dt.date(1976, 4, 1)), dct=dct)
    assert (long_ago[C.ANCHOR], long_ago[C.START_DATE]) == ("publication", dct)
    sold = next(t for t in said.doc if t.text == "sold")  # any other past event: the narrative's date, however old
    assert anchoring.anchor_undated(sold, [], lede=False, narrative=on(dt.date(1976, 4, 1)),
                                 dct=dct)[C.START_DATE] == dt.date(1976, 4, 1)


def test_a_light_verbs_event_noun_is_the_event(parser):
    doc = parser("Hurricane Orla made landfall near Port Royal and Jobs gave a keynote.")
    mentions = [_mention(doc, "Hurricane Orla", "EVENT"), _mention(doc, "Port Royal", "GPE"),
                _mention(doc, "Jobs", "PERSON")]
    landfall = events.build_event(doc[:], doc[2], mentions, [])
    assert (landfall[C.TRIGGER], landfall[C.TRIGGER_TEXT]) == ("landfall", "landfall")
    assert dict(zip(landfall[C.PARTICIPANTS], landfall[C.ROLES], strict=True))["EVENT:Hurricane Orla"] == "agent"
    assert landfall[C.DESCRIPTION].startswith("Hurricane Orla made landfall")
    found = anchoring.undated_events(doc[:], [], mentions, [], lede=False, narrative=None, dct=None)
    assert sorted(e[C.TRIGGER] for e in found) == ["keynote", "landfall"]  # the nouns are not events twice


def test_a_headline_finds_its_bodys_names_again_longest_first():
    text = "Apple Inc. said on Monday that the iPhone 4 sold well. Apple expects more."
    mentions = [{C.START: 0, C.END: 10, C.NAME: "Apple", C.LABEL: "ORG", C.ENTITY_ID: "ORG:Apple", C.SENT_ID: 0},
                {C.START: 34, C.END: 42, C.NAME: "iPhone 4", C.LABEL: "PRODUCT", C.ENTITY_ID: "PRODUCT:iPhone 4",
                 C.SENT_ID: 0}]
    found = narrative.headline_mentions("Apple Inc. sells the iPhone 4; Applebee's does not", text, mentions)
    assert [(m[C.START], m[C.END], m[C.ENTITY_ID], m[C.SENT_ID]) for m in found] == [
        (0, 10, "ORG:Apple", narrative.HEADLINE), (21, 29, "PRODUCT:iPhone 4", narrative.HEADLINE)]


def test_a_headlines_event_is_at_the_publication_date(parser):
    import pandas as pd

    documents = pd.DataFrame({C.DOC_ID: ["d"], C.TITLE: ["Apple unveils iPhone 4"], C.PUBLISHED: [dt.date(2010, 6, 7)],
                              C.TEXT: ["Apple showed the iPhone 4 in 2009."], C.DATELINE_PLACE: [""]})
    sentences = pd.DataFrame({C.DOC_ID: ["d"], C.SENT_ID: [0], C.START: [0], C.END: [34]})
    mentions = pd.DataFrame({C.DOC_ID: ["d", "d"], C.SENT_ID: [0, 0], C.START: [0, 17], C.END: [5, 25],
                             C.LABEL: ["ORG", "PRODUCT"], C.ENTITY_ID: ["ORG:Apple", "PRODUCT:iPhone 4"],
                             C.NAME: ["Apple", "iPhone 4"]})
    timexes, rows = narrative.extract(parser, documents, sentences, mentions)
    unveil = next(e for e in rows if e[C.TRIGGER] == "unveil")
    assert (unveil[C.SENT_ID], unveil[C.ANCHOR], unveil[C.START_DATE]) == (narrative.HEADLINE, "publication",
                                                                          dt.date(2010, 6, 7))
    assert unveil[C.PARTICIPANTS] == ["ORG:Apple", "PRODUCT:iPhone 4"]
    assert all(t[C.SENT_ID] != narrative.HEADLINE for t in timexes)


def test_an_expected_event_is_less_sure_than_one_that_happened(parser):
    doc = parser("Orla will hit Port Royal on Tuesday. Orla hit Port Royal on Tuesday.")
    will_hit, hit = (t for t in doc if t.lemma_ == "hit")
    assert events.build_event(doc[:], will_hit, [], [])["expected"]
    assert not events.build_event(doc[:], hit, [], [])["expected"]
    kept = dict(anchor_confidence=1.0, has_actor=True, place_from_dateline=False, pronoun=False)
    assert anchoring.confidence(**kept, expected=True) < anchoring.confidence(**kept)


def test_a_clause_that_says_its_time_is_another_does_not_share_the_date(parser):
    doc = parser("Residents began clearing debris on Wednesday, a day after Hurricane Orla made landfall there.")
    began, made = (next(t for t in doc if t.text == w) for w in ("began", "made"))
    assert not anchoring._linked(made, began)
    doc = parser("On Monday Sanders endorsed Biden and ended his bid.")
    endorsed, ended = (next(t for t in doc if t.text == w) for w in ("endorsed", "ended"))
    assert anchoring._linked(ended, endorsed)


def _when(parser, sentences: list[str], names: list[tuple[str, str]], published: dt.date) -> dict:
    """(anchor, value) of each trigger of a document of ``sentences``, each naming its (name, label) once."""
    import pandas as pd

    text = " ".join(sentences)
    starts = [sum(len(x) + 1 for x in sentences[:i]) for i in range(len(sentences))]
    documents = pd.DataFrame({C.DOC_ID: ["d"], C.TITLE: [""], C.PUBLISHED: [published], C.TEXT: [text],
                              C.DATELINE_PLACE: [""]})
    frame = pd.DataFrame({C.DOC_ID: ["d"] * len(sentences), C.SENT_ID: range(len(sentences)), C.START: starts,
                          C.END: [start + len(x) for start, x in zip(starts, sentences, strict=True)]})
    at = [start + x.index(name) for start, x, (name, _) in zip(starts, sentences, names, strict=True)]
    mentions = pd.DataFrame({C.DOC_ID: ["d"] * len(names), C.SENT_ID: range(len(names)), C.START: at,
                             C.END: [s + len(n) for s, (n, _) in zip(at, names, strict=True)],
                             C.LABEL: [label for _, label in names],
                             C.ENTITY_ID: [f"{label}:{name}" for name, label in names],
                             C.NAME: [name for name, _ in names]})
    _, rows = narrative.extract(parser, documents, frame, mentions)
    return {e[C.TRIGGER]: (e[C.ANCHOR], e[C.VALUE]) for e in rows}


def test_a_background_date_is_a_digression_and_the_narrative_returns_to_the_news(parser):
    when = _when(parser, ["Apple unveiled the phone on Monday.", "Apple launched its first phone in 2007.",
                          "Jobs praised the screen.", "Jobs demoed the camera."],
                 [("Apple", "ORG"), ("Apple", "ORG"), ("Jobs", "PERSON"), ("Jobs", "PERSON")], dt.date(2010, 6, 9))
    assert when["unveil"] == ("timex", "2010-06-07") and when["launch"] == ("timex", "2007")
    assert when["praise"] == ("narrative", "2007")  # right after the background date
    assert when["demo"] == ("narrative", "2010-06-07")  # then back to the news


def test_the_subject_of_a_verb_it_undergoes_is_its_patient(parser):
    doc = parser("Steve Jobs died and shares fell, but Apple sold phones.")
    jobs, apple = _mention(doc, "Steve Jobs", "PERSON"), _mention(doc, "Apple", "ORG")
    died, sold = (next(t for t in doc if t.text == w) for w in ("died", "sold"))
    dying = events.build_event(doc[:], died, [jobs, apple], [])
    assert dying[C.ROLES] == ["patient"] and dying["actor_names"] == ["Steve Jobs"]  # still the one it is about
    selling = events.build_event(doc[:], sold, [jobs, apple], [])
    assert dict(zip(selling[C.PARTICIPANTS], selling[C.ROLES], strict=True))["ORG:Apple"] == "agent"


def test_a_participle_adjunct_shares_the_main_clauses_subject(parser):
    doc = parser("Jobs unveiled the phone on Monday, saying it was magical, after reporters had asked.")
    jobs = [_mention(doc, "Jobs", "PERSON")]
    saying = next(t for t in doc if t.text == "saying")
    assert events.build_event(doc[:], saying, jobs, [])["actor_names"] == ["Jobs"]
    asked = next(t for t in doc if t.text == "asked")  # a clause with its own subject keeps it
    assert events.build_event(doc[:], asked, jobs, [])["actor_names"] == []


def test_without_a_news_date_a_background_date_still_holds_for_one_sentence_only(parser):
    when = _when(parser, ["Apple launched its first phone in 2007.", "Jobs praised the screen.",
                          "Jobs demoed the camera."],
                 [("Apple", "ORG"), ("Jobs", "PERSON"), ("Jobs", "PERSON")], dt.date(2010, 6, 9))
    assert when["praise"] == ("narrative", "2007") and when["demo"] == ("none", "")


def _sentences(parser, text: str, names: dict[str, str]):
    """Parsed sentences of ``text`` with the mentions of ``names`` (surface -> label) in each."""
    doc = parser(text)
    out = []
    for sent in doc.sents:
        piece = parser(sent.text)
        out.append((piece, [_mention(piece, name, label) for name, label in names.items() if name in sent.text]))
    return out


def _events_of(parser, text: str, names: dict[str, str]) -> list[dict]:
    discourse, found = events.Discourse(), []
    for piece, mentions in _sentences(parser, text, names):
        built = anchoring.undated_events(piece[:], [], mentions, [], lede=False, narrative=None, dct=None,
                                      discourse=discourse)
        discourse.remember(piece[:], mentions, [(piece[e["trigger_i"]], e) for e in built])
        found += built
    return found


def test_a_definite_common_noun_subject_is_the_phrase_it_repeats_and_names_who_that_named(parser):
    found = _events_of(parser, "The Kenyan-led mission deployed officers in Haiti. The mission detained three men.",
                       {"Kenyan": "NORP", "Haiti": "GPE"})
    detained = next(e for e in found if e[C.TRIGGER] == "detain")
    assert detained["agent"] == "The Kenyan-led mission" and detained["actor_names"] == ["Kenyan"]
    assert detained[C.DESCRIPTION] == "The mission detained three men"  # in its own words


def test_a_bare_common_noun_with_nothing_named_before_stays_unnamed(parser):
    found = _events_of(parser, "A mission arrived. The mission detained Pierre Duval.", {"Pierre Duval": "PERSON"})
    detained = next(e for e in found if e[C.TRIGGER] == "detain")
    assert detained["actor_names"] == [] and detained["agent"] == "The mission"


def test_an_event_noun_that_begins_is_done_by_whoever_did_it_before(parser):
    found = _events_of(parser, "Greenpeace has begun protests outside the plant. The protests started Monday and "
                               "the talks began Tuesday.", {"Greenpeace": "ORG"})
    started = next(e for e in found if e[C.TRIGGER] == "start")
    assert started["actor_names"] == ["Greenpeace"]
    assert not any(e[C.TRIGGER] == "begin" and e["actor_names"] for e in found[1:])  # no talks were named before


def test_not_this_but_that_keeps_the_reported_clauses_subject_and_other_coordinations_none(parser):
    contrast = parser("The police said the protesters did not attack the building, but blocked the road.")
    neutral = parser("An official said the coalition was providing airstrikes, but launched airstrikes on Beiji.")
    blocked = next(t for t in contrast if t.text == "blocked")
    assert blocked.head.text == "said" and events.subject_of(blocked).text == "protesters"
    launched = next(t for t in neutral if t.text == "launched")
    assert launched.head.text == "said" and events.subject_of(launched) is None  # the official, or the coalition


def test_a_phrase_named_only_as_an_object_gives_no_actor(parser):
    found = _events_of(parser, "Apple cut the iPod price. The price hurt Sony.",
                       {"Apple": "ORG", "iPod": "ORG", "Sony": "ORG"})
    hurt = next(e for e in found if e[C.TRIGGER] == "hurt")
    assert hurt["actor_names"] == [] and hurt[C.PARTICIPANTS] == ["ORG:Sony"]


def test_a_participle_modifying_a_noun_is_described_from_that_noun(parser):
    doc = parser("Shiite militias advised by Qassem Soleimani took the town, and the air campaign, launched in "
                 "August, continued.")
    names = [_mention(doc, "Shiite", "NORP"), _mention(doc, "Qassem Soleimani", "PERSON")]
    advised = next(t for t in doc if t.text == "advised")
    described = events.build_event(doc[:], advised, names, [])[C.DESCRIPTION]
    assert described == "Shiite militias advised by Qassem Soleimani"
