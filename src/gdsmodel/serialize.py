"""The one cattrs converter of gdsmodel, and its error translation.

Every model of the package is structured and unstructured through :data:`converter`.
Modules that define value types with a custom wire form (periods, money) register their
hooks on it when they are imported.

>>> from gdsmodel.text import Text
>>> converter.unstructure(Text("安全员", "Safety officer"))
{'zh': '安全员', 'en': 'Safety officer'}
>>> structure({"zh": "安全员"}, Text)
Text(zh='安全员', en='')
"""

from __future__ import annotations

import datetime
import enum
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, TypeVar

import cattrs

from gdsmodel.errors import DataFileError, GdsmodelError
from gdsmodel.limits import MAX_DIGITS

__all__ = ["converter", "structure", "to_yaml", "unstructure"]

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=True)
_INT_LIMIT = 10**MAX_DIGITS


def _bounded(value: Any) -> None:
    """Refuse numbers beyond :mod:`gdsmodel.limits` before they are converted."""
    if isinstance(value, str) and len(value) > 4 * MAX_DIGITS:
        raise ValueError(
            f"a number of {len(value)} characters is too long "
            f"(allowed: at most {4 * MAX_DIGITS} characters)"
        )
    if isinstance(value, int) and not -_INT_LIMIT < value < _INT_LIMIT:
        raise ValueError(f"the integer is too large (allowed: at most {MAX_DIGITS} digits)")


def _structure_decimal(value: Any, _: type) -> Decimal:
    if (
        type(value) is Decimal
        and value.is_finite()
        and (not value or -MAX_DIGITS <= value.adjusted() < MAX_DIGITS)
    ):
        return value  # already a bounded Decimal (a record built from parsed cells)
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(f"expected a decimal number as text, got {value!r}")
    _bounded(value)
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"not a decimal number: {value!r}") from None
    if not d.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    if d and not -MAX_DIGITS <= d.adjusted() < MAX_DIGITS:
        raise ValueError(
            f"{value!r} is out of range (allowed: below 10^{MAX_DIGITS}, "
            f"at most {MAX_DIGITS} decimals)"
        )
    return d


def _structure_fraction(value: Any, _: type) -> Fraction:
    if isinstance(value, Fraction):  # already exact (a record built from parsed cells)
        return value
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"expected a fraction as text such as '3/4', got {value!r}")
    _bounded(value)
    return Fraction(value)


# Enums (StrEnum included) unstructure to their plain values, so YAML and JSON see strings.
# (StrEnum is registered itself: in its MRO `str` comes before `Enum`.)
converter.register_unstructure_hook(enum.Enum, lambda e: e.value)
converter.register_unstructure_hook(enum.StrEnum, lambda e: e.value)
converter.register_structure_hook(Decimal, _structure_decimal)
converter.register_unstructure_hook(Decimal, str)
converter.register_structure_hook(Fraction, _structure_fraction)
converter.register_unstructure_hook(Fraction, str)


def _structure_str(value: Any, _: type) -> str:
    # cattrs would turn 1 into "1"; a data file that gives a number for a text is wrong.
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__} {value!r}")
    return value


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected an integer, got {type(value).__name__} {value!r}")
    _bounded(value)
    return value


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {type(value).__name__} {value!r}")
    return value


def _structure_enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"expected one of {[m.value for m in cls]}, got {value!r}")
    try:
        return cls(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in cls)
        raise ValueError(f"{value!r} is not allowed; allowed: {allowed}") from None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _structure_date(value: Any, _: type) -> datetime.date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise ValueError(f"expected a date as 'YYYY-MM-DD', got {value!r}")
    return datetime.date.fromisoformat(value)


def _structure_datetime(value: Any, _: type) -> datetime.datetime:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value  # an aware instant (pendulum's included) passes as it is
    if isinstance(value, str) and len(value) <= 64:
        try:
            parsed = datetime.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.tzinfo is not None:
            return parsed
    raise ValueError(
        f"expected a date and time with its UTC offset such as "
        f"'2026-03-05T14:30:00+08:00', got {value!r}"
    )


converter.register_structure_hook(datetime.datetime, _structure_datetime)
converter.register_structure_hook(datetime.date, _structure_date)
converter.register_unstructure_hook(datetime.date, lambda d: d.isoformat())
converter.register_structure_hook(str, _structure_str)
# Enums are registered after str: a StrEnum's MRO has StrEnum before str.
converter.register_structure_hook(enum.Enum, _structure_enum)
converter.register_structure_hook(enum.StrEnum, _structure_enum)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(bool, _structure_bool)


def _structure_str_tuple(value: Any, _: type) -> tuple[str, ...]:
    # cattrs would happily iterate a string's characters; a list was meant.
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValueError(f"expected a list of strings, got {type(value).__name__} {value!r}")
    for item in value:
        if not isinstance(item, str):
            raise ValueError(f"expected a list of strings, got an item {item!r}")
    return tuple(value)


converter.register_structure_hook_func(lambda t: t == tuple[str, ...], _structure_str_tuple)


def unstructure(obj: object) -> Any:
    """Plain JSON-ready data (dicts, lists, strings, numbers) for a model."""
    return converter.unstructure(obj)


def structure(data: object, cls: type[T], *, file: str | None = None) -> T:
    """Build a model from plain data; a bad input raises :class:`DataFileError`.

    The error names the file (when given), the path inside the data and what was wrong:

    >>> from gdsmodel.text import Text
    >>> structure({"zh": 1}, Text)  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    gdsmodel.errors.DataFileError: $.zh: invalid str: expected text, got int 1
    """
    try:
        return converter.structure(data, cls)
    except (cattrs.BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise _translate(exc, file) from None


def _translate(exc: BaseException, file: str | None) -> DataFileError:
    if isinstance(exc, cattrs.BaseValidationError):
        messages = cattrs.transform_error(exc, path="$", format_exception=_format_exception)
        first = messages[0] if messages else str(exc)
        msg, _, path = first.rpartition(" @ ")
        more = (
            f" (and {len(messages) - 1} more: " + "; ".join(messages[1:4]) + ")"
            if len(messages) > 1
            else ""
        )
        return DataFileError((msg or first) + more, file=file, path=path or None)
    return DataFileError(str(exc), file=file)


def _format_exception(exc: BaseException, type_: type | None) -> str:
    from gdsmodel.errors import GdsmodelError

    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"unknown keys {sorted(exc.extra_fields)} are not allowed"
    if isinstance(exc, KeyError) and not isinstance(exc, GdsmodelError):
        return f"required key {exc.args[0]!r} is missing"
    if isinstance(exc, ValueError | TypeError) and str(exc):
        name = getattr(type_, "__name__", None)
        return f"invalid {name}: {exc}" if name else str(exc)
    return cattrs.v.format_exception(exc, type_)


def to_yaml(data: object) -> str:
    """Plain data as YAML (block style, Unicode kept); needs PyYAML (the ``yaml`` extra).

    >>> print(to_yaml({"name": "两票", "rate": 1}), end="")
    name: 两票
    rate: 1
    """
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise GdsmodelError("YAML export needs PyYAML: pip install 'gdsmodel[yaml]'") from exc
    text: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return text
