# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One HTTP request: the order of checks every API request goes through, and the answers in each dialect.

The order (the rehearsal guide documents it): admin paths; the IAM token API; a path no route
has -> 404 as the API gateway answers it; authentication; ids; method; project; faults; the route.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit

from . import admin, faults, iam, routing
from .auth import authenticate
from .checks import ID_RE
from .resources import LOG_IDS, ROUTES

JSON_TYPE = 'application/json;charset=UTF-8'
# The API gateway's answer for a path (or prefix) that no API of it has.
UNKNOWN_API = ('APIG.0101', 'The API does not exist or has not been published in the environment.')
MAX_BODY = 1 << 20


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
    caller_secret = None
    # The request log entry of the request being handled, until it is recorded.
    entry = None
    # While an ``acted`` fault lets the route act: the answers it sent, kept instead of sent.
    held = None

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

    # ----------------------------------------------------------------- answers

    def echo(self):
        """The caller's credential when the emulator echoes it (``--echo-credentials``), else ``None``."""
        secret = self.caller_secret
        if not self.server.auth.echo_credentials or not secret or not (secret.isascii() and secret.isprintable()):
            return None
        return secret

    def echoed(self, msg):
        echo = self.echo()
        # Letter case swapped: a mask must find a secret in any letter case.
        return f'{msg} (credential sent: {echo.swapcase()})' if echo else msg

    def send(self, status, body=b'', content_type=JSON_TYPE, headers=None):
        """Send a complete response (logged first); every response carries X-request-id (the credential, when echoing)."""
        if self.held is not None:
            self.held.append((status, body, content_type, headers))
            return status
        self.record(status)
        self.send_response(status)
        self.send_header('X-request-id', self.echo() or self.request_id)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)
        return status

    def send_json(self, status, data, headers=None):
        return self.send(status, json.dumps(data).encode('utf-8'), headers=headers)

    def service_error(self, status, code, msg, headers=None):
        return self.send_json(status, {'errCode': code, 'errMsg': self.echoed(msg)}, headers=headers)

    def gateway_error(self, status, code, msg, headers=None):
        return self.send_json(status, {'error_code': code, 'error_msg': self.echoed(msg),
                                       'request_id': self.echo() or self.request_id}, headers=headers)

    def iam_error(self, status, title, msg, headers=None, code=None):
        return self.send_json(status, {'error': {'code': code or status, 'message': self.echoed(msg), 'title': title}},
                              headers=headers)

    def json_body(self):
        """The request body as a JSON object, or None."""
        try:
            data = json.loads(self.body.decode('utf-8'))
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def record(self, status):
        """Log the request before the client can see the answer (a client never reads a log that misses its last request)."""
        entry, self.entry = self.entry, None
        if entry is not None:
            entry['status'] = status
            self.server.state.record(entry)

    # ----------------------------------------------------------------- dispatch

    def _read_body(self):
        # IAM requests and AK/SK signatures need the body; reading it keeps a kept-alive connection
        # in sync. Bodies above 1 MiB are cut short and end the connection.
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            length = 0
        self.body = self.rfile.read(min(length, MAX_BODY)) if length > 0 else b''
        if length > MAX_BODY:
            self.close_connection = True

    def _dispatch(self):
        self.caller_secret = None
        self._read_body()
        parts = urlsplit(self.path)
        path = parts.path
        if path == '/_emulator' or path.startswith('/_emulator/'):
            admin.handle(self, path)
            return
        self.entry = {'t': round(time.monotonic() - self.server.state.server_start_mono, 6), 'wall': time.time(),
                      'method': self.command, 'path': path, 'job_id': None, 'status': None, 'job_status': None,
                      'share_id': None, 'share_status': None, 'fault': None, 'acted': False, 'acted_status': None, 'auth': None,
                      'user': None, 'token_serial': None}
        entry = self.entry
        try:
            if path == iam.TOKENS_PATH:
                iam.login(self, parts.query)
            else:
                self._api(path)
        finally:
            # Not recorded yet only when no answer was sent (a dropped connection, an error).
            self.record(entry['status'])

    def _api(self, path):
        found = routing.find(ROUTES, path)
        if found is None:
            # The gateway finds no API for the path, before it looks at any credential: no SFS.TURBO code.
            self.gateway_error(404, *UNKNOWN_API)
            return
        route, project, resource_id = found
        if not authenticate(self, project):
            return
        if not ID_RE.match(project) or (resource_id is not None and not ID_RE.match(resource_id)):
            self.service_error(400, 'SFS.TURBO.0001', 'parameter error')
            return
        self.entry[LOG_IDS[route.kind]] = resource_id
        if self.command not in route.handlers:
            self.service_error(405, 'SFS.TURBO.0001', 'parameter error', headers={'Allow': ', '.join(route.methods)})
            return
        if project != self.server.project_id:
            self.service_error(403, 'SFS.TURBO.0015', 'do not have the operation permission')
            return
        self._answer(route.handlers[self.command], resource_id, self.server.state.take_faults(route.kind, resource_id, self.command))

    def _answer(self, handler, resource_id, applied):
        """Answer with the route's ``handler`` after the faults that apply, in order.

        An ``acted`` fault first lets the route carry the request out, its answer held back: then
        the fault answers instead (a lost answer), or, ``slow``, the held answer comes late.
        """
        held = None
        for fault in applied:
            self.entry['fault'] = fault['type']
            if fault['acted'] and held is None:
                held = self._act(handler, resource_id)
            if fault['type'] == 'slow':
                time.sleep(fault['seconds'])
                continue
            faults.answer(self, fault)
            return
        if held is None:
            handler(self, resource_id)
        else:
            for status, body, content_type, headers in held:
                self.send(status, body, content_type, headers)

    def _act(self, handler, resource_id):
        """Carry the request out without answering it; the answers it would have sent."""
        self.held = []
        try:
            handler(self, resource_id)
        finally:
            held, self.held = self.held, None
        self.entry['acted'] = True
        self.entry['acted_status'] = held[0][0] if held else None
        return held
