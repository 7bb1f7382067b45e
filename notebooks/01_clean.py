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
# # 01 · Clean: from raw files to one clean row per article
#
# **Question:** which articles do we have, and what does each one say once the scraping debris is gone?
#
# This step reads every file of `data/raw/<corpus>/` (the input contract is in the README), decodes it whatever its
# encoding, splits the headline from the body, finds the *dateline* ("TIKRIT, Iraq - "), removes paragraphs that
# the scrape repeated and wire boilerplate, and keeps each syndicated story once. Nothing is dropped silently:
# every article is either kept, merged into a copy of the same story, or listed as rejected with a reason.

# %% tags=["parameters"]
corpus: str = "tikrit"  # folder under data/raw/
root: str = ".."  # project root, relative to notebooks/
columns: dict = {}  # contract field -> column in your .csv/.jsonl files, e.g. {"published": "date"}
strict: bool = False  # fail on any rejected document instead of listing it
max_document_chars: int = 1_000_000  # longer documents are rejected with a reason (about 150,000 words)
dedup_threshold: float = 0.8  # estimated Jaccard similarity of word 5-shingles above which two articles are copies

# %%
from dateline import columns as C
from dateline.config import corpus_paths
from dateline.stages import clean as clean_stage

paths = corpus_paths(corpus, root)

# %% [markdown]
# ## Has the raw data changed?
# `data/raw/` is immutable input. Before this stage runs, `make` checks every raw file against the manifest of the
# last run (if there is one) and names any change in its log, so a reviewer knows the report no longer follows from
# the same data. The same check, here:
#
# ```python
# from dateline import provenance
# provenance.changed_inputs(Path(root), corpus)  # [(file, "changed" | "added" | "removed"), ...]
# ```

# %% [markdown]
# ## Read and clean the articles, a batch at a time
# Each article becomes a row; problems (an empty file, a malformed JSON line, a bad date …) become rows of the
# rejected ledger, naming the file and line. The corpus is read 2,000 articles at a time and each batch is
# cleaned at once, so memory never holds a large corpus's text: the cleaned text goes to a temporary file beside
# the outputs (`staged`, sorted runs that are merged in doc_id order at the end), and what stays in memory is each
# article's metadata and a fingerprint of its words (`signatures`, for finding copies below).
#
# A worked example: the sample article's raw body starts with `TIKRIT, Iraq - The U.S.-led coalition …` and its
# lead paragraph appears twice in the scrape. After cleaning, the dateline sits in its own columns and the lead
# appears once (`repeats_removed` counts what went).

# %%
result = clean_stage.run(paths, columns=columns, max_document_chars=max_document_chars,
                         dedup_threshold=dedup_threshold, strict=strict)  # src/dateline/stages/clean.py
print(f"{len(result.documents) + len(result.merged)} articles read, {len(result.rejected)} rejected, "
      f"{len(result.ignored)} files ignored (not .txt/.jsonl/.csv): {result.ignored}")
result.rejected

# %%
example = result.example
example[[C.DOC_ID, C.TITLE, C.PUBLISHED, C.DATELINE, C.DATELINE_PLACE, C.REPEATS_REMOVED, C.N_WORDS]]

# %%
print(example[C.TEXT].iloc[0][:600] if len(example) else "(no documents)")

# %% [markdown]
# Every character of the cleaned text can be traced back to the raw file: `segments` map spans of the cleaned
# text to character offsets in the decoded raw file (for `.csv`/`.jsonl`, in the record's text field). Here, the
# first words of the cleaned body and where they stand in the raw file:

# %%
from dateline.steps.offsets import to_raw

if len(example):
    first = example.iloc[0]
    words = first[C.TEXT][:40]
    print(f"{words!r} comes from characters {to_raw(first['segments'], 0, 40)} of {first[C.FILE]}")

# %% [markdown]
# ## Syndicated copies
# The same wire story often arrives several times with small edits. MinHash over word shingles finds such
# near-duplicates without comparing every pair; each story is kept once, and its copies are listed on the kept
# row (`merged_ids`, `sources`), so later counts are not inflated.

# %%
result.merged

# %% [markdown]
# ## What this step did
# In = kept + merged + rejected must hold: nothing is lost silently.
#
# Try this: run the bad-input fixture (`make report CORPUS=fixture` after copying `tests/data/fixture` to
# `data/raw/fixture`) and read its `rejected.csv`; or set `dedup_threshold` to 0.5 in `params/<corpus>.yaml` and
# see more articles merged as copies.

# %%
result.summary

# %% [markdown]
# ## The outputs
# The kept documents went to `documents.parquet` in doc_id order (their text read back from the staged runs a
# thousand at a time; the copies' rows skipped), their segments to `offsets.parquet`, and the three tables above to
# `rejected.csv`, `merged.csv` and `summary.csv`. With `strict: true`, a rejected document stops the stage before
# anything is written.
