# dateline: news articles -> timeline. `make help` lists the targets.
#
# Each pipeline stage is one notebook run by papermill and one set of file targets; a stage reruns only when its
# notebook, its params file, its input data, the package modules it uses or the environment lock changed.

CORPUS ?= tikrit
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python

RAW := data/raw/$(CORPUS)
INTERIM := data/interim/$(CORPUS)
PROCESSED := data/processed/$(CORPUS)
REPORTS := reports/$(CORPUS)
EXECUTED := $(REPORTS)/executed
PARAMS := $(wildcard params/$(CORPUS).yaml)
RAW_FILES := $(shell find $(RAW) -type f 2>/dev/null | LC_ALL=C sort)

# The environment stamp is named for the lock's content, so a changed lock (or pyproject) reinstalls.
LOCK_HASH := $(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
STAMP := $(VENV)/.dateline-$(LOCK_HASH)

PKG := src/dateline
COMMON_SRC := $(PKG)/__init__.py $(PKG)/columns.py $(PKG)/config.py $(PKG)/io.py $(PKG)/notebook.py $(PKG)/progress.py
CLEAN_SRC := $(COMMON_SRC) $(PKG)/provenance.py $(PKG)/corpus.py $(PKG)/clean.py $(PKG)/dedup.py $(PKG)/offsets.py $(PKG)/language.py
ENTITIES_SRC := $(COMMON_SRC) $(PKG)/nlp.py $(PKG)/executor.py $(PKG)/entities.py $(PKG)/language.py $(PKG)/offsets.py $(PKG)/data/aliases.csv $(PKG)/data/demonyms.csv $(PKG)/data/not_entities.csv
TIMELINE_SRC := $(COMMON_SRC) $(PKG)/nlp.py $(PKG)/executor.py $(PKG)/entities.py $(PKG)/language.py $(PKG)/offsets.py $(wildcard $(PKG)/timex/*.py) $(PKG)/events.py $(PKG)/timeline.py $(PKG)/data/trigger_synonyms.csv
REPORT_SRC := $(COMMON_SRC) $(PKG)/plots.py $(PKG)/report.py $(PKG)/report_html.py $(PKG)/provenance.py \
	$(wildcard $(PKG)/timex/*.py)

# papermill runs each notebook from notebooks/ (as JupyterLab does) and writes the executed copy; on a failure it
# prints the failing cell and exception, and the executed copy stays for inspection.
PAPERMILL = $(PY) -m papermill --cwd notebooks --stderr-file /dev/stderr \
	-p corpus $(CORPUS) $(if $(PARAMS),-f $(PARAMS))

# Where stages 02 and 03 run their NLP: EXECUTOR=dask SCHEDULER=tcp://host:8786 (or local-cluster:N); the outputs
# are the same bytes as with the default (local), so they are not prerequisites.
EXECUTOR ?=
SCHEDULER ?=
NLP_PARAMS = $(if $(EXECUTOR),-p executor $(EXECUTOR)) $(if $(SCHEDULER),-p scheduler $(SCHEDULER))

# Arrow's default allocator (mimalloc) keeps the memory a large Parquet read has freed, so peaks grew with the
# corpus; jemalloc hands it back (stages 02 and 03 on 15,997 Reuters articles: 504 -> 424 MB, 540 -> 432 MB; the
# outputs are the same bytes). Arrow reads this once, when it loads, so it is set for the processes make starts.
export ARROW_DEFAULT_MEMORY_POOL ?= jemalloc

.DEFAULT_GOAL := report
.DELETE_ON_ERROR:
.PHONY: report pdf browser setup lock verify test bench bench-clean bench-nlp bench-timex eval-timex eval-timeline eval-entities lint lab clean help

## report: run the pipeline on CORPUS (default tikrit) and write reports/<corpus>/report.html and manifest.json
report: $(REPORTS)/report.html $(REPORTS)/manifest.json

## setup: create .venv from requirements.lock (hash-checked) and install dateline in it (editable)
setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(VENV)/.dateline-*
	touch $@

## lock: re-resolve requirements.txt into requirements.lock with hashes (needs the package index)
# The lock is complete, so setup installs it with --no-deps. Left out: rfc3987-syntax (and its lark), which
# jsonschema's optional "iri" format check imports, compiling 38 grammars in 3 s in every process that imports
# nbformat (papermill, each notebook step); nothing here validates IRIs.
lock: $(STAMP)
	$(PY) -m uv pip compile --quiet --generate-hashes --python-version 3.11 --no-header \
		--no-emit-package rfc3987-syntax --no-emit-package lark requirements.txt -o requirements.lock

## data/interim/<corpus>/documents.parquet: stage 01, read and clean the raw articles
$(INTERIM)/documents.parquet $(INTERIM)/rejected.csv $(INTERIM)/merged.csv $(INTERIM)/offsets.parquet \
		$(INTERIM)/summary.csv &: notebooks/01_clean.ipynb $(RAW_FILES) $(PARAMS) $(CLEAN_SRC) $(STAMP)
	mkdir -p $(EXECUTED)
	$(PAPERMILL) $< $(EXECUTED)/01_clean.ipynb
	$(PY) -m dateline.notebook $(EXECUTED)/01_clean.ipynb

## data/processed/<corpus>/entities.parquet: stage 02, named entities, canonical entities, co-occurrence
$(PROCESSED)/mentions.parquet $(PROCESSED)/entities.parquet $(PROCESSED)/cooccurrence.parquet $(PROCESSED)/sentences.parquet &: \
		notebooks/02_entities.ipynb $(INTERIM)/documents.parquet $(INTERIM)/offsets.parquet $(PARAMS) \
		$(ENTITIES_SRC) $(STAMP)
	mkdir -p $(EXECUTED)
	$(PAPERMILL) $(NLP_PARAMS) $< $(EXECUTED)/02_entities.ipynb
	$(PY) -m dateline.notebook $(EXECUTED)/02_entities.ipynb

## data/processed/<corpus>/events.parquet: stage 03, time expressions, events and the timeline
$(PROCESSED)/timexes.parquet $(PROCESSED)/events.parquet $(PROCESSED)/timeline.csv \
		$(PROCESSED)/entity_timelines.parquet &: \
		notebooks/03_timeline.ipynb $(INTERIM)/documents.parquet $(PROCESSED)/mentions.parquet \
		$(PROCESSED)/entities.parquet $(PROCESSED)/sentences.parquet $(PARAMS) $(TIMELINE_SRC) $(STAMP)
	mkdir -p $(EXECUTED)
	$(PAPERMILL) $(NLP_PARAMS) $< $(EXECUTED)/03_timeline.ipynb
	$(PY) -m dateline.notebook $(EXECUTED)/03_timeline.ipynb

## reports/<corpus>/report.html: stage 04, figures and tables, rendered without code
$(REPORTS)/report.html: notebooks/04_report.ipynb $(INTERIM)/documents.parquet $(INTERIM)/rejected.csv \
		$(INTERIM)/merged.csv $(PROCESSED)/mentions.parquet $(PROCESSED)/entity_timelines.parquet \
		$(PROCESSED)/entities.parquet $(PROCESSED)/events.parquet $(PROCESSED)/timexes.parquet \
		$(PROCESSED)/cooccurrence.parquet $(PARAMS) $(REPORT_SRC) $(STAMP)
	mkdir -p $(EXECUTED)
	$(PAPERMILL) $< $(EXECUTED)/04_report.ipynb
	$(PY) -m dateline.notebook $(EXECUTED)/04_report.ipynb
	$(PY) -m dateline.report_html $(EXECUTED)/04_report.ipynb $@

CHROMIUM ?= chromium
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --disable-extensions

## pdf: reports/<corpus>/report.pdf from report.html with headless Chromium (A4; installs Debian's chromium if missing)
pdf: $(REPORTS)/report.pdf

$(REPORTS)/report.pdf: $(REPORTS)/report.html $(PKG)/pdf.py | browser
	$(PY) -m dateline.pdf $< $@ --chromium $(CHROMIUM)

## browser: make sure headless Chromium is there (Debian's package, installed with apt-get when missing)
browser:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { echo "installing Debian's chromium with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

STAGE_OUTPUTS = $(INTERIM)/documents.parquet $(INTERIM)/rejected.csv $(INTERIM)/merged.csv $(INTERIM)/offsets.parquet \
	$(INTERIM)/summary.csv $(PROCESSED)/mentions.parquet $(PROCESSED)/entities.parquet \
	$(PROCESSED)/cooccurrence.parquet $(PROCESSED)/sentences.parquet $(PROCESSED)/timexes.parquet \
	$(PROCESSED)/events.parquet $(PROCESSED)/timeline.csv $(PROCESSED)/entity_timelines.parquet

## reports/<corpus>/manifest.json: sha256 of every input and output, parameters, packages, model, git commit
$(REPORTS)/manifest.json: $(REPORTS)/report.html $(STAGE_OUTPUTS) $(RAW_FILES) $(PARAMS) $(PKG)/provenance.py
	$(PY) -m dateline.provenance write $(CORPUS)

## verify: rerun CORPUS from data/raw in a temporary copy and compare every output with the manifest
verify: $(STAMP)
	$(PY) -m dateline.provenance verify $(CORPUS) --venv $(abspath $(VENV))

## test: unit tests and one end-to-end run of the pipeline on a tiny corpus (sets up .venv first)
test: $(STAMP)
	-@$(MAKE) --no-print-directory browser
	$(PY) -m pytest

REUTERS ?= ../shared/data/reuters21578

BENCH_SIZES ?= 1000,5000,18000

## bench: make report on the first 1,000, 5,000 and all Reuters-21578 articles (REUTERS=folder, BENCH_SIZES=...):
## seconds, words/s and peak RSS per stage, bare spaCy on the same texts, slope; reports/bench/scale.{csv,png}
bench: $(STAMP)
	$(PY) -m dateline.cli bench --reuters $(REUTERS) --sizes $(BENCH_SIZES)

## bench-clean: stage 01 on Reuters-21578 (REUTERS=folder): dateline accuracy, false datelines, MB/s on one core
bench-clean: $(STAMP)
	$(PY) -m dateline.cli bench-clean --reuters $(REUTERS)

## bench-nlp: words/s of stages 02 and 03 on the Wikinews corpus against bare spaCy nlp.pipe (full, senter+ner)
bench-nlp: $(STAMP)
	$(PY) -m dateline.cli bench-nlp --corpus wikinews

TIMEML ?= ../shared/data/timeml/TBAQ-cleaned

## bench-timex: documents/s of the temporal tagger on one core, given parsed Docs and text only (TIMEML=folder,
## default TBAQ-cleaned; the Wikinews corpus where it is absent)
bench-timex: $(STAMP)
	$(PY) -m dateline.cli bench-timex --timeml $(TIMEML)

## eval-timex: TempEval-3 scores of the temporal tagger on TimeML gold (TIMEML=folder, default TBAQ-cleaned)
eval-timex: $(STAMP)
	rm -rf reports/eval-timex && mkdir -p reports/eval-timex
	$(PY) -m dateline.cli timeml annotate $(TIMEML) reports/eval-timex/system
	$(PY) -m dateline.cli timeml score $(TIMEML) reports/eval-timex/system --errors 15

## eval-timeline: precision and recall of dated events (date, trigger, main actor) against tests/gold/timelines.yaml
eval-timeline: $(STAMP)
	$(PY) -m dateline.cli eval-timeline --gold tests/gold/timelines.yaml --errors

## eval-entities: precision and recall of canonical entities and alias merges against tests/gold/entities.yaml
eval-entities: $(STAMP)
	$(PY) -m dateline.cli eval-entities --gold tests/gold/entities.yaml

## lint: ruff over the package, the tests and the notebooks' paired scripts
lint: $(STAMP)
	$(PY) -m ruff check src tests notebooks/*.py

## lab: open JupyterLab on the notebooks with the project's environment
lab: $(STAMP)
	$(PY) -m jupyter lab notebooks

## clean: remove every generated output (data/interim, data/processed, data/cache, reports); never data/raw
clean:
	rm -rf data/interim data/processed data/cache reports

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'
