# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared HTTP client, over a real requests stack (requests-mock replaces only the transport)."""

from __future__ import annotations

import gzip
import json
import signal
import time
import tracemalloc
import zlib

import pytest
import requests

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _limits

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import TokenAuth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Deadline
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import ApiClient
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import answer_lost, backoff_delay, never_sent
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import ENDPOINT, JOB_ID, JOB_URL, PROJECT_ID, TOKEN, job_body

API_BASE = '%s/v1/%s' % (ENDPOINT, PROJECT_ID)
PATH = 'sfs-turbo/jobs/%s' % JOB_ID
ACTION = 'query SFS Turbo job %s' % JOB_ID
# What requests raises when nothing listens at the address (the request reached no server).
REFUSED = requests.exceptions.ConnectionError(
    "HTTPSConnectionPool(host='sfs-turbo.example.test', port=443): Max retries exceeded with url: /v1/x "
    "(Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: "
    "Failed to establish a new connection: [Errno 111] Connection refused'))")


@pytest.fixture
def client(fake_clock, clean_env):
    return ApiClient(API_BASE, TokenAuth(TOKEN), retries=4)


def get(client, **kwargs):
    return client.get_json(PATH, ACTION, **kwargs)


def raised(client, **kwargs):
    with pytest.raises(SfsTurboError) as exc:
        get(client, **kwargs)
    return exc.value


def test_sends_the_token_header_and_a_timeout(client, requests_mock):
    requests_mock.get(JOB_URL, json=job_body())
    assert get(client)['status'] == 'success'
    request = requests_mock.last_request
    assert request.headers['X-Auth-Token'] == TOKEN
    assert request.headers['Content-Type'] == 'application/json'
    assert 29 < max(request.timeout) <= 30.0


def test_service_dialect_error_is_final(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=404, reason='Not Found', headers={'X-request-id': 'req-404'},
                      json={'errCode': 'SFS.TURBO.0019', 'errMsg': 'Invalid Job Id'})
    error = raised(client)
    assert (error.err_code, error.err_msg, error.http_status, error.request_id) == ('SFS.TURBO.0019', 'Invalid Job Id', 404, 'req-404')
    # A 404 names the URL requested: a wrong endpoint path answers 404 too.
    assert error.msg == 'Could not %s: HTTP 404 Not Found from %s, SFS.TURBO.0019: Invalid Job Id.' % (
        ACTION, JOB_URL.replace('example.test/', 'example.test:443/'))
    assert requests_mock.call_count == 1, 'a 404 must not be retried'


def test_gateway_dialect_error_reads_the_body_request_id(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=401, json={'error_code': 'APIG.0301', 'error_msg': 'Incorrect IAM authentication information',
                                                      'request_id': 'fd6530a01c09807640189e65e837b8ad'})
    error = raised(client)
    assert error.err_code == 'APIG.0301'
    assert error.err_msg == 'Incorrect IAM authentication information'
    assert error.request_id == 'fd6530a01c09807640189e65e837b8ad'
    assert error.http_status == 401
    assert requests_mock.call_count == 1, 'a token cannot renew itself, so a 401 is final'


def test_iam_nested_error_dialect(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=403, json={'error': {'code': 403, 'message': 'You are not authorized', 'title': 'Forbidden'}})
    error = raised(client)
    assert (error.err_code, error.err_msg) == ('403', 'You are not authorized')


def test_html_error_page_gives_a_short_tag_free_excerpt(client, requests_mock, fake_clock):
    page = '<html><head><style>body{color:red}</style><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1>' + 'x' * 5000 + '</body></html>'
    requests_mock.get(JOB_URL, status_code=502, text=page, headers={'Content-Type': 'text/html'})
    error = raised(client)
    assert error.http_status == 502
    assert error.err_code is None
    assert '502 Bad Gateway' in error.msg
    assert '<' not in error.msg and 'color:red' not in error.msg
    assert len(error.msg) < 400
    assert 'Traceback' not in error.msg
    assert requests_mock.call_count == 5, 'a 502 is transient: the first try and 4 retries'
    assert 'gave up after 5 attempts' in error.msg


