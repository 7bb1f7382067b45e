"""Figures of the report, drawn with matplotlib: deterministic, colour-blind-safe (Okabe-Ito), readable."""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from dateline import columns as C  # noqa: E402
from dateline.timex.values import readable  # noqa: E402

# Names in scripts the bundled DejaVu font lacks (Devanagari, CJK) draw as boxes; say so once in the report
# instead of one warning per glyph.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)

# Okabe & Ito's palette, distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {"orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442", "blue": "#0072B2",
             "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000", "grey": "#999999"}
LABEL_COLOURS = {"PERSON": OKABE_ITO["vermillion"], "ORG": OKABE_ITO["blue"], "GPE": OKABE_ITO["green"],
                 "LOC": OKABE_ITO["green"], "FAC": OKABE_ITO["green"], "NORP": OKABE_ITO["orange"]}
STYLE = {"font.size": 10, "axes.titlesize": 12, "axes.spines.top": False, "axes.spines.right": False,
         "svg.hashsalt": "dateline", "figure.dpi": 100,
         "text.parse_math": False}  # article text may hold "$": never read it as mathtext


def png_bytes(fig: Figure, *, dpi: int = 110) -> bytes:
    """The figure as PNG, without the metadata (software version) that would make reruns differ."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def entity_bars(entities: pd.DataFrame, *, top: int = 15) -> Figure:
    """The most mentioned entities, one bar each, coloured by type."""
    data = entities.head(top).iloc[::-1]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7, 0.32 * max(len(data), 3) + 1.2))
        colours = [LABEL_COLOURS.get(label, OKABE_ITO["grey"]) for label in data[C.LABEL]]
        ax.barh(range(len(data)), data[C.N_MENTIONS], color=colours)
        ax.set_yticks(range(len(data)), [f"{n} ({lab})" for n, lab in zip(data[C.NAME], data[C.LABEL],
                                                                            strict=True)])
        ax.set_xlabel("mentions")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_title(f"Most mentioned entities (top {len(data)})", loc="left")
        fig.tight_layout()
    return fig


def timeline_chart(events: pd.DataFrame, *, max_label: int = 60) -> Figure:
    """Events on a date axis in time order, one row each: a dot for a day, a bar for a longer interval. Events of
    one date with the same trigger share a row ("2019-01-04  Trump, Pelosi +3: say  (x5)"), so busy days stay
    readable; labels sit right of their marks, one per row, so they never overlap.

    Events placed at the publication date ("publication") are hollow; faint marks are low-confidence events.
    """
    data = _chart_rows(events)
    n = len(data)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(10, min(0.3 * max(n, 3) + 1.6, 60)))
        for i, e in data.iterrows():
            start, end = _mark(ax, e, i, size=7, height=0.5)
            # right of the bar's end, or of the dot, which sits at noon: on a week's axis half a day is wide
            at = end if e[C.GRANULARITY] not in ("day", "time") else start + pd.Timedelta(hours=12)
            ax.annotate(_event_label(e, max_label), (at, i),
                        xytext=(8, 0), textcoords="offset points", va="center", fontsize=9,
                        color="#555555" if e[C.ANCHOR] == "publication" else "black")
        ax.set_ylim(n - 0.5, -0.5)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.tick_params(axis="x", labeltop=n > 40, top=n > 40)  # a long chart gets its dates at the top too
        if n:
            lo = pd.Timestamp(data[C.START_DATE].min())
            hi = pd.Timestamp(data[C.END_DATE].max()) + pd.Timedelta(days=1)
            pad = max((hi - lo) * 0.05, pd.Timedelta(days=1))
            ax.set_xlim(lo - pad, hi + (hi - lo) * 0.45 + pd.Timedelta(days=3))
        ax.grid(axis="x", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.set_title("Timeline: filled = dated by the text, hollow = at the publication date", loc="left",
                     pad=24 if n > 40 else 6)
        fig.tight_layout()
    return fig


def _mark(ax, e, y: float, *, size: float, height: float) -> tuple[pd.Timestamp, pd.Timestamp]:
    """Draw one event at height ``y``: a dot for a day or a time, a bar over a longer interval; hollow and grey
    when "publication", fainter when less confident. Returns the interval drawn (start, end)."""
    start = pd.Timestamp(e[C.START_DATE])
    end = pd.Timestamp(e[C.END_DATE]) + pd.Timedelta(days=1)
    reported = e[C.ANCHOR] == "publication"
    colour = OKABE_ITO["grey"] if reported else OKABE_ITO["blue"]
    alpha = 0.45 + 0.55 * float(e[C.CONFIDENCE])
    if e[C.GRANULARITY] in ("day", "time"):
        ax.plot([start + pd.Timedelta(hours=12)], [y], "o", ms=size, alpha=alpha, mfc="white" if reported else colour,
                mec=colour, mew=1.6)
    else:
        ax.barh(y, end - start, left=start, height=height, color=colour, alpha=alpha * 0.55, edgecolor=colour,
                linewidth=1.1)
    return start, end


def _chart_rows(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (interval, trigger, anchor): actors pooled, the most confident row's confidence, a count."""
    if events.empty:
        return events.assign(n_events=[]).reset_index(drop=True)
    keys = [C.START_DATE, C.END_DATE, C.GRANULARITY, C.VALUE, C.TRIGGER, C.ANCHOR]
    rows = []
    for _, group in events.groupby(keys, sort=False, dropna=False):
        first = group.iloc[0].copy()
        first[C.ACTOR_NAMES] = list(dict.fromkeys(a for names in group[C.ACTOR_NAMES] for a in names))
        first[C.AGENT] = next((a for a in group[C.AGENT] if a), "")
        first[C.CONFIDENCE] = group[C.CONFIDENCE].max()
        first["n_events"] = len(group)
        rows.append(first)
    return pd.DataFrame(rows).sort_values([C.START_DATE, C.END_DATE, C.EVENT_ID], kind="stable").reset_index(drop=True)


