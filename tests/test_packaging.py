"""The package's metadata: one version, the licence, the project URLs."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import gdsmodel
from gdsmodel.linked.uris import DEFAULT_DOCS

ROOT = Path(__file__).parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_project_urls_are_the_persistent_docs_base_and_its_pages() -> None:
    # the same base as the human views of the linked-data URIs: declared once
    urls = PROJECT["urls"]
    assert urls["Documentation"] == DEFAULT_DOCS
    assert urls["Changelog"] == DEFAULT_DOCS + "changelog/"
    # the changelog page is built from CHANGELOG.md itself and is in the site's navigation
    assert (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8").strip() == (
        '--8<-- "CHANGELOG.md"'
    )
    assert "changelog.md" in (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_installed_metadata_says_the_same() -> None:
    meta = metadata.metadata("gdsmodel")
    assert meta["Version"] == gdsmodel.__version__
    assert meta["License-Expression"] == PROJECT["license"]
    declared = {f"{k}, {v}" for k, v in PROJECT["urls"].items()}
    assert declared <= set(meta.get_all("Project-URL") or [])
    tested = {
        c for c in PROJECT["classifiers"] if c.startswith("Programming Language :: Python :: 3.")
    }
    assert tested <= set(meta.get_all("Classifier") or [])
