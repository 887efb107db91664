"""docs/metrics.md: every KPI is documented, and every example on the page runs."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from gdsmodel.metrics.registry import metrics

DOC = Path(__file__).parents[1] / "docs" / "metrics.md"


@pytest.fixture(scope="module")
def text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_metric_is_documented(text: str) -> None:
    for d in metrics():
        heading = f"### `{d.id}`: {d.name.zh} / {d.name.en}"
        assert heading in text, d.id
        section = text.split(heading, 1)[1].split("\n### ", 1)[0]
        assert f"$$\n{d.formula}\n$$" in section, d.id
        for clause in d.clauses:
            assert f"`{clause}`" in section, (d.id, clause)
        for t in d.targets:
            assert f"`{t.id}`" in section and str(t.value) in section, (d.id, t.id)
            assert f"confidence {t.confidence}" in section
        assert "```python\n>>> " in section, f"{d.id} has no worked example"


def test_the_examples_run(text: str) -> None:
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) > len(metrics())
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for i, block in enumerate(blocks):  # each block stands alone
        test = parser.get_doctest(block, {}, f"metrics.md[{i}]", str(DOC), 0)
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0
