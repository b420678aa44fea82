# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_request: one request through the module's main(): result, changed, check mode, status_code, masking."""

from __future__ import annotations

import importlib.util
import os

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_request
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import ENDPOINT, PROJECT_ID, TOKEN

LDAP_URL = '%s/v1/%s/sfs-turbo/shares/s1/fs/ldap' % (ENDPOINT, PROJECT_ID)
IAM_URL = 'https://iam.example.test/v3'
PASSWORD = 'pw-SECRET-271828'
IAM_TOKEN = 'iam-TOKEN-SECRET-9'
SECRET_KEY = 'sk-SECRET-161803'


@pytest.fixture(autouse=True)
def no_real_sleep(fake_clock):
    return fake_clock


def request_args(**overrides):
    args = {'endpoint': ENDPOINT, 'project_id': PROJECT_ID, 'auth_token': TOKEN, 'path': 'shares/s1/fs/ldap'}
    args.update(overrides)
    return args


def run(run_module, **overrides):
    rc, result, raw = run_module(sfs_turbo_request, request_args(**overrides))
    result.pop('invocation', None)  # returned up to ansible-core 2.20 only
    return rc, result, raw


def test_a_get_returns_the_body_and_changes_nothing(run_module, requests_mock):
    requests_mock.get(LDAP_URL, json={'url': 'ldap://x'}, headers={'X-Request-Id': 'req-1'})
    rc, result, dummy = run(run_module)
    assert rc == 0, result
    assert result == {'changed': False, 'status': 200, 'json': {'url': 'ldap://x'}, 'request_id': 'req-1'}
    assert requests_mock.last_request.headers['X-Auth-Token'] == TOKEN


@pytest.mark.parametrize('method', ['POST', 'PUT', 'DELETE'])
def test_every_other_method_is_a_change_and_lifts_the_job_id(run_module, requests_mock, method):
    requests_mock.register_uri(method, LDAP_URL, status_code=202, json={'jobId': 'job-ldap-1'})
    rc, result, dummy = run(run_module, method=method, body={'url': 'ldap://x'})
    assert rc == 0 and result == {'changed': True, 'status': 202, 'json': {'jobId': 'job-ldap-1'}, 'job_id': 'job-ldap-1'}
    assert requests_mock.last_request.method == method and requests_mock.last_request.json() == {'url': 'ldap://x'}


def test_a_list_body_is_sent_as_json(run_module, requests_mock):
    requests_mock.post(LDAP_URL, status_code=204)
    rc, result, dummy = run(run_module, method='POST', body=[{'key': 'k', 'value': 'v'}])
    assert rc == 0 and result['json'] == {} and requests_mock.last_request.json() == [{'key': 'k', 'value': 'v'}]


@pytest.mark.parametrize('method', ['POST', 'PUT', 'DELETE'])
def test_check_mode_sends_nothing_but_a_get(run_module, requests_mock, method):
    rc, result, dummy = run(run_module, method=method, body={'a': 1}, _ansible_check_mode=True)
    assert rc == 0 and requests_mock.call_count == 0
    assert result == {'changed': True, 'msg': '%s /v1/%s/sfs-turbo/shares/s1/fs/ldap was not sent (check mode).' % (method, PROJECT_ID)}
    assert 'skipped' not in result


def test_check_mode_sends_a_get(run_module, requests_mock):
    requests_mock.get(LDAP_URL, json={'a': 1})
    rc, result, dummy = run(run_module, _ansible_check_mode=True)
    assert rc == 0 and result['json'] == {'a': 1} and result['changed'] is False and requests_mock.call_count == 1


def test_a_listed_404_is_an_answer(run_module, requests_mock):
    requests_mock.get(LDAP_URL, status_code=404, json={'errCode': 'SFS.TURBO.0002', 'errMsg': 'Cluster not found'})
    rc, result, dummy = run(run_module, status_code=[200, 404])
    assert rc == 0 and result['status'] == 404 and result['json']['errCode'] == 'SFS.TURBO.0002'


def test_a_status_not_listed_fails_with_the_api_error_keys(run_module, requests_mock):
    requests_mock.put(LDAP_URL, status_code=400, headers={'X-Request-Id': 'req-400'}, json={'errCode': 'SFS.TURBO.0001', 'errMsg': 'parameter error'})
    rc, result, dummy = run(run_module, method='PUT', body={})
    assert rc == 1 and result['changed'] is False and requests_mock.call_count == 1
    assert (result['errCode'], result['errMsg'], result['http_status'], result['request_id']) == ('SFS.TURBO.0001', 'parameter error', 400, 'req-400')
    assert result['msg'].startswith('Could not send PUT /v1/%s/sfs-turbo/shares/s1/fs/ldap: HTTP 400' % PROJECT_ID)


