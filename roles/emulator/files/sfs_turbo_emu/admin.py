# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""``/_emulator/...``: reset, request log, IAM tokens, health and the resources' ids (loopback clients, no token)."""

from __future__ import annotations

import ipaddress

from .resources import RESOURCES


def handle(request, path):
    # Admin paths skip the token, so only local clients may use them.
    if not ipaddress.ip_address(request.client_address[0].split('%')[0]).is_loopback:
        request.service_error(403, 'SFS.TURBO.0015', 'do not have the operation permission')
        return
    state = request.server.state
    get = request.command == 'GET'
    if path == '/_emulator/reset' and request.command == 'POST':
        state.reset()
        request.send_json(200, {'reset': True})
    elif path == '/_emulator/log' and get:
        request.send_json(200, state.log_copy())
    elif path == '/_emulator/iam' and get:
        request.send_json(200, state.iam_info())
    elif path == '/_emulator/health' and get:
        request.send_json(200, {'ok': True})
    elif not (get and _resource(request, state, path)):
        request.service_error(404, 'SFS.TURBO.0001', 'parameter error')


def _resource(request, state, path):
    """``/_emulator/jobs``, ``/_emulator/shares`` (ids) and ``/_emulator/jobs/<id>``; False for any other path."""
    for module in RESOURCES:
        listing = f'/_emulator/{module.KIND}s'
        if path == listing:
            request.send_json(200, state.ids(module.KIND))
            return True
        if module.ADMIN_ITEM is not None and path.startswith(listing + '/'):
            module.ADMIN_ITEM(request, path[len(listing) + 1:])
            return True
    return False
