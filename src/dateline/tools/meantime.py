"""Scored against MEANTIME, on the same articles: who did what (the (event, participant) pairs of the pipeline's
events against the corpus's hand-annotated HAS_PARTICIPANT links, PropBank roles), and names (the mentions of
stage 02 against the name mentions, and their entity ids against the cross-document entity instances).

An event is matched to a gold event mention when its trigger covers one of the mention's tokens; a participant
(an entity id) is matched to the gold entity instance most of its mentions in the document overlap (so a
participant found through a pronoun counts as the entity it stands for). Roles compare as agent ~ Arg0, patient ~
Arg1, a preposition ~ any other role.

A name mention of the gold (syntactic type NAM or PRE.NAM, in the body) is found when a mention of ours overlaps
it; one of ours is right when it overlaps a gold name mention, counted in the sentences MEANTIME annotates in full
(``ANNOTATED_SENTENCES``). The entity ids of the found mentions are scored against the gold instances as
cross-document coreference: MUC, B3 and CEAF-e, and their mean (the CoNLL F1).
"""

from __future__ import annotations

import bisect
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from dateline import columns as C
from dateline.tools import semeval


@dataclass(frozen=True)
class Annotation:
    doc_id: str
    body_tokens: list[str]  # t_ids of the body's tokens, in the order of the record's text (``semeval.to_record``)
    entity_tokens: dict[str, set[str]]  # entity mention m_id -> its t_ids
    instance_of: dict[str, str]  # entity mention m_id -> its instance (REFERS_TO), else itself
    event_tokens: dict[str, set[str]]  # event mention m_id -> its t_ids
    links: list[tuple[str, str, str]]  # (event mention m_id, entity mention m_id, PropBank role)
    sentence_of: dict[str, int]  # t_id -> its sentence
    syntactic_type: dict[str, str]  # entity mention m_id -> NAM, PRE.NAM, NOM, PRO ...
    instance_id: dict[str, str]  # entity instance m_id -> its corpus-wide instance_id (cross-doc files)
    described: dict[str, tuple[str, str]]  # entity instance m_id -> (ent_type, TAG_DESCRIPTOR)
    head_tokens: dict[str, set[str]]  # entity mention m_id -> the t_ids of its head word ("Apple 's iTunes store")
    title_tokens: list[tuple[str, int, int]]  # the headline's t_ids with their spans in the record's title


def read_annotation(path: str | Path) -> Annotation:
    root = ET.parse(path).getroot()
    by_sentence: dict[int, list[str]] = defaultdict(list)
    sentence_of = {}
    for token in root.iter("token"):
        by_sentence[int(token.get("sentence"))].append(token.get("t_id"))
        sentence_of[token.get("t_id")] = int(token.get("sentence"))
    body = [t for s in sorted(by_sentence) if s not in (semeval.HEADLINE, semeval.DATE_LINE) for t in by_sentence[s]]
    markables = root.find("Markables")

    def anchors(kind: str) -> dict[str, set[str]]:
        return {m.get("m_id"): {a.get("t_id") for a in m.iter("token_anchor")} for m in markables.iter(kind)}

    entity_tokens, event_tokens = anchors("ENTITY_MENTION"), anchors("EVENT_MENTION")
    syntactic_type = {m.get("m_id"): m.get("syntactic_type") or "" for m in markables.iter("ENTITY_MENTION")}
    words = {token.get("t_id"): token.text for token in root.iter("token")}
    head_tokens = {m.get("m_id"): {t for t in entity_tokens[m.get("m_id")] if words.get(t) == m.get("head")}
                   for m in markables.iter("ENTITY_MENTION") if m.get("head")}
    instances = list(markables.iter("ENTITY"))
    instance_id = {e.get("m_id"): e.get("instance_id") or e.get("m_id") for e in instances}
    described = {e.get("m_id"): (e.get("ent_type") or "", e.get("TAG_DESCRIPTOR") or "") for e in instances}
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
    headline = by_sentence.get(semeval.HEADLINE, [])
    _, spans = semeval.join_tokens([words[t] or "" for t in headline])
    title_tokens = [(t, start, end) for t, (start, end) in zip(headline, spans, strict=True)]
    return Annotation(root.get("doc_id"), body, entity_tokens, instance_of, event_tokens, links, sentence_of,
                      syntactic_type, instance_id, described, head_tokens, title_tokens)


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
            start, end = getattr(e, C.TRIGGER_START), getattr(e, C.TRIGGER_END)
            if getattr(e, C.SENT_ID, 0) == C.HEADLINE_SENT_ID:  # offsets into the title: MEANTIME's sentence 0
                tokens = {t for t, s, f in annotation.title_tokens if s < end and f > start}
            else:
                span = raw_span(doc_id, start, end)
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


