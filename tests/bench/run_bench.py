# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmark of otc_community.sfs_turbo against ansible.builtin.uri loops, on the local emulator.

Run from the collection root with the dev virtualenv (``make bench`` does this)::

    .venv/bin/python tests/bench/run_bench.py [--repetitions 3] [--output docs/benchmarks.md] [--quick] [--long] [--seed N]
                                              [--parts jobs,shares,logins,latency,scale,runbook]

``--parts`` selects what runs (default: all; only a run of all of them writes docs/benchmarks.md unless
``--output`` says where): ``jobs`` is parts 1-3 below, ``shares`` the file-system wait, ``logins``,
``latency`` and ``scale`` are parts 4-6 of issue 20 (described at ``run_logins``, ``run_latency`` and
``run_scale``; ``latency``, part 5, is the poll schedule of issue 25); ``runbook`` (part 7) creates, expands and
deletes a file system with sfs_turbo_share and with a hand-written uri runbook (tests/bench/runbook_bench.py).

What it does:

1. Builds the collection tarball and installs it into a private collections path in a temp dir.
2. Starts ONE emulator (roles/emulator/files/sfs_turbo_emulator.py, the copy the collection ships)
   with a scenario written to the temp dir: one job id per run, e.g. ``b60-r2-uri10``.
   Every job uses ``clock: first_request``: its timeline starts with the first GET for it, which
   both methods send as the very first thing their task does. So a "60 s job" finishes 60 s after
   the task started polling, whatever the ansible-playbook start-up cost under load.
3. Per repetition, with the launch order rotated from one repetition to the next:

   * the 60 s jobs, each 60 s plus the repetition's random offset of 0-10 s (the same for every
     method): sfs_turbo_job_wait with its defaults (progress lines on, every 30 s), the same with
     ``progress_interval: 0``, and the uri until-loop with delay 10, as concurrent ansible-playbook
     processes, plus an idle task of the same length (``wait_for: timeout:``) and, in repetition 1,
     the fault-injection run of part 3;
   * while those sleep: the empty-playbook baseline, 20 x sfs_turbo_job_info, 20 x uri GET
     (one after the other), then the 5 s jobs, the three methods concurrently.
   * with the ``shares`` part, beside the 60 s jobs: a file system created 60 s (plus the same offset)
     after the first GET for it, waited for with sfs_turbo_share_wait (``operation: create``, defaults)
     and with a uri until-loop on ``status`` with delay 10 (``s60-r2-suri10``, ...).
4. With ``--long``, afterwards: a 5-minute job for the wait module and the delay-10 loop (requests).

``--parts shares`` runs the file-system part alone (with the empty playbook and the idle reference it
needs); ``--parts jobs`` parts 1-3; ``logins``, ``latency`` and ``scale`` need neither.

Measured per run: API requests (the emulator's request log), detection latency (the ``wall`` of
the first request that saw ``success`` minus the job's ``finished_at_wall``), controller CPU
(user + system seconds of the ansible-playbook process and all the processes it reaped, from
``os.wait4``) minus the same repetition's empty playbook, and wall time.

The report (medians, ratios to the uri delay 10 loop, PASS/FAIL per target) is printed and
written to ``--output``. The exit code is 0 even when a target is missed: this is a report.
Every process it starts runs in its own session and is stopped by its PID at the end.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import poll_schedule
import runbook_bench

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EMULATOR = os.path.join(REPO, 'roles', 'emulator', 'files', 'sfs_turbo_emulator.py')
PROJECT_ID = '0123456789abcdef0123456789abcdef'

# Methods of part 1, in their base launch order (rotated per repetition).
WAIT, WAIT_OFF, URI10 = 'wait', 'waitoff', 'uri10'
METHODS = (WAIT, URI10, WAIT_OFF)
METHOD_TITLES = {
    WAIT: 'sfs_turbo_job_wait (defaults)',
    URI10: 'uri until-loop, delay 10',
    WAIT_OFF: 'sfs_turbo_job_wait, progress_interval 0',
}
# The file-system part: a 60 s creation, waited for by the share module and by a uri loop on status.
SHARE_WAIT, SHARE_URI10 = 'swait', 'suri10'
SHARE_METHODS = (SHARE_WAIT, SHARE_URI10)
METHOD_TITLES.update({SHARE_WAIT: 'sfs_turbo_share_wait (defaults)', SHARE_URI10: 'uri until-loop on status, delay 10'})
# What --parts selects (parts 1-3 and the file-system wait; parts 4-6 of issue 20 further below).
PARTS = ('jobs', 'shares', 'logins', 'latency', 'scale', 'runbook')
# Job lengths of part 1: seconds spent waiting, then running, from the first request on.
# The 60 s job runs for another 0-10 s, the repetition's offset; the long job (--long) is 5 minutes.
JOB_TIMELINES = {5: (1, 4), 60: (5, 55), 300: (5, 295)}
MAX_OFFSET = 10.0
LONG = 300
INFO, URI_GET, EMPTY = 'info20', 'uri20', 'empty'
# Reference run of the 60 s group: one module task that only sleeps about as long as the waits take
# (the job, plus the module's typical detection lag), i.e. what any task of that length costs the controller.
IDLE = 'idle'
IDLE_EXTRA = 3
CALLS = 20
FAULTS = [
    {'type': 'http_error', 'status': 502, 'times': 1, 'after': 2},
    {'type': 'rate_limit', 'retry_after': 2, 'times': 1, 'after': 4},
    {'type': 'drop', 'times': 1, 'after': 6},
]
FAULT_JOB = 'fault-r1-wait'

# Targets of the issue (restated in issue 14).
LATENCY_5S_MAX = 1.5
CPU_RATIO_60S_MAX = 0.35
EXTRA_REQUESTS_MAX = 10
PROGRESS_CPU_RATIO_MAX = 1.05
INFO_CPU_RATIO_MAX = 1.05

# Playbooks, generated into the temp dir at run time. Job-specific values come from -e @vars.json.
PLAY_HEADER = '''---
- name: {name}
  hosts: localhost
  gather_facts: false
'''
MODULE_DEFAULTS = '''  module_defaults:
    group/otc_community.sfs_turbo.sfs_turbo:
      endpoint: "{{ bench_endpoint }}"
      project_id: "{{ bench_project_id }}"
      auth_token: "{{ bench_token }}"
'''
URI_ARGS = '''      ansible.builtin.uri:
        url: "{{ bench_endpoint }}/v1/{{ bench_project_id }}/sfs-turbo/jobs/{{ bench_job_id }}"
        headers:
          X-Auth-Token: "{{ bench_token }}"
        return_content: true
'''
PLAYBOOKS = {
    EMPTY: PLAY_HEADER.format(name='Empty play (start-up baseline)') + '  tasks: []\n',
    IDLE: PLAY_HEADER.format(name='Reference - one task that only sleeps') + '''  tasks:
    - name: Sleep about as long as a wait for this repetition's 60 s job takes
      ansible.builtin.wait_for:
        timeout: "{{ bench_idle_seconds }}"
''',
    WAIT: PLAY_HEADER.format(name='Wait with sfs_turbo_job_wait') + MODULE_DEFAULTS + '''  tasks:
    - name: Wait for the job with the module's defaults
      otc_community.sfs_turbo.sfs_turbo_job_wait:
        job_id: "{{ bench_job_id }}"
''',
    WAIT_OFF: PLAY_HEADER.format(name='Wait with sfs_turbo_job_wait, no progress lines') + MODULE_DEFAULTS + '''  tasks:
    - name: Wait for the job with the module's defaults, progress lines off
      otc_community.sfs_turbo.sfs_turbo_job_wait:
        job_id: "{{ bench_job_id }}"
        progress_interval: 0
''',
    INFO: PLAY_HEADER.format(name='Read a job 20 times with sfs_turbo_job_info') + MODULE_DEFAULTS + '''  tasks:
    - name: Read the job
      otc_community.sfs_turbo.sfs_turbo_job_info:
        job_id: "{{ bench_job_id }}"
      loop: "{{ range(20) | list }}"
''',
    URI_GET: PLAY_HEADER.format(name='Read a job 20 times with uri') + '''  tasks:
    - name: Read the job
''' + URI_ARGS + '''      loop: "{{ range(20) | list }}"
''',
}
PLAYBOOKS[SHARE_WAIT] = PLAY_HEADER.format(name='Wait with sfs_turbo_share_wait') + MODULE_DEFAULTS + '''  tasks:
    - name: Wait for the file system to be created, with the module's defaults
      otc_community.sfs_turbo.sfs_turbo_share_wait:
        share_id: "{{ bench_job_id }}"
        operation: create
'''
PLAYBOOKS[SHARE_URI10] = PLAY_HEADER.format(name='Wait for a file system with a uri until-loop, delay 10') + '''  tasks:
    - name: Poll the file system until its creation ends
      ansible.builtin.uri:
        url: "{{ bench_endpoint }}/v1/{{ bench_project_id }}/sfs-turbo/shares/{{ bench_job_id }}"
        headers:
          X-Auth-Token: "{{ bench_token }}"
        return_content: true
      register: sfs_share
      until: sfs_share.json is defined and sfs_share.json.status in ['200', '303', '300', '800']
      retries: 100
      delay: 10
'''
PLAYBOOKS[URI10] = PLAY_HEADER.format(name='Wait with a uri until-loop, delay 10') + '''  tasks:
    - name: Poll the job until it finishes
''' + URI_ARGS + '''      register: sfs_job
      until: sfs_job.json is defined and sfs_job.json.status in ['success', 'failed']
      retries: 100
      delay: 10
'''


def split_cpu(pid):
    """(own, reaped children's) user + system seconds of an exited, not yet reaped process (Linux /proc)."""
    try:
        with open('/proc/%d/stat' % pid) as handle:
            fields = handle.read().rsplit(')', 1)[1].split()
        tick = os.sysconf('SC_CLK_TCK')
    except (OSError, ValueError, IndexError):
        return None, None
    # After the command: state(0) ... utime(11) stime(12) cutime(13) cstime(14), in clock ticks.
    return (int(fields[11]) + int(fields[12])) / tick, (int(fields[13]) + int(fields[14])) / tick


def tree_pss_kib(root):
    """Sum of the PSS (KiB) of a process and all its descendants (Linux: /proc/<pid>/stat and smaps_rollup).

    By parent, not by session: ansible-core's workers start sessions of their own (os.setsid).
    """
    parents = {}
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % entry) as handle:
                parents[int(entry)] = int(handle.read().rsplit(')', 1)[1].split()[1])  # state(0) ppid(1)
        except (OSError, ValueError, IndexError):
            continue
    children = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        pending.extend(children.get(pid, ()))
        try:
            with open('/proc/%d/smaps_rollup' % pid) as handle:
                for line in handle:
                    if line.startswith('Pss:'):
                        total += int(line.split()[1])
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total


