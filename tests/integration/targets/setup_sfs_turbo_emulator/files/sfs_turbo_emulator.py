# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Local emulator of the SFS Turbo jobs API (``GET /v1/{project_id}/sfs-turbo/jobs/{job_id}``).

Python standard library only, so it runs on any test controller without extra packages.
It binds to loopback addresses only and exits by itself after ``--lifetime`` seconds.

Usage::

    python sfs_turbo_emulator.py [--port 0] [--host 127.0.0.1] [--scenario FILE]
                                 [--token T] [--project-id P] [--pid-file PATH]
                                 [--port-file PATH] [--lifetime SECONDS] [--quiet]

After binding it prints exactly one line, ``listening on http://127.0.0.1:<port>``, to stdout.

Request handling, in this order, for every path outside ``/_emulator/``:

1. A path not under ``/v1/`` -> 404 ``SFS.TURBO.0001`` (service dialect).
2. ``X-Auth-Token`` differs from ``--token`` -> 401, gateway dialect ``APIG.0301``.
3. A path under ``/v1/`` that is not ``/v1/<project>/sfs-turbo/jobs/<job>`` with ids made of
   letters, digits, ``-`` and ``_`` (1 to 64 characters) -> 400 ``SFS.TURBO.0001``.
4. A method other than GET -> 405 ``SFS.TURBO.0001``.
5. A project other than ``--project-id`` -> 403 ``SFS.TURBO.0015``.
6. Global faults, then (for a known job) the job's clock starts and its faults apply.
7. Unknown job -> 404 ``SFS.TURBO.0019`` "Invalid Job Id"; else 200 with the job body.

Error dialects:

* service: ``{"errCode": "SFS.TURBO.xxxx", "errMsg": "..."}``
* gateway (APIG): ``{"error_code": "APIG.xxxx", "error_msg": "...", "request_id": "<X-request-id>"}``

Every response carries a fresh ``X-request-id`` header (32 hex characters).

Scenario file (JSON; YAML only when PyYAML happens to be importable)::

    {
      "jobs": {
        "<job_id>": {
          "job_type": "create_share",     # default create_share
          "waiting": 1.0,                 # seconds in status waiting (default 0)
          "running": 2.0,                 # then seconds in status running (default 1)
          "result": "success",            # final status: success, failed, or any other string
          "error_code": "SFS.TURBO.0030", # optional, reported only once the result is "failed"
          "fail_reason": "Ecs resource not enough",
          "status_override": "frozen",    # optional: reported instead of waiting/running
          "extra": {"new_field": "kept"}, # optional: merged into the body (last, so it may override)
          "omit": ["status"],             # optional: keys removed from the body (test missing fields)
          "sub_jobs": [{"job_id": "...", "job_type": "...", "waiting": 0, "running": 1,
                        "result": "success", "error_code": "...", "fail_reason": "..."}],
                                          # optional; [] is reported as [], no key as no field
          "faults": [{"type": "rate_limit", "times": 1, "after": 0}],
          "clock": "first_request"        # or "server_start"
        }
      },
      "faults": []                        # global faults: every request on the job path
    }

Fields that do not apply are omitted, never null: no ``end_time`` before the job finished, no
``error_code``/``fail_reason`` unless it failed with them, no ``sub_jobs`` when it has none.
Times are UTC ``YYYY-MM-DD HH:MM:SS``. Sub-jobs follow their own timelines on the job's clock.
A job's clock starts at the first authorised GET for it (``first_request``, the default) or
when the server starts (``server_start``), and it is measured with ``time.monotonic()``.

Faults: ``{"type": ..., "times": N, "after": K}``. A fault is skipped for the first K requests
(to that job; for a global fault, to the job path) and then hits N requests (default 1;
``null`` means every request). Faults are checked in order, global ones first: ``slow``
delays and lets checking go on, any other type answers the request.

* ``rate_limit``: 429 ``APIG.0308`` with ``Retry-After: <retry_after>`` (default 1).
* ``http_error``: ``status`` (default 500). 500 -> service ``SFS.TURBO.0005`` "Internal server error";
  502 -> gateway ``APIG.0202`` "Backend unavailable"; 503 -> gateway ``APIG.0201`` "Backend unavailable";
  504 -> gateway ``APIG.0203`` "Backend timeout". These follow the Huawei API Gateway error table
  (Backend unavailable/timeout come from the gateway, not from SFS Turbo); the exact code per status
  is a best guess. ``error_code``/``error_msg`` override them; other statuses use SFS.TURBO.0005 (5xx)
  or SFS.TURBO.0001 (4xx).
