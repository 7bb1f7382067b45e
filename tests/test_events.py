import datetime as dt

import pytest

from dateline import columns as C
from dateline import nlp
from dateline.steps import anchoring, events, narrative


def test_sample_article_dated_events(sample_events):
    table, _ = sample_events
    dated = table[table[C.ANCHOR] == "timex"]
    got = {(v, t) for v, t in zip(dated[C.VALUE], dated[C.TRIGGER], strict=True)}
    assert {("2015-03-24", "say"), ("2015-03-21", "begin"), ("2014-08", "launch"), ("2014-SU", "seize"),
            ("2015-03-24", "launch")} == got


def test_sample_article_actors(sample_events):
    table, _ = sample_events
    by_trigger = {(r[C.VALUE], r[C.TRIGGER]): r for r in table[table[C.ANCHOR] == "timex"].to_dict("records")}
    assert by_trigger[("2014-08", "launch")]["actor_names"] == ["United States"]  # "the U.S.-led air campaign"
    assert by_trigger[("2014-SU", "seize")]["actor_names"] == ["Islamic State"]  # "it", resolved to the IS group
    assert by_trigger[("2015-03-24", "say")][C.EVENT_CLASS] == "REPORTING"
    assert by_trigger[("2015-03-24", "say")]["agent"] == "a senior coalition official"
    # "an Iraqi official said the coalition was not providing airstrikes ..., but launched airstrikes on Beiji":
    # "not ..., but" keeps "launched" in the reported clause: the coalition, "The U.S.-led coalition" of the lede
    beiji = by_trigger[("2015-03-24", "launch")]
    assert beiji["agent"] == "The U.S.-led coalition" and beiji["place_names"] == ["Beiji"]
    assert beiji["actor_names"] == ["United States"]  # as the lede's "The U.S.-led coalition ... has begun"
    assert beiji[C.DESCRIPTION].startswith("the coalition launched airstrikes")
    # "the flights and intelligence sharing began Saturday": the flights the coalition "has begun" in the lede
    began = by_trigger[("2015-03-21", "begin")]
    assert began["agent"] == "The U.S.-led coalition" and began["actor_names"] == ["United States"]


@pytest.mark.parametrize("lemma, cls", [("say", "REPORTING"), ("begin", "ASPECTUAL"), ("request", "I_ACTION"),
                                        ("seize", "OCCURRENCE")])
def test_event_class(lemma, cls):
    assert events.event_class(lemma) == cls


def test_parse_results_made_docs_with_a_batch_vocabulary_read_as_with_the_models(parser):
    from dateline import executor

    texts = ["The coalition said Tuesday that Zyxqwv flights over Tikrit had begun.", "Officials met again!"]
    model_vocab = executor.pipeline(nlp.PARSE, nlp.DEFAULT_MODEL).vocab
    results = list(executor.compute(nlp.PARSE, nlp.DEFAULT_MODEL, texts))
    before = len(model_vocab)
    docs = [nlp.parsed_doc(data, nlp.batch_vocab(model_vocab)) for data in results]
    assert len(model_vocab) == before  # the model's vocabulary did not grow with the new words
    same = [nlp.parsed_doc(data, model_vocab) for data in results]
    attributes = ("text", "lower_", "is_punct", "is_space", "tag_", "pos_", "dep_", "lemma_", "i")
    assert [[tuple(getattr(t, a) for a in attributes) + (t.head.i,) for t in d] for d in docs] == \
        [[tuple(getattr(t, a) for a in attributes) + (t.head.i,) for t in d] for d in same]


def test_an_event_nouns_actor_comes_before_it_not_from_its_prepositions(parser):
    doc = parser("The U.S. offensive began and airstrikes on Beiji continued.")
    mentions = [{"local_start": 4, C.START: 4, C.END: 8, C.LABEL: "GPE", C.ENTITY_ID: "PLACE:United States",
                 C.NAME: "United States"},
                {"local_start": 43, C.START: 43, C.END: 48, C.LABEL: "GPE", C.ENTITY_ID: "PLACE:Beiji",
                 C.NAME: "Beiji"}]
    offensive = events.build_event(doc[:], doc[2], mentions, [])
    airstrikes = events.build_event(doc[:], doc[5], mentions, [])
    assert offensive.actor_names == ["United States"]
    assert airstrikes.actor_names == [] and airstrikes.participants == ["PLACE:Beiji"]


