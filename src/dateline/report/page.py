"""Render an executed report notebook as one self-contained HTML page, without code.

nbconvert's ``basic`` template gives the cells' HTML without any page chrome; we wrap it in a page with our own
style sheet, so the file loads no script, font or style from anywhere (its figures are embedded data URIs).

Usage: ``python -m dateline.report.page EXECUTED.ipynb OUT.html``
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

from dateline.io import write_text
from dateline.report.sections import esc

PAGE_CSS = """
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #222; margin: 0 auto;
  max-width: 72em; padding: 1.5em 2em 4em; font-size: 15px; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ddd; }
pre { white-space: pre-wrap; } .jp-OutputPrompt, .jp-InputPrompt { display: none; }
a.anchor-link { display: none; }
@page { size: A4; margin: 14mm 12mm; }
@media print { body { max-width: none; padding: 0; font-size: 11px; }
  figure, img, tr, .dl-doc p { break-inside: avoid; } h2, h3 { break-after: avoid; }
  figure.dl-fig img { max-height: 255mm; width: auto; max-width: 100%; } }
"""


def render(notebook_path: str | Path) -> str:
    """The executed notebook as a complete HTML page: outputs and Markdown only, no code, no prompts."""
    nb = nbformat.read(notebook_path, as_version=4)
    for index, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{index}"  # papermill gives its injected cell a random id: the page must not change
        if cell.cell_type == "code":  # printed text and warnings stay in the executed notebook; the page shows results
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True, anchor_link_text="")
    body, _ = exporter.from_notebook_node(nb)
    corpus = nb.metadata.get("papermill", {}).get("parameters", {}).get("corpus", "")
    title = f"dateline report: {corpus}" if corpus else "dateline report"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{PAGE_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    write_text(render(args[0]), args[1])
    print(f"wrote {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
