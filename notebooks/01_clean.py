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
import pandas as pd

from dateline import clean, dedup, io
from dateline import columns as C
from dateline import corpus as corpus_reader
from dateline.config import corpus_paths

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
reading = corpus_reader.stream_corpus(paths.raw, columns=columns, max_chars=max_document_chars)
staged = io.SortedRuns(C.DOC_ID, clean.STAGED_SCHEMA, dir=paths.interim)
signatures = dedup.Signatures()
batches, example, emptied = [], clean.EMPTY_EXAMPLE, []
for articles in reading:
    cleaned, empty = clean.split_empty(clean.clean_documents(articles))  # an article that was only a dateline
    emptied.append(empty)
    if not batches:
        example = cleaned.head(10)  # the first articles, text and all, for the cells below
    signatures.add(cleaned[C.TEXT])
    batches.append(clean.stage(cleaned, staged))  # the text to disk, the rest of the row kept
documents = io.concat_frames(batches, clean.STAGE_COLUMNS)
del batches
rejected = io.concat_frames([reading.rejected, *emptied], clean.REJECTED_COLUMNS).sort_values(
    [C.FILE, C.LINE], kind="stable", na_position="first", ignore_index=True)
print(f"{len(documents)} articles read, {len(rejected)} rejected, "
      f"{len(reading.ignored)} files ignored (not .txt/.jsonl/.csv): {reading.ignored}")
rejected

# %%
example[[C.DOC_ID, C.TITLE, C.PUBLISHED, C.DATELINE, C.DATELINE_PLACE, C.REPEATS_REMOVED, C.N_WORDS]]

# %%
print(example[C.TEXT].iloc[0][:600] if len(example) else "(no documents)")

# %% [markdown]
# Every character of the cleaned text can be traced back to the raw file: `segments` map spans of the cleaned
# text to character offsets in the decoded raw file (for `.csv`/`.jsonl`, in the record's text field). Here, the
# first words of the cleaned body and where they stand in the raw file:

# %%
from dateline.offsets import to_raw

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
copies = dedup.copies_among(documents, signatures, threshold=dedup_threshold)
documents, merged = dedup.merge_copies(documents, copies)
merged

# %% [markdown]
# ## What this step did
# In = kept + merged + rejected must hold: nothing is lost silently.
#
# Try this: run the bad-input fixture (`make report CORPUS=fixture` after copying `tests/data/fixture` to
# `data/raw/fixture`) and read its `rejected.csv`; or set `dedup_threshold` to 0.5 in `params/<corpus>.yaml` and
# see more articles merged as copies.

# %%
n_in = len(documents) + len(merged) + len(rejected)
summary = pd.DataFrame({"count": {"documents in": n_in, "kept": len(documents), "merged as copies": len(merged),
                                  "rejected": len(rejected),
                                  "datelines found": int((documents[C.DATELINE] != "").sum()),
                                  "repeated paragraphs and sentences removed": int(documents[C.REPEATS_REMOVED].sum()),
                                  "boilerplate lines removed": int(documents[C.BOILERPLATE].str.len().sum()),
                                  "without publication date": int(documents[C.PUBLISHED].isna().sum()),
                                  "with text not in English": int((documents[C.ENGLISH_SHARE] < 1).sum())}})
assert n_in == len(documents) + len(merged) + len(rejected)
if strict and len(rejected):
    raise ValueError(f"strict: {len(rejected)} document(s) rejected:\n{rejected.to_string()}")
summary

# %% [markdown]
# ## Write the outputs
# The kept documents go to `documents.parquet` in doc_id order (their text read back from the staged runs a
# thousand at a time; the copies' rows are skipped) and their segments to `offsets.parquet`.

# %%
io.write_csv(rejected, paths.rejected)
io.write_csv(merged, paths.merged)
io.write_csv(summary.rename_axis("what").reset_index(), paths.summary)
clean.write_documents(staged, documents, paths.documents, paths.offsets)
staged.close()  # the staged file is gone: to run this cell again, run the reading cell first
