"""The documentation site: built once, strictly, and checked against the package.

The site is built with ``mkdocs build --strict`` into a temporary folder (once per test
session; ``tests/test_docs_browser.py`` reuses the same build). The learning pages' code
samples are run here too.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from gdsmodel.cli import main
from gdsmodel.roles.model import Post, Unit
from gdsmodel.standards.standard import load_standard

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

_built: dict[str, Path] = {}


def build_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the site once per session (strict) and return its folder."""
    if "site" not in _built:
        out = tmp_path_factory.mktemp("site")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
        cmd += ["-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env, check=False)
        assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
        _built["site"] = out
    return _built["site"]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(tmp_path_factory)


class _Ids(HTMLParser):
    """Collects the id attributes, the hrefs and the text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name == "href" and value:
                self.hrefs.append(value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> _Ids:
    p = _Ids()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def missing_anchors(wanted: Iterable[str], pages: Iterable[Path]) -> list[str]:
    """The IDs of ``wanted`` that no page has as an ``id`` attribute."""
    present: set[str] = set()
    for page in pages:
        present.update(parse(page).ids)
    return [i for i in wanted if i not in present]


def page(site: Path, path: str) -> Path:
    return site / path / "index.html"


# ----------------------------------------------------------------------------- anchors


def test_missing_anchors_finds_a_clause_without_anchor(tmp_path: Path) -> None:
    built = tmp_path / "index.html"
    built.write_text('<h3 id="director.duty.1">x</h3><h3 id="director.duty.2">y</h3>')
    assert missing_anchors(["director.duty.1", "director.duty.2"], [built]) == []
    assert missing_anchors(["director.duty.1", "director.duty.3"], [built]) == ["director.duty.3"]


def test_every_clause_has_its_id_as_anchor_on_its_owner_page(site: Path) -> None:
    std = load_standard()
    pages = sorted((site / "standard").rglob("index.html"))
    all_clauses = [c.id for c in std.clauses()]
    assert len(all_clauses) == 155
    assert missing_anchors(all_clauses, pages) == []
    owners: list[Post | Unit] = [*std.posts, *std.units]
    for owner in owners:
        folder = "posts" if isinstance(owner, Post) else "units"
        ids = parse(page(site, f"standard/{folder}/{owner.id}")).ids
        for c in owner.clauses():
            assert ids.count(c.id) == 1, f"{c.id} is not anchored once on its page"


def test_clause_pages_show_both_languages_and_facts(site: Path) -> None:
    std = load_standard()
    owners: list[Post | Unit] = [*std.posts, *std.units]
    for owner in owners:
        folder = "posts" if owner in std.posts else "units"
        text = "".join(parse(page(site, f"standard/{folder}/{owner.id}")).text)
        for c in owner.clauses():
            assert c.text.zh in text, c.id
            assert c.text.en in text, c.id
    so = page(site, "standard/posts/safety_officer").read_text(encoding="utf-8")
    assert 'href="../../glossary/#four_not_letting_go"' in so
    assert "两票合格率达100%" in so  # the quoted target
    # errata are shown with what was meant
    director = "".join(parse(page(site, "standard/posts/director")).text)
    assert "提出的用电问题" in director


def test_glossary_anchors_are_the_ids(site: Path) -> None:
    g = load_standard().glossary
    ids = [t.id for t in g.terms] + [r.id for r in g.regulations] + [p.id for p in g.parties]
    assert missing_anchors(ids, [page(site, "standard/glossary")]) == []


def test_clause_index_links_every_clause(site: Path) -> None:
    hrefs = parse(page(site, "standard/clauses")).hrefs
    for c in load_standard().clauses():
        assert any(h.endswith(f"#{c.id}") for h in hrefs), c.id


def test_organisation_diagram_source_is_in_the_page(site: Path) -> None:
    org = page(site, "standard").read_text(encoding="utf-8")
    m = re.search(r'<pre class="mermaid"><code>(.*?)</code></pre>', org, re.S)
    assert m, "no Mermaid diagram on the organisation page"
    diagram = html.unescape(m.group(1))
    assert diagram.startswith("flowchart")
    std = load_standard()
    for owner_id in [*(p.id for p in std.posts), *(u.id for u in std.units)]:
        assert owner_id in diagram
    for c in std.clauses():
        for r in c.relations:
            assert re.search(rf"{c.owner} -\.->\|[^|]*{r.kind}[^|]*\| {r.party}", diagram)


# ----------------------------------------------------------------------------- KPIs, math


def _registry() -> Any:
    try:
        from gdsmodel.metrics.registry import metrics

        return metrics()
    except (ImportError, OSError):
        return None


def test_math_is_rendered_as_mathml(site: Path) -> None:
    defs = _registry()
    if defs is None:
        pytest.skip("the KPI registry is not part of this build")
    kpis = page(site, "kpis").read_text(encoding="utf-8")
    with_formula = [d for d in defs if d.formula]
    assert kpis.count("<math ") >= len(with_formula)
    for path in site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        leftover = re.search(r'class="arithmatex">\s*\\[(\[]', text)
        assert leftover is None, f"unrendered formula in {path.relative_to(site)}"


def test_every_kpi_has_an_anchor_and_links_its_clauses(site: Path) -> None:
    defs = _registry()
    if defs is None:
        pytest.skip("the KPI registry is not part of this build")
    std = load_standard()
    kpis = parse(page(site, "kpis"))
    assert missing_anchors([d.id for d in defs], [page(site, "kpis")]) == []
    for d in defs:
        for cid in d.clauses:
            assert any(h.endswith(f"#{cid}") for h in kpis.hrefs), (d.id, cid)
            owner = std.clause(cid).owner
            folder = "posts" if any(p.id == owner for p in std.posts) else "units"
            hrefs = parse(page(site, f"standard/{folder}/{owner}")).hrefs
            assert any(h.endswith(f"kpis/#{d.id}") for h in hrefs), (cid, d.id)


def _hook(name: str = "gen_pages") -> Any:
    """A module of docs/_hooks, imported from its file."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, DOCS / "_hooks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", ["gen_pages", "griffe_docstrings"])
def test_hook_doctests(name: str) -> None:
    import doctest

    result = doctest.testmod(_hook(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_worked_examples_are_shown_and_run(site: Path) -> None:
    defs = _registry()
    guide = DOCS / "metrics.md"
    if defs is None or not guide.exists():
        pytest.skip("the KPI registry or its guide is not part of this build")
    import doctest

    examples = _hook().worked_examples(guide.read_text(encoding="utf-8"))
    assert examples, "the KPI guide has no worked example"
    kpis = "".join(parse(page(site, "kpis")).text)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for metric_id, example in examples.items():
        assert metric_id in {d.id for d in defs}, f"the guide has an example of unknown {metric_id}"
        first = example.splitlines()[0].removeprefix(">>> ")
        assert first in kpis, f"the worked example of {metric_id} is not on the KPI page"
        test = doctest.DocTestParser().get_doctest(example, {}, metric_id, "metrics.md", 0)
        runner.run(test, out=lambda _: None)
    assert runner.failures == 0, f"{runner.failures} worked example(s) failed"


# ----------------------------------------------------------------------------- downloads


def test_json_download_equals_the_standard(site: Path) -> None:
    data = json.loads((site / "downloads" / "standard.json").read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(load_standard().to_data(), ensure_ascii=False))


def test_yaml_download_parses_to_the_same_data(site: Path) -> None:
    yaml = pytest.importorskip("yaml")
    data = yaml.safe_load((site / "downloads" / "standard.yaml").read_text(encoding="utf-8"))
    assert data == json.loads((site / "downloads" / "standard.json").read_text(encoding="utf-8"))


def test_schema_download_validates_the_json(site: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((site / "downloads" / "standard.schema.json").read_text(encoding="utf-8"))
    data = json.loads((site / "downloads" / "standard.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)


def test_kpi_registry_download(site: Path) -> None:
    defs = _registry()
    if defs is None:
        pytest.skip("the KPI registry is not part of this build")
    from gdsmodel.metrics.registry import KpiFile
    from gdsmodel.serialize import structure

    data = json.loads((site / "downloads" / "kpis.json").read_text(encoding="utf-8"))
    assert data["format"] == "gdsmodel.kpis/1"
    assert structure(data, KpiFile).metrics == tuple(defs)  # it reads back as the registry


def test_downloads_page_links_every_file(site: Path) -> None:
    hrefs = parse(page(site, "downloads")).hrefs
    for f in (site / "downloads").iterdir():
        if f.name != "index.html":
            assert any(h.endswith(f.name) for h in hrefs), f.name


# ----------------------------------------------------------------------------- search, CLI


def _tokens(site: Path, location_end: str) -> list[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    for doc in index["docs"]:
        if doc["location"].endswith(location_end):
            text = re.sub(r"<[^>]+>", " ", doc["title"] + " " + doc["text"])
            return [t for t in separator.split(text) if t]
    raise AssertionError(f"no search entry for {location_end}")


def test_chinese_words_are_search_tokens(site: Path) -> None:
    tokens = _tokens(site, "#safety_officer.standard.3")
    assert "四不放过" in tokens
    assert "事故" in tokens
    assert "两票合格率" in _tokens(site, "#safety_officer.standard.4")


def test_cli_reference_lists_every_command(site: Path) -> None:
    from gdsmodel.cli import build_parser

    parser = build_parser()
    ids = parse(page(site, "reference/cli")).ids
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:  # type: ignore[union-attr]
        assert name in ids


# ----------------------------------------------------------------------------- code samples

SAMPLE_PAGES = sorted(
    p.relative_to(DOCS).as_posix() for p in [DOCS / "index.md", *DOCS.glob("learn/*.md")]
)
_FENCE = re.compile(r"^( *)```(\w+)\n(.*?)^\1```", re.S | re.M)


def _samples(path: Path) -> list[tuple[str, str]]:
    out = []
    for m in _FENCE.finditer(path.read_text(encoding="utf-8")):
        indent = len(m.group(1))
        body = "\n".join(line[indent:] for line in m.group(3).splitlines())
        out.append((m.group(2), body))
    return out


@pytest.mark.parametrize("name", SAMPLE_PAGES)
def test_code_samples_run(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every ``python`` block runs, its ``print(...)  # expected`` comments hold, and every
    ``$ gdsmodel ...`` line of a ``console`` block exits with 0."""
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    samples = _samples(DOCS / name)
    assert samples, f"{name} has no code sample"
    for lang, body in samples:
        if lang == "python":
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(body, f"{name}:sample", "exec"), {"__name__": "__sample__"})
            printed = out.getvalue()
            for line in body.splitlines():
                m = re.match(r"\s*print\(.*\)\s+#\s(.+)$", line)
                if m:
                    expected = re.split(r"\.\.\.| \(", m.group(1))[0].strip()
                    assert expected in printed, f"{name}: {line.strip()!r} printed {printed!r}"
        elif lang == "console":
            for line in body.splitlines():
                if line.startswith("$ gdsmodel "):
                    args = shlex.split(line[2:].split("  #")[0])[1:]
                    assert main(args) == 0, f"{name}: {line}"
    capsys.readouterr()
