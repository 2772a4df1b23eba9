# Every target installs what it needs first: `make render` and `make test`
# work as the first command typed on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PLATFORMC := $(BIN)/platformc
# Test files spread over one worker per CPU (pytest-xdist); a file's tests stay in one worker,
# so module fixtures are built once.
PARALLEL := -n auto --dist loadfile
# Where PYTHONDONTWRITEBYTECODE is set, every test worker, and every platformc a test starts,
# would compile the package and rewrite the tests again on each run: the suites keep their
# bytecode (in the ignored __pycache__ folders).
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest

.PHONY: install bytecode render check validate verify vendor test test-slow test-all lint audit audit-update audit-docs fuzz bench clean

install: $(STAMP)

# An editable install leaves the package uncompiled, and where PYTHONDONTWRITEBYTECODE
# is set every run would compile it again: compile it (only what changed) up front.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q generator > /dev/null

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

render: bytecode
	$(PLATFORMC) render

validate: bytecode
	$(PLATFORMC) validate --all

check: bytecode
	$(PLATFORMC) check

verify: bytecode
	$(PLATFORMC) verify

# Vendor every pinned upstream chart (all environments) into vendor/charts/ and render them
# into rendered/. MIRROR: where every chart repository is fetched from instead (a directory
# such as ../shared/charts, or an http(s):// or oci:// URL); unset: the repositories themselves.
MIRROR ?=
vendor: bytecode
	$(PLATFORMC) vendor $(if $(MIRROR),--mirror '*=$(MIRROR)')
	$(PLATFORMC) render

# The everyday suite; the slow ones (fuzz campaigns, kill trials, machine matrices) are left out.
test: bytecode
	$(PYTEST) $(PARALLEL)

# The slow suites alone (CI runs them after `make test`), and everything at once.
test-slow: bytecode
	$(PYTEST) $(PARALLEL) -m slow

test-all: bytecode
	$(PYTEST) $(PARALLEL) -m 'not audit and not kubeconform'

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy

# checkov and argocd-source-lint over the rendered platform (docs/audit.md). They live in a venv
# of their own (audit/requirements.txt says why); platformc finds them through PLATFORMC_AUDIT_TOOLS.
AUDIT_VENV := .venv-audit
AUDIT_STAMP := $(AUDIT_VENV)/.installed
AUDIT_ENV := PLATFORMC_AUDIT_TOOLS=$(CURDIR)/$(AUDIT_VENV)/bin

$(AUDIT_STAMP): audit/requirements.txt
	test -x $(AUDIT_VENV)/bin/python || $(PYTHON) -m venv $(AUDIT_VENV)
	$(AUDIT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r audit/requirements.txt
	touch $(AUDIT_STAMP)

audit: $(AUDIT_STAMP) bytecode
	$(AUDIT_ENV) $(PYTEST) -m audit tests/unit/audit
	$(AUDIT_ENV) $(BIN)/python -m generator.audit

audit-update: $(AUDIT_STAMP) bytecode
	$(AUDIT_ENV) $(BIN)/python -m generator.audit --update

audit-docs: bytecode
	$(BIN)/python -m generator.audit --docs

fuzz: $(STAMP)
	PLATFORMC_FUZZ_EXAMPLES=2000 $(PYTEST) -m slow tests/reliability

bench: bytecode
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(AUDIT_VENV) .pytest_cache .mypy_cache .ruff_cache
