# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator the collection ships (roles/emulator/files/sfs_turbo_emulator.py), as its users rely on it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from ansible_collections.otc_community.sfs_turbo.tests.unit.roles.emulator.emulator_client import PROJECT, SCRIPT, emulator


@pytest.fixture
def server():
    srv, dummy = emulator.serve_in_thread(port=0)
    yield srv
    srv.shutdown()
    srv.server_close()


def _get(url, token='emulator-token'):
    request = urllib.request.Request(url, headers={'X-Auth-Token': token} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def _job(server, job_id):
    return _get('%s/v1/%s/sfs-turbo/jobs/%s' % (server.url, PROJECT, job_id))


def _post(url):
    request = urllib.request.Request(url, data=b'', method='POST')
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_done_jobs_are_finished_when_first_read(server):
    status, dummy, body = _job(server, 'job-success-done')
    assert status == 200 and body['status'] == 'success' and 'end_time' in body
    status, dummy, body = _job(server, 'job-failed-done')
    assert status == 200 and body['status'] == 'failed'
    assert (body['error_code'], body['fail_reason']) == ('SFS.TURBO.0030', 'Ecs resource not enough')
    assert [sub['job_id'] for sub in body['sub_jobs'] if sub['status'] == 'failed'] == ['job-failed-done-sub-2']


def test_other_jobs_start_their_clock_at_the_first_read(server):
    dummy, dummy, body = _job(server, 'job-failed')
    assert body['status'] == 'running'


def test_reset_restarts_clocks_and_clears_the_request_log(server):
    _job(server, 'job-success-3s')
    time.sleep(1.2)
    assert _job(server, 'job-success-3s')[2]['status'] == 'running'
    assert len(_get(server.url + '/_emulator/log', token=None)[2]) == 2
    assert _post(server.url + '/_emulator/reset') == {'reset': True}
    assert _get(server.url + '/_emulator/log', token=None)[2] == []
    assert _job(server, 'job-success-3s')[2]['status'] == 'waiting'
    assert _job(server, 'job-failed-done')[2]['status'] == 'failed', 'a done job stays done after a reset'


def test_request_log_shows_scripted_faults(server):
    status, headers, body = _job(server, 'job-flaky-429')
    assert status == 429 and headers['Retry-After'] == '1'
    assert body['error_code'] == 'APIG.0308' and body['request_id'] == headers['X-request-id']
    assert _job(server, 'job-flaky-429')[0] == 200
    log = _get(server.url + '/_emulator/log', token=None)[2]
    assert [(entry['job_id'], entry['status'], entry['fault']) for entry in log] == [
        ('job-flaky-429', 429, 'rate_limit'), ('job-flaky-429', 200, None)]


def test_unknown_job_in_the_service_dialect(server):
    status, headers, body = _job(server, 'no-such-job')
    assert (status, body) == (404, {'errCode': 'SFS.TURBO.0019', 'errMsg': 'Invalid Job Id'})
    assert len(headers['X-request-id']) == 32


def _start(tmp_path, *args):
    pid_file, port_file = tmp_path / 'emulator.pid', tmp_path / 'emulator.port'
    process = subprocess.Popen([sys.executable, SCRIPT, '--port', '0', '--quiet', '--pid-file', str(pid_file),  # pylint: disable=consider-using-with
                                '--port-file', str(port_file)] + list(args),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 15
    while not port_file.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert port_file.exists(), process.communicate(timeout=5)
    return process, pid_file, 'http://127.0.0.1:%s' % port_file.read_text().strip()


def test_started_by_hand_it_runs_until_stopped(tmp_path):
    assert emulator.parse_args([]).lifetime == 0, 'no watchdog unless asked for'
    process, pid_file, url = _start(tmp_path)
    try:
        time.sleep(1.5)
        assert process.poll() is None
        assert _get(url + '/_emulator/health', token=None)[2] == {'ok': True}
        assert int(pid_file.read_text()) == process.pid
        os.kill(process.pid, signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert not pid_file.exists(), 'the PID file goes with the process'
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=15)


def test_the_lifetime_watchdog_stays_available_for_tests(tmp_path):
    process, dummy, dummy = _start(tmp_path, '--lifetime', '1')
    try:
        assert process.wait(timeout=15) == 0
        assert b'lifetime of 1 s reached' in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=15)


def _login(server, user='emulator-user', password='emulator-password'):
    body = json.dumps({'auth': {'identity': {'methods': ['password'],
                                             'password': {'user': {'name': user, 'password': password,
                                                                   'domain': {'name': 'emulator-domain'}}}},
                                'scope': {'project': {'name': 'eu-de'}}}}).encode()
    request = urllib.request.Request(server.url + '/v3/auth/tokens', data=body, method='POST',
                                     headers={'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get('X-Subject-Token'), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, None, json.loads(error.read())


@pytest.fixture
def short_tokens():
    srv, dummy = emulator.serve_in_thread(port=0, auth={'token_lifetime': 0.5, 'extra_users': {'bob': 'bob-pw'}})
    yield srv
    srv.shutdown()
    srv.server_close()


def test_issued_tokens_expire_at_their_expires_at_and_the_log_names_their_user(short_tokens):
    status, token, body = _login(short_tokens, 'bob', 'bob-pw')
    assert status == 201 and body['token']['user']['name'] == 'bob'
    expires = time.mktime(time.strptime(body['token']['expires_at'][:19], '%Y-%m-%dT%H:%M:%S'))
    issued = time.mktime(time.strptime(body['token']['issued_at'][:19], '%Y-%m-%dT%H:%M:%S'))
    assert 0 <= expires - issued <= 1
    assert _get('%s/v1/%s/sfs-turbo/jobs/job-success-done' % (short_tokens.url, PROJECT), token)[0] == 200
    time.sleep(0.6)
    status, dummy, error = _get('%s/v1/%s/sfs-turbo/jobs/job-success-done' % (short_tokens.url, PROJECT), token)
    assert status == 401 and error['error_code'] == 'APIG.0307'
    log = _get(short_tokens.url + '/_emulator/log', None)[2]
    assert [(entry['path'].rsplit('/', 1)[-1], entry['user'], entry['token_serial']) for entry in log] == [
        ('tokens', 'bob', 1), ('job-success-done', 'bob', 1), ('job-success-done', 'bob', 1)]
    iam = _get(short_tokens.url + '/_emulator/iam', None)[2]
    assert iam == {'tokens_issued': 1, 'tokens': [{'serial': 1, 'user': 'bob', 'token': token}]}


def test_an_extra_user_needs_its_own_password(short_tokens):
    assert _login(short_tokens, 'bob', 'emulator-password')[0] == 401
    assert _login(short_tokens, 'emulator-user', 'bob-pw')[0] == 401
    assert _login(short_tokens)[0] == 201


def test_revoked_tokens_are_refused_though_their_expiry_is_a_day_away():
    srv, dummy = emulator.serve_in_thread(port=0, auth={'token_revoked_after': 0.3})
    try:
        status, token, body = _login(srv)
        assert body['token']['expires_at'] > body['token']['issued_at']
        assert _get('%s/v1/%s/sfs-turbo/jobs/job-success-done' % (srv.url, PROJECT), token)[0] == 200
        time.sleep(0.4)
        assert _get('%s/v1/%s/sfs-turbo/jobs/job-success-done' % (srv.url, PROJECT), token)[0] == 401
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.mark.parametrize('scenario, key', [
    ({'jobs': {}, 'fault': []}, "the scenario: unknown keys fault"),
    ({'jobs': {'a': {'runing': 3}}}, "job 'a': unknown keys runing"),
    ({'jobs': {'a': {'sub_jobs': [{'job_id': 's', 'clock': 'server_start'}]}}}, "job 'a': sub_jobs[0]: unknown keys clock"),
    ({'jobs': {'a': {'faults': [{'type': 'slow', 'secs': 3}]}}}, "job 'a': faults[0]: unknown keys secs"),
])
def test_a_scenario_with_an_unknown_key_is_refused_naming_it(scenario, key):
    with pytest.raises(emulator.ScenarioError) as exc:
        emulator.normalize_scenario(scenario)
    assert str(exc.value).startswith(key)


def test_echo_mode_sends_the_callers_credential_back():
    srv, dummy = emulator.serve_in_thread(port=0, auth={'echo_credentials': True})
    try:
        status, headers, body = _job(srv, 'job-running')
        assert status == 200 and body['status'] == 'emulator-token' and headers['X-request-id'] == 'emulator-token'
        status, headers, body = _job(srv, 'no-such-job')
        assert status == 404 and body['errMsg'].endswith('(credential sent: EMULATOR-TOKEN)')
    finally:
        srv.shutdown()
        srv.server_close()


def test_without_echo_mode_no_credential_comes_back(server):
    status, headers, body = _job(server, 'job-running')
    assert body['status'] == 'running' and headers['X-request-id'] != 'emulator-token'


@pytest.mark.parametrize('path', [
    '/wrong/v1/%s/sfs-turbo/jobs/job-running' % PROJECT,  # an endpoint with a wrong prefix
    '/v1/%s/sfs-turbo/job/job-running' % PROJECT,  # a path no API has
    '/v1/%s/sfs-turbo/jobs/job-running/more' % PROJECT,
    '/v2/%s/sfs-turbo/shares/share-available' % PROJECT,
    '/',
])
@pytest.mark.parametrize('token', ['emulator-token', None])
def test_a_path_no_api_has_is_answered_as_the_gateway_answers_it_not_in_the_service_dialect(server, path, token):
    # The troubleshooting guide maps SFS.TURBO.0001/0019 to job_id/project_id; a wrong path must not look like that,
    # and the gateway answers it whatever the credentials.
    status, headers, body = _get(server.url + path, token=token)
    assert status == 404
    assert body == {'error_code': 'APIG.0101', 'error_msg': 'The API does not exist or has not been published in the environment.',
                    'request_id': headers['X-request-id']}
    assert not any(str(value).startswith('SFS.TURBO.') for value in body.values())


@pytest.mark.parametrize('path, expected', [
    ('/v1/%s/sfs-turbo/jobs/bad!id' % PROJECT, (400, 'SFS.TURBO.0001')),
    ('/v1/%s/sfs-turbo/shares/bad!id' % PROJECT, (400, 'SFS.TURBO.0001')),
    ('/v1/%s/sfs-turbo/shares/no-such-share' % PROJECT, (404, 'SFS.TURBO.0002')),
])
def test_a_known_route_with_a_bad_or_unknown_id_keeps_the_service_dialect(server, path, expected):
    status, dummy, body = _get(server.url + path)
    assert (status, body['errCode']) == expected


def test_the_signature_of_the_worked_vector():
    headers = {'Host': '127.0.0.1:8080', 'X-Sdk-Date': '20261128T100000Z', 'X-Project-Id': PROJECT, 'Content-Type': 'application/json'}
    url = 'http://127.0.0.1:8080/v1/%s/sfs-turbo/jobs/job-1' % PROJECT
    steps = emulator.compute_signature('GET', url, headers, b'', emulator.DEFAULT_SECRET_KEY)
    assert steps['canonical_request'] == '\n'.join([
        'GET', '/v1/%s/sfs-turbo/jobs/job-1/' % PROJECT, '',
        'content-type:application/json\nhost:127.0.0.1:8080\nx-project-id:%s\nx-sdk-date:20261128T100000Z\n' % PROJECT,
        'content-type;host;x-project-id;x-sdk-date', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'])
    assert steps['string_to_sign'] == 'SDK-HMAC-SHA256\n20261128T100000Z\n9f4f91ab3bd1af4fc70caa1b6efae7b9ca36148f4a2ca83c7b27254420e638d6'
    assert emulator.sign_request('GET', url, headers, b'', emulator.DEFAULT_ACCESS_KEY, emulator.DEFAULT_SECRET_KEY) == (
        'SDK-HMAC-SHA256 Access=EMULATORACCESSKEY0001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, '
        'Signature=a6ee17674c60c81e29661d1ba6a01e40dc8b719564d91b575833d760634600cd')


def test_help_says_what_it_serves():
    result = subprocess.run([sys.executable, SCRIPT, '--help'], capture_output=True, text=True, timeout=60, check=True)
    text = ' '.join(result.stdout.split())
    assert 'SFS Turbo API (jobs and file systems) and of the IAM token API' in text
    assert 'jobs API' not in text


def test_the_launcher_runs_from_a_copy_with_its_package_beside_it(tmp_path):
    # As the role runs it: the script and the package copied into a private directory, nothing else.
    files = os.path.dirname(os.path.abspath(SCRIPT))
    (tmp_path / 'sfs_turbo_emu').mkdir()
    with open(SCRIPT, 'rb') as handle:
        (tmp_path / 'sfs_turbo_emulator.py').write_bytes(handle.read())
    for name in os.listdir(os.path.join(files, 'sfs_turbo_emu')):
        if name.endswith('.py'):
            with open(os.path.join(files, 'sfs_turbo_emu', name), 'rb') as handle:
                (tmp_path / 'sfs_turbo_emu' / name).write_bytes(handle.read())
    result = subprocess.run([sys.executable, str(tmp_path / 'sfs_turbo_emulator.py'), '--host', '10.1.2.3'],
                            capture_output=True, text=True, timeout=60, check=False, cwd=str(tmp_path.parent))
    assert (result.returncode, result.stderr) == (2, "sfs_turbo_emulator: refusing to bind to non-loopback address '10.1.2.3': "
                                                     "the emulator is for local tests only\n")
