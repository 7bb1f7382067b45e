"""The model as the stages load it: the attribute ruler's indexed matching gives what spaCy's Matcher gives, and
the memo lemmatizer the lemmas spaCy's lemmatizer gives."""

from functools import cache

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import nlp

TRICKY = ["I ain't gonna do it, we gotta go.  \n\n Wo n't they?  Y'all can't.", "", " ", "\n\n\t",
          "GONNA GOTTA AIN'T", "He's been there; she'd said it's his, not hers.", "Let's wanna go lemme see."]


def _unannotated(parser, texts):
    with parser.select_pipes(disable=["attribute_ruler", "lemmatizer"]):
        return list(parser.pipe(texts))


def _words(parser) -> list[str]:
    """The words the ruler's patterns name, and a few others, to write sentences from."""
    named = {v for entry in parser.get_pipe("attribute_ruler").patterns for token in entry["patterns"]
             for token_pattern in token for k, v in token_pattern.items() if k == "LOWER" and isinstance(v, str)}
    return sorted(named) + ["the", "company", "said", "Tuesday", "will", "be", "have", "not", ".", ",", "  ", "\n"]


def test_indexed_matches_are_the_matchers_on_the_sample_and_contractions(parser, sample_documents):
    ruler = parser.get_pipe("attribute_ruler")
    indexed = nlp.IndexedRulerMatch(ruler)
    for doc in _unannotated(parser, [*sample_documents["text"], *TRICKY]):
        assert indexed(doc) == ruler.match(doc)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_indexed_matches_are_the_matchers_on_sentences_of_the_patterns_words(parser, data):
    words = data.draw(st.lists(st.sampled_from(_words(parser)), max_size=30))
    capitalised = [w.upper() if data.draw(st.booleans()) else w for w in words]
    ruler = parser.get_pipe("attribute_ruler")
    doc, = _unannotated(parser, [" ".join(capitalised)])
    assert nlp.IndexedRulerMatch(ruler)(doc) == ruler.match(doc)


def test_the_stages_pipeline_annotates_as_the_models_own(sample_documents):
    own = nlp.load(nlp.DEFAULT_MODEL, components=nlp.PARSE_COMPONENTS)
    indexed = nlp.fast_annotation(nlp.load(nlp.DEFAULT_MODEL, components=nlp.PARSE_COMPONENTS))
    texts = [*sample_documents["text"], *TRICKY]
    for a, b in zip(own.pipe(texts), indexed.pipe(texts), strict=True):
        assert [(t.tag_, t.pos_, str(t.morph), t.lemma_) for t in a] == [(t.tag_, t.pos_, str(t.morph), t.lemma_)
                                                                          for t in b]


def test_the_stages_pipelines_multiply_through_numpy_on_one_thread_and_annotate_as_with_blis(sample_documents):
    from threadpoolctl import threadpool_info

    ours = nlp.load(nlp.DEFAULT_MODEL, components=("tok2vec", "tagger", "parser", "ner"))
    assert {(type(node.ops).__name__, node.ops.use_blis) for _, proc in ours.pipeline
            for node in proc.model.walk()} == {("NumpyOps", False)}
    assert {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"} == {1}
    shipped = spacy.load(nlp.DEFAULT_MODEL, exclude=["attribute_ruler", "lemmatizer", "senter"])
    assert shipped.get_pipe("parser").model.ops.use_blis
    assert nlp.load(nlp.DEFAULT_MODEL, components=nlp.NER_COMPONENTS, as_installed=True).get_pipe(
        "ner").model.ops.use_blis  # the benchmarks' bare spaCy
    shipped.tokenizer.infix_finditer = ours.tokenizer.infix_finditer  # the same words: only the products differ
    texts = [*sample_documents["text"], *TRICKY]
    for a, b in zip(ours.pipe(texts), shipped.pipe(texts), strict=True):
        assert [(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in a] == [
            (t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in b]


INFLECTED = ["saw", "left", "better", "best", "running", "ran", "mice", "data", "leaves", "was", "'s", "has", "had",
             "stocks", "fell", "Apple", "Apple's", "made", "landfall", "hurricanes", "struck", "striking", "bought",
             "buys", "companies", "lying", "lied", "lay", "axes", "felt", "found", "founded", "U.S.", "Saturday", "."]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(INFLECTED), min_size=1, max_size=15), min_size=1, max_size=6))
def test_the_memo_lemmatizer_gives_spacys_lemmas_whatever_came_before(sentences):
    own = _own_parser()
    indexed = _stages_parser()
    texts = [" ".join(words) for words in sentences]
    for a, b in zip(own.pipe(texts), indexed.pipe(texts), strict=True):
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b]


@cache
def _own_parser():
    return nlp.load(nlp.DEFAULT_MODEL, components=nlp.PARSE_COMPONENTS)


@cache
def _stages_parser():
    return nlp.fast_annotation(nlp.load(nlp.DEFAULT_MODEL, components=nlp.PARSE_COMPONENTS))


def test_a_ruler_pattern_it_cannot_index_is_refused():
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"ORTH": "x"}]], {"POS": "X"})
    with pytest.raises(ValueError, match="ORTH"):
        nlp.IndexedRulerMatch(ruler)
