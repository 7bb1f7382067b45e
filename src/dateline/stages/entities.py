"""Stage 02 (``notebooks/02_entities``): the sentences, name mentions, canonical entities and co-occurrences of a
corpus, from stage 01's documents, a thousand documents at a time: NER runs in the executor's workers (and its
cache), each batch's mentions are resolved within their documents and staged on disk, then read back a chunk of
whole documents at a time to be resolved across the corpus (``entities.resolve_names``), written and counted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from dateline import columns as C
from dateline.config import CorpusPaths
from dateline.executor import Executor, pipeline
from dateline.io import (
    ParquetParts,
    SortedRuns,
    parquet_parts,
    parquet_rows,
    read_parquet,
    whole_runs,
    write_table,
)
from dateline.nlp import model_id
from dateline.progress import bar
from dateline.steps.entities import (
    COOCCURRENCE_SCHEMA,
    NER,
    CorpusNames,
    EntityStats,
    acronym_definitions,
    frames_of,
    full_people_names,
    label_votes,
    ner_result,
    pair_row,
    resolve_documents,
    resolve_names,
    sentence_pairs,
)
from dateline.steps.offsets import add_raw_offsets

_TEXT, _INT = pa.large_string(), pa.int64()

_PAIR_SCHEMA = pa.schema([(C.ENTITY_A, _TEXT), (C.ENTITY_B, _TEXT), (C.DOC_ID, _TEXT)])
_RANKED_PAIR_SCHEMA = COOCCURRENCE_SCHEMA.append(pa.field("_minus_count", _INT))
PAIR_ROWS = 50_000  # pair rows read back at a time by ``Cooccurrences.write``


class Cooccurrences:
    """``cooccurrence`` of mentions given a chunk at a time (``add``; each sentence's mentions all in one chunk,
    the documents in order), without holding the pairs: each sentence's pairs go to a temporary file in ``dir``
    sorted by pair (``io.SortedRuns``); ``write`` reads them back a pair at a time, counts them, and sorts the
    counted pairs by count through a second set of runs into cooccurrence.parquet."""

    def __init__(self, *, dir: str | Path) -> None:
        self.dir = Path(dir)
        self._runs = SortedRuns([C.ENTITY_A, C.ENTITY_B], _PAIR_SCHEMA, dir=dir, group_rows=1_000)

    def add(self, mentions: pd.DataFrame) -> None:
        a, b, docs = [], [], []
        for entity_a, entity_b, pair_docs in sentence_pairs(mentions):
            a += [entity_a] * len(pair_docs)
            b += [entity_b] * len(pair_docs)
            docs += pair_docs
        self._runs.write(pa.table([a, b, docs], schema=_PAIR_SCHEMA))

    def write(self, path: str | Path, *, metadata: dict[str, str] | None = None) -> int:
        """Write the pairs to ``path`` as ``cooccurrence`` gives them (atomically); return how many."""
        ranked = SortedRuns(["_minus_count", C.ENTITY_A, C.ENTITY_B], _RANKED_PAIR_SCHEMA, dir=self.dir,
                            group_rows=1_000)
        try:
            rows: list[dict] = []
            pair, docs = None, []
            for chunk in self._runs.sorted(rows=PAIR_ROWS):
                for a, b, doc in zip(*(chunk[c].to_pylist() for c in _PAIR_SCHEMA.names), strict=True):
                    if (a, b) != pair:
                        if pair is not None:
                            rows.append(pair_row(*pair, docs))
                        pair, docs = (a, b), []
                    docs.append(doc)
                ranked.write(_ranked(rows))
                rows = []
            if pair is not None:
                ranked.write(_ranked([pair_row(*pair, docs)]))
            self._runs.close()
            with ParquetParts(path, COOCCURRENCE_SCHEMA, metadata=metadata) as out:
                for part in ranked.sorted(rows=PAIR_ROWS):
                    out.write(part.drop_columns(["_minus_count"]))
            return out.rows
        finally:
            ranked.close()


def _ranked(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COOCCURRENCE_SCHEMA.names)
    return frame.assign(_minus_count=-frame[C.COUNT].astype("int64"))


def extract_with(executor: Executor, model: str, documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``extract`` through an executor (this process, or a Dask cluster) and its cache of results by content."""
    results = executor.run(NER, model, documents[C.TEXT])
    return frames_of(documents, (ner_result(data) for data in results))


DOCUMENTS_PER_BATCH = 1_000  # documents read, run and resolved at a time by ``extract_stored``
MENTION_ROWS = 50_000  # mentions read back and resolved at a time by ``resolve_stored``


@dataclass
class Stored:
    """What ``extract_stored`` leaves for ``resolve_stored``: the mentions resolved within their documents, on disk
    in doc_id order; the corpus's full PERSON names by surname; its names' label votes; each document's
    publication date."""
    mentions: SortedRuns
    people: dict[str, set[str]] = field(default_factory=dict)
    votes: dict[str, Counter] = field(default_factory=dict)
    acronyms: dict[str, Counter] = field(default_factory=dict)
    published: dict = field(default_factory=dict)


