# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP client all modules share: one session, timeouts, retries, safe redirects, errors.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import errno
import re
import signal
import socket
import threading
import time
import warnings
import zlib
from http.client import HTTPException
from urllib.parse import urljoin

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Clock
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._dns import lookup_deadline, mount_bounded_adapters
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError, body_excerpt, describe_http_error, parse_json
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import backoff_delay, parse_retry_after
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._secrets import scrub
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._urls import UrlError, connect_origin, origin_text, url_for_message

try:
    import requests
    from urllib3.exceptions import HTTPError as Urllib3Error
    from urllib3.exceptions import InsecureRequestWarning
except ImportError:
    requests = None
    InsecureRequestWarning = Warning
    Urllib3Error = Exception

HAS_REQUESTS = requests is not None
USER_AGENT = 'otc_community.sfs_turbo/1.0.0'
MAX_REDIRECTS = 5
# Fresh tokens tried for one request after 401s: newer ones from the token cache, then one login of our own.
MAX_RENEWALS = 3
# What auth.reauthenticate() returns when it took another module run's token (see _auth.py); any other
# true value means it logged in itself.
RENEWED_FROM_CACHE = 'cache'
# A job is a few KB; no answer this client reads needs more. Counted after decompression.
MAX_BODY_BYTES = 1 << 20
_CHUNK = 16384
_ERRNO_RE = re.compile(r'\[Errno -?\d+\] ([^\'")\]]+)')
_REMOTE_CLOSED_RE = re.compile(r"RemoteDisconnected\('([^']+)'")
_TLS_REASONS_RE = (re.compile(r'certificate verify failed: ([^(\'"]+)'), re.compile(r'\] ([^(\'"\]]+?) \(_ssl'))
_NO_TLS_MARKERS = ('wrong_version_number', 'wrong version number', 'record layer failure', 'packet length too long',
                   'unknown_protocol', 'http request', 'record_layer_failure')
_HOSTNAME_MARKERS = ('hostname mismatch', "doesn't match", 'ip address mismatch', 'does not match')
# An origin that has never answered (no HTTP response at all) and fails the way a wrong address does
# is given up on after this long, instead of being retried until a wait's deadline (30 minutes by
# default). Long enough to ride out a restart of the service as it starts; once the API has answered,
# outages are ridden out until the deadline.
NEVER_ANSWERED_GRACE = 30.0
_WRONG_ADDRESS_ERRNOS = {errno.ECONNREFUSED: 'connection refused', errno.EHOSTUNREACH: 'no route to host',
                         errno.ENETUNREACH: 'no route to host'}


class _Expired(BaseException):
    """Raised by the wall-clock alarm inside whatever read or connect is blocking.

    A BaseException, so that no ``except Exception`` on the way (in urllib3, http.client)
    mistakes it for a network error and retries or swallows it.
    """


class _Reply:
    """A response read in full (within the cap): what the client needs of it."""

    def __init__(self, status_code, reason, headers, content, url):
        self.status_code = status_code
        self.reason = reason
        self.headers = headers
        self.content = content
        self.url = url

    @property
    def text(self):
        return self.content.decode('utf-8', 'replace')

    @property
    def is_redirect(self):
        return 'location' in self.headers and self.status_code in (301, 302, 303, 307, 308)


