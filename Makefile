# The README's two commands. Each creates its own virtual environment on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean translations chromium wrk

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

INDEX  ?= .kbsearch/index
HOST   ?= 127.0.0.1
PORT   ?= 8000

## run: index the bundled corpus (only what changed) and serve it
run: $(STAMP)
	$(BIN)/kbsearch index corpus --index $(INDEX)
	$(BIN)/kbsearch serve --index $(INDEX) --host $(HOST) --port $(PORT)

## test: run the test suite (the browser tests need Chromium: installed here when possible)
test: $(STAMP) chromium wrk
	$(BIN)/python -m pytest

## bench: the performance benchmark at 10,000 and 100,000 documents (long); bench/README.md
bench: $(STAMP) wrk
	$(BIN)/python -m bench

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	      || echo "!!!!! could not install wrk: HTTP benchmarks will be skipped"; \
	  else echo "!!!!! wrk is missing: HTTP benchmarks will be skipped"; fi; }

chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	      >/dev/null) || echo "!!!!! could not install chromium: BROWSER TESTS WILL BE SKIPPED"; \
	  else \
	    echo "!!!!! chromium is missing and cannot be installed here (needs root and apt-get):"; \
	    echo "!!!!! BROWSER TESTS WILL BE SKIPPED. Install Debian's chromium, or set KBSEARCH_CHROMIUM."; \
	  fi; }

clean:
	rm -rf $(VENV) build dist .pytest_cache

## translations: extract interface messages, merge them into each language, compile
TR := src/kbsearch/web/translations
translations: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -o $(TR)/messages.pot .
	$(BIN)/pybabel update -i $(TR)/messages.pot -d $(TR)
	$(BIN)/pybabel compile -d $(TR)
