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
from .shares import ACTIONS, DEFAULT_SECURITY_GROUP, KIND, create_share, share_bodies, share_body, start_operation

# The API reference gives no default or maximum for limit; 200 is the emulator's choice for both.
DEFAULT_LIMIT = 200
MAX_LIMIT = 200
_DIGITS = re.compile(r'^[0-9]+$')


def _query_int(query, key, default):
    """A query parameter as an int >= 0, ``default`` when absent, None when it is not a whole number (the last one counts)."""
    values = query.get(key)
    if not values:
        return default
    return int(values[-1]) if _DIGITS.match(values[-1]) else None


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


def post_share(request, dummy_id):
    """``{"share": {"name", "size", "security_group_id", ...}}`` -> 202 ``{id, name, status}``."""
    data = request.json_body()
    share = data.get('share') if data else None
    name = share.get('name') if isinstance(share, dict) else None
    size = share.get('size') if isinstance(share, dict) else None
    group = share.get('security_group_id', DEFAULT_SECURITY_GROUP) if isinstance(share, dict) else None
    if not isinstance(name, str) or not name or len(name) > 64:
        request.service_error(400, 'SFS.TURBO.0003', 'Invalid name')
    elif isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        request.service_error(400, 'SFS.TURBO.0008', 'Invalid size')
    elif not isinstance(group, str) or not group:
        request.service_error(400, 'SFS.TURBO.0027', 'Invalid security group')
    else:
        share_id = create_share(request.server.state, name, size, group)
        request.entry['share_id'] = share_id
        request.send_json(202, {'id': share_id, 'name': name, 'status': '100'})


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
