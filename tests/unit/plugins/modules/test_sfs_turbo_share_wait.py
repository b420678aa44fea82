# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_share_wait: the real main() with a fake clock, so nothing really sleeps."""

from __future__ import annotations

import json

import pytest

from ansible.module_utils import basic

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import PROGRESS_FILE_ENV
from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_share_wait
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import SHARE_ID, SHARE_URL, TOKEN, share_args, share_body

NOT_FOUND = {'status_code': 404, 'json': {'errCode': 'SFS.TURBO.0002', 'errMsg': 'Cluster not found'}}


class Timeline:
    """A file system on the fake clock: (seconds since start, answer) steps; records poll times."""

    def __init__(self, clock, steps):
        self.clock = clock
        self.start = clock.now
        self.steps = steps
        self.polled_at = []

    def __call__(self, request, context):
        elapsed = self.clock.now - self.start
        self.polled_at.append(elapsed)
        answer = [step for step in self.steps if step[0] <= elapsed][-1][1]
        if 'status_code' in answer:
            context.status_code = answer['status_code']
            return answer['json']
        return answer


def run(run_module, **overrides):
    return run_module(sfs_turbo_share_wait, share_args(**overrides))


def test_create_waits_for_200(run_module, requests_mock, fake_clock):
    timeline = Timeline(fake_clock, [(0, share_body('100', action_progress={'CREATING': '10%'})), (20, share_body('200'))])
    requests_mock.get(SHARE_URL, json=timeline)
    rc, result, raw = run(run_module, operation='create')
    assert rc == 0, result
    assert result['changed'] is False and result['timed_out'] is False
    assert result['share'] == share_body('200')
    assert result['polls'] == len(timeline.polled_at) == requests_mock.call_count
    assert 20 <= result['elapsed'] <= 20 * 1.3 + 1, 'seen within 30 % of the run time'
    assert TOKEN not in raw


@pytest.mark.parametrize('status, words', [('303', 'creation failed'), ('300', 'failed'), ('800', 'frozen'), ('400', 'deleted')])
def test_create_fails_on_its_failure_codes(run_module, requests_mock, fake_clock, status, words):
    requests_mock.get(SHARE_URL, [{'json': share_body('100')}, {'json': share_body(status)}])
    rc, result, dummy = run(run_module, operation='create')
    assert rc == 1 and result['timed_out'] is False
    assert result['msg'] == "SFS Turbo file system %s: create failed, status '%s' (%s)." % (SHARE_ID, status, words)
    assert result['share']['status'] == status
    assert result['http_status'] == 200


def test_a_failed_operation_is_data_with_fail_on_operation_failure_false(run_module, requests_mock, fake_clock):
    requests_mock.get(SHARE_URL, json=share_body('200', '321'))
    rc, result, dummy = run(run_module, operation='expand', fail_on_operation_failure=False)
    assert rc == 0 and not result.get('failed')
    assert result['share']['sub_status'] == '321'
    assert result['msg'] == "SFS Turbo file system %s: expand failed, sub_status '321' (expansion failed)." % SHARE_ID


def test_expand_with_size_rides_out_the_leftover_221_and_the_empty_sub_status(run_module, requests_mock, fake_clock):
    timeline = Timeline(fake_clock, [(0, share_body('200', '221', size='500.00')), (3, share_body('200', '')),
                                     (5, share_body('200', '121')), (40, share_body('200', '221', size='1000.00'))])
    requests_mock.get(SHARE_URL, json=timeline)
    rc, result, dummy = run(run_module, operation='expand', size=1000)
    assert rc == 0, result
    assert result['share']['size'] == '1000.00' and result['elapsed'] >= 40


GRACE_TEXT = ("SFS Turbo file system %s: expand failed, sub_status '321' (expansion failed); no poll saw it start, and it stayed "
              "unchanged for %s s, past the grace period of %s s (3 poll_interval) within which a new operation replaces a code an "
              "earlier one left.")


