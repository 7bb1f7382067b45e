"""Named-entity mentions and canonical entities: one entity_id per real-world actor, place or organisation.

Mentions come from spaCy's NER plus an alias EntityRuler (``data/aliases.csv``); each resolves to a canonical name by
the alias table, by normalisation (titles, a leading "the", possessives, case) and, within a document, by a short form
pointing back to a longer one seen earlier (a surname to the full name, an acronym to the name it abbreviates).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans, registry

from dateline import columns as C
from dateline.io import Rows
from dateline.nlp import CHUNK_CHARS, NER_COMPONENTS, Task, pipe_long, result_bytes
from dateline.package_data import package_table
from dateline.progress import progress
from dateline.steps import language
from dateline.steps.corpus_names import corpus_names, is_legal_form, majority_group

ENTITY_LABELS = ("PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW")
PLACE_LABELS = ("GPE", "LOC", "FAC")
# Labels the model confuses for one kind of thing: the same name under either is one entity.
_LABEL_GROUP = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
_GROUP_LABEL = {"PLACE": "GPE"}  # the label a name takes when its group wins a vote (other groups are labels)
TITLES = (
    "Gen.", "General", "Lt.", "Col.", "Maj.", "Capt.", "Sgt.", "Adm.", "President", "Vice President", "Prime Minister",
    "Minister", "Secretary", "Sen.", "Senator", "Rep.", "Gov.", "Governor", "Mayor", "Dr.", "Mr.", "Mrs.", "Ms.",
    "Prof.", "Rev.", "Sir", "King", "Queen", "Prince", "Princess", "Pope", "Judge", "Justice", "Chancellor",
    "Ayatollah", "Sheikh", "Deputy", "Commander", "Chief", "Mr", "Mrs", "Ms", "Dr", "Superintendent", "Chairman",
    "Chairwoman", "Director", "Commissioner", "Inspector", "Detective", "Sheriff", "Ambassador", "Attorney General",
    "Archbishop", "Bishop", "Cardinal", "Premier", "Speaker", "Councillor", "Councilman", "Councilwoman", "Coach",
    "Chief Executive", "Sultan", "Emir", "Crown Prince", "Cpl.", "Pvt.", "Lord", "Dame",
)
_RE_TITLES = re.compile(r"^(?:(?:" + "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
                        + r")\s+)+")
_RE_POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
_RE_THE = re.compile(r"^the\s+", re.IGNORECASE)
# a storm keeps its name while its category changes: "Tropical Storm Orla", "Hurricane Orla" are one storm, "Orla"
_RE_STORM_CATEGORY = re.compile(r"^(?:(?:Super\s+)?Typhoon|(?:Major\s+)?Hurricane|(?:Severe\s+)?(?:Tropical\s+)?"
                                r"(?:Storm|Cyclone|Depression)|Post-Tropical\s+Cyclone|Cyclone)\s+(?=[A-Z])")
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


RULER_TABLES = ("aliases.csv", "not_entities.csv", "name_patterns.jsonl")  # what NER's results depend on


@registry.misc("dateline.longest_ents_filter.v1")
def make_longest_ents_filter():
    return longest_ents


def longest_ents(entities: Iterable[Span], spans: Iterable[Span]) -> list[Span]:
    """The statistical NER's entities and the ruler's spans together, the longest winning where they overlap (the
    ruler's on a tie): "U.S. Department of Justice" is not cut down to "U.S.", and "Hurricane Orla" is not left
    as "Orla"."""
    return filter_spans([*spans, *entities])


def add_alias_ruler(nlp: Language) -> Language:
    """Add a span ruler with the alias table's names and the name patterns after the statistical NER, keeping the
    longest name where the two overlap (``longest_ents``)."""
    ruler = nlp.add_pipe("span_ruler", name="alias_ruler", after="ner" if "ner" in nlp.pipe_names else None,
                         config={"spans_key": None, "annotate_ents": True, "overwrite": False,
                                 "ents_filter": {"@misc": "dateline.longest_ents_filter.v1"}})
    table = alias_table()
    ruler.add_patterns([{"label": label, "pattern": alias, "id": canonical}
                        for canonical, label, alias in zip(table["canonical"], table["label"], table["alias"],
                                                           strict=True)] + name_patterns())
    return nlp


def name_patterns() -> list[dict]:
    """The token patterns of data/name_patterns.jsonl (products written as brand and model: "iPhone 4")."""
    text = resources.files("dateline").joinpath("data", "name_patterns.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip() and not line.startswith("#")]


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
    if label == "EVENT":
        name = _RE_STORM_CATEGORY.sub("", name)
    return name.strip(" ,.;:-") if not name.endswith(".") or name.count(".") == 1 else name.strip(" ,;:-")


def canonical_name(text: str, label: str) -> str:
    """The canonical name of one mention, before in-document resolution: the alias table, else the normal form,
    with a place's dotted abbreviation that starts an organisation's name written out ("U.S. Senate" ->
    "United States Senate", as "United States Senate" may be written too)."""
    name = normalize_name(text, label)
    found = _alias_lookup().get(_key(name)) or _alias_lookup().get(_key(text))
    if found:
        return found
    first, _, rest = name.partition(" ")
    if rest and label not in PLACE_LABELS and first in _dotted_places():
        return f"{_dotted_places()[first]} {rest}"
    return name


@cache
def _dotted_places() -> dict[str, str]:
    """A place's abbreviation written with periods ("U.S.", "U.K.") -> the place's name, from the alias table."""
    table = alias_table()
    return {alias: canonical for canonical, label, alias in zip(table["canonical"], table["label"], table["alias"],
                                                                strict=True)
            if label in PLACE_LABELS and "." in alias and alias.replace(".", "").isupper()}


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
    whatever label the model gave it ("Trump" tagged ORG); a one-word PERSON name that is the given name of
    exactly one (and the surname of none) resolves to it ("Steve" -> "Steve Jobs"); failing that, an
    organisation's one-word name that ends exactly one longer organisation name resolves to it ("Hornets" ->
    "Charlotte Hornets"), unless the word also names a person there; two candidates leave it alone. An acronym
    resolves to the name it was defined after in parentheses ("Federal Security Service (FSB)"). A name the model
    labelled differently within the document takes its most frequent label there ("Wiranto" once tagged GPE).
    """
    canonical = [canonical_name(t, lab) for t, lab in zip(mentions[C.TEXT], mentions[C.LABEL], strict=True)]
    long_forms: dict[str, dict[str, set[str]]] = {"PERSON": defaultdict(set), "ORG": defaultdict(set)}
    given_names: dict[str, set[str]] = defaultdict(set)
    for name, label in zip(canonical, mentions[C.LABEL], strict=True):
        if label in long_forms and len(name.split()) > 1:
            long_forms[label][name.split()[-1]].add(name)
            if label == "PERSON":
                given_names[name.split()[0]].add(name)
    people_short = {n for n, lab in zip(canonical, mentions[C.LABEL], strict=True) if lab == "PERSON"}
    resolved: list[tuple[str, str]] = []
    acronyms: dict[str, str] = {}
    for end, name, label in zip(mentions[C.END], canonical, mentions[C.LABEL], strict=True):
        if " " not in name:
            if label in _SURNAME_LABELS and len(long_forms["PERSON"].get(name, ())) == 1:
                name, label = next(iter(long_forms["PERSON"][name])), "PERSON"
            elif label == "PERSON" and name not in long_forms["PERSON"] and len(given_names.get(name, ())) == 1:
                name = next(iter(given_names[name]))
            elif label == "ORG" and name not in people_short and len(long_forms["ORG"].get(name, ())) == 1:
                name = next(iter(long_forms["ORG"][name]))
        if name in acronyms:
            name = acronyms[name]
        acronym = _defined_acronym(text, end, name, label)
        if acronym:
            acronyms[acronym] = name
        resolved.append((name, label))
    votes: dict[str, Counter] = defaultdict(Counter)
    for name, label in resolved:
        votes[name][_LABEL_GROUP.get(label, label)] += 1
    majority = {name: majority_group(counter) for name, counter in votes.items()}
    return [(name, label if _LABEL_GROUP.get(label, label) == majority[name]
             else _GROUP_LABEL.get(majority[name], majority[name])) for name, label in resolved]


def resolve_across_documents(names: pd.Series, labels: pd.Series, people: dict[str, set[str]] | None = None
                             ) -> pd.Series:
    """A one-word PERSON name left unresolved in its document ("Biden") takes the corpus's one full PERSON name
    with that surname ("Joe Biden"); with two or more candidates it stays apart. ``people``: the corpus's full
    PERSON names by surname (``full_people_names``), when ``names`` are only part of the corpus."""
    people = full_people_names(names, labels) if people is None else people
    return pd.Series([next(iter(people[n])) if lab == "PERSON" and " " not in n and len(people.get(n, ())) == 1
                      else n for n, lab in zip(names, labels, strict=True)], index=names.index, dtype="str")


def full_people_names(names: Iterable[str], labels: Iterable[str], into: dict[str, set[str]] | None = None
                      ) -> dict[str, set[str]]:
    """Surname -> the PERSON names of several words that end with it (added ``into`` a map, when given)."""
    people: dict[str, set[str]] = defaultdict(set) if into is None else into
    for name, label in zip(names, labels, strict=True):
        if label == "PERSON" and " " in name:
            people.setdefault(name.split()[-1], set()).add(name)
    return people


def _defined_acronym(text: str, end: int, name: str, label: str) -> str | None:
    """The acronym defined in parentheses right after a mention ending at ``end`` ("Federal Security Service
    (FSB)"), if it can abbreviate the mention's name."""
    defined = _RE_ACRONYM_DEF.match(text, end)
    if defined and label not in ("PERSON", "NORP") and _initials_match(defined.group(1), name):
        return defined.group(1)
    return None


def acronym_definitions(mentions: pd.DataFrame, texts: dict[str, str],
                        into: dict[str, Counter] | None = None) -> dict[str, Counter]:
    """Acronym -> the names it is defined as (-> in how many mentions), over mentions from ``resolve_documents``
    (added ``into`` a map, when given): what ``corpus_names`` needs to make an acronym defined in one document
    the same entity in every other."""
    found: dict[str, Counter] = defaultdict(Counter) if into is None else into
    for doc_id, end, name, label in zip(mentions[C.DOC_ID], mentions[C.END], mentions[C.NAME], mentions[C.LABEL],
                                        strict=True):
        acronym = _defined_acronym(texts[doc_id], end, name, label)
        if acronym and acronym != name:
            found.setdefault(acronym, Counter())[name] += 1
    return found


def _initials_match(acronym: str, name: str) -> bool:
    """Whether a parenthesised acronym can abbreviate ``name``: same first letter, and the initials when they
    match fully ("FSB" for the Federal Security Service translates a Russian name, so only its F matches)."""
    letters = "".join(c for c in acronym if c.isalpha()).upper()
    words = [w for w in re.split(r"[\s-]+", name) if w and w[0].isupper()]
    return len(letters) >= 2 and bool(words) and letters[0] == words[0][0].upper()


def canonicalize(mentions: pd.DataFrame, documents: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Resolve mentions to entities: ``resolve_documents``, then ``resolve_corpus``.

    Needs mentions (doc_id, sent_id, start, end, text, label) and documents (doc_id, text, published).
    Returns mentions with ``name``, ``entity_id`` and ``resolved_by`` added, and entities (entity_id, name, label,
    aliases, merged, n_mentions, n_docs, first_published, last_published, linked_entity_id), sorted by n_mentions
    descending then entity_id.
    """
    published = dict(zip(documents[C.DOC_ID], documents[C.PUBLISHED], strict=True))
    resolved = resolve_documents(mentions, documents)
    texts = dict(zip(documents[C.DOC_ID], documents[C.TEXT], strict=True))
    return resolve_corpus(resolved, published, acronym_definitions(resolved, texts))


def resolve_documents(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The step of ``canonicalize`` that reads each document on its own (``resolve_in_document``, which needs its
    text): mentions sorted by doc_id and offsets, with the label resolved and ``name`` added. It can run a batch of
    documents at a time."""
    texts = dict(zip(documents[C.DOC_ID], documents[C.TEXT], strict=True))
    mentions = mentions.sort_values([C.DOC_ID, C.START, C.END], kind="stable", ignore_index=True)
    records = mentions.to_dict("records")  # once: a sub-frame per document costs more than its repairs
    mentions = pd.DataFrame([row for doc_id, rows in mentions.groupby(C.DOC_ID, sort=False).indices.items()
                             for row in repair_mentions([records[i] for i in rows], texts[doc_id])],
                            columns=mentions.columns).astype(mentions.dtypes.to_dict())
    names = [""] * len(mentions)
    labels = list(mentions[C.LABEL])
    for doc_id, rows in mentions.groupby(C.DOC_ID, sort=False).indices.items():
        for i, (name, label) in zip(rows, resolve_in_document(mentions.iloc[rows], texts[doc_id]), strict=True):
            names[i], labels[i] = name, label
    mentions[C.LABEL] = pd.Series(labels, index=mentions.index, dtype="str")
    mentions[C.NAME] = pd.Series(names, index=mentions.index, dtype="str")
    return mentions


_RE_SPACED_DASH = re.compile(r"\s+[-\u2013\u2014]+\s+")
_RE_DANGLING = re.compile(r"\s+(?:of|for|and|the|de|&)$")
_RE_NAME_GOES_ON = re.compile(r"(?: (?:the )?[A-Z][\w.&'-]*)+")
_RE_NAMES_RUN_TOGETHER = re.compile(r"\b[A-Z][\w.&-]*( )the (?=[A-Z])")
_RE_INNER_POSSESSIVE = re.compile(r"(?:'|\u2019)s\s+(?=[A-Z0-9])")


def repair_mentions(rows: list[dict], text: str) -> list[dict]:
    """A document's mentions (in text order) with the spans the model cut wrong set right, before any name is
    resolved: a legal form tagged alone right after a name joins it ("Chrysler" + "LLC"), or goes when alone;
    names run together across a spaced dash are split ("San Jose - Cisco"), as are "X and X Pro" ("MacBook and
    MacBook Pro") and a name owning a name the document also names alone ("Apple Computer's Mac OS X", when
    "Apple Computer" is named elsewhere); a span cut inside parentheses ends before them ("Kit (SDK")."""
    named = {_key(normalize_name(r[C.TEXT], r[C.LABEL])) for r in rows}
    out: list[dict] = []
    for row in rows:
        if is_legal_form(row[C.TEXT]):
            if out and not text[out[-1][C.END]:row[C.START]].strip(" ,"):
                out[-1] = out[-1] | {C.END: row[C.END], C.TEXT: text[out[-1][C.START]:row[C.END]]}
            continue
        out += _split_mention(row, text, named)
    return out


def _split_mention(row: dict, text: str, named: set[str]) -> list[dict]:
    def part(start: int, end: int) -> dict:
        while end > start and text[end - 1] in " ,;:(":
            end -= 1
        return row | {C.START: start, C.END: end, C.TEXT: text[start:end]}

    start, mention = row[C.START], row[C.TEXT]
    dangling = _RE_DANGLING.search(mention)
    if dangling:  # "Bank of" cut before "America": the name goes on, else it ends before the small word
        more = _RE_NAME_GOES_ON.match(text, row[C.END])
        return _split_mention(part(start, more.end()) if more else part(start, start + dangling.start()), text, named)
    if "(" in mention and ")" not in mention[mention.index("("):]:
        return [part(start, start + mention.index("("))] if mention.index("(") > 0 else []
    cut = _RE_SPACED_DASH.search(mention)
    if cut:
        return [p for p in (part(start, start + cut.start()), *_split_mention(part(start + cut.end(), row[C.END]),
                                                                                text, named))
                if p[C.END] > p[C.START]]
    joined = _RE_NAMES_RUN_TOGETHER.search(mention)
    if joined:  # "on Twitter the Federal Aviation Administration": two names, the second after its article
        return [part(start, start + joined.start(1)), *_split_mention(
            part(start + joined.end(1), row[C.END]), text, named)]
    words = mention.split(" and ")
    if len(words) == 2 and words[0] and words[1].startswith(_RE_THE.sub("", words[0]) + " "):
        second = start + len(words[0]) + len(" and ")
        return [part(start, start + len(words[0])), part(second, row[C.END])]
    owned = _RE_INNER_POSSESSIVE.search(mention)
    if owned and _key(normalize_name(mention[:owned.start()], row[C.LABEL])) in named:
        return [part(start, start + owned.start()), part(start + owned.end(), row[C.END])]
    return [row]


def resolve_corpus(mentions: pd.DataFrame, published: dict, acronyms: dict[str, Counter] | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The steps of ``canonicalize`` over the whole corpus, on mentions from ``resolve_documents`` (of all
    documents, or of batches put together): names across documents, entity ids, and the entities table, with the
    publication dates ``published`` (doc_id -> date) of the documents and the acronyms they define
    (``acronym_definitions``). (``resolve_stored`` does the same a chunk of documents at a time.)"""
    corpus = CorpusNames.of(full_people_names(mentions[C.NAME], mentions[C.LABEL]),
                            label_votes(mentions[C.NAME], mentions[C.LABEL]), acronyms or {})
    mentions = resolve_names(mentions, corpus)
    return mentions, _entities_table(mentions, published)


@dataclass(frozen=True)
class CorpusNames:
    """What resolving a mention's name across the corpus needs, gathered over the corpus first: the full PERSON
    names by surname, the label votes of each name, and the names that stand for others (``corpus_names``), the
    votes and people given under those names."""
    people: dict[str, set[str]]
    votes: dict[str, Counter]
    merges: dict[str, tuple[str, str]]  # name -> (the corpus's name for it, rule)

    @classmethod
    def of(cls, people: dict[str, set[str]], votes: dict[str, Counter], acronyms: dict[str, Counter]
           ) -> CorpusNames:
        merges = corpus_names(votes, acronyms, fixed=frozenset(alias_table()["canonical"]))
        merged_votes: dict[str, Counter] = defaultdict(Counter)
        for name, counter in votes.items():
            merged_votes[merges[name][0] if name in merges else name].update(counter)
        merged_people = {surname: {merges[n][0] if n in merges else n for n in names}
                         for surname, names in people.items()}
        return cls(merged_people, dict(merged_votes), merges)

    def name(self, name: str) -> tuple[str, str]:
        """The corpus's name for a name, and the rule ("" when it is its own)."""
        return self.merges.get(name, (name, ""))


def resolve_names(mentions: pd.DataFrame, corpus: CorpusNames) -> pd.DataFrame:
    """Names resolved across documents: the corpus's name for each (``CorpusNames``), its label the corpus's
    majority over the merged names (a storm's name tagged PERSON in one article and EVENT in another is one
    entity), a surname to the corpus's one full name (``resolve_across_documents``), groups made singular; then
    ``entity_id`` added after ``name``, and ``resolved_by``: the rules that made a mention's name other than its
    own ("alias table", "same document", then the corpus's rules). Row by row, so a chunk of the corpus at a
    time."""
    mentions = mentions.copy()
    rules = [_document_rule(text, label, name) for text, label, name in
             zip(mentions[C.TEXT], mentions[C.LABEL], mentions[C.NAME], strict=True)]
    names = []
    for i, name in enumerate(mentions[C.NAME]):
        merged, rule = corpus.name(name)
        names.append(merged)
        rules[i] = _and(rules[i], rule)
    mentions[C.NAME] = pd.Series(names, index=mentions.index, dtype="str")
    mentions[C.LABEL] = _voted_labels(mentions[C.NAME], mentions[C.LABEL], corpus.votes)
    across = resolve_across_documents(mentions[C.NAME], mentions[C.LABEL], corpus.people)
    for i, (before, after) in enumerate(zip(mentions[C.NAME], across, strict=True)):
        if before != after:
            rules[i] = _and(rules[i], "surname")
    mentions[C.NAME] = _singular_groups(across, mentions[C.LABEL])
    group_of = mentions[C.LABEL].map(lambda lab: _LABEL_GROUP.get(lab, lab))
    mentions.insert(mentions.columns.get_loc(C.NAME) + 1, C.ENTITY_ID, group_of + ":" + mentions[C.NAME])
    mentions.insert(mentions.columns.get_loc(C.ENTITY_ID) + 1, C.RESOLVED_BY,
                    pd.Series(rules, index=mentions.index, dtype="str"))
    return mentions


def _document_rule(text: str, label: str, name: str) -> str:
    """Why a mention's name (from ``resolve_documents``) is not its own text normalised: the alias table, or a
    short form resolved in its document (a surname, an acronym defined there ...)."""
    own = normalize_name(text, label)
    if name == own:
        return ""
    if _alias_lookup().get(_key(own)) == name or _alias_lookup().get(_key(text)) == name:
        return "alias table"
    return "same document"


def _and(rules: str, rule: str) -> str:
    return f"{rules}, {rule}" if rules and rule else rules or rule


def label_votes(names: Iterable[str], labels: Iterable[str], into: dict[str, Counter] | None = None
                ) -> dict[str, Counter]:
    """Name -> how many of its mentions got each label group (added ``into`` a map, when given)."""
    votes: dict[str, Counter] = defaultdict(Counter) if into is None else into
    for name, label in zip(names, labels, strict=True):
        votes.setdefault(name, Counter())[_LABEL_GROUP.get(label, label)] += 1
    return votes


def _voted_labels(names: pd.Series, labels: pd.Series, votes: dict[str, Counter]) -> pd.Series:
    """Each mention's label, or the label of its name's majority group in the corpus when that differs."""
    out = []
    for name, label in zip(names, labels, strict=True):
        counter = votes.get(name)
        majority = majority_group(counter) if counter else None
        out.append(label if majority is None or _LABEL_GROUP.get(label, label) == majority
                   else _GROUP_LABEL.get(majority, majority))
    return pd.Series(out, index=labels.index, dtype="str")


def _singular_groups(names: pd.Series, labels: pd.Series) -> pd.Series:
    """Plural group names become singular: "Iranians" -> "Iranian", "Republicans" -> "Republican" (a group's
    name and its members' are one entity); not a name written otherwise ("iTunes", which the model calls a
    group)."""
    return pd.Series([n[:-1] if lab == "NORP" and len(n) > 4 and n.endswith("s") and not n.endswith("ss")
                      and n[0].isupper() and not any(c.isupper() for c in n[1:]) else n
                      for n, lab in zip(names, labels, strict=True)], index=names.index, dtype="str")


def _entities_table(mentions: pd.DataFrame, published: dict) -> pd.DataFrame:
    stats = EntityStats(published)
    stats.add(mentions)
    return stats.table()


class _Entity:
    __slots__ = ("name", "labels", "aliases", "merged", "n_mentions", "n_docs", "first", "last")

    def __init__(self, name: str) -> None:
        self.name, self.labels, self.aliases, self.merged, self.n_mentions, self.n_docs = name, {}, set(), set(), 0, 0
        self.first = self.last = None


class EntityStats:
    """The entities table of resolved mentions given a chunk at a time (``add``): each document's mentions all in
    one chunk, so that the corpus's mentions are never all in memory, only a record per entity. ``published``:
    doc_id -> publication date. (On the 681,084 mentions of 44,852 Reuters articles: 4.1 s; the frame operations
    it replaced took 3.0 s, with every mention in memory.)"""

    def __init__(self, published: dict) -> None:
        self.published, self.records = published, {}

    def add(self, mentions: pd.DataFrame) -> None:
        records, published, counted = self.records, self.published, set()
        rules = mentions[C.RESOLVED_BY] if C.RESOLVED_BY in mentions else [""] * len(mentions)
        for entity_id, name, label, text, doc_id, rule in zip(mentions[C.ENTITY_ID], mentions[C.NAME],
                                                               mentions[C.LABEL], mentions[C.TEXT],
                                                               mentions[C.DOC_ID], rules, strict=True):
            entity = records.get(entity_id)
            if entity is None:
                entity = records[entity_id] = _Entity(name)
            # labels kept in the order first met: max() then breaks a tie for the most frequent by the first met
            entity.labels[label] = entity.labels.get(label, 0) + 1
            entity.aliases.add(text)
            if rule:
                entity.merged.add(f"{normalize_name(text, label)}: {rule}")
            entity.n_mentions += 1
            if (entity_id, doc_id) not in counted:  # a document is in one chunk only
                counted.add((entity_id, doc_id))
                entity.n_docs += 1
                date = published.get(doc_id)
                if date is not None and not pd.isna(date):
                    entity.first = date if entity.first is None else min(entity.first, date)
                    entity.last = date if entity.last is None else max(entity.last, date)

    def table(self) -> pd.DataFrame:
        """entity_id, name, label (the most frequent; ties: the first met), aliases (the texts, sorted), merged (each
        name that became this entity's, with the rules: "Apple Computer: company form"; sorted), n_mentions,
        n_docs, first_published, last_published, linked_entity_id (a group's place: "Iraqi" -> PLACE:Iraq; the place
        an organisation's name starts with: "United States Senate" -> PLACE:United States); by n_mentions
        descending, then entity_id."""
        columns = [C.ENTITY_ID, C.NAME, C.LABEL, C.ALIASES, C.MERGED, C.N_MENTIONS, C.N_DOCS, C.FIRST_PUBLISHED,
                   C.LAST_PUBLISHED]
        ids = sorted(self.records)
        records = [self.records[entity_id] for entity_id in ids]
        entities = pd.DataFrame({
            C.ENTITY_ID: pd.array(ids, dtype="str"), C.NAME: pd.array([e.name for e in records], dtype="str"),
            C.LABEL: pd.array([max(e.labels, key=e.labels.get) for e in records], dtype="str"),
            C.ALIASES: [sorted(e.aliases) for e in records], C.MERGED: [sorted(e.merged) for e in records],
            C.N_MENTIONS: np.array([e.n_mentions for e in records], dtype="int64"),
            C.N_DOCS: np.array([e.n_docs for e in records], dtype="int64"),
            C.FIRST_PUBLISHED: [e.first for e in records], C.LAST_PUBLISHED: [e.last for e in records],
        }, columns=columns) if records else pd.DataFrame([], columns=columns)
        place_ids = {name: entity_id for entity_id, name, label_ in zip(entities[C.ENTITY_ID], entities[C.NAME],
                                                                         entities[C.LABEL], strict=True)
                     if label_ in PLACE_LABELS}
        nyms = demonyms()
        entities[C.LINKED_ENTITY_ID] = [
            place_ids.get(nyms.get(name, ""), "PLACE:" + nyms[name] if name in nyms else None)
            if label == "NORP" else _place_of(name, place_ids) if label not in PLACE_LABELS else None
            for name, label in zip(entities[C.NAME], entities[C.LABEL], strict=True)
        ]
        return entities.sort_values([C.N_MENTIONS, C.ENTITY_ID], ascending=[False, True], kind="stable",
                                    ignore_index=True)


def _place_of(name: str, place_ids: dict[str, str]) -> str | None:
    """The place an organisation's name starts with ("United States Senate" -> PLACE:United States), the longest
    such place of the corpus."""
    words = name.split()
    return next((place_ids[" ".join(words[:n])] for n in range(len(words) - 1, 0, -1)
                 if " ".join(words[:n]) in place_ids), None)


_PAIR_BLOCK = 50_000  # mentions whose codes are Python ints at once in ``cooccurrence``


def cooccurrence(mentions: pd.DataFrame) -> pd.DataFrame:
    """Pairs of entities named in the same sentence: entity_a < entity_b, count (sentences), n_docs, doc_ids; by
    count descending, then the names."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a, b, docs in sentence_pairs(mentions):
        pairs[(a, b)] += docs
    rows = [pair_row(a, b, docs) for (a, b), docs in pairs.items()]
    out = pd.DataFrame(rows, columns=COOCCURRENCE_SCHEMA.names) if rows else pd.DataFrame(
        columns=COOCCURRENCE_SCHEMA.names)
    return out.sort_values([C.COUNT, C.ENTITY_A, C.ENTITY_B], ascending=[False, True, True], kind="stable",
                           ignore_index=True)


def pair_row(a: str, b: str, docs: list[str]) -> dict:
    """A pair's row from the doc_id of each sentence that names both."""
    unique = sorted(set(docs))
    return {C.ENTITY_A: a, C.ENTITY_B: b, C.COUNT: len(docs), C.N_DOCS: len(unique), C.DOC_IDS: unique}


def sentence_pairs(mentions: pd.DataFrame) -> Iterator[tuple[str, str, list[str]]]:
    """Each pair of entities named in a sentence of ``mentions`` (entity_a < entity_b), with the doc_id of every
    such sentence, in the order of the sentences."""
    # the sentences as runs of one sorted array, not a sub-frame each (groupby iteration), entities and documents
    # as codes in the order of their names (so that codes sort as names do)
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
    for (a, b), docs in pairs.items():
        yield entity_names[a], entity_names[b], [doc_names[d] for d in docs]


_TEXT, _INT, _NAMES = pa.large_string(), pa.int64(), pa.list_(pa.string())
COOCCURRENCE_SCHEMA = pa.schema([(C.ENTITY_A, _TEXT), (C.ENTITY_B, _TEXT), (C.COUNT, _INT), (C.N_DOCS, _INT),
                                 (C.DOC_IDS, _NAMES)])  # cooccurrence.parquet


def analyse_chunks(chunks: Iterable[tuple[int, Doc]]) -> tuple[list[dict], list[dict]]:
    """Mentions and sentences of one text processed in chunks ``(offset, doc)``, offsets into the whole text."""
    mentions, sentences = [], []
    for offset, doc in chunks:
        sents = sentences_from_doc(doc, offset=offset, sent_offset=len(sentences))
        mentions += mentions_from_doc(doc, offset=offset, sent_offset=len(sentences))
        sentences += sents
    return mentions, sentences


def ner_results(nlp: Language, texts: list[str], batch_size: int) -> Iterator[bytes]:
    """Mentions and sentences of each text (``ner_result`` reads them), long texts run in pieces."""
    for chunks in pipe_long(nlp, texts, batch_size=batch_size):
        mentions, sentences = analyse_chunks(chunks)
        yield result_bytes({"mentions": mentions, "sentences": sentences})


def ner_result(data: bytes) -> tuple[list[dict], list[dict]]:
    """``(mentions, sentences)`` of one document from an ``NER`` result."""
    value = json.loads(data)
    return value["mentions"], value["sentences"]


def _ner_depends_on() -> tuple[str, ...]:
    """The size of the pieces a long text is run in, where the alias ruler runs, and the tables it reads."""
    return (f"pieces of {CHUNK_CHARS}", "alias ruler after ner, longest name wins",
            *(hashlib.sha256(resources.files("dateline").joinpath("data", t).read_bytes()).hexdigest()
              for t in RULER_TABLES))


NER = Task("ner", NER_COMPONENTS, add_alias_ruler, ner_results, _ner_depends_on)


def extract(nlp: Language, documents: pd.DataFrame, *, batch_size: int = 64,
            n_process: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run NER over every document in this process; return ``(mentions, sentences)`` with character offsets into
    the text."""
    chunked = pipe_long(nlp, documents[C.TEXT], batch_size=batch_size, n_process=n_process)
    return frames_of(documents, (analyse_chunks(chunks) for chunks in chunked))


MENTION_COLUMNS = [C.DOC_ID, C.SENT_ID, C.START, C.END, C.TEXT, C.LABEL]
SENTENCE_COLUMNS = [C.DOC_ID, C.SENT_ID, C.START, C.END]


def frames_of(documents: pd.DataFrame, per_document: Iterable[tuple[list[dict], list[dict]]], *,
            show_progress: bool = True):
    mentions, sentences = Rows(MENTION_COLUMNS), Rows(SENTENCE_COLUMNS)
    if show_progress:
        per_document = progress(per_document, total=len(documents), desc="entities")
    for doc_id, (found, sents) in zip(documents[C.DOC_ID], per_document, strict=True):
        mentions.extend({C.DOC_ID: doc_id} | m for m in found)
        sentences.extend({C.DOC_ID: doc_id} | s for s in sents)
    return drop_foreign(mentions.frame(), documents), sentences.frame()


def drop_foreign(mentions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Mentions outside the text the English model cannot read (see ``dateline.steps.language``)."""
    spans = {doc_id: language.foreign_spans(text) for doc_id, text in zip(documents[C.DOC_ID], documents[C.TEXT],
                                                                            strict=True)}
    keep = [not any(s < end and start < e for s, e in spans.get(doc_id, ()))
            for doc_id, start, end in zip(mentions[C.DOC_ID], mentions[C.START], mentions[C.END], strict=True)]
    return mentions[pd.Series(keep, index=mentions.index, dtype=bool)].reset_index(drop=True)  # a [] would pick columns
