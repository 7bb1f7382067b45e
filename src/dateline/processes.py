"""The processes a stage starts (its kernel, the kernel's NLP workers) end with it, however it ends.

Linux gives two tools, used where present and skipped elsewhere: a stage runner becomes a "subreaper", so workers
orphaned by a dying kernel become its children and can be stopped; and each worker asks to be killed when its parent
dies, so not even a SIGKILL of the kernel leaves one behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from pathlib import Path

_PR_SET_PDEATHSIG, _PR_SET_CHILD_SUBREAPER = 1, 36


def _prctl(option: int, value: int) -> None:
    with contextlib.suppress(Exception):  # not Linux, or no libc to call: the other safeguards remain
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


def become_subreaper() -> None:
    """Processes orphaned below this one become its children (so ``stop_descendants`` finds them)."""
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent() -> None:
    """This process gets SIGKILL when its parent dies: a pool initializer for worker processes."""
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def descendants() -> list[int]:
    """Every process below this one (read from /proc; empty where there is none)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = entry.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry.parent.name))
    found, todo = [], [os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def stop_descendants(grace: float = 3.0, *, patience: float = 0.0) -> None:
    """Wait up to ``patience`` seconds for the processes below this one to end by themselves (a kernel shutting
    down), then SIGTERM to every one left, SIGKILL to those still there after ``grace`` seconds (at once when
    ``grace`` is 0), and reap them."""
    deadline = time.monotonic() + patience
    while patience and time.monotonic() < deadline and descendants():
        _reap()
        time.sleep(0.05)
    if grace > 0:
        _signal_all(descendants(), signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and descendants():
            _reap()
            time.sleep(0.05)
    _signal_all(descendants(), signal.SIGKILL)
    time.sleep(0.05)
    _reap()


def _signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass
