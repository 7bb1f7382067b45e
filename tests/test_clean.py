import csv
import datetime as dt
import json

import pandas as pd
import pytest

from dateline import columns as C
from dateline.steps.clean import clean_body, clean_documents, find_dateline, split_empty


@pytest.mark.parametrize("paragraph, dateline, place", [
    ("TIKRIT, Iraq - The U.S.-led coalition battling", "TIKRIT, Iraq - ", "Tikrit, Iraq"),
    ("WASHINGTON (AP) \u2014 The Senate voted", "WASHINGTON (AP) \u2014 ", "Washington"),
    ("SALVADOR, Feb 26 - Showers continued", "SALVADOR, Feb 26 - ", "Salvador"),
    ("LONDON, March 3 (Reuters) - Shares fell", "LONDON, March 3 (Reuters) - ", "London"),
    ("CALGARY, Alberta, March 3 - Oil prices", "CALGARY, Alberta, March 3 - ", "Calgary, Alberta"),
    ("NEW YORK, April 1 (Reuters) -- Stocks rose", "NEW YORK, April 1 (Reuters) -- ", "New York"),
    ("Kansas City, March 11 - The National Weather Service", "Kansas City, March 11 - ", "Kansas City"),
    ("EVANDALE, Ohio, April, 13 - CFM International", "EVANDALE, Ohio, April, 13 - ", "Evandale, Ohio"),
    ("WASHINGTON, March 12, Reuter - A U.S. judge", "WASHINGTON, March 12, Reuter - ", "Washington"),
    ("MORRISTOWN, N.J., March 19 -Qtr ends Jan 31", "MORRISTOWN, N.J., March 19 -", "Morristown, N.J."),
    # places in capitals beyond ASCII, any agency in parentheses, a month abbreviated without a period
    ("Z\u00dcRICH \u2014 The bank said", "Z\u00dcRICH \u2014 ", "Z\u00fcrich"),
    ("S\u00c3O PAULO (AP) \u2014 Brazil's president", "S\u00c3O PAULO (AP) \u2014 ", "S\u00e3o Paulo"),
    ("KELSTON, Oct 2 (Wire) - The union reached a deal", "KELSTON, Oct 2 (Wire) - ", "Kelston"),
    ("VALDEN (NW) \u2014 Voters went to the polls", "VALDEN (NW) \u2014 ", "Valden"),
    ("MONTRÉAL, Québec (CP) \u2014 Snow fell", "MONTRÉAL, Québec (CP) \u2014 ", "Montréal, Québec"),
])
def test_datelines(paragraph, dateline, place):
    assert find_dateline(paragraph) == (dateline, place)


@pytest.mark.parametrize("paragraph", [
    "Meanwhile, the coalition said it would continue.",
    "Iraq, which borders Iran - and Syria - is at war.",
    "The U.S. said - without giving details - that it agreed.",
    "NATO",
    "On March 3 - the day after the vote - officials said.",
    "Wednesday, March 25 - a date to remember.",
    "U.S.-led forces advanced.",
    "NATO (the alliance) - which met in May - agreed.",
    "\u00c9lys\u00e9e officials said - without details - that it agreed.",
])
def test_ordinary_openings_are_not_datelines(paragraph):
    assert find_dateline(paragraph) is None


def test_wikinews_date_line_is_the_dateline_and_gives_the_date():
    articles = pd.DataFrame([{C.DOC_ID: "a", C.TEXT: "Friday, January 4, 2019 \n\n\nAn apartment building collapsed.",
                              C.PUBLISHED: None, C.PUBLISHED_FROM: "missing"}])
    out = clean_documents(articles).iloc[0]
    assert out[C.DATELINE] == "Friday, January 4, 2019"
    assert out[C.PUBLISHED] == dt.date(2019, 1, 4)
    assert out[C.PUBLISHED_FROM] == "dateline"
    assert out[C.TEXT] == "An apartment building collapsed."


