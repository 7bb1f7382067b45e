"""The tense of a time expression's clause, which decides which way a weekday, a month or a season points.

Two readings, one answer: ``tense_of`` reads the dependency parse (the verb that governs the expression, its
auxiliaries, a coordinated verb's first conjunct); ``text_tense`` reads the words before the expression when no parse
is given (future markers, deferrals, else the past of news). -1 past, +1 future, 0 present or unknown (the nearest).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy is not imported for the tagger's own sake: the report reads values without it
    from spacy.tokens import Token

_FUTURE_AUX = {"will", "'ll", "shall", "wo", "ll"}
_PROSPECTIVE = {"schedule", "plan", "slate", "expect", "intend", "prepare"}  # past verbs of what is still to come
_PLANNING = _PROSPECTIVE | {"be", "set", "agree", "decide", "vote", "promise", "vow", "threaten", "want", "hope",
                            "seek", "aim", "ask", "order", "urge", "allow", "call", "pledge", "offer", "propose",
                            "forecast", "predict", "project", "anticipate"}
# "postponed until Tuesday", "gave them until noon Friday", "extended the loans through January": what is put off
# lies ahead of the act, and a news report is written soon after it
_DEFERRAL = {"postpone", "delay", "defer", "adjourn", "extend", "give", "grant", "suspend", "recess", "reschedule",
             "push", "move"}
_UNTIL = {"until", "till", "through", "to"}  # "rescheduled to June 2"
_PARTICIPLE_DEPS = {"advcl", "pcomp", "xcomp", "acl"}


def governing_verb(token: Token) -> Token | None:
    """The nearest verb (or auxiliary used as a main verb) up the dependency tree from ``token``."""
    seen = 0
    while seen < 50:
        if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("aux", "auxpass"):
            return token
        if token.head is token:
            return None
        token = token.head
        seen += 1
    return None


def tense_of(token: Token, _depth: int = 0) -> int:
    """-1 past, +1 future, 0 present or unknown (then the nearest date is taken) for the clause of ``token``."""
    verb = governing_verb(token)
    if verb is None:  # "stock of record Nov. 17": no tense to go by, so the nearest date
        return 0
    if not _past_form(verb) and _deferred_until(token, verb, ("until", "till")):
        return 1  # "schools are closed until May", "events have been planned until December"
    if verb.lemma_ in _PROSPECTIVE and verb.tag_ in ("VBD", "VBN"):  # "has scheduled a news conference Thursday"
        return 0
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    if verb.dep_ == "conj" and not auxes and verb.tag_ in ("VB", "VBN", "VBG") and verb.head is not verb \
            and _depth < 5:  # "will close on Monday and reopen on Thursday": the first verb's auxiliaries count
        return tense_of(verb.head, _depth + 1)
    if verb.lemma_ in _DEFERRAL and _deferred_until(token, verb) and not any(a.lower_ == "had" for a in auxes):
        return 1  # unless pluperfect: "had given them until Thursday, but the deadline was not met"
    # a participle without auxiliaries takes its clause's tense: "has risen, reaching $5 in May", "despite winning"
    if verb.tag_ == "VBG" and not auxes and verb.dep_ in _PARTICIPLE_DEPS and _depth < 5:
        return tense_of(verb.head, _depth + 1)
    words = {a.lower_ for a in auxes}
    if words & _FUTURE_AUX or ("going" in words and any(c.lower_ == "to" for c in verb.children)):
        return 1
    if verb.tag_ == "VB" and "to" in words:  # "plans to announce Nov. 6": ahead, unless the plan itself is past
        head = governing_verb(verb.head) if verb.head is not verb else None  # ("had been allowed to inspect")
        past = head is not None and (_past_form(head) or (_depth < 5 and tense_of(head, _depth + 1) < 0))
        if past and head.lemma_ not in _PLANNING:  # "didn't come to work on Monday": an act done, not a plan
            return -1
        return 0 if past else 1
    if _past_form(verb) or words & {"has", "have"}:
        return -1
    if verb.tag_ == "VBN" and not words:
        return -1
    if words & {"would", "could", "might", "may", "should", "must", "can"}:
        return 1 if words & {"would", "might", "may", "should", "can", "must"} else 0
    if verb.tag_ in ("VBP", "VBZ", "VBG") or any(a.tag_ in ("VBP", "VBZ") for a in auxes):  # "is heard in May"
        return 0
    return -1


def _past_form(verb: Token) -> bool:
    """Whether ``verb`` is in a past form: "planned", "was scheduled", "had been expected"."""
    return verb.tag_ == "VBD" or any(c.dep_ in ("aux", "auxpass") and (c.tag_ == "VBD" or c.lower_ == "had")
                                     for c in verb.children)


def _deferred_until(token: Token, verb: Token, words: Collection[str] = _UNTIL) -> bool:
    """Whether ``token`` hangs on ``verb`` through "until", "till", "through" or "to" (or ``words``)."""
    seen = 0
    while token is not verb and token.head is not token and seen < 50:
        if token.dep_ == "prep" and token.lower_ in words:
            return True
        token, seen = token.head, seen + 1
    return False


# a full stop that ends a sentence, not one of "p.m.", "Nov. 6" or "Mr. Smith" (the stop first, then what comes
# before it: the lookbehinds are tried at stops only, not at every character)
_RE_SENTENCE_END = re.compile(r"[.!?](?<![ap]\.m.)(?<!\b[A-Z].)" + "".join(
    f"(?<!{a}.)" for a in ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mr",
                           "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "No", "Co", "Inc", "Corp", "Jr")
) + r"\s|\n")
_RE_FUTURE_MARKER = re.compile(
    r"\b(?:will|'ll|shall|going to|plans? to|planned|expected to|scheduled|due to|upcoming)\b", re.I)


_RE_DEFERRED_UNTIL = re.compile(
    r"(?P<had>\bhad\s+(?:been\s+)?)?\b(?:postpon|delay|defer|adjourn|extend|suspend|reschedul|gave|give|grant|pushed"
    r"|moved)\w*\b[^.;]{0,40}?\b(?:until|till)\s+(?:(?:\d{1,2}(?::\d\d)?\s*(?:[ap]\.m\.|[ap]m)?|noon|midnight)"
    r",?\s+(?:on\s+)?)?$", re.I)


def text_tense(text: str) -> Callable[[int, int], int]:
    """Tense from words near a span when no parse is given: future markers before it, else past (news default)."""

    def tense(start: int, end: int) -> int:
        left = start - 80
        for m in _RE_SENTENCE_END.finditer(text, max(left, 0), start):
            left = m.end()
        if _RE_FUTURE_MARKER.search(text, max(left, 0), start):
            return 1
        # "postponed until 5 p.m. Friday", "gave them until Thursday": what is put off lies ahead (as the parse
        # path reads it, ``tense_of``), unless pluperfect
        deferral = _RE_DEFERRED_UNTIL.search(text, max(left, 0), start)
        return 1 if deferral and deferral.end() == start and not deferral["had"] else -1

    return tense