@pytest.mark.parametrize('args, words', [
    ({'path': 'https://evil.test/x'}, 'Invalid path'),
    ({'path': 'shares/%2e%2e/jobs'}, 'Invalid path'),
    ({'method': 'PATCH'}, 'value of method must be one of'),
    ({'body': 'not json'}, 'body must be a dict or a list'),
    ({'query': {'a': [1]}}, 'query a must be'),
    ({'status_code': [0]}, 'status_code must list'),
])
def test_bad_options_fail_before_any_request(run_module, requests_mock, args, words):
    rc, result, dummy = run(run_module, **args)
    assert rc == 1 and words in result['msg'] and requests_mock.call_count == 0


def iam_ok():
    return {'status_code': 201, 'headers': {'X-Subject-Token': IAM_TOKEN},
            'json': {'token': {'project': {'id': PROJECT_ID},
                               'catalog': [{'type': 'sfsturbo', 'endpoints': [{'url': '%s/v1/%s' % (ENDPOINT, PROJECT_ID)}]}]}}}


CREDENTIALS = {
    'token': ({'auth_token': TOKEN}, (TOKEN,)),
    'password': ({'auth_token': None, 'auth_url': IAM_URL, 'username': 'alice', 'password': PASSWORD, 'user_domain_name': 'acme'},
                 (PASSWORD, IAM_TOKEN)),
    'aksk': ({'auth_token': None, 'access_key': 'AK1', 'secret_key': SECRET_KEY}, (SECRET_KEY,)),
}


@pytest.mark.parametrize('method', sorted(CREDENTIALS))
@pytest.mark.parametrize('status', [200, 400])
def test_a_secret_the_server_echoes_is_masked(run_module, requests_mock, method, status):
    options, secrets = CREDENTIALS[method]
    requests_mock.post(IAM_URL + '/auth/tokens', **iam_ok())
    echoed = ' '.join(secrets + tuple(secret.lower() for secret in secrets))
    requests_mock.get(LDAP_URL, status_code=status, headers={'X-Request-Id': secrets[-1]},
                      json={'errCode': 'E', 'errMsg': 'got %s' % echoed, 'nested': [{'v': secrets[0].upper()}], secrets[0]: 'as a key'})
    args = {key: value for key, value in request_args(**options).items() if value is not None}
    rc, result, raw = run_module(sfs_turbo_request, args)
    assert rc == (0 if status == 200 else 1), result
    for secret in secrets:
        assert secret.lower() not in raw.lower(), raw
    if status == 200:
        assert result['json']['nested'] == [{'v': '********'}] and result['json']['********'] == 'as a key'
    assert ('X-Auth-Token' in requests_mock.last_request.headers) == (method != 'aksk')
    assert requests_mock.call_count == (2 if method == 'password' else 1)


def emulator_signing():
    """The emulator's own SDK-HMAC-SHA256 code (roles/emulator), loaded from its file: a second implementation to check against."""
    path = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'emulator', 'files', 'sfs_turbo_emu', 'signing.py')
    spec = importlib.util.spec_from_file_location('sfs_turbo_emu_signing_under_test', path)
    signing = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(signing)
    return signing


def test_an_aksk_request_with_a_query_verifies_as_the_gateway_checks_it(run_module, requests_mock):
    url = '%s/v2/%s/sfs-turbo/shares/s1/tags' % (ENDPOINT, PROJECT_ID)
    requests_mock.post(url, status_code=204)
    args = {key: value for key, value in request_args(auth_token=None, access_key='AK1', secret_key=SECRET_KEY).items() if value is not None}
    rc, result, dummy = run_module(sfs_turbo_request, dict(args, method='POST', path='/v2/{project_id}/sfs-turbo/shares/s1/tags',
                                                           query={'key': 'a b/c', 'limit': 5, 'k\u00e9y': '\u00fc&='}, body={'tag': {'key': 'k'}}))
    assert rc == 0, result
    sent = requests_mock.last_request
    assert sent.url.startswith(url + '?')
    authorization = sent.headers['Authorization']
    signed = authorization.split('SignedHeaders=')[1].split(',')[0].split(';')
    headers = dict((name, value) for name, value in sent.headers.items() if name.lower() in signed)
    expected = emulator_signing().compute_signature('POST', sent.url, headers, sent.body, SECRET_KEY, signed_headers=signed)
    assert authorization.endswith('Signature=%s' % expected['signature'])
