# The two commands a new user needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# Lighthouse CI for `make audit`, from npm, pinned here; installed into .venv/node/ with no
# lock file (lock files record registry URLs).
LHCI_VERSION := 0.15.1
LHCI_DIR := $(VENV)/node
LHCI := $(LHCI_DIR)/node_modules/.bin/lhci
LHCI_STAMP := $(LHCI_DIR)/.lhci-$(LHCI_VERSION)

.PHONY: help install run test lint typecheck site pytest audit clean

help:
	@echo "make run      start the guide, the API and the embedded AWS on http://127.0.0.1:$(PORT)"
	@echo "make test     install what is missing and run every check and test"
	@echo "make install  create .venv/ with the pinned packages (idempotent)"
	@echo "make audit    Lighthouse scores of the start, procedure and form pages (local only)"

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

$(LHCI_STAMP):
	npm install --prefix $(LHCI_DIR) --no-package-lock --no-save --no-audit --no-fund \
		--ignore-scripts @lhci/cli@$(LHCI_VERSION)
	@touch $@

# Reports go to build/lighthouse/reports/ and are never uploaded.
audit: site $(LHCI_STAMP)
	$(BIN)/python -m tests.browser.lighthouse --lhci $(LHCI)

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
