import datetime as dt
import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from dateline import columns as C
from dateline.report import choice
from dateline.report import sections as report

HOSTILE = "<script>alert('x')</script> <img src=x onerror=alert(1)> </div></table> \"quoted' & more"


def test_esc_escapes_markup_and_quotes():
    out = report.esc(HOSTILE)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert report.esc(None) == "" and report.esc(float("nan")) == ""


def test_table_escapes_every_cell_and_link():
    df = pd.DataFrame([{C.DOC_ID: HOSTILE, "x": HOSTILE}])
    out = report.table(df, links={C.DOC_ID: C.DOC_ID})
    assert "<script" not in out and "<img" not in out and "</div>" not in out
    assert re.search(r'href="#doc-[0-9a-f]{12}"', out)


def test_document_escapes_text_title_source_and_url():
    doc = {C.DOC_ID: "d1", C.TITLE: HOSTILE, C.TEXT: f"Before {HOSTILE} after.", C.PUBLISHED: dt.date(2020, 1, 1),
           C.SOURCE: "<b>Evil</b>", C.URL: "javascript:alert(1)", C.DATELINE_PLACE: ""}
    start = doc[C.TEXT].index("<img")
    mentions = pd.DataFrame([{C.START: start, C.END: start + 10, C.LABEL: "ORG", C.NAME: "<i>n</i>"}])
    timexes = pd.DataFrame(columns=[C.START, C.END, C.TYPE, C.VALUE])
    out = report.document(doc, mentions, timexes)
    assert "<script" not in out and "<img" not in out and "<b>" not in out and "<i>" not in out
    assert "javascript:" not in out  # only http(s) URLs become links
    assert "&lt;script&gt;" in out


def test_highlight_keeps_text_and_skips_overlaps():
    out = report.highlight("a <b> c", [(2, 5, "x", "t"), (3, 6, "y", "u")])
    assert out == 'a <mark class="x" title="t">&lt;b&gt;</mark> c'


def _documents(n: int) -> pd.DataFrame:
    return pd.DataFrame({
        C.DOC_ID: [f"d{i:03d}" for i in range(n)],
        C.PUBLISHED: [None if i % 4 == 3 else dt.date(2020, 1, 1) + dt.timedelta(days=(i * 7) % 30) for i in range(n)],
        C.N_WORDS: [10 + i for i in range(n)], C.DATELINE: ["" if i % 3 else f"CITY {i} -" for i in range(n)],
        C.DATELINE_PLACE: ["" if i % 3 else f"City {i}" for i in range(n)],
        C.REPEATS_REMOVED: [i % 2 for i in range(n)], C.BOILERPLATE: [["a"] * (i % 3) for i in range(n)]})


@given(st.integers(0, 40), st.lists(st.integers(1, 9), max_size=8), st.integers(0, 5))
def test_summarise_documents_counts_the_same_a_part_at_a_time(n, cuts, examples):
    docs = _documents(n)
    bounds = sorted({0, n, *(min(c * (i + 1), n) for i, c in enumerate(cuts))})
    parts = [docs.iloc[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
    whole = choice.summarise_documents([docs], examples=examples)
    assert choice.summarise_documents(parts, examples=examples) == whole
    dated = docs[C.PUBLISHED].dropna()
    assert (whole.documents, whole.words, whole.undated) == (n, docs[C.N_WORDS].sum(), n - len(dated))
    assert (whole.first_published, whole.last_published) == ((dated.min(), dated.max()) if len(dated) else (None, None))
    assert whole.datelines == (docs[C.DATELINE] != "").sum() and whole.repeats_removed == docs[C.REPEATS_REMOVED].sum()
    assert whole.boilerplate_lines == sum(map(len, docs[C.BOILERPLATE]))
    assert whole.with_dateline == tuple(docs.loc[docs[C.DATELINE] != "", [C.DOC_ID, C.DATELINE, C.DATELINE_PLACE]]
                                        .head(examples).itertuples(index=False, name=None))


def test_overview_and_cleaning_state_the_counts_and_show_the_first_of_long_lists():
    summary = choice.summarise_documents([_documents(9)])
    merged = pd.DataFrame({C.DOC_ID: [f"c{i}" for i in range(250)], "kept": "d000"})
    rejected = pd.DataFrame({C.DOC_ID: ["r1"], "reason": ["empty text"]})
    page = report.overview("x", summary, merged, rejected, "model 1")
    assert ">9<" in page and f">{sum(range(10, 19))}<" in page and "2 without a date" in page
    page = report.cleaning(summary, merged, rejected, limit=100)
    assert "The first 100 of 250 merged copies" in page and "c99<" in page and "c100<" not in page
    assert "empty text" in page and "The first" not in page.split("Rejected")[1].split("Merged")[0]


def test_the_provenance_table_counts_one_file_in_the_singular():
    env = {"python": "3.11", "packages": {}}
    assert "1 file, sha256" in report.provenance({"a.txt": "0" * 64}, env, {}, "model")
    assert "2 files, sha256" in report.provenance({"a.txt": "0" * 64, "b.txt": "1" * 64}, env, {}, "model")
