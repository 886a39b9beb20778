# The two commands a new user needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: help install run test lint typecheck site pytest clean

help:
	@echo "make run      start the guide, the API and the embedded AWS on http://127.0.0.1:$(PORT)"
	@echo "make test     install what is missing and run every check and test"
	@echo "make install  create .venv/ with the pinned packages (idempotent)"

install: $(STAMP)

$(STAMP): requirements.txt functions/requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

site: install
	$(BIN)/python -m complaints.sitegen
	$(BIN)/mkdocs build --strict --quiet

run: site
	PORT=$(PORT) $(BIN)/python -m complaints.local

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

pytest: install
	$(BIN)/pytest

test: lint typecheck site pytest

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
