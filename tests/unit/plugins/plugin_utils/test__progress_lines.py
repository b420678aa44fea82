# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The controller's side of live progress: which records are believed, what a line says, and when."""

from __future__ import annotations

import io
import json
import os
import stat
import tempfile
import threading
import time

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._jobs import JobResource
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import progress_record, read_record
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._secrets import MASK
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._shares import ShareResource
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils._progress_lines import (
    BELL_SUFFIX,
    LiveProgress,
    ProgressReporter,
    ProgressTail,
    format_duration,
    line_buffer_stdout,
)

UUID = '26f6b565-0b4e-4cd4-8d6e-03f0bd975433'
SECRET = 'tok-SECRET-7f3a9c'


def record(**fields):
    """A record as the plugin reads it back (``body``: a job's, worded by JobResource as the module words it)."""
    fields.setdefault('polls', 1)
    body, resource = fields.pop('body', None), fields.pop('resource', JobResource(UUID))
    if body is not None:
        fields.update(progress_record(resource, body, fields['polls'], 0, None, fields.pop('secrets', ())))
    return read_record(json.dumps(fields))


def job(status=None, **fields):
    return dict(fields, status=status) if status is not None else fields


def reporter(job_id=UUID, **kwargs):
    kwargs.setdefault('host', 'web1')
    kwargs.setdefault('prefix', 'sfs_turbo_job_wait')
    kwargs.setdefault('subject', JobResource.progress_subject({'job_id': job_id}))
    kwargs.setdefault('interval', 30)
    kwargs.setdefault('started', 100.0)
    return ProgressReporter(**kwargs)


@pytest.mark.parametrize('seconds, text', [(0, '0s'), (59.9, '59s'), (90, '1m30s'), (3600, '1h00m00s'), (7325, '2h02m05s')])
def test_durations(seconds, text):
    assert format_duration(seconds) == text


def subs(finished, failed, total):
    """Sub-jobs of a job body: ``finished`` of ``total`` finished, ``failed`` of them failed."""
    return [{'status': 'failed' if n < failed else 'success' if n < finished else 'running'} for n in range(total)]


def test_job_ids():
    def subject(job_id):
        return JobResource.progress_subject({'job_id': job_id})
    assert subject(UUID) == 'job 26f6b565'
    assert subject('26f6b5650b4e4cd48d6e03f0bd975433') == 'job 26f6b565'
    assert subject('job-progress-20s') == 'job job-progress-20s'
    assert subject('../../etc') == 'job'
    assert subject(42) == 'job'


def test_the_example_line_of_the_issue():
    lines = reporter(job_id=UUID)
    line = lines.update(190.0, [record(polls=14, body=job('running', job_type='bind_ldap', sub_jobs=subs(2, 0, 5)))])
    assert line == 'sfs_turbo_job_wait: web1: job 26f6b565 (bind_ldap) running, sub-jobs 2/5 done, 1m30s elapsed, 14 polls'


def test_failed_sub_jobs_are_shown():
    line = reporter().update(101.0, [record(polls=1, body=job('running', sub_jobs=subs(3, 1, 5)))])
    assert line.endswith('job 26f6b565 running, sub-jobs 3/5 done, 1 failed, 1s elapsed, 1 poll')


@pytest.mark.parametrize('line', [
    '', 'not json', '[]', '{"polls": "3"}', '{"polls": -1}', '{"polls": true}', '{"state": "running"}',
    json.dumps({'polls': 1, 'pad': 'x' * 2000}),
])
def test_records_that_are_not_believed(line):
    assert read_record(line) is None


def test_fields_that_are_not_believed_are_dropped():
    checked = record(polls=2, state='running\nrm -rf /', tally='x' * 201, status='running', login='yes', elapsed=-1)
    assert checked == {'polls': 2}
    line = reporter().update(101.0, [checked])
    assert line.endswith(': job 26f6b565 status unknown, 1s elapsed, 2 polls')
    assert record(body=job('running\nrm -rf /', job_type='<b>')) == {'polls': 1, 'elapsed': 0.0}, 'the module words no odd word'


