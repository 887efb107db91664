"""examples/analyst.ipynb runs from top to bottom in a fresh kernel, so it cannot go stale; its
outputs show the objects' HTML and the plots."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = Path(__file__).parents[1] / "examples" / "analyst.ipynb"


@pytest.fixture(scope="module")
def executed() -> tuple[Any, float]:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    start = time.perf_counter()
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    return nb, time.perf_counter() - start


def _outputs(nb: Any) -> list[dict[str, Any]]:
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def test_the_notebook_runs_without_errors(executed: tuple[Any, float]) -> None:
    nb, seconds = executed
    errors = [o for o in _outputs(nb) if o.output_type == "error"]
    assert errors == []
    assert seconds < 120, f"the notebook took {seconds:.0f} s"


def test_the_notebook_shows_html_tables_and_plots(executed: tuple[Any, float]) -> None:
    nb, _ = executed
    data = [o.get("data", {}) for o in _outputs(nb)]
    html = "".join(d.get("text/html", "") for d in data)
    assert sum("image/png" in d for d in data) >= 2  # the two trend plots
    assert 'class="gdsmodel"' in html  # the objects' own HTML (report, standard, ledger...)
    for shown in ("Report 月度报告", "Standard 标准", "Ledger", "AssessmentSheet 考核表"):
        assert shown in html, shown
    assert "<table" in html  # pandas frames shown as tables


def test_the_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    nbformat.validate(nb)


def test_the_docs_show_the_notebook_with_its_outputs(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    from test_docs import build_site  # one strict build per session, shared with test_docs

    site = build_site(tmp_path_factory)
    page = (site / "learn" / "analyst-notebook" / "index.html").read_text(encoding="utf-8")
    assert page.count("data:image/png") >= 2  # the plots, executed at build time
    assert 'class="gdsmodel"' in page and "Report 月度报告" in page
    assert str(NOTEBOOK.parents[1]) not in page and "Traceback" not in page  # no local paths
