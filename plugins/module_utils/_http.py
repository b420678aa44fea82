# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP client all modules share: one session, safe redirects, and the failures of an exchange in kinds.

The limits of an exchange (wall clock, body bytes, JSON nesting) are ``_limits``'; when to retry,
renew a token or give up is ``_retry``'s; the sentences are ``_errors``'.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import errno
import re
import socket
import time
import warnings
import zlib
from http.client import HTTPException
from urllib.parse import urljoin

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _errors as errors
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _errors_acting as acting
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Clock
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._dns import lookup_deadline, mount_bounded_adapters
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._bodies import body_excerpt
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError, describe_http_error
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._limits import BodyTooLarge, Expired, TooDeep, WallClockLimit, load_json, read_capped
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import Origins, RetryPolicy, parse_retry_after
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._secrets import scrub
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._urls import UrlError, connect_origin, origin_text, url_for_message
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._version import COLLECTION_VERSION

try:
    import requests
    from urllib3.exceptions import HTTPError as Urllib3Error
    from urllib3.exceptions import InsecureRequestWarning
except ImportError:
    requests = None
    InsecureRequestWarning = Warning
    Urllib3Error = Exception

HAS_REQUESTS = requests is not None
USER_AGENT = 'otc_community.sfs_turbo/%s' % COLLECTION_VERSION
MAX_REDIRECTS = 5
_ERRNO_RE = re.compile(r'\[Errno -?\d+\] ([^\'")\]]+)')
_REMOTE_CLOSED_RE = re.compile(r"RemoteDisconnected\('([^']+)'")
_WRONG_ADDRESS_ERRNOS = {errno.ECONNREFUSED: 'connection refused', errno.EHOSTUNREACH: 'no route to host',
                         errno.ENETUNREACH: 'no route to host'}
_TIMEOUT_NAMES = ('ReadTimeoutError', 'ConnectTimeoutError', 'timeout')


class ApiReply:
    """A JSON object the API (or IAM) answered, with its status, request id and headers."""

    def __init__(self, body, http_status, request_id, headers):
        self.body = body
        self.http_status = http_status
        self.request_id = request_id
        self.headers = headers

    def keys(self):
        """``http_status`` and ``request_id`` as a failure result carries them (those known)."""
        known = {'http_status': self.http_status, 'request_id': self.request_id}
        return {key: value for key, value in known.items() if value is not None}


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

    def keys(self):
        return dict(http_status=self.status_code, request_id=self.headers.get('X-Request-Id'))


