"""Events from parsed sentences: every verb or event noun with a participant (an entity named in its arguments
or referred to there by a pronoun or "the company"), its class, actors, participants with their roles, places, a
description, and when it happened (``anchor``: timex, narrative, publication or none; see ``anchor_undated``).

The sentences parsed are the headline when it names an entity of the body, and those that name an entity, refer to
one named just before or hold a date or time (``plan``); the others can hold no event with a participant, and their
time expressions (durations, "now") are tagged without a parse.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
from spacy.tokens import Span, Token

from dateline import columns as C
from dateline import coreference
from dateline.entities import PLACE_LABELS
from dateline.executor import Executor, pipeline
from dateline.io import package_table, parquet_parts, read_parquet
from dateline.nlp import PARSE, batch_vocab, parsed_doc, processes, verb_lemmas
from dateline.progress import bar, progress
from dateline.timex import Timex, governing_verb, interval, tense_of

REPORTING = {"say", "tell", "report", "announce", "state", "add", "claim", "confirm", "deny", "note", "warn",
             "insist", "declare", "write", "explain", "acknowledge", "disclose", "reveal", "testify"}
ASPECTUAL = {"begin", "start", "end", "finish", "continue", "stop", "resume", "complete", "halt", "launch",
             "initiate", "conclude", "cease", "suspend"}
I_ACTION = {"try", "attempt", "plan", "promise", "seek", "refuse", "decline", "agree", "request", "ask", "propose",
            "vow", "threaten", "offer", "order", "urge", "call", "demand", "allow", "approve", "authorize"}
I_STATE = {"want", "fear", "hope", "expect", "believe", "think", "intend", "need", "doubt", "view", "consider"}
STATE = {"be", "have", "remain", "live", "own", "know", "hold", "stay", "lie", "contain"}
PERCEPTION = {"see", "hear", "watch", "observe", "notice", "witness"}
# verbs whose subject undergoes the event rather than does it (PropBank's Arg1): "Jobs died", "shares fell"
UNACCUSATIVE = {"die", "arrive", "come", "fall", "rise", "drop", "happen", "occur", "grow", "increase", "decrease",
                "decline", "collapse", "disappear", "appear", "emerge", "exist", "sink", "surge", "plunge", "soar",
                "tumble", "slump", "climb", "slide", "jump", "gain", "dip", "fluctuate", "recover", "rebound"}
ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP")  # a place is an actor only as a subject ("Iran said")
LEDE = 0  # the sentence whose past events are taken as the news of the publication date
NEWS_WINDOW = dt.timedelta(days=7)  # a report in the past about a date this close to the publication is at that date
BACKGROUND_REACH = 1  # sentences over which a date before the news window stays the narrative's
_PATIENT_DEPS = ("dobj", "dative", "attr", "oprd")


DERIVING_SUFFIXES = (("ation", ("ate", "e", "")), ("ition", ("ite", "e", "")), ("ction", ("ct", "ce")),
                     ("sion", ("de", "se", "d", "t")), ("ion", ("", "e")), ("ment", ("",)), ("ance", ("", "e")),
                     ("ence", ("", "e")), ("al", ("", "e")), ("ure", ("", "e")))  # suffix, the verb's endings


@cache
def _event_noun_table() -> dict[str, str]:
    return {row["noun"]: row["kind"] for row in package_table("event_nouns.csv")}


def is_event_noun(lemma: str, verbs: Container[str] | None = None) -> bool:
    """Whether a noun's lemma names something that happens: listed as an event in data/event_nouns.csv, or derived
    from one of ``verbs`` (default: the English model's verb lemmas) by a suffix ("resignation", "settlement")
    and not listed as a thing ("government")."""
    verbs = verb_lemmas() if verbs is None else verbs
    kind = _event_noun_table().get(lemma)
    if kind is not None:
        return kind == "event"
    for suffix, endings in DERIVING_SUFFIXES:
        if lemma.endswith(suffix) and len(lemma) > len(suffix) + 2:
            stem = lemma[: -len(suffix)]
            return any(stem + ending in verbs for ending in endings)
    return False


def event_class(lemma: str) -> str:
    """The TimeML class of an event trigger's lemma (OCCURRENCE unless a known list says otherwise)."""
    for name, words in (("REPORTING", REPORTING), ("ASPECTUAL", ASPECTUAL), ("I_ACTION", I_ACTION),
                        ("I_STATE", I_STATE), ("PERCEPTION", PERCEPTION), ("STATE", STATE)):
        if lemma in words:
            return name
    return "OCCURRENCE"


def anchor_of(span: Span) -> Token | None:
    """The event a time expression anchors: its governing verb, or an event noun it modifies ("the August attack")."""
    root = span.root
    head = root.head.head if root.dep_ == "pobj" else root.head
    if head is not root and head.pos_ == "NOUN" and is_event_noun(head.lemma_.lower()):
        return head
    return governing_verb(root)


def subject_of(verb: Token) -> Token | None:
    """The subject of ``verb``, shared with the verb it is coordinated with, controlled by or is a participle
    adjunct of ("..., saying") when it has none.

    None when that is ambiguous: a verb coordinated with a reporting verb that reports a clause with its own subject
    ("an official said the coalition was not providing airstrikes, but launched airstrikes on Beiji") may share
    either subject, and a wrong actor is worse than none.
    """
    for _ in range(10):
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
        if subjects:
            return subjects[0]
        if (verb.dep_ in ("conj", "xcomp") or _participial_adjunct(verb)) and verb.head is not verb:
            head = verb.head
            if verb.dep_ == "conj" and event_class(head.lemma_.lower()) == "REPORTING":
                reported = [c for c in head.children if c.dep_ == "ccomp" and c.i < verb.i
                            and any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)]
                if reported:
                    return _contrasted_subject(reported[-1], verb)
            verb = head
            continue
        return None
    return None


