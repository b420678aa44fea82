# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Part ``runbook`` of tests/bench/run_bench.py: create, expand and delete a file system, two ways.

* ours: three ``otc_community.sfs_turbo.sfs_turbo_share`` tasks (by name) with IAM password
  authentication and the module's defaults (``poll_interval`` 10);
* uri: what a user writes today with ``ansible.builtin.uri``: a login (``POST /v3/auth/tokens``, the
  ``X-Subject-Token``), then POST create + a GET ``until`` loop on ``status == '200'``, POST extend + a loop on
  ``sub_status == '221'`` and the size, DELETE + a loop on 404, every loop with ``delay: 10``.

Per repetition both run side by side (launch order rotated) with an idle reference (one task that only
sleeps about as long) and, while they run, the empty playbook (start-up), as run_bench.py's 60 s waits.
The operations take as long for both: the scenario's ``operations`` (create, expand, delete), the base
lengths plus a seeded shift of 0-5 s each, so that no end falls on a multiple of the loop's delay.

Each run logs in as an IAM user of its own, so the emulator's request log splits by user (``user``:
logins and the API requests made with their tokens). An operation starts with its 202 (the POST or
DELETE) and ends ``lag + running`` later, as the emulator's clock runs it; a callback plugin records the
wall time at which each task ended; detection latency = end of the task waiting for the operation - end
of the operation. The request that first showed the end is reported too.

No import of run_bench (it runs as ``__main__``): run_bench passes its ``Bench`` and ``Run``.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time

PART = 'runbook'
OURS, URI = 'rb-ours', 'rb-uri'
VARIANTS = (OURS, URI)
EMPTY, IDLE = 'rb-empty', 'rb-idle'
TITLES = {OURS: 'sfs_turbo_share x 3 (password auth, defaults)', URI: 'uri runbook (login, POST/DELETE + until loops, delay 10)'}
OPERATIONS = ('create', 'expand', 'delete')
BASE_SECONDS = {'create': 40.0, 'expand': 25.0, 'delete': 20.0}
MAX_SHIFT = 5.0
# The expansion's first second still shows the state before it (the race clients must survive).
EXPAND_LAG = 1.0
SIZE_BEFORE, SIZE_AFTER = 500, 600
PASSWORD = 'rb-bench-password'
POLL_INTERVAL = 10.0
IDLE_EXTRA = 10
RUN_TIMEOUT = 400

# Targets of the runbook part.
LOGINS_MAX = 1
LATENCY_MEAN_MAX = POLL_INTERVAL
CPU_RATIO_MAX = 0.5

# The task waiting for each operation, in either runbook.
TASK_OPERATIONS = {
    OURS: {'Create the file system': 'create', 'Expand the file system': 'expand', 'Delete the file system': 'delete'},
    URI: {'Wait for the creation': 'create', 'Wait for the expansion': 'expand', 'Wait for the deletion': 'delete'},
}