class _WallClockLimit:
    """Ends the block with ``_Expired`` after ``seconds`` of wall-clock time, whatever it is doing.

    Per-read socket timeouts do not bound a server that trickles one byte at a time, headers
    included. A real-time interval timer does: its SIGALRM interrupts the blocking call in the
    main thread. An earlier timer (an Ansible task timeout in a controller process, say) is put
    back afterwards, with the time that passed taken off. Outside the main thread no signal can
    be used; the socket timeouts and the deadline checks between body chunks remain.
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.armed = (hasattr(signal, 'setitimer') and seconds > 0
                      and threading.current_thread() is threading.main_thread())

    def __enter__(self):
        if self.armed:
            self._started = time.monotonic()
            self._previous_handler = signal.signal(signal.SIGALRM, self._expire)
            self._previous_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    @staticmethod
    def _expire(signum, frame):
        raise _Expired()

    def __exit__(self, *exc_info):
        if not self.armed:
            return False
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        except _Expired:  # fired just as the block ended: the block is done, ignore it
            signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous_handler)
        delay, interval = self._previous_timer
        if delay > 0:
            signal.setitimer(signal.ITIMER_REAL, max(delay - (time.monotonic() - self._started), 0.001), interval)
        return False


class _BodyTooLarge(Exception):
    pass


def _decoder(encoding):
    """A bounded decompressor for a Content-Encoding, ``None`` for identity."""
    encoding = (encoding or '').strip().lower()
    if encoding in ('', 'identity'):
        return None
    if encoding in ('gzip', 'x-gzip', 'deflate'):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    raise ValueError('unsupported Content-Encoding %r' % encoding[:40])


def _read_capped(raw, encoding, expires_at, limit=MAX_BODY_BYTES):
    """The body, decompressed, never holding more than ``limit`` + one chunk of bytes.

    The compressed bytes are inflated a bounded amount at a time, so a gzip bomb costs no
    more memory than a plain body of the cap's size.
    """
    decoder = _decoder(encoding)
    body = bytearray()
    while True:
        chunk = raw.read(_CHUNK, decode_content=False)
        if not chunk:
            break
        while chunk:
            if decoder is None:
                data, chunk = chunk, b''
            else:
                data = decoder.decompress(chunk, limit + 1 - len(body))
                chunk = decoder.unconsumed_tail
            body += data
            if len(body) > limit:
                raise _BodyTooLarge()
        if time.monotonic() > expires_at:
            raise _Expired()
    if decoder is not None:
        body += decoder.flush()
        if len(body) > limit:
            raise _BodyTooLarge()
    return bytes(body)


class ApiClient:
    """Sends requests below ``api_base`` (``<endpoint>/v1/<project_id>``) and to IAM; returns JSON objects.

    Transient failures (connection errors, timeouts, HTTP 429/500/502/503/504) are retried
    with exponential backoff and jitter, honouring ``Retry-After``: up to ``retries`` times,
    or, with ``retry_until_deadline``, as long as the deadline allows. Everything else raises
    ``SfsTurboError`` at once. ``request_count`` counts the API requests sent (not IAM's).

    The rules for talking to a server that may be broken or hostile live here: each request
    (redirect hops, headers and body together) ends within ``request_timeout`` seconds and
    never after ``deadline`` (a wait's end, which IAM requests share); bodies are read up to
    ``MAX_BODY_BYTES`` decompressed; a redirect is followed only to the origin urllib3 really
    connects to being the request's own; every message is scrubbed of the known secrets.
    """

    def __init__(self, api_base, auth, validate_certs=True, ca_path=None, request_timeout=30.0,
                 retries=4, clock=None, session=None, deadline=None):
        # None until known: password auth may learn it from the IAM catalog.
        self.api_base = api_base.rstrip('/') if api_base else None
        self.auth = auth
        self.verify = (ca_path or True) if validate_certs else False
        self.validate_certs = validate_certs
        self.request_timeout = request_timeout
        self.retries = retries
        self.clock = clock or Clock()
        # Connections whose host name lookup is bounded by the request's time (see _dns).
        self.session = session or mount_bounded_adapters(requests.Session())
        # Redirects are judged and followed here (see _send_following_safe_redirects), never by
        # requests: its look-ahead at a Location even with allow_redirects=False raises on a broken one.
        self.session.resolve_redirects = _no_redirects
        # The end of the whole operation (a wait's timeout), shared by every request, IAM's too.
        self.deadline = deadline
        self.request_count = 0
        # Status and request id of the last API response that carried a job (for failure results).
        self.last_http_status = None
        self.last_request_id = None
        self._secrets = set()
        # Called with (error, pause, login, request_count) before each retry of a failed attempt, IAM's
        # included (login: the attempt was an IAM request, sent without the API's auth): a wait shows
        # an outage while the client rides it out (the retries happen here, not in the wait's loop).
        self.on_retry = None
        # Within a wait, the longest pause between two polls (its poll_interval): retries that ride out an
        # outage back off up to it, not beyond, so the end of an outage is seen as soon as a poll would
        # see it. A server's Retry-After still counts in full.
        self.retry_pause_cap = None
        # Origins (scheme, host, port) that gave an HTTP answer, of any status, during this run; and since
        # when each of the others has failed the way a wrong address does.
        self._answered = set()
        self._failing_since = {}

    def add_secrets(self, secrets):
        """More strings to mask in every message (option values, clouds.yaml ones)."""
        self._secrets.update(secret for secret in secrets if secret)

    def scrub(self, text):
        """``text`` with every secret this client knows of (its auth's, IAM-issued tokens, options) masked."""
        return scrub(text, list(self._secrets) + list(self.auth.secrets()))

    def get_json(self, path, action, deadline=None, retry_until_deadline=False):
        """GET ``<api_base>/<path>`` with the client's auth; return the JSON object."""
        url = '%s/%s' % (self.api_base, path.lstrip('/'))
        body, dummy = self.request_json('GET', url, action, deadline=deadline, retry_until_deadline=retry_until_deadline)
        return body

    def request_json(self, method, url, action, json_body=None, auth=True, deadline=None, retry_until_deadline=False):
        """Send one logical request (with its retries); return ``(JSON object, response headers)``.

        ``auth=False`` sends no credentials header (the IAM token request carries its own).
        """
        request_auth = self.auth if auth else None
        deadline = deadline or self.deadline
        attempt = 0
        logged_in = False
        renewals = 0
        while True:
            try:
                if request_auth is not None:
                    self.auth.before_request()
                return self._attempt(method, url, action, json_body, request_auth, deadline)
            except SfsTurboError as error:
                if error.http_status == 401 and request_auth is not None and not logged_in and renewals < MAX_RENEWALS:
                    # An expired token: a fresh one (at most one login of our own), one more try, not a retry.
                    renewed = self.auth.reauthenticate()
                    if renewed:
                        renewals += 1
                        # A token another module run got may be refused too; a login of our own is the last word.
                        logged_in = renewed != RENEWED_FROM_CACHE
                        continue
                if not error.transient:
                    raise self._scrubbed(error)
                # Retry-After is a floor, not a licence to hammer: "0" or a past date still backs off.
                backoff = backoff_delay(attempt)
                if retry_until_deadline and self.retry_pause_cap is not None:
                    backoff = min(backoff, self.retry_pause_cap)
                pause = max(error.retry_after or 0.0, backoff)
                self._give_up_on_a_wrong_address(error, url, pause, auth)
                if deadline is not None and pause >= deadline.remaining():
                    raise self._scrubbed(error)
                if not retry_until_deadline and attempt >= self.retries:
                    if attempt:
                        error.msg = '%s (gave up after %d attempts)' % (error.msg.rstrip('.'), attempt + 1) + '.'
                    raise self._scrubbed(error)
                if self.on_retry is not None:
                    self.on_retry(self._scrubbed(error), pause, request_auth is None, self.request_count)
                self.clock.sleep(pause)
                attempt += 1

    def _give_up_on_a_wrong_address(self, error, url, pause, auth):
        """Make ``error`` final when its origin never answered and has failed like a wrong address for too long."""
        origin = connect_origin(url)
        if not error.wrong_address or origin in self._answered:
            return
        now = self.clock.monotonic()
        since = self._failing_since.setdefault(origin, now)
        if now + pause - since < NEVER_ANSWERED_GRACE:
            return
        option = 'endpoint (or SFS_TURBO_ENDPOINT)' if auth else 'auth_url (or OS_AUTH_URL)'
        error.msg = ('%s Nothing has ever answered at %s (%s for %d s), which is what a wrong address gives: '
                     'check %s. To ride out an API that is down when the wait starts, give the wait a delay.'
                     % (error.msg, url_for_message(url), error.cause, round(now - since), option))
        error.transient = False
        raise self._scrubbed(error)

    def _attempt(self, method, url, action, json_body, auth, deadline):
        budget, limit_name = self.request_timeout, 'request_timeout'
        if deadline is not None and deadline.remaining() < budget:
            # One slow request must not carry a wait past its deadline.
            budget, limit_name = deadline.remaining(), "the wait's timeout"
        if budget <= 0:
            raise SfsTurboError("Could not %s: the wait's timeout passed before the request could be sent." % action,
                                transient=True)
        response = self._send_following_safe_redirects(method, url, action, budget, limit_name, json_body, auth)
        request_id = response.headers.get('X-Request-Id')
        if response.status_code >= 400:
            error = describe_http_error(action, response.status_code, response.reason, response.text, request_id,
                                        url=url_for_message(response.url), hint=self._refused_hint(response.status_code, auth))
            if error.transient:
                error.retry_after = parse_retry_after(response.headers.get('Retry-After'))
            raise error
        body = parse_json(response.content)
        if not isinstance(body, dict):
            excerpt = body_excerpt(response.text)
            hint = 'check that endpoint points at the SFS Turbo API' if auth is not None else 'check auth_url'
            raise SfsTurboError(
                'Could not %s: HTTP %s, but the body is not a JSON object (%s); %s.'
                % (action, response.status_code, excerpt or 'empty body', hint),
                http_status=response.status_code, request_id=request_id)
        if auth is not None:
            self.last_http_status = response.status_code
            self.last_request_id = request_id
        return body, response.headers

    def _send_following_safe_redirects(self, method, url, action, budget, limit_name, json_body, auth):
        expires_at = time.monotonic() + budget
        for dummy in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, action, expires_at, budget, limit_name, json_body, auth)
            if not response.is_redirect:
                return response
            location = response.headers['Location']
            refused = None
            try:
                target = urljoin(url, location)
                if connect_origin(target) != connect_origin(url):
                    refused = 'to %s, another origin than the one asked' % origin_text(connect_origin(target))
            except (UrlError, ValueError) as exc:
                refused = 'to a Location that cannot be trusted (%s)' % exc
            if refused:
                # A credential (token header, signature, IAM password) must never leave its origin.
                raise SfsTurboError(
                    'Could not %s: HTTP %s redirects %s; the redirect is not followed and credentials are not sent there.'
                    % (action, response.status_code, refused),
                    http_status=response.status_code, request_id=response.headers.get('X-Request-Id'))
            url = target
        raise SfsTurboError('Could not %s: more than %d redirects.' % (action, MAX_REDIRECTS))

    def _send(self, method, url, action, expires_at, budget, limit_name, json_body, auth):
        """One HTTP exchange, read in full within the cap and by ``expires_at``; a ``_Reply``."""
        try:
            connect_origin(url)  # the origin the URL was checked for is the one connected to
        except UrlError as exc:
            raise SfsTurboError('Could not %s: the URL %s is refused: %s.' % (action, url_for_message(url), exc))
        if auth is not None:
            self.request_count += 1
        headers = {'Accept': 'application/json', 'Content-Type': 'application/json', 'User-Agent': USER_AGENT,
                   'Accept-Encoding': 'gzip, deflate'}
        remaining = expires_at - time.monotonic()
        if remaining <= 0:
            raise self._timeout_error(action, url, budget, limit_name)
        response = None
        try:
            with _WallClockLimit(remaining), lookup_deadline(expires_at):
                try:
                    with warnings.catch_warnings():
                        # validate_certs=false is the user's explicit choice; don't print a warning per request.
                        warnings.simplefilter('ignore', InsecureRequestWarning)
                        response = self.session.request(method, url, headers=headers, auth=auth, json=json_body,
                                                        timeout=(remaining, remaining), verify=self.verify,
                                                        allow_redirects=False, stream=True)
                    self._answered.add(connect_origin(url))
                    content = b''
                    if response.status_code not in (204, 304) and method != 'HEAD':
                        content = _read_capped(response.raw, response.headers.get('Content-Encoding'), expires_at)
                    return _Reply(response.status_code, response.reason, response.headers, content, url)
                finally:
                    if response is not None:
                        response.close()
        except _Expired:
            raise self._timeout_error(action, url, budget, limit_name, response)
        except _BodyTooLarge:
            raise SfsTurboError('Could not %s: the answer from %s is larger than %d MiB, which no answer of this API needs; '
                                'check that endpoint points at the SFS Turbo API.'
                                % (action, origin_text(connect_origin(url)), MAX_BODY_BYTES >> 20),
                                http_status=response.status_code, request_id=response.headers.get('X-Request-Id'))
        except (requests.exceptions.RequestException, Urllib3Error, HTTPException, OSError, ValueError, zlib.error) as exc:
            # Everything the network, TLS, or a malformed answer can raise while sending or reading.
            if _is_timeout(exc):
                raise self._timeout_error(action, url, budget, limit_name, response)
            kwargs = {}
            if response is not None:
                kwargs = dict(http_status=response.status_code, request_id=response.headers.get('X-Request-Id'))
            description = self._describe_exception(exc, url)
            cause, wrong_address = _connection_cause(exc) if response is None else ('connection dropped', False)
            if 'does not speak TLS' in description:
                cause, wrong_address = 'TLS to a plain HTTP port', True
            raise SfsTurboError('Could not %s: %s.' % (action, description),
                                transient=not isinstance(exc, (requests.exceptions.SSLError, requests.exceptions.InvalidURL,
                                                               requests.exceptions.InvalidHeader, ValueError, zlib.error)),
                                cause=cause, wrong_address=wrong_address, **kwargs)

    def _refused_hint(self, status, auth):
        """What a user should check first when the API (not IAM) refuses the request: a 401 or a 403."""
        if auth is None or status not in (401, 403):
            return None
        if status == 401:
            return auth.refused_hint()
        project_id = self.api_base.rsplit('/', 1)[-1] if self.api_base else '?'
        return ('the request was for project_id %s: check that this is the project of the job and of this region '
                '(another project answers 403 too) before the IAM permissions of the user' % project_id)

    @staticmethod
    def _timeout_error(action, url, budget, limit_name, response=None):
        """A transient timeout; with the status when the headers came but the body did not."""
        kwargs = {}
        if response is not None:
            kwargs = dict(http_status=response.status_code, request_id=response.headers.get('X-Request-Id'))
        return SfsTurboError('Could not %s: the request to %s timed out: no complete answer within %g s (%s).'
                             % (action, origin_text(connect_origin(url)), round(budget, 1), limit_name),
                             transient=True, cause='timed out', **kwargs)

    def _describe_exception(self, exc, url):
        origin = origin_text(connect_origin(url))
        text = str(exc)
        if isinstance(exc, requests.exceptions.SSLError):
            return self._describe_tls_error(text, origin)
        if isinstance(exc, requests.exceptions.ProxyError):
            return 'the proxy refused or failed the connection to %s' % origin
        reason = _ERRNO_RE.search(text) or _REMOTE_CLOSED_RE.search(text)
        if isinstance(exc, (requests.exceptions.ConnectionError, OSError)):
            return 'connection to %s failed (%s)' % (origin, reason.group(1).strip() if reason else type(exc).__name__)
        if isinstance(exc, ValueError):
            return 'the answer from %s could not be read (%s)' % (origin, text[:120] if isinstance(exc, UrlError) else type(exc).__name__)
        return '%s while talking to %s' % (type(exc).__name__, origin)

    def _describe_tls_error(self, text, origin):
        lowered = text.lower()
        found = _TLS_REASONS_RE[0].search(text) or _TLS_REASONS_RE[1].search(text)
        reason = found.group(1).strip().rstrip('.') if found else 'TLS error'
        if any(marker in lowered for marker in _NO_TLS_MARKERS):
            return ('%s does not speak TLS (it answered the TLS handshake with something else, likely plain HTTP); '
                    'use an http:// endpoint if it serves plain HTTP, or check the port' % origin)
        verify_failed = 'certificate verify failed' in lowered or 'certificate_verify_failed' in lowered
        if verify_failed and any(marker in lowered for marker in _HOSTNAME_MARKERS):
            return ('the TLS certificate of %s does not match its host name (%s); use the host name the certificate '
                    'was issued for' % (origin, reason))
        if verify_failed:
            return ('the TLS certificate of %s is not trusted (%s); set ca_path to the CA bundle that issued it '
                    '(or validate_certs to false for a test endpoint)' % (origin, reason))
        return 'the TLS handshake with %s failed (%s)' % (origin, reason)

    def _scrubbed(self, error):
        """Blank out any secret the client knows, should a server have echoed one into a message."""
        error.msg = self.scrub(error.msg)
        error.err_msg = self.scrub(error.err_msg)
        error.err_code = self.scrub(error.err_code)
        # ansible-core 2.22 no longer blanks no_log values in results (only in what it displays)
        error.request_id = self.scrub(error.request_id)
        return error


def _no_redirects(*args, **kwargs):
    return iter(())


def _causes(exc, depth=10):
    """``exc`` and the exceptions it wraps (urllib3 and requests nest them several deep)."""
    seen = 0
    while exc is not None and seen < depth:
        yield exc
        nested = [arg for arg in (getattr(exc, 'reason', None),) + tuple(getattr(exc, 'args', ())) if isinstance(arg, BaseException)]
        exc = nested[0] if nested else (exc.__cause__ or exc.__context__)
        seen += 1


def _connection_cause(exc):
    """``(cause in words, whether a wrong address gives it)`` for a request that got no HTTP answer."""
    for inner in _causes(exc):
        if isinstance(inner, socket.gaierror) or type(inner).__name__ == 'NameResolutionError':
            return 'DNS lookup failed', True
        if isinstance(inner, OSError) and inner.errno in _WRONG_ADDRESS_ERRNOS:
            return _WRONG_ADDRESS_ERRNOS[inner.errno], True
    text = str(exc)
    if 'Name or service not known' in text or 'nodename nor servname' in text or 'getaddrinfo failed' in text:
        return 'DNS lookup failed', True
    if 'Connection refused' in text:
        return 'connection refused', True
    return 'connection dropped', False


def _is_timeout(exc):
    """A read or connect that timed out, however the layers wrapped it."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, (requests.exceptions.Timeout, TimeoutError)) or type(exc).__name__ in (
                'ReadTimeoutError', 'ConnectTimeoutError', 'timeout'):
            return True
        nested = [arg for arg in (getattr(exc, 'reason', None),) + tuple(getattr(exc, 'args', ())) if isinstance(arg, BaseException)]
        exc = nested[0] if nested else exc.__context__
        seen += 1
    return False
