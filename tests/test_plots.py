"""The report's figures and the choice of what they show."""

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.figure import Figure

from dateline import columns as C
from dateline.report import choice, plots
from dateline.report import sections as report
from dateline.steps import timeline


def _events(n: int, *, start=dt.date(2019, 1, 1), trigger="say", actors=("A",)) -> pd.DataFrame:
    days = [start + dt.timedelta(days=i) for i in range(n)]
    return pd.DataFrame({C.EVENT_ID: [f"d:{i}:1" for i in range(n)], C.VALUE: [d.isoformat() for d in days],
                         C.START_DATE: days, C.END_DATE: days, C.GRANULARITY: "day", C.TRIGGER: trigger,
                         "actor_names": [list(actors)] * n, "agent": "", C.ANCHOR: "timex", C.CONFIDENCE: 1.0,
                         C.N_SOURCES: 1})


def _labels(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].texts]


def test_chart_events_spreads_a_long_corpus_over_its_whole_period():
    events = _events(365)
    shown = choice.chart_events(events, limit=12, around=(dt.date(2019, 1, 1), dt.date(2019, 12, 31)))
    assert len(shown) == 12
    assert shown[C.START_DATE].min() == dt.date(2019, 1, 1) and shown[C.START_DATE].max() == dt.date(2019, 12, 31)
    assert shown[C.START_DATE].is_monotonic_increasing


def test_chart_events_prefers_the_news_period_and_events_dated_by_the_text():
    events = pd.concat([_events(3, start=dt.date(1850, 1, 1)), _events(3, start=dt.date(2019, 5, 1))],
                       ignore_index=True)
    events[C.EVENT_ID] = [f"d:{i}:1" for i in range(len(events))]
    events.loc[5, C.ANCHOR] = "publication"
    shown = choice.chart_events(events, limit=2, around=(dt.date(2019, 5, 1), dt.date(2019, 5, 3)))
    assert list(shown[C.START_DATE]) == [dt.date(2019, 5, 1), dt.date(2019, 5, 2)]


def test_timeline_chart_groups_one_days_events_of_one_trigger_into_a_row():
    events = pd.concat([_events(1, actors=(name,)) for name in "ABCD"], ignore_index=True)
    events[C.EVENT_ID] = [f"d:{i}:1" for i in range(4)]
    assert _labels(plots.timeline_chart(events)) == ["2019-01-01  A, B +2: say  (\u00d74)"]


def test_timeline_chart_has_one_label_per_row_from_5_to_200_events():
    for n in (5, 60, 200):
        fig = plots.timeline_chart(_events(n))
        labels = _labels(fig)
        assert len(labels) == n
        rows = sorted(t.xy[1] for t in fig.axes[0].texts)
        assert rows == list(range(n))  # one row each, so no two labels share a line
        # a row is at least as tall as the 9-point labels
        assert fig.get_figheight() * 72 / (n + 1) >= 9


def test_swimlanes_keep_labels_apart():
    timelines = pd.DataFrame({C.ENTITY_ID: "PERSON:A", C.NAME: "A", C.EVENT_ID: [f"d:{i}:1" for i in range(40)],
                              C.START_DATE: [dt.date(2019, 1, 1) + dt.timedelta(days=i) for i in range(40)],
                              C.END_DATE: [dt.date(2019, 1, 1) + dt.timedelta(days=i) for i in range(40)],
                              C.GRANULARITY: "day", C.TRIGGER: "announce", C.ANCHOR: "timex", C.CONFIDENCE: 1.0})
    fig = plots.entity_swimlanes(timelines)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in fig.axes[0].texts]
    assert 2 <= len(boxes) < 40  # some labelled, crowded ones left out
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_chart_events_chooses_from_its_choice_columns_alone():
    events = pd.concat([_events(40, start=dt.date(1850, 1, 1)), _events(40, start=dt.date(2019, 5, 1))],
                       ignore_index=True)
    events[C.EVENT_ID] = [f"d:{i:03d}:1" for i in range(len(events))]
    events.loc[::3, C.ANCHOR] = "publication"
    around = (dt.date(2019, 5, 1), dt.date(2019, 5, 3))
    whole = choice.chart_events(events, limit=25, around=around)
    chosen = choice.chart_events(events[choice.CHART_CHOICE_COLUMNS], limit=25, around=around)
    assert chosen[C.EVENT_ID].tolist() == whole[C.EVENT_ID].tolist()


