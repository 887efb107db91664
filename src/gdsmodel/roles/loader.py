"""Loading the organisation and its clauses from the package data files.

One TOML file per section of the source (one post, or one unit with its head), plus
``station.toml`` with the organisation's name and the source of the standard. In the
files, a clause does not repeat its owner: the owner is the post or unit whose list
holds it. The converter hooks registered here add and strip it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import attrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from gdsmodel import _show
from gdsmodel.datafiles import package_toml
from gdsmodel.roles.model import Post, Section, Station, Unit
from gdsmodel.serialize import converter, structure
from gdsmodel.sources import Source
from gdsmodel.text import Text

__all__ = ["ReferenceData", "SectionFile", "load_reference_station"]

_CLAUSE_LISTS = ("duties", "standards")


def _with_owner(data: Any) -> Any:
    if not isinstance(data, dict) or "id" not in data:
        return data
    out = dict(data)
    for key in _CLAUSE_LISTS:
        items = out.get(key)
        if isinstance(items, list | tuple):
            out[key] = [
                {**c, "owner": c.get("owner", data["id"])} if isinstance(c, dict) else c
                for c in items
            ]
    return out


def _without_owner(data: dict[str, Any]) -> dict[str, Any]:
    for key in _CLAUSE_LISTS:
        if key in data:
            data[key] = [{k: v for k, v in c.items() if k != "owner"} for c in data[key]]
    return data


def _register_owner_hooks() -> None:
    for cls in (Post, Unit):
        base_s = make_dict_structure_fn(cls, converter)
        base_u = make_dict_unstructure_fn(cls, converter)

        def structure_hook(data: Any, t: type, _base: Any = base_s) -> Any:
            return _base(_with_owner(data), t)

        def unstructure_hook(obj: Any, _base: Any = base_u) -> Any:
            return _without_owner(_base(obj))

        converter.register_structure_hook(cls, structure_hook)
        converter.register_unstructure_hook(cls, unstructure_hook)


_register_owner_hooks()


@attrs.frozen(slots=True, kw_only=True)
class SectionFile:
    """The content of one section file: the section and its posts and units."""

    section: int
    numeral: str
    title: Text
    posts: tuple[Post, ...] = ()
    units: tuple[Unit, ...] = ()


@attrs.frozen(slots=True, kw_only=True)
class ReferenceData:
    """``station.toml``: the organisation's name and the standard's title and source."""

    title: Text
    name: Text
    source: Source

    def __repr__(self) -> str:
        return _show.short_repr(self)


def _read_toml(name: str) -> Any:
    return package_toml("gdsmodel.roles", "data", name)[0]


def _section_files() -> list[str]:
    folder = resources.files("gdsmodel.roles") / "data"
    return sorted(
        p.name for p in folder.iterdir() if p.name.endswith(".toml") and p.name != "station.toml"
    )


@cache
def load_reference_station() -> tuple[ReferenceData, Station]:
    """The reference station from the package data (validated, cached)."""
    meta = structure(_read_toml("station.toml"), ReferenceData, file="roles/data/station.toml")
    files = []
    for name in _section_files():
        data = _read_toml(name)
        # A section file states its section number once; its posts and units inherit it.
        for key in ("posts", "units"):
            for owner in data.get(key, []):
                if isinstance(owner, dict):
                    owner.setdefault("section", data.get("section"))
        files.append(structure(data, SectionFile, file=f"roles/data/{name}"))
    files.sort(key=lambda f: f.section)
    sections = tuple(
        Section(
            number=f.section,
            numeral=f.numeral,
            title=f.title,
            posts=tuple(p.id for p in f.posts),
            units=tuple(u.id for u in f.units),
        )
        for f in files
    )
    # Posts in the order of the source: each section's unit head comes after its unit.
    posts = tuple(p for f in files for p in f.posts)
    units = tuple(u for f in files for u in f.units)
    station = Station(name=meta.name, sections=sections, posts=posts, units=units)
    return meta, station
