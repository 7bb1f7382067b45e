"""Where the per-text NLP of stages 02 and 03 runs, and what it need not run again.

Stage 02 runs NER over each document, stage 03 the parser over each sentence that needs one. Both are pure
functions of the text and the model, so they are computed by a *task* (``nlp.Task``: ``entities.NER``,
``nlp.PARSE``) that turns texts into bytes, and everything after them (canonical names, events, the timeline)
runs here on those bytes:

- ``local`` (default): on this machine, in ``n_process`` worker processes (partitions of texts, each worker
  returning the compact result, not a spaCy Doc);
- ``dask``: on a Dask cluster, texts in partitions, each worker loading the model once; ``scheduler`` is the
  address of a running scheduler (``tcp://host:8786``) or ``local-cluster[:N]`` for N local worker processes.

Results are cached by content (sha256 of the task, the model, the tables it reads and the text) in one SQLite file,
so adding one article to a large corpus computes one article. The bytes do not depend on where or when they were
computed, so outputs are byte-identical across executors, process counts and cache states.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sqlite3
import tempfile
import weakref
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TypeVar

from dateline import nlp as nlp_module
from dateline.nlp import Task
from dateline.processes import die_with_parent
from dateline.progress import bar, log

T = TypeVar("T")
RESULT_FORMAT = 2  # the layout of a task's result bytes: change it with the layout, and old cache rows go unread


@dataclass
class Executor:
    """How to run a task over texts: ``kind`` ``local`` or ``dask``, ``scheduler`` for dask, processes, batch
    size, and the cache file (None: a temporary one). ``stats`` counts distinct texts found in the cache and
    computed."""

    kind: str = "local"
    scheduler: str | None = None
    n_process: int = 0
    batch_size: int = 64
    cache_path: Path | None = None
    partition_size: int = 200
    stats: dict = field(default_factory=lambda: {"cached": 0, "computed": 0})
    _scratch: tempfile.TemporaryDirectory | None = field(default=None, init=False, repr=False)
    _pools: dict = field(default_factory=dict, init=False, repr=False)  # (task name, model) -> worker pool
    _started: set = field(default_factory=set, init=False, repr=False)  # keys ``start`` gave out, not yet cached

    def __post_init__(self) -> None:
        if self.kind not in ("local", "dask"):
            raise ValueError(f"executor must be 'local' or 'dask', not {self.kind!r}")
        if self.kind == "dask" and not self.scheduler:
            raise ValueError("executor 'dask' needs a scheduler: an address (tcp://host:8786) or local-cluster[:N]")

    def run(self, task: Task, model: str, texts: Iterable[str], *, show_progress: bool = True) -> Iterator[bytes]:
        """The task's result for each text, in order. Texts not in the cache are computed now, before this returns
        (so the progress bar of the computation stands alone, unless ``show_progress`` is false), and written to
        it; the results then stream from it in order, a few hundred at a time, so memory stays flat."""
        return self._begin(task, model, texts, show_progress=show_progress, stream=False)()

    def ahead(self, task: Task, model: str, batches: Iterable[tuple[T, Iterable[str]]], *, total: int | None = None
              ) -> Iterator[tuple[T, Iterator[bytes]]]:
        """Each ``(item, texts)`` of ``batches`` as ``(item, results)``, the task's result for each text streamed as it
        lands (``start``), the next batch started before this one is given: the workers compute a batch ahead while this
        process reads one, and are never idle waiting for it (run batch by batch without looking ahead, they idled while
        this process made each batch's rows: 36 s instead of 28 s for the NER of 3,906 articles on 2 processes). Read
        each batch's results to the end before asking for the next: a later batch reads from the cache what an earlier
        one computed. ``total``: the number of texts in all batches, for the number of processes (None: each batch's
        own)."""
        processes = nlp_module.processes(self.n_process, total) if total is not None else None
        waiting = None
        for item, texts in batches:
            started = item, self.start(task, model, texts, processes=processes)
            if waiting is not None:
                yield waiting[0], waiting[1]()
            waiting = started
        if waiting is not None:
            yield waiting[0], waiting[1]()

    def start(self, task: Task, model: str, texts: Iterable[str], *, processes: int | None = None
              ) -> Callable[[], Iterator[bytes]]:
        """``run`` in two steps, so that this process can work while the workers compute: the texts not in the cache go
        to the worker processes (or the cluster) now, and the function returned streams every text's result in order,
        each as soon as its partition is done (written to the cache as it lands): stage 03 makes a batch's events while
        the workers parse the rest of it and the next. (Waiting for a whole batch first left a core idle while the first
        batch was parsed and while the last one's events were made: stage 03 on 5,000 Reuters articles and 2 cores took
        54.9 s that way, 50.2 s this way.) In one process the texts are computed as they are read. ``processes``: how
        many worker processes (None: as many as these texts call for, ``nlp.processes``)."""
        return self._begin(task, model, texts, show_progress=False, stream=True, processes=processes)

    def _begin(self, task: Task, model: str, texts: Iterable[str], *, show_progress: bool, stream: bool,
               processes: int | None = None) -> Callable[[], Iterator[bytes]]:
        texts = list(texts)
        keys = _keys(recipe_id(task, model), texts)
        with self._cache() as db:
            missing = {k: t for k, t in _missing(db, keys, texts).items() if k not in self._started}
        self.stats["computed"] += len(missing)
        self.stats["cached"] += len(set(keys)) - len(missing)
        submitted = self._submit(task, model, missing, processes)
        self._started.update(missing)

        def results() -> Iterator[bytes]:
            if stream:
                return self._stream(keys, submitted(), missing)
            with self._cache() as db, bar(total=len(missing) if show_progress else 0, desc=task.name,
                                          unit="text") as shown:
                for part_keys, part_results in submitted():
                    _cache_put(db, dict(zip(part_keys, part_results, strict=True)))
                    shown.update(len(part_keys))
            self._started.difference_update(missing)
            return self._stream(keys)
        return results

    def _submitter(self, task: Task, model: str, processes: int):
        """A function that starts the task on a partition of texts and returns a future of its results."""
        work = partial(compute_partition, task=task, model=model, batch_size=self.batch_size)
        if self.kind == "dask":
            client = dask_client(self.scheduler)
            return lambda texts: client.submit(work, texts, pure=False)
        if processes > 1:
            pool = self._pool(task, model, processes)
            return lambda texts: pool.submit(work, texts)

        def now(texts: list[str]) -> Future:
            future: Future = Future()
            future.set_result(work(texts))
            return future
        return now

    def _stream(self, keys: list[str], parts: Iterable[tuple[list[str], list[bytes]]] = (),
                computing: Collection[str] = frozenset()) -> Iterator[bytes]:
        """The result of each key, in order: from the cache, or for a key in ``computing`` from ``parts`` (``(keys,
        results)`` of the partitions being computed, in any order), each partition waited for only when one of
        its keys is reached and written to the cache as it lands."""
        parts = iter(parts)
        landed: set[str] = set()
        held: dict[str, bytes] = {}  # results landed and not yet given out
        try:
            with self._cache() as db:
                for i in range(0, len(keys), _CHUNK):
                    chunk = keys[i:i + _CHUNK]
                    found = _cache_get(db, [k for k in chunk if k not in computing or k in landed])
                    for key in chunk:
                        while key in computing and key not in landed:  # wait for its partition, no other
                            part_keys, part_results = next(parts)
                            part = dict(zip(part_keys, part_results, strict=True))
                            _cache_put(db, part)
                            landed.update(part)
                            held.update(part)
                        yield held[key] if key in held else found[key]
                    for key in chunk:
                        held.pop(key, None)  # a key met again later is read from the cache
        finally:  # landed, or given up on by the reader: a later batch computes it again if it needs it
            self._started.difference_update(computing)

    def _pool(self, task: Task, model: str, processes: int) -> ProcessPoolExecutor:
        """Worker processes for a task, started once and kept for every later batch of this executor: each is
        forked once, not once per batch from a process that holds more rows by then. They stop with the executor
        (``close``) or at exit."""
        if (task.name, model) not in self._pools:
            pipeline(task, model)  # loaded before the workers start: on Linux (fork) they share it
            pool = self._pools[task.name, model] = ProcessPoolExecutor(processes, initializer=die_with_parent)
            weakref.finalize(self, pool.shutdown)
        return self._pools[task.name, model]

    def close(self) -> None:
        """Stop the worker processes (a later run starts new ones)."""
        for pool in self._pools.values():
            pool.shutdown()
        self._pools.clear()

    @contextmanager
    def _cache(self) -> Iterator[sqlite3.Connection]:
        if self.cache_path is None and self._scratch is None:  # no cache asked for: one file for this executor
            self._scratch = tempfile.TemporaryDirectory(prefix="dateline-results-")
        db = _open_cache(self.cache_path or Path(self._scratch.name) / "results.sqlite")
        try:
            yield db
        finally:
            db.close()

    def _submit(self, task: Task, model: str, missing: dict[str, str], processes: int | None = None
                ) -> Callable[[], Iterator[tuple[list[str], list[bytes]]]]:
        """Start the task on ``missing`` ({key: text}); the function returned yields (keys, results) of each
        partition as it is done (in order here, in order of arrival from a cluster). Not spaCy's
        ``nlp.pipe(n_process=...)``: that sends every Doc back to this process to be deserialised and leaves the
        work after the model to it; here each worker returns the task's compact result."""
        if not missing:  # nothing to start: no cluster client, no worker processes
            return lambda: iter(())
        keys, texts = list(missing), list(missing.values())
        if self.kind != "local":
            processes = 1
        elif processes is None:
            processes = nlp_module.processes(self.n_process, len(texts))
        if self.kind == "local" and processes <= 1:  # computed when asked for, a chunk at a time: no partition whole
            results = compute(task, model, texts, batch_size=self.batch_size)
            return lambda: ((chunk, list(itertools.islice(results, len(chunk)))) for chunk in _chunks(keys, _CHUNK))
        submit = self._submitter(task, model, processes)
        futures = [(keys[lo:hi], submit(texts[lo:hi]))
                   for lo, hi in balanced_partitions(len(texts), processes, self.partition_size)]
        if self.kind == "local":
            return lambda: ((part_keys, future.result()) for part_keys, future in futures)
        from distributed import as_completed

        part_keys = {future.key: k for k, future in futures}

        def arrived():  # results land in the cache by key: order of arrival does not matter
            for future in as_completed([future for _, future in futures]):
                yield part_keys[future.key], future.result()
                future.release()
        return arrived


_CHUNK = 500  # results read from or written to the cache at a time


def _keys(recipe: str, texts: list[str]) -> list[str]:
    """The cache key of each text: sha256 of the recipe (task, model, tables) and the text."""
    return [hashlib.sha256(f"{recipe}\0{text}".encode()).hexdigest() for text in texts]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` consecutive items (the last may be shorter), taken from ``items`` as they are needed."""
    items = iter(items)
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _missing(db: sqlite3.Connection, keys: list[str], texts: list[str]) -> dict[str, str]:
    """Keys not in the cache, each with its text, in first-seen order."""
    present: set[str] = set()
    unique = list(dict.fromkeys(keys))
    for i in range(0, len(unique), _CHUNK):
        chunk = unique[i:i + _CHUNK]
        present.update(k for (k,) in db.execute(
            f"SELECT key FROM results WHERE key IN ({','.join('?' * len(chunk))})", chunk))
    missing: dict[str, str] = {}
    for key, text in zip(keys, texts, strict=True):
        if key not in present and key not in missing:
            missing[key] = text
    return missing


# ------------------------------------------------------------------------------------------------- the tasks


@cache
def recipe_id(task: Task, model: str) -> str:
    """What a task's result depends on besides the text: the task, the layout of its result, the model's name and
    version, how its matrix products are computed (``nlp.MATMUL``: another BLAS may round differently), and what
    the task itself names (``Task.depends_on``: for NER the size of the pieces a long text is run in and the alias
    and stoplist tables)."""
    return "|".join([task.name, f"format {RESULT_FORMAT}", nlp_module.model_id(pipeline(task, model)),
                     f"matmul {nlp_module.MATMUL}", *task.depends_on()])


@cache
def pipeline(task: Task, model: str):
    """The spaCy pipeline of a task, loaded once per process (on a Dask worker: once per worker)."""
    return task.finish(nlp_module.load(model, components=task.components))


def compute(task: Task, model: str, texts: list[str], *, batch_size: int = 64) -> Iterator[bytes]:
    """Run a task over texts in this process: one bytes result per text."""
    return task.results(pipeline(task, model), texts, batch_size)


def balanced_partitions(n: int, processes: int, size: int) -> list[tuple[int, int]]:
    """``(start, end)`` of partitions of ``n`` texts: about ``size`` each, their number a multiple of
    ``processes`` so that no worker idles while another does a last partition (1,000 texts on 2 processes: 6 of
    about 167, not 5 of 200)."""
    count = -(-n // max(1, size))
    count = -(-count // processes) * processes if count else 0
    bounds = [n * i // count for i in range(count + 1)] if count else [0]
    return [(lo, hi) for lo, hi in itertools.pairwise(bounds) if hi > lo]


def compute_partition(texts: list[str], *, task: Task, model: str, batch_size: int = 64) -> list[bytes]:
    """One partition in one process: a local worker process or a Dask worker (the model loaded once per process)."""
    return list(compute(task, model, texts, batch_size=batch_size))


# -------------------------------------------------------------------------------------------- dask and cache


@cache
def dask_client(scheduler: str):
    """A client for ``scheduler``: ``local-cluster[:N]`` starts N local worker processes (default: every core),
    one thread each; anything else is the address of a running scheduler."""
    from distributed import Client, LocalCluster

    if scheduler.startswith("local-cluster"):
        n = int(scheduler.partition(":")[2] or os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    _CLIENTS.append(client)
    return client


def close_dask() -> None:
    """Close the clients (and local clusters) this process opened."""
    for client in _CLIENTS:
        cluster = client.cluster
        client.close()
        if cluster is not None:
            cluster.close()
    _CLIENTS.clear()
    dask_client.cache_clear()


_CLIENTS: list = []


def _open_cache(path: Path) -> sqlite3.Connection:
    """The cache database; one that is not a readable SQLite file (a disk fault, a copy cut short) is moved aside
    with a warning and started afresh: it only holds results that can be computed again."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _connect(path)
    except sqlite3.DatabaseError as err:
        aside = path.with_name(path.name + ".corrupt")
        os.replace(path, aside)
        for suffix in ("-journal", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        log(f"warning: the NLP cache {path} could not be read ({err}); moved to {aside} and started afresh: "
            f"its results are computed again (delete {aside} once you no longer need it)")
        return _connect(path)


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    try:
        db.execute("CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL)")
        db.execute("SELECT key FROM results LIMIT 1").fetchall()
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _cache_get(db: sqlite3.Connection, keys: list[str]) -> dict[str, bytes]:
    if not keys:
        return {}
    unique = list(dict.fromkeys(keys))
    return dict(db.execute(f"SELECT key, value FROM results WHERE key IN ({','.join('?' * len(unique))})", unique))


def _cache_put(db: sqlite3.Connection, results: dict[str, bytes]) -> None:
    if results:
        with db:  # one transaction: a crash leaves whole rows or none
            db.executemany("INSERT OR REPLACE INTO results (key, value) VALUES (?, ?)", results.items())
