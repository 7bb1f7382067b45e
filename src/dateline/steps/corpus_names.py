"""One name per real-world entity across a corpus: which names of the corpus are the same entity, and why.

Given each name's label votes (how many mentions got each label group) and the acronyms the documents define, a
name goes to the corpus's name for its entity by these rules, in this order:

- ``spelling``: the same name but for case, spaces, hyphens, periods or apostrophes ("MacBook"/"Macbook",
  "Mac OS X"/"Mac OSX"); the most frequent spelling wins.
- ``company form``: organisations that differ by a legal form ("Siemens AG"/"Siemens", "Chrysler LLC") or by a
  word of the business when the shorter name is itself a name of the corpus ("Apple Computer"/"Apple", "NPD
  Group"/"NPD"), from the table ``data/company_forms.csv``.
- ``acronym``: an acronym defined in the corpus ("World Health Organization (WHO)"), the same way wherever it is
  defined, is that name in every document.
- ``initials``: an upper-case name of three to six letters that is the initials of exactly one organisation of the
  corpus written out in capitalised words ("SEC", "the Securities and Exchange Commission"; never "CC BY-SA").
- ``misspelling``: a name seen once or twice, one edit from a name seen at least three times as often, of the
  same kind, with no other such name; one word needs 7 letters ("Tuskish"/"Turkish", not "Slate"/"State"); never
  a name with a digit ("iPhone 3G"/"iPhone 4G" are two products).

Names are compared whatever label the model gave them (a label is voted afterwards, over the merged names). The
alias table decides before any rule: its canonical names stand for the names a rule joins them with, and two of
them are never joined (a row "Apple Computer,ORG,Apple Computer" keeps Apple Computer apart from Apple).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

from dateline.package_data import package_table

MISSPELLING_MAX_COUNT = 2  # a misspelling is rare: seen at most this often
MISSPELLING_RATIO = 3  # and the name it misspells is seen at least this many times as often
MISSPELLING_MIN_LENGTH = 7  # short words are too close to each other ("Iran", "Iraq"; "Slate", "State")
_ACRONYM = re.compile(r"^[A-Z][A-Z&]{2,5}$")  # two letters are too ambiguous to read as initials
_INITIALS_SKIP = {"of", "and", "the", "for", "&", "de", "du", "des", "la", "le", "on", "in"}


@cache
def company_forms() -> dict[str, str]:
    """A company form, case-folded and without periods -> its kind (legal, descriptor)."""
    return {_form_key(row["form"]): row["kind"] for row in package_table("company_forms.csv")}


def _form_key(word: str) -> str:
    return word.casefold().replace(".", "").strip(",")


def spelling_key(name: str) -> str:
    """The name without case, spaces, hyphens, periods and apostrophes."""
    return re.sub(r"[\s\-.'\u2019]+", "", name.casefold())


def without_forms(name: str, kinds: tuple[str, ...]) -> str:
    """The name without the company forms of ``kinds`` at its end ("Apple Computer, Inc." -> "Apple Computer" for
    legal forms); never empty."""
    words = name.split()
    forms = company_forms()
    while len(words) > 1 and forms.get(_form_key(words[-1])) in kinds:
        words.pop()
    return " ".join(words).rstrip(",")


def initials(name: str) -> str:
    """The initials of a name's words, small function words left out ("Securities and Exchange Commission" ->
    "SEC")."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w and w.casefold() not in _INITIALS_SKIP).upper()


def majority_group(votes: Counter) -> str:
    """The most frequent label group; ties go to the more specific reading (a person before an organisation before
    a place), then alphabetically."""
    order = {"PERSON": 0, "ORG": 1, "PLACE": 2}
    return min(votes, key=lambda g: (-votes[g], order.get(g, 3), g))


def is_legal_form(text: str) -> bool:
    """Whether a mention is only a company's legal form ("LLC", "Inc."), which names nothing alone."""
    return company_forms().get(_form_key(text.strip())) == "legal"


