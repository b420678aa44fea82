# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_share_info: one GET, the body as given, a missing file system as a clean failure."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_share_info
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import SHARE_ID, SHARE_URL, TOKEN, share_args, share_body


@pytest.fixture(autouse=True)
def no_real_sleep(fake_clock):
    return fake_clock


@pytest.mark.parametrize('body', [
    share_body('200'),
    share_body('100', action_progress={'CREATING': '22%'}),
    share_body('303'),  # a failed creation is data here: the info module judges nothing
    share_body('200', '321', field_added_later={'kept': True}),
])
def test_the_file_system_is_returned_as_the_api_gave_it(run_module, requests_mock, no_real_sleep, body):
    requests_mock.get(SHARE_URL, json=body)
    rc, result, dummy = run_module(sfs_turbo_share_info, share_args())
    assert rc == 0, result
    assert result == {'changed': False, 'share': body, 'invocation': result['invocation']}
    assert requests_mock.call_count == 1 and no_real_sleep.sleeps == []
    assert requests_mock.last_request.headers['X-Auth-Token'] == TOKEN


def test_a_file_system_that_does_not_exist_fails_with_the_api_error(run_module, requests_mock):
    requests_mock.get(SHARE_URL, status_code=404, headers={'X-request-id': 'req-404'},
                      json={'errCode': 'SFS.TURBO.0002', 'errMsg': 'Cluster not found'})
    rc, result, dummy = run_module(sfs_turbo_share_info, share_args())
    assert rc == 1
    assert (result['errCode'], result['errMsg'], result['http_status'], result['request_id']) == (
        'SFS.TURBO.0002', 'Cluster not found', 404, 'req-404')
    assert result['msg'].startswith('Could not query SFS Turbo file system %s: HTTP 404' % SHARE_ID)
    assert 'share' not in result


def test_a_bad_share_id_fails_before_any_request(run_module, requests_mock):
    rc, result, dummy = run_module(sfs_turbo_share_info, share_args(share_id='x/../../jobs/y'))
    assert rc == 1 and 'Invalid share_id' in result['msg'] and requests_mock.call_count == 0


def test_check_mode_reads_too(run_module, requests_mock):
    requests_mock.get(SHARE_URL, json=share_body())
    rc, result, dummy = run_module(sfs_turbo_share_info, dict(share_args(), _ansible_check_mode=True))
    assert rc == 0 and result['share']['status'] == '200'
