"""Stage 03 (``notebooks/03_timeline``): the time expressions, events and timeline of a corpus, from stage 01's
documents and stage 02's sentences and mentions, a thousand documents at a time: the parser runs in the executor's
workers while this process reads the previous batch's events (``narrative.read``), and the events are merged
across documents and ordered on disk (``timeline.EventMerger``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa

from dateline import columns as C
from dateline.config import CorpusPaths
from dateline.executor import Executor, pipeline
from dateline.io import (
    ParquetParts,
    parquet_parts,
    parquet_rows,
    parquet_tables,
    read_parquet,
    write_csv,
    write_parquet,
)
from dateline.nlp import PARSE, batch_vocab, model_id, parsed_doc
from dateline.progress import bar
from dateline.steps import keydates
from dateline.steps.events import Event
from dateline.steps.narrative import plan, read
from dateline.steps.timeline import (
    CSV_ROWS,
    ENTITY_TIMELINE_READS,
    EVENT_SCHEMA,
    EventMerger,
    Written,
    assemble,
    entity_timelines,
    most_active,
    write_timeline,
)

# the columns of documents, sentences and mentions that extraction reads
DOCUMENT_COLUMNS = [C.DOC_ID, C.TITLE, C.TEXT, C.PUBLISHED, C.DATELINE_PLACE]
SENTENCE_COLUMNS = [C.DOC_ID, C.SENT_ID, C.START, C.END]
MENTION_COLUMNS = [C.DOC_ID, C.SENT_ID, C.START, C.END, C.LABEL, C.ENTITY_ID, C.NAME]
DOCUMENTS_PER_BATCH = 1_000  # documents planned, parsed and made rows at a time: memory holds one batch's


class Batch(NamedTuple):
    documents: object  # the batch's rows of documents (a DataFrame)
    timexes: list[dict]
    events: list[Event]


def extract_with(executor: Executor, model: str, batches: Iterable[tuple], *, total: int
                 ) -> Iterator[Batch]:
    """``extract`` through an executor (this process, or a Dask cluster) and its cache of parses by content, one
    batch of ``(documents, sentences, mentions)`` at a time (``document_batches`` of frames in memory,
    ``stored_batches`` of the stage files), so that only one batch's parses and rows are in memory as Python
    objects; ``total`` is the number of documents, for the progress bar. The workers parse the next batch while
    this process makes a batch's rows (``Executor.ahead``): one more batch's documents, sentences and mentions
    are held for it."""
    vocab = None
    planned = ((docs, plan(docs, sents, ments)) for docs, sents, ments in batches)
    to_parse = (((docs, work), [text for *_, text in work.parse]) for docs, work in planned)
    with bar(total=total, desc="timeline") as shown:
        for (docs, work), results in executor.ahead(PARSE, model, to_parse):
            vocab = batch_vocab(pipeline(PARSE, model).vocab, vocab)
            yield Batch(docs, *read(docs, work, (parsed_doc(data, vocab) for data in results)))
            shown.update(len(docs))


def document_batches(documents, sentences, mentions, size: int = DOCUMENTS_PER_BATCH):
    """``(documents, sentences, mentions)`` of consecutive runs of ``size`` documents, rows in their frames' order.

    Each frame is grouped once (not filtered once per batch), so the cost stays linear in the corpus."""
    if len(documents) <= size:
        yield documents, sentences, mentions
        return
    batch_of = dict(zip(documents[C.DOC_ID], np.arange(len(documents)) // size, strict=True))
    rows = [frame.groupby(frame[C.DOC_ID].map(batch_of), sort=False).indices for frame in (sentences, mentions)]
    none = np.array([], dtype=np.intp)
    for number, first in enumerate(range(0, len(documents), size)):
        yield (documents.iloc[first:first + size], sentences.iloc[rows[0].get(number, none)],
               mentions.iloc[rows[1].get(number, none)])


def stored_batches(documents: Path, sentences: Path, mentions: Path, size: int = DOCUMENTS_PER_BATCH):
    """``document_batches`` read from the stage files (documents.parquet, sentences.parquet, mentions.parquet) a
    batch at a time: the documents in file order, each batch's sentences and mentions picked by doc_id as they are
    read (files written in doc_id order, as stages 01 and 02 write them, decode a row group or two per batch), so
    memory holds one batch of the corpus, not the corpus."""
    for docs in parquet_parts(documents, DOCUMENT_COLUMNS, rows=size):
        ids = {C.DOC_ID: docs[C.DOC_ID]}
        yield (docs, read_parquet(sentences, SENTENCE_COLUMNS, where=ids),
               read_parquet(mentions, MENTION_COLUMNS, where=ids))


TIMEX_SCHEMA = pa.schema([(C.DOC_ID, pa.large_string()), (C.SENT_ID, pa.int64()), (C.START, pa.int64()),
                          (C.END, pa.int64()), (C.TEXT, pa.large_string()), (C.TYPE, pa.large_string()),
                          (C.VALUE, pa.large_string()), (C.MOD, pa.large_string())])


TIMEX_COLUMNS = TIMEX_SCHEMA.names


def collect(batches: Iterable[Batch], write_timexes: Callable[[pd.DataFrame], None],
            write_events: Callable[[pa.Table], None]) -> None:
    """The events of ``extract_with``'s batches, assembled (``assemble``) but not yet merged across
    documents nor ordered, to ``write_events`` a batch at a time as an Arrow table (``EVENT_SCHEMA``; an
    ``EventMerger``'s ``add``); each batch's time expressions go to ``write_timexes`` as they come (an
    ``io.ParquetParts``' ``write``): in the documents' order (stage 01 sorts them by doc_id), then by offsets.
    Neither is ever all in memory."""
    for batch in batches:
        timexes = pd.DataFrame(batch.timexes, columns=TIMEX_COLUMNS)
        position = timexes[C.DOC_ID].map({doc_id: i for i, doc_id in enumerate(batch.documents[C.DOC_ID])})
        write_timexes(timexes.assign(_position=position).sort_values(["_position", C.START, C.END], kind="stable")
                      .drop(columns="_position").reset_index(drop=True))
        write_events(pa.Table.from_pandas(assemble(batch.events, batch.documents), schema=EVENT_SCHEMA,
                                          preserve_index=False).replace_schema_metadata())


def _names(entities: pd.DataFrame, entity_ids: list[str]) -> list[str]:
    names = dict(zip(entities[C.ENTITY_ID], entities[C.NAME], strict=True))
    return [names.get(entity_id, entity_id) for entity_id in entity_ids]


@dataclass
class TimelineRun:
    """What ``run`` wrote: the model, the number of time expressions, the timeline's counts (``Written``), the
    entity timelines, the key dates, and the executor's counts of sentences parsed and found in the cache."""
    model: str
    timexes: int
    written: Written
    entity_timelines: pd.DataFrame
    key_dates: pd.DataFrame
    parses: dict


def key_dates(paths: CorpusPaths, count: int = 0, *, leading: list[tuple[str, str]] = ()) -> pd.DataFrame:
    """The key dates of a built corpus (``keydates.KeyDates``), from its events.parquet read in timeline order and
    its documents' publication dates; ``count`` 0: as many as the news period calls for. A corpus that is not one
    story (``keydates.is_story``) gets instead ``keydates.ENTITY_DATES`` for each of the ``leading`` entities
    (``(entity_id, name)``, in their order)."""
    period = keydates.news_period(d for part in parquet_parts(paths.documents, [C.PUBLISHED], rows=CSV_ROWS)
                                  for d in part[C.PUBLISHED])  # a set of days is held, not a date per document
    story = keydates.KeyDates(period)
    entities = [keydates.KeyDates(period, about=entity) for entity in leading]
    for part in parquet_parts(paths.events, keydates.EVENT_COLUMNS, rows=CSV_ROWS):
        # only dated events count (``KeyDates.add``), and each entity's chooser is given only its own events
        records = part[part[C.VALUE].notna() & (part[C.VALUE] != "") & part[C.START_DATE].notna()].to_dict("records")
        story.add(records)
        own: dict[str, list[dict]] = {entity_id: [] for entity_id, _ in leading}
        for record in records:
            for entity_id in own.keys() & set(record[C.PARTICIPANTS]):
                own[entity_id].append(record)
        for chooser, (entity_id, _) in zip(entities, leading, strict=True):
            chooser.add(own[entity_id])
    chosen = story.chosen(count)
    if keydates.is_story(chosen, parquet_rows(paths.documents)) or not entities:
        return chosen
    return pd.concat([chooser.chosen(keydates.ENTITY_DATES) for chooser in entities], ignore_index=True)


def run(paths: CorpusPaths, executor: Executor, *, model: str, top_entities: int, key_date_count: int = 0
        ) -> TimelineRun:
    """Stage 03 over a corpus's files: timexes.parquet (as they come, in document order), events.parquet and
    timeline.csv (the events merged across documents and put in order on disk, a trigger group at a time),
    entity_timelines.parquet for the ``top_entities`` that take part in the most events, and key_dates.csv
    (``key_date_count`` of them; 0: as many as the news period calls for)."""
    meta = {"model": model_id(pipeline(PARSE, model))}
    batches = extract_with(executor, model, stored_batches(paths.documents, paths.sentences, paths.mentions),
                           total=parquet_rows(paths.documents))
    merger = EventMerger(dir=paths.processed)
    with ParquetParts(paths.timexes, TIMEX_SCHEMA, metadata=meta) as timexes_file:
        collect(batches, timexes_file.write, merger.add)
    written = write_timeline(merger.merged(), paths.events, paths.timeline_csv, metadata=meta)
    names = read_parquet(paths.entities, columns=[C.ENTITY_ID, C.NAME])
    lines = entity_timelines(parquet_tables(paths.events, ENTITY_TIMELINE_READS, rows=CSV_ROWS), names,
                             most_active(written.participants, top_entities))
    write_parquet(lines, paths.entity_timelines, metadata=meta)
    leading = most_active(written.participants, keydates.LEADING_ENTITIES)
    dates = key_dates(paths, key_date_count, leading=[(e, n) for e, n in zip(leading, _names(names, leading),
                                                                             strict=True)])
    write_csv(keydates.to_csv_frame(dates), paths.key_dates)
    return TimelineRun(meta["model"], timexes_file.rows, written, lines, dates, dict(executor.stats))