@pytest.mark.parametrize('delay, poll_interval', [(10, 10), (9, 2)])
def test_a_failure_no_poll_saw_start_ends_after_the_grace_period_not_the_timeout(run_module, requests_mock, fake_clock, delay, poll_interval):
    # The expansion started and failed before the first poll: 221 left by an earlier one, 121 at 2 s, 321 at 8 s.
    timeline = Timeline(fake_clock, [(0, share_body('200', '221', size='500.00')), (2, share_body('200', '121', size='500.00')),
                                     (8, share_body('200', '321', size='500.00'))])
    requests_mock.get(SHARE_URL, json=timeline)
    rc, result, dummy = run(run_module, operation='expand', size=1000, delay=delay, poll_interval=poll_interval)
    grace = 3 * poll_interval
    first = [at for at in timeline.polled_at if at >= 8][0]
    assert rc == 1 and result['timed_out'] is False, result['msg']
    assert first + grace <= result['elapsed'] <= first + grace + poll_interval, 'the grace period, then at most one poll_interval'
    assert result['msg'] == GRACE_TEXT % (SHARE_ID, round(timeline.polled_at[-1] - first, 1), grace)
    assert result['share']['sub_status'] == '321'


@pytest.mark.parametrize('before, words', [('121', "sub_status '121' (expanding)"), ('221', "sub_status '221' (expanded)"),
                                           ('', 'no sub_status')])
def test_a_failure_a_poll_saw_start_ends_the_wait_at_once(run_module, requests_mock, fake_clock, before, words):
    timeline = Timeline(fake_clock, [(0, share_body('200', before, size='500.00')), (5, share_body('200', '321', size='500.00'))])
    requests_mock.get(SHARE_URL, json=timeline)
    rc, result, dummy = run(run_module, operation='expand', size=1000)
    assert rc == 1 and result['timed_out'] is False
    assert timeline.polled_at[-2] < 5 <= timeline.polled_at[-1] == pytest.approx(result['elapsed']), 'the first poll that showed it'
    assert result['msg'] == ("SFS Turbo file system %s: expand failed, sub_status '321' (expansion failed); this wait saw it change "
                             "from %s." % (SHARE_ID, words))


def test_a_leftover_failure_replaced_within_the_grace_period_does_not_fail(run_module, requests_mock, fake_clock):
    # A 321 left by an earlier expansion, replaced once the new one is accepted (within seconds), then its 221.
    timeline = Timeline(fake_clock, [(0, share_body('200', '321', size='500.00')), (25, share_body('200', '121', size='500.00')),
                                     (40, share_body('200', '221', size='1000.00'))])
    requests_mock.get(SHARE_URL, json=timeline)
    rc, result, dummy = run(run_module, operation='expand', size=1000)
    assert rc == 0, result['msg']
    assert result['share']['sub_status'] == '221' and result['elapsed'] >= 40


def test_a_security_group_change_follows_the_same_rule(run_module, requests_mock, fake_clock):
    requests_mock.get(SHARE_URL, json=share_body('200', '332'))
    rc, result, dummy = run(run_module, operation='change_security_group', security_group_id='sg-new', poll_interval=5)
    assert rc == 1 and result['timed_out'] is False and 15 <= result['elapsed'] <= 20
    assert "change_security_group failed, sub_status '332' (security group change failed); no poll saw it start" in result['msg']


@pytest.mark.parametrize('operation, extra', [('expand', {'size': 1000}), ('change_security_group', {}), ('add_storage_backend', {})])
def test_an_operation_on_a_frozen_file_system_fails_at_once(run_module, requests_mock, fake_clock, operation, extra):
    requests_mock.get(SHARE_URL, json=share_body('800', '121'))
    rc, result, dummy = run(run_module, operation=operation, **extra)
    assert rc == 1 and result['timed_out'] is False and result['polls'] == 1
    assert result['msg'] == ("SFS Turbo file system %s: %s failed, status '800' (frozen); a frozen file system runs no operation "
                             "until the cloud unfreezes it." % (SHARE_ID, operation))


def test_expand_without_size_ends_at_the_first_221(run_module, requests_mock, fake_clock):
    requests_mock.get(SHARE_URL, json=share_body('200', '221', size='500.00'))
    rc, result, dummy = run(run_module, operation='expand')
    assert rc == 0 and result['polls'] == 1


