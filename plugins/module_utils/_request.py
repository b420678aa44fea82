# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_request: one authenticated request to any SFS Turbo API path.

``check_path`` refuses, before any request, a ``path`` that could leave the API or change the request;
``send_request`` runs the module (check mode, retries, the result). The sentences are ``_errors``'.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import json
import re
import unicodedata
from urllib.parse import quote, urlencode

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _errors_acting as errors
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import answer_lost

PROJECT_PLACEHOLDER = '{project_id}'
# The relative paths hang below this (the API base is <endpoint>/v1/<project_id>).
SERVICE_PREFIX = 'sfs-turbo/'
_VERSION_PREFIXES = ('/v1/', '/v2/')
_SCHEME_RE = re.compile(r'\A[A-Za-z][A-Za-z0-9+.-]*:')
_PLACEHOLDER_RE = re.compile(r'[{}][^/]*')


def _unsafe_character(char):
    """Whitespace (unicode line and paragraph separators too), control, format (zero-width, bidi), unassigned."""
    return char.isspace() or unicodedata.category(char)[0] in ('C', 'Z')


def check_path(path):
    """``(path, below_root)``: the checked ``path``, and whether it starts with a version (``/v1/``, ``/v2/``).

    Raises ``SfsTurboError`` naming ``path`` for anything that could leave the API or change the request:
    a scheme or host, ``//``, ``.`` or ``..`` segments (``..;``, full-width dots too), ``?``, ``#``, any ``%`` (the AK/SK signer and servers
    decode it, so ``%2e``, ``%2f`` and ``%5c`` could smuggle what is refused here), a backslash, whitespace or a
    control character, a placeholder other than ``{project_id}``, and a leading ``/`` without a version.
    """
    if not isinstance(path, str) or not path:
        raise errors.invalid_path(str(path or ''), errors.PATH_EMPTY)
    for refused, reason in ((lambda: any(_unsafe_character(char) for char in path), errors.PATH_UNSAFE_CHARACTER),
                            (lambda: '\\' in path, errors.PATH_BACKSLASH),
                            (lambda: '%' in path, errors.PATH_PERCENT),
                            (lambda: '?' in path or '#' in path, errors.PATH_QUERY),
                            (lambda: _SCHEME_RE.match(path) or path.startswith('//'), errors.PATH_SCHEME),
                            (lambda: path.startswith('/') and not path.startswith(_VERSION_PREFIXES), errors.PATH_LEADING_SLASH),
                            (lambda: '//' in path, errors.PATH_EMPTY_SEGMENT)):
        if refused():
            raise errors.invalid_path(path, reason)
    below_root = path.startswith('/')
    segments = path[1:].split('/') if below_root else path.split('/')
    # A dot segment however a server may read it: with path parameters (``..;x``: Tomcat and others drop what
    # follows ``;``) or in compatibility forms that normalise to dots (``．．``, full width).
    if any(unicodedata.normalize('NFKC', segment.split(';', 1)[0]) in ('.', '..') for segment in segments):
        raise errors.invalid_path(path, errors.PATH_DOT_SEGMENT)
    if below_root and not ''.join(segments[1:]):
        raise errors.invalid_path(path, errors.PATH_EMPTY)
    placeholder = _PLACEHOLDER_RE.search(path.replace(PROJECT_PLACEHOLDER, ''))
    if placeholder:
        raise errors.path_placeholder(path, placeholder.group(0))
    return path, below_root


def api_path(path, below_root, project_id):
    """The path as sent: below the endpoint (``/v1/...``), ``{project_id}`` filled in."""
    path = path.replace(PROJECT_PLACEHOLDER, project_id)
    return path if below_root else '/v1/%s/%s%s' % (project_id, SERVICE_PREFIX, path)


def encode_query(query):
    """``query`` (a dict of scalars) as a query string, ``''`` for none; booleans as ``true``/``false``."""
    pairs = []
    for name, value in (query or {}).items():
        if isinstance(value, bool):
            value = 'true' if value else 'false'
        elif isinstance(value, (int, float)):
            value = str(value)
        elif not isinstance(value, str):
            raise errors.query_value_invalid(name, value)
        pairs.append((str(name), value))
    return urlencode(pairs, quote_via=quote) if pairs else ''


def check_body(body):
    """Refuse a body that is not a dict or a list, or that cannot be JSON (NaN, a set), before any request."""
    if body is None:
        return None
    if not isinstance(body, (dict, list)):
        raise errors.body_not_json('it is a %s' % type(body).__name__)
    try:
        json.dumps(body, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise errors.body_not_json(str(exc))
    return body


def check_status_codes(codes):
    if not codes or any(isinstance(code, bool) or not 100 <= code <= 599 for code in codes):
        raise errors.status_code_invalid(codes)
    return frozenset(codes)


def lifted_job_id(body):
    """The job id a body carries (``jobId`` or ``job_id``, a string), for sfs_turbo_job_wait; else ``None``."""
    if isinstance(body, dict):
        for key in ('jobId', 'job_id'):
            if isinstance(body.get(key), str) and body[key]:
                return body[key]
    return None


def may_have_acted(method, error):
    """Whether a failed request that changes something may have taken effect all the same."""
    if method == 'GET':
        return False
    return answer_lost(error) or (error.http_status is not None and error.http_status < 400)


def send_request(module):
    """Run sfs_turbo_request for ``module`` (an ``SfsTurboModule``); ``(failed, result)`` for its ``finish``."""
    params = module.params
    method = params['method']
    changes = method != 'GET'
    try:
        path, below_root = check_path(params['path'])
        query = encode_query(params.get('query'))
        body = check_body(params.get('body'))
        accepted = check_status_codes(params['status_code'])
        client = module.connect()
        shown = api_path(path, below_root, client.project_id())
        if module.ansible.check_mode and changes:
            return False, dict(changed=True, msg=errors.request_not_sent(method, shown))
        # POST: retried only when it cannot have reached the server; GET, PUT and DELETE as every request.
        reply = client.send_reply(method, shown + ('?' + query if query else ''), errors.request_action(method, shown),
                                  json_body=body, resend_after_sent=method != 'POST', accept_status=accepted, below_root=True)
    except SfsTurboError as error:
        result = error.to_result()
        acted = may_have_acted(method, error)
        if acted:
            result['msg'] = errors.request_may_have_acted(result['msg'])
        return True, dict(changed=acted, **result)
    result = dict(changed=changes, status=reply.http_status, json=reply.body)
    if reply.request_id is not None:
        result['request_id'] = reply.request_id
    job_id = lifted_job_id(reply.body)
    if job_id is not None:
        result['job_id'] = job_id
    return False, result
