"""What make guarantees a user: odd file names, parameters checked before anything runs and followed when they
change, logs that keep every line, bad corpus names refused, interrupted runs that leave nothing behind."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dateline import params, provenance
from tests.conftest import ROOT

VENV = Path(sys.prefix)
ARTICLES = ("The city council of Kyiv met on Tuesday to approve a new budget, officials said.",
            "Heavy rain flooded three villages near Lviv on Sunday; the army sent boats.",
            "Shares of Acme Corp. fell 4 percent on Monday after the company cut its forecast.",
            "The new bridge over the Dnipro opened to traffic on Friday, two years late.",
            "Farmers in Poltava began the wheat harvest early this week after a dry spring.",
            "The Ukrainian parliament passed a law on Thursday that raises the minimum wage.")
# Names a filesystem allows that make cannot name in a rule: spaces, quotes, $, :, #, non-ASCII.
ODD_NAMES = ("a06 Lind sworn in.txt", "it's \"quoted\".txt", "$HOME and $(pwd).txt", "10:30 update.txt",
             "#1 story.txt", "Zürich café.txt")


def make(project: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "-C", str(project), *provenance.with_environment(VENV), *args],
                          capture_output=True, text=True, timeout=900, **kwargs)


def outputs(project: Path, corpus: str) -> dict[str, str]:
    return provenance.hashes(project, provenance.output_files(project, corpus))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = provenance.copy_project(ROOT, tmp_path_factory.mktemp("project"))
    raw = root / "data" / "raw" / "odd"
    raw.mkdir(parents=True)
    for name, text in zip(ODD_NAMES, ARTICLES, strict=True):
        (raw / name).write_text(f"Story {name}\n\n{text}\n", encoding="utf-8")
    return root


def test_a_bad_corpus_name_is_refused_before_anything_is_written(project):
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    for bad in ("my corpus", "../x", "x/y", ".hidden", "a'b"):
        result = make(project, "report", f"CORPUS={bad}")
        assert result.returncode != 0
        assert "is not a corpus name" in result.stderr, result.stderr
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


@pytest.mark.slow
def test_odd_file_names_are_read_and_the_log_keeps_every_stage(project):
    log = project / "make.log"
    with open(log, "w") as out:  # `make report > log 2>&1`: one file for both streams
        result = subprocess.run(["make", "-C", str(project), *provenance.with_environment(VENV), "report",
                                 "CORPUS=odd"], stdout=out, stderr=subprocess.STDOUT, timeout=900)
    text = log.read_text()
    assert result.returncode == 0, text[-3000:]
    headers = [line.split(":")[0] for line in text.splitlines() if line.startswith("== stage")]
    assert headers == [f"== stage {s} (odd)" for s in params.NOTEBOOKS], text[-3000:]
    assert "documents in 6 = kept 6" in text
    assert "Passed unknown parameter" not in text and "without encryption" not in text
    assert make(project, "-q", "report", "CORPUS=odd").returncode == 0


@pytest.mark.slow
def test_an_edited_or_deleted_input_with_an_odd_name_reruns(project):
    path = project / "data/raw/odd" / ODD_NAMES[0]
    time.sleep(0.01)
    path.write_text("Another story\n\nThe mayor of Odesa resigned on Wednesday.\n", encoding="utf-8")
    assert make(project, "-q", "report", "CORPUS=odd").returncode != 0
    path.unlink()
    assert make(project, "-q", "report", "CORPUS=odd").returncode != 0
    result = make(project, "report", "CORPUS=odd")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "documents in 5 = kept 5" in result.stderr


@pytest.mark.slow
def test_bad_parameters_fail_before_any_stage_and_delete_nothing(project):
    before = outputs(project, "odd")
    assert before
    file = project / "params/odd.yaml"
    cases = {
        "top_entities: 5\ncolumns:\n  published: [1\n": ["params/odd.yaml, line 4", "not valid YAML"],
        "top_entities: 5\nn_process: \"two\"\n": ["params/odd.yaml, line 2", "n_process", "'two'", "expected an int"],
        "strict: maybe\n": ["line 1", "strict", "expected true or false"],
        "corpus: other\n": ["corpus is set by make"],
        "executor: spark\n": ["executor", "'spark'", "expected one of 'local', 'dask'"],
    }
    for text, expected in cases.items():
        file.write_text(text)
        result = make(project, "report", "CORPUS=odd")
        assert result.returncode != 0
        for part in expected:
            assert part in result.stderr, (part, result.stderr)
        assert "== stage" not in result.stdout + result.stderr
        assert outputs(project, "odd") == before
    file.unlink()
    assert make(project, "report", "CORPUS=odd").returncode == 0  # the params changed twice: a rerun, same bytes
    assert outputs(project, "odd") == before


@pytest.mark.slow
def test_a_deleted_params_file_reruns_and_an_unknown_key_is_a_warning(project):
    file = project / "params/odd.yaml"
    file.write_text("top_entities: 3\nno_such_parameter: 1\n")
    result = make(project, "report", "CORPUS=odd")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.count("no_such_parameter") == 1 and "known parameters: " in result.stderr
    assert "\"top_entities\": 3" in (project / "reports/odd/executed/04_report.ipynb").read_text()
    file.unlink()
    assert make(project, "-q", "report", "CORPUS=odd").returncode != 0
    assert make(project, "report", "CORPUS=odd").returncode == 0
    assert "\"top_entities\": 3" not in (project / "reports/odd/executed/04_report.ipynb").read_text()
    rows = provenance.verify(project, "odd", venv=VENV)
    assert all(status == "match" for _, status in rows), rows


def _interrupt(project: Path, corpus: str, stage: str, signum: int, whom: str) -> int:
    """Start `make report`, send ``signum`` to make alone or its process group once ``stage`` runs; make's status."""
    log = project / "interrupt.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(["make", "-C", str(project), *provenance.with_environment(VENV), "report",
                                 f"CORPUS={corpus}"],
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 600
        while f"== stage {stage}" not in log.read_text() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
        time.sleep(0.5)
        (os.killpg if whom == "group" else os.kill)(proc.pid, signum)
        return proc.wait(timeout=600)


