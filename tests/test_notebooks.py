"""The notebooks run top to bottom, and are stored without outputs."""

from __future__ import annotations

import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_without_outputs(path):
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None, path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_top_to_bottom(path):
    nbformat = pytest.importorskip("nbformat", reason="pip install -e '.[test]' brings nbclient")
    nbclient = pytest.importorskip("nbclient")
    nb = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    text = "".join(
        out.get("text", "") for cell in nb.cells if cell.cell_type == "code" for out in cell.get("outputs", [])
    )
    errors = [out for cell in nb.cells for out in cell.get("outputs", []) if out.get("output_type") == "error"]
    assert not errors
    for expected in EXPECTED[path.name]:
        assert expected in text, (path.name, expected)
    if path.name == "explore_summaries.ipynb":
        images = [out for cell in nb.cells for out in cell.get("outputs", []) if "image/png" in out.get("data", {})]
        assert images, "the plot cell drew nothing"


# What each notebook must show when run: the systems it compares, bullets, and (for the prompt
# notebook) the side-by-side rows with their verdicts and the comparison of two prompts.
EXPECTED = {
    "explore_summaries.ipynb": ["extractive", "baseline-lead3", "✅"],
    "prompt_experiments.ipynb": [
        "INSTRUCTION:", "source    :", "model     :", "extractive:", "✅",
        "current prompt: model-written", "trial prompt: model-written",
    ],
}


def test_every_notebook_has_expectations():
    assert {p.name for p in NOTEBOOKS} == set(EXPECTED)