INITIATING = {"launch", "begin", "start", "initiate", "resume", "continue"}  # whoever does these does their object


def _doer_subject(trigger: Token) -> Token | None:
    """The subject that names a predicate's doer: a verb's own (``subject_of``), or for an event noun that is the
    object of a verb that starts or continues it, that verb's ("the coalition launched airstrikes": the coalition's
    airstrikes; not "the coalition condemned the attack")."""
    if trigger.pos_ in ("VERB", "AUX"):
        return subject_of(trigger)
    if trigger.pos_ == "NOUN" and trigger.dep_ == "dobj" and trigger.head.lemma_.lower() in INITIATING:
        return subject_of(trigger.head)
    return None


def _contrasted_subject(reported: Token, verb: Token) -> Token | None:
    """The subject a verb coordinated with a reporting verb takes from the clause reported before it, when the two
    are contrasted as "not ..., but ..." ("an official said the coalition was not providing airstrikes, but
    launched airstrikes on Beiji": the coalition launched them); None otherwise, where either subject may be meant."""
    negated = any(c.dep_ == "neg" for c in reported.children)
    but = any(c.dep_ == "cc" and c.lower_ == "but" and reported.i < c.i < verb.i for c in verb.head.children)
    if not (negated and but):
        return None
    return next(c for c in reported.children if c.dep_ in ("nsubj", "nsubjpass"))


def _participial_adjunct(verb: Token) -> bool:
    """A participle clause without a subject or a linking word, whose doer is the main clause's subject ("Jobs
    unveiled the phone, saying ...")."""
    return verb.dep_ == "advcl" and verb.tag_ == "VBG" and not any(c.dep_ in ("mark", "nsubj", "nsubjpass")
                                                                   for c in verb.children)


def _clause_tokens(trigger: Token) -> list[Token]:
    """The trigger's own clause: its subtree, without reported speech (ccomp) under a reporting verb."""
    skip = set()
    if event_class(trigger.lemma_.lower()) == "REPORTING":
        for child in trigger.children:
            if child.dep_ in ("ccomp", "xcomp", "parataxis"):
                skip |= {t.i for t in child.subtree}
    return [t for t in trigger.subtree if t.i not in skip]


_CLAUSE_DEPS = ("acl", "relcl", "advcl", "ccomp", "xcomp", "csubj", "parataxis")


def _phrase(token: Token) -> list[Token]:
    """A noun phrase without the clauses embedded in it ("the role of the militias [in the fight to retake X]")."""
    inner = {t.i for c in token.subtree if c.dep_ in _CLAUSE_DEPS and c is not token for t in c.subtree}
    return [t for t in token.subtree if t.i not in inner]


def _entities_in(tokens: list[Token], mentions: list[dict]) -> list[dict]:
    chars = {(t.idx, t.idx + len(t)) for t in tokens}
    starts = {s for s, _ in chars}
    return [m for m in mentions if m["local_start"] in starts or any(s <= m["local_start"] < e for s, e in chars)]


class Doer(NamedTuple):
    """Who a common noun phrase stands for: its words as first written, and the actors named in them."""
    text: str
    actors: tuple[tuple[str, str], ...]  # (entity_id, name)


