"""Shared test configuration.

Hypothesis runs without a per-example deadline: on a busy 2-core machine a single example can
take longer than the default 200 ms without anything being wrong, and a timing failure there
would say nothing about correctness. Speed is measured by the benchmarks, not by the tests.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import settings

settings.register_profile("gdsmodel", deadline=None, print_blob=True)
settings.load_profile("gdsmodel")


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: Any) -> None:
    """Say loudly, at the very end of the run, which tests did not run and why.

    A skipped suite (no browser, no Java for Spark, no PostgreSQL server, a missing optional
    package) is easy to miss in pytest's short summary; a green run that skipped the browser
    test proves less than it seems. ``make test-quick`` deselects the slow suites on purpose.
    """
    skipped = terminalreporter.stats.get("skipped", [])
    deselected = terminalreporter.stats.get("deselected", [])
    if not skipped and not deselected:
        return
    reasons: Counter[str] = Counter()
    for report in skipped:
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reasons[reason.removeprefix("Skipped: ")] += 1
    write = terminalreporter.write_line
    write("")
    write("!" * 78, yellow=True, bold=True)
    write(f"!! NOT EVERYTHING RAN: {len(skipped)} skipped, {len(deselected)} deselected",
          yellow=True, bold=True)  # fmt: skip
    for reason, count in sorted(reasons.items()):
        write(f"!!   {count:4d} skipped: {reason}", yellow=True)
    if deselected:
        write(f"!!   {len(deselected):4d} deselected by -m (e.g. the slow suites of "
              "`make test-quick`; `make test` runs them)", yellow=True)  # fmt: skip
    write("!" * 78, yellow=True, bold=True)


# A PostgreSQL server for the database suites: fixtures ``postgres_url`` and
# ``postgres_database`` (see tests/pg_server.py; GDSMODEL_TEST_POSTGRES_URL points them at yours).
pytest_plugins = ["pg_server"]
