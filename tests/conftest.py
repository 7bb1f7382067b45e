"""Shared fixtures: the bundled sample corpus and the installed spaCy model (offline, from the venv)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dateline import corpus as corpus_reader
from dateline import nlp
from dateline.nlp import DEFAULT_MODEL
from dateline.stages import entities as entities_stage
from dateline.stages import timeline as timeline_stage
from dateline.steps import clean, entities, narrative
from dateline.tools import evaluation

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "data" / "fixture"
SAMPLE_DCT = dt.date(2015, 3, 25)


@pytest.fixture(scope="session")
def sample_documents():
    reading = corpus_reader.read_corpus(ROOT / "data" / "raw" / "tikrit")
    return clean.clean_documents(reading.articles)


@pytest.fixture(scope="session")
def ner():
    return entities.add_alias_ruler(nlp.load(nlp.DEFAULT_MODEL, components=nlp.NER_COMPONENTS))


@pytest.fixture(scope="session")
def parser():
    return nlp.load(nlp.DEFAULT_MODEL, components=nlp.PARSE_COMPONENTS)


@pytest.fixture(scope="session")
def sample_events(sample_documents, ner, parser):
    """The sample's events merged and ordered, with its entity table."""
    from dateline.steps import entities, narrative, timeline

    mentions, sentences = entities.extract(ner, sample_documents)
    mentions, table = entities.canonicalize(mentions, sample_documents)
    timexes, rows = narrative.extract(parser, sample_documents, sentences, mentions)
    return timeline.merge_across_documents(timeline.assemble(rows, sample_documents)), table


@pytest.fixture(scope="session")
def wikinews_corpus() -> pd.DataFrame:
    """The bundled Wikinews corpus, cleaned as stage 01 cleans it (read once for the whole session)."""
    return evaluation.corpus_documents("wikinews", root=ROOT)


@pytest.fixture(scope="session")
def wikinews_documents(wikinews_corpus) -> pd.DataFrame:
    """Its first 12 articles: enough for every kind of row, quick to run through the NLP."""
    return wikinews_corpus.head(12).reset_index(drop=True)


@pytest.fixture(scope="session")
def reference(wikinews_documents, ner, parser):
    """Stages 02 and 03 on ``wikinews_documents`` in this process, with the pipelines loaded directly: what every
    executor must give."""
    mentions, sentences = entities.extract(ner, wikinews_documents)
    canonical, _ = entities.canonicalize(mentions, wikinews_documents)
    result = (mentions, sentences, narrative.extract(parser, wikinews_documents, sentences, canonical))
    assert len(result[2][1]) > 10
    return result


# Stages 02 and 03 as their runners run them, on any executor (``executor.Executor``)

def stage_rows(batches):
    """The rows of ``timeline_stage.extract_with``'s batches, as ``narrative.extract`` returns them."""
    timexes, rows = [], []
    for batch in batches:
        timexes += batch.timexes
        rows += batch.events
    return timexes, rows


def extract_events(runner, documents, sentences, mentions, size=timeline_stage.DOCUMENTS_PER_BATCH):
    batches = timeline_stage.document_batches(documents, sentences, mentions, size)
    return timeline_stage.extract_with(runner, DEFAULT_MODEL, batches, total=len(documents))


def stage_outputs(runner, documents):
    mentions, sentences = entities_stage.extract_with(runner, DEFAULT_MODEL, documents)
    canonical, _ = entities.canonicalize(mentions, documents)
    return mentions, sentences, stage_rows(extract_events(runner, documents, sentences, canonical))


def assert_same_outputs(a, b):
    pd.testing.assert_frame_equal(a[0], b[0])
    pd.testing.assert_frame_equal(a[1], b[1])
    assert a[2] == b[2]
