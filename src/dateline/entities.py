"""Named-entity mentions and canonical entities: one entity_id per real-world actor, place or organisation.

Mentions come from spaCy's NER plus an alias EntityRuler (``data/aliases.csv``); each resolves to a canonical name by
the alias table, by normalisation (titles, a leading "the", possessives, case) and, within a document, by a short form
pointing back to a longer one seen earlier (a surname to the full name, an acronym to the name it abbreviates).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from dateline import columns as C
from dateline import language
from dateline.executor import Executor, ner_result
from dateline.io import Rows, concat_frames, package_table, parquet_parts, parquet_rows, read_parquet
from dateline.nlp import pipe_long
from dateline.offsets import add_raw_offsets
from dateline.progress import bar, progress

ENTITY_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")
PLACE_LABELS = ("GPE", "LOC", "FAC")
# Labels the model confuses for one kind of thing: the same name under either is one entity.
_LABEL_GROUP = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_GROUP_LABEL = {"PLACE": "GPE"}  # the label a name takes when its group wins a vote (other groups are labels)
TITLES = (
    "Gen.", "General", "Lt.", "Col.", "Maj.", "Capt.", "Sgt.", "Adm.", "President", "Vice President", "Prime Minister",
    "Minister", "Secretary", "Sen.", "Senator", "Rep.", "Gov.", "Governor", "Mayor", "Dr.", "Mr.", "Mrs.", "Ms.",
    "Prof.", "Rev.", "Sir", "King", "Queen", "Prince", "Princess", "Pope", "Judge", "Justice", "Chancellor",
    "Ayatollah", "Sheikh", "Deputy", "Commander", "Chief",
)
_RE_TITLES = re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
                        + r")\s+)+")
_RE_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
_RE_THE = re.compile(r"^the\s+", re.IGNORECASE)
_SURNAME_LABELS = ("PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART")  # model confusions of a surname
_RE_ACRONYM_DEF = re.compile(r"\s*\(([A-Z][A-Z0-9.&-]{1,9})\)")


@cache
def alias_table() -> pd.DataFrame:
    """The editable alias table (canonical, label, alias), from ``src/dateline/data/aliases.csv``."""
    return pd.DataFrame(package_table("aliases.csv"), columns=["canonical", "label", "alias"])


@cache
def demonyms() -> dict[str, str]:
    """Demonym -> place name (``src/dateline/data/demonyms.csv``)."""
    return {row["demonym"]: row["place"] for row in package_table("demonyms.csv")}


@cache
def not_entities() -> frozenset[str]:
    """Surface forms the model tags that are not entities (time zones, job titles ...): ``data/not_entities.csv``."""
    return frozenset(_key(row["text"]) for row in package_table("not_entities.csv"))


@cache
def _alias_lookup() -> dict[str, str]:
    table = alias_table()
    return {_key(a): c for a, c in zip(table["alias"], table["canonical"], strict=True)}


def add_alias_ruler(nlp: Language) -> Language:
    """Add an EntityRuler with the alias table's names before the statistical NER."""
    ruler = nlp.add_pipe("entity_ruler", name="alias_ruler", before="ner" if "ner" in nlp.pipe_names else None)
    table = alias_table()
    ruler.add_patterns([{"label": label, "pattern": alias, "id": canonical}
                        for canonical, label, alias in zip(table["canonical"], table["label"], table["alias"],
                                                           strict=True)])
    return nlp


def _key(name: str) -> str:
    return " ".join(name.casefold().replace("\u2019", "'").split())


def normalize_name(text: str, label: str) -> str:
    """The surface form without a leading "the", a possessive, titles (for people) and extra spaces."""
    name = " ".join(text.split())
    name = _RE_POSSESSIVE.sub("", name) if len(name) > 3 else name
    if label != "WORK_OF_ART":
        name = _RE_THE.sub("", name)
    if label == "PERSON":
        name = _RE_TITLES.sub("", name)
    return name.strip(" ,.;:-") if not name.endswith(".") or name.count(".") == 1 else name.strip(" ,;:-")


def canonical_name(text: str, label: str) -> str:
    """The canonical name of one mention, before in-document resolution: the alias table, else the normal form."""
    name = normalize_name(text, label)
    return _alias_lookup().get(_key(name)) or _alias_lookup().get(_key(text)) or name