def test_ok_status_with_a_body_that_is_not_json(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=200, text='<html>maintenance</html>')
    error = raised(client)
    assert error.http_status == 200
    assert 'not a JSON object' in error.msg and 'maintenance' in error.msg
    assert requests_mock.call_count == 1


@pytest.mark.parametrize('status', [429, 500, 502, 503, 504])
def test_transient_statuses_are_retried_with_growing_pauses(client, requests_mock, fake_clock, status):
    requests_mock.get(JOB_URL, [{'status_code': status, 'json': {'errCode': 'SFS.TURBO.0005', 'errMsg': 'Internal server error'}}] * 3
                      + [{'json': job_body()}])
    assert get(client)['status'] == 'success'
    assert requests_mock.call_count == 4
    assert len(fake_clock.sleeps) == 3
    # equal jitter: attempt n waits between 2**n / 2 and 2**n seconds
    for attempt, pause in enumerate(fake_clock.sleeps):
        assert 2 ** attempt / 2 <= pause <= 2 ** attempt


def test_retry_after_is_honoured(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, [{'status_code': 429, 'headers': {'Retry-After': '7'},
                                 'json': {'error_code': 'APIG.0308', 'error_msg': 'The throttling threshold has been reached'}},
                                {'json': job_body()}])
    assert get(client)['status'] == 'success'
    assert fake_clock.sleeps == [7.0]


def test_retries_are_bounded_by_the_retries_setting(fake_clock, clean_env, requests_mock):
    requests_mock.get(JOB_URL, status_code=503, json={'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'})
    client = ApiClient(API_BASE, TokenAuth(TOKEN), retries=2)
    error = raised(client)
    assert requests_mock.call_count == 3
    assert error.err_code == 'APIG.0202' and error.http_status == 503
    assert 'gave up after 3 attempts' in error.msg


def test_zero_retries_disables_retrying(fake_clock, clean_env, requests_mock):
    requests_mock.get(JOB_URL, status_code=503, json={'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'})
    raised(ApiClient(API_BASE, TokenAuth(TOKEN), retries=0))
    assert requests_mock.call_count == 1
    assert fake_clock.sleeps == []


@pytest.mark.parametrize('status', [400, 403, 404, 405, 409])
def test_other_client_errors_are_final(client, requests_mock, fake_clock, status):
    requests_mock.get(JOB_URL, status_code=status, json={'errCode': 'SFS.TURBO.0001', 'errMsg': 'parameter error'})
    assert raised(client).http_status == status
    assert requests_mock.call_count == 1
    assert fake_clock.sleeps == []


def test_a_deadline_stops_retrying_before_a_pause_would_pass_it(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, status_code=429, headers={'Retry-After': '30'}, json={'error_code': 'APIG.0308', 'error_msg': 'throttled'})
    deadline = Deadline(client.clock, 10)
    error = raised(client, deadline=deadline)
    assert error.http_status == 429
    assert fake_clock.sleeps == [], 'a 30 s Retry-After cannot fit into 10 s'


