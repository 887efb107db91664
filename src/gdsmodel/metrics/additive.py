"""The additive form of a KPI as a protocol: what frames and partial states read of a metric.

A ratio KPI is a ratio of sums: named inputs, and a numerator and a denominator that are
integer linear combinations of them. :class:`AdditiveMetric` is that form as a protocol, so
that :mod:`gdsmodel.metrics.frames` and :mod:`gdsmodel.metrics.partial` depend on it and not
on :class:`~gdsmodel.metrics.definitions.MetricDefinition` (which in turn reaches the frames
through :meth:`~gdsmodel.metrics.definitions.MetricDefinition.by`): the imports of the
metrics floor form no cycle. Every ``MetricDefinition`` is an ``AdditiveMetric``.

>>> from gdsmodel.metrics.registry import metric
>>> isinstance(metric("line_loss_rate"), AdditiveMetric)
True
>>> require_additive(metric("line_loss_rate"))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, Protocol, cast, runtime_checkable

from gdsmodel.errors import GdsmodelError, InputError
from gdsmodel.metrics.ratio import NumberLike, Ratio, Target, Verdict

__all__ = [
    "AdditiveMetric",
    "NotAdditiveError",
    "TargetLike",
    "field_getter",
    "given_target",
    "require_additive",
]


class NotAdditiveError(GdsmodelError, TypeError):
    """A metric that is not a ratio of sums (a weighted composite, a power factor) was asked
    for its additive form."""


class TargetLike(Protocol):
    """A target entry of a metric, as far as the frames need it: its ID."""

    @property
    def id(self) -> str:
        """The target's ID (a grade such as ``"A"``)."""
        ...  # pragma: no cover


@runtime_checkable
class AdditiveMetric(Protocol):
    """A KPI with an additive form (see :class:`~gdsmodel.metrics.definitions.MetricDefinition`).

    ``inputs`` are the keyword names of the summed inputs; ``numerator`` and ``denominator``
    map input names to non-zero integer coefficients (an empty denominator: not additive).
    """

    @property
    def id(self) -> str:
        """The metric's ID."""
        ...  # pragma: no cover

    @property
    def inputs(self) -> tuple[str, ...]:
        """The names of the additive inputs."""
        ...  # pragma: no cover

    @property
    def numerator(self) -> Mapping[str, int]:
        """The numerator as coefficients of the inputs."""
        ...  # pragma: no cover

    @property
    def denominator(self) -> Mapping[str, int]:
        """The denominator as coefficients of the inputs (empty: not additive)."""
        ...  # pragma: no cover

    @property
    def bounded(self) -> bool:
        """Whether the numerator may not exceed the denominator."""
        ...  # pragma: no cover

    @property
    def signed(self) -> bool:
        """Whether the numerator may be negative."""
        ...  # pragma: no cover

    @property
    def additive(self) -> bool:
        """True for a ratio of sums."""
        ...  # pragma: no cover

    @property
    def computed_by(self) -> str:
        """The function that computes a metric that is not additive (or ``""``)."""
        ...  # pragma: no cover

    @property
    def unit(self) -> str:
        """The unit of the metric's value (``%``, ``min/customer``...)."""
        ...  # pragma: no cover

    @property
    def targets(self) -> tuple[TargetLike, ...]:
        """The metric's targets."""
        ...  # pragma: no cover

    @property
    def target(self) -> Target | None:
        """The default target, if any."""
        ...  # pragma: no cover

    def target_for(self, target_id: str) -> Target:
        """The target with this ID."""
        ...  # pragma: no cover

    def ratio(self, **inputs: NumberLike) -> Ratio:
        """The exact, validated ratio of these inputs."""
        ...  # pragma: no cover

    def verdict(self, value: Ratio | Fraction | None, target: str | None = None) -> Verdict:
        """The verdict of a value against the default target or ``target``."""
        ...  # pragma: no cover


_CONFORMING: Final[set[type]] = set()


