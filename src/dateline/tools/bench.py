"""Benchmarks on Reuters-21578 (figures, not tests): dateline accuracy and cleaning throughput of stage 01, speed of
stages 02 and 03 against bare spaCy, and the whole pipeline's time and memory against corpus size."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from dateline.config import DEFAULT_MODEL
from dateline.corpus import read_corpus
from dateline.steps import clean, dedup
from dateline.tools import reuters

# A gold dateline of the usual form: a place, then a date, then a dash. Some Reuters-21578 <DATELINE> elements
# hold fragments of tables instead (" us        7.8015 - "); they are counted apart.
_RE_WELL_FORMED = re.compile(r"^\s*[A-Z][A-Z .'&/-]*[A-Z.](?:, [A-Z][\w. ]*)*,? [A-Z][a-z]{2,8}\.? \d{1,2}\s*-")


def _norm(place: str) -> str:
    return " ".join(place.casefold().split())


def datelines(folder: str | Path) -> dict:
    """Exact-match accuracy of dateline_place against Reuters' <DATELINE> place, and false datelines on control
    copies of the same bodies without their dateline."""
    total = well = hits = well_hits = false = 0
    misses: Counter = Counter()
    false_examples: list[str] = []
    for a in reuters.articles(folder):
        if not a["dateline"].strip() or not a["body"].strip():
            continue
        total += 1
        gold = reuters.gold_place(a["dateline"])
        formed = bool(_RE_WELL_FORMED.match(a["dateline"]))
        well += formed
        got = clean.clean_body(a["dateline"] + a["body"])[clean.C.DATELINE_PLACE]
        hit = _norm(got) == _norm(gold)
        hits += hit
        well_hits += hit and formed
        if not hit and formed:
            misses[(gold, got)] += 1
        control = clean.clean_body(a["body"])[clean.C.DATELINE]
        if control:
            false += 1
            if len(false_examples) < 10:
                false_examples.append(control)
    return {"articles": total, "exact": hits / total, "well_formed": well, "exact_well_formed": well_hits / well,
            "false_rate": false / total, "false_examples": false_examples, "top_misses": misses.most_common(10)}


def throughput(folder: str | Path, *, n: int | None = None) -> dict:
    """MB of raw text per second through stage 01 (read, decode, clean, find copies) on one core."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reuters.jsonl"
        count = reuters.to_jsonl(folder, path, limit=n)
        size = path.stat().st_size
        start = time.perf_counter()
        reading = read_corpus(tmp)
        documents = clean.clean_documents(reading.articles)
        copies = dedup.find_copies(documents)
        dedup.merge_copies(documents, copies)
        seconds = time.perf_counter() - start
    return {"documents": count, "mb": size / 1e6, "seconds": seconds, "mb_per_s": size / 1e6 / seconds,
            "copies": len(copies), "rejected": len(reading.rejected)}


def corpus_speed(corpus: str, *, root: Path, venv: Path, model: str = DEFAULT_MODEL) -> pd.DataFrame:
    """``stages_against_bare`` on a bundled corpus (``data/raw/<corpus>``, with its params file), in a temporary
    copy of the project: the stages `make report` runs, against bare spaCy over the same texts."""
    from dateline import provenance

    with scratch_project(root, corpus) as (copy, raw):
        raw.rmdir()
        provenance.copy_raw(root / "data" / "raw" / corpus, raw)
        return pd.DataFrame(stages_against_bare(copy, corpus, venv=venv, model=model))


def timex_speed(texts: list[str], dcts: list, *, model: str = DEFAULT_MODEL, repeats: int = 5) -> dict:
    """Seconds of the temporal tagger over ``texts`` on one core: ``tag_doc`` given parsed Docs and their texts, as
    stage 03 calls it (the parse is not timed, but reported for scale: the parser's own time over the same texts)
    and text-only ``tag``. The best of ``repeats`` runs, since a shared machine only ever adds time."""
    from dateline import nlp, timex

    parser = nlp.load(model, components=nlp.PARSE_COMPONENTS)
    start = time.perf_counter()
    docs = list(parser.pipe(texts))
    parse_seconds = time.perf_counter() - start

    def best(run) -> float:
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        return min(times)

    words = [len(t.split()) for t in texts]
    # each document alone too: the cost is a fixed part per document plus a part per word, so documents of 500
    # words (the target's) are read off a line fitted to the documents' own times, and off those of 400-600 words
    each = [best(lambda d=d, dct=dct, t=t: timex.tag_doc(d, dct, t)) for d, dct, t in zip(docs, dcts, texts,
                                                                                          strict=True)]
    per_word, per_document = np.polyfit(words, each, 1) if len(texts) > 1 else (0.0, 0.0)
    near = [i for i, n in enumerate(words) if 400 <= n <= 600]
    return {"documents": len(texts), "words": sum(words), "parse": parse_seconds, "repeats": repeats,
            "tag_doc": best(lambda: [timex.tag_doc(d, dct, t) for d, dct, t in zip(docs, dcts, texts, strict=True)]),
            "tag": best(lambda: [timex.tag(t, dct) for t, dct in zip(texts, dcts, strict=True)]),
            "per_document": per_document, "per_word": per_word, "near_500": len(near),
            "near_500_words": sum(words[i] for i in near), "near_500_seconds": sum(each[i] for i in near)}


