# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The error type of the collection and the reading of API error bodies.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import json
import re

# Statuses worth another try: throttling, and server or gateway trouble.
TRANSIENT_HTTP_STATUSES = frozenset((429, 500, 502, 503, 504))

_EXCERPT_LENGTH = 200
# An excerpt is cut from the first this many characters of a body only.
_EXCERPT_SCAN = 16384
# Elements whose content is not worth quoting: the head (its title repeats the heading), scripts, styles.
_SKIPPED_ELEMENTS = ('head', 'script', 'style')
_SPACE_RE = re.compile(r'\s+')


class SfsTurboError(Exception):
    """A failure to report to the user, with the structured keys of the contract.

    ``transient`` marks failures that may go away on their own (retried by the client);
    ``retry_after`` is the server's ``Retry-After`` in seconds, when it sent one.
    """

    def __init__(self, msg, err_code=None, err_msg=None, http_status=None, request_id=None,
                 transient=False, retry_after=None, cause=None, wrong_address=False):
        super().__init__(msg)
        self.msg = msg
        self.err_code = err_code
        self.err_msg = err_msg
        self.http_status = http_status
        self.request_id = request_id
        self.transient = transient
        self.retry_after = retry_after
        # The failure in a few words, for a progress line: "HTTP 503", "connection refused", "timed out".
        self.cause = cause or ('HTTP %s' % http_status if http_status else None)
        # A failure a wrong address gives (refused, no such host, no route, TLS to a plain port), as
        # opposed to an outage of an API that has answered before.
        self.wrong_address = wrong_address

    def to_result(self):
        """The failure keys of the contract, leaving out those that are unknown."""
        result = {'msg': self.msg}
        for key, value in (('errCode', self.err_code), ('errMsg', self.err_msg),
                           ('http_status', self.http_status), ('request_id', self.request_id)):
            if value is not None:
                result[key] = value
        return result


def _strip_tags(text):
    """``text`` without tags (and without head/script/style elements), in linear time.

    A scan, not a regular expression: each position is looked at a bounded number of times, so
    a body of nothing but ``<`` costs no more than any other body of its size.
    """
    lowered = text.lower()
    pieces, pos, size = [], 0, len(text)
    while pos < size:
        start = text.find('<', pos)
        if start < 0:
            pieces.append(text[pos:])
            break
        pieces.append(text[pos:start])
        end = text.find('>', start + 1)
        if end < 0:
            break  # no tag ever closes after this point: the rest is not text to quote
        pos = end + 1
        name = lowered[start + 1:end].split(None, 1)[0].rstrip('/') if end > start + 1 else ''
        if name in _SKIPPED_ELEMENTS:
            close = lowered.find('</' + name, pos)
            if close < 0:
                break
            after = text.find('>', close)
            pos = size if after < 0 else after + 1
        pieces.append(' ')
    return ''.join(pieces)


def body_excerpt(text, limit=_EXCERPT_LENGTH):
    """A short, single-line, tag-free excerpt of a body (an HTML error page, say)."""
    if not text:
        return ''
    plain = _SPACE_RE.sub(' ', _strip_tags(text[:_EXCERPT_SCAN])).strip()
    if len(plain) > limit:
        plain = plain[:limit].rstrip() + '...'
    return plain


def _first_present(mapping, *keys):
    for key in keys:
        value = mapping.get(key)
        if value not in (None, ''):
            return value
    return None


def parse_json(content):
    """A server body decoded as JSON, or ``None`` when it is no JSON this client can read.

    Not JSON, not UTF-8, or nested deeper than Python recurses (``[[[[...]]]]``): all the same to a
    caller, which reports the body as unreadable with its ``http_status``, never a traceback.
    """
    if not content:
        return None
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        return None


