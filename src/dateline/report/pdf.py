"""report.html to report.pdf with headless Chromium: A4 pages (the page's print style sheet keeps figures whole).

Chromium stamps the PDF with the time it was made; the stamps are replaced by a fixed date of the same length
(so the file's offsets stay valid) and the same HTML gives the same PDF.

    python -m dateline.report.pdf REPORT.html REPORT.pdf [--chromium chromium]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from dateline.io import write_atomic

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-extensions", "--no-pdf-header-footer"]
_RE_PDF_DATE = re.compile(rb"\((D:\d{14}[^)]{0,8})\)")


def without_dates(pdf: bytes) -> bytes:
    """The PDF with every date string set to 2000-01-01 00:00, length for length."""
    return _RE_PDF_DATE.sub(lambda m: b"(D:20000101000000" + m.group(1)[16:] + b")", pdf)


def html_to_pdf(html_path: Path, pdf_path: Path, *, chromium: str = "chromium", timeout: int = 300) -> None:
    """Print ``html_path`` to ``pdf_path`` with headless Chromium (atomic: no half-written PDF on failure)."""
    executable = shutil.which(chromium)
    if executable is None:
        raise FileNotFoundError(f"{chromium}: not found; install Debian's chromium (make browser)")
    with tempfile.TemporaryDirectory(prefix="dateline-chromium-") as tmp:
        out = Path(tmp) / "report.pdf"
        result = subprocess.run([executable, *FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}",
                                 Path(html_path).resolve().as_uri()], capture_output=True, text=True,
                                timeout=timeout)
        if result.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            raise RuntimeError(f"{html_path}: Chromium could not print it:\n{result.stderr[-2000:]}")
        pdf = without_dates(out.read_bytes())
        write_atomic(pdf_path, lambda path: path.write_bytes(pdf))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dateline.report.pdf", description=__doc__.splitlines()[0])
    parser.add_argument("html", type=Path)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--chromium", default="chromium")
    args = parser.parse_args(argv)
    html_to_pdf(args.html, args.pdf, chromium=args.chromium)
    print(f"wrote {args.pdf}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