def test_repeated_paragraphs_are_removed_keeping_the_first():
    body = "A first.\nB second.\nA first.\n\nC third.\nB second."
    out = clean_body(body)
    assert out[C.TEXT] == "A first.\n\nB second.\n\nC third."
    assert out[C.REPEATS_REMOVED] == 2


@pytest.mark.parametrize("line", [
    "Associated Press writer Jane Doe in Ottawa contributed to this report.",
    "Copyright 2015 The Associated Press. All rights reserved.",
    "\u00a9 2020 Example News",
    "Reuter",
    "Click here for more stories.",
    "(AP Photo/John Smith)",
    "By JOHN SMITH",
])
def test_boilerplate_is_removed_and_listed(line):
    out = clean_body(f"The news itself.\n{line}")
    assert out[C.TEXT] == "The news itself."
    assert out[C.BOILERPLATE] == [line]


def test_sample_article(sample_documents):
    doc = sample_documents.iloc[0]
    assert doc[C.TEXT].startswith("The U.S.-led coalition battling the Islamic State group")
    paragraphs = doc[C.TEXT].split("\n\n")
    assert len(paragraphs) == len(set(paragraphs)) == 7
    assert doc[C.REPEATS_REMOVED] == 1
    assert (doc[C.DATELINE], doc[C.DATELINE_PLACE]) == ("TIKRIT, Iraq - ", "Tikrit, Iraq")
    assert doc[C.PUBLISHED] == dt.date(2015, 3, 25)
    assert doc[C.TITLE] == "Coalition surveillance over Tikrit is new step"


WIRE = """    SALVADOR, Feb 26 - Showers continued throughout the week in
the Bahia cocoa zone, alleviating the drought since early
January and improving prospects for the coming temporao,
although normal humidity levels have not been restored.
    The dry period means the temporao will be late this year.
    Arrivals for the week ended February 22 were 155,221 bags
of 60 kilos.
 Reuter
"""


def test_hard_wrapped_wire_copy_is_joined_into_paragraphs():
    out = clean_body(WIRE)
    assert out[C.DATELINE_PLACE] == "Salvador"
    assert out[C.TEXT].split("\n\n") == [
        "Showers continued throughout the week in the Bahia cocoa zone, alleviating the drought since early January "
        "and improving prospects for the coming temporao, although normal humidity levels have not been restored.",
        "The dry period means the temporao will be late this year.",
        "Arrivals for the week ended February 22 were 155,221 bags of 60 kilos.",
    ]
    assert out[C.BOILERPLATE] == ["Reuter"]


def test_one_paragraph_per_line_is_not_joined():
    body = "First short paragraph.\nSecond one, also short.\nA third that ends a sentence too."
    assert clean_body(body)[C.TEXT].count("\n\n") == 2


def test_repeated_sentences_inside_paragraphs_are_removed():
    lead = "The coalition has begun surveillance flights over the town of Tikrit."
    out = clean_body(f"{lead} Officials confirmed it.\nMore news here. {lead}")
    assert out[C.TEXT] == f"{lead} Officials confirmed it.\n\nMore news here."
    assert out[C.REPEATS_REMOVED] == 1


def _raw_of(out, body, start, end, offset=0):
    from dateline.steps.offsets import to_raw

    raw = to_raw(out["segments"], start, end)
    return body[raw[0] - offset : raw[1] - offset]


def test_offsets_lead_back_to_the_raw_text():
    body = "TIKRIT, Iraq - The  U.S.-led\tcoalition said Tuesday.\nCaf\u00c3\u00a9 owners agreed.\n"
    from dateline.corpus import fix_text

    out = clean_body(body, offset=100, fix=fix_text)
    assert out[C.TEXT] == "The U.S.-led coalition said Tuesday.\n\nCaf\u00e9 owners agreed."
    for word in ("U.S.-led", "Tuesday", "owners agreed."):
        i = out[C.TEXT].index(word)
        assert _raw_of(out, body, i, i + len(word), offset=100) == word
    i = out[C.TEXT].index("Caf\u00e9")
    assert _raw_of(out, body, i, i + 4, offset=100) == "Caf\u00c3\u00a9"  # the mojibake as it stands in the file


