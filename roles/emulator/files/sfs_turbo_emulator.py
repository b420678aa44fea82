# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Local emulator of the SFS Turbo jobs API and of the file-system (share) calls runbooks make.

``GET /v1/{project_id}/sfs-turbo/jobs/{job_id}``, and ``GET``/``DELETE .../shares/{share_id}``,
``POST .../shares`` (create) and ``POST .../shares/{share_id}/action`` (extend, change_security_group).

Part of the otc_community.sfs_turbo collection (role ``otc_community.sfs_turbo.emulator``), for
rehearsing runbooks and for tests. Python standard library only (3.9+), so it runs on any controller
without extra packages. It binds to loopback addresses only. Started by hand it runs until it is
stopped (SIGTERM or Ctrl-C); ``--lifetime SECONDS`` adds a watchdog for tests that makes it exit by itself.
From an installed collection::

    python3 ~/.ansible/collections/ansible_collections/otc_community/sfs_turbo/roles/emulator/files/sfs_turbo_emulator.py --port 8080

The user guide "Rehearsing runbooks" (docs/docsite/rst/guide_rehearsing.rst) documents everything below.

Usage::

    python sfs_turbo_emulator.py [--port 0] [--host 127.0.0.1] [--scenario FILE]
                                 [--token T] [--project-id P] [--pid-file PATH]
                                 [--port-file PATH] [--lifetime SECONDS] [--quiet]
                                 [--iam-user U] [--iam-password PW] [--iam-domain D]
                                 [--project-name N] [--no-catalog-sfsturbo] [--token-uses N]
                                 [--token-lifetime SECONDS] [--token-revoked-after SECONDS]
                                 [--extra-iam-user U=PW ...]
                                 [--access-key AK] [--secret-key SK]
                                 [--temp-access-key AK] [--temp-secret-key SK] [--security-token T]
                                 [--echo-credentials] [--iam-throttle N]

After binding it prints exactly one line, ``listening on http://127.0.0.1:<port>``, to stdout.

Request handling, in this order, for every path outside ``/_emulator/``:

1. ``/v3/auth/tokens`` -> the IAM token API (below). Any other path not under ``/v1/`` -> 404
   ``SFS.TURBO.0001`` (service dialect).
2. Authentication (below): the static ``--token`` or an issued IAM token as ``X-Auth-Token``, else an
   ``SDK-HMAC-SHA256`` signature. Failures are 401 in the gateway dialect: ``APIG.0301`` (no or unknown
   token), ``APIG.0307`` (issued token used up), ``APIG.0303`` (AK/SK).
3. A path under ``/v1/`` that is none of ``/v1/<project>/sfs-turbo/jobs/<job>``, ``.../shares``,
   ``.../shares/<share>`` and ``.../shares/<share>/action``, with ids made of letters, digits, ``-``
   and ``_`` (1 to 64 characters) -> 400 ``SFS.TURBO.0001``.
4. A method the path does not take (jobs: GET; ``shares``: POST; a share: GET, DELETE; its
   ``action``: POST) -> 405 ``SFS.TURBO.0001``.
5. A project other than ``--project-id`` -> 403 ``SFS.TURBO.0015``.
6. Global faults, then (for a known job or file system) its clock starts and its faults apply.
7. Jobs: unknown -> 404 ``SFS.TURBO.0019`` "Invalid Job Id"; else 200 with the job body.
   File systems: see "File systems" below.

Authentication of the jobs API, first match wins:

