import datetime as dt

import pandas as pd

from dateline import columns as C
from dateline.dedup import find_copies, merge_copies

STORY = ("The U.S.-led coalition battling the Islamic State group has begun surveillance flights over the northern "
         "Iraqi town of Tikrit, a senior coalition official said Tuesday, marking the first time the alliance has "
         "taken part in a major offensive there that is being spearheaded by Iranian-backed Shiite militias.")


def frame(rows):
    return pd.DataFrame([{C.DOC_ID: d, C.TEXT: t, C.PUBLISHED: p, C.SOURCE: s, C.FILE: f"{d}.txt", C.LINE: 1}
                         for d, t, p, s in rows])


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
