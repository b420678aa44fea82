# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_request's rules: the path check (before any request), the path sent, the query, the job id, and the resends."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import TokenAuth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import ApiClient
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._request import (
    api_path, check_body, check_path, check_status_codes, encode_query, lifted_job_id, send_request)
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import ENDPOINT, PROJECT_ID, TOKEN

API_BASE = '%s/v1/%s' % (ENDPOINT, PROJECT_ID)
LDAP_URL = '%s/sfs-turbo/shares/s1/fs/ldap' % API_BASE
REFUSED = requests.exceptions.ConnectionError(
    "HTTPSConnectionPool(host='sfs-turbo.example.test', port=443): Max retries exceeded with url: /v1/x "
    "(Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: "
    "Failed to establish a new connection: [Errno 111] Connection refused'))")

HOSTILE_PATHS = [
    ('', 'it is empty'),
    ('http://evil.test/x', 'scheme'),
    ('https:shares', 'scheme'),
    ('//evil.test/x', 'scheme'),
    ('/etc/passwd', 'must start with /v1/ or /v2/'),
    ('/v3/auth/tokens', 'must start with /v1/ or /v2/'),
    ('/v1/', 'it is empty'),
    ('shares//x', '"//"'),
    ('../jobs/x', '"." or ".." segments'),
    ('shares/../../v3', '"." or ".." segments'),
    ('shares/..', '"." or ".." segments'),
    ('/v1/{project_id}/sfs-turbo/../x', '"." or ".." segments'),
    ('shares/./x', '"." or ".." segments'),
    ('.', '"." or ".." segments'),
    ('shares/..;/..;/..;/v2/other/x', '"." or ".." segments'),  # path parameters: Tomcat and others read "..;" as ".."
    ('shares/..;x/y', '"." or ".." segments'),
    ('shares/\uff0e\uff0e/x', '"." or ".." segments'),  # full-width dots, which NFKC makes ".."
    ('shares?limit=1', '"?" or "#"'),
    ('shares#x', '"?" or "#"'),
    ('shares/%2e%2e/x', '"%"'),
    ('shares/%2E%2E/x', '"%"'),
    ('shares%2fx', '"%"'),
    ('shares%2Fx', '"%"'),
    ('shares%5cx', '"%"'),
    ('shares%5Cx', '"%"'),
    ('shares/%41', '"%"'),
    ('shares\\..\\x', 'backslash'),
    ('shares/x\ny', 'control characters'),
    ('shares/x\r', 'control characters'),
    ('shares/x\ty', 'control characters'),
    ('shares/x\x00', 'control characters'),
    ('shares/x\x7f', 'control characters'),
    ('shares/x\x85', 'control characters'),
    ('shares/x\u2028y', 'control characters'),
    ('shares/x\u2029y', 'control characters'),
    ('shares/x\u202ey', 'control characters'),
    ('shares/x\u200by', 'control characters'),
    ('shares/x y', 'control characters'),
    ('shares/x\u00a0y', 'control characters'),
    ('shares/{share_id}', 'placeholder {share_id}'),
]


@pytest.mark.parametrize('path, reason', HOSTILE_PATHS)
def test_a_hostile_path_fails_naming_path(path, reason):
    with pytest.raises(SfsTurboError) as exc:
        check_path(path)
    assert exc.value.msg.startswith('Invalid path ')
    assert reason in exc.value.msg


@pytest.mark.parametrize('path, sent', [
    ('shares/s1/fs/ldap', '/v1/%s/sfs-turbo/shares/s1/fs/ldap' % PROJECT_ID),
    ('shares', '/v1/%s/sfs-turbo/shares' % PROJECT_ID),
    ('shares/detail/', '/v1/%s/sfs-turbo/shares/detail/' % PROJECT_ID),
    ('/v1/{project_id}/sfs-turbo/shares/detail', '/v1/%s/sfs-turbo/shares/detail' % PROJECT_ID),
    ('/v2/{project_id}/sfs-turbo/shares/s1/tags', '/v2/%s/sfs-turbo/shares/s1/tags' % PROJECT_ID),
    ('/v1/other-project/sfs-turbo/quotas', '/v1/other-project/sfs-turbo/quotas'),
    ('shares/s1/tags/k\u00e9y', '/v1/%s/sfs-turbo/shares/s1/tags/k\u00e9y' % PROJECT_ID),
    ('shares/..x/a.b', '/v1/%s/sfs-turbo/shares/..x/a.b' % PROJECT_ID),
])
def test_a_good_path_maps_to_the_api(path, sent):
    assert api_path(*check_path(path), project_id=PROJECT_ID) == sent


