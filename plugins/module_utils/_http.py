# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP client all modules share: one session, timeouts, retries, safe redirects, errors.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import re
import warnings
from urllib.parse import urljoin, urlsplit

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Clock
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError, body_excerpt, describe_http_error
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import backoff_delay, parse_retry_after

try:
    import requests
    from urllib3.exceptions import InsecureRequestWarning
except ImportError:
    requests = None
    InsecureRequestWarning = Warning

HAS_REQUESTS = requests is not None
USER_AGENT = 'otc_community.sfs_turbo/1.0.0'
MAX_REDIRECTS = 5
_ERRNO_RE = re.compile(r'\[Errno -?\d+\] ([^\'")\]]+)')
_REMOTE_CLOSED_RE = re.compile(r"RemoteDisconnected\('([^']+)'")


def _origin(url):
    parts = urlsplit(url)
    default_port = {'https': 443, 'http': 80}.get(parts.scheme)
    try:
        port = parts.port or default_port
    except ValueError:  # a port out of range: no origin anyone could match
        port = -1
    return parts.scheme, (parts.hostname or '').lower(), port


def _origin_text(url):
    scheme, host, port = _origin(url)
    return '%s://%s:%s' % (scheme, host, port)


class ApiClient:
    """Sends requests below ``api_base`` (``<endpoint>/v1/<project_id>``) and to IAM; returns JSON objects.

    Transient failures (connection errors, timeouts, HTTP 429/500/502/503/504) are retried
    with exponential backoff and jitter, honouring ``Retry-After``: up to ``retries`` times,
    or, with ``retry_until_deadline``, as long as the deadline allows. Everything else raises
    ``SfsTurboError`` at once. ``request_count`` counts the API requests sent (not IAM's).
    """

    def __init__(self, api_base, auth, validate_certs=True, ca_path=None, request_timeout=30.0,
                 retries=4, clock=None, session=None):
        # None until known: password auth may learn it from the IAM catalog.
        self.api_base = api_base.rstrip('/') if api_base else None
        self.auth = auth
        self.verify = (ca_path or True) if validate_certs else False
        self.request_timeout = request_timeout
        self.retries = retries
        self.clock = clock or Clock()
        self.session = session or requests.Session()
        self.request_count = 0
        # Status and request id of the last API response that carried a job (for failure results).
        self.last_http_status = None
        self.last_request_id = None

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
        attempt = 0
        reauthenticated = False
        while True:
            try:
                return self._attempt(method, url, action, json_body, request_auth, deadline)
            except SfsTurboError as error:
                if (error.http_status == 401 and request_auth is not None and not reauthenticated
                        and self.auth.reauthenticate()):
                    # An expired token: one fresh login, one more try, not counted as a retry.
                    reauthenticated = True
                    continue
                if not error.transient:
                    raise self._scrubbed(error)
                # Retry-After is a floor, not a licence to hammer: "0" or a past date still backs off.
                pause = max(error.retry_after or 0.0, backoff_delay(attempt))
                if deadline is not None and pause >= deadline.remaining():
                    raise self._scrubbed(error)
                if not retry_until_deadline and attempt >= self.retries:
                    if attempt:
                        error.msg = '%s (gave up after %d attempts)' % (error.msg.rstrip('.'), attempt + 1) + '.'
                    raise self._scrubbed(error)
                self.clock.sleep(pause)
                attempt += 1

    def _attempt(self, method, url, action, json_body, auth, deadline):
        timeout = self.request_timeout
        if deadline is not None:
            # One slow request must not carry a wait far past its deadline.
            timeout = min(timeout, max(deadline.remaining(), 1.0))
        response = self._send_following_safe_redirects(method, url, action, timeout, json_body, auth)
        if response.status_code >= 400:
            error = describe_http_error(action, response.status_code, response.reason, response.text,
                                        response.headers.get('X-Request-Id'))
            if error.transient:
                error.retry_after = parse_retry_after(response.headers.get('Retry-After'))
            raise error
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            excerpt = body_excerpt(response.text)
            hint = 'check that endpoint points at the SFS Turbo API' if auth is not None else 'check auth_url'
            raise SfsTurboError(
                'Could not %s: HTTP %s, but the body is not a JSON object (%s); %s.'
                % (action, response.status_code, excerpt or 'empty body', hint),
                http_status=response.status_code, request_id=response.headers.get('X-Request-Id'))
        if auth is not None:
            self.last_http_status = response.status_code
            self.last_request_id = response.headers.get('X-Request-Id')
        return body, response.headers

    def _send_following_safe_redirects(self, method, url, action, timeout, json_body, auth):
        for dummy in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, action, timeout, json_body, auth)
            if not response.is_redirect:
                return response
            target = urljoin(url, response.headers['Location'])
            if _origin(target) != _origin(url):
                # requests would carry X-Auth-Token along; a credential must never leave its origin.
                raise SfsTurboError(
                    'Could not %s: HTTP %s redirects to %s, another origin than the endpoint; credentials are not sent there.'
                    % (action, response.status_code, _origin_text(target)),
                    http_status=response.status_code, request_id=response.headers.get('X-Request-Id'))
            url = target
        raise SfsTurboError('Could not %s: more than %d redirects.' % (action, MAX_REDIRECTS))

    def _send(self, method, url, action, timeout, json_body, auth):
        if auth is not None:
            self.request_count += 1
        headers = {'Accept': 'application/json', 'Content-Type': 'application/json', 'User-Agent': USER_AGENT}
        try:
            with warnings.catch_warnings():
                # validate_certs=false is the user's explicit choice; don't print a warning per request.
                warnings.simplefilter('ignore', InsecureRequestWarning)
                return self.session.request(method, url, headers=headers, auth=auth, json=json_body, timeout=timeout,
                                            verify=self.verify, allow_redirects=False)
        except requests.exceptions.RequestException as exc:
            raise SfsTurboError('Could not %s: %s.' % (action, self._describe_exception(exc, url, timeout)),
                                transient=not isinstance(exc, (requests.exceptions.SSLError, requests.exceptions.InvalidURL,
                                                               requests.exceptions.InvalidHeader)))

    @staticmethod
    def _describe_exception(exc, url, timeout):
        origin = _origin_text(url)
        if isinstance(exc, requests.exceptions.SSLError):
            return 'TLS verification of %s failed; set ca_path to your CA bundle (or validate_certs to false for a test endpoint)' % origin
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return 'connecting to %s timed out after %g s' % (origin, timeout)
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return '%s sent no answer within %g s (request_timeout)' % (origin, timeout)
        if isinstance(exc, requests.exceptions.ProxyError):
            return 'the proxy refused or failed the connection to %s' % origin
        text = str(exc)
        reason = _ERRNO_RE.search(text) or _REMOTE_CLOSED_RE.search(text)
        if isinstance(exc, requests.exceptions.ConnectionError):
            return 'connection to %s failed (%s)' % (origin, reason.group(1).strip() if reason else type(exc).__name__)
        return '%s while talking to %s' % (type(exc).__name__, origin)

    def _scrubbed(self, error):
        """Blank out any secret the auth holds, should a server have echoed one into a message."""
        for secret in self.auth.secrets():
            if secret and len(secret) >= 4:
                error.msg = error.msg.replace(secret, '********')
                if isinstance(error.err_msg, str):
                    error.err_msg = error.err_msg.replace(secret, '********')
        return error