def extract_stored(executor: Executor, model: str, documents: Path, offsets: Path,
                   write_sentences: Callable[[pd.DataFrame], None], *, dir: str | Path,
                   size: int = DOCUMENTS_PER_BATCH) -> Stored:
    """``extract_with`` and ``resolve_documents`` over stage 01's files, ``size`` documents at a time, so that
    neither the corpus's text nor its mentions are ever all in memory: the documents (documents.parquet: doc_id,
    text, published) are read a batch at a time, each batch's sentences go to ``write_sentences`` (an
    ``io.ParquetParts``' ``write``), and its mentions, with their offsets in the raw files (offsets.parquet), to a
    temporary file in ``dir`` (``io.SortedRuns``) for ``resolve_stored``."""
    total = parquet_rows(documents)
    stored = Stored(SortedRuns(C.DOC_ID, STORED_MENTION_SCHEMA, dir=dir, group_rows=1_000))
    batches = ((docs, docs[C.TEXT]) for docs in parquet_parts(documents, [C.DOC_ID, C.TEXT, C.PUBLISHED], rows=size))
    with bar(total=total, desc="entities") as shown:
        for docs, results in executor.ahead(NER, model, batches, total=total):  # the next batch's NER runs meanwhile
            found, sents = frames_of(docs, (ner_result(data) for data in results), show_progress=False)
            raw = read_parquet(offsets, where={C.DOC_ID: docs[C.DOC_ID]})
            found = add_raw_offsets(resolve_documents(found, docs), raw)
            stored.mentions.write(found)
            full_people_names(found[C.NAME], found[C.LABEL], into=stored.people)
            label_votes(found[C.NAME], found[C.LABEL], into=stored.votes)
            acronym_definitions(found, dict(zip(docs[C.DOC_ID], docs[C.TEXT], strict=True)), into=stored.acronyms)
            write_sentences(sents)
            stored.published.update(zip(docs[C.DOC_ID], docs[C.PUBLISHED], strict=True))
            shown.update(len(docs))
    return stored


def resolve_stored(stored: Stored, write_mentions: Callable[[pd.DataFrame], None],
                   count_pairs: Callable[[pd.DataFrame], None]) -> pd.DataFrame:
    """``resolve_corpus`` of ``extract_stored``'s mentions, read back ``MENTION_ROWS`` at a time (whole
    documents): each chunk's names resolved across documents with the corpus's people (``resolve_names``), written
    to ``write_mentions`` (mentions.parquet), given to ``count_pairs`` (``Cooccurrences.add``) and counted into the
    entities table (``EntityStats``), which is returned. The temporary file goes."""
    stats = EntityStats(stored.published)
    corpus = CorpusNames.of(stored.people, stored.votes, stored.acronyms)
    try:
        for chunk in whole_runs(stored.mentions.sorted(rows=MENTION_ROWS), C.DOC_ID):
            mentions = resolve_names(chunk.to_pandas(), corpus)
            write_mentions(mentions)
            count_pairs(mentions)
            stats.add(mentions)
    finally:
        stored.mentions.close()
    return stats.table()


SENTENCE_SCHEMA = pa.schema([(C.DOC_ID, _TEXT), (C.SENT_ID, _INT), (C.START, _INT), (C.END, _INT)])  # sentences.parquet
STORED_MENTION_SCHEMA = pa.schema([(C.DOC_ID, _TEXT), (C.SENT_ID, _INT), (C.START, _INT), (C.END, _INT),
                                   (C.TEXT, _TEXT), (C.LABEL, _TEXT), (C.NAME, _TEXT), (C.RAW_START, _INT),
                                   (C.RAW_END, _INT)])


MENTION_SCHEMA = pa.schema([*STORED_MENTION_SCHEMA][:7] + [pa.field(C.ENTITY_ID, _TEXT), pa.field(C.RESOLVED_BY, _TEXT)]
                           + [*STORED_MENTION_SCHEMA][7:])  # mentions.parquet


def entities_table(table: pd.DataFrame) -> pa.Table:
    """The entities table as Arrow, its list columns typed as lists of strings even when every list is empty."""
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    for column in (C.ALIASES, C.MERGED):
        arrow = arrow.set_column(arrow.schema.get_field_index(column), column,
                                 arrow[column].cast(pa.list_(pa.string())))
    return arrow


@dataclass
class EntitiesRun:
    """What ``run`` wrote: the model, how many documents, sentences, mentions and co-occurring pairs, the entities
    table, and the executor's counts of texts run through the model and found in the cache."""
    model: str
    documents: int
    sentences: int
    mentions: int
    entities: pd.DataFrame
    pairs: int
    texts: dict


def run(paths: CorpusPaths, executor: Executor, *, model: str) -> EntitiesRun:
    """Stage 02 over a corpus's files: sentences.parquet (as they come), mentions.parquet (resolved across the
    corpus, in doc_id order), cooccurrence.parquet and entities.parquet."""
    meta = {"model": model_id(pipeline(NER, model))}
    with ParquetParts(paths.sentences, SENTENCE_SCHEMA, metadata=meta) as sentences_file:
        stored = extract_stored(executor, model, paths.documents, paths.offsets, sentences_file.write,
                                dir=paths.processed)
    pairs = Cooccurrences(dir=paths.processed)  # pairs of entities named in one sentence, staged on disk
    with ParquetParts(paths.mentions, MENTION_SCHEMA, metadata=meta) as mentions_file:
        table = resolve_stored(stored, mentions_file.write, pairs.add)
    n_pairs = pairs.write(paths.cooccurrence, metadata=meta)
    write_table(entities_table(table), paths.entities, metadata=meta)
    return EntitiesRun(meta["model"], len(stored.published), sentences_file.rows, mentions_file.rows, table, n_pairs,
                       dict(executor.stats))
