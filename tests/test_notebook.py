"""examples/analyst.ipynb runs from top to bottom in a fresh kernel, so it cannot go stale; its
outputs show the objects' HTML and the plots; the docs site shows it, executed, from the
notebook itself (docs/_hooks/notebooks.py: no copy, no symlink in docs/)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).parents[1]
NOTEBOOK = ROOT / "examples" / "analyst.ipynb"


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
    folder = site / "learn" / "analyst-notebook"
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert page.count("data:image/png") >= 2  # the plots, executed at build time
    assert 'class="gdsmodel"' in page and "Report 月度报告" in page
    assert "<table" in page  # the frames
    assert str(NOTEBOOK.parents[1]) not in page and "Traceback" not in page  # no local paths
    # the notebook offered for download is the repository's own
    assert (folder / NOTEBOOK.name).read_bytes() == NOTEBOOK.read_bytes()
    guide = (site / "learn" / "analyst" / "index.html").read_text(encoding="utf-8")
    assert 'href="../analyst-notebook/"' in guide


def _hook() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("notebooks", ROOT / "docs/_hooks/notebooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_docs_hold_no_copy_or_link_of_the_notebook() -> None:
    """The page comes from the hook, so checkouts without symlinks build the same site."""
    hook = _hook()
    docs = ROOT / "docs"
    for uri, source in hook.NOTEBOOKS.items():
        assert (ROOT / source).is_file()
        assert not (docs / uri).exists() and not (docs / uri).is_symlink()
    assert not [p for p in docs.rglob("*.ipynb") if "_vendor" not in p.parts]
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "docs/_hooks/notebooks.py" in config
    assert "learn/analyst-notebook.ipynb" in config  # its place in the nav


def test_the_hook_doctests() -> None:
    import doctest

    assert doctest.testmod(_hook(), optionflags=doctest.ELLIPSIS).failed == 0
