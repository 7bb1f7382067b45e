# dateline: news articles -> timeline. `make help` lists the targets.
#
# Each pipeline stage is one notebook run by papermill and one set of file targets; a stage reruns only when its
# notebook, its params file, its input data, the package modules it uses or the environment lock changed.

CORPUS ?= tikrit
# A corpus is a folder name under data/raw/: refused here, before anything is written, if it could name another place.
ifneq ($(shell printf '%s' '$(subst ','\'',$(CORPUS))' | LC_ALL=C grep -xE '[A-Za-z0-9][A-Za-z0-9_.-]{0,99}'),$(CORPUS))
$(error CORPUS='$(CORPUS)' is not a corpus name: use the name of a folder under data/raw/, made of letters, digits, '.', '_' and '-' (no spaces, no '/'))
endif
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python

RAW := data/raw/$(CORPUS)
INTERIM := data/interim/$(CORPUS)
PROCESSED := data/processed/$(CORPUS)
REPORTS := reports/$(CORPUS)
EXECUTED := $(REPORTS)/executed
PARAMS_FILE := params/$(CORPUS).yaml
PARAMS := $(wildcard $(PARAMS_FILE))

# Make cannot name files with spaces, '$', ':' or '#' as prerequisites, and would not notice a deleted params file, so
# the stages depend on two listings that change when their inputs do: every raw file (links followed) with its size
# and modification time, and the params in force (the file's bytes, or none). Each is rewritten only when it differs,
# here, before make compares anything, so `make -q` and a rerun see a renamed, edited or deleted input.
RAW_LIST := $(INTERIM)/.raw-files.tsv
PARAMS_IN_FORCE := $(INTERIM)/.params.yaml
PARAMS_CHECKED := $(INTERIM)/.params-checked
ifneq ($(filter-out help clean lint lab lock setup browser test,$(or $(MAKECMDGOALS),report)),)
$(shell mkdir -p $(INTERIM) && \
	{ find -L $(RAW) -mindepth 1 -printf '%P\t%y\t%s\t%T@\n' 2>&1 | LC_ALL=C sort; } > $(RAW_LIST).new && \
	{ cmp -s $(RAW_LIST).new $(RAW_LIST) && rm -f $(RAW_LIST).new || mv -f $(RAW_LIST).new $(RAW_LIST); }; \
	{ cat $(PARAMS_FILE) 2>/dev/null || printf '# no %s: every stage uses its defaults\n' $(PARAMS_FILE); } \
		> $(PARAMS_IN_FORCE).new && \
	{ cmp -s $(PARAMS_IN_FORCE).new $(PARAMS_IN_FORCE) && rm -f $(PARAMS_IN_FORCE).new || \
		mv -f $(PARAMS_IN_FORCE).new $(PARAMS_IN_FORCE); })
endif

# The environment stamp is named for the lock's content, so a changed lock (or pyproject) reinstalls.
LOCK_HASH := $(shell cat requirements.lock pyproject.toml | sha256sum | cut -c1-16)
STAMP := $(VENV)/.dateline-$(LOCK_HASH)

PKG := src/dateline
COMMON_SRC := $(PKG)/__init__.py $(PKG)/columns.py $(PKG)/config.py $(PKG)/io.py $(PKG)/package_data.py $(PKG)/notebook.py $(PKG)/params.py \
	$(PKG)/processes.py $(PKG)/progress.py
CLEAN_SRC := $(COMMON_SRC) $(PKG)/stages/__init__.py $(PKG)/steps/__init__.py $(PKG)/stages/clean.py $(PKG)/provenance.py $(PKG)/corpus.py $(PKG)/steps/clean.py $(PKG)/steps/dedup.py $(PKG)/steps/offsets.py $(PKG)/steps/language.py
ENTITIES_SRC := $(COMMON_SRC) $(PKG)/steps/__init__.py $(PKG)/nlp.py $(PKG)/executor.py $(PKG)/steps/entities.py $(PKG)/steps/corpus_names.py $(PKG)/stages/__init__.py $(PKG)/stages/entities.py $(PKG)/steps/language.py $(PKG)/steps/offsets.py $(PKG)/data/aliases.csv $(PKG)/data/demonyms.csv $(PKG)/data/not_entities.csv $(PKG)/data/name_patterns.jsonl $(PKG)/data/company_forms.csv
TIMELINE_SRC := $(COMMON_SRC) $(PKG)/steps/__init__.py $(PKG)/nlp.py $(PKG)/executor.py $(PKG)/steps/entities.py $(PKG)/steps/corpus_names.py $(PKG)/steps/language.py $(PKG)/steps/offsets.py $(wildcard $(PKG)/timex/*.py) $(wildcard $(PKG)/data/timex/*.csv) $(PKG)/steps/events.py $(PKG)/steps/anchoring.py $(PKG)/steps/narrative.py $(PKG)/steps/coreference.py $(PKG)/steps/timeline.py $(PKG)/steps/keydates.py $(PKG)/steps/explore.py $(PKG)/stages/__init__.py $(PKG)/stages/timeline.py $(PKG)/data/trigger_synonyms.csv $(PKG)/data/descriptions.csv $(PKG)/data/event_nouns.csv
REPORT_SRC := $(COMMON_SRC) $(PKG)/stages/__init__.py $(PKG)/stages/report.py $(PKG)/steps/__init__.py $(PKG)/report/__init__.py $(PKG)/report/choice.py $(PKG)/report/plots.py $(PKG)/report/sections.py $(PKG)/report/page.py $(PKG)/provenance.py $(PKG)/report/exports.py $(PKG)/steps/keydates.py \
	$(wildcard $(PKG)/timex/*.py)

# Each stage is one notebook run by `dateline.notebook run`: it checks nothing is half-done from an interrupted run,
# runs the notebook with papermill from notebooks/ (as JupyterLab does) with the parameters it declares, and writes
# the executed copy without timestamps. Everything a stage prints goes to make's own output, in order. On a failure
# it prints the failing cell and exception, keeps the executed copy for inspection and removes the stage's outputs
# (a stage leaves all of its outputs or none); an interrupt stops the kernel and its workers too.
RUN_STAGE = $(PY) -m dateline.notebook run --corpus $(CORPUS) $(if $(PARAMS),--params $(PARAMS))

# Where stages 02 and 03 run their NLP: EXECUTOR=dask SCHEDULER=tcp://host:8786 (or local-cluster:N); the outputs
# are the same bytes as with the default (local), so they are not prerequisites.
EXECUTOR ?=
SCHEDULER ?=
NLP_PARAMS = $(if $(EXECUTOR),-p executor $(EXECUTOR)) $(if $(SCHEDULER),-p scheduler $(SCHEDULER))
NOTEBOOKS := notebooks/01_clean.ipynb notebooks/02_entities.ipynb notebooks/03_timeline.ipynb notebooks/04_report.ipynb

# Arrow's default allocator (mimalloc) keeps the memory a large Parquet read has freed, so peaks grew with the
# corpus; jemalloc hands it back (stages 02 and 03 on 15,997 Reuters articles: 504 -> 424 MB, 540 -> 432 MB; the
# outputs are the same bytes). Arrow reads this once, when it loads, so it is set for the processes make starts.
export ARROW_DEFAULT_MEMORY_POOL ?= jemalloc

.DEFAULT_GOAL := report
.DELETE_ON_ERROR:
# A failed stage's executed notebook stays for inspection (dateline.notebook removes it when a stage is interrupted).
.PRECIOUS: $(addprefix $(EXECUTED)/,01_clean.ipynb 02_entities.ipynb 03_timeline.ipynb 04_report.ipynb)
.PHONY: report pdf browser setup lock verify test bench bench-memory bench-clean bench-nlp bench-timex eval-timex eval-timeline eval-entities eval-semeval eval-meantime eval-key-dates entity-timeline lint lab clean help

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

# data/interim/<corpus>/.params-checked: every stage's parameters checked before any stage runs
# (order-only for the stages: a changed notebook reruns its own stage, not all of them)
$(PARAMS_CHECKED): $(PARAMS_IN_FORCE) $(NOTEBOOKS) $(PKG)/params.py $(STAMP)
	$(PY) -m dateline.params check $(CORPUS)
	touch $@

## data/interim/<corpus>/documents.parquet: stage 01, read and clean the raw articles
STAGE_01 := $(INTERIM)/documents.parquet $(INTERIM)/rejected.csv $(INTERIM)/merged.csv $(INTERIM)/offsets.parquet \
	$(INTERIM)/summary.csv $(EXECUTED)/01_clean.ipynb
$(STAGE_01) &: notebooks/01_clean.ipynb $(RAW_LIST) $(PARAMS_IN_FORCE) $(CLEAN_SRC) $(STAMP) | $(PARAMS_CHECKED)
	$(RUN_STAGE) $< $(EXECUTED)/01_clean.ipynb --outputs $(STAGE_01)

## data/processed/<corpus>/entities.parquet: stage 02, named entities, canonical entities, co-occurrence
STAGE_02 := $(PROCESSED)/mentions.parquet $(PROCESSED)/entities.parquet $(PROCESSED)/cooccurrence.parquet \
	$(PROCESSED)/sentences.parquet $(EXECUTED)/02_entities.ipynb
$(STAGE_02) &: notebooks/02_entities.ipynb $(INTERIM)/documents.parquet $(INTERIM)/offsets.parquet \
		$(PARAMS_IN_FORCE) $(ENTITIES_SRC) $(STAMP) | $(PARAMS_CHECKED)
	$(RUN_STAGE) $(NLP_PARAMS) $< $(EXECUTED)/02_entities.ipynb --outputs $(STAGE_02)

## data/processed/<corpus>/events.parquet: stage 03, time expressions, events and the timeline
STAGE_03 := $(PROCESSED)/timexes.parquet $(PROCESSED)/events.parquet $(PROCESSED)/timeline.csv \
	$(PROCESSED)/entity_timelines.parquet $(PROCESSED)/key_dates.csv $(EXECUTED)/03_timeline.ipynb
$(STAGE_03) &: notebooks/03_timeline.ipynb $(INTERIM)/documents.parquet $(PROCESSED)/mentions.parquet \
		$(PROCESSED)/entities.parquet $(PROCESSED)/sentences.parquet $(PARAMS_IN_FORCE) $(TIMELINE_SRC) $(STAMP) \
		| $(PARAMS_CHECKED)
	$(RUN_STAGE) $(NLP_PARAMS) $< $(EXECUTED)/03_timeline.ipynb --outputs $(STAGE_03)

## reports/<corpus>/report.html: stage 04, figures and tables, rendered without code
STAGE_04 := $(REPORTS)/report.html $(REPORTS)/timelinejs.json $(REPORTS)/entities.gexf $(REPORTS)/timeline.csv \
	$(EXECUTED)/04_report.ipynb
$(STAGE_04) &: notebooks/04_report.ipynb $(INTERIM)/documents.parquet $(INTERIM)/rejected.csv \
		$(INTERIM)/merged.csv $(PROCESSED)/mentions.parquet $(PROCESSED)/entity_timelines.parquet \
		$(PROCESSED)/entities.parquet $(PROCESSED)/events.parquet $(PROCESSED)/timexes.parquet \
		$(PROCESSED)/cooccurrence.parquet $(PROCESSED)/key_dates.csv $(PROCESSED)/timeline.csv $(PARAMS_IN_FORCE) \
		$(REPORT_SRC) $(STAMP) | $(PARAMS_CHECKED)
	$(RUN_STAGE) $< $(EXECUTED)/04_report.ipynb --outputs $(STAGE_04) --html $(REPORTS)/report.html

CHROMIUM ?= chromium
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --disable-extensions

## pdf: reports/<corpus>/report.pdf from report.html with headless Chromium (A4; installs Debian's chromium if missing)
pdf: $(REPORTS)/report.pdf

$(REPORTS)/report.pdf: $(REPORTS)/report.html $(PKG)/report/pdf.py | browser
	$(PY) -m dateline.report.pdf $< $@ --chromium $(CHROMIUM)

## browser: make sure headless Chromium is there (Debian's package, installed with apt-get when missing)
browser:
	@command -v $(CHROMIUM) >/dev/null 2>&1 || { echo "installing Debian's chromium with apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

STAGE_OUTPUTS = $(STAGE_01) $(STAGE_02) $(STAGE_03) $(STAGE_04)

## reports/<corpus>/manifest.json: sha256 of every input and output, parameters, packages, model, git commit
$(REPORTS)/manifest.json: $(STAGE_OUTPUTS) $(RAW_LIST) $(PARAMS_IN_FORCE) $(PKG)/provenance.py
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
	$(PY) -m dateline.tools.cli bench --reuters $(REUTERS) --sizes $(BENCH_SIZES)

## bench-memory: peak RSS of each stage on one document of 50,000, 1,000,000 (the default max_document_chars) and
## 5,000,000 characters (BENCH_CHARS=...): the largest process stays under 1.5 GB
BENCH_CHARS ?= 50000,1000000,5000000
bench-memory: $(STAMP)
	$(PY) -m dateline.tools.cli bench-memory --sizes $(BENCH_CHARS)

## bench-clean: stage 01 on Reuters-21578 (REUTERS=folder): dateline accuracy, false datelines, MB/s on one core
bench-clean: $(STAMP)
	$(PY) -m dateline.tools.cli bench-clean --reuters $(REUTERS)

## bench-nlp: make report's stages on the Wikinews corpus in a temporary copy, against bare spaCy nlp.pipe (full,
## senter+ner) over the same texts
bench-nlp: $(STAMP)
	$(PY) -m dateline.tools.cli bench-nlp --corpus wikinews

TIMEML ?= ../shared/data/timeml/TBAQ-cleaned

## bench-timex: documents/s of the temporal tagger on one core, given parsed Docs and text only (TIMEML=folder,
## default TBAQ-cleaned; the Wikinews corpus where it is absent)
bench-timex: $(STAMP)
	$(PY) -m dateline.tools.cli bench-timex --timeml $(TIMEML)

## eval-timex: TempEval-3 scores of the temporal tagger on TimeML gold (TIMEML=folder, default TBAQ-cleaned), then
## on MEANTIME's TIMEX3 (MEANTIME=folder with intra-doc/; the sentences annotated in full, the creation time left out)
eval-timex: $(STAMP)
	rm -rf reports/eval-timex && mkdir -p reports/eval-timex
	$(PY) -m dateline.tools.cli timeml annotate $(TIMEML) reports/eval-timex/system
	$(PY) -m dateline.tools.cli timeml score $(TIMEML) reports/eval-timex/system --errors 15
	if [ -d $(MEANTIME)/intra-doc ]; then \
	  $(PY) -m dateline.tools.cli timeml from-cat $(MEANTIME)/intra-doc reports/eval-timex/meantime-gold && \
	  $(PY) -m dateline.tools.cli timeml annotate reports/eval-timex/meantime-gold reports/eval-timex/meantime-system && \
	  $(PY) -m dateline.tools.cli timeml score reports/eval-timex/meantime-gold reports/eval-timex/meantime-system \
	    --errors 15; \
	else echo "MEANTIME not at $(MEANTIME): its TIMEX3 are not scored"; fi

## eval-timeline: precision and recall of dated events (date, trigger, main actor) against tests/gold/timelines.yaml,
## in the timelines of its corpora (built first, as make report builds them)
eval-timeline: $(STAMP)
	$(PY) -m dateline.tools.cli eval-timeline --gold tests/gold/timelines.yaml --errors

## eval-key-dates: date F1 (tilse) of key_dates.csv on the story corpora of tests/data (each built in a temporary
## copy of the project) against their true key dates
STORIES ?= tests/data/story tests/data/strike
eval-key-dates: $(STAMP)
	$(PY) -m dateline.tools.cli eval-key-dates $(STORIES)

SEMEVAL ?= ../shared/data/semeval2015-timeline-trial
SEMEVAL_PYTHON ?= env PYENV_VERSION=2.7.18 python
MEANTIME ?= ../shared/data/meantime-apple
ENTITY ?=

## eval-semeval: SemEval-2015 TimeLine (main track): the trial's documents through stages 01-03, the target entities'
## timelines in the task's format, scored by the official scorer (SEMEVAL=folder, SEMEVAL_PYTHON=a Python 2.7)
eval-semeval: $(STAMP)
	$(PY) -m dateline.tools.cli eval-semeval --trial $(SEMEVAL) --python "$(SEMEVAL_PYTHON)"

## entity-timeline: ENTITY's timeline over the built CORPUS in SemEval-2015 TimeLine's format, to
## reports/<corpus>/timeline-<entity>.txt (order, anchor, doc_id-sent_id-trigger; order 0 = undated)
entity-timeline: export DATELINE_ENTITY := $(ENTITY)
entity-timeline: $(REPORTS)/report.html
	$(if $(ENTITY),,$(error give the entity: make entity-timeline ENTITY="Steve Jobs" [CORPUS=...]))
	$(PY) -m dateline.tools.cli entity-timeline "$$DATELINE_ENTITY" --corpus $(CORPUS) --out-dir $(REPORTS)

## eval-meantime: who did what: (event, participant) pairs and their roles (agent ~ Arg0, patient ~ Arg1) against
## MEANTIME's HAS_PARTICIPANT links; names: mentions found and their entity ids as cross-document coreference
## (MUC, B3, CEAF-e, CoNLL F1), with the splits and merges (MEANTIME=folder with intra-doc/ and cross-doc/)
eval-meantime: $(STAMP)
	$(PY) -m dateline.tools.cli eval-meantime --corpus $(MEANTIME)

## eval-entities: precision and recall of canonical entities and alias merges against tests/gold/entities.yaml,
## in its corpora as stage 02 resolved them (built first, as make report builds them)
eval-entities: $(STAMP)
	$(PY) -m dateline.tools.cli eval-entities --gold tests/gold/entities.yaml

## lint: ruff over the package, the tests and the notebooks' paired scripts
lint: $(STAMP)
	$(PY) -m ruff check src tests notebooks/*.py

## lab: open JupyterLab on the notebooks with the project's environment
lab: $(STAMP)
	$(PY) -m jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

## clean: remove every generated output (data/interim, data/processed, data/cache, reports); never data/raw
clean:
	rm -rf data/interim data/processed data/cache reports

## help: list the targets
help:
	@awk '/^## [^ ]+: / { sub(/^## /, ""); i = index($$0, ": "); \
		printf "%s%-42s %s", (n++ ? "\n" : ""), substr($$0, 1, i - 1), substr($$0, i + 2); next } \
		/^## / { sub(/^## /, ""); printf " %s", $$0 } END { print "" }' $(MAKEFILE_LIST)
