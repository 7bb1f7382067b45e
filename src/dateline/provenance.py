"""Provenance: a manifest of what a report follows from, and a check that a rerun gives the same bytes.

``reports/<corpus>/manifest.json`` holds the sha256 of every input (raw files, the params file) and every output,
each stage's parameters (from the executed notebooks), the versions of the installed packages, the spaCy model,
the Python version, and the git commit with whether the tree was dirty. No timestamps: the same inputs and
environment give the same manifest.

    python -m dateline.provenance write CORPUS      write the manifest (make does, after the report)
    python -m dateline.provenance check CORPUS      name the raw files that changed since the manifest
    python -m dateline.provenance verify CORPUS     rerun the pipeline in a temporary copy and compare outputs
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from fnmatch import fnmatch
from pathlib import Path

import nbformat

from dateline.config import corpus_paths
from dateline.io import write_text

MANIFEST = "manifest.json"
STAGES = ("01_clean", "02_entities", "03_timeline", "04_report")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def input_files(root: Path, corpus: str) -> list[Path]:
    paths = corpus_paths(corpus, root)
    params = root / "params" / f"{corpus}.yaml"
    return _files(paths.raw) + ([params] if params.exists() else [])


# the manifest itself; what `make pdf` and `make entity-timeline` write on request (name patterns)
NOT_REPORT_OUTPUTS = (MANIFEST, "report.pdf", "timeline-*.txt")


def output_files(root: Path, corpus: str) -> list[Path]:
    """The files `make report` writes for ``corpus``."""
    paths = corpus_paths(corpus, root)
    found = []
    for folder in (paths.interim, paths.processed, paths.reports):
        if folder.is_dir():
            found += [p for p in _files(folder) if not any(fnmatch(p.name, n) for n in NOT_REPORT_OUTPUTS)]
    return found


def hashes(root: Path, files: list[Path]) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256(p) for p in files}


def environment() -> dict:
    """Python, every installed distribution with its version, and the spaCy model packages among them."""
    metadata = [d.metadata for d in importlib.metadata.distributions()]  # parsed from its file at each access
    packages = {m["Name"]: m["Version"] for m in metadata if m["Name"]}
    packages = dict(sorted(packages.items(), key=lambda kv: kv[0].lower()))
    models = {name: version for name, version in packages.items()
              if name.lower().replace("_", "-").startswith("en-core")}
    return {"python": platform.python_version(), "packages": packages, "spacy_models": models}


def git_state(root: Path) -> dict:
    """The commit of the code and whether tracked files were changed; ``make verify`` passes the original's on
    (DATELINE_GIT_COMMIT, DATELINE_GIT_DIRTY) to its copy, which is no git checkout."""
    if "DATELINE_GIT_COMMIT" in os.environ:
        return {"commit": os.environ["DATELINE_GIT_COMMIT"] or None,
                "dirty": os.environ.get("DATELINE_GIT_DIRTY") == "1"}
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True)
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=root,
                                capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit.stdout.strip(), "dirty": bool(status.stdout.strip())}


def stage_parameters(root: Path, corpus: str) -> dict:
    executed = corpus_paths(corpus, root).reports / "executed"
    out = {}
    for stage in STAGES:
        path = executed / f"{stage}.ipynb"
        if path.exists():
            nb = nbformat.read(path, as_version=4)
            out[stage] = nb.metadata.get("papermill", {}).get("parameters", {})
    return out


def build(root: Path, corpus: str) -> dict:
    return {"corpus": corpus, "inputs": hashes(root, input_files(root, corpus)),
            "outputs": hashes(root, output_files(root, corpus)), "parameters": stage_parameters(root, corpus),
            "environment": environment(), "git": git_state(root)}


def write(root: Path, corpus: str) -> Path:
    path = corpus_paths(corpus, root).reports / MANIFEST
    write_text(json.dumps(build(root, corpus), indent=1, sort_keys=True) + "\n", path)
    return path


def load(root: Path, corpus: str) -> dict | None:
    path = corpus_paths(corpus, root).reports / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def changed_inputs(root: Path, corpus: str) -> list[tuple[str, str]]:
    """``(file, changed | added | removed)`` for raw inputs that differ from the manifest (none without one)."""
    manifest = load(root, corpus)
    if manifest is None:
        return []
    now, then = hashes(root, input_files(root, corpus)), manifest["inputs"]
    return sorted([(f, "changed") for f in now if f in then and now[f] != then[f]]
                  + [(f, "added") for f in now if f not in then] + [(f, "removed") for f in then if f not in now])


PROJECT_FILES = ("Makefile", "pyproject.toml", "requirements.lock")
PROJECT_FOLDERS = ("notebooks", "src", "params")


def with_environment(venv: str | Path) -> list[str]:
    """make's arguments for running a project copy with an environment already set up: used as it is, its install
    stamp taken as up to date (``make -o``), so that the copy never reinstalls itself into it (which would leave
    the environment pointing at the copy once it is gone)."""
    return [f"VENV={venv}", f"STAMP={venv}/pyvenv.cfg", "-o", f"{venv}/pyvenv.cfg"]


def copy_project(root: Path, dest: Path) -> Path:
    """A copy of the project's code (Makefile, notebooks, package, params) in ``dest``, without any data: run
    ``make -C dest ... VENV=<an existing venv>`` to rerun the pipeline there."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(root / name, dest / name)
    for name in PROJECT_FOLDERS:
        if (root / name).is_dir():
            shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return dest