def require_additive(definition: object) -> None:
    """Raise unless ``definition`` is a metric that is a ratio of sums.

    A value that is not a metric at all is an :class:`~gdsmodel.errors.InputError`; a
    metric without an additive form (a composite, a power factor) a :class:`NotAdditiveError`.

    >>> from gdsmodel.metrics.registry import metric
    >>> require_additive(metric("power_factor"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.metrics.additive.NotAdditiveError: metric 'power_factor' is not a ratio of sums...
    >>> require_additive("line_loss_rate")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.InputError: definition='line_loss_rate': is not a metric definition ...
    """
    if type(definition) not in _CONFORMING:  # the structural check once per class
        if not isinstance(definition, AdditiveMetric):
            raise InputError(
                "is not a metric definition",
                name="definition",
                value=definition,
                allowed="a MetricDefinition, e.g. "
                "gdsmodel.metrics.registry.metric('line_loss_rate')",
            )
        _CONFORMING.add(type(definition))
    definition = cast(AdditiveMetric, definition)
    if not definition.additive:
        how = f"; compute it with {definition.computed_by}" if definition.computed_by else ""
        raise NotAdditiveError(f"metric {definition.id!r} is not a ratio of sums{how}")


def field_getter(record: object) -> Callable[[str], Any]:
    """A function reading a named field of a record (a mapping or an object).

    >>> field_getter({"read": 9})("read"), field_getter(Ratio(1, 2))("numerator")
    (9, Fraction(1, 1))
    """
    if isinstance(record, Mapping):
        mapping: Mapping[Any, Any] = record

        def from_mapping(name: str) -> Any:
            try:
                return mapping[name]
            except KeyError:
                raise InputError(
                    "the record has no such field",
                    name=name,
                    value=mapping,
                    allowed=f"records with the fields: {', '.join(map(str, mapping))}",
                ) from None

        return from_mapping

    def from_object(name: str) -> Any:
        try:
            return getattr(record, name)
        except AttributeError:
            raise InputError(
                "the record has no such attribute",
                name=name,
                value=record,
                allowed="records with that field (a mapping or an object)",
            ) from None

    return from_object


def group_keys(keys: str | Sequence[str] | None) -> tuple[str, ...]:
    """The group keys of a frame or SQL computation as a tuple of column names.

    One column name, a sequence of them, or None (one total row). Keys must be non-empty
    strings and may not repeat.

    >>> group_keys("line"), group_keys(["line", "area"]), group_keys(None)
    (('line',), ('line', 'area'), ())
    >>> group_keys(["line", "line"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    gdsmodel.errors.InputError: keys=('line', 'line'): group keys repeat a column
    """
    if keys is None:
        return ()
    out = (keys,) if isinstance(keys, str) else tuple(keys)
    bad = [k for k in out if not isinstance(k, str) or not k]
    if bad:
        raise InputError(
            "group keys must be column names", name="keys", value=bad[0], allowed="str"
        )
    if len(set(out)) != len(out):
        raise InputError("group keys repeat a column", name="keys", value=out)
    return out


def resolve_target(definition: AdditiveMetric, target: str | Target | None) -> Target | None:
    """The target to judge by: the default (None), one given, or the one of an ID.

    >>> from gdsmodel.metrics.registry import metric
    >>> str(resolve_target(metric("line_loss_rate_10kv"), "B"))
    '<= 7%'
    """
    if target is None:
        return definition.target
    if isinstance(target, Target):
        return in_unit(definition, target)
    if isinstance(target, str):
        return definition.target_for(target)
    raise InputError(
        "must be a target ID or a Target",
        name="target",
        value=target,
        allowed=", ".join(t.id for t in definition.targets) or "a Target",
    )


def in_unit(definition: AdditiveMetric, target: Target) -> Target:
    """A target given for a metric, refused when its unit is not the metric's (a target in
    percent cannot judge minutes per customer).

    >>> from gdsmodel.metrics.ratio import Direction
    >>> from gdsmodel.metrics.registry import metric
    >>> in_unit(metric("saidi"), Target.percent(1, Direction.LOWER))
    Traceback (most recent call last):
    gdsmodel.errors.InputError: target='<= 1%': the target is in % and saidi in min/customer ...
    """
    if target.unit != definition.unit:
        raise InputError(
            f"the target is in {target.unit or 'no unit'} "
            f"and {definition.id} in {definition.unit or 'no unit'}",
            name="target",
            value=str(target),
            allowed=f"a Target with unit={definition.unit!r}",
        )
    return target


def given_target(definition: AdditiveMetric, target: str | Target | None) -> Target | None:
    """The target a scalar KPI function was given: none (no verdict), a ``Target`` in the
    metric's unit (:func:`in_unit`), or the one of an ID of the metric's targets.

    >>> from gdsmodel.metrics.registry import metric
    >>> given_target(metric("saidi"), None) is None
    True
    """
    return None if target is None else resolve_target(definition, target)
