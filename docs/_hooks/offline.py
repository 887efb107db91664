"""MkDocs hook: a documentation site that works with no network, and a search that finds
the named rules by the spellings readers type.

* **Mermaid served with the site.** The theme draws ``mermaid`` diagrams (the organisation
  chart) with the Mermaid library, which it loads from a CDN unless the page already has it.
  ``make docs-build`` fetches the ``mermaid`` package from the npm registry into
  ``docs/_vendor/`` (its version is pinned in the Makefile); this hook serves that file as
  ``assets/javascripts/mermaid.min.js`` and lists it in ``extra_javascript``, so the theme uses
  it and no request leaves the machine. Without the file (npm missing) the site still builds,
  and the diagram falls back to the theme's CDN; the build says so.
* **Search spellings.** ``search_words.toml`` beside this file lists spellings (32字原则,
  32 字原则, 两票三制, 合格率 ...) that the search index cannot find on its own; after the
  search plugin has written its index, each section whose text contains such a word gets the
  spellings as tags, which the theme's search indexes (see the data file for why).
"""

from __future__ import annotations

import json
import logging
import re
import tomllib
from pathlib import Path
from typing import Any

from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.gdsmodel.offline")

HERE = Path(__file__).resolve().parent
VENDOR = HERE.parent / "_vendor"
MERMAID_URL = "assets/javascripts/mermaid.min.js"
_HAN = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[0-9A-Za-z]")
_SPACES = re.compile(r"[\s\u200b]+")

_state: dict[str, Any] = {}


def mermaid_file() -> Path | None:
    """The vendored Mermaid script, or None when ``make docs-build`` could not fetch it."""
    found = sorted(VENDOR.glob("mermaid-*.min.js"))
    return found[-1] if found else None


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    script = mermaid_file()
    _state["mermaid"] = script
    if script is None:
        log.info(
            "gdsmodel docs: docs/_vendor/mermaid-*.min.js is missing (`make docs-build` fetches "
            "it with npm); the organisation diagram will need the theme's CDN"
        )
    elif not any(str(s) == MERMAID_URL for s in config.extra_javascript):
        config.extra_javascript.append(ExtraScriptValue(MERMAID_URL))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    script: Path | None = _state.get("mermaid")
    if script is not None:
        files.append(File.generated(config, MERMAID_URL, abs_src_path=str(script)))
    return files


def search_words(glossary_spellings: list[str] | None = None) -> list[tuple[list[str], list[str]]]:
    """(spellings, contains) pairs: the data file's, then the glossary's mixed-script names.

    >>> words = search_words(["32字原则"])
    >>> (["32字原则", "32 字原则"], ["32字原则"]) in words
    True
    """
    with open(HERE / "search_words.toml", "rb") as f:
        data = tomllib.load(f)
    out = [(list(w["spellings"]), list(w["contains"])) for w in data.get("word", [])]
    for name in glossary_spellings or []:
        if _HAN.search(name) and _LATIN.search(name):
            joined = _SPACES.sub("", name)
            spaced = re.sub(r"(?<=[0-9A-Za-z])(?=[\u4e00-\u9fff])", " ", joined)
            out.append(([joined, spaced], [joined]))
    return out


def _glossary_spellings() -> list[str]:
    from gdsmodel.standards.standard import load_standard

    g = load_standard().glossary
    names: list[str] = []
    for t in g.terms:
        names += [t.name.zh, *t.aliases]
    return names


def tag_entries(entries: list[dict[str, Any]], words: list[tuple[list[str], list[str]]]) -> int:
    """Add the spellings as tags to every entry whose title or text contains the word."""
    tagged = 0
    for entry in entries:
        plain = _SPACES.sub("", f"{entry.get('title', '')} {entry.get('text', '')}")
        for spellings, contains in words:
            if all(_SPACES.sub("", c) in plain for c in contains):
                tags = entry.setdefault("tags", [])
                new = [s for s in spellings if s not in tags]
                if new:
                    tags.extend(new)
                    tagged += 1
    return tagged


def on_post_build(config: MkDocsConfig) -> None:
    index = Path(config.site_dir) / "search" / "search_index.json"
    if not index.exists():
        log.warning("gdsmodel docs: no search index was written; search spellings not added")
        return
    data = json.loads(index.read_text(encoding="utf-8"))
    n = tag_entries(data["docs"], search_words(_glossary_spellings()))
    index.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), "utf-8")
    log.info("gdsmodel docs: search spellings added to %d sections", n)
