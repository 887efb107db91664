# gdsmodel: `make demo` and `make test` work on a fresh clone with only Python 3.11 present.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python

.PHONY: demo test test-quick lint typecheck clean

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

demo: $(VENV)/.installed
	$(BIN)/gdsmodel posts
	$(BIN)/gdsmodel show safety_officer --lang both

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy --strict src/gdsmodel

test: lint typecheck
	$(BIN)/pytest

# A quick local run: skips the suites marked slow (CI runs them all through `make test`).
test-quick: $(VENV)/.installed-dev
	$(BIN)/pytest -m "not slow" -x -q

clean:
	rm -rf $(VENV) build dist .mypy_cache .pytest_cache .ruff_cache
