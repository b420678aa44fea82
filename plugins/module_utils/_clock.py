# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Time for retries and waits: a monotonic clock that tests can replace, and deadlines.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import time


class Clock:
    """The real clock. Tests pass a fake with the same two methods, so nothing really sleeps."""

    def monotonic(self):
        return time.monotonic()

    def sleep(self, seconds):
        if seconds > 0:
            time.sleep(seconds)


class Deadline:
    """A point in monotonic time after which no more sleeping or retrying is done."""

    def __init__(self, clock, seconds):
        self.clock = clock
        self.seconds = seconds
        self.at = clock.monotonic() + seconds

    def remaining(self):
        return max(0.0, self.at - self.clock.monotonic())

    def expired(self):
        return self.remaining() <= 0
