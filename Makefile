# The two commands a new user needs: `make run` and `make test`. See README.md.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# `make run FRESH=1` starts the local stack empty, at real time; without it, it resumes.
FRESH ?=
STAMP := $(VENV)/.installed
# checkov's pins conflict with the test suite's, so it has a virtualenv of its own.
CHECKOV_VENV := .venv-checkov
CHECKOV_STAMP := $(CHECKOV_VENV)/.installed
# aws-sam-cli pins an older boto3 than the test suite's: `sam build` runs from its own virtualenv
# (tests/infra/test_sam_build.py and `make bench`), with Python 3.12 on PATH.
SAM_VENV := .venv-sam
SAM_STAMP := $(SAM_VENV)/.installed
# The unit tests again on Python 3.12, the Lambda runtime's version (infra/python312.sh finds
# it: $PYTHON312, python3.12 on PATH, or pyenv's newest 3.12), with the layer's locked versions.
PY312_VENV := .venv-312
PY312_STAMP := $(PY312_VENV)/.installed
INFRA_BUILD := build/infra
# Lighthouse CI for `make audit`, from npm, pinned here; installed into .venv/node/ with no
# lock file (lock files record registry URLs).
LHCI_VERSION := 0.15.1
LHCI_DIR := $(VENV)/node
LHCI := $(LHCI_DIR)/node_modules/.bin/lhci
LHCI_STAMP := $(LHCI_DIR)/.lhci-$(LHCI_VERSION)
# The Nu Html Checker (npm vnu-jar, pinned; run by Debian's default-jre-headless) checks every
# page, the guide's and the API's, in `make test` (tests/browser/test_valid_html.py).
VNU_VERSION := 26.9.27
VNU_DIR := $(VENV)/vnu
VNU_STAMP := $(VNU_DIR)/.vnu-$(VNU_VERSION)
# cosmic-ray for `make mutation`, in a virtualenv of its own (never part of `make install`).
MUTATION_VENV := .venv-mutation
MUTATION_STAMP := $(MUTATION_VENV)/.installed
WORKERS ?= 2
# The staff console's styles: GOV.UK Frontend and MoJ Frontend from npm, exact versions, installed
# into build/npm/ with no lock file (lock files record registry URLs); `make site` turns them into
# build/site/staff/assets/ (complaints_tools.staff_assets: the council's name, a system font).
GOVUK_FRONTEND_VERSION := 6.6.0
MOJ_FRONTEND_VERSION := 11.1.0
NPM_DIR := build/npm
NPM_STAMP := $(NPM_DIR)/.frontend-$(GOVUK_FRONTEND_VERSION)-$(MOJ_FRONTEND_VERSION)

.PHONY: help install run test lint typecheck site infra openapi pytest test-312 lock deploy-site audit bench mutation clean

help:
	@echo "make run      start the guide, the API and the embedded AWS on http://127.0.0.1:$(PORT)"
	@echo "              (resumes where it stopped; make run FRESH=1 starts empty)"
	@echo "make test     install what is missing and run every check and test"
	@echo "make install  create .venv/ with the pinned packages, and the tools' own virtualenvs (idempotent)"
	@echo "make lock     rewrite functions/layer/requirements.txt (the layer's lock, with hashes)"
	@echo "make test-312 the unit tests on Python 3.12, the Lambda runtime's version (part of make test)"
	@echo "make infra    check template.yaml offline: cfn-lint, the SAM transform, checkov"
	@echo "make openapi  rewrite functions/tooling/complaints_tools/openapi/openapi.json from the API's routes"
	@echo "make deploy-site COMPLAINTS_STACK=<stack>  publish the guide to a deployed stack"
	@echo "make audit    Lighthouse scores of the start, procedure and form pages (local only)"
	@echo "make bench    deployed bytes, cold starts, submit load and sweep reads against the goals (local only)"
	@echo "make mutation mutation score of the clock, procedure data and lifecycle (local only)"

# `make run` needs only .venv/ (and the console's npm styles); the infra checks add checkov's
# and aws-sam-cli's own virtualenvs, `make test-312` a Python 3.12 one, and the HTML checks vnu.
install: $(STAMP) $(CHECKOV_STAMP) $(SAM_STAMP) $(PY312_STAMP) $(NPM_STAMP) $(VNU_STAMP)

$(NPM_STAMP):
	@command -v npm >/dev/null || { echo "npm is needed for the staff console's styles (Debian: apt-get install nodejs npm)"; exit 1; }
	npm install --prefix $(NPM_DIR) --no-package-lock --no-save --no-audit --no-fund \
		--ignore-scripts govuk-frontend@$(GOVUK_FRONTEND_VERSION) \
		@ministryofjustice/frontend@$(MOJ_FRONTEND_VERSION)
	@touch $@

$(STAMP): requirements.txt functions/requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

$(VNU_STAMP): $(STAMP)
	npm install --prefix $(VNU_DIR) --no-package-lock --no-save --no-audit --no-fund \
		--ignore-scripts vnu-jar@$(VNU_VERSION)
	@touch $@

