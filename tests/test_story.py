"""A story told by many articles (tests/data/story: an invented hurricane, twelve short articles): the landfall
is one row with many sources, and the report's pronouns find their speaker."""
import datetime as dt

import pytest

from dateline import columns as C
from dateline import corpus as corpus_reader
from dateline.steps import clean, entities, narrative, timeline
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def story(ner, parser):
    documents = clean.clean_documents(corpus_reader.read_corpus(ROOT / "tests" / "data" / "story").articles)
    mentions, sentences = entities.extract(ner, documents)
    mentions, _ = entities.canonicalize(mentions, documents)
    _, rows = narrative.extract(parser, documents, sentences, mentions)
    return timeline.merge_across_documents(timeline.assemble(rows, documents))


def test_the_landfall_told_in_other_words_by_many_articles_is_one_row(story):
    groups = timeline.trigger_groups()
    landfall = story[(story[C.START_DATE] == dt.date(2021, 9, 14))
                     & story[C.TRIGGER].map(lambda t: groups.get(t) == groups["landfall"])]
    biggest = landfall.sort_values(C.N_SOURCES, ascending=False).iloc[0]
    # ten articles tell it (made landfall, slammed into, hit, struck, battered), naming the storm "Hurricane Orla",
    # "Orla" or "the storm": one entity, EVENT:Orla
    assert biggest[C.N_SOURCES] >= 9 and "EVENT:Orla" in biggest[C.PARTICIPANTS]
    assert biggest[C.N_SOURCES] == story[C.N_SOURCES].max()


def test_a_speakers_pronoun_is_not_resolved_to_a_name_in_what_was_said(story):
    said = story[(story[C.TRIGGER] == "say") & story[C.DOC_IDS].map(lambda ids: "orla-07" in ids)]
    assert [names for names in said["actor_names"]] == [["Dana Whitfield"]]  # "Orla battered the city, she said"
