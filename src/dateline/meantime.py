"""Who did what, scored against MEANTIME: the (event, participant) pairs of the pipeline's events against the
corpus's hand-annotated HAS_PARTICIPANT links (PropBank roles), on the same articles.

An event is matched to a gold event mention when its trigger covers one of the mention's tokens; a participant
(an entity id) is matched to the gold entity instance most of its mentions in the document overlap (so a
participant found through a pronoun counts as the entity it stands for). Roles compare as agent ~ Arg0, patient ~
Arg1, a preposition ~ any other role.
"""

from __future__ import annotations

import bisect
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dateline import columns as C
from dateline import semeval


@dataclass(frozen=True)
class Annotation:
    doc_id: str
    body_tokens: list[str]  # t_ids of the body's tokens, in the order of the record's text (``semeval.to_record``)
    entity_tokens: dict[str, set[str]]  # entity mention m_id -> its t_ids
    instance_of: dict[str, str]  # entity mention m_id -> its instance (REFERS_TO), else itself
    event_tokens: dict[str, set[str]]  # event mention m_id -> its t_ids
    links: list[tuple[str, str, str]]  # (event mention m_id, entity mention m_id, PropBank role)


def read_annotation(path: str | Path) -> Annotation:
    root = ET.parse(path).getroot()
    by_sentence: dict[int, list[str]] = defaultdict(list)
    for token in root.iter("token"):
        by_sentence[int(token.get("sentence"))].append(token.get("t_id"))
    body = [t for s in sorted(by_sentence) if s not in (semeval.HEADLINE, semeval.DATE_LINE) for t in by_sentence[s]]
    markables = root.find("Markables")

    def anchors(kind: str) -> dict[str, set[str]]:
        return {m.get("m_id"): {a.get("t_id") for a in m.iter("token_anchor")} for m in markables.iter(kind)}

    entity_tokens, event_tokens = anchors("ENTITY_MENTION"), anchors("EVENT_MENTION")
    instance_of = {m: m for m in entity_tokens}
    links = []
    for relations in root.iter("Relations"):
        for ref in relations.iter("REFERS_TO"):
            target = ref.find("target").get("m_id")
            for source in ref.iter("source"):
                if source.get("m_id") in instance_of:
                    instance_of[source.get("m_id")] = target
        for link in relations.iter("HAS_PARTICIPANT"):
            event, entity = link.find("source").get("m_id"), link.find("target").get("m_id")
            if event in event_tokens and entity in entity_tokens:
                links.append((event, entity, link.get("sem_role")))
    return Annotation(root.get("doc_id"), body, entity_tokens, instance_of, event_tokens, links)


def gold_pairs(annotation: Annotation) -> dict[tuple[str, str], str]:
    """(event mention, entity instance) -> role, one per pair (the first link's role)."""
    pairs: dict[tuple[str, str], str] = {}
    for event, entity, role in annotation.links:
        pairs.setdefault((event, annotation.instance_of[entity]), role)
    return pairs


def role_agrees(ours: str, gold: str) -> bool:
    return {"agent": "Arg0", "patient": "Arg1"}.get(ours) == gold if ours in ("agent", "patient") \
        else gold not in ("Arg0", "Arg1")


def token_ids(index: semeval.TokenIndex, annotation: Annotation, start: int, end: int) -> set[str]:
    """The t_ids of the body tokens a span of the record's text overlaps."""
    first = max(bisect.bisect_right(index.starts, start) - 1, 0)
    return {annotation.body_tokens[i] for i in range(first, len(index.starts))
            if index.starts[i] < end and index.ends[i] > start}


def score(annotations: dict[str, Annotation], indexes: dict[str, semeval.TokenIndex], events: pd.DataFrame,
          mentions: pd.DataFrame, raw_span) -> dict:
    """Precision and recall of (event, participant) pairs, and of the pairs with their roles; ``raw_span(doc_id,
    start, end)`` maps a span of the cleaned text to the record's text (or None)."""
    ours: dict[tuple[str, str, str], str] = {}  # (doc, gold event, gold instance or our entity) -> our role
    predicted_on_gold_events = 0
    for doc_id, doc_events in events.groupby(C.DOC_ID, sort=False):
        if doc_id not in annotations:
            continue
        annotation, index = annotations[doc_id], indexes[doc_id]
        instance = _instances(annotation, index, mentions[mentions[C.DOC_ID] == doc_id], raw_span)
        for e in doc_events.itertuples(index=False):
            if getattr(e, C.SENT_ID, 0) == C.HEADLINE_SENT_ID:
                continue  # offsets into the title; MEANTIME's links are scored on the body
            span = raw_span(doc_id, getattr(e, C.TRIGGER_START), getattr(e, C.TRIGGER_END))
            tokens = token_ids(index, annotation, *span) if span else set()
            matched = next((m for m, ts in annotation.event_tokens.items() if ts & tokens), None)
            if matched is None:
                continue
            for entity_id, role in zip(getattr(e, C.PARTICIPANTS), getattr(e, C.ROLES), strict=True):
                key = (doc_id, matched, instance.get(entity_id, f"ours:{entity_id}"))
                if key not in ours:
                    ours[key] = role
                    predicted_on_gold_events += 1
    gold = {(doc_id, event, inst): role for doc_id, a in annotations.items()
            for (event, inst), role in gold_pairs(a).items()}
    found = ours.keys() & gold.keys()
    with_role = {k for k in found if role_agrees(ours[k], gold[k])}
    return {"pairs": _prf(len(found), predicted_on_gold_events, len(gold)),
            "pairs+role": _prf(len(with_role), predicted_on_gold_events, len(gold)),
            "events_with_gold_participants": len({k[:2] for k in gold}),
            "documents": len(annotations)}


def _instances(annotation: Annotation, index: semeval.TokenIndex, doc_mentions: pd.DataFrame, raw_span
               ) -> dict[str, str]:
    """Our entity id -> the gold instance most of its mentions in the document overlap."""
    votes: dict[str, Counter] = defaultdict(Counter)
    for entity_id, start, end in zip(doc_mentions[C.ENTITY_ID], doc_mentions[C.START], doc_mentions[C.END],
                                     strict=True):
        span = raw_span(annotation.doc_id, start, end)
        tokens = token_ids(index, annotation, *span) if span else set()
        for m, ts in annotation.entity_tokens.items():
            if ts & tokens:
                votes[entity_id][annotation.instance_of[m]] += 1
    return {entity_id: min(counter, key=lambda i: (-counter[i], i)) for entity_id, counter in votes.items()}


def _prf(tp: int, predicted: int, gold: int) -> dict:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "predicted": predicted, "gold": gold, "precision": precision, "recall": recall, "f1": f1}


def evaluate(corpus: str | Path, out: str | Path, *, root: Path, venv: Path) -> dict:
    """The pipeline (``semeval.run_pipeline``) on MEANTIME's documents (``corpus/intra-doc``), scored against
    their HAS_PARTICIPANT links."""
    documents = Path(corpus) / "intra-doc"
    annotations = {a.doc_id: a for a in map(read_annotation, sorted(documents.glob("*.xml")))}
    run = semeval.run_pipeline(documents, out, root=root, venv=venv)
    return score(annotations, run.indexes, run.events, run.mentions, run.raw_span)
