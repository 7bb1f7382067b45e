"""The ``dateline`` command: the temporal tagger and the benchmarks, outside the notebooks.

    dateline timex "The flights began Saturday." --dct 2015-03-25     JSON lines, one per time expression
    dateline bench-clean --reuters PATH                               stage 01 on Reuters-21578
    dateline reuters-jsonl --reuters PATH OUT.jsonl [--limit N]       Reuters-21578 as a corpus file
    dateline timeml annotate IN OUT / dateline timeml score GOLD SYS  TimeML TIMEX3 tagging and scoring
    dateline timeml conventions GOLD SYS     how GOLD writes each kind of expression, against SYS
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

from dateline.config import DEFAULT_MODEL


def _timex(args: argparse.Namespace) -> int:
    from dateline import timex

    dct = dt.date.fromisoformat(args.dct) if args.dct else None
    for t in timex.tag(args.text, dct):
        print(json.dumps(t.to_dict(), ensure_ascii=False))
    return 0


def _bench_clean(args: argparse.Namespace) -> int:
    from dateline.tools import bench

    d = bench.datelines(args.reuters)
    print(f"Datelines on Reuters-21578 ({d['articles']} articles with a <DATELINE> and a body)")
    print(f"  dateline_place exact match        {d['exact']:8.2%}   (target >= 99%)")
    print(f"  ... on well-formed gold datelines {d['exact_well_formed']:8.2%}   ({d['well_formed']} articles)")
    print(f"  false datelines on control copies {d['false_rate']:8.3%}   (target <= 0.5%)")
    for (gold, got), n in d["top_misses"][:5]:
        print(f"    missed: gold {gold!r} got {got!r} x{n}")
    t = bench.throughput(args.reuters, n=args.n)
    print(f"Stage 01 throughput, one process: {t['mb']:.1f} MB, {t['documents']} documents in {t['seconds']:.1f} s"
          f" = {t['mb_per_s']:.2f} MB/s (target >= 2 MB/s); {t['copies']} copies merged, {t['rejected']} rejected")
    return 0


def _print_scores(title: str, scores: dict, keys: tuple[str, ...], *, errors: bool) -> None:
    print(title)
    for key in keys:
        s = scores[key]
        print(f"  {key:19s} precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}"
              f"   ({s['tp']} right of {s['predicted']} predicted, {s['gold']} in gold)")
    if errors:
        print(scores["errors"].to_string(index=False))


def _eval_entities(args: argparse.Namespace) -> int:
    from dateline.tools import evaluation

    scores = evaluation.evaluate_entities(args.gold, root=args.root)
    _print_scores(f"Canonical entities against {args.gold} ({scores['documents']} documents, model {scores['model']})",
                  scores, ("entities", "merges"), errors=args.errors)
    return 0


def _bench_timex(args: argparse.Namespace) -> int:
    from dateline.timex import timeml
    from dateline.tools import bench, evaluation

    if Path(args.timeml).is_dir():
        docs = [timeml.read(path) for path in timeml.tml_files(args.timeml)]
        source, texts, dcts = args.timeml, [d.text for d in docs], [d.dct for d in docs]
    else:
        documents = evaluation.corpus_documents("wikinews", root=args.root)
        source, texts, dcts = "the wikinews corpus", documents["text"].tolist(), documents["published"].tolist()
    r = bench.timex_speed(texts, dcts, model=args.model)
    print(f"Temporal tagger on {source}: {r['documents']} documents, {r['words']} words "
          f"({r['words'] / r['documents']:.0f} a document), one core, best of {r['repeats']}")
    for name, what in (("tag_doc", "given parsed Docs"), ("tag", "text only")):
        rate = r["words"] / r[name]
        print(f"  {what:18s} {r['documents'] / r[name]:8.0f} documents/s {rate:10,.0f} words/s "
              f"= {rate / 500:6.0f} documents of 500 words/s")
    print(f"  the parse of the same texts: {r['parse']:.2f} s; tag_doc adds {r['tag_doc'] / r['parse']:.1%} to it")
    at_500 = r["per_document"] + 500 * r["per_word"]
    if at_500 > 0:
        print(f"  each document alone: {r['per_document'] * 1e3:.3f} ms + {r['per_word'] * 1e6:.3f} us a word, "
              f"so {1 / at_500:.0f} documents of 500 words/s given parsed Docs (target 2,000)")
    if r["near_500"]:
        print(f"  the {r['near_500']} documents of 400-600 words ({r['near_500_words'] / r['near_500']:.0f} on "
              f"average): {r['near_500'] / r['near_500_seconds']:.0f} documents/s")
    return 0


def _bench_nlp(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dateline.tools import bench

    table = bench.corpus_speed(args.corpus, root=Path(args.root), venv=Path(sys.prefix), model=args.model)
    seconds = dict(zip(table["step"], table["seconds"], strict=True))
    words = int(table["words"].iloc[0])
    print(f"`make report`'s stages on {args.corpus} ({words:,} words, spaCy in {table['processes'].iloc[0]} "
          "process(es)) against bare spaCy over the same texts")
    for step, value in seconds.items():
        print(f"  {step:28s} {value:7.1f} s {words / value:10,.0f} words/s")
    both = seconds["02 entities"] + seconds["03 timeline"]
    print(f"  stage 02: {seconds['bare spaCy, senter+ner'] / seconds['02 entities']:.2f}x bare senter+ner; "
          f"stages 02 and 03: {seconds['bare spaCy, full pipeline'] / both:.2f}x the bare full pipeline (each "
          "stage's time includes its notebook's start-up)")
    return 0


def _bench_memory(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dateline.tools import bench

    sizes = [int(n) for n in args.sizes.split(",")]
    table = bench.memory_bound(sizes, root=Path(args.root), venv=Path(sys.prefix), max_chars=args.max_chars)
    print(f"make report on one document of each size (max_document_chars {args.max_chars:,}): peak RSS of the "
          "largest process of each stage")
    wide = table.pivot(index="characters", columns="step", values="peak_rss_mb").round(0)
    wide["document"] = table.groupby("characters")["kept"].first().map({True: "kept", False: "rejected"})
    print(wide.to_string())
    worst = table["peak_rss_mb"].max()
    print(f"largest process at any size: {worst:,.0f} MB (bound: 1,536 MB)")
    return 0 if worst <= 1536 else 1


def _bench(args: argparse.Namespace) -> int:
    from pathlib import Path

    import numpy as np

    from dateline import io
    from dateline.report import plots
    from dateline.tools import bench

    sizes = [int(n) for n in args.sizes.split(",")]
    venv = Path(sys.prefix)
    overhead = bench.papermill_overhead(venv)
    table = bench.pipeline_scale(args.reuters, sizes, root=Path(args.root), venv=venv, model=args.model)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    io.write_csv(table, out / "scale.csv")
    (out / "scale.png").write_bytes(plots.png_bytes(bench.scale_plot(table)))
    processes = table.groupby("documents")["processes"].first()
    print(f"Pipeline on Reuters-21578 ({args.sizes} articles); processes for spaCy: "
          + ", ".join(f"{p} at {n}" for n, p in processes.items()))
    print(table[["documents", "words", "step", "seconds", "words_per_s", "peak_rss_mb"]].to_string(
        index=False, float_format=lambda x: f"{x:,.1f}"))
    wide = table.pivot(index="documents", columns="step", values="seconds")
    e2e = wide["end to end (make report)"]
    for n in wide.index:
        print(f"  {n:6d} documents: make report {wide.at[n, 'bare spaCy, full pipeline'] / e2e[n]:.2f}x faster than "
              f"bare spaCy full pipeline, {wide.at[n, 'bare spaCy, senter+ner'] / e2e[n]:.2f}x senter+ner "
              "(same texts, same processes, spaCy as installed); "
              f"{wide.at[n, 'bare spaCy, full pipeline, numpy matmul'] / e2e[n]:.2f}x the full pipeline multiplying "
              "through numpy as the stages do")
    if len(wide) > 1:
        slope, intercept = np.polyfit(wide.index.to_numpy(float), e2e.to_numpy(), 1)
        print(f"  end to end ~ {intercept:.1f} s + {slope * 1000:.1f} s per 1,000 documents; seconds per document "
              f"{e2e.iloc[0] / wide.index[0]:.4f} at {wide.index[0]} and {e2e.iloc[-1] / wide.index[-1]:.4f} at "
              f"{wide.index[-1]}")
    rss = table[table["step"] == "end to end (make report)"]["peak_rss_mb"]
    print(f"  peak RSS {rss.min():,.0f} to {rss.max():,.0f} MB; papermill start-up per stage {overhead:.1f} s")
    print(f"wrote {out / 'scale.csv'} and {out / 'scale.png'}")
    return 0


def _eval_timeline(args: argparse.Namespace) -> int:
    from dateline.tools import evaluation

    scores = evaluation.evaluate_timeline(args.gold, root=args.root)
    _print_scores(f"Dated events against {args.gold} ({scores['documents']} documents)", scores,
                  ("date+trigger", "date+trigger+actor"), errors=args.errors)
    return 0


def _eval_key_dates(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dateline.tools import evaluation

    table = evaluation.evaluate_key_dates(args.stories, root=Path(args.root), venv=Path(sys.prefix))
    print("Key dates against each story's key_dates.yaml (date F1 as tilse defines it)")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    return 0


def _eval_semeval(args: argparse.Namespace) -> int:
    import shlex
    from pathlib import Path

    from dateline.tools import semeval

    table, dates = semeval.evaluate(args.trial, args.out, root=Path(args.root), venv=Path(sys.prefix),
                                    python=shlex.split(args.python))
    print(f"SemEval-2015 Task 4 main track on {args.trial} (official scorer; timelines in {args.out}/system)")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.2f}"))
    print("\nEach entity's key dates (as many as its gold timeline has dates) against those dates (tilse date F1)")
    print(dates.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"  micro: {dates['right'].sum()} right of {dates['predicted'].sum()} chosen, {dates['gold'].sum()} in gold")
    return 0


def _entity_timeline(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dateline import io
    from dateline.steps import explore
    from dateline.tools import semeval

    processed = Path(args.root) / "data" / "processed" / args.corpus
    if not (processed / "events.parquet").exists():
        print(f"no {processed / 'events.parquet'}: run `make report CORPUS={args.corpus}` first", file=sys.stderr)
        return 2
    entities = io.read_parquet(processed / "entities.parquet")
    if not explore.matching_entities(args.entity, entities):
        print(f"no entity of {args.corpus} is named {args.entity!r} (see {processed / 'entities.parquet'})",
              file=sys.stderr)
        return 1
    lines = semeval.timeline_lines(args.entity, io.read_parquet(processed / "events.parquet"), entities,
                                   semeval.corpus_mention)
    text = "\n".join(lines) + "\n"
    if args.out_dir:
        out = Path(args.out_dir) / f"timeline-{re.sub(r'[^A-Za-z0-9._-]+', '_', args.entity).strip('_.')}.txt"
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out} ({len(lines) - 1} events)")
    else:
        sys.stdout.write(text)
    return 0


def _eval_meantime(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dateline.tools import meantime

    scores, names = meantime.evaluate(args.corpus, args.out, root=Path(args.root), venv=Path(sys.prefix))
    _print_scores(f"Who did what against MEANTIME's participant links in {args.corpus} ({scores['documents']} "
                  f"documents, {scores['events_with_gold_participants']} gold events with participants; pairs "
                  "counted on the events that match a gold event)", scores, ("pairs", "pairs+role"),
                  errors=False)
    print()
    _print_scores("Name mentions of the body found (a mention of ours overlaps a gold name mention; ours counted in "
                  "the sentences annotated in full)", names, ("mentions",), errors=False)
    print("  found by type: " + ", ".join(f"{kind or '?'} {found}/{total}"
                                          for kind, (found, total) in names["recall_by_type"].items()))
    print("Cross-document coreference of the found mentions (gold instances against our entity ids)")
    for key in ("muc", "b3", "ceaf_e"):
        s = names[key]
        print(f"  {key:19s} precision {s['precision']:.3f}  recall {s['recall']:.3f}  F1 {s['f1']:.3f}")
    print(f"  CoNLL F1 (mean)     {names['conll_f1']:.3f}")
    _print_scores("Pairs of found mentions under one id (precision of merges)", names, ("merged_pairs",),
                  errors=False)
    for key, title in (("splits", "Gold entities under several ids"), ("merges", "Ids joining gold entities")):
        print(f"\n{title} ({len(names[key])}):")
        if len(names[key]):
            print(names[key].to_string(index=False, max_colwidth=110))
    return 0


def _timeml_annotate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dateline import nlp, timex
    from dateline.timex import timeml

    parser = nlp.load(args.model, components=nlp.PARSE_COMPONENTS)
    files = timeml.tml_files(args.input)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    for path in files:
        doc = timeml.read(path)
        tags = timex.tag_doc(parser(doc.text), doc.dct)
        timeml.write(doc, tags, out / path.name)
    print(f"annotated {len(files)} documents into {out}")
    return 0


def _timeml_from_cat(args: argparse.Namespace) -> int:
    from pathlib import Path

    from dateline.timex import timeml

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    files = sorted(Path(args.input).glob("*.xml"))
    for path in files:
        doc = timeml.from_cat(path)
        timeml.write(doc, doc.timexes, out / f"{path.stem}.tml")
    print(f"wrote {len(files)} MEANTIME documents as TimeML into {out}")
    return 0


def _timeml_score(args: argparse.Namespace) -> int:
    from dateline.timex import timeml

    gold, system = timeml.read_tags(args.gold), timeml.read_tags(args.system)
    result = timeml.score(gold, system)
    print(f"TIMEX3 against {args.gold}: {len(gold)} documents, {result['gold']} gold and {result['system']} "
          "system tags")
    for key in ("strict", "relaxed", "type", "value"):
        r = result[key]
        print(f"  {key:8s} F1 {100 * r['f1']:5.1f}   P {100 * r['precision']:5.1f}   R {100 * r['recall']:5.1f}")
    print("  errors: " + ", ".join(f"{k} {v}" for k, v in sorted(result["error_counts"].items())))
    if args.errors:
        for kind in ("missed", "spurious", "boundary", "type", "value"):
            rows = [e for e in result["errors"] if e["error"] == kind]
            print(f"\n{kind} ({len(rows)})")
            for e in rows[: args.errors]:
                print(f"  {e['docid'][:28]:28s} gold {e['gold']!r} {e['gold_value']}  system {e['system']!r} "
                      f"{e['system_value']}")
    return 0


def _timeml_conventions(args: argparse.Namespace) -> int:
    from dateline.timex import timeml

    gold, system = timeml.read_tags(args.gold), timeml.read_tags(args.system)
    rows = [r for r in timeml.conventions(gold, system) if r["gain"]]
    common = [r for r in rows if r["gold_majority_n"] >= 3]
    print(f"Writing GOLD's most frequent value shape for each kind of expression would gain at most "
          f"{sum(r['gain'] for r in rows)} right values: {sum(r['gain'] for r in common)} from {len(common)} kinds "
          f"whose majority has 3 or more instances, {sum(r['gain'] for r in rows) - sum(r['gain'] for r in common)} "
          f"from {len(rows) - len(common)} kinds seen less often")
    for r in rows[: args.top]:
        print(f"  +{r['gain']:<3d} {r['kind']!r:36s} gold {r['gold']}  system {r['system']}")
    return 0


def _reuters_jsonl(args: argparse.Namespace) -> int:
    from dateline.tools import reuters

    n = reuters.to_jsonl(args.reuters, args.out, limit=args.limit)
    print(f"wrote {n} articles to {args.out}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dateline", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("timex", help="tag time expressions in a text (JSON lines)")
    p.add_argument("text")
    p.add_argument("--dct", help="document creation (publication) date, YYYY-MM-DD")
    p.set_defaults(run=_timex)
    p = sub.add_parser("eval-semeval", help="SemEval-2015 TimeLine: entity timelines scored by the official scorer")
    p.add_argument("--trial", required=True, help="folder with documents/, gold-timelines/ and scorer/")
    p.add_argument("--out", default="reports/eval-semeval")
    p.add_argument("--python", default="env PYENV_VERSION=2.7.18 python", help="a Python 2.7 for the scorer")
    p.add_argument("--root", default=".")
    p.set_defaults(run=_eval_semeval)
    p = sub.add_parser("entity-timeline", help="an entity's timeline over a built corpus, in SemEval-2015 TimeLine's "
                       "format (order, anchor, doc_id-sent_id-trigger)")
    p.add_argument("entity", help="the entity's name (or one of its aliases)")
    p.add_argument("--corpus", default="tikrit")
    p.add_argument("--out-dir", help="write timeline-<entity>.txt there (default: standard output)")
    p.add_argument("--root", default=".")
    p.set_defaults(run=_entity_timeline)
    p = sub.add_parser("eval-meantime", help="MEANTIME: (event, participant) pairs and roles against the gold links")
    p.add_argument("--corpus", required=True, help="a MEANTIME folder with intra-doc/*.xml")
    p.add_argument("--out", default="reports/eval-meantime")
    p.add_argument("--root", default=".")
    p.set_defaults(run=_eval_meantime)
    p = sub.add_parser("bench-memory", help="peak RSS of each stage on one document of each size")
    p.add_argument("--sizes", default="50000,1000000,5000000")
    p.add_argument("--max-chars", type=int, default=1_000_000)
    p.add_argument("--root", default=".")
    p.set_defaults(run=_bench_memory)
    p = sub.add_parser("bench-clean", help="dateline accuracy and throughput of stage 01 on Reuters-21578")
    p.add_argument("--reuters", required=True, help="folder of reut2-*.sgm")
    p.add_argument("--n", type=int, default=None, help="articles for the throughput run (default: all)")
    p.set_defaults(run=_bench_clean)
    p = sub.add_parser("eval-entities", help="score canonical entities and alias merges against a gold file")
    p.add_argument("--gold", default="tests/gold/entities.yaml")
    p.add_argument("--root", default=".", help="project root: its gold corpora are built there with make first")
    p.add_argument("--errors", action="store_true", help="list every spurious and missed entity and merge")
    p.set_defaults(run=_eval_entities)
    p = sub.add_parser("eval-timeline", help="score dated events (date, trigger, main actor) against a gold file")
    p.add_argument("--gold", default="tests/gold/timelines.yaml")
    p.add_argument("--root", default=".", help="project root: its gold corpora are built there with make first")
    p.add_argument("--errors", action="store_true")
    p.set_defaults(run=_eval_timeline)
    p = sub.add_parser("eval-key-dates", help="date F1 of the key dates of story corpora against their true dates")
    p.add_argument("stories", nargs="+", help="folders of a JSONL corpus and its key_dates.yaml")
    p.add_argument("--root", default=".", help="project root: copied, and each story built there with make")
    p.set_defaults(run=_eval_key_dates)
    p = sub.add_parser("bench-timex", help="documents/s of the temporal tagger (TimeML folder, else Wikinews)")
    p.add_argument("--timeml", default="../shared/data/timeml/TBAQ-cleaned")
    p.add_argument("--root", default=".")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.set_defaults(run=_bench_timex)
    p = sub.add_parser("bench-nlp", help="words/s of stages 02 and 03 against bare nlp.pipe on a corpus")
    p.add_argument("--corpus", default="wikinews")
    p.add_argument("--root", default=".")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.set_defaults(run=_bench_nlp)
    p = sub.add_parser("bench", help="make report on 1k/5k/all Reuters-21578 articles: time, memory, bare spaCy")
    p.add_argument("--reuters", required=True, help="folder of reut2-*.sgm")
    p.add_argument("--sizes", default="1000,5000,18000")
    p.add_argument("--root", default=".")
    p.add_argument("--out", default="reports/bench")
    p.add_argument("--model", default=DEFAULT_MODEL)
    p.set_defaults(run=_bench)
    p = sub.add_parser("timeml", help="TimeML: annotate files with TIMEX3 tags, or score them against gold")
    timeml_sub = p.add_subparsers(dest="timeml_command", required=True)
    q = timeml_sub.add_parser("annotate", help="tag the TEXT of .tml files (a file or a folder) into OUT")
    q.add_argument("input")
    q.add_argument("output")
    q.add_argument("--model", default=DEFAULT_MODEL)
    q.set_defaults(run=_timeml_annotate)
    q = timeml_sub.add_parser("from-cat", help="MEANTIME CAT documents as TimeML gold: the sentences annotated in "
                              "full, their TIMEX3 tags, the creation time as DCT")
    q.add_argument("input", help="folder of CAT .xml files (MEANTIME's intra-doc/)")
    q.add_argument("output")
    q.set_defaults(run=_timeml_from_cat)
    q = timeml_sub.add_parser("score", help="TempEval-3 scores of SYSTEM .tml files against GOLD")
    q.add_argument("gold")
    q.add_argument("system")
    q.add_argument("--errors", type=int, default=0, help="list up to N errors of each kind")
    q.set_defaults(run=_timeml_score)
    q = timeml_sub.add_parser("conventions", help="the value shapes GOLD writes for each kind of expression against "
                              "SYSTEM's, and what taking GOLD's most frequent one would gain")
    q.add_argument("gold")
    q.add_argument("system")
    q.add_argument("--top", type=int, default=25, help="list the N kinds with the largest gain")
    q.set_defaults(run=_timeml_conventions)
    p = sub.add_parser("reuters-jsonl", help="convert Reuters-21578 into a .jsonl corpus file")
    p.add_argument("--reuters", required=True, help="folder of reut2-*.sgm")
    p.add_argument("out")
    p.add_argument("--limit", type=int, default=None)
    p.set_defaults(run=_reuters_jsonl)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
