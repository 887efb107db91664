# gdsmodel: `make demo` and `make test` work on a fresh clone with only Python 3.11 present.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
LINTED := $(wildcard src tests docs/_hooks examples benchmarks)

.PHONY: demo test test-quick lint typecheck docs-build docs clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Installation stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

# The main job: the monthly report of the bundled example station, in both languages,
# on the terminal and as a self-contained HTML page with charts.
demo: $(VENV)/.installed
	$(BIN)/gdsmodel report examples/station --month 2026-03 --lang both
	$(BIN)/gdsmodel report examples/station --month 2026-03 --lang both --format html \
		-o build/demo/report-2026-03.html
	@echo "HTML report: build/demo/report-2026-03.html"

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy --strict src/gdsmodel

# Mermaid, which draws the organisation diagram, is served with the docs site (no CDN):
# the npm registry's package, pinned here, unpacked into docs/_vendor/ (not committed).
MERMAID_VERSION := 11.17.2
MERMAID := docs/_vendor/mermaid-$(MERMAID_VERSION).min.js

$(MERMAID):
	mkdir -p docs/_vendor
	cd docs/_vendor && npm pack --silent mermaid@$(MERMAID_VERSION) >/dev/null \
		&& tar xzf mermaid-$(MERMAID_VERSION).tgz package/dist/mermaid.min.js \
		&& mv package/dist/mermaid.min.js $(notdir $(MERMAID)) \
		&& rm -rf package mermaid-$(MERMAID_VERSION).tgz \
		|| echo "WARNING: could not fetch mermaid $(MERMAID_VERSION) with npm: the docs' diagram will need a CDN"

# The documentation site, built strictly (warnings are errors).
docs-build: $(VENV)/.installed-dev $(MERMAID)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet -d site

test: lint typecheck docs-build
	$(BIN)/pytest

# A quick local run: skips the suites marked slow (CI runs them all through `make test`).
test-quick: $(VENV)/.installed-dev
	$(BIN)/pytest -m "not slow" -x -q

# Serve the documentation locally (rebuilds on changes to docs/ and the package data).
docs: $(VENV)/.installed-dev $(MERMAID)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve

clean:
	rm -rf $(VENV) build dist site docs/_vendor .mypy_cache .pytest_cache .ruff_cache
