# The README's two commands. Each creates its own virtual environment on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## run: inspect the bundled corpus and print what was found
run: $(STAMP)
	$(BIN)/kbsearch inspect --summary corpus

## test: run the test suite
test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) build dist .pytest_cache
