# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The runbook part of the benchmark (tests/bench/runbook_bench.py).

docs/benchmarks.md decides its three targets with these figures: logins, detection latency (task end - operation end)
and controller CPU above idle, from the emulator's request log and the callback's task ends.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re

import pytest
import yaml

BENCH = os.path.join(os.path.dirname(__file__), '..', '..', 'bench')


def _load(name):
    spec = importlib.util.spec_from_file_location(name + '_under_test', os.path.join(BENCH, name + '.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


runbook = _load('runbook_bench')
SECONDS = {'create': 40.0, 'expand': 25.0, 'delete': 20.0}
SHARE = '/v1/p/sfs-turbo/shares'


class FakeRun:
    def __init__(self, kind, rep, cpu=None, wall=None, rc=0):
        self.kind, self.rep, self.cpu, self.wall, self.rc = kind, rep, cpu, wall, rc
        self.error = None
        self.cpu_above = self.wall_above = self.cpu_above_idle = None
        self.cpu_children = None
        self.logins = self.requests = self.latency = None
        self.op_latency, self.op_seen = {}, {}

    @property
    def ok(self):
        return self.rc == 0 and self.error is None


def entry(wall, method, path, status=200, share_status=None, user='rb-r1-ours'):
    return {'wall': wall, 'method': method, 'path': path, 'status': status, 'share_status': share_status, 'user': user}


def ours_log():
    """A run of ours: login at 0, create 202 at 1 (ends 41), expand 202 at 50 (ends 75), delete 202 at 80 (ends 100)."""
    return [
        entry(0.0, 'POST', '/v3/auth/tokens', 201),
        entry(0.5, 'GET', SHARE + '/detail'),
        entry(1.0, 'POST', SHARE, 202),
        entry(2.0, 'GET', SHARE + '/x', share_status='100/'),
        entry(44.0, 'GET', SHARE + '/x', share_status='200/'),
        entry(49.0, 'GET', SHARE + '/detail'),
        entry(50.0, 'POST', SHARE + '/x/action', 202),
        entry(70.0, 'GET', SHARE + '/x', share_status='200/121'),
        entry(78.0, 'GET', SHARE + '/x', share_status='200/221'),
        entry(79.0, 'GET', SHARE + '/detail'),
        entry(80.0, 'POST', SHARE + '/x', 400),  # not an accepted operation: ignored
        entry(80.5, 'DELETE', SHARE + '/x', 202),
        entry(99.0, 'GET', SHARE + '/x', share_status='200/221'),
        entry(103.0, 'GET', SHARE + '/x', 404),
    ]


def task_lines(create, expand, delete, names=('Create the file system', 'Expand the file system', 'Delete the file system')):
    return [json.dumps({'task': name, 'end': end, 'status': 'ok'}) for name, end in zip(names, (create, expand, delete))]


def test_operation_lengths_are_seeded_and_within_the_briefs_range():
    first, again, other = runbook.operation_seconds(7), runbook.operation_seconds(7), runbook.operation_seconds(8)
    assert first == again and first != other
    for seed in range(50):
        for op, seconds in runbook.operation_seconds(seed).items():
            assert runbook.BASE_SECONDS[op] <= seconds <= runbook.BASE_SECONDS[op] + runbook.MAX_SHIFT
            assert 20 <= seconds <= 60


def test_scenario_operations_end_after_the_given_seconds():
    operations = runbook.scenario_operations({'create': 41.5, 'expand': 27.0, 'delete': 22.2})
    assert {op: value['lag'] + value['running'] for op, value in operations.items()} == {'create': 41.5, 'expand': 27.0, 'delete': 22.2}
    assert operations['expand']['lag'] == runbook.EXPAND_LAG
    assert operations['delete']['result'] == 'gone'


def test_every_run_has_an_iam_user_of_its_own_whose_name_is_a_valid_file_system_name():
    args = runbook.emulator_args(3)
    users = [value.split('=', 1)[0] for flag, value in zip(args[::2], args[1::2]) if flag == '--extra-iam-user']
    assert len(users) == len(set(users)) == 6
    assert all(re.match(r'\A[A-Za-z][A-Za-z0-9_-]{3,63}\Z', name) for name in users)
    assert runbook.user(runbook.OURS, 2) == 'rb-r2-ours'


def test_operations_start_with_their_accepted_request():
    ends = runbook.operation_ends(ours_log(), SECONDS)
    assert ends == {'create': (1.0, 41.0), 'expand': (50.0, 75.0), 'delete': (80.5, 100.5)}


def test_the_first_request_that_showed_the_end_is_after_it_and_on_the_file_system():
    log = ours_log()
    assert runbook.first_seen(log, 'create', 41.0) == 44.0
    assert runbook.first_seen(log, 'expand', 75.0) == 78.0
    assert runbook.first_seen(log, 'delete', 100.5) == 103.0
    # A 221 left from before the end does not count; nor does a listing.
    assert runbook.first_seen([entry(60.0, 'GET', SHARE + '/x', share_status='200/221')], 'expand', 75.0) is None
    assert runbook.first_seen([entry(80.0, 'GET', SHARE + '/detail', 404)], 'delete', 75.0) is None


def test_task_ends_map_the_waiting_tasks_and_skip_others_and_failures():
    lines = task_lines(45.0, 79.0, 104.0) + [json.dumps({'task': 'Log in to IAM', 'end': 1.0, 'status': 'ok'})]
    assert runbook.task_ends(lines, runbook.TASK_OPERATIONS[runbook.OURS]) == {'create': 45.0, 'expand': 79.0, 'delete': 104.0}
    failed = [json.dumps({'task': 'Wait for the creation', 'end': 9.0, 'status': 'failed'})]
    assert runbook.task_ends(failed, runbook.TASK_OPERATIONS[runbook.URI]) == {}


def test_a_run_is_measured_from_its_log_and_its_task_ends():
    run = FakeRun(runbook.OURS, 1)
    runbook.measure_run(run, ours_log(), SECONDS, task_lines(45.0, 79.0, 104.0))
    assert (run.logins, run.requests) == (1, 13)
    assert run.op_latency == pytest.approx({'create': 4.0, 'expand': 4.0, 'delete': 3.5})
    assert run.op_seen == pytest.approx({'create': 3.0, 'expand': 3.0, 'delete': 2.5})
    assert run.latency == pytest.approx(11.5 / 3)
    assert run.ok


def test_a_run_whose_operation_is_missing_is_failed_and_has_no_mean():
    run = FakeRun(runbook.URI, 1)
    names = ('Wait for the creation', 'Wait for the expansion', 'Wait for the deletion')
    runbook.measure_run(run, [e for e in ours_log() if e['method'] != 'DELETE'], SECONDS, task_lines(45.0, 79.0, 104.0, names))
    assert run.latency is None and not run.ok and 'delete' in run.error


def test_cpu_above_start_up_and_above_idle_as_run_bench_computes_them():
    runs = [FakeRun(runbook.EMPTY, 1, cpu=1.0, wall=2.0), FakeRun(runbook.IDLE, 1, cpu=5.0, wall=102.0),
            FakeRun(runbook.OURS, 1, cpu=7.0, wall=112.0), FakeRun(runbook.URI, 1, cpu=12.0, wall=102.0)]
    rate = runbook.cpu_above(runs)
    assert rate == {1: pytest.approx(0.04)}
    ours, uri = runs[2], runs[3]
    assert (ours.cpu_above, ours.wall_above) == (6.0, 110.0)
    assert ours.cpu_above_idle == pytest.approx(6.0 - 0.04 * 110.0)
    assert uri.cpu_above_idle == pytest.approx(11.0 - 4.0)


def _summary(ours_logins=1, ours_latency=(4.0, 4.0, 3.5), ours_cpu=7.0):
    runs = []
    for rep in (1, 2):
        runs += [FakeRun(runbook.EMPTY, rep, cpu=1.0, wall=2.0), FakeRun(runbook.IDLE, rep, cpu=5.0, wall=102.0)]
        for kind, cpu, latency in ((runbook.OURS, ours_cpu, ours_latency), (runbook.URI, 12.0, (8.0, 6.0, 1.0))):
            run = FakeRun(kind, rep, cpu=cpu, wall=102.0)
            run.logins, run.requests = (ours_logins if kind == runbook.OURS else 1), 20
            run.op_latency = dict(zip(runbook.OPERATIONS, latency))
            run.op_seen = dict(run.op_latency)
            run.latency = sum(latency) / 3
            runs.append(run)
    return runbook.summarize(runs, SECONDS)


def test_targets_met():
    rows = runbook.targets(_summary())
    assert [row['passed'] for row in rows] == [True, True, True]
    # CPU above idle: (7 - 1 - 4) / (12 - 1 - 4) = 2 / 7.
    assert rows[2]['value'].startswith('0.29 x')


@pytest.mark.parametrize('changes, missed', [
    ({'ours_logins': 2}, 0),
    ({'ours_latency': (12.0, 10.0, 9.0)}, 1),
    ({'ours_cpu': 9.0}, 2),  # (9 - 5) / 7 = 0.57
])
def test_targets_missed(changes, missed):
    rows = runbook.targets(_summary(**changes))
    assert [index for index, row in enumerate(rows) if not row['passed']] == [missed]


def test_no_runbook_part_adds_no_rows_and_no_section():
    assert runbook.targets(None) == [] and runbook.report_lines(None) == []


def test_the_report_section_has_both_columns_and_every_run():
    text = '\n'.join(runbook.report_lines(_summary()))
    assert '## Part 7' in text and 'ours / uri' in text
    assert text.count('| rb-ours |') == 2 and text.count('| rb-uri |') == 2


def test_the_playbooks_parse_and_name_the_tasks_the_latency_is_taken_from():
    for variant in runbook.VARIANTS:
        plays = yaml.safe_load(runbook.PLAYBOOKS[variant])
        names = [task['name'] for task in plays[0]['tasks']]
        assert set(runbook.TASK_OPERATIONS[variant]) <= set(names)
    ours = yaml.safe_load(runbook.PLAYBOOKS[runbook.OURS])[0]
    assert all('otc_community.sfs_turbo.sfs_turbo_share' in task for task in ours['tasks'])
    assert not any('poll_interval' in task['otc_community.sfs_turbo.sfs_turbo_share'] for task in ours['tasks'])
    uri = yaml.safe_load(runbook.PLAYBOOKS[runbook.URI])[0]
    assert [task.get('delay') for task in uri['tasks'] if 'until' in task] == [10, 10, 10]
