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

from dateline import provenance
from dateline.config import corpus_paths
from dateline.report import exports, plots
from dateline.report import sections as report
from dateline.stages import report as report_stage

paths = corpus_paths(corpus, root)
# a large corpus is read a part at a time: its documents' summary columns, and only the first rows of the
# entities (the most mentioned first) and of the events (src/dateline/stages/report.py)
seen = report_stage.overview(paths, top_entities=top_entities)
display(HTML(report.style()))

# %% [markdown]
# ## Overview

# %%
display(HTML(report.overview(corpus, seen.summary, seen.merged, seen.rejected, seen.model_id)))

# %% [markdown]
# ## Key dates
# The few dates that matter, each with what happened in one line: the dates the most articles tell of, an event
# dated by a written date counting most (src/dateline/steps/keydates.py; all of them in key_dates.csv). Open a line for
# its events and its articles.

# %%
key_dates, key_events, key_documents = exports.key_date_rows(paths)
display(HTML(report.key_dates(key_dates, key_events, key_documents, n_documents=seen.summary.documents)))

# %% [markdown]
# ## Timeline
# Each row is an event, in time order. A dot is a day; a bar is a longer interval (a month, a season) drawn over
# the days it covers. Filled marks are dated by the text; hollow grey ones are only known to have been reported
# by the publication date. Fainter marks are less certain. Try this: set `max_chart_events` (a parameter of this
# notebook) to 20 or 200 and rerun; events of one date and trigger share a row.

# %%
shown = report_stage.timeline_events(paths, seen, limit=max_chart_events)
caption = f"{len(shown)} of {seen.n_events} events" if len(shown) < seen.n_events else ""
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
in_period, left_out = report_stage.entity_timelines(paths, seen)
if len(in_period):
    png = plots.png_bytes(plots.entity_swimlanes(in_period, top=swimlane_entities))
    display(HTML(report.figure(png, alt=report.swimlane_alt(in_period, swimlane_entities),
                               caption=f"{left_out} events outside the news period left out" if left_out else "")))
else:
    display(HTML('<p class="dl-muted">No entity acts in a dated event.</p>'))

# %% [markdown]
# ## Events

# %%
first_events = report_stage.first_events(paths, rows=max_table_events)
display(HTML(report.event_table(first_events, limit=max_table_events, total=seen.n_events)))

# %% [markdown]
# ## Entities
# The most mentioned people, organisations, places and groups, each counted once under its canonical name.

# %%
if len(seen.entities):
    fig = plots.entity_bars(seen.entities, top=top_entities)
    display(HTML(report.figure(plots.png_bytes(fig), alt=report.entity_alt(seen.entities, top_entities))))
display(HTML(report.entity_table(seen.entities.head(report_stage.ENTITY_ROWS), total=seen.n_entities)))

# %%
cooccurrence = report_stage.cooccurrence(paths, seen, top=top_entities)
if len(seen.entities) > 1:
    png = plots.png_bytes(plots.cooccurrence_network(seen.entities, cooccurrence, top=top_entities))
    display(HTML(report.figure(png, alt=report.network_alt(seen.entities, cooccurrence, top_entities))))

# %% [markdown]
# ## Cleaning
# What the cleaning step removed or set aside, so the counts above can be trusted.

# %%
display(HTML(report.cleaning(seen.summary, seen.merged, seen.rejected)))

# %% [markdown]
# ## Provenance
# What this report follows from. `manifest.json` beside this page lists the sha256 of every input and output, the
# parameters and every package version; `make verify` reruns the pipeline and compares.

# %%
display(HTML(report.provenance(provenance.hashes(Path(root), provenance.input_files(Path(root), corpus)),
                               provenance.environment(), provenance.git_state(Path(root)), seen.model_id)))

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
# only the shown documents' rows are read (the first documents, and those the key dates link to): a large
# corpus's text and mentions need not be in memory
display(HTML(report.documents(*report_stage.shown_documents(paths, key_dates, max_documents=max_documents))))
