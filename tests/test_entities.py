import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import columns as C
from dateline.stages import entities as entities_stage
from dateline.steps import entities


@pytest.mark.parametrize("text, label, name", [
    ("the United States", "GPE", "United States"),
    ("U.S.", "GPE", "United States"),
    ("IS group", "ORG", "Islamic State"),
    ("Islamic State group", "ORG", "Islamic State"),
    ("ISIL", "ORG", "Islamic State"),
    ("Gen. Qassem Soleimani", "PERSON", "Qassem Soleimani"),
    ("Saddam Hussein's", "PERSON", "Saddam Hussein"),
    ("President  Volodymyr Zelensky", "PERSON", "Volodymyr Zelensky"),
    ("The Hague", "GPE", "Hague"),
    ("Superintendent Jane Doe", "PERSON", "Jane Doe"),
    ("Mr Justice Mann", "PERSON", "Mann"),
    ("the U.S. Senate", "ORG", "United States Senate"),  # a dotted place abbreviation starting a name, written out
    ("US Airways", "ORG", "US Airways"),  # not an undotted one: a company's name is its own
])
def test_canonical_name(text, label, name):
    assert entities.canonical_name(text, label) == name


def _mentions(rows):
    return pd.DataFrame([{C.DOC_ID: "d", C.SENT_ID: i, C.START: s, C.END: e, C.TEXT: t, C.LABEL: lab}
                         for i, (s, e, t, lab) in enumerate(rows)])


def test_surname_and_acronym_resolve_to_the_earlier_long_form():
    text = "Gen. Qassem Soleimani met the Federal Security Service (FSB). Soleimani and the FSB agreed."
    rows = [(text.index(t), text.index(t) + len(t), t, lab) for t, lab in
            [("Qassem Soleimani", "PERSON"), ("Federal Security Service", "ORG")]]
    rows += [(text.rindex(t), text.rindex(t) + len(t), t, lab) for t, lab in [("Soleimani", "PERSON"), ("FSB", "ORG")]]
    names = [n for n, _ in entities.resolve_in_document(_mentions(rows), text)]
    assert names == ["Qassem Soleimani", "Federal Security Service", "Qassem Soleimani", "Federal Security Service"]


def test_a_surname_the_model_tagged_otherwise_resolves_to_the_person():
    text = "Trump met aides. Donald Trump then spoke."
    rows = [(0, 5, "Trump", "ORG"), (17, 29, "Donald Trump", "PERSON")]
    assert entities.resolve_in_document(_mentions(rows), text) == [("Donald Trump", "PERSON"),
                                                                    ("Donald Trump", "PERSON")]


def test_surnames_resolve_across_documents_only_when_unambiguous():
    names = pd.Series(["Joe Biden", "Biden", "Boris Johnson", "Andrew Johnson", "Johnson", "Paris"])
    labels = pd.Series(["PERSON", "PERSON", "PERSON", "PERSON", "PERSON", "GPE"])
    assert entities.resolve_across_documents(names, labels).tolist() == [
        "Joe Biden", "Joe Biden", "Boris Johnson", "Andrew Johnson", "Johnson", "Paris"]


def test_ambiguous_surname_stays_separate():
    text = "John Smith and Mary Smith arrived. Smith spoke."
    rows = [(0, 10, "John Smith", "PERSON"), (15, 25, "Mary Smith", "PERSON"), (35, 40, "Smith", "PERSON")]
    assert entities.resolve_in_document(_mentions(rows), text)[-1] == ("Smith", "PERSON")


def test_sample_article_entities(sample_documents, ner):
    mentions, _ = entities.extract(ner, sample_documents)
    mentions, table = entities.canonicalize(mentions, sample_documents)
    by_name = table.set_index(C.NAME)
    assert set(by_name.loc["United States", C.ALIASES]) == {"U.S.", "the United States"}
    assert by_name.loc["United States", C.N_MENTIONS] == 5  # "U.S." twice in "U.S.-led", twice alone, once long
    assert set(by_name.loc["Islamic State", C.ALIASES]) == {"Islamic State group", "IS group", "Islamic State"}
    assert by_name.loc["Qassem Soleimani", C.LABEL] == "PERSON"
    assert by_name.loc["Iraqi", C.LABEL] == "NORP"
    assert by_name.loc["Iraqi", C.LINKED_ENTITY_ID] == "PLACE:Iraq"
    assert by_name.loc["Iraq", C.N_MENTIONS] == 1  # the demonym is not counted as the country
    assert table[C.ENTITY_ID].is_unique


