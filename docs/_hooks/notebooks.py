"""MkDocs hook: the repository's notebooks as pages of the site, without copies or symlinks.

Registered in ``mkdocs.yml`` under ``hooks:``. A notebook lives once, where it is run and
tested (``examples/analyst.ipynb``); this hook adds it to the site's files under its page
address (``learn/analyst-notebook.ipynb``) with the notebook itself as the source, so that
mkdocs-jupyter (whose ``include`` patterns match the source path) executes it at build time
and shows it with its outputs. Works on checkouts without symlinks.

Two steps of ``on_files``: before mkdocs-jupyter (priority 100) the notebook is added as a
file backed by its own path; after it (priority -100) the page file mkdocs-jupyter wrapped it
in is given that path too (its wrapper reads the path of a file in ``docs/`` only).

>>> NOTEBOOKS["learn/analyst-notebook.ipynb"]
'examples/analyst.ipynb'
>>> sources(Path("/repo"))["learn/analyst-notebook.ipynb"].as_posix()
'/repo/examples/analyst.ipynb'
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.gdsmodel_notebooks")

NOTEBOOKS = {"learn/analyst-notebook.ipynb": "examples/analyst.ipynb"}
"""Page address in the site -> the notebook in the repository (relative to mkdocs.yml)."""


def sources(root: Path) -> dict[str, Path]:
    """The notebook of each page, under the repository root ``root``."""
    return {uri: root / source for uri, source in NOTEBOOKS.items()}


@event_priority(100)  # before mkdocs-jupyter (priority 0) wraps the notebooks as pages
def _add_notebooks(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).resolve().parent
    for uri, path in sources(root).items():
        if not path.is_file():
            raise PluginError(f"gdsmodel docs: the notebook {path} of {uri} is missing")
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"gdsmodel docs: {uri} exists in docs/; the hook adds it from {path}")
        files.append(File.generated(config, uri, abs_src_path=str(path)))
        log.debug("gdsmodel docs: %s from %s", uri, path)
    return files


@event_priority(-100)  # after mkdocs-jupyter made the notebooks pages
def _keep_sources(files: Files, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).resolve().parent
    for uri, path in sources(root).items():
        page = files.get_file_from_path(uri)
        if page is None:
            raise PluginError(f"gdsmodel docs: {uri} went missing from the site's files")
        if page.abs_src_path != str(path):
            page.abs_src_path = str(path)
    return files


on_files = CombinedEvent(_add_notebooks, _keep_sources)