STAGE_TARGETS = (("01 clean", "data/interim/{c}/documents.parquet"),
                 ("02 entities", "data/processed/{c}/entities.parquet"),
                 ("03 timeline", "data/processed/{c}/events.parquet"), ("04 report", "report"))
_MEASURE = ("import resource, subprocess, sys, time\n"
            "t = time.perf_counter(); r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
            "stderr=subprocess.PIPE, text=True)\n"
            "print(r.stderr[-3000:], file=sys.stderr)\n"
            "print('MEASURED', time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "r.returncode)")


def measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, the largest process of the command's tree) of one command."""
    run = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True)
    line = next(ln for ln in run.stdout.splitlines() if ln.startswith("MEASURED"))
    _, seconds, rss_kb, code = line.split()
    if int(code) != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{run.stderr[-3000:]}")
    return float(seconds), int(rss_kb) / 1024


@contextmanager
def scratch_project(root: Path, corpus: str) -> Iterator[tuple[Path, Path]]:
    """A temporary copy of the project's code and an empty ``data/raw/<corpus>/`` in it: ``(copy, raw folder)``."""
    from dateline import provenance

    with tempfile.TemporaryDirectory(prefix="dateline-bench-") as tmp:
        copy = provenance.copy_project(root, Path(tmp))
        raw = copy / "data" / "raw" / corpus
        raw.mkdir(parents=True)
        yield copy, raw


def stage_by_stage(project: Path, corpus: str, venv: Path) -> list[dict]:
    """Each stage of `make report` in ``project``, one after the other: its seconds and peak RSS (MB)."""
    from dateline.provenance import with_environment

    rows = []
    for stage, target in STAGE_TARGETS:
        seconds, rss = measured(["make", "-C", str(project), target.format(c=corpus), f"CORPUS={corpus}",
                                 *with_environment(venv)])
        rows.append({"step": stage, "seconds": seconds, "peak_rss_mb": rss})
    return rows


def papermill_overhead(venv: Path) -> float:
    """Seconds papermill takes to run a notebook of one empty cell (kernel start and shutdown)."""
    import nbformat

    with tempfile.TemporaryDirectory() as tmp:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, f"{tmp}/empty.ipynb")
        seconds, _ = measured([str(venv / "bin" / "python"), "-m", "papermill", "--log-level", "ERROR",
                               f"{tmp}/empty.ipynb", f"{tmp}/out.ipynb"])
    return seconds


def bare_spacy(texts: list[str], *, model: str, n_process: int, batch_size: int = 64) -> dict[str, float]:
    """Seconds of bare ``nlp.pipe`` over ``texts``, spaCy as installed: the full default pipeline, and senter+ner;
    then the full pipeline with the stages' matrix products (``nlp.MATMUL``), to tell what that switch alone is
    worth."""
    import spacy

    from dateline import nlp

    timings = {}
    for name, pipeline in (
            ("bare spaCy, full pipeline", lambda: spacy.load(model)),
            ("bare spaCy, senter+ner", lambda: nlp.load(model, components=nlp.NER_COMPONENTS, as_installed=True)),
            ("bare spaCy, full pipeline, numpy matmul", lambda: nlp.multiply_through_numpy(spacy.load(model)))):
        pipeline = pipeline()
        start = time.perf_counter()
        for _ in pipeline.pipe(texts, batch_size=batch_size, n_process=n_process):
            pass
        timings[name] = time.perf_counter() - start
    return timings


def stages_against_bare(copy: Path, corpus: str, *, venv: Path, model: str) -> list[dict]:
    """Each stage of `make report` on a corpus in ``copy``'s data/raw (``stage_by_stage``), then bare spaCy over
    the texts stage 01 kept, with the processes the stages use for that many texts: rows of step, seconds,
    peak_rss_mb, words and processes."""
    from dateline import nlp

    rows = stage_by_stage(copy, corpus, venv)
    texts = pd.read_parquet(copy / "data" / "interim" / corpus / "documents.parquet")[clean.C.TEXT].tolist()
    processes = nlp.processes(0, len(texts))
    rows += [{"step": name, "seconds": seconds, "peak_rss_mb": float("nan")}
             for name, seconds in bare_spacy(texts, model=model, n_process=processes).items()]
    words = sum(len(t.split()) for t in texts)
    return [row | {"words": words, "processes": processes} for row in rows]