def test_an_event_is_described_in_a_few_words_of_its_own_text(parser):
    doc = parser("Iran did not launch missiles at the bases, and an unnamed official said the factory closed.")
    iran = [{"local_start": 0, C.START: 0, C.END: 4, C.LABEL: "GPE", C.ENTITY_ID: "PLACE:Iran", C.NAME: "Iran"}]
    launch = events.build_event(doc[:], doc[3], iran, [])
    assert launch.description == "Iran did not launch missiles"
    said = next(t for t in doc if t.text == "said")
    assert events.build_event(doc[:], said, iran, []).description == "an unnamed official said"
    closed = next(t for t in doc if t.text == "closed")
    assert events.build_event(doc[:], closed, iran, []).description == "the factory closed"


def _mention(doc, text, label, entity_id=None):
    start = doc.text.index(text)
    return {"local_start": start, C.START: start, C.END: start + len(text), C.LABEL: label,
            C.ENTITY_ID: entity_id or f"{label}:{text}", C.NAME: text}


def test_a_pronoun_subject_is_the_actor_and_an_object_never_is(parser):
    earlier_doc = parser("Steve Jobs was born in 1955.")
    earlier = [_mention(earlier_doc, "Steve Jobs", "PERSON")]
    doc = parser("He started Apple in 1976 and bought Pixar.")
    mentions = [_mention(doc, "Apple", "ORG"), _mention(doc, "Pixar", "ORG")]
    started = events.build_event(doc[:], doc[1], mentions, earlier)
    assert started.actor_names == ["Steve Jobs"] and started.pronoun_resolved
    assert dict(zip(started.participants, started.roles, strict=True)) == {"PERSON:Steve Jobs": "agent",
                                                                    "ORG:Apple": "patient"}
    assert started.description == "Steve Jobs started Apple"
    alone = events.build_event(doc[:], doc[1], mentions, [])  # no person named before: no actor, not Apple
    assert alone.actor_names == []


def test_a_definite_description_and_a_possessive_pronoun_refer_to_the_last_compatible_entity(parser):
    doc = parser("Apple hired Tim Cook. The company praised his resignation.")
    mentions = [_mention(doc, "Apple", "ORG"), _mention(doc, "Tim Cook", "PERSON")]
    praised = next(t for t in doc if t.text == "praised")
    resignation = next(t for t in doc if t.text == "resignation")
    assert events.build_event(doc[:], praised, mentions, []).actor_names == ["Apple"]
    assert events.build_event(doc[:], resignation, mentions, []).participants == ["PERSON:Tim Cook"]


def test_a_phrasal_verbs_particle_is_part_of_the_trigger(parser):
    doc = parser("Jobs showed off the new phone and took it off the market.")
    jobs = [_mention(doc, "Jobs", "PERSON")]
    showed = events.build_event(doc[:], doc[1], jobs, [])
    assert showed.trigger_text == "showed off" and showed.trigger_local == doc[1].idx
    took = next(t for t in doc if t.text == "took")
    assert events.build_event(doc[:], took, jobs, []).trigger_text == "took"  # not one run of words


@pytest.mark.parametrize("noun, eventive", [("resignation", True), ("settlement", True), ("appearance", True),
                                            ("approval", True), ("closure", True), ("lawsuit", True),
                                            ("government", False), ("department", False), ("company", False),
                                            ("price", False), ("information", False)])
def test_event_nouns_are_listed_or_derived_from_a_verb(noun, eventive):
    assert events.is_event_noun(noun) is eventive


def test_a_past_report_is_at_the_narratives_date_only_when_that_is_the_news(parser):
    said = parser("Jobs said the phone sold well.")[1]
    dct = dt.date(2010, 7, 17)

    def on(day):
        return events.When(day.isoformat(), day, day, "day")

    friday = anchoring.anchor_undated(said, [], lede=False, narrative=on(dt.date(2010, 7, 16)), dct=dct)
    assert (friday.anchor, friday.start_date) == ("narrative", dt.date(2010, 7, 16))
    long_ago = anchoring.anchor_undated(said, [], lede=False, narrative=on(dt.date(1976, 4, 1)), dct=dct)
    assert (long_ago.anchor, long_ago.start_date) == ("publication", dct)
    sold = next(t for t in said.doc if t.text == "sold")  # any other past event: the narrative's date, however old
    assert anchoring.anchor_undated(sold, [], lede=False, narrative=on(dt.date(1976, 4, 1)),
                                 dct=dct).start_date == dt.date(1976, 4, 1)


