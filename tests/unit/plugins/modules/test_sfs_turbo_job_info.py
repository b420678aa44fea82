# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_job_info: the real main() over a real requests stack (requests-mock replaces the transport)."""

from __future__ import annotations

import pytest
import requests

from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_job_info
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import ENDPOINT, JOB_ID, JOB_URL, PROJECT_ID, TOKEN, base_args, job_body

SUB_OK = {'job_id': 'sub-1', 'status': 'success', 'job_type': 'create_share', 'begin_time': '2026-11-28 10:00:00', 'end_time': '2026-11-28 10:00:30'}
SUB_FAILED = {'job_id': 'sub-2', 'status': 'failed', 'job_type': 'create_share', 'begin_time': '2026-11-28 10:00:00',
              'end_time': '2026-11-28 10:00:40', 'error_code': 'SFS.TURBO.0029', 'fail_reason': 'Subnet has not enough ips'}


@pytest.fixture(autouse=True)
def no_real_sleep(fake_clock):
    return fake_clock


def run(run_module, **overrides):
    return run_module(sfs_turbo_job_info, base_args(**overrides))


def test_success_without_sub_jobs_returns_the_body_as_given(run_module, requests_mock):
    body = {'job_id': JOB_ID, 'status': 'success', 'job_type': 'bind_ldap', 'begin_time': '2023-07-26 09:33:58',
            'end_time': '2023-07-26 09:33:58', 'field_added_later': {'kept': True}}
    requests_mock.get(JOB_URL, json=body)
    rc, result, dummy = run(run_module)
    assert rc == 0
    assert result['changed'] is False
    assert result['job'] == body, 'unknown fields and job types are kept'
    assert result['sub_jobs'] == []
    assert requests_mock.call_count == 1
    assert requests_mock.last_request.headers['X-Auth-Token'] == TOKEN


def test_success_with_sub_jobs(run_module, requests_mock):
    requests_mock.get(JOB_URL, json=job_body(sub_jobs=[SUB_OK]))
    rc, result, dummy = run(run_module)
    assert rc == 0
    assert result['sub_jobs'] == [SUB_OK]
    assert result['job']['sub_jobs'] == [SUB_OK]


@pytest.mark.parametrize('status', ['waiting', 'running'])
def test_a_pending_job_is_returned_as_data_without_polling(run_module, requests_mock, no_real_sleep, status):
    requests_mock.get(JOB_URL, json=job_body(status))
    rc, result, dummy = run(run_module)
    assert rc == 0 and result['job']['status'] == status
    assert 'end_time' not in result['job']
    assert requests_mock.call_count == 1
    assert no_real_sleep.sleeps == []


def test_a_failed_job_fails_the_task_with_its_own_error(run_module, requests_mock):
    requests_mock.get(JOB_URL, headers={'X-request-id': 'req-failed-job'},
                      json=job_body('failed', error_code='SFS.TURBO.0030', fail_reason='Ecs resource not enough', sub_jobs=[SUB_OK, SUB_FAILED]))
    rc, result, dummy = run(run_module)
    assert rc == 1 and result['failed'] is True
    assert result['errCode'] == 'SFS.TURBO.0030'
    assert result['errMsg'] == 'Ecs resource not enough'
    assert result['msg'] == ('SFS Turbo job %s (create_share) failed with SFS.TURBO.0030: Ecs resource not enough; '
                             'failed sub-jobs: sub-2.' % JOB_ID)
    assert result['job']['status'] == 'failed'
    assert result['sub_jobs'] == [SUB_OK, SUB_FAILED]
    assert (result['http_status'], result['request_id']) == (200, 'req-failed-job'), 'the answer that reported the failure'


def test_a_failed_job_without_error_takes_it_from_the_first_failed_sub_job(run_module, requests_mock):
    silent_failure = dict(SUB_FAILED, job_id='sub-1')
    del silent_failure['error_code'], silent_failure['fail_reason']
    first_failure = dict(SUB_FAILED, fail_reason=None)
    second_failure = dict(SUB_FAILED, job_id='sub-3', error_code='SFS.TURBO.0032', fail_reason='EVS Resource Not Enough')
    requests_mock.get(JOB_URL, json=job_body('failed', sub_jobs=[SUB_OK, silent_failure, first_failure, second_failure]))
    rc, result, dummy = run(run_module)
    assert rc == 1
    # Both from the first failed sub-job that carries either, never mixed from two sub-jobs.
    assert result['errCode'] == 'SFS.TURBO.0029'
    assert 'errMsg' not in result
    assert 'sub-1, sub-2, sub-3' in result['msg']