def test_expand_of_a_file_system_that_does_not_exist_fails_at_once(run_module, requests_mock, fake_clock):
    requests_mock.get(SHARE_URL, [NOT_FOUND])
    rc, result, dummy = run(run_module, operation='expand', size=1000)
    assert rc == 1 and result['timed_out'] is False
    assert (result['errCode'], result['errMsg'], result['http_status']) == ('SFS.TURBO.0002', 'Cluster not found', 404)
    assert 'SFS Turbo file system %s' % SHARE_ID in result['msg']
    assert requests_mock.call_count == 1 and fake_clock.sleeps == []


@pytest.mark.parametrize('gone', [NOT_FOUND, {'json': share_body('400')}])
def test_delete_succeeds_when_the_file_system_is_gone(run_module, requests_mock, fake_clock, gone):
    requests_mock.get(SHARE_URL, [{'json': share_body('200')}, {'json': share_body('200')}, gone])
    rc, result, dummy = run(run_module, operation='delete')
    assert rc == 0, result
    assert result['polls'] == 3
    assert result['share']['status'] == ('400' if 'json' in gone and 'status_code' not in gone else '200'), 'the last state seen'


def test_delete_of_a_file_system_gone_before_the_first_poll(run_module, requests_mock, fake_clock):
    requests_mock.get(SHARE_URL, [NOT_FOUND])
    rc, result, dummy = run(run_module, operation='delete')
    assert rc == 0 and result['share'] == {} and result['polls'] == 1


def test_a_timeout_names_the_operation_and_the_last_codes(run_module, requests_mock, fake_clock):
    requests_mock.get(SHARE_URL, json=share_body('200', '121', size='500.00'))
    rc, result, dummy = run(run_module, operation='expand', size=1000, timeout=60)
    assert rc == 1 and result['timed_out'] is True
    assert result['msg'] == ("Timed out after 60 s waiting for SFS Turbo file system %s to be expanded to 1000 GB; its last state was "
                             "status '200' (available), sub_status '121' (expanding), size '500.00'." % SHARE_ID)
    assert result['share']['sub_status'] == '121'
    assert sum(fake_clock.sleeps) == pytest.approx(60), 'never sleeps past the deadline'


def test_transient_faults_are_ridden_out(run_module, requests_mock, fake_clock):
    unavailable = {'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}}
    requests_mock.get(SHARE_URL, [{'json': share_body('100')}] + [unavailable] * 6 + [{'json': share_body('200')}])
    rc, result, dummy = run(run_module, operation='create', retries=1)
    assert rc == 0 and result['polls'] == 8


def test_an_unknown_code_keeps_polling_with_one_warning(run_module, requests_mock, fake_clock, monkeypatch):
    warnings = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning, **kwargs: warnings.append(warning))
    requests_mock.get(SHARE_URL, [{'json': share_body('200', '999')}] * 3 + [{'json': share_body('200', '221')}])
    rc, dummy, dummy2 = run(run_module, operation='expand')
    assert rc == 0
    assert warnings == ["SFS Turbo file system %s reports the unknown sub_status '999'; treating it as not finished." % SHARE_ID]


@pytest.mark.parametrize('overrides, expected', [
    ({'operation': 'create', 'size': 10}, 'size applies to operation=expand only'),
    ({'operation': 'expand', 'share_id': 'a/b'}, 'Invalid share_id'),
    ({'operation': 'expand', 'timeout': 0}, 'timeout must be greater than 0'),
    ({'operation': 'change_security_group', 'security_group_id': 'sg x'}, 'Invalid security_group_id'),
])
def test_bad_input_fails_before_any_request(run_module, requests_mock, overrides, expected):
    rc, result, dummy = run(run_module, **overrides)
    assert rc == 1 and expected in result['msg']
    assert requests_mock.call_count == 0


def test_an_unknown_operation_is_refused_by_its_choices(run_module, requests_mock):
    rc, result, dummy = run(run_module, operation='resize')
    assert rc == 1 and 'operation' in result['msg'] and requests_mock.call_count == 0


def check_run(run_module, **overrides):
    return run_module(sfs_turbo_share_wait, dict(share_args(**overrides), _ansible_check_mode=True))


