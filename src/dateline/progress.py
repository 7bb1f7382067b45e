"""What a stage tells make's log while it runs: progress bars (tqdm) on corpora large enough to wait for, and
``log`` lines such as how many texts came from the cache.

papermill passes the kernel's stderr to make's log (``--stderr-file /dev/stderr``), so they show while a stage
runs; ``dateline.notebook`` drops them from the executed notebooks, which would otherwise differ from run to run.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")
MIN_ITEMS = 200  # fewer documents than this finish before a bar would say anything useful
BAR = re.compile(r"^[^\n]*\|[^\n]*\| *\d+/\d+ \[[^\n]*\]\s*$")  # one line of a tqdm bar
LOG_PREFIX = "[dateline] "


def progress(items: Iterable[T], *, total: int, desc: str, unit: str = "doc") -> Iterator[T]:
    """``items``, with a bar on stderr when there are at least ``MIN_ITEMS`` of them."""
    return iter(bar(items, total=total, desc=desc, unit=unit))


def bar(items: Iterable | None = None, *, total: int, desc: str, unit: str = "doc") -> tqdm:
    """A bar on stderr when ``total`` is at least ``MIN_ITEMS``; without ``items``, advanced by hand (``update``)."""
    return tqdm(items, total=total, desc=desc, disable=total < MIN_ITEMS, file=sys.stderr, mininterval=5,
                ascii=True, ncols=90, unit=unit)


def log(message: str) -> None:
    """A line for make's log, not for the executed notebook."""
    print(LOG_PREFIX + message, file=sys.stderr, flush=True)


def is_progress_text(text: str) -> bool:
    """Whether a stderr stream holds nothing but progress bars and ``log`` lines."""
    lines = [line for line in re.split(r"[\r\n]+", text) if line.strip()]
    return bool(lines) and all(BAR.match(line) or line.startswith(LOG_PREFIX) for line in lines)