def _leftovers(project: Path) -> list[str]:
    """Processes working in the project (a kernel runs in its notebooks/, its workers too)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if str(proc.joinpath("cwd").readlink()).startswith(str(project)):
                found.append(proc.joinpath("cmdline").read_text().replace("\0", " "))
        except OSError:
            continue
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "whom", "stage"), [(signal.SIGTERM, "group", "02_entities"),
                                                      (signal.SIGTERM, "make", "03_timeline"),
                                                      (signal.SIGINT, "make", "02_entities")])
def test_an_interrupted_run_leaves_no_process_and_the_next_run_is_a_clean_run(project, signum, whom, stage):
    clean = outputs(project, "odd")
    shutil.rmtree(project / "data/processed/odd")
    (project / "data/cache").exists() and shutil.rmtree(project / "data/cache")  # the NLP really runs
    _interrupt(project, "odd", stage, signum, whom)
    time.sleep(1)
    assert _leftovers(project) == []
    result = make(project, "report", "CORPUS=odd")
    assert result.returncode == 0, result.stderr[-3000:]
    assert not [p for d in ("data/interim/odd", "data/processed/odd", "reports/odd/executed")
                for p in (project / d).glob(".*") if p.name.endswith(".tmp") or ".running." in p.name]
    assert outputs(project, "odd") == clean


def test_make_help_lists_one_target_a_line():
    result = subprocess.run(["make", "-s", "-C", str(ROOT), "help"], capture_output=True, text=True)
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) >= 20
    assert all(line.split()[0] and not line.startswith(" ") for line in lines), lines
    assert {"report", "test", "verify", "clean", "help"} <= {line.split()[0] for line in lines}


def test_verify_copies_a_corpus_with_its_links_as_the_pipeline_reads_it(tmp_path):
    raw, outside = tmp_path / "raw", tmp_path / "outside.txt"
    raw.mkdir()
    outside.write_text("x")
    (raw / "a.txt").write_text("a")
    (raw / "in_absolute.txt").symlink_to(raw / "a.txt")
    (raw / "in_relative.txt").symlink_to("a.txt")
    (raw / "out.txt").symlink_to(outside)
    provenance.copy_raw(raw, tmp_path / "copy")
    copy = tmp_path / "copy"
    assert (copy / "in_absolute.txt").resolve() == (copy / "a.txt").resolve()
    assert (copy / "in_relative.txt").resolve() == (copy / "a.txt").resolve()
    assert (copy / "out.txt").is_symlink() and (copy / "out.txt").resolve() == outside.resolve()
