# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authentication of API requests.

An auth object is a ``requests`` auth callable (it adds its headers to each prepared
request) with two more methods the client uses:

- ``reauthenticate()``: get fresh credentials after a 401; ``False`` when it cannot
  (a token given by the user cannot be renewed), so the 401 is final;
- ``secrets()``: the secret strings it holds, which the client scrubs from every message.

Token auth is implemented here. Password (IAM) and AK/SK signing plug in as further classes
chosen by ``select_auth`` in the contract's order: token, then AK/SK, then password.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError


class TokenAuth:
    """An IAM token sent as ``X-Auth-Token``."""

    def __init__(self, token):
        self._token = token

    def __call__(self, request):
        request.headers['X-Auth-Token'] = self._token
        return request

    def reauthenticate(self):
        return False

    def secrets(self):
        return [self._token]

    def __repr__(self):
        # Never show the token, even in a debugger or a traceback.
        return 'TokenAuth(<hidden>)'


def select_auth(params):
    """Pick the auth method from the module parameters, or fail naming what to set."""
    token = params.get('auth_token')
    if token:
        if any(char in token for char in '\r\n'):
            raise SfsTurboError('auth_token must be a single line: it is sent as an HTTP header.')
        return TokenAuth(token.strip())
    raise SfsTurboError('No credentials: set auth_token (or OS_AUTH_TOKEN) to an IAM token.')
