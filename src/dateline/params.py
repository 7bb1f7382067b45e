"""The parameters of a corpus (``params/<corpus>.yaml``), checked against what the stages' notebooks declare.

Each notebook's ``parameters`` cell declares its parameters with a type and a comment; the params file may set any
of them, for every stage at once. ``check`` reads the file once, before any stage runs, and fails with a message
naming the file, line, key, value and what was expected; an unknown key is a warning listing the known ones.

    python -m dateline.params check CORPUS      check params/CORPUS.yaml (make does, before stage 01)
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

NOTEBOOKS = ("01_clean", "02_entities", "03_timeline", "04_report")
SET_BY_MAKE = frozenset({"corpus", "root"})  # every notebook has them; make sets them, a params file may not

# Values a type alone does not rule out (the least a number may be; the words a string may be).
MINIMUM = {"batch_size": 1, "n_process": 0, "top_entities": 1, "max_documents": 0, "max_chart_events": 1,
           "max_table_events": 1, "swimlane_entities": 1, "max_document_chars": 1000, "key_dates": 0}
CHOICES = {"executor": ("local", "dask")}
RANGE = {"dedup_threshold": (0.0, 1.0)}


class ParamsError(ValueError):
    """A params file that cannot be used, with where and why."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str  # the annotation in the parameters cell: str, int, float, bool or dict
    default: str
    help: str
    notebooks: tuple[str, ...]


@cache
def declared(notebooks_dir: str = "notebooks") -> dict[str, Parameter]:
    """Every parameter a stage notebook declares, by name, with the notebooks that declare it."""
    from papermill.inspection import inspect_notebook  # imported here: it loads nbformat and jupyter machinery

    found: dict[str, Parameter] = {}
    for stage in NOTEBOOKS:
        for name, p in inspect_notebook(str(Path(notebooks_dir) / f"{stage}.ipynb")).items():
            before = found.get(name)
            found[name] = Parameter(name, p["inferred_type_name"], p["default"], p["help"],
                                    (before.notebooks if before else ()) + (stage,))
    return found


def read(path: str | Path) -> tuple[dict, dict[str, int]]:
    """The mapping in a params file and the line of each key; an empty or absent file is no parameters."""
    path = Path(path)
    if not path.exists():
        return {}, {}
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        values = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark else str(path)
        context = getattr(err, "context_mark", None)
        if context and mark and context.line != mark.line:
            where += f" (in what opens at line {context.line + 1}, column {context.column + 1})"
        problem = " ".join(str(p) for p in (getattr(err, "context", None), getattr(err, "problem", None)) if p)
        raise ParamsError(f"{where}: not valid YAML ({problem or err}). Fix that line (each parameter is "
                          f"`name: value` on its own line), or remove {path} to use every stage's defaults.") from None
    if values is None:
        return {}, {}
    if not isinstance(values, dict):
        raise ParamsError(f"{path}, line 1: the file must be a mapping of `name: value` lines, got a "
                          f"{type(values).__name__}")
    lines = {key.value: key.start_mark.line + 1 for key, _ in node.value if hasattr(key, "value")}
    return values, lines


def _type_problem(value: object, expected: str) -> str | None:
    ok = {"str": isinstance(value, str),
          "int": isinstance(value, int) and not isinstance(value, bool),
          "float": isinstance(value, int | float) and not isinstance(value, bool),
          "bool": isinstance(value, bool),
          "dict": isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in value.items())}.get(expected, True)
    if ok:
        return None
    article = "an" if expected[0] in "aeiou" else "a"
    what = {"dict": "a mapping of names to names (`published: date` lines, indented)",
            "bool": "true or false"}.get(expected, f"{article} {expected}")
    return f"expected {what}"


def _value_problem(name: str, value: object) -> str | None:
    if name in MINIMUM and value < MINIMUM[name]:
        return f"expected at least {MINIMUM[name]}"
    if name in RANGE and not RANGE[name][0] < value <= RANGE[name][1]:
        low, high = RANGE[name]
        return f"expected a number above {low} and at most {high}"
    if name in CHOICES and value not in CHOICES[name]:
        return "expected one of " + ", ".join(repr(c) for c in CHOICES[name])
    return None


def check(path: str | Path, known: dict[str, Parameter]) -> tuple[dict, list[str]]:
    """The parameters of a params file and warnings about it; raises ParamsError naming every problem."""
    values, lines = read(path)
    problems, unknown = [], []
    for name, value in values.items():
        where = f"{path}, line {lines.get(name, '?')}"
        if name in SET_BY_MAKE:
            problems.append(f"{where}: {name} is set by make (CORPUS=...), not in a params file: remove the line")
            continue
        if name not in known:
            unknown.append(f"{where}: {name}")
            continue
        p = known[name]
        problem = _type_problem(value, p.type) or _value_problem(name, value)
        if problem:
            problems.append(f"{where}: {name}: {value!r} ({type(value).__name__}): {problem} ({p.help}; "
                            f"default {p.default})")
    if problems:
        raise ParamsError("\n".join(problems))
    warnings = []
    if unknown:
        names = ", ".join(sorted(set(known) - SET_BY_MAKE))
        warnings.append("unknown parameters, ignored (no stage declares them):\n  " + "\n  ".join(unknown)
                        + f"\nknown parameters: {names}")
    return values, warnings


def for_notebook(values: dict, stage: str, known: dict[str, Parameter]) -> dict:
    """The parameters among ``values`` that ``stage``'s notebook declares."""
    return {k: v for k, v in values.items() if k in known and stage in known[k].notebooks}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dateline.params")
    parser.add_argument("command", choices=("check",))
    parser.add_argument("corpus")
    parser.add_argument("--root", default=".")
    args = parser.parse_args(argv)
    path = Path(args.root) / "params" / f"{args.corpus}.yaml"
    if not path.exists():
        return 0
    try:
        _, warnings = check(path, declared(str(Path(args.root) / "notebooks")))
    except ParamsError as err:
        print(f"error: {err}\nNo stage has run; every output is as it was.", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