def test_retry_until_deadline_goes_past_the_retries_setting(client, requests_mock, fake_clock):
    responses = [{'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}}] * 9 + [{'json': job_body()}]
    requests_mock.get(JOB_URL, responses)
    deadline = Deadline(client.clock, 600)
    assert get(client, deadline=deadline, retry_until_deadline=True)['status'] == 'success'
    assert requests_mock.call_count == 10
    assert all(pause <= 30 for pause in fake_clock.sleeps)


def test_request_timeout_is_shortened_near_the_deadline(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body())
    get(client, deadline=Deadline(client.clock, 5))
    assert 4.5 < max(requests_mock.last_request.timeout) <= 5


def test_connection_errors_are_retried_and_described_briefly(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, exc=REFUSED)
    error = raised(client)
    assert requests_mock.call_count == 5
    assert error.http_status is None
    assert 'connection to https://sfs-turbo.example.test:443 failed (Connection refused)' in error.msg
    assert '0x7f' not in error.msg


def test_read_timeouts_are_retried(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, [{'exc': requests.exceptions.ReadTimeout('read timed out')}, {'json': job_body()}])
    assert get(client)['status'] == 'success'
    assert requests_mock.call_count == 2


def test_read_timeout_message_names_the_timeout(fake_clock, clean_env, requests_mock):
    requests_mock.get(JOB_URL, exc=requests.exceptions.ReadTimeout('read timed out'))
    error = raised(ApiClient(API_BASE, TokenAuth(TOKEN), retries=0, request_timeout=2.5))
    assert 'timed out: no complete answer within 2.5 s (request_timeout)' in error.msg
    assert error.transient


def _ssl_error(reason):
    return requests.exceptions.SSLError(
        "HTTPSConnectionPool(host='sfs-turbo.example.test', port=443): Max retries exceeded with url: /v1/x "
        "(Caused by SSLError(SSLCertVerificationError(1, '%s (_ssl.c:1006)')))" % reason)


@pytest.mark.parametrize('reason, expected, advice', [
    ('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate',
     'is not trusted (self-signed certificate)', 'set ca_path'),
    ('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate',
     'is not trusted (unable to get local issuer certificate)', 'set ca_path'),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for 'x'.",
     'does not match its host name', 'use the host name the certificate was issued for'),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch, certificate is not valid for '127.0.0.1'.",
     'does not match its host name', 'use the host name the certificate was issued for'),
    ('[SSL: WRONG_VERSION_NUMBER] wrong version number', 'does not speak TLS', 'use an http:// endpoint'),
    ('[SSL: RECORD_LAYER_FAILURE] record layer failure', 'does not speak TLS', 'use an http:// endpoint'),
])
def test_tls_errors_are_final_and_name_the_real_cause(client, requests_mock, fake_clock, reason, expected, advice):
    requests_mock.get(JOB_URL, exc=_ssl_error(reason))
    error = raised(client)
    assert requests_mock.call_count == 1
    assert expected in error.msg and advice in error.msg
    if advice != 'set ca_path':
        assert 'ca_path' not in error.msg, 'only an untrusted certificate is fixed by ca_path'


def test_redirect_to_another_host_is_refused_without_following(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=302, headers={'Location': 'https://evil.example.net/steal?x=1'})
    requests_mock.get('https://evil.example.net/steal', json=job_body())
    error = raised(client)
    assert requests_mock.call_count == 1, 'the credentials must never reach the other host'
    assert error.http_status == 302
    assert 'https://evil.example.net:443' in error.msg and 'steal' not in error.msg


@pytest.mark.parametrize('location', ['http://sfs-turbo.example.test/v1/elsewhere', 'https://sfs-turbo.example.test:8443/v1/elsewhere'])
def test_redirect_to_another_scheme_or_port_is_refused(client, requests_mock, location):
    requests_mock.get(JOB_URL, status_code=307, headers={'Location': location})
    raised(client)
    assert requests_mock.call_count == 1


def test_redirect_within_the_same_origin_is_followed(client, requests_mock):
    moved = '%s/v1/%s/sfs-turbo/jobs-moved/%s' % (ENDPOINT, PROJECT_ID, JOB_ID)
    requests_mock.get(JOB_URL, status_code=301, headers={'Location': moved})
    requests_mock.get(moved, json=job_body())
    assert get(client)['status'] == 'success'
    assert requests_mock.last_request.headers['X-Auth-Token'] == TOKEN


def test_validate_certs_false_disables_verification(fake_clock, clean_env, requests_mock):
    requests_mock.get(JOB_URL, json=job_body())
    ApiClient(API_BASE, TokenAuth(TOKEN), validate_certs=False).get_json(PATH, ACTION)
    assert requests_mock.last_request.verify is False


def test_ca_path_is_used_for_verification(fake_clock, clean_env, requests_mock, tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('not really a CA')
    requests_mock.get(JOB_URL, json=job_body())
    ApiClient(API_BASE, TokenAuth(TOKEN), ca_path=str(bundle)).get_json(PATH, ACTION)
    assert requests_mock.last_request.verify == str(bundle)


def test_requests_ca_bundle_keeps_working(fake_clock, clean_env, requests_mock, monkeypatch, tmp_path):
    bundle = tmp_path / 'corporate.pem'
    bundle.write_text('not really a CA')
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(bundle))
    requests_mock.get(JOB_URL, json=job_body())
    ApiClient(API_BASE, TokenAuth(TOKEN)).get_json(PATH, ACTION)
    assert requests_mock.last_request.verify == str(bundle)


