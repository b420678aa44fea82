# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The threaded HTTP server, and starting one in a thread (``serve_in_thread``) for tests."""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
import threading
from http.server import ThreadingHTTPServer

from .builtin import default_scenario
from .config import DEFAULT_PROJECT_ID, DEFAULT_TOKEN, AuthConfig, auth_config
from .handler import EmulatorHandler
from .resources import RESOURCES
from .scenarios import load_scenario, normalize_scenario
from .store import EmulatorState


class EmulatorServer(ThreadingHTTPServer):
    """Threaded HTTP server holding the emulator state and its configuration."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, address, state, token, project_id, quiet, auth=None):
        # IPv6 loopback needs an AF_INET6 socket; set before the socket is created.
        if ':' in address[0]:
            self.address_family = socket.AF_INET6
        self.state = state
        self.token = token
        self.project_id = project_id
        self.quiet = quiet
        self.auth = auth if auth is not None else AuthConfig()
        self._connections = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, EmulatorHandler)

    @property
    def port(self):
        return self.server_address[1]

    @property
    def url(self):
        host = self.server_address[0]
        return f'http://[{host}]:{self.port}' if ':' in host else f'http://{host}:{self.port}'

    def track(self, connection):
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection):
        with self._connections_lock:
            self._connections.discard(connection)

    def handle_error(self, request, client_address):
        # A client that gave up (timeout, dropped fault) is normal in tests: one line, no traceback.
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            if not self.quiet:
                sys.stderr.write(f'{client_address[0]} - connection lost: {exc!r}\n')
            return
        super().handle_error(request, client_address)

    def server_close(self):
        # Close kept-alive connections too, so a stopped emulator stops answering at once.
        super().server_close()
        with self._connections_lock:
            connections = list(self._connections)
            self._connections.clear()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def check_loopback(host):
    """A loopback IP address for ``host``; ValueError for anything else."""
    if host == 'localhost':
        return '127.0.0.1'
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f'refusing to bind to {host!r}: give a loopback IP address such as 127.0.0.1') from None
    if not address.is_loopback:
        raise ValueError(f'refusing to bind to non-loopback address {host!r}: the emulator is for local tests only')
    return str(address)


def make_server(host='127.0.0.1', port=0, scenario=None, token=DEFAULT_TOKEN, project_id=DEFAULT_PROJECT_ID, quiet=True, auth=None):
    """Create (but do not start) an emulator server.

    ``scenario``: None (built-in), a mapping, or a file path. ``auth``: None, an AuthConfig or a mapping
    of its fields. ValueError for a non-loopback host or bad auth settings, ScenarioError for a bad scenario.
    """
    host = check_loopback(host)
    auth = auth_config(auth)
    if scenario is None:
        scenario = default_scenario()
    if isinstance(scenario, (str, os.PathLike)):
        normalized = load_scenario(scenario)
    else:
        normalized = normalize_scenario(scenario)
    return EmulatorServer((host, port), EmulatorState(normalized, RESOURCES), token, project_id, quiet, auth)


def serve_in_thread(host='127.0.0.1', port=0, scenario=None, token=DEFAULT_TOKEN, project_id=DEFAULT_PROJECT_ID, quiet=True,
                    auth=None):
    """Start an emulator in a daemon thread; returns (server, thread). Stop with server.shutdown() and server.server_close()."""
    server = make_server(host, port, scenario, token, project_id, quiet, auth)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, name='sfs-turbo-emulator', daemon=True)
    thread.start()
    return server, thread
