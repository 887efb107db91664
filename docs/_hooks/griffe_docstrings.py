"""Griffe extension: gdsmodel's docstrings (doctests, Sphinx roles) shown as Markdown.

The package's docstrings are checked by pytest as doctests and use Sphinx-style roles. For
the API reference (mkdocstrings) they are adapted when loaded, never changed in the source:

* a doctest session (``>>>`` lines, their ``...`` continuations and their output, up to a
  blank line) becomes a fenced ``pycon`` code block;
* ``.. code-block:: LANG`` with its indented body becomes a fenced block;
* roles such as ``:class:`~gdsmodel.errors.NotFoundError``` become inline code
  (``NotFoundError``; the ``~`` keeps the last name only, as in Sphinx).

Registered in ``mkdocs.yml`` under the python handler's ``extensions``.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

_ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const|ref|term):`(~?)([^`]+)`"
)
_CODE_BLOCK = re.compile(r"^(\s*)\.\. code-block::\s*(\S+)\s*$")


def _role(m: re.Match[str]) -> str:
    tilde, target = m.group(1), m.group(2)
    if "<" in target and target.endswith(">"):  # :ref:`title <target>`
        target = target.split("<", 1)[0].strip()
    return f"`{target.rsplit('.', 1)[-1] if tilde else target}`"


def to_markdown(text: str) -> str:
    """A docstring's text with doctests and code blocks fenced and roles as inline code.

    >>> to_markdown("Intro :func:`~a.b.c`.\\n\\n>>> 1 + 1\\n2\\n\\nEnd.").splitlines()
    ['Intro `c`.', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'End.']
    """
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    fence_open = False
    while i < len(lines):
        line = lines[i]
        stripped = line.lstrip()
        if stripped.startswith("```"):
            fence_open = not fence_open
            out.append(line)
            i += 1
            continue
        if fence_open:
            out.append(line)
            i += 1
            continue
        if stripped.startswith(">>>"):
            indent = line[: len(line) - len(stripped)]
            out.append(f"{indent}```pycon")
            while i < len(lines) and lines[i].strip():
                out.append(lines[i])
                i += 1
            out.append(f"{indent}```")
            continue
        m = _CODE_BLOCK.match(line)
        if m:
            indent, lang = m.group(1), m.group(2)
            i += 1
            body: list[str] = []
            while i < len(lines) and (not lines[i].strip() or lines[i].startswith(indent + " ")):
                body.append(lines[i])
                i += 1
            while body and not body[-1].strip():
                body.pop()
            while body and not body[0].strip():
                body.pop(0)
            margin = min((len(b) - len(b.lstrip()) for b in body if b.strip()), default=0)
            out.append(f"{indent}```{lang}")
            out += [f"{indent}{b[margin:]}" if b.strip() else "" for b in body]
            out.append(f"{indent}```")
            out.append("")
            continue
        out.append(_ROLE.sub(_role, line))
        i += 1
    return "\n".join(out)


class DocstringsForMarkdown(Extension):
    """Adapt every loaded docstring with :func:`to_markdown`."""

    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = to_markdown(obj.docstring.value)
