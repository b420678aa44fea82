# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authentication of API requests: a given token, IAM password, or AK/SK signing.

An auth object is a ``requests`` auth callable (it adds its headers to each prepared
request) with a few more methods the client and the option resolution use:

- ``start(client)``: anything to do before the first API request (password auth logs in
  here and learns the project and the catalog's endpoint);
- ``bind_project(project_id)``: the project the requests are for, once it is known;
- ``before_request()``: renew credentials about to expire, before an API request;
- ``reauthenticate()``: get fresh credentials after a 401; ``False`` when it cannot
  (a token given by the user cannot be renewed), so the 401 is final; else ``RENEWED_FROM_CACHE``
  (another module run's newer token: may be refused too) or ``RENEWED_BY_LOGIN``;
- ``secrets()``: the secret strings it holds, which the client scrubs from every message.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import datetime
import time
from urllib.parse import urlsplit

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _errors as errors
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._iam import catalog_endpoint, request_token, tokens_url
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import RENEWED_BY_LOGIN, RENEWED_FROM_CACHE
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._signer import DATE_FORMAT, authorization_header
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._token_cache import (
    DEFAULT_VALIDITY,
    LOCK_WAIT,
    CachedToken,
    TokenCache,
    identity_fields,
)

# Bounds of a token's validity as IAM states it (24 h for OTC): a shorter one would make every request
# log in again, a longer one is not IAM's.
MIN_VALIDITY = 1.0
MAX_VALIDITY = 7 * 86400.0


class _Auth:
    discovered_project_id = None
    discovered_endpoint = None

    def start(self, client):
        pass

    def bind_project(self, project_id):
        pass

    def before_request(self):
        pass

    def reauthenticate(self):
        return False

    def secrets(self):
        return []

    def refused_hint(self):
        """What to check when the API answers 401 to these credentials (names the options used)."""
        return errors.CHECK_CREDENTIALS

    def __repr__(self):
        # Never show a secret, even in a debugger or a traceback.
        return '%s(<hidden>)' % type(self).__name__


class TokenAuth(_Auth):
    """An IAM token given by the user, sent as ``X-Auth-Token``."""

    def __init__(self, token):
        self._token = token

    def __call__(self, request):
        request.headers['X-Auth-Token'] = self._token
        return request

    def secrets(self):
        return [self._token]

    def refused_hint(self):
        return errors.TOKEN_REFUSED_HINT


class PasswordAuth(TokenAuth):
    """An IAM token got with a user name and password, shared through the run's token cache if there is one.

    Without a cache (the module does not run on the controller's machine) it logs in once per module
    run. With one (``_token_cache.TokenCache``) it takes the identity's token from it, and only the first
    run to find none (or one about to expire, or the one the API just refused) logs in, holding the
    identity's lock, while the others wait for it and then take the new token.
    """

    def __init__(self, auth_url, username, password, user_domain_name, project_id=None, project_name=None, region=None,
                 cache=None):
        super().__init__(None)
        self._auth_url = auth_url
        self._username = username
        self._password = password
        self._user_domain_name = user_domain_name
        self._project_id = project_id
        self._project_name = project_name
        self._region = region
        self._cache = cache
        self._entry_name = None
        self._client = None
        self._current = None  # the CachedToken in use
        self._issued = []  # every token used in this run, got or cached, for scrubbing and masking

    def start(self, client):
        self._client = client
        if self._cache is not None:
            self._entry_name = self._cache.name_for(identity_fields(
                tokens_url(self._auth_url), self._user_domain_name, self._username, self._project_id, self._project_name,
                client.verify, self._password))
        self._obtain(refused=None)

    def before_request(self):
        """Renew a token that is about to expire before it is sent (a 401 would cost a request)."""
        if self._current is not None and not self._current.fresh():
            self._obtain(refused=self._token)

    def reauthenticate(self):
        """After a 401: the token another run got meanwhile, else a login of our own."""
        return self._obtain(refused=self._token)

    def _usable(self, entry, refused):
        return entry is not None and entry.fresh() and entry.token != refused

    def _obtain(self, refused):
        """A token other than ``refused`` that is not about to expire: ``RENEWED_FROM_CACHE`` or ``RENEWED_BY_LOGIN``."""
        cache, name = self._cache, self._entry_name
        if cache is None:
            self._login()
            return RENEWED_BY_LOGIN
        entry = cache.load(name)
        if self._usable(entry, refused):
            self._use(entry)
            return RENEWED_FROM_CACHE
        deadline = self._client.deadline
        wait = LOCK_WAIT if deadline is None else min(LOCK_WAIT, deadline.remaining())
        lock = cache.lock(name, wait)
        if lock is None:  # another run's login takes too long: do without the cache this time
            self._login()
            return RENEWED_BY_LOGIN
        with lock:
            # Whoever held the lock before us may have stored the token we need.
            entry = cache.load(name)
            if self._usable(entry, refused):
                self._use(entry)
                return RENEWED_FROM_CACHE
            cache.store(name, self._login())
        return RENEWED_BY_LOGIN

    def _login(self):
        iam = request_token(self._client, self._auth_url, self._username, self._password, self._user_domain_name,
                            self._project_id, self._project_name)
        # Validity in this machine's clock (IAM's clock may differ from ours), within sane bounds.
        validity = DEFAULT_VALIDITY
        if iam.expires_at is not None and iam.issued_at is not None:
            validity = min(max(iam.expires_at - iam.issued_at, MIN_VALIDITY), MAX_VALIDITY)
        now = time.time()
        entry = CachedToken(iam.token, now + validity, now, iam.project_id, iam.services)
        self._use(entry)
        return entry

    def _use(self, entry):
        self._current = entry
        self._token = entry.token
        if entry.token not in self._issued:
            self._issued.append(entry.token)
        self.discovered_project_id = entry.project_id
        self.discovered_endpoint = catalog_endpoint(entry.services, self._region)

    def secrets(self):
        return [self._password] + self._issued

    def refused_hint(self):
        return errors.PASSWORD_TOKEN_REFUSED_HINT


class AkSkAuth(_Auth):
    """Each request signed with an access key and secret key (``SDK-HMAC-SHA256``).

    ``X-Project-Id`` and, for temporary credentials, ``X-Security-Token`` are set before
    signing, so the gateway sees them signed.
    """

    def __init__(self, access_key, secret_key, security_token=None, utcnow=None):
        self._access_key = access_key
        self._secret_key = secret_key
        self._security_token = security_token
        self._project_id = None
        self._utcnow = utcnow or (lambda: datetime.datetime.now(datetime.timezone.utc))

    def bind_project(self, project_id):
        self._project_id = project_id

    def __call__(self, request):
        signed = {
            'Content-Type': request.headers.get('Content-Type', 'application/json'),
            # requests adds Host only when sending; the signature needs it now, so set it here.
            'Host': urlsplit(request.url).netloc,
            'X-Sdk-Date': self._utcnow().strftime(DATE_FORMAT),
            'X-Project-Id': self._project_id,
        }
        if self._security_token:
            signed['X-Security-Token'] = self._security_token
        request.headers.update(signed)
        request.headers['Authorization'] = authorization_header(request.method, request.url, signed, request.body,
                                                                self._access_key, self._secret_key)
        return request

    def secrets(self):
        return [self._secret_key] + ([self._security_token] if self._security_token else [])

    def refused_hint(self):
        return errors.signature_refused_hint(bool(self._security_token))


def _header_safe(name, value):
    """A credential sent in (or signing) an HTTP header: printable ASCII on one line. Never echoed."""
    value = value.strip()
    if not (value.isascii() and value.isprintable()):
        raise errors.header_unsafe(name)
    return value


def select_auth(params):
    """Pick the auth method in the contract's order (token, AK/SK, password), or fail naming what to set."""
    if params.get('auth_token'):
        return TokenAuth(_header_safe('auth_token', params['auth_token']))
    access_key, secret_key = params.get('access_key'), params.get('secret_key')
    if access_key and secret_key:
        security_token = params.get('security_token')
        return AkSkAuth(_header_safe('access_key', access_key), _header_safe('secret_key', secret_key),
                        _header_safe('security_token', security_token) if security_token else None)
    if params.get('username') or params.get('password'):
        needed = [('auth_url', 'OS_AUTH_URL'), ('username', 'OS_USERNAME'), ('password', 'OS_PASSWORD'),
                  ('user_domain_name', 'OS_USER_DOMAIN_NAME')]
        missing = ['%s (or %s)' % pair for pair in needed if not params.get(pair[0])]
        if not (params.get('project_id') or params.get('project_name')):
            missing.append('project_id or project_name (or OS_PROJECT_ID / OS_PROJECT_NAME)')
        if missing:
            raise errors.password_auth_needs(missing)
        return PasswordAuth(params['auth_url'], params['username'], params['password'], params['user_domain_name'],
                            params.get('project_id'), params.get('project_name'), params.get('region'),
                            cache=TokenCache.from_environment())
    if access_key or secret_key:
        missing = 'secret_key (or OS_SECRET_KEY)' if access_key else 'access_key (or OS_ACCESS_KEY)'
        raise errors.aksk_needs(missing)
    raise errors.no_credentials()
