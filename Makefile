# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test lint bench clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/coach demo

lint: $(STAMP)
	$(BIN)/ruff check coach tests bench
	$(BIN)/mypy

test: lint
	bash tests/system_packages.sh
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/align.py
	$(BIN)/python bench/live.py
	$(BIN)/python bench/encode.py

clean:
	rm -rf $(VENV) build *.egg-info
