# Test pipeline for the otc_community.sfs_turbo collection.
#
#   make demo         build + install the collection, run docs/examples/demo.yml against the local emulator
#   make test         the ansible-core 2.16-2.21 matrix, plus lint + docs-lint + smoke + awx (what .ci/run runs)
#   make matrix       only the matrix; one line: make matrix LINES=2.16 (also works for make test)
#   make build        build the collection tarball into build/dist/
#   make docs         build the HTML docsite into build/docs/html/
#   make docs-lint    antsibull-docs lint-collection-docs --plugin-docs
#   make smoke        install the built tarball into a clean collections path and run a playbook from it
#   make awx          EE metadata via ansible-builder, and job runs through ansible-runner as AWX runs them
#   make contract     the emulator against Huawei Cloud's own Python SDK (AK/SK signing, its models, its exceptions)
#   make bench        sfs_turbo_job_wait/info against ansible.builtin.uri loops; writes docs/benchmarks.md
#   make sanity       ansible-test sanity (dev virtualenv: ansible-core 2.19, Python 3.11)
#   make units        ansible-test units (same)
#   make integration  ansible-test integration (same; skipped when there are no integration targets)
#   make lint         ansible-lint (production profile, config in .ansible-lint)
#   make clean        remove build/, .venv/, .venv-matrix/ and .venv-contract/
#
# Needs python3.11 and a reachable PyPI (make test: also Python 3.12 or 3.13, and 3.9; see below).
# Everything else (.venv/, the ansible-test pip bootstrap script in ~/.ansible/test/cache/, the
# staged collection under build/) is created here. ansible-test runs from a *copy* of the work tree at
# build/ansible_collections/otc_community/sfs_turbo/ (a symlink does not work).
#
# The version matrix (hack/matrix.py; lines, controller Pythons and steps in hack/matrix/plan.txt,
# pins in hack/matrix/requirements-<line>.txt) runs ansible-test sanity and units on every
# ansible-core line from 2.16 to 2.21, units once more on Python 3.9, integration and a smoke run
# of the built tarball on 2.16 and 2.21. Each line has a cached virtualenv in .venv-matrix/<line>/
# (rebuilt when its pins change) and a staged copy of its own under build/matrix/<line>/; lines on
# different controller Pythons run side by side (MATRIX_JOBS). It needs Python 3.12 or 3.13 (for
# 2.20/2.21) and 3.9 too, on PATH as python3.X or in a pyenv root ($PYENV_ROOT, /root/.pyenv,
# ~/.pyenv); a missing one fails its line by name (3.9 only marks its unit run "not covered").
# A closing table gives every step's result and seconds; logs are in build/matrix/logs/.
#
# Knobs: ANSIBLE_TEST_ARGS (e.g. `make sanity ANSIBLE_TEST_ARGS='--test pep8'`),
#        ANSIBLE_TEST_VERBOSITY (default -v), ANSIBLE_LINT_ARGS, LINES (matrix lines, default all),
#        MATRIX_JOBS (lines run side by side, default 2).

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
# All test targets share one staged copy and one ansible-test virtualenv inside it.
.NOTPARALLEL:
MAKEFLAGS += --no-builtin-rules

PYTHON         ?= python3.11
PYTHON_VERSION ?= 3.11

COLLECTION_NAMESPACE := otc_community
COLLECTION_NAME      := sfs_turbo

VENV       := $(CURDIR)/.venv
VENV_BIN   := $(VENV)/bin
VENV_STAMP := $(VENV)/.requirements-dev.stamp

BUILD_DIR := $(CURDIR)/build
STAGE_DIR := $(BUILD_DIR)/ansible_collections/$(COLLECTION_NAMESPACE)/$(COLLECTION_NAME)