* ``html``: an nginx-style HTML error page, ``Content-Type: text/html``, ``status`` default 502.
* ``drop``: the connection is shut down without any response.
* ``slow``: sleep ``seconds`` (default 5), then answer normally.
* ``non_json``: 200, ``Content-Type: application/json``, body ``<html>maintenance</html>``.
* ``redirect``: ``status`` (default 302) to ``location`` (default ``http://127.0.0.2:9/elsewhere``).

Admin endpoints (no token; loopback clients only; never written to the request log):

* ``POST /_emulator/reset``: reset job clocks, request and fault counters, and the request log.
* ``GET /_emulator/log``: list of ``{"t", "wall", "method", "path", "job_id", "status",
  "job_status", "fault"}``; ``t`` is monotonic seconds since the server started, ``status`` is the
  HTTP status sent (null for a dropped connection).
* ``GET /_emulator/jobs``: ids of all jobs; ``GET /_emulator/jobs/<job_id>``: ``{"job_id",
  "started_at_wall", "finished_at_wall", "status", "requests"}`` (wall-clock unix times, null when
  not started or never finishing).
* ``GET /_emulator/health``: ``{"ok": true}``.

In-process use (unit tests)::

    server, thread = serve_in_thread(port=0)
    ...  # server.url is e.g. http://127.0.0.1:40123
    server.shutdown()
    server.server_close()
"""

from __future__ import annotations

import argparse
import copy
import ipaddress
import json
import os
import re
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

try:
    # YAML scenarios are a convenience only; JSON is the primary format.
    import yaml
    HAS_YAML = True
except ImportError:
    yaml = None
    HAS_YAML = False


DEFAULT_TOKEN = 'emulator-token'
DEFAULT_PROJECT_ID = '0123456789abcdef0123456789abcdef'
DEFAULT_LIFETIME = 900.0
# Extra seconds the hard-exit safety net gives a clean shutdown before it kills the process.
SHUTDOWN_GRACE = 10.0

ID_RE = re.compile(r'^[A-Za-z0-9_-]{1,64}$')
JOB_PATH_RE = re.compile(r'^/v1/([^/]*)/sfs-turbo/jobs/([^/]*)$')
TIME_FORMAT = '%Y-%m-%d %H:%M:%S'
FINAL_STATUSES = ('success', 'failed')
CLOCKS = ('first_request', 'server_start')
FAULT_TYPES = ('rate_limit', 'http_error', 'html', 'drop', 'slow', 'non_json', 'redirect')
JSON_TYPE = 'application/json;charset=UTF-8'

# Gateway dialect for 5xx answers that come from the API gateway instead of the service.
GATEWAY_ERRORS = {
    502: ('APIG.0202', 'Backend unavailable'),
    503: ('APIG.0201', 'Backend unavailable'),
    504: ('APIG.0203', 'Backend timeout'),
}
RATE_LIMIT_MSG = 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute'
HTML_PAGE = (
    '<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n'
    '<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
)


def _sub(job_id, job_type, running, result='success', waiting=0.0, **kwargs):
    """Build a sub-job definition for the default scenario."""
    sub = {'job_id': job_id, 'job_type': job_type, 'waiting': waiting, 'running': running, 'result': result}
    sub.update(kwargs)
    return sub


def _flaky(fault):
    """A job that succeeds after 3 s (waiting 1 + running 2) and suffers the given fault(s)."""
    return {'job_type': 'create_share', 'waiting': 1, 'running': 2, 'result': 'success',
            'faults': fault if isinstance(fault, list) else [fault]}


def default_scenario():
    """Return the built-in scenario used when no --scenario is given (a fresh copy each time)."""
    jobs = {
        'job-success-quick': {'job_type': 'create_share', 'waiting': 0, 'running': 1, 'result': 'success'},
        'job-success-subjobs': {
            'job_type': 'create_share', 'waiting': 1, 'running': 2, 'result': 'success',
            'sub_jobs': [
                _sub('job-success-subjobs-sub-1', 'create_share', waiting=1, running=1),
                _sub('job-success-subjobs-sub-2', 'change_security_group', waiting=1, running=2),
            ],
        },
        # A day-long run: for the purposes of any test this job never finishes.
        'job-running': {'job_type': 'extend_share', 'waiting': 0, 'running': 86400, 'result': 'success'},
        'job-failed': {
            'job_type': 'create_share', 'waiting': 0, 'running': 1, 'result': 'failed',
            'error_code': 'SFS.TURBO.0030', 'fail_reason': 'Ecs resource not enough',
            'sub_jobs': [
                _sub('job-failed-sub-1', 'create_share', running=0.5),
                _sub('job-failed-sub-2', 'create_share', running=1, result='failed',
                     error_code='SFS.TURBO.0030', fail_reason='Ecs resource not enough'),
            ],
        },
        # The job itself carries no error fields; only its failed sub-job says why.
        'job-failed-subjob-only': {
            'job_type': 'create_share', 'waiting': 0, 'running': 1, 'result': 'failed',
            'sub_jobs': [
                _sub('job-failed-subjob-only-sub-1', 'create_share', running=0.5),
                _sub('job-failed-subjob-only-sub-2', 'create_share', running=1, result='failed',
                     error_code='SFS.TURBO.0029', fail_reason='Subnet has not enough ips'),
            ],
        },
        'job-success-3s': {'job_type': 'extend_share', 'waiting': 1, 'running': 2, 'result': 'success'},
        # bind_ldap is outside the documented enum, and new_field is a field clients must keep.
        'job-bind-ldap': {'job_type': 'bind_ldap', 'waiting': 0, 'running': 0, 'result': 'success',
                          'extra': {'new_field': 'kept'}},
        'job-unknown-status': {'job_type': 'create_share', 'waiting': 0, 'running': 2, 'result': 'success',
                               'status_override': 'frozen'},
        'job-flaky-429': _flaky({'type': 'rate_limit', 'times': 1, 'retry_after': 1}),
        'job-flaky-502': _flaky({'type': 'http_error', 'status': 502, 'times': 1}),
        'job-flaky-503': _flaky({'type': 'http_error', 'status': 503, 'times': 1}),
        'job-flaky-html': _flaky({'type': 'html', 'status': 502, 'times': 1}),
        'job-flaky-drop': _flaky({'type': 'drop', 'times': 1}),
        'job-slow': _flaky({'type': 'slow', 'seconds': 3, 'times': None}),
        'job-non-json': _flaky({'type': 'non_json', 'times': None}),
        'job-error-500': _flaky({'type': 'http_error', 'status': 500, 'times': None}),
        'job-redirect': _flaky({'type': 'redirect', 'location': 'http://127.0.0.2:9/elsewhere', 'times': None}),
        # The 32-hex id format that the LDAP APIs return.
        '72362d0a0a04d419dbd5e6d9fe5a0b1c': {'job_type': 'bind_ldap', 'waiting': 0, 'running': 0, 'result': 'success'},
    }
    return {'jobs': jobs, 'faults': []}


class ScenarioError(ValueError):
    """The scenario is not valid."""


def _number(value, what, default):
    if value is None:
        return float(default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ScenarioError(f'{what} must be a number >= 0, got {value!r}')
    return float(value)


def _string(value, what, required=False):
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise ScenarioError(f'{what} must be a non-empty string, got {value!r}')
    return value


def _normalize_fault(raw, what):
    if not isinstance(raw, dict):
        raise ScenarioError(f'{what} must be a mapping')
    ftype = raw.get('type')
    if ftype not in FAULT_TYPES:
        raise ScenarioError(f'{what}: type must be one of {", ".join(FAULT_TYPES)}, got {ftype!r}')
    fault = dict(raw)
    times = raw.get('times', 1)
    # null means "every request"; booleans are rejected because True == 1 would hide a typo.
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 0):
        raise ScenarioError(f'{what}: times must be an integer >= 0 or null, got {times!r}')
    after = raw.get('after', 0)
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise ScenarioError(f'{what}: after must be an integer >= 0, got {after!r}')
    fault['times'] = times
    fault['after'] = after
    if ftype == 'rate_limit':
        fault['retry_after'] = raw.get('retry_after', 1)
    elif ftype == 'http_error':
        fault['status'] = raw.get('status', 500)
    elif ftype == 'html':
        fault['status'] = raw.get('status', 502)
    elif ftype == 'slow':
        fault['seconds'] = _number(raw.get('seconds'), f'{what}: seconds', 5)
    elif ftype == 'redirect':
        fault['status'] = raw.get('status', 302)
        fault['location'] = _string(raw.get('location', 'http://127.0.0.2:9/elsewhere'), f'{what}: location')
    if 'status' in fault and (isinstance(fault['status'], bool) or not isinstance(fault['status'], int)
                              or not 300 <= fault['status'] <= 599):
        raise ScenarioError(f'{what}: status must be an HTTP status 300-599, got {fault["status"]!r}')
    return fault


def _normalize_timeline(raw, job_id, what, default_type):
    """Validate one job or sub-job definition and fill in defaults."""
    if not isinstance(raw, dict):
        raise ScenarioError(f'{what} must be a mapping')
    extra = raw.get('extra', {})
    if not isinstance(extra, dict):
        raise ScenarioError(f'{what}: extra must be a mapping')
    omit = raw.get('omit', [])
    if not isinstance(omit, list) or not all(isinstance(key, str) for key in omit):
        raise ScenarioError(f'{what}: omit must be a list of field names')
    return {
        'job_id': job_id,
        'job_type': _string(raw.get('job_type', default_type), f'{what}: job_type', required=True),
        'waiting': _number(raw.get('waiting'), f'{what}: waiting', 0),
        'running': _number(raw.get('running'), f'{what}: running', 1),
        'result': _string(raw.get('result', 'success'), f'{what}: result', required=True),
        'error_code': _string(raw.get('error_code'), f'{what}: error_code'),
        'fail_reason': _string(raw.get('fail_reason'), f'{what}: fail_reason'),
        'status_override': _string(raw.get('status_override'), f'{what}: status_override'),
        'extra': copy.deepcopy(extra),
        'omit': list(omit),
    }


def normalize_scenario(raw):
    """Validate a scenario mapping and return it with every default filled in."""
    if not isinstance(raw, dict):
        raise ScenarioError('the scenario must be a mapping with a "jobs" key')
    jobs = raw.get('jobs', {})
    if not isinstance(jobs, dict):
        raise ScenarioError('"jobs" must be a mapping of job id to job definition')
    result = {'jobs': {}, 'faults': []}
    for job_id, job in jobs.items():
        what = f'job {job_id!r}'
        # Ids outside this alphabet could never be requested: the path check rejects them.
        if not isinstance(job_id, str) or not ID_RE.match(job_id):
            raise ScenarioError(f'{what}: ids use letters, digits, "-" and "_" only (1-64 characters)')
        timeline = _normalize_timeline(job, job_id, what, 'create_share')
        clock = job.get('clock', 'first_request')
        if clock not in CLOCKS:
            raise ScenarioError(f'{what}: clock must be one of {", ".join(CLOCKS)}, got {clock!r}')
        timeline['clock'] = clock
        subs = job.get('sub_jobs')
        if subs is not None and not isinstance(subs, list):
            raise ScenarioError(f'{what}: sub_jobs must be a list')
        timeline['sub_jobs'] = None if subs is None else [
            _normalize_timeline(sub, _string(sub.get('job_id') if isinstance(sub, dict) else None,
                                             f'{what}: sub_jobs[{index}].job_id', required=True),
                                f'{what}: sub_jobs[{index}]', timeline['job_type'])
            for index, sub in enumerate(subs)
        ]
        faults = job.get('faults', [])
        if not isinstance(faults, list):
            raise ScenarioError(f'{what}: faults must be a list')
        timeline['faults'] = [_normalize_fault(fault, f'{what}: faults[{index}]') for index, fault in enumerate(faults)]
        result['jobs'][job_id] = timeline
    faults = raw.get('faults', [])
    if not isinstance(faults, list):
        raise ScenarioError('"faults" must be a list')
    result['faults'] = [_normalize_fault(fault, f'faults[{index}]') for index, fault in enumerate(faults)]
    return result


def load_scenario(path):
    """Read a scenario file: JSON, or YAML when PyYAML is importable."""
    with open(path, encoding='utf-8') as handle:
        text = handle.read()
    try:
        data = json.loads(text)
    except ValueError as json_error:
        if not HAS_YAML:
            raise ScenarioError(f'{path}: not valid JSON ({json_error}); YAML needs PyYAML, which is not installed') from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as yaml_error:
            raise ScenarioError(f'{path}: neither valid JSON nor valid YAML ({yaml_error})') from None
    return normalize_scenario(data)


def format_time(wall):
    """Format a unix time the way the API does: UTC, space separated, no zone suffix."""
    return time.strftime(TIME_FORMAT, time.gmtime(wall))


def _phase_status(timeline, elapsed):
    """Status of a (sub-)job ``elapsed`` seconds after its clock started."""
    if elapsed < timeline['waiting']:
        return timeline['status_override'] or 'waiting'
    if elapsed < timeline['waiting'] + timeline['running']:
        return timeline['status_override'] or 'running'
    return timeline['result']


def _finish_offset(timeline):
    """Seconds from clock start to the final status, or None when the result is not a final status."""
    if timeline['result'] not in FINAL_STATUSES:
        return None
    return timeline['waiting'] + timeline['running']


def render_job(timeline, start_wall, elapsed, with_subs=True):
    """Build the response body of a (sub-)job as the API would return it."""
    status = _phase_status(timeline, elapsed)
    body = {
        'job_id': timeline['job_id'],
        'status': status,
        'job_type': timeline['job_type'],
        'begin_time': format_time(start_wall),
    }
    offset = _finish_offset(timeline)
    if status == timeline['result'] and offset is not None:
        body['end_time'] = format_time(start_wall + offset)
    # Error fields only exist on a failed job, and only when the scenario provides them.
    if status == 'failed':
        for key in ('error_code', 'fail_reason'):
            if timeline[key] is not None:
                body[key] = timeline[key]
    # An explicit empty list in the scenario is reported as []; no list at all means no field.
    if with_subs and timeline.get('sub_jobs') is not None:
        body['sub_jobs'] = [render_job(sub, start_wall, elapsed, with_subs=False) for sub in timeline['sub_jobs']]
    body.update(copy.deepcopy(timeline['extra']))
    for key in timeline['omit']:
        body.pop(key, None)
    return body


class _Job:
    """Mutable state of one job: clock start, request count, fault hit counters."""

    def __init__(self, timeline):
        self.timeline = timeline
        self.start_mono = None
        self.start_wall = None
        self.requests = 0
        self.fault_hits = [0] * len(timeline['faults'])


class EmulatorState:
    """All mutable emulator state, guarded by one lock because the server is threaded."""

    def __init__(self, scenario):
        self.lock = threading.Lock()
        self.scenario = scenario
        self.server_start_mono = time.monotonic()
        self.server_start_wall = time.time()
        self.jobs = {}
        self.global_requests = 0
        self.global_fault_hits = []
        self.log = []
        self.reset()

    def reset(self):
        with self.lock:
            now_mono, now_wall = time.monotonic(), time.time()
            self.jobs = {job_id: _Job(timeline) for job_id, timeline in self.scenario['jobs'].items()}
            for job in self.jobs.values():
                # server_start jobs begin now: at server start, or at the latest reset.
                if job.timeline['clock'] == 'server_start':
                    job.start_mono, job.start_wall = now_mono, now_wall
            self.global_requests = 0
            self.global_fault_hits = [0] * len(self.scenario['faults'])
            self.log = []

    @staticmethod
    def _pick_faults(faults, hits, index):
        """Faults that hit request number ``index`` (0-based); counts each hit."""
        chosen = []
        for position, fault in enumerate(faults):
            if index < fault['after']:
                continue
            if fault['times'] is not None and hits[position] >= fault['times']:
                continue
            chosen.append((position, fault))
        return chosen

    def take_faults(self, job_id):
        """Register one request on the job path and return the faults that apply to it.

        The job's clock starts here (first request), so a faulted first request still starts it.
        Only faults that actually act are counted: everything up to and including the first
        fault that answers the request (``slow`` does not answer, it only delays).
        """
        with self.lock:
            candidates = [(self.global_fault_hits, position, fault) for position, fault in
                          self._pick_faults(self.scenario['faults'], self.global_fault_hits, self.global_requests)]
            self.global_requests += 1
            job = self.jobs.get(job_id)
            if job is not None:
                if job.start_mono is None:
                    job.start_mono, job.start_wall = time.monotonic(), time.time()
                candidates += [(job.fault_hits, position, fault) for position, fault in
                               self._pick_faults(job.timeline['faults'], job.fault_hits, job.requests)]
                job.requests += 1
            applied = []
            for hits, position, fault in candidates:
                hits[position] += 1
                applied.append(fault)
                if fault['type'] != 'slow':
                    break
            return applied

    def job_body(self, job_id):
        """Current body of a job, or None if the job is unknown."""
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            if job.start_mono is None:
                job.start_mono, job.start_wall = time.monotonic(), time.time()
            elapsed = time.monotonic() - job.start_mono
            return render_job(job.timeline, job.start_wall, elapsed)

    def job_times(self, job_id):
        """Admin view of a job's clock, or None if the job is unknown."""
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None:
                return None
            info = {'job_id': job_id, 'started_at_wall': job.start_wall, 'finished_at_wall': None,
                    'status': None, 'requests': job.requests}
            if job.start_mono is not None:
                offset = _finish_offset(job.timeline)
                if offset is not None:
                    info['finished_at_wall'] = job.start_wall + offset
                info['status'] = _phase_status(job.timeline, time.monotonic() - job.start_mono)
            return info

    def record(self, entry):
        with self.lock:
            self.log.append(entry)

    def log_copy(self):
        with self.lock:
            return list(self.log)


class EmulatorHandler(BaseHTTPRequestHandler):
    """One HTTP request against the emulator."""

    # HTTP/1.1 keeps connections alive like the real gateway, so clients' pools get exercised.
    protocol_version = 'HTTP/1.1'
    server_version = 'sfs-turbo-emulator'
    # Idle keep-alive connections must not pin handler threads forever.
    timeout = 60
    # Set per request by BaseHTTPRequestHandler.handle(); declared so that linters know it.
    close_connection = True
    request_id = ''

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        self.request_id = uuid.uuid4().hex
        self.server.track(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        # Access log goes to stderr only; stdout carries just the "listening on" line.
        if not self.server.quiet:
            sys.stderr.write(f'{self.address_string()} - [{self.log_date_time_string()}] {format % args}\n')

    # All methods go through one dispatcher so that each one gets the same checks and headers.
    def do_GET(self):
        self._dispatch()

    def do_HEAD(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_PUT(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def do_PATCH(self):
        self._dispatch()

    def do_OPTIONS(self):
        self._dispatch()

    # ----------------------------------------------------------------- responses

    def _send(self, status, body=b'', content_type=JSON_TYPE, headers=None):
        """Send a complete response; every response carries X-request-id."""
        self.send_response(status)
        self.send_header('X-request-id', self.request_id)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)
        return status

    def _send_json(self, status, data, headers=None):
        return self._send(status, json.dumps(data).encode('utf-8'), headers=headers)

    def _service_error(self, status, code, msg, headers=None):
        return self._send_json(status, {'errCode': code, 'errMsg': msg}, headers=headers)

    def _gateway_error(self, status, code, msg, headers=None):
        return self._send_json(status, {'error_code': code, 'error_msg': msg, 'request_id': self.request_id}, headers=headers)

    # ----------------------------------------------------------------- routing

    def _discard_body(self):
        # Read any request body so that a kept-alive connection stays in sync.
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            length = 0
        if length > 0:
            self.rfile.read(min(length, 1 << 20))
        if length > 1 << 20:
            self.close_connection = True

    def _dispatch(self):
        self._discard_body()
        path = urlsplit(self.path).path
        if path == '/_emulator' or path.startswith('/_emulator/'):
            self._admin(path)
            return
        entry = {'t': round(time.monotonic() - self.server.state.server_start_mono, 6), 'wall': time.time(),
                 'method': self.command, 'path': path, 'job_id': None, 'status': None, 'job_status': None, 'fault': None}
        try:
            self._api(path, entry)
        finally:
            self.server.state.record(entry)

    def _api(self, path, entry):
        if path != '/v1' and not path.startswith('/v1/'):
            entry['status'] = self._service_error(404, 'SFS.TURBO.0001', 'parameter error')
            return
        # The gateway authenticates before the service sees the request.
        token = self.headers.get('X-Auth-Token')
        if token != self.server.token:
            detail = 'x-auth-token not found' if not token else 'decrypt token fail'
            entry['status'] = self._gateway_error(401, 'APIG.0301', f'Incorrect IAM authentication information: {detail}')
            return
        match = JOB_PATH_RE.match(path)
        if not match or not ID_RE.match(match.group(1)) or not ID_RE.match(match.group(2)):
            entry['status'] = self._service_error(400, 'SFS.TURBO.0001', 'parameter error')
            return
        project_id, job_id = match.groups()
        entry['job_id'] = job_id
        if self.command != 'GET':
            entry['status'] = self._service_error(405, 'SFS.TURBO.0001', 'parameter error', headers={'Allow': 'GET'})
            return
        if project_id != self.server.project_id:
            entry['status'] = self._service_error(403, 'SFS.TURBO.0015', 'do not have the operation permission')
            return
        for fault in self.server.state.take_faults(job_id):
            if fault['type'] == 'slow':
                entry['fault'] = 'slow'
                time.sleep(fault['seconds'])
                continue
            entry['fault'] = fault['type']
            entry['status'] = self._fault(fault)
            return
        body = self.server.state.job_body(job_id)
        if body is None:
            entry['status'] = self._service_error(404, 'SFS.TURBO.0019', 'Invalid Job Id')
            return
        entry['job_status'] = body.get('status')
        entry['status'] = self._send_json(200, body)

    def _fault(self, fault):
        """Answer with an injected fault; returns the HTTP status sent (None for a drop)."""
        ftype = fault['type']
        if ftype == 'rate_limit':
            retry_after = fault['retry_after']
            if isinstance(retry_after, float) and retry_after.is_integer():
                retry_after = int(retry_after)
            return self._gateway_error(429, 'APIG.0308', RATE_LIMIT_MSG, headers={'Retry-After': str(retry_after)})
        if ftype == 'http_error':
            status = fault['status']
            if status in GATEWAY_ERRORS:
                code, msg = GATEWAY_ERRORS[status]
                return self._gateway_error(status, fault.get('error_code', code), fault.get('error_msg', msg))
            code = 'SFS.TURBO.0005' if status >= 500 else 'SFS.TURBO.0001'
            msg = 'Internal server error' if status >= 500 else 'parameter error'
            return self._service_error(status, fault.get('error_code', code), fault.get('error_msg', msg))
        if ftype == 'html':
            status = fault['status']
            reason = self.responses.get(status, ('Error',))[0]
            page = HTML_PAGE.format(status=status, reason=reason).encode('utf-8')
            return self._send(status, page, content_type='text/html')
        if ftype == 'non_json':
            return self._send(200, b'<html>maintenance</html>')
        if ftype == 'redirect':
            return self._send_json(fault['status'], {'location': fault['location']}, headers={'Location': fault['location']})
        # drop: no status line at all; the client sees the connection close under it.
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        return None

    def _admin(self, path):
        # Admin paths skip the token, so only local clients may use them.
        if not ipaddress.ip_address(self.client_address[0].split('%')[0]).is_loopback:
            self._service_error(403, 'SFS.TURBO.0015', 'do not have the operation permission')
            return
        state = self.server.state
        if path == '/_emulator/reset' and self.command == 'POST':
            state.reset()
            self._send_json(200, {'reset': True})
        elif path == '/_emulator/log' and self.command == 'GET':
            self._send_json(200, state.log_copy())
        elif path == '/_emulator/health' and self.command == 'GET':
            self._send_json(200, {'ok': True})
        elif path == '/_emulator/jobs' and self.command == 'GET':
            self._send_json(200, sorted(state.scenario['jobs']))
        elif path.startswith('/_emulator/jobs/') and self.command == 'GET':
            info = state.job_times(path[len('/_emulator/jobs/'):])
            if info is None:
                self._service_error(404, 'SFS.TURBO.0019', 'Invalid Job Id')
            else:
                self._send_json(200, info)
        else:
            self._service_error(404, 'SFS.TURBO.0001', 'parameter error')


class EmulatorServer(ThreadingHTTPServer):
    """Threaded HTTP server holding the emulator state and its configuration."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, state, token, project_id, quiet):
        # IPv6 loopback needs an AF_INET6 socket; set before the socket is created.
        if ':' in address[0]:
            self.address_family = socket.AF_INET6
        self.state = state
        self.token = token
        self.project_id = project_id
        self.quiet = quiet
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, EmulatorHandler)

    @property
    def port(self):
        return self.server_address[1]

    @property
    def url(self):
        host = self.server_address[0]
        return f'http://[{host}]:{self.port}' if ':' in host else f'http://{host}:{self.port}'

    def track(self, connection):
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection):
        with self._connections_lock:
            self._connections.discard(connection)

    def handle_error(self, request, client_address):
        # A client that gave up (timeout, dropped fault) is normal in tests: one line, no traceback.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            if not self.quiet:
                sys.stderr.write(f'{client_address[0]} - connection lost: {exc!r}\n')
            return
        super().handle_error(request, client_address)

    def server_close(self):
        # Close kept-alive connections too, so a stopped emulator stops answering at once.
        super().server_close()
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def check_loopback(host):
    """Return a loopback IP address for ``host``, or raise ValueError for anything else."""
    if host == 'localhost':
        return '127.0.0.1'
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f'refusing to bind to {host!r}: give a loopback IP address such as 127.0.0.1') from None
    if not address.is_loopback:
        raise ValueError(f'refusing to bind to non-loopback address {host!r}: the emulator is for local tests only')
    return str(address)


def make_server(host='127.0.0.1', port=0, scenario=None, token=DEFAULT_TOKEN, project_id=DEFAULT_PROJECT_ID, quiet=True):
    """Create (but do not start) an emulator server.

    ``scenario`` is None (built-in default), a scenario mapping, or a path to a scenario file.
    Raises ValueError for a non-loopback host and ScenarioError for an invalid scenario.
    """
    host = check_loopback(host)
    if scenario is None:
        scenario = default_scenario()
    if isinstance(scenario, (str, os.PathLike)):
        normalized = load_scenario(scenario)
    else:
        normalized = normalize_scenario(scenario)
    return EmulatorServer((host, port), EmulatorState(normalized), token, project_id, quiet)


def serve_in_thread(host='127.0.0.1', port=0, scenario=None, token=DEFAULT_TOKEN, project_id=DEFAULT_PROJECT_ID, quiet=True):
    """Start an emulator in a daemon thread; returns (server, thread). Stop with server.shutdown()."""
    server = make_server(host, port, scenario, token, project_id, quiet)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1},
                              name='sfs-turbo-emulator', daemon=True)
    thread.start()
    return server, thread


def _write_atomically(path, text):
    """Write a small file so that readers see either nothing or the whole content."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, tmp_path = tempfile.mkstemp(prefix='.tmp-', dir=directory)
    try:
        with os.fdopen(handle, 'w', encoding='utf-8') as tmp:
            tmp.write(text)
        os.replace(tmp_path, path)
    except BaseException:
        try:
            os.unlink(tmp_path)
        except OSError:
            pass
        raise


def _remove_pid_file(path):
    # Only remove the file if it is still ours (another emulator may have reused the path).
    try:
        with open(path, encoding='utf-8') as handle:
            if handle.read().strip() != str(os.getpid()):
                return
        os.unlink(path)
    except OSError:
        pass


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Local emulator of the SFS Turbo jobs API, for tests only.')
    parser.add_argument('--host', default='127.0.0.1', help='loopback address to bind (default: %(default)s)')
    parser.add_argument('--port', type=int, default=0, help='port to bind; 0 picks a free one (default: %(default)s)')
    parser.add_argument('--scenario', help='scenario file (JSON, or YAML if PyYAML is installed); default: built-in jobs')
    parser.add_argument('--token', default=DEFAULT_TOKEN, help='accepted X-Auth-Token (default: %(default)s)')
    parser.add_argument('--project-id', default=DEFAULT_PROJECT_ID, help='accepted project id (default: %(default)s)')
    parser.add_argument('--pid-file', help='write the process id here; removed on exit')
    parser.add_argument('--port-file', help='write the bound port here (atomically)')
    parser.add_argument('--lifetime', type=float, default=DEFAULT_LIFETIME,
                        help='exit by itself after this many seconds (default: %(default)s)')
    parser.add_argument('--quiet', action='store_true', help='no access log on stderr')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.lifetime <= 0:
        sys.stderr.write('sfs_turbo_emulator: --lifetime must be > 0\n')
        return 2
    try:
        server = make_server(args.host, args.port, args.scenario, args.token, args.project_id, args.quiet)
    except (ValueError, OSError) as exc:
        # ScenarioError is a ValueError; OSError covers unreadable files and ports in use.
        sys.stderr.write(f'sfs_turbo_emulator: {exc}\n')
        return 2

    stop = threading.Event()

    def on_signal(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def last_resort():
        # Safety net: if a clean shutdown hangs, still never outlive the lifetime by much.
        time.sleep(args.lifetime + SHUTDOWN_GRACE)
        if args.pid_file:
            _remove_pid_file(args.pid_file)
        os._exit(3)  # pylint: disable=protected-access

    threading.Thread(target=last_resort, name='watchdog', daemon=True).start()

    try:
        if args.pid_file:
            _write_atomically(args.pid_file, f'{os.getpid()}\n')
        thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1},
                                  name='sfs-turbo-emulator', daemon=True)
        thread.start()
        if args.port_file:
            _write_atomically(args.port_file, f'{server.port}\n')
        print(f'listening on {server.url}', flush=True)
        # The main thread waits here; signal handlers run in it and set the event.
        if not stop.wait(args.lifetime):
            sys.stderr.write(f'sfs_turbo_emulator: lifetime of {args.lifetime:g} s reached, exiting\n')
        server.shutdown()
        thread.join(SHUTDOWN_GRACE)
    finally:
        server.server_close()
        if args.pid_file:
            _remove_pid_file(args.pid_file)
    return 0


if __name__ == '__main__':
    sys.exit(main())
