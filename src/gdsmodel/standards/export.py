"""Export of the standard: YAML, and the JSON Schema of its JSON form.

The schema is derived from the attrs classes themselves, so it cannot drift from the
code; a test validates the JSON export against it.

>>> schema = json_schema()
>>> schema["$schema"]
'https://json-schema.org/draft/2020-12/schema'
>>> sorted(schema["properties"])
['format', 'glossary', 'source', 'station', 'title']
"""

from __future__ import annotations

import enum
import types
import typing
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

__all__ = ["json_schema", "schema_for", "to_yaml"]


def to_yaml(data: Any) -> str:
    """Plain data as YAML (block style, Unicode kept); needs PyYAML (the ``yaml`` extra)."""
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover - depends on the environment
        from gdsmodel.errors import GdsmodelError

        raise GdsmodelError("YAML export needs PyYAML: pip install 'gdsmodel[yaml]'") from exc
    text: str = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return text


def schema_for(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of an attrs class (as the converter unstructures it), filling ``defs``."""
    name = cls.__name__
    if name not in defs:
        defs[name] = {}  # placeholder against recursion
        hints = typing.get_type_hints(cls)
        props: dict[str, Any] = {}
        required: list[str] = []
        for f in attrs.fields(cls):
            if not f.init or f.name.startswith("_") or f.name in _omitted(cls):
                continue
            props[f.name] = _schema_of_type(hints[f.name], defs)
            if f.default is attrs.NOTHING:
                required.append(f.name)
        entry: dict[str, Any] = {
            "type": "object",
            "properties": props,
            "additionalProperties": False,
        }
        if required:
            entry["required"] = required
        if cls.__doc__:
            entry["description"] = cls.__doc__.strip().splitlines()[0]
        defs[name] = entry
    return {"$ref": f"#/$defs/{name}"}


def _omitted(cls: type) -> frozenset[str]:
    """Fields the converter leaves out: a clause's owner is implied by its post or unit."""
    from gdsmodel.roles.model import Clause

    return frozenset({"owner"}) if issubclass(cls, Clause) else frozenset()


def _schema_of_type(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is Decimal:
        return {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
    if tp is Fraction:
        return {"type": "string", "pattern": r"^-?\d+(/\d+)?$"}
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return {"enum": [m.value for m in tp]}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        inner = [_schema_of_type(a, defs) for a in options]
        if len(options) < len(args):
            inner.append({"type": "null"})
        return inner[0] if len(inner) == 1 else {"anyOf": inner}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return {"type": "array", "items": _schema_of_type(args[0], defs)}
        return {
            "type": "array",
            "prefixItems": [_schema_of_type(a, defs) for a in args],
            "minItems": len(args),
            "maxItems": len(args),
        }
    if origin in (list, typing.Sequence) or tp is list:
        return {"type": "array", "items": _schema_of_type(args[0], defs) if args else {}}
    if origin in (dict, typing.Mapping):
        return {"type": "object", "additionalProperties": _schema_of_type(args[1], defs)}
    if attrs.has(tp):
        return schema_for(tp, defs)
    raise TypeError(f"no JSON Schema mapping for {tp!r}")


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :meth:`Standard.to_data` output."""
    from gdsmodel.standards.standard import FORMAT, Standard

    defs: dict[str, Any] = {}
    ref = schema_for(Standard, defs)
    root = dict(defs[ref["$ref"].rsplit("/", 1)[1]])
    root["properties"] = {"format": {"const": FORMAT}, **root["properties"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "gdsmodel job standard",
        **root,
        "$defs": defs,
    }