@pytest.mark.parametrize('job_fields, expected', [
    # The job says why but not its code: the code is its failed sub-job's (issue 24, defect 6).
    ({'fail_reason': 'Subnet exhausted'}, ('SFS.TURBO.0029', 'Subnet exhausted')),
    ({'error_code': 'SFS.TURBO.0030'}, ('SFS.TURBO.0030', 'Subnet has not enough ips')),
])
def test_what_a_failed_job_lacks_comes_from_its_failed_sub_job(run_module, requests_mock, job_fields, expected):
    requests_mock.get(JOB_URL, json=job_body('failed', sub_jobs=[SUB_OK, SUB_FAILED], **job_fields))
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert (result['errCode'], result['errMsg']) == expected
    assert result['msg'] == 'SFS Turbo job %s (create_share) failed with %s: %s; failed sub-jobs: sub-2.' % ((JOB_ID,) + expected)


def test_a_file_system_id_given_as_job_id_is_pointed_to_the_share_wait(run_module, requests_mock):
    requests_mock.get(JOB_URL, status_code=404, json={'errCode': 'SFS.TURBO.0019', 'errMsg': 'Invalid Job Id'})
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert (result['errCode'], result['errMsg'], result['http_status']) == ('SFS.TURBO.0019', 'Invalid Job Id', 404)
    assert result['msg'].startswith('Could not query SFS Turbo job %s: HTTP 404' % JOB_ID)
    assert result['msg'].endswith('SFS.TURBO.0019: Invalid Job Id; if %s is the id of a file system (what create, expand and the other '
                                  'file-system operations return), wait with otc_community.sfs_turbo.sfs_turbo_share_wait and share_id '
                                  'instead.' % JOB_ID)


def test_a_failed_job_with_no_error_anywhere_still_says_so(run_module, requests_mock):
    requests_mock.get(JOB_URL, json=job_body('failed'))
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert 'failed without an error code or reason' in result['msg']
    assert 'errCode' not in result


def test_a_failed_job_is_data_with_fail_on_job_failure_false(run_module, requests_mock):
    requests_mock.get(JOB_URL, headers={'X-request-id': 'req-failed-job'},
                      json=job_body('failed', error_code='SFS.TURBO.0030', fail_reason='Ecs resource not enough', sub_jobs=[SUB_OK, SUB_FAILED]))
    rc, result, dummy = run(run_module, fail_on_job_failure=False)
    assert rc == 0
    assert 'failed' not in result or result['failed'] is False
    assert result['job']['error_code'] == 'SFS.TURBO.0030'
    # What a runbook branches on, the same as when the task fails.
    assert result['errCode'] == 'SFS.TURBO.0030'
    assert result['errMsg'] == 'Ecs resource not enough'
    assert result['msg'] == ('SFS Turbo job %s (create_share) failed with SFS.TURBO.0030: Ecs resource not enough; '
                             'failed sub-jobs: sub-2.' % JOB_ID)
    assert result['sub_jobs'] == [SUB_OK, SUB_FAILED]


def test_a_failed_job_as_data_takes_its_error_from_the_failed_sub_job(run_module, requests_mock):
    requests_mock.get(JOB_URL, json=job_body('failed', sub_jobs=[SUB_OK, SUB_FAILED]))
    rc, result, dummy = run(run_module, fail_on_job_failure=False)
    assert rc == 0
    assert (result['errCode'], result['errMsg']) == ('SFS.TURBO.0029', 'Subnet has not enough ips')


@pytest.mark.parametrize('status', ['success', 'running'])
def test_a_job_that_did_not_fail_carries_no_error_keys(run_module, requests_mock, status):
    requests_mock.get(JOB_URL, json=job_body(status))
    rc, result, dummy = run(run_module, fail_on_job_failure=False)
    assert rc == 0
    assert not {'errCode', 'errMsg', 'msg'} & set(result)


