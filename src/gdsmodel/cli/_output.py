"""Output helpers shared by the commands: readable tables for people (from
:mod:`gdsmodel.terminal`), JSON for programs."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from gdsmodel.terminal import display_width, print_table

__all__ = ["display_width", "print_json", "print_table"]


def print_json(data: Any, *, out: TextIO | None = None) -> None:
    """Print data as indented UTF-8 JSON (Chinese stays readable)."""
    json.dump(data, out or sys.stdout, ensure_ascii=False, indent=2)
    print(file=out or sys.stdout)
