"""Notebooks are committed clean, paired with their jupytext scripts, and parameterised for papermill."""

import json
import re
import subprocess
import sys
from pathlib import Path

import jupytext
import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_four_stages_exist():
    assert [p.stem for p in NOTEBOOKS] == ["01_clean", "02_entities", "03_timeline", "04_report"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_has_one_parameters_cell_with_corpus_and_root(path):
    nb = json.loads(path.read_text())
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    assert 'corpus: str = "tikrit"' in source and 'root: str = ".."' in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_and_its_script_are_in_sync(path):
    script = path.with_suffix(".py")
    assert script.exists(), f"{script.name} is missing: run `jupytext --sync {path}`"
    from_script = jupytext.read(script)
    from_notebook = jupytext.read(path)
    cells = [(c.cell_type, c.source) for c in from_notebook.cells]
    assert [(c.cell_type, c.source) for c in from_script.cells] == cells, f"run `jupytext --sync {path}`"


STAGE_SOURCES = {"01_clean": "CLEAN_SRC", "02_entities": "ENTITIES_SRC", "03_timeline": "TIMELINE_SRC",
                 "04_report": "REPORT_SRC"}


def test_each_stage_reruns_when_any_package_module_it_imports_changes():
    """Every dateline module a notebook imports (directly or through another) is a prerequisite of its stage."""
    database = subprocess.run(["make", "-pn", "-C", str(ROOT), "help"], capture_output=True, text=True,
                              check=True).stdout
    sources = {m[1]: set(m[2].split()) for m in re.finditer(r"^(\w+_SRC) := (.*)$", database, re.M)}
    for notebook, variable in STAGE_SOURCES.items():
        script = (ROOT / "notebooks" / f"{notebook}.py").read_text(encoding="utf-8")
        imports = "\n".join(line for line in script.splitlines() if re.match(r"(from|import) dateline\b", line))
        probe = imports + "\nimport sys\nprint('\\n'.join(m.__file__ for n, m in sorted(sys.modules.items()) " \
                          "if n.split('.')[0] == 'dateline' and getattr(m, '__file__', None)))"
        files = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                               cwd=ROOT).stdout.split()
        used = {Path(f).resolve().relative_to(ROOT).as_posix() for f in files}
        assert used, notebook
        assert used <= sources[variable], f"{notebook}: {sorted(used - sources[variable])} missing from {variable}"
