"""Reading data files (TOML, JSON, YAML) with typed errors that name the file and line.

Every data file of gdsmodel, shipped or a station's own, is read through here, so a bad
file always gets a :class:`~gdsmodel.errors.DataFileError` saying which file and what
is wrong, never a bare parser traceback.

>>> parse_toml('month_end_days = 3', file="cal.toml")
{'month_end_days': 3}
>>> parse_toml('month_end_days = ', file="cal.toml")  # doctest: +ELLIPSIS
Traceback (most recent call last):
gdsmodel.errors.DataFileError: cal.toml: invalid TOML: ...

Files are bounded (:mod:`gdsmodel.limits`): tables and lists nest at most 64 deep, and an
integer has at most 64 digits; beyond that the error names the file, the place and the limit.

>>> parse_toml("n = " + "9" * 70, file="station.toml")  # doctest: +ELLIPSIS
Traceback (most recent call last):
gdsmodel.errors.DataFileError: station.toml: n: an integer of 70 digits is too large ...
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Final, TypeVar

from gdsmodel.errors import DataFileError
from gdsmodel.limits import MAX_DEPTH, MAX_DIGITS

__all__ = [
    "SUFFIXES",
    "check_tree",
    "package_toml",
    "parse_toml",
    "read_data_file",
    "read_text",
    "read_toml",
]

SUFFIXES = (".toml", ".json", ".yaml", ".yml")

T = TypeVar("T")


_TOO_DEEP: Final = f"tables and lists are nested too deeply (allowed: at most {MAX_DEPTH} levels)"
_TOO_LONG: Final = (
    f"a number has too many digits for the parser (allowed: integers of at most {MAX_DIGITS} "
    "digits)"
)
_INT_LIMIT: Final = 10**MAX_DIGITS


_LONG_NUMBER: Final = re.compile(r"\d{" + str(MAX_DIGITS + 1) + ",}")


def _long_number_line(text: str) -> int | None:
    """The line of the first run of digits longer than the limit (for the error message)."""
    found = _LONG_NUMBER.search(text)
    return None if found is None else text.count("\n", 0, found.start()) + 1


def _where(path: list[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def check_tree(data: T, *, file: str) -> T:
    """Check that parsed data nests at most :data:`~gdsmodel.limits.MAX_DEPTH` levels and
    that every integer has at most :data:`~gdsmodel.limits.MAX_DIGITS` digits; return it.

    >>> check_tree({"a": [[1]]}, file="x.json")
    {'a': [[1]]}
    >>> deep: list[object] = []
    >>> for _ in range(70):
    ...     deep = [deep]
    >>> check_tree({"k": deep}, file="x.json")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.DataFileError: x.json: k[0][0]...: tables and lists are nested too deeply ...
    """
    stack: list[tuple[object, list[str | int]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict | list):
            if len(path) >= MAX_DEPTH:
                where = _where(path[:3]) + "..." if len(path) > 3 else _where(path)
                raise DataFileError(_TOO_DEEP, file=file, path=where)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((v, [*path, k]) for k, v in items)
        elif (
            isinstance(value, int)
            and not isinstance(value, bool)
            and not -_INT_LIMIT < value < _INT_LIMIT
        ):
            digits = len(str(abs(value)))
            raise DataFileError(
                f"an integer of {digits} digits is too large "
                f"(allowed: at most {MAX_DIGITS} digits)",
                file=file,
                path=_where(path),
            )
    return data


def parse_toml(raw: str | bytes, *, file: str) -> dict[str, Any]:
    """Parse TOML text (or UTF-8 bytes)."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        data = tomllib.loads(text)
    except UnicodeDecodeError:
        raise DataFileError("the file is not UTF-8 text", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"invalid TOML: {exc}", file=file) from None
    except RecursionError:
        raise DataFileError(_TOO_DEEP, file=file) from None
    except ValueError:  # an integer beyond Python's 4,300 digits
        raise DataFileError(_TOO_LONG, file=file, line=_long_number_line(text)) from None
    check_tree(data, file=file)
    return data


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
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"invalid JSON: {exc.msg}", file=str(p), line=exc.lineno) from None
        except RecursionError:
            raise DataFileError(_TOO_DEEP, file=str(p)) from None
        except ValueError:  # an integer beyond Python's 4,300 digits
            raise DataFileError(_TOO_LONG, file=str(p), line=_long_number_line(text)) from None
        return check_tree(data, file=str(p))
    return check_tree(_load_yaml(text, p), file=str(p))


def _load_yaml(text: str, path: Path) -> Any:
    try:
        import yaml
    except ImportError:  # pragma: no cover - depends on the environment
        raise DataFileError(
            "reading YAML needs PyYAML: pip install 'gdsmodel[yaml]'", file=str(path)
        ) from None
    try:
        return yaml.safe_load(text)
    except RecursionError:
        raise DataFileError(_TOO_DEEP, file=str(path)) from None
    except ValueError:  # an integer beyond Python's 4,300 digits
        raise DataFileError(_TOO_LONG, file=str(path), line=_long_number_line(text)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise DataFileError(f"invalid YAML: {exc}", file=str(path), line=line) from None
