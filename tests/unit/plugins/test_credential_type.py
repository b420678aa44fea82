# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The AWX credential type shipped in playbooks/credential_type/ matches what the modules read."""

from __future__ import annotations

import os
import re

import yaml

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import connection_argument_spec

ROOT = os.path.join(os.path.dirname(__file__), '..', '..', '..')
CREDENTIAL_TYPE = os.path.join(ROOT, 'playbooks', 'credential_type')


def load(name):
    with open(os.path.join(CREDENTIAL_TYPE, name), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


def option_env_vars():
    """option name -> the environment variables its env_fallback reads."""
    return {name: list(option['fallback'][1]) for name, option in connection_argument_spec().items() if 'fallback' in option}


def injected():
    """env var -> the input field its injector template uses."""
    result = {}
    for env_var, template in load('injectors.yml')['env'].items():
        fields = re.findall(r'{{\s*(\w+)\s*}}', template)
        assert len(fields) == 1, '%s must inject exactly one field' % env_var
        result[env_var] = fields[0]
    return result


def test_every_injected_env_var_is_one_the_modules_read():
    read = {env_var for env_vars in option_env_vars().values() for env_var in env_vars}
    unknown = set(injected()) - read
    assert not unknown, 'injected but read by no module option: %s' % sorted(unknown)


def test_every_injected_env_var_carries_the_field_of_its_option():
    by_env = {env_vars[0]: name for name, env_vars in option_env_vars().items()}
    for env_var, field in injected().items():
        assert by_env.get(env_var) == field, '%s should inject field %s' % (env_var, by_env.get(env_var))


def test_every_field_is_injected_and_exists():
    fields = {field['id'] for field in load('inputs.yml')['fields']}
    assert set(injected().values()) == fields


def test_secret_fields_are_exactly_the_no_log_options():
    spec = connection_argument_spec()
    for field in load('inputs.yml')['fields']:
        assert bool(field.get('secret')) == bool(spec[field['id']].get('no_log')), field['id']


def test_no_env_var_uses_the_reserved_ansible_prefix():
    assert not [env_var for env_var in injected() if env_var.startswith('ANSIBLE_')]
