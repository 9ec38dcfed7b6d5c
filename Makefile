# Two commands on a fresh machine:  `make run` (build + validate + viewer)  and  `make test` (whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed

.PHONY: run test build validate system-deps benchmark clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,notebooks]'
	touch $(STAMP)

run: $(STAMP)            ## build, validate and write the graph, KGX, stats and viewer; prints where they are
	$(BIN)/kg build

test: $(STAMP) system-deps  ## the whole test suite, including browser, triple-store and notebook tests
	$(BIN)/python -m pytest

system-deps:             ## Debian packages the browser and triple-store tests drive (needs root)
	@./scripts/install-system-deps.sh

build validate: $(STAMP)
	$(BIN)/kg $@

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build .build.partial-* test-artefacts
