# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the emulator's unit tests share: the shipped emulator loaded from its file, one in a thread per test, and one
API call over real HTTP with the emulator's token."""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import json
import os
import sys
import urllib.error
import urllib.request

SCRIPT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'emulator', 'files', 'sfs_turbo_emulator.py')
PROJECT = '0123456789abcdef0123456789abcdef'
TOKEN = 'emulator-token'


def _load():
    spec = importlib.util.spec_from_file_location('sfs_turbo_emulator_under_test', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up in sys.modules while the class is created.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


emulator = sys.modules.get('sfs_turbo_emulator_under_test') or _load()


@contextlib.contextmanager
def running(scenario=None):
    """An emulator with ``scenario`` on a free loopback port, for the ``with`` block."""
    server, dummy = emulator.serve_in_thread(port=0, scenario=scenario)
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def exchange(server, method, path, body=None):
    """``(status, headers, raw body)`` of one call of ``.../v1/{project}/sfs-turbo/<path>``; ``(None, None, None)``
    when the connection dropped with no answer."""
    data = None if body is None else json.dumps(body).encode('utf-8')
    request = urllib.request.Request('%s/v1/%s/sfs-turbo/%s' % (server.url, PROJECT, path), data=data, method=method,
                                     headers={'X-Auth-Token': TOKEN, 'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()
    except (urllib.error.URLError, http.client.RemoteDisconnected, ConnectionError):
        return None, None, None
