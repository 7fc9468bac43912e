# The front door: `make run` starts the app on the embedded default, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# `make run` listens on localhost only; `make run ADDRESS=0.0.0.0` opens it (put a reverse proxy in front: docs/)
ADDRESS ?= 127.0.0.1
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

.PHONY: run init test bench lint mutation mutation-rules

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

init: $(STAMP)
	$(PY) -m loaders init --sample

run: init
	$(PY) -m streamlit run dashboard/app.py --server.headless true --server.address $(ADDRESS)

test: $(STAMP)
	PY=$(PY) bash ci/test.sh

bench: $(STAMP)
	$(PY) -m bench

lint: $(STAMP)
	$(PY) -m ruff check .

# Planted bugs in the core (issue 17; [tool.mutmut] in pyproject.toml): about an hour on 2 cores. Not part of CI.
mutation: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check mutmut==3.8.1
	$(VENV)/bin/mutmut run --max-children 2 || true
	$(VENV)/bin/mutmut results

mutation-rules: $(STAMP)
	$(PY) -m tests.rule_mutants
