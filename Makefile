# instancebench.aws — two entry points: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
COLLECTION_LINK := .cache/collections/ansible_collections/instancebench/aws
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

# The fast tier, for every change before the full `make test`: unit tests (roles' defaults against
# their argument_specs included, architecture.md against the files), ansible-lint (production), yamllint and
# antsibull-changelog lint. Under a minute.
.PHONY: demo test check venv link mirror system-deps test-deps ee docs lint sanity unit integration schema compare compare-readme compare-stream compare-hpl compare-fftw clean

$(BIN)/ansible-playbook: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

venv: $(BIN)/ansible-playbook

link:
	@mkdir -p $(dir $(COLLECTION_LINK))
	@ln -sfn $(CURDIR) $(COLLECTION_LINK)

# Fill .cache/mirror with the pinned sources from the package registries this machine reaches.
mirror: venv system-deps
	$(BIN)/python scripts/fill_mirror_from_registries.py --mirror .cache/mirror

system-deps:
	@bash scripts/install_system_deps.sh

# What only the tests need on top (a headless Chromium for the report rendering check).
test-deps:
	@bash scripts/install_system_deps.sh --tests

# Benchmark this machine with STREAM, FFTW and HPL and print the results (results/ holds the documents).
# RUN_ID=<id> resumes that run (`make demo RUN_ID=20261201T224331Z`): a job whose result is stored is
# not run again ("stored result reused"), and collect reports that run alone.
# BENCHMARKS=<names> runs those instead of the default ones (`make demo BENCHMARKS=latency,stream_cache`).
RUN_ID ?=
BENCHMARKS ?=
demo: venv link mirror system-deps
	$(BIN)/ansible-playbook playbooks/launch.yml $(if $(RUN_ID),-e instancebench_run_id='$(RUN_ID)') $(if $(BENCHMARKS),-e instancebench_benchmarks='$(BENCHMARKS)')
	$(BIN)/ansible-playbook playbooks/collect.yml $(if $(RUN_ID),-e instancebench_run_id='$(RUN_ID)')
	$(BIN)/ansible-playbook playbooks/publish.yml

# Measurements that print figures (benchmarks/): every comparison in one run and one table (STREAM
# standard vs flag variants and tuned vs likwid-bench, HPL vs DGEMM, FFTW default vs patient and SIMD
# vs no-SIMD, GEMM vs numpy, DAXPY/DDOT vs likwid-bench, latency vs published cycles; about 25 min on
# 2 vCPUs), also as Markdown for README (compare-readme); the single-purpose scripts print more detail.
COMPARE_MD ?= .cache/compare.md
compare: venv link mirror system-deps
	@bash scripts/install_system_deps.sh --compare
	$(BIN)/pip install --quiet -r benchmarks/requirements.txt
	$(BIN)/python benchmarks/compare.py --markdown $(COMPARE_MD)

compare-readme:
	$(BIN)/python benchmarks/readme_measurements.py $(COMPARE_MD)

compare-stream: venv link mirror system-deps
	@bash scripts/install_system_deps.sh --compare
	$(BIN)/python benchmarks/stream_build_comparison.py

compare-hpl: venv link mirror
	$(BIN)/python benchmarks/hpl_vs_dgemm.py

compare-fftw: venv link mirror
	$(BIN)/python benchmarks/fftw_simd_comparison.py

# The execution environment's build context (execution-environment.yml): the collection's tarball
# into .cache/ee/, then ansible-builder create; `ansible-builder build` (podman/docker) makes the image.
ee: venv
	rm -rf .cache/ee
	$(BIN)/ansible-galaxy collection build --output-path .cache/ee
	$(BIN)/ansible-builder create --file execution-environment.yml --context .cache/ee/context --output-filename Containerfile

# The docs site from the collection's own docs (antsibull-docs + Sphinx) in .cache/docsite/build/html.
# Its links into docs.ansible.com need the network; tests/integration/test_docs_site.py builds it offline.
docs: venv link
	rm -rf .cache/docsite && mkdir -m 700 .cache/docsite
	$(BIN)/antsibull-docs sphinx-init --use-current --dest-dir .cache/docsite instancebench.aws
	PATH=$(CURDIR)/$(BIN):$$PATH .cache/docsite/build.sh

schema: venv link
	PYTHONPATH=.cache/collections $(BIN)/python scripts/write_schema.py

unit: venv link
	PYTHONPATH=.cache/collections $(BIN)/pytest -q tests/unit

integration: venv link mirror system-deps test-deps
	PYTHONPATH=.cache/collections $(BIN)/pytest -q tests/integration

lint: venv link
	$(BIN)/ansible-lint --offline

check: venv link
	PYTHONPATH=.cache/collections $(BIN)/pytest -q tests/unit
	$(BIN)/ansible-lint --offline -q
	$(BIN)/yamllint -s roles playbooks meta galaxy.yml changelogs
	$(BIN)/antsibull-changelog lint

sanity: venv
	bash scripts/ansible_test_sanity.sh

# Every test: unit, integration over a real sshd host, Molecule, ansible-lint, ansible-test sanity.
test: venv link mirror system-deps test-deps
	PYTHONPATH=.cache/collections $(BIN)/pytest --durations=40 tests

clean:
	rm -rf .cache results tests/output
