"""The names of the area classes and of the reasons an area has no loss, read from
``data/area_classes.toml`` with their source and confidence.

Every member of :class:`~gdsmodel.metrics.areas.loss.AreaClass` and
:class:`~gdsmodel.metrics.areas.loss.NonComputable` has exactly one name; a file that misses
one, or names a code that does not exist, is a :class:`~gdsmodel.errors.DataFileError`.

>>> area_labels().name("high_loss").zh, area_labels().name("low_collection").en
('高损', 'collection rate too low')
"""

from __future__ import annotations

from functools import cache
from typing import Any

import attrs

from gdsmodel import _show
from gdsmodel.datafiles import package_toml
from gdsmodel.errors import DataFileError, NotFoundError
from gdsmodel.metrics.areas.loss import AreaClass, NonComputable
from gdsmodel.serialize import structure
from gdsmodel.sources import Confidence, Source
from gdsmodel.text import Text

__all__ = ["AreaLabel", "AreaLabels", "area_labels"]

FORMAT = "gdsmodel.area_classes/1"


@attrs.frozen(slots=True, kw_only=True)
class AreaLabel:
    """The name of one class or reason code."""

    id: str
    name: Text
    confidence: Confidence
    source: Source
    note: str = ""

    def __repr__(self) -> str:
        return _show.short_repr(self)


@attrs.frozen(slots=True, kw_only=True)
class AreaLabels:
    """The names of the classes and of the reasons."""

    format: str
    classes: tuple[AreaLabel, ...]
    reasons: tuple[AreaLabel, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)

    def name(self, code: str) -> Text:
        """The name of a class or reason code.

        >>> area_labels().name("islanded")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        gdsmodel.errors.NotFoundError: unknown area class or reason 'islanded'; known: ...
        """
        for item in (*self.classes, *self.reasons):
            if item.id == code:
                return item.name
        known = [i.id for i in (*self.classes, *self.reasons)]
        raise NotFoundError("area class or reason", code, known)


def _check(labels: AreaLabels, file: str) -> AreaLabels:
    if labels.format != FORMAT:
        raise DataFileError(f"unknown format {labels.format!r} (allowed: {FORMAT})", file=file)
    for key, items, codes in (
        ("classes", labels.classes, {c.value for c in AreaClass}),
        ("reasons", labels.reasons, {c.value for c in NonComputable}),
    ):
        ids = [i.id for i in items]
        if sorted(ids) != sorted(codes):
            missing, unknown = sorted(codes - set(ids)), sorted(set(ids) - codes)
            dup = sorted({i for i in ids if ids.count(i) > 1})
            raise DataFileError(
                f"needs one name for each code: missing {missing}, unknown {unknown}, "
                f"repeated {dup}",
                file=file,
                path=key,
            )
        for j, item in enumerate(items):
            if not item.name.zh or not item.name.en:
                raise DataFileError("needs a Chinese and an English name", file=file,
                                    path=f"{key}[{j}].name")  # fmt: skip
    return labels


def load_area_labels(data: dict[str, Any], file: str) -> AreaLabels:
    """The names of a file's data (the form of ``data/area_classes.toml``)."""
    return _check(structure(data, AreaLabels, file=file), file)


@cache
def area_labels() -> AreaLabels:
    """The shipped names (loaded once)."""
    data, file = package_toml("gdsmodel.metrics", "data", "area_classes.toml")
    return load_area_labels(data, file)