@pytest.mark.parametrize('status, body', [
    (400, {'errCode': 'SFS.TURBO.0001', 'errMsg': 'parameter error'}),
    (404, {'errCode': 'SFS.TURBO.0001', 'errMsg': 'parameter error'}),
    (500, {'errCode': 'SFS.TURBO.0005', 'errMsg': 'Internal server error'}),
])
def test_service_dialect_errors(run_module, requests_mock, status, body):
    requests_mock.get(JOB_URL, status_code=status, json=body, headers={'X-request-id': 'req-%d' % status})
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert (result['errCode'], result['errMsg'], result['http_status'], result['request_id']) == (
        body['errCode'], body['errMsg'], status, 'req-%d' % status)
    assert JOB_ID in result['msg'] and body['errCode'] in result['msg']
    assert 'job' not in result
    assert requests_mock.call_count == (5 if status == 500 else 1), '500 is retried, 400/404 are not'


@pytest.mark.parametrize('status, code, message', [
    (401, 'APIG.0301', 'Incorrect IAM authentication information: verify aksk signature fail'),
    (429, 'APIG.0308', 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute'),
])
def test_gateway_dialect_errors(run_module, requests_mock, status, code, message):
    requests_mock.get(JOB_URL, status_code=status, json={'error_code': code, 'error_msg': message, 'request_id': 'gw-%d' % status})
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert (result['errCode'], result['errMsg'], result['http_status'], result['request_id']) == (code, message, status, 'gw-%d' % status)


def test_a_non_json_error_page(run_module, requests_mock):
    requests_mock.get(JOB_URL, status_code=502, headers={'Content-Type': 'text/html'},
                      text='<html><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>')
    rc, result, raw = run(run_module)
    assert rc == 1
    assert result['http_status'] == 502
    assert '502 Bad Gateway nginx' in result['msg']
    assert 'errCode' not in result
    assert 'Traceback' not in raw and 'exception' not in result


def test_a_200_whose_body_is_not_json(run_module, requests_mock):
    requests_mock.get(JOB_URL, text='<html>Under maintenance</html>')
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert result['http_status'] == 200
    assert 'not a JSON object' in result['msg'] and 'Under maintenance' in result['msg']


def test_connection_failure(run_module, requests_mock):
    requests_mock.get(JOB_URL, exc=requests.exceptions.ConnectionError('[Errno 111] Connection refused'))
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert result['msg'] == ('Could not query SFS Turbo job %s: connection to https://sfs-turbo.example.test:443 failed '
                             '(Connection refused) (gave up after 5 attempts).' % JOB_ID)
    assert 'http_status' not in result


def test_request_timeout(run_module, requests_mock):
    requests_mock.get(JOB_URL, exc=requests.exceptions.ReadTimeout())
    rc, result, dummy = run(run_module, request_timeout=3, retries=1)
    assert rc == 1
    assert 'timed out: no complete answer within 3 s (request_timeout)' in result['msg']
    assert requests_mock.call_count == 2
    assert 2.5 < max(requests_mock.last_request.timeout) <= 3


@pytest.mark.parametrize('overrides, expected', [
    ({'job_id': '../../../v3/auth/tokens'}, 'Invalid job_id'),
    ({'job_id': 'x' * 65}, 'Invalid job_id'),
    ({'job_id': JOB_ID + '\n'}, 'Invalid job_id'),
    ({'project_id': PROJECT_ID + '\n'}, 'Invalid project_id'),
    ({'request_timeout': float('nan')}, 'request_timeout must be greater than 0'),
    ({'auth_token': 'tok\u2026en'}, 'auth_token must be printable ASCII on one line'),
    ({'project_id': 'a/b'}, 'Invalid project_id'),
    ({'endpoint': 'ftp://example.test'}, 'Invalid endpoint'),
    ({'request_timeout': 0}, 'request_timeout must be greater than 0'),
    ({'retries': -1}, 'retries must be 0 or more'),
    ({'ca_path': '/nonexistent/ca.pem'}, 'ca_path /nonexistent/ca.pem is not a file'),
    ({'auth_token': None}, 'No credentials: set auth_token (or OS_AUTH_TOKEN)'),
])
def test_bad_input_fails_before_any_request(run_module, requests_mock, overrides, expected):
    rc, result, dummy = run(run_module, **overrides)
    assert rc == 1
    assert expected in result['msg']
    assert requests_mock.call_count == 0


def test_env_fallbacks(run_module, requests_mock, monkeypatch, tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('CA')
    monkeypatch.setenv('SFS_TURBO_ENDPOINT', ENDPOINT)
    monkeypatch.setenv('OS_PROJECT_ID', PROJECT_ID)
    monkeypatch.setenv('OS_AUTH_TOKEN', TOKEN)
    monkeypatch.setenv('SFS_TURBO_CA_PATH', str(bundle))
    requests_mock.get(JOB_URL, json=job_body())
    rc, result, raw = run_module(sfs_turbo_job_info, {'job_id': JOB_ID})
    assert rc == 0
    assert requests_mock.last_request.headers['X-Auth-Token'] == TOKEN
    assert requests_mock.last_request.verify == str(bundle)
    assert TOKEN not in raw


def test_region_env_fallback_and_validate_certs_env(run_module, requests_mock, monkeypatch):
    monkeypatch.setenv('OS_REGION_NAME', 'eu-nl')
    monkeypatch.setenv('SFS_TURBO_VALIDATE_CERTS', 'false')
    url = 'https://sfs-turbo.eu-nl.otc.t-systems.com/v1/%s/sfs-turbo/jobs/%s' % (PROJECT_ID, JOB_ID)
    requests_mock.get(url, json=job_body())
    rc, dummy, dummy2 = run_module(sfs_turbo_job_info, {'job_id': JOB_ID, 'project_id': PROJECT_ID, 'auth_token': TOKEN})
    assert rc == 0
    assert requests_mock.last_request.verify is False


@pytest.mark.parametrize('task, env, verify', [
    ({}, {}, False),  # clouds.yaml's verify: false applies when nothing else sets validate_certs
    ({}, {'SFS_TURBO_VALIDATE_CERTS': 'true'}, True),  # the env var beats clouds.yaml
    ({'validate_certs': True}, {}, True),  # the task beats clouds.yaml, also when it says the default
])
def test_validate_certs_precedence_with_clouds_yaml(run_module, requests_mock, monkeypatch, tmp_path, task, env, verify):
    (tmp_path / 'clouds.yaml').write_text('clouds:\n  awx:\n    auth:\n      token: %s\n      project_id: %s\n    verify: false\n'
                                          '    sfsturbo_endpoint_override: %s\n' % (TOKEN, PROJECT_ID, ENDPOINT))
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(tmp_path / 'clouds.yaml'))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    requests_mock.get(JOB_URL, json=job_body())
    rc, result, dummy = run_module(sfs_turbo_job_info, dict(task, job_id=JOB_ID))
    assert rc == 0, result
    assert requests_mock.last_request.verify is verify


def test_without_any_setting_certificates_are_verified(run_module, requests_mock):
    requests_mock.get(JOB_URL, json=job_body())
    rc, dummy, dummy2 = run(run_module)
    assert rc == 0 and requests_mock.last_request.verify is True


def test_an_explicit_option_beats_its_env_var(run_module, requests_mock, monkeypatch):
    monkeypatch.setenv('SFS_TURBO_ENDPOINT', 'https://wrong.example.test')
    requests_mock.get(JOB_URL, json=job_body())
    rc, dummy, dummy2 = run(run_module)
    assert rc == 0 and requests_mock.last_request.url == JOB_URL


@pytest.mark.parametrize('via_env', [False, True])
def test_the_token_never_appears_in_output_even_when_echoed(run_module, requests_mock, monkeypatch, via_env):
    requests_mock.get(JOB_URL, status_code=400, json={'errCode': 'SFS.TURBO.0001', 'errMsg': 'token %s rejected' % TOKEN},
                      headers={'X-request-id': TOKEN})
    args = base_args()
    if via_env:
        monkeypatch.setenv('OS_AUTH_TOKEN', args.pop('auth_token'))
    rc, result, raw = run_module(sfs_turbo_job_info, args)
    assert rc == 1
    assert TOKEN not in raw
    assert 'SFS.TURBO.0001' in result['msg']


def test_check_mode_reads_the_job_too(run_module, requests_mock):
    requests_mock.get(JOB_URL, json=job_body())
    rc, result, dummy = run_module(sfs_turbo_job_info, dict(base_args(), _ansible_check_mode=True))
    assert rc == 0 and result['job']['status'] == 'success' and result['changed'] is False


IAM_URL = 'https://iam.example.test/v3'
PASSWORD = 'pw-SECRET-271828'
SECRET_KEY = 'sk-SECRET-161803'
SECURITY_TOKEN = 'st-SECRET-141421'
CREDENTIALS = {
    'password': ({'auth_url': IAM_URL, 'username': 'alice', 'password': PASSWORD, 'user_domain_name': 'acme', 'project_name': 'eu-de'},
                 {'OS_AUTH_URL': IAM_URL, 'OS_USERNAME': 'alice', 'OS_PASSWORD': PASSWORD, 'OS_DOMAIN_NAME': 'acme', 'OS_PROJECT_NAME': 'eu-de'}),
    'aksk': ({'access_key': 'AK1', 'secret_key': SECRET_KEY, 'security_token': SECURITY_TOKEN, 'endpoint': ENDPOINT, 'project_id': PROJECT_ID},
             {'OS_ACCESS_KEY': 'AK1', 'OS_SECRET_KEY': SECRET_KEY, 'OS_SECURITY_TOKEN': SECURITY_TOKEN,
              'SFS_TURBO_ENDPOINT': ENDPOINT, 'OS_PROJECT_ID': PROJECT_ID}),
}


def iam_ok():
    return {'status_code': 201, 'headers': {'X-Subject-Token': 'iam-TOKEN-SECRET-9'},
            'json': {'token': {'project': {'id': PROJECT_ID},
                               'catalog': [{'type': 'sfsturbo', 'endpoints': [{'url': '%s/v1/%s' % (ENDPOINT, PROJECT_ID)}]}]}}}


@pytest.mark.parametrize('method', sorted(CREDENTIALS))
@pytest.mark.parametrize('via_env', [False, True])
@pytest.mark.parametrize('outcome', ['success', 'api-error'])
def test_no_secret_of_any_method_reaches_the_output(run_module, requests_mock, monkeypatch, method, via_env, outcome):
    options, env = CREDENTIALS[method]
    requests_mock.post(IAM_URL + '/auth/tokens', **iam_ok())
    if outcome == 'success':
        requests_mock.get(JOB_URL, json=job_body())
    else:
        # A server that echoes what it got: still nothing secret may come out.
        echoed = 'bad %s %s %s iam-TOKEN-SECRET-9' % (PASSWORD, SECRET_KEY, SECURITY_TOKEN)
        requests_mock.get(JOB_URL, status_code=400, json={'errCode': 'SFS.TURBO.0001', 'errMsg': echoed})
    args = {'job_id': JOB_ID}
    if via_env:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
    else:
        args.update(options)
    rc, result, raw = run_module(sfs_turbo_job_info, args)
    assert rc == (0 if outcome == 'success' else 1), result
    secrets = (PASSWORD, 'iam-TOKEN-SECRET-9') if method == 'password' else (SECRET_KEY, SECURITY_TOKEN)
    for secret in secrets:
        assert secret not in raw
    sent = requests_mock.last_request.headers
    if method == 'aksk':
        assert sent['Authorization'].startswith('SDK-HMAC-SHA256 Access=AK1, ')
        assert sent['X-Security-Token'] == SECURITY_TOKEN and sent['X-Project-Id'] == PROJECT_ID
    else:
        assert sent['X-Auth-Token'] == 'iam-TOKEN-SECRET-9'


def test_secrets_only_clouds_yaml_knows_are_masked_too(run_module, requests_mock, monkeypatch, tmp_path):
    # Ansible masks no_log options and env vars by itself; a clouds.yaml password and an
    # IAM-issued token it only masks because the module tells it about them.
    (tmp_path / 'clouds.yaml').write_text(
        'clouds:\n  awx:\n    auth:\n      auth_url: %s\n      username: alice\n      user_domain_name: acme\n'
        '      project_name: eu-de\n' % IAM_URL)
    (tmp_path / 'secure.yaml').write_text('clouds:\n  awx:\n    auth:\n      password: %s\n' % PASSWORD)
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(tmp_path / 'clouds.yaml'))
    requests_mock.post(IAM_URL + '/auth/tokens', **iam_ok())
    requests_mock.get(JOB_URL, headers={'X-request-id': 'iam-TOKEN-SECRET-9'},
                      json=job_body('failed', error_code='E-%s' % PASSWORD, fail_reason='token iam-TOKEN-SECRET-9 and %s' % PASSWORD))
    rc, result, raw = run_module(sfs_turbo_job_info, {'job_id': JOB_ID})
    assert rc == 1 and 'errCode' in result
    assert PASSWORD not in raw and 'iam-TOKEN-SECRET-9' not in raw


