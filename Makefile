# `make test` and `make demo` are the two commands a newcomer needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test lint typecheck demo bench test-faults schemas emulator clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

test: $(STAMP) lint typecheck
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(VENV)/bin/ruff check tap_bigcommerce target_bigcommerce bigcommerce_emulator tests scripts bench
	$(VENV)/bin/ruff format --check tap_bigcommerce target_bigcommerce bigcommerce_emulator tests scripts bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy tap_bigcommerce target_bigcommerce bigcommerce_emulator

test-faults: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider -m faults tests/faults

schemas: $(STAMP)
	$(PY) scripts/generate_schemas.py

demo: $(STAMP)
	bash scripts/demo.sh

bench: $(STAMP)
	$(PY) bench/run.py

emulator: $(STAMP)
	$(VENV)/bin/bigcommerce-emulator --port 0 --store-hash demo --token demo-token --size small

clean:
	rm -rf $(VENV) .meltano output
