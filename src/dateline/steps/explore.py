"""Questions a student or researcher asks of a built corpus in a notebook (JupyterLab), each answered from its
stage files a part at a time: the events an entity takes part in, the events between two dates, the articles of
a day, and the key dates of a sub-period (the same ``keydates.KeyDates`` as key_dates.csv).

    from dateline.steps import explore
    from dateline.config import corpus_paths
    paths = corpus_paths("wikinews")  # from notebooks/; corpus_paths("wikinews", ".") from the project root
    explore.events_about(paths, "Joe Biden")
    explore.key_dates_between(paths, "2020-02-01", "2020-03-31")
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from dateline import columns as C
from dateline.config import CorpusPaths
from dateline.io import concat_frames, parquet_parts, read_parquet
from dateline.steps import keydates

READ_ROWS = 10_000  # rows read at a time


def matching_entities(target: str, entities: pd.DataFrame) -> list[str]:
    """Ids of the entities a target name denotes: one of its names is the target (case and punctuation aside), a
    name of two or more words lies within the target ("Apple Corps" in "Beatles Apple Corps"), or a target of two
    or more words has its words in order within a name ("iTunes Store" in "iTunes Music Store")."""
    def words(name: str) -> tuple[str, ...]:
        return tuple(re.findall(r"\w+", name.casefold()))

    wanted = words(target)
    found = []
    for entity_id, name, aliases in zip(entities[C.ENTITY_ID], entities[C.NAME], entities[C.ALIASES], strict=True):
        for form in {name, *aliases}:
            w = words(form)
            if w == wanted or (len(w) >= 2 and _within(w, wanted)) or (len(wanted) >= 2 and _in_order(wanted, w)):
                found.append(entity_id)
                break
    return found


def _in_order(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    words = iter(whole)
    return all(word in words for word in part)  # each found after the one before


def _within(part: tuple[str, ...], whole: tuple[str, ...]) -> bool:
    return any(whole[i:i + len(part)] == part for i in range(len(whole) - len(part) + 1))


def _day(value: str | dt.date) -> dt.date:
    """A day given as an ISO string, a date, a datetime or a pandas Timestamp."""
    return _as_day(value) if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _events(paths: CorpusPaths, keep) -> pd.DataFrame:
    """The rows of events.parquet that ``keep(part)`` (a boolean Series) selects, in timeline order."""
    kept = [part[keep(part)] for part in parquet_parts(paths.events, None, rows=READ_ROWS)]
    return concat_frames(kept, list(kept[0].columns) if kept else [])


def events_about(paths: CorpusPaths, name: str) -> pd.DataFrame:
    """The events an entity takes part in (``matching_entities``: its name or an alias, case aside), in timeline
    order. A name no entity has is an error that says where the names are."""
    ids = set(matching_entities(name, read_parquet(paths.entities, [C.ENTITY_ID, C.NAME, C.ALIASES])))
    if not ids:
        raise KeyError(f"no entity of {paths.corpus} is named {name!r} (see {paths.entities})")
    return _events(paths, lambda part: part[C.PARTICIPANTS].map(lambda p: not ids.isdisjoint(p))
                   | part[C.ACTORS].map(lambda a: not ids.isdisjoint(a)))


def events_between(paths: CorpusPaths, start: str | dt.date, end: str | dt.date) -> pd.DataFrame:
    """The dated events whose interval lies within ``start`` to ``end`` (days, inclusive), in timeline order."""
    first, last = _day(start), _day(end)
    return _events(paths, lambda part: part[C.START_DATE].map(lambda d: d is not None and d == d and d >= first)
                   & part[C.END_DATE].map(lambda d: d is not None and d == d and d <= last))


def articles_on(paths: CorpusPaths, day: str | dt.date) -> pd.DataFrame:
    """The articles published on ``day`` (doc_id, title, published, n_words), in doc_id order."""
    wanted = _day(day)
    columns = [C.DOC_ID, C.TITLE, C.PUBLISHED, C.N_WORDS]
    parts = parquet_parts(paths.documents, columns, rows=READ_ROWS)
    return concat_frames([part[part[C.PUBLISHED].map(lambda d: _as_day(d) == wanted)] for part in parts], columns)


def _as_day(value) -> dt.date | None:
    if value is None or value != value:
        return None
    return value.date() if hasattr(value, "date") else value


def key_dates_between(paths: CorpusPaths, start: str | dt.date, end: str | dt.date, count: int = 0) -> pd.DataFrame:
    """The key dates of the events within ``start`` to ``end`` (``events_between``), that period as the news:
    ``count`` of them, or by default as many as ``keydates.KeyDates.chosen`` gives."""
    first, last = _day(start), _day(end)
    chooser = keydates.KeyDates((first, last))
    chooser.add(events_between(paths, first, last)[keydates.EVENT_COLUMNS].to_dict("records"))
    return chooser.chosen(count)
