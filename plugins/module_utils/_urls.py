# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where a URL really leads, and how to quote one: the only URL parsing rules of the collection.

Credentials may only go to the origin (scheme, host, port) a URL was checked for. requests
hands URLs to urllib3, whose parser is not ``urllib.parse``: ``http://a:1\\@b:2/`` is host
``a`` to urllib3 and host ``b`` to ``urllib.parse``. So an origin is what urllib3 will connect
to, and a URL the two parsers read differently is refused, as is one either cannot parse.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import shorten

try:
    from urllib3.util import parse_url
except ImportError:  # requests (and with it urllib3) missing: the modules fail before any URL is used
    parse_url = None

DEFAULT_PORTS = {'https': 443, 'http': 80}


class UrlError(ValueError):
    """A URL that cannot be trusted to lead where it seems to."""


def _host(value):
    host = (value or '').lower()
    if host.startswith('[') and host.endswith(']'):
        host = host[1:-1]
    return host


def connect_origin(url):
    """``(scheme, host, port)`` that urllib3 connects to for ``url``; ``UrlError`` when the URL is
    unparseable, not http(s), carries user info, or reads differently to ``urllib.parse``."""
    if not isinstance(url, str) or any(ord(char) < 33 or ord(char) == 127 for char in url):
        raise UrlError('not a single-line URL')
    try:
        stack = parse_url(url)
        stack_port = stack.port
        plain = urlsplit(url)
        plain_host, plain_port = plain.hostname, plain.port
    except ValueError as exc:  # urllib3's LocationParseError is a ValueError too
        raise UrlError('unparseable (%s)' % type(exc).__name__)
    scheme = (stack.scheme or '').lower()
    if scheme not in DEFAULT_PORTS:
        raise UrlError('not an http:// or https:// URL')
    if stack.auth or plain.username is not None or '@' in (plain.netloc or ''):
        raise UrlError('it carries user info')
    origin = (scheme, _host(stack.host), stack_port or DEFAULT_PORTS[scheme])
    other = (plain.scheme.lower(), _host(plain_host), plain_port or DEFAULT_PORTS.get(plain.scheme.lower()))
    if not origin[1] or origin != other:
        raise UrlError('URL parsers disagree on its host')
    return origin


def origin_text(origin):
    scheme, host, port = origin
    return '%s://%s:%s' % (scheme, '[%s]' % host if ':' in host else host, port)


def url_for_message(url):
    """``scheme://host:port/path`` of a checked URL, for a message: no user info, query or fragment."""
    try:
        origin = connect_origin(url)
    except UrlError:
        return quote_user_input(url)
    return origin_text(origin) + (urlsplit(url).path or '/')


def _userinfo_span(text):
    """``(start, end)`` of the user info in a URL-like text (with or without a scheme), or ``None``."""
    start = text.find('://')
    start = start + 3 if start >= 0 else 0
    end = len(text)
    for stop in '/?#':
        found = text.find(stop, start)
        if found >= 0:
            end = min(end, found)
    at = text.rfind('@', start, end)
    return (start, at) if at >= 0 else None


def userinfo_secret(text):
    """The password of ``user:password@host`` in a URL-like text (or the whole user info when it
    has no ":"), to be masked everywhere; ``None`` when there is none."""
    span = _userinfo_span(text) if isinstance(text, str) else None
    if span is None:
        return None
    userinfo = text[span[0]:span[1]]
    secret = userinfo.split(':', 1)[1] if ':' in userinfo else userinfo
    return secret or None


def quote_user_input(text, limit=80):
    """User input (an endpoint, say) safe to repeat in a message: any user info replaced by
    ``***``, shortened, and repr-quoted."""
    return repr(shorten(text, limit, mask=_mask_userinfo))


def _mask_userinfo(text):
    span = _userinfo_span(text)
    if span is None:
        return text
    start, at = span
    return text[:start] + '***' + text[at:]
