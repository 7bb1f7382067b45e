from collections import Counter

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import columns as C
from dateline.steps import corpus_names, entities
from dateline.steps.corpus_names import corpus_names as merge


def votes(*rows):
    return {name: Counter({group: n}) for name, group, n in rows}


def test_spellings_of_one_name_are_one_entity_under_the_most_frequent():
    found = merge(votes(("MacBook", "ORG", 3), ("Macbook", "PRODUCT", 1), ("Mac OS X", "ORG", 2),
                        ("Mac OSX", "PERSON", 1)))
    assert found == {"Macbook": ("MacBook", "spelling"), "Mac OSX": ("Mac OS X", "spelling")}


def test_company_forms_join_only_where_the_short_name_is_named():
    found = merge(votes(("Apple", "ORG", 10), ("Apple Computer", "ORG", 4), ("Apple Corps", "ORG", 3),
                        ("Siemens AG", "ORG", 1), ("Siemens", "ORG", 2), ("Chrysler LLC", "ORG", 1),
                        ("Chrysler Corp.", "ORG", 2), ("Cisco Systems", "ORG", 2), ("General Motors", "ORG", 2),
                        ("General", "PERSON", 3)))
    assert found == {"Apple Computer": ("Apple", "company form"), "Siemens AG": ("Siemens", "company form"),
                     "Chrysler LLC": ("Chrysler Corp.", "company form")}


def test_an_acronym_defined_one_way_is_that_name_everywhere_and_keeps_the_long_name():
    names = votes(("FSB", "ORG", 5), ("Federal Security Service", "ORG", 1), ("ABC", "ORG", 2),
                  ("Australian Broadcasting Corporation", "ORG", 1), ("American Broadcasting Company", "ORG", 1))
    defined = {"FSB": Counter({"Federal Security Service": 1}),
               "ABC": Counter({"Australian Broadcasting Corporation": 1, "American Broadcasting Company": 1})}
    assert merge(names, defined) == {"FSB": ("Federal Security Service", "acronym")}


def test_initials_of_exactly_one_organisation():
    assert merge(votes(("SEC", "ORG", 3), ("Securities and Exchange Commission", "ORG", 1))) == {
        "SEC": ("Securities and Exchange Commission", "initials")}
    assert merge(votes(("NBA", "ORG", 3), ("National Basketball Association", "ORG", 1),
                       ("National Bar Association", "ORG", 1))) == {}
    assert merge(votes(("CBS", "ORG", 3), ("CC BY-SA", "ORG", 1), ("WH", "ORG", 2), ("White House", "ORG", 5))) == {}


def test_a_rare_misspelling_joins_the_one_frequent_name_one_edit_away():
    assert merge(votes(("Turkish", "NORP", 6), ("Tuskish", "NORP", 1))) == {"Tuskish": ("Turkish", "misspelling")}
    assert merge(votes(("Barack Obama", "PERSON", 6), ("Barack Obmaa", "PERSON", 1))) == {
        "Barack Obmaa": ("Barack Obama", "misspelling")}
    assert merge(votes(("State", "ORG", 9), ("Slate", "ORG", 1))) == {}  # a short word: another name
    assert merge(votes(("iPhone 4G", "PRODUCT", 6), ("iPhone 3G", "PRODUCT", 1), ("Iraq", "PLACE", 9),
                       ("Iran", "PLACE", 1), ("Austria", "PLACE", 5), ("Austrian", "NORP", 1),
                       ("Jon Smith", "PERSON", 2), ("John Smith", "PERSON", 3))) == {}
    assert merge(votes(("Keller", "PERSON", 6), ("Kellen", "PERSON", 6), ("Kelley", "PERSON", 1))) == {}


NAME = st.text(alphabet="AaBbCc .-", min_size=1, max_size=8).filter(str.strip)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(NAME, st.tuples(st.sampled_from(["ORG", "PERSON", "PLACE"]), st.integers(1, 9)),
                       max_size=12))
def test_every_name_goes_to_a_name_of_the_corpus_that_stands_for_itself(rows):
    names = {name: Counter({group: n}) for name, (group, n) in rows.items()}
    found = merge(names)
    for name, (target, rule) in found.items():
        assert target in names and target != name and target not in found
        assert rule in {"spelling", "company form", "acronym", "initials", "misspelling"}


def test_company_form_words_come_off_the_end_only():
    assert corpus_names.without_forms("Apple Computer, Inc.", ("legal",)) == "Apple Computer"
    assert corpus_names.without_forms("Inc.", ("legal",)) == "Inc."
    assert corpus_names.initials("Securities and Exchange Commission") == "SEC"


