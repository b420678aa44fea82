# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_share_info: one GET, the body as given, a missing file system as a clean failure; by name, and listing."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_share_info
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import ENDPOINT, PROJECT_ID, SHARE_ID, SHARE_URL, TOKEN, share_args, share_body

DETAIL_URL = '%s/v1/%s/sfs-turbo/shares/detail' % (ENDPOINT, PROJECT_ID)


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
    # 'invocation' is returned up to ansible-core 2.20 only: it is not what this test is about.
    result.pop('invocation', None)
    assert result == {'changed': False, 'share': body}
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


def list_args(**overrides):
    """The connection options without share_id, plus ``overrides``."""
    args = share_args(**overrides)
    if 'share_id' not in overrides:
        del args['share_id']
    return args


def serve(requests_mock, names):
    """Answer GET .../shares/detail like the service, from ``names`` (one file system each), honouring limit/offset."""
    shares = [dict(share_body(), id='id-%d' % index, name=name) for index, name in enumerate(names)]

    def answer(request, context):
        limit, offset = int(request.qs['limit'][0]), int(request.qs['offset'][0])
        return {'shares': shares[offset:offset + limit], 'count': len(shares)}
    return shares, requests_mock.get(DETAIL_URL, json=answer)


def ids(shares):
    return [share['id'] for share in shares]


def test_a_name_no_file_system_carries_returns_no_shares_and_does_not_fail(run_module, requests_mock):
    dummy, mock = serve(requests_mock, ['other', 'prod-share-2', 'Prod-Share'])
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args(name='prod-share'))
    assert rc == 0, result
    assert result['shares'] == [] and 'share' not in result and result['changed'] is False
    assert mock.call_count == 1 and requests_mock.last_request.headers['X-Auth-Token'] == TOKEN


def test_a_name_one_file_system_carries_returns_it_as_share_too(run_module, requests_mock):
    shares, dummy = serve(requests_mock, ['other', 'prod-share', 'more'])
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args(name='prod-share'))
    assert rc == 0, result
    assert result['shares'] == [shares[1]] and result['share'] == shares[1]


def test_a_name_two_file_systems_carry_returns_both_and_no_share(run_module, requests_mock):
    serve(requests_mock, ['prod-share', 'other', 'prod-share'])
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args(name='prod-share'))
    assert rc == 0, result
    assert ids(result['shares']) == ['id-0', 'id-2'] and 'share' not in result


def test_neither_share_id_nor_name_lists_every_file_system(run_module, requests_mock):
    shares, dummy = serve(requests_mock, ['a', 'b', 'a'])
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args())
    assert rc == 0, result
    result.pop('invocation', None)
    assert result == {'changed': False, 'shares': shares}


def test_a_listing_of_one_file_system_is_no_look_up_and_returns_no_share(run_module, requests_mock):
    shares, dummy = serve(requests_mock, ['only'])
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args())
    assert rc == 0 and result['shares'] == shares and 'share' not in result


def test_every_page_is_read_by_name_and_for_the_listing(run_module, requests_mock):
    names = ['n%d' % index for index in range(250)]
    names[3] = names[230] = 'prod-share'
    dummy, mock = serve(requests_mock, names)
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args(name='prod-share'))
    assert rc == 0 and ids(result['shares']) == ['id-3', 'id-230']
    assert [request.qs['offset'] for request in mock.request_history] == [['0'], ['100'], ['200']]
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args())
    assert rc == 0 and ids(result['shares']) == ['id-%d' % index for index in range(250)]


def test_share_id_and_name_together_fail_before_any_request(run_module, requests_mock):
    rc, result, dummy = run_module(sfs_turbo_share_info, share_args(name='prod-share'))
    assert rc == 1 and 'mutually exclusive' in result['msg'] and 'share_id' in result['msg'] and 'name' in result['msg']
    assert requests_mock.call_count == 0


@pytest.mark.parametrize('name', ['', 'x' * 256])
def test_a_name_no_file_system_can_carry_fails_before_any_request(run_module, requests_mock, name):
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args(name=name))
    assert rc == 1 and result['msg'].startswith('Invalid name') and requests_mock.call_count == 0


def test_any_name_up_to_255_characters_is_looked_up(run_module, requests_mock):
    odd = 'x' * 200 + ' / ?&#%s'  # never in the URL: matched in the listing
    shares, mock = serve(requests_mock, [odd])
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args(name=odd))
    assert rc == 0 and result['share'] == shares[0]
    assert mock.last_request.path == '/v1/%s/sfs-turbo/shares/detail' % PROJECT_ID


def test_a_failed_listing_fails_with_the_api_error(run_module, requests_mock):
    requests_mock.get(DETAIL_URL, status_code=403, json={'errCode': 'SFS.TURBO.0001', 'errMsg': 'Forbidden'})
    rc, result, dummy = run_module(sfs_turbo_share_info, list_args(name='prod-share'))
    assert rc == 1 and (result['errCode'], result['http_status']) == ('SFS.TURBO.0001', 403)
    assert 'list file systems' in result['msg'] and 'shares' not in result and 'share' not in result


def test_check_mode_lists_too(run_module, requests_mock):
    shares, dummy = serve(requests_mock, ['prod-share'])
    rc, result, dummy = run_module(sfs_turbo_share_info, dict(list_args(name='prod-share'), _ansible_check_mode=True))
    assert rc == 0 and result['share'] == shares[0]
