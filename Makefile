# Two commands do all the set-up on a fresh clone (Python 3.11+, no conda needed):
#   make pipeline   install into .venv and run the whole pipeline on the synthetic default
#   make test       install into .venv and run the test suite
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: pipeline test test-all install benchmark lint clean

$(STAMP): requirements.lock pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

pipeline: $(STAMP)
	$(VENV)/bin/snakemake --profile workflow/profiles/default
	$(VENV)/bin/snakemake --report results/snakemake_report.html

test: $(STAMP)
	$(PY) -m pytest -m "not slow" -q

test-all: $(STAMP)
	$(PY) -m pytest -q

benchmark: $(STAMP)
	$(PY) benchmarks/run.py --national

lint: $(STAMP)
	$(VENV)/bin/snakemake --lint

clean:
	rm -rf data/synthetic/*.parquet data/synthetic/*.csv data/synthetic/*.json data/synthetic/counterfactual \
	       data/panel logs .snakemake
	find results -mindepth 1 ! -name README.md -exec rm -rf {} +
