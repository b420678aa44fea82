# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The file-system routes: ``GET .../shares/detail``, ``GET``/``DELETE .../shares/{id}``, ``POST .../shares``, ``POST .../shares/{id}/action``.

Apart from ``shares.py`` (the file systems' scenario part and state), so that each stays small; the
answers follow the OTC API reference.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .routing import Route
from .shares import ACTIONS, CREATE_FIELDS, KIND, create_share, share_bodies, share_body, start_operation

# The API reference gives no default or maximum for limit; 200 is the emulator's choice for both.
DEFAULT_LIMIT = 200
MAX_LIMIT = 200
_DIGITS = re.compile(r'[0-9]+')
# 4 to 64 characters, a letter first, then letters, digits, "-" and "_" (the API reference's rule).
NAME_RE = re.compile(r'[A-Za-z][A-Za-z0-9_-]{3,63}')
REQUIRED_STRINGS = ('vpc_id', 'subnet_id', 'availability_zone')
# Any non-empty string: the API's set of types grows (enhanced, HPC, ...).
OPTIONAL_STRINGS = ('share_proto', 'share_type', 'enterprise_project_id')
# What a created file system keeps of the body (metadata: kept, not shown).
CREATE_KEYS = ('name', 'size', 'security_group_id', 'metadata') + CREATE_FIELDS


def _query_int(query, key, default):
    """A query parameter as an int >= 0, ``default`` when absent, None when it is not a whole number (the last one counts)."""
    values = query.get(key)
    if not values:
        return default
    return int(values[-1]) if _DIGITS.fullmatch(values[-1]) else None


def list_shares(request, dummy_id):
    """``?limit=L&offset=O`` -> 200 ``{"shares": [bodies as GET shares/{id} gives them], "count": all of them}``."""
    query = parse_qs(urlsplit(request.path).query, keep_blank_values=True)
    limit = _query_int(query, 'limit', DEFAULT_LIMIT)
    offset = _query_int(query, 'offset', 0)
    if limit is None or offset is None or not 1 <= limit <= MAX_LIMIT:
        request.service_error(400, 'SFS.TURBO.0001', 'parameter error')
        return
    bodies = share_bodies(request.server.state)
    # count is every file system, not this page: clients page until offset >= count.
    request.send_json(200, {'shares': bodies[offset:offset + limit], 'count': len(bodies)})


def get_share(request, share_id):
    body = share_body(request.server.state, share_id)
    if body is None:
        request.service_error(404, 'SFS.TURBO.0002', 'Cluster not found')
        return
    request.entry['share_status'] = '/'.join(str(body.get(key, '')) for key in ('status', 'sub_status'))
    request.send_json(200, body)


def _create_error(share):
    """``(status, errCode, errMsg)`` of what is wrong with a create body's ``share``, or None."""
    name, size = share.get('name'), share.get('size')
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        return 400, 'SFS.TURBO.0003', 'Invalid name'
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        return 400, 'SFS.TURBO.0008', 'Invalid size'
    group = share.get('security_group_id')
    if not isinstance(group, str) or not group:
        return 400, 'SFS.TURBO.0027', 'Invalid security group'
    for key in REQUIRED_STRINGS + OPTIONAL_STRINGS:
        value = share.get(key)
        if (value is not None or key in REQUIRED_STRINGS) and (not isinstance(value, str) or not value):
            return 400, 'SFS.TURBO.0001', f'parameter error: {key} must be a non-empty string'
    if share.get('description') is not None and not isinstance(share['description'], str):
        return 400, 'SFS.TURBO.0001', 'parameter error: description must be a string'
    metadata = share.get('metadata', {})
    if not isinstance(metadata, dict) or not all(isinstance(value, str) for value in metadata.values()):
        return 400, 'SFS.TURBO.0001', 'parameter error: metadata must be a mapping of strings to strings'
    return None


def post_share(request, dummy_id):
    """``{"share": {"name", "size", "security_group_id", "vpc_id", "subnet_id", "availability_zone", ...}}`` -> 202 ``{id, name, status}``."""
    data = request.json_body()
    share = data.get('share') if data else None
    refused = (400, 'SFS.TURBO.0001', 'parameter error') if not isinstance(share, dict) else _create_error(share)
    if refused is not None:
        request.service_error(*refused)
        return
    fields = {key: share[key] for key in CREATE_KEYS if share.get(key) is not None}
    fields['share_proto'] = share.get('share_proto') or 'NFS'
    fields['share_type'] = share.get('share_type') or 'STANDARD'
    share_id = create_share(request.server.state, fields)
    if share_id is None:
        request.service_error(409, 'SFS.TURBO.0009', 'Name has existed')
        return
    request.entry['share_id'] = share_id
    request.send_json(202, {'id': share_id, 'name': share['name'], 'status': '100'})


def post_action(request, share_id):
    """``{"extend": {"new_size": N}}`` or ``{"change_security_group": {"security_group_id": G}}`` -> 202."""
    data = request.json_body()
    action = next(iter(data)) if data and len(data) == 1 else None
    kind = ACTIONS.get(action)
    argument = data.get(action) if kind else None
    if kind == 'expand':
        value = argument.get('new_size') if isinstance(argument, dict) else None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            request.service_error(400, 'SFS.TURBO.0008', 'Invalid size')
            return
    elif kind == 'change_security_group':
        value = argument.get('security_group_id') if isinstance(argument, dict) else None
        if not isinstance(value, str) or not value:
            request.service_error(400, 'SFS.TURBO.0027', 'Invalid security group')
            return
    else:
        request.service_error(400, 'SFS.TURBO.0001', 'parameter error')
        return
    answer = {'id': share_id, 'name': None} if kind == 'expand' else {'id': share_id}
    _start(request, share_id, kind, value, answer)


def delete_share(request, share_id):
    _start(request, share_id, 'delete', None, None)


def _start(request, share_id, kind, value, answer):
    state = request.server.state
    refused = start_operation(state, share_id, kind, value)
    if refused is not None:
        request.service_error(*refused)
    elif answer is None:
        request.send(202)  # delete: no body
    else:
        if 'name' in answer:
            with state.lock:
                answer['name'] = state.resources[KIND][share_id].definition['name']
        request.send_json(202, answer)


ROUTES = [
    Route(r'/shares', KIND, {'POST': post_share}),
    # Before shares/{id}: "detail" is the listing, not a file system's id.
    Route(r'/shares/detail', KIND, {'GET': list_shares}),
    Route(r'/shares/(?P<id>[^/]*)', KIND, {'GET': get_share, 'DELETE': delete_share}),
    Route(r'/shares/(?P<id>[^/]*)/action', KIND, {'POST': post_action}),
]
