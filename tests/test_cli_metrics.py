"""``gdsmodel metrics``: list, show, compute, power-factor."""

from __future__ import annotations

import json

import pytest

from gdsmodel.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_and_show(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "metrics", "list", "--json")
    ids = {d["id"] for d in json.loads(out)}
    assert code == 0 and {"line_loss_rate", "rs3", "two_ticket_pass_rate"} <= ids
    code, out, _ = run(capsys, "metrics", "show", "two_ticket_pass_rate")
    assert code == 0 and "safety_officer.standard.4" in out
    code, _, err = run(capsys, "metrics", "show", "nope")
    assert code == 3 and "unknown" in err


def test_compute(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "metrics",
        "compute",
        "line_loss_rate_10kv",
        "supplied_kwh=120000",
        "sold_kwh=111500",
        "--target",
        "A",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert (data["numerator"], data["denominator"], data["verdict"]) == ("8500", "120000", "missed")
    code, out, _ = run(capsys, "metrics", "compute", "collection_rate", "collected=0", "billed=0")
    assert code == 1 and "undefined" in out
    code, _, err = run(capsys, "metrics", "compute", "collection_rate", "collected=-5", "billed=1")
    assert code == 1 and "collected" in err
    code, _, err = run(capsys, "metrics", "compute", "collection_rate", "collected")
    assert code == 1 and "NAME=VALUE" in err


def test_power_factor(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "metrics",
        "power-factor",
        "--active",
        "8000",
        "--reactive",
        "4200",
        "--standard",
        "0.90",
        "--charges",
        "5600",
        "--json",
    )
    assert code == 0
    assert json.loads(out) == {
        "power_factor": "0.89",
        "standard": "0.90",
        "adjustment_percent": "0.50",
        "fee_yuan": "28.00",
    }
