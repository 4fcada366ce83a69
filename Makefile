# chorusflow — every entry point a user or CI needs. A fresh machine needs only Python 3.11+.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: install run test lint typecheck check bench bench-full soak crash faults clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*; touch $@

install: $(STAMP)

## The main job on one machine: sandbox + data set + sample invoices, sent and followed.
run: install
	$(BIN)/chorusflow demo

## The whole suite (what CI runs).
test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile -q -m "not slow"

lint: install
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

typecheck: install
	$(BIN)/mypy --strict src

check: test lint typecheck

## Benchmarks, side by side with the alternative a user would pick (figures in the README).
bench: install
	$(BIN)/python -m bench

## Long runs, outside `make test`.
soak: install
	$(BIN)/python -m pytest -q -m slow -p no:cacheprovider --timeout 0

## Crash test: 2,000 invoices, 30 SIGKILLs of worker processes, SQLite and PostgreSQL.
crash: install
	$(BIN)/python -m bench.crash --invoices 2000 --kills 30

## Fault soak: the same under 5xx, 429, timeouts, drops, a token revocation and maintenance.
faults: install
	$(BIN)/python -m bench.crash --invoices 2000 --kills 30 --faults

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build *.egg-info src/*.egg-info