def _event_label(e: pd.Series, max_label: int) -> str:
    names = list(e[C.ACTOR_NAMES])
    who = ", ".join(names[:2]) + (f" +{len(names) - 2}" if len(names) > 2 else "") if names else (e[C.AGENT] or "?")
    count = f"  (\u00d7{e['n_events']})" if e.get("n_events", 1) > 1 else ""
    head = f"{readable(e[C.VALUE])}  "
    body = e.get(C.DESCRIPTION) or f"{who}: {e[C.TRIGGER]}"
    room = max_label - len(head) - len(count)
    return head + (body if len(body) <= room else body[: room - 1] + "\u2026") + count


def cooccurrence_network(entities: pd.DataFrame, cooccurrence: pd.DataFrame, *, top: int = 15) -> Figure:
    """The most mentioned entities as nodes (size by mentions, colour by type) and edges between those named in
    the same sentence (width by the number of sentences); a seeded layout, so the figure is the same every run."""
    import networkx as nx

    nodes = entities.head(top)
    keep = set(nodes[C.ENTITY_ID])
    graph = nx.Graph()
    for row in nodes.itertuples(index=False):
        graph.add_node(getattr(row, C.ENTITY_ID), name=getattr(row, C.NAME), label=getattr(row, C.LABEL),
                       mentions=getattr(row, C.N_MENTIONS))
    for a, b, count in zip(cooccurrence[C.ENTITY_A], cooccurrence[C.ENTITY_B], cooccurrence[C.COUNT], strict=True):
        if a in keep and b in keep:
            graph.add_edge(a, b, count=int(count))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(8, 6))
        if graph.number_of_nodes():
            pos = nx.spring_layout(graph, seed=1, k=1.2 / max(graph.number_of_nodes(), 1) ** 0.5, weight="count")
            counts = [graph.edges[e]["count"] for e in graph.edges]
            most = max(counts, default=1)
            nx.draw_networkx_edges(graph, pos, ax=ax, width=[0.8 + 5 * c / most for c in counts],
                                   edge_color="#999999", alpha=0.7)
            mentions = [graph.nodes[n]["mentions"] for n in graph.nodes]
            biggest = max(mentions)
            nx.draw_networkx_nodes(graph, pos, ax=ax, node_size=[150 + 900 * m / biggest for m in mentions],
                                   node_color=[LABEL_COLOURS.get(graph.nodes[n]["label"], OKABE_ITO["grey"])
                                               for n in graph.nodes], edgecolors="white")
            for n, (x, y) in pos.items():
                ax.annotate(graph.nodes[n]["name"], (x, y), xytext=(0, 9), textcoords="offset points",
                            ha="center", fontsize=9, bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                                                           "alpha": 0.8})
        ax.margins(0.12)  # room for the labels of nodes on the edge
        ax.set_axis_off()
        ax.set_title(f"Who is named with whom (top {graph.number_of_nodes()} entities; edge width: sentences)",
                     loc="left")
        fig.tight_layout()
    return fig


