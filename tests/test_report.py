import datetime as dt
import re

import pandas as pd

from dateline import columns as C
from dateline import report

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