def sample_peak_pss(root, run, interval=0.5):
    """Record in ``run.peak_pss`` (MiB) the peak PSS of the ansible-playbook's process tree while it runs."""
    peak = 0
    while True:
        try:
            os.kill(root, 0)
        except OSError:
            break
        try:
            with open('/proc/%d/stat' % root) as handle:
                if handle.read().rsplit(')', 1)[1].split()[0] == 'Z':
                    break
        except (OSError, IndexError):
            break
        peak = max(peak, tree_pss_kib(root))
        run.peak_pss = peak / 1024.0
        time.sleep(interval)


def core_version(output):
    """The ansible-core version in ``ansible-playbook --version`` output, whatever warnings come before it."""
    for line in output.splitlines():
        if line.startswith('ansible-playbook') and '[core ' in line:
            return line.split('[core ', 1)[1].split(']', 1)[0].strip()
    return 'unknown (`ansible-playbook --version` said: %s)' % ' '.join(output.split())[:120]


class BenchError(Exception):
    """The benchmark could not run (not a missed target)."""


class Interrupted(Exception):
    """SIGINT or SIGTERM: stop everything that was started, then exit."""


def on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


class Run:
    """One ansible-playbook run and what was measured about it."""

    def __init__(self, kind, job_id, rep, size=None):
        self.kind = kind
        self.job_id = job_id
        self.rep = rep
        self.size = size
        self.rc = None
        self.start_wall = None
        self.wall = None
        self.cpu = None
        self.requests = None
        self.faulted = None
        self.latency = None
        self.cpu_above = None
        self.cpu_above_idle = None
        self.cpu_main = None
        self.cpu_children = None
        self.wall_above = None
        self.idle_seconds = None
        self.first_request_after = None
        self.log_path = None
        self.error = None
        # Parts 4-6: a playbook of their own, an inventory, forks, more variables and environment.
        self.playbook = None
        self.inventory = None
        self.forks = None
        self.extra_vars = {}
        self.extra_env = {}
        self.sample_pss = False
        self.peak_pss = None
        # The file-system part: seconds from the first request to the end of the creation.
        self.creation_seconds = None
        # Part 5: the times of its polls, seconds from the first request for its job.
        self.polls = None

    @property
    def ok(self):
        return self.rc == 0 and self.error is None


