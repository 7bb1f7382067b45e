"""Is this English? So that text the English model cannot read is flagged, not parsed into nonsense entities.

Two kinds of foreign text are found: runs of words in a non-Latin script (a Hindi answer inside an English
interview), and paragraphs in the Latin script in another language (French, Spanish, German ...), which py3langid
(a language identifier that ships its model) names. It runs only on paragraphs with few of the commonest English
words: English prose is full of them, so nearly all paragraphs are decided by a count. A list of names or scores,
which the identifier cannot place with confidence, stays English.
"""

from __future__ import annotations

import re
from functools import cache

_RE_WORD = re.compile(r"[^\W\d_]+")
# A run of non-Latin letters, with the spaces, digits and punctuation between them.
_RE_NON_LATIN = re.compile(r"[^\x00-\u024f\s\u2000-\u206f](?:[\s\d\W]*[^\x00-\u024f\s\u2000-\u206f])*")
_FUNCTION_WORDS = frozenset(
    "the of and to in a is that for on was with as by at it from he she said be are has have an not his her this "
    "they which were will would been its their but who had we i you there also after more than about".split())
# The commonest function words of the other languages news in the Latin script is often quoted in (Spanish,
# French, German, Italian, Portuguese, Dutch): a list of names has neither kind, a foreign sentence has these.
_FOREIGN_FUNCTION_WORDS = frozenset(
    "de la que el los las y en del por con una para es se su al lo como más pero sus le les et des du une est qui "
    "dans pour pas sur au avec ce der die und das den dem ein eine ist nicht mit sich des auf für von zu il di che "
    "non per della sono gli nel do da em os um uma não het een van niet zijn".split())
MIN_WORDS = 8  # shorter Latin-script paragraphs are not judged
ENGLISH_FUNCTION_SHARE = 0.15  # a paragraph with at least this share of English function words is English
MIN_CONFIDENCE = 0.9  # the identifier's probability for another language that makes a paragraph foreign


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _latin_foreign(paragraph: str) -> bool:
    paragraph = _RE_NON_LATIN.sub(" ", paragraph)  # runs in other scripts are spans of their own
    words = [w.lower() for w in _RE_WORD.findall(paragraph)]
    if len(words) < MIN_WORDS:
        return False
    english = sum(1 for w in words if w in _FUNCTION_WORDS)
    if english >= ENGLISH_FUNCTION_SHARE * len(words):
        return False
    foreign = sum(1 for w in words if w in _FOREIGN_FUNCTION_WORDS)
    if foreign >= 0.1 * len(words) and english < 0.04 * len(words):
        return True  # the commonest words of Spanish, French, German ...: no need to ask
    lang, probability = _identifier().classify(paragraph)
    return lang != "en" and float(probability) >= MIN_CONFIDENCE


def foreign_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of the parts of ``text`` that are not English, in order, not overlapping."""
    spans, pos = [], 0
    for paragraph in text.split("\n\n"):
        if _latin_foreign(paragraph):
            spans.append((pos, pos + len(paragraph)))
        else:
            spans += [(pos + m.start(), pos + m.end()) for m in _RE_NON_LATIN.finditer(paragraph)]
        pos += len(paragraph) + 2
    return spans


def is_english(text: str) -> bool:
    return not foreign_spans(text)


def english_share(text: str) -> float:
    """The share of a text's characters outside foreign spans (1.0 for an empty text)."""
    if not text:
        return 1.0
    return round(1 - sum(e - s for s, e in foreign_spans(text)) / len(text), 3)
