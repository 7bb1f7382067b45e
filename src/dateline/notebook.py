"""Running a stage notebook, and executed notebooks without what changes from run to run.

``run`` is what make calls for each stage: it runs the notebook with papermill from ``notebooks/`` (as JupyterLab
does) with the parameters the notebook declares, and

- sends everything the stage prints to this process's own stdout and stderr (never reopening ``/dev/stderr``,
  which truncates a log the user redirected to);
- runs the kernel over IPC sockets, not TCP: no loopback needed, no unencrypted-TCP warning;
- writes the executed copy only when the stage ends, without papermill's and the kernel's timestamps, the random id
  of the injected-parameters cell, or progress bars, so executed copies differ only when results do;
- on a failure keeps the executed copy (for inspection) and removes the stage's other outputs: a stage leaves all
  of its outputs or none;
- on SIGINT, SIGTERM or SIGHUP, or when make goes away, stops the kernel and every process it started (NLP
  workers), removes the stage's outputs and temporary files, and exits;
- holds a lock per corpus while it runs and first removes temporary files that an earlier, killed run left.

Usage:
    python -m dateline.notebook run NOTEBOOK EXECUTED --corpus C [--params FILE] [-p NAME VALUE] --outputs FILE...
    python -m dateline.notebook EXECUTED.ipynb [...]    (normalise executed copies in place, atomically)
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import importlib
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

import nbformat
import yaml

from dateline.io import write_atomic
from dateline.processes import become_subreaper, stop_descendants
from dateline.progress import is_progress_text

_TIMING_KEYS = ("start_time", "end_time", "duration")
# Temporary files the stages write beside their outputs (dateline.io): any left when a stage starts under the
# corpus's lock belong to a run that was killed.
TEMPORARY_PATTERNS = (".*.tmp", ".*.running.ipynb")


def normalize(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    for key in _TIMING_KEYS:
        nb.metadata.get("papermill", {}).pop(key, None)
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        for key in _TIMING_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        if cell.get("outputs"):
            cell["outputs"] = [o for o in cell["outputs"] if not (o.get("output_type") == "stream" and o.get(
                "name") == "stderr" and is_progress_text(o.get("text", "")))]
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = f"injected-parameters-{index}"
    return nb


def normalize_file(path: str | Path, dest: str | Path | None = None) -> None:
    nb = normalize(nbformat.read(str(path), as_version=4))
    write_atomic(dest or path, lambda tmp: nbformat.write(nb, str(tmp)))


# ---------------------------------------------------------------------------------------------- signals


class Interrupted(BaseException):
    """A signal, or make gone: the stage stops."""


def _raise_interrupted(signum, frame) -> None:
    stop_descendants(grace=0)  # the kernel first, so that papermill's clean-up finds it gone, not half-way
    raise Interrupted(signal.Signals(signum).name)


def _watch_parent(parent: int, stop: threading.Event) -> None:
    """Make killed outright (a SIGINT to make alone lets the stage finish: make waits for it) leaves this process
    orphaned: stop as if interrupted."""
    while not stop.wait(0.5):
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            return


# ---------------------------------------------------------------------------------------------- running


def _kernel_manager_class(socket_dir: str):
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IPCKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self) -> str:
            return "ipc"

        @default("ip")
        def _default_ip(self) -> str:
            return os.path.join(socket_dir, "kernel")

        async def _async_interrupt_kernel(self) -> None:
            # jupyter_client interrupts a kernel before asking it to shut down. A stage's kernel is idle by then;
            # the interrupt only printed "KeyboardInterrupt caught in kernel" into make's output when it landed
            # in a message handler. A kernel that does not stop is still terminated, then killed.
            if not self.shutting_down:
                await super()._async_interrupt_kernel()

    return IPCKernelManager


def _remove(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def remove_stale_temporaries(folders: list[Path]) -> list[Path]:
    """Delete the temporary files a killed run left in ``folders``; return them."""
    stale = sorted({p for folder in folders if folder.is_dir() for pattern in TEMPORARY_PATTERNS
                    for p in folder.glob(pattern) if p.is_file()})
    _remove(stale)
    return stale


@contextlib.contextmanager
def corpus_lock(folder: Path):
    """One stage at a time per corpus: a second run waits for the first."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _stage_summary(stage: str, root: Path, corpus: str) -> str | None:
    """A line for the terminal after a stage: stage 01's accounting of the documents."""
    from dateline import params
    from dateline.config import corpus_paths

    if stage != params.NOTEBOOKS[0]:
        return None
    from dateline.io import read_csv

    paths = corpus_paths(corpus, root)
    counts = dict(read_csv(paths.summary).itertuples(index=False, name=None))
    return (f"documents in {counts['documents in']} = kept {counts['kept']} + merged as copies "
            f"{counts['merged as copies']} + rejected {counts['rejected']}"
            + (f" (the reasons: {paths.rejected})" if int(counts["rejected"]) else ""))