class ApiClient:
    """Sends requests below ``api_base`` (``<endpoint>/v1/<project_id>``) and to IAM; returns JSON objects.

    Transient failures (connection errors, timeouts, HTTP 429/500/502/503/504) are retried
    with exponential backoff and jitter, honouring ``Retry-After``: up to ``retries`` times,
    or, with ``retry_until_deadline``, as long as the deadline allows (pauses then at most
    ``retry_pause_cap``, a wait's poll_interval, so the end of an outage is seen as a poll would
    see it). Everything else raises ``SfsTurboError`` at once. ``request_count`` counts the API
    requests sent (not IAM's). ``on_retry(error, pause, login, request_count)`` is called before each
    retry (``login``: an IAM request), so that a wait shows an outage the client rides out.

    The rules for talking to a server that may be broken or hostile live here and in ``_limits``: each
    request (redirect hops, headers and body together) ends within ``request_timeout`` seconds and
    never after ``deadline`` (a wait's end, which IAM requests share); bodies are read up to
    ``MAX_BODY_BYTES`` decompressed and ``MAX_JSON_DEPTH`` deep; a redirect is followed only to the
    origin urllib3 really connects to being the request's own; every message is scrubbed of the known secrets.
    """

    def __init__(self, api_base, auth, validate_certs=True, ca_path=None, request_timeout=30.0,
                 retries=4, clock=None, session=None, deadline=None, on_retry=None, retry_pause_cap=None):
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
        self._secrets = set()
        self._on_retry = on_retry
        self._retry_pause_cap = retry_pause_cap
        self._origins = Origins(self.clock)

    def use_api_base(self, api_base):
        """Send the API requests below ``api_base`` (known once the auth started: password auth may learn it from IAM)."""
        self.api_base = api_base.rstrip('/')

    def add_secrets(self, secrets):
        """More strings to mask in every message (option values, clouds.yaml ones)."""
        self._secrets.update(secret for secret in secrets if secret)

    def scrub(self, text):
        """``text`` with every secret this client knows of (its auth's, IAM-issued tokens, options) masked."""
        return scrub(text, list(self._secrets) + list(self.auth.secrets()))

    def get_reply(self, path, action, deadline=None, retry_until_deadline=False):
        """GET ``<api_base>/<path>`` with the client's auth; return the ``ApiReply``."""
        url = '%s/%s' % (self.api_base, path.lstrip('/'))
        return self.request_json('GET', url, action, deadline=deadline, retry_until_deadline=retry_until_deadline)

    def get_json(self, path, action, deadline=None, retry_until_deadline=False):
        """GET ``<api_base>/<path>`` with the client's auth; return the JSON object."""
        return self.get_reply(path, action, deadline=deadline, retry_until_deadline=retry_until_deadline).body

    def send_reply(self, method, path, action, json_body=None, deadline=None, resend_after_sent=True, accept_status=None, below_root=False):
        """``method`` ``<api_base>/<path>`` (a query string may follow) with the client's auth; its ``ApiReply``.

        ``resend_after_sent=False`` (a POST that changes something): retried only when it cannot have reached
        the server; a caller that needs to know whether it did anyway uses ``_retry.answer_lost`` on the error.
        ``accept_status`` and ``below_root``: see ``request_json`` and ``api_root``. Otherwise an answer with no
        body (a DELETE's 202, a 204) is ``{}``: many changes answer so.
        """
        url = '%s/%s' % (self.api_root() if below_root else self.api_base, path.lstrip('/'))
        return self.request_json(method, url, action, json_body=json_body, deadline=deadline, unsent_only=not resend_after_sent,
                                 accept_status=accept_status, empty_ok=True)

    def api_root(self):
        """The endpoint the versions hang from: ``api_base`` without its ``/v1/<project_id>``."""
        return self.api_base.rsplit('/', 2)[0]

    def project_id(self):
        """The project the API requests are for (the last segment of ``api_base``)."""
        return self.api_base.rsplit('/', 1)[-1]

    def request_json(self, method, url, action, json_body=None, auth=True, deadline=None, retry_until_deadline=False,
                     refused_hint=None, unsent_only=False, accept_status=None, empty_ok=False):
        """Send one logical request (with its retries); return its ``ApiReply``.

        ``accept_status`` (a collection of statuses, for ``sfs_turbo_request``): exactly those answers succeed, at once
        (not retried, whatever the status), with any JSON body (``{}`` for an empty one); any other fails as an error status does.

        ``auth=False`` sends no credentials header (the IAM token request carries its own);
        ``refused_hint`` then says what to check when the answer is a 401 or 403. ``unsent_only``: retry only
        what never reached a server (``RetryPolicy``); a 401 still gets one fresh token and one resend.
        ``empty_ok``: an answer with no body is ``{}`` instead of a failure.
        """
        request_auth = self.auth if auth else None
        deadline = deadline or self.deadline
        policy = RetryPolicy(self.retries, retry_until_deadline, self._retry_pause_cap, deadline, unsent_only=unsent_only)
        while True:
            try:
                if request_auth is not None:
                    self.auth.before_request()
                return self._attempt(method, url, action, json_body, request_auth, deadline, refused_hint, accept_status, empty_ok)
            except SfsTurboError as error:
                if request_auth is not None and policy.renew(error, self.auth):
                    continue
                pause = policy.pause(error)
                if pause is None:
                    raise self._scrubbed(error)
                failing_for = self._origins.never_answered_for(error, connect_origin(url), pause)
                if failing_for is not None:
                    error.msg = errors.never_answered(error.msg, url_for_message(url), error.cause, round(failing_for), auth)
                    error.transient = False
                    raise self._scrubbed(error)
                if policy.past_deadline(pause):
                    raise self._scrubbed(error)
                if policy.out_of_retries():
                    if policy.attempt:
                        error.msg = errors.gave_up_after(error.msg, policy.attempt + 1)
                    raise self._scrubbed(error)
                if self._on_retry is not None:
                    self._on_retry(self._scrubbed(error), pause, request_auth is None, self.request_count)
                self.clock.sleep(pause)
                policy.attempt += 1

    def _attempt(self, method, url, action, json_body, auth, deadline, refused_hint, accept_status=None, empty_ok=False):
        budget, limit_name = self.request_timeout, 'request_timeout'
        if deadline is not None and deadline.remaining() < budget:
            # One slow request must not carry a wait past its deadline.
            budget, limit_name = deadline.remaining(), "the wait's timeout"
        if budget <= 0:
            raise errors.no_time_left(action)
        response = self._send_following_safe_redirects(method, url, action, budget, limit_name, json_body, auth)
        request_id = response.headers.get('X-Request-Id')
        if accept_status is not None and response.status_code in accept_status:
            return _any_json_reply(response, action, request_id)
        if response.status_code >= 400 or accept_status is not None:
            hint = self._refused_hint(response.status_code, auth) if auth is not None else (
                refused_hint if response.status_code in (401, 403) else None)
            if response.status_code < 400:
                hint = acting.status_not_accepted(response.status_code, accept_status)
            error = describe_http_error(action, response.status_code, response.reason, response.text, request_id,
                                        url=url_for_message(response.url), hint=hint)
            if error.transient:
                error.retry_after = parse_retry_after(response.headers.get('Retry-After'))
            raise error
        if empty_ok and not response.content.strip():
            return ApiReply({}, response.status_code, request_id, response.headers)
        try:
            body = load_json(response.content) if response.content else None
        except TooDeep:
            raise errors.nested_too_deep(action, response.status_code, auth is not None, request_id=request_id)
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise errors.not_a_json_object(action, response.status_code, body_excerpt(response.text), auth is not None,
                                           request_id=request_id)
        return ApiReply(body, response.status_code, request_id, response.headers)

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
                    refused = errors.redirect_to_another_origin(origin_text(connect_origin(target)))
            except (UrlError, ValueError) as exc:
                refused = errors.redirect_untrusted(exc)
            if refused:
                # A credential (token header, signature, IAM password) must never leave its origin.
                raise errors.redirect_refused(action, response.status_code, refused, request_id=response.headers.get('X-Request-Id'))
            url = target
        raise errors.too_many_redirects(action, MAX_REDIRECTS)

    def _send(self, method, url, action, expires_at, budget, limit_name, json_body, auth):
        """One HTTP exchange, read in full within the cap and by ``expires_at``; a ``_Reply``."""
        try:
            origin = connect_origin(url)  # the origin the URL was checked for is the one connected to
        except UrlError as exc:
            raise errors.url_refused(action, url_for_message(url), exc)
        if auth is not None:
            self.request_count += 1
        headers = {'Accept': 'application/json', 'Content-Type': 'application/json', 'User-Agent': USER_AGENT,
                   'Accept-Encoding': 'gzip, deflate'}
        remaining = expires_at - time.monotonic()
        if remaining <= 0:
            raise errors.timed_out(action, origin_text(origin), budget, limit_name)
        response = reply = None
        try:
            with WallClockLimit(remaining), lookup_deadline(expires_at):
                try:
                    with warnings.catch_warnings():
                        # validate_certs=false is the user's explicit choice; don't print a warning per request.
                        warnings.simplefilter('ignore', InsecureRequestWarning)
                        response = self.session.request(method, url, headers=headers, auth=auth, json=json_body,
                                                        timeout=(remaining, remaining), verify=self.verify,
                                                        allow_redirects=False, stream=True)
                    self._origins.answered(origin)
                    reply = _Reply(response.status_code, response.reason, response.headers, b'', url)
                    if response.status_code not in (204, 304) and method != 'HEAD':
                        reply.content = read_capped(response.raw, response.headers.get('Content-Encoding'), expires_at)
                    return reply
                finally:
                    if response is not None:
                        response.close()
        except Expired:
            raise errors.timed_out(action, origin_text(origin), budget, limit_name, **(reply.keys() if reply else {}))
        except BodyTooLarge:
            raise errors.body_too_large(action, origin_text(origin), **reply.keys())
        except (requests.exceptions.RequestException, Urllib3Error, HTTPException, OSError, ValueError, zlib.error) as exc:
            # Everything the network, TLS, or a malformed answer can raise while sending or reading.
            raise _exchange_error(exc, action, origin, budget, limit_name, reply)

    def _refused_hint(self, status, auth):
        """What a user should check first when the API (not IAM) refuses the request: a 401 or a 403."""
        if status == 401:
            return auth.refused_hint()
        if status == 403:
            return errors.wrong_project_hint(self.api_base.rsplit('/', 1)[-1] if self.api_base else '?')
        return None

    def _scrubbed(self, error):
        """Blank out any secret the client knows, should a server have echoed one into a message."""
        error.msg = self.scrub(error.msg)
        error.err_msg = self.scrub(error.err_msg)
        error.err_code = self.scrub(error.err_code)
        # ansible-core 2.22 no longer blanks no_log values in results (only in what it displays)
        error.request_id = self.scrub(error.request_id)
        return error


