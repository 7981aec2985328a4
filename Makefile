# `make test` and `make demo` are the two commands a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Meltano lives in its own venv: its pins must not constrain the project's.
MELTANO_VENV := .venv-meltano
MELTANO := $(MELTANO_VENV)/bin/meltano
MELTANO_VERSION := 4.4.1

.PHONY: test lint typecheck demo bench test-faults schemas emulator clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

$(MELTANO):
	test -x $(MELTANO_VENV)/bin/python || $(PYTHON) -m venv $(MELTANO_VENV)
	$(MELTANO_VENV)/bin/pip install -q --upgrade pip
	$(MELTANO_VENV)/bin/pip install -q meltano==$(MELTANO_VERSION)

test: $(STAMP) $(MELTANO) lint typecheck
	MELTANO_BIN=$(abspath $(MELTANO)) $(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check tap_bigcommerce target_bigcommerce bigcommerce_emulator tests scripts bench
	$(VENV)/bin/ruff format --check tap_bigcommerce target_bigcommerce bigcommerce_emulator tests scripts bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy tap_bigcommerce target_bigcommerce bigcommerce_emulator

test-faults: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -m faults tests/faults

schemas: $(STAMP)
	$(PY) scripts/generate_schemas.py

demo: $(STAMP) $(MELTANO)
	MELTANO_BIN=$(abspath $(MELTANO)) bash scripts/demo.sh

bench: $(STAMP)
	$(PY) bench/run.py

emulator: $(STAMP)
	$(VENV)/bin/bigcommerce-emulator --port 0 --store-hash demo --token demo-token --size small

clean:
	rm -rf $(VENV) $(MELTANO_VENV) .meltano output
