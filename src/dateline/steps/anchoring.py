"""When the events of a parsed sentence happened: a time expression that governs one (``dated_events``), else the
reference time of its sentence, of the narrative or of the publication, by tense (``anchor_undated``); and how
sure that is (``confidence``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Span, Token

from dateline.steps.events import (
    Discourse,
    Event,
    When,
    anchor_of,
    build_event,
    event_class,
    event_object,
    inside_name,
    is_event_noun,
    may_take_part,
)
from dateline.timex import Timex, governing_verb, interval, tense_of

LEDE = 0  # the sentence whose past events are taken as the news of the publication date
NEWS_WINDOW = dt.timedelta(days=7)  # a report in the past about a date this close to the publication is at that date
BACKGROUND_REACH = 1  # sentences over which a date before the news window stays the narrative's
ANCHOR_CONFIDENCE = {"timex": 1.0, "publication": 0.5, "narrative": 0.4, "none": 0.3}
LINKED_CONFIDENCE = 0.8  # an event dated by the time expression of another predicate of its clause chain


def confidence(*, anchor_confidence: float, has_actor: bool, place_from_dateline: bool, pronoun: bool,
               expected: bool = False) -> float:
    """A ranking score in [0, 1] (not a calibrated probability): 1 for an event dated by its own time expression
    with a named actor and place found in its own clause, less for each thing inferred, and less for an event
    still expected ("will hit on Tuesday": a forecast is less sure than a report of what happened)."""
    score = anchor_confidence
    score -= 0.2 if expected else 0.0
    score -= 0.0 if has_actor else 0.2
    score -= 0.1 if place_from_dateline else 0.0
    score -= 0.1 if pronoun else 0.0
    return max(round(score, 2), 0.0) + 0.0  # never below 0, and never -0.0


def dated_events(sent: Span, timexes: list[Timex], mentions: list[dict], earlier: list[dict],
                 discourse: Discourse | None = None) -> list[Event]:
    """One event per DATE/TIME expression of a parsed sentence whose value denotes a calendar interval."""
    out = []
    for timex in timexes:
        bounds = interval(timex.value)
        if timex.type not in ("DATE", "TIME") or bounds is None:
            continue
        span = sent.doc.char_span(timex.start, timex.end, alignment_mode="expand")
        trigger = anchor_of(span) if span is not None else None
        if trigger is None:
            continue
        event = build_event(sent, trigger, mentions, earlier, discourse)
        start, end, granularity = bounds
        out.append(replace(event, when=When(value=timex.value, start_date=start, end_date=end,
                                            granularity=granularity, anchor="timex",
                                            anchor_confidence=ANCHOR_CONFIDENCE["timex"], timex_text=timex.text,
                                            timex_start=timex.start)))
    return out


def _aspect(verb: Token) -> str:
    """future, perfect ("has begun"), pluperfect ("had said": before the narrative's time), present or past: what
    places an undated event against the publication date."""
    tense = tense_of(verb)
    if tense > 0:
        return "future"
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("had", "'d") and c.tag_ == "VBD" for c in verb.children) \
            and verb.tag_ == "VBN":
        return "pluperfect"
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ("has", "have", "'ve", "'s") and c.tag_ in ("VBZ", "VBP")
           for c in verb.children):
        return "perfect"
    return "present" if tense == 0 else "past"


def _predicates(sent: Span) -> Iterator[Token]:
    """The tokens of a sentence that can name an event: main verbs (not auxiliaries, not "be"), and event nouns."""
    for token in sent:
        if token.pos_ == "VERB" and token.dep_ not in ("aux", "auxpass") and token.lemma_.lower() != "be":
            yield token
        elif token.pos_ == "NOUN" and is_event_noun(token.lemma_.lower()):
            yield token


def undated_events(sent: Span, dated: list[Event], mentions: list[dict], earlier: list[dict],
                   *, lede: bool, narrative: When | None, dct: dt.date | None,
                   discourse: Discourse | None = None) -> list[Event]:
    """The other events of a parsed sentence: every predicate with a participant (an entity in one of its
    arguments) that no time expression dates, anchored by its sentence or its tense (see ``anchor_undated``).
    ``dated`` are the sentence's ``dated_events``."""
    taken = {e.trigger_i for e in dated}
    out = []
    for trigger in _predicates(sent):
        if trigger.i in taken or (trigger.pos_ == "NOUN" and (inside_name(trigger, mentions)
                                                               or event_object(trigger.head) is trigger)):
            continue  # "the Worldwide Developers Conference" is a name; "landfall" in "made landfall" is the verb's
        if not may_take_part(trigger, mentions, discourse):
            continue  # no name and no reference where a participant could be: skip building the event
        event = build_event(sent, trigger, mentions, earlier, discourse)
        if not event.participants:
            continue
        out.append(replace(event, when=anchor_undated(trigger, dated, lede=lede, narrative=narrative, dct=dct)))
    return out


NO_DATE = When(anchor="none", anchor_confidence=ANCHOR_CONFIDENCE["none"])


def anchor_undated(trigger: Token, dated: list[Event], *, lede: bool, narrative: When | None,
                   dct: dt.date | None) -> When:
    """When an event no time expression dates took place, and how that was decided (``anchor``):

    - ``narrative``, the reference time of its sentence: it shares a clause chain with a dated event of its
      sentence ("On Monday Sanders endorsed Biden and ended his bid"): that event's date (its time expression in
      ``timex_text``);
    - ``narrative``, the news of the narrative: a report in the past ("said") when the narrative's reference time
      is within ``NEWS_WINDOW`` before the publication ("Apple held an event on Friday. Jobs said ..."): that date;
    - ``publication``: a report ("said"), a perfect ("has begun") or a present in the news is at the publication
      date, and so is the past of the lede (its news);
    - ``narrative``, the narrative's reference time: a past event (not a state, not a progressive) in a sentence
      after one dated in the past (the last such date of the document stays in force until another is set; but a
      background date, before the news window, holds only for ``BACKGROUND_REACH`` sentence: then the narrative is
      back at the last news date, or there is none): that date;
    - ``none``: a future, a pluperfect ("had said": before the reference time) or anything else (or a report
      without a publication date): kept, undated, in document order.
    """
    for event in dated:
        if _linked(trigger, trigger.doc[event.trigger_i]):
            return replace(event.when, anchor="narrative", anchor_confidence=LINKED_CONFIDENCE, timex_start=-1)
    aspect = _aspect(trigger)
    if aspect in ("future", "pluperfect"):
        return NO_DATE
    reporting = event_class(trigger.lemma_.lower()) == "REPORTING"
    if reporting and aspect == "past" and narrative is not None and dct is not None \
            and dct - narrative.end_date <= NEWS_WINDOW:
        return replace(narrative, anchor="narrative", anchor_confidence=ANCHOR_CONFIDENCE["narrative"])
    if aspect in ("perfect", "present") or reporting or lede:
        return _at_publication(dct)
    # a state ("knew", "wanted") or a past progressive ("was providing") holds around the narrative's time, not at it
    progressive = trigger.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("was", "were")
                                                for c in trigger.children)
    if narrative is not None and not progressive and event_class(trigger.lemma_.lower()) not in ("STATE", "I_STATE"):
        return replace(narrative, anchor="narrative", anchor_confidence=ANCHOR_CONFIDENCE["narrative"])
    return NO_DATE


