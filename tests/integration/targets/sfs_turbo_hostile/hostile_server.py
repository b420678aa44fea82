# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Misbehaving HTTP servers on 127.0.0.1 (port 0), for hostile_suite.py. Standard library only.

The job id in ``/.../sfs-turbo/jobs/<mode>`` picks how a server misbehaves; IAM requests go to
``/iam-<mode>/v3/auth/tokens``. A ``Recorder`` server answers nothing useful and keeps every
request it receives (the "second port" a redirect must never reach).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import ssl
import threading
import time
import zlib
from http.client import responses as REASONS
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote, urlsplit

TRICKLE_PAUSE = 0.5
# No connection is served longer than this, so a run always ends.
MAX_HANDLER_SECONDS = 90


def reference_canonical_uri(raw_path):
    """The SDK-HMAC-SHA256 canonical URI as the reference signer builds it: the whole path
    percent-decoded first, then split at "/", each piece encoded (only "~" kept), joined, with a
    trailing "/". Written here from the API notes, independent of the collection's signer."""
    decoded = unquote(raw_path)
    uri = '/'.join(quote(piece, safe='~') for piece in decoded.split('/'))
    return uri if uri.endswith('/') else uri + '/'


def reference_signature_ok(method, raw_path, headers, body, secret_keys):
    auth = headers.get('Authorization') or ''
    if not auth.startswith('SDK-HMAC-SHA256 '):
        return False
    fields = dict(part.strip().split('=', 1) for part in auth[len('SDK-HMAC-SHA256 '):].split(',') if '=' in part)
    signed = fields.get('SignedHeaders', '').split(';')
    if not {'host', 'x-sdk-date', 'x-project-id'} <= set(signed):
        return False
    if headers.get('X-Security-Token') and 'x-security-token' not in signed:
        return False
    path, dummy, query = raw_path.partition('?')
    canonical = '\n'.join([
        method,
        reference_canonical_uri(path),
        query,
        ''.join('%s:%s\n' % (name, (headers.get(name) or '').strip()) for name in signed),
        ';'.join(signed),
        hashlib.sha256(body or b'').hexdigest(),
    ])
    to_sign = 'SDK-HMAC-SHA256\n%s\n%s' % (headers.get('X-Sdk-Date'), hashlib.sha256(canonical.encode()).hexdigest())
    secret = secret_keys.get(fields.get('Access'))
    if secret is None:
        return False
    expected = hmac.new(secret.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields.get('Signature', ''))


