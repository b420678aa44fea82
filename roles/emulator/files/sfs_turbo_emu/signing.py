# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""SDK-HMAC-SHA256 signatures as the Huawei SDK makes them and the API gateway checks them."""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import parse_qsl, quote, unquote, urlsplit

SDK_ALGORITHM = 'SDK-HMAC-SHA256'
SDK_DATE_FORMAT = '%Y%m%dT%H%M%SZ'
EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'


def _sdk_quote(text):
    return quote(text, safe='~')


def canonical_uri(path):
    """Decoded, split at ``/`` (so ``%2F`` splits too, as in the SDK), each segment re-encoded; always ends in ``/``."""
    uri = '/'.join(_sdk_quote(segment) for segment in unquote(path or '/').split('/'))
    return uri if uri.endswith('/') else uri + '/'


def canonical_query(query):
    """``key=value`` pairs sorted, both URL-encoded (safe ``~``), joined by ``&``."""
    pairs = sorted(parse_qsl(query or '', keep_blank_values=True))
    return '&'.join(f'{_sdk_quote(key)}={_sdk_quote(value)}' for key, value in pairs)


def _default_host(parts):
    """The Host header an HTTP client sends for a URL: no port when it is the scheme's default."""
    host = parts.netloc.rpartition('@')[2]
    default = {'http': ':80', 'https': ':443'}.get(parts.scheme.lower())
    if default and host.endswith(default):
        host = host[:-len(default)]
    return host


def compute_signature(method, url, headers, body, secret_key, signed_headers=None):
    """Every step of a signature: ``canonical_request``, ``string_to_sign``, ``signed_headers`` (``a;b``), ``signature``.

    ``headers`` must hold ``X-Sdk-Date``; ``Host`` defaults to the URL's. ``signed_headers`` defaults to
    every name lower-cased and sorted, without ``authorization`` and names with ``_``. An
    ``X-Sdk-Content-Sha256`` header replaces the body's hash.
    """
    parts = urlsplit(url)
    values = {str(name).lower(): str(value) for name, value in headers.items()}
    if 'host' not in values and parts.netloc:
        values['host'] = _default_host(parts)
    sdk_date = values.get('x-sdk-date')
    if not sdk_date:
        raise ValueError('the headers must contain X-Sdk-Date (format %Y%m%dT%H%M%SZ)')
    if signed_headers is None:
        signed_headers = sorted(name for name in values if '_' not in name and name != 'authorization')
    if isinstance(body, str):
        body = body.encode('utf-8')
    payload_hash = values.get('x-sdk-content-sha256')
    if payload_hash is None:
        payload_hash = hashlib.sha256(body or b'').hexdigest()
    signed_line = ';'.join(signed_headers)
    # Each canonical header line ends in a newline, so a blank line follows the block.
    header_block = ''.join(f'{name}:{values.get(name.lower(), "").strip()}\n' for name in signed_headers)
    canonical_request = '\n'.join([method.upper(), canonical_uri(parts.path), canonical_query(parts.query),
                                   header_block, signed_line, payload_hash])
    request_hash = hashlib.sha256(canonical_request.encode('utf-8')).hexdigest()
    string_to_sign = f'{SDK_ALGORITHM}\n{sdk_date}\n{request_hash}'
    signature = hmac.new(secret_key.encode('utf-8'), string_to_sign.encode('utf-8'), hashlib.sha256).hexdigest()
    return {'canonical_request': canonical_request, 'string_to_sign': string_to_sign,
            'signed_headers': signed_line, 'signature': signature}


def sign_request(method, url, headers, body, access_key, secret_key):
    """The ``Authorization`` value that signs a request; pure (``headers`` must hold ``X-Sdk-Date``), signs every header given.

    The worked test vector is in tests/unit/roles/emulator/test_sfs_turbo_emulator.py.
    """
    result = compute_signature(method, url, headers, body, secret_key)
    return f'{SDK_ALGORITHM} Access={access_key}, SignedHeaders={result["signed_headers"]}, Signature={result["signature"]}'
