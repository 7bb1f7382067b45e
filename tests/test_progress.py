import io
import sys

import nbformat
import pytest

from dateline import notebook, progress


def test_bars_only_for_large_inputs_and_dropped_from_executed_notebooks(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert list(progress.progress(range(5), total=5, desc="small")) == list(range(5))
    assert err.getvalue() == ""
    assert list(progress.progress(range(300), total=300, desc="entities")) == list(range(300))
    bar = err.getvalue()
    assert "entities" in bar and "300/300" in bar and progress.is_progress_text(bar)
    progress.log("NER: 1 documents run through the model, 9 from the cache")
    logged = err.getvalue()[len(bar):]
    assert logged.startswith("[dateline] NER") and progress.is_progress_text(bar + logged)

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=bar + logged),
                    nbformat.v4.new_output("stream", name="stderr", text="a real warning\n"),
                    nbformat.v4.new_output("stream", name="stdout", text="300/300\n")]
    nb.cells.append(cell)
    kept = notebook.normalize(nb).cells[0].outputs
    assert [o.text for o in kept] == ["a real warning\n", "300/300\n"]


def test_the_stages_kernels_are_not_interrupted_to_be_shut_down(tmp_path):
    import asyncio

    manager = notebook._kernel_manager_class(str(tmp_path))()
    with pytest.raises(RuntimeError, match="No kernel is running"):
        asyncio.run(manager._async_interrupt_kernel())  # an interrupt asked for is sent (here: to no kernel)
    manager.shutting_down = True
    asyncio.run(manager._async_interrupt_kernel())  # jupyter_client's interrupt before a shutdown is not