def test_the_event_table_of_the_first_rows_names_the_total():
    first = _events(3).assign(**{C.TEXT: "x", C.EVENT_CLASS: "OCCURRENCE", C.DOC_ID: "d", "place_names": [[]] * 3})
    page = report.event_table(first, limit=3, total=1_000)
    assert "The first 3 of 1000 events" in page and page.count("<tr") == 4
    assert "The first" not in report.event_table(first, limit=3)


@given(st.lists(st.tuples(st.integers(0, 800), st.sampled_from(["day", "month", "year"]),
                          st.sampled_from(["timex", "publication"]), st.sampled_from([0.5, 1.0]), st.integers(1, 2)),
                max_size=60),
       st.integers(1, 25), st.integers(1, 30))
def test_chart_choice_is_the_same_read_a_part_at_a_time(rows, limit, part_rows):
    days = [dt.date(2018, 1, 1) + dt.timedelta(days=d) for d, *_ in rows]
    events = timeline.order(pd.DataFrame({
        C.EVENT_ID: [f"d:{i:03d}:1" for i in range(len(rows))], C.START_DATE: days, C.END_DATE: days,
        C.GRANULARITY: [g for _, g, *_ in rows], C.TRIGGER: "say", C.ANCHOR: [a for *_, a, _, _ in rows],
        C.CONFIDENCE: [c for *_, c, _ in rows], C.N_SOURCES: [n for *_, n in rows]}))
    around = (dt.date(2019, 1, 1), dt.date(2019, 1, 31))
    whole = choice.chart_events(events, limit=limit, around=around)
    parts = [events.iloc[i:i + part_rows] for i in range(0, len(events), part_rows)]
    assert choice.chart_choice(lambda: iter(parts), limit=limit, around=around) == whole[C.EVENT_ID].tolist()
    in_period = int(choice.news_period(events, around).sum())  # only those, when there are any
    assert len(whole) == min(limit, in_period or len(events))
    assert whole[C.START_DATE].is_monotonic_increasing


def test_swimlanes_draw_one_mark_for_an_entitys_events_of_one_day():
    day = dt.date(2019, 1, 1)
    timelines = pd.DataFrame({C.ENTITY_ID: "PERSON:A", C.NAME: "A", C.EVENT_ID: [f"d:{i}:1" for i in range(30)],
                              C.START_DATE: [day] * 25 + [day + dt.timedelta(days=9)] * 5,
                              C.END_DATE: [day] * 25 + [day + dt.timedelta(days=9)] * 5,
                              C.GRANULARITY: ["day"] * 20 + ["time"] * 5 + ["day"] * 5,
                              C.TRIGGER: "say", C.ANCHOR: ["timex"] * 24 + ["publication"] + ["timex"] * 5,
                              C.CONFIDENCE: [0.5] * 29 + [1.0]})
    ax = plots.entity_swimlanes(timelines).axes[0]
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(dots) == 3  # the first day's dated events, its reported one, the tenth day's events
    assert sorted(round(d.get_alpha(), 3) for d in dots) == [0.725, 0.725, 1.0]  # the most confident one's shade


def test_in_a_week_long_story_no_dot_covers_its_label():
    fig = plots.timeline_chart(_events(7))
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    dots = [line.get_window_extent(renderer) for line in ax.lines]
    labels = [text.get_window_extent(renderer) for text in ax.texts]
    assert len(dots) == len(labels) == 7
    assert all(label.x0 >= dot.x1 for dot, label in zip(dots, labels, strict=True))