def test_a_server_word_holding_a_secret_in_any_letter_case_is_left_out_and_a_subject_holding_one_masked():
    secrets = [SECRET[:12]]
    line = reporter(secrets=secrets).update(101.0, [record(body=job(SECRET[:12].lower(), job_type='x' + SECRET[:12].upper()),
                                                           secrets=secrets)])
    assert SECRET[:12].lower() not in line.lower() and line.endswith('job 26f6b565 status unknown, 1s elapsed, 1 poll')
    assert reporter(job_id=SECRET, secrets=[SECRET]).subject == 'job %s' % MASK


def test_no_log_says_only_waiting():
    lines = reporter(no_log=True, interval=5)
    assert lines.update(104.0, [record(body=job('running', job_type='bind_ldap'))]) is None
    assert lines.update(105.0) == 'sfs_turbo_job_wait: web1: waiting, 5s elapsed'


def test_remote_host_shows_only_the_time():
    lines = reporter(remote=True, interval=10)
    assert lines.update(109.0) is None
    assert lines.update(110.0) == ('sfs_turbo_job_wait: web1: job 26f6b565 still waiting, 10s elapsed '
                                   '(no live status: the module runs on a remote host)')


def test_a_line_on_each_change_and_otherwise_every_interval():
    lines = reporter(interval=30)
    running = record(polls=2, body=job('running', sub_jobs=subs(0, 0, 2)))
    assert 'waiting' in lines.update(101.0, [record(polls=1, body=job('waiting', sub_jobs=subs(0, 0, 2)))])
    assert 'running' in lines.update(103.0, [running])
    assert lines.update(120.0, [dict(running, polls=3)]) is None, 'nothing changed, interval not over'
    assert lines.update(132.0) is None, '30 s after the last line, not after the start'
    assert '33s elapsed, 3 polls' in lines.update(133.0)
    assert '1/2 done' in lines.update(134.0, [record(polls=4, body=job('running', sub_jobs=subs(1, 0, 2)))])
    assert lines.update(163.0) is None
    assert '1m04s elapsed' in lines.update(164.0)


def test_before_the_first_answer():
    assert reporter(interval=5).update(105.0) == 'sfs_turbo_job_wait: web1: job 26f6b565: no answer yet, 5s elapsed'


def test_tail_reads_whole_lines_only(tmp_path):
    path = tmp_path / 'p.jsonl'
    path.write_bytes(b'{"polls": 1, "state": "wait')
    tail = ProgressTail(str(path))
    assert tail.read() == []
    with open(path, 'ab') as handle:
        handle.write(b'ing"}\n{"polls": 2}\ngarbage\n')
    assert tail.read() == [{'polls': 1, 'state': 'waiting'}, {'polls': 2}]
    assert tail.read() == []


def test_tail_of_a_vanished_file(tmp_path):
    assert ProgressTail(str(tmp_path / 'none')).read() == []


def test_live_progress_file_is_private_and_always_removed(tmp_path):
    emitted = []
    progress = LiveProgress(reporter(interval=1, started=time.monotonic()), emitted.append, with_file=True, tick=0.05)
    with pytest.raises(RuntimeError):
        with progress:
            assert progress.env_value == progress.path
            assert stat.S_IMODE(os.stat(progress.directory).st_mode) == 0o700
            assert stat.S_IMODE(os.stat(progress.path).st_mode) == 0o600
            with open(progress.path, 'a', encoding='ascii') as handle:
                handle.write('{"polls": 1, "state": "(bind_ldap) running"}\n')
            deadline = time.monotonic() + 5
            while not emitted and time.monotonic() < deadline:
                time.sleep(0.02)
            directory = progress.directory
            raise RuntimeError('the module run broke')
    assert not os.path.exists(directory)
    assert emitted and 'job 26f6b565 (bind_ldap) running' in emitted[0]
    assert not any(thread.name == 'sfs-turbo-progress' for thread in threading.enumerate())