def corpus_names(votes: dict[str, Counter], acronyms: dict[str, Counter] | None = None,
                 fixed: frozenset[str] = frozenset()) -> dict[str, tuple[str, str]]:
    """Name -> (the corpus's name for its entity, the rule that decided it), for each name of ``votes`` (name ->
    label group -> mentions) that another name stands for; ``acronyms``: acronym -> the names it was defined as
    (-> how many documents); ``fixed``: names a person decided (the alias table's canonical names): one stands for
    the names a rule joins it with, and two are never joined."""
    total = {name: sum(v.values()) for name, v in votes.items()}  # mentions of each entity, under its name
    group_votes = {name: Counter(v) for name, v in votes.items()}
    parent: dict[str, str] = {}
    rule: dict[str, str] = {}

    def find(name: str) -> str:
        while name in parent:
            name = parent[name]
        return name

    def join(names: list[str], why: str, keep: str | None = None) -> None:
        """One entity for ``names``: ``keep``'s entity, else the most frequent name's, stands for the others."""
        roots = sorted({find(n) for n in names}, key=lambda n: (n not in fixed, n != keep, -total[n], n))
        if len(roots) > 1 and roots[1] in fixed:
            return
        for other in roots[1:]:
            parent[other], rule[other] = roots[0], why
            total[roots[0]] += total.pop(other)
            group_votes[roots[0]].update(group_votes.pop(other))


    by_spelling: dict[str, list[str]] = defaultdict(list)
    for name in votes:
        by_spelling[spelling_key(name)].append(name)
    for names in by_spelling.values():
        if len(names) > 1:
            join(names, "spelling")

    def organisations() -> dict[str, str]:
        """Each entity's name -> its spelling key, for the entities that are organisations."""
        return {n: spelling_key(n) for n in total if majority_group(group_votes[n]) == "ORG"}

    orgs = organisations()
    org_by_key = {key: name for name, key in orgs.items()}
    by_legal: dict[str, list[str]] = defaultdict(list)
    for name in orgs:
        by_legal[spelling_key(without_forms(name, ("legal",)))].append(name)
    for names in by_legal.values():
        if len(names) > 1:
            join(names, "company form")
    for name in list(orgs):
        if find(name) != name:
            continue
        base = spelling_key(without_forms(name, ("legal", "descriptor")))
        if base != orgs[name] and base in org_by_key:
            join([name, org_by_key[base]], "company form")

    for acronym, defined in sorted((acronyms or {}).items()):
        meant = {find(n) for n in defined if n in votes}
        if acronym in votes and len(meant) == 1 and len(defined) == len([n for n in defined if n in votes]) \
                and find(acronym) not in meant:
            join([acronym, *meant], "acronym", keep=next(iter(meant)))

    orgs = organisations()
    by_initials: dict[str, list[str]] = defaultdict(list)
    for name in orgs:
        words = name.split()
        if len(words) > 1 and all(w[0].isupper() and not w.isupper() or w.casefold() in _INITIALS_SKIP
                                  for w in words):  # written out, not itself made of acronyms ("CC BY-SA")
            by_initials[initials(name)].append(name)
    for name in list(orgs):
        if find(name) == name and _ACRONYM.match(name) and len(by_initials.get(name, ())) == 1:
            join([name, by_initials[name][0]], "initials", keep=by_initials[name][0])

    _misspellings(total, group_votes, join, find)
    return {name: (find(name), rule[name]) for name in votes if find(name) != name}  # a joined name has its rule


def _spellable(name: str) -> bool:
    """Long enough for one edit to be a slip rather than another name, and no digits."""
    return len(name) >= (MISSPELLING_MIN_LENGTH if " " not in name else 5) and not any(c.isdigit() for c in name)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))} | {word}


def _misspellings(total: dict[str, int], group_votes: dict[str, Counter], join, find) -> None:
    """Rare names one edit (a letter added, dropped, changed or two swapped) from exactly one frequent name of the
    same kind join it; candidates found through their one-letter deletions, not by comparing every pair."""
    frequent = [n for n in total if total[n] >= MISSPELLING_RATIO and _spellable(n)]
    by_deletion: dict[str, set[str]] = defaultdict(set)
    for name in frequent:
        for variant in _deletions(name):
            by_deletion[variant].add(name)
    for name in sorted(total):
        if total.get(name, 0) > MISSPELLING_MAX_COUNT or not _spellable(name) or find(name) != name:
            continue
        group = majority_group(group_votes[name])
        near = {f for v in _deletions(name) for f in by_deletion.get(v, ()) if f != name and find(f) == f}
        near = {f for f in near if total[f] >= MISSPELLING_RATIO * total[name]
                and majority_group(group_votes[f]) == group and _one_edit(name, f)}
        if len(near) == 1:
            join([name, near.pop()], "misspelling")


def _one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by one letter added, dropped or changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
