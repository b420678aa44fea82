# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fault injection: a scenario's faults, which requests they hit, and the answers they give."""

from __future__ import annotations

import socket

from .checks import ScenarioError, mapping, number, only_keys, string

FAULT_TYPES = ('rate_limit', 'http_error', 'html', 'drop', 'slow', 'non_json', 'redirect')
FAULT_KEYS = ('type', 'times', 'after', 'retry_after', 'status', 'seconds', 'location', 'error_code', 'error_msg', 'method', 'acted')
METHODS = ('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS')
# Gateway dialect for 5xx answers that come from the API gateway instead of the service.
GATEWAY_ERRORS = {
    502: ('APIG.0202', 'Backend unavailable'),
    503: ('APIG.0201', 'Backend unavailable'),
    504: ('APIG.0203', 'Backend timeout'),
}
RATE_LIMIT_MSG = 'The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute'
HTML_PAGE = (
    '<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n'
    '<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n'
)


def normalize_fault(raw, what):
    mapping(raw, what)
    only_keys(raw, FAULT_KEYS, what)
    ftype = raw.get('type')
    if ftype not in FAULT_TYPES:
        raise ScenarioError(f'{what}: type must be one of {", ".join(FAULT_TYPES)}, got {ftype!r}')
    fault = dict(raw)
    times = raw.get('times', 1)
    # null means "every request"; booleans are rejected because True == 1 would hide a typo.
    if times is not None and (isinstance(times, bool) or not isinstance(times, int) or times < 0):
        raise ScenarioError(f'{what}: times must be an integer >= 0 or null, got {times!r}')
    after = raw.get('after', 0)
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        raise ScenarioError(f'{what}: after must be an integer >= 0, got {after!r}')
    fault['times'] = times
    fault['after'] = after
    fault['method'] = _method(raw.get('method'), what)
    fault['acted'] = raw.get('acted', False)
    # A lost answer: the request is carried out, then the fault answers instead (or drops it).
    if not isinstance(fault['acted'], bool):
        raise ScenarioError(f'{what}: acted must be true or false, got {fault["acted"]!r}')
    if ftype == 'rate_limit':
        fault['retry_after'] = raw.get('retry_after', 1)
    elif ftype == 'http_error':
        fault['status'] = raw.get('status', 500)
    elif ftype == 'html':
        fault['status'] = raw.get('status', 502)
    elif ftype == 'slow':
        fault['seconds'] = number(raw.get('seconds'), f'{what}: seconds', 5)
    elif ftype == 'redirect':
        fault['status'] = raw.get('status', 302)
        fault['location'] = string(raw.get('location', 'http://127.0.0.2:9/elsewhere'), f'{what}: location')
    if 'status' in fault and (isinstance(fault['status'], bool) or not isinstance(fault['status'], int)
                              or not 300 <= fault['status'] <= 599):
        raise ScenarioError(f'{what}: status must be an HTTP status 300-599, got {fault["status"]!r}')
    return fault


def _method(value, what):
    """The one HTTP method a fault hits (None: every method), so that a POST can be hit without its GETs."""
    if value is not None and value not in METHODS:
        raise ScenarioError(f'{what}: method must be one of {", ".join(METHODS)}, got {value!r}')
    return value


def normalize_faults(raw, what):
    """A list of faults (``what`` names the list in messages: ``faults``, ``job 'a': faults``)."""
    if not isinstance(raw, list):
        raise ScenarioError(f'{what} must be a list')
    return [normalize_fault(fault, f'{what}[{index}]') for index, fault in enumerate(raw)]


def pick(faults, hits, seen, method):
    """``(position, fault)`` of the faults that may hit this request (HTTP ``method``); counts it in ``seen``.

    ``seen[position]``: the requests that fault's ``method`` let it see so far, so that ``after`` counts
    only those (the first K POSTs, not the first K requests).
    """
    chosen = []
    for position, fault in enumerate(faults):
        if fault['method'] is not None and fault['method'] != method:
            continue
        seen[position] += 1
        if seen[position] <= fault['after']:
            continue
        if fault['times'] is not None and hits[position] >= fault['times']:
            continue
        chosen.append((position, fault))
    return chosen


def answer(handler, fault):
    """Answer the request with a fault that answers (any but ``slow``); returns the status sent (None: dropped)."""
    ftype = fault['type']
    if ftype == 'rate_limit':
        retry_after = fault['retry_after']
        if isinstance(retry_after, float) and retry_after.is_integer():
            retry_after = int(retry_after)
        return handler.gateway_error(429, 'APIG.0308', RATE_LIMIT_MSG, headers={'Retry-After': str(retry_after)})
    if ftype == 'http_error':
        status = fault['status']
        if status in GATEWAY_ERRORS:
            code, msg = GATEWAY_ERRORS[status]
            return handler.gateway_error(status, fault.get('error_code', code), fault.get('error_msg', msg))
        code = 'SFS.TURBO.0005' if status >= 500 else 'SFS.TURBO.0001'
        msg = 'Internal server error' if status >= 500 else 'parameter error'
        return handler.service_error(status, fault.get('error_code', code), fault.get('error_msg', msg))
    if ftype == 'html':
        status = fault['status']
        reason = handler.responses.get(status, ('Error',))[0]
        page = HTML_PAGE.format(status=status, reason=reason).encode('utf-8')
        return handler.send(status, page, content_type='text/html')
    if ftype == 'non_json':
        return handler.send(200, b'<html>maintenance</html>')
    if ftype == 'redirect':
        return handler.send_json(fault['status'], {'location': fault['location']}, headers={'Location': fault['location']})
    # drop: no status line at all; the client sees the connection close under it. Logged first, as every answer
    # is: a client that reads the log after the close must find this request in it.
    handler.record(None)
    handler.close_connection = True
    try:
        handler.connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    return None
