# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The benchmark's latency and request figures from a poll schedule (tests/bench/poll_schedule.py, make bench part 5).

docs/benchmarks.md decides "the wait sees an end sooner than the delay-10 loop" with these numbers, so they must be
the exact mean over the window of the time to the next poll, edges included.
"""

from __future__ import annotations

import bisect
import importlib.util
import os
import random

import pytest

SCRIPT = os.path.join(os.path.dirname(__file__), '..', '..', 'bench', 'poll_schedule.py')


def _load():
    spec = importlib.util.spec_from_file_location('poll_schedule_under_test', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


schedule = _load()


def brute_force_mean(polls, start, stop, steps=100000):
    """The time to the next poll, averaged over the midpoints of ``steps`` equal slices of the window."""
    polls = sorted(polls)
    width = (stop - start) / steps
    total = 0.0
    for index in range(steps):
        end = start + (index + 0.5) * width
        total += polls[bisect.bisect_left(polls, end)] - end
    return total / steps


def test_periodic_schedule_sees_an_end_half_a_gap_late_on_average():
    polls = [3.0 + 10.0 * index for index in range(12)]
    # 60 s is six whole gaps: wherever the window's edges fall, the mean is half a gap.
    assert schedule.mean_latency(polls, 30.0, 90.0) == pytest.approx(5.0)
    assert schedule.mean_latency(polls, 31.7, 91.7) == pytest.approx(5.0)


def test_gaps_cut_by_the_window_edges_count_only_their_part_inside():
    polls = [0.0, 10.0, 20.0, 30.0]
    # [5, 10]: (10-5)^2/2 = 12.5; [10, 20]: 50; [20, 22]: (30-20)^2/2 - (30-22)^2/2 = 18; over 17 s.
    assert schedule.mean_latency(polls, 5.0, 22.0) == pytest.approx(80.5 / 17.0)
    # The end of a gap inside the window is cheap, its start dear: the same 2 s at either end of the gap differ.
    assert schedule.mean_latency(polls, 20.0, 22.0) == pytest.approx(9.0)
    assert schedule.mean_latency(polls, 28.0, 30.0) == pytest.approx(1.0)


def test_an_irregular_schedule_matches_the_brute_force_mean():
    rng = random.Random(25)
    polls, now = [0.0], 0.0
    while now < 100.0:
        now += rng.uniform(0.2, 12.0)
        polls.append(now)
    for start, stop in ((5.0, 30.0), (30.0, 90.0), (0.0, polls[-1]), (polls[3], polls[7])):
        assert schedule.mean_latency(polls, start, stop) == pytest.approx(brute_force_mean(polls, start, stop), abs=1e-3)


def test_the_wait_schedule_beats_a_delay_10_loop_in_both_windows_of_the_issue():
    # The module's defaults (1 s apart first, then 30 % of the time waited, at most 10 s) against a loop whose
    # iterations take delay 10 plus 0.6 s of module start-up: the comparison make bench reports.
    wait, now = [0.0], 0.0
    while now < 130.0:
        now += min(10.0, max(1.0, 0.3 * now))
        wait.append(now)
    loop = [10.6 * index for index in range(14)]
    for start, stop in ((5.0, 30.0), (30.0, 90.0)):
        assert schedule.mean_latency(wait, start, stop) < schedule.mean_latency(loop, start, stop)
    assert schedule.mean_latency(wait, 5.0, 30.0) == pytest.approx(brute_force_mean(wait, 5.0, 30.0), abs=1e-3)


def test_a_schedule_that_stops_before_the_window_ends_is_refused():
    with pytest.raises(ValueError, match='ends too early'):
        schedule.mean_latency([0.0, 10.0, 20.0], 5.0, 30.0)
    with pytest.raises(ValueError, match='empty'):
        schedule.mean_latency([0.0, 10.0, 20.0], 5.0, 5.0)
    # A poll right at the window's end is enough.
    assert schedule.mean_latency([0.0, 10.0, 30.0], 5.0, 30.0) == pytest.approx((12.5 + 200.0) / 25.0)


def test_requests_before_a_time_and_per_minute_after_it():
    polls = [0.0, 1.0, 2.0, 4.0, 59.9, 60.0, 70.7, 81.4, 92.1]
    assert schedule.requests_before(polls, 60.0) == 5
    # Polls from 60 s on, 10.7 s apart: 60 / 10.7 per minute, whatever the last one's distance to a minute mark.
    assert schedule.requests_per_minute(polls, 60.0) == pytest.approx(60.0 / 10.7)
    assert schedule.requests_per_minute(polls, 90.0) is None
    assert schedule.gaps([0.0, 2.5, 1.0]) == pytest.approx([1.0, 1.5])
