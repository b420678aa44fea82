# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""LDAP configuration of a file system (Huawei Cloud): ``POST``/``PUT``/``DELETE``/``GET .../shares/{id}/fs/ldap``.

The changes answer 200 ``{"jobId": "<32 hex>"}`` and start a job (``bind_ldap``, ``update_ldap``,
``unbind_ldap``) that ``GET .../jobs/{jobId}`` reports as the scenario's ``operations.ldap`` scripts
it: this is the API that gives the jobs API its ids. A change shows in ``GET`` once its job succeeded;
a failed job leaves the configuration as it was.
"""

from __future__ import annotations

import time
import uuid

from .jobs import FINAL_STATUSES, add_job, job_status
from .jobs import KIND as JOB_KIND
from .routing import Route
from .shares import KIND

REQUIRED = ('url', 'base_dn')
# The API documents these defaults for a configuration that leaves them out; the password is never shown.
SHOWN_DEFAULTS = {'schema': 'RFC2307', 'search_timeout': 3}
HIDDEN = ('password',)
JOB_TYPES = {'POST': 'bind_ldap', 'PUT': 'update_ldap', 'DELETE': 'unbind_ldap'}
# Undocumented: the code a file system without an LDAP configuration answers is the emulator's guess.
NO_CONFIG = (404, 'SFS.TURBO.0001', 'LDAP configuration not found')
NOT_FOUND = (404, 'SFS.TURBO.0002', 'Cluster not found')
BUSY = (400, 'SFS.TURBO.0011', 'Cluster is doing something')


def _share(state, share_id, now):
    """The file system, or None when it is unknown or gone; call under the lock."""
    share = state.resources[KIND].get(share_id)
    if share is None or share.current(now)['gone']:
        return None
    return share


def _config(state, share, now):
    """``(configuration now in force or None, whether its last change still runs)``; call under the lock."""
    ldap = share.ldap
    if ldap is None:
        return None, False
    status = job_status(state.resources[JOB_KIND][ldap['job_id']], now)
    if status == 'success':
        return ldap['current'], False
    return ldap['previous'], status not in FINAL_STATUSES


def change(state, share_id, method, config):
    """Start the change ``method`` (``config``: the new one, None to remove it); ``(jobId, None)`` or ``(None, refusal)``."""
    with state.lock:
        now = time.monotonic()
        share = _share(state, share_id, now)
        if share is None:
            return None, NOT_FOUND
        previous, running = _config(state, share, now)
        if running:
            return None, BUSY
        if method != 'POST' and previous is None:
            return None, NO_CONFIG
        if method == 'PUT':
            config = dict(previous, **config)
        job_id = uuid.uuid4().hex
        run = share.definition['operations'].get('ldap') or state.scenario['operations']['ldap']
        add_job(state, job_id, JOB_TYPES[method], run, now, time.time())
        share.ldap = {'previous': previous, 'current': config, 'job_id': job_id}
        return job_id, None


def shown(state, share_id):
    """``(200, body)`` of the configuration in force, or the refusal."""
    with state.lock:
        now = time.monotonic()
        share = _share(state, share_id, now)
        if share is None:
            return NOT_FOUND
        config = _config(state, share, now)[0]
        if config is None:
            return NO_CONFIG
        body = dict(SHOWN_DEFAULTS, **config)
        for key in HIDDEN:
            body.pop(key, None)
        return 200, body


# --------------------------------------------------------------------------- routes


def _body_error(data, method):
    """What is wrong with a POST or PUT body (url and base_dn: required for POST, non-empty strings when given), or None."""
    if data is None:
        return 400, 'SFS.TURBO.0001', 'parameter error'
    for key in REQUIRED:
        value = data.get(key)
        if (value is not None or method == 'POST') and (not isinstance(value, str) or not value):
            return 400, 'SFS.TURBO.0001', f'parameter error: {key} must be a non-empty string'
    return None


def change_ldap(request, share_id):
    """POST (create and bind), PUT (update: the given fields replace those stored), DELETE -> 200 ``{"jobId"}``."""
    method = request.command
    config = None if method == 'DELETE' else request.json_body()
    refused = None if method == 'DELETE' else _body_error(config, method)
    if refused is None:
        job_id, refused = change(request.server.state, share_id, method, config)
    if refused is not None:
        request.service_error(*refused)
        return
    request.entry['job_id'] = job_id
    request.send_json(200, {'jobId': job_id})


def get_ldap(request, share_id):
    answer = shown(request.server.state, share_id)
    if answer[0] == 200:
        request.send_json(*answer)
    else:
        request.service_error(*answer)


ROUTES = [
    Route(r'/shares/(?P<id>[^/]*)/fs/ldap', KIND, {'GET': get_ldap, 'POST': change_ldap, 'PUT': change_ldap, 'DELETE': change_ldap}),
]
