"""The fast path of structuring stored events gives what the converter gives, or refuses alike."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdsmodel.errors import DataFileError
from gdsmodel.serialize import structure
from gdsmodel.standards.safety_tools import events as ev
from gdsmodel.standards.safety_tools.events import (
    Checked,
    DefectFound,
    Event,
    Issued,
    Measurement,
    Moved,
    Recalled,
    Registered,
    Repaired,
    Returned,
    Scrapped,
    Sealed,
    Tested,
    TestPurpose,
    event_from_dict,
    event_to_dict,
)

D = datetime.date
TEMPLATES: list[Event] = [
    Registered(serial="GL-1", on=D(2026, 1, 5), kind="insulating_gloves", rating="10kV"),
    Registered(
        serial="GL-2",
        on=D(2026, 1, 5),
        kind="insulating_boots",
        batch="B7",
        manufactured=D(2025, 6, 1),
        purchased=D(2025, 7, 1),
        keeper="张三",
        place="station",
    ),
    Tested(
        serial="GL-1",
        on=D(2026, 1, 6),
        purpose=TestPurpose.ACCEPTANCE,
        tester="李四",
        passed=True,
        next_due=D(2026, 7, 6),
    ),
    Tested(
        serial="GL-1", on=D(2026, 1, 6), purpose=TestPurpose.RETEST, tester="李四", passed=False
    ),
    Tested(
        serial="GL-1",
        on=D(2026, 1, 6),
        purpose=TestPurpose.PERIODIC,
        tester="李四",
        passed=True,
        next_due=D(2026, 9, 6),
        values=(Measurement("leakage current", "7.2 mA"),),
        next_due_reason="extended",
    ),
    Issued(serial="GL-1", on=D(2026, 2, 1), to="王五"),
    Returned(serial="GL-1", on=D(2026, 2, 2), note="ok"),
    Checked(serial="GL-1", on=D(2026, 2, 3), by="王五", passed=False),
    DefectFound(serial="GL-1", on=D(2026, 2, 3), description="pinhole"),
    Sealed(serial="GL-1", on=D(2026, 2, 4), reason="pinhole"),
    Repaired(serial="GL-1", on=D(2026, 2, 9), description="patched"),
    Scrapped(serial="GL-1", on=D(2026, 3, 1), reason="aged"),
    Recalled(serial="GL-2", on=D(2026, 3, 1), batch="B7", reason="split"),
    Moved(serial="GL-1", on=D(2026, 3, 1), keeper="赵六", place="team-1"),
]

# values a stored field may hold: good ones, and every kind of wrong one
_values = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            " GL-1",
            "ＧＬ－１",
            "Cafe\u0301",
            "\ud800",
            "x\x00y",
            "2026-02-30",
            "1899-12-31",
            "2200-01-01",
            "2026-3-1",
            "2026-03-01",
            "2026-08-01",
            "acceptance",
            "periodic",
            "A" * 101,
        ]
    ),
    st.dates(min_value=D(1800, 1, 1), max_value=D(2300, 1, 1)).map(D.isoformat),
    st.booleans(),
    st.none(),
    st.integers(-3, 3),
    st.floats(allow_nan=False),
    st.just([]),
    st.just([{"name": "U", "value": "8 kV"}]),
    st.just({}),
)


def _outcome(fn: Any, data: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "ok", fn(dict(data))
    except DataFileError:
        return "refused", None


def _converter(data: dict[str, Any]) -> Event:
    checked: Event = structure(data, Event)  # type: ignore[arg-type]
    return checked


@settings(max_examples=600, deadline=None)
@given(template=st.sampled_from(TEMPLATES), draw=st.data())
def test_fast_path_equals_the_converter(template: Event, draw: st.DataObject) -> None:
    base = event_to_dict(template)
    assert event_from_dict(dict(base)) == template  # the shape learnt (and vouched for)
    fields = sorted(k for k in base if k != "type")
    changes = draw.draw(st.dictionaries(st.sampled_from(fields), _values, max_size=2))
    drop = draw.draw(st.sets(st.sampled_from(fields), max_size=1))
    data = {k: changes.get(k, v) for k, v in base.items() if k not in drop}
    fast = _outcome(event_from_dict, data)
    assert fast == _outcome(_converter, data)
    if fast[0] == "ok":
        assert type(fast[1]) is type(_converter(dict(data)))


def test_the_fast_path_is_taken_for_stored_shapes() -> None:
    # every template's shape gets a builder of its own (not the converter's way); a test with
    # measurements is built by the converter (its shape's builder, if any, declines it)
    for template in TEMPLATES:
        data = event_to_dict(template)
        assert event_from_dict(data) == template
        build = ev._BUILDERS[(data["type"], *data)]
        if getattr(template, "values", ()):
            if build is not ev._converter_way:
                with pytest.raises(Exception):  # noqa: B017, PT011 - any refusal will do
                    build(dict(data))
        else:
            assert build is not ev._converter_way, template
            assert build(dict(data)) == template


def test_a_cached_value_is_checked_again_in_another_field() -> None:
    # "ok" is a fine note; as a date it is refused: the caches are per kind of check
    data = event_to_dict(Returned(serial="GL-1", on=D(2026, 2, 2), note="2026-02-02"))
    assert event_from_dict(dict(data)).note == "2026-02-02"
    bad = dict(data, on="ok")
    assert _outcome(event_from_dict, bad) == ("refused", None)
    spaced = dict(data, serial=" GL-1")
    assert _outcome(event_from_dict, spaced) == _outcome(_converter, spaced) == ("refused", None)


def test_states_are_made_as_tool_state_makes_them() -> None:
    # the positional maker follows ToolState's fields in order (a reordered field fails here)
    import attrs

    from gdsmodel.standards.safety_tools.state import ToolState, _state

    names = [a.name for a in attrs.fields(ToolState)]
    assert names[:5] == ["serial", "kind", "rating", "maker", "batch"]
    assert names[-2:] == ["last_on", "events"]
    values = [f"v{i}" for i in range(len(names))]
    made = _state(*values)
    assert made == ToolState(**dict(zip(names, values, strict=True)))
    assert [getattr(made, n) for n in names] == values