class Bench:
    """Temp dir, collection install, emulator and the ansible-playbook processes of one benchmark."""

    def __init__(self, args):
        self.args = args
        self.tmp = tempfile.mkdtemp(prefix='sfs-turbo-bench-')
        self.bin_dir = os.path.dirname(sys.executable)
        self.ansible_playbook = os.path.join(self.bin_dir, 'ansible-playbook')
        self.token = 'bench-' + secrets.token_hex(12)
        self.endpoint = None
        self.emulator = None
        self.emulator_log = None
        self.emulator_args = []
        self.pid_file = os.path.join(self.tmp, 'emulator.pid')
        self.port_file = os.path.join(self.tmp, 'emulator.port')
        self.children = {}
        self.children_lock = threading.Lock()
        self.env = None
        self.ansible_version = None
        self.loadavg = [os.getloadavg()[0], None]
        # The same random offset for every method's 60 s job in a repetition (reproducible with --seed).
        self.seed = args.seed if args.seed is not None else secrets.randbelow(10 ** 6)
        self.command = ' '.join(['.venv/bin/python', 'tests/bench/run_bench.py'] + list(args.argv))
        rng = random.Random(self.seed)
        self.offsets = {rep: round(rng.uniform(0, MAX_OFFSET), 1) for rep in range(1, args.repetitions + 1)}

    # ------------------------------------------------------------------ set-up

    def log(self, msg):
        sys.stderr.write('[bench %s] %s\n' % (time.strftime('%H:%M:%S'), msg))
        sys.stderr.flush()

    def check_tools(self):
        if not os.path.isfile(self.ansible_playbook):
            raise BenchError('%s not found: run this script with the dev virtualenv python (.venv/bin/python).' % self.ansible_playbook)
        if not os.path.isfile(EMULATOR):
            raise BenchError('emulator not found at %s' % EMULATOR)

    def install_collection(self):
        dist = os.path.join(self.tmp, 'dist')
        collections = os.path.join(self.tmp, 'collections')
        os.makedirs(dist)
        cfg = os.path.join(self.tmp, 'ansible.cfg')
        with open(cfg, 'w') as handle:
            handle.write('[defaults]\n')
        # Nothing from the caller's Ansible setup, and nothing written to ~/.ansible: all in the temp dir.
        env = dict(os.environ)
        for name in list(env):
            if name.startswith('ANSIBLE_') or name in ('SFS_TURBO_ENDPOINT', 'OS_PROJECT_ID', 'OS_AUTH_TOKEN', 'OS_REGION_NAME'):
                del env[name]
        # ansible-playbook's output goes to a log file, as it would into a pipe: no PYTHONUNBUFFERED
        # from the caller's shell, so that every run writes its output the same way.
        env.pop('PYTHONUNBUFFERED', None)
        env.update(
            PATH=self.bin_dir + os.pathsep + env.get('PATH', ''),
            ANSIBLE_CONFIG=cfg,
            ANSIBLE_HOME=os.path.join(self.tmp, 'ansible-home'),
            ANSIBLE_LOCAL_TEMP=os.path.join(self.tmp, 'ansible-local-tmp'),
            ANSIBLE_REMOTE_TEMP=os.path.join(self.tmp, 'ansible-remote-tmp'),
            ANSIBLE_COLLECTIONS_PATH=collections,
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false',
            ANSIBLE_LOCALHOST_WARNING='false',
            ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
            ANSIBLE_NOCOLOR='1',
            ANSIBLE_RETRY_FILES_ENABLED='false',
        )
        self.env = env
        galaxy = os.path.join(self.bin_dir, 'ansible-galaxy')
        self.log('building and installing the collection into %s' % collections)
        self._check_call([galaxy, 'collection', 'build', REPO, '--output-path', dist, '--force'])
        tarballs = [name for name in os.listdir(dist) if name.endswith('.tar.gz')]
        if len(tarballs) != 1:
            raise BenchError('expected one collection tarball in %s, found %s' % (dist, tarballs))
        self._check_call([galaxy, 'collection', 'install', os.path.join(dist, tarballs[0]), '-p', collections, '--force'])
        for kind, text in list(PLAYBOOKS.items()) + list(EXTRA_PLAYBOOKS.items()):
            with open(self.playbook(kind), 'w') as handle:
                handle.write(text)
        version = subprocess.run([self.ansible_playbook, '--version'], env=env, cwd=self.tmp, check=True,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        self.ansible_version = core_version(version)

    def _check_call(self, cmd):
        done = subprocess.run(cmd, cwd=self.tmp, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        if done.returncode != 0:
            raise BenchError('%s failed (rc=%s):\n%s' % (' '.join(cmd), done.returncode, done.stdout))

    def playbook(self, kind):
        return os.path.join(self.tmp, 'bench-%s.yml' % kind)

    def start_emulator(self, scenario, lifetime):
        path = os.path.join(self.tmp, 'scenario.json')
        with open(path, 'w') as handle:
            json.dump(scenario, handle, indent=1)
        self.emulator_log = os.path.join(self.tmp, 'emulator.log')
        cmd = [sys.executable, EMULATOR, '--port', '0', '--port-file', self.port_file, '--pid-file', self.pid_file,
               '--scenario', path, '--token', self.token, '--project-id', PROJECT_ID, '--lifetime', '%d' % lifetime, '--quiet'] + self.emulator_args
        with open(self.emulator_log, 'wb') as log:
            self.emulator = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                             cwd=self.tmp, start_new_session=True)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.emulator.poll() is not None:
                break
            if os.path.exists(self.port_file) and os.path.getsize(self.port_file) > 0:
                with open(self.port_file) as handle:
                    self.endpoint = 'http://127.0.0.1:%d' % int(handle.read().strip())
                self.log('emulator pid %d listening on %s (lifetime %d s)' % (self.emulator.pid, self.endpoint, lifetime))
                return
            time.sleep(0.05)
        with open(self.emulator_log) as handle:
            raise BenchError('the emulator did not start:\n' + handle.read())

    def stop_emulator(self):
        if self.emulator is None:
            return
        pid = self.emulator.pid
        try:
            with open(self.pid_file) as handle:
                pid = int(handle.read().strip())
        except (OSError, ValueError):
            pass
        if pid == self.emulator.pid and self.emulator.poll() is None:
            os.kill(pid, signal.SIGTERM)
        try:
            self.emulator.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.emulator.kill()
            self.emulator.wait()
        self.log('emulator stopped (pid %d)' % self.emulator.pid)

    def kill_children(self):
        """Stop any ansible-playbook still running (an interrupted benchmark), by its process group.

        Each one was started in a session of its own, so its group holds just it, its workers and
        their module processes. The threads waiting on them reap them.
        """
        for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            with self.children_lock:
                pids = list(self.children)
            if not pids:
                return
            for pid in pids:
                try:
                    os.killpg(pid, sig)
                    self.log('sent %s to ansible-playbook process group %d' % (signal.Signals(sig).name, pid))
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                with self.children_lock:
                    if not self.children:
                        return
                time.sleep(0.1)

    # ------------------------------------------------------------------ emulator admin API

    def admin(self, path):
        with urllib.request.urlopen(self.endpoint + '/_emulator/' + path, timeout=30) as response:
            return json.loads(response.read().decode('utf-8'))

    def job_started(self, job_id):
        return self.admin('jobs/' + job_id).get('started_at_wall') is not None

    def share_started(self, share_id):
        return any(entry.get('share_id') == share_id for entry in self.admin('log'))

    def started(self, run):
        return self.share_started(run.job_id) if run.kind in SHARE_METHODS else self.job_started(run.job_id)

    # ------------------------------------------------------------------ running playbooks

    def run(self, run, timeout):
        """Run one ansible-playbook and fill in run.rc, run.wall and run.cpu (its own rusage via wait4)."""
        extra = {'bench_endpoint': self.endpoint, 'bench_project_id': PROJECT_ID, 'bench_token': self.token,
                 'bench_job_id': run.job_id or 'none', 'bench_idle_seconds': run.idle_seconds or 0,
                 'bench_auth_url': self.endpoint + '/v3'}
        extra.update(run.extra_vars)
        name = '%s-r%d-%s' % (run.kind, run.rep, run.size or 0)
        vars_path = os.path.join(self.tmp, 'vars-%s.json' % name)
        with open(vars_path, 'w') as handle:
            json.dump(extra, handle)
        run.log_path = os.path.join(self.tmp, 'run-%s.log' % name)
        cmd = [self.ansible_playbook, run.playbook or self.playbook(run.kind), '-e', '@' + vars_path]
        if run.inventory:
            cmd += ['-i', run.inventory]
        if run.forks:
            cmd += ['--forks', str(run.forks)]
        env = dict(self.env, **run.extra_env)
        with open(run.log_path, 'wb') as log:
            run.start_wall = time.time()
            started = time.monotonic()
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                    cwd=self.tmp, env=env, start_new_session=True)
        with self.children_lock:
            self.children[proc.pid] = run
        if run.sample_pss:
            threading.Thread(target=sample_peak_pss, args=(proc.pid, run), name='pss-%d' % proc.pid, daemon=True).start()
        timer = threading.Timer(timeout, self._timeout, args=(proc.pid, run, timeout))
        timer.daemon = True
        timer.start()
        try:
            # Wait for the exit without reaping, read how the CPU time splits between ansible-playbook's own
            # process and the workers and module processes it reaped, then reap it.
            os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
            run.cpu_main, run.cpu_children = split_cpu(proc.pid)
            dummy, status, usage = os.wait4(proc.pid, 0)
        except BaseException:
            # Interrupted while this thread was the one to reap it: stop and reap it here.
            self._stop_and_reap(proc)
            raise
        finally:
            timer.cancel()
            with self.children_lock:
                self.children.pop(proc.pid, None)
        run.wall = time.monotonic() - started
        run.rc = os.waitstatus_to_exitcode(status)
        # wait4 reaped it: tell Popen, so that it does not try again.
        proc.returncode = run.rc
        # ansible-playbook reaps its workers and they reap the module processes: all in ru_*time.
        run.cpu = usage.ru_utime + usage.ru_stime
        if run.rc != 0 and run.error is None:
            run.error = 'ansible-playbook exited with %s (log: %s)' % (run.rc, run.log_path)
        return run

    def _stop_and_reap(self, proc):
        for sig, grace in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline:
                try:
                    if os.waitpid(proc.pid, os.WNOHANG)[0] == proc.pid:
                        proc.returncode = -sig
                        return
                except ChildProcessError:
                    return
                time.sleep(0.1)

    def _timeout(self, pid, run, timeout):
        run.error = 'timed out after %d s' % timeout
        try:
            os.killpg(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    def start_in_thread(self, run, timeout):
        thread = threading.Thread(target=self.run, args=(run, timeout), name='run-%s' % run.job_id, daemon=True)
        thread.start()
        return thread

    def wait_until_polling(self, runs, limit=60.0):
        """Block until every run's job got its first request (its task started), or ``limit`` passes."""
        deadline = time.monotonic() + limit
        pending = list(runs)
        while pending and time.monotonic() < deadline:
            pending = [run for run in pending if not self.started(run)]
            if pending:
                time.sleep(0.25)

    # ------------------------------------------------------------------ measuring from the emulator

    def measure(self, runs):
        """Requests and detection latency of each run, from the emulator's log and job clocks."""
        entries = self.admin('log')
        by_job = {}
        for entry in entries:
            by_job.setdefault(entry.get('job_id') or entry.get('share_id'), []).append(entry)
        for run in runs:
            if not run.job_id:
                continue
            if run.kind in SHARE_METHODS:
                self._measure_share(run, by_job.get(run.job_id, []))
                continue
            mine = by_job.get(run.job_id, [])
            run.requests = len(mine)
            run.faulted = sum(1 for entry in mine if entry.get('fault'))
            if mine and run.start_wall is not None:
                run.first_request_after = mine[0]['wall'] - run.start_wall
            times = self.admin('jobs/' + run.job_id)
            finished = times.get('finished_at_wall')
            seen = [entry['wall'] for entry in mine if entry.get('job_status') == 'success']
            if run.kind not in METHODS:
                continue
            if finished is not None and seen:
                run.latency = seen[0] - finished
            elif run.error is None:
                run.error = 'no request saw the job succeed'

    def _measure_share(self, run, mine):
        """A file system's creation ends ``creation_seconds`` after the first request for it (its clock)."""
        run.requests = len(mine)
        run.faulted = sum(1 for entry in mine if entry.get('fault'))
        if not mine:
            run.error = run.error or 'no request for the file system'
            return
        if run.start_wall is not None:
            run.first_request_after = mine[0]['wall'] - run.start_wall
        finished = mine[0]['wall'] + run.creation_seconds
        seen = [entry['wall'] for entry in mine if str(entry.get('share_status') or '').startswith('200/')]
        if seen:
            run.latency = seen[0] - finished
        elif run.error is None:
            run.error = 'no request saw the file system available'


# ---------------------------------------------------------------------- the plan


def job_id(size, rep, method):
    return 'b%d-r%d-%s' % (size, rep, method)


def share_creation_seconds(offsets, rep):
    waiting, running = JOB_TIMELINES[60]
    return waiting + running + offsets[rep]


def build_scenario(reps, sizes, with_faults, offsets, long_job=False, parts=PARTS):
    shares = {}
    if 'shares' in parts:
        for rep in range(1, reps + 1):
            for method in SHARE_METHODS:
                shares[job_id(60, rep, method).replace('b60', 's60', 1)] = {
                    'status': '100', 'clock': 'first_request',
                    'operation': {'type': 'create', 'running': share_creation_seconds(offsets, rep)}}
    if 'jobs' not in parts:
        return {'jobs': {}, 'shares': shares, 'faults': []}
    jobs = {}
    for rep in range(1, reps + 1):
        for size in sizes:
            waiting, running = JOB_TIMELINES[size]
            if size == 60:
                running += offsets[rep]
            for method in METHODS:
                jobs[job_id(size, rep, method)] = {'job_type': 'extend_share', 'waiting': waiting, 'running': running,
                                                   'result': 'success', 'clock': 'first_request'}
        for kind in (INFO, URI_GET):
            jobs['%s-r%d' % (kind, rep)] = {'job_type': 'extend_share', 'waiting': 0, 'running': 0, 'result': 'success'}
    for kind in ('wait', 'uri'):
        jobs['warmup-%s' % kind] = {'job_type': 'extend_share', 'waiting': 0, 'running': 0, 'result': 'success'}
    if long_job:
        waiting, running = JOB_TIMELINES[LONG]
        for method in (WAIT, URI10):
            jobs[job_id(LONG, 1, method)] = {'job_type': 'extend_share', 'waiting': waiting, 'running': running,
                                             'result': 'success', 'clock': 'first_request'}
    if with_faults:
        waiting, running = JOB_TIMELINES[60]
        jobs[FAULT_JOB] = {'job_type': 'extend_share', 'waiting': waiting, 'running': running, 'result': 'success',
                           'clock': 'first_request', 'faults': FAULTS}
    return {'jobs': jobs, 'shares': shares, 'faults': []}


def rotate(items, rep):
    shift = (rep - 1) % len(items)
    return list(items[shift:]) + list(items[:shift])


def run_benchmark(bench, reps, sizes, with_faults, long_job=False, parts=PARTS):
    """Run every repetition; returns the list of all runs (warm-up excluded)."""
    runs = []
    jobs = 'jobs' in parts
    bench.log('warm-up (not measured): the empty playbook, one wait and one uri call')
    warm = [Run(EMPTY, None, 0)]
    if jobs:
        warm += [Run(WAIT, 'warmup-wait', 0), Run(URI10, 'warmup-uri', 0)]
    for run in warm:
        bench.run(run, 180)
        if not run.ok:
            with open(run.log_path) as handle:
                raise BenchError('warm-up run %s failed:\n%s' % (run.kind, handle.read()[-4000:]))
    for rep in range(1, reps + 1):
        bench.log('repetition %d of %d' % (rep, reps))
        order = rotate(METHODS, rep)
        long_threads = []
        long_runs = []
        if 60 in sizes:
            long_runs = [Run(method, job_id(60, rep, method), rep, size=60) for method in order] if jobs else []
            if with_faults and rep == 1 and jobs:
                long_runs.append(Run(WAIT, FAULT_JOB, rep, size='fault'))
            if 'shares' in parts:
                for method in rotate(SHARE_METHODS, rep):
                    run = Run(method, job_id(60, rep, method).replace('b60', 's60', 1), rep, size=60)
                    run.creation_seconds = share_creation_seconds(bench.offsets, rep)
                    long_runs.append(run)
            polling = list(long_runs)
            idle = Run(IDLE, None, rep, size=60)
            idle.idle_seconds = int(round(60 + bench.offsets[rep] + IDLE_EXTRA))
            long_runs.append(idle)
            for run in long_runs:
                long_threads.append(bench.start_in_thread(run, 300))
            bench.log('  60 s jobs (+%.1f s) started: %s, plus the idle reference (%d s)'
                      % (bench.offsets[rep], ', '.join(run.job_id for run in polling), idle.idle_seconds))
            # Let them get through start-up before the CPU-heavy foreground runs.
            bench.wait_until_polling(polling)
            time.sleep(1.0)
        foreground = rotate([EMPTY, INFO, URI_GET], rep) if jobs else [EMPTY]
        for kind in foreground:
            run = Run(kind, None if kind == EMPTY else '%s-r%d' % (kind, rep), rep)
            bench.log('  %s' % kind)
            runs.append(bench.run(run, 240))
        if 5 in sizes and jobs:
            short_runs = [Run(method, job_id(5, rep, method), rep, size=5) for method in order]
            bench.log('  5 s jobs: %s' % ', '.join(run.job_id for run in short_runs))
            threads = [bench.start_in_thread(run, 180) for run in short_runs]
            for thread in threads:
                thread.join()
            runs.extend(short_runs)
        for thread in long_threads:
            thread.join()
        runs.extend(long_runs)
    if long_job and jobs:
        longest = [Run(method, job_id(LONG, 1, method), 1, size=LONG) for method in (WAIT, URI10)]
        bench.log('  %d s jobs: %s' % (LONG, ', '.join(run.job_id for run in longest)))
        threads = [bench.start_in_thread(run, LONG + 180) for run in longest]
        for thread in threads:
            thread.join()
        runs.extend(longest)
    bench.measure(runs)
    return runs


# ---------------------------------------------------------------------- the report


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=2):
    if value is None:
        return 'n/a'
    if isinstance(value, int):
        return str(value)
    return '%.*f' % (digits, value)


def ratio(ours, theirs):
    if ours is None or theirs is None or theirs == 0:
        return None
    return ours / theirs