def run(notebook: Path, executed: Path, *, corpus: str, parameters: dict, outputs: list[Path],
        html: Path | None = None, root: Path = Path(".")) -> int:
    """Run one stage notebook (see the module's docstring); the exit status."""
    from dateline import params
    from dateline.config import corpus_paths

    stage = notebook.stem
    paths = corpus_paths(corpus, root)
    known = params.declared(str(notebook.parent))
    injected = params.for_notebook(parameters, stage, known) | {"corpus": corpus}
    executed.parent.mkdir(parents=True, exist_ok=True)
    running = executed.with_name(f".{executed.stem}.running.ipynb")
    socket_dir = tempfile.mkdtemp(prefix="dateline-kernel-")
    print(f"== stage {stage} ({corpus}): {notebook} -> {executed}", file=sys.stderr, flush=True)

    become_subreaper()
    parent_gone = threading.Event()
    previous = {s: signal.signal(s, _raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    threading.Thread(target=_watch_parent, args=(os.getppid(), parent_gone), daemon=True).start()
    folders = [paths.interim, paths.processed, paths.reports / "executed"]
    try:
        with corpus_lock(paths.interim):
            try:
                for stale in remove_stale_temporaries(folders):
                    print(f"removed {stale}, left by an interrupted run", file=sys.stderr)
                if stage == params.NOTEBOOKS[0]:
                    from dateline import provenance

                    for name, what in provenance.changed_inputs(root, corpus):
                        print(f"warning: raw input {what} since the last manifest: {name}", file=sys.stderr)
                return _execute(notebook, running, executed, injected=injected, outputs=outputs, html=html,
                                socket_dir=socket_dir, summary=lambda: _stage_summary(stage, root, corpus))
            except (Interrupted, KeyboardInterrupt) as why:
                stop_descendants()
                _remove(outputs)
                remove_stale_temporaries(folders)
                print(f"stage {stage} interrupted ({why or 'SIGINT'}): its outputs were removed; run make again",
                      file=sys.stderr)
                return 130
    finally:
        parent_gone.set()
        stop_descendants(patience=5.0)
        for s, handler in previous.items():
            signal.signal(s, handler)
        running.unlink(missing_ok=True)
        shutil.rmtree(socket_dir, ignore_errors=True)


def _execute(notebook: Path, running: Path, executed: Path, *, injected: dict, outputs: list[Path],
             html: Path | None, socket_dir: str, summary) -> int:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    if html is not None:  # nbconvert takes a second to import: done while the kernel runs (after papermill's imports)
        threading.Thread(target=importlib.import_module, args=("dateline.report.page",), daemon=True).start()

    stage = notebook.stem
    try:
        papermill.execute_notebook(
            str(notebook), str(running), parameters=injected, cwd=str(notebook.parent),
            progress_bar=sys.stderr.isatty(), stderr_file=sys.stderr,
            kernel_manager_class=_kernel_manager_class(socket_dir))
    except PapermillExecutionError as err:
        normalize_file(running, executed)
        _remove([p for p in outputs if p != executed])
        trace = "\n".join(err.traceback)
        print(trace if sys.stderr.isatty() else re.sub(r"\x1b\[[0-9;]*m", "", trace), file=sys.stderr)
        print(f"error: stage {stage} failed in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
              f"the executed notebook is kept for inspection: "
              f"{executed}; the stage's other outputs were removed", file=sys.stderr)
        return 1
    except Exception as err:  # the kernel died or would not start: nothing to inspect
        _remove(outputs)
        print(f"error: stage {stage} could not run: {type(err).__name__}: {err}\nthe stage's outputs were removed",
              file=sys.stderr)
        return 1
    normalize_file(running, executed)
    if html is not None:
        from dateline.io import write_text
        from dateline.report.page import render

        write_text(render(executed), html)
    line = summary()
    if line:
        print(line, file=sys.stderr)
    return 0


def _parameters(params_file: str | None, pairs: list[list[str]]) -> dict:
    from dateline import params

    values = params.read(params_file)[0] if params_file else {}
    for name, value in pairs:
        values[name] = yaml.safe_load(value) if value else ""
    return values


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["run"]:
        for path in args:
            normalize_file(path)
        return 0
    parser = argparse.ArgumentParser(prog="python -m dateline.notebook run")
    parser.add_argument("notebook", type=Path)
    parser.add_argument("executed", type=Path)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--params")
    parser.add_argument("-p", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"))
    parser.add_argument("--outputs", nargs="+", type=Path, default=[])
    parser.add_argument("--html", type=Path)
    opts = parser.parse_args(args[1:])
    sys.stdout.reconfigure(line_buffering=True)  # in order with make's own lines when both go to one file
    return run(opts.notebook, opts.executed, corpus=opts.corpus, parameters=_parameters(opts.params, opts.p),
               outputs=opts.outputs, html=opts.html)


if __name__ == "__main__":
    raise SystemExit(main())