def pipeline_scale(reuters_folder: str | Path, sizes: list[int], *, root: Path, venv: Path,
                   model: str = DEFAULT_MODEL) -> pd.DataFrame:
    """`make report` on the first N Reuters-21578 articles for each N, in a temporary copy of the project: seconds
    and peak RSS of each stage, and bare spaCy over the same cleaned texts with the same number of processes."""
    rows = []
    for n in sizes:
        with scratch_project(root, "reuters") as (copy, raw):
            count = reuters.to_jsonl(reuters_folder, raw / "reuters.jsonl", limit=n)
            rows += [{"documents": count} | row for row in stages_against_bare(copy, "reuters", venv=venv,
                                                                                model=model)]
    table = pd.DataFrame(rows)
    end_to_end = table[table["step"].isin([s for s, _ in STAGE_TARGETS])].groupby("documents", as_index=False).agg(
        seconds=("seconds", "sum"), peak_rss_mb=("peak_rss_mb", "max"), words=("words", "first"),
        processes=("processes", "first"))
    table = pd.concat([table, end_to_end.assign(step="end to end (make report)")], ignore_index=True)
    table["words_per_s"] = table["words"] / table["seconds"]
    return table.sort_values(["documents", "step"], kind="stable").reset_index(drop=True)


def scale_plot(table: pd.DataFrame):
    """Seconds (bare spaCy dashed) and peak RSS of every step against the number of documents."""
    import matplotlib.pyplot as plt

    from dateline.report.plots import OKABE_ITO, STYLE

    colours = [c for name, c in OKABE_ITO.items() if name not in ("yellow", "grey")]  # both too pale for lines
    with plt.rc_context(STYLE):
        fig, (time_ax, memory_ax) = plt.subplots(1, 2, figsize=(12, 5))
        for i, (step, rows) in enumerate(table.groupby("step", sort=True)):
            style = dict(marker="o", color=colours[i % len(colours)], label=step)
            time_ax.plot(rows["documents"], rows["seconds"], "--" if step.startswith("bare") else "-", **style)
            if rows["peak_rss_mb"].notna().any():
                memory_ax.plot(rows["documents"], rows["peak_rss_mb"], "-", **style)
        time_ax.set_ylabel("seconds")
        time_ax.legend(fontsize=8)
        time_ax.set_title("Time against corpus size", loc="left")
        memory_ax.set_ylabel("peak RSS (MB, largest process)")
        memory_ax.set_ylim(bottom=0)
        memory_ax.set_title("Memory against corpus size", loc="left")
        for ax in (time_ax, memory_ax):
            ax.set_xlabel("documents (Reuters-21578)")
        fig.tight_layout()
    return fig


def long_text(chars: int, *, root: Path) -> str:
    """A body of about ``chars`` characters of distinct sentences: the bundled Wikinews articles, one after another
    (each sentence once), as one document."""
    documents = read_corpus(root / "data" / "raw" / "wikinews", columns={"published": "date"}).articles
    seen, parts, size = set(), [], 0
    for text in documents[clean.C.TEXT]:
        for sentence in re.split(r"(?<=[.!?])\s+", text):
            if size >= chars:
                return " ".join(parts)[:chars]
            if sentence and sentence not in seen:
                seen.add(sentence)
                parts.append(sentence)
                size += len(sentence) + 1
    if size < chars:
        raise ValueError(f"the Wikinews corpus has {size:,} characters of distinct sentences, fewer than {chars:,}")
    return " ".join(parts)[:chars]


def memory_bound(sizes: list[int], *, root: Path, venv: Path, max_chars: int) -> pd.DataFrame:
    """`make report` on a corpus of one document of each size (characters), in a temporary copy of the project
    with ``max_document_chars: max_chars``: seconds and peak RSS of each stage, and whether the document was kept."""
    rows = []
    for chars in sizes:
        with scratch_project(root, "long") as (copy, raw):
            if chars <= 1_000_000:
                (raw / "long.txt").write_text("One long document\n" + long_text(chars, root=root), encoding="utf-8")
            else:  # more than the Wikinews corpus holds: the same text, repeated (stage 01 never reads it)
                block = long_text(500_000, root=root)
                (raw / "long.txt").write_text("One long document\n" + (block * (chars // len(block) + 1))[:chars],
                                              encoding="utf-8")
            (copy / "params" / "long.yaml").write_text(f"max_document_chars: {max_chars}\ncache: false\n")
            rows += [{"characters": chars} | row for row in stage_by_stage(copy, "long", venv)]
            kept = len(pd.read_parquet(copy / "data" / "interim" / "long" / "documents.parquet"))
            for row in rows[-len(STAGE_TARGETS):]:
                row["kept"] = bool(kept)
    return pd.DataFrame(rows)