_HEADER = '''---
- name: {name}
  hosts: localhost
  gather_facts: false
'''
_URI_SHARE = '"{{ bench_endpoint }}/v1/{{ bench_project_id }}/sfs-turbo/shares'
_URI_TOKEN = '''        headers:
          X-Auth-Token: "{{ rb_login.x_subject_token }}"
'''
PLAYBOOKS = {
    OURS: _HEADER.format(name='Runbook - create, expand and delete a file system with sfs_turbo_share') + '''  module_defaults:
    group/otc_community.sfs_turbo.sfs_turbo:
      auth_url: "{{ bench_auth_url }}"
      username: "{{ bench_user }}"
      password: "{{ bench_password }}"
      user_domain_name: emulator-domain
      project_name: eu-de
  tasks:
    - name: Create the file system
      otc_community.sfs_turbo.sfs_turbo_share:
        name: "{{ bench_share_name }}"
        size: %(before)d
        security_group_id: sg-bench
        vpc_id: vpc-bench
        subnet_id: subnet-bench
        availability_zone: eu-de-01
    - name: Expand the file system
      otc_community.sfs_turbo.sfs_turbo_share:
        name: "{{ bench_share_name }}"
        size: %(after)d
    - name: Delete the file system
      otc_community.sfs_turbo.sfs_turbo_share:
        name: "{{ bench_share_name }}"
        state: absent
''' % {'before': SIZE_BEFORE, 'after': SIZE_AFTER},
    URI: (_HEADER.format(name='Runbook - create, expand and delete a file system with ansible.builtin.uri') + '''  tasks:
    - name: Log in to IAM
      ansible.builtin.uri:
        url: "{{ bench_auth_url }}/auth/tokens"
        method: POST
        body_format: json
        body:
          auth:
            identity:
              methods: [password]
              password:
                user:
                  name: "{{ bench_user }}"
                  password: "{{ bench_password }}"
                  domain:
                    name: emulator-domain
            scope:
              project:
                name: eu-de
        status_code: 201
      register: rb_login
    - name: Create the file system
      ansible.builtin.uri:
        url: ''' + _URI_SHARE + '''"
        method: POST
''' + _URI_TOKEN + '''        body_format: json
        body:
          share:
            name: "{{ bench_share_name }}"
            size: %(before)d
            security_group_id: sg-bench
            vpc_id: vpc-bench
            subnet_id: subnet-bench
            availability_zone: eu-de-01
            share_proto: NFS
            share_type: STANDARD
        status_code: 202
      register: rb_create
    - name: Wait for the creation
      ansible.builtin.uri:
        url: ''' + _URI_SHARE + '''/{{ rb_create.json.id }}"
''' + _URI_TOKEN + '''      register: rb_state
      until: rb_state.json is defined and rb_state.json.status == '200'
      retries: 60
      delay: 10
    - name: Expand the file system
      ansible.builtin.uri:
        url: ''' + _URI_SHARE + '''/{{ rb_create.json.id }}/action"
        method: POST
''' + _URI_TOKEN + '''        body_format: json
        body:
          extend:
            new_size: %(after)d
        status_code: 202
    - name: Wait for the expansion
      ansible.builtin.uri:
        url: ''' + _URI_SHARE + '''/{{ rb_create.json.id }}"
''' + _URI_TOKEN + '''      register: rb_state
      until: rb_state.json is defined and rb_state.json.sub_status | default('') == '221' and (rb_state.json.size | float) == %(after)d
      retries: 60
      delay: 10
    - name: Delete the file system
      ansible.builtin.uri:
        url: ''' + _URI_SHARE + '''/{{ rb_create.json.id }}"
        method: DELETE
''' + _URI_TOKEN + '''        status_code: 202
    - name: Wait for the deletion
      ansible.builtin.uri:
        url: ''' + _URI_SHARE + '''/{{ rb_create.json.id }}"
''' + _URI_TOKEN + '''        status_code: [200, 404]
      register: rb_state
      until: rb_state.status == 404
      retries: 60
      delay: 10
''') % {'before': SIZE_BEFORE, 'after': SIZE_AFTER},
}

# Records the wall time at which each task's result reached the controller (every run of this part has it).
CALLBACK_NAME = 'bench_task_times'
CALLBACK = '''# Written by tests/bench/runbook_bench.py: the end of each task, for the benchmark.
from __future__ import annotations

DOCUMENTATION = """
name: bench_task_times
type: aggregate
short_description: Wall time at which each task ended (benchmark only)
description: [Appends one JSON line per task result to the file in BENCH_TASK_TIMES.]
"""

import json
import os
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_task_times'
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, status):
        path = os.environ.get('BENCH_TASK_TIMES')
        if path:
            with open(path, 'a') as handle:
                handle.write(json.dumps({'task': result._task.get_name(), 'end': time.time(), 'status': status}) + '\\n')

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')
'''


# ---------------------------------------------------------------------- plan (pure)


def operation_seconds(seed):
    """Seconds from each operation's 202 to its end: the base length plus a shift of 0-MAX_SHIFT s (seeded)."""
    rng = random.Random('%s-runbook' % seed)
    return {op: round(BASE_SECONDS[op] + rng.uniform(0, MAX_SHIFT), 1) for op in OPERATIONS}


