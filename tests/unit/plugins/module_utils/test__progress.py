# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The module's side of live progress: what a wait appends to the progress file, and what it never does."""

from __future__ import annotations

import json
import os
import signal

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _clock
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._jobs import JobResource
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import (
    BELL_SUFFIX, DIRECTORY_PREFIX, PROGRESS_FILE_ENV, ProgressFile, progress_record)
from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_job_wait, sfs_turbo_share_wait
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import (
    JOB_ID, JOB_URL, SHARE_URL, TOKEN, base_args, job_body, share_args, share_body)

JOB = JobResource(JOB_ID)

SUB_JOBS = [
    {'job_id': 's1', 'status': 'success'},
    {'job_id': 's2', 'status': 'failed', 'fail_reason': 'Subnet has not enough ips'},
    {'job_id': 's3', 'status': 'running'},
]


def read_records(path, with_start=False):
    """The poll records of the file (and the record of the wait's start, polls 0, with ``with_start``)."""
    with open(path, encoding='ascii') as handle:
        records = [json.loads(line) for line in handle]
    return records if with_start else [record for record in records if record['polls'] > 0 or 'cause' in record]


@pytest.fixture
def progress_path(tmp_path, monkeypatch):
    path = tmp_path / 'progress.jsonl'
    path.write_bytes(b'')
    path.chmod(0o600)
    monkeypatch.setenv(PROGRESS_FILE_ENV, str(path))
    return path


def test_record_holds_only_the_checked_fields():
    job = job_body('running', job_type='bind_ldap', sub_jobs=SUB_JOBS, fail_reason='secret plans', progress='42%')
    assert progress_record(JOB, job, 7, 12.345, None, ()) == {
        'polls': 7, 'elapsed': 12.3, 'state': '(bind_ldap) running, sub-jobs 2/3 done, 1 failed'}


def test_record_leaves_out_odd_values_and_secrets():
    job = job_body('running <script>', job_type='x' * 41)
    assert progress_record(JOB, job, 1, 0, None, ()) == {'polls': 1, 'elapsed': 0.0}
    job = job_body('running', job_type='echo-' + TOKEN)
    assert progress_record(JOB, job, 1, 0, None, (TOKEN,))['state'] == 'running'


@pytest.mark.parametrize('status', ['running\n', 'running\nsfs_turbo_job_wait: fake line', 'running\r'])
def test_record_leaves_out_a_status_that_is_a_word_only_up_to_a_line_break(status):
    assert progress_record(JOB, job_body(status), 1, 0, None, ())['state'] == '(create_share) status unknown'


def test_record_leaves_out_a_secret_echoed_in_another_letter_case():
    # job_status() lower-cases the status, so an echoed token arrives lower-cased.
    job = job_body(TOKEN.upper(), job_type='echo-' + TOKEN.swapcase())
    assert progress_record(JOB, job, 1, 0, None, (TOKEN,)) == {'polls': 1, 'elapsed': 0.0}


def test_record_of_a_transient_failure():
    error = SfsTurboError('Backend unavailable.', http_status=503, transient=True)
    assert progress_record(JOB, None, 3, 5, error, ()) == {'polls': 3, 'elapsed': 5.0, 'cause': 'HTTP', 'http_status': 503}


def test_no_writer_without_the_variable_or_for_a_missing_file(tmp_path):
    assert ProgressFile.from_environment(JOB, environ={}) is None
    assert ProgressFile.from_environment(JOB, environ={PROGRESS_FILE_ENV: ''}) is None
    missing = tmp_path / 'gone.jsonl'
    assert ProgressFile.from_environment(JOB, environ={PROGRESS_FILE_ENV: str(missing)}) is None
    assert not missing.exists(), 'the module never creates the file'


def test_a_symlink_is_not_followed(tmp_path):
    target = tmp_path / 'target'
    target.write_text('')
    link = tmp_path / 'link'
    link.symlink_to(target)
    assert ProgressFile.from_environment(JOB, environ={PROGRESS_FILE_ENV: str(link)}) is None


def test_the_bell_rings_only_when_the_state_changes(progress_path):
    # The plugin's reader sleeps until the bell rings or a line is due: a ring per poll would wake it
    # for nothing; no ring on a change would hold the change back until the next periodic line.
    bell = str(progress_path) + BELL_SUFFIX
    os.mkfifo(bell, 0o600)
    reader = os.open(bell, os.O_RDWR | os.O_NONBLOCK)
    try:
        writer = ProgressFile(str(progress_path), JOB)
        for status in ('waiting', 'running', 'running', 'running', 'success'):
            writer(job_body(status, job_type='bind_ldap'), 1, 1.0, None)
        writer(job_body('success', job_type='bind_ldap', sub_jobs=SUB_JOBS), 1, 1.0, None)
        writer.close()
        assert os.read(reader, 100) == b'!!!!', 'waiting, running, success, then the sub-job tally'
    finally:
        os.close(reader)
    assert len(read_records(progress_path)) == 6, 'every poll is still recorded'


def test_no_bell_or_a_bell_that_is_no_fifo_is_never_written(progress_path):
    bell = progress_path.parent / (progress_path.name + BELL_SUFFIX)
    writer = ProgressFile(str(progress_path), JOB)
    writer(job_body('running'), 1, 1.0, None)
    writer.close()
    bell.write_bytes(b'')
    writer = ProgressFile(str(progress_path), JOB)
    writer(job_body('success'), 2, 2.0, None)
    writer.close()
    assert bell.read_bytes() == b''
    assert len(read_records(progress_path)) == 2


def test_write_failure_switches_progress_off_silently(progress_path):
    writer = ProgressFile.from_environment(JOB)
    os.close(writer._fd)  # pylint: disable=protected-access
    writer(job_body('running'), 1, 0.5, None)  # EBADF: no exception, just off
    assert not writer.active