@dataclass
class Discourse:
    """What a document said before the sentence at hand, to find who a bare definite subject ("the coalition",
    "the flights") stands for when it names no one: the last doer that a common noun headed ("The U.S.-led
    coalition ... has begun" for a later "the coalition"), and the doer of the last event named by each event noun
    ("the coalition has begun surveillance flights" for a later "the flights began": the coalition began them).
    Only doers with a named actor are kept. Filled sentence by sentence (``remember``)."""
    phrases: dict[str, Doer] = field(default_factory=dict)
    event_doers: dict[str, Doer] = field(default_factory=dict)

    def doer_of(self, subject: Token, trigger: Token) -> Doer | None:
        """The doer a bare definite common-noun subject refers back to, or None: for an event noun that begins,
        ends or goes on (an aspectual verb), the doer of that event; for another noun, the doer it repeats. A
        subject with words of its own ("the new iPod design", "the two companies") is a description, not a
        repetition."""
        if subject.pos_ != "NOUN" or not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in subject.children) \
                or any(c.dep_ not in ("det", "cc", "conj", "punct") for c in subject.children):
            return None
        lemma = subject.lemma_.lower()
        if is_event_noun(lemma):
            aspectual = event_class(trigger.lemma_.lower()) == "ASPECTUAL" and subject.dep_ == "nsubj"
            return self.event_doers.get(lemma) if aspectual else None
        return self.phrases.get(lemma)

    def remember(self, sent: Span, mentions: list[dict], built: list[tuple[Token, dict]]) -> None:
        """Note the doers of the sentence's events that have an actor: by the common noun heading their subject
        (an active one), and by the event noun that names the event or is the object of its verb."""
        for trigger, event in built:
            if not event[C.ACTORS]:
                continue
            doer = Doer(event["agent"], tuple(zip(event[C.ACTORS], event["actor_names"], strict=True)))
            subject = subject_of(trigger) if trigger.pos_ in ("VERB", "AUX") else None
            if subject is not None and subject.dep_ == "nsubj" and subject.pos_ == "NOUN" \
                    and not _inside_name(subject, mentions) and trigger.lemma_.lower() not in UNACCUSATIVE:
                self.phrases[subject.lemma_.lower()] = doer
            named = event_object(trigger) or trigger
            if named.pos_ == "NOUN":
                self.event_doers[named.lemma_.lower()] = doer
            for child in named.children:  # "has begun surveillance flights": the flights are the coalition's too
                if child.dep_ == "dobj" and child.pos_ == "NOUN" and is_event_noun(child.lemma_.lower()):
                    self.event_doers[child.lemma_.lower()] = doer


DEFINITE = {"the", "this", "these", "those"}
def build_event(sent: Span, trigger: Token, mentions: list[dict], earlier: list[dict],
                discourse: Discourse | None = None) -> dict:
    """Trigger, class, actors (entity_ids), agent text, places and clause text of one event in a parsed sentence.

    ``mentions`` carry ``local_start`` (offset into the sentence doc) and ``label``/``entity_id``/``name``;
    ``earlier`` are the mentions of the sentences before, where a pronoun's antecedent may be; ``discourse``
    what the document said before, where a common-noun subject's doer may be.
    """
    subject = _doer_subject(trigger)
    clause = _clause_tokens(trigger)
    subject_tokens = _phrase(subject) if subject is not None else []
    if trigger.dep_ == "acl":  # "the U.S.-led campaign, launched in August": the noun phrase stands for the actor
        subject_tokens += [t for t in _phrase(trigger.head) if t not in set(trigger.subtree)]
    elif trigger.pos_ == "NOUN":  # an event noun: "the U.S. offensive", "Apple's lawsuit", not "strikes on Beiji"
        subject_tokens += [t for t in _phrase(trigger) if t.i < trigger.i]
    agent_tokens = [t for child in trigger.children if child.dep_ == "agent" for t in child.subtree]
    # The main actor first: the named agent of a passive ("killed by a United States airstrike"), then the entity
    # that heads the subject ("Indonesia's security minister Wiranto" -> Wiranto), then people and organisations.
    actors = [m for m in _entities_in(agent_tokens, mentions) if m[C.LABEL] in ACTOR_LABELS]
    actors += _by_prominence([m for m in _entities_in(subject_tokens, mentions) if m[C.LABEL] in ACTOR_LABELS],
                             subject)
    resolved_pronoun = False
    agent = _agent_text(trigger, subject)
    if not actors and subject is not None and subject.dep_ != "nsubjpass":
        antecedent = _reference(subject, mentions, earlier)
        if antecedent is not None and antecedent[C.LABEL] in ACTOR_LABELS:
            actors, resolved_pronoun = [antecedent], True
        elif antecedent is None and discourse is not None and not _inside_name(subject, mentions):
            doer = discourse.doer_of(subject, trigger)
            if doer is not None:  # "the coalition" -> "The U.S.-led coalition", and who it names
                actors = [{C.ENTITY_ID: entity_id, C.NAME: name} for entity_id, name in doer.actors]
                agent = doer.text
    places = [m for m in _entities_in(clause, mentions) if m[C.LABEL] in PLACE_LABELS
              and m[C.ENTITY_ID] not in {a[C.ENTITY_ID] for a in actors}]
    participants = _participants(trigger, subject, mentions, earlier, actors)
    words = [t for t in clause if not (t.is_punct or t.is_space)] or clause
    named = event_object(trigger) or trigger  # "made landfall": the event is the landfall
    who = subject if subject is not None or trigger.dep_ != "acl" else trigger.head  # "the campaign, launched"
    extent = trigger_extent(named)
    first, last = min(words, key=lambda t: t.i), max(words, key=lambda t: t.i)
    left = first.idx
    return {
        C.TRIGGER: named.lemma_.lower(),
        C.EVENT_CLASS: event_class(named.lemma_.lower()),
        C.ACTORS: _unique(a[C.ENTITY_ID] for a in actors),
        "actor_names": _unique(a[C.NAME] for a in actors),
        "agent": agent,
        C.PLACES: _unique(p[C.ENTITY_ID] for p in places),
        "place_names": _unique(p[C.NAME] for p in places),
        C.TEXT: sent.doc[first.i : last.i + 1].text,  # not doc.text[...]: that joins the whole doc each time
        "clause_start": left,
        C.PARTICIPANTS: [entity_id for entity_id, _ in participants],
        C.ROLES: [role for _, role in participants],
        C.TRIGGER_TEXT: extent.text,
        C.DESCRIPTION: describe(trigger, who, actors if resolved_pronoun or _names_head(who, actors) else []),
        "trigger_local": extent.start_char,
        "pronoun_resolved": resolved_pronoun,
        "expected": trigger.pos_ in ("VERB", "AUX") and tense_of(trigger) > 0,
    }


