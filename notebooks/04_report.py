# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Timeline report
#
# Who did what, where and when, according to the articles of this corpus. Dates are resolved against each
# article's publication date; names are merged into one entity per actor. Built by dateline from the raw files
# with `make report`; the executed notebooks beside this page show every step.

# %% tags=["parameters"]
corpus: str = "tikrit"  # folder under data/raw/
root: str = ".."  # project root, relative to notebooks/
top_entities: int = 15  # bars in the entity chart
max_documents: int = 50  # documents shown in full, with highlights
max_chart_events: int = 60  # events drawn in the timeline chart (of the news period; dated by the text first)
max_table_events: int = 500  # rows of the event table (timeline.csv has them all)
swimlane_entities: int = 8  # lanes in the entity timelines chart

# %%
from pathlib import Path

import pandas as pd
from IPython.display import HTML, display

from dateline import columns as C
from dateline import exports, io, keydates, plots, provenance, report
from dateline.config import corpus_paths

paths = corpus_paths(corpus, root)
# a large corpus is read a part at a time: its documents' summary columns, and only the first rows of the
# entities (the most mentioned first) and of the events
summary = report.summarise_documents(io.parquet_parts(paths.documents, report.SUMMARY_COLUMNS, rows=report.READ_ROWS))
rejected = io.read_csv(paths.rejected)
merged = io.read_csv(paths.merged)
entity_table = io.parquet_head(paths.entities, rows=max(30, top_entities))
n_entities, n_events = io.parquet_rows(paths.entities), io.parquet_rows(paths.events)
model_id = io.parquet_metadata(paths.mentions).get("model", "unknown")
display(HTML(report.style()))

# %% [markdown]
# ## Overview

# %%
display(HTML(report.overview(corpus, summary, merged, rejected, model_id)))

# %% [markdown]
# ## Key dates
# The few dates that matter, each with what happened in one line: the dates the most articles tell of, an event
# dated by a written date counting most (src/dateline/keydates.py; all of them in key_dates.csv). Open a line for
# its events and its articles.

# %%
key_dates, key_events, key_documents = exports.key_date_rows(paths)
display(HTML(report.key_dates(key_dates, key_events, key_documents, n_documents=summary.documents)))

# %% [markdown]
# ## Timeline
# Each row is an event, in time order. A dot is a day; a bar is a longer interval (a month, a season) drawn over
# the days it covers. Filled marks are dated by the text; hollow grey ones are only known to have been reported
# by the publication date. Fainter marks are less certain. Try this: set `max_chart_events` (a parameter of this
# notebook) to 20 or 200 and rerun; events of one date and trigger share a row.

# %%
news_period = (summary.first_published, summary.last_published) if summary.first_published is not None else None
chosen = report.chart_choice(  # reads seven columns of every event, twice, a part at a time
    lambda: io.parquet_parts(paths.events, report.CHART_CHOICE_COLUMNS, rows=report.READ_ROWS),
    limit=max_chart_events, around=news_period)
# the chosen events read whole, in the chosen order
shown = io.read_parquet(paths.events, where={C.EVENT_ID: chosen}).set_index(C.EVENT_ID).loc[chosen].reset_index()
caption = f"{len(shown)} of {n_events} events" if len(shown) < n_events else ""
if len(shown):
    png = plots.png_bytes(plots.timeline_chart(shown))
    display(HTML(report.figure(png, alt=report.timeline_alt(shown), caption=caption)))
else:
    display(HTML('<p class="dl-muted">No dated events were found.</p>'))

# %% [markdown]
# ## Entity timelines
# The same events seen from the most active entities: one lane each, in the news period (the publication dates
# and a year either side), so that one line about the 19th century does not squeeze the rest into a corner.

# %%
entity_timelines = io.read_parquet(paths.entity_timelines)
in_period = entity_timelines[report.news_period(entity_timelines, news_period)]
if len(in_period):
    png = plots.png_bytes(plots.entity_swimlanes(in_period, top=swimlane_entities))
    left_out = len(entity_timelines) - len(in_period)
    display(HTML(report.figure(png, alt=report.swimlane_alt(in_period, swimlane_entities),
                               caption=f"{left_out} events outside the news period left out" if left_out else "")))
else:
    display(HTML('<p class="dl-muted">No entity acts in a dated event.</p>'))

# %% [markdown]
# ## Events

# %%
first_events = io.parquet_head(paths.events, rows=max_table_events)
display(HTML(report.event_table(first_events, limit=max_table_events, total=n_events)))

# %% [markdown]
# ## Entities
# The most mentioned people, organisations, places and groups, each counted once under its canonical name.

# %%
if len(entity_table):
    fig = plots.entity_bars(entity_table, top=top_entities)
    display(HTML(report.figure(plots.png_bytes(fig), alt=report.entity_alt(entity_table, top_entities))))
display(HTML(report.entity_table(entity_table.head(30), total=n_entities)))

# %%
top_ids = entity_table[C.ENTITY_ID].head(top_entities)  # the network shows only pairs of the top entities
cooccurrence = io.read_parquet(paths.cooccurrence, where={C.ENTITY_A: top_ids, C.ENTITY_B: top_ids})
if len(entity_table) > 1:
    png = plots.png_bytes(plots.cooccurrence_network(entity_table, cooccurrence, top=top_entities))
    display(HTML(report.figure(png, alt=report.network_alt(entity_table, cooccurrence, top_entities))))

# %% [markdown]
# ## Cleaning
# What the cleaning step removed or set aside, so the counts above can be trusted.

# %%
display(HTML(report.cleaning(summary, merged, rejected)))

# %% [markdown]
# ## Provenance
# What this report follows from. `manifest.json` beside this page lists the sha256 of every input and output, the
# parameters and every package version; `make verify` reruns the pipeline and compares.

# %%
display(HTML(report.provenance(provenance.hashes(Path(root), provenance.input_files(Path(root), corpus)),
                               provenance.environment(), provenance.git_state(Path(root)), model_id)))

# %% [markdown]
# ## Exports
# Beside this page: `timelinejs.json` (the key dates for Knight Lab's TimelineJS, the newsroom's interactive
# timeline: load it with `new TL.Timeline(element, "timelinejs.json")`), `entities.gexf` (the network of the most
# mentioned entities, for Gephi) and `timeline.csv` (every merged event, for a spreadsheet).

# %%
written = exports.write_all(paths, title=f"{corpus}: key dates")
display(HTML(report.table(pd.DataFrame({"file": [p.name for p in written.values()],
                                        "bytes": [p.stat().st_size for p in written.values()]}))))

# %% [markdown]
# ## Documents
# Each article's cleaned text; names are highlighted by type and time expressions in purple (hover for the
# canonical name or the resolved value).

# %%
# only the shown documents' rows are read: a large corpus's text and mentions need not be in memory
# the first documents, and those the key dates link to
first = io.parquet_head(paths.documents, [C.DOC_ID], rows=max_documents)[C.DOC_ID].tolist()
shown = {C.DOC_ID: list(dict.fromkeys(first + keydates.linked_articles(key_dates)))}
display(HTML(report.documents(io.read_parquet(paths.documents, where=shown),
                              io.read_parquet(paths.mentions, where=shown),
                              io.read_parquet(paths.timexes, where=shown))))