def summarize(runs, reps):
    """Per-repetition derived values, then medians.

    ``cpu_above``: CPU minus the repetition's empty playbook (start-up). ``cpu_above_idle``: that, minus
    what an idle task costs for as long as this run's task ran (the repetition's idle reference, per
    second of its task, times this run's task time): the CPU the waiting method itself spent.
    """
    baseline = {run.rep: run for run in runs if run.kind == EMPTY and run.ok}
    for run in runs:
        base = baseline.get(run.rep)
        run.cpu_above = None if base is None or run.cpu is None else run.cpu - base.cpu
        run.wall_above = None if base is None or run.wall is None else run.wall - base.wall
    idle_rate = {}
    for run in runs:
        if run.kind == IDLE and run.ok and run.cpu_above is not None and run.wall_above:
            idle_rate[run.rep] = run.cpu_above / run.wall_above
    for run in runs:
        rate = idle_rate.get(run.rep)
        if run.size == 60 and run.kind in METHODS + SHARE_METHODS and rate is not None and None not in (run.cpu_above, run.wall_above):
            run.cpu_above_idle = run.cpu_above - rate * run.wall_above
    summary = {'baseline_cpu': median([run.cpu for run in baseline.values()]),
               'baseline_wall': median([run.wall for run in baseline.values()]),
               'idle_rate': median(list(idle_rate.values()))}
    for size in (5, 60, LONG):
        for method in METHODS + SHARE_METHODS:
            mine = [run for run in runs if run.size == size and run.kind == method]
            if not mine:
                continue
            good = [run for run in mine if run.ok]
            summary[(size, method)] = {
                'n': len(good), 'failed': len(mine) - len(good),
                'requests': median([run.requests for run in good]),
                'latency': median([run.latency for run in good]),
                'cpu_above': median([run.cpu_above for run in good]),
                'cpu_above_idle': median([run.cpu_above_idle for run in good]),
                'wall': median([run.wall for run in good]),
                'first_request_after': median([run.first_request_after for run in good]),
            }
        # Per repetition: the wait module's requests beyond the delay-10 loop's on the same job.
        extra = []
        for rep in range(1, reps + 1):
            pair = {run.kind: run for run in runs if run.size == size and run.rep == rep and run.kind in (WAIT, URI10) and run.ok}
            if len(pair) == 2 and None not in (pair[WAIT].requests, pair[URI10].requests):
                extra.append(pair[WAIT].requests - pair[URI10].requests)
        summary[('extra', size)] = extra
    share_extra = []
    for rep in range(1, reps + 1):
        pair = {run.kind: run for run in runs if run.size == 60 and run.rep == rep and run.kind in SHARE_METHODS and run.ok}
        if len(pair) == 2 and None not in (pair[SHARE_WAIT].requests, pair[SHARE_URI10].requests):
            share_extra.append(pair[SHARE_WAIT].requests - pair[SHARE_URI10].requests)
    summary[('share_extra', 60)] = share_extra
    progress, progress_children = [], []
    for rep in range(1, reps + 1):
        pair = {run.kind: run for run in runs if run.size == 60 and run.rep == rep and run.kind in (WAIT, WAIT_OFF) and run.ok}
        if len(pair) == 2 and None not in (pair[WAIT].cpu_above_idle, pair[WAIT_OFF].cpu_above_idle):
            progress.append(pair[WAIT].cpu_above_idle - pair[WAIT_OFF].cpu_above_idle)
        if len(pair) == 2 and None not in (pair[WAIT].cpu_children, pair[WAIT_OFF].cpu_children):
            progress_children.append(pair[WAIT].cpu_children - pair[WAIT_OFF].cpu_children)
    summary['progress_cpu_diffs'] = progress
    summary['progress_children_diffs'] = progress_children
    for kind in (INFO, URI_GET):
        mine = [run for run in runs if run.kind == kind]
        if not mine:
            continue
        good = [run for run in mine if run.ok and run.requests == CALLS]
        summary[kind] = {
            'n': len(good), 'failed': len(mine) - len(good),
            'cpu_call': median([None if run.cpu_above is None else run.cpu_above / CALLS for run in good]),
            'wall_call': median([None if run.wall_above is None else run.wall_above / CALLS for run in good]),
            'requests': median([run.requests for run in mine]),
        }
    paired = []
    for rep in range(1, reps + 1):
        pair = [run for run in runs if run.rep == rep and run.kind in (INFO, URI_GET) and run.ok and run.requests == CALLS]
        by_kind = {run.kind: run.cpu_above for run in pair}
        if len(by_kind) == 2 and None not in by_kind.values():
            paired.append(ratio(by_kind[INFO], by_kind[URI_GET]))
    summary['paired_cpu_ratios'] = [value for value in paired if value is not None]
    idle = [run for run in runs if run.kind == IDLE and run.ok]
    if idle:
        summary[IDLE] = {'n': len(idle), 'cpu_above': median([run.cpu_above for run in idle]),
                         'wall': median([run.wall for run in idle])}
    fault = [run for run in runs if run.job_id == FAULT_JOB]
    if fault:
        summary['fault'] = fault[0]
    return summary


def check(name, value, passed):
    return {'name': name, 'value': value, 'passed': passed}


def targets(summary):
    """One row per target of issue 14: its name, the measured value, met or not."""
    rows = []
    wait5, uri5 = summary.get((5, WAIT)), summary.get((5, URI10))
    wait60, uri60, off60 = summary.get((60, WAIT)), summary.get((60, URI10)), summary.get((60, WAIT_OFF))
    if wait60 and uri60:
        cpu_ratio = ratio(wait60['cpu_above_idle'], uri60['cpu_above_idle'])
        rows.append(check('CPU, 60 s job: wait module\'s controller CPU above an idle task of the same length <= %.2f x the '
                          'delay-10 loop\'s' % CPU_RATIO_60S_MAX,
                          '%s x (%s s vs %s s)' % (fmt(cpu_ratio), fmt(wait60['cpu_above_idle']), fmt(uri60['cpu_above_idle'])),
                          cpu_ratio is not None and cpu_ratio <= CPU_RATIO_60S_MAX))
    for size in (5, 60):
        extra = summary.get(('extra', size)) or []
        if extra:
            rows.append(check('Requests, %d s job: wait module\'s extra requests over the delay-10 loop <= %d (every repetition)'
                              % (size, EXTRA_REQUESTS_MAX),
                              'at most %d (per repetition: %s)' % (max(extra), ', '.join(str(value) for value in extra)),
                              max(extra) <= EXTRA_REQUESTS_MAX))
    if wait5:
        lat = wait5['latency']
        rows.append(check('Latency, 5 s job: wait module detects the end within %.1f s' % LATENCY_5S_MAX,
                          '%s s (delay-10 loop: %s s)' % (fmt(lat), fmt(uri5['latency'] if uri5 else None)),
                          lat is not None and lat <= LATENCY_5S_MAX))
    # The 60 s job's latency target of issue 14 (one random end per repetition) is restated by issue 25 as
    # part 5: the exact mean latency of the measured poll schedules over two windows of job ends (extra_targets).
    if wait60 and off60:
        off = off60['cpu_above_idle']
        children = summary.get('progress_children_diffs') or []
        whole = summary.get('progress_cpu_diffs') or []
        # on and off run side by side on the same job in each repetition: the median of their paired
        # differences (whole controller CPU) over the off run's CPU above idle. The workers' and modules'
        # share of the difference (where the reader thread and the writer run) is shown for information.
        extra = median(whole)
        progress_ratio = None if extra is None or not off else (off + extra) / off
        rows.append(check('Progress lines, 60 s job: on (default) costs <= %d %% more controller CPU above idle than off'
                          % round((PROGRESS_CPU_RATIO_MAX - 1) * 100),
                          '%s x (off: %s s above idle; on - off per repetition: %s s, of which workers and modules: %s s)'
                          % (fmt(progress_ratio, 3), fmt(off, 3), ', '.join('%+.3f' % value for value in whole),
                             ', '.join('%+.2f' % value for value in children)),
                          progress_ratio is not None and progress_ratio <= PROGRESS_CPU_RATIO_MAX))
    info, uri = summary.get(INFO), summary.get(URI_GET)
    if info and uri:
        info_ratio = ratio(info['cpu_call'], uri['cpu_call'])
        rows.append(check('CPU per call: sfs_turbo_job_info <= %.2f x ansible.builtin.uri' % INFO_CPU_RATIO_MAX,
                          '%s x (%s s vs %s s)' % (fmt(info_ratio, 3), fmt(info['cpu_call'], 3), fmt(uri['cpu_call'], 3)),
                          info_ratio is not None and info_ratio <= INFO_CPU_RATIO_MAX))
    extra = summary.get(('extra', LONG)) or []
    if extra:
        rows.append(check('Requests, 5-minute job (optional run): extra requests over the delay-10 loop <= %d' % EXTRA_REQUESTS_MAX,
                          '%d (%s vs %s)' % (extra[0], fmt(summary[(LONG, WAIT)]['requests']), fmt(summary[(LONG, URI10)]['requests'])),
                          extra[0] <= EXTRA_REQUESTS_MAX))
    swait, suri = summary.get((60, SHARE_WAIT)), summary.get((60, SHARE_URI10))
    if swait and suri:
        cpu_ratio = ratio(swait['cpu_above_idle'], suri['cpu_above_idle'])
        rows.append(check('CPU, 60 s file-system creation: share wait\'s controller CPU above an idle task <= %.2f x the '
                          'delay-10 loop\'s' % CPU_RATIO_60S_MAX,
                          '%s x (%s s vs %s s)' % (fmt(cpu_ratio), fmt(swait['cpu_above_idle']), fmt(suri['cpu_above_idle'])),
                          cpu_ratio is not None and cpu_ratio <= CPU_RATIO_60S_MAX))
        extra = summary.get(('share_extra', 60)) or []
        if extra:
            rows.append(check('Requests, 60 s file-system creation: share wait\'s extra requests over the delay-10 loop <= %d '
                              '(every repetition)' % EXTRA_REQUESTS_MAX,
                              'at most %d (per repetition: %s)' % (max(extra), ', '.join(str(value) for value in extra)),
                              max(extra) <= EXTRA_REQUESTS_MAX))
        rows.append(check('Latency, 60 s file-system creation (+ random 0-10 s): share wait detects the end sooner than the delay-10 loop',
                          '%s s vs %s s' % (fmt(swait['latency']), fmt(suri['latency'])),
                          None not in (swait['latency'], suri['latency']) and swait['latency'] < suri['latency']))
    fault = summary.get('fault')
    if fault is not None:
        rows.append(check('Faults, 60 s job with a 502, a 429 (Retry-After: 2) and a dropped connection: the wait still succeeds',
                          'rc=%s, job seen succeeding: %s' % (fault.rc, 'yes' if fault.latency is not None else 'no'),
                          fault.ok and fault.latency is not None))
    return rows