def test_sample_offsets_point_into_the_raw_file(sample_documents):
    from tests.conftest import ROOT

    raw = (ROOT / "data/raw/tikrit/000_40ca38e0c532a88f.txt").read_text(encoding="utf-8")
    doc = sample_documents.iloc[0]
    for word in ("Saturday", "Qassem Soleimani", "Beiji on Tuesday."):
        i = doc[C.TEXT].index(word)
        assert _raw_of(doc, raw, i, i + len(word)) == word


WIKINEWS_COLUMNS = {"published": "date"}


def _in_memory(raw_dir):
    """Stage 01 with every article held at once: what the batched stage must write."""
    from dateline.corpus import read_corpus
    from dateline.steps import dedup

    documents = clean_documents(read_corpus(raw_dir, columns=WIKINEWS_COLUMNS).articles)
    kept, _ = dedup.merge_copies(documents, dedup.find_copies(documents))
    return kept.sort_values(C.DOC_ID, ignore_index=True)


def _copy_corpus(tmp_path):
    """Wikinews with copies (exact, edited, and published earlier than their original) in files of their own."""
    import shutil

    from tests.conftest import ROOT

    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "wikinews", raw)
    with open(raw / "wikinews_2019.csv", encoding="utf-8", newline="") as f:
        records = list(csv.DictReader(f))
    copies = [dict(r, id=f"zz-copy-{i}", date="2001-01-01" if i % 2 else r["date"],
                   text=r["text"] + (" Editor's note: corrected." if i % 3 else "")) for i, r in
              enumerate(records[:: 40])]
    (raw / "a-copies.jsonl").write_text("".join(json.dumps(c) + "\n" for c in copies), encoding="utf-8")
    return raw, len(copies)


@pytest.mark.parametrize("batch, group_rows, write_rows", [(7, 3, 10), (2_000, 128, 1_000)])
def test_stage_01_in_batches_writes_what_it_would_with_the_whole_corpus_in_memory(tmp_path, batch, group_rows,
                                                                                   write_rows):
    from dateline import io
    from dateline.corpus import stream_corpus
    from dateline.steps import dedup
    from dateline.steps.clean import STAGE_COLUMNS, STAGED_SCHEMA, stage, write_documents

    raw, n_copies = _copy_corpus(tmp_path)
    runs = io.SortedRuns(C.DOC_ID, STAGED_SCHEMA, dir=tmp_path / "interim", group_rows=group_rows)
    signatures, parts = dedup.Signatures(), []
    for articles in stream_corpus(raw, columns=WIKINEWS_COLUMNS, rows=batch):
        cleaned = clean_documents(articles)
        signatures.add(cleaned[C.TEXT])
        parts.append(stage(cleaned, runs))
    documents = io.concat_frames(parts, STAGE_COLUMNS)
    copies = dedup.copies_among(documents, signatures)
    kept, merged = dedup.merge_copies(documents, copies)
    write_documents(runs, kept, tmp_path / "documents.parquet", tmp_path / "offsets.parquet", rows=write_rows)
    runs.close()
    assert sorted(p.name for p in (tmp_path / "interim").iterdir()) == []  # the staged file is gone

    expected = _in_memory(raw)
    assert len(merged) >= n_copies and len(kept) + len(merged) == len(documents)
    written = pd.read_parquet(tmp_path / "documents.parquet")
    assert written.columns.tolist() == expected.drop(columns="segments").columns.tolist()
    for column in written:
        assert written[column].map(_plain).tolist() == expected[column].map(_plain).tolist(), column
    offsets = pd.read_parquet(tmp_path / "offsets.parquet")
    segments = [s for s in expected["segments"] for _ in range(len(s))]
    assert offsets[C.DOC_ID].tolist() == [d for d, s in zip(expected[C.DOC_ID], expected["segments"],
                                                               strict=True) for _ in range(len(s))]
    assert offsets[[C.START, C.END, C.RAW_START, C.RAW_END]].to_numpy().tolist() == \
        [row.tolist() for s in expected["segments"] for row in s]
    assert len(segments) == len(offsets)


