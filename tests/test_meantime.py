import pandas as pd
import pytest

from dateline import columns as C
from dateline.tools import meantime, semeval

CAT = """<?xml version="1.0" ?><Document doc_id="7" doc_name="7_x">
<token number="0" sentence="0" t_id="1">Headline</token>
<token number="0" sentence="1" t_id="2">May</token>
<token number="0" sentence="2" t_id="3">He</token>
<token number="1" sentence="2" t_id="4">sued</token>
<token number="2" sentence="2" t_id="5">Apple</token>
<token number="3" sentence="2" t_id="6">.</token>
<Markables>
<ENTITY_MENTION m_id="10" syntactic_type="PRO"><token_anchor t_id="3"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="11" syntactic_type="NAM"><token_anchor t_id="5"/></ENTITY_MENTION>
<EVENT_MENTION m_id="20"><token_anchor t_id="4"/></EVENT_MENTION>
<ENTITY m_id="30" instance_id="PER1"/>
<TIMEX3 m_id="40" functionInDocument="CREATION_TIME" type="DATE" value="2010-05-01"/>
</Markables>
<Relations>
<REFERS_TO r_id="1"><source m_id="10"/><target m_id="30"/></REFERS_TO>
<HAS_PARTICIPANT r_id="2" sem_role="Arg0"><source m_id="20"/><target m_id="10"/></HAS_PARTICIPANT>
<HAS_PARTICIPANT r_id="3" sem_role="Arg1"><source m_id="20"/><target m_id="11"/></HAS_PARTICIPANT>
</Relations>
</Document>
"""


def test_pairs_are_matched_by_trigger_tokens_and_the_instance_most_mentions_overlap(tmp_path):
    path = tmp_path / "7_x.xml"
    path.write_text(CAT, encoding="utf-8")
    annotation = meantime.read_annotation(path)
    assert annotation.body_tokens == ["3", "4", "5", "6"] and annotation.instance_of["10"] == "30"
    record, index = semeval.to_record(semeval.read_cat(path))
    assert record["text"] == "He sued Apple."
    # our event: "sued" with Apple as agent (a wrong role) and a person the pronoun stood for as agent
    events = pd.DataFrame({C.DOC_ID: ["7"], C.TRIGGER_START: [3], C.TRIGGER_END: [7],
                           C.PARTICIPANTS: [["PERSON:Jobs", "ORG:Apple"]], C.ROLES: [["agent", "agent"]]})
    mentions = pd.DataFrame({C.DOC_ID: ["7", "7"], C.ENTITY_ID: ["PERSON:Jobs", "ORG:Apple"], C.START: [0, 8],
                             C.END: [2, 13]})
    scores = meantime.score({"7": annotation}, {"7": index}, events, mentions, lambda d, s, e: (s, e))
    assert (scores["pairs"]["tp"], scores["pairs"]["predicted"], scores["pairs"]["gold"]) == (2, 2, 2)
    assert scores["pairs+role"]["tp"] == 1  # Apple is Arg1, a patient, not an agent


def test_roles_compare_agent_to_arg0_patient_to_arg1_and_prepositions_to_the_rest():
    assert meantime.role_agrees("agent", "Arg0") and meantime.role_agrees("patient", "Arg1")
    assert meantime.role_agrees("on", "Argm-LOC") and not meantime.role_agrees("on", "Arg1")
    assert not meantime.role_agrees("agent", "Arg1")


def test_coreference_measures_on_a_worked_example():
    # key {1,2,3} {4,5}; response {1,2} {3,4,5}: worked by hand from the definitions
    key = {"K1": frozenset({1, 2, 3}), "K2": frozenset({4, 5})}
    response = {"R1": frozenset({1, 2}), "R2": frozenset({3, 4, 5})}
    muc, b3, ceaf = meantime.muc_score(key, response), meantime.b_cubed(key, response), meantime.ceaf_e(key, response)
    assert (muc["recall"], muc["precision"]) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert (b3["recall"], b3["precision"]) == (pytest.approx(11 / 15), pytest.approx(11 / 15))
    assert (ceaf["recall"], ceaf["precision"]) == (pytest.approx(0.8), pytest.approx(0.8))
    for measure in (meantime.muc_score, meantime.b_cubed, meantime.ceaf_e):
        assert measure(key, key)["f1"] == pytest.approx(1.0)


def test_name_mentions_are_found_by_overlap_and_scored_as_coreference(tmp_path):
    path = tmp_path / "7_x.xml"
    path.write_text(CAT.replace('<ENTITY m_id="30" instance_id="PER1"/>',
                                '<ENTITY m_id="30" instance_id="PER1"/><ENTITY m_id="31" instance_id="ORG1"/>')
                    .replace('<HAS_PARTICIPANT r_id="2"',
                             '<REFERS_TO r_id="9"><source m_id="11"/><target m_id="31"/></REFERS_TO>'
                             '<HAS_PARTICIPANT r_id="2"'), encoding="utf-8")
    annotation = meantime.read_annotation(path)
    assert meantime.gold_names(annotation) == {"11": ({"5"}, "ORG1", "")}  # the pronoun is not a name
    _, index = semeval.to_record(semeval.read_cat(path))
    # ours: "Apple" (right) and "sued" (a false name)
    mentions = pd.DataFrame({C.DOC_ID: ["7", "7"], C.ENTITY_ID: ["ORG:Apple", "PERSON:Sued"], C.START: [8, 3],
                             C.END: [13, 7]})
    scores = meantime.name_scores({"7": annotation}, {"7": index}, mentions, lambda d, s, e: (s, e))
    assert (scores["mentions"]["precision"], scores["mentions"]["recall"]) == (0.5, 1.0)
    # one mention: no link for MUC to count (0 by convention), the others perfect
    assert scores["b3"]["f1"] == scores["ceaf_e"]["f1"] == pytest.approx(1.0) and scores["muc"]["f1"] == 0.0
    assert scores["splits"].empty and scores["merges"].empty


