# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the operator sees under faults and cancellation: real ansible-playbook runs against the
emulator the collection ships, on 127.0.0.1 only.

Each case starts its own emulator (and stops it by its PID), runs wait.yml with ansible-playbook in a
session of its own, reads its output line by line as it comes (each line stamped on arrival, as an
operator's terminal shows it) and judges what it printed and what the API saw.

    python faults_suite.py [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

TOKEN = 'FaultsCanary-token-4a8c2e6f'
PROJECT_ID = '0123456789abcdef0123456789abcdef'
HERE = os.path.dirname(os.path.abspath(__file__))
EMULATOR = os.path.join(os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(':')[0],
                        'ansible_collections', 'otc_community', 'sfs_turbo', 'roles', 'emulator', 'files', 'sfs_turbo_emulator.py')
PROGRESS_RE = re.compile(r'^sfs_turbo_job_wait: localhost: ')


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class Emulator:
    """The shipped emulator on 127.0.0.1, started with a scenario (a dict) and stopped by its PID."""

    def __init__(self, workdir, scenario, port=0, extra=()):
        self.workdir = workdir
        scenario_file = os.path.join(workdir, 'scenario-%d.json' % time.monotonic_ns())
        with open(scenario_file, 'w', encoding='utf-8') as handle:
            json.dump(scenario, handle)
        port_file = os.path.join(workdir, 'emulator-%d.port' % time.monotonic_ns())
        self.process = subprocess.Popen(
            [sys.executable, EMULATOR, '--port', str(port), '--quiet', '--lifetime', '600', '--token', TOKEN,
             '--project-id', PROJECT_ID, '--scenario', scenario_file, '--port-file', port_file] + list(extra),
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for dummy in range(100):
            if os.path.exists(port_file) and os.path.getsize(port_file):
                break
            if self.process.poll() is not None:
                raise SystemExit('FAIL: the emulator exited: %s' % self.process.stderr.read().decode())
            time.sleep(0.1)
        with open(port_file, encoding='ascii') as handle:
            self.port = int(handle.read())
        self.url = 'http://127.0.0.1:%d' % self.port

    def requests_for(self, job_id):
        with urllib.request.urlopen(self.url + '/_emulator/log', timeout=5) as answer:
            return [entry for entry in json.loads(answer.read()) if entry.get('job_id') == job_id]

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Run:
    """ansible-playbook wait.yml in a session of its own; its output lines, stamped as they arrive."""

    def __init__(self, workdir, args, env=None, verbosity=(), ignore_errors=False, playbook=None):
        self.started = time.monotonic()
        vars_file = os.path.join(workdir, 'vars-%d.json' % time.monotonic_ns())
        self.result_file = vars_file + '.result'
        with open(vars_file, 'w', encoding='utf-8') as handle:
            json.dump({'faults_args': args, 'faults_ignore_errors': ignore_errors, 'faults_result_file': self.result_file}, handle)
        environment = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0',
                           ANSIBLE_INVENTORY_UNPARSED_WARNING='0', **(env or {}))
        environment.pop('PYTHONUNBUFFERED', None)
        self.process = subprocess.Popen(
            ['ansible-playbook', '-i', 'localhost,', '-c', 'local', '-e', '@' + vars_file,
             '-e', 'ansible_python_interpreter=%s' % sys.executable, playbook or os.path.join(HERE, 'wait.yml')] + list(verbosity),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, start_new_session=True)
        self.lines = []  # (seconds since start, raw bytes of the line)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for raw in iter(self.process.stdout.readline, b''):
            self.lines.append((time.monotonic() - self.started, raw))

    def text(self):
        return [(t, raw.decode('utf-8', 'replace').rstrip('\n')) for t, raw in self.lines]

    def progress(self):
        return [(t, text) for t, text in self.text() if PROGRESS_RE.match(text)]

    def wait_for_line(self, pattern, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for t, text in self.text():
                if re.search(pattern, text):
                    return t
            time.sleep(0.1)
        return None

    def finish(self, timeout=180):
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill_all()
            raise SystemExit('FAIL: ansible-playbook did not end within %d s' % timeout)
        self.reader.join(10)
        return self.result()

    def result(self):
        """The task's result, as the play wrote it (None when the play did not get there)."""
        try:
            with open(self.result_file, encoding='utf-8') as handle:
                return json.load(handle)
        except (OSError, ValueError):
            return None

    def kill_all(self):
        """End what this run started (its session: ansible-playbook, its workers, the module), by process group."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        self.process.wait()

    def dump(self, last=40):
        return '\n'.join('  +%5.1f %s' % (t, text) for t, text in self.text()[-last:] if TOKEN not in text)


def base(emulator, **args):
    job = dict(endpoint=emulator.url, project_id=PROJECT_ID, auth_token=TOKEN)
    job.update(args)
    return job


def fail(message, run=None):
    raise SystemExit('FAIL: %s%s' % (message, ('\n' + run.dump()) if run is not None else ''))


def case_outage(workdir):
    """Connection refused in the middle of a wait: a line names it within progress_interval, the
    lines go on every progress_interval while it lasts, and the next line after it says answers came back."""
    port = free_port()
    interval = 4
    first = Emulator(workdir, {'jobs': {'outage-job': {'running': 3600, 'clock': 'server_start'}}}, port=port)
    run = Run(workdir, base(first, job_id='outage-job', timeout=120, poll_interval=2, progress_interval=interval))
    try:
        if run.wait_for_line(r'outage-job .*running, .* polls?$', 60) is None:
            fail('no progress line before the outage', run)
        time.sleep(3)
        first.stop()
        down_at = time.monotonic() - run.started
        time.sleep(10)
        second = Emulator(workdir, {'jobs': {'outage-job': {'running': 4, 'clock': 'server_start'}}}, port=port)
        up_at = time.monotonic() - run.started
        run.finish()
        second.stop()
    finally:
        first.stop()
        if run.process.poll() is None:
            run.kill_all()
    failing = [(t, text) for t, text in run.progress() if 'requests failing (connection refused' in text]
    if not failing or failing[0][0] - down_at > interval:
        fail('no line named the refused connections within %d s of the outage (down at +%.1f s)' % (interval, down_at), run)
    during = [t for t, text in failing if t <= up_at + 1]
    if len(during) < 2 or max(later - earlier for earlier, later in zip(during, during[1:])) > interval + 1.5:
        fail('the outage was not restated every progress_interval while it lasted', run)
    if not re.search(r'last good answer \d+s ago, last status .*running', failing[0][1]):
        fail('the outage line lacks the time since the last answer or the last status: %s' % failing[0][1], run)
    back = [t for t, text in run.progress() if 'answering again' in text]
    if not back or back[0] < up_at:
        fail('no line said that answers came back', run)
    if run.result() is None or run.result().get('failed'):
        fail('the wait did not ride the outage out', run)
    print('ok: outage: first line +%.1f s after it began, %d lines during it, answers back +%.1f s after it ended'
          % (failing[0][0] - down_at, len(during), back[0] - up_at))


def case_http_503(workdir):
    """503s from the gateway in the middle of a wait: the lines say HTTP 503."""
    # Long enough that the job still runs when the 503s are over (their backoff: about 8 s in all).
    emulator = Emulator(workdir, {'jobs': {'flaky-job': {'running': 30, 'faults': [
        {'type': 'http_error', 'status': 503, 'after': 3, 'times': 4}]}}})
    try:
        run = Run(workdir, base(emulator, job_id='flaky-job', timeout=120, poll_interval=2, progress_interval=30))
        run.finish()
    finally:
        emulator.stop()
    if not [text for dummy, text in run.progress() if 'requests failing (HTTP 503, retry in ' in text]:
        fail('no line said HTTP 503', run)
    if not [text for dummy, text in run.progress() if 'answering again' in text]:
        fail('no line said that answers came back', run)
    print('ok: HTTP 503 named at once (progress_interval 30), and the answers coming back')


def case_throttled_login(workdir):
    """An IAM login throttled (429 IAM.0012) 3 times is ridden out within the wait, with retries 0."""
    emulator = Emulator(workdir, {'jobs': {'quick-job': {'running': 2}}}, extra=['--iam-throttle', '3'])
    try:
        run = Run(workdir, dict(auth_url=emulator.url + '/v3', username='emulator-user', password='emulator-password',
                                user_domain_name='emulator-domain', project_name='eu-de', job_id='quick-job',
                                retries=0, timeout=120, progress_interval=1))
        result = run.finish()
        with urllib.request.urlopen(emulator.url + '/_emulator/iam', timeout=5) as answer:
            issued = json.loads(answer.read())['tokens_issued']
    finally:
        emulator.stop()
    if result is None or result.get('failed') or result['job']['status'] != 'success':
        fail('the wait did not ride the throttled login out', run)
    if not [text for dummy, text in run.progress() if 'IAM login failing (throttled, retry in 1 s), no good answer yet' in text]:
        fail('no line showed the throttled login', run)
    print('ok: throttled IAM login ridden out with retries 0 (%d token issued after 3 429s)' % issued)


def case_refused_endpoint(workdir):
    """A refused endpoint that never answered fails in under 60 s with the default timeout (1800 s)."""
    url = 'http://127.0.0.1:%d' % free_port()
    started = time.monotonic()
    run = Run(workdir, dict(endpoint=url, project_id=PROJECT_ID, auth_token=TOKEN, job_id='any-job'), ignore_errors=True)
    result = run.finish(timeout=120)
    took = time.monotonic() - started
    if result is None or not result.get('failed') or took >= 60:
        fail('the refused endpoint took %.0f s (failed: %s)' % (took, result and result.get('failed')), run)
    if 'Nothing has ever answered at %s/v1/' % url not in result['msg'] or 'connection refused' not in result['msg']:
        fail('the message names neither the URL nor the cause: %s' % result['msg'], run)
    print('ok: refused endpoint failed after %.1f s: %s' % (took, result['msg'][:160]))


HOSTILE = 'Subnet\x1b[2J\x1b[H has\rnot \x9b2J enough \u202eips\x07'


def case_escape_sequences(workdir):
    """Escape sequences in fail_reason, errMsg, a status and a job type never reach stdout as such."""
    emulator = Emulator(workdir, {'jobs': {
        'hostile-failed': {'running': 1, 'result': 'failed', 'error_code': 'SFS.TURBO.0029', 'fail_reason': HOSTILE,
                           'job_type': 'bind\x1b[31m_ldap'},
        'hostile-status': {'running': 3, 'status_override': 'paused\x1b[2J\r'},
        'hostile-errmsg': {'faults': [{'type': 'http_error', 'status': 400, 'error_msg': HOSTILE, 'times': None}]},
    }})
    anywhere = {b'\x1b': 'ESC', b'\r': 'carriage return', b'\x07': 'BEL'}
    # Ansible's JSON dump of the returned data (``fatal: [host]: FAILED! => {...}``) escapes C0 characters
    # but prints other characters as they are; the returned data keeps the API's values by contract, so
    # C1 and bidi characters are looked for in every other line: msg, warnings, progress lines.
    outside_data = {b'\xc2\x9b': 'C1 CSI', b'\xe2\x80\xae': 'bidi override'}
    # The three waits in one ansible-playbook run, a play each (one start-up instead of three); each play's
    # output, from its PLAY header to the next one (or to the recap), is judged as one run's was.
    job_ids = ('hostile-failed', 'hostile-status', 'hostile-errmsg')
    playbook = os.path.join(workdir, 'escape-sequences.yml')
    with open(playbook, 'w', encoding='utf-8') as handle:
        json.dump([{'name': 'Escape sequences from %s' % job_id, 'hosts': 'localhost', 'gather_facts': False,
                    'tasks': [{'name': 'Wait for the job', 'otc_community.sfs_turbo.sfs_turbo_job_wait':
                               base(emulator, job_id=job_id, timeout=20, progress_interval=1), 'ignore_errors': True}]}
                   for job_id in job_ids], handle)
    try:
        run = Run(workdir, {}, playbook=playbook)
        run.finish()
        parts, current = {None: []}, None
        for dummy, raw in run.lines:
            header = re.match(rb'^PLAY \[Escape sequences from ([^]]+)\]', raw)
            if header:
                current = header.group(1).decode()
                parts[current] = []
            elif raw.startswith(b'PLAY RECAP'):
                current = None
            parts[current].append(raw)
        for job_id in (None,) + job_ids:  # None: the start-up and the recap
            if job_id is not None and job_id not in parts:
                fail('no play output for %s' % job_id, run)
            output = b''.join(parts.get(job_id, []))
            text = b''.join(raw for raw in parts.get(job_id, []) if not re.match(rb'^(fatal|ok|changed): \[[^]]+\]: .*=> \{', raw))
            found = [name for raw, name in anywhere.items() if raw in output]
            found += [name for raw, name in outside_data.items() if raw in text]
            if found:
                fail('%s reached stdout from %s' % (', '.join(found), job_id or 'the run (outside the plays)'), run)
            if job_id not in (None, 'hostile-status') and 'not enough' not in output.decode('utf-8', 'replace').replace('?2J ', ''):
                fail('the server text did not reach msg at all (%s)' % job_id, run)
    finally:
        emulator.stop()
    print('ok: no ESC, CR, BEL, C1 CSI or bidi override on stdout from fail_reason, errMsg, a status, a job type')


def leftovers(*roots):
    found = []
    for root in roots:
        for directory, dirnames, filenames in os.walk(root):
            found.extend(os.path.join(directory, name) for name in dirnames + filenames if 'sfs-turbo-progress' in name
                         or 'sfs-turbo-progress' in directory)
    return found


def case_cancel(workdir, how):
    """Ctrl-C (SIGINT to the whole foreground group) or SIGTERM (to ansible-playbook, as AWX's cancel):
    the run ends within seconds and leaves nothing in TMPDIR or ansible's local temp dir."""
    emulator = Emulator(workdir, {'jobs': {'long-job': {'running': 3600}}})
    tmpdir = tempfile.mkdtemp(dir=workdir, prefix='tmpdir-')
    local_tmp = tempfile.mkdtemp(dir=workdir, prefix='localtmp-')
    run = Run(workdir, base(emulator, job_id='long-job', timeout=600, progress_interval=1),
              env={'TMPDIR': tmpdir, 'ANSIBLE_LOCAL_TEMP': local_tmp})
    try:
        if run.wait_for_line(r'long-job .*running', 60) is None:
            fail('no progress line before the cancel', run)
        if not leftovers(tmpdir, local_tmp):
            fail('no progress file while the wait ran: the test would prove nothing', run)
        sent = time.monotonic()
        if how == 'ctrl-c':
            os.killpg(run.process.pid, signal.SIGINT)
        else:
            run.process.send_signal(signal.SIGTERM)
        try:
            run.process.wait(30)
        except subprocess.TimeoutExpired:
            fail('ansible-playbook still ran 30 s after %s' % how, run)
        took = time.monotonic() - sent
        # ansible-playbook removes its local temp dir when it exits on Ctrl-C; a SIGTERM ends it without its
        # exit handlers, and the worker removes the progress directory once the module has noticed (within
        # a second) that ansible-playbook is gone. TMPDIR is never used.
        for dummy in range(100):
            left = leftovers(tmpdir, local_tmp)
            if not left:
                break
            time.sleep(0.1)
        cleaned = time.monotonic() - sent
    finally:
        emulator.stop()
        run.kill_all()
    if left:
        fail('%s left %s' % (how, ', '.join(left)), run)
    print('ok: %s: ansible-playbook ended %.1f s later, nothing left in TMPDIR or the local temp dir after %.1f s'
          % (how, took, cleaned))


def case_sigkill(workdir):
    """ansible-playbook SIGKILLed: the module's wait stops polling within one poll_interval."""
    poll_interval = 2
    emulator = Emulator(workdir, {'jobs': {'long-job': {'running': 3600}}})
    run = Run(workdir, base(emulator, job_id='long-job', timeout=600, poll_interval=poll_interval, progress_interval=1))
    try:
        if run.wait_for_line(r'long-job .*running, .* [4-9] polls', 60) is None:
            fail('the wait did not get going', run)
        os.kill(run.process.pid, signal.SIGKILL)
        killed = time.monotonic()
        time.sleep(poll_interval + 1.5)  # one poll_interval, plus the module's look at the controller (1 s)
        settled = len(emulator.requests_for('long-job'))
        time.sleep(3 * poll_interval)
        later = emulator.requests_for('long-job')
    finally:
        emulator.stop()
        run.kill_all()
    if len(later) != settled:
        fail('the module kept polling after ansible-playbook was killed: %d requests %.0f s after the kill, %d at %.0f s'
             % (settled, poll_interval + 1.5, len(later), time.monotonic() - killed))
    print('ok: SIGKILL: polls stopped within %.1f s (%d requests in all, none in the %d s after)'
          % (poll_interval + 1.5, settled, 3 * poll_interval))


CASES = {
    'outage': case_outage,
    'http-503': case_http_503,
    'throttled-login': case_throttled_login,
    'refused-endpoint': case_refused_endpoint,
    'escape-sequences': case_escape_sequences,
    'ctrl-c': lambda workdir: case_cancel(workdir, 'ctrl-c'),
    'sigterm': lambda workdir: case_cancel(workdir, 'sigterm'),
    'sigkill': case_sigkill,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--only', nargs='*', choices=sorted(CASES))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='sfs-turbo-faults-') as workdir:
        for name in args.only or CASES:
            CASES[name](workdir)
    return 0


if __name__ == '__main__':
    sys.exit(main())
