"""Syndicated copies across documents: exact and near-duplicates found with MinHash LSH, each story kept once.

Needs doc_id, text, published, source; adds copies, merged_ids and sources to the kept rows.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd
from datasketch import MinHash, MinHashLSH

from dateline import columns as C

_RE_WORD = re.compile(r"\w+")


def shingles(text: str, *, k: int = 5) -> set[bytes]:
    """Word k-shingles of ``text``, lower-cased (a short text is one shingle)."""
    words = _RE_WORD.findall(text.lower())
    if len(words) <= k:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def minhash(text: str, *, num_perm: int = 128, k: int = 5) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=1)
    m.update_batch(list(shingles(text, k=k)))
    return m


def find_copies(documents: pd.DataFrame, *, threshold: float = 0.8, num_perm: int = 128) -> dict[str, str]:
    """Map each duplicate's doc_id to the doc_id of the copy that is kept.

    The kept copy of a group is the earliest published (then the smallest doc_id). Candidates come from LSH
    buckets, and each is confirmed by its estimated Jaccard similarity, so there is no all-pairs comparison.
    """
    order = documents.assign(_missing=documents[C.PUBLISHED].isna()).sort_values(
        ["_missing", C.PUBLISHED, C.DOC_ID], kind="stable")
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    exact: dict[str, str] = {}
    hashes: dict[str, MinHash] = {}
    kept_of: dict[str, str] = {}
    for doc_id, text in zip(order[C.DOC_ID], order[C.TEXT], strict=True):
        digest = hashlib.sha256(" ".join(text.split()).encode()).hexdigest()
        if digest in exact:
            kept_of[doc_id] = exact[digest]
            continue
        m = minhash(text, num_perm=num_perm)
        matches = sorted(c for c in lsh.query(m) if hashes[c].jaccard(m) >= threshold)
        if matches:
            kept_of[doc_id] = matches[0]
            continue
        exact[digest] = doc_id
        hashes[doc_id] = m
        lsh.insert(doc_id, m)
    return kept_of


def merge_copies(documents: pd.DataFrame, copies: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop the copies, recording them on the kept rows; return ``(kept, merged)``.

    ``merged`` lists each dropped copy with the doc_id it was merged into.
    """
    is_copy = documents[C.DOC_ID].isin(copies)
    merged = documents.loc[is_copy, [C.DOC_ID, C.FILE, C.LINE, C.SOURCE]].assign(
        merged_into=lambda d: d[C.DOC_ID].map(copies))
    groups = merged.groupby("merged_into", sort=True)
    kept = documents.loc[~is_copy].copy()
    ids = groups[C.DOC_ID].agg(lambda s: sorted(s))
    kept[C.MERGED_IDS] = kept[C.DOC_ID].map(ids).apply(lambda v: v if isinstance(v, list) else [])
    kept[C.COPIES] = kept[C.MERGED_IDS].str.len().astype("int64")
    copy_sources = groups[C.SOURCE].agg(lambda s: sorted({x for x in s if x}))
    kept[C.SOURCES] = [
        sorted({src} - {""} | set(copy_sources.get(doc_id, [])))
        for doc_id, src in zip(kept[C.DOC_ID], kept[C.SOURCE], strict=True)
    ]
    return kept.reset_index(drop=True), merged.reset_index(drop=True)
