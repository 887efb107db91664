"""The hash chain of the ledger: the records engine's (:mod:`gdsmodel.standards.records.chain`).

>>> from gdsmodel.standards.records import chain
>>> link is chain.link
True
"""

from __future__ import annotations

from gdsmodel.standards.records.chain import GENESIS, ChainBreak, ChainBroken, link, verify

__all__ = ["GENESIS", "ChainBreak", "ChainBroken", "link", "verify"]
