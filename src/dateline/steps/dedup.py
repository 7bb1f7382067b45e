"""Syndicated copies across documents: exact and near-duplicates found with MinHash LSH, each story kept once.

Needs doc_id, text, published, source; adds copies, merged_ids and sources to the kept rows.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import zlib
from collections.abc import Iterable
from functools import cache

import numpy as np
import pandas as pd
from datasketch import MinHash, MinHashLSH

from dateline import columns as C

_RE_WORD = re.compile(r"\w+")
_MULTIPLIER = np.uint64(1_000_003)
_MASK32 = np.uint64(0xFFFFFFFF)


def shingle_hashes(texts: list[str], *, k: int = 5) -> list[list[int]]:
    """32-bit hashes of the word k-shingles of each text (a text of k words or fewer is one shingle).

    Each word is hashed once with CRC-32 and each run of k word hashes combined polynomially, for all texts at
    once with numpy: the same values on every run and machine, and far cheaper than hashing joined shingles.
    """
    word_lists = [_RE_WORD.findall(t.lower()) for t in texts]
    lengths = np.array([len(w) for w in word_lists], dtype=np.int64)
    hashes = np.array(list(map(_WORD_HASHES.__getitem__, itertools.chain.from_iterable(word_lists))),
                      dtype=np.uint64)
    hashes = np.concatenate([hashes, np.zeros(k, dtype=np.uint64)])  # padding for the last window
    combined = np.zeros(len(hashes) - k, dtype=np.uint64)
    for j in range(k):
        combined = (combined * _MULTIPLIER + hashes[j : j + len(combined)]) & _MASK32
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]) if len(texts) else np.array([], dtype=np.int64)
    out = []
    for start, n in zip(starts.tolist(), lengths.tolist(), strict=True):
        if n <= k:  # one shingle of all the words: recompute it without the padding or the next text's words
            value = 0
            for h in hashes[start : start + n].tolist():
                value = (value * 1_000_003 + h) & 0xFFFFFFFF
            out.append([value])
        else:
            out.append(combined[start : start + n - k + 1].tolist())
    return out


class _WordHashes(dict):
    """CRC-32 of each word, computed once per distinct word (a dict lookup is far cheaper than hashing)."""

    def __missing__(self, word: str) -> int:
        value = self[word] = zlib.crc32(word.encode())
        return value


_WORD_HASHES = _WordHashes()


@cache
def _template(num_perm: int) -> MinHash:
    return MinHash(num_perm=num_perm, seed=1)


def _identity(value: int) -> int:
    return value


def minhash(hashes: list[int], *, num_perm: int = 64) -> MinHash:
    """The MinHash of a text's shingle hashes (permutations drawn once per size and shared: same seed, same
    result)."""
    template = _template(num_perm)
    m = MinHash(num_perm=num_perm, seed=1, hashfunc=_identity, permutations=template.permutations,
                scheme=template.scheme)
    m.update_batch(hashes)
    return m


_SHINGLE_BATCH = 1000  # texts whose word shingles are hashed at once


class Signatures:
    """What ``copies_among`` compares, gathered a batch of texts at a time (``add``) so the texts need not be
    held: each text's digest (sha256 of its words, for exact copies) and MinHash (``num_perm`` 32-bit values),
    288 bytes a text in two arrays."""

    def __init__(self, *, num_perm: int = 64):
        self.num_perm = num_perm
        self._digests: list[np.ndarray] = []
        self._values: list[np.ndarray] = []

    def add(self, texts: Iterable[str]) -> None:
        texts = iter(texts)
        while chunk := list(itertools.islice(texts, _SHINGLE_BATCH)):  # memory does not grow with the batch
            self._digests.append(np.array([hashlib.sha256(" ".join(text.split()).encode()).digest()
                                           for text in chunk], dtype="S32"))
            self._values.append(np.array([minhash(h, num_perm=self.num_perm).hashvalues
                                          for h in shingle_hashes(chunk)], dtype=np.uint32))  # all below 2**32

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The digests (one per text, in the order added) and the MinHash values (a row per text)."""
        if len(self._digests) != 1:
            self._digests = [np.concatenate([np.empty(0, dtype="S32"), *self._digests])]
            self._values = [np.concatenate([np.empty((0, self.num_perm), dtype=np.uint32), *self._values])]
        return self._digests[0], self._values[0]


def find_copies(documents: pd.DataFrame, *, threshold: float = 0.8, num_perm: int = 64) -> dict[str, str]:
    """Map each duplicate's doc_id to the doc_id of the copy that is kept (see ``copies_among``)."""
    signatures = Signatures(num_perm=num_perm)
    signatures.add(documents[C.TEXT])
    return copies_among(documents, signatures, threshold=threshold)