LIGHT_VERBS = {"make", "give", "take", "hold", "carry", "conduct", "stage", "deliver"}


def event_object(verb: Token) -> Token | None:
    """The event noun a light verb's object names, which is the event ("made landfall", "gave a keynote", "carried
    out raids"), or None."""
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in LIGHT_VERBS:
        return None
    return next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "ADJ")  # "landfall" ADJ
                 and is_event_noun(c.lemma_.lower())), None)


def trigger_extent(trigger: Token) -> Span:
    """The words that name the event: the trigger, with the particle of a phrasal verb that follows it ("took
    off", "step down"; "took it off" keeps only "took": an extent is one run of words)."""
    following = trigger.doc[trigger.i + 1] if trigger.i + 1 < len(trigger.doc) else None
    if following is not None and following.dep_ == "prt" and following.head.i == trigger.i:
        return trigger.doc[trigger.i : trigger.i + 2]
    return trigger.doc[trigger.i : trigger.i + 1]


def _may_take_part(trigger: Token, mentions: list[dict], discourse: Discourse | None = None) -> bool:
    """Whether a name or a reference lies where ``build_event`` looks for participants (the subtrees of the
    trigger, of its subject and, for a participle, of the noun it modifies), or the subject repeats a phrase that
    named one; a cheap test that skips the rest."""
    subject = _doer_subject(trigger)
    if subject is not None and discourse is not None and (discourse.doer_of(subject, trigger) or Doer("", ())).actors:
        return True
    doc = trigger.doc
    for head in (trigger, subject, trigger.head if trigger.dep_ == "acl" else None):
        if head is None:
            continue
        low, high = head.left_edge.i, head.right_edge.i + 1
        start, end = doc[low].idx, doc[high - 1].idx + len(doc[high - 1])
        if any(start <= m["local_start"] < end for m in mentions) or any(
                coreference.kinds_of(t) for t in doc[low:high]):
            return True
    return False


def _names_head(subject: Token | None, actors: list[dict]) -> bool:
    """Whether the main actor's name holds the subject's head word ("Indonesia's minister Wiranto" names Wiranto;
    "the U.S.-led coalition" is not the United States), so that a description may name it instead."""
    return subject is None or bool(actors) and "local_start" in actors[0] and _inside_name(subject, actors[:1])


def _inside_name(token: Token, mentions: list[dict]) -> bool:
    return any(m["local_start"] <= token.idx < m["local_start"] + (m[C.END] - m[C.START]) for m in mentions)


def _reference(token: Token, mentions: list[dict], earlier: list[dict]) -> dict | None:
    """The entity mention a pronoun or definite description (``token``, not itself part of a name) refers to."""
    if _inside_name(token, mentions):
        return None
    kinds = coreference.kinds_of(token)
    if not kinds:
        return None
    if token.dep_ == "nsubj" and event_class(token.head.lemma_.lower()) == "REPORTING" and any(
            c.dep_ in ("ccomp", "parataxis") and c.i < token.i for c in token.head.children):
        mentions = []  # "Orla battered the city, she said": the speaker is not named in what she said
    return coreference.antecedent(token, kinds, mentions, earlier)


