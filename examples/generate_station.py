"""Write the example station: twelve months (2025-04 to 2026-03) of a seeded, realistic
rural power supply station, in the folder layout of docs/report.md.

    python examples/generate_station.py                 # rewrites examples/station
    python examples/generate_station.py /tmp/station    # somewhere else
    python examples/generate_station.py DIR --seed 7    # another station

The same seed writes the same bytes; the tests regenerate the committed folder and compare.
The generator itself is gdsmodel.report.example (also `gdsmodel generate-example DIR`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gdsmodel.report.example import DEFAULT_SEED, generate_station


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "folder", nargs="?", type=Path, default=Path(__file__).resolve().parent / "station"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    written = generate_station(args.folder, seed=args.seed, overwrite=True)
    print(f"wrote {len(written)} files to {args.folder} (seed {args.seed})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