def test_a_ring_shows_a_change_at_once_and_close_does_not_wait_for_the_interval():
    emitted = []
    with LiveProgress(reporter(interval=60, started=time.monotonic()), emitted.append, with_file=True) as progress:
        assert stat.S_ISFIFO(os.stat(progress.path + BELL_SUFFIX).st_mode)
        with open(progress.path, 'a', encoding='ascii') as handle:
            handle.write('{"polls": 1, "state": "(bind_ldap) running"}\n')
        time.sleep(0.3)
        assert emitted == [], 'no ring, no line before the interval'
        with open(progress.path + BELL_SUFFIX, 'wb', buffering=0) as bell:
            bell.write(b'!')
        deadline = time.monotonic() + 5
        while not emitted and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(emitted) == 1 and 'running' in emitted[0]
        closing = time.monotonic()
    assert time.monotonic() - closing < 1, 'the reader thread stops at once, not at its next line'


def test_no_usable_temp_dir_means_no_file_not_a_failed_task(monkeypatch):
    def refuse(**kwargs):
        raise PermissionError('read-only /tmp')
    monkeypatch.setattr(tempfile, 'mkdtemp', refuse)
    emitted = []
    with LiveProgress(reporter(interval=1, started=time.monotonic()), emitted.append, with_file=True, tick=0.05) as progress:
        assert progress.env_value == '' and progress.path is None
        time.sleep(1.2)
    assert emitted and emitted[0].endswith('(no live status: no progress file could be made)')


def test_live_progress_without_a_file():
    progress = LiveProgress(reporter(no_log=True), lambda line: None, with_file=False, tick=0.05)
    with progress:
        assert progress.env_value == '' and progress.path is None


def test_a_failing_display_never_reaches_the_task():
    def broken(line):
        raise OSError('display gone')
    with LiveProgress(reporter(interval=1, started=time.monotonic() - 5), broken, with_file=False, tick=0.01):
        time.sleep(0.1)


def test_piped_stdout_becomes_line_buffered(tmp_path):
    with open(tmp_path / 'out', 'wb') as raw:
        stream = io.TextIOWrapper(raw, encoding='utf-8')
        assert line_buffer_stdout(stream) is True
        stream.write('a progress line\n')
        assert (tmp_path / 'out').read_text() == 'a progress line\n', 'flushed at the newline'
        assert line_buffer_stdout(stream) is False, 'already line-buffered'
    assert line_buffer_stdout(io.StringIO()) is False


SHARE_UUID = '708c017c-54b5-429a-a098-7692e23fa518'


def share_reporter(operation, **kwargs):
    return reporter(subject=ShareResource.progress_subject({'share_id': SHARE_UUID, 'operation': operation}),
                    prefix='sfs_turbo_share_wait', **kwargs)


def share(operation, **body):
    return record(resource=ShareResource(SHARE_UUID, operation), body=body, polls=body.pop('polls', 1))


def test_share_lines_name_the_file_system_the_operation_and_the_status_in_words():
    line = share_reporter('expand').update(190.0, [share('expand', polls=14, status='200', sub_status='121')])
    assert line == ('sfs_turbo_share_wait: web1: file system 708c017c (expand) available (status 200), '
                    'expanding (sub_status 121), 1m30s elapsed, 14 polls')


def test_a_delete_wait_does_not_show_the_sub_status_an_earlier_operation_left():
    line = share_reporter('delete').update(101.0, [share('delete', status='200', sub_status='221')])
    assert line == 'sfs_turbo_share_wait: web1: file system 708c017c (delete) available (status 200), 1s elapsed, 1 poll'