def test_an_echoed_token_is_scrubbed_from_messages(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=400, json={'errCode': 'SFS.TURBO.0001', 'errMsg': 'bad header X-Auth-Token: %s' % TOKEN})
    error = raised(client)
    assert TOKEN not in error.msg and TOKEN not in error.err_msg
    assert '********' in error.err_msg


class RenewableAuth(TokenAuth):
    """An auth that can fetch a new token once, as password auth will."""

    def __init__(self):
        super().__init__('old-token')
        self.renewals = 0

    def reauthenticate(self):
        self.renewals += 1
        self._token = 'new-token'
        return True


def test_a_401_reauthenticates_once_and_retries(fake_clock, clean_env, requests_mock):
    requests_mock.get(JOB_URL, [{'status_code': 401, 'json': {'error_code': 'APIG.0307', 'error_msg': 'The token must be updated'}},
                                {'json': job_body()}])
    auth = RenewableAuth()
    assert ApiClient(API_BASE, auth).get_json(PATH, ACTION)['status'] == 'success'
    assert auth.renewals == 1
    assert requests_mock.last_request.headers['X-Auth-Token'] == 'new-token'


def test_a_second_401_after_reauthentication_is_final(fake_clock, clean_env, requests_mock):
    requests_mock.get(JOB_URL, status_code=401, json={'error_code': 'APIG.0307', 'error_msg': 'The token must be updated'})
    auth = RenewableAuth()
    with pytest.raises(SfsTurboError) as exc:
        ApiClient(API_BASE, auth).get_json(PATH, ACTION)
    assert exc.value.http_status == 401
    assert auth.renewals == 1
    assert requests_mock.call_count == 2


def test_request_count_counts_every_request(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, [{'status_code': 503, 'text': ''}, {'json': job_body()}])
    get(client)
    get(client)
    assert client.request_count == 3


@pytest.mark.parametrize('retry_after', ['0', 'Sun, 06 Nov 1994 08:49:37 GMT'])
def test_a_zero_or_past_retry_after_still_backs_off(client, requests_mock, fake_clock, retry_after):
    throttled = {'status_code': 429, 'headers': {'Retry-After': retry_after}, 'json': {'error_code': 'APIG.0308', 'error_msg': 'throttled'}}
    requests_mock.get(JOB_URL, [throttled] * 3 + [{'json': job_body()}])
    get(client)
    assert len(fake_clock.sleeps) == 3
    assert all(pause >= 0.5 for pause in fake_clock.sleeps), 'never a retry without a pause'


def test_backoff_does_not_overflow_after_many_attempts():
    assert backoff_delay(5000, rand=lambda: 1.0) == 30.0


def test_a_redirect_with_an_impossible_port_is_a_clean_failure(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=302, headers={'Location': 'https://sfs-turbo.example.test:99999/x'})
    error = raised(client)
    assert error.http_status == 302 and 'cannot be trusted' in error.msg


# --- a hostile or broken server --------------------------------------------------------

@pytest.mark.parametrize('location', [
    'https://evil.example.net\\@sfs-turbo.example.test/x',   # urllib3 connects to evil, urllib.parse sees the endpoint
    'https://evil.example.net:443\\@sfs-turbo.example.test:443/x',
    'https://user:pw@sfs-turbo.example.test/x',              # user info: refused too
    'http://[::1/x',                                          # requests itself raises ValueError on it
])
def test_a_redirect_the_parsers_read_differently_is_refused(client, requests_mock, location):
    requests_mock.get(JOB_URL, status_code=302, headers={'Location': location})
    requests_mock.get('https://evil.example.net/x', json=job_body())
    error = raised(client)
    assert requests_mock.call_count == 1, 'nothing may be sent to the redirect target'
    assert error.http_status == 302
    assert 'not followed and credentials are not sent there' in error.msg


def test_a_same_origin_redirect_is_followed(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=307, headers={'Location': JOB_URL + '/'})
    requests_mock.get(JOB_URL + '/', json=job_body())
    assert get(client)['status'] == 'success'
    assert requests_mock.last_request.headers['X-Auth-Token'] == TOKEN