def scenario_operations(seconds):
    """The scenario's ``operations``: how every operation started through the API runs."""
    return {'create': {'lag': 0, 'running': seconds['create'], 'result': 'success'},
            'expand': {'lag': EXPAND_LAG, 'running': seconds['expand'] - EXPAND_LAG, 'result': 'success'},
            'delete': {'lag': 0, 'running': seconds['delete'], 'result': 'gone'}}


def user(variant, rep):
    """The IAM user (and file-system name) of one run."""
    return 'rb-r%d-%s' % (rep, variant.split('-', 1)[1])


def emulator_args(reps):
    """One IAM user per run, so that the request log splits by run."""
    args = []
    for rep in range(1, reps + 1):
        for variant in VARIANTS:
            args += ['--extra-iam-user', '%s=%s' % (user(variant, rep), PASSWORD)]
    return args


def idle_seconds(seconds):
    return int(round(sum(seconds.values()) + IDLE_EXTRA))


# ---------------------------------------------------------------------- measuring (pure)


def by_user(entries):
    mine = {}
    for entry in entries:
        if entry.get('user'):
            mine.setdefault(entry['user'], []).append(entry)
    return mine


def operation_ends(entries, seconds):
    """``{operation: (start wall, end wall)}`` of one run: its first accepted POST create, POST action, DELETE."""
    ends = {}
    for entry in entries:
        if entry.get('status') != 202:
            continue
        path, method = entry['path'], entry['method']
        if method == 'POST' and path.endswith('/shares'):
            op = 'create'
        elif method == 'POST' and path.endswith('/action'):
            op = 'expand'
        elif method == 'DELETE':
            op = 'delete'
        else:
            continue
        if op not in ends:
            ends[op] = (entry['wall'], entry['wall'] + seconds[op])
    return ends


def _shows_end(entry, op):
    if entry['method'] != 'GET' or entry['path'].endswith('/shares/detail'):
        return False
    state = str(entry.get('share_status') or '')
    if op == 'create':
        return state.startswith('200/')
    if op == 'expand':
        return state.endswith('/221')
    return entry.get('status') == 404


def first_seen(entries, op, end):
    """Wall time of the first GET of the file system at or after ``end`` that showed the operation's end."""
    for entry in entries:
        if entry['wall'] >= end and _shows_end(entry, op):
            return entry['wall']
    return None


def task_ends(lines, tasks):
    """``{operation: wall}`` of the tasks that waited for each operation, from the callback's JSON lines."""
    ends = {}
    for line in lines:
        record = json.loads(line)
        op = tasks.get(record['task'])
        if op is not None and record['status'] == 'ok':
            ends[op] = record['end']
    return ends


def measure_run(run, entries, seconds, task_lines):
    """Fill in a run's requests, logins, per-operation latencies (task end and first request) from its log entries."""
    run.logins = sum(1 for entry in entries if entry['path'] == '/v3/auth/tokens')
    run.requests = sum(1 for entry in entries if entry['path'].startswith('/v1/'))
    ops = operation_ends(entries, seconds)
    done = task_ends(task_lines, TASK_OPERATIONS[run.kind])
    run.op_latency, run.op_seen = {}, {}
    for op in OPERATIONS:
        if op not in ops or op not in done:
            run.error = run.error or 'no %s seen (request log or task end)' % op
            continue
        end = ops[op][1]
        run.op_latency[op] = done[op] - end
        seen = first_seen(entries, op, end)
        run.op_seen[op] = None if seen is None else seen - end
    values = [run.op_latency[op] for op in OPERATIONS if op in run.op_latency]
    run.latency = statistics.mean(values) if len(values) == len(OPERATIONS) else None


