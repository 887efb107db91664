"""Reading data files (TOML, JSON, YAML) with typed errors that name the file and line.

Every data file of gdsmodel, shipped or a station's own, is read through here, so a bad
file always gets a :class:`~gdsmodel.errors.DataFileError` saying which file and what
is wrong, never a bare parser traceback.

>>> parse_toml('month_end_days = 3', file="cal.toml")
{'month_end_days': 3}
>>> parse_toml('month_end_days = ', file="cal.toml")  # doctest: +ELLIPSIS
Traceback (most recent call last):
gdsmodel.errors.DataFileError: cal.toml: invalid TOML: ...
"""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from gdsmodel.errors import DataFileError

__all__ = ["SUFFIXES", "package_toml", "parse_toml", "read_data_file", "read_text", "read_toml"]

SUFFIXES = (".toml", ".json", ".yaml", ".yml")


def parse_toml(raw: str | bytes, *, file: str) -> dict[str, Any]:
    """Parse TOML text (or UTF-8 bytes)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return tomllib.loads(text)
    except UnicodeDecodeError:
        raise DataFileError("the file is not UTF-8 text", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"invalid TOML: {exc}", file=file) from None


def read_text(path: str | Path) -> str:
    """A file's UTF-8 text; unreadable or non-UTF-8 files raise ``DataFileError``."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(f"cannot read the file: {exc.strerror}", file=str(p)) from None
    except UnicodeDecodeError:
        raise DataFileError("the file is not UTF-8 text", file=str(p)) from None


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file, parsed."""
    return parse_toml(read_text(path), file=str(path))


def package_toml(package: str, *parts: str) -> tuple[dict[str, Any], str]:
    """A TOML data file shipped inside a package, and the name to show in errors.

    >>> data, name = package_toml("gdsmodel.standards", "data", "calendar.toml")
    >>> name, data["month_end_days"]
    ('gdsmodel/standards/data/calendar.toml', 5)
    """
    name = "/".join((package.replace(".", "/"), *parts))
    raw = resources.files(package).joinpath(*parts).read_bytes()
    return parse_toml(raw, file=name), name


def read_data_file(path: str | Path) -> Any:
    """A TOML, JSON or YAML file (by suffix), parsed into plain data.

    YAML needs PyYAML (the ``yaml`` extra).
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataFileError(
            f"unsupported file type {suffix or '(none)'!r}; allowed: {', '.join(SUFFIXES)}",
            file=str(p),
        )
    text = read_text(p)
    if suffix == ".toml":
        return parse_toml(text, file=str(p))
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"invalid JSON: {exc.msg}", file=str(p), line=exc.lineno) from None
    return _load_yaml(text, p)


def _load_yaml(text: str, path: Path) -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - depends on the environment
        raise DataFileError(
            "reading YAML needs PyYAML: pip install 'gdsmodel[yaml]'", file=str(path)
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(f"invalid YAML: {exc}", file=str(path), line=line) from None