def _gzip_bomb(decompressed_mb):
    """A gzip body of ``decompressed_mb`` MiB of JSON (a few hundred KB compressed)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = [comp.compress(b'{"job_id": "gzip-bomb", "status": "success", "pad": "')]
    block = b'a' * (1 << 20)
    for dummy in range(decompressed_mb):
        parts.append(comp.compress(block))
    parts.append(comp.compress(b'"}'))
    parts.append(comp.flush())
    return b''.join(parts)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    server_version = 'hostile'
    sys_version = ''

    def log_message(self, *args):  # quiet
        pass

    def _read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def _record(self, body):
        # 'at' (the system-wide monotonic clock) lets hostile_suite.py tell which case's module sent it.
        self.server.record.append({'at': time.monotonic(), 'method': self.command, 'path': self.path,
                                   'headers': dict(self.headers.items()), 'body': body.decode('utf-8', 'replace')})

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def _dispatch(self):
        body = self._read_body()
        self._record(body)
        try:
            self.server.owner.handle(self, body)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass
        self.close_connection = True

    # helpers for the modes
    def send_raw(self, data):
        self.wfile.write(data)
        self.wfile.flush()

    def send_json(self, status, obj, headers=None):
        self.send_bytes(status, json.dumps(obj).encode(), 'application/json', headers)

    def send_bytes(self, status, data, content_type='application/json', headers=None):
        head = 'HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n' % (
            status, REASONS.get(status, 'Unknown'), content_type, len(data))
        for name, value in (headers or {}).items():
            head += '%s: %s\r\n' % (name, value)
        self.send_raw(head.encode('latin-1') + b'\r\n')
        for start in range(0, len(data), 1 << 20):
            self.wfile.write(data[start:start + (1 << 20)])
        self.wfile.flush()

    def trickle(self, data):
        stop = time.monotonic() + MAX_HANDLER_SECONDS
        for byte in data:
            if time.monotonic() > stop:
                return
            self.send_raw(bytes([byte]))
            time.sleep(TRICKLE_PAUSE)


class HostileServer:
    """The misbehaving SFS Turbo endpoint (and IAM)."""

    def __init__(self, trap_port=0, token=None, secret_keys=None, tls_context=None):
        self.trap_port = trap_port
        self.token = token
        self.secret_keys = secret_keys or {}
        self.iam_calls = {}
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.owner = self
        self.httpd.record = []
        if tls_context is not None:
            self.httpd.socket = tls_context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self._bomb = None
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def received(self):
        return self.httpd.record

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def handle(self, req, body):
        path = urlsplit(req.path).path
        if '/iam-' in path:
            return self.handle_iam(req, path.split('/iam-', 1)[1].split('/', 1)[0], body)
        if path.startswith('/wrong/'):
            return req.send_bytes(404, b'<html><body><h1>404 Not Found</h1></body></html>', 'text/html')
        if '/sfs-turbo/jobs/' not in path:
            return req.send_bytes(404, b'{"error_code": "APIG.0101", "error_msg": "The API does not exist"}')
        mode = path.rsplit('/', 1)[1]
        handler = getattr(self, 'job_' + mode.replace('-', '_'), None)
        if handler is None:
            return req.send_json(404, {'errCode': 'SFS.TURBO.0019', 'errMsg': 'Invalid Job Id'})
        return handler(req)

    # --- jobs ----------------------------------------------------------------------
    def job_ok(self, req):
        req.send_json(200, {'job_id': 'ok', 'status': 'success', 'job_type': 'bind_ldap'})

    def job_running(self, req):
        req.send_json(200, {'job_id': 'running', 'status': 'running'})

    def job_trickle_headers(self, req):
        req.trickle(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Slow: ' + b'x' * 400 + b'\r\n')

    def job_trickle_body(self, req):
        data = b'{"job_id": "trickle-body", "status": "success", "pad": "' + b'x' * 400 + b'"}'
        req.send_raw(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n' % len(data))
        req.trickle(data)

    def job_stall_body(self, req):
        req.send_raw(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"job_id":')
        time.sleep(MAX_HANDLER_SECONDS)

    def job_huge(self, req):
        size = 48 << 20
        head = b'{"job_id": "huge", "status": "success", "pad": "'
        req.send_raw(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n' % (len(head) + size + 2))
        req.send_raw(head)
        block = b'a' * (1 << 20)
        for dummy in range(size >> 20):
            req.wfile.write(block)
        req.send_raw(b'"}')

    def job_endless(self, req):
        req.send_raw(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n')
        chunk = b'a' * 65536
        framed = b'%x\r\n%s\r\n' % (len(chunk), chunk)
        req.send_raw(b'%x\r\n{"pad": "\r\n' % len(b'{"pad": "'))
        stop = time.monotonic() + MAX_HANDLER_SECONDS
        while time.monotonic() < stop:
            req.wfile.write(framed)

    def job_gzip_bomb(self, req):
        if self._bomb is None:
            self._bomb = _gzip_bomb(300)
        req.send_bytes(200, self._bomb, headers={'Content-Encoding': 'gzip'})

    def job_lt_flood(self, req):
        req.send_bytes(400, b'<' * (400 * 1024), 'text/html')

    def job_redirect_backslash(self, req):
        location = 'http://127.0.0.1:%d\\@127.0.0.1:%d/x' % (self.trap_port, self.port)
        req.send_bytes(302, b'', headers={'Location': location})

    def job_redirect_ipv6(self, req):
        req.send_bytes(302, b'', headers={'Location': 'http://[::1/x'})

    def job_nested(self, req):
        req.send_bytes(200, b'[' * 200000 + b']' * 200000)

    def job_nested_750(self, req):
        # json.loads reads it; every later walk over it recursed past Python's limit (a RecursionError).
        req.send_bytes(200, b'{"job_id": "nested-750", "status": "success", "entities": ' + b'[' * 750 + b']' * 750 + b'}',
                       headers={'X-Request-Id': 'req-nested-750'})

    def job_status_list(self, req):
        req.send_json(200, {'job_id': 'status-list', 'status': ['running']})

    def job_status_object(self, req):
        req.send_json(200, {'job_id': 'status-object', 'status': {'state': 'running'}})

    def job_status_token(self, req):
        # Echo the credential back, upper-cased, as the job's status: the unknown-status warning
        # quotes it, and Ansible's own masking only knows the exact string.
        echoed = req.headers.get('X-Auth-Token') or req.headers.get('Authorization') or ''
        req.send_json(200, {'job_id': 'status-token', 'status': echoed.upper()})

    def job_unauthorized(self, req):
        req.send_json(401, {'error_code': 'APIG.0301', 'error_msg': 'Incorrect IAM authentication information'})

    def job_aksk_verify(self, req):
        path = req.path
        if reference_signature_ok(req.command, path, req.headers, b'', self.secret_keys):
            req.send_json(200, {'job_id': 'aksk-verify', 'status': 'success'})
        else:
            req.send_json(401, {'error_code': 'APIG.0303', 'error_msg': 'Incorrect app authentication information: verify aksk signature fail'})

    # --- IAM -----------------------------------------------------------------------
    def handle_iam(self, req, mode, body):
        with self.lock:
            calls = self.iam_calls[mode] = self.iam_calls.get(mode, 0) + 1
        if mode == 'redirect':
            location = 'http://127.0.0.1:%d\\@127.0.0.1:%d/iam-ok/v3/auth/tokens' % (self.trap_port, self.port)
            return req.send_bytes(307, b'', headers={'Location': location})
        if mode == 'slow':
            time.sleep(3)
        if mode == 'stall-after-first' and calls > 1:
            time.sleep(MAX_HANDLER_SECONDS)
            return None
        issued = 'MIIhostile%040d' % calls
        return req.send_json(201, {'token': {'project': {'id': '0123456789abcdef0123456789abcdef'}, 'catalog': []}},
                             headers={'X-Subject-Token': issued})


def self_signed_context(workdir, hostname='hostile.invalid'):
    """A server TLS context with a self-signed certificate for ``hostname`` only; returns (context, cert path)."""
    import datetime  # pylint: disable=import-outside-toplevel

    from cryptography import x509  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
    from cryptography.hazmat.primitives.asymmetric import ec  # pylint: disable=import-outside-toplevel
    from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostname)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(hostname)]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path = '%s/hostile-cert.pem' % workdir
    key_path = '%s/hostile-key.pem' % workdir
    with open(cert_path, 'wb') as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context, cert_path


def free_closed_port():
    """A loopback port nothing listens on (bound, then closed)."""
    sock = socket.socket()
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
