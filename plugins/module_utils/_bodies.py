# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading what a server's body says: its error dialects, and a short excerpt of anything else.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import re

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._limits import load_json
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import shorten

_EXCERPT_LENGTH = 200
# An excerpt is cut from the first this many characters of a body only.
_EXCERPT_SCAN = 16384
# Elements whose content is not worth quoting: the head (its title repeats the heading), scripts, styles.
_SKIPPED_ELEMENTS = ('head', 'script', 'style')
_SPACE_RE = re.compile(r'\s+')


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
        plain = shorten(plain, limit)
    return plain


def _first_present(mapping, *keys):
    for key in keys:
        value = mapping.get(key)
        if value not in (None, ''):
            return value
    return None


def parse_json(content):
    """A server body decoded as JSON, or ``None`` when it is no JSON this client can read.

    Not JSON, not UTF-8, or nested deeper than ``_limits.MAX_JSON_DEPTH``: all the same to a caller,
    which reports the body as unreadable with its ``http_status``, never a traceback.
    """
    if not content:
        return None
    try:
        return load_json(content)
    except ValueError:
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
