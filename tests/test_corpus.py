import codecs
import datetime as dt
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import columns as C
from dateline.corpus import InputError, decode, open_text, parse_published, read_corpus
from tests.conftest import FIXTURE

TEXT = "Café “déjà vu” – naïve résumé, said Tuesday."


@pytest.mark.parametrize("raw, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
    (TEXT.encode("utf-16-be").join([codecs.BOM_UTF16_BE, b""]), "utf-16"),
    (TEXT.encode("cp1252"), "cp1252"),
    ("Привет, как дела? Это новости из Москвы.".encode("cp1251"), "cp1251"),
    ("Zażółć gęślą jaźń, powiedział we wtorek minister.".encode("cp1250"), "cp1250"),
])
def test_decode_detects_the_encoding(raw, encoding):
    assert decode(raw)[1] == encoding
    assert decode(raw)[0] == raw.decode(encoding).lstrip("\ufeff")


def test_fix_text_repairs_mojibake():
    from dateline.corpus import fix_text

    text = "Café déjà vu, naïve résumé"
    mojibake = text.encode("utf-8").decode("cp1252")
    assert mojibake != text
    assert fix_text(mojibake) == text


@pytest.mark.parametrize("raw", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", bytes(range(0, 32)) * 20])
def test_decode_rejects_binary(raw):
    with pytest.raises(InputError, match="binary"):
        decode(raw, file="x.txt")


def test_decode_rejects_undecodable_utf16():
    with pytest.raises(InputError, match="undecodable UTF-16"):
        decode(codecs.BOM_UTF16_LE + "ok".encode("utf-16-le") + b"\x00\xd8", file="x.txt")


@pytest.mark.parametrize("value, expected", [
    ("2015-03-25", dt.date(2015, 3, 25)),
    ("2015-03-25T14:02:00Z", dt.date(2015, 3, 25)),
    ("2015-03-25 14:02", dt.date(2015, 3, 25)),
    ("March 25, 2015", dt.date(2015, 3, 25)),
    ("25 March 2015", dt.date(2015, 3, 25)),
    ("Wednesday, March 25, 2015", dt.date(2015, 3, 25)),
    ("", None),
    (None, None),
])
def test_parse_published(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["sometime soon", "March 2015", "2015-02-30", "32/13/2015"])
def test_parse_published_rejects_what_is_not_a_full_date(value):
    with pytest.raises(ValueError):
        parse_published(value)


@pytest.fixture(scope="module")
def fixture_reading():
    return read_corpus(FIXTURE)


@pytest.mark.parametrize("file, line, reason", [
    ("004_empty.txt", None, "empty file"),
    ("005_binary.txt", None, "binary file"),
    ("rows.csv", 2, "no text"),
    ("wire.jsonl", 3, "malformed JSON"),
    ("wire.jsonl", 4, "duplicate doc_id 'w1'"),
    ("wire.jsonl", 5, "unparseable date"),
])
def test_each_bad_input_is_rejected_with_file_line_and_reason(fixture_reading, file, line, reason):
    rejected = fixture_reading.rejected
    rows = rejected[(rejected[C.FILE] == file) & rejected[C.REASON].str.contains(reason, regex=False)]
    assert len(rows) == 1
    assert (rows[C.LINE].isna().all() if line is None else rows[C.LINE].iloc[0] == line)


def test_fixture_counts_add_up(fixture_reading):
    assert sorted(fixture_reading.articles[C.DOC_ID]) == ["001_kyiv", "002_kyiv_copy", "003_storm_cp1252", "w1", "w2"]
    assert len(fixture_reading.rejected) == 6


def test_metadata_supplies_date_source_and_url(fixture_reading):
    row = fixture_reading.articles.set_index(C.DOC_ID).loc["002_kyiv_copy"]
    assert row[C.PUBLISHED] == dt.date(2023, 5, 10)
    assert row[C.SOURCE] == "The Daily Example"
    assert row[C.TITLE] == "Canadian minister visits Kyiv"


def test_column_mapping(tmp_path):
    rows = [{"headline": "A", "body": "Body one.", "date": "2020-01-02"},
            {"headline": "B", "body": "Body two.", "date": "2020-01-03"}]
    (tmp_path / "a.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    reading = read_corpus(tmp_path, columns={"title": "headline", "text": "body", "published": "date"})
    assert reading.articles[C.TITLE].tolist() == ["A", "B"]
    assert reading.articles[C.DOC_ID].tolist() == ["a-1", "a-2"]
    assert reading.articles[C.PUBLISHED].tolist() == [dt.date(2020, 1, 2), dt.date(2020, 1, 3)]


def test_files_that_are_not_articles_are_listed_not_read(tmp_path):
    (tmp_path / "README.md").write_text("# about", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Title\nBody.", encoding="utf-8")
    reading = read_corpus(tmp_path)
    assert reading.ignored == ["README.md"]
    assert len(reading.articles) == 1


def test_missing_corpus_folder_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        read_corpus(tmp_path / "nope")


def test_jsonl_lines_end_only_where_json_lets_them(tmp_path):
    """A record whose text holds U+2028 or U+0085 (JSON allows them raw) is one record; CRLF and CR end lines."""
    records = [{"id": "a", "text": "First part\u2028second part.", "published": "2015-03-25"},
               {"id": "b", "text": "Next\x85line.", "published": "2015-03-25"},
               {"id": "c", "text": "Windows line end.", "published": "2015-03-25"},
               {"id": "d", "text": "Old Mac line end.", "published": "2015-03-25"}]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    (tmp_path / "a.jsonl").write_text(lines[0] + "\n" + lines[1] + "\n\n" + lines[2] + "\r\n" + lines[3] + "\r{oops",
                                      encoding="utf-8", newline="")
    reading = read_corpus(tmp_path)
    assert reading.articles[C.DOC_ID].tolist() == ["a", "b", "c", "d"]
    assert reading.articles[C.LINE].tolist() == [1, 2, 4, 5]
    assert reading.articles[C.TEXT].tolist()[:2] == ["First part\u2028second part.", "Next\x85line."]
    assert reading.rejected[[C.FILE, C.LINE]].values.tolist() == [["a.jsonl", 6]]


def _decoded_whole(raw: bytes):
    try:
        return decode(raw, file="f.jsonl")
    except InputError as err:
        return str(err)


def _opened(path):
    try:
        stream, encoding = open_text(path, file="f.jsonl")
    except InputError as err:
        return str(err)
    with stream:
        return stream.read(), encoding


_TEXTS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300)


@settings(max_examples=150, deadline=None)
@given(st.one_of(
    st.binary(max_size=300),
    st.tuples(_TEXTS, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])).map(
        lambda t: t[0].encode(t[1])),
    st.text(st.characters(codec="cp1252"), max_size=300).map(lambda t: t.encode("cp1252"))))
