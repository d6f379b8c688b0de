# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
LOCK := requirements.lock
UV_VERSION := 0.13.9

.PHONY: demo test lint bench lock clean

# Every package comes from the lock (pinned versions with their hashes), so a fresh machine
# installs exactly what the last `make lock` chose; the project itself goes on top, editable.
$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# Refresh the lock on purpose: the newest versions pyproject.toml allows, for Python 3.10-3.12
# on every platform, with the build tools (setuptools, wheel) and pip itself.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	printf 'setuptools>=77\nwheel\npip\n' | $(BIN)/uv pip compile pyproject.toml - --extra dev \
		--universal --python-version 3.10 --generate-hashes --upgrade --quiet \
		--custom-compile-command "make lock" -o $(LOCK)
	@echo "$(LOCK) refreshed; 'make test' installs it"

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
