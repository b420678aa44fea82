# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one list of secrets agrees with the argument spec, and the one mask finds them in any letter case."""

from __future__ import annotations

import os
import subprocess
import sys

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import connection_argument_spec
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._secrets import (
    MASK,
    SECRET_ENV_VARS,
    SECRET_OPTIONS,
    holds_secret,
    mask_word,
    scrub,
    scrub_data,
    secret_values,
)


def test_the_secret_options_are_exactly_the_no_log_options_and_their_variables():
    spec = connection_argument_spec()
    assert set(SECRET_OPTIONS) == {name for name, option in spec.items() if option.get('no_log')}
    assert set(SECRET_ENV_VARS) == {var for name in SECRET_OPTIONS for var in spec[name]['fallback'][1]}


def test_importing_the_mask_imports_no_option_module():
    # The progress channel imports the mask; the list is derived from the argument spec only when it is asked for.
    code = ('import sys; from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _secrets; '
            'loaded = any(name.endswith("._options") for name in sys.modules); '
            'print(loaded, _secrets.SECRET_OPTIONS, any(name.endswith("._options") for name in sys.modules))')
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path))
    out = subprocess.run([sys.executable, '-c', code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ['False', "('auth_token',", "'password',", "'secret_key',", "'security_token')", 'True']


def test_scrub_masks_in_any_letter_case_longest_first():
    assert scrub('a tok-SECRET-7f3a9c and TOK-SECRET-7F3A9C', ['tok-SECRET', 'tok-SECRET-7f3a9c']) == 'a %s and %s' % (MASK, MASK)
    assert scrub('abc', ['abc']) == 'abc', 'too short to mask inside text'


def test_words_and_values():
    assert holds_secret('x-Tok-Secret-y', ['tok-secret'])
    assert mask_word('running', ['tok-secret']) == 'running'
    assert mask_word('TOK-SECRET', ['tok-secret']) == MASK
    assert secret_values({'auth_token': 't1', 'password': '', 'username': 'u'}) == ['t1']


def test_a_secret_in_a_result_is_masked_in_any_letter_case():
    result = {'job': {'fail_reason': 'sent %s' % 'tOK-secret-7F3A9C', 'sub_jobs': [{'status': 'TOK-SECRET-7F3A9C'}]}, 'polls': 3}
    assert scrub_data(result, ['tok-SECRET-7f3a9c']) == {
        'job': {'fail_reason': 'sent ' + MASK, 'sub_jobs': [{'status': MASK}]}, 'polls': 3}