def test_a_file_opened_as_a_stream_reads_as_the_file_decoded_whole(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("open") / "f.jsonl"
    path.write_bytes(raw)
    assert _opened(path) == _decoded_whole(raw)


def test_a_large_utf8_file_is_read_as_a_stream(tmp_path, monkeypatch):
    import dateline.corpus as corpus

    monkeypatch.setattr(corpus, "_CHECK_BYTES", 7)  # a multi-byte character split between chunks still decodes
    path = tmp_path / "f.jsonl"
    path.write_text("".join(json.dumps({"text": f"Café {i} – naïve"}, ensure_ascii=False) + "\n"
                            for i in range(50)), encoding="utf-8")
    stream, encoding = open_text(path, file="f.jsonl")
    with stream:
        assert encoding == "utf-8" and not isinstance(stream, io.StringIO)
        assert stream.readline() == '{"text": "Café 0 – naïve"}\n'


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_text_not_binary(encoding):
    assert decode(TEXT.encode(encoding)) == (TEXT, encoding)


def _reasons(folder, **kwargs) -> dict[str, str]:
    reading = read_corpus(folder, **kwargs)
    return dict(zip(reading.rejected[C.FILE], reading.rejected[C.REASON], strict=True))


def test_a_csv_without_a_text_column_is_named_once_with_its_columns(tmp_path):
    (tmp_path / "rows.csv").write_text("id,title,body\n1,A,Some text.\n2,B,More text.\n", encoding="utf-8")
    reading = read_corpus(tmp_path)
    assert len(reading.rejected) == 1
    reason = reading.rejected[C.REASON].iloc[0]
    assert "no 'text' column" in reason and "'id', 'title', 'body'" in reason and "columns: {text: body}" in reason
    assert len(read_corpus(tmp_path, columns={"text": "body"}).articles) == 2


def test_a_jsonl_record_without_a_text_field_names_the_fields_it_has(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"title": "A", "body": "Some text."}\n', encoding="utf-8")
    assert "no 'text' field (the fields are: 'title', 'body')" in _reasons(tmp_path)["a.jsonl"]


def test_links_are_read_inside_the_corpus_folder_only(tmp_path):
    corpus, outside = tmp_path / "corpus", tmp_path / "elsewhere.txt"
    corpus.mkdir()
    outside.write_text("Headline\n\nText from outside the corpus.\n", encoding="utf-8")
    (corpus / "real.txt").write_text("Headline\n\nThe article itself.\n", encoding="utf-8")
    (corpus / "inside.txt").symlink_to(corpus / "real.txt")
    (corpus / "outside.txt").symlink_to(outside)
    (corpus / "broken.txt").symlink_to(tmp_path / "gone.txt")
    reading = read_corpus(corpus)
    assert sorted(reading.articles[C.DOC_ID]) == ["inside", "real"]
    reasons = dict(zip(reading.rejected[C.FILE], reading.rejected[C.REASON], strict=True))
    assert "outside the corpus folder" in reasons["outside.txt"] and "does not exist" in reasons["broken.txt"]


@pytest.mark.parametrize("published, problem", [("3000-01-01", "in the future"), ("1066-10-14", "before 1800")])
def test_a_publication_date_that_cannot_be_right_is_rejected_with_the_reason(tmp_path, published, problem):
    (tmp_path / "a.jsonl").write_text(json.dumps({"title": "A", "text": "Some text.", "published": published}) + "\n",
                                      encoding="utf-8")
    reason = _reasons(tmp_path)["a.jsonl"]
    assert problem in reason and published in reason and "leave it empty" in reason


def test_implausible_dates_are_judged_against_the_day_of_the_run():
    from dateline.corpus import implausible_published

    today = dt.date(2026, 12, 2)
    assert implausible_published(dt.date(2026, 12, 3), today=today) is None  # a time zone ahead
    assert implausible_published(dt.date(2026, 12, 4), today=today)
    assert implausible_published(dt.date(1800, 1, 1), today=today) is None


def test_a_document_over_max_document_chars_is_rejected_with_how_to_raise_the_limit(tmp_path):
    (tmp_path / "long.txt").write_text("Headline\n\n" + "A sentence of news. " * 100, encoding="utf-8")
    (tmp_path / "huge.txt").write_text("Headline\n\n" + "x" * 10_000, encoding="utf-8")  # not even read
    (tmp_path / "a.jsonl").write_text(json.dumps({"title": "A", "text": "Word " * 400}) + "\n", encoding="utf-8")
    (tmp_path / "short.txt").write_text("Headline\n\nShort enough.\n", encoding="utf-8")
    reasons = _reasons(tmp_path, max_chars=1_000)
    assert set(reasons) == {"long.txt", "huge.txt", "a.jsonl"}
    assert "2,001 characters, over max_document_chars (1,000 characters)" in reasons["long.txt"]
    assert "raise max_document_chars in params/<corpus>.yaml" in reasons["a.jsonl"]
    assert "bytes, over max_document_chars" in reasons["huge.txt"]
