# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_job_wait: the real main() with a fake clock, so nothing really sleeps."""

from __future__ import annotations

import pytest
import requests

from ansible.module_utils import basic

from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_job_wait
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import JOB_ID, JOB_URL, TOKEN, base_args, job_body

SUB_FAILED = {'job_id': 'sub-2', 'status': 'failed', 'job_type': 'create_share', 'begin_time': '2026-11-28 10:00:00',
              'error_code': 'SFS.TURBO.0029', 'fail_reason': 'Subnet has not enough ips'}
SERVICE_UNAVAILABLE = {'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}}


class Timeline:
    """A job on the fake clock: (seconds since start, status, extra fields) steps; records poll times."""

    def __init__(self, clock, steps):
        self.clock = clock
        self.start = clock.now
        self.steps = steps
        self.polled_at = []

    def __call__(self, request, context):
        elapsed = self.clock.now - self.start
        self.polled_at.append(elapsed)
        current = [step for step in self.steps if step[0] <= elapsed][-1]
        return job_body(current[1], **(current[2] if len(current) > 2 else {}))


def run(run_module, **overrides):
    return run_module(sfs_turbo_job_wait, base_args(**overrides))


def test_waiting_then_running_then_success(run_module, requests_mock, fake_clock):
    timeline = Timeline(fake_clock, [(0, 'waiting'), (2, 'running'), (6, 'success')])
    requests_mock.get(JOB_URL, json=timeline)
    rc, result, raw = run(run_module)
    assert rc == 0, result
    assert result['changed'] is False and result['timed_out'] is False
    assert result['job']['status'] == 'success'
    assert result['sub_jobs'] == []
    assert result['polls'] == len(timeline.polled_at) == requests_mock.call_count
    assert 6 <= result['elapsed'] <= 7.5, 'seen within 1.5 s of finishing'
    assert TOKEN not in raw


def test_running_then_failed_with_sub_job_errors(run_module, requests_mock, fake_clock):
    timeline = Timeline(fake_clock, [(0, 'running'), (4, 'failed', {'sub_jobs': [SUB_FAILED]})])
    requests_mock.get(JOB_URL, json=timeline)
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert (result['errCode'], result['errMsg']) == ('SFS.TURBO.0029', 'Subnet has not enough ips')
    assert result['msg'] == 'SFS Turbo job %s (create_share) failed with SFS.TURBO.0029: Subnet has not enough ips; failed sub-jobs: sub-2.' % JOB_ID
    assert result['sub_jobs'] == [SUB_FAILED]
    assert result['timed_out'] is False
    assert result['polls'] >= 2 and result['elapsed'] >= 4


def test_failed_job_returned_as_data_with_fail_on_job_failure_false(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body('failed', error_code='SFS.TURBO.0030', fail_reason='Ecs resource not enough'))
    rc, result, dummy = run(run_module, fail_on_job_failure=False)
    assert rc == 0 and result['job']['status'] == 'failed'
    assert 'failed' not in result or result['failed'] is False
    assert result['timed_out'] is False
    assert result['errCode'] == 'SFS.TURBO.0030'
    assert result['errMsg'] == 'Ecs resource not enough'
    assert result['msg'] == 'SFS Turbo job %s (create_share) failed with SFS.TURBO.0030: Ecs resource not enough.' % JOB_ID


def test_timeout_reports_the_last_state(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body('running', progress='42%'))
    rc, result, dummy = run(run_module, timeout=60)
    assert rc == 1
    assert result['timed_out'] is True
    assert result['job'] == job_body('running', progress='42%')
    assert result['msg'] == "Timed out after 60 s waiting for SFS Turbo job %s; its last status was 'running'." % JOB_ID
    assert result['elapsed'] == pytest.approx(60)
    assert sum(fake_clock.sleeps) == pytest.approx(60), 'never sleeps past the deadline'
    assert result['polls'] == requests_mock.call_count


@pytest.mark.parametrize('fault', [
    SERVICE_UNAVAILABLE,
    {'status_code': 502, 'text': '<html>Bad Gateway</html>'},
    {'status_code': 429, 'headers': {'Retry-After': '2'}, 'json': {'error_code': 'APIG.0308', 'error_msg': 'throttled'}},
    {'exc': requests.exceptions.ConnectionError('[Errno 104] Connection reset by peer')},
])
def test_transient_faults_are_ridden_out_beyond_the_retries_setting(run_module, requests_mock, fake_clock, fault):
    requests_mock.get(JOB_URL, [{'json': job_body('running')}] + [fault] * 8 + [{'json': job_body('success')}])
    rc, result, dummy = run(run_module, retries=1)
    assert rc == 0, result
    assert result['polls'] == 10
    assert result['job']['status'] == 'success'


def test_transient_faults_until_the_deadline_time_out_with_the_last_error(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, [{'json': job_body('running')}] + [SERVICE_UNAVAILABLE] * 500)
    rc, result, dummy = run(run_module, timeout=120)
    assert rc == 1 and result['timed_out'] is True
    assert result['job']['status'] == 'running'
    assert result['http_status'] == 503 and result['errCode'] == 'APIG.0202'
    assert "its last status was 'running', and the last poll failed" in result['msg']
    assert fake_clock.now - 1000.0 <= 120


def test_a_retry_after_longer_than_the_time_left_is_respected(run_module, requests_mock, fake_clock):
    throttled = {'status_code': 429, 'headers': {'Retry-After': '90'}, 'json': {'error_code': 'APIG.0308', 'error_msg': 'throttled'}}
    requests_mock.get(JOB_URL, [{'json': job_body('running')}] + [throttled] * 50)
    rc, result, dummy = run(run_module, timeout=60)
    assert rc == 1 and result['timed_out'] is True
    assert result['polls'] <= 3, 'asked to wait 90 s, the module must not keep polling every second'
    assert sum(fake_clock.sleeps) == pytest.approx(60)


def test_a_timeout_after_a_successful_poll_reports_that_answer(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, headers={'X-request-id': 'req-last'}, json=job_body('running'))
    rc, result, dummy = run(run_module, timeout=5)
    assert rc == 1 and result['timed_out'] is True
    assert (result['http_status'], result['request_id']) == (200, 'req-last')


@pytest.mark.parametrize('overrides', [{'poll_interval': float('nan')}, {'delay': float('inf')}])
def test_non_finite_wait_settings_are_refused(run_module, requests_mock, fake_clock, overrides):
    rc, dummy, dummy2 = run(run_module, **overrides)
    assert rc == 1 and requests_mock.call_count == 0


def test_a_404_fails_at_once(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, status_code=404, json={'errCode': 'SFS.TURBO.0019', 'errMsg': 'Invalid Job Id'})
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert requests_mock.call_count == 1 and fake_clock.sleeps == []
    assert (result['errCode'], result['http_status'], result['timed_out']) == ('SFS.TURBO.0019', 404, False)
    assert 'wait with otc_community.sfs_turbo.sfs_turbo_share_wait and share_id instead.' in result['msg'], 'the likely mix-up'


def test_a_final_error_after_polls_keeps_the_last_job(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, [{'json': job_body('running')}, {'status_code': 403, 'json': {'errCode': 'SFS.TURBO.0015', 'errMsg': 'denied'}}])
    rc, result, dummy = run(run_module)
    assert rc == 1
    assert result['errCode'] == 'SFS.TURBO.0015'
    assert result['job']['status'] == 'running'
    assert result['polls'] == 2


def test_delay_comes_before_the_first_poll_and_counts_in_elapsed(run_module, requests_mock, fake_clock):
    timeline = Timeline(fake_clock, [(0, 'running'), (30, 'success')])
    requests_mock.get(JOB_URL, json=timeline)
    rc, result, dummy = run(run_module, delay=25)
    assert rc == 0
    assert fake_clock.sleeps[0] == 25
    assert timeline.polled_at[0] == 25
    assert result['elapsed'] >= 30


def test_the_poll_schedule(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body('running'))
    rc, result, dummy = run(run_module, timeout=300, poll_interval=10)
    assert rc == 1 and result['timed_out'] is True
    assert fake_clock.sleeps[0] == 1.0, 'the first pause is about a second'
    assert max(fake_clock.sleeps) <= 10, 'no pause exceeds poll_interval'
    assert fake_clock.sleeps[:-1] == sorted(fake_clock.sleeps[:-1]), 'pauses only grow'
    assert sum(fake_clock.sleeps) == pytest.approx(300), 'never sleeps past the deadline'
    assert result['polls'] <= 300 / 10 + 10, 'a long wait costs about one request per poll_interval'


def test_a_short_poll_interval_caps_the_first_pause_too(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body('running'))
    run(run_module, timeout=3, poll_interval=0.5)
    assert max(fake_clock.sleeps) <= 0.5


def test_an_unknown_status_keeps_polling_with_one_warning(run_module, requests_mock, fake_clock, monkeypatch):
    # Under pytest, ansible-core routes module warnings to the controller display, so collect them here.
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning, **kwargs: warnings.append(warning))
    timeline = Timeline(fake_clock, [(0, 'frozen'), (8, 'success')])
    requests_mock.get(JOB_URL, json=timeline)
    rc, dummy, dummy2 = run(run_module)
    assert rc == 0
    assert len(timeline.polled_at) > 2
    assert len(warnings) == 1
    assert "unknown status 'frozen'" in warnings[0]