def test_spans_the_model_cut_wrong_are_set_right_before_names_are_resolved():
    text = ("Chrysler LLC said. San Jose - Cisco sued. The Macbook and Macbook Pro sold. Apple Computer said "
            "Apple Computer's Mac OS X was out. The iPhones Software Development Kit (SDK) is out. LLC.")
    rows = []
    for t, label in [("Chrysler", "ORG"), ("LLC", "ORG"), ("San Jose - Cisco", "GPE"),
                     ("Macbook and Macbook Pro", "ORG"), ("Apple Computer", "ORG"),
                     ("Apple Computer's Mac OS X", "ORG"), ("iPhones Software Development Kit (SDK", "ORG")]:
        start = text.index(t)
        rows.append({C.SENT_ID: 0, C.START: start, C.END: start + len(t), C.TEXT: t, C.LABEL: label})
    rows.append({C.SENT_ID: 0, C.START: len(text) - 4, C.END: len(text) - 1, C.TEXT: "LLC", C.LABEL: "ORG"})
    repaired = entities.repair_mentions(rows, text)
    assert [r[C.TEXT] for r in repaired] == ["Chrysler LLC", "San Jose", "Cisco", "Macbook", "Macbook Pro",
                                             "Apple Computer", "Apple Computer", "Mac OS X",
                                             "iPhones Software Development Kit"]
    assert all(text[r[C.START]:r[C.END]] == r[C.TEXT] for r in repaired)
    # two names run together after an article; an article inside one name stays
    run = "said on Twitter the Federal Aviation Administration, and the Islamic State of Iraq and the Levant"
    rows = [{C.SENT_ID: 0, C.START: run.index(t), C.END: run.index(t) + len(t), C.TEXT: t, C.LABEL: "ORG"}
            for t in ("Twitter the Federal Aviation Administration", "Islamic State of Iraq and the Levant")]
    assert [r[C.TEXT] for r in entities.repair_mentions(rows, run)] == [
        "Twitter", "the Federal Aviation Administration", "Islamic State of Iraq and the Levant"]
    # a name cut after a small word goes on to the end of the name, or ends before the small word
    cut = "Bank of America and Sony and fell."
    rows = [{C.SENT_ID: 0, C.START: 0, C.END: 7, C.TEXT: "Bank of", C.LABEL: "ORG"},
            {C.SENT_ID: 0, C.START: 20, C.END: 28, C.TEXT: "Sony and", C.LABEL: "ORG"}]
    assert [r[C.TEXT] for r in entities.repair_mentions(rows, cut)] == ["Bank of America", "Sony"]
    # "People's Republic": the owner is named nowhere else, so the name stays whole
    one = [{C.SENT_ID: 0, C.START: 0, C.END: 26, C.TEXT: "People's Republic of China", C.LABEL: "GPE"}]
    assert entities.repair_mentions(one, "People's Republic of China") == one


def test_an_acronym_defined_in_one_document_names_the_same_entity_in_another():
    documents = pd.DataFrame({C.DOC_ID: ["a", "b"], C.PUBLISHED: [None, None],
                              C.TEXT: ["The Federal Security Service (FSB) spoke.", "The FSB denied it."]})
    mentions = pd.DataFrame([
        {C.DOC_ID: "a", C.SENT_ID: 0, C.START: 4, C.END: 28, C.TEXT: "Federal Security Service", C.LABEL: "ORG"},
        {C.DOC_ID: "a", C.SENT_ID: 0, C.START: 30, C.END: 33, C.TEXT: "FSB", C.LABEL: "ORG"},
        {C.DOC_ID: "b", C.SENT_ID: 0, C.START: 4, C.END: 7, C.TEXT: "FSB", C.LABEL: "ORG"}])
    resolved, table = entities.canonicalize(mentions, documents)
    assert set(resolved[C.ENTITY_ID]) == {"ORG:Federal Security Service"}
    assert resolved[C.RESOLVED_BY].tolist() == ["", "same document", "acronym"]
    assert table.loc[0, C.MERGED] == ["FSB: acronym", "FSB: same document"]


def test_an_organisation_named_after_a_place_is_the_organisation_with_the_place_linked():
    text = "The U.S. Department of Justice sued. The United States agreed."
    documents = pd.DataFrame({C.DOC_ID: ["a"], C.PUBLISHED: [None], C.TEXT: [text]})
    mentions = pd.DataFrame([
        {C.DOC_ID: "a", C.SENT_ID: 0, C.START: 4, C.END: 30, C.TEXT: "U.S. Department of Justice", C.LABEL: "ORG"},
        {C.DOC_ID: "a", C.SENT_ID: 1, C.START: 41, C.END: 54, C.TEXT: "United States", C.LABEL: "GPE"}])
    _, table = entities.canonicalize(mentions, documents)
    linked = dict(zip(table[C.ENTITY_ID], table[C.LINKED_ENTITY_ID], strict=True))
    assert linked["ORG:United States Department of Justice"] == "PLACE:United States"
    assert pd.isna(linked["PLACE:United States"])


def test_the_alias_tables_names_decide_before_any_rule():
    names = votes(("Apple", "ORG", 2), ("Apple Computer", "ORG", 9), ("Apple Corps", "ORG", 1))
    assert merge(names) == {"Apple": ("Apple Computer", "company form")}
    assert merge(names, fixed=frozenset({"Apple"})) == {"Apple Computer": ("Apple", "company form")}
    assert merge(names, fixed=frozenset({"Apple", "Apple Computer"})) == {}