OTHER_TIME_MARKERS = {"after", "before", "since", "until", "till", "once"}


def _linked(a: Token, b: Token) -> bool:
    """Whether two predicates share a clause chain: coordinated verbs or a verb and its participle ("endorsed ...
    and ended"), or an event noun and the verb it is an argument of ("launched airstrikes"). A clause that says
    its time is another ("a day after Orla made landfall", "before he left") is not linked. An event noun is linked
    to the participle that modifies it ("the campaign, launched in August")."""
    for noun, verb in ((a, b), (b, a)):
        if noun.pos_ == "NOUN" and verb.dep_ == "acl" and verb.head.i == noun.i:
            return True

    def up(t: Token) -> Token:
        if t.pos_ == "NOUN":
            t = governing_verb(t) or t
        while t.dep_ in ("conj", "advcl", "xcomp") and t.head is not t and t.pos_ in ("VERB", "AUX"):
            if t.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in OTHER_TIME_MARKERS for c in t.children):
                break
            t = t.head
        return t
    return up(a).i == up(b).i  # Tokens are views made on access: compare positions


def _at_publication(dct: dt.date | None) -> When:
    """An event placed at the publication date (``anchor`` publication); undated without one."""
    if dct is None:
        return NO_DATE
    return When(value=dct.isoformat(), start_date=dct, end_date=dct, granularity="day", anchor="publication",
                anchor_confidence=ANCHOR_CONFIDENCE["publication"])