NAME_TYPES = ("NAM", "PRE.NAM")  # a proper name, and one that premodifies a noun ("Apple CEO")
ANNOTATED_SENTENCES = range(2, 6)  # after the headline (0) and the date line (1), MEANTIME annotates four in full


def gold_names(annotation: Annotation) -> dict[str, tuple[set[str], str, str]]:
    """The name mentions of the body: m_id -> (t_ids, corpus-wide instance id, entity type)."""
    names = {}
    for m, tokens in annotation.entity_tokens.items():
        if annotation.syntactic_type.get(m) in NAME_TYPES and tokens and \
                min(annotation.sentence_of[t] for t in tokens) > semeval.DATE_LINE:
            target = annotation.instance_of[m]
            names[m] = (tokens, annotation.instance_id.get(target, f"{annotation.doc_id}:{target}"),
                        annotation.described.get(target, ("", ""))[0])
    return names


def name_scores(annotations: dict[str, Annotation], indexes: dict[str, semeval.TokenIndex], mentions: pd.DataFrame,
                raw_span) -> dict:
    """Name mentions found (overlap), and cross-document coreference of the found ones: each gold name mention
    takes the entity id of the mention of ours that covers its head word, else that overlaps it most (ties: the
    first; a gold name may hold its owner's, "Apple's iTunes store", whose head is iTunes); key clusters are the gold
    instances, response clusters our entity ids. Also the pairs of found mentions given one id (precision: how
    many are one gold entity; recall: how many of the pairs of one gold entity got one id), recall by entity type,
    and the splits (a gold instance under several ids) and merges (an id over several instances)."""
    found_right = predicted = 0
    entity_of: dict[tuple[str, str], str] = {}  # (doc, gold mention) -> our entity id
    instance: dict[tuple[str, str], str] = {}
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    described: dict[str, str] = {}
    for doc_id, annotation in annotations.items():
        names = gold_names(annotation)
        for m, (_, inst, _) in names.items():
            instance[(doc_id, m)] = inst
            target = annotation.instance_of[m]
            described.setdefault(inst, annotation.described.get(target, ("", ""))[1])
        doc_mentions = mentions[mentions[C.DOC_ID] == doc_id]
        overlap: dict[str, tuple[tuple[bool, int], str]] = {}  # gold mention -> (covers its head, tokens), our id
        for entity_id, start, end in zip(doc_mentions[C.ENTITY_ID], doc_mentions[C.START], doc_mentions[C.END],
                                         strict=True):
            span = raw_span(doc_id, start, end)
            tokens = token_ids(indexes[doc_id], annotation, *span) if span else set()
            if not any(annotation.sentence_of[t] in ANNOTATED_SENTENCES for t in tokens):
                continue
            predicted += 1
            hits = [((bool(annotation.head_tokens.get(m, set()) & tokens), len(ts & tokens)), m)
                    for m, (ts, _, _) in names.items() if ts & tokens]
            found_right += bool(hits)
            for rank, m in hits:
                if m not in overlap or rank > overlap[m][0]:
                    overlap[m] = (rank, entity_id)
        for m, (_, _, kind) in names.items():
            by_type[kind][1] += 1
            if m in overlap:
                by_type[kind][0] += 1
                entity_of[(doc_id, m)] = overlap[m][1]
    gold_total = len(instance)
    key = _clusters({k: instance[k] for k in entity_of})
    response = _clusters(entity_of)
    muc, b3, ceaf = muc_score(key, response), b_cubed(key, response), ceaf_e(key, response)
    same_pairs = sum(_pairs(len(k & r)) for k in key.values() for r in response.values())
    merged_pairs = sum(_pairs(len(r)) for r in response.values())
    gold_pairs_ = sum(_pairs(len(k)) for k in key.values())
    return {"mentions": {"tp": len(entity_of), "predicted": predicted, "gold": gold_total,
                         "precision": found_right / predicted if predicted else 0.0,
                         "recall": len(entity_of) / gold_total if gold_total else 0.0,
                         "f1": _f1(found_right / predicted if predicted else 0.0,
                                   len(entity_of) / gold_total if gold_total else 0.0)},
            "muc": muc, "b3": b3, "ceaf_e": ceaf, "conll_f1": (muc["f1"] + b3["f1"] + ceaf["f1"]) / 3,
            "merged_pairs": _prf(same_pairs, merged_pairs, gold_pairs_),
            "recall_by_type": {kind: tuple(v) for kind, v in sorted(by_type.items())},
            "splits": _spread(key, entity_of, described), "merges": _spread(response, instance, described,
                                                                              merges=True)}


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _clusters(assignment: dict) -> dict[str, frozenset]:
    members: dict[str, set] = defaultdict(set)
    for item, cluster in assignment.items():
        members[cluster].add(item)
    return {cluster: frozenset(items) for cluster, items in members.items()}


