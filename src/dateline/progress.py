"""Progress bars for the long loops of a stage (tqdm), shown only on corpora large enough to wait for.

papermill passes the kernel's stderr to make's log (``--stderr-file /dev/stderr``), so a bar shows while a stage
runs; ``dateline.notebook`` drops the bars from the executed notebooks, whose timings would differ every run.
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


def progress(items: Iterable[T], *, total: int, desc: str, unit: str = "doc") -> Iterator[T]:
    """``items``, with a bar on stderr when there are at least ``MIN_ITEMS`` of them."""
    return iter(tqdm(items, total=total, desc=desc, disable=total < MIN_ITEMS, file=sys.stderr, mininterval=5,
                     ascii=True, ncols=90, unit=unit))


def is_progress_text(text: str) -> bool:
    """Whether a stderr stream holds nothing but progress bars."""
    lines = [line for line in re.split(r"[\r\n]+", text) if line.strip()]
    return bool(lines) and all(BAR.match(line) for line in lines)