def test_a_light_verbs_event_noun_is_the_event(parser):
    doc = parser("Hurricane Orla made landfall near Port Royal and Jobs gave a keynote.")
    mentions = [_mention(doc, "Hurricane Orla", "EVENT"), _mention(doc, "Port Royal", "GPE"),
                _mention(doc, "Jobs", "PERSON")]
    landfall = events.build_event(doc[:], doc[2], mentions, [])
    assert (landfall.trigger, landfall.trigger_text) == ("landfall", "landfall")
    assert dict(zip(landfall.participants, landfall.roles, strict=True))["EVENT:Hurricane Orla"] == "agent"
    assert landfall.description.startswith("Hurricane Orla made landfall")
    found = anchoring.undated_events(doc[:], [], mentions, [], lede=False, narrative=None, dct=None)
    assert sorted(e.trigger for e in found) == ["keynote", "landfall"]  # the nouns are not events twice


def test_a_headline_finds_its_bodys_names_again_longest_first():
    text = "Apple Inc. said on Monday that the iPhone 4 sold well. Apple expects more."
    mentions = [{C.START: 0, C.END: 10, C.NAME: "Apple", C.LABEL: "ORG", C.ENTITY_ID: "ORG:Apple", C.SENT_ID: 0},
                {C.START: 34, C.END: 42, C.NAME: "iPhone 4", C.LABEL: "PRODUCT", C.ENTITY_ID: "PRODUCT:iPhone 4",
                 C.SENT_ID: 0}]
    found = narrative.headline_mentions("Apple Inc. sells the iPhone 4; Applebee's does not", text, mentions)
    assert [(m[C.START], m[C.END], m[C.ENTITY_ID], m[C.SENT_ID]) for m in found] == [
        (0, 10, "ORG:Apple", narrative.HEADLINE), (21, 29, "PRODUCT:iPhone 4", narrative.HEADLINE)]


def test_a_headlines_event_is_at_the_publication_date(parser):
    import pandas as pd

    documents = pd.DataFrame({C.DOC_ID: ["d"], C.TITLE: ["Apple unveils iPhone 4"], C.PUBLISHED: [dt.date(2010, 6, 7)],
                              C.TEXT: ["Apple showed the iPhone 4 in 2009."], C.DATELINE_PLACE: [""]})
    sentences = pd.DataFrame({C.DOC_ID: ["d"], C.SENT_ID: [0], C.START: [0], C.END: [34]})
    mentions = pd.DataFrame({C.DOC_ID: ["d", "d"], C.SENT_ID: [0, 0], C.START: [0, 17], C.END: [5, 25],
                             C.LABEL: ["ORG", "PRODUCT"], C.ENTITY_ID: ["ORG:Apple", "PRODUCT:iPhone 4"],
                             C.NAME: ["Apple", "iPhone 4"]})
    timexes, rows = narrative.extract(parser, documents, sentences, mentions)
    unveil = next(e for e in rows if e.trigger == "unveil")
    assert (unveil.sent_id, unveil.when.anchor, unveil.when.start_date) == (narrative.HEADLINE, "publication",
                                                                          dt.date(2010, 6, 7))
    assert unveil.participants == ["ORG:Apple", "PRODUCT:iPhone 4"]
    assert all(t[C.SENT_ID] != narrative.HEADLINE for t in timexes)


def test_an_expected_event_is_less_sure_than_one_that_happened(parser):
    doc = parser("Orla will hit Port Royal on Tuesday. Orla hit Port Royal on Tuesday.")
    will_hit, hit = (t for t in doc if t.lemma_ == "hit")
    assert events.build_event(doc[:], will_hit, [], []).expected
    assert not events.build_event(doc[:], hit, [], []).expected
    kept = dict(anchor_confidence=1.0, has_actor=True, place_from_dateline=False, pronoun=False)
    assert anchoring.confidence(**kept, expected=True) < anchoring.confidence(**kept)


def test_a_clause_that_says_its_time_is_another_does_not_share_the_date(parser):
    doc = parser("Residents began clearing debris on Wednesday, a day after Hurricane Orla made landfall there.")
    began, made = (next(t for t in doc if t.text == w) for w in ("began", "made"))
    assert not anchoring._linked(made, began)
    doc = parser("On Monday Sanders endorsed Biden and ended his bid.")
    endorsed, ended = (next(t for t in doc if t.text == w) for w in ("endorsed", "ended"))
    assert anchoring._linked(ended, endorsed)