def lanes(entity_timelines: pd.DataFrame, top: int) -> list[str]:
    """The entities that get a swimlane: the first ``top`` names of entity_timelines (most active first)."""
    return list(dict.fromkeys(entity_timelines[C.NAME]))[:top]


def _lane_marks(events: pd.DataFrame) -> pd.DataFrame:
    """One row per mark a lane draws: its events of one interval and kind (dot or bar, dated or reported) in time
    order, the first standing for them with the most confident one's confidence. A large corpus's lane is then
    as many marks as its distinct dates, not one per event drawn over each other."""
    keys = [C.START_DATE, C.END_DATE, "_dot", C.ANCHOR]
    events = events.sort_values([C.START_DATE, C.END_DATE, C.EVENT_ID], kind="stable")
    events = events.assign(_dot=events[C.GRANULARITY].isin(("day", "time")))
    confidence = events.groupby(keys, sort=False, dropna=False)[C.CONFIDENCE].transform("max")
    return events.assign(**{C.CONFIDENCE: confidence}).drop_duplicates(keys).drop(columns="_dot")


def entity_swimlanes(entity_timelines: pd.DataFrame, *, top: int = 8) -> Figure:
    """One lane per leading entity, its events on a shared date axis: a dot for a day, a bar for a longer interval,
    hollow for "publication" events, one mark for an entity's events of one interval (``_lane_marks``). Triggers label
    the marks where there is room: each label goes above or below its mark, or is left out when both places would
    overlap a neighbour (the event table has every event)."""
    names = lanes(entity_timelines, top)
    data = entity_timelines[entity_timelines[C.NAME].isin(names)]
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(10, 0.75 * max(len(names), 2) + 1.4))
        if len(data):
            lo = pd.Timestamp(data[C.START_DATE].min())
            hi = pd.Timestamp(data[C.END_DATE].max()) + pd.Timedelta(days=1)
            pad = max((hi - lo) * 0.04, pd.Timedelta(days=1))
            ax.set_xlim(lo - pad, hi + pad)
        ax.set_ylim(len(names) - 0.4, -0.6)
        ax.set_yticks(range(len(names)), names)
        ax.tick_params(axis="y", length=0)
        for lane in range(len(names)):
            ax.axhline(lane, color="#eeeeee", linewidth=0.8, zorder=0)
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.grid(axis="x", color="#dddddd", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines["left"].set_visible(False)
        ax.set_title(f"Events of the {len(names)} most active entities (hollow = at the publication date)", loc="left")
        fig.tight_layout()
        fig.canvas.draw()  # fixes the layout, so the labels' extents below are final
        renderer = fig.canvas.get_renderer()
        for lane, name in enumerate(names):
            own = _lane_marks(data[data[C.NAME] == name])
            last_right = {-1: float("-inf"), 1: float("-inf")}  # rightmost pixel used by labels above / below
            for e in own.to_dict("records"):
                start, end = _mark(ax, e, lane, size=6, height=0.22)
                at = start + (end - start) / 2
                reported = e[C.ANCHOR] == "publication"
                centre = ax.transData.transform((mdates.date2num(at), lane))[0]
                for side in (-1, 1):  # above, else below, else no label
                    if centre <= last_right[side] + 3:  # a label centred here starts left of that: it cannot fit
                        continue
                    label = ax.annotate(e[C.TRIGGER], (at, lane), xytext=(0, 10 * -side), textcoords="offset points",
                                        ha="center", va="center", fontsize=8,
                                        color="#555555" if reported else "black")
                    box = label.get_window_extent(renderer)
                    if box.x0 > last_right[side] + 3:
                        last_right[side] = box.x1
                        break
                    label.remove()
    return fig