def _any_json_reply(response, action, request_id):
    """The ``ApiReply`` of an accepted answer: any JSON value as its body, ``{}`` for an empty one (or a JSON null)."""
    try:
        body = load_json(response.content) if response.content.strip() else None
    except TooDeep:
        raise errors.nested_too_deep(action, response.status_code, True, request_id=request_id)
    except ValueError:
        raise acting.answer_not_json(action, response.status_code, body_excerpt(response.text), request_id=request_id)
    if request_id is None and isinstance(body, dict) and isinstance(body.get('request_id'), str):
        request_id = body['request_id']  # the gateway's dialect carries it in the body
    return ApiReply({} if body is None else body, response.status_code, request_id, response.headers)


def _no_redirects(*args, **kwargs):
    return iter(())


def exception_chain(exc, depth=10):
    """``exc`` and the exceptions it wraps (urllib3 and requests nest them several deep)."""
    seen = 0
    while exc is not None and seen < depth:
        yield exc
        nested = [arg for arg in (getattr(exc, 'reason', None),) + tuple(getattr(exc, 'args', ())) if isinstance(arg, BaseException)]
        exc = nested[0] if nested else (exc.__cause__ or exc.__context__)
        seen += 1


def _is_timeout(exc):
    """A read or connect that timed out, however the layers wrapped it."""
    return any(isinstance(inner, (requests.exceptions.Timeout, TimeoutError)) or type(inner).__name__ in _TIMEOUT_NAMES
               for inner in exception_chain(exc))


