"""Replay, on a fresh clone, the probes of a new user that once broke the pipeline (issue 22): huge documents, odd
file names, redirected logs, bad and deleted parameters, interrupts, links, bad corpus names, datelines, dates,
languages, markup, CSV columns, encodings, a corrupt cache, make's help.

    .venv/bin/python tests/probes/replay.py [--venv .venv] [--keep]

It clones this repository's HEAD into a temporary folder and runs `make` there with the given environment (so the
clone needs no setup of its own); it prints one line per probe and exits non-zero if any failed. Not part of
`make test`: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = {
    "a06 Lind sworn in.txt": "Lind sworn in\n\nGovernor Anna Lind was sworn in on Monday in Karlstad.\n",
    "it's \"quoted\" $HOME: #1 café.txt": "Budget passed\n\nThe council of Umeå passed its budget on Tuesday.\n",
    "zurich.txt": "Bank results\n\nZÜRICH — The bank Helvetia Credit reported a loss on Wednesday.\n",
    "sao.txt": "Brazil vote\n\nSÃO PAULO (AP) — Brazilians voted on Sunday in a runoff for governor.\n",
    "kelston.txt": "Deal reached\n\nKELSTON, Oct 2 (Wire) - The union reached a deal on Friday night.\n",
    "valden.txt": "Polls open\n\nVALDEN (NW) — Voters went to the polls on Thursday in the capital.\n",
    "markup.txt": "Markup\n\n<p><b>John Smith</b> met the mayor of Lisbon on Friday.</p>\n",
    "french.txt": "Le budget\n\nLe conseil municipal s'est réuni mardi pour approuver un nouveau budget, a annoncé "
                  "le maire de la ville devant la presse.\n\nLes syndicats ont dénoncé un texte insuffisant et "
                  "appellent à une manifestation le 12 mars.\n",
    "only_dateline.txt": "Nothing\n\nVALDEN (NW) —\n",
}


class Probe:
    def __init__(self, venv: Path, keep: bool):
        self.venv, self.keep, self.failed = venv, keep, []
        self.tmp = Path(tempfile.mkdtemp(prefix="dateline-probes-"))
        self.clone = self.tmp / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(self.clone)], check=True)
        for name in ("requirements.lock", "pyproject.toml"):  # as old as the environment's: make keeps it as it is
            stat = (ROOT / name).stat()
            os.utime(self.clone / name, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    def make(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "-C", str(self.clone), f"VENV={self.venv}", *args], capture_output=True,
                              text=True, timeout=1200, **kwargs)

    def check(self, name: str, test) -> None:
        try:
            test()
            print(f"PASS  {name}", flush=True)
        except Exception:  # a probe that fails in any way is reported, and the others still run
            self.failed.append(name)
            print(f"FAIL  {name}\n{traceback.format_exc(limit=3)}", flush=True)

    def outputs(self, corpus: str) -> dict[str, str]:
        from dateline import provenance  # the clone's code is the same commit as this one

        return provenance.hashes(self.clone, provenance.output_files(self.clone, corpus))

    def corpus(self, name: str) -> Path:
        raw = self.clone / "data" / "raw" / name
        raw.mkdir(parents=True, exist_ok=True)
        return raw

    def close(self) -> None:
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--venv", default=str(ROOT / ".venv"))
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = parser.parse_args()
    p = Probe(Path(args.venv).resolve(), args.keep)
    print(f"clone: {p.clone}")
    try:
        run(p)
    finally:
        p.close()
    print(f"{len(p.failed)} probe(s) failed: {p.failed}" if p.failed else "every probe passed")
    return 1 if p.failed else 0


def run(p: Probe) -> None:
    raw = p.corpus("user")
    for name, text in ARTICLES.items():
        (raw / name).write_text(text, encoding="utf-8")
    (raw / "big.txt").write_text("Big\n\n" + "".join(f"Sentence {i} of a very long file.\n" for i in range(150_000)),
                                 encoding="utf-8")  # 5 MB
    (raw / "future.jsonl").write_text(json.dumps({"title": "Future", "text": "The council met.",
                                                  "published": "3000-01-01"}) + "\n", encoding="utf-8")
    (raw / "rows.csv").write_text("id,title,body\n1,A,Some text.\n", encoding="utf-8")
    (raw / "utf16.txt").write_bytes("Headline\n\nThe port of Tallinn reopened on Monday.\n".encode("utf-16-le"))
    outside = p.tmp / "outside.txt"
    outside.write_text("Outside\n\nText from elsewhere.\n", encoding="utf-8")
    (raw / "link_out.txt").symlink_to(outside)
    (raw / "link_in.txt").symlink_to(raw / "zurich.txt")
    log = p.tmp / "make.log"

    def report_with_log_in_one_file():
        with open(log, "w") as out:
            done = subprocess.run(["make", "-C", str(p.clone), f"VENV={p.venv}", "report", "CORPUS=user"],
                                  stdout=out, stderr=subprocess.STDOUT, timeout=1200)
        text = log.read_text()
        assert done.returncode == 0, text[-3000:]
        assert [ln.split(":")[0] for ln in text.splitlines() if ln.startswith("== stage")] == [
            f"== stage {s} (user)" for s in ("01_clean", "02_entities", "03_timeline", "04_report")]
        assert "Passed unknown parameter" not in text and "without encryption" not in text
    p.check("odd file names, and `make report > log 2>&1` keeps every stage's lines", report_with_log_in_one_file)

    interim = p.clone / "data/interim/user"
    rejected = pd.read_csv(interim / "rejected.csv").set_index("file")["reason"]
    documents = pd.read_parquet(interim / "documents.parquet").set_index("file")
    mentions = pd.read_parquet(p.clone / "data/processed/user/mentions.parquet")

    def rejections():
        assert "max_document_chars" in rejected["big.txt"]
        assert "in the future" in rejected["future.jsonl"]
        assert "no 'text' column" in rejected["rows.csv"] and "'body'" in rejected["rows.csv"]
        assert "outside the corpus folder" in rejected["link_out.txt"]
        assert "only a dateline" in rejected["only_dateline.txt"]
        assert len(rejected) == 5, rejected
    p.check("big, future, CSV without text, link outside, dateline only: rejected with reasons", rejections)

    def kept():
        places = documents["dateline_place"]
        assert "link_in.txt" in places.index  # a link inside the folder is read (here, as a copy of zurich.txt)
        assert (places["link_in.txt"], places["sao.txt"], places["kelston.txt"], places["valden.txt"]) == (
            "Zürich", "São Paulo", "Kelston", "Valden")
        assert "a06 Lind sworn in.txt" in documents.index and "it's \"quoted\" $HOME: #1 café.txt" in documents.index
        assert documents.loc["utf16.txt", "encoding"] == "utf-16-le"
        assert documents.loc["french.txt", "english_share"] < 0.5
        assert "John Smith" in set(mentions["text"]) and not mentions["text"].str.contains("<").any()
        assert not mentions["text"].isin(["Kelston", "Valden", "Zürich"]).any()  # datelines are not actors
    p.check("datelines, odd names, UTF-16 without BOM, French, markup: read right", kept)

    p.check("a second run does nothing", lambda: p.make("-q", "report", "CORPUS=user").returncode == 0 or 1 / 0)

    def bad_params():
        before = p.outputs("user")
        params = p.clone / "params/user.yaml"
        params.write_text("top_entities: 5\nn_process: \"two\"\n")
        result = p.make("report", "CORPUS=user")
        assert result.returncode != 0 and "params/user.yaml, line 2: n_process: 'two'" in result.stderr
        params.write_text("columns:\n  published: [1\n")
        result = p.make("report", "CORPUS=user")
        assert result.returncode != 0 and "not valid YAML" in result.stderr
        assert p.outputs("user") == before
        params.write_text("top_entities: 3\n")
        assert p.make("report", "CORPUS=user").returncode == 0
        params.unlink()
        assert p.make("-q", "report", "CORPUS=user").returncode != 0  # outputs follow the parameters in force
        assert p.make("report", "CORPUS=user").returncode == 0
    p.check("bad parameters stop make and delete nothing; a deleted params file reruns", bad_params)

    def bad_corpus_names():
        before = sorted(p.clone.rglob("*"))
        for bad in ("my corpus", "../x"):
            result = p.make("report", f"CORPUS={bad}")
            assert result.returncode != 0 and "is not a corpus name" in result.stderr
        assert sorted(p.clone.rglob("*")) == before
    p.check("a bad CORPUS is refused before any side effect", bad_corpus_names)

    def interrupts():
        clean = p.outputs("user")
        for signum, whom, stage in ((signal.SIGINT, "make", "02_entities"), (signal.SIGTERM, "group", "03_timeline")):
            shutil.rmtree(p.clone / "data/processed/user")
            shutil.rmtree(p.clone / "data/cache", ignore_errors=True)
            with open(log, "w") as out:
                proc = subprocess.Popen(["make", "-C", str(p.clone), f"VENV={p.venv}", "report", "CORPUS=user"],
                                        stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
                while f"== stage {stage}" not in log.read_text() and proc.poll() is None:
                    time.sleep(0.05)
                time.sleep(0.5)
                (os.killpg if whom == "group" else os.kill)(proc.pid, signum)
                proc.wait(timeout=600)
            time.sleep(1)
            left = [c for c in Path("/proc").glob("[0-9]*") if _cwd(c).startswith(str(p.clone))]
            assert not left, left
            assert p.make("report", "CORPUS=user").returncode == 0
            assert p.outputs("user") == clean
            temporaries = [f for d in ("data/interim/user", "data/processed/user", "reports/user/executed")
                           for f in (p.clone / d).glob(".*") if f.name.endswith(".tmp") or ".running." in f.name]
            assert not temporaries, temporaries
        result = subprocess.run([sys.executable, "-m", "dateline.provenance", "verify", "user", "--root",
                                 str(p.clone), "--venv", str(p.venv)], capture_output=True, text=True,
                                cwd=p.clone, env=os.environ | {"PYTHONPATH": str(p.clone / "src")})
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    p.check("SIGINT to make alone, SIGTERM to its group: no process left, the next run is a clean run", interrupts)

    def corrupt_cache():
        cache = p.clone / "data/cache/nlp.sqlite"
        cache.write_bytes(b"not a database" * 100)
        shutil.rmtree(p.clone / "data/processed/user")
        result = p.make("report", "CORPUS=user")
        assert result.returncode == 0 and "could not be read" in result.stderr and str(cache.name) in result.stderr
    p.check("a corrupt NLP cache is moved aside and rebuilt", corrupt_cache)

    def conveniences():
        help_lines = p.make("-s", "help").stdout.splitlines()
        assert help_lines and not any(line.startswith(" ") for line in help_lines)
        if os.geteuid() == 0:
            assert "--allow-root" in p.make("-n", "lab").stdout
        page = (p.clone / "reports/user/report.html").read_text(encoding="utf-8")
        assert " files, sha256" in page or " file, sha256" in page
    p.check("make help, make lab as root, the provenance table", conveniences)

    def no_network():
        if os.geteuid() != 0 or not shutil.which("unshare"):
            return
        (p.clone / "notebooks/04_report.ipynb").touch()
        result = subprocess.run(["unshare", "-n", "make", "-C", str(p.clone), f"VENV={p.venv}", "report",
                                 "CORPUS=user"], capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
    p.check("no network at all (unshare -n): the report still builds", no_network)


def _cwd(proc: Path) -> str:
    try:
        return str(proc.joinpath("cwd").readlink())
    except OSError:
        return ""


if __name__ == "__main__":
    sys.exit(main())