DESCRIPTION_CHARS = 70


def describe(trigger: Token, subject: Token | None, actors: list[dict]) -> str:
    """The event in a few words, in the text's order: who (the main actor's name, else the subject as written),
    the trigger as written with its auxiliaries, negation and particle, and its object or first prepositional
    phrase ("Iran launched missiles", "a senior coalition official said", "airstrikes on the nearby oil-refinery
    town of Beiji"); a passive keeps the text's order: "the flights were requested by the Iraqi government"."""
    modifier = trigger.dep_ == "acl"  # "the campaign, launched in August": ``subject`` is the noun it modifies
    passive = subject is not None and (subject.dep_ == "nsubjpass" and not modifier
                                       or any(c.dep_ == "auxpass" for c in trigger.children)
                                       or modifier and trigger.tag_ == "VBN")
    if passive:
        who = _words(_phrase(subject)[-4:])
    else:
        who = actors[0][C.NAME] if actors else (_words(_phrase(subject)[-4:]) if subject is not None else "")
    objects = [c for c in trigger.children if c.dep_ in (("agent",) if passive else ("dobj", "attr", "oprd"))]
    if not objects:
        objects = [c for c in trigger.children if c.dep_ == "prep" and any(g.dep_ == "pobj" for g in c.children)][:1]
    if trigger.pos_ == "NOUN":  # "the U.S.-led air campaign": the noun with what comes before it in its phrase
        verb = [t for left in trigger.lefts for t in left.subtree] + [trigger]
    else:
        verb = sorted([trigger, *(c for c in trigger.children if c.dep_ in ("neg", "prt", "aux", "auxpass")
                                  and abs(c.i - trigger.i) <= 3)], key=lambda t: t.i)
    parts = [who if trigger.pos_ != "NOUN" else "", _words(verb), _words(_phrase(objects[0]) if objects else [])]
    text = " ".join(p for p in parts if p)
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[: text.rfind(" ", 0, DESCRIPTION_CHARS - 1)] + "\u2026"


def _words(tokens: list[Token]) -> str:
    """Tokens as written, with the text's own spacing ("oil-refinery", "group's"), punctuation at the ends left out."""
    tokens = sorted(tokens, key=lambda t: t.i)
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    return "".join(t.text_with_ws for t in tokens).strip()


def _participants(trigger: Token, subject: Token | None, mentions: list[dict], earlier: list[dict],
                  actors: list[dict]) -> list[tuple[str, str]]:
    """``(entity_id, role)`` of every entity, of any label, named in an argument of the trigger or referred to by
    its head (a pronoun, "the company"): the agent (the subject of an active verb, the by-phrase of a passive, the
    possessor of an event noun: "Apple's lawsuit", "his resignation"), the patient (the object, the subject of a
    passive or of a verb its subject undergoes: "Jobs died", "shares fell"), and the object of a preposition
    attached to the trigger (role: the preposition, "on Beiji"). The actors are agents if not found so."""
    roles: list[tuple[Token, str]] = []
    if subject is not None:
        undergoes = subject.dep_ == "nsubjpass" or (trigger.lemma_.lower() in UNACCUSATIVE and not any(
            c.dep_ == "dobj" for c in trigger.children))
        roles.append((subject, "patient" if undergoes else "agent"))
    for child in trigger.children:
        if child.dep_ == "agent":
            roles += [(g, "agent") for g in child.children if g.dep_ == "pobj"]
        elif child.dep_ == "poss":
            roles.append((child, "agent"))
        elif child.dep_ in _PATIENT_DEPS:
            roles.append((child, "patient"))
        elif child.dep_ == "prep":
            roles += [(g, child.lower_) for g in child.children if g.dep_ == "pobj"]
    found: dict[str, str] = {}
    for head, role in roles:
        named = _entities_in(_phrase(head), mentions)
        if not named:
            referred = _reference(head, mentions, earlier)
            named = [referred] if referred is not None else []
        for m in named:
            found.setdefault(m[C.ENTITY_ID], role)
    for actor in actors:
        found.setdefault(actor[C.ENTITY_ID], "agent")
    return list(found.items())


def _by_prominence(found: list[dict], head: Token | None) -> list[dict]:
    """Entities of a phrase, the one its head word belongs to first, then people, organisations, the rest."""
    def rank(m: dict) -> tuple:
        heads = head is not None and m["local_start"] <= head.idx < m["local_start"] + (m[C.END] - m[C.START])
        return (not heads, {"PERSON": 0, "ORG": 1}.get(m[C.LABEL], 2), m["local_start"])
    return sorted(found, key=rank)


