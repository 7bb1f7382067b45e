"""Which entity a pronoun or a definite description stands for, within one document.

A deliberately small resolver: a third-person pronoun ("he", "its", "they") or a definite description ("the
company", "the storm") takes the nearest entity of a compatible kind named before it, in its own sentence first,
then in the few sentences before. Nothing is guessed when no compatible entity was named recently: a wrong
participant is worse than none.
"""

from __future__ import annotations

import re
from functools import cache

from spacy.tokens import Token

from dateline import columns as C
from dateline.package_data import package_table

PERSON = ("PERSON",)
GROUP = ("ORG", "NORP", "GPE")  # "they", "their": a company, a government, a group of people
THING = ("ORG", "GPE", "PRODUCT", "EVENT", "FAC", "LAW", "WORK_OF_ART")  # "it", "its"
PRONOUNS = {"he": PERSON, "him": PERSON, "his": PERSON, "she": PERSON, "her": PERSON, "it": THING, "its": THING,
            "they": GROUP, "them": GROUP, "their": GROUP}
REACH = 3  # sentences before a reference in which its antecedent is looked for
RE_PRONOUN = re.compile(r"\b(?:he|him|his|she|her|it|its|they|them|their)\b", re.IGNORECASE)


@cache
def descriptions() -> dict[str, tuple[str, ...]]:
    """Head noun of a definite description -> the entity labels it can refer to (data/descriptions.csv)."""
    return {row["head"]: tuple(row["labels"].split()) for row in package_table("descriptions.csv")}


def may_refer(text: str) -> bool:
    """Whether a sentence may hold a pronoun or a definite description (a cheap test before parsing it)."""
    return RE_PRONOUN.search(text) is not None or _re_description().search(text) is not None


@cache
def _re_description() -> re.Pattern:
    heads = "|".join(sorted(map(re.escape, descriptions()), key=len, reverse=True))
    return re.compile(rf"\bthe\b[^.,;]{{0,30}}?\b(?:{heads})\b", re.IGNORECASE)


def kinds_of(token: Token) -> tuple[str, ...] | None:
    """The entity labels a token can refer to: a third-person pronoun, or the head of a definite description
    ("the company", "the Cupertino-based company"; not "a company", "the company's" is one). None otherwise."""
    word = token.lower_
    if token.tag_ in ("PRP", "PRP$") and word in PRONOUNS:
        if word == "it" and token.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
            return None  # "it" as an expletive ("it is expected that ...") is not a reference
        return PRONOUNS[word]
    if token.pos_ == "NOUN" and token.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ == "the"
                                                           for c in token.children):
        return descriptions().get(token.lemma_.lower())
    return None


def antecedent(token: Token, kinds: tuple[str, ...], mentions: list[dict], earlier: list[dict]) -> dict | None:
    """The nearest entity mention of one of ``kinds`` before ``token``: in its sentence (``mentions``, with
    ``local_start``), else in the sentences before (``earlier``, in text order)."""
    before = [m for m in mentions if m["local_start"] < token.idx and m[C.LABEL] in kinds]
    if before:
        return before[-1]
    found = [m for m in earlier if m[C.LABEL] in kinds]
    return found[-1] if found else None