def cpu_above(runs):
    """``cpu_above``/``wall_above`` (minus the repetition's empty playbook) and ``cpu_above_idle`` (minus what the
    idle reference costs per second, times this run's ``wall_above``), as run_bench.summarize does."""
    empty = {run.rep: run for run in runs if run.kind == EMPTY and run.ok}
    for run in runs:
        base = empty.get(run.rep)
        ok = base is not None and None not in (run.cpu, run.wall)
        run.cpu_above = run.cpu - base.cpu if ok else None
        run.wall_above = run.wall - base.wall if ok else None
    rate = {run.rep: run.cpu_above / run.wall_above for run in runs
            if run.kind == IDLE and run.ok and run.cpu_above is not None and run.wall_above}
    for run in runs:
        if run.kind in VARIANTS and run.rep in rate and None not in (run.cpu_above, run.wall_above):
            run.cpu_above_idle = run.cpu_above - rate[run.rep] * run.wall_above
    return rate


# ---------------------------------------------------------------------- summary, targets and report (pure)


def _median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def _ratio(ours, theirs):
    return None if ours is None or theirs is None or theirs == 0 else ours / theirs


def _fmt(value, digits=2):
    if value is None:
        return 'n/a'
    return str(value) if isinstance(value, int) else '%.*f' % (digits, value)


def summarize(runs, seconds, seed=None):
    rate = cpu_above(runs)
    summary = {'seconds': seconds, 'seed': seed, 'idle_rate': _median(list(rate.values())), 'runs': runs,
               'baseline_cpu': _median([run.cpu for run in runs if run.kind == EMPTY and run.ok]),
               'baseline_wall': _median([run.wall for run in runs if run.kind == EMPTY and run.ok])}
    for variant in VARIANTS:
        mine = [run for run in runs if run.kind == variant]
        good = [run for run in mine if run.ok]
        col = {'n': len(good), 'failed': len(mine) - len(good), 'logins_max': max((run.logins for run in good), default=None),
               'all_latencies': [run.op_latency[op] for run in good for op in OPERATIONS if op in run.op_latency]}
        for key in ('wall', 'requests', 'logins', 'cpu', 'cpu_children', 'cpu_above', 'cpu_above_idle', 'latency'):
            col[key] = _median([getattr(run, key) for run in good])
        for op in OPERATIONS:
            col['latency_' + op] = _median([run.op_latency.get(op) for run in good])
            col['seen_' + op] = _median([run.op_seen.get(op) for run in good])
        summary[variant] = col
    paired = []
    for rep in sorted({run.rep for run in runs if run.kind in VARIANTS}):
        pair = {run.kind: run for run in runs if run.rep == rep and run.kind in VARIANTS and run.ok}
        if len(pair) == 2:
            paired.append(_ratio(pair[OURS].cpu_above_idle, pair[URI].cpu_above_idle))
    summary['paired_cpu_ratios'] = paired
    return summary


def targets(summary):
    """One row per target of the runbook part (run_bench's ``check`` rows)."""
    if not summary:
        return []
    ours, uri = summary[OURS], summary[URI]
    complete = ours['n'] > 0 and ours['failed'] == 0
    rows = [{'name': 'Runbook (create, expand, delete): sfs_turbo_share makes at most %d IAM login per run' % LOGINS_MAX,
             'value': 'at most %s per run (uri runbook: %s)' % (_fmt(ours['logins_max']), _fmt(uri['logins'], 0)),
             'passed': complete and ours['logins_max'] is not None and ours['logins_max'] <= LOGINS_MAX}]
    values = ours['all_latencies']
    mean = statistics.mean(values) if values else None
    rows.append({'name': 'Runbook: sfs_turbo_share detects each operation\'s end within its poll_interval (mean over the '
                         'operations <= %g s; task end - operation end)' % LATENCY_MEAN_MAX,
                 'value': '%s s over %d operations, max %s s (create / expand / delete medians %s; uri runbook mean %s s)'
                          % (_fmt(mean), len(values), _fmt(max(values) if values else None),
                             ' / '.join(_fmt(ours['latency_' + op]) for op in OPERATIONS),
                             _fmt(statistics.mean(uri['all_latencies']) if uri['all_latencies'] else None)),
                 'passed': complete and len(values) == len(OPERATIONS) * ours['n'] and mean <= LATENCY_MEAN_MAX})
    cpu = _ratio(ours['cpu_above_idle'], uri['cpu_above_idle'])
    rows.append({'name': 'Runbook: sfs_turbo_share\'s controller CPU above an idle task of the same length <= %.1f x the uri '
                         'runbook\'s' % CPU_RATIO_MAX,
                 'value': '%s x (%s s vs %s s; whole run %s s vs %s s = %s x; per repetition %s)'
                          % (_fmt(cpu), _fmt(ours['cpu_above_idle']), _fmt(uri['cpu_above_idle']), _fmt(ours['cpu']),
                             _fmt(uri['cpu']), _fmt(_ratio(ours['cpu'], uri['cpu'])),
                             ', '.join(_fmt(value) for value in summary['paired_cpu_ratios'])),
                 'passed': complete and uri['n'] > 0 and cpu is not None and cpu <= CPU_RATIO_MAX})
    return rows


