"""Notebooks are committed clean, paired with their jupytext scripts, and parameterised for papermill."""

import json

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
