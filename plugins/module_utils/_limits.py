# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What bounds an exchange with an untrusted server: wall-clock time, body bytes, JSON nesting.

Standard library only. Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import json
import signal
import threading
import time
import zlib

# The longest duration any option takes: longer than any wait this API needs, and well inside what the
# system's timers accept (request_timeout 1e12 would overflow them).
MAX_SECONDS = 30 * 86400
# A job is a few KB; no answer this client reads needs more. Counted after decompression.
MAX_BODY_BYTES = 1 << 20
# A job nests 4 levels (job, sub_jobs, a sub-job, its entities); no answer of this API nests anywhere near this.
# Every walk over a body (masking, result building, ansible-core's own) then stays far from Python's recursion limit.
MAX_JSON_DEPTH = 32
# How deep a result nests at most: a body, and the keys it is put under (``job``, ``share``, ``sub_jobs``).
MAX_RESULT_DEPTH = MAX_JSON_DEPTH + 8
_CHUNK = 16384


class Expired(BaseException):
    """Raised by the wall-clock alarm inside whatever read or connect is blocking.

    A BaseException, so that no ``except Exception`` on the way (in urllib3, http.client)
    mistakes it for a network error and retries or swallows it.
    """


class BodyTooLarge(Exception):
    pass


class TooDeep(ValueError):
    """A JSON body nested deeper than ``MAX_JSON_DEPTH``."""


class WallClockLimit:
    """Ends the block with ``Expired`` after ``seconds`` of wall-clock time, whatever it is doing.

    Per-read socket timeouts do not bound a server that trickles one byte at a time, headers
    included. A real-time interval timer does: its SIGALRM interrupts the blocking call in the
    main thread. An earlier timer (an Ansible task timeout in a controller process, say) is put
    back afterwards, with the time that passed taken off. Outside the main thread no signal can
    be used; the socket timeouts and the deadline checks between body chunks remain.
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.armed = (hasattr(signal, 'setitimer') and seconds > 0
                      and threading.current_thread() is threading.main_thread())

    def __enter__(self):
        if self.armed:
            self._started = time.monotonic()
            self._previous_handler = signal.signal(signal.SIGALRM, self._expire)
            self._previous_timer = signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    @staticmethod
    def _expire(signum, frame):
        raise Expired()

    def __exit__(self, *exc_info):
        if not self.armed:
            return False
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        except Expired:  # fired just as the block ended: the block is done, ignore it
            signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous_handler)
        delay, interval = self._previous_timer
        if delay > 0:
            signal.setitimer(signal.ITIMER_REAL, max(delay - (time.monotonic() - self._started), 0.001), interval)
        return False


def _decoder(encoding):
    """A bounded decompressor for a Content-Encoding, ``None`` for identity."""
    encoding = (encoding or '').strip().lower()
    if encoding in ('', 'identity'):
        return None
    if encoding in ('gzip', 'x-gzip', 'deflate'):
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
    raise ValueError('unsupported Content-Encoding %r' % encoding[:40])


def read_capped(raw, encoding, expires_at, limit=MAX_BODY_BYTES):
    """The body, decompressed, never holding more than ``limit`` + one chunk of bytes.

    The compressed bytes are inflated a bounded amount at a time, so a gzip bomb costs no
    more memory than a plain body of the cap's size.
    """
    decoder = _decoder(encoding)
    body = bytearray()
    while True:
        chunk = raw.read(_CHUNK, decode_content=False)
        if not chunk:
            break
        while chunk:
            if decoder is None:
                data, chunk = chunk, b''
            else:
                data = decoder.decompress(chunk, limit + 1 - len(body))
                chunk = decoder.unconsumed_tail
            body += data
            if len(body) > limit:
                raise BodyTooLarge()
        if time.monotonic() > expires_at:
            raise Expired()
    if decoder is not None:
        body += decoder.flush()
        if len(body) > limit:
            raise BodyTooLarge()
    return bytes(body)


def nesting_depth(value, limit=MAX_JSON_DEPTH):
    """How deep ``value`` nests (a scalar: 0), counted without recursion; stops counting past ``limit``."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def load_json(content, limit=MAX_JSON_DEPTH):
    """``content`` decoded as JSON; ``ValueError`` when it is none (``TooDeep`` when it nests past ``limit``).

    The decoder's own recursion (``[[[[...]]]]`` deeper than Python recurses) is a ``TooDeep`` too.
    """
    try:
        value = json.loads(content)
    except RecursionError:
        raise TooDeep()
    if nesting_depth(value, limit) > limit:
        raise TooDeep()
    return value
