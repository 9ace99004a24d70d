# Developer tasks. Every target works from a fresh clone with Python 3.11+ and PyPI access.
#
# Stamp files inside the virtual environment record what was installed. pip runs again only
# when pyproject.toml is newer than the stamp, or when the environment was deleted, because
# the stamps are deleted with it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip -q --disable-pip-version-check
INSTALL_STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: venv install dev hunt test lint

venv: $(BIN)/python

# Order-only prerequisite below, because the interpreter is a symlink whose modification
# time is that of the base Python, not of the environment.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(INSTALL_STAMP)

$(INSTALL_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

dev: $(DEV_STAMP)

# The dev extras include the package itself, so this also counts as a plain install.
$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	touch $(INSTALL_STAMP) $@

hunt: install
	$(BIN)/cqlkit hunt data/

test: dev
	$(BIN)/python -m pytest

lint: dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