def test_offsets_point_into_the_cleaned_text(sample_documents, ner):
    mentions, sentences = entities.extract(ner, sample_documents)
    text = sample_documents.iloc[0][C.TEXT]
    assert all(text[s:e] == t for s, e, t in zip(mentions[C.START], mentions[C.END], mentions[C.TEXT], strict=True))
    assert sentences[C.SENT_ID].tolist() == list(range(len(sentences)))


def test_long_documents_are_split_and_offsets_kept(ner):
    paragraph = "Barack Obama visited Paris. " * 40
    text = "\n\n".join([paragraph.strip()] * 3)
    ner.max_length = 1200
    try:
        docs = pd.DataFrame([{C.DOC_ID: "long", C.TEXT: text}])
        mentions, sentences = entities.extract(ner, docs)
    finally:
        ner.max_length = 1_000_000
    assert len(mentions) > 0
    assert all(text[s:e] == t for s, e, t in zip(mentions[C.START], mentions[C.END], mentions[C.TEXT], strict=True))
    assert sentences[C.SENT_ID].is_unique


def test_empty_document(ner):
    mentions, sentences = entities.extract(ner, pd.DataFrame([{C.DOC_ID: "e", C.TEXT: ""}]))
    assert mentions.empty


def test_cooccurrence_counts_sentences():
    m = pd.DataFrame({C.DOC_ID: ["a", "a", "a", "b", "b"], C.SENT_ID: [0, 0, 1, 0, 0],
                      C.ENTITY_ID: ["X", "Y", "X", "Y", "X"]})
    out = entities.cooccurrence(m)
    assert out.to_dict("records") == [{C.ENTITY_A: "X", C.ENTITY_B: "Y", C.COUNT: 2, C.N_DOCS: 2,
                                       C.DOC_IDS: ["a", "b"]}]


def _cooccurrence_by_definition(mentions: pd.DataFrame) -> pd.DataFrame:
    """Every pair of entities of each sentence, counted: what ``entities.cooccurrence`` must give."""
    import itertools

    pairs: dict = {}
    for (doc_id, _), group in mentions.groupby([C.DOC_ID, C.SENT_ID], sort=True):
        for a, b in itertools.combinations(sorted(set(group[C.ENTITY_ID])), 2):
            pairs.setdefault((a, b), []).append(doc_id)
    rows = [{C.ENTITY_A: a, C.ENTITY_B: b, C.COUNT: len(docs), C.N_DOCS: len(set(docs)),
             C.DOC_IDS: sorted(set(docs))} for (a, b), docs in pairs.items()]
    out = pd.DataFrame(rows, columns=[C.ENTITY_A, C.ENTITY_B, C.COUNT, C.N_DOCS, C.DOC_IDS])
    return out.sort_values([C.COUNT, C.ENTITY_A, C.ENTITY_B], ascending=[False, True, True], kind="stable",
                           ignore_index=True)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(0, 3), st.sampled_from("UVWXYZ")), max_size=40))
def test_cooccurrence_is_every_pair_of_each_sentence(rows):
    from unittest.mock import patch

    mentions = pd.DataFrame(rows, columns=[C.DOC_ID, C.SENT_ID, C.ENTITY_ID])
    expected = _cooccurrence_by_definition(mentions)
    for block in (entities._PAIR_BLOCK, 1, 3):  # one block, and blocks of a sentence or a few mentions
        with patch.object(entities, "_PAIR_BLOCK", block):
            pd.testing.assert_frame_equal(entities.cooccurrence(mentions), expected)


