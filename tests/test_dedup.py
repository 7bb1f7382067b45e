import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from dateline import columns as C
from dateline.steps.dedup import Signatures, copies_among, find_copies, merge_copies

STORY = ("The U.S.-led coalition battling the Islamic State group has begun surveillance flights over the northern "
         "Iraqi town of Tikrit, a senior coalition official said Tuesday, marking the first time the alliance has "
         "taken part in a major offensive there that is being spearheaded by Iranian-backed Shiite militias.")


def frame(rows):
    return pd.DataFrame([{C.DOC_ID: d, C.TEXT: t, C.PUBLISHED: p, C.SOURCE: s, C.FILE: f"{d}.txt", C.LINE: 1}
                         for d, t, p, s in rows], columns=[C.DOC_ID, C.TEXT, C.PUBLISHED, C.SOURCE, C.FILE, C.LINE])


def test_exact_and_near_copies_are_kept_once_earliest_first():
    edited = STORY.replace("a senior coalition official", "an official").replace("major", "big")
    docs = frame([("b", STORY, dt.date(2015, 3, 25), "AP"),
                  ("a", edited, dt.date(2015, 3, 24), "Inquirer"),
                  ("c", STORY, dt.date(2015, 3, 26), "Times"),
                  ("d", "A different story about the weather in Lisbon, which was sunny all week long.", None, "")])
    copies = find_copies(docs, threshold=0.5)
    assert copies == {"b": "a", "c": "a"}
    kept, merged = merge_copies(docs, copies)
    row = kept.set_index(C.DOC_ID).loc["a"]
    assert row[C.COPIES] == 2 and row[C.MERGED_IDS] == ["b", "c"]
    assert row[C.SOURCES] == ["AP", "Inquirer", "Times"]
    assert len(kept) + len(merged) == len(docs)


def test_different_stories_are_not_merged():
    docs = frame([("a", STORY, None, ""), ("b", "Talks between Iran and the EU ended in Geneva on Friday.", None, "")])
    assert find_copies(docs) == {}


def _copies_by_definition(docs, threshold):
    """The sequential definition: in publication order (undated last, then doc_id), a text equal word for word to
    one seen is that one's copy; else one whose MinHash matches a kept text's at ``threshold`` is a copy of the
    smallest such doc_id; else it is kept."""
    from datasketch import MinHashLSH

    from dateline.steps.dedup import minhash, shingle_hashes

    order = sorted(range(len(docs)), key=lambda i: (docs[C.PUBLISHED].iloc[i] is None,
                                                    docs[C.PUBLISHED].iloc[i] or dt.date.min, docs[C.DOC_ID].iloc[i]))
    lsh, kept, resolved, out = MinHashLSH(threshold=threshold, num_perm=64), {}, {}, {}
    for i in order:
        doc_id, text = docs[C.DOC_ID].iloc[i], docs[C.TEXT].iloc[i]
        words = " ".join(text.split())
        if words in resolved:
            out[doc_id] = resolved[words]
            continue
        m = minhash(shingle_hashes([text])[0])
        matches = sorted(c for c in lsh.query(m) if kept[c].jaccard(m) >= threshold)
        if matches:
            out[doc_id] = resolved[words] = matches[0]
            continue
        resolved[words], kept[doc_id] = doc_id, m
        lsh.insert(doc_id, m)
    return out


_SENTENCES = [STORY, "Talks between Iran and the EU ended in Geneva on Friday after nine days of meetings.",
              "Oil prices rose sharply on Monday as traders weighed supply cuts announced by producers at the weekend.",
              ]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(range(len(_SENTENCES))), min_size=1, max_size=3),
                          st.sampled_from(["", " extra words here", " and more"]),
                          st.one_of(st.none(), st.dates(dt.date(2015, 3, 20), dt.date(2015, 3, 23)))),
                max_size=12),
       st.integers(1, 5))
def test_copies_found_a_batch_at_a_time_are_those_of_the_definition(rows, batch):
    docs = frame([(f"d{i:02d}", " ".join(_SENTENCES[k] for k in ks) + tail, published, "")
                  for i, (ks, tail, published) in enumerate(rows)])
    signatures = Signatures()
    for lo in range(0, len(docs), batch):
        signatures.add(docs[C.TEXT].iloc[lo:lo + batch])
    assert copies_among(docs, signatures, threshold=0.8) == _copies_by_definition(docs, 0.8)


def test_an_exact_copy_read_first_but_published_later_is_the_copy():
    docs = frame([("a", STORY, dt.date(2015, 3, 26), ""), ("b", "  " + STORY, dt.date(2015, 3, 25), ""),
                  ("c", STORY + " Officials said more flights would follow.", dt.date(2015, 3, 27), "")])
    signatures = Signatures()
    signatures.add(docs[C.TEXT].iloc[:1])
    signatures.add(docs[C.TEXT].iloc[1:])
    assert copies_among(docs, signatures, threshold=0.8) == {"a": "b", "c": "b"}
