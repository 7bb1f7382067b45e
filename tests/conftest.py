"""Shared fixtures: the bundled sample corpus and the installed spaCy model (offline, from the venv)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dateline import clean, entities, nlp
from dateline import corpus as corpus_reader

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
    from dateline import entities, narrative, timeline

    mentions, sentences = entities.extract(ner, sample_documents)
    mentions, table = entities.canonicalize(mentions, sample_documents)
    timexes, rows = narrative.extract(parser, sample_documents, sentences, mentions)
    return timeline.merge_across_documents(timeline.assemble(rows, sample_documents)), table
