# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What docs/benchmarks.md says about the machine it ran on (tests/bench/run_bench.py)."""

from __future__ import annotations

import importlib.util
import os
import sys

BENCH = os.path.join(os.path.dirname(__file__), '..', '..', 'bench')


def _load():
    # run_bench imports poll_schedule from its own folder, as when it runs as a script.
    sys.path.insert(0, BENCH)
    try:
        spec = importlib.util.spec_from_file_location('run_bench_under_test', os.path.join(BENCH, 'run_bench.py'))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(BENCH)
    return module


run_bench = _load()


def test_the_core_version_is_read_past_a_warning_printed_before_it():
    output = ('/venv/lib/python3.12/site-packages/ansible/_internal/_ssh/_ssh_agent.py:18: CryptographyDeprecationWarning: '
              'DSA is deprecated\n  from cryptography.hazmat.primitives.asymmetric.dsa import (\n'
              'ansible-playbook [core 2.21.5]\n  config file = None\n')
    assert run_bench.core_version(output) == '2.21.5'
    assert run_bench.core_version('ansible-playbook [core 2.16.14]\n  python version = 3.11.7\n') == '2.16.14'


def test_output_without_a_version_says_so():
    assert run_bench.core_version('Traceback (most recent call last):\n  boom\n').startswith('unknown')
