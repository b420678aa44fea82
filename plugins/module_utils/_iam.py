# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""IAM: a project-scoped token for a user and password, and the SFS Turbo endpoint of its catalog.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import calendar
import re

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _errors as errors
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._urls import UrlError, connect_origin, quote_user_input

CATALOG_TYPE = 'sfsturbo'
_IAM_TIME_RE = re.compile(r'^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$')


class IamToken:
    """A token from IAM: the token, its project, the ``sfsturbo`` services of its catalog, its times.

    ``expires_at`` and ``issued_at`` are unix times, or ``None`` when IAM's answer gave none that reads.
    """

    def __init__(self, token, project_id, services, expires_at=None, issued_at=None):
        self.token = token
        self.project_id = project_id
        self.services = services
        self.expires_at = expires_at
        self.issued_at = issued_at


def parse_iam_time(text):
    """Unix time of an IAM timestamp (``2026-11-28T10:00:00.000000Z``), or ``None``."""
    if not isinstance(text, str):
        return None
    match = _IAM_TIME_RE.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction = float('0.' + match.group(7)) if match.group(7) else 0.0
    zone = match.group(8) or 'Z'
    offset = 0
    if zone != 'Z':
        sign = -1 if zone[0] == '-' else 1
        digits = zone[1:].replace(':', '')
        offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    try:
        return calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)) + fraction - offset
    except (ValueError, OverflowError):
        return None


def tokens_url(auth_url):
    """``{auth_url}/auth/tokens``; an ``auth_url`` without a path gets the usual ``/v3``."""
    base = auth_url.strip().rstrip('/')
    try:
        connect_origin(base)
    except UrlError as exc:
        if 'user info' in str(exc):
            raise errors.url_with_user_info('auth_url', quote_user_input(auth_url))
        raise errors.invalid_url('auth_url', quote_user_input(auth_url), 'the IAM URL, for example https://iam.eu-de.otc.t-systems.com/v3')
    if '?' in base or '#' in base:
        raise errors.url_with_query('auth_url')
    if base.split('://', 1)[1].find('/') < 0:
        base += '/v3'
    return base + '/auth/tokens'


def token_request_body(username, password, user_domain_name, project_id=None, project_name=None):
    project = {'id': project_id} if project_id else {'name': project_name}
    return {'auth': {
        'identity': {'methods': ['password'],
                     'password': {'user': {'name': username, 'password': password, 'domain': {'name': user_domain_name}}}},
        'scope': {'project': project},
    }}


def sfsturbo_services(catalog):
    """The catalog's ``sfsturbo`` services with their endpoints, reduced to what ``catalog_endpoint`` reads."""
    services = []
    for service in catalog or []:
        if not isinstance(service, dict) or service.get('type') != CATALOG_TYPE:
            continue
        endpoints = [{key: ep[key] for key in ('url', 'interface', 'region', 'region_id') if isinstance(ep.get(key), str)}
                     for ep in service.get('endpoints') or [] if isinstance(ep, dict) and isinstance(ep.get('url'), str)]
        services.append({'type': CATALOG_TYPE, 'endpoints': endpoints[:20]})
    return services[:5]


def catalog_endpoint(catalog, region=None):
    """The public URL of the ``sfsturbo`` service in the token's catalog, or ``None``."""
    for service in catalog or []:
        if not isinstance(service, dict) or service.get('type') != CATALOG_TYPE:
            continue
        endpoints = [ep for ep in service.get('endpoints') or [] if isinstance(ep, dict) and ep.get('url')]
        public = [ep for ep in endpoints if ep.get('interface', 'public') == 'public'] or endpoints
        if region:
            public = [ep for ep in public if region in (ep.get('region'), ep.get('region_id'))] or public
        if public:
            return public[0]['url']
    return None


def request_token(client, auth_url, username, password, user_domain_name, project_id=None, project_name=None):
    """POST the password identity to IAM; return the ``IamToken``."""
    url = tokens_url(auth_url)
    scope = project_id or project_name
    action = 'get an IAM token for user %s in project %s from %s' % (username, scope, url.rsplit('/auth/tokens', 1)[0])
    # Within a wait, a throttled (429 IAM.0012) or failing IAM is ridden out until the deadline, as polls are.
    reply = client.request_json('POST', url, action, auth=False, retry_until_deadline=client.deadline is not None,
                                json_body=token_request_body(username, password, user_domain_name, project_id, project_name),
                                refused_hint=errors.login_refused_hint(project_id))
    body = reply.body
    token = reply.headers.get('X-Subject-Token')
    if not token:
        raise errors.no_subject_token(action)
    token_body = body.get('token') if isinstance(body.get('token'), dict) else {}
    project = token_body.get('project') if isinstance(token_body.get('project'), dict) else {}
    return IamToken(token, project.get('id'), sfsturbo_services(token_body.get('catalog')),
                    parse_iam_time(token_body.get('expires_at')), parse_iam_time(token_body.get('issued_at')))