def _spread(clusters: dict[str, frozenset], other: dict, described: dict[str, str], *, merges: bool = False
            ) -> pd.DataFrame:
    """Clusters whose members the other side puts in several clusters: a gold instance (its descriptor) with our
    ids, or one of our ids with the gold instances it joins."""
    rows = []
    for cluster, items in sorted(clusters.items()):
        parts = Counter(other[i] for i in items)
        if len(parts) > 1:
            shown = {described.get(p, p) if merges else p: n for p, n in sorted(parts.items())}
            rows.append({"merged" if merges else "split": cluster if merges else described.get(cluster, cluster),
                         "into" if not merges else "joins": "; ".join(f"{p} ({n})" for p, n in shown.items())})
    return pd.DataFrame(rows, columns=["merged", "joins"] if merges else ["split", "into"])


def muc_score(key: dict[str, frozenset], response: dict[str, frozenset]) -> dict:
    """MUC (Vilain et al. 1995): links kept; recall over the key's clusters, precision over the response's."""
    def links(clusters, other):
        where = {item: name for name, items in other.items() for item in items}
        kept = total = 0
        for items in clusters.values():
            parts = {where.get(i, ("alone", i)) for i in items}
            kept += len(items) - len(parts)
            total += len(items) - 1
        return kept / total if total else 0.0
    recall, precision = links(key, response), links(response, key)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def b_cubed(key: dict[str, frozenset], response: dict[str, frozenset]) -> dict:
    """B3 (Bagga and Baldwin 1998): each mention's share of its key cluster in its response cluster (recall), and
    the reverse (precision), averaged over the mentions."""
    def share(clusters, other):
        where = {item: items for items in other.values() for item in items}
        mentions = [(item, items) for items in clusters.values() for item in items]
        return sum(len(items & where.get(item, frozenset([item]))) / len(items) for item, items in mentions) \
            / len(mentions) if mentions else 0.0
    recall, precision = share(key, response), share(response, key)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def ceaf_e(key: dict[str, frozenset], response: dict[str, frozenset]) -> dict:
    """Entity-based CEAF (Luo 2005): the best one-to-one alignment of key and response clusters by
    2|K & R| / (|K| + |R|); its sum over the number of key clusters (recall) and of response clusters (precision)."""
    keys, responses = list(key.values()), list(response.values())
    if not keys or not responses:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    similarity = np.array([[2 * len(k & r) / (len(k) + len(r)) for r in responses] for k in keys])
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    total = float(similarity[rows, cols].sum())
    recall, precision = total / len(keys), total / len(responses)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _prf(tp: int, predicted: int, gold: int) -> dict:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    return {"tp": tp, "predicted": predicted, "gold": gold, "precision": precision, "recall": recall,
            "f1": _f1(precision, recall)}


def evaluate(corpus: str | Path, out: str | Path, *, root: Path, venv: Path) -> tuple[dict, dict]:
    """The pipeline (``semeval.run_pipeline``) on MEANTIME's documents (``corpus/intra-doc``), scored against
    their HAS_PARTICIPANT links (``score``), and its names against the name mentions and the cross-document
    instances of ``corpus/cross-doc`` (``name_scores``)."""
    documents = Path(corpus) / "intra-doc"
    annotations = {a.doc_id: a for a in map(read_annotation, sorted(documents.glob("*.xml")))}
    cross = {a.doc_id: a for a in map(read_annotation, sorted((Path(corpus) / "cross-doc").glob("*.xml")))}
    run = semeval.run_pipeline(documents, out, root=root, venv=venv)
    return (score(annotations, run.indexes, run.events, run.mentions, run.raw_span),
            name_scores(cross, run.indexes, run.mentions, run.raw_span))
