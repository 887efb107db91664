"""gdsmodel: the job standard of a Chinese rural power supply station (供电所) as code.

>>> import gdsmodel
>>> std = gdsmodel.load_standard()
>>> len(list(std.clauses()))
155
>>> std.clause("safety_officer.standard.4").text.zh
'在工作中,严格执行“两票”、“三制”,两票合格率达100%。'

A station system pins the edition of the standard it was built on:

>>> gdsmodel.load_edition("1.0.0").clause("revenue_group.duty.2").text.en[:27]
'Carry out business censuses'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["Standard", "Text", "__version__", "errors", "load_edition", "load_standard"]

if TYPE_CHECKING:  # pragma: no cover
    from gdsmodel import errors
    from gdsmodel.standards.editions import load_edition
    from gdsmodel.standards.standard import Standard, load_standard
    from gdsmodel.text import Text

# Public names load lazily so that `import gdsmodel` stays cheap.
_LAZY = {
    "Standard": ("gdsmodel.standards.standard", "Standard"),
    "load_standard": ("gdsmodel.standards.standard", "load_standard"),
    "load_edition": ("gdsmodel.standards.editions", "load_edition"),
    "Text": ("gdsmodel.text", "Text"),
    "errors": ("gdsmodel.errors", None),
}


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'gdsmodel' has no attribute {name!r}") from None
    import importlib

    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
