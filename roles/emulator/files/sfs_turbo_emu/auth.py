# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authentication of API requests as the API gateway does it: a token (static or IAM-issued) or an AK/SK signature."""

from __future__ import annotations

import calendar
import hmac
import re
import time

from .signing import SDK_ALGORITHM, SDK_DATE_FORMAT, compute_signature

TOKEN_EXPIRED_MSG = 'The token must be updated.'
APP_AUTH_MSG = 'Incorrect app authentication information: '
AUTHORIZATION_RE = re.compile(r'^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9A-Fa-f]+)\s*$')


def authenticate(request, project):
    """Whether the request's credentials are good; if not, it has been answered (401, or 403 for an AK/SK of another project)."""
    entry = request.entry
    server = request.server
    token = request.headers.get('X-Auth-Token')
    issued = None
    request.caller_secret = token or request.headers.get('X-Security-Token')
    if token:
        if token == server.token:
            entry['auth'] = 'token'
            return True
        issued = server.state.use_token(token, server.auth.token_uses)
        if issued is not None:
            accepted, entry['user'], entry['token_serial'] = issued
            issued = accepted
        if issued:
            entry['auth'] = 'iam-token'
            return True
    if request.headers.get('Authorization', '').strip().upper().startswith(SDK_ALGORITHM):
        return _authenticate_aksk(request, project)
    if issued is False:
        request.gateway_error(401, 'APIG.0307', TOKEN_EXPIRED_MSG)
        return False
    detail = 'x-auth-token not found' if not token else 'decrypt token fail'
    request.gateway_error(401, 'APIG.0301', f'Incorrect IAM authentication information: {detail}')
    return False


def _failed(request, detail):
    # Never put a secret (SK, security token) into ``detail``.
    request.gateway_error(401, 'APIG.0303', APP_AUTH_MSG + detail)
    return False


def _authenticate_aksk(request, project):
    """Verify an SDK-HMAC-SHA256 signature as the API gateway does."""
    auth = request.server.auth
    headers_in = request.headers
    match = AUTHORIZATION_RE.match(headers_in.get('Authorization', '').strip())
    if not match:
        return _failed(request, 'authorization header format error')
    access_key, signed_line, signature = match.groups()
    signed_headers = signed_line.split(';')
    names = {name.lower() for name in signed_headers}
    if 'host' not in names or 'x-sdk-date' not in names:
        return _failed(request, 'signed headers must include host and x-sdk-date')
    sdk_date = (headers_in.get('X-Sdk-Date') or '').strip()
    if not sdk_date:
        return _failed(request, 'x-sdk-date not found')
    try:
        signed_at = calendar.timegm(time.strptime(sdk_date, SDK_DATE_FORMAT))
    except ValueError:
        return _failed(request, 'x-sdk-date format error, expected YYYYMMDDTHHMMSSZ')
    now = time.time()
    if abs(now - signed_at) > auth.sdk_date_skew:
        server_time = time.strftime(SDK_DATE_FORMAT, time.gmtime(now))
        return _failed(request, f'signature expired, signature time:{sdk_date},server time:{server_time}')
    project_header = headers_in.get('X-Project-Id')
    if 'x-project-id' not in names or not project_header:
        return _failed(request, 'signed headers must include x-project-id')
    secret = auth.secret_for(access_key)
    if secret is None:
        return _failed(request, 'verify aksk signature fail')
    secret_key, temporary = secret
    request.caller_secret = headers_in.get('X-Security-Token') or secret_key
    headers = {name: headers_in.get(name, '') for name in signed_headers}
    if headers_in.get('X-Sdk-Content-Sha256') is not None:
        headers['X-Sdk-Content-Sha256'] = headers_in.get('X-Sdk-Content-Sha256')
    expected = compute_signature(request.command, request.path, headers, request.body, secret_key, signed_headers)['signature']
    if not hmac.compare_digest(expected, signature.lower()):
        return _failed(request, 'verify aksk signature fail')
    if temporary:
        # Header values are latin-1 decoded by http.server; compare bytes (compare_digest refuses non-ASCII str).
        given = (headers_in.get('X-Security-Token') or '').encode('latin-1', 'replace')
        if not hmac.compare_digest(given, auth.security_token.encode('utf-8')):
            return _failed(request, 'invalid security token')
    request.entry['auth'] = 'aksk'
    if project and project_header != project:
        request.service_error(403, 'SFS.TURBO.0015', 'do not have the operation permission')
        return False
    return True