def test_a_body_over_the_cap_fails_naming_the_cap(client, requests_mock):
    requests_mock.get(JOB_URL, content=b'{"status": "success", "pad": "' + b'a' * (2 << 20) + b'"}')
    error = raised(client)
    assert error.http_status == 200 and not error.transient
    assert 'larger than 1 MiB' in error.msg
    assert requests_mock.call_count == 1


def test_a_gzip_bomb_is_cut_at_the_cap_without_inflating_it(client, requests_mock):
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = comp.compress(b'{"pad": "') + b''.join(comp.compress(b'a' * (1 << 20)) for dummy in range(64)) + comp.flush()
    assert len(bomb) < 200 * 1024
    requests_mock.get(JOB_URL, content=bomb, headers={'Content-Encoding': 'gzip'})
    tracemalloc.start()
    try:
        error = raised(client)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 'larger than 1 MiB' in error.msg
    assert peak < 8 << 20, 'the 64 MiB body must never be held in memory'


def test_a_small_gzip_body_is_decoded(client, requests_mock):
    requests_mock.get(JOB_URL, content=gzip.compress(json.dumps(job_body()).encode()), headers={'Content-Encoding': 'gzip'})
    assert get(client) == job_body()
    assert requests_mock.last_request.headers['Accept-Encoding'] == 'gzip, deflate'


def test_an_unknown_content_encoding_is_a_clean_failure(client, requests_mock):
    requests_mock.get(JOB_URL, content=b'\x00\x01', headers={'Content-Encoding': 'br'})
    error = raised(client)
    assert 'Could not %s' % ACTION in error.msg and error.http_status == 200


@pytest.mark.parametrize('content, words', [
    (b'[' * 100000 + b']' * 100000, 'is JSON nested deeper than 32 levels'),
    (b'{"a": ' * 50000 + b'1' + b'}' * 50000, 'is JSON nested deeper than 32 levels'),
    (b'\xff\xfe{', 'the body is not a JSON object'),
])
def test_deep_or_undecodable_json_is_a_clean_failure(client, requests_mock, content, words):
    requests_mock.get(JOB_URL, content=content)
    error = raised(client)
    assert error.http_status == 200
    assert words in error.msg


@pytest.mark.parametrize('depth', [33, 750])
def test_json_that_python_reads_but_nests_too_deep_is_refused_while_parsing(client, requests_mock, depth):
    # 750 deep: json.loads reads it, but every later walk (masking, ansible-core's result handling) recursed
    # past Python's limit: a RecursionError traceback instead of a failure with msg and http_status.
    deep = '[' * (depth - 1) + '1' + ']' * (depth - 1)
    requests_mock.get(JOB_URL, text='{"status": "running", "entities": %s}' % deep, headers={'X-Request-Id': 'r-1'})
    error = raised(client)
    assert (error.http_status, error.request_id) == (200, 'r-1')
    assert 'is JSON nested deeper than 32 levels' in error.msg and 'check that endpoint points at the SFS Turbo API' in error.msg


def test_json_as_deep_as_the_limit_is_read(client, requests_mock):
    deep = '[' * 30 + '1' + ']' * 30
    requests_mock.get(JOB_URL, text='{"status": "running", "entities": %s}' % deep)
    assert get(client)['status'] == 'running'


@pytest.mark.parametrize('content', [b'[' * 100000 + b']' * 100000, b'{"errCode": ' * 50000 + b'1' + b'}' * 50000])
def test_an_error_body_nested_deeper_than_python_recurses_is_a_clean_failure(client, requests_mock, content):
    requests_mock.get(JOB_URL, status_code=400, content=content)
    error = raised(client)
    assert error.http_status == 400 and 'HTTP 400' in error.msg and not error.transient


def test_an_error_body_of_angle_brackets_is_excerpted_in_linear_time(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=400, text='<' * (400 * 1024) + 'x')
    started = time.monotonic()
    error = raised(client)
    assert time.monotonic() - started < 2
    assert error.http_status == 400 and 'HTTP 400' in error.msg


def test_a_404_names_the_url_and_the_endpoint_path(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=404, text='<html><h1>404 Not Found</h1></html>')
    error = raised(client)
    assert error.msg == ('Could not %s: HTTP 404 from %s, the response body was: 404 Not Found; check that endpoint points at '
                         'the SFS Turbo API (a wrong path answers 404 without an errCode).'
                         % (ACTION, JOB_URL.replace('example.test/', 'example.test:443/')))


