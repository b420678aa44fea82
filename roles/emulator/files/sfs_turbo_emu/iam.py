# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The IAM token API: ``POST /v3/auth/tokens`` (password authentication, project scope), as OTC's IAM answers it."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from urllib.parse import parse_qsl

TOKENS_PATH = '/v3/auth/tokens'
IAM_TIME_FORMAT = '%Y-%m-%dT%H:%M:%S'
WRONG_CREDENTIALS = 'The username or password is wrong.'
WRONG_SCOPE = 'The request you have made requires authentication.'


def format_iam_time(wall):
    """A unix time as IAM writes it: ``2026-11-28T10:00:00.000000Z``."""
    micro = min(int((wall % 1) * 1000000), 999999)
    return f'{time.strftime(IAM_TIME_FORMAT, time.gmtime(wall))}.{micro:06d}Z'


def stable_id(*parts):
    """A 32-hex id derived from names, so that ids stay the same from one run to the next."""
    return hashlib.sha256(':'.join(parts).encode('utf-8')).hexdigest()[:32]


def _member(data, key, kind, what):
    """``data[key]`` checked to be of ``kind``; ValueError naming the field (never its value) otherwise."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, kind) or (kind is str and not value):
        expected = 'a non-empty string' if kind is str else ('an object' if kind is dict else 'a list')
        raise ValueError(f'{what}.{key} must be {expected}')
    return value


def parse_password_auth(data):
    """(user name, password, domain dict, project scope dict) of a password request; ValueError names a field, never a value."""
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


def _reason(exc):
    """Short reason for a 400, without any part of the request body."""
    if isinstance(exc, UnicodeDecodeError):
        return 'not UTF-8'
    if isinstance(exc, json.JSONDecodeError):
        return f'not JSON ({exc.msg} at position {exc.pos})'
    return str(exc)


def login(request, query):
    """Answer ``/v3/auth/tokens``: 201 with ``X-Subject-Token``, or IAM's error."""
    entry = request.entry
    if request.command != 'POST':
        request.iam_error(405, 'Method Not Allowed', 'The method is not allowed for the requested URL.', headers={'Allow': 'POST'})
        return
    try:
        user, password, domain, project = parse_password_auth(json.loads(request.body.decode('utf-8')))
        request.caller_secret = password
    except ValueError as exc:
        # json and UnicodeDecodeError messages quote at most a position, never the password.
        request.iam_error(400, 'Bad Request', f'The request body is invalid: {_reason(exc)}')
        return
    server = request.server
    auth = server.auth
    entry['user'] = user
    domain_ok = (domain.get('name') == auth.iam_domain if 'name' in domain
                 else domain.get('id') == stable_id('domain', auth.iam_domain))
    expected = auth.password_of(user)
    # Evaluate every comparison, so that timing tells nothing about which one failed.
    checks = [expected is not None, hmac.compare_digest(password.encode('utf-8'), (expected or '\0').encode('utf-8')), domain_ok]
    if not all(checks):
        request.iam_error(401, 'Unauthorized', WRONG_CREDENTIALS)
        return
    if not (project.get('id') == server.project_id if 'id' in project else project.get('name') == auth.project_name):
        request.iam_error(401, 'Unauthorized', WRONG_SCOPE)
        return
    if server.state.throttle_login(auth.iam_throttle):
        request.iam_error(429, 'Too Many Requests', 'The throttling threshold has been reached.', headers={'Retry-After': '1'},
                          code='IAM.0012')
        return
    with_catalog = 'nocatalog' not in dict(parse_qsl(query or '', keep_blank_values=True))
    token, entry['token_serial'] = server.state.issue_token(user, auth.token_lifetime, auth.token_revoked_after)
    request.send_json(201, {'token': token_body(server, time.time(), with_catalog, user)}, headers={'X-Subject-Token': token})


def token_body(server, now, with_catalog, user):
    """The ``token`` of a login's answer; the catalog's ``sfsturbo`` entry points back at this server."""
    auth = server.auth
    project_id = server.project_id
    domain = {'name': auth.iam_domain, 'id': stable_id('domain', auth.iam_domain)}
    body = {
        'methods': ['password'],
        'expires_at': format_iam_time(now + auth.token_lifetime),
        'issued_at': format_iam_time(now),
        'user': {'name': user, 'id': stable_id('user', auth.iam_domain, user), 'domain': dict(domain), 'password_expires_at': ''},
        'project': {'id': project_id, 'name': auth.project_name, 'domain': dict(domain)},
        'roles': [{'name': 'te_admin', 'id': stable_id('role', 'te_admin')}],
    }
    if with_catalog:
        base = server.url
        catalog = [{'type': 'identity', 'name': 'iam', 'id': stable_id('service', 'identity'),
                    'endpoints': [{'url': f'{base}/v3', 'region': '*', 'region_id': '*', 'interface': 'public',
                                   'id': stable_id('endpoint', 'identity')}]}]
        if auth.catalog_sfsturbo:
            catalog.append({'type': 'sfsturbo', 'name': 'sfsturbo', 'id': stable_id('service', 'sfsturbo'),
                            'endpoints': [{'url': f'{base}/v1/{project_id}', 'region': auth.region, 'region_id': auth.region,
                                           'interface': 'public', 'id': stable_id('endpoint', 'sfsturbo', auth.region)}]})
        body['catalog'] = catalog
    return body