def test_wait_appends_one_record_per_unfinished_poll(run_module, requests_mock, fake_clock, progress_path):
    bodies = [job_body('waiting'), job_body('running', sub_jobs=SUB_JOBS[:1]), job_body('running', sub_jobs=SUB_JOBS),
              job_body('success')]
    requests_mock.get(JOB_URL, [{'json': body} for body in bodies])
    rc, result, dummy = run_module(sfs_turbo_job_wait, base_args())
    assert rc == 0 and result['polls'] == 4
    records = read_records(progress_path)
    assert [record['polls'] for record in records] == [1, 2, 3]
    assert [record['state'] for record in records] == [
        '(create_share) waiting', '(create_share) running, sub-jobs 1/1 done', '(create_share) running, sub-jobs 2/3 done, 1 failed']
    assert TOKEN not in progress_path.read_text()


def test_the_result_is_the_same_with_and_without_progress(run_module, requests_mock, fake_clock, tmp_path, monkeypatch):
    requests_mock.get(JOB_URL, [{'json': job_body('running')}, {'json': job_body('success')}])
    dummy, without, dummy = run_module(sfs_turbo_job_wait, base_args())
    path = tmp_path / 'p.jsonl'
    path.write_text('')
    monkeypatch.setenv(PROGRESS_FILE_ENV, str(path))
    requests_mock.get(JOB_URL, [{'json': job_body('running')}, {'json': job_body('success')}])
    dummy, with_progress, dummy = run_module(sfs_turbo_job_wait, base_args())
    assert without == with_progress
    assert len(read_records(path)) == 1


@pytest.mark.parametrize('value', [-1, 0.5, float('inf'), float('nan')])
def test_bad_progress_interval_fails_before_any_request(run_module, requests_mock, value):
    rc, result, dummy = run_module(sfs_turbo_job_wait, base_args(progress_interval=value))
    assert rc == 1
    assert result['msg'].startswith('progress_interval must be 0 (no progress lines) or at least 1 second and at most 2592000 seconds, got ')
    assert requests_mock.call_count == 0


@pytest.mark.parametrize('value', [0, 1, 30, 3600.5])
def test_good_progress_interval_is_accepted(run_module, requests_mock, fake_clock, value):
    requests_mock.get(JOB_URL, json=job_body('success'))
    rc, result, dummy = run_module(sfs_turbo_job_wait, base_args(progress_interval=value))
    assert rc == 0, result


def test_an_outage_is_recorded_per_failed_attempt_and_its_end_too(run_module, requests_mock, fake_clock, progress_path):
    unavailable = {'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}}
    requests_mock.get(JOB_URL, [{'json': job_body('running')}, unavailable, unavailable,
                                {'json': job_body('running')}, {'json': job_body('success')}])
    rc, result, dummy = run_module(sfs_turbo_job_wait, base_args(delay=2))
    assert rc == 0
    records = read_records(progress_path, with_start=True)
    assert records[0]['polls'] == 0 and records[0]['delay'] == 2 and 'started' in records[0]
    failing = [record for record in records if 'cause' in record]
    assert [(record['cause'], record['http_status']) for record in failing] == [('HTTP', 503), ('HTTP', 503)]
    assert all(record['retry_in'] > 0 and record['state'] == '(create_share) running' and 'last_answer' in record for record in failing)
    after = records[records.index(failing[-1]) + 1]
    assert 'cause' not in after and after['last_answer'] > failing[-1]['last_answer'], 'the answer after the outage'
    assert len({record['started'] for record in records}) == 1


@pytest.mark.parametrize('cancelled', [True, False])
def test_a_cancelled_wait_removes_the_progress_file_and_a_finished_one_leaves_it_to_the_plugin(
        run_module, requests_mock, fake_clock, tmp_path, monkeypatch, cancelled):
    # A SIGTERM ends ansible-core's worker without any clean-up: the module's wait removes what the plugin made.
    directory = tmp_path / (DIRECTORY_PREFIX + 'x')
    directory.mkdir(mode=0o700)
    path = directory / 'progress.jsonl'
    path.write_text('')
    os.mkfifo(str(path) + BELL_SUFFIX, 0o600)
    monkeypatch.setenv(PROGRESS_FILE_ENV, str(path))
    sleep = fake_clock.sleep

    def signalled(seconds):
        os.kill(os.getpid(), signal.SIGTERM)  # the wait's handler turns it into Cancelled
        sleep(seconds)
    if cancelled:
        monkeypatch.setattr(_clock.Clock, 'sleep', lambda self, seconds: signalled(seconds))
    requests_mock.get(JOB_URL, [{'json': job_body('running')}, {'json': job_body('success')}])
    rc, result, dummy = run_module(sfs_turbo_job_wait, base_args())
    assert rc == (1 if cancelled else 0) and ('cancelled' in result.get('msg', '')) is cancelled
    assert directory.exists() is not cancelled and path.exists() is not cancelled


def test_a_percentage_that_is_no_number_is_no_traceback_during_an_outage(run_module, requests_mock, fake_clock, progress_path):
    # '\u00b2'.isdigit() is true but int('\u00b2') raises: the percentage was read so, and a 503 then raised it unguarded.
    creating = share_body('100', action_progress={'CREATING': '\u00b2%'})
    unavailable = {'status_code': 503, 'json': {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}}
    requests_mock.get(SHARE_URL, [{'json': creating}, unavailable, {'json': share_body('200')}])
    rc, result, dummy = run_module(sfs_turbo_share_wait, share_args(operation='create'))
    assert rc == 0, result
    assert all('tally' not in record for record in read_records(progress_path, with_start=True))
