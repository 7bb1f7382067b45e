"""Where in a text the tagger's rules can match: windows around their anchor words.

Most rules need a word of a small set to match at all: they are run only in windows around such words instead of
being tried at every position of the text. (Matching is unchanged: a window reaches as many tokens before and after
its word as any match of the rule can, ``Rule.reach``.) Words are found with str.find in the text (case-sensitive) or
in its ASCII lower case, which is many times faster than a case-insensitive regex, and only the words that occur in
one of the text's tokens are looked for at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol


class Words(NamedTuple):
    """A rule's anchor: it can only match near one of ``words``."""

    words: tuple[str, ...]
    any_case: bool = True
    around: Callable[[str, int, int], bool] | None = None  # a test of the text around the word at [i, end)
    word_end: bool = False  # only where the text's word ends with it ("Mar." and "March", not "Market")
    word_start: bool = False  # only where the text's word starts with it ("now", not "know")


Anchor = Words | re.Pattern  # a pattern matches inside one token ("\d{4}-" for ISO dates)


class Anchored(Protocol):
    name: str
    pattern: re.Pattern
    anchor: Anchor
    reach: tuple[int, int]


# ---------------------------------------------------------------------------------------------- tests around a word


def _after(pattern: re.Pattern, lower: str, i: int) -> bool:
    """Whether whitespace and then a word that ends a match of ``pattern`` come just before ``i``."""
    if not i or not lower[i - 1].isspace():
        return False
    while i and lower[i - 1].isspace():
        i -= 1
    return pattern.search(lower, max(i - 12, 0), i) is not None


def preceded_by(pattern: str) -> Callable[[str, int, int], bool]:
    """A ``Words.around`` test: the word comes after whitespace and a word ending a match of ``pattern``."""
    compiled = re.compile(pattern)
    return lambda lower, i, end: _after(compiled, lower, i)


def followed_by(pattern: str) -> Callable[[str, int, int], bool]:
    """A ``Words.around`` test: ``pattern`` matches just after the word."""
    compiled = re.compile(pattern)
    return lambda lower, i, end: compiled.match(lower, end) is not None


# ---------------------------------------------------------------------------------------------- first characters


def first_characters(pattern: re.Pattern) -> str | None:
    """A character class of what a match of ``pattern`` can start with ("[\\dAa]"), read off its parse; None when
    that cannot be told (a pattern that may match the empty string, a negated class, ``.``, a backreference) or
    where this Python has no ``re._parser`` (a private module of CPython 3.11+: tests pin what it gives)."""
    try:
        from re import _constants as K
        from re import _parser
    except ImportError:  # pragma: no cover - another Python: the rules run unguarded, with the same matches
        return None

    categories = {K.CATEGORY_DIGIT: r"\d", K.CATEGORY_SPACE: r"\s", K.CATEGORY_WORD: r"\w"}

    def chars_of(op, av, fold: bool) -> set | None:
        if op is K.LITERAL:
            return {re.escape(c) for c in {chr(av), *([chr(av).swapcase()] if fold else [])}}
        if op is K.RANGE and not fold:
            return {f"\\u{av[0]:04x}-\\u{av[1]:04x}"}
        if op is K.CATEGORY and av in categories:
            return {categories[av]}
        return None

    def first(items, fold: bool) -> tuple[set | None, bool]:  # (what the sequence can start with, may it be empty)
        out: set = set()
        for op, av in items:
            if op in (K.AT, K.ASSERT, K.ASSERT_NOT):  # zero width: look past them
                continue
            if op in (K.LITERAL, K.RANGE, K.CATEGORY) or op is K.IN:
                parts = [chars_of(o, a, fold) for o, a in (av if op is K.IN else [(op, av)])]
                if any(p is None for p in parts) or op is K.IN and av and av[0][0] is K.NEGATE:
                    return None, False
                return out.union(*parts), False
            if op in (K.SUBPATTERN, K.ATOMIC_GROUP, K.BRANCH, K.MAX_REPEAT, K.MIN_REPEAT, K.POSSESSIVE_REPEAT):
                if op is K.SUBPATTERN:
                    subs, minimum, fold = [av[-1]], 1, fold or bool(av[1] & re.IGNORECASE)
                elif op is K.ATOMIC_GROUP:
                    subs, minimum = [av], 1
                elif op is K.BRANCH:
                    subs, minimum = av[1], 1
                else:
                    subs, minimum = [av[2]], av[0]
                found = [first(sub, fold) for sub in subs]
                if any(f is None for f, _ in found):
                    return None, False
                out = out.union(*(f for f, _ in found))
                if minimum > 0 and not any(empty for _, empty in found):
                    return out, False
                continue
            return None, False  # ".", a negated literal, a backreference...
        return out, True

    found, empty = first(_parser.parse(pattern.pattern, pattern.flags), False)
    return None if found is None or empty or not found else "[" + "".join(sorted(found)) + "]"


