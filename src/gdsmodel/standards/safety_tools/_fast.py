"""A fast path for structuring stored ledger events, still vouched for by the converter.

A long ledger holds a few shapes of event (the type tag and the keys, in the order they are
stored) a million times. The first event of each shape goes the converter's way; when the
converter accepts it, a builder is made for that shape (a function written for it, checking each
value as the event class's converters and validators do) and kept only if it builds an event
equal to the converter's. Later events of the shape are built by it; any value it cannot vouch
for (a number where text belongs, a date out of range, measurements...) sends that event back
to the converter, which says what is wrong and where. The values that repeat (serials, dates,
names) are checked once each, by the event class's own converters and validators, and kept.

>>> import datetime
>>> from gdsmodel.standards.safety_tools.events import Issued, event_to_dict, event_from_dict
>>> data = event_to_dict(Issued(serial="GL-1", on=datetime.date(2026, 3, 2), to="王五"))
>>> event_from_dict(data) == event_from_dict(dict(data)) == Issued(
...     serial="GL-1", on=datetime.date(2026, 3, 2), to="王五")
True
"""

from __future__ import annotations

import datetime
import typing
from collections.abc import Callable
from typing import Any

import attrs

__all__ = ["Builder", "make_builder"]

#: Builds one event from its stored dict, or raises (any exception: take the converter's way).
Builder = Callable[[dict[str, Any]], Any]

# how many distinct values of one kind are kept (serials of a big station, its names and dates)
_KEEP = 1 << 18


class _Slow(Exception):
    """A value the fast path does not vouch for."""


def _keeper(
    check: Callable[[Any], Any],
) -> tuple[dict[Any, Any], Callable[[Any], Any]]:
    """A cache of checked text values and the function that checks (and keeps) a new one."""
    cache: dict[Any, Any] = {}

    def fill(value: Any) -> Any:
        if value.__class__ is not str:
            raise _Slow
        out = check(value)
        if len(cache) < _KEEP:
            cache[value] = out
        return out

    return cache, fill


def make_builder(cls: type, keys: tuple[str, ...], kinds: dict[str, Any]) -> Builder | None:
    """A builder of ``cls`` from dicts with exactly ``keys`` (``type`` among them), or None
    when some field is of a kind the fast path does not know.

    ``kinds`` gives the event module's checks: ``normal`` (the serial converter), ``serial``,
    ``required`` and ``text`` (validators), ``as_date``, ``as_optional_date`` (converters),
    ``structure_date`` (the converter's date hook), ``unicode`` (the text check) and
    ``enums`` (enum classes).
    """
    fields = attrs.fields(cls)
    hints = typing.get_type_hints(cls)
    present = set(keys) - {"type"}
    if present - {a.name for a in fields}:
        return None
    unicode_ok = kinds["unicode"]
    ns: dict[str, Any] = {"_new": object.__new__, "_cls": cls, "_Slow": _Slow}
    ns["_uni"] = unicode_ok
    body: list[str] = []
    sets: list[str] = []
    date_cache, date_fill = _keeper(
        lambda v: kinds["as_date"](kinds["structure_date"](v, datetime.date))
    )
    ns["_dc"], ns["_df"] = date_cache, date_fill
    for i, a in enumerate(fields):
        name = a.name
        var = f"v{i}"
        ns[f"_set{i}"] = cls.__dict__[name].__set__
        sets.append(f"    _set{i}(o, {var})")
        if name not in present:
            if a.default is attrs.NOTHING or isinstance(a.default, attrs.Factory):  # type: ignore[arg-type]
                return None
            ns[f"_d{i}"] = a.default
            body.append(f"    {var} = _d{i}")
            continue
        body.append(f"    x = d[{name!r}]")
        conv, val, hint = a.converter, a.validator, hints[name]
        if conv is kinds["as_date"]:
            body.append(f"    {var} = _dc.get(x) if x.__class__ is str else None")
            body.append(f"    if {var} is None: {var} = _df(x)")
        elif conv is kinds["as_optional_date"]:
            body.append(f"    if x is None: {var} = None")
            body.append("    else:")
            body.append(f"        {var} = _dc.get(x) if x.__class__ is str else None")
            body.append(f"        if {var} is None: {var} = _df(x)")
        elif hint is str and (conv is not None or val is not kinds["text"]):
            # a converter or a validator beyond the text check: checked once per value, kept
            if conv not in (None, kinds["normal"]) or val not in (
                kinds["serial"],
                kinds["required"],
                kinds["text"],
            ):
                return None
            ns[f"_c{i}"], ns[f"_f{i}"] = _keeper(_checker(conv, val, a))
            body.append(f"    {var} = _c{i}.get(x) if x.__class__ is str else None")
            body.append(f"    if {var} is None: {var} = _f{i}(x)")
        elif hint is str and conv is None and val is kinds["text"]:
            body.append("    if x.__class__ is not str or not (x.isascii() or _uni(x)):")
            body.append("        raise _Slow")
            body.append(f"    {var} = x")
        elif hint is bool and conv is None and val is None:
            body.append("    if x is not True and x is not False: raise _Slow")
            body.append(f"    {var} = x")
        elif hint in kinds["enums"] and conv is None and val is None:
            ns[f"_e{i}"] = {m.value: m for m in hint}
            body.append("    if x.__class__ is not str: raise _Slow")
            body.append(f"    {var} = _e{i}[x]")
        elif typing.get_origin(hint) is tuple and conv is None and val is None:
            # measurements: only the empty list here (the converter builds the others)
            body.append("    if x.__class__ is not list or x: raise _Slow")
            body.append(f"    {var} = ()")
        else:
            return None
    post = ["    o.__attrs_post_init__()"] if hasattr(cls, "__attrs_post_init__") else []
    source = "\n".join(["def build(d):", *body, "    o = _new(_cls)", *sets, *post, "    return o"])
    exec(compile(source, f"<fast structure of {cls.__name__}>", "exec"), ns)
    built: Builder = ns["build"]
    return built


def _checker(
    conv: Callable[[Any], Any] | None, val: Callable[..., None] | None, a: attrs.Attribute[Any]
) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        out = value if conv is None else conv(value)
        if val is not None:
            val(None, a, out)
        return out

    return check