# ansible-test runs in a virtualenv it manages itself (tests/output/.tmp/delegation/ in the
# stage): it installs its own requirements plus tests/unit/requirements.txt for units and
# tests/integration/requirements.txt for integration there, and leaves .venv/ untouched.
ANSIBLE_TEST_VERBOSITY ?= -v
ANSIBLE_TEST_ENV       := --venv --python $(PYTHON_VERSION)
ANSIBLE_TEST           := $(VENV_BIN)/ansible-test
ANSIBLE_TEST_ARGS      ?=
ANSIBLE_LINT_ARGS      ?=

# ansible-test and ansible-lint run with the dev venv first on PATH.
RUN_IN_STAGE = cd $(STAGE_DIR) && PATH="$(VENV_BIN):$$PATH"

.PHONY: help demo bench test matrix sanity units integration lint docs-lint smoke awx contract build docs clean venv stage get-pip

help:
	@sed -n 's/^#   \(make .*\)/\1/p' $(firstword $(MAKEFILE_LIST))

## --- environment -----------------------------------------------------------------

venv: $(VENV_STAMP)

# Rebuilt from scratch whenever requirements-dev.txt changes.
$(VENV_STAMP): requirements-dev.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(VENV_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# ansible-test bootstraps pip into its virtualenvs with a get-pip script that it downloads from a
# host we cannot reach, unless ~/.ansible/test/cache/get_pip_<version>.py exists. Put our
# ensurepip-based replacement there (cheap and idempotent, so it runs every time: $HOME may change).
get-pip: $(VENV_STAMP)
	$(VENV_BIN)/python hack/install-get-pip.py --python-version $(PYTHON_VERSION)

# Fresh copy of the work tree (tracked + untracked-not-ignored files) for ansible-test.
stage:
	bash hack/stage-collection.sh $(CURDIR) $(STAGE_DIR)

## --- demo ----------------------------------------------------------------------------

demo: build
	VENV_BIN=$(VENV_BIN) bash hack/demo.sh $(BUILD_DIR)/dist

# Side by side with the uri + until loop it replaces, on the emulator (about 8 minutes; on a quiet
# machine, as it measures CPU). BENCH_ARGS='--long' adds a 5-minute job; BENCH_ARGS='--parts shares
# --output FILE' runs only the file-system wait (a 60 s creation) against its uri loop.
bench: $(VENV_STAMP)
	PATH="$(VENV_BIN):$$PATH" $(VENV_BIN)/python tests/bench/run_bench.py --output docs/benchmarks.md $(BENCH_ARGS)

## --- tests ---------------------------------------------------------------------------

# Every step runs even if an earlier one failed; the exit status is non-zero if any failed.
LINES      ?=
TEST_TOOLS := lint docs-lint smoke awx contract
MATRIX_JOBS ?= 2
MATRIX     := $(PYTHON) hack/matrix.py --lines '$(LINES)' --jobs $(MATRIX_JOBS) --make '$(MAKE)' --verbosity='$(ANSIBLE_TEST_VERBOSITY)'

test:
	$(MATRIX) --tools '$(TEST_TOOLS)'

matrix:
	$(MATRIX)

sanity: get-pip stage
	$(RUN_IN_STAGE) $(ANSIBLE_TEST) sanity $(ANSIBLE_TEST_ENV) $(ANSIBLE_TEST_VERBOSITY) $(ANSIBLE_TEST_ARGS)

units: get-pip stage
	$(RUN_IN_STAGE) $(ANSIBLE_TEST) units $(ANSIBLE_TEST_ENV) $(ANSIBLE_TEST_VERBOSITY) $(ANSIBLE_TEST_ARGS)

# Runs only if ansible-test selects at least one target (hidden setup_* targets do not count).
# ansible-test errors (bad aliases, ...) are not mistaken for "no targets": the shell stops on them.
integration: get-pip stage
	@if [ ! -d $(STAGE_DIR)/tests/integration/targets ]; then \
	    echo "integration: no tests/integration/targets/, skipping"; exit 0; \
	fi; \
	targets=$$($(RUN_IN_STAGE) $(ANSIBLE_TEST) integration --list-targets); \
	if [ -z "$$targets" ]; then \
	    echo "integration: no integration targets selected, skipping"; exit 0; \
	fi; \
	echo "integration targets:" $$targets; \
	set -x; \
	$(RUN_IN_STAGE) $(ANSIBLE_TEST) integration $(ANSIBLE_TEST_ENV) $(ANSIBLE_TEST_VERBOSITY) $(ANSIBLE_TEST_ARGS)

# Runs in the stage too: it has its own .git (see hack/stage-collection.sh), so ansible-lint lists
# the same files as in a clone, and its .ansible/ work dir ends up in build/, not in the repo.
# --offline: no GitHub version check, no galaxy installs (only PyPI is reachable). Offline mode
# also skips linking the collection into .ansible/collections, so point ANSIBLE_COLLECTIONS_PATH
# at build/, where the stage already is ansible_collections/<ns>/<name> (FQCNs then resolve).
lint: $(VENV_STAMP) stage
	$(RUN_IN_STAGE) ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) ansible-lint --offline --profile production $(ANSIBLE_LINT_ARGS)