def report_lines(summary):
    """The report's section of the runbook part."""
    if not summary:
        return []
    ours, uri = summary[OURS], summary[URI]
    seconds = summary['seconds']
    out = ['', '## Part 7: a runbook that creates, expands and deletes a file system', '',
           'Operations (from the 202 of the POST or DELETE to the end, the scenario\'s `operations`, seed %s): create %s s, expand %s s'
           % (summary.get('seed'), _fmt(seconds['create'], 1), _fmt(seconds['expand'], 1)),
           '(its first %g s still showing the state before), delete %s s. "ours": three `sfs_turbo_share` tasks by name'
           % (EXPAND_LAG, _fmt(seconds['delete'], 1)),
           '(create with size %d, expand to %d, `state: absent`), password auth, defaults (`poll_interval` 10). "uri": an IAM'
           % (SIZE_BEFORE, SIZE_AFTER),
           'login task, then for each operation its POST/DELETE and a GET `until` loop with `delay: 10` (on `status == \'200\'`,',
           'on `sub_status == \'221\'` and the size, on 404). Median of %d paired runs, side by side, order rotated.' % ours['n'], '',
           '| Median | %s | %s | ours / uri |' % (TITLES[OURS], TITLES[URI]), '|---|---:|---:|---:|']
    for title, key, digits in (('Wall time of the playbook (s)', 'wall', 1), ('API requests', 'requests', 1),
                               ('IAM logins', 'logins', 1), ('Controller CPU, whole run (s)', 'cpu', 2),
                               ('Controller CPU above start-up (s)', 'cpu_above', 2),
                               ('Controller CPU above an idle task of the same length (s)', 'cpu_above_idle', 3),
                               ('Detection latency, mean of the 3 operations (s)', 'latency', 2)):
        out.append('| %s | %s | %s | **%s** |' % (title, _fmt(ours[key], digits), _fmt(uri[key], digits), _fmt(_ratio(ours[key], uri[key]))))
    for op in OPERATIONS:
        out.append('| Detection latency, %s (s): task end / first request that showed it | %s / %s | %s / %s | |'
                   % (op, _fmt(ours['latency_' + op]), _fmt(ours['seen_' + op]), _fmt(uri['latency_' + op]), _fmt(uri['seen_' + op])))
    out += ['', 'Detection latency: the wall time at which the task waiting for the operation ended (a callback plugin, in',
            'every run of this part) minus the operation\'s end (its 202 in the emulator\'s request log plus its length). CPU as',
            'in part 1: `os.wait4` on `ansible-playbook` (workers and modules included), minus the repetition\'s empty playbook',
            '(median %s s) and, above idle, minus %s s per second of what a task that only sleeps %d s costs. Each run logs in'
            % (_fmt(summary['baseline_cpu']), _fmt(summary['idle_rate'], 4), idle_seconds(seconds)),
            'as an IAM user of its own: the request log splits by user.']
    failed = [run for run in summary['runs'] if not run.ok]
    for run in failed:
        out += ['', '**%s, repetition %d, failed**: %s' % (run.kind, run.rep, run.error)]
    out += ['', '| Rep | Run | rc | Requests | Logins | CPU (s) | CPU above idle (s) | Wall (s) | Latency create / expand / delete (s) |',
            '|---:|---|---:|---:|---:|---:|---:|---:|---|']
    for run in sorted(summary['runs'], key=lambda r: (r.rep, r.kind)):
        out.append('| %d | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            run.rep, run.kind, run.rc, _fmt(getattr(run, 'requests', None)), _fmt(getattr(run, 'logins', None)), _fmt(run.cpu),
            _fmt(run.cpu_above_idle, 3), _fmt(run.wall, 1),
            ' / '.join(_fmt((getattr(run, 'op_latency', None) or {}).get(op)) for op in OPERATIONS) if run.kind in VARIANTS else '-'))
    return out


