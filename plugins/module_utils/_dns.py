# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Host name lookups bounded in time, for the HTTP client's connections.

``getaddrinfo`` takes no timeout, and glibc restarts it after the wall-clock alarm's EINTR, so a slow
DNS server held a request for 10 s and more past ``request_timeout: 2`` (and past a wait's deadline).
Here the lookup runs in a helper thread and the connection waits for it only as long as the request
may still take; the socket then connects to the address found, while the URL's host name stays the
``Host`` header and the TLS server name (SNI) and is the name the certificate is checked against.

``mount_bounded_adapters(session)`` makes a ``requests`` session use these connections; the client
sets the end of each request with ``lookup_deadline(expires_at)``. Private to otc_community.sfs_turbo:
not a public API, may change without notice.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time

try:
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
except ImportError:  # the client reports the missing requests itself
    HTTPAdapter = HTTPConnection = HTTPSConnection = HTTPConnectionPool = HTTPSConnectionPool = object
    ConnectTimeoutError = NewConnectionError = Exception
try:
    from urllib3.exceptions import NameResolutionError  # urllib3 2
except ImportError:
    NameResolutionError = None

_LOOKUP = threading.local()


class LookupTimedOut(socket.timeout):
    """The host name lookup did not finish in the time the request had (urllib3 reports a connect timeout)."""


@contextlib.contextmanager
def lookup_deadline(expires_at):
    """Bound the lookups of the connections made inside the block by ``expires_at`` (monotonic time)."""
    previous = getattr(_LOOKUP, 'expires_at', None)
    _LOOKUP.expires_at = expires_at
    try:
        yield
    finally:
        _LOOKUP.expires_at = previous


def _is_address(host):
    try:
        ipaddress.ip_address(host.strip('[]').split('%', 1)[0])
    except ValueError:
        return False
    return True


def resolve(host, port, expires_at, getaddrinfo=None):
    """The addresses of ``host`` (unique, in the resolver's order), looked up by ``expires_at`` at the latest.

    Raises ``LookupTimedOut`` when the lookup is not done by then (the helper thread is left to finish
    on its own: it is a daemon and holds nothing), or the resolver's own ``socket.gaierror``.
    """
    lookup = getaddrinfo or socket.getaddrinfo
    outcome = {}

    def run():
        try:
            outcome['infos'] = lookup(host, port, 0, socket.SOCK_STREAM)
        except Exception as exc:  # pylint: disable=broad-except  # handed over to the waiting thread
            outcome['error'] = exc

    helper = threading.Thread(target=run, name='sfs-turbo-dns', daemon=True)
    helper.start()
    helper.join(max(0.0, expires_at - time.monotonic()))
    if helper.is_alive():
        raise LookupTimedOut('the DNS lookup of %s did not finish in time' % host)
    if 'error' in outcome:
        raise outcome['error']
    addresses = []
    for info in outcome['infos']:
        address = info[4][0]
        if address not in addresses:
            addresses.append(address)
    return addresses


class _BoundedLookup:
    """Mixed into urllib3's connections: ``_new_conn`` connects to looked-up addresses, one after the other."""

    def _new_conn(self):
        expires_at = getattr(_LOOKUP, 'expires_at', None)
        name = self._dns_host
        if expires_at is None or _is_address(name):
            return super()._new_conn()
        try:
            addresses = resolve(name, self.port, expires_at)
        except LookupTimedOut as exc:
            raise ConnectTimeoutError(self, 'Connection to %s timed out: %s.' % (self.host, exc))
        except socket.gaierror as exc:
            # As urllib3 reports a failed lookup itself.
            if NameResolutionError is not None:
                raise NameResolutionError(self.host, self, exc) from exc
            raise NewConnectionError(self, 'Failed to establish a new connection: %s' % exc) from exc
        if not addresses:
            raise NewConnectionError(self, 'Failed to establish a new connection: %s has no address' % self.host)
        last_error = None
        for address in addresses:
            # Only the socket's address changes: self.host (SNI, certificate check) is back before connect() uses it.
            self._dns_host = address
            try:
                return super()._new_conn()
            except Exception as exc:  # pylint: disable=broad-except  # NewConnectionError, ConnectTimeoutError: try the next
                last_error = exc
            finally:
                self._dns_host = name
        raise last_error


class BoundedHTTPConnection(_BoundedLookup, HTTPConnection):
    pass


class BoundedHTTPSConnection(_BoundedLookup, HTTPSConnection):
    pass


class _BoundedHTTPPool(HTTPConnectionPool):
    ConnectionCls = BoundedHTTPConnection


class _BoundedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = BoundedHTTPSConnection


class BoundedLookupAdapter(HTTPAdapter):
    """requests' adapter, with connections whose host name lookup is bounded (proxied requests: the proxy's own)."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {'http': _BoundedHTTPPool, 'https': _BoundedHTTPSPool}


def mount_bounded_adapters(session):
    for prefix in ('http://', 'https://'):
        session.mount(prefix, BoundedLookupAdapter())
    return session