def mentions_from_doc(doc: Doc, *, offset: int = 0, sent_offset: int = 0) -> list[dict]:
    """Entity mentions of one processed chunk: start/end (characters, shifted by ``offset``), sent_id, label."""
    sent_index = {}
    for i, sent in enumerate(doc.sents):
        sent_index[sent.start] = i + sent_offset
    rows = []
    stop = not_entities()
    for ent in doc.ents:
        if ent.label_ not in ENTITY_LABELS or _key(ent.text) in stop:
            continue
        rows.append({C.SENT_ID: sent_index[ent.sent.start], C.START: ent.start_char + offset,
                     C.END: ent.end_char + offset, C.TEXT: ent.text, C.LABEL: ent.label_})
    return rows


def sentences_from_doc(doc: Doc, *, offset: int = 0, sent_offset: int = 0) -> list[dict]:
    return [{C.SENT_ID: i + sent_offset, C.START: s.start_char + offset, C.END: s.end_char + offset}
            for i, s in enumerate(doc.sents)]


def resolve_in_document(mentions: pd.DataFrame, text: str) -> list[tuple[str, str]]:
    """Canonical ``(name, label)`` of one document's mentions (in text order), resolving short forms.

    A one-word name that is the surname of exactly one full PERSON name of the document resolves to that person,
    whatever label the model gave it ("Trump" tagged ORG); failing that, an organisation's one-word name that ends
    exactly one longer organisation name resolves to it ("Hornets" -> "Charlotte Hornets"), unless the word also
    names a person there; two candidates leave it alone. An acronym
    resolves to the name it was defined after in parentheses ("Federal Security Service (FSB)"). A name the model
    labelled differently within the document takes its most frequent label there ("Wiranto" once tagged GPE).
    """
    canonical = [canonical_name(t, lab) for t, lab in zip(mentions[C.TEXT], mentions[C.LABEL], strict=True)]
    long_forms: dict[str, dict[str, set[str]]] = {"PERSON": defaultdict(set), "ORG": defaultdict(set)}
    for name, label in zip(canonical, mentions[C.LABEL], strict=True):
        if label in long_forms and len(name.split()) > 1:
            long_forms[label][name.split()[-1]].add(name)
    people_short = {n for n, lab in zip(canonical, mentions[C.LABEL], strict=True) if lab == "PERSON"}
    resolved: list[tuple[str, str]] = []
    acronyms: dict[str, str] = {}
    for end, name, label in zip(mentions[C.END], canonical, mentions[C.LABEL], strict=True):
        if " " not in name:
            if label in _SURNAME_LABELS and len(long_forms["PERSON"].get(name, ())) == 1:
                name, label = next(iter(long_forms["PERSON"][name])), "PERSON"
            elif label == "ORG" and name not in people_short and len(long_forms["ORG"].get(name, ())) == 1:
                name = next(iter(long_forms["ORG"][name]))
        if name in acronyms:
            name = acronyms[name]
        defined = _RE_ACRONYM_DEF.match(text, end)
        if defined and label not in ("PERSON", "NORP") and _initials_match(defined.group(1), name):
            acronyms[defined.group(1)] = name
        resolved.append((name, label))
    votes: dict[str, Counter] = defaultdict(Counter)
    for name, label in resolved:
        votes[name][_LABEL_GROUP.get(label, label)] += 1
    majority = {name: _majority_label(counter) for name, counter in votes.items()}
    return [(name, label if _LABEL_GROUP.get(label, label) == majority[name]
             else _GROUP_LABEL.get(majority[name], majority[name])) for name, label in resolved]


def _majority_label(counter: Counter) -> str:
    """The most frequent label group; ties go to the more specific reading (a person before an organisation before
    a place), then alphabetically."""
    order = {"PERSON": 0, "ORG": 1, "PLACE": 2}
    return min(counter, key=lambda g: (-counter[g], order.get(g, 3), g))


def resolve_across_documents(names: pd.Series, labels: pd.Series) -> pd.Series:
    """A one-word PERSON name left unresolved in its document ("Biden") takes the corpus's one full PERSON name
    with that surname ("Joe Biden"); with two or more candidates it stays apart."""
    people: dict[str, set[str]] = defaultdict(set)
    for name in set(names[labels == "PERSON"]):
        if " " in name:
            people[name.split()[-1]].add(name)
    return pd.Series([next(iter(people[n])) if lab == "PERSON" and " " not in n and len(people.get(n, ())) == 1
                      else n for n, lab in zip(names, labels, strict=True)], index=names.index, dtype="str")