# ---------------------------------------------------------------------- running


def _new_run(bench, run_class, kind, rep, seconds, task_dir):
    run = run_class(kind, None, rep, size=PART)
    run.playbook = os.path.join(bench.tmp, 'bench-%s.yml' % kind)
    if kind in VARIANTS:
        run.extra_vars = {'bench_user': user(kind, rep), 'bench_password': PASSWORD, 'bench_share_name': user(kind, rep)}
    run.idle_seconds = idle_seconds(seconds)
    run.task_times = os.path.join(task_dir, 'tasks-%s-r%d.jsonl' % (kind, rep))
    run.extra_env = {'BENCH_TASK_TIMES': run.task_times, 'ANSIBLE_CALLBACK_PLUGINS': task_dir,
                     'ANSIBLE_CALLBACKS_ENABLED': CALLBACK_NAME}
    run.logins = run.requests = run.latency = None
    run.op_latency, run.op_seen = {}, {}
    return run


def run_runbook(bench, reps, run_class, seconds):
    """Every repetition of the part; returns its runs (warm-up excluded), measured."""
    task_dir = os.path.join(bench.tmp, 'runbook-callbacks')
    os.makedirs(task_dir, exist_ok=True)
    with open(os.path.join(task_dir, CALLBACK_NAME + '.py'), 'w') as handle:
        handle.write(CALLBACK)
    texts = dict(PLAYBOOKS)
    for kind, source in ((EMPTY, 'empty'), (IDLE, 'idle')):
        with open(bench.playbook(source)) as handle:
            texts[kind] = handle.read()
    for kind, text in texts.items():
        with open(os.path.join(bench.tmp, 'bench-%s.yml' % kind), 'w') as handle:
            handle.write(text)
    bench.log('runbook: warm-up (not measured): the empty playbook; operations %s'
              % ', '.join('%s %.1f s' % (op, seconds[op]) for op in OPERATIONS))
    bench.run(_new_run(bench, run_class, EMPTY, 0, seconds, task_dir), 180)
    runs = []
    for rep in range(1, reps + 1):
        group = [_new_run(bench, run_class, kind, rep, seconds, task_dir) for kind in rotate(VARIANTS, rep)]
        idle = _new_run(bench, run_class, IDLE, rep, seconds, task_dir)
        bench.log('runbook: repetition %d of %d: %s, plus the idle reference (%d s)'
                  % (rep, reps, ', '.join(run.kind for run in group), idle.idle_seconds))
        threads = [bench.start_in_thread(run, RUN_TIMEOUT) for run in group + [idle]]
        # Through start-up (each run's first request is its login) before the empty playbook.
        deadline = time.monotonic() + 60
        names = {user(run.kind, rep) for run in group}
        while time.monotonic() < deadline and names - {entry.get('user') for entry in bench.admin('log')}:
            time.sleep(0.25)
        time.sleep(1.0)
        runs.append(bench.run(_new_run(bench, run_class, EMPTY, rep, seconds, task_dir), 240))
        for thread in threads:
            thread.join()
        runs += group + [idle]
    mine = by_user(bench.admin('log'))
    for run in runs:
        if run.kind not in VARIANTS:
            continue
        try:
            with open(run.task_times) as handle:
                lines = handle.read().splitlines()
        except OSError:
            lines = []
        measure_run(run, mine.get(user(run.kind, run.rep), []), seconds, lines)
    return runs


def rotate(items, rep):
    shift = (rep - 1) % len(items)
    return list(items[shift:]) + list(items[:shift])