def _agent_text(trigger: Token, subject: Token | None) -> str:
    """The subject as written ("a senior coalition official"), even when it names no entity."""
    if subject is not None:
        tokens = _phrase(subject)
    elif trigger.dep_ == "acl":
        tokens = [t for t in _phrase(trigger.head) if t not in set(trigger.subtree) and not t.is_punct]
    else:
        return ""
    return trigger.doc[tokens[0].i : tokens[-1].i + 1].text if tokens else ""


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


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
                 discourse: Discourse | None = None) -> list[dict]:
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
        out.append(event | {C.VALUE: timex.value, C.START_DATE: start, C.END_DATE: end,
                            C.GRANULARITY: granularity, C.ANCHOR: "timex", "timex_text": timex.text,
                            "anchor_confidence": ANCHOR_CONFIDENCE["timex"], "timex_start": timex.start,
                            "trigger_i": trigger.i})
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


def undated_events(sent: Span, dated: list[dict], mentions: list[dict], earlier: list[dict],
                   *, lede: bool, narrative: dict | None, dct: dt.date | None,
                   discourse: Discourse | None = None) -> list[dict]:
    """The other events of a parsed sentence: every predicate with a participant (an entity in one of its
    arguments) that no time expression dates, anchored by its sentence or its tense (see ``anchor_undated``).
    ``dated`` are the sentence's ``dated_events``."""
    taken = {e["trigger_i"] for e in dated}
    out = []
    for trigger in _predicates(sent):
        if trigger.i in taken or (trigger.pos_ == "NOUN" and (_inside_name(trigger, mentions)
                                                               or event_object(trigger.head) is trigger)):
            continue  # "the Worldwide Developers Conference" is a name; "landfall" in "made landfall" is the verb's
        if not _may_take_part(trigger, mentions, discourse):
            continue  # no name and no reference where a participant could be: skip building the event
        event = build_event(sent, trigger, mentions, earlier, discourse)
        if not event[C.PARTICIPANTS]:
            continue
        out.append(event | {"timex_text": "", "timex_start": -1, "trigger_i": trigger.i}
                   | anchor_undated(trigger, dated, lede=lede, narrative=narrative, dct=dct))
    return out


NO_DATE = {C.VALUE: "", C.START_DATE: None, C.END_DATE: None, C.GRANULARITY: "none", C.ANCHOR: "none",
           "anchor_confidence": ANCHOR_CONFIDENCE["none"]}


def anchor_undated(trigger: Token, dated: list[dict], *, lede: bool, narrative: dict | None,
                   dct: dt.date | None) -> dict:
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
        if _linked(trigger, trigger.doc[event["trigger_i"]]):
            return {k: event[k] for k in (C.VALUE, C.START_DATE, C.END_DATE, C.GRANULARITY, "timex_text")} | {
                C.ANCHOR: "narrative", "anchor_confidence": LINKED_CONFIDENCE}
    aspect = _aspect(trigger)
    if aspect in ("future", "pluperfect"):
        return NO_DATE
    reporting = event_class(trigger.lemma_.lower()) == "REPORTING"
    if reporting and aspect == "past" and narrative is not None and dct is not None \
            and dct - narrative[C.END_DATE] <= NEWS_WINDOW:
        return narrative | {C.ANCHOR: "narrative", "anchor_confidence": ANCHOR_CONFIDENCE["narrative"]}
    if aspect in ("perfect", "present") or reporting or lede:
        return _at_publication(dct)
    # a state ("knew", "wanted") or a past progressive ("was providing") holds around the narrative's time, not at it
    progressive = trigger.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("was", "were")
                                                for c in trigger.children)
    if narrative is not None and not progressive and event_class(trigger.lemma_.lower()) not in ("STATE", "I_STATE"):
        return narrative | {C.ANCHOR: "narrative", "anchor_confidence": ANCHOR_CONFIDENCE["narrative"]}
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


def extract(nlp, documents, sentences, mentions, *, batch_size: int = 64, n_process: int = 1):
    """Time expressions and events of every document, parsing in this process.

    Needs documents (doc_id, text, published, dateline_place), sentences (doc_id, sent_id, start, end) and mentions
    (doc_id, start, end, label, entity_id, name). Parses only the sentences that can hold an event (``plan``).
    Returns ``(timexes, events)`` as lists of dicts with offsets into the document text.
    """
    work = plan(documents, sentences, mentions)
    texts = [text for *_, text in work.parse]
    parsed = nlp.pipe(texts, batch_size=batch_size, n_process=processes(n_process, len(texts)))
    return _from_parsed(documents, work, progress(parsed, total=len(texts), desc="events", unit="sentence"))