# Every docs finding fails: option/return markup, guide labels, toctree refs, RST syntax.
docs-lint: $(VENV_STAMP) stage
	cd $(BUILD_DIR) && PATH="$(VENV_BIN):$$PATH" ANSIBLE_COLLECTIONS_PATH=$(BUILD_DIR) \
	    antsibull-docs lint-collection-docs --plugin-docs --validate-collection-refs=all $(STAGE_DIR)

## --- artifact and docs ----------------------------------------------------------------

# Built from the stage (the files a clone has), so nothing untracked or generated slips in.
build: $(VENV_STAMP) stage
	rm -rf $(BUILD_DIR)/dist
	$(VENV_BIN)/ansible-galaxy collection build $(STAGE_DIR) --output-path $(BUILD_DIR)/dist

# What ships is what was tested: install the tarball into an empty collections path, list its
# modules, and run a smoke playbook from the installed copy against the emulator. Then the guide
# "Rehearsing runbooks" from the tarball alone (fresh HOME, no git checkout around).
smoke: build
	VENV_BIN=$(VENV_BIN) bash hack/smoke.sh $(BUILD_DIR)/dist
	VENV_BIN=$(VENV_BIN) bash hack/rehearsal-check.sh $(BUILD_DIR)/dist

awx: build
	VENV_BIN=$(VENV_BIN) bash hack/awx-check.sh $(BUILD_DIR)/dist

# The emulator against a client nobody here wrote: Huawei Cloud's Python SDK signs with AK/SK and parses
# every built-in job and file-system state into its models (tests/contract/). Its own virtualenv, rebuilt
# when tests/contract/requirements.txt changes; the SDK talks to the emulator on 127.0.0.1 only.
CONTRACT_VENV  := $(CURDIR)/.venv-contract
CONTRACT_STAMP := $(CONTRACT_VENV)/.requirements.stamp
$(CONTRACT_STAMP): tests/contract/requirements.txt
	rm -rf $(CONTRACT_VENV)
	$(PYTHON) -m venv $(CONTRACT_VENV)
	$(CONTRACT_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r tests/contract/requirements.txt
	touch $@

contract: $(CONTRACT_STAMP)
	$(CONTRACT_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/contract

DOCS_STAMP := $(VENV)/.requirements-docs.stamp
$(DOCS_STAMP): requirements-docs.txt $(VENV_STAMP)
	$(VENV_BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-docs.txt
	touch $@

docs: $(DOCS_STAMP) stage
	PATH="$(VENV_BIN):$$PATH" bash hack/build-docs.sh $(BUILD_DIR) $(BUILD_DIR)/docs

## --- housekeeping -----------------------------------------------------------------

clean:
	rm -rf $(BUILD_DIR) $(VENV) $(CURDIR)/.venv-matrix $(CONTRACT_VENV)
