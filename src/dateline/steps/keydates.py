"""The few dates that matter in a corpus, each with one line on what happened (``key_dates.csv``).

A date's importance is the evidence the corpus gives for it, article by article (after news-tls' "datewise"
selection, Ghalandari and Ifrim 2020: the dates that many articles tell of are the story's): each article with
an event on the date adds the weight of its best such event, 1 for an event dated by a written time expression
(told as it happened or referred to after the fact), 0.5 by the narrative, 0.25 only by the publication date (a
state or a perfect reported that day), and half of that for a statement ("said", "announced": a day of routine
statements is not a day that matters). A day many articles date events on, as they happen and later, wins.

The chosen dates (``KeyDates.chosen``) have a score of at least 1 (one article dates something there itself).
By default, they are the days of the news (from the day before the first article to the last article's day), at
most 20, the best first; then, when there are fewer than 5, the best other dates (background, or the dates of a
single article) up to 5. ``count`` asks for that many, the news days first.

Each date's ``headline`` is the description of its best event: the most reported (``n_sources``), not a
statement, dated most directly, the most confident; one that repeats a line already chosen gives way to the next.
``KeyDates`` reads the merged events in timeline order (all of a date's events together) and keeps only a
bounded number of candidates: memory does not grow with the corpus.

A corpus of unrelated articles has no key dates of its own: it is one story (``is_story``) when its best date is
told by at least a fifth of its articles; else each leading entity gets its own few (``KeyDates(about=...)``).
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from dateline import columns as C
from dateline.timex.values import interval

ANCHOR_WEIGHT = {"timex": 1.0, "narrative": 0.5, "publication": 0.25}
STATEMENT_FACTOR = 0.5  # a REPORTING event ("said") is evidence of a statement, not of what happened
MIN_SCORE = 1.0  # a key date is dated by at least one article itself
EVENTS_PER_DATE = 10  # event_ids listed per key date (the best first)
_KEPT_EVENTS = 3 * EVENTS_PER_DATE  # events a candidate keeps: enough for a headline that repeats no other line
STORY_SHARE = 0.2  # one story: its best date is told by at least this share of the articles
ENTITY_DATES = 3  # key dates per leading entity, in a corpus of unrelated articles
LEADING_ENTITIES = 5  # the entities taking part in the most events
MIN_DATES, MAX_DATES = 5, 20  # the default number of key dates: the news days, filled up to MIN_DATES
LINKED_ARTICLES = 5  # articles a key date links to in the report and the TimelineJS export
KEY_DATE_COLUMNS = [C.DATE, C.GRANULARITY, C.HEADLINE, C.EVENT_IDS, C.N_SOURCES, C.DOC_IDS, C.SCORE, C.ENTITY_ID,
                    C.NAME]
EVENT_COLUMNS = [C.EVENT_ID, C.VALUE, C.START_DATE, C.END_DATE, C.GRANULARITY, C.EVENT_CLASS, C.ANCHOR,
                 C.CONFIDENCE, C.DOC_ID, C.DOC_IDS, C.N_SOURCES, C.DESCRIPTION, C.PARTICIPANTS]


def date_key(value: str, granularity: str) -> tuple[str, str]:
    """The key date a value falls on: a time of day is its day ("2015-03-24T10:00" -> "2015-03-24", day); any
    other value is itself."""
    if granularity == "time":
        return value[:10], "day"
    return value, granularity


def news_period(published: Iterable) -> tuple[dt.date, dt.date] | None:
    """The days of the news: from the day before the first publication date to the last (None without dates)."""
    days = sorted({d.date() if hasattr(d, "date") else d for d in published if d is not None and d == d})
    return (days[0] - dt.timedelta(days=1), days[-1]) if days else None


def event_weight(anchor: str, event_class: str) -> float:
    """What one event says for its date: how directly it is dated, halved for a statement."""
    weight = ANCHOR_WEIGHT.get(anchor, 0.0)
    return weight * STATEMENT_FACTOR if event_class == "REPORTING" else weight


def _rank(event: dict) -> tuple:
    """Best first: the most reported, not a statement, dated most directly, the most confident."""
    return (-event[C.N_SOURCES], event[C.EVENT_CLASS] == "REPORTING", -ANCHOR_WEIGHT.get(event[C.ANCHOR], 0.0),
            -event[C.CONFIDENCE], event[C.EVENT_ID])


@dataclass(order=True)
class Candidate:
    score: float
    key: tuple[str, str] = field(compare=False)
    news: bool = field(compare=False)  # a day (or a time) of the news period
    events: list[dict] = field(compare=False)  # the date's best events, best first
    doc_ids: list[str] = field(compare=False)


@dataclass
class KeyDates:
    """Key dates chosen from merged events read in timeline order (``add``, a table of events at a time);
    ``period``: the news period (``news_period``); ``about``: only the events an entity takes part in, as
    ``(entity_id, name)``; ``keep``: candidates kept (the best by score)."""

    period: tuple[dt.date, dt.date] | None
    about: tuple[str, str] | None = None
    keep: int = 100
    _best: list[Candidate] = field(default_factory=list)
    _key: tuple[str, str] | None = None
    _start: dt.date | None = None  # the current date's first day
    _weights: dict[str, float] = field(default_factory=dict)  # the current date's articles, each its best weight
    _events: list[dict] = field(default_factory=list)  # the current date's best events so far

    def add(self, events: list[dict]) -> None:
        """Events (records with ``EVENT_COLUMNS``), in timeline order; records, so that one table read serves
        several choosers."""
        for event in events:
            if not event[C.VALUE] or event[C.START_DATE] is None or event[C.START_DATE] != event[C.START_DATE]:
                continue  # undated: no key date
            if self.about is not None and self.about[0] not in event[C.PARTICIPANTS]:
                continue
            key = date_key(event[C.VALUE], event[C.GRANULARITY])
            if key != self._key:
                self._close()
                self._key, self._start = key, event[C.START_DATE]
            weight = event_weight(event[C.ANCHOR], event[C.EVENT_CLASS])
            for doc_id in event[C.DOC_IDS]:
                self._weights[doc_id] = max(self._weights.get(doc_id, 0.0), weight)
            self._events.append(event)
            if len(self._events) > 2 * _KEPT_EVENTS:  # a date told by thousands of events: only its best are kept
                self._events = sorted(self._events, key=_rank)[:_KEPT_EVENTS]

    def _close(self) -> None:
        if self._key is None:
            return
        score = round(sum(self._weights.values()), 6)
        news = self.period is not None and self._key[1] == "day" and self.period[0] <= self._start <= self.period[1]
        candidate = Candidate(score, self._key, news, sorted(self._events, key=_rank)[:_KEPT_EVENTS],
                              sorted(self._weights))
        if len(self._best) < self.keep:
            heapq.heappush(self._best, candidate)
        elif score > self._best[0].score:
            heapq.heapreplace(self._best, candidate)
        self._key, self._start, self._weights, self._events = None, None, {}, []

    def chosen(self, count: int = 0) -> pd.DataFrame:
        """The key dates in date order (``KEY_DATE_COLUMNS``): ``count`` of them, or by default the news days
        (at most ``MAX_DATES``) and, up to ``MIN_DATES``, the best others; each with a score of at least
        ``MIN_SCORE``."""
        self._close()
        ranked = sorted((c for c in self._best if c.score >= MIN_SCORE), key=lambda c: (not c.news, -c.score, c.key))
        if not count:
            count = min(max(sum(c.news for c in ranked), MIN_DATES), MAX_DATES)
        ranked = ranked[:count]
        rows, lines = [], []
        for c in ranked:  # best first, so that the best date keeps its line when two would read alike
            headline, event = _headline(c.events, lines)
            lines.append(headline)
            ids = [e[C.EVENT_ID] for e in c.events]  # the headline's event first
            if event is not None:
                ids = [event[C.EVENT_ID], *(i for i in ids if i != event[C.EVENT_ID])]
            ids = ids[:EVENTS_PER_DATE]
            rows.append({C.DATE: c.key[0], C.GRANULARITY: c.key[1], C.HEADLINE: headline, C.EVENT_IDS: ids,
                         C.N_SOURCES: len(c.doc_ids), C.DOC_IDS: c.doc_ids, C.SCORE: c.score,
                         C.ENTITY_ID: self.about[0] if self.about else "", C.NAME: self.about[1] if self.about else ""})
        frame = pd.DataFrame(rows, columns=KEY_DATE_COLUMNS)
        order = frame[C.DATE].map(_sort_key)
        return frame.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order") \
            .reset_index(drop=True)


def is_story(key_dates: pd.DataFrame, documents: int) -> bool:
    """Whether a corpus tells one story: its best key date is told by at least ``STORY_SHARE`` of its articles."""
    return bool(len(key_dates)) and key_dates[C.N_SOURCES].max() >= STORY_SHARE * documents


def _sort_key(value: str) -> tuple:
    bounds = interval(value)
    return (bounds[0], bounds[1]) if bounds else (dt.date.max, dt.date.max)


def _words(line: str) -> set[str]:
    return {w.strip(".,;:'\"").lower() for w in line.split()} - {""}


def near_identical(a: str, b: str) -> bool:
    """Whether two lines say the same: four fifths of their words in common."""
    x, y = _words(a), _words(b)
    return bool(x and y) and len(x & y) >= 0.8 * min(len(x), len(y))


def _headline(events: list[dict], taken: list[str]) -> tuple[str, dict | None]:
    """The line of a date: its best event's description that does not repeat a line already chosen."""
    for event in events:
        line = (event[C.DESCRIPTION] or "").strip()
        if line and not any(near_identical(line, other) for other in taken):
            return line[0].upper() + line[1:], event
    return "", None


_LISTS = (C.EVENT_IDS, C.DOC_IDS)


def to_csv_frame(key_dates: pd.DataFrame) -> pd.DataFrame:
    """key_dates.csv: list columns joined with "; " (as timeline.csv)."""
    return key_dates.assign(**{col: key_dates[col].map("; ".join) for col in _LISTS})


def read_csv(path) -> pd.DataFrame:
    """key_dates.csv as ``KeyDates.chosen`` made it: list columns split again, counts and scores as numbers."""
    from dateline import io

    key_dates = io.read_csv(path).astype({C.N_SOURCES: int, C.SCORE: float})
    return key_dates.assign(**{col: key_dates[col].map(lambda cell: cell.split("; ") if cell else [])
                               for col in _LISTS})


def linked_articles(key_dates: pd.DataFrame) -> list[str]:
    """The doc_ids the key dates link to: the first ``LINKED_ARTICLES`` of each, in order, once each."""
    return list(dict.fromkeys(d for ids in key_dates[C.DOC_IDS] for d in list(ids)[:LINKED_ARTICLES]))
