# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Scenario files: reading (JSON, or YAML when PyYAML is importable) and validation of the whole file."""

from __future__ import annotations

import json

from .checks import ScenarioError, only_keys
from .faults import normalize_faults
from .resources import RESOURCES

try:
    # YAML scenarios are a convenience only; JSON is the primary format.
    import yaml
    HAS_YAML = True
except ImportError:
    yaml = None
    HAS_YAML = False

TOP_KEYS = tuple(key for module in RESOURCES for key in module.SCENARIO_KEYS) + ('faults',)


def normalize_scenario(raw):
    """Validate a scenario mapping and return it with every default filled in."""
    if not isinstance(raw, dict):
        raise ScenarioError('the scenario must be a mapping with a "jobs" and/or a "shares" key')
    only_keys(raw, TOP_KEYS, 'the scenario')
    result = {}
    for module in RESOURCES:
        result.update(module.normalize(raw))
    faults = raw.get('faults', [])
    if not isinstance(faults, list):
        raise ScenarioError('"faults" must be a list')
    result['faults'] = normalize_faults(faults, 'faults')
    return result


def load_scenario(path):
    """Read and validate a scenario file."""
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    try:
        data = json.loads(text)
    except ValueError as json_error:
        if not HAS_YAML:
            raise ScenarioError(f'{path}: not valid JSON ({json_error}); YAML needs PyYAML, which is not installed') from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as yaml_error:
            raise ScenarioError(f'{path}: neither valid JSON nor valid YAML ({yaml_error})') from None
    return normalize_scenario(data)