$(CHECKOV_STAMP): infra/requirements-checkov.txt
	@test -x $(CHECKOV_VENV)/bin/python || $(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r infra/requirements-checkov.txt
	@touch $(CHECKOV_STAMP)

$(SAM_STAMP): infra/requirements-sam.txt
	@test -x $(SAM_VENV)/bin/python || $(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r infra/requirements-sam.txt
	@touch $(SAM_STAMP)

# The lock first, every file checked against its hash and without its packages' own
# requirements (as the layer gets it: docopt, which the lock leaves out, is never fetched), then
# the rest of the development requirements held to the lock's versions. The code is found through a .pth
# file (an editable install would write complaints.egg-info while .venv/'s install does).
$(PY312_STAMP): functions/layer/requirements.txt requirements.txt functions/requirements.txt infra/python312.sh
	@python312=$$(sh infra/python312.sh) || exit 1; \
	  test -x $(PY312_VENV)/bin/python || $$python312 -m venv $(PY312_VENV)
	$(PY312_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	  --require-hashes --no-deps -r functions/layer/requirements.txt
	$(PY312_VENV)/bin/python infra/lock.py --constraints > $(PY312_VENV)/constraints.txt
	$(PY312_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
	  -r requirements.txt -c $(PY312_VENV)/constraints.txt
	@printf '%s\n' "$(CURDIR)/functions/runtime" "$(CURDIR)/functions/tooling" \
	  > "$$($(PY312_VENV)/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')/complaints-source.pth"
	@touch $(PY312_STAMP)

# functions/layer/requirements.txt from functions/requirements.txt: uv resolves it for Lambda
# (Python 3.12, arm64) and records each file's hash, never a download address. boto3 stays out
# (the runtime has it: README "What Lambda carries"). LOCK_ARGS=--upgrade moves what
# functions/requirements.txt does not pin to its newest version. tests/infra fails while stale.
lock: $(STAMP)
	$(BIN)/python infra/lock.py $(LOCK_ARGS)

site: $(STAMP) $(NPM_STAMP)
	$(BIN)/python -m complaints_tools.sitegen
	$(BIN)/mkdocs build --strict --quiet
	$(BIN)/python -m complaints_tools.pageshell build/site
	$(BIN)/python -m complaints_tools.staff_assets $(NPM_DIR)/node_modules build/site/staff/assets

run: site
	FRESH=$(FRESH) PORT=$(PORT) $(BIN)/python -m complaints_tools.local

# The API's OpenAPI document, from the resolver's routes (tests/unit/test_openapi.py fails when
# the committed file is out of date; tests/contract runs schemathesis against it).
openapi: $(STAMP)
	$(BIN)/python -m complaints_tools.openapi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy infra/lock.py

# The deployed system, checked offline (no AWS credentials): the template as written, the
# template after the SAM transform (what CloudFormation deploys), and the us-east-1 WAF stack.
infra: $(STAMP) $(CHECKOV_STAMP)
	$(BIN)/python infra/sam_transform.py template.yaml $(INFRA_BUILD)/template.json
	$(BIN)/cfn-lint template.yaml infra/edge.yaml $(INFRA_BUILD)/template.json
	$(CHECKOV_VENV)/bin/checkov --quiet --compact --skip-download --framework cloudformation \
	  -f template.yaml -f infra/edge.yaml -f $(INFRA_BUILD)/template.json

pytest: $(STAMP) $(CHECKOV_STAMP) $(SAM_STAMP) $(VNU_STAMP)
	$(BIN)/pytest

# The runtime package's tests on the Lambda runtime's Python (and the tooling's beside them).
test-312: $(PY312_STAMP)
	@$(PY312_VENV)/bin/python -c 'import sys; print("Unit tests on Python", sys.version.split()[0])'
	$(PY312_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/unit

# The quick checks and the Python 3.12 unit tests run two at a time (each one's output printed
# whole when it ends); then the test suite on its own, so its timings see a quiet machine.
test:
	@$(MAKE) --no-print-directory -j2 --output-sync=target lint typecheck site infra test-312
	@$(MAKE) --no-print-directory pytest

# Publish the built guide to a deployed stack (AWS CLI and credentials; README "Deploy to AWS").
deploy-site: site
	COMPLAINTS_STACK="$(COMPLAINTS_STACK)" $(BIN)/python infra/deploy_site.py build/site

$(LHCI_STAMP):
	npm install --prefix $(LHCI_DIR) --no-package-lock --no-save --no-audit --no-fund \
		--ignore-scripts @lhci/cli@$(LHCI_VERSION)
	@touch $@

# Reports go to build/lighthouse/reports/ and are never uploaded.
audit: site $(LHCI_STAMP)
	$(BIN)/python -m tests.browser.lighthouse --lhci $(LHCI)

# A benchmark, not a test: prints figures and goals, exits non-zero when a goal is missed.
bench: site $(SAM_STAMP)
	$(BIN)/python -m bench

$(MUTATION_STAMP): requirements-mutation.txt
	@test -x $(MUTATION_VENV)/bin/python || $(PYTHON) -m venv $(MUTATION_VENV)
	$(MUTATION_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-mutation.txt
	@touch $(MUTATION_STAMP)

# Not a part of `make test` or CI: mutates the rules' modules one change at a time and runs their
# unit tests against each mutant (README "Mutation testing"). State goes to build/mutation/.
# WORKERS=1 or 2; ONLY="functions/runtime/complaints/clock.py ..." for some modules; ARGS=--again runs
# only the last run's survivors again.
mutation: $(STAMP) $(MUTATION_STAMP)
	$(MUTATION_VENV)/bin/python tests/mutation/run.py --workers $(WORKERS) \
	  $(if $(ONLY),--only $(ONLY)) $(ARGS)

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
