"""The 32-character rule (32字原则) of safety officer standard 6, as typed values.

The safety officer manages safety tools (安全工器具) by eight four-character principles:
择优选购、按需配备、登记造册、定期检验、坏的封修、缺的补齐、正确使用、妥善保管. Each
:class:`Principle` names the operations of :class:`~gdsmodel.standards.safety_tools.Ledger`
that serve it, so the rule and the software that carries it out stay linked.

>>> from gdsmodel.standards.safety_tools import PRINCIPLES
>>> "".join(p.text.zh for p in PRINCIPLES)
'择优选购按需配备登记造册定期检验坏的封修缺的补齐正确使用妥善保管'
>>> PRINCIPLES[4].text.en
'seal and repair the defective'
"""

from __future__ import annotations

import enum

import attrs

from gdsmodel import _show
from gdsmodel.errors import NotFoundError
from gdsmodel.text import Text

__all__ = ["PRINCIPLES", "SOURCE_CLAUSE", "Operation", "Principle", "principle"]

#: The clause of the job standard that states the rule.
SOURCE_CLAUSE = "safety_officer.standard.6"


class Operation(enum.StrEnum):
    """An operation or query of the safety-tool ledger; the value is the ``Ledger`` method name.

    >>> Operation.SEAL.value
    'seal'
    >>> Operation("return_tool") is Operation.RETURN_TOOL
    True
    """

    REGISTER = "register"
    RECORD_ACCEPTANCE_TEST = "record_acceptance_test"
    RECORD_TEST = "record_test"
    ISSUE = "issue"
    RETURN_TOOL = "return_tool"
    RECORD_CHECK = "record_check"
    RECORD_DEFECT = "record_defect"
    SEAL = "seal"
    REPAIR = "repair"
    SCRAP = "scrap"
    RECALL_BATCH = "recall_batch"
    MOVE = "move"
    DUE = "due"
    OVERDUE = "overdue"
    UNUSABLE = "unusable"
    CARD = "card"
    CHECK = "check"
    SHORTFALL = "shortfall"


@attrs.frozen(slots=True, kw_only=True)
class Principle:
    """One principle of the 32-character rule: four characters, their meaning, its operations.

    >>> p = principle("seal_and_repair")
    >>> p.number, p.text.zh, [op.value for op in p.operations]
    (5, '坏的封修', ['record_defect', 'seal', 'repair'])
    """

    id: str
    number: int
    text: Text
    explanation: Text
    operations: tuple[Operation, ...]

    def __repr__(self) -> str:
        return _show.short_repr(self)


def _p(
    number: int, id: str, zh: str, en: str, how_zh: str, how_en: str, *ops: Operation
) -> Principle:
    return Principle(
        id=id, number=number, text=Text(zh, en), explanation=Text(how_zh, how_en), operations=ops
    )


_O = Operation

#: The eight principles, in the order of the source text.
PRINCIPLES: tuple[Principle, ...] = (
    _p(
        1,
        "select_best",
        "择优选购",
        "select the best when buying",
        "登记制造厂、批号和购置日期,新购工器具使用前须经验收试验;同批次出现质量问题时召回复试。",
        "record maker, batch and purchase date; a new tool is tested before first use; a batch "
        "with a quality problem is recalled for testing",
        _O.REGISTER,
        _O.RECORD_ACCEPTANCE_TEST,
        _O.RECALL_BATCH,
    ),
    _p(
        2,
        "equip_by_need",
        "按需配备",
        "equip by need",
        "按供电所、班组、车辆的配置要求配备,并将工器具分配到相应存放处。",
        "equip each station, team and vehicle to its kit requirement and assign tools to it",
        _O.SHORTFALL,
        _O.MOVE,
    ),
    _p(
        3,
        "register_in_ledger",
        "登记造册",
        "register in the ledger",
        "建立台帐,一物一卡,帐、物、卡相符。",
        "keep a ledger, one card per item; ledger, item and card agree",
        _O.REGISTER,
        _O.CARD,
        _O.CHECK,
    ),
    _p(
        4,
        "test_periodically",
        "定期检验",
        "test periodically",
        "按周期试验,贴试验合格证(试验人、试验日期、下次试验日期),到期未试验的不得使用。",
        "test on the set cycle and label the tool with tester, test date and next due date; a "
        "tool past its due date is not used",
        _O.RECORD_TEST,
        _O.DUE,
        _O.OVERDUE,
    ),
    _p(
        5,
        "seal_and_repair",
        "坏的封修",
        "seal and repair the defective",
        "发现缺陷即封存送修,修复后须重新试验合格方可使用。",
        "seal a defective tool for repair; after repair it must pass a test before use",
        _O.RECORD_DEFECT,
        _O.SEAL,
        _O.REPAIR,
    ),
    _p(
        6,
        "replenish",
        "缺的补齐",
        "replenish what is missing",
        "对照配置要求找出短缺,报废的及时补充。",
        "find what is missing against the kit requirement and replace what was scrapped",
        _O.SHORTFALL,
        _O.SCRAP,
        _O.REGISTER,
    ),
    _p(
        7,
        "use_correctly",
        "正确使用",
        "use correctly",
        "使用前检查,只发放试验合格且在有效期内的工器具。",
        "check before use; issue only tools that passed their test and are within their due date",
        _O.RECORD_CHECK,
        _O.ISSUE,
        _O.UNUSABLE,
    ),
    _p(
        8,
        "store_properly",
        "妥善保管",
        "store properly",
        "用后归还,定人定点保管。",
        "return after use; each tool has a keeper and a place",
        _O.RETURN_TOOL,
        _O.MOVE,
    ),
)


def principle(id: str) -> Principle:
    """The principle with this ID; an unknown ID raises :class:`~gdsmodel.errors.NotFoundError`.

    >>> principle("replenish").text.zh
    '缺的补齐'
    """
    for p in PRINCIPLES:
        if p.id == id:
            return p
    raise NotFoundError("principle", id, [p.id for p in PRINCIPLES])
