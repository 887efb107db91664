"""Shared test configuration.

Hypothesis runs without a per-example deadline: on a busy 2-core machine a single example can
take longer than the default 200 ms without anything being wrong, and a timing failure there
would say nothing about correctness. Speed is measured by the benchmarks, not by the tests.
"""

from __future__ import annotations

from hypothesis import settings

settings.register_profile("gdsmodel", deadline=None, print_blob=True)
settings.load_profile("gdsmodel")