def test_a_job_without_status_fails_rather_than_waiting_forever(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json={'job_id': JOB_ID})
    rc, result, dummy = run(run_module)
    assert rc == 1 and 'without a status' in result['msg']
    assert requests_mock.call_count == 1


@pytest.mark.parametrize('overrides, expected', [
    ({'timeout': 0}, 'timeout must be greater than 0'),
    ({'timeout': 1e12}, 'timeout must be greater than 0 and at most 2592000 seconds'),
    ({'request_timeout': 1e12}, 'request_timeout must be greater than 0 and at most 2592000 seconds'),
    ({'request_timeout': float('nan')}, 'request_timeout must be'),
    ({'poll_interval': 1e12}, 'poll_interval must be'),
    ({'delay': 1e12}, 'delay must be 0 or more and at most'),
    ({'poll_interval': 0}, 'poll_interval must be greater than 0'),
    ({'delay': -1}, 'delay must be 0 or more'),
    ({'job_id': 'a/b'}, 'Invalid job_id'),
])
def test_bad_wait_settings_fail_before_any_request(run_module, requests_mock, overrides, expected):
    rc, result, dummy = run(run_module, **overrides)
    assert rc == 1 and expected in result['msg']
    assert requests_mock.call_count == 0


def check_run(run_module, **overrides):
    return run_module(sfs_turbo_job_wait, dict(base_args(**overrides), _ansible_check_mode=True))


