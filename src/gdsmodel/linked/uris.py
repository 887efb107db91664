"""Stable URIs of the standard's entities, and the docs page that is the human view of each.

A URI is built from the entity's kind and its stable ID only, never from an edition, so an
entity keeps its URI across editions (a clause whose text changes is still the same clause):

=============  ==========================================  ===================================
kind           URI (default base)                          human view (docs page and anchor)
=============  ==========================================  ===================================
standard       ``{base}standard``                          ``index.html`` of the site
edition        ``{base}standard/{version}``                ``standard-as-data/#editions``
post           ``{base}post/{id}``                         ``standard/posts/{id}/``
unit           ``{base}unit/{id}``                         ``standard/units/{id}/``
role           ``{base}role/{id}``                         the page of the unit it belongs to
clause         ``{base}clause/{id}``                       owner's page ``#{id}``
term           ``{base}term/{id}``                         ``standard/glossary/#{id}``
regulation     ``{base}regulation/{id}``                   ``standard/glossary/#{id}``
party          ``{base}party/{id}``                        ``standard/glossary/#{id}``
kpi            ``{base}kpi/{id}``                          ``kpis/#{id}``
=============  ==========================================  ===================================

The base is configurable: pass ``base=`` to :class:`UriScheme`, or set the environment
variable ``GDSMODEL_URI_BASE`` (and ``GDSMODEL_DOCS_BASE`` for the human views). The
default, :data:`DEFAULT_BASE`, is a w3id.org path, the usual home of persistent
identifiers that redirect to wherever the documentation is published.

>>> s = UriScheme()
>>> s.uri("clause", "safety_officer.standard.6")
'https://w3id.org/gdsmodel/clause/safety_officer.standard.6'
>>> s.page("clause", "safety_officer.standard.6", owner="safety_officer")
'standard/posts/safety_officer/#safety_officer.standard.6'
>>> UriScheme(base="https://example.org/id/").uri("post", "director")
'https://example.org/id/post/director'
>>> s.parse("https://w3id.org/gdsmodel/term/two_tickets")
('term', 'two_tickets')
"""

from __future__ import annotations

import os
import re
from typing import Literal, get_args

import attrs

__all__ = ["DEFAULT_BASE", "DEFAULT_DOCS", "KINDS", "Kind", "UriScheme"]

DEFAULT_BASE = "https://w3id.org/gdsmodel/"
DEFAULT_DOCS = "https://w3id.org/gdsmodel/docs/"

Kind = Literal[
    "standard", "edition", "post", "unit", "role", "clause", "term", "regulation", "party", "kpi"
]
KINDS: tuple[str, ...] = get_args(Kind)

_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")


def _slash(base: str) -> str:
    return base if base.endswith(("/", "#")) else base + "/"


def _env_base() -> str:
    return _slash(os.environ.get("GDSMODEL_URI_BASE") or DEFAULT_BASE)


def _env_docs() -> str:
    return _slash(os.environ.get("GDSMODEL_DOCS_BASE") or DEFAULT_DOCS)


@attrs.frozen(slots=True)
class UriScheme:
    """Where the URIs live (``base``) and where their human views are (``docs``)."""

    base: str = attrs.field(factory=_env_base, converter=_slash)
    docs: str = attrs.field(factory=_env_docs, converter=_slash)

    def uri(self, kind: Kind, entity_id: str = "") -> str:
        """The URI of an entity; ``standard`` takes no ID.

        >>> UriScheme().uri("kpi", "line_loss_rate")
        'https://w3id.org/gdsmodel/kpi/line_loss_rate'
        >>> UriScheme().uri("post", "bad id")
        Traceback (most recent call last):
        ValueError: not a valid post ID for a URI: 'bad id'
        """
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; allowed: {', '.join(KINDS)}")
        if kind == "standard":
            return f"{self.base}standard"
        if not _ID.match(entity_id):
            raise ValueError(f"not a valid {kind} ID for a URI: {entity_id!r}")
        if kind == "edition":
            return f"{self.base}standard/{entity_id}"
        return f"{self.base}{kind}/{entity_id}"

    def parse(self, uri: str) -> tuple[str, str]:
        """``(kind, id)`` of one of this scheme's URIs; ValueError for any other URI."""
        if not uri.startswith(self.base):
            raise ValueError(f"{uri!r} is not under {self.base!r}")
        rest = uri[len(self.base) :]
        if rest == "standard":
            return "standard", ""
        kind, sep, entity_id = rest.partition("/")
        if kind == "standard" and sep:
            return "edition", entity_id
        if not sep or kind not in KINDS or not _ID.match(entity_id):
            raise ValueError(f"{uri!r} is not the URI of an entity of the standard")
        return kind, entity_id

    def page(self, kind: Kind, entity_id: str = "", *, owner: str = "", unit: str = "") -> str:
        """The docs page (relative to the site root) of an entity, with its anchor.

        A clause needs its ``owner`` (post or unit ID) and whether that owner is a unit;
        pass ``unit=`` the owner's ID instead of ``owner=`` when it is one. A role needs
        the ``unit`` it belongs to.

        >>> UriScheme().page("clause", "revenue_group.duty.1", unit="revenue_group")
        'standard/units/revenue_group/#revenue_group.duty.1'
        >>> UriScheme().page("kpi", "rs3")
        'kpis/#rs3'
        """
        if kind == "standard":
            return ""
        if kind == "edition":
            return "standard-as-data/#editions"
        if kind == "post":
            return f"standard/posts/{entity_id}/"
        if kind == "unit":
            return f"standard/units/{entity_id}/"
        if kind == "role":
            return f"standard/units/{unit}/"
        if kind == "clause":
            if unit:
                return f"standard/units/{unit}/#{entity_id}"
            return f"standard/posts/{owner}/#{entity_id}"
        if kind in ("term", "regulation", "party"):
            return f"standard/glossary/#{entity_id}"
        if kind == "kpi":
            return f"kpis/#{entity_id}"
        raise ValueError(f"unknown kind {kind!r}; allowed: {', '.join(KINDS)}")

    def human_view(
        self, kind: Kind, entity_id: str = "", *, owner: str = "", unit: str = ""
    ) -> str:
        """The full URL of the docs page of an entity.

        >>> UriScheme(docs="https://docs.example.org/").human_view("term", "two_tickets")
        'https://docs.example.org/standard/glossary/#two_tickets'
        """
        return self.docs + self.page(kind, entity_id, owner=owner, unit=unit)
