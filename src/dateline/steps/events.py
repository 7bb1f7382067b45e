"""Events from parsed sentences: every verb or event noun with a participant (an entity named in its arguments
or referred to there by a pronoun or "the company"), its class, actors, participants with their roles, places, a
description, and when it happened (``anchor``: timex, narrative, publication or none; see ``anchor_undated``).

The sentences parsed are the headline when it names an entity of the body, and those that name an entity, refer to
one named just before or hold a date or time (``plan``); the others can hold no event with a participant, and their
time expressions (durations, "now") are tagged without a parse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Container
from dataclasses import dataclass, field
from functools import cache
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from dateline import columns as C
from dateline.nlp import verb_lemmas
from dateline.package_data import package_table
from dateline.steps import coreference
from dateline.steps.entities import PLACE_LABELS
from dateline.timex import governing_verb, tense_of

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
_PATIENT_DEPS = ("dobj", "dative", "attr", "oprd")


@dataclass(frozen=True)
class When:
    """When an event happened and how that was decided (``anchoring``): a TIMEX3 value and its interval, what dated
    it (``anchor``: timex, narrative, publication or none) and how sure that is; the time expression that dates it,
    as written, and where it starts in the sentence (-1: none of its own)."""

    value: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    granularity: str = "none"
    anchor: str = "none"
    anchor_confidence: float = 0.0
    timex_text: str = ""
    timex_start: int = -1


@dataclass(frozen=True)
class Event:
    """One event as a sentence tells it (``build_event``): its trigger (a lemma, and as written with its offset in the
    sentence), class, actors and places (entity ids and names), the doer as written, every participant with its
    role, the clause's text and offset, a description; then when it happened (``anchoring``) and where it is told
    (``narrative``: document, sentence and the sentence's offset in the text). ``timeline.assemble`` makes it a row
    of events.parquet."""

    trigger: str
    event_class: str
    actors: list[str]
    actor_names: list[str]
    agent: str
    places: list[str]
    place_names: list[str]
    text: str  # the clause
    clause_start: int  # its offset in the sentence
    participants: list[str]
    roles: list[str]
    trigger_text: str
    trigger_local: int  # the trigger's offset in the sentence
    description: str
    pronoun_resolved: bool  # the actor is a pronoun's antecedent
    expected: bool  # told in the future tense
    trigger_i: int  # the trigger's token in the sentence's Doc
    when: When = When()
    doc_id: str = ""
    sent_id: int = 0
    sent_start: int = 0


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
    """A noun phrase without the clauses embedded in it ("the role of the militias [in the fight to retake X]").

    Kept in the Doc's ``user_data``: an event's subject is read again for its actors, agent, participants and
    description, and one subject often serves several events."""
    memo = token.doc.user_data.setdefault("dateline.phrase", {})
    if token.i not in memo:
        inner = {t.i for c in token.subtree if c.dep_ in _CLAUSE_DEPS and c is not token for t in c.subtree}
        memo[token.i] = tuple(t.i for t in token.subtree if t.i not in inner)
    return [token.doc[i] for i in memo[token.i]]


def _entities_in(tokens: list[Token], mentions: list[dict]) -> list[dict]:
    """The mentions that begin in one of ``tokens``."""
    if not tokens or not mentions:
        return []
    within = {t.i for t in tokens}
    token_at = _token_at(tokens[0].doc)
    return [m for m in mentions if token_at.get(m["local_start"]) in within]


def _token_at(doc: Doc) -> dict[int, int]:
    """Character offset -> the index of the token of ``doc`` that holds it (spaces between tokens are left out),
    kept in the Doc's ``user_data``."""
    found = doc.user_data.get("dateline.token_at")
    if found is None:
        found = doc.user_data["dateline.token_at"] = {c: t.i for t in doc for c in range(t.idx, t.idx + len(t))}
    return found


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

    def remember(self, mentions: list[dict], built: list[tuple[Token, Event]]) -> None:
        """Note the doers of the sentence's events that have an actor: by the common noun heading their subject
        (an active one), and by the event noun that names the event or is the object of its verb."""
        for trigger, event in built:
            if not event.actors:
                continue
            doer = Doer(event.agent, tuple(zip(event.actors, event.actor_names, strict=True)))
            subject = subject_of(trigger) if trigger.pos_ in ("VERB", "AUX") else None
            if subject is not None and subject.dep_ == "nsubj" and subject.pos_ == "NOUN" \
                    and not inside_name(subject, mentions) and trigger.lemma_.lower() not in UNACCUSATIVE:
                self.phrases[subject.lemma_.lower()] = doer
            named = event_object(trigger) or trigger
            if named.pos_ == "NOUN":
                self.event_doers[named.lemma_.lower()] = doer
            for child in named.children:  # "has begun surveillance flights": the flights are the coalition's too
                if child.dep_ == "dobj" and child.pos_ == "NOUN" and is_event_noun(child.lemma_.lower()):
                    self.event_doers[child.lemma_.lower()] = doer


DEFINITE = {"the", "this", "these", "those"}


def build_event(sent: Span, trigger: Token, mentions: list[dict], earlier: list[dict],
                discourse: Discourse | None = None) -> Event:
    """Trigger, class, actors (entity_ids), agent text, places and clause text of one event in a parsed sentence.

    ``mentions`` carry ``local_start`` (offset into the sentence doc) and ``label``/``entity_id``/``name``;
    ``earlier`` are the mentions of the sentences before, where a pronoun's antecedent may be; ``discourse``
    what the document said before, where a common-noun subject's doer may be.
    """
    subject = _doer_subject(trigger)
    clause = _clause_tokens(trigger)
    subject_tokens = _phrase(subject) if subject is not None else []
    if trigger.dep_ == "acl":  # "the U.S.-led campaign, launched in August": the noun phrase stands for the actor
        participle = {t.i for t in trigger.subtree}
        subject_tokens += [t for t in _phrase(trigger.head) if t.i not in participle]
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
        elif antecedent is None and discourse is not None and not inside_name(subject, mentions):
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
    return Event(
        trigger=named.lemma_.lower(),
        event_class=event_class(named.lemma_.lower()),
        actors=_unique(a[C.ENTITY_ID] for a in actors),
        actor_names=_unique(a[C.NAME] for a in actors),
        agent=agent,
        places=_unique(p[C.ENTITY_ID] for p in places),
        place_names=_unique(p[C.NAME] for p in places),
        text=sent.doc[first.i : last.i + 1].text,  # not doc.text[...]: that joins the whole doc each time
        clause_start=left,
        participants=[entity_id for entity_id, _ in participants],
        roles=[role for _, role in participants],
        trigger_text=extent.text,
        trigger_local=extent.start_char,
        description=describe(trigger, who, actors if resolved_pronoun or _names_head(who, actors) else []),
        pronoun_resolved=resolved_pronoun,
        expected=trigger.pos_ in ("VERB", "AUX") and tense_of(trigger) > 0,
        trigger_i=trigger.i,
    )


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


def may_take_part(trigger: Token, mentions: list[dict], discourse: Discourse | None = None) -> bool:
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
    return subject is None or bool(actors) and "local_start" in actors[0] and inside_name(subject, actors[:1])


def inside_name(token: Token, mentions: list[dict]) -> bool:
    return any(m["local_start"] <= token.idx < m["local_start"] + (m[C.END] - m[C.START]) for m in mentions)


def _reference(token: Token, mentions: list[dict], earlier: list[dict]) -> dict | None:
    """The entity mention a pronoun or definite description (``token``, not itself part of a name) refers to."""
    if inside_name(token, mentions):
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
    as_written = _words(_last_words(_phrase(subject), subject)) if subject is not None else ""
    who = actors[0][C.NAME] if actors and not passive else as_written
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


def _last_words(tokens: list[Token], head: Token, n: int = 4) -> list[Token]:
    """The last ``n`` words of a phrase, not starting on a comma, a conjunction or a possessive ending ("and Apex
    Shark Expeditions", ", Greece and Israel", "'s alleged mental decline" read as "Apex Shark Expeditions" ...);
    the last ``n`` up to its ``head`` when those would leave the head out ("Talks between the ferry union and
    Bayline Ferries" reads "Talks", not "union and Bayline Ferries"); and never from inside a name ("Kestrel Bay
    Ferry Workers Union", not "Bay Ferry Workers Union")."""
    tokens = sorted(tokens, key=lambda t: t.i)
    positions = [t.i for t in tokens]
    end = len(tokens)
    if head.i in positions and head.i not in positions[-n:]:
        end = positions.index(head.i) + 1
        while end < len(tokens) and tokens[end].pos_ == "PROPN" and positions[end] == positions[end - 1] + 1:
            end += 1  # the name after a title: "Vice President Joe Biden"
    start = max(end - n, 0)
    while 0 < start and tokens[start].pos_ == "PROPN" and tokens[start - 1].pos_ == "PROPN" \
            and tokens[start - 1].i == tokens[start].i - 1:
        start -= 1
    kept = tokens[start:end]
    while kept and (kept[0].is_punct or kept[0].dep_ in ("cc", "case")):
        kept = kept[1:]
    return kept


def _words(tokens: list[Token]) -> str:
    """Tokens as written, with the text's own spacing ("oil-refinery", "group's"), punctuation at the ends left out
    and once where a clause left out of the phrase leaves two marks in a row ("Thoth, [who ...], the guardian")."""
    kept: list[Token] = []
    for token in sorted(tokens, key=lambda t: t.i):
        if not (token.is_punct and kept and kept[-1].is_punct):
            kept.append(token)
    while kept and kept[-1].is_punct:
        kept = kept[:-1]
    return "".join(t.text_with_ws for t in kept).strip()


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
        participle = {t.i for t in trigger.subtree}
        tokens = [t for t in _phrase(trigger.head) if t.i not in participle and not t.is_punct]
    else:
        return ""
    return trigger.doc[tokens[0].i : tokens[-1].i + 1].text if tokens else ""


def _unique(items) -> list[str]:
    return list(dict.fromkeys(items))