def test_check_mode_reads_a_running_job_once_and_says_it_does_not_wait(run_module, requests_mock, fake_clock, warnings):
    requests_mock.get(JOB_URL, json=job_body('running'))
    rc, result, dummy = check_run(run_module, delay=30, poll_interval=5)
    assert rc == 0 and not result.get('failed'), result
    assert requests_mock.call_count == 1 and result['polls'] == 1
    assert result['changed'] is False and result['timed_out'] is False
    assert result['job']['status'] == 'running' and result['sub_jobs'] == []
    assert fake_clock.sleeps == [] and result['elapsed'] == 0, 'delay is not slept in check mode'
    assert warnings == ["Check mode does not wait for SFS Turbo job %s, and one read found it not finished: its last status was 'running'; "
                        "in a check run the task that would have started the operation did not start it either." % JOB_ID]


def test_check_mode_returns_a_finished_job_without_a_warning(run_module, requests_mock, fake_clock, warnings):
    requests_mock.get(JOB_URL, json=job_body('success'))
    rc, result, dummy = check_run(run_module)
    assert rc == 0 and result['job']['status'] == 'success' and result['polls'] == 1
    assert warnings == []


def test_check_mode_fails_on_a_failed_job_as_the_wait_does(run_module, requests_mock, fake_clock, warnings):
    requests_mock.get(JOB_URL, json=job_body('failed', sub_jobs=[SUB_FAILED]))
    rc, waited, dummy = run(run_module)
    rc_check, checked, dummy = check_run(run_module)
    assert rc == rc_check == 1
    assert checked['polls'] == 1 and checked['job']['status'] == 'failed'
    for key in ('msg', 'errCode', 'errMsg', 'http_status', 'job', 'sub_jobs'):
        assert checked[key] == waited[key], key
    assert warnings == []


def test_check_mode_warns_of_an_unknown_status_too(run_module, requests_mock, fake_clock, warnings):
    requests_mock.get(JOB_URL, json=job_body('frozen'))
    rc, result, dummy = check_run(run_module)
    assert rc == 0 and requests_mock.call_count == 1
    assert len(warnings) == 2 and "unknown status 'frozen'" in warnings[0] and warnings[1].startswith('Check mode does not wait')


def test_check_mode_retries_a_transient_failure_as_usual(run_module, requests_mock, fake_clock, warnings):
    requests_mock.get(JOB_URL, [SERVICE_UNAVAILABLE, {'json': job_body('success')}])
    rc, result, dummy = check_run(run_module)
    assert rc == 0 and result['job']['status'] == 'success'
    assert requests_mock.call_count == 2 and result['polls'] == 1, 'one poll, its retry included'


def test_timeout_takes_a_fraction_of_a_second(run_module, requests_mock, fake_clock):
    requests_mock.get(JOB_URL, json=job_body('running'))
    rc, result, dummy = run(run_module, timeout=2.5, poll_interval=1)
    assert rc == 1 and result['timed_out'] is True
    assert result['msg'].startswith('Timed out after 2.5 s ')
    assert 2.5 <= result['elapsed'] < 3


def test_server_text_reaches_msg_and_warnings_without_control_characters(run_module, requests_mock, fake_clock, monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning, **kwargs: warnings.append(warning))
    hostile = 'Subnet\x1b[2J\x1b[H has\rnot \x9b2J enough \u202eips'
    requests_mock.get(JOB_URL, [{'json': job_body('PAUSED\x1b[2J')},
                                {'json': job_body('failed', error_code='SFS.TURBO.0029', fail_reason=hostile)}])
    rc, result, dummy = run(run_module)
    assert rc == 1
    for text in [result['msg']] + warnings:
        assert all(char.isprintable() for char in text), text
    assert 'enough' in result['msg'] and 'PAUSED' in warnings[0]
    # The returned data keeps the value as the API sent it.
    assert result['errMsg'] == hostile and result['job']['fail_reason'] == hostile