* ``X-Auth-Token`` equal to ``--token`` (default ``emulator-token``): accepted, never expires (log ``auth``: ``token``).
* ``X-Auth-Token`` issued by ``POST /v3/auth/tokens``: accepted (``iam-token``) until its ``expires_at``,
  ``--token-lifetime`` seconds after it was issued (default 86400, IAM's 24 h). With ``--token-uses N``
  (default 0 = unlimited) each issued token works for N jobs-API requests; with ``--token-revoked-after S``
  (default 0 = never) for S seconds, though its ``expires_at`` says more (IAM revokes tokens early when a
  password or permission changes). After any of these the API answers 401 ``APIG.0307`` "The token must
  be updated." so that clients can test re-authentication.
* ``Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b;c>, Signature=<hex>``: verified
  as the Huawei SDK signs (see ``sign_request``), key pairs ``--access-key``/``--secret-key`` and
  ``--temp-access-key``/``--temp-secret-key`` (the latter needs ``X-Security-Token`` equal to
  ``--security-token``). Rules, all 401 ``APIG.0303`` "Incorrect app authentication information: ...":
  SignedHeaders must include ``host`` and ``x-sdk-date`` (and ``X-Sdk-Date`` must be present, format
  ``%Y%m%dT%H%M%SZ``); ``X-Sdk-Date`` within 15 minutes of the server clock ("signature expired,
  signature time:<t>,server time:<t>", the gateway's own wording); ``x-project-id`` signed and present
  ("signed headers must include x-project-id"); known AK and matching signature ("verify aksk signature
  fail"); temporary AK with the right security token ("invalid security token"). Then an
  ``X-Project-Id`` other than the path's project -> 403 ``SFS.TURBO.0015`` (log ``auth``: ``aksk``).
* Otherwise 401 ``APIG.0301`` (``x-auth-token not found`` / ``decrypt token fail``), or ``APIG.0307``
  when the only credential was a used-up issued token.

IAM token API (``auth_url`` = ``http://127.0.0.1:<port>/v3``): ``POST /v3/auth/tokens`` with::

    {"auth": {"identity": {"methods": ["password"],
                           "password": {"user": {"name": U, "password": PW, "domain": {"name": D}}}},
              "scope": {"project": {"id": P} | {"name": N}}}}

* The user must match ``--iam-user``/``--iam-password``/``--iam-domain`` (defaults ``emulator-user``,
  ``emulator-password``, ``emulator-domain``; the domain may also be given by its ``id``), or one of the
  users ``--extra-iam-user NAME=PASSWORD`` adds (repeatable; same domain), else 401.
  The project scope is required: by ``id`` it must equal ``--project-id``, by ``name`` it must equal
  ``--project-name`` (default ``eu-de``), else 401.
* Success: 201, header ``X-Subject-Token: MII<40 random url-safe characters>``, body ``{"token":
  {"methods", "expires_at", "issued_at", "user", "project", "roles", "catalog"}}`` with times like
  ``2026-11-28T10:00:00.000000Z`` (valid ``--token-lifetime`` seconds, enforced). The catalog
  has an ``identity`` entry (``<server>/v3``) and an ``sfsturbo`` entry whose public endpoint is
  ``<server>/v1/<project id>`` in region ``<project name up to the first "_">``.
  ``--no-catalog-sfsturbo`` leaves the ``sfsturbo`` entry out; the query ``?nocatalog=<any>`` leaves
  the whole catalog out.
* Errors (IAM dialect): ``{"error": {"code": 401, "message": "The username or password is wrong.",
  "title": "Unauthorized"}}`` for a wrong user, password or domain; 401 "The request you have made
  requires authentication." for a wrong project; 400 ``"title": "Bad Request"`` for a malformed body;
  405 for a method other than POST. The password is never logged or echoed (but see ``--echo-credentials``).
  ``--iam-throttle N``: the first N logins (after the credential check) answer 429 ``{"error": {"code":
  "IAM.0012", ...}}`` with ``Retry-After: 1``, as OTC's IAM does when its throttling threshold is reached.

Error dialects:

* service: ``{"errCode": "SFS.TURBO.xxxx", "errMsg": "..."}``
* gateway (APIG): ``{"error_code": "APIG.xxxx", "error_msg": "...", "request_id": "<X-request-id>"}``

Every response carries a fresh ``X-request-id`` header (32 hex characters).

``--echo-credentials`` makes the emulator a hostile server, for tests of the client's masks: it echoes
the credential the caller sent (the ``X-Auth-Token``, an issued IAM token, the ``X-Security-Token``, the
secret key of the AK that signed, the IAM password) as the ``X-request-id`` header (and the gateway body's
``request_id``), with its letter case swapped at the end of every error message, as the status of a job that has not
finished, and at the end of a failed job's ``fail_reason``.

Built-in jobs (without ``--scenario``): ``GET /_emulator/jobs`` lists them. ``job-success-done`` and
``job-failed-done`` (and its sub-jobs) are already finished when first read (clock ``server_start``,
no waiting or running time); every other job's clock starts at its first read.

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
      "faults": []                        # global faults: every request on the jobs and shares paths
    }

Fields that do not apply are omitted, never null: no ``end_time`` before the job finished, no
``error_code``/``fail_reason`` unless it failed with them, no ``sub_jobs`` when it has none.
Times are UTC ``YYYY-MM-DD HH:MM:SS``. Sub-jobs follow their own timelines on the job's clock.
A job's clock starts at the first authorised GET for it (``first_request``, the default) or
when the server starts (``server_start``), and it is measured with ``time.monotonic()``.

Faults: ``{"type": ..., "times": N, "after": K}``. A fault is skipped for the first K requests
(to that job or file system; for a global fault, to the API paths) and then hits N requests (default 1;
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

File systems (shares), as OTC documents them (``api-ref/.../lifecycle_management``, ``connection_management``):

* ``GET .../shares/<id>``: 200 with the file system (``id``, ``name``, ``status``, ``sub_status`` (absent
  when never modified), ``size`` (``"500.00"``), ``security_group_id``, ``action_progress``
  (``{"CREATING": "22%"}``, only while it is created), ``share_proto``, ``share_type``,
  ``availability_zone``, ``vpc_id``, ``subnet_id``, ``export_location``, ``created_at``, ...); an
  unknown or deleted one -> 404 ``SFS.TURBO.0002`` "Cluster not found".
* ``POST .../shares`` ``{"share": {"name", "size", "security_group_id", ...}}`` -> 202 ``{"id", "name",
  "status": "100"}`` (a new UUID); status ``100`` with a rising ``action_progress``, then ``200``.
  A missing name -> 400 ``SFS.TURBO.0003``, a bad size -> ``SFS.TURBO.0008``.
* ``POST .../shares/<id>/action`` ``{"extend": {"new_size": N}}`` -> 202 ``{"id", "name"}``; for
  ``lag`` seconds the previous ``sub_status`` (or none) still shows, then ``121``, then ``221`` with
  the new ``size`` (or ``321``). ``{"change_security_group": {"security_group_id": G}}`` -> 202
  ``{"id"}``; the same with ``132`` -> ``232`` and the new group (or ``332``). A size not above the
  current one -> 400 ``SFS.TURBO.0008``; another action -> 400 ``SFS.TURBO.0001``.
* ``DELETE .../shares/<id>`` -> 202 without a body; after ``running`` seconds the file system answers
  404 (or, with result ``deleted``, status ``400``).
* While an operation runs, another -> 400 ``SFS.TURBO.0011`` "Cluster is doing something"; an action on
  a file system whose status is not ``200`` -> 400 ``SFS.TURBO.0024``; on an unknown one -> 404.

Built-in file systems (``GET /_emulator/shares`` lists them, and those created since): ``share-available``
(``200``, never modified) and ``share-expanded-earlier`` (``200`` with an earlier expansion's ``221``),
both as they are; ``share-create-3s``, ``share-create-60s``, ``share-creating`` (a day), and
``share-create-failed`` / ``share-create-error`` / ``share-frozen`` (``303`` / ``300`` / ``800`` after 1 s);
``share-expand-3s`` (the earlier ``221`` for 1 s, ``121`` for 2 s, then ``221`` at 1000 GB);
``share-expand-failed`` (``321`` after 1 s); ``share-sg-3s`` (``232`` left over for 1 s, ``132`` for 2 s,
then ``232`` with ``sg-emulator-new``); ``share-sg-failed`` (``332`` after 1 s); ``share-delete-3s``
(gone after 3 s); ``share-delete-status-400`` (status ``400`` after 1 s); ``share-flaky-503`` (one 503,
then created in 2 s). Their clocks start at the first request for them.

Scenario files script file systems beside jobs::

    {
      "shares": {
        "<share_id>": {
          "name": "sfs-turbo-<share_id>",   # default
          "size": 500,                      # GB (default 500)
          "security_group_id": "sg-...",    # default sg-emulator-default
          "status": "200",                  # shown before (and, unless it changes it, after) the operation
          "sub_status": "221",              # optional; absent = never modified
          "operation": {"type": "expand", "lag": 1, "running": 2, "result": "success", "new_size": 1000},
                                            # optional; type create, expand, change_security_group
                                            # (with "security_group_id") or delete; result success or
                                            # failed (create also error, frozen; delete gone or deleted)
          "operations": {"expand": {"result": "failed"}},
                                            # optional: how operations started through the API run on
                                            # this file system (else the top-level "operations")
          "extra": {}, "omit": [], "faults": [], "clock": "first_request"
        }
      },
      "operations": {                       # how operations started through the API run
        "create": {"lag": 0, "running": 5, "result": "success"},
        "expand": {"lag": 1, "running": 5, "result": "success"},
        "change_security_group": {"lag": 1, "running": 3, "result": "success"},
        "delete": {"lag": 0, "running": 2, "result": "gone"}
      }
    }

Unknown keys in a file-system definition, an operation, ``operations`` or the scenario itself are errors.

Admin endpoints (no token; loopback clients only; never written to the request log):

* ``POST /_emulator/reset``: reset job and file-system clocks, request and fault counters, the request
  log, forget the file systems created through the API and every issued IAM token (``tokens_issued`` back to 0).
* ``GET /_emulator/log``: list of ``{"t", "wall", "method", "path", "job_id", "status",
  "job_status", "share_id", "share_status", "fault", "auth", "user", "token_serial"}`` (``share_status``:
  ``"<status>/<sub_status>"``); ``t`` is monotonic seconds since the server started, ``status`` is the
  HTTP status sent (null for a dropped connection), ``auth`` the method that authenticated the request
  (``"token"``, ``"iam-token"``, ``"aksk"``, or null: failed, or an IAM ``/v3/auth/tokens`` request).
  For an IAM request ``user`` is the user name asked for and ``token_serial`` the number of the token
  issued (1, 2, ... since start or reset; null when none was); for an API request with an issued token
  (accepted or refused), the token's user and number.
* ``GET /_emulator/jobs``: ids of all jobs; ``GET /_emulator/jobs/<job_id>``: ``{"job_id",
  "started_at_wall", "finished_at_wall", "status", "requests"}`` (wall-clock unix times, null when
  not started or never finishing).
* ``GET /_emulator/shares``: ids of all file systems, built-in and created through the API.
* ``GET /_emulator/iam``: ``{"tokens_issued": N, "tokens": [{"serial", "user", "token"}, ...]}``, the IAM
  tokens issued since start or reset (the tokens themselves too: tests look for them in files and output).
* ``GET /_emulator/health``: ``{"ok": true}``.

In-process use (unit tests)::

    server, thread = serve_in_thread(port=0)  # optional auth={"token_uses": 1, ...} (AuthConfig fields)
    ...  # server.url is e.g. http://127.0.0.1:40123
    server.shutdown()
    server.server_close()
"""

from __future__ import annotations

import argparse
import calendar
import copy
import dataclasses
import hashlib
import hmac
import ipaddress
import json
import os
import re
import secrets
import signal
import socket
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, unquote, urlsplit

try:
    # YAML scenarios are a convenience only; JSON is the primary format.
    import yaml
    HAS_YAML = True
except ImportError:
    yaml = None
    HAS_YAML = False


DEFAULT_TOKEN = 'emulator-token'
DEFAULT_PROJECT_ID = '0123456789abcdef0123456789abcdef'
DEFAULT_PROJECT_NAME = 'eu-de'
DEFAULT_IAM_USER = 'emulator-user'
DEFAULT_IAM_PASSWORD = 'emulator-password'
DEFAULT_IAM_DOMAIN = 'emulator-domain'
DEFAULT_ACCESS_KEY = 'EMULATORACCESSKEY0001'
DEFAULT_SECRET_KEY = 'emulator-secret-key-0001'
DEFAULT_TEMP_ACCESS_KEY = 'EMULATORTEMPKEY00001'
DEFAULT_TEMP_SECRET_KEY = 'emulator-temp-secret-0001'
DEFAULT_SECURITY_TOKEN = 'emulator-security-token-0001'
# No watchdog unless --lifetime is given: started by hand, the emulator runs until it is stopped.
DEFAULT_LIFETIME = 0.0
# Extra seconds the hard-exit safety net gives a clean shutdown before it kills the process.
SHUTDOWN_GRACE = 10.0

ID_RE = re.compile(r'^[A-Za-z0-9_-]{1,64}$')
JOB_PATH_RE = re.compile(r'^/v1/([^/]*)/sfs-turbo/jobs/([^/]*)$')
SHARES_PATH_RE = re.compile(r'^/v1/([^/]*)/sfs-turbo/shares$')
SHARE_PATH_RE = re.compile(r'^/v1/([^/]*)/sfs-turbo/shares/([^/]*)(/action)?$')
TIME_FORMAT = '%Y-%m-%d %H:%M:%S'
FINAL_STATUSES = ('success', 'failed')
CLOCKS = ('first_request', 'server_start')
FAULT_TYPES = ('rate_limit', 'http_error', 'html', 'drop', 'slow', 'non_json', 'redirect')
JSON_TYPE = 'application/json;charset=UTF-8'

IAM_TOKENS_PATH = '/v3/auth/tokens'
IAM_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S'
IAM_TOKEN_VALIDITY = 24 * 3600.0
IAM_WRONG_CREDENTIALS = 'The username or password is wrong.'
IAM_WRONG_SCOPE = 'The request you have made requires authentication.'
TOKEN_EXPIRED_MSG = 'The token must be updated.'

SDK_ALGORITHM = 'SDK-HMAC-SHA256'
SDK_DATE_FORMAT = '%Y%m%dT%H%M%SZ'
# Largest difference between X-Sdk-Date and the server clock that the gateway accepts.
SDK_DATE_SKEW = 15 * 60.0
EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
AUTHORIZATION_RE = re.compile(r'^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9A-Fa-f]+)\s*$')
APP_AUTH_MSG = 'Incorrect app authentication information: '

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
        # Already finished when first read: their clocks start with the server (and at each reset).
        'job-success-done': {'job_type': 'create_share', 'waiting': 0, 'running': 0, 'result': 'success',
                             'clock': 'server_start',
                             'sub_jobs': [_sub('job-success-done-sub-1', 'create_share', running=0)]},
        'job-failed-done': {
            'job_type': 'create_share', 'waiting': 0, 'running': 0, 'result': 'failed', 'clock': 'server_start',
            'error_code': 'SFS.TURBO.0030', 'fail_reason': 'Ecs resource not enough',
            'sub_jobs': [
                _sub('job-failed-done-sub-1', 'create_share', running=0),
                _sub('job-failed-done-sub-2', 'create_share', running=0, result='failed',
                     error_code='SFS.TURBO.0030', fail_reason='Ecs resource not enough'),
            ],
        },
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
    shares = {
        # Never modified (no sub_status), and one whose last expansion left its 221 behind.
        'share-available': {'clock': 'server_start'},
        'share-expanded-earlier': {'sub_status': '221', 'clock': 'server_start'},
        'share-create-3s': {'status': '100', 'operation': {'type': 'create', 'running': 3}},
        'share-create-60s': {'status': '100', 'operation': {'type': 'create', 'running': 60}},
        # A day-long creation: for the purposes of any test it never finishes.
        'share-creating': {'status': '100', 'operation': {'type': 'create', 'running': 86400}},
        'share-create-failed': {'status': '100', 'operation': {'type': 'create', 'running': 1, 'result': 'failed'}},
        'share-create-error': {'status': '100', 'operation': {'type': 'create', 'running': 1, 'result': 'error'}},
        'share-frozen': {'status': '100', 'operation': {'type': 'create', 'running': 1, 'result': 'frozen'}},
        # The race: for a second the earlier expansion's 221 still shows, then 121, then 221 at 1000 GB.
        'share-expand-3s': {'sub_status': '221', 'operation': {'type': 'expand', 'lag': 1, 'running': 2, 'new_size': 1000}},
        'share-expand-failed': {'operation': {'type': 'expand', 'lag': 0, 'running': 1, 'result': 'failed'}},
        'share-sg-3s': {'sub_status': '232', 'operation': {'type': 'change_security_group', 'lag': 1, 'running': 2,
                                                           'security_group_id': 'sg-emulator-new'}},
        'share-sg-failed': {'operation': {'type': 'change_security_group', 'lag': 0, 'running': 1, 'result': 'failed'}},
        'share-delete-3s': {'operation': {'type': 'delete', 'running': 3}},
        'share-delete-status-400': {'operation': {'type': 'delete', 'running': 1, 'result': 'deleted'}},
        'share-flaky-503': {'status': '100', 'operation': {'type': 'create', 'running': 2},
                            'faults': [{'type': 'http_error', 'status': 503, 'times': 1}]},
    }
    return {'jobs': jobs, 'shares': shares, 'operations': copy.deepcopy(DEFAULT_API_OPERATIONS), 'faults': []}


# --------------------------------------------------------------------------- AK/SK signing


def _sdk_quote(text):
    return quote(text, safe='~')


def canonical_uri(path):
    """Canonical URI of SDK-HMAC-SHA256: decode, re-encode each segment (safe ``~``), always end in ``/``.

    Like the Huawei SDK, the whole path is decoded before it is split, so ``%2F`` acts as a separator.
    """
    uri = '/'.join(_sdk_quote(segment) for segment in unquote(path or '/').split('/'))
    return uri if uri.endswith('/') else uri + '/'


def canonical_query(query):
    """Canonical query string: ``key=value`` pairs sorted, both URL-encoded (safe ``~``), joined by ``&``."""
    pairs = sorted(parse_qsl(query or '', keep_blank_values=True))
    return '&'.join(f'{_sdk_quote(key)}={_sdk_quote(value)}' for key, value in pairs)


def _default_host(parts):
    """The Host header an HTTP client sends for a URL: no port when it is the scheme's default."""
    host = parts.netloc.rpartition('@')[2]
    default = {'http': ':80', 'https': ':443'}.get(parts.scheme.lower())
    if default and host.endswith(default):
        host = host[:-len(default)]
    return host


def compute_signature(method, url, headers, body, secret_key, signed_headers=None):
    """Compute an SDK-HMAC-SHA256 signature; returns a dict with every intermediate value.

    ``url`` may be absolute or just ``/path?query``. ``headers`` maps names (any case) to values and
    must contain ``X-Sdk-Date``; ``Host`` defaults to the URL's host. ``signed_headers`` (names in the
    order they are signed) defaults to every header name lower-cased and sorted, skipping names that
    contain ``_`` and ``authorization``. The payload hash is the hex SHA-256 of ``body`` (bytes or str;
    None is empty), or the ``X-Sdk-Content-Sha256`` header's value when there is one.
    Keys of the result: ``canonical_request``, ``string_to_sign``, ``signed_headers`` (the ``a;b;c``
    string) and ``signature`` (lower-case hex).
    """
    parts = urlsplit(url)
    values = {str(name).lower(): str(value) for name, value in headers.items()}
    if 'host' not in values and parts.netloc:
        values['host'] = _default_host(parts)
    sdk_date = values.get('x-sdk-date')
    if not sdk_date:
        raise ValueError('the headers must contain X-Sdk-Date (format %Y%m%dT%H%M%SZ)')
    if signed_headers is None:
        signed_headers = sorted(name for name in values if '_' not in name and name != 'authorization')
    if isinstance(body, str):
        body = body.encode('utf-8')
    payload_hash = values.get('x-sdk-content-sha256')
    if payload_hash is None:
        payload_hash = hashlib.sha256(body or b'').hexdigest()
    signed_line = ';'.join(signed_headers)
    # Each canonical header line ends in a newline, so a blank line follows the block.
    header_block = ''.join(f'{name}:{values.get(name.lower(), "").strip()}\n' for name in signed_headers)
    canonical_request = '\n'.join([method.upper(), canonical_uri(parts.path), canonical_query(parts.query),
                                   header_block, signed_line, payload_hash])
    request_hash = hashlib.sha256(canonical_request.encode('utf-8')).hexdigest()
    string_to_sign = f'{SDK_ALGORITHM}\n{sdk_date}\n{request_hash}'
    signature = hmac.new(secret_key.encode('utf-8'), string_to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    return {'canonical_request': canonical_request, 'string_to_sign': string_to_sign,
            'signed_headers': signed_line, 'signature': signature}


def sign_request(method, url, headers, body, access_key, secret_key):
    """Return the ``Authorization`` header value that signs a request (Huawei SDK ``SDK-HMAC-SHA256``).

    Pure: it reads no clock and changes nothing, so ``headers`` must already hold ``X-Sdk-Date``
    (and, for the emulator's jobs API, ``X-Project-Id``). Every header given is signed (see
    ``compute_signature``); send exactly those headers with the request.

    Algorithm: canonical request = method, canonical URI (segments decoded, re-encoded with
    ``quote(seg, safe='~')``, trailing ``/``), canonical query (sorted), ``name:value`` lines of the
    signed headers (lower-case names, trimmed values, sorted, each ending in a newline), the
    ``;``-joined signed header names, and the hex SHA-256 of the body, joined by newlines.
    String to sign = ``SDK-HMAC-SHA256``, ``X-Sdk-Date`` and the hex SHA-256 of the canonical request,
    joined by newlines. Signature = hex HMAC-SHA256 with the SK as key.

    Worked test vector (computed independently with hashlib/hmac and with sha256sum/openssl)::

        sign_request('GET', 'http://127.0.0.1:8080/v1/0123456789abcdef0123456789abcdef/sfs-turbo/jobs/job-1',
                     {'Host': '127.0.0.1:8080', 'X-Sdk-Date': '20261128T100000Z',
                      'X-Project-Id': '0123456789abcdef0123456789abcdef', 'Content-Type': 'application/json'},
                     b'', 'EMULATORACCESSKEY0001', 'emulator-secret-key-0001')

    Canonical request (six parts joined by newlines; the query line is empty, and the header block's
    final newline makes the blank line before the signed header names; no newline at the end)::

        GET
        /v1/0123456789abcdef0123456789abcdef/sfs-turbo/jobs/job-1/

        content-type:application/json
        host:127.0.0.1:8080
        x-project-id:0123456789abcdef0123456789abcdef
        x-sdk-date:20261128T100000Z

        content-type;host;x-project-id;x-sdk-date
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855

    String to sign (no newline at the end)::

        SDK-HMAC-SHA256
        20261128T100000Z
        9f4f91ab3bd1af4fc70caa1b6efae7b9ca36148f4a2ca83c7b27254420e638d6

    Signature ``a6ee17674c60c81e29661d1ba6a01e40dc8b719564d91b575833d760634600cd``, so the result is
    ``SDK-HMAC-SHA256 Access=EMULATORACCESSKEY0001, SignedHeaders=content-type;host;x-project-id;x-sdk-date,
    Signature=a6ee17674c60c81e29661d1ba6a01e40dc8b719564d91b575833d760634600cd`` (one line).
    """
    result = compute_signature(method, url, headers, body, secret_key)
    return f'{SDK_ALGORITHM} Access={access_key}, SignedHeaders={result["signed_headers"]}, Signature={result["signature"]}'


def format_iam_time(wall):
    """Format a unix time as IAM does: ``2026-11-28T10:00:00.000000Z``."""
    micro = min(int((wall % 1) * 1000000), 999999)
    return f'{time.strftime(IAM_TIME_FORMAT, time.gmtime(wall))}.{micro:06d}Z'


def _stable_id(*parts):
    """A 32-hex id derived from names, so that ids stay the same from one run to the next."""
    return hashlib.sha256(':'.join(parts).encode('utf-8')).hexdigest()[:32]


@dataclasses.dataclass
class AuthConfig:
    """IAM and AK/SK settings of an emulator (the static ``--token`` and project id live on the server)."""

    iam_user: str = DEFAULT_IAM_USER
    iam_password: str = dataclasses.field(default=DEFAULT_IAM_PASSWORD, repr=False)
    iam_domain: str = DEFAULT_IAM_DOMAIN
    project_name: str = DEFAULT_PROJECT_NAME
    catalog_sfsturbo: bool = True
    token_uses: int = 0
    token_lifetime: float = IAM_TOKEN_VALIDITY
    token_revoked_after: float = 0.0
    # More users of the same domain: name -> password.
    extra_users: dict = dataclasses.field(default_factory=dict, repr=False)
    access_key: str = DEFAULT_ACCESS_KEY
    secret_key: str = dataclasses.field(default=DEFAULT_SECRET_KEY, repr=False)
    temp_access_key: str = DEFAULT_TEMP_ACCESS_KEY
    temp_secret_key: str = dataclasses.field(default=DEFAULT_TEMP_SECRET_KEY, repr=False)
    security_token: str = dataclasses.field(default=DEFAULT_SECURITY_TOKEN, repr=False)
    sdk_date_skew: float = SDK_DATE_SKEW
    # A hostile server, for the tests of the client's masks: echo the caller's credential back.
    echo_credentials: bool = False
    # The first this many IAM logins since start or reset answer 429 IAM.0012, as a throttled IAM does.
    iam_throttle: int = 0

    def __post_init__(self):
        for field in ('iam_user', 'iam_password', 'iam_domain', 'project_name', 'access_key', 'secret_key',
                      'temp_access_key', 'temp_secret_key', 'security_token'):
            if not isinstance(getattr(self, field), str) or not getattr(self, field):
                # The value itself is not shown: some of these are secrets.
                raise ValueError(f'{field.replace("_", "-")} must be a non-empty string')
        if self.access_key == self.temp_access_key:
            raise ValueError('access-key and temp-access-key must differ')
        if isinstance(self.token_uses, bool) or not isinstance(self.token_uses, int) or self.token_uses < 0:
            raise ValueError(f'token-uses must be an integer >= 0 (0 = unlimited), got {self.token_uses!r}')
        if isinstance(self.token_lifetime, bool) or not isinstance(self.token_lifetime, (int, float)) or self.token_lifetime <= 0:
            raise ValueError(f'token-lifetime must be a number of seconds > 0, got {self.token_lifetime!r}')
        if isinstance(self.token_revoked_after, bool) or not isinstance(self.token_revoked_after, (int, float)) or self.token_revoked_after < 0:
            raise ValueError(f'token-revoked-after must be a number of seconds >= 0 (0 = never), got {self.token_revoked_after!r}')
        if not isinstance(self.extra_users, dict) or not all(
                isinstance(name, str) and name and isinstance(password, str) and password for name, password in self.extra_users.items()):
            raise ValueError('extra IAM users must be non-empty names with non-empty passwords')
        if self.iam_user in self.extra_users:
            raise ValueError('an extra IAM user must not be named like --iam-user')
        if isinstance(self.sdk_date_skew, bool) or not isinstance(self.sdk_date_skew, (int, float)) or self.sdk_date_skew < 0:
            raise ValueError(f'sdk-date-skew must be a number >= 0, got {self.sdk_date_skew!r}')

    @property
    def region(self):
        """Region of the configured project: its name up to the first ``_`` (``eu-de_sub`` -> ``eu-de``)."""
        return self.project_name.split('_', 1)[0]

    def password_of(self, user):
        """The password of a known IAM user, or None."""
        if user == self.iam_user:
            return self.iam_password
        return self.extra_users.get(user)

    def secret_for(self, access_key):
        """(secret key, is temporary) for a known AK, or None."""
        if access_key == self.access_key:
            return self.secret_key, False
        if access_key == self.temp_access_key:
            return self.temp_secret_key, True
        return None


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


_JOB_KEYS = ('job_type', 'waiting', 'running', 'result', 'error_code', 'fail_reason', 'status_override', 'extra', 'omit')
_TOP_JOB_KEYS = _JOB_KEYS + ('sub_jobs', 'faults', 'clock')
_SUB_JOB_KEYS = _JOB_KEYS + ('job_id',)
_FAULT_KEYS = ('type', 'times', 'after', 'retry_after', 'status', 'seconds', 'location', 'error_code', 'error_msg')


def _normalize_fault(raw, what):
    if not isinstance(raw, dict):
        raise ScenarioError(f'{what} must be a mapping')
    _only_keys(raw, _FAULT_KEYS, what)
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


def _normalize_timeline(raw, job_id, what, default_type, known=_TOP_JOB_KEYS):
    """Validate one job or sub-job definition and fill in defaults."""
    if not isinstance(raw, dict):
        raise ScenarioError(f'{what} must be a mapping')
    _only_keys(raw, known, what)
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
        raise ScenarioError('the scenario must be a mapping with a "jobs" and/or a "shares" key')
    jobs = raw.get('jobs', {})
    if not isinstance(jobs, dict):
        raise ScenarioError('"jobs" must be a mapping of job id to job definition')
    _only_keys(raw, ('jobs', 'shares', 'operations', 'faults'), 'the scenario')
    result = {'jobs': {}, 'shares': {}, 'operations': normalize_api_operations(raw.get('operations', {})), 'faults': []}
    shares = raw.get('shares', {})
    if not isinstance(shares, dict):
        raise ScenarioError('"shares" must be a mapping of file-system id to its definition')
    for share_id, share in shares.items():
        what = f'share {share_id!r}'
        if not isinstance(share_id, str) or not ID_RE.match(share_id):
            raise ScenarioError(f'{what}: ids use letters, digits, "-" and "_" only (1-64 characters)')
        result['shares'][share_id] = normalize_share(share, share_id, what)
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
                                f'{what}: sub_jobs[{index}]', timeline['job_type'], _SUB_JOB_KEYS)
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


# --------------------------------------------------------------------------- file systems (shares)

# What each operation shows while it runs and when it ends, as GET .../shares/{id} reports it.
SHARE_OPERATIONS = ('create', 'expand', 'change_security_group', 'delete')
SHARE_RESULTS = {
    'create': {'success': '200', 'failed': '303', 'error': '300', 'frozen': '800'},  # -> status
    'expand': {'success': '221', 'failed': '321'},  # -> sub_status
    'change_security_group': {'success': '232', 'failed': '332'},  # -> sub_status
    'delete': {'gone': None, 'deleted': '400'},  # gone: 404 from then on; deleted: status 400
}
SHARE_RUNNING_SUB_STATUS = {'expand': '121', 'change_security_group': '132'}
# The actions of POST .../shares/{id}/action this emulator knows, and the operation each starts.
SHARE_ACTIONS = {'extend': 'expand', 'change_security_group': 'change_security_group'}
DEFAULT_SECURITY_GROUP = 'sg-emulator-default'
SHARE_KEYS = ('name', 'size', 'security_group_id', 'status', 'sub_status', 'operation', 'operations', 'extra', 'omit', 'faults',
              'clock')
OPERATION_KEYS = ('type', 'lag', 'running', 'result', 'new_size', 'security_group_id')
API_OPERATION_KEYS = ('lag', 'running', 'result')
# How operations started through the API run, unless the scenario's "operations" says otherwise.
DEFAULT_API_OPERATIONS = {
    'create': {'lag': 0, 'running': 5, 'result': 'success'},
    'expand': {'lag': 1, 'running': 5, 'result': 'success'},
    'change_security_group': {'lag': 1, 'running': 3, 'result': 'success'},
    'delete': {'lag': 0, 'running': 2, 'result': 'gone'},
}


def _code(value, what, default):
    """A status or sub_status code: a string of digits (``None`` allowed for sub_status: absent)."""
    if value is None:
        return default
    if not isinstance(value, str) or not (value == '' or value.isdigit()):
        raise ScenarioError(f'{what} must be a string of digits such as "200" (or "" for sub_status), got {value!r}')
    return value


def _only_keys(raw, allowed, what):
    unknown = sorted(str(key) for key in set(raw) - set(allowed))
    if unknown:
        raise ScenarioError(f'{what}: unknown keys {", ".join(unknown)} (allowed: {", ".join(allowed)})')


def _normalize_operation_run(raw, kind, what, allowed=API_OPERATION_KEYS):
    """lag, running and result of one operation (a share's scripted one, or the API's)."""
    if not isinstance(raw, dict):
        raise ScenarioError(f'{what} must be a mapping')
    _only_keys(raw, allowed, what)
    results = SHARE_RESULTS[kind]
    result = raw.get('result', next(iter(results)))
    if result not in results:
        raise ScenarioError(f'{what}: result must be one of {", ".join(results)}, got {result!r}')
    defaults = DEFAULT_API_OPERATIONS[kind]
    return {'type': kind, 'lag': _number(raw.get('lag'), f'{what}: lag', defaults['lag']),
            'running': _number(raw.get('running'), f'{what}: running', defaults['running']), 'result': result}


def _size(value, what, default):
    if value is None:
        return float(default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ScenarioError(f'{what} must be a number of GB > 0, got {value!r}')
    return float(value)


def normalize_share(raw, share_id, what):
    """Validate one file-system definition of a scenario and fill in defaults."""
    if not isinstance(raw, dict):
        raise ScenarioError(f'{what} must be a mapping')
    _only_keys(raw, SHARE_KEYS, what)
    extra = raw.get('extra', {})
    if not isinstance(extra, dict):
        raise ScenarioError(f'{what}: extra must be a mapping')
    omit = raw.get('omit', [])
    if not isinstance(omit, list) or not all(isinstance(key, str) for key in omit):
        raise ScenarioError(f'{what}: omit must be a list of field names')
    faults = raw.get('faults', [])
    if not isinstance(faults, list):
        raise ScenarioError(f'{what}: faults must be a list')
    clock = raw.get('clock', 'first_request')
    if clock not in CLOCKS:
        raise ScenarioError(f'{what}: clock must be one of {", ".join(CLOCKS)}, got {clock!r}')
    share = {
        'share_id': share_id,
        'name': _string(raw.get('name', f'sfs-turbo-{share_id}'), f'{what}: name', required=True),
        'size': _size(raw.get('size'), f'{what}: size', 500),
        'security_group_id': _string(raw.get('security_group_id', DEFAULT_SECURITY_GROUP), f'{what}: security_group_id', required=True),
        'status': _code(raw.get('status'), f'{what}: status', '200'),
        'sub_status': _code(raw.get('sub_status'), f'{what}: sub_status', None),
        'operation': None,
        # How operations started through the API run on this file system (the scenario's "operations" otherwise).
        'operations': normalize_api_operations(raw.get('operations', {}), f'{what}: operations', complete=False),
        'extra': copy.deepcopy(extra),
        'omit': list(omit),
        'faults': [_normalize_fault(fault, f'{what}: faults[{index}]') for index, fault in enumerate(faults)],
        'clock': clock,
    }
    if share['status'] == '':
        raise ScenarioError(f'{what}: status must not be empty')
    operation = raw.get('operation')
    if operation is not None:
        kind = operation.get('type') if isinstance(operation, dict) else None
        if kind not in SHARE_OPERATIONS:
            raise ScenarioError(f'{what}: operation.type must be one of {", ".join(SHARE_OPERATIONS)}, got {kind!r}')
        run = _normalize_operation_run(operation, kind, f'{what}: operation', allowed=OPERATION_KEYS)
        if kind == 'expand':
            run['new_size'] = _size(operation.get('new_size'), f'{what}: operation.new_size', share['size'] * 2)
            if run['new_size'] <= share['size']:
                raise ScenarioError(f'{what}: operation.new_size must be larger than size')
        elif 'new_size' in operation:
            raise ScenarioError(f'{what}: operation.new_size applies to type expand only')
        if kind == 'change_security_group':
            run['security_group_id'] = _string(operation.get('security_group_id', 'sg-emulator-new'),
                                               f'{what}: operation.security_group_id', required=True)
        elif 'security_group_id' in operation:
            raise ScenarioError(f'{what}: operation.security_group_id applies to type change_security_group only')
        share['operation'] = run
    return share


def normalize_api_operations(raw, what='operations', complete=True):
    """The scenario's "operations": how create, expand, change_security_group and delete started through the API run.

    ``complete``: fill in the defaults of those not given. A file system's own "operations" are not
    completed: those it leaves out run as the scenario's.
    """
    if not isinstance(raw, dict):
        raise ScenarioError(f'"{what}" must be a mapping of operation to {{lag, running, result}}')
    _only_keys(raw, SHARE_OPERATIONS, f'"{what}"')
    result = {}
    for kind in SHARE_OPERATIONS:
        if kind in raw:
            result[kind] = _normalize_operation_run(raw[kind], kind, f'{what}.{kind}')
        elif complete:
            result[kind] = _normalize_operation_run(DEFAULT_API_OPERATIONS[kind], kind, f'{what}.{kind}')
    return result


def _share_phase(operation, elapsed):
    """Where an operation is ``elapsed`` seconds after it started: before, running or done."""
    if elapsed < operation['lag']:
        return 'before'
    if elapsed < operation['lag'] + operation['running']:
        return 'running'
    return 'done'


class _Share:
    """Mutable state of one file system: what it shows, and the operation that changes it over time.

    ``base``: the fields before the current operation (status, sub_status, size, security_group_id,
    gone). The operation's clock starts at the API call that started it, or, for a scripted one, at
    the first request for the file system (``first_request``) or when the server starts.
    """

    def __init__(self, definition, created_wall):
        self.definition = definition
        self.base = {key: definition[key] for key in ('status', 'sub_status', 'size', 'security_group_id')}
        self.base['gone'] = False
        self.operation = definition['operation']
        self.op_start_mono = None
        self.created_wall = created_wall
        self.requests = 0
        self.fault_hits = [0] * len(definition['faults'])

    def start_clock(self, now_mono):
        if self.operation is not None and self.op_start_mono is None:
            self.op_start_mono = now_mono

    def busy(self, now_mono):
        """Whether an operation is still running (a new one would be refused)."""
        if self.operation is None:
            return False
        self.start_clock(now_mono)
        return _share_phase(self.operation, now_mono - self.op_start_mono) != 'done'

    def current(self, now_mono):
        """The fields the file system shows now (``gone`` True: it answers 404), plus ``percent`` while created."""
        fields = dict(self.base, percent=None)
        operation = self.operation
        if operation is None:
            return fields
        self.start_clock(now_mono)
        elapsed = now_mono - self.op_start_mono
        phase = _share_phase(operation, elapsed)
        kind = operation['type']
        if kind == 'create':
            if phase == 'done':
                fields['status'] = SHARE_RESULTS['create'][operation['result']]
            else:
                fields['status'] = '100'
                share = 0 if operation['running'] <= 0 else max(0.0, elapsed - operation['lag']) / operation['running']
                fields['percent'] = min(99, int(share * 100))
            return fields
        if phase == 'before':
            return fields  # the previous operation's codes, or none: the race clients must survive
        if kind == 'delete':
            if phase == 'done':
                code = SHARE_RESULTS['delete'][operation['result']]
                fields['gone'] = code is None
                fields['status'] = code or fields['status']
            return fields
        if phase == 'running':
            fields['sub_status'] = SHARE_RUNNING_SUB_STATUS[kind]
            return fields
        fields['sub_status'] = SHARE_RESULTS[kind][operation['result']]
        if operation['result'] == 'success':
            if kind == 'expand':
                fields['size'] = operation['new_size']
            else:
                fields['security_group_id'] = operation['security_group_id']
        return fields

    def start(self, operation, now_mono):
        """Start ``operation`` now: the current state becomes the base it changes."""
        self.base = {key: value for key, value in self.current(now_mono).items() if key != 'percent'}
        self.operation = operation
        self.op_start_mono = now_mono


def render_share(share, fields):
    """The body of ``GET .../shares/{id}`` for a file system showing ``fields`` (as OTC documents it)."""
    definition = share.definition
    share_id = definition['share_id']
    body = {
        'id': share_id,
        'name': definition['name'],
        'status': fields['status'],
    }
    # Absent when never modified, as the API omits it.
    if fields['sub_status'] is not None:
        body['sub_status'] = fields['sub_status']
    body.update({
        'size': '%.2f' % fields['size'],
        'avail_capacity': '%.2f' % fields['size'],
        'security_group_id': fields['security_group_id'],
        'share_proto': 'NFS',
        'share_type': 'STANDARD',
        'availability_zone': 'eu-de-01',
        'az_name': 'eu-de-01',
        'vpc_id': _stable_id('vpc', share_id),
        'subnet_id': _stable_id('subnet', share_id),
        'export_location': '192.168.0.%d:/' % (10 + int(hashlib.sha256(share_id.encode('utf-8')).hexdigest(), 16) % 200),
        'created_at': time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(share.created_wall)),
        'pay_model': '0',
        'version': '1.0.0',
        'region': DEFAULT_PROJECT_NAME,
    })
    if fields['percent'] is not None:
        body['action_progress'] = {'CREATING': '%d%%' % fields['percent']}
    body.update(copy.deepcopy(definition['extra']))
    for key in definition['omit']:
        body.pop(key, None)
    return body


class EmulatorState:
    """All mutable emulator state, guarded by one lock because the server is threaded."""

    def __init__(self, scenario):
        self.lock = threading.Lock()
        self.scenario = scenario
        self.server_start_mono = time.monotonic()
        self.server_start_wall = time.time()
        self.jobs = {}
        self.shares = {}
        self.global_requests = 0
        self.global_fault_hits = []
        self.log = []
        # Issued IAM token -> {"uses": jobs-API requests made with it, "user", "serial", "expires_mono"}.
        self.iam_tokens = {}
        self.tokens_issued = 0
        self.reset()

    def reset(self):
        with self.lock:
            now_mono, now_wall = time.monotonic(), time.time()
            self.jobs = {job_id: _Job(timeline) for job_id, timeline in self.scenario['jobs'].items()}
            for job in self.jobs.values():
                # server_start jobs begin now: at server start, or at the latest reset.
                if job.timeline['clock'] == 'server_start':
                    job.start_mono, job.start_wall = now_mono, now_wall
            # File systems created through the API are forgotten; scripted ones start over.
            self.shares = {share_id: _Share(definition, now_wall) for share_id, definition in self.scenario['shares'].items()}
            for share in self.shares.values():
                if share.definition['clock'] == 'server_start':
                    share.start_clock(now_mono)
            self.global_requests = 0
            self.global_fault_hits = [0] * len(self.scenario['faults'])
            self.log = []
            self.iam_tokens = {}
            self.tokens_issued = 0
            self.logins_seen = 0

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

    def take_faults(self, kind, resource_id):
        """Register one request on a job or file-system path and return the faults that apply to it.

        ``kind`` is ``'job'`` or ``'share'``. The resource's clock starts here (first request), so a
        faulted first request still starts it. Only faults that actually act are counted: everything
        up to and including the first fault that answers the request (``slow`` does not answer, it
        only delays).
        """
        with self.lock:
            candidates = [(self.global_fault_hits, position, fault) for position, fault in
                          self._pick_faults(self.scenario['faults'], self.global_fault_hits, self.global_requests)]
            self.global_requests += 1
            if kind == 'job':
                job = self.jobs.get(resource_id)
                if job is not None:
                    if job.start_mono is None:
                        job.start_mono, job.start_wall = time.monotonic(), time.time()
                    candidates += [(job.fault_hits, position, fault) for position, fault in
                                   self._pick_faults(job.timeline['faults'], job.fault_hits, job.requests)]
                    job.requests += 1
            else:
                share = self.shares.get(resource_id)
                if share is not None:
                    share.start_clock(time.monotonic())
                    candidates += [(share.fault_hits, position, fault) for position, fault in
                                   self._pick_faults(share.definition['faults'], share.fault_hits, share.requests)]
                    share.requests += 1
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

    def throttle_login(self, limit):
        """Whether this IAM login is one of the first ``limit`` since start or reset (answered 429)."""
        with self.lock:
            self.logins_seen += 1
            return self.logins_seen <= limit

    def share_body(self, share_id):
        """Current body of a file system, or None when it is unknown or gone."""
        with self.lock:
            share = self.shares.get(share_id)
            if share is None:
                return None
            fields = share.current(time.monotonic())
            return None if fields['gone'] else render_share(share, fields)

    def create_share(self, name, size, security_group_id):
        """A new file system, being created as the scenario's ``operations.create`` says; returns its id."""
        share_id = str(uuid.uuid4())
        definition = normalize_share({'name': name, 'size': size, 'security_group_id': security_group_id, 'status': '100'},
                                     share_id, 'created share')
        with self.lock:
            share = _Share(definition, time.time())
            share.start(dict(self.scenario['operations']['create']), time.monotonic())
            self.shares[share_id] = share
        return share_id

    def start_share_operation(self, share_id, kind, value=None):
        """Start ``kind`` (expand, change_security_group, delete) on a file system.

        Returns ``None`` on success, else ``(http status, errCode, errMsg)`` as the service refuses it.
        """
        with self.lock:
            share = self.shares.get(share_id)
            now = time.monotonic()
            if share is None or share.current(now)['gone']:
                return 404, 'SFS.TURBO.0002', 'Cluster not found'
            if share.busy(now):
                return 400, 'SFS.TURBO.0011', 'Cluster is doing something'
            fields = share.current(now)
            if kind != 'delete' and fields['status'] != '200':
                return 400, 'SFS.TURBO.0024', 'Operation is not allowed'
            operation = dict(share.definition['operations'].get(kind) or self.scenario['operations'][kind])
            if kind == 'expand':
                if value <= fields['size']:
                    return 400, 'SFS.TURBO.0008', 'Invalid size'
                operation['new_size'] = float(value)
            elif kind == 'change_security_group':
                operation['security_group_id'] = value
            share.start(operation, now)
            return None

    def share_ids(self):
        with self.lock:
            return sorted(self.shares)

    def share_name(self, share_id):
        with self.lock:
            share = self.shares.get(share_id)
            return None if share is None else share.definition['name']

    def issue_token(self, user, lifetime, revoked_after=0.0):
        """Create, remember and return a fresh IAM token for ``user``, and its serial number.

        It stops working after ``lifetime`` seconds, or after ``revoked_after`` seconds when that is set.
        """
        token = 'MII' + secrets.token_urlsafe(30)
        works_for = min(lifetime, revoked_after) if revoked_after else lifetime
        with self.lock:
            self.tokens_issued += 1
            self.iam_tokens[token] = {'uses': 0, 'user': user, 'serial': self.tokens_issued,
                                      'expires_mono': time.monotonic() + works_for}
            return token, self.tokens_issued

    def use_token(self, token, limit):
        """Count one jobs-API request with an issued token.

        Returns None for a token never issued (or forgotten by a reset), else ``(accepted, user, serial)``:
        not accepted when the token expired or has already been used ``limit`` times (0 = no limit).
        """
        with self.lock:
            info = self.iam_tokens.get(token)
            if info is None:
                return None
            if (limit and info['uses'] >= limit) or time.monotonic() >= info['expires_mono']:
                return False, info['user'], info['serial']
            info['uses'] += 1
            return True, info['user'], info['serial']

    def iam_info(self):
        with self.lock:
            tokens = sorted(({'serial': info['serial'], 'user': info['user'], 'token': token}
                             for token, info in self.iam_tokens.items()), key=lambda item: item['serial'])
            return {'tokens_issued': self.tokens_issued, 'tokens': tokens}

    def record(self, entry):
        with self.lock:
            self.log.append(entry)

    def log_copy(self):
        with self.lock:
            return list(self.log)


def _member(data, key, kind, what):
    """``data[key]`` checked to be of ``kind``; ValueError naming the field (never its value) otherwise."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, kind) or (kind is str and not value):
        expected = 'a non-empty string' if kind is str else ('an object' if kind is dict else 'a list')
        raise ValueError(f'{what}.{key} must be {expected}')
    return value


def _parse_password_auth(data):
    """Pick (user name, password, domain dict, project scope dict) out of an IAM password request.

    Raises ValueError with a message that names the offending field but never quotes a value.
    """
    auth = _member(data, 'auth', dict, 'body')
    identity = _member(auth, 'identity', dict, 'auth')
    methods = _member(identity, 'methods', list, 'auth.identity')
    if 'password' not in methods:
        raise ValueError('auth.identity.methods must contain "password" (the only method the emulator supports)')
    user = _member(_member(identity, 'password', dict, 'auth.identity'), 'user', dict, 'auth.identity.password')
    name = _member(user, 'name', str, 'auth.identity.password.user')
    password = _member(user, 'password', str, 'auth.identity.password.user')
    domain = _member(user, 'domain', dict, 'auth.identity.password.user')
    if not isinstance(domain.get('name'), str) and not isinstance(domain.get('id'), str):
        raise ValueError('auth.identity.password.user.domain must have a "name" or an "id"')
    scope = auth.get('scope')
    project = scope.get('project') if isinstance(scope, dict) else None
    if not isinstance(project, dict) or not (isinstance(project.get('id'), str) or isinstance(project.get('name'), str)):
        raise ValueError('auth.scope.project with an "id" or a "name" is required (the emulator issues project-scoped tokens only)')
    return name, password, domain, project


def _iam_reason(exc):
    """Short reason for a 400, without any part of the request body."""
    if isinstance(exc, UnicodeDecodeError):
        return 'not UTF-8'
    if isinstance(exc, json.JSONDecodeError):
        return f'not JSON ({exc.msg} at position {exc.pos})'
    return str(exc)


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
    body = b''
    # The request log entry of the request being handled, until it is recorded.
    entry = None

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

    def _echo(self):
        """The caller's credential when the emulator echoes it (``--echo-credentials``), else ``None``."""
        secret = getattr(self, 'caller_secret', None)
        if not self.server.auth.echo_credentials or not secret or not (secret.isascii() and secret.isprintable()):
            return None
        return secret

    def _echoed(self, msg):
        echo = self._echo()
        # Letter case swapped: a mask must find a secret in any letter case.
        return f'{msg} (credential sent: {echo.swapcase()})' if echo else msg

    def _send(self, status, body=b'', content_type=JSON_TYPE, headers=None):
        """Send a complete response; every response carries X-request-id (the credential, when echoing)."""
        self._record(status)
        self.send_response(status)
        self.send_header('X-request-id', self._echo() or self.request_id)
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
        return self._send_json(status, {'errCode': code, 'errMsg': self._echoed(msg)}, headers=headers)

    def _gateway_error(self, status, code, msg, headers=None):
        return self._send_json(status, {'error_code': code, 'error_msg': self._echoed(msg),
                                        'request_id': self._echo() or self.request_id}, headers=headers)

    def _iam_error(self, status, title, msg, headers=None, code=None):
        return self._send_json(status, {'error': {'code': code or status, 'message': self._echoed(msg), 'title': title}},
                               headers=headers)

    def _record(self, status):
        """Put the request into the log before the client can see the answer (so a client never
        reads a log that misses its own last request)."""
        entry, self.entry = self.entry, None
        if entry is not None:
            entry['status'] = status
            self.server.state.record(entry)

    # ----------------------------------------------------------------- routing

    def _read_body(self):
        # Read any request body (IAM requests and AK/SK signatures need it), which also keeps a
        # kept-alive connection in sync. Bodies above 1 MiB are cut short and end the connection.
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            length = 0
        self.body = self.rfile.read(min(length, 1 << 20)) if length > 0 else b''
        if length > 1 << 20:
            self.close_connection = True

    def _dispatch(self):
        self.caller_secret = None
        self._read_body()
        parts = urlsplit(self.path)
        path = parts.path
        if path == '/_emulator' or path.startswith('/_emulator/'):
            self._admin(path)
            return
        entry = {'t': round(time.monotonic() - self.server.state.server_start_mono, 6), 'wall': time.time(),
                 'method': self.command, 'path': path, 'job_id': None, 'status': None, 'job_status': None,
                 'share_id': None, 'share_status': None, 'fault': None, 'auth': None, 'user': None, 'token_serial': None}
        self.entry = entry
        try:
            if path == IAM_TOKENS_PATH:
                self._iam(parts.query, entry)
            else:
                self._api(path, entry)
        finally:
            # Not recorded yet only when no answer was sent (a dropped connection, an error).
            self._record(entry['status'])

    # ----------------------------------------------------------------- authentication

    def _authenticate(self, path, entry):
        """Check the credentials of a jobs-API request; on failure answer it and return False."""
        token = self.headers.get('X-Auth-Token')
        issued = None
        self.caller_secret = token or self.headers.get('X-Security-Token')
        if token:
            if token == self.server.token:
                entry['auth'] = 'token'
                return True
            issued = self.server.state.use_token(token, self.server.auth.token_uses)
            if issued is not None:
                accepted, entry['user'], entry['token_serial'] = issued
                issued = accepted
            if issued:
                entry['auth'] = 'iam-token'
                return True
        if self.headers.get('Authorization', '').strip().upper().startswith(SDK_ALGORITHM):
            return self._authenticate_aksk(path, entry)
        if issued is False:
            entry['status'] = self._gateway_error(401, 'APIG.0307', TOKEN_EXPIRED_MSG)
            return False
        detail = 'x-auth-token not found' if not token else 'decrypt token fail'
        entry['status'] = self._gateway_error(401, 'APIG.0301', f'Incorrect IAM authentication information: {detail}')
        return False

    def _app_auth_failed(self, entry, detail):
        # Never put a secret (SK, security token) into ``detail``.
        entry['status'] = self._gateway_error(401, 'APIG.0303', APP_AUTH_MSG + detail)
        return False

    def _authenticate_aksk(self, path, entry):
        """Verify an SDK-HMAC-SHA256 signature as the API gateway does."""
        auth = self.server.auth
        match = AUTHORIZATION_RE.match(self.headers.get('Authorization', '').strip())
        if not match:
            return self._app_auth_failed(entry, 'authorization header format error')
        access_key, signed_line, signature = match.groups()
        signed_headers = signed_line.split(';')
        names = {name.lower() for name in signed_headers}
        if 'host' not in names or 'x-sdk-date' not in names:
            return self._app_auth_failed(entry, 'signed headers must include host and x-sdk-date')
        sdk_date = (self.headers.get('X-Sdk-Date') or '').strip()
        if not sdk_date:
            return self._app_auth_failed(entry, 'x-sdk-date not found')
        try:
            signed_at = calendar.timegm(time.strptime(sdk_date, SDK_DATE_FORMAT))
        except ValueError:
            return self._app_auth_failed(entry, 'x-sdk-date format error, expected YYYYMMDDTHHMMSSZ')
        now = time.time()
        if abs(now - signed_at) > auth.sdk_date_skew:
            server_time = time.strftime(SDK_DATE_FORMAT, time.gmtime(now))
            return self._app_auth_failed(entry, f'signature expired, signature time:{sdk_date},server time:{server_time}')
        project_header = self.headers.get('X-Project-Id')
        if 'x-project-id' not in names or not project_header:
            return self._app_auth_failed(entry, 'signed headers must include x-project-id')
        secret = auth.secret_for(access_key)
        if secret is None:
            return self._app_auth_failed(entry, 'verify aksk signature fail')
        secret_key, temporary = secret
        self.caller_secret = self.headers.get('X-Security-Token') or secret_key
        headers = {name: self.headers.get(name, '') for name in signed_headers}
        if self.headers.get('X-Sdk-Content-Sha256') is not None:
            headers['X-Sdk-Content-Sha256'] = self.headers.get('X-Sdk-Content-Sha256')
        expected = compute_signature(self.command, self.path, headers, self.body, secret_key, signed_headers)['signature']
        if not hmac.compare_digest(expected, signature.lower()):
            return self._app_auth_failed(entry, 'verify aksk signature fail')
        if temporary:
            # Header values are latin-1 decoded by http.server; compare bytes (compare_digest refuses non-ASCII str).
            given = (self.headers.get('X-Security-Token') or '').encode('latin-1', 'replace')
            if not hmac.compare_digest(given, auth.security_token.encode('utf-8')):
                return self._app_auth_failed(entry, 'invalid security token')
        entry['auth'] = 'aksk'
        segments = path.split('/')
        if len(segments) > 2 and segments[2] and project_header != segments[2]:
            entry['status'] = self._service_error(403, 'SFS.TURBO.0015', 'do not have the operation permission')
            return False
        return True

    # ----------------------------------------------------------------- IAM

    def _iam(self, query, entry):
        """``POST /v3/auth/tokens``: password authentication with a project scope."""
        if self.command != 'POST':
            entry['status'] = self._iam_error(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.',
                                              headers={'Allow': 'POST'})
            return
        try:
            data = json.loads(self.body.decode('utf-8'))
            user, password, domain, project = _parse_password_auth(data)
            self.caller_secret = password
        except ValueError as exc:
            # json and UnicodeDecodeError messages quote at most a position, never the password.
            entry['status'] = self._iam_error(400, 'Bad Request', f'The request body is invalid: {_iam_reason(exc)}')
            return
        auth = self.server.auth
        entry['user'] = user
        domain_ok = (domain.get('name') == auth.iam_domain if 'name' in domain
                     else domain.get('id') == _stable_id('domain', auth.iam_domain))
        expected = auth.password_of(user)
        # Evaluate every comparison, so that timing tells nothing about which one failed.
        checks = [expected is not None,
                  hmac.compare_digest(password.encode('utf-8'), (expected or '\0').encode('utf-8')), domain_ok]
        if not all(checks):
            entry['status'] = self._iam_error(401, 'Unauthorized', IAM_WRONG_CREDENTIALS)
            return
        if not (project.get('id') == self.server.project_id if 'id' in project else project.get('name') == auth.project_name):
            entry['status'] = self._iam_error(401, 'Unauthorized', IAM_WRONG_SCOPE)
            return
        if self.server.state.throttle_login(auth.iam_throttle):
            entry['status'] = self._iam_error(429, 'Too Many Requests', 'The throttling threshold has been reached.',
                                              headers={'Retry-After': '1'}, code='IAM.0012')
            return
        with_catalog = 'nocatalog' not in dict(parse_qsl(query or '', keep_blank_values=True))
        token, entry['token_serial'] = self.server.state.issue_token(user, auth.token_lifetime, auth.token_revoked_after)
        entry['status'] = self._send_json(201, {'token': self._token_body(time.time(), with_catalog, user)},
                                          headers={'X-Subject-Token': token})

    def _token_body(self, now, with_catalog, user):
        auth = self.server.auth
        project_id = self.server.project_id
        domain = {'name': auth.iam_domain, 'id': _stable_id('domain', auth.iam_domain)}
        body = {
            'methods': ['password'],
            'expires_at': format_iam_time(now + auth.token_lifetime),
            'issued_at': format_iam_time(now),
            'user': {'name': user, 'id': _stable_id('user', auth.iam_domain, user),
                     'domain': dict(domain), 'password_expires_at': ''},
            'project': {'id': project_id, 'name': auth.project_name, 'domain': dict(domain)},
            'roles': [{'name': 'te_admin', 'id': _stable_id('role', 'te_admin')}],
        }
        if with_catalog:
            base = self.server.url
            catalog = [{'type': 'identity', 'name': 'iam', 'id': _stable_id('service', 'identity'),
                        'endpoints': [{'url': f'{base}/v3', 'region': '*', 'region_id': '*', 'interface': 'public',
                                       'id': _stable_id('endpoint', 'identity')}]}]
            if auth.catalog_sfsturbo:
                catalog.append({'type': 'sfsturbo', 'name': 'sfsturbo', 'id': _stable_id('service', 'sfsturbo'),
                                'endpoints': [{'url': f'{base}/v1/{project_id}', 'region': auth.region,
                                               'region_id': auth.region, 'interface': 'public',
                                               'id': _stable_id('endpoint', 'sfsturbo', auth.region)}]})
            body['catalog'] = catalog
        return body

    # ----------------------------------------------------------------- jobs API

    def _api(self, path, entry):
        if path != '/v1' and not path.startswith('/v1/'):
            entry['status'] = self._service_error(404, 'SFS.TURBO.0001', 'parameter error')
            return
        # The gateway authenticates before the service sees the request.
        if not self._authenticate(path, entry):
            return
        route = self._route(path)
        if route is None:
            entry['status'] = self._service_error(400, 'SFS.TURBO.0001', 'parameter error')
            return
        kind, project_id, resource_id, allowed = route
        entry['job_id' if kind == 'job' else 'share_id'] = resource_id
        if self.command not in allowed:
            entry['status'] = self._service_error(405, 'SFS.TURBO.0001', 'parameter error', headers={'Allow': ', '.join(allowed)})
            return
        if project_id != self.server.project_id:
            entry['status'] = self._service_error(403, 'SFS.TURBO.0015', 'do not have the operation permission')
            return
        for fault in self.server.state.take_faults(kind, resource_id):
            if fault['type'] == 'slow':
                entry['fault'] = 'slow'
                time.sleep(fault['seconds'])
                continue
            entry['fault'] = fault['type']
            entry['status'] = self._fault(fault)
            return
        if kind == 'job':
            self._job(resource_id, entry)
        elif kind == 'shares':
            self._create_share(entry)
        elif path.endswith('/action'):
            self._share_action(resource_id, entry)
        elif self.command == 'DELETE':
            self._start_share_operation(resource_id, 'delete', None, None, entry)
        else:
            self._share(resource_id, entry)

    @staticmethod
    def _route(path):
        """``(kind, project, resource id, methods)`` of an API path, or None when it is no path of this API."""
        match = JOB_PATH_RE.match(path)
        if match and ID_RE.match(match.group(1)) and ID_RE.match(match.group(2)):
            return 'job', match.group(1), match.group(2), ('GET',)
        match = SHARES_PATH_RE.match(path)
        if match and ID_RE.match(match.group(1)):
            return 'shares', match.group(1), None, ('POST',)
        match = SHARE_PATH_RE.match(path)
        if match and ID_RE.match(match.group(1)) and ID_RE.match(match.group(2)):
            return 'share', match.group(1), match.group(2), ('POST',) if match.group(3) else ('GET', 'DELETE')
        return None

    def _job(self, job_id, entry):
        body = self.server.state.job_body(job_id)
        if body is None:
            entry['status'] = self._service_error(404, 'SFS.TURBO.0019', 'Invalid Job Id')
            return
        entry['job_status'] = body.get('status')
        echo = self._echo()
        if echo and body.get('status') not in ('success', 'failed'):
            body['status'] = echo  # as a status, which a wait shows in warnings, progress lines and timeouts
        elif echo and body.get('status') == 'failed':
            body['fail_reason'] = self._echoed(body.get('fail_reason') or 'failed')
        entry['status'] = self._send_json(200, body)

    def _share(self, share_id, entry):
        body = self.server.state.share_body(share_id)
        if body is None:
            entry['status'] = self._service_error(404, 'SFS.TURBO.0002', 'Cluster not found')
            return
        entry['share_status'] = '/'.join(str(body.get(key, '')) for key in ('status', 'sub_status'))
        entry['status'] = self._send_json(200, body)

    def _json_body(self):
        """The request body as a JSON object, or None."""
        try:
            data = json.loads(self.body.decode('utf-8'))
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _create_share(self, entry):
        """``POST .../shares`` ``{"share": {"name", "size", "security_group_id", ...}}`` -> 202 ``{id, name, status}``."""
        data = self._json_body()
        share = data.get('share') if data else None
        name = share.get('name') if isinstance(share, dict) else None
        size = share.get('size') if isinstance(share, dict) else None
        group = share.get('security_group_id', DEFAULT_SECURITY_GROUP) if isinstance(share, dict) else None
        if not isinstance(name, str) or not name or len(name) > 64:
            entry['status'] = self._service_error(400, 'SFS.TURBO.0003', 'Invalid name')
            return
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            entry['status'] = self._service_error(400, 'SFS.TURBO.0008', 'Invalid size')
            return
        if not isinstance(group, str) or not group:
            entry['status'] = self._service_error(400, 'SFS.TURBO.0027', 'Invalid security group')
            return
        share_id = self.server.state.create_share(name, size, group)
        entry['share_id'] = share_id
        entry['status'] = self._send_json(202, {'id': share_id, 'name': name, 'status': '100'})

    def _share_action(self, share_id, entry):
        """``POST .../shares/{id}/action`` with ``extend`` or ``change_security_group`` -> 202."""
        data = self._json_body()
        action = next(iter(data)) if data and len(data) == 1 else None
        kind = SHARE_ACTIONS.get(action)
        argument = data.get(action) if kind else None
        if kind == 'expand':
            value = argument.get('new_size') if isinstance(argument, dict) else None
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                entry['status'] = self._service_error(400, 'SFS.TURBO.0008', 'Invalid size')
                return
        elif kind == 'change_security_group':
            value = argument.get('security_group_id') if isinstance(argument, dict) else None
            if not isinstance(value, str) or not value:
                entry['status'] = self._service_error(400, 'SFS.TURBO.0027', 'Invalid security group')
                return
        else:
            entry['status'] = self._service_error(400, 'SFS.TURBO.0001', 'parameter error')
            return
        answer = {'id': share_id, 'name': None} if kind == 'expand' else {'id': share_id}
        self._start_share_operation(share_id, kind, value, answer, entry)

    def _start_share_operation(self, share_id, kind, value, answer, entry):
        refused = self.server.state.start_share_operation(share_id, kind, value)
        if refused is not None:
            entry['status'] = self._service_error(*refused)
            return
        if answer is None:
            entry['status'] = self._send(202)  # delete: no body
            return
        if 'name' in answer:
            answer['name'] = self.server.state.share_name(share_id)
        entry['status'] = self._send_json(202, answer)

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
        elif path == '/_emulator/iam' and self.command == 'GET':
            self._send_json(200, state.iam_info())
        elif path == '/_emulator/health' and self.command == 'GET':
            self._send_json(200, {'ok': True})
        elif path == '/_emulator/shares' and self.command == 'GET':
            self._send_json(200, state.share_ids())
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

    def __init__(self, address, state, token, project_id, quiet, auth=None):
        # IPv6 loopback needs an AF_INET6 socket; set before the socket is created.
        if ':' in address[0]:
            self.address_family = socket.AF_INET6
        self.state = state
        self.token = token
        self.project_id = project_id
        self.quiet = quiet
        self.auth = auth if auth is not None else AuthConfig()
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


def _auth_config(auth):
    """An AuthConfig from None (defaults), a mapping of AuthConfig fields, or an AuthConfig."""
    if auth is None:
        return AuthConfig()
    if isinstance(auth, AuthConfig):
        return auth
    if not isinstance(auth, dict):
        raise ValueError('auth must be an AuthConfig or a mapping of its fields')
    unknown = sorted(set(auth) - {field.name for field in dataclasses.fields(AuthConfig)})
    if unknown:
        raise ValueError(f'unknown auth settings: {", ".join(map(str, unknown))}')
    return AuthConfig(**auth)


def make_server(host='127.0.0.1', port=0, scenario=None, token=DEFAULT_TOKEN, project_id=DEFAULT_PROJECT_ID, quiet=True, auth=None):
    """Create (but do not start) an emulator server.

    ``scenario`` is None (built-in default), a scenario mapping, or a path to a scenario file.
    ``auth`` is None (defaults), an AuthConfig, or a mapping of AuthConfig fields (IAM and AK/SK settings).
    Raises ValueError for a non-loopback host or bad auth settings and ScenarioError for an invalid scenario.
    """
    host = check_loopback(host)
    auth = _auth_config(auth)
    if scenario is None:
        scenario = default_scenario()
    if isinstance(scenario, (str, os.PathLike)):
        normalized = load_scenario(scenario)
    else:
        normalized = normalize_scenario(scenario)
    return EmulatorServer((host, port), EmulatorState(normalized), token, project_id, quiet, auth)


def serve_in_thread(host='127.0.0.1', port=0, scenario=None, token=DEFAULT_TOKEN, project_id=DEFAULT_PROJECT_ID, quiet=True,
                    auth=None):
    """Start an emulator in a daemon thread; returns (server, thread). Stop with server.shutdown()."""
    server = make_server(host, port, scenario, token, project_id, quiet, auth)
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
    parser = argparse.ArgumentParser(description='Local emulator of the SFS Turbo jobs API (loopback only), '
                                                 'for rehearsing runbooks and for tests. Runs until stopped.')
    parser.add_argument('--host', default='127.0.0.1', help='loopback address to bind (default: %(default)s)')
    parser.add_argument('--port', type=int, default=0, help='port to bind; 0 picks a free one (default: %(default)s)')
    parser.add_argument('--scenario', help='scenario file (JSON, or YAML if PyYAML is installed); default: built-in jobs')
    parser.add_argument('--token', default=DEFAULT_TOKEN, help='accepted X-Auth-Token (default: %(default)s)')
    parser.add_argument('--project-id', default=DEFAULT_PROJECT_ID, help='accepted project id (default: %(default)s)')
    parser.add_argument('--pid-file', help='write the process id here; removed on exit')
    parser.add_argument('--port-file', help='write the bound port here (atomically)')
    parser.add_argument('--lifetime', type=float, default=DEFAULT_LIFETIME,
                        help='watchdog for tests: exit by itself after this many seconds; 0 = run until stopped (default)')
    parser.add_argument('--quiet', action='store_true', help='no access log on stderr')
    iam = parser.add_argument_group('IAM password authentication (POST /v3/auth/tokens)')
    iam.add_argument('--iam-user', default=DEFAULT_IAM_USER, help='accepted user name (default: %(default)s)')
    iam.add_argument('--iam-password', default=DEFAULT_IAM_PASSWORD, help='accepted password (default: %(default)s)')
    iam.add_argument('--iam-domain', default=DEFAULT_IAM_DOMAIN, help='accepted user domain name (default: %(default)s)')
    iam.add_argument('--project-name', default=DEFAULT_PROJECT_NAME,
                     help='name of the --project-id project, accepted as scope; its part before "_" is the region (default: %(default)s)')
    iam.add_argument('--no-catalog-sfsturbo', dest='catalog_sfsturbo', action='store_false',
                     help='leave the sfsturbo entry out of the token catalog')
    iam.add_argument('--token-uses', type=int, default=0,
                     help='jobs-API requests an issued token is good for, then APIG.0307; 0 = unlimited (default: %(default)s)')
    iam.add_argument('--token-lifetime', type=float, default=IAM_TOKEN_VALIDITY,
                     help='seconds an issued token is valid (its expires_at), then APIG.0307 (default: %(default)s)')
    iam.add_argument('--token-revoked-after', type=float, default=0.0,
                     help='seconds after which an issued token is refused though its expires_at says more; 0 = never (default)')
    iam.add_argument('--extra-iam-user', action='append', default=[], metavar='NAME=PASSWORD',
                     help='one more accepted user of the same domain; repeatable')
    aksk = parser.add_argument_group('AK/SK signatures (SDK-HMAC-SHA256)')
    aksk.add_argument('--access-key', default=DEFAULT_ACCESS_KEY, help='permanent AK (default: %(default)s)')
    aksk.add_argument('--secret-key', default=DEFAULT_SECRET_KEY, help='SK of the permanent AK (default: %(default)s)')
    aksk.add_argument('--temp-access-key', default=DEFAULT_TEMP_ACCESS_KEY, help='temporary AK (default: %(default)s)')
    aksk.add_argument('--temp-secret-key', default=DEFAULT_TEMP_SECRET_KEY, help='SK of the temporary AK (default: %(default)s)')
    aksk.add_argument('--security-token', default=DEFAULT_SECURITY_TOKEN,
                      help='X-Security-Token required with the temporary AK (default: %(default)s)')
    iam.add_argument('--iam-throttle', type=int, default=0,
                     help='the first N IAM logins answer 429 IAM.0012 with Retry-After: 1 (default: %(default)s)')
    parser.add_argument('--echo-credentials', action='store_true',
                        help='hostile mode for tests of masking: echo the caller\'s credential in X-request-id, '
                             'error messages and the status of unfinished jobs')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.lifetime < 0:
        sys.stderr.write('sfs_turbo_emulator: --lifetime must be >= 0 (0 = run until stopped)\n')
        return 2
    lifetime = args.lifetime or None
    try:
        extra_users = dict(item.split('=', 1) for item in args.extra_iam_user if '=' in item)
        if len(extra_users) != len(args.extra_iam_user):
            raise ValueError('--extra-iam-user takes NAME=PASSWORD, once per user')
        auth = AuthConfig(iam_user=args.iam_user, iam_password=args.iam_password, iam_domain=args.iam_domain,
                          project_name=args.project_name, catalog_sfsturbo=args.catalog_sfsturbo, token_uses=args.token_uses,
                          token_lifetime=args.token_lifetime, token_revoked_after=args.token_revoked_after,
                          extra_users=extra_users,
                          access_key=args.access_key, secret_key=args.secret_key, temp_access_key=args.temp_access_key,
                          temp_secret_key=args.temp_secret_key, security_token=args.security_token,
                          echo_credentials=args.echo_credentials, iam_throttle=args.iam_throttle)
        server = make_server(args.host, args.port, args.scenario, args.token, args.project_id, args.quiet, auth)
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

    if lifetime is not None:
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
        if not stop.wait(lifetime):
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