def test_a_404_of_the_api_gateway_itself_points_at_the_endpoint_path_not_at_an_id(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=404, json={'error_code': 'APIG.0101', 'error_msg': 'The API does not exist'})
    error = raised(client)
    assert error.err_code == 'APIG.0101'
    assert error.msg.endswith('APIG.0101: The API does not exist; check that endpoint points at the SFS Turbo API '
                              '(the API gateway answers APIG.0101 to a path no API serves).')


def test_a_404_with_a_service_code_names_no_endpoint_hint(client, requests_mock):
    requests_mock.get(JOB_URL, status_code=404, json={'errCode': 'SFS.TURBO.0019', 'errMsg': 'Invalid Job Id'})
    assert 'check that endpoint' not in raised(client).msg


def test_the_wall_clock_limit_interrupts_a_blocking_call():
    started = time.monotonic()
    with pytest.raises(_limits.Expired):
        with _limits.WallClockLimit(0.2):
            time.sleep(5)
    assert time.monotonic() - started < 1.5
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0), 'no timer is left behind'


def test_the_wall_clock_limit_puts_back_an_earlier_timer():
    previous = signal.signal(signal.SIGALRM, lambda *args: None)
    try:
        signal.setitimer(signal.ITIMER_REAL, 30)
        with _limits.WallClockLimit(5):
            pass
        remaining, dummy = signal.getitimer(signal.ITIMER_REAL)
        assert 25 < remaining <= 30
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_deadline_that_has_passed_sends_nothing(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body())
    deadline = Deadline(client.clock, 5)
    fake_clock.now += 10
    error = raised(client, deadline=deadline)
    assert requests_mock.call_count == 0 and error.transient


def test_the_clients_deadline_bounds_requests_without_one(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body())
    client.deadline = Deadline(client.clock, 2)
    get(client)
    assert max(requests_mock.last_request.timeout) <= 2


def test_an_echoed_option_secret_is_scrubbed(client, requests_mock):
    client.add_secrets(['opt-secret-1234'])
    requests_mock.get(JOB_URL, status_code=400, json={'errCode': 'X.1', 'errMsg': 'bad opt-secret-1234 and %s' % TOKEN})
    error = raised(client)
    assert 'opt-secret-1234' not in error.msg and TOKEN not in error.msg and TOKEN not in error.err_msg


def post(client):
    with pytest.raises(SfsTurboError) as exc:
        client.send_reply('POST', PATH, ACTION, json_body={'extend': {'new_size': 600}}, resend_after_sent=False)
    return exc.value


@pytest.mark.parametrize('failure', [{'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}},
                                     {'status_code': 429, 'json': {'error_code': 'APIG.0308', 'error_msg': 'Throttled'}},
                                     {'exc': requests.exceptions.ReadTimeout('read timed out')},
                                     {'exc': requests.exceptions.ConnectionError('Connection aborted: RemoteDisconnected')}])
def test_a_post_that_may_have_reached_the_server_is_sent_once(client, requests_mock, fake_clock, failure):
    requests_mock.post(JOB_URL, [failure, {'status_code': 202, 'json': {'id': 'x'}}])
    error = post(client)
    assert requests_mock.call_count == 1
    assert answer_lost(error) and not never_sent(error)


def test_a_post_that_never_reached_a_server_is_retried(client, requests_mock, fake_clock):
    requests_mock.post(JOB_URL, [{'exc': REFUSED}, {'status_code': 202, 'json': {'id': 'x'}}])
    reply = client.send_reply('POST', PATH, ACTION, json_body={}, resend_after_sent=False)
    assert reply.body == {'id': 'x'} and reply.http_status == 202
    assert requests_mock.call_count == 2


def test_a_refused_post_is_no_lost_answer(client, requests_mock, fake_clock):
    requests_mock.post(JOB_URL, status_code=400, json={'errCode': 'SFS.TURBO.0003', 'errMsg': 'Invalid size'})
    error = post(client)
    assert requests_mock.call_count == 1
    assert not answer_lost(error)
