"""The events and time expressions of whole documents, read sentence by sentence: which sentences to parse
(``plan``: the headline when it names an entity of its body, and the sentences that name an entity, refer to one
named just before or hold a date), and what each document carries from one sentence to the next (the narrative's
reference time, the last news date, the doers said so far: ``read``)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import NamedTuple

from dateline import columns as C
from dateline.nlp import processes
from dateline.progress import progress
from dateline.steps import coreference
from dateline.steps.anchoring import BACKGROUND_REACH, LEDE, NEWS_WINDOW, dated_events, undated_events
from dateline.steps.events import Discourse, When
from dateline.timex import Timex


def extract(nlp, documents, sentences, mentions, *, batch_size: int = 64, n_process: int = 1):
    """Time expressions and events of every document, parsing in this process.

    Needs documents (doc_id, text, published, dateline_place), sentences (doc_id, sent_id, start, end) and mentions
    (doc_id, start, end, label, entity_id, name). Parses only the sentences that can hold an event (``plan``).
    Returns ``(timexes, events)`` as lists of dicts with offsets into the document text.
    """
    work = plan(documents, sentences, mentions)
    texts = [text for *_, text in work.parse]
    parsed = nlp.pipe(texts, batch_size=batch_size, n_process=processes(n_process, len(texts)))
    return read(documents, work, progress(parsed, total=len(texts), desc="events", unit="sentence"))


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
        if form not in title:  # most are not: no pattern to compile
            continue
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
        if (doc_id, sent_id) in by_sentence:  # names an entity: parsed, whatever its dates
            parse.append((doc_id, sent_id, start, text))
            continue
        found = tag(text, None)
        if any(t.type in ("DATE", "TIME") and not t.value.endswith("_REF") for t in found) or (
                _named_before(by_sentence, doc_id, sent_id) and coreference.may_refer(text)):
            parse.append((doc_id, sent_id, start, text))
        elif found:
            tag_only.append((doc_id, sent_id, start, text))
    return Plan(parse, tag_only, by_sentence)


def _timex_rows(doc_id: str, sent_id: int, start: int, found: list[Timex]) -> list[dict]:
    """Rows of timexes.parquet for a sentence's time expressions, with offsets into the document text."""
    return [{C.DOC_ID: doc_id, C.SENT_ID: sent_id} | t.to_dict() | {C.START: t.start + start, C.END: t.end + start}
            for t in found]


def read(documents, work: Plan, parsed):
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
        earlier = [m for back in range(coreference.REACH, 0, -1)
                   for m in by_sentence.get((doc_id, sent_id - back), [])]
        discourse = discourses.setdefault(doc_id, Discourse())
        dated = dated_events(sent, found, local, earlier, discourse)
        last = reference.get(doc_id)
        narrative = last[1] if last is not None and not headline else None
        if narrative is not None and sent_id - last[0] > BACKGROUND_REACH and dct - narrative.end_date > NEWS_WINDOW:
            narrative = news.get(doc_id)  # a background date was a digression: back to the news date, if any
        # a headline's event is the story's: at the publication date unless it says otherwise, like the lede's
        undated = undated_events(sent, dated, local, earlier, lede=sent_id in (LEDE, HEADLINE),
                                 narrative=narrative, dct=dct, discourse=discourse)
        discourse.remember(local, [(sent_doc[e.trigger_i], e) for e in dated + undated])
        events += [replace(e, doc_id=doc_id, sent_id=sent_id, sent_start=start) for e in dated + undated]
        past = [e.when for e in dated if dct is not None and e.when.end_date <= dct and not headline]
        if past:  # the narrative's reference time: a date, without what dated it
            reference[doc_id] = (sent_id, When(value=past[-1].value, start_date=past[-1].start_date,
                                               end_date=past[-1].end_date, granularity=past[-1].granularity))
            if dct - past[-1].end_date <= NEWS_WINDOW:
                news[doc_id] = reference[doc_id][1]
    return timexes, events