# the columns of documents, sentences and mentions that extraction reads
DOCUMENT_COLUMNS = [C.DOC_ID, C.TITLE, C.TEXT, C.PUBLISHED, C.DATELINE_PLACE]
SENTENCE_COLUMNS = [C.DOC_ID, C.SENT_ID, C.START, C.END]
MENTION_COLUMNS = [C.DOC_ID, C.SENT_ID, C.START, C.END, C.LABEL, C.ENTITY_ID, C.NAME]
DOCUMENTS_PER_BATCH = 1_000  # documents planned, parsed and made rows at a time: memory holds one batch's


class Batch(NamedTuple):
    documents: object  # the batch's rows of documents (a DataFrame)
    timexes: list[dict]
    events: list[dict]


def extract_with(executor: Executor, model: str, batches: Iterable[tuple], *, total: int
                 ) -> Iterator[Batch]:
    """``extract`` through an executor (this process, or a Dask cluster) and its cache of parses by content, one
    batch of ``(documents, sentences, mentions)`` at a time (``document_batches`` of frames in memory,
    ``stored_batches`` of the stage files), so that only one batch's parses and rows are in memory as Python
    objects; ``total`` is the number of documents, for the progress bar. The workers parse the next batch while
    this process makes a batch's rows (``Executor.start``): one more batch's documents, sentences and mentions
    are held for it."""
    def made(docs, work, results) -> Batch:
        vocab = batch_vocab(pipeline(PARSE, model).vocab)
        return Batch(docs, *_from_parsed(docs, work, (parsed_doc(data, vocab) for data in results())))

    with bar(total=total, desc="timeline") as shown:
        waiting = None  # the previous batch, parsed by the workers while this process plans the next
        for docs, sents, ments in batches:
            work = plan(docs, sents, ments)
            started = (docs, work, executor.start(PARSE, model, [t for *_, t in work.parse]))
            if waiting is not None:
                yield made(*waiting)
                shown.update(len(waiting[0]))
            waiting = started
        if waiting is not None:
            yield made(*waiting)
            shown.update(len(waiting[0]))


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


def _named_before(by_sentence: dict[tuple[str, int], list[dict]], doc_id: str, sent_id: int) -> bool:
    """Whether an entity is named in the sentences a reference may point back to (``coreference.REACH``)."""
    return any((doc_id, sent_id - back) in by_sentence for back in range(1, coreference.REACH + 1))


HEADLINE = C.HEADLINE_SENT_ID  # the sent_id of a document's headline (``title``); its events' offsets are into it


def headline_mentions(title: str, text: str, mentions: list[dict]) -> list[dict]:
    """The names of a document's body found again in its headline, as mentions with offsets into the title: each
    surface form (as written in the body) or canonical name, as whole words, the longest first, never overlapping.
    The model's NER is not run on headlines: their capitals and missing articles mislead it."""
    forms: dict[str, dict] = {}
    for m in mentions:
        for form in (text[m[C.START]:m[C.END]], m[C.NAME]):
            if len(form) > 1:
                forms.setdefault(form, m)
    found, taken = [], []
    for form in sorted(forms, key=lambda f: (-len(f), f)):
        for hit in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", title):
            if not any(hit.start() < end and start < hit.end() for start, end in taken):
                taken.append((hit.start(), hit.end()))
                found.append(forms[form] | {C.SENT_ID: HEADLINE, C.START: hit.start(), C.END: hit.end()})
    return sorted(found, key=lambda m: m[C.START])


class Plan(NamedTuple):
    parse: list[tuple[str, int, int, str]]  # (doc_id, sent_id, start, text) of the sentences to parse
    tag_only: list[tuple[str, int, int, str]]  # sentences whose time expressions need no parse
    mentions: dict[tuple[str, int], list[dict]]  # each sentence's mentions


def plan(documents, sentences, mentions) -> Plan:
    """Which sentences to parse: the headline when it names an entity of its body, and those that name an entity,
    refer to one named just before (a pronoun, "the company") or hold a date or time (an event to anchor: "began
    Saturday"). The others can hold no event with a
    participant; a sentence with only a duration or "now" is tagged without a parse: those values do not depend
    on the tense."""
    from dateline.timex import tag

    texts = dict(zip(documents[C.DOC_ID], documents[C.TEXT], strict=True))
    titles = dict(zip(documents[C.DOC_ID], documents[C.TITLE], strict=True)) if C.TITLE in documents else {}
    by_sentence: dict[tuple[str, int], list[dict]] = {}
    by_document: dict[str, list[dict]] = {}
    for m in mentions.to_dict("records"):
        by_sentence.setdefault((m[C.DOC_ID], m[C.SENT_ID]), []).append(m)
        by_document.setdefault(m[C.DOC_ID], []).append(m)
    parse, tag_only = [], []
    for doc_id, sent_id, start, end in zip(sentences[C.DOC_ID], sentences[C.SENT_ID], sentences[C.START],
                                           sentences[C.END], strict=True):
        if sent_id == 0 and titles.get(doc_id):
            named = headline_mentions(titles[doc_id], texts[doc_id], by_document.get(doc_id, []))
            if named:
                by_sentence[(doc_id, HEADLINE)] = named
                parse.append((doc_id, HEADLINE, 0, titles[doc_id]))
        text = texts[doc_id][start:end]
        found = tag(text, None)
        if (doc_id, sent_id) in by_sentence or any(t.type in ("DATE", "TIME") and not t.value.endswith("_REF")
                                                   for t in found) or (_named_before(by_sentence, doc_id, sent_id)
                                                                       and coreference.may_refer(text)):
            parse.append((doc_id, sent_id, start, text))
        elif found:
            tag_only.append((doc_id, sent_id, start, text))
    return Plan(parse, tag_only, by_sentence)