def test_clouds_yaml_from_os_client_config_file(run_module, requests_mock, monkeypatch, tmp_path):
    (tmp_path / 'clouds.yaml').write_text(
        'clouds:\n  awx:\n    auth:\n      auth_url: %s\n      username: alice\n      password: %s\n'
        '      user_domain_name: acme\n      project_name: eu-de\n    region_name: eu-de\n' % (IAM_URL, PASSWORD))
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', str(tmp_path / 'clouds.yaml'))
    requests_mock.post(IAM_URL + '/auth/tokens', **iam_ok())
    requests_mock.get(JOB_URL, json=job_body())
    rc, result, raw = run_module(sfs_turbo_job_info, {'job_id': JOB_ID})
    assert rc == 0, result
    assert PASSWORD not in raw
    assert requests_mock.request_history[0].json()['auth']['identity']['password']['user']['name'] == 'alice'


@pytest.mark.parametrize('args, needles', [
    ({}, ['auth_token (or OS_AUTH_TOKEN)', 'expires after 24 hours']),
    ({'auth_token': None, 'access_key': 'AKEXAMPLE0001', 'secret_key': 'sk-SECRET-0001'},
     ['access_key (or OS_ACCESS_KEY)', 'secret_key (or OS_SECRET_KEY)', 'more than 15 minutes off']),
])
def test_a_401_names_the_credential_option_that_was_used(run_module, requests_mock, args, needles):
    requests_mock.get(JOB_URL, status_code=401, json={'error_code': 'APIG.0301', 'error_msg': 'Incorrect IAM authentication information'})
    rc, result, dummy = run(run_module, **args)
    assert rc == 1 and result['http_status'] == 401
    for needle in needles:
        assert needle in result['msg']