def _initials_match(acronym: str, name: str) -> bool:
    """Whether a parenthesised acronym can abbreviate ``name``: same first letter, and the initials when they
    match fully ("FSB" for the Federal Security Service translates a Russian name, so only its F matches)."""
    letters = "".join(c for c in acronym if c.isalpha()).upper()
    words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isupper()]
    return len(letters) >= 2 and bool(words) and letters[0] == words[0][0].upper()


def canonicalize(mentions: pd.DataFrame, documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolve mentions to entities: ``resolve_documents``, then ``resolve_corpus``.

    Needs mentions (doc_id, sent_id, start, end, text, label) and documents (doc_id, text, published).
    Returns mentions with ``name`` and ``entity_id`` added, and entities (entity_id, name, label, aliases,
    n_mentions, n_docs, first_published, last_published, linked_entity_id), sorted by n_mentions descending then
    entity_id.
    """
    published = dict(zip(documents[C.DOC_ID], documents[C.PUBLISHED], strict=True))
    return resolve_corpus(resolve_documents(mentions, documents), published)


def resolve_documents(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The step of ``canonicalize`` that reads each document on its own (``resolve_in_document``, which needs its
    text): mentions sorted by doc_id and offsets, with the label resolved and ``name`` added. It can run a batch of
    documents at a time."""
    mentions = mentions.sort_values([C.DOC_ID, C.START, C.END], kind="stable", ignore_index=True)
    texts = dict(zip(documents[C.DOC_ID], documents[C.TEXT], strict=True))
    names = [""] * len(mentions)
    labels = list(mentions[C.LABEL])
    for doc_id, rows in mentions.groupby(C.DOC_ID, sort=False).indices.items():
        for i, (name, label) in zip(rows, resolve_in_document(mentions.iloc[rows], texts[doc_id]), strict=True):
            names[i], labels[i] = name, label
    mentions[C.LABEL] = pd.Series(labels, index=mentions.index, dtype="str")
    mentions[C.NAME] = pd.Series(names, index=mentions.index, dtype="str")
    return mentions


def resolve_corpus(mentions: pd.DataFrame, published: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The steps of ``canonicalize`` over the whole corpus, on mentions from ``resolve_documents`` (of all
    documents, or of batches put together): names across documents, entity ids, and the entities table, with the
    publication dates ``published`` (doc_id -> date) of the documents."""
    names = resolve_across_documents(mentions[C.NAME], mentions[C.LABEL])
    mentions[C.NAME] = _singular_groups(names, mentions[C.LABEL])
    group_of = mentions[C.LABEL].map(lambda lab: _LABEL_GROUP.get(lab, lab))
    mentions.insert(mentions.columns.get_loc(C.NAME) + 1, C.ENTITY_ID, group_of + ":" + mentions[C.NAME])
    return mentions, _entities_table(mentions, published)


def _singular_groups(names: pd.Series, labels: pd.Series) -> pd.Series:
    """Plural group names become singular: "Iranians" -> "Iranian", "Republicans" -> "Republican" (a group's
    name and its members' are one entity)."""
    return pd.Series([n[:-1] if lab == "NORP" and len(n) > 4 and n.endswith("s") and not n.endswith("ss") else n
                      for n, lab in zip(names, labels, strict=True)], index=names.index, dtype="str")


def _entities_table(mentions: pd.DataFrame, published: dict) -> pd.DataFrame:
    # with frame operations over the mentions, not a Python record of sets per entity (on 681,084 mentions of
    # 44,852 Reuters articles: 5.0 s and 130 MB for the records)
    columns = [C.ENTITY_ID, C.NAME, C.LABEL, C.ALIASES, C.N_MENTIONS, C.N_DOCS, C.FIRST_PUBLISHED, C.LAST_PUBLISHED]
    m = pd.DataFrame({"entity": mentions[C.ENTITY_ID], "name": mentions[C.NAME], "label": mentions[C.LABEL],
                      "text": mentions[C.TEXT], "doc": mentions[C.DOC_ID]}).reset_index(drop=True)
    m["position"] = np.arange(len(m))
    by_entity = m.groupby("entity", sort=True)
    # the most frequent label, ties to the one met first (Counter.most_common)
    labels = m.groupby(["entity", "label"], sort=False).agg(n=("position", "size"), first=("position", "min"))
    labels = labels.reset_index().sort_values(["entity", "n", "first"], ascending=[True, False, True], kind="stable")
    label = labels.drop_duplicates("entity").set_index("entity")["label"]
    aliases = (m[["entity", "text"]].drop_duplicates().sort_values(["entity", "text"], kind="stable")
               .groupby("entity", sort=True)["text"].agg(list))
    docs = m[["entity", "doc"]].drop_duplicates()
    dated = docs.assign(date=docs["doc"].map(published)).dropna(subset=["date"])
    dates = dated.groupby("entity", sort=True)["date"]
    first_seen = by_entity["name"].first()
    entity_ids = first_seen.index
    entities = pd.DataFrame({
        C.ENTITY_ID: pd.array(entity_ids, dtype="str"), C.NAME: pd.array(first_seen.to_numpy(), dtype="str"),
        C.LABEL: pd.array(label.reindex(entity_ids).to_numpy(), dtype="str"),
        C.ALIASES: aliases.reindex(entity_ids).to_list(),
        C.N_MENTIONS: by_entity.size().to_numpy(dtype="int64"),
        C.N_DOCS: docs.groupby("entity", sort=True).size().reindex(entity_ids).to_numpy(dtype="int64"),
        C.FIRST_PUBLISHED: dates.min().reindex(entity_ids).astype(object).where(lambda d: d.notna(), None).to_list(),
        C.LAST_PUBLISHED: dates.max().reindex(entity_ids).astype(object).where(lambda d: d.notna(), None).to_list(),
    }, columns=columns) if len(m) else pd.DataFrame([], columns=columns)
    place_ids = {name: entity_id for entity_id, name, label_ in zip(entities[C.ENTITY_ID], entities[C.NAME],
                                                                     entities[C.LABEL], strict=True)
                 if label_ in PLACE_LABELS}
    nyms = demonyms()
    entities[C.LINKED_ENTITY_ID] = [
        place_ids.get(nyms.get(name, ""), "PLACE:" + nyms[name] if name in nyms else None) if label == "NORP" else None
        for name, label in zip(entities[C.NAME], entities[C.LABEL], strict=True)
    ]
    return entities.sort_values([C.N_MENTIONS, C.ENTITY_ID], ascending=[False, True], kind="stable",
                                ignore_index=True)


_PAIR_BLOCK = 50_000  # mentions whose codes are Python ints at once in ``cooccurrence``


def cooccurrence(mentions: pd.DataFrame) -> pd.DataFrame:
    """Pairs of entities named in the same sentence: entity_a < entity_b, count (sentences), n_docs, doc_ids."""
    columns = [C.ENTITY_A, C.ENTITY_B, C.COUNT, C.N_DOCS, C.DOC_IDS]
    # the sentences as runs of one sorted array, not a sub-frame each (groupby iteration), entities and documents
    # as codes in the order of their names (so that codes sort as names do), and the pairs made columns
    sentence = mentions.groupby([C.DOC_ID, C.SENT_ID], sort=False).ngroup().to_numpy()
    entity_codes, entity_names = pd.factorize(mentions[C.ENTITY_ID], sort=True)
    doc_codes, doc_names = pd.factorize(mentions[C.DOC_ID], sort=True)
    order = np.argsort(sentence, kind="stable")
    order = order[(sentence[order] >= 0) & (entity_codes[order] >= 0)]  # rows of a sentence with an entity
    entity_names, doc_names = entity_names.tolist(), doc_names.tolist()  # one str object per name, shared
    ends = (np.flatnonzero(np.diff(sentence[order])) + 1).tolist() + [len(order)]
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    block_start = start = 0
    for end in ends:  # codes made Python ints a block of sentences at a time
        if start == block_start:
            block_end = ends[min(bisect.bisect_left(ends, start + _PAIR_BLOCK), len(ends) - 1)]
            entity_of = entity_codes[order[start:block_end]].tolist()
            doc_of = doc_codes[order[start:block_end]].tolist()
        if end - start > 1:
            for a, b in itertools.combinations(sorted(set(entity_of[start - block_start:end - block_start])), 2):
                pairs[(a, b)].append(doc_of[start - block_start])
        start = end
        if start == block_end:
            block_start = start
    table = {column: [] for column in columns}
    for (a, b), docs in pairs.items():
        unique = sorted(set(docs))
        table[C.ENTITY_A].append(entity_names[a])
        table[C.ENTITY_B].append(entity_names[b])
        table[C.COUNT].append(len(docs))
        table[C.N_DOCS].append(len(unique))
        table[C.DOC_IDS].append([doc_names[d] for d in unique])
    del pairs
    out = pd.DataFrame(table, columns=columns) if table[C.ENTITY_A] else pd.DataFrame(columns=columns)
    return out.sort_values([C.COUNT, C.ENTITY_A, C.ENTITY_B], ascending=[False, True, True], kind="stable",
                           ignore_index=True)


def analyse_chunks(chunks: list[tuple[int, Doc]]) -> tuple[list[dict], list[dict]]:
    """Mentions and sentences of one text processed in chunks ``(offset, doc)``, offsets into the whole text."""
    mentions, sentences = [], []
    for offset, doc in chunks:
        sents = sentences_from_doc(doc, offset=offset, sent_offset=len(sentences))
        mentions += mentions_from_doc(doc, offset=offset, sent_offset=len(sentences))
        sentences += sents
    return mentions, sentences


def extract(nlp: Language, documents: pd.DataFrame, *, batch_size: int = 64,
            n_process: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run NER over every document in this process; return ``(mentions, sentences)`` with character offsets into
    the text."""
    chunked = pipe_long(nlp, documents[C.TEXT], batch_size=batch_size, n_process=n_process)
    return _frames(documents, (analyse_chunks(chunks) for chunks in chunked))


def extract_with(executor: Executor, model: str, documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``extract`` through an executor (this process, or a Dask cluster) and its cache of results by content."""
    results = executor.run("ner", model, documents[C.TEXT])
    return _frames(documents, (ner_result(data) for data in results))


DOCUMENTS_PER_BATCH = 1_000  # documents read, run and resolved at a time by ``extract_stored``


def extract_stored(executor: Executor, model: str, documents: Path, offsets: Path, *,
                   size: int = DOCUMENTS_PER_BATCH) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """``extract_with`` and ``resolve_documents`` over stage 01's files, ``size`` documents at a time, so that
    the corpus's text is never all in memory: the documents (documents.parquet: doc_id, text, published) are read
    a batch at a time, and each batch's mentions get their offsets in the raw files (offsets.parquet).

    Returns ``(mentions, sentences, published)``: mentions resolved within their documents, in the documents'
    order (``resolve_corpus`` does the rest), sentences, and each document's publication date."""
    total = parquet_rows(documents)
    texts = (text for part in parquet_parts(documents, [C.TEXT], rows=size) for text in part[C.TEXT])
    executor.fill("ner", model, texts, total=total)  # the model over every new text, first: no idle workers
    mentions, sentences, published = [], [], {}
    with bar(total=total, desc="entities") as shown:
        for docs in parquet_parts(documents, [C.DOC_ID, C.TEXT, C.PUBLISHED], rows=size):
            results = executor.run("ner", model, docs[C.TEXT], show_progress=False)
            found, sents = _frames(docs, (ner_result(data) for data in results), show_progress=False)
            raw = read_parquet(offsets, where={C.DOC_ID: docs[C.DOC_ID]})
            mentions.append(add_raw_offsets(resolve_documents(found, docs), raw))
            sentences.append(sents)
            published.update(zip(docs[C.DOC_ID], docs[C.PUBLISHED], strict=True))
            shown.update(len(docs))
    resolved = MENTION_COLUMNS + [C.NAME, C.RAW_START, C.RAW_END]
    return concat_frames(mentions, resolved), concat_frames(sentences, SENTENCE_COLUMNS), published


MENTION_COLUMNS = [C.DOC_ID, C.SENT_ID, C.START, C.END, C.TEXT, C.LABEL]
SENTENCE_COLUMNS = [C.DOC_ID, C.SENT_ID, C.START, C.END]


def _frames(documents: pd.DataFrame, per_document: Iterable[tuple[list[dict], list[dict]]], *,
            show_progress: bool = True):
    mentions, sentences = Rows(MENTION_COLUMNS), Rows(SENTENCE_COLUMNS)
    if show_progress:
        per_document = progress(per_document, total=len(documents), desc="entities")
    for doc_id, (found, sents) in zip(documents[C.DOC_ID], per_document, strict=True):
        mentions.extend({C.DOC_ID: doc_id} | m for m in found)
        sentences.extend({C.DOC_ID: doc_id} | s for s in sents)
    return drop_foreign(mentions.frame(), documents), sentences.frame()


def drop_foreign(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Mentions outside the text the English model cannot read (see ``dateline.language``)."""
    spans = {doc_id: language.foreign_spans(text) for doc_id, text in zip(documents[C.DOC_ID], documents[C.TEXT],
                                                                            strict=True)}
    keep = [not any(s < end and start < e for s, e in spans.get(doc_id, ()))
            for doc_id, start, end in zip(mentions[C.DOC_ID], mentions[C.START], mentions[C.END], strict=True)]
    return mentions[keep].reset_index(drop=True)
