# Test pipeline for the otc_community.sfs_turbo collection.
#
#   make demo         build + install the collection, run docs/examples/demo.yml against the local emulator
#                     (its own small virtualenv .venv-demo/: ansible-core and requests only; Python 3.11, 3.12 or 3.13)
#   make test         the ansible-core 2.16-2.22 matrix, plus import-check + lint + docs-lint + smoke + awx
#                     (what .ci/run runs)
#   make check        quick loop, dev line: sanity but pylint, units, integration targets touched vs main (or TARGETS=)
#   make matrix       only the matrix; one line: make matrix LINES=2.16 (also works for make test)
#   make build        build the collection tarball into build/dist/ (fails on any ansible-galaxy warning)
#   make import-check galaxy-importer (what Galaxy and Automation Hub run) on the built tarball
#   make docs         build the HTML docsite into build/docs/html/
#   make docs-lint    antsibull-docs lint-collection-docs --plugin-docs
#   make smoke        install the built tarball into a clean collections path and run a playbook from it
#   make awx          EE metadata via ansible-builder, and job runs through ansible-runner as AWX runs them
#   make contract     the emulator against Huawei Cloud's own Python SDK (AK/SK signing, its models, its exceptions)
#   make bench        sfs_turbo_job_wait/info against ansible.builtin.uri loops, IAM logins, 50 hosts, a create/expand/delete
#                     runbook (sfs_turbo_share against a uri runbook); writes docs/benchmarks.md
#   make sanity       ansible-test sanity (dev virtualenv: ansible-core 2.21, Python 3.12 or 3.13)
#   make units        ansible-test units (same)
#   make integration  ansible-test integration (same; skipped when there are no integration targets)
#   make extra-checks antsibull-nox's extra checks: the action group, no unwanted files under plugins/
#   make lint         ansible-lint (production profile, config in .ansible-lint)
#   make release VERSION=X.Y.Z  set galaxy.yml's version (and the User-Agent's), release every changelog fragment (then commit, tag)
#   make clean        remove build/, .venv/, .venv-demo/, .venv-nox/, .venv-contract/ and .venv-matrix/
#
# Needs Python 3.12 or 3.13 and a reachable PyPI (make test: also 3.11, 3.13 and 3.9; see below). The
# interpreters are found as hack/matrix.py finds them: python3.X on PATH, then the pyenv roots.
# Everything else (.venv/, the ansible-test pip bootstrap script in ~/.ansible/test/cache/, the
# staged collection under build/) is created here. ansible-test runs from a *copy* of the work tree at
# build/ansible_collections/otc_community/sfs_turbo/ (a symlink does not work).
#
# The version matrix (hack/matrix.py; lines, controller Pythons and steps in hack/matrix/plan.txt,
# pins in hack/matrix/requirements-<line>.txt) runs ansible-test sanity and units on every
# ansible-core line from 2.16 to 2.22, units once more on Python 3.9, integration and a smoke run
# of the built tarball on 2.16 and 2.22. Each line has a cached virtualenv in .venv-matrix/<line>/
# (rebuilt when its pins change) and a staged copy of its own under build/matrix/<line>/; lines on
# different controller Pythons run side by side (MATRIX_JOBS). It needs Python 3.11 (2.16-2.19),
# 3.12 or 3.13 (2.20/2.21), 3.13 (2.22) and 3.9 too, on PATH as python3.X or in a pyenv root ($PYENV_ROOT, /root/.pyenv,
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