@pytest.mark.parametrize('query, encoded', [
    (None, ''),
    ({}, ''),
    ({'limit': 10, 'offset': 0}, 'limit=10&offset=0'),
    ({'name': 'a b&c=d/e?f#g'}, 'name=a%20b%26c%3Dd%2Fe%3Ff%23g'),
    ({'force': True, 'dry': False, 'ratio': 0.5}, 'force=true&dry=false&ratio=0.5'),
    ({'n\u00e4me': '\u00fc'}, 'n%C3%A4me=%C3%BC'),
])
def test_the_query_is_encoded(query, encoded):
    assert encode_query(query) == encoded


@pytest.mark.parametrize('value', [None, ['a'], {'a': 1}])
def test_a_query_value_that_is_no_scalar_is_refused(value):
    with pytest.raises(SfsTurboError) as exc:
        encode_query({'key': value})
    assert 'query key must be a string' in exc.value.msg


@pytest.mark.parametrize('body', ['{"a": 1}', 5, {'a': float('nan')}, {'a': {1, 2}}])
def test_a_body_that_is_no_json_dict_or_list_is_refused(body):
    with pytest.raises(SfsTurboError) as exc:
        check_body(body)
    assert exc.value.msg.startswith('body must be a dict or a list')


@pytest.mark.parametrize('codes', [[], [99], [600], [True]])
def test_a_status_code_outside_http_is_refused(codes):
    with pytest.raises(SfsTurboError):
        check_status_codes(codes)


@pytest.mark.parametrize('body, job_id', [
    ({'jobId': 'j-1'}, 'j-1'),
    ({'job_id': 'j-2'}, 'j-2'),
    ({'jobId': 'j-1', 'job_id': 'j-2'}, 'j-1'),
    ({'jobId': 17}, None),
    ({'jobId': ''}, None),
    ({'id': 's1'}, None),
    ([{'jobId': 'j-1'}], None),
    ({}, None),
])
def test_the_job_id_is_lifted_from_a_dict_body(body, job_id):
    assert lifted_job_id(body) == job_id


class FakeAnsible:
    def __init__(self, check_mode):
        self.check_mode = check_mode


class FakeModule:
    """What send_request needs of an SfsTurboModule: params, check mode, and connect()."""

    def __init__(self, check_mode=False, **params):
        self.params = dict(dict(method='GET', body=None, query=None, status_code=[200, 201, 202, 204]), **params)
        self.ansible = FakeAnsible(check_mode)
        self.connects = 0

    def connect(self):
        self.connects += 1
        return ApiClient(API_BASE, TokenAuth(TOKEN), retries=4)


def test_a_hostile_path_fails_before_the_client_is_made(requests_mock):
    module = FakeModule(path='../../v3/auth/tokens')
    failed, result = send_request(module)
    assert failed and result['msg'].startswith('Invalid path') and module.connects == 0 and requests_mock.call_count == 0
    assert result['changed'] is False