def copies_among(documents: pd.DataFrame, signatures: Signatures, *, threshold: float = 0.8) -> dict[str, str]:
    """Map each duplicate's doc_id to the doc_id of the copy that is kept, from the ``signatures`` of the texts of
    ``documents`` (doc_id, published; in the order they were added).

    The kept copy of a group is the earliest published (then the smallest doc_id). Candidates come from LSH
    buckets, and each is confirmed by its estimated Jaccard similarity, so there is no all-pairs comparison. The
    buckets are datasketch's (``MinHashLSH``'s bands for ``threshold``: texts whose MinHash values are equal over a
    band's rows), found for all texts at once by sorting (``_buckets``): only kept texts that share a bucket with
    another text are indexed, where ``MinHashLSH`` holds a set per bucket and band of every kept text (76 MB at
    44,852 Reuters articles; the stage's peak there went from 410 to 372 MB).
    """
    keys = pd.DataFrame({"_missing": documents[C.PUBLISHED].isna().to_numpy(),
                         C.PUBLISHED: documents[C.PUBLISHED].to_numpy(), C.DOC_ID: documents[C.DOC_ID].to_numpy()})
    order = keys.sort_values(["_missing", C.PUBLISHED, C.DOC_ID], kind="stable").index.to_numpy()  # positions
    doc_ids, (digests, values), num_perm = keys[C.DOC_ID].to_numpy(), signatures.arrays(), signatures.num_perm
    if len(digests) != len(doc_ids):
        raise ValueError(f"{len(digests)} signatures for {len(doc_ids)} documents: add every text once, in order")
    text_of = np.unique(digests, return_inverse=True)[1]  # the same number for texts equal word for word
    buckets = _buckets(values, _bands(threshold, num_perm))
    shared = np.stack([np.bincount(band)[band] > 1 for band in buckets]) if len(doc_ids) else buckets.astype(bool)
    may_match = shared.any(axis=0)  # texts that share a bucket with another text: the only ones with candidates
    kept_rows: dict[str, np.ndarray] = {}  # kept doc_id that shares a bucket -> its MinHash values
    index: dict[tuple[int, int], list[str]] = {}  # (band, bucket) -> its kept doc_ids, for shared buckets
    resolved: dict[int, str] = {}  # text number -> the kept doc_id its first occurrence resolved to
    kept_of: dict[str, str] = {}
    for position in order.tolist():
        doc_id, text = doc_ids[position], int(text_of[position])
        if text in resolved:  # exact copy
            kept_of[doc_id] = resolved[text]
            continue
        if not may_match[position]:
            resolved[text] = doc_id
            continue
        row = values[position]
        in_buckets = [(band, int(buckets[band, position])) for band in np.flatnonzero(shared[:, position]).tolist()]
        candidates = {c for bucket in in_buckets for c in index.get(bucket, ())}
        matches = sorted(c for c in candidates
                         if np.count_nonzero(kept_rows[c] == row) / num_perm >= threshold)  # MinHash.jaccard
        if matches:  # near copy
            kept_of[doc_id] = resolved[text] = matches[0]
            continue
        resolved[text] = doc_id
        kept_rows[doc_id] = row
        for bucket in in_buckets:
            index.setdefault(bucket, []).append(doc_id)
    return kept_of


@cache
def _bands(threshold: float, num_perm: int) -> list[tuple[int, int]]:
    """The rows of each LSH band: datasketch's choice of b bands of r rows for ``threshold`` (the one that weighs
    false positives and negatives equally)."""
    return MinHashLSH(threshold=threshold, num_perm=num_perm).hashranges


def _buckets(values: np.ndarray, bands: list[tuple[int, int]]) -> np.ndarray:
    """(band, text) -> the text's bucket in that band: the same number for texts with the same values over the
    band's rows."""
    out = np.empty((len(bands), len(values)), dtype=np.int64)
    for band, (lo, hi) in enumerate(bands):
        rows = np.ascontiguousarray(values[:, lo:hi])
        whole = rows.view(np.dtype((np.void, rows.dtype.itemsize * (hi - lo)))).ravel()  # a band's values as one
        out[band] = np.unique(whole, return_inverse=True)[1].ravel()
    return out


def merge_copies(documents: pd.DataFrame, copies: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop the copies, recording them on the kept rows; return ``(kept, merged)``.

    ``merged`` lists each dropped copy with the doc_id it was merged into.
    """
    is_copy = documents[C.DOC_ID].isin(copies)
    merged = documents.loc[is_copy, [C.DOC_ID, C.FILE, C.LINE, C.SOURCE]].assign(
        merged_into=lambda d: d[C.DOC_ID].map(copies))
    groups = merged.groupby("merged_into", sort=True)
    kept = documents.loc[~is_copy]
    ids = groups[C.DOC_ID].agg(lambda s: sorted(s))
    kept[C.MERGED_IDS] = [ids.get(doc_id, []) for doc_id in kept[C.DOC_ID]]
    kept[C.COPIES] = pd.array([len(v) for v in kept[C.MERGED_IDS]], dtype="int64")
    copy_sources = groups[C.SOURCE].agg(lambda s: sorted({x for x in s if x}))
    kept[C.SOURCES] = [
        sorted({src} - {""} | set(copy_sources.get(doc_id, [])))
        for doc_id, src in zip(kept[C.DOC_ID], kept[C.SOURCE], strict=True)
    ]
    return kept.reset_index(drop=True), merged.reset_index(drop=True)