def _when(parser, sentences: list[str], names: list[tuple[str, str]], published: dt.date) -> dict:
    """(anchor, value) of each trigger of a document of ``sentences``, each naming its (name, label) once."""
    import pandas as pd

    text = " ".join(sentences)
    starts = [sum(len(x) + 1 for x in sentences[:i]) for i in range(len(sentences))]
    documents = pd.DataFrame({C.DOC_ID: ["d"], C.TITLE: [""], C.PUBLISHED: [published], C.TEXT: [text],
                              C.DATELINE_PLACE: [""]})
    frame = pd.DataFrame({C.DOC_ID: ["d"] * len(sentences), C.SENT_ID: range(len(sentences)), C.START: starts,
                          C.END: [start + len(x) for start, x in zip(starts, sentences, strict=True)]})
    at = [start + x.index(name) for start, x, (name, _) in zip(starts, sentences, names, strict=True)]
    mentions = pd.DataFrame({C.DOC_ID: ["d"] * len(names), C.SENT_ID: range(len(names)), C.START: at,
                             C.END: [s + len(n) for s, (n, _) in zip(at, names, strict=True)],
                             C.LABEL: [label for _, label in names],
                             C.ENTITY_ID: [f"{label}:{name}" for name, label in names],
                             C.NAME: [name for name, _ in names]})
    _, rows = narrative.extract(parser, documents, frame, mentions)
    return {e.trigger: (e.when.anchor, e.when.value) for e in rows}


def test_a_background_date_is_a_digression_and_the_narrative_returns_to_the_news(parser):
    when = _when(parser, ["Apple unveiled the phone on Monday.", "Apple launched its first phone in 2007.",
                          "Jobs praised the screen.", "Jobs demoed the camera."],
                 [("Apple", "ORG"), ("Apple", "ORG"), ("Jobs", "PERSON"), ("Jobs", "PERSON")], dt.date(2010, 6, 9))
    assert when["unveil"] == ("timex", "2010-06-07") and when["launch"] == ("timex", "2007")
    assert when["praise"] == ("narrative", "2007")  # right after the background date
    assert when["demo"] == ("narrative", "2010-06-07")  # then back to the news


def test_the_subject_of_a_verb_it_undergoes_is_its_patient(parser):
    doc = parser("Steve Jobs died and shares fell, but Apple sold phones.")
    jobs, apple = _mention(doc, "Steve Jobs", "PERSON"), _mention(doc, "Apple", "ORG")
    died, sold = (next(t for t in doc if t.text == w) for w in ("died", "sold"))
    dying = events.build_event(doc[:], died, [jobs, apple], [])
    assert dying.roles == ["patient"] and dying.actor_names == ["Steve Jobs"]  # still the one it is about
    selling = events.build_event(doc[:], sold, [jobs, apple], [])
    assert dict(zip(selling.participants, selling.roles, strict=True))["ORG:Apple"] == "agent"


def test_a_participle_adjunct_shares_the_main_clauses_subject(parser):
    doc = parser("Jobs unveiled the phone on Monday, saying it was magical, after reporters had asked.")
    jobs = [_mention(doc, "Jobs", "PERSON")]
    saying = next(t for t in doc if t.text == "saying")
    assert events.build_event(doc[:], saying, jobs, []).actor_names == ["Jobs"]
    asked = next(t for t in doc if t.text == "asked")  # a clause with its own subject keeps it
    assert events.build_event(doc[:], asked, jobs, []).actor_names == []


def test_without_a_news_date_a_background_date_still_holds_for_one_sentence_only(parser):
    when = _when(parser, ["Apple launched its first phone in 2007.", "Jobs praised the screen.",
                          "Jobs demoed the camera."],
                 [("Apple", "ORG"), ("Jobs", "PERSON"), ("Jobs", "PERSON")], dt.date(2010, 6, 9))
    assert when["praise"] == ("narrative", "2007") and when["demo"] == ("none", "")


def _sentences(parser, text: str, names: dict[str, str]):
    """Parsed sentences of ``text`` with the mentions of ``names`` (surface -> label) in each."""
    doc = parser(text)
    out = []
    for sent in doc.sents:
        piece = parser(sent.text)
        out.append((piece, [_mention(piece, name, label) for name, label in names.items() if name in sent.text]))
    return out


def _events_of(parser, text: str, names: dict[str, str]) -> list[dict]:
    discourse, found = events.Discourse(), []
    for piece, mentions in _sentences(parser, text, names):
        built = anchoring.undated_events(piece[:], [], mentions, [], lede=False, narrative=None, dct=None,
                                      discourse=discourse)
        discourse.remember(mentions, [(piece[e.trigger_i], e) for e in built])
        found += built
    return found