# The dev virtualenv's interpreter: the first of DEV_PYTHONS found (python3.X on PATH, then the
# pyenv roots, as the matrix finds its interpreters). Any python3 (3.9+) runs that search.
DEV_PYTHONS ?= 3.12,3.13
ifeq ($(origin PYTHON),undefined)
PYTHON := $(shell python3 hack/matrix.py --find-python $(DEV_PYTHONS))
endif
ifeq ($(origin PYTHON_VERSION),undefined)
PYTHON_VERSION := $(if $(PYTHON),$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'))
endif

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

.PHONY: help demo bench test check matrix sanity units integration lint docs-lint smoke awx contract build import-check docs release release-check extra-checks clean venv stage get-pip python

help:
	@sed -n 's/^#   \(make .*\)/\1/p' $(firstword $(MAKEFILE_LIST))

## --- environment -----------------------------------------------------------------

venv: $(VENV_STAMP)

python:
	@if [ -z "$(PYTHON)" ]; then python3 hack/matrix.py --find-python $(DEV_PYTHONS); exit 1; fi

# Rebuilt from scratch whenever requirements-dev.txt changes (or the stamp names another interpreter).
$(VENV_STAMP): requirements-dev.txt | python
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

# Only what the demo needs (requirements-demo.txt: ansible-core and requests), not the dev tools.
DEMO_VENV  := $(CURDIR)/.venv-demo
DEMO_STAMP := $(DEMO_VENV)/.requirements-demo.stamp
# The Python `make demo` needs, stated here once (README and the quick start point here): 3.11, 3.12 or 3.13.
# It takes the dev interpreter when there is one (python3.12 or python3.13, on PATH or in a pyenv root, as
# DEV_PYTHONS finds it), else python3.11 on PATH; requirements-demo.txt pins an ansible-core for each.
DEMO_PYTHON := $(or $(PYTHON),python3.11)
$(DEMO_STAMP): requirements-demo.txt
	rm -rf $(DEMO_VENV)
	$(DEMO_PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-demo.txt
	touch $@

demo: $(DEMO_STAMP) stage
	rm -rf $(BUILD_DIR)/demo-dist
	$(DEMO_VENV)/bin/ansible-galaxy collection build $(STAGE_DIR) --output-path $(BUILD_DIR)/demo-dist
	VENV_BIN=$(DEMO_VENV)/bin bash hack/demo.sh $(BUILD_DIR)/demo-dist

# Side by side with the uri + until loop it replaces, on the emulator (about 13 minutes; on a quiet
# machine, as it measures CPU); writes docs/benchmarks.md. BENCH_ARGS='--long' adds a 5-minute job;
# BENCH_ARGS='--parts logins,scale --output FILE' runs only those parts (jobs, shares, logins, latency,
# scale, runbook): docs/benchmarks.md is the report of a run of every part.
bench: $(VENV_STAMP)
	PATH="$(VENV_BIN):$$PATH" $(VENV_BIN)/python tests/bench/run_bench.py $(BENCH_ARGS)

## --- tests ---------------------------------------------------------------------------

# Every step runs even if an earlier one failed; the exit status is non-zero if any failed.
LINES      ?=
TEST_TOOLS := import-check extra-checks lint docs-lint smoke awx contract
MATRIX_JOBS ?= 2
MATRIX     := $(PYTHON) hack/matrix.py --lines '$(LINES)' --jobs $(MATRIX_JOBS) --make '$(MAKE)' --verbosity='$(ANSIBLE_TEST_VERBOSITY)'

test:
	$(MATRIX) --tools '$(TEST_TOOLS)'

# The edit-run loop, on the dev line only. Sanity without pylint (about 90 s alone; make sanity and make
# test run it), the unit tests, and the integration targets whose files the change touched compared
# with CHECK_BASE (hack/check-targets.py says how files map to targets), or those named in TARGETS.
# Every part runs even if an earlier one failed; the exit status is non-zero if any failed.
TARGETS    ?=
CHECK_BASE ?= main
CHECK_SKIP ?= pylint
check: get-pip stage
	@targets=$$($(PYTHON) hack/check-targets.py --base '$(CHECK_BASE)' $(TARGETS)); \
	failed=; \
	$(RUN_IN_STAGE) $(ANSIBLE_TEST) sanity $(ANSIBLE_TEST_ENV) $(ANSIBLE_TEST_VERBOSITY) $(foreach t,$(CHECK_SKIP),--skip-test $(t)) || failed="$$failed sanity"; \
	$(RUN_IN_STAGE) $(ANSIBLE_TEST) units $(ANSIBLE_TEST_ENV) $(ANSIBLE_TEST_VERBOSITY) || failed="$$failed units"; \
	if [ -z "$$targets" ]; then \
	    echo "check: no integration target touched (compared with $(CHECK_BASE)); name some with TARGETS='...'"; \
	else \
	    echo "check: integration targets:" $$targets; \
	    $(RUN_IN_STAGE) $(ANSIBLE_TEST) integration $(ANSIBLE_TEST_ENV) $(ANSIBLE_TEST_VERBOSITY) $$targets || failed="$$failed integration"; \
	fi; \
	if [ -n "$$failed" ]; then echo "check: FAILED:$$failed" >&2; exit 1; fi; \
	echo "check: passed (sanity without $(CHECK_SKIP), units$${targets:+, integration: $$(echo $$targets)})"

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

# antsibull-nox in a virtualenv of its own (requirements-nox.txt says why), run in the stage (the files
# a clone has); its session data goes to build/nox/.
NOX_VENV  := $(CURDIR)/.venv-nox
NOX_STAMP := $(NOX_VENV)/.requirements-nox.stamp
$(NOX_STAMP): requirements-nox.txt | python
	rm -rf $(NOX_VENV)
	$(PYTHON) -m venv $(NOX_VENV)
	$(NOX_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-nox.txt
	touch $@

extra-checks: $(NOX_STAMP) stage
	cd $(STAGE_DIR) && $(NOX_VENV)/bin/nox --no-color --envdir $(BUILD_DIR)/nox -s extra-checks

## --- artifact and docs ----------------------------------------------------------------

# Built from the stage (the files a clone has), so nothing untracked or generated slips in.
# Any warning of ansible-galaxy (a galaxy.yml key it does not know, ...) fails the build.
build: $(VENV_STAMP) stage
	rm -rf $(BUILD_DIR)/dist
	$(VENV_BIN)/ansible-galaxy collection build $(STAGE_DIR) --output-path $(BUILD_DIR)/dist 2>&1 | tee $(BUILD_DIR)/build.log
	@if grep -q 'WARNING' $(BUILD_DIR)/build.log; then echo "build: FAIL: ansible-galaxy warned (above)" >&2; exit 1; fi

# galaxy-importer, as Galaxy and Automation Hub run it on an upload (ansible-doc, ansible-lint with
# the production profile, role and changelog checks); any ERROR or WARNING line fails.
import-check: build
	VENV_BIN=$(VENV_BIN) bash hack/import-check.sh $(BUILD_DIR)/dist

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
$(CONTRACT_STAMP): tests/contract/requirements.txt | python
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

## --- release ---------------------------------------------------------------------

# The release in one command: galaxy.yml's version, then antsibull-changelog (which reads that
# version, and runs ansible-doc from the dev virtualenv to list new modules and roles) writes
# CHANGELOG.rst, CHANGELOG.md and changelogs/changelog.yaml from every fragment not yet released.
VERSION ?=
release: $(VENV_STAMP)
	@if ! [[ "$(VERSION)" =~ ^[0-9]+\.[0-9]+\.[0-9]+$$ ]]; then echo "release: give VERSION=X.Y.Z (got '$(VERSION)')" >&2; exit 1; fi
	sed -i 's/^version: .*/version: $(VERSION)/' galaxy.yml
	sed -i "s/^COLLECTION_VERSION = .*/COLLECTION_VERSION = '$(VERSION)'/" plugins/module_utils/_version.py
	PATH="$(VENV_BIN):$$PATH" antsibull-changelog lint
	PATH="$(VENV_BIN):$$PATH" antsibull-changelog release
	@grep -q '^v$(VERSION)$$' CHANGELOG.rst || { echo "release: CHANGELOG.rst has no v$(VERSION)" >&2; exit 1; }
	$(VENV_BIN)/python hack/release-check.py
	@echo "release: $(VERSION) in galaxy.yml, CHANGELOG.rst, CHANGELOG.md, changelogs/changelog.yaml; commit and tag it"

# galaxy.yml's version is released and no fragment is left over (add to TEST_TOOLS right after a release).
release-check: $(VENV_STAMP)
	$(VENV_BIN)/python hack/release-check.py

## --- housekeeping -----------------------------------------------------------------

clean:
	rm -rf $(BUILD_DIR) $(VENV) $(DEMO_VENV) $(NOX_VENV) $(CURDIR)/.venv-matrix $(CONTRACT_VENV)
