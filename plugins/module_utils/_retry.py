# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How long to wait before retrying a transient failure.

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
