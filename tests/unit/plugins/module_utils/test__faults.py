# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The client under faults: every failed attempt reported, wrong addresses given up on, IAM logins ridden
out within a wait, host name lookups bounded. Real sockets on 127.0.0.1 where the stack matters."""

from __future__ import annotations

import http.server
import socket
import threading
import time

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _dns
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import PasswordAuth, TokenAuth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Clock, Deadline
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import ApiClient
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import NEVER_ANSWERED_GRACE
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import JOB_ID, JOB_URL, PROJECT_ID, TOKEN, job_body

PATH = 'sfs-turbo/jobs/%s' % JOB_ID
IAM_URL = 'https://iam.example.test/v3'


def free_port():
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the name http.server calls)
        body = ('{"job_id": "%s", "status": "running", "host_seen": "%s"}' % (JOB_ID, self.headers.get('Host'))).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class LocalServer:
    """An HTTP server on 127.0.0.1 that answers every GET with a running job (and the Host header it saw)."""

    def __init__(self):
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def local_server():
    server = LocalServer()
    yield server
    server.stop()


def test_every_failed_attempt_is_reported_with_its_cause_in_words(fake_clock, clean_env, requests_mock):
    requests_mock.get(JOB_URL, [{'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'x'}},
                                {'status_code': 429, 'headers': {'Retry-After': '4'}, 'json': {}},
                                {'json': job_body('running')}])
    seen = []
    client = ApiClient('https://sfs-turbo.example.test/v1/%s' % PROJECT_ID, TokenAuth(TOKEN),
                       on_retry=lambda error, pause, *more: seen.append((error.cause, pause)))
    client.get_json(PATH, 'query', retry_until_deadline=True, deadline=Deadline(client.clock, 600))
    assert [cause for cause, pause in seen] == ['HTTP 503', 'throttled']
    assert seen[1][1] >= 4, 'the pause honours Retry-After'


def test_a_refused_endpoint_that_never_answered_fails_within_the_grace(fake_clock, clean_env):
    url = 'http://127.0.0.1:%d/v1/%s' % (free_port(), PROJECT_ID)
    causes = []
    client = ApiClient(url, TokenAuth(TOKEN), on_retry=lambda error, pause, *more: causes.append(error.cause))
    started = fake_clock.now
    with pytest.raises(SfsTurboError) as exc:
        client.get_json(PATH, 'query', retry_until_deadline=True, deadline=Deadline(client.clock, 1800))
    assert fake_clock.now - started <= NEVER_ANSWERED_GRACE + 1
    assert not exc.value.transient
    assert set(causes) == {'connection refused'}
    assert 'Nothing has ever answered at %s' % url in exc.value.msg
    assert 'check endpoint' in exc.value.msg and 'delay' in exc.value.msg


def test_an_endpoint_that_answered_once_is_ridden_out_until_the_deadline(fake_clock, clean_env, local_server):
    client = ApiClient('http://127.0.0.1:%d/v1/%s' % (local_server.port, PROJECT_ID), TokenAuth(TOKEN))
    deadline = Deadline(client.clock, 300)
    client.get_json(PATH, 'query', retry_until_deadline=True, deadline=deadline)
    local_server.stop()  # the API goes down: its port now refuses connections
    with pytest.raises(SfsTurboError) as exc:
        client.get_json(PATH, 'query', retry_until_deadline=True, deadline=deadline)
    assert exc.value.transient and 'Nothing has ever answered' not in exc.value.msg
    assert deadline.remaining() < 31, 'retried until close to the deadline, not given up after the grace'


def test_an_iam_login_that_is_throttled_is_ridden_out_within_a_wait(fake_clock, clean_env, requests_mock):
    retried = []
    throttled = {'status_code': 429, 'headers': {'Retry-After': '5'},
                 'json': {'error': {'code': 'IAM.0012', 'message': 'The request is too frequent'}}}
    answers = [throttled] * 8 + [{'status_code': 201, 'headers': {'X-Subject-Token': 'iam-TOKEN-1'},
                                  'json': {'token': {'project': {'id': PROJECT_ID}}}}]
    requests_mock.post(IAM_URL + '/auth/tokens', answers)
    client = ApiClient(None, PasswordAuth(IAM_URL, 'alice', 'pw-SECRET-123', 'acme', project_id=PROJECT_ID),
                       retries=4, deadline=Deadline(Clock(), 600), on_retry=lambda error, pause, *more: retried.append(error.cause))
    client.auth.start(client)
    assert requests_mock.call_count == 9, 'more than retries=4: until the deadline'
    assert retried == ['throttled'] * 8
    assert min(fake_clock.sleeps) >= 5


def test_an_iam_login_outside_a_wait_keeps_the_retries_bound(fake_clock, clean_env, requests_mock):
    requests_mock.post(IAM_URL + '/auth/tokens', status_code=429, json={'error': {'code': 'IAM.0012', 'message': 'x'}})
    client = ApiClient(None, PasswordAuth(IAM_URL, 'alice', 'pw-SECRET-123', 'acme', project_id=PROJECT_ID), retries=2)
    with pytest.raises(SfsTurboError):
        client.auth.start(client)
    assert requests_mock.call_count == 3


def test_a_slow_host_name_lookup_is_bounded_by_the_request_time(clean_env, monkeypatch):
    def slow_lookup(*args, **kwargs):
        # As glibc's getaddrinfo: the wall-clock alarm's EINTR does not end it, the lookup goes on.
        end = time.monotonic() + 3
        while time.monotonic() < end:
            try:
                time.sleep(0.05)
            except BaseException:  # pylint: disable=broad-except
                pass
        raise socket.gaierror(socket.EAI_AGAIN, 'Temporary failure in name resolution')
    monkeypatch.setattr(_dns.socket, 'getaddrinfo', slow_lookup)
    client = ApiClient('http://sfs-turbo.example.test:8080/v1/%s' % PROJECT_ID, TokenAuth(TOKEN), request_timeout=0.5, retries=0)
    started = time.monotonic()
    with pytest.raises(SfsTurboError) as exc:
        client.get_json(PATH, 'query')
    assert time.monotonic() - started < 1.5
    assert exc.value.transient and exc.value.cause == 'timed out' and 'timed out' in exc.value.msg


def test_a_looked_up_address_keeps_the_host_name_in_the_host_header(clean_env, monkeypatch, local_server):
    real = socket.getaddrinfo
    monkeypatch.setattr(_dns.socket, 'getaddrinfo', lambda host, *args: real('127.0.0.1', *args) if host == 'sfs-turbo.test' else real(host, *args))
    client = ApiClient('http://sfs-turbo.test:%d/v1/%s' % (local_server.port, PROJECT_ID), TokenAuth(TOKEN), retries=0)
    assert client.get_json(PATH, 'query')['host_seen'] == 'sfs-turbo.test:%d' % local_server.port


def test_resolve_returns_each_address_once():
    infos = [(2, 1, 6, '', ('192.0.2.1', 443)), (2, 1, 6, '', ('192.0.2.1', 443)), (10, 1, 6, '', ('2001:db8::1', 443, 0, 0))]
    assert _dns.resolve('x.test', 443, time.monotonic() + 1, getaddrinfo=lambda *args: infos) == ['192.0.2.1', '2001:db8::1']