def _plain(value):
    return value.tolist() if hasattr(value, "tolist") else value


def test_writing_documents_that_were_not_staged_leaves_no_file(tmp_path):
    from dateline import io
    from dateline.corpus import read_corpus
    from dateline.steps.clean import STAGED_SCHEMA, stage, write_documents
    from tests.conftest import ROOT

    documents = clean_documents(read_corpus(ROOT / "data" / "raw" / "tikrit").articles)
    runs = io.SortedRuns(C.DOC_ID, STAGED_SCHEMA, dir=tmp_path)
    kept = stage(documents, runs)
    extra = kept.assign(**{C.DOC_ID: "zz-never-staged"})
    from dateline.steps.dedup import merge_copies
    with pytest.raises(ValueError, match="never staged"):
        write_documents(runs, merge_copies(pd.concat([kept, extra]), {})[0], tmp_path / "d.parquet",
                        tmp_path / "o.parquet")
    assert not (tmp_path / "d.parquet").exists() and not (tmp_path / "o.parquet").exists()
    runs.close()


def test_an_article_that_is_only_a_dateline_is_rejected_not_kept():
    articles = pd.DataFrame({C.DOC_ID: ["only", "real"], C.FILE: ["only.txt", "real.txt"], C.LINE: [1, 1],
                             C.TEXT: ["VALDEN (NW) \u2014 \n", "VALDEN (NW) \u2014 Voters went to the polls.\n"],
                             C.PUBLISHED: [None, None], C.PUBLISHED_FROM: ["missing", "missing"]})
    kept, rejected = split_empty(clean_documents(articles))
    assert list(kept[C.DOC_ID]) == ["real"] and kept[C.DATELINE_PLACE].iloc[0] == "Valden"
    assert list(rejected[C.DOC_ID]) == ["only"] and "only a dateline" in rejected[C.REASON].iloc[0]


def test_a_date_line_that_cannot_be_a_publication_date_is_not_used():
    articles = pd.DataFrame({C.DOC_ID: ["a"], C.FILE: ["a.txt"], C.LINE: [1], C.PUBLISHED: [None],
                             C.PUBLISHED_FROM: ["missing"],
                             C.TEXT: ["Friday, January 4, 2999\n\nThe council met and approved the budget.\n"]})
    assert pd.isna(clean_documents(articles)[C.PUBLISHED].iloc[0])


def test_markup_in_a_text_field_is_removed_and_offsets_still_point_into_the_raw_text():
    raw = "<p>WASHINGTON (AP) &mdash; <b>John Smith</b> met <a href='x'>the&nbsp;mayor</a> on Tuesday.</p>" \
          "<p>A second paragraph.<script>alert(1)</script></p>"
    out = clean_body(raw)
    assert out[C.TEXT] == "John Smith met the mayor on Tuesday.\n\nA second paragraph."
    assert out[C.DATELINE_PLACE] == "Washington"
    from dateline.steps.offsets import to_raw

    start = out[C.TEXT].index("John Smith")
    raw_start, raw_end = to_raw(out["segments"], start, start + len("John Smith"))
    assert raw[raw_start:raw_end] == "John Smith"


@pytest.mark.parametrize("text", ["Shares of <AXP> rose.", "If a < b and b > c, then a < c.",
                                  "The <Reuters> code", "AT&T said"])
def test_text_that_only_looks_like_markup_stays(text):
    assert clean_body(text)[C.TEXT] == text