def _connection_cause(exc):
    """``(cause in words, whether a wrong address gives it)`` for a request that got no HTTP answer."""
    for inner in exception_chain(exc):
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


def _describe_exception(exc, origin):
    text = str(exc)
    if isinstance(exc, requests.exceptions.SSLError):
        return errors.describe_tls_failure(text, origin)
    if isinstance(exc, requests.exceptions.ProxyError):
        return errors.proxy_failed(origin)
    reason = _ERRNO_RE.search(text) or _REMOTE_CLOSED_RE.search(text)
    if isinstance(exc, (requests.exceptions.ConnectionError, OSError)):
        return errors.connection_failed(origin, reason.group(1).strip() if reason else type(exc).__name__)
    if isinstance(exc, ValueError):
        return errors.answer_unreadable(origin, text if isinstance(exc, UrlError) else type(exc).__name__)
    return errors.talk_failed(type(exc).__name__, origin)


def _exchange_error(exc, action, origin, budget, limit_name, reply):
    """The ``SfsTurboError`` for an exchange that raised ``exc`` (``reply``: what came before it did, if anything)."""
    keys = reply.keys() if reply is not None else {}
    if _is_timeout(exc):
        return errors.timed_out(action, origin_text(origin), budget, limit_name, **keys)
    description = _describe_exception(exc, origin_text(origin))
    cause, wrong_address = _connection_cause(exc) if reply is None else ('connection dropped', False)
    if errors.NO_TLS_WORDS in description:
        cause, wrong_address = 'TLS to a plain HTTP port', True
    final = (requests.exceptions.SSLError, requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader, ValueError, zlib.error)
    return errors.exchange_failed(action, description, transient=not isinstance(exc, final), cause=cause,
                                  wrong_address=wrong_address, **keys)
