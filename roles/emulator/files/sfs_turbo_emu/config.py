# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's well-known credentials and its IAM and AK/SK settings (``AuthConfig``)."""

from __future__ import annotations

import dataclasses

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
IAM_TOKEN_VALIDITY = 24 * 3600.0
# Largest difference between X-Sdk-Date and the server clock that the gateway accepts.
SDK_DATE_SKEW = 15 * 60.0


def _bad_number(value, minimum, strict=False):
    return (isinstance(value, bool) or not isinstance(value, (int, float))
            or (value <= minimum if strict else value < minimum))


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
        if _bad_number(self.token_lifetime, 0, strict=True):
            raise ValueError(f'token-lifetime must be a number of seconds > 0, got {self.token_lifetime!r}')
        if _bad_number(self.token_revoked_after, 0):
            raise ValueError(f'token-revoked-after must be a number of seconds >= 0 (0 = never), got {self.token_revoked_after!r}')
        if not isinstance(self.extra_users, dict) or not all(
                isinstance(name, str) and name and isinstance(password, str) and password for name, password in self.extra_users.items()):
            raise ValueError('extra IAM users must be non-empty names with non-empty passwords')
        if self.iam_user in self.extra_users:
            raise ValueError('an extra IAM user must not be named like --iam-user')
        if _bad_number(self.sdk_date_skew, 0):
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


def auth_config(auth):
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