def test_a_definite_common_noun_subject_is_the_phrase_it_repeats_and_names_who_that_named(parser):
    found = _events_of(parser, "The Kenyan-led mission deployed officers in Haiti. The mission detained three men.",
                       {"Kenyan": "NORP", "Haiti": "GPE"})
    detained = next(e for e in found if e.trigger == "detain")
    assert detained.agent == "The Kenyan-led mission" and detained.actor_names == ["Kenyan"]
    assert detained.description == "The mission detained three men"  # in its own words


def test_a_bare_common_noun_with_nothing_named_before_stays_unnamed(parser):
    found = _events_of(parser, "A mission arrived. The mission detained Pierre Duval.", {"Pierre Duval": "PERSON"})
    detained = next(e for e in found if e.trigger == "detain")
    assert detained.actor_names == [] and detained.agent == "The mission"


def test_an_event_noun_that_begins_is_done_by_whoever_did_it_before(parser):
    found = _events_of(parser, "Greenpeace has begun protests outside the plant. The protests started Monday and "
                               "the talks began Tuesday.", {"Greenpeace": "ORG"})
    started = next(e for e in found if e.trigger == "start")
    assert started.actor_names == ["Greenpeace"]
    assert not any(e.trigger == "begin" and e.actor_names for e in found[1:])  # no talks were named before


def test_not_this_but_that_keeps_the_reported_clauses_subject_and_other_coordinations_none(parser):
    contrast = parser("The police said the protesters did not attack the building, but blocked the road.")
    neutral = parser("An official said the coalition was providing airstrikes, but launched airstrikes on Beiji.")
    blocked = next(t for t in contrast if t.text == "blocked")
    assert blocked.head.text == "said" and events.subject_of(blocked).text == "protesters"
    launched = next(t for t in neutral if t.text == "launched")
    assert launched.head.text == "said" and events.subject_of(launched) is None  # the official, or the coalition


def test_a_phrase_named_only_as_an_object_gives_no_actor(parser):
    found = _events_of(parser, "Apple cut the iPod price. The price hurt Sony.",
                       {"Apple": "ORG", "iPod": "ORG", "Sony": "ORG"})
    hurt = next(e for e in found if e.trigger == "hurt")
    assert hurt.actor_names == [] and hurt.participants == ["ORG:Sony"]


def test_a_participle_modifying_a_noun_is_described_from_that_noun(parser):
    doc = parser("Shiite militias advised by Qassem Soleimani took the town, and the air campaign, launched in "
                 "August, continued.")
    names = [_mention(doc, "Shiite", "NORP"), _mention(doc, "Qassem Soleimani", "PERSON")]
    advised = next(t for t in doc if t.text == "advised")
    described = events.build_event(doc[:], advised, names, []).description
    assert described == "Shiite militias advised by Qassem Soleimani"


@pytest.mark.parametrize("sentence, verb, described", [
    # a subject whose head its last words would leave out is said by its head (was "Apex Shark Expeditions
    # published", "Greece and Israel had met": neither the doer)
    ("Researchers from the university and Apex Shark Expeditions published a study in June.", "published",
     "Researchers published a study"),
    ("Officials from Cyprus, Greece and Israel had met on Thursday.", "met", "Officials had met on Thursday"),
    ("Talks between the ferry union and Bayline Ferries began on Saturday.", "began", "Talks began on Saturday"),
    ("Former Vice President Joe Biden of Delaware won the South Carolina primary.", "won",  # the name after its title
     "Vice President Joe Biden won the South Carolina primary"),
    # never from inside a name (was "Bay Ferry Workers Union voted")
    ("The Kestrel Bay Ferry Workers Union voted on Thursday.", "voted",
     "Kestrel Bay Ferry Workers Union voted on Thursday"),
    ("The president's alleged mental decline continued with more gaffes.", "continued",
     "alleged mental decline continued with more gaffes"),
    ("They prayed to the god Thoth, who has the head of an ibis, the guardian of scribes.", "prayed",
     "They prayed to the god Thoth, the guardian of scribes")])  # the clause left out leaves one comma, not two
def test_a_descriptions_who_part_keeps_its_head_and_whole_names(parser, sentence, verb, described):
    doc = parser(sentence)
    trigger = next(t for t in doc if t.text == verb)
    assert events.describe(trigger, events.subject_of(trigger), []) == described