def test_a_gold_name_holding_its_owners_takes_the_id_of_the_mention_on_its_head(tmp_path):
    path = tmp_path / "8_x.xml"
    path.write_text("""<?xml version="1.0" ?><Document doc_id="8" doc_name="8_x">
<token number="0" sentence="0" t_id="1">Headline</token>
<token number="0" sentence="1" t_id="2">May</token>
<token number="0" sentence="2" t_id="3">Apple</token>
<token number="1" sentence="2" t_id="4">'s</token>
<token number="2" sentence="2" t_id="5">iTunes</token>
<token number="3" sentence="2" t_id="6">store</token>
<token number="4" sentence="2" t_id="7">opened</token>
<token number="0" sentence="3" t_id="8">iTunes</token>
<token number="1" sentence="3" t_id="9">grew</token>
<Markables>
<ENTITY_MENTION m_id="11" syntactic_type="NAM" head="iTunes"><token_anchor t_id="3"/><token_anchor t_id="4"/>
<token_anchor t_id="5"/><token_anchor t_id="6"/></ENTITY_MENTION>
<ENTITY_MENTION m_id="12" syntactic_type="NAM" head="iTunes"><token_anchor t_id="8"/></ENTITY_MENTION>
<ENTITY m_id="31" instance_id="STORE"/>
</Markables>
<Relations><REFERS_TO r_id="9"><source m_id="11"/><source m_id="12"/><target m_id="31"/></REFERS_TO></Relations>
</Document>
""", encoding="utf-8")
    annotation = meantime.read_annotation(path)
    record, index = semeval.to_record(semeval.read_cat(path))
    text = record["text"]
    spans = [(text.index("Apple"), text.index("Apple") + 5), (text.index("iTunes"), text.index("iTunes") + 6),
             (text.rindex("iTunes"), text.rindex("iTunes") + 6)]
    mentions = pd.DataFrame({C.DOC_ID: ["8"] * 3, C.ENTITY_ID: ["ORG:Apple", "PRODUCT:iTunes", "PRODUCT:iTunes"],
                             C.START: [s for s, _ in spans], C.END: [e for _, e in spans]})
    scores = meantime.name_scores({"8": annotation}, {"8": index}, mentions, lambda d, s, e: (s, e))
    assert scores["mentions"]["recall"] == 1.0 and scores["mentions"]["precision"] == 1.0
    # both gold mentions take PRODUCT:iTunes (the first through its head, not Apple, which overlaps it as much)
    assert scores["conll_f1"] == 1.0 and scores["splits"].empty


def test_a_headline_event_is_matched_against_the_headlines_tokens(tmp_path):
    cat = CAT.replace('<token number="0" sentence="0" t_id="1">Headline</token>',
                      '<token number="0" sentence="0" t_id="0">Jobs</token>'
                      '<token number="1" sentence="0" t_id="1">sues</token>') \
        .replace('<EVENT_MENTION m_id="20">', '<EVENT_MENTION m_id="21"><token_anchor t_id="1"/></EVENT_MENTION>'
                                             '<EVENT_MENTION m_id="20">') \
        .replace('</Relations>', '<HAS_PARTICIPANT r_id="4" sem_role="Arg1"><source m_id="21"/>'
                                 '<target m_id="11"/></HAS_PARTICIPANT></Relations>')
    path = tmp_path / "7_x.xml"
    path.write_text(cat, encoding="utf-8")
    annotation = meantime.read_annotation(path)
    record, index = semeval.to_record(semeval.read_cat(path))
    assert record["title"] == "Jobs sues" and annotation.title_tokens == [("0", 0, 4), ("1", 5, 9)]
    # the headline's event, its offsets into the title (sent_id HEADLINE_SENT_ID), and the body's
    events = pd.DataFrame({C.DOC_ID: ["7", "7"], C.SENT_ID: [C.HEADLINE_SENT_ID, 0], C.TRIGGER_START: [5, 3],
                           C.TRIGGER_END: [9, 7], C.PARTICIPANTS: [["ORG:Apple"], ["ORG:Apple"]],
                           C.ROLES: [["patient"], ["patient"]]})
    mentions = pd.DataFrame({C.DOC_ID: ["7"], C.ENTITY_ID: ["ORG:Apple"], C.START: [8], C.END: [13]})
    scores = meantime.score({"7": annotation}, {"7": index}, events, mentions, lambda d, s, e: (s, e))
    assert (scores["pairs"]["tp"], scores["pairs"]["gold"]) == (2, 3)
