"""HTML pieces of the report. Article text is untrusted: everything taken from an article is escaped here."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
from collections.abc import Iterable, Sequence

import pandas as pd

from dateline import columns as C
from dateline.report.choice import DocumentSummary
from dateline.report.plots import lanes
from dateline.steps.keydates import LINKED_ARTICLES
from dateline.timex.values import readable

CSS = """
.dl-table { border-collapse: collapse; font-size: 0.92em; margin: 0.5em 0 1.2em; }
.dl-table th, .dl-table td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
.dl-table td:first-child { white-space: nowrap; }
.dl-table th { background: #f3f3f3; }
.dl-doc { border-left: 3px solid #0072B2; padding: 0.2em 1em; margin: 1em 0; max-width: 60em; }
.dl-doc p { line-height: 1.55; }
mark.dl-ent { background: #dbeefa; padding: 0 2px; border-radius: 3px; }
mark.dl-ent-PERSON { background: #f9ddd0; } mark.dl-ent-ORG { background: #d3e4f5; }
mark.dl-ent-GPE, mark.dl-ent-LOC, mark.dl-ent-FAC { background: #d2f0e6; } mark.dl-ent-NORP { background: #fbebc7; }
mark.dl-timex { background: #efd9ea; border-bottom: 2px solid #CC79A7; padding: 0 2px; }
.dl-muted { color: #666; } .dl-reported { color: #666; font-style: italic; }
figure.dl-fig { margin: 1em 0; } figure.dl-fig img { max-width: 100%; height: auto; }
figure.dl-fig figcaption { color: #555; font-size: 0.9em; }
ol.dl-keydates { padding-left: 1.4em; max-width: 60em; } ol.dl-keydates > li { margin: 0.5em 0; }
.dl-date { font-weight: bold; color: #0072B2; margin-right: 0.5em; }
ol.dl-keydates details { margin: 0.2em 0 0.4em; font-size: 0.92em; } ol.dl-keydates summary { cursor: pointer; }
"""


def esc(value: object) -> str:
    """Text for HTML element content or a quoted attribute: &, <, >, " and ' escaped; None and NaN as ''."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, (list, tuple)):
        return esc(", ".join(str(v) for v in value))
    return html.escape(str(value), quote=True)


def anchor(doc_id: str) -> str:
    """A safe, stable HTML id for a document (doc_ids are user data and may hold anything)."""
    return "doc-" + hashlib.sha1(str(doc_id).encode()).hexdigest()[:12]


def style() -> str:
    return f"<style>{CSS}</style>"


def figure(png: bytes, *, alt: str, caption: str = "") -> str:
    """An embedded PNG with alt text (no external file)."""
    data = base64.b64encode(png).decode()
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure class="dl-fig"><img alt="{esc(alt)}" src="data:image/png;base64,{data}">{cap}</figure>'


def table(df: pd.DataFrame, columns: Sequence[str] | None = None, *, links: dict[str, str] | None = None,
          row_class: str | None = None) -> str:
    """An HTML table with every cell escaped. ``links`` maps a column to the doc_id column its cells link to."""
    columns = list(columns or df.columns)
    links = links or {}
    head = "".join(f"<th>{esc(c)}</th>" for c in columns)
    body = []
    for row in df.to_dict("records"):
        cells = []
        for c in columns:
            value = esc(row[c])
            if c in links:
                value = f'<a href="#{anchor(row[links[c]])}">{value}</a>'
            cells.append(f"<td>{value}</td>")
        cls = f' class="{esc(row_class and row.get(row_class, ""))}"' if row_class else ""
        body.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return f'<table class="dl-table"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def highlight(text: str, spans: Iterable[tuple[int, int, str, str]]) -> str:
    """``text`` escaped, with ``(start, end, css_class, title)`` spans wrapped in <mark>; overlaps keep the first."""
    out, pos = [], 0
    for start, end, cls, title in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < pos or end <= start or end > len(text):
            continue
        out.append(esc(text[pos:start]))
        out.append(f'<mark class="{esc(cls)}" title="{esc(title)}">{esc(text[start:end])}</mark>')
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def document(doc: dict, mentions: pd.DataFrame, timexes: pd.DataFrame) -> str:
    """One document: headline, source line and body with entities and time expressions highlighted."""
    spans = [(int(t[C.START]), int(t[C.END]), "dl-timex", f"{t[C.TYPE]} {t[C.VALUE]}")
             for t in timexes.to_dict("records")]
    spans += [(int(m[C.START]), int(m[C.END]), f"dl-ent dl-ent-{m[C.LABEL]}", f"{m[C.LABEL]}: {m[C.NAME]}")
              for m in mentions.to_dict("records")]
    body = highlight(doc[C.TEXT], spans)
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    published = _date(doc[C.PUBLISHED]) or "publication date unknown"
    meta = " · ".join(esc(x) for x in (published, doc[C.SOURCE], doc[C.DATELINE_PLACE]) if x)
    url = doc[C.URL]
    link = (f' · <a href="{esc(url)}" rel="noopener noreferrer">source</a>'
            if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else "")
    return (f'<section class="dl-doc" id="{anchor(doc[C.DOC_ID])}"><h3>{esc(doc[C.TITLE]) or esc(doc[C.DOC_ID])}'
            f'</h3><p class="dl-muted">{esc(doc[C.DOC_ID])} · {meta}{link}</p>{paragraphs}</section>')


def _date(value: object) -> str:
    return value.isoformat() if hasattr(value, "isoformat") and value == value else ""


def overview(corpus: str, summary: DocumentSummary, merged: pd.DataFrame, rejected: pd.DataFrame,
             model_id: str) -> str:
    """Counts, words, publication date range and model of the run."""
    span = (f"{_date(summary.first_published)} to {_date(summary.last_published)}"
            if summary.first_published is not None else "unknown")
    missing = summary.undated
    rows = pd.DataFrame({"": ["corpus", "documents kept", "merged as syndicated copies", "rejected", "words",
                              "published", "model"],
                         " ": [corpus, summary.documents, len(merged), len(rejected), summary.words,
                               span + (f" ({missing} without a date: their events cannot be dated)"
                                       if missing else ""), model_id]})
    return table(rows)


def timeline_alt(events: pd.DataFrame) -> str:
    first, last = _date(events[C.START_DATE].min()), _date(events[C.END_DATE].max())
    return (f"Timeline chart of {len(events)} events from {first} to {last}; the events are listed in the "
            "table below.")


def swimlane_alt(entity_timelines: pd.DataFrame, top: int) -> str:
    names = lanes(entity_timelines, top)
    counts = entity_timelines[entity_timelines[C.NAME].isin(names)].groupby(C.NAME, sort=False).size()
    return ("Events of the most active entities, one lane each: "
            + "; ".join(f"{name}, {counts[name]} events" for name in names) + ".")


def event_table(events: pd.DataFrame, *, limit: int | None = None, total: int | None = None) -> str:
    """The events, in timeline order, linked to their documents; reported events in grey italics. ``events`` may
    be the first rows only of ``total``."""
    if events.empty:
        return '<p class="dl-muted">No events.</p>'
    note, total = "", len(events) if total is None else total
    if limit is not None and total > limit:
        note = (f'<p class="dl-muted">The first {limit} of {total} events; all of them are in '
                "data/processed/&lt;corpus&gt;/timeline.csv.</p>")
        events = events.head(limit)
    view = events.assign(
        when=events[C.VALUE].map(readable),
        who=[", ".join(a) or g for a, g in zip(events[C.ACTOR_NAMES], events[C.AGENT], strict=True)],
        where=events[C.PLACE_NAMES].apply(", ".join), what=events[C.TRIGGER],
        row=events[C.ANCHOR].map({"publication": "dl-reported"}).fillna(""),
        sources=events[C.N_SOURCES])
    return note + table(view, ["when", "what", "who", "where", C.TEXT, C.EVENT_CLASS, C.CONFIDENCE, C.DOC_ID,
                               "sources"], links={C.DOC_ID: C.DOC_ID}, row_class="row")


def date_label(value: str) -> str:
    """A key date as a reader says it: a day with its weekday ("Saturday 21 March 2015"), else ``readable``."""
    try:
        day = dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    return f"{day:%A} {day.day} {day:%B %Y}" if day else readable(value)


def key_dates(key_dates: pd.DataFrame, events: pd.DataFrame, documents: pd.DataFrame, *, n_documents: int) -> str:
    """The "Key dates" section (id ``key-dates``): each date with its line, how many articles tell of it, and its
    events and articles (linked to the Documents section) folded beneath. ``events`` and ``documents`` hold at
    least the key dates' events (event_id, description) and articles (doc_id, title). Dates of
    leading entities (a corpus of unrelated articles) come under each entity's name, with a note that says so."""
    if key_dates.empty:
        return ('<section id="key-dates"><p class="dl-muted">No dates stand out: no article dates an event.</p>'
                "</section>")
    described = dict(zip(events[C.EVENT_ID], events[C.DESCRIPTION], strict=True))
    titles = {d: t for d, t in zip(documents[C.DOC_ID], documents[C.TITLE], strict=True) if isinstance(t, str) and t}

    def item(row: dict) -> str:
        n = row[C.N_SOURCES]
        lines = "".join(f"<li>{esc(described[e])}</li>" for e in row[C.EVENT_IDS] if described.get(e))
        links = ", ".join(f'<a href="#{anchor(d)}">{esc(titles.get(d) or d)}</a>'
                          for d in list(row[C.DOC_IDS])[:LINKED_ARTICLES])
        more = f" and {n - LINKED_ARTICLES} more" if n > LINKED_ARTICLES else ""
        return (f'<li><span class="dl-date">{esc(date_label(row[C.DATE]))}</span>{esc(row[C.HEADLINE])} '
                f'<span class="dl-muted">({n} article{"s" if n != 1 else ""})</span>'
                f"<details><summary>events and articles</summary><ul>{lines}</ul>"
                f"<p>Articles: {links}{more}</p></details></li>")

    by_entity = key_dates[C.ENTITY_ID].astype(bool).any()
    if not by_entity:
        return f'<section id="key-dates"><ol class="dl-keydates">{"".join(map(item, key_dates.to_dict("records")))}' \
               "</ol></section>"
    parts = [f'<p class="dl-muted">These {n_documents} articles do not tell one story: no date is told by a fifth '
             "of them. Here are the key dates of the entities that take part in the most events instead.</p>"]
    for name, rows in key_dates.groupby(C.NAME, sort=False):
        parts.append(f'<h3>{esc(name)}</h3><ol class="dl-keydates">{"".join(map(item, rows.to_dict("records")))}</ol>')
    return f'<section id="key-dates">{"".join(parts)}</section>'


def entity_alt(entities: pd.DataFrame, top: int) -> str:
    names = ", ".join(f"{n} ({k})" for n, k in zip(entities[C.NAME].head(top), entities[C.N_MENTIONS].head(top),
                                                   strict=True))
    return f"Bar chart of the most mentioned entities with their mention counts: {names}."


def network_alt(entities: pd.DataFrame, cooccurrence: pd.DataFrame, top: int) -> str:
    keep = set(entities[C.ENTITY_ID].head(top))
    pairs = cooccurrence[cooccurrence[C.ENTITY_A].isin(keep) & cooccurrence[C.ENTITY_B].isin(keep)].head(5)
    names = dict(zip(entities[C.ENTITY_ID], entities[C.NAME], strict=True))
    strongest = "; ".join(f"{names[a]} and {names[b]} ({n} sentences)" for a, b, n in
                          zip(pairs[C.ENTITY_A], pairs[C.ENTITY_B], pairs[C.COUNT], strict=True))
    return f"Network of the {min(top, len(entities))} most mentioned entities; most often named together: {strongest}."


def entity_table(entities: pd.DataFrame, *, total: int | None = None) -> str:
    """The entities, most mentioned first; ``entities`` may be the first rows only of ``total``."""
    note = ""
    if total is not None and total > len(entities):
        note = (f'<p class="dl-muted">The {len(entities)} most mentioned of {total} entities; all of them are in '
                "data/processed/&lt;corpus&gt;/entities.parquet.</p>")
    view = entities.assign(**{C.ALIASES: entities[C.ALIASES].apply(lambda a: "; ".join(a))})
    return note + table(view, [C.NAME, C.LABEL, C.ALIASES, C.N_MENTIONS, C.N_DOCS])


def cleaning(summary: DocumentSummary, merged: pd.DataFrame, rejected: pd.DataFrame, *, limit: int = 100) -> str:
    """Datelines, repeats and boilerplate removed, copies merged, documents rejected with their reasons (the first
    ``limit`` of each list; the CSV files beside the cleaned documents hold them all)."""
    parts = [table(pd.DataFrame({"": ["datelines found", "repeated paragraphs removed", "boilerplate lines removed",
                                      "syndicated copies merged", "documents rejected"],
                                 " ": [summary.datelines, summary.repeats_removed, summary.boilerplate_lines,
                                       len(merged), len(rejected)]}))]
    if summary.with_dateline:
        parts.append(table(pd.DataFrame(list(summary.with_dateline), columns=[C.DOC_ID, C.DATELINE, C.DATELINE_PLACE]),
                           links={C.DOC_ID: C.DOC_ID}))
    for title, rows, what, file in (("Rejected documents", rejected, "rejected documents", "rejected.csv"),
                                    ("Merged copies", merged, "merged copies", "merged.csv")):
        if len(rows):
            note = (f'<p class="dl-muted">The first {limit} of {len(rows)} {what}; all of them are in '
                    f"data/interim/&lt;corpus&gt;/{file}.</p>" if len(rows) > limit else "")
            parts.append(f"<h3>{title}</h3>{note}{table(rows.head(limit))}")
    return "".join(parts)


def documents(docs: pd.DataFrame, mentions: pd.DataFrame, timexes: pd.DataFrame) -> str:
    shown = set(docs[C.DOC_ID])  # group only these: a frame per document of a large corpus costs seconds and memory
    by_doc_m = dict(tuple(mentions[mentions[C.DOC_ID].isin(shown)].groupby(C.DOC_ID)))
    by_doc_t = dict(tuple(timexes[timexes[C.DOC_ID].isin(shown)].groupby(C.DOC_ID)))
    empty_m, empty_t = mentions.iloc[:0], timexes.iloc[:0]
    return "".join(document(d, by_doc_m.get(d[C.DOC_ID], empty_m), by_doc_t.get(d[C.DOC_ID], empty_t))
                   for d in docs.to_dict("records"))


def provenance(inputs: dict[str, str], environment: dict, git: dict, model_id: str) -> str:
    """A short provenance table: inputs (count and one digest over their hashes), model, Python, code version."""
    digest = hashlib.sha256("\n".join(f"{k} {v}" for k, v in sorted(inputs.items())).encode()).hexdigest()
    commit = git.get("commit")
    code = "not a git checkout"
    if commit:
        code = commit[:12] + (" (with uncommitted changes)" if git.get("dirty") else "")
    files = f"{len(inputs)} file" + ("" if len(inputs) == 1 else "s")
    rows = pd.DataFrame({"": ["inputs", "model", "Python", "spaCy", "pandas", "dateline code"],
                         " ": [f"{files}, sha256 of their hashes {digest[:16]}", model_id,
                               environment["python"], environment["packages"].get("spacy", "?"),
                               environment["packages"].get("pandas", "?"), code]})
    return table(rows)
