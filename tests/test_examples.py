"""The examples: the committed example station is exactly what its seed generates, and every
script in examples/ runs.

Each example script is run with one argument, a fresh output folder, and must exit 0.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from gdsmodel.report.example import DEFAULT_SEED, generate_station

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
NEEDS = {"analyst_workflow.py": ("pandas", "matplotlib")}


def test_the_committed_station_is_what_the_seed_generates(tmp_path: Path) -> None:
    committed = EXAMPLES / "station"
    written = generate_station(tmp_path / "station", seed=DEFAULT_SEED)
    assert sorted(p.name for p in written) == sorted(p.name for p in committed.iterdir())
    for path in written:
        assert path.read_bytes() == (committed / path.name).read_bytes(), path.name


def test_the_same_seed_writes_the_same_bytes_and_another_seed_does_not(tmp_path: Path) -> None:
    a = generate_station(tmp_path / "a", seed=11, months=3)
    b = generate_station(tmp_path / "b", seed=11, months=3)
    c = generate_station(tmp_path / "c", seed=12, months=3)
    assert [p.read_bytes() for p in a] == [p.read_bytes() for p in b]
    assert [p.read_bytes() for p in a] != [p.read_bytes() for p in c]


def test_the_example_station_is_modest_in_size() -> None:
    size = sum(p.stat().st_size for p in (EXAMPLES / "station").iterdir())
    assert size < 2_000_000


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.name for s in SCRIPTS])
def test_every_example_script_runs(script: Path, tmp_path: Path) -> None:
    for module in NEEDS.get(script.name, ()):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{script.name} needs {module}")
    result = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    if script.name == "analyst_workflow.py":
        assert (tmp_path / "out" / "line_loss.png").stat().st_size > 1000
