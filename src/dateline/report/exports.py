"""Files people open elsewhere, written beside report.html: the key dates as a Knight Lab TimelineJS3 timeline
(``timelinejs.json``), the entity co-occurrence network for Gephi (``entities.gexf``) and the merged events
(``timeline.csv``). Article text is untrusted: TimelineJS renders its ``headline`` and ``text`` as HTML, so every
piece taken from an article is escaped there; the GEXF is XML written by networkx (which escapes it)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd

from dateline import columns as C
from dateline.config import CorpusPaths
from dateline.io import parquet_columns, parquet_head, read_parquet, write_atomic, write_text
from dateline.steps import keydates
from dateline.timex.values import interval

GEXF_ENTITIES = 500  # the most mentioned entities in the network (a large corpus has hundreds of thousands)


def _date(day) -> dict:
    return {"year": day.year, "month": day.month, "day": day.day}


def timeline_dates(value: str) -> tuple[dict, dict | None] | None:
    """TimelineJS ``start_date`` and ``end_date`` ({year, month, day}, as precise as the value) of a key date, or
    None for a value that is no calendar interval."""
    bounds = interval(value)
    if bounds is None:
        return None
    start, end, granularity = bounds
    if granularity == "day":
        return _date(start), None
    if granularity == "month":
        return {"year": start.year, "month": start.month}, None
    if granularity == "year":
        return {"year": start.year}, None
    return _date(start), _date(end)


def timelinejs(key_dates: pd.DataFrame, events: pd.DataFrame, documents: pd.DataFrame, *, title: str) -> dict:
    """A TimelineJS3 timeline of the key dates: one slide each, its line as the headline, its events and the links
    to its articles (their URL when the corpus gives one) as the text; the leading entity as the ``group`` when
    the key dates are an entity's. ``events`` and ``documents`` hold the key dates' events (event_id,
    description) and articles (doc_id, title, url)."""
    described = dict(zip(events[C.EVENT_ID], events[C.DESCRIPTION], strict=True))
    docs = documents.set_index(C.DOC_ID)
    slides = []
    for row in key_dates.to_dict("records"):
        dates = timeline_dates(row[C.DATE])
        if dates is None:
            continue
        items = "".join(f"<li>{html.escape(described[e])}</li>" for e in row[C.EVENT_IDS] if described.get(e))
        links = []
        for doc_id in list(row[C.DOC_IDS])[:keydates.LINKED_ARTICLES]:
            headline = docs.at[doc_id, C.TITLE] if doc_id in docs.index else None
            name = html.escape(headline if isinstance(headline, str) and headline else doc_id)
            url = docs.at[doc_id, C.URL] if doc_id in docs.index and C.URL in docs.columns else None
            safe = isinstance(url, str) and url.startswith(("http://", "https://"))
            links.append(f'<a href="{html.escape(url, quote=True)}">{name}</a>' if safe else name)
        n = row[C.N_SOURCES]
        slide = {"start_date": dates[0],
                 "text": {"headline": html.escape(row[C.HEADLINE]),
                          "text": f"<ul>{items}</ul><p>{n} article{'s' if n != 1 else ''}: {', '.join(links)}</p>"},
                 "unique_id": f"key-date-{len(slides) + 1}"}
        if dates[1] is not None:
            slide["end_date"] = dates[1]
        if row.get(C.NAME):
            slide["group"] = html.escape(row[C.NAME])
        slides.append(slide)
    return {"title": {"text": {"headline": html.escape(title), "text": "Key dates, built by dateline"}},
            "events": slides}


def network(entities: pd.DataFrame, cooccurrence: pd.DataFrame):
    """The co-occurrence network of ``entities`` (entity_id, name, label, n_mentions, n_docs; the most mentioned
    first): a node per entity with its name, kind and counts, an edge per pair named in the same sentences,
    weighted by how many."""
    import networkx as nx

    graph = nx.Graph()
    for row in entities.to_dict("records"):
        graph.add_node(row[C.ENTITY_ID], label=row[C.NAME], kind=row[C.LABEL], mentions=int(row[C.N_MENTIONS]),
                       documents=int(row[C.N_DOCS]))
    for a, b, count in zip(cooccurrence[C.ENTITY_A], cooccurrence[C.ENTITY_B], cooccurrence[C.COUNT], strict=True):
        if a in graph and b in graph:
            graph.add_edge(a, b, weight=int(count))
    return graph


def gexf(graph) -> str:
    """The network as GEXF 1.2 text, without the date networkx stamps on it (the file must not change with the
    day it was made)."""
    import networkx as nx

    text = "\n".join(nx.generate_gexf(graph, prettyprint=True))
    return "<?xml version='1.0' encoding='utf-8'?>\n" + re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1) + "\n"


def copy_file(source: str | Path, path: str | Path) -> Path:
    """``source`` copied to ``path``, atomically."""
    return write_atomic(path, lambda tmp: shutil.copyfile(source, tmp))


def key_date_rows(paths: CorpusPaths) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A built corpus's key dates (key_dates.csv), their events (event_id, description) and the articles they
    link to (doc_id, title, and url when the corpus has one): what the report's Key dates section and the
    TimelineJS export show."""
    key_dates = keydates.read_csv(paths.key_dates)
    event_ids = {e for ids in key_dates[C.EVENT_IDS] for e in ids}
    events = read_parquet(paths.events, [C.EVENT_ID, C.DESCRIPTION], where={C.EVENT_ID: event_ids})
    columns = [c for c in (C.DOC_ID, C.TITLE, C.URL) if c in parquet_columns(paths.documents)]
    documents = read_parquet(paths.documents, columns, where={C.DOC_ID: keydates.linked_articles(key_dates)})
    return key_dates, events, documents


def write_all(paths: CorpusPaths, *, title: str) -> dict[str, Path]:
    """timelinejs.json, entities.gexf and timeline.csv beside the corpus's report."""
    key_dates, events, documents = key_date_rows(paths)
    entities = parquet_head(paths.entities, [C.ENTITY_ID, C.NAME, C.LABEL, C.N_MENTIONS, C.N_DOCS], rows=GEXF_ENTITIES)
    ids = entities[C.ENTITY_ID]
    pairs = read_parquet(paths.cooccurrence, where={C.ENTITY_A: ids, C.ENTITY_B: ids})
    return {"timelinejs": write_text(json.dumps(timelinejs(key_dates, events, documents, title=title),
                                                ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                     paths.timelinejs),
            "gexf": write_text(gexf(network(entities, pairs)), paths.gexf),
            "timeline": copy_file(paths.timeline_csv, paths.timeline_export)}