def copy_raw(raw: Path, dest: Path) -> None:
    """A corpus folder copied as the pipeline reads it: links stay links, and one to a file inside the folder
    points to the same file inside the copy (a link outside is refused by stage 01, in the copy as here)."""
    shutil.copytree(raw, dest, symlinks=True)
    inside = raw.resolve()
    for link in (p for p in dest.rglob("*") if p.is_symlink() and Path(os.readlink(p)).is_absolute()):
        target = Path(os.readlink(link)).resolve()  # a relative link inside the folder is right as it is
        if target.is_relative_to(inside):
            link.unlink()
            link.symlink_to(os.path.relpath(dest / target.relative_to(inside), link.parent))


def verify(root: Path, corpus: str, *, venv: Path) -> list[tuple[str, str]]:
    """Rerun the pipeline from data/raw in a temporary copy; ``(output, match | MISMATCH | missing | extra)``."""
    manifest = load(root, corpus)
    if manifest is None:
        raise FileNotFoundError(f"no {MANIFEST} for {corpus!r}: run `make report CORPUS={corpus}` first")
    with tempfile.TemporaryDirectory(prefix="dateline-verify-") as tmp:
        copy = copy_project(root, Path(tmp))
        copy_raw(corpus_paths(corpus, root).raw, corpus_paths(corpus, copy).raw)
        git = git_state(root)
        env = os.environ | {"DATELINE_GIT_COMMIT": git["commit"] or "",
                            "DATELINE_GIT_DIRTY": "1" if git["dirty"] else "0"}
        run = subprocess.run(["make", "-C", str(copy), "report", f"CORPUS={corpus}", *with_environment(venv)],
                             capture_output=True, text=True, env=env)
        if run.returncode != 0:
            raise RuntimeError(f"the rerun failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
        again = hashes(copy, output_files(copy, corpus))
    expected = manifest["outputs"]
    rows = [(f, "match" if again.get(f) == h else "missing" if f not in again else "MISMATCH")
            for f, h in sorted(expected.items())]
    return rows + [(f, "extra") for f in sorted(set(again) - set(expected))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dateline.provenance")
    parser.add_argument("command", choices=("write", "check", "verify"))
    parser.add_argument("corpus")
    parser.add_argument("--root", default=".")
    parser.add_argument("--venv", default=".venv")
    args = parser.parse_args(argv)
    root = Path(args.root)
    if args.command == "write":
        print(f"wrote {write(root, args.corpus)}")
        return 0
    if args.command == "check":
        for name, what in changed_inputs(root, args.corpus):
            print(f"raw input {what} since the manifest: {name}")
        return 0
    rows = verify(root, args.corpus, venv=Path(args.venv).resolve())
    width = max(len(f) for f, _ in rows)
    for name, status in rows:
        print(f"{name:{width}s}  {status}")
    bad = [r for r in rows if r[1] != "match"]
    print(f"{len(rows) - len(bad)} of {len(rows)} outputs identical" + (f"; {len(bad)} differ" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