@pytest.mark.parametrize('failure', [{'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}},
                                     {'exc': requests.exceptions.ReadTimeout('read timed out')},
                                     {'exc': requests.exceptions.ConnectionError('Connection aborted: RemoteDisconnected')}])
def test_a_post_that_may_have_reached_the_server_is_not_resent(requests_mock, fake_clock, failure):
    requests_mock.post(LDAP_URL, [failure, {'status_code': 202, 'json': {'jobId': 'j-1'}}])
    failed, result = send_request(FakeModule(path='shares/s1/fs/ldap', method='POST', body={'url': 'ldap://x'}))
    assert failed and requests_mock.call_count == 1 and fake_clock.sleeps == []
    assert result['changed'] is True and 'may have reached the server' in result['msg']


@pytest.mark.parametrize('method', ['GET', 'PUT', 'DELETE'])
def test_other_methods_are_retried_after_a_503(requests_mock, fake_clock, method):
    requests_mock.register_uri(method, LDAP_URL, [{'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'x'}},
                                                  {'status_code': 200, 'json': {'ok': 1}}])
    failed, result = send_request(FakeModule(path='shares/s1/fs/ldap', method=method))
    assert not failed and result['json'] == {'ok': 1} and requests_mock.call_count == 2


def test_a_post_refused_at_connect_is_resent(requests_mock, fake_clock):
    requests_mock.post(LDAP_URL, [{'exc': REFUSED}, {'status_code': 202, 'json': {'jobId': 'j-1'}}])
    failed, result = send_request(FakeModule(path='shares/s1/fs/ldap', method='POST', body={'url': 'ldap://x'}))
    assert not failed and requests_mock.call_count == 2
    assert result == {'changed': True, 'status': 202, 'json': {'jobId': 'j-1'}, 'job_id': 'j-1'}
    assert requests_mock.last_request.json() == {'url': 'ldap://x'}


def test_a_listed_error_status_is_an_answer_and_not_retried(requests_mock, fake_clock):
    requests_mock.get(LDAP_URL, status_code=503, headers={'X-Request-Id': 'req-1'}, json={'errCode': 'E', 'errMsg': 'busy'})
    failed, result = send_request(FakeModule(path='shares/s1/fs/ldap', status_code=[200, 503]))
    assert not failed and requests_mock.call_count == 1
    assert result == {'changed': False, 'status': 503, 'json': {'errCode': 'E', 'errMsg': 'busy'}, 'request_id': 'req-1'}


def test_a_status_not_listed_fails_with_the_api_error_keys(requests_mock):
    requests_mock.get(LDAP_URL, status_code=404, headers={'X-Request-Id': 'req-2'}, json={'errCode': 'SFS.TURBO.0002', 'errMsg': 'Cluster not found'})
    failed, result = send_request(FakeModule(path='shares/s1/fs/ldap'))
    assert failed and result['changed'] is False
    assert (result['errCode'], result['errMsg'], result['http_status'], result['request_id']) == ('SFS.TURBO.0002', 'Cluster not found', 404, 'req-2')
    assert result['msg'].startswith('Could not send GET /v1/%s/sfs-turbo/shares/s1/fs/ldap: HTTP 404' % PROJECT_ID)


def test_a_success_status_not_listed_fails_and_says_so(requests_mock):
    requests_mock.post(LDAP_URL, status_code=200, json={'jobId': 'j-1'})
    failed, result = send_request(FakeModule(path='shares/s1/fs/ldap', method='POST', status_code=[202]))
    assert failed and result['http_status'] == 200 and 'status_code (202) does not list 200' in result['msg']
    assert result['changed'] is True, 'a 200 to a POST did what it did'


@pytest.mark.parametrize('content, expected', [(b'', {}), (b'  ', {}), (b'null', {}), (b'[1, 2]', [1, 2]), (b'"ok"', 'ok')])
def test_any_json_body_is_returned_and_an_empty_one_as_an_empty_dict(requests_mock, content, expected):
    requests_mock.delete(LDAP_URL, status_code=204 if not content.strip() else 200, content=content)
    failed, result = send_request(FakeModule(path='shares/s1/fs/ldap', method='DELETE'))
    assert not failed and result['json'] == expected and result['changed'] is True


def test_a_body_that_is_not_json_fails_with_an_excerpt(requests_mock):
    requests_mock.get(LDAP_URL, status_code=200, text='<html>maintenance</html>')
    failed, result = send_request(FakeModule(path='shares/s1/fs/ldap'))
    assert failed and result['http_status'] == 200 and 'not JSON' in result['msg'] and 'maintenance' in result['msg']


def test_the_gateway_body_request_id_is_returned(requests_mock):
    requests_mock.get(LDAP_URL, status_code=404, json={'error_code': 'APIG.0101', 'error_msg': 'no api', 'request_id': 'gw-1'})
    failed, result = send_request(FakeModule(path='shares/s1/fs/ldap', status_code=[404]))
    assert not failed and result['request_id'] == 'gw-1'


def test_query_and_v2_path_reach_the_right_url(requests_mock):
    url = '%s/v2/%s/sfs-turbo/shares/s1/tags' % (ENDPOINT, PROJECT_ID)
    requests_mock.get(url, json={'tags': []})
    failed, result = send_request(FakeModule(path='/v2/{project_id}/sfs-turbo/shares/s1/tags', query={'limit': 5, 'key': 'a b'}))
    assert not failed and result['json'] == {'tags': []}
    assert requests_mock.last_request.url == url + '?limit=5&key=a%20b'


def test_check_mode_sends_a_get_and_no_other_method(requests_mock):
    requests_mock.get(LDAP_URL, json={'a': 1})
    failed, result = send_request(FakeModule(check_mode=True, path='shares/s1/fs/ldap'))
    assert not failed and result['json'] == {'a': 1} and requests_mock.call_count == 1
    for method in ('POST', 'PUT', 'DELETE'):
        failed, result = send_request(FakeModule(check_mode=True, path='shares/s1/fs/ldap', method=method))
        assert not failed and result == {'changed': True, 'msg': '%s /v1/%s/sfs-turbo/shares/s1/fs/ldap was not sent (check mode).' % (method, PROJECT_ID)}
    assert requests_mock.call_count == 1