def guarded(pattern: re.Pattern) -> re.Pattern:
    """``pattern`` behind a lookahead of its first characters: the same matches, but a position where none can
    start fails at once, instead of after every alternative of an optional prefix and every lookbehind ("May 5"
    with an optional weekday before it; a duration's six lookbehinds): a third less time in the rules' regexes."""
    chars = first_characters(pattern)
    return pattern if chars is None else re.compile(f"(?={chars})" + pattern.pattern, pattern.flags)


# ---------------------------------------------------------------------------------------------- finding anchor words

_LOOKAHEAD_TOKENS = 3  # a rule's lookahead reads up to three tokens past its match ("March of the Combatant")
_RE_TOKENS = [re.compile(r"\S*(?:\s+\S+){0," + str(k) + "}") for k in range(10)]  # the rest of a token and k more
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_RE_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_TOKEN_ANCHORS_MAX = 200_000  # distinct tokens remembered (a large corpus has millions: numbers, names)


def ascii_lower(text: str) -> str:
    """``text`` with A-Z lowered and every offset kept, to look for ASCII words in: other letters are lowered as
    ``str.lower`` lowers them when that keeps the length and makes no ASCII letter of a character that was not one
    (of all of Unicode, only "\u0130" grows and only the Kelvin sign becomes "k"); else they are kept, and the
    ASCII runs lowered one by one. (``str.translate`` with a table looked each character up in a dict: a fifth of
    the tagger's time on Wikinews.)"""
    lower = text.lower()
    if len(lower) == len(text) and "\u212a" not in text:
        return lower
    parts, last = [], 0
    for m in _RE_NON_ASCII.finditer(text):
        parts += [text[last:m.start()].lower(), m[0]]
        last = m.end()
    parts.append(text[last:].lower())
    return "".join(parts)


def _occurrences(word: str, haystack: str, word_end: bool, word_start: bool = False) -> list[int]:
    """Where ``word`` starts in ``haystack``; with ``word_end``, only where no ASCII letter follows it, with
    ``word_start``, only where none comes before it."""
    found, i, n = [], haystack.find(word), len(haystack)
    while i >= 0:
        end = i + len(word)
        if not (word_end and end < n and haystack[end] in _ASCII_LETTERS
                or word_start and i and haystack[i - 1] in _ASCII_LETTERS):
            found.append(i)
        i = haystack.find(word, i + 1)
    return found


Window = tuple[int, int, int]  # (start, end, how far its lookaheads may read)


