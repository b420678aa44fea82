# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a poll schedule costs and how soon it sees an end, computed from the poll times alone (make bench, part 5).

A poll schedule is the sorted list of the times (seconds, from the first request for the job) at which a
method asked for the job. A job that ends at ``t`` is seen by the first poll at ``t`` or later, so its
detection latency is ``next_poll(t) - t``. For ends spread uniformly over a window ``[start, stop]``, the mean
latency is the integral of that sawtooth over the window divided by its length: a gap ``g`` wholly inside
the window adds ``g**2 / 2``, a gap cut by an edge adds only the part of its triangle inside. No sampling,
so no phase luck: the schedule decides.

Pure functions, no imports of the benchmark: ``tests/unit/bench/test_poll_schedule.py`` tests them.
"""

from __future__ import annotations


def mean_latency(polls, start, stop):
    """Mean detection latency (s) of the schedule ``polls`` for job ends uniform over ``[start, stop]``.

    Raises ``ValueError`` when the window is empty or no poll comes at or after ``stop`` (the schedule was
    cut short, so the latency of the last ends is unknown).
    """
    if not stop > start:
        raise ValueError('the window [%r, %r] is empty' % (start, stop))
    polls = sorted(polls)
    if not polls or polls[-1] < stop:
        raise ValueError('no poll at or after %r s: the schedule ends too early for the window' % (stop,))
    area = 0.0
    previous = None
    for poll in polls:
        # Ends in (previous, poll] are seen by this poll; before the first poll, by the first poll.
        low = start if previous is None else max(start, previous)
        high = min(stop, poll)
        if high > low:
            area += ((poll - low) ** 2 - (poll - high) ** 2) / 2.0
        if poll >= stop:
            break
        previous = poll
    return area / (stop - start)


def requests_before(polls, seconds):
    """How many polls came before ``seconds``."""
    return sum(1 for poll in polls if poll < seconds)


def gaps(polls):
    """The pauses between consecutive polls."""
    polls = sorted(polls)
    return [later - earlier for earlier, later in zip(polls, polls[1:])]


def requests_per_minute(polls, after):
    """Polls per minute from the first poll at or after ``after`` on: 60 over the mean gap between them.

    The mean gap, not a count in a fixed window, which would depend on where the window's edges fall.
    ``None`` when fewer than two polls come from ``after`` on.
    """
    late = sorted(poll for poll in polls if poll >= after)
    if len(late) < 2 or late[-1] == late[0]:
        return None
    return 60.0 * (len(late) - 1) / (late[-1] - late[0])