def _entity_records_by_definition(mentions: pd.DataFrame, published: dict) -> list[tuple]:
    """Each entity's record, a mention at a time: (entity_id, name, label, aliases, n_mentions, n_docs, first and
    last publication date), the label the most frequent one (ties: the one met first)."""
    from collections import Counter

    seen: dict = {}
    for entity_id, name, label, text, doc_id in zip(mentions[C.ENTITY_ID], mentions[C.NAME], mentions[C.LABEL],
                                                     mentions[C.TEXT], mentions[C.DOC_ID], strict=True):
        e = seen.setdefault(entity_id, {"name": name, "labels": Counter(), "aliases": set(), "n": 0, "docs": set()})
        e["labels"][label] += 1
        e["aliases"].add(text)
        e["n"] += 1
        e["docs"].add(doc_id)
    out = []
    for entity_id in sorted(seen):
        e = seen[entity_id]
        dates = sorted(d for d in (published.get(x) for x in e["docs"]) if d is not None)
        out.append((entity_id, e["name"], e["labels"].most_common(1)[0][0], sorted(e["aliases"]), e["n"],
                    len(e["docs"]), dates[0] if dates else None, dates[-1] if dates else None))
    return out


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["PERSON:A", "ORG:B", "PLACE:C"]), st.sampled_from(["PERSON", "ORG", "GPE"]),
                          st.sampled_from(["A", "B", "a", "C"]), st.sampled_from("xyz")), max_size=30),
       st.dictionaries(st.sampled_from("xyz"), st.sampled_from([dt.date(2015, 3, d) for d in (1, 2, 3)]) | st.none()))
def test_the_entities_table_is_each_entitys_record(rows, published):
    mentions = pd.DataFrame([{C.ENTITY_ID: e, C.NAME: e.split(":")[1], C.LABEL: label, C.TEXT: text, C.DOC_ID: doc}
                             for e, label, text, doc in rows], columns=[C.ENTITY_ID, C.NAME, C.LABEL, C.TEXT, C.DOC_ID])
    table = entities._entities_table(mentions, published)
    got = sorted(zip(table[C.ENTITY_ID], table[C.NAME], table[C.LABEL], table[C.ALIASES], table[C.N_MENTIONS],
                     table[C.N_DOCS], table[C.FIRST_PUBLISHED], table[C.LAST_PUBLISHED], strict=True))
    assert [tuple(list(x) if isinstance(x, list) else x for x in r) for r in got] == _entity_records_by_definition(
        mentions, published)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcd"), st.integers(0, 2), st.sampled_from(["PERSON:A", "ORG:B", "PLACE:C"]),
                          st.sampled_from(["PERSON", "ORG", "GPE"]), st.sampled_from(["A", "B", "a"])), max_size=30),
       st.dictionaries(st.sampled_from("abcd"), st.sampled_from([dt.date(2015, 3, d) for d in (1, 2, 3)]) | st.none()),
       st.lists(st.integers(1, 3), max_size=3))