def test_share_lines_show_how_far_a_creation_is():
    line = share_reporter('create').update(140.0, [share('create', polls=9, status='100', action_progress={'CREATING': '22%'})])
    assert line == 'sfs_turbo_share_wait: web1: file system 708c017c (create) creating (status 100), 22% done, 40s elapsed, 9 polls'


def test_a_sub_status_change_prints_at_once_and_a_percentage_change_waits_for_the_next_line():
    lines = share_reporter('create', interval=30)
    assert lines.update(101.0, [share('create', status='100', action_progress={'CREATING': '10%'})]) is not None
    assert lines.update(102.0, [share('create', status='100', action_progress={'CREATING': '20%'})]) is None, 'no change of state'
    assert lines.update(103.0, [share('create', status='200')]).endswith('available (status 200), 3s elapsed, 1 poll')


def test_share_lines_show_unknown_codes_as_codes():
    line = share_reporter('expand').update(101.0, [share('expand', status='200', sub_status='999', job_type='x')])
    assert 'available (status 200), sub_status 999' in line


@pytest.mark.parametrize('percent', ['-1%', '101%', '22', 22, '\u00b2%', '2.5%'])
def test_a_percentage_out_of_range_is_not_believed(percent):
    assert 'tally' not in share('create', status='100', action_progress={'CREATING': percent})


def test_a_failing_request_shows_at_once_with_its_cause_the_last_answer_and_the_last_status():
    lines = reporter(interval=30)
    assert lines.update(101.0, [record(polls=3, started=100.0, last_answer=100.5, state='running')]).endswith('running, 1s elapsed, 3 polls')
    line = lines.update(102.0, [record(polls=4, started=100.0, last_answer=100.5, state='running', cause='connection refused', retry_in=4)])
    assert line == ('sfs_turbo_job_wait: web1: job 26f6b565: requests failing (connection refused, retry in 4 s), '
                    'last good answer 1s ago, last status running, 2s elapsed, 4 polls')
    assert lines.update(110.0) is None, 'the next one every interval, not at every attempt'
    line = lines.update(132.0, [record(polls=9, started=100.0, last_answer=100.5, state='running', cause='HTTP', http_status=503, retry_in=8)])
    assert 'requests failing (HTTP 503, retry in 8 s), last good answer 31s ago' in line
    line = lines.update(133.0, [record(polls=10, started=100.0, last_answer=133.0, state='running')])
    assert line.endswith('job 26f6b565 running, answering again, 33s elapsed, 10 polls'), 'at once, saying so'


def test_a_throttled_iam_login_before_any_answer_is_named():
    line = reporter().update(104.0, [record(polls=0, started=100.0, cause='throttled', retry_in=4, login=True, http_status=429)])
    assert line == ('sfs_turbo_job_wait: web1: job 26f6b565: IAM login failing (throttled, retry in 4 s), no good answer yet, '
                    '4s elapsed, 0 polls')


def test_a_delay_is_shown_as_a_delay():
    line = reporter().update(100.5, [record(polls=0, started=100.2, delay=600)])
    assert line == 'sfs_turbo_job_wait: web1: job 26f6b565: waiting 10m00s before the first poll (delay), 0s elapsed'


def test_elapsed_counts_from_the_start_the_module_reported():
    assert reporter(started=100.0).update(160.0, [record(polls=5, started=101.0, state='running')]).endswith(' 59s elapsed, 5 polls')
    # A start that cannot be the module's (before the task, or in the future) is not believed.
    assert reporter(started=100.0).update(160.0, [record(polls=5, started=5.0, state='running')]).endswith(' 1m00s elapsed, 5 polls')


def test_an_unknown_cause_is_not_shown():
    assert 'cause' not in record(polls=2, cause='rm -rf /')


def test_the_progress_directory_goes_into_the_given_temp_root(tmp_path):
    progress = LiveProgress(reporter(), lambda line: None, with_file=True, temp_root=str(tmp_path))
    with progress:
        assert os.path.dirname(progress.directory) == str(tmp_path)
    assert os.listdir(str(tmp_path)) == []
