import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline.steps.offsets import Traced, add_raw_offsets, to_raw

WORDS = st.text(alphabet=st.characters(blacklist_categories=("Zs", "Cc", "Zl", "Zp")), min_size=1, max_size=8)
SPACES = st.sampled_from([" ", "  ", "\t", "\u00a0", " \t "])


@given(st.lists(st.tuples(WORDS, SPACES), min_size=1, max_size=12), st.integers(0, 1000))
@settings(max_examples=200, deadline=None)
def test_collapsed_text_maps_every_word_back(parts, offset):
    raw = "".join(w + s for w, s in parts)
    traced = Traced.raw(raw, offset).strip().collapse_spaces()
    assert traced.text == " ".join(w for w, _ in parts)
    pos = 0
    for word, _ in parts:
        start = traced.text.index(word, pos)
        lo, hi = traced.raw_span(start, start + len(word))
        assert raw[lo - offset : hi - offset] == word
        pos = start + len(word)


def test_slices_and_joins_keep_offsets():
    raw = "Title\nFirst paragraph.\nSecond one."
    a = Traced.raw("First paragraph.", raw.index("First"))
    b = Traced.raw("Second one.", raw.index("Second"))
    joined = Traced.join("\n\n", [a, b])
    i = joined.text.index("one")
    lo, hi = joined.raw_span(i, i + 3)
    assert raw[lo:hi] == "one"
    assert joined.raw_span(len(a), len(a) + 2) is None  # the inserted paragraph break has no raw origin


def test_add_raw_offsets():
    offsets = pd.DataFrame({"doc_id": ["d", "d"], "start": [0, 10], "end": [8, 20], "raw_start": [5, 30],
                            "raw_end": [13, 40]})
    spans = pd.DataFrame({"doc_id": ["d", "d", "e"], "start": [2, 12, 0], "end": [4, 15, 1]})
    out = add_raw_offsets(spans, offsets)
    assert out[["raw_start", "raw_end"]].values.tolist() == [[7, 9], [32, 35], [-1, -1]]
    assert to_raw([(0, 8, 5, 13)], 0, 8) == (5, 13)