def test_check_mode_reads_a_running_expansion_once_and_says_it_does_not_wait(run_module, requests_mock, fake_clock, warnings):
    requests_mock.get(SHARE_URL, json=share_body('200', '221', size='500.00'))
    rc, result, dummy = check_run(run_module, operation='expand', size=1000, delay=30, poll_interval=5)
    assert rc == 0 and not result.get('failed'), result
    assert requests_mock.call_count == 1 and result['polls'] == 1
    assert result['changed'] is False and result['timed_out'] is False
    assert result['share'] == share_body('200', '221', size='500.00')
    assert fake_clock.sleeps == [] and result['elapsed'] == 0, 'delay is not slept in check mode'
    assert len(warnings) == 1
    assert warnings[0].startswith('Check mode does not wait for SFS Turbo file system %s to be expanded to 1000 GB, and one read found it not '
                                  "finished: its last state was status '200' (available), sub_status '221' (expanded), size '500.00';" % SHARE_ID), warnings
    assert warnings[0].endswith('; in a check run the task that would have started the operation did not start it either.')


def test_check_mode_returns_an_available_file_system_without_a_warning(run_module, requests_mock, fake_clock, warnings):
    requests_mock.get(SHARE_URL, json=share_body('200'))
    rc, result, dummy = check_run(run_module, operation='create')
    assert rc == 0 and result['share']['status'] == '200' and result['changed'] is False and result['polls'] == 1
    assert warnings == []


@pytest.mark.parametrize('operation, answer', [('expand', {'json': share_body('200', '321')}), ('create', {'json': share_body('303')}),
                                               ('expand', NOT_FOUND)])
def test_check_mode_fails_as_the_wait_does(run_module, requests_mock, fake_clock, warnings, operation, answer):
    requests_mock.get(SHARE_URL, **answer)
    rc, waited, dummy = run(run_module, operation=operation)
    rc_check, checked, dummy = check_run(run_module, operation=operation)
    assert rc == rc_check == 1
    assert checked['polls'] == 1
    for key in ('msg', 'errCode', 'errMsg', 'http_status', 'share'):
        assert checked.get(key) == waited.get(key), key
    assert warnings == []


def test_check_mode_delete_of_a_gone_file_system_succeeds(run_module, requests_mock, fake_clock, warnings):
    requests_mock.get(SHARE_URL, **NOT_FOUND)
    rc, result, dummy = check_run(run_module, operation='delete')
    assert rc == 0 and result['share'] == {} and result['polls'] == 1
    assert warnings == []


def test_a_token_echoed_by_the_server_never_reaches_the_output(run_module, requests_mock, fake_clock):
    requests_mock.get(SHARE_URL, json=share_body('200', '221', name='echo %s' % TOKEN))
    rc, dummy, raw = run(run_module, operation='expand')
    assert rc == 0 and TOKEN not in raw


def test_progress_records_carry_the_codes_in_words_and_the_creation_percentage(run_module, requests_mock, fake_clock, tmp_path, monkeypatch):
    path = tmp_path / 'progress.jsonl'
    path.write_text('')
    monkeypatch.setenv(PROGRESS_FILE_ENV, str(path))
    requests_mock.get(SHARE_URL, [{'json': share_body('100', action_progress={'CREATING': '22%'})},
                                  {'json': share_body('100', action_progress={'CREATING': '%s%%' % TOKEN})},
                                  {'json': share_body('200')}])
    rc, dummy, dummy2 = run(run_module, operation='create')
    assert rc == 0
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert records[0]['polls'] == 0, 'the record of the start comes first'
    assert [(record['state'], record.get('tally')) for record in records[1:]] == [
        ('creating (status 100)', '22% done'), ('creating (status 100)', None)]
    assert TOKEN not in path.read_text()


def test_a_percentage_in_other_digits_is_left_out_not_a_traceback(run_module, requests_mock, fake_clock, tmp_path, monkeypatch):
    # '\u00b2'.isdigit() is true, int('\u00b2') raises: the record of the retry after it read the body again.
    path = tmp_path / 'progress.jsonl'
    path.write_text('')
    monkeypatch.setenv(PROGRESS_FILE_ENV, str(path))
    unavailable = {'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}}
    requests_mock.get(SHARE_URL, [{'json': share_body('100', action_progress={'CREATING': '\u00b2%'})}, unavailable,
                                  {'json': share_body('100', action_progress={'CREATING': '\u0663%'})}, {'json': share_body('200')}])
    rc, result, dummy = run(run_module, operation='create', retries=1)  # the client's retry records the last body
    assert rc == 0, result
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(records) >= 3 and not [record for record in records if 'percent' in record]
