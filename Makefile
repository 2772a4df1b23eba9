# Every target installs what it needs first: `make render` and `make test`
# work as the first command typed on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PLATFORMC := $(BIN)/platformc

.PHONY: install render check validate verify test lint fuzz bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

render: $(STAMP)
	$(PLATFORMC) render

validate: $(STAMP)
	$(PLATFORMC) validate --all

check: $(STAMP)
	$(PLATFORMC) check

verify: $(STAMP)
	$(PLATFORMC) verify

test: $(STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests
	$(BIN)/mypy

fuzz: $(STAMP)
	PLATFORMC_FUZZ_EXAMPLES=2000 $(BIN)/pytest -m slow tests/reliability

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
