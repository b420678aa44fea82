# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The retry policy: how long to wait before retrying a transient failure, when a 401 gets a fresh
token, and when an address that never answered is given up on.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import math
import random
import time

BACKOFF_BASE = 1.0
BACKOFF_CAP = 30.0
# A server asking for more than this is not waited for blindly: the cap keeps one answer
# from stalling a run for hours.
RETRY_AFTER_CAP = 120.0


def backoff_delay(attempt, base=BACKOFF_BASE, cap=BACKOFF_CAP, rand=random.random):
    """Exponential backoff with "equal jitter": half the step fixed, half random.

    Attempt 0 waits 0.5-1 s, attempt 1 waits 1-2 s, attempt 2 waits 2-4 s ... up to ``cap``.
    The random half keeps many clients that failed together from retrying together; the
    fixed half keeps every pause long enough to matter.
    """
    step = min(cap, base * (2 ** min(attempt, 30)))
    return step / 2 + rand() * step / 2


def parse_retry_after(value, now=time.time):
    """Seconds asked for by a ``Retry-After`` header (delta-seconds or HTTP-date), or ``None``."""
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        # The date form is rare: import its parser only when it is needed.
        from email.utils import parsedate_to_datetime  # pylint: disable=import-outside-toplevel
        try:
            seconds = parsedate_to_datetime(value).timestamp() - now()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if math.isnan(seconds):
        return None
    return min(max(0.0, seconds), RETRY_AFTER_CAP)


# What an auth's reauthenticate() returns after a 401 (see _auth.py): another module run's newer token
# from the token cache (which may be refused too), or a login of its own (the last word).
RENEWED_FROM_CACHE = 'cache'
RENEWED_BY_LOGIN = 'login'
# Fresh tokens tried for one request after 401s: newer ones from the token cache, then one login of our own.
MAX_RENEWALS = 3
# An origin that has never answered (no HTTP response at all) and fails the way a wrong address does
# is given up on after this long, instead of being retried until a wait's deadline (30 minutes by
# default). Long enough to ride out a restart of the service as it starts; once the API has answered,
# outages are ridden out until the deadline.
NEVER_ANSWERED_GRACE = 30.0


class Origins:
    """What a client learnt of the origins it talks to: which answered, and since when each other one fails.

    ``origin`` is ``(scheme, host, port)``, as ``_urls.connect_origin`` gives it.
    """

    def __init__(self, clock):
        self._clock = clock
        self._answered = set()
        self._failing_since = {}

    def answered(self, origin):
        """``origin`` gave an HTTP answer (of any status)."""
        self._answered.add(origin)

    def never_answered_for(self, error, origin, pause):
        """Seconds ``origin`` has failed like a wrong address without ever answering, once that passes the grace
        (``pause`` counted in); else ``None``."""
        if not error.wrong_address or origin in self._answered:
            return None
        now = self._clock.monotonic()
        since = self._failing_since.setdefault(origin, now)
        if now + pause - since < NEVER_ANSWERED_GRACE:
            return None
        return now - since


def never_sent(error):
    """Whether the failed attempt cannot have reached the server: no address, refused, no route (so resending is safe).

    A timeout, a dropped connection or any HTTP answer (a 5xx, a 429) may come after the server acted on it.
    """
    return error.wrong_address and error.http_status is None


def answer_lost(error):
    """Whether the failed attempt may have changed something without our knowing: it was sent, and no refusal came back.

    A 4xx other than 429 is a refusal (nothing was done); a timeout, a dropped connection, a 429 or a 5xx leaves it open.
    """
    return error.transient and not never_sent(error)


class RetryPolicy:
    """The decisions for one logical request after a failed attempt: renew the token, pause and retry, or give up.

    Transient failures are retried ``retries`` times, or with ``until_deadline`` as long as ``deadline`` allows,
    with pauses from ``backoff_delay`` (at most ``pause_cap`` then, when given: a wait's poll_interval) and
    never shorter than the server's ``Retry-After``. With ``unsent_only`` (a POST that changes something) only a
    failure that shows the request never reached a server is retried: see ``never_sent``. A 401 gets a fresh token (at most ``MAX_RENEWALS``, one
    login of our own at the most) and one more try, which is not a retry.
    """

    def __init__(self, retries, until_deadline=False, pause_cap=None, deadline=None, backoff=backoff_delay, unsent_only=False):
        self.retries = retries
        self.unsent_only = unsent_only
        self.until_deadline = until_deadline
        self.pause_cap = pause_cap if until_deadline else None
        self.deadline = deadline
        self.attempt = 0
        self._backoff = backoff
        self._logged_in = False
        self._renewals = 0

    def renew(self, error, auth):
        """After ``error``: whether ``auth`` got a fresh token to try the request with once more."""
        if error.http_status != 401 or auth is None or self._logged_in or self._renewals >= MAX_RENEWALS:
            return False
        renewed = auth.reauthenticate()
        if not renewed:
            return False
        self._renewals += 1
        # A token another module run got may be refused too; a login of our own is the last word.
        self._logged_in = renewed != RENEWED_FROM_CACHE
        return True

    def pause(self, error):
        """Seconds to pause before the next attempt after the transient ``error``, or ``None``: give up.

        Retry-After is a floor, not a licence to hammer: "0" or a past date still backs off.
        """
        if not error.transient or (self.unsent_only and not never_sent(error)):
            return None
        backoff = self._backoff(self.attempt)
        if self.pause_cap is not None:
            backoff = min(backoff, self.pause_cap)
        return max(error.retry_after or 0.0, backoff)

    def past_deadline(self, pause):
        """Whether a pause of ``pause`` seconds would reach the deadline (no time for another attempt)."""
        return self.deadline is not None and pause >= self.deadline.remaining()

    def out_of_retries(self):
        """Whether the retries are used up (never, when retrying until the deadline)."""
        return not self.until_deadline and self.attempt >= self.retries