def part1_table(summary, size, pair=(WAIT, URI10), others=(WAIT_OFF,)):
    methods = [method for method in pair + tuple(others) if summary.get((size, method))]
    if tuple(methods[:2]) != tuple(pair):
        return []
    cols = [summary[(size, method)] for method in methods]
    metrics = [
        ('API requests', 'requests', 1),
        ('Detection latency (s)', 'latency', 2),
        ('Controller CPU above start-up (s)', 'cpu_above', 2),
    ]
    if size == 60:
        metrics.append(('Controller CPU above an idle task of the same length (s)', 'cpu_above_idle', 3))
    metrics.append(('Wall time of the playbook (s)', 'wall', 1))
    lines = ['| Median of %d | %s | wait / uri delay 10 |' % (cols[0]['n'], ' | '.join(METHOD_TITLES[m] for m in methods)),
             '|---|' + '---:|' * (len(methods) + 1)]
    for title, key, digits in metrics:
        values = [col[key] for col in cols]
        cells = ' | '.join(fmt(value, digits) for value in values)
        lines.append('| %s | %s | **%s** |' % (title, cells, fmt(ratio(values[0], values[1]))))
    lines.append('| First request, s after ansible-playbook started | %s | |'
                 % ' | '.join(fmt(col['first_request_after'], 1) for col in cols))
    failed = sum(col['failed'] for col in cols)
    if failed:
        lines.append('')
        lines.append('**%d run(s) of this job length failed and are left out of the medians** (see the raw runs).' % failed)
    return lines


def idle_lines(summary):
    idle = summary.get(IDLE)
    if not idle:
        return []
    return ['', 'Reference: a playbook whose one task only sleeps as long as the repetition\'s waits take (60 s + the offset +',
            '%d s, `ansible.builtin.wait_for: {timeout: ...}`) costs **%s s** of controller CPU above start-up (median of %d,'
            % (IDLE_EXTRA, fmt(idle['cpu_above']), idle['n']),
            '%s s wall), %s s per second of task: `ansible-playbook` spends that while any task runs (its strategy loop'
            % (fmt(idle['wall'], 1), fmt(summary.get('idle_rate'), 4)),
            'polls for results every 1 ms, `internal_poll_interval`). "Above an idle task of the same length" subtracts',
            'that rate times each run\'s own time above the empty playbook, so runs of different length compare fairly.']


def notes_lines(summary, checks):
    """What the figures mean, with this run's numbers."""
    lines = []
    wait60, uri60 = summary.get((60, WAIT)), summary.get((60, URI10))
    extra60 = summary.get(('extra', 60)) or []
    if wait60 and uri60 and extra60:
        lines.append('* Requests: the module polls 1 s apart for its first seconds, then every 30 % of the time waited so far,')
        lines.append('  up to `poll_interval` (10 s); the extra requests over the delay-10 loop come from that dense start')
        lines.append('  (%s on the 60 s job), which is what detects the 5 s job within %s s (the loop: %s s). Once both poll'
                     % (', '.join(str(value) for value in extra60), fmt(summary.get((5, WAIT), {}).get('latency')),
                        fmt(summary.get((5, URI10), {}).get('latency'))))
        lines.append('  every ~10 s the difference stays, except that each loop iteration spends its module\'s start-up on top')
        lines.append('  of `delay`, so over a long job the loop polls slightly less often (see the optional 5-minute run, `--long`).')
    diffs = summary.get('progress_children_diffs') or []
    if diffs:
        lines.append('* Progress lines: "on" is the default (a line every 30 s and on each change). They cost a reader thread in')
        lines.append('  the worker that reads a small file once a second (one `read` call when nothing is new) and one short write')
        lines.append('  per poll in the module: a few milliseconds per minute. The target takes the median of the paired on - off')
        lines.append('  differences of the whole controller CPU; single differences scatter by tens of milliseconds (the jitter of')
        lines.append('  `ansible-playbook`\'s own 1 ms strategy loop, the same in both runs). The workers\' and modules\' share comes')
        lines.append('  from `/proc/<pid>/stat` of the exited `ansible-playbook` (10 ms clock ticks).')
    if lines:
        lines = ['', '### Notes', ''] + lines
    return lines


def part2_table(summary):
    info, uri = summary.get(INFO), summary.get(URI_GET)
    if not info or not uri:
        return []
    lines = ['| Median of %d, per call | sfs_turbo_job_info | uri GET | info / uri |' % min(info['n'], uri['n']),
             '|---|---:|---:|---:|']
    for title, key in (('Controller CPU (s)', 'cpu_call'), ('Wall time (s)', 'wall_call')):
        lines.append('| %s | %s | %s | **%s** |' % (title, fmt(info[key], 3), fmt(uri[key], 3), fmt(ratio(info[key], uri[key]))))
    lines.append('| API requests per play | %s | %s | |' % (fmt(info['requests'], 0), fmt(uri['requests'], 0)))
    paired = summary.get('paired_cpu_ratios') or []
    if paired:
        lines += ['', 'CPU ratio info / uri within each repetition: %s (median %s). The two plays of a repetition ran back to'
                  % (', '.join(fmt(value, 3) for value in paired), fmt(median(paired), 3)),
                  'back, in rotated order, while the 60 s waits of part 1 slept in the background; differences of a few',
                  'per cent between repetitions are noise of the machine.']
    if info['failed'] or uri['failed']:
        lines += ['', '**Some runs failed or made other than %d requests and are left out** (see the raw runs).' % CALLS]
    return lines


def part3_table(summary):
    fault = summary.get('fault')
    if fault is None:
        return []
    clean = summary.get((60, WAIT), {}).get('requests')
    extra = None if fault.requests is None or clean is None else fault.requests - clean
    return ['| Wait module, 60 s job, faults injected | Value |', '|---|---:|',
            '| Task succeeded | %s |' % ('yes' if fault.ok else 'NO: %s' % fault.error),
            '| API requests (faulted ones included) | %s |' % fmt(fault.requests),
            '| Requests answered by a fault | %s |' % fmt(fault.faulted),
            '| Requests of the fault-free wait (median, part 1) | %s |' % fmt(clean, 1),
            '| Extra requests caused by the faults | %s |' % fmt(extra, 1),
            '| Detection latency (s) | %s |' % fmt(fault.latency),
            '| Controller CPU above start-up (s) | %s |' % fmt(fault.cpu_above),
            '| Wall time of the playbook (s) | %s |' % fmt(fault.wall, 1)]


def raw_table(runs):
    lines = ['| Rep | Run | Job | rc | Requests | Latency (s) | CPU (s) | of which workers and modules (s) | CPU above start-up (s) '
             '| CPU above idle (s) | Wall (s) |',
             '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|']
    for run in sorted(runs, key=lambda r: (r.rep, str(r.size), r.kind)):
        label = run.kind if run.size is None else '%s, %s job' % (run.kind, run.size if run.size == 'fault' else '%s s' % run.size)
        lines.append('| %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' % (
            run.rep, label, run.job_id or '-', run.rc if run.error is None else '%s (%s)' % (run.rc, run.error),
            fmt(run.requests), fmt(run.latency), fmt(run.cpu), fmt(run.cpu_children), fmt(run.cpu_above), fmt(run.cpu_above_idle, 3),
            fmt(run.wall, 1)))
    return lines