def parse_error_body(text):
    """Read ``(err_code, err_msg, request_id)`` from an error body of either dialect.

    The service answers ``{"errCode": ..., "errMsg": ...}``; the API gateway answers
    ``{"error_code": ..., "error_msg": ..., "request_id": ...}``; IAM nests
    ``{"error": {"code": ..., "message": ...}}``. Anything else yields ``None`` values.
    """
    body = parse_json(text)
    if not isinstance(body, dict):
        return None, None, None
    if isinstance(body.get('error'), dict):
        nested = body['error']
        code = _first_present(nested, 'code', 'error_code')
        message = _first_present(nested, 'message', 'error_msg', 'title')
        return (None if code is None else str(code)), message, _first_present(body, 'request_id')
    code = _first_present(body, 'errCode', 'error_code', 'code')
    message = _first_present(body, 'errMsg', 'error_msg', 'message')
    return (None if code is None else str(code)), message, _first_present(body, 'request_id')


def describe_http_error(action, status, reason, text, header_request_id, url=None, hint=None):
    """Build the error for an HTTP error response.

    ``action`` says what was being done ("query SFS Turbo job X"); the message is one
    sentence: what failed, the HTTP status, ``errCode: errMsg`` or a body excerpt. A 404
    names the URL requested (``url``: scheme, host, port and path, never credentials), since a
    wrong endpoint path answers 404 too. ``hint``, when given, says what to check (for a 401 or 403).
    """
    err_code, err_msg, body_request_id = parse_error_body(text)
    request_id = header_request_id or body_request_id
    if err_code or err_msg:
        detail = ': '.join(str(part) for part in (err_code, err_msg) if part)
    else:
        excerpt = body_excerpt(text)
        detail = ('the response body was: %s' % excerpt) if excerpt else (
            'the response body held no readable text' if text and text.strip() else 'the response had no body')
    where = ' from %s' % url if status == 404 and url else ''
    msg = 'Could not %s: HTTP %s%s%s, %s' % (action, status, (' ' + reason) if reason else '', where, detail.rstrip('.'))
    if hint:
        msg += '; ' + hint
    elif status in (401, 403) and not err_code:
        msg += '; check the credentials and the project'
    if status == 404 and not err_code:
        msg += '; check that endpoint points at the SFS Turbo API (a wrong path answers 404 without an errCode)'
    msg += '.'
    return SfsTurboError(msg, err_code=err_code, err_msg=err_msg, http_status=status,
                         request_id=request_id, transient=status in TRANSIENT_HTTP_STATUSES,
                         cause='throttled' if status == 429 else 'HTTP %s' % status)


# --- Issue 24: the sentences of the share end rules, the job id hint and the region host. ---

def operation_failed(name, operation, shown, how=None):
    """``<name>: <operation> failed, <code in words>[; <how the wait knows>].``"""
    return '%s: %s failed, %s%s.' % (name, operation, shown, '; %s' % how if how else '')


def failure_seen_starting(shown_before):
    """How a wait knows a failure code is this operation's: it saw the code change to it."""
    return 'this wait saw it change from %s' % shown_before


def failure_unchanged(seconds, grace, poll_intervals):
    """How a wait knows a failure code no poll saw start is this operation's: no new operation replaced it."""
    return ('no poll saw it start, and it stayed unchanged for %g s, past the grace period of %g s (%d poll_interval) '
            'within which a new operation replaces a code an earlier one left' % (seconds, grace, poll_intervals))


FROZEN_HINT = 'a frozen file system runs no operation until the cloud unfreezes it'


def job_id_hint(job_id):
    """Appended to the jobs API's ``SFS.TURBO.0019`` (Invalid Job Id): the likely mix-up."""
    return ('if %s is the id of a file system (what create, expand and the other file-system operations return), '
            'wait with otc_community.sfs_turbo.sfs_turbo_share_wait and share_id instead' % job_id)


def unknown_region(option, region, otc_regions, huawei_regions):
    """An unknown ``region``: no host is guessed for it."""
    return ("Unknown %s %r: region builds the SFS Turbo host for Open Telekom Cloud's %s and Huawei Cloud's %s only; "
            'for another region set endpoint.' % (option, region, ', '.join(otc_regions), ', '.join(huawei_regions)))