def _at_publication(dct: dt.date | None) -> dict:
    """The date fields of an event placed at the publication date (``anchor`` publication); none without one."""
    if dct is None:
        return NO_DATE
    return {C.VALUE: dct.isoformat(), C.START_DATE: dct, C.END_DATE: dct, C.GRANULARITY: "day",
            C.ANCHOR: "publication", "anchor_confidence": ANCHOR_CONFIDENCE["publication"]}


def _timex_rows(doc_id: str, sent_id: int, start: int, found: list[Timex]) -> list[dict]:
    """Rows of timexes.parquet for a sentence's time expressions, with offsets into the document text."""
    return [{C.DOC_ID: doc_id, C.SENT_ID: sent_id} | t.to_dict() | {C.START: t.start + start, C.END: t.end + start}
            for t in found]


def _from_parsed(documents, work: Plan, parsed):
    from dateline.timex import tag, tag_doc

    published = dict(zip(documents[C.DOC_ID], documents[C.PUBLISHED], strict=True))
    timexes, events = [], []

    def dct_of(doc_id):
        dct = published[doc_id]
        if dct is None or dct != dct:  # missing dates arrive as None or NaN/NaT
            return None
        return dct.date() if hasattr(dct, "date") else dct

    for doc_id, sent_id, start, text in work.tag_only:
        timexes += _timex_rows(doc_id, sent_id, start, tag(text, dct_of(doc_id)))
    by_sentence = work.mentions
    reference: dict[str, tuple[int, dict]] = {}  # per document: the last sentence dated in the past, its date
    news: dict[str, dict] = {}  # per document: the last such date within NEWS_WINDOW of the publication
    discourses: dict[str, Discourse] = {}  # per document: the phrases and event doers said so far
    for (doc_id, sent_id, start, text), sent_doc in zip(work.parse, parsed, strict=True):
        dct = dct_of(doc_id)
        local = [m | {"local_start": m[C.START] - start} for m in by_sentence.get((doc_id, sent_id), [])]
        found = tag_doc(sent_doc, dct, text)
        headline = sent_id == HEADLINE
        if not headline:  # timexes.parquet's offsets are into the body
            timexes += _timex_rows(doc_id, sent_id, start, found)
        sent = sent_doc[:]
        where = {C.DOC_ID: doc_id, C.SENT_ID: sent_id, "sent_start": start}
        earlier = [m for back in range(coreference.REACH, 0, -1)
                   for m in by_sentence.get((doc_id, sent_id - back), [])]
        discourse = discourses.setdefault(doc_id, Discourse())
        dated = dated_events(sent, found, local, earlier, discourse)
        last = reference.get(doc_id)
        narrative = last[1] if last is not None and not headline else None
        if narrative is not None and sent_id - last[0] > BACKGROUND_REACH and dct - narrative[C.END_DATE] > NEWS_WINDOW:
            narrative = news.get(doc_id)  # a background date was a digression: back to the news date, if any
        # a headline's event is the story's: at the publication date unless it says otherwise, like the lede's
        undated = undated_events(sent, dated, local, earlier, lede=sent_id in (LEDE, HEADLINE),
                                 narrative=narrative, dct=dct, discourse=discourse)
        discourse.remember(sent, local, [(sent_doc[e["trigger_i"]], e) for e in dated + undated])
        events += [where | e for e in dated]
        events += [where | e for e in undated]
        past = [e for e in dated if dct is not None and e[C.END_DATE] <= dct and not headline]
        if past:
            reference[doc_id] = (sent_id, {k: past[-1][k] for k in (C.VALUE, C.START_DATE, C.END_DATE,
                                                                      C.GRANULARITY)})
            if dct - past[-1][C.END_DATE] <= NEWS_WINDOW:
                news[doc_id] = reference[doc_id][1]
    return timexes, events