def cpu_model():
    try:
        with open('/proc/cpuinfo') as handle:
            for line in handle:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def report(bench, runs, summary, checks, args, reps, sizes, total_wall, extra=None):
    core = 'jobs' in args.parts or 'shares' in args.parts
    mode = 'quick smoke run (5 s jobs, 1 repetition)' if args.quick else '%d interleaved repetitions' % reps
    if not core:
        mode = 'parts %s' % ', '.join(args.parts)
    out = ['# Benchmarks', '',
           '<!-- Written by tests/bench/run_bench.py; rerun `make bench` to refresh. -->', '',
           'Generated by `make bench` (`.venv/bin/python tests/bench/run_bench.py`) on %s UTC: %s, %.1f minutes.'
           % (datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M'), mode, total_wall / 60.0), '',
           '* Python %s, ansible-core %s, %s CPU(s) (%s), %s %s' % (
               platform.python_version(), bench.ansible_version, os.cpu_count(), cpu_model(), platform.system(), platform.release()),
           '* Load average (1 min) at the start / end: %.2f / %.2f (other work on the machine adds noise).' % tuple(bench.loadavg),
           '* API: the local emulator the collection ships (role otc_community.sfs_turbo.emulator), no cloud.',
           '* Ratios (ours / the `uri` loop) are the headline: absolute seconds depend on the machine.',
           '* Random offset added to every method\'s 60 s job of part 1, per repetition (seed %s): %s s.'
           % (bench.seed, ', '.join('%.1f' % bench.offsets[rep] for rep in range(1, reps + 1))) if core else
           '* Parts run: %s (`--parts`).' % ', '.join(args.parts), '',
           '## Targets (issue 14, restated in issues 20 and 25)', '',
           'Command: `%s`' % bench.command, '']
    for row in checks:
        out.append('* **%s**: %s: %s' % ('MET' if row['passed'] else 'MISSED', row['name'], row['value']))
    if not args.quick:
        out += ['', '%d of %d targets met.' % (sum(1 for row in checks if row['passed']), len(checks))]
    else:
        out += ['', 'Quick mode: the 60 s targets and the fault run are not measured.']
    if not core:
        out += extra_report(extra or {})
        out += runbook_bench.report_lines((extra or {}).get('runbook'))
        out += ['', 'Reproduce: `make bench` (or `%s`).' % bench.command, '']
        return '\n'.join(out)
    out += notes_lines(summary, checks)
    for size in sizes:
        table = part1_table(summary, size)
        if table:
            out += ['', '## Part 1: waiting for a job that finishes %d s after the task starts' % size, ''] + table
            if size == 60:
                out += idle_lines(summary)
    out += ['', 'Requests come from the emulator\'s request log. Detection latency is the time from the job\'s end to the',
            'request that first saw `success`. CPU is user + system time of the whole `ansible-playbook` run (its',
            'workers and module processes included) minus the same repetition\'s empty playbook (median %s s, %s s wall).'
            % (fmt(summary['baseline_cpu']), fmt(summary['baseline_wall'])),
            'The uri loop is `ansible.builtin.uri` with `until: r.json is defined and r.json.status in [\'success\', \'failed\']`,',
            '`retries: 100` and `delay: 10` (the common runbook form). "progress_interval 0" is the wait module with its',
            'progress lines off; the defaults have them on.']
    table = part1_table(summary, 60, pair=SHARE_METHODS, others=())
    if table:
        out += ['', '## Part 4: waiting for a file system whose creation ends 60 s after the task starts', ''] + table
        out += ['', 'The same repetitions, side by side with part 1: the file system\'s `status` goes from `100` to `200` 60 s',
                '(plus the repetition\'s offset) after the first GET for it. The loop is `ansible.builtin.uri` with',
                '`until: r.json is defined and r.json.status in [\'200\', \'303\', \'300\', \'800\']`, `retries: 100`, `delay: 10`.']
    table = part1_table(summary, LONG)
    if table:
        out += ['', '## Optional: a job that finishes %d s after the task starts (`--long`, 1 run)' % LONG, ''] + table
    table = part2_table(summary)
    if table:
        out += ['', '## Part 2: %d x sfs_turbo_job_info versus %d x uri GET in one play' % (CALLS, CALLS), ''] + table
        out += ['', 'One task with `loop: "{{ range(20) | list }}"` each; per call = (run - empty playbook) / %d.' % CALLS]
    table = part3_table(summary)
    if table:
        out += ['', '## Part 3: transient faults during a wait', ''] + table
        out += ['', 'Faults on the job: a 502 (3rd request), a 429 with `Retry-After: 2` (5th), a dropped connection (7th);',
                'the run went side by side with repetition 1 of part 1. A retry takes the place of a poll the schedule would',
                'have made later, and its pause (backoff, `Retry-After`) shifts the schedule, so the extra requests can be',
                'fewer than the faults, and the job\'s end can fall anywhere in a pause of up to `poll_interval` (10 s).']
    out += extra_report(extra or {})
    out += runbook_bench.report_lines((extra or {}).get('runbook'))
    out += ['', '## Method', '',
            '* One emulator serves every run, each run on its own job id (`b60-r2-uri10`, ...). All runs of a repetition',
            '  go side by side: the three 60 s waits, the idle reference (and the fault run) start together; while they',
            '  sleep, the empty playbook, the 20-call plays and then the three 5 s waits run. The launch order rotates from',
            '  one repetition to the next, so drift of the machine hits every method alike.',
            '* Job clocks: every job uses `clock: first_request`, so it finishes 5 s or 60 s after the first GET for it;',
            '  the 60 s job of a repetition runs for a random 0-10 s more, the same for every method, so that its end does',
            '  not fall on a multiple of the loop\'s delay or on a poll of the module\'s schedule.',
            '  Both methods send that GET as the first thing their task does (`delay` only applies between retries of the',
            '  `uri` loop, and the module polls at once), so this is "N s after the task starts", for every method alike,',
            '  without counting `ansible-playbook` start-up, which varies with load when several runs start together',
            '  (see "First request, s after ansible-playbook started"). A per-run clock started with the playbook would',
            '  instead make a "5 s job" shorter by a varying 1-4 s of start-up and blur the comparison.',
            '* CPU: `os.wait4` on each `ansible-playbook` process gives its own rusage, including the worker and module',
            '  processes it reaped, and nothing of the other runs going on at the same time.',
            '* Medians over repetitions; a failed run is left out of the medians and shown below.',
            '* `ansible-playbook` writes into a log file, as into a pipe, without `PYTHONUNBUFFERED` (the collection makes',
            '  its stdout line-buffered for live progress lines; the uri loop gets the same stdout).',
            '* The idle `ansible-playbook` is not free: its strategy loop wakes up every 1 ms (`internal_poll_interval`',
            '  default 0.001) while a task runs, so a 60 s task costs controller CPU whatever the task does; it is kept,',
            '  as in a real run.', '',
            '## Raw runs', ''] + raw_table(runs)
    out += ['', 'Reproduce: `make bench` (or `%s`; `--seed %s` repeats the offsets).' % (bench.command, bench.seed), '']
    return '\n'.join(out)


# ---------------------------------------------------------------------- parts 4-6 (issue 20)
#
# 4. Logins: 20 sfs_turbo_job_info loop items, then 10 forked local hosts each running one wait, with IAM
#    password auth, with the run's shared tokens and without them (SFS_TURBO_TOKEN_CACHE=false: every
#    module run logs in, as before the cache).
# 5. Detection latency from the poll schedule (issue 25): SCHEDULE_PAIRS pairs of a wait (module defaults) and a
#    delay-10 loop, side by side, each on its own job that ends SCHEDULE_SECONDS after its first request; every
#    poll's time comes from the emulator's log, and tests/bench/poll_schedule.py turns the schedules into the
#    exact mean latency for ends uniform over each of SCHEDULE_WINDOWS, and into requests.
# 6. Scale: SCALE_HOSTS local hosts (forks SCALE_HOSTS) each waiting on its own 20 s job, against the same
#    hosts running ansible.builtin.wait_for for as long (the floor).

LOGIN_HOSTS = 10
LOGIN_REPS = 3
LOGINS_MAX = 1
SCHEDULE_PAIRS = 2
SCHEDULE_SECONDS = 120
SCHEDULE_WINDOWS = ((5.0, 30.0), (30.0, 90.0))
# The requests targets of the schedule: extra requests before this many seconds, requests per minute after it.
SCHEDULE_DENSE = 60.0
SCALE_HOSTS = 50
SCALE_SECONDS = 20
SCALE_PSS_RATIO_MAX = 1.5
SCALE_CPU_RATIO_MAX = 2.0
LOGINS_ON, LOGINS_OFF = 'logins-shared', 'logins-unshared'
LAT_WAIT, LAT_URI = 'sched-wait', 'sched-uri10'
SCALE_WAIT, SCALE_FLOOR = 'scale-wait', 'scale-floor'

PASSWORD_DEFAULTS = '''  module_defaults:
    group/otc_community.sfs_turbo.sfs_turbo:
      auth_url: "{{ bench_auth_url }}"
      username: emulator-user
      password: emulator-password
      user_domain_name: emulator-domain
      project_name: eu-de
'''
HOSTS_PLAY = '''- name: {name}
  hosts: bench
  gather_facts: false
'''
EXTRA_PLAYBOOKS = {
    'logins': PLAY_HEADER.format(name='Read a job 20 times as an IAM user') + PASSWORD_DEFAULTS + '''  tasks:
    - name: Read the job
      otc_community.sfs_turbo.sfs_turbo_job_info:
        job_id: logins-done
      loop: "{{ range(20) | list }}"
''' + HOSTS_PLAY.format(name='Wait once on each of the forked hosts as the same IAM user') + PASSWORD_DEFAULTS + '''  tasks:
    - name: Wait for the job
      otc_community.sfs_turbo.sfs_turbo_job_wait:
        job_id: logins-done
''',
    SCALE_WAIT: HOSTS_PLAY.format(name='Each host waits on its own 20 s job as one IAM user') + PASSWORD_DEFAULTS + '''  tasks:
    - name: Wait for the job with the module's defaults
      otc_community.sfs_turbo.sfs_turbo_job_wait:
        job_id: "scale-{{ inventory_hostname }}"
''',
    SCALE_FLOOR: HOSTS_PLAY.format(name='Each host only sleeps as long (the floor)') + '''  tasks:
    - name: Sleep as long as a wait takes
      ansible.builtin.wait_for:
        timeout: "{{ bench_idle_seconds }}"
''',
}


def schedule_job(kind, pair):
    return '%s-p%d' % (kind, pair)


def extra_jobs(parts):
    """The scenario's jobs of parts 4-6."""
    jobs = {}
    if 'logins' in parts:
        jobs['logins-done'] = {'job_type': 'extend_share', 'waiting': 0, 'running': 0, 'result': 'success'}
    if 'latency' in parts:
        for pair in range(1, SCHEDULE_PAIRS + 1):
            for kind in (LAT_WAIT, LAT_URI):
                jobs[schedule_job(kind, pair)] = {'job_type': 'extend_share', 'waiting': 5, 'running': SCHEDULE_SECONDS - 5,
                                                  'result': 'success', 'clock': 'first_request'}
    if 'scale' in parts:
        for index in range(1, SCALE_HOSTS + 1):
            jobs['scale-h%d' % index] = {'job_type': 'extend_share', 'waiting': 2, 'running': SCALE_SECONDS - 2,
                                         'result': 'success', 'clock': 'first_request'}
    return jobs


def write_inventory(bench, name, hosts):
    """An inventory of local hosts in group ``bench`` (their modules run on this machine)."""
    path = os.path.join(bench.tmp, 'inventory-%s.ini' % name)
    with open(path, 'w') as handle:
        handle.write('[bench]\n')
        for host in hosts:
            handle.write('%s ansible_connection=local ansible_python_interpreter="{{ ansible_playbook_python }}"\n' % host)
    return path


def extra_run(bench, kind, rep, hosts, playbook, **attributes):
    run = Run(kind, None, rep)
    run.playbook = os.path.join(bench.tmp, 'bench-%s.yml' % playbook)
    run.inventory = write_inventory(bench, '%s-r%d' % (kind, rep), hosts)
    run.forks = len(hosts)
    for name, value in attributes.items():
        setattr(run, name, value)
    return run


def count_in_window(entries, run):
    """IAM logins and API requests of the requests sent while ``run`` ran (nothing else runs meanwhile)."""
    end = run.start_wall + run.wall + 1.0
    mine = [entry for entry in entries if run.start_wall <= entry['wall'] <= end]
    logins = [entry for entry in mine if entry['path'] == '/v3/auth/tokens']
    api = [entry for entry in mine if entry['path'].startswith('/v1/')]
    return len(logins), api


def run_logins(bench):
    """Part 4: the logins play with and without shared tokens, paired per repetition, order rotated."""
    runs = []
    hosts = ['h%d' % index for index in range(1, LOGIN_HOSTS + 1)]
    for rep in range(1, LOGIN_REPS + 1):
        for kind in rotate([LOGINS_ON, LOGINS_OFF], rep):
            env = {'SFS_TURBO_TOKEN_CACHE': 'false'} if kind == LOGINS_OFF else {}
            run = extra_run(bench, kind, rep, hosts, 'logins', extra_env=env)
            bench.log('  logins, %s, repetition %d' % (kind, rep))
            bench.run(run, 300)
            run.logins, api = count_in_window(bench.admin('log'), run)
            run.requests = len(api)
            runs.append(run)
    return runs


def run_latency(bench):
    """Part 5: SCHEDULE_PAIRS waits and as many delay-10 loops side by side, each on its own long job; every poll's time."""
    runs = []
    threads = []
    for pair in range(1, SCHEDULE_PAIRS + 1):
        for kind in rotate([LAT_WAIT, LAT_URI], pair):
            run = Run(kind, schedule_job(kind, pair), pair, size='schedule')
            run.playbook = bench.playbook(WAIT if kind == LAT_WAIT else URI10)
            runs.append(run)
    bench.log('  poll schedules, %d s jobs: %s' % (SCHEDULE_SECONDS, ', '.join(run.job_id for run in runs)))
    for run in runs:
        threads.append(bench.start_in_thread(run, SCHEDULE_SECONDS + 180))
    for thread in threads:
        thread.join()
    by_job = {}
    for entry in bench.admin('log'):
        by_job.setdefault(entry.get('job_id'), []).append(entry)
    for run in runs:
        mine = by_job.get(run.job_id, [])
        run.requests = len(mine)
        # The emulator's monotonic clock ('t'), from the first request: the job's own clock starts there.
        run.polls = [entry['t'] - mine[0]['t'] for entry in mine]
        finished = bench.admin('jobs/' + run.job_id).get('finished_at_wall')
        seen = [entry['wall'] for entry in mine if entry.get('job_status') == 'success']
        run.latency = seen[0] - finished if finished is not None and seen else None
        if run.latency is None and run.error is None:
            run.error = 'no request saw the job succeed'
    return runs


def run_scale(bench):
    """Part 6: SCALE_HOSTS forked waits, then as many wait_for tasks (one after the other, not side by side)."""
    hosts = ['h%d' % index for index in range(1, SCALE_HOSTS + 1)]
    runs = []
    for kind in (SCALE_FLOOR, SCALE_WAIT):
        run = extra_run(bench, kind, 1, hosts, kind, sample_pss=True, idle_seconds=SCALE_SECONDS)
        bench.log('  scale: %d hosts, %s' % (SCALE_HOSTS, kind))
        bench.run(run, 600)
        run.logins, api = count_in_window(bench.admin('log'), run)
        run.requests = len(api)
        runs.append(run)
    return runs


def window_latency(polls, start, stop):
    """The schedule's mean latency over the window; ``None`` (a missed target) if the schedule stops before it ends."""
    try:
        return poll_schedule.mean_latency(polls, start, stop)
    except ValueError:
        return None


def schedule_metrics(run):
    """Part 5: what one run's poll schedule costs and how soon it sees an end (see poll_schedule)."""
    per_minute = poll_schedule.requests_per_minute(run.polls, SCHEDULE_DENSE)
    return {'polls': run.polls, 'requests': run.requests, 'latency': run.latency,
            'windows': [window_latency(run.polls, start, stop) for start, stop in SCHEDULE_WINDOWS],
            'dense': poll_schedule.requests_before(run.polls, SCHEDULE_DENSE),
            'per_minute': per_minute, 'mean_gap': None if not per_minute else 60.0 / per_minute}


def extra_summary(logins, latency, scale):
    summary = {}
    if logins:
        pairs = {}
        for run in logins:
            pairs.setdefault(run.rep, {})[run.kind] = run
        good = [pair for pair in pairs.values() if len(pair) == 2 and all(run.ok for run in pair.values())]
        summary['logins'] = {
            'n': len(good),
            'failed': sum(1 for run in logins if not run.ok),
            'logins_on': max((pair[LOGINS_ON].logins for pair in good), default=None),
            'logins_off': median([pair[LOGINS_OFF].logins for pair in good]),
            'requests_on': median([pair[LOGINS_ON].requests for pair in good]),
            'requests_off': median([pair[LOGINS_OFF].requests for pair in good]),
            'wall_on': median([pair[LOGINS_ON].wall for pair in good]),
            'wall_off': median([pair[LOGINS_OFF].wall for pair in good]),
            'cpu_on': median([pair[LOGINS_ON].cpu for pair in good]),
            'cpu_off': median([pair[LOGINS_OFF].cpu for pair in good]),
            'wall_ratios': [ratio(pair[LOGINS_ON].wall, pair[LOGINS_OFF].wall) for pair in good],
            'cpu_ratios': [ratio(pair[LOGINS_ON].cpu, pair[LOGINS_OFF].cpu) for pair in good],
        }
    if latency:
        by_pair = {}
        for run in latency:
            by_pair.setdefault(run.rep, {})[run.kind] = run
        pairs = []
        for pair in sorted(by_pair):
            both = by_pair[pair]
            if len(both) == 2 and all(run.ok for run in both.values()):
                pairs.append({'pair': pair, 'wait': schedule_metrics(both[LAT_WAIT]), 'uri': schedule_metrics(both[LAT_URI])})
        summary['latency'] = {'pairs': pairs, 'expected': len(by_pair), 'failed': [run for run in latency if not run.ok]}
    if scale:
        summary['scale'] = {run.kind: run for run in scale}
    return summary


def extra_targets(summary):
    """One row per target of issues 20 and 25 (logins, latency and requests from the poll schedule, scale)."""
    rows = []
    logins = summary.get('logins')
    if logins:
        met = logins['n'] > 0 and logins['logins_on'] is not None and logins['logins_on'] <= LOGINS_MAX
        rows.append(check('Logins: 20 job_info loop items + %d forked hosts each one wait, password auth: at most %d IAM login'
                          % (LOGIN_HOSTS, LOGINS_MAX),
                          'at most %s per run (without shared tokens: %s); wall %s x, controller CPU %s x the run without'
                          % (fmt(logins['logins_on']), fmt(logins['logins_off'], 0), fmt(ratio(logins['wall_on'], logins['wall_off']), 3),
                             fmt(ratio(logins['cpu_on'], logins['cpu_off']), 3)),
                          met))
    latency = summary.get('latency')
    if latency:
        pairs = latency['pairs']
        complete = bool(pairs) and len(pairs) == latency['expected']
        for index, (start, stop) in enumerate(SCHEDULE_WINDOWS):
            values = [(pair['wait']['windows'][index], pair['uri']['windows'][index]) for pair in pairs]
            rows.append(check("Latency from the poll schedule, %d s job, ends uniform over [%g s, %g s]: the wait module's mean "
                              "detection latency < the delay-10 loop's (every pair)" % (SCHEDULE_SECONDS, start, stop),
                              '; '.join('%s s vs %s s' % (fmt(wait), fmt(uri)) for wait, uri in values) or 'n/a',
                              complete and all(None not in (wait, uri) and wait < uri for wait, uri in values)))
        extra = [pair['wait']['dense'] - pair['uri']['dense'] for pair in pairs]
        rows.append(check("Requests from the poll schedule, first %g s: the wait module's extra requests over the delay-10 loop "
                          "<= %d (every pair)" % (SCHEDULE_DENSE, EXTRA_REQUESTS_MAX),
                          'at most %s (%s)' % (max(extra) if extra else 'n/a', '; '.join(
                              '%d vs %d' % (pair['wait']['dense'], pair['uri']['dense']) for pair in pairs)),
                          complete and max(extra) <= EXTRA_REQUESTS_MAX))
        rates = [(pair['wait']['per_minute'], pair['uri']['per_minute']) for pair in pairs]
        rows.append(check("Requests from the poll schedule, after %g s: the wait module's requests per minute <= the delay-10 "
                          "loop's (every pair)" % SCHEDULE_DENSE,
                          '; '.join('%s vs %s per minute' % (fmt(wait), fmt(uri)) for wait, uri in rates) or 'n/a',
                          complete and all(None not in (wait, uri) and wait <= uri for wait, uri in rates)))
    scale = summary.get('scale')
    if scale and SCALE_WAIT in scale and SCALE_FLOOR in scale:
        wait, floor = scale[SCALE_WAIT], scale[SCALE_FLOOR]
        pss, cpu = ratio(wait.peak_pss, floor.peak_pss), ratio(wait.cpu, floor.cpu)
        rows.append(check('Scale, %d local hosts (forks %d) each waiting on its own %d s job: peak PSS of the process tree <= %.1f x '
                          'the same hosts running wait_for as long' % (SCALE_HOSTS, SCALE_HOSTS, SCALE_SECONDS, SCALE_PSS_RATIO_MAX),
                          '%s x (%s MiB vs %s MiB)' % (fmt(pss), fmt(wait.peak_pss, 0), fmt(floor.peak_pss, 0)),
                          wait.ok and floor.ok and pss is not None and pss <= SCALE_PSS_RATIO_MAX))
        rows.append(check("Scale: controller CPU <= %.1f x the wait_for floor's" % SCALE_CPU_RATIO_MAX,
                          '%s x (%s s vs %s s); %s requests, %s IAM logins'
                          % (fmt(cpu), fmt(wait.cpu), fmt(floor.cpu), fmt(wait.requests), fmt(wait.logins)),
                          wait.ok and floor.ok and cpu is not None and cpu <= SCALE_CPU_RATIO_MAX))
    return rows + runbook_bench.targets(summary.get('runbook'))


def extra_report(summary):
    """The report's sections of parts 4-6."""
    out = []
    logins = summary.get('logins')
    if logins:
        out += ['', '## Part 4: IAM logins of a play with password auth', '',
                'A play of 20 `sfs_turbo_job_info` loop items on `localhost`, then %d forked local hosts each running one' % LOGIN_HOSTS,
                "`sfs_turbo_job_wait` on a finished job, as one IAM user: with the run's shared tokens (the default) and without",
                '(`SFS_TURBO_TOKEN_CACHE=false`: every module run logs in, as before). Median of %d paired runs, order rotated.'
                % logins['n'], '',
                '| | shared tokens | without | shared / without |', '|---|---:|---:|---:|',
                '| IAM logins per run | %s (at most) | %s | |' % (fmt(logins['logins_on']), fmt(logins['logins_off'], 0)),
                '| API requests per run | %s | %s | |' % (fmt(logins['requests_on'], 0), fmt(logins['requests_off'], 0)),
                '| Wall time (s) | %s | %s | **%s** |'
                % (fmt(logins['wall_on'], 1), fmt(logins['wall_off'], 1), fmt(ratio(logins['wall_on'], logins['wall_off']), 3)),
                '| Controller CPU (s) | %s | %s | **%s** |'
                % (fmt(logins['cpu_on']), fmt(logins['cpu_off']), fmt(ratio(logins['cpu_on'], logins['cpu_off']), 3)),
                '', 'Per repetition: wall ratio %s; CPU ratio %s. Against the emulator a login costs a local round trip;'
                % (', '.join(fmt(value, 3) for value in logins['wall_ratios']), ', '.join(fmt(value, 3) for value in logins['cpu_ratios'])),
                "against IAM over the internet every saved login also saves its latency (and IAM's throttling, `429 IAM.0012`)."]
        if logins['failed']:
            out += ['', '**%d run(s) failed** (left out).' % logins['failed']]
    latency = summary.get('latency')
    if latency:
        windows = ['[%g s, %g s]' % window for window in SCHEDULE_WINDOWS]
        out += ['', '## Part 5: detection latency from the poll schedule (%d s job)' % SCHEDULE_SECONDS, '',
                '%d waits (module defaults) and %d uri until-loops (delay 10) ran side by side, each on its own job that ends'
                % (len(latency['pairs']), len(latency['pairs'])),
                '%d s after its first request; the emulator logged every poll. A job that ends at `t` is seen by the first poll'
                % SCHEDULE_SECONDS,
                'at `t` or later, so for ends uniform over a window of length `W` the mean detection latency is the integral of',
                '`next poll - t` over the window divided by `W`: the sum of `gap^2 / 2W` over the gaps inside it, the gaps cut',
                "by the window's edges counting only their part (`tests/bench/poll_schedule.py`). Exact for the schedule",
                'measured, with no sampled end, so no phase luck. "Per minute" is 60 s over the mean gap between the polls from',
                '%g s on (a count in a fixed window would depend on where its edges fall).' % SCHEDULE_DENSE, '',
                '| Pair | Method | Mean latency, ends over %s (s) | Requests before %g s | Requests per minute after %g s '
                '(mean gap, s) | Requests in all | Latency of the %d s end (s) |'
                % (' / '.join(windows), SCHEDULE_DENSE, SCHEDULE_DENSE, SCHEDULE_SECONDS),
                '|---:|---|---:|---:|---:|---:|---:|']
        for pair in latency['pairs']:
            for key, title in (('wait', METHOD_TITLES[WAIT]), ('uri', METHOD_TITLES[URI10])):
                values = pair[key]
                out.append('| %d | %s | %s | %d | %s (%s) | %d | %s |' % (
                    pair['pair'], title, ' / '.join(fmt(value) for value in values['windows']), values['dense'],
                    fmt(values['per_minute']), fmt(values['mean_gap']), values['requests'], fmt(values['latency'])))
        wait_gaps = [pair['wait']['mean_gap'] for pair in latency['pairs'] if pair['wait']['mean_gap']]
        uri_gaps = [pair['uri']['mean_gap'] for pair in latency['pairs'] if pair['uri']['mean_gap']]
        if wait_gaps and uri_gaps:
            out += ['', 'From %g s on the wait polls every `poll_interval` (10 s) plus its request (mean gap %s s); the loop every'
                    % (SCHEDULE_DENSE, fmt(median(wait_gaps))),
                    "`delay` (10 s) plus its module's start-up and request (mean gap %s s)." % fmt(median(uri_gaps))]
            if median(wait_gaps) < median(uri_gaps):
                out += ["So the wait's steady state makes more requests per minute than the loop's: with `poll_interval` equal to",
                        "`delay`, only gaps longer than the loop's (a longer `poll_interval`) would make fewer."]
        if latency['pairs']:
            first = latency['pairs'][0]
            out += ['', 'The schedules of pair %d, seconds from the first request:' % first['pair'], '']
            for key, title in (('wait', METHOD_TITLES[WAIT]), ('uri', METHOD_TITLES[URI10])):
                out.append('* %s: %s' % (title, ', '.join('%.2f' % poll for poll in first[key]['polls'])))
        for run in latency['failed']:
            out += ['', '**%s on %s failed**: %s' % (run.kind, run.job_id, run.error)]
    scale = summary.get('scale')
    wait, floor = (scale or {}).get(SCALE_WAIT), (scale or {}).get(SCALE_FLOOR)
    if wait and floor:
        out += ['', '## Part 6: %d local hosts, forks %d, each waiting on its own %d s job' % (SCALE_HOSTS, SCALE_HOSTS, SCALE_SECONDS), '',
                'The waits use password auth and the module defaults; the floor is the same %d hosts running' % SCALE_HOSTS,
                '`ansible.builtin.wait_for: {timeout: %d}`, run before them. Peak PSS: the sum over every process of the' % SCALE_SECONDS,
                "`ansible-playbook` process tree (workers and modules), sampled every 0.5 s from `/proc/<pid>/smaps_rollup`.", '',
                '| | waits | wait_for floor | waits / floor |', '|---|---:|---:|---:|']
        for title, key, digits in (('Wall time (s)', 'wall', 1), ('Peak PSS (MiB)', 'peak_pss', 0), ('Controller CPU (s)', 'cpu', 2)):
            out.append('| %s | %s | %s | **%s** |' % (title, fmt(getattr(wait, key), digits), fmt(getattr(floor, key), digits),
                                                      fmt(ratio(getattr(wait, key), getattr(floor, key)))))
        out.append('| API requests | %s | - | |' % fmt(wait.requests))
        out.append('| IAM logins | %s | - | |' % fmt(wait.logins))
        for run in (wait, floor):
            if not run.ok:
                out += ['', '**%s failed**: %s' % (run.kind, run.error)]
    return out


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Benchmark sfs_turbo_job_wait/info against ansible.builtin.uri on the local emulator.')
    parser.add_argument('--repetitions', type=int, default=5, help='interleaved repetitions (default: %(default)s)')
    parser.add_argument('--output', default=None,
                        help='Markdown report to write (default: docs/benchmarks.md; with --quick, nothing unless given)')
    parser.add_argument('--quick', action='store_true', help='smoke run: only the 5 s jobs and part 2, one repetition')
    parser.add_argument('--keep-temp', action='store_true', help='keep the temp dir (playbooks, logs, scenario) at the end')
    parser.add_argument('--long', action='store_true', help='also a 5-minute job, wait module versus the delay-10 loop (about 5 more minutes)')
    parser.add_argument('--seed', type=int, default=None, help='seed of the random offsets of the 60 s jobs and of the runbook operations (default: random)')
    parser.add_argument('--parts', default=','.join(PARTS),
                        help='comma-separated parts to run: jobs (parts 1-3: 5 s and 60 s jobs, 20 calls, faults), '
                             'shares (a 60 s file-system creation), logins, latency (the poll schedules of a 120 s job), scale, '
                             'runbook (create, expand, delete: sfs_turbo_share versus a uri runbook) '
                             '(default: all)')
    args = parser.parse_args(argv)
    args.parts = tuple(part.strip() for part in args.parts.split(',') if part.strip())
    if not args.parts or set(args.parts) - set(PARTS):
        parser.error('--parts takes a comma-separated list of %s, got %r' % (', '.join(PARTS), ','.join(args.parts)))
    args.argv = sys.argv[1:] if argv is None else list(argv)
    if args.repetitions < 1:
        parser.error('--repetitions must be at least 1')
    return args


def main(argv=None):
    args = parse_args(argv)
    reps = 1 if args.quick else args.repetitions
    sizes = (5,) if args.quick else (5, 60)
    with_faults = not args.quick
    core = 'jobs' in args.parts or 'shares' in args.parts
    if core and 'jobs' not in args.parts:
        if args.quick:
            sys.stderr.write('bench: --quick has no file-system part (it runs only the 5 s jobs)\n')
            return 2
        sizes = (60,)
    output = args.output
    # docs/benchmarks.md is the report of every part: a run of some parts writes it only when asked to.
    if output is None and not args.quick and set(args.parts) == set(PARTS):
        output = os.path.join(REPO, 'docs', 'benchmarks.md')
    started = time.monotonic()
    bench = Bench(args)
    # Installed explicitly: a shell may start a background job with SIGINT ignored.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        bench.check_tools()
        bench.install_collection()
        lifetime = 240 + (reps * 200 if core else 0) + 600
        if args.long:
            lifetime += LONG + 120
        runbook_seconds = runbook_bench.operation_seconds(bench.seed)
        if 'runbook' in args.parts:
            lifetime += reps * (runbook_bench.idle_seconds(runbook_seconds) + 60)
            bench.emulator_args = runbook_bench.emulator_args(reps)
        scenario = (build_scenario(reps, sizes, with_faults, bench.offsets, args.long, args.parts) if core
                    else {'jobs': {}, 'shares': {}, 'faults': []})
        scenario['jobs'].update(extra_jobs(args.parts))
        if 'runbook' in args.parts:
            scenario['operations'] = runbook_bench.scenario_operations(runbook_seconds)
        bench.start_emulator(scenario, lifetime)
        runs = run_benchmark(bench, reps, sizes, with_faults, args.long, args.parts) if core else []
        logins = run_logins(bench) if 'logins' in args.parts else []
        latency = run_latency(bench) if 'latency' in args.parts and not args.quick else []
        scale = run_scale(bench) if 'scale' in args.parts else []
        runbook = runbook_bench.run_runbook(bench, reps, Run, runbook_seconds) if 'runbook' in args.parts and not args.quick else []
    except BenchError as error:
        sys.stderr.write('bench: %s\n(temp files kept in %s)\n' % (error, bench.tmp))
        return 2
    except Interrupted as signame:
        sys.stderr.write('bench: interrupted by %s; stopping what it started (temp files kept in %s)\n' % (signame, bench.tmp))
        return 130
    finally:
        # No second interruption half-way through the clean-up.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        bench.kill_children()
        bench.stop_emulator()
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    total = time.monotonic() - started
    bench.loadavg[1] = os.getloadavg()[0]
    summary = summarize(runs, reps) if core else {}
    extra = extra_summary(logins, latency, scale)
    if runbook:
        extra['runbook'] = runbook_bench.summarize(runbook, runbook_seconds, bench.seed)
    checks = (targets(summary) if core else []) + extra_targets(extra)
    text = report(bench, runs, summary, checks, args, reps, sizes, total, extra)
    sys.stdout.write(text)
    if output:
        with open(output, 'w') as handle:
            handle.write(text)
        bench.log('report written to %s' % output)
    sys.stdout.write('\nTargets (%s):\n' % bench.command)
    for row in checks:
        sys.stdout.write('  %-6s %s: %s\n' % ('MET' if row['passed'] else 'MISSED', row['name'], row['value']))
    misses = [row for row in checks if not row['passed']]
    sys.stdout.write('%d of %d targets met%s.\n' % (len(checks) - len(misses), len(checks), '' if misses else ': all'))
    if args.keep_temp:
        bench.log('temp files kept in %s' % bench.tmp)
    else:
        shutil.rmtree(bench.tmp, ignore_errors=True)
    bench.log('total wall time %.1f s' % total)
    return 0


if __name__ == '__main__':
    sys.exit(main())
