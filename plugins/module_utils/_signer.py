# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""AK/SK request signing as the API gateway expects it (``SDK-HMAC-SHA256``).

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, quote, unquote, urlsplit

ALGORITHM = 'SDK-HMAC-SHA256'
DATE_FORMAT = '%Y%m%dT%H%M%SZ'


def canonical_uri(path):
    """The path URL-decoded, then split at "/" and each segment re-encoded; always with a trailing slash.

    Decoding comes first, as in the reference signer: an encoded "/" (``%2F``) splits a segment.
    """
    segments = [quote(segment, safe='~') for segment in unquote(path).split('/')]
    uri = '/'.join(segments)
    return uri if uri.endswith('/') else uri + '/'


def canonical_query(query):
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return '&'.join('%s=%s' % (quote(key, safe='~'), quote(value, safe='~')) for key, value in pairs)


def canonical_request(method, url, headers, signed_headers, body):
    """The canonical request: method, URI, query, signed headers, their names, body hash."""
    parts = urlsplit(url)
    lowered = {name.lower(): str(value).strip() for name, value in headers.items()}
    header_block = ''.join('%s:%s\n' % (name, lowered[name]) for name in signed_headers)
    if body is None:
        body = b''
    elif isinstance(body, str):
        body = body.encode('utf-8')
    return '\n'.join((method.upper(), canonical_uri(parts.path or '/'), canonical_query(parts.query),
                      header_block, ';'.join(signed_headers), hashlib.sha256(body).hexdigest()))


def string_to_sign(sdk_date, canonical):
    return '%s\n%s\n%s' % (ALGORITHM, sdk_date, hashlib.sha256(canonical.encode('utf-8')).hexdigest())


def authorization_header(method, url, headers, body, access_key, secret_key):
    """The ``Authorization`` value for a request whose ``headers`` already hold ``X-Sdk-Date``.

    Every given header is signed (names lower-cased and sorted), except those whose name
    contains ``_``, as the gateway's reference signer does.
    """
    signed_headers = sorted(name.lower() for name in headers if '_' not in name)
    sdk_date = next(str(value) for name, value in headers.items() if name.lower() == 'x-sdk-date')
    canonical = canonical_request(method, url, headers, signed_headers, body)
    signature = hmac.new(secret_key.encode('utf-8'), string_to_sign(sdk_date, canonical).encode('utf-8'), hashlib.sha256).hexdigest()
    return '%s Access=%s, SignedHeaders=%s, Signature=%s' % (ALGORITHM, access_key, ';'.join(signed_headers), signature)