def test_a_403_names_the_project_id_to_check_before_the_permissions(run_module, requests_mock):
    requests_mock.get(JOB_URL, status_code=403, json={'errCode': 'SFS.TURBO.0015', 'errMsg': 'no permission'})
    rc, result, dummy = run(run_module)
    assert rc == 1 and result['http_status'] == 403
    assert 'project_id %s' % PROJECT_ID in result['msg'] and 'before the IAM permissions' in result['msg']


@pytest.mark.parametrize('variable, value, expected', [
    ('SFS_TURBO_VALIDATE_CERTS', 'maybe', 'SFS_TURBO_VALIDATE_CERTS=maybe is not a boolean'),
    ('SFS_TURBO_ENDPOINT', 'sfs-turbo.example.test', 'Invalid endpoint (from SFS_TURBO_ENDPOINT)'),
    ('OS_PROJECT_ID', '../admin', "Invalid project_id (from OS_PROJECT_ID) '../admin'"),
    ('SFS_TURBO_CA_PATH', '/nonexistent/ca.pem', 'ca_path (from SFS_TURBO_CA_PATH) /nonexistent/ca.pem is not a file'),
])
def test_a_bad_environment_variable_is_named(run_module, requests_mock, monkeypatch, variable, value, expected):
    monkeypatch.setenv(variable, value)
    args = {'job_id': JOB_ID, 'auth_token': TOKEN}
    if variable != 'SFS_TURBO_ENDPOINT':
        args['endpoint'] = ENDPOINT
    if variable != 'OS_PROJECT_ID':
        args['project_id'] = PROJECT_ID
    rc, result, dummy = run_module(sfs_turbo_job_info, args)
    assert rc == 1 and expected in result['msg'], result['msg']
    assert requests_mock.call_count == 0


def test_an_empty_environment_variable_counts_as_unset(run_module, requests_mock, monkeypatch):
    # What the AWX credential type sets for a field left empty.
    for variable in ('SFS_TURBO_VALIDATE_CERTS', 'SFS_TURBO_CA_PATH', 'OS_REGION_NAME', 'OS_ACCESS_KEY', 'OS_SECRET_KEY', 'OS_CLOUD'):
        monkeypatch.setenv(variable, '')
    requests_mock.get(JOB_URL, json=job_body())
    rc, result, dummy = run(run_module)
    assert rc == 0, result.get('msg')
    assert requests_mock.last_request.verify is True
