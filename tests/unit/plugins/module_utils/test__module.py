# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module reports: no traceback for any body, no secret in results or warnings, no control character."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._module import SfsTurboModule
from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_job_info, sfs_turbo_job_wait, sfs_turbo_share_wait
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import (
    JOB_URL,
    SHARE_URL,
    base_args,
    job_body,
    share_args,
    share_body,
)

# As long as an IAM token is not, but long enough to be cut in a warning; mixed case, as tokens are.
LONG_TOKEN = 'MIIDtok-SECRET-' + 'aB3' * 40


@pytest.fixture(autouse=True)
def no_real_sleep(fake_clock):
    return fake_clock


def nested(depth):
    return '[' * depth + '1' + ']' * depth


@pytest.mark.parametrize('module, url, args, body', [
    (sfs_turbo_job_info, JOB_URL, base_args(), '{"status": "success", "entities": %s}' % nested(750)),
    (sfs_turbo_share_wait, SHARE_URL, share_args(operation='create', timeout=30),
     '{"status": "200", "share_proto": "NFS", "metadata": %s}' % nested(750)),
])
def test_a_body_nested_750_deep_fails_with_msg_and_http_status_not_a_traceback(run_module, requests_mock, module, url, args, body):
    requests_mock.get(url, text=body, headers={'X-Request-Id': 'req-deep'})
    rc, result, dummy = run_module(module, args)
    assert rc == 1
    assert result['http_status'] == 200 and result['request_id'] == 'req-deep'
    assert 'is JSON nested deeper than 32 levels' in result['msg']


def test_a_long_token_echoed_into_an_unknown_job_status_is_masked_before_it_is_shortened(run_module, requests_mock, warnings):
    requests_mock.get(JOB_URL, [{'json': job_body('paused by ' + LONG_TOKEN)}, {'json': job_body('success')}])
    rc, dummy, dummy2 = run_module(sfs_turbo_job_wait, base_args(auth_token=LONG_TOKEN))
    assert rc == 0 and len(warnings) == 1
    assert "unknown status 'paused by ********'" in warnings[0]
    assert LONG_TOKEN[:12] not in warnings[0], 'no part of the token shows'


def test_a_long_token_echoed_into_an_unknown_share_code_is_masked_before_it_is_shortened(run_module, requests_mock, warnings):
    requests_mock.get(SHARE_URL, [{'json': share_body('100', sub_status='x' + LONG_TOKEN)}, {'json': share_body('200')}])
    rc, dummy, dummy2 = run_module(sfs_turbo_share_wait, share_args(auth_token=LONG_TOKEN, operation='create'))
    assert rc == 0 and len(warnings) == 1
    assert "unknown sub_status 'x********'" in warnings[0]
    assert LONG_TOKEN[:12] not in warnings[0], 'no part of the token shows'


def test_a_secret_echoed_with_its_letter_case_mixed_is_masked_in_the_result(run_module, requests_mock):
    # Ansible masks a no_log value as spelled (and the module registers its lower- and upper-cased
    # spellings): only the module's own masking finds one whose case a server swapped.
    echoed = LONG_TOKEN.swapcase()
    assert echoed not in (LONG_TOKEN, LONG_TOKEN.lower(), LONG_TOKEN.upper())
    requests_mock.get(JOB_URL, json=job_body('failed', error_code='SFS.TURBO.0029', fail_reason='refused ' + echoed))
    rc, result, out = run_module(sfs_turbo_job_info, base_args(auth_token=LONG_TOKEN))
    assert rc == 1
    assert echoed.casefold() not in out.casefold()
    assert result['job']['fail_reason'] == 'refused ********' and result['errMsg'] == 'refused ********'


class _Recorder:
    def __init__(self):
        self.warnings = []

    def warn(self, text):
        self.warnings.append(text)


def test_a_warning_reaches_the_terminal_without_control_or_bidi_characters():
    # The producers repr() what they quote; the sanitiser in warn() must hold for any text all the same.
    module = SfsTurboModule.__new__(SfsTurboModule)
    module.ansible = _Recorder()
    module.warn('status \x1b[2J\x1b[31mok\r\n\u202egnp.exe \x9b')
    assert module.ansible.warnings == ['status ?[2J?[31mok  ?gnp.exe ?']


def test_a_wait_rides_out_an_outage_with_pauses_no_longer_than_poll_interval(run_module, requests_mock, no_real_sleep):
    # The backoff alone would grow to 30 s; the wait gives the client its poll_interval as the cap.
    outage = {'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}}
    requests_mock.get(JOB_URL, [{'json': job_body('running')}] + [outage] * 8 + [{'json': job_body('success')}])
    rc, result, dummy = run_module(sfs_turbo_job_wait, base_args(poll_interval=2))
    assert rc == 0 and result['job']['status'] == 'success'
    assert no_real_sleep.sleeps and max(no_real_sleep.sleeps) <= 2
