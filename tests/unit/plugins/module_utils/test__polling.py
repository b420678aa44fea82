# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The poll schedule."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import TokenAuth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Deadline
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import ApiClient
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._jobs import JobResource
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._polling import next_pause, wait_for
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import ENDPOINT, JOB_ID, JOB_URL, PROJECT_ID, TOKEN, job_body


def poll_times(poll_interval, until):
    """When the polls of a wait happen, requests taking no time."""
    times = [0.0]
    while times[-1] <= until:
        times.append(times[-1] + next_pause(times[-1], poll_interval))
    return times


def test_first_pause_is_about_a_second():
    assert next_pause(0.0, 10) == 1.0


@pytest.mark.parametrize('poll_interval', [0.2, 1, 2.5, 10, 60])
def test_pauses_grow_and_never_exceed_poll_interval(poll_interval):
    times = poll_times(poll_interval, 3600)
    pauses = [later - earlier for earlier, later in zip(times, times[1:])]
    assert all(pause <= poll_interval + 1e-9 for pause in pauses)
    assert all(later >= earlier - 1e-9 for earlier, later in zip(pauses, pauses[1:]))
    assert abs(pauses[-1] - poll_interval) < 1e-9


@pytest.mark.parametrize('finish', [0.5, 2, 3, 4, 5, 6])
def test_a_quick_job_is_seen_within_about_a_second_and_a_half(finish):
    seen = next(t for t in poll_times(10, 100) if t >= finish)
    assert seen - finish <= 1.5


@pytest.mark.parametrize('finish', [20, 60, 300])
def test_a_longer_job_is_seen_within_a_third_of_its_run_time(finish):
    seen = next(t for t in poll_times(10, 1000) if t >= finish)
    assert seen - finish <= min(10, finish * 0.3 + 1)


def test_a_long_job_costs_about_one_request_per_poll_interval():
    polls = len([t for t in poll_times(10, 1800) if t <= 1800])
    assert polls <= 1800 / 10 + 15


# --- the wait loop against odd answers ------------------------------------------------

@pytest.fixture
def client(fake_clock, clean_env):
    return ApiClient('%s/v1/%s' % (ENDPOINT, PROJECT_ID), TokenAuth(TOKEN), retries=0)


def test_an_unknown_status_that_echoes_the_token_is_warned_about_masked(client, requests_mock):
    requests_mock.get(JOB_URL, json=job_body('pending-%s' % TOKEN))
    warnings = []
    outcome = wait_for(client, JobResource(JOB_ID), 5, 1, 0, warnings.append)
    assert outcome.timed_out
    assert len(warnings) == 1 and TOKEN not in warnings[0] and '********' in warnings[0]


@pytest.mark.parametrize('status', [['running'], {'state': 'running'}, 42])
def test_a_status_that_is_not_a_string_ends_the_wait_with_an_error(client, requests_mock, status):
    requests_mock.get(JOB_URL, json=job_body(status))
    outcome = wait_for(client, JobResource(JOB_ID), 5, 1, 0, lambda text: None)
    assert not outcome.timed_out
    assert 'status that is not a string' in outcome.error.msg and outcome.error.http_status == 200


def test_the_wait_counts_time_spent_before_it_in_its_deadline(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body('running'))
    deadline = Deadline(client.clock, 10)
    fake_clock.now += 4  # a slow IAM login, say
    outcome = wait_for(client, JobResource(JOB_ID), 10, 1, 0, lambda text: None, deadline=deadline)
    assert outcome.timed_out and outcome.elapsed == pytest.approx(10)
    assert sum(fake_clock.sleeps) == pytest.approx(6), 'the wait had 6 of its 10 s left'


def test_a_delay_as_long_as_the_timeout_sends_nothing(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body('running'))
    outcome = wait_for(client, JobResource(JOB_ID), 10, 1, 30, lambda text: None)
    assert outcome.timed_out and outcome.error is None and outcome.body is None
    assert requests_mock.call_count == 0 and sum(fake_clock.sleeps) == pytest.approx(10)


def test_the_polls_after_a_delay_start_dense_as_documented(client, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body('running'))
    wait_for(client, JobResource(JOB_ID), 620, 10, 600, lambda text: None)
    assert fake_clock.sleeps[0] == 600, 'the delay first'
    assert fake_clock.sleeps[1:4] == [1.0, 1.0, 1.0], 'then one second apart, as after no delay'


def test_retries_during_an_outage_pause_no_longer_than_poll_interval(requests_mock, fake_clock, clean_env):
    # An outage of many failed attempts: the backoff would grow to 30 s, but a poll is due every 2 s,
    # and the end of the outage must be seen as soon as a poll would see it (the module gives the client its cap).
    client = ApiClient('%s/v1/%s' % (ENDPOINT, PROJECT_ID), TokenAuth(TOKEN), retries=0, retry_pause_cap=2)
    refused = {'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}}
    requests_mock.get(JOB_URL, [{'json': job_body('running')}] + [refused] * 8 + [{'json': job_body('success')}])
    outcome = wait_for(client, JobResource(JOB_ID), 600, 2, 0, lambda text: None)
    assert outcome.body['status'] == 'success' and not outcome.timed_out
    assert fake_clock.sleeps and max(fake_clock.sleeps) <= 2


def test_a_retry_after_longer_than_poll_interval_is_still_honoured(client, requests_mock, fake_clock):
    throttled = {'status_code': 429, 'headers': {'Retry-After': '7'},
                 'json': {'error_code': 'APIG.0308', 'error_msg': 'The throttling threshold has been reached'}}
    requests_mock.get(JOB_URL, [throttled, {'json': job_body('success')}])
    wait_for(client, JobResource(JOB_ID), 600, 2, 0, lambda text: None)
    assert fake_clock.sleeps == [7.0]