class AnchorIndex:
    """The anchors of a list of rules, to find in a text the windows where each rule may match.

    Anchors are looked up by number while tagging (hashing a Words, its tuple of words, at every lookup cost a tenth
    of the tagger's time). The rules of one anchor search the same windows, as far as the farthest reaching of them
    (a window per rule took more to make than the wider windows take to search). Which anchors occur in a text is
    decided from its distinct whitespace-separated tokens, each looked up once per process: a few hundred dictionary
    lookups instead of a scan of the whole text for each of ~130 anchor words. (An anchor word or pattern without
    whitespace in it can only occur inside one token; one with whitespace, "these days", only where each of its
    words does.) A key is (word, any_case, word_end, word_start).
    """

    def __init__(self, rules: Sequence[Anchored]):
        self.rules = list(rules)
        self.anchors: list[Anchor] = list(dict.fromkeys(rule.anchor for rule in self.rules))
        anchor_of = [self.anchors.index(rule.anchor) for rule in self.rules]
        self.reach = [tuple(max(rule.reach[side] for rule, a in zip(self.rules, anchor_of, strict=True) if a == i)
                            for side in (0, 1)) for i in range(len(self.anchors))]
        self.rules_of_anchor = [[(priority, rule) for priority, rule in enumerate(self.rules)
                                 if anchor_of[priority] == i] for i in range(len(self.anchors))]
        keys = sorted({(w, a.any_case, a.word_end, a.word_start) for a in self.anchors if isinstance(a, Words)
                       for w in a.words})
        assert not any(c.isspace() and c != " " for w, *_ in keys for c in w)
        self.spaced_keys = {k: tuple((part, k[1], False, False) for part in k[0].split()) for k in keys if " " in k[0]}
        self.token_keys = sorted({k for k in keys if k not in self.spaced_keys}
                                 | {part for parts in self.spaced_keys.values() for part in parts})
        self.patterns = [a for a in self.anchors if isinstance(a, re.Pattern)]
        assert not any("\\s" in p.pattern or " " in p.pattern for p in self.patterns), "must match inside one token"
        self.keys_of = [frozenset([(w, a.any_case, a.word_end, a.word_start) for w in a.words])
                        if isinstance(a, Words) else frozenset([a]) for a in self.anchors]
        self.token_anchors: dict[str, frozenset] = {}  # tokens that hold anchor words, and which
        self.tokens_without_anchors: set[str] = set()  # most tokens: taken out of a text's tokens at once, in C
        self.re_any_case_key = re.compile("|".join(re.escape(w) for w, any_case, *_ in self.token_keys if any_case))
        self.re_cased_key = re.compile("|".join([re.escape(w) for w, any_case, *_ in self.token_keys if not any_case]
                                                + [p.pattern for p in self.patterns]))

    def _anchors_in(self, token: str) -> frozenset:
        lower = ascii_lower(token)
        if not self.re_any_case_key.search(lower) and not self.re_cased_key.search(token):  # most tokens
            return frozenset()
        return frozenset([k for k in self.token_keys if k[0] in (haystack := lower if k[1] else token) and (
            not (k[2] or k[3]) or _occurrences(k[0], haystack, k[2], k[3]))] + [p for p in self.patterns
                                                                                  if p.search(token)])

    def present(self, text: str) -> set:
        """The anchor keys that occur in ``text``, from its distinct tokens (each classified once per process)."""
        present: set = set()
        known, without = self.token_anchors, self.tokens_without_anchors
        for token in set(text.split()).difference(without):
            found = known.get(token)
            if found is None:
                found = self._anchors_in(token)
                if not found:
                    if len(without) >= _TOKEN_ANCHORS_MAX:
                        without.clear()
                    without.add(token)
                    continue
                if len(known) >= _TOKEN_ANCHORS_MAX:
                    known.clear()
                known[token] = found
            present |= found
        present.update(k for k, parts in self.spaced_keys.items() if present.issuperset(parts))
        return present

    def _hits(self, anchor_id: int, text: str, cache: dict) -> list[tuple[int, int]]:
        """(start, end) of every occurrence of an anchor's words in ``text``, in order."""
        if anchor_id in cache:
            return cache[anchor_id]
        anchor, keys = self.anchors[anchor_id], self.keys_of[anchor_id] & cache["present"]
        found = []
        if isinstance(anchor, re.Pattern):
            found = [m.span() for m in anchor.finditer(text)] if keys else []
        elif keys:
            if anchor.any_case and "lower" not in cache:
                cache["lower"] = ascii_lower(text)
            haystack = cache["lower"] if anchor.any_case else text
            around = anchor.around
            for key in keys:  # a word's occurrences are found once for every anchor that has it ("this", "quarter")
                if key not in cache:
                    cache[key] = _occurrences(key[0], haystack, key[2], key[3])
                size = len(key[0])
                found += [(i, i + size) for i in cache[key] if around is None or around(haystack, i, i + size)]
            found.sort()
        cache[anchor_id] = found
        return found

    def _windows(self, anchor_id: int, text: str, cache: dict) -> list[Window]:
        """Spans of ``text`` where the rules of an anchor may match: around each of its hits, as many tokens before
        and after as the farthest reaching of them, overlapping spans merged; with how far their lookaheads may
        read."""
        before, after = _RE_TOKENS[self.reach[anchor_id][0]], _RE_TOKENS[self.reach[anchor_id][1]]
        if "reversed" not in cache:
            cache["reversed"] = text[::-1]
        backwards, n = cache["reversed"], len(text)
        merged: list[list[int]] = []
        for hit_start, hit_end in self._hits(anchor_id, text, cache):  # in order, so the spans' starts are too
            start, end = n - before.match(backwards, n - hit_start).end(), after.match(text, hit_end).end()
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        ahead = _RE_TOKENS[_LOOKAHEAD_TOKENS]
        return [(start, end, min(ahead.match(text, end).end() + 1, n)) for start, end in merged]

    def rule_windows(self, text: str, windowed: bool = True) -> list[tuple[int, Anchored, list[Window]]]:
        """(priority, rule, windows) of each rule that may match in ``text``: the rules of the anchors it holds, in
        windows around them; ``windowed=False``: every rule over the whole text (what windows must equal)."""
        if not windowed:
            return [(priority, rule, [(0, len(text), len(text))]) for priority, rule in enumerate(self.rules)]
        cache = {"present": self.present(text)}
        out = []
        for anchor_id, rules in enumerate(self.rules_of_anchor):
            if self.keys_of[anchor_id].isdisjoint(cache["present"]) or not self._hits(anchor_id, text, cache):
                continue
            windows = self._windows(anchor_id, text, cache)
            out += [(priority, rule, windows) for priority, rule in rules]
        return out


def matches(pattern: re.Pattern, windows: list[Window], text: str) -> list[re.Match]:
    """The matches of ``pattern`` inside ``windows`` of ``text`` (disjoint, in order: no match is found twice)."""
    # search past the window so that lookaheads and \b see the real text; keep the matches inside it
    return [m for start, end, reads_to in windows for m in pattern.finditer(text, start, reads_to) if m.end() <= end]