def test_entities_and_pairs_counted_a_chunk_of_documents_at_a_time_are_those_of_the_whole(tmp_path_factory, rows,
                                                                                         published, cuts):
    """``EntityStats`` and ``Cooccurrences`` given the mentions in chunks of whole documents (doc order) give the
    table and pairs of all mentions at once; the pairs' temporary files go."""
    from unittest.mock import patch

    from dateline import io

    rows = sorted(rows, key=lambda r: r[0])  # in the documents' order, as stage 02 reads them back
    mentions = pd.DataFrame([{C.DOC_ID: doc, C.SENT_ID: sent, C.ENTITY_ID: e, C.NAME: e.split(":")[1], C.LABEL: label,
                              C.TEXT: text} for doc, sent, e, label, text in rows],
                            columns=[C.DOC_ID, C.SENT_ID, C.ENTITY_ID, C.NAME, C.LABEL, C.TEXT])
    docs = list(dict.fromkeys(mentions[C.DOC_ID]))
    folder = tmp_path_factory.mktemp("pairs")
    stats, pairs, start = entities.EntityStats(published), entities_stage.Cooccurrences(dir=folder / "runs"), 0
    for size in [*cuts, len(docs)]:
        chunk = mentions[mentions[C.DOC_ID].isin(docs[start:start + size])]
        stats.add(chunk)
        pairs.add(chunk)
        start += size
    pd.testing.assert_frame_equal(stats.table(), entities._entities_table(mentions, published))
    with patch.object(entities_stage, "PAIR_ROWS", 2):  # pairs read back two rows at a time
        n = pairs.write(folder / "cooccurrence.parquet")
    expected = entities.cooccurrence(mentions)
    assert n == len(expected) and list((folder / "runs").iterdir()) == []
    got = io.read_parquet(folder / "cooccurrence.parquet")
    got[C.DOC_IDS] = got[C.DOC_IDS].map(list)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_a_document_of_several_million_characters_is_split_and_fully_read():
    import spacy

    nlp = spacy.blank("en")  # the mechanics with spaCy's real max_length (1,000,000), fast without a model
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Obama"}])
    paragraph = "Barack Obama visited Paris on Tuesday, officials said. " * 20
    text = "\n\n".join([paragraph.strip()] * 2500)  # about 2.7 million characters
    assert len(text) > 2 * nlp.max_length
    mentions, sentences = entities.extract(nlp, pd.DataFrame([{C.DOC_ID: "huge", C.TEXT: text}]))
    assert len(mentions) == text.count("Obama")
    assert all(text[s:e] == "Obama" for s, e in zip(mentions[C.START], mentions[C.END], strict=True))
    assert sentences[C.SENT_ID].is_unique


def test_a_document_without_any_name_keeps_the_mention_columns():
    # an empty boolean mask picked no columns (pandas reads `frame[[]]` as a column selection): stage 02 failed
    documents = pd.DataFrame({C.DOC_ID: ["a"], C.TEXT: ["The city council met on Tuesday."]})
    mentions, _ = entities.frames_of(documents, [([], [])], show_progress=False)
    assert list(mentions.columns) == entities.MENTION_COLUMNS and len(mentions) == 0


@pytest.mark.parametrize("text, name", [("Apple unveiled the iPhone 4 on Monday.", "iPhone 4"),
                                        ("Apple launched the iPhone 3G in July.", "iPhone 3G"),
                                        ("Samsung sold the Galaxy S21 worldwide.", "Galaxy S21"),
                                        ("Apple updated the iPod Nano.", "iPod Nano")])
def test_a_brand_and_model_is_one_product_name(ner, text, name):
    assert (name, "PRODUCT") in [(e.text, e.label_) for e in ner(text).ents]


def test_a_named_storm_is_one_event_whatever_its_category(ner):
    found = [(e.text, e.label_, entities.canonical_name(e.text, e.label_)) for e in ner(
        "Tropical Storm Orla became Hurricane Orla, the National Hurricane Center said.").ents]
    assert ("Tropical Storm Orla", "EVENT", "Orla") in found and ("Hurricane Orla", "EVENT", "Orla") in found
    assert any(name == "National Hurricane Center" for *_, name in found)


def test_name_patterns_leave_laws_dates_and_roads_alone(ner):
    found = {e.text: e.label_ for e in ner("He filed for Chapter 11 on March 5 and drove on Route 66.").ents}
    assert "PRODUCT" not in found.values()


def test_a_name_takes_the_corpus_majority_label_so_it_is_one_entity():
    mentions = pd.DataFrame({C.DOC_ID: ["a", "b", "c"], C.SENT_ID: [0, 0, 0], C.START: [0, 0, 0], C.END: [14] * 3,
                             C.TEXT: ["Hurricane Orla"] * 3, C.LABEL: ["PERSON", "EVENT", "PERSON"],
                             C.NAME: ["Hurricane Orla"] * 3})
    resolved, table = entities.resolve_corpus(mentions, {"a": None, "b": None, "c": None})
    assert set(resolved[C.ENTITY_ID]) == {"PERSON:Hurricane Orla"} and len(table) == 1
