# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run the real modules through ansible-playbook -vvvv against hostile servers, with bounds.

Each case runs one task, in a play of its own, on an inventory host of its own (connection
local): all the cases run one after another in ONE ansible-playbook (its start-up, not the
modules, was most of the CPU time when each case had one). The host's interpreter is a wrapper
of its own that records the module process's wall time and peak RSS (ru_maxrss of its children),
under an address-space limit so that a runaway read ends in the module rather than in the machine.
A small callback keeps each case's task result. A case passes when the result, the time, the
memory, the "second port" (a recorder a redirect must never reach: its requests go to the case
whose module run had started last) and the case's part of the -vvvv output (from its PLAY header
to the next; no secret, no traceback) are all as expected; the rest of the output (start-up,
recap) must hold no secret or traceback either. A task timeout of --cap bounds each case, and
the run is killed after the cases' expected seconds plus RUN_ALLOWANCE.

    python hostile_suite.py [--only NAME ...] [--cap SECONDS] [--report FILE] [--no-assert]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from hostile_server import HostileServer, free_closed_port, self_signed_context

TOKEN = 'HostileCanary-token-7d3a9c1e5b2f'
PASSWORD = 'HostileCanary-password-4e6f8a0b'
SECRET_KEY = 'HostileCanary-sk-1c3e5a7b9d'
SECURITY_TOKEN = 'HostileCanary-sectoken-2b4d6f8a'
USERINFO_SECRET = 'HostileCanary-userinfo-9f8e7d6c'
ACCESS_KEY = 'HOSTILEACCESSKEY0001'
PROJECT_ID = '0123456789abcdef0123456789abcdef'
SECRETS = (TOKEN, PASSWORD, SECRET_KEY, SECURITY_TOKEN, USERINFO_SECRET)
ISSUED_TOKEN_RE = re.compile(r'MIIhostile\d{40}', re.IGNORECASE)
# Module start-up (interpreter, AnsiballZ, imports) on a busy 2-core machine, on top of the limits: 3 s was
# passed at load 10 (trickle-headers-wait took 7.0 s against 4 + 3). A broken limit shows far beyond 8 s: the
# trickling server goes on for 90 s, and a quadratic excerpt of lt-flood takes minutes.
STARTUP_ALLOWANCE = 8.0
IAM_SLOW_LOGIN = 3.0  # seconds the /iam-slow/ login of hostile_server.py takes
# Peak RSS the module may use above the 'baseline' case (a 1 MiB body decoded a few times over).
RSS_ALLOWANCE_MB = 40
# The run's kill cap is the sum of the cases' seconds bounds, this for a case without one (they take 0.4-2 s
# alone), plus RUN_ALLOWANCE for ansible-playbook's start-up and its work between the plays.
UNBOUNDED_CASE_SECONDS = STARTUP_ALLOWANCE + 2
RUN_ALLOWANCE = 60.0

WRAPPER = '''#!%(python)s
import json, os, resource, subprocess, sys, time
LIMIT = %(limit)d
with open(%(pidfile)r, 'w') as handle:
    handle.write(str(os.getpid()))
def limit():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))
started = time.monotonic()
rc = subprocess.call([%(python)r] + sys.argv[1:], preexec_fn=limit)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(%(record)r, 'a') as handle:
    handle.write(json.dumps({'argv': sys.argv[1:], 'started': started, 'seconds': time.monotonic() - started,
                             'maxrss_mb': usage.ru_maxrss / 1024.0, 'rc': rc}) + '\\n')
sys.exit(rc)
'''

# Keeps the result of each case's 'Run the module' task, by host (= case), as the registered
# variable had it; and the seconds from its play's start. An unreachable host keeps none (no task result). 2.19+ names host/task/result without "_".
CALLBACK = '''
import json, time
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'hostile_record'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._play_started = time.monotonic()

    def v2_playbook_on_play_start(self, play):
        self._play_started = time.monotonic()

    def _keep(self, result, failed):
        task = getattr(result, 'task', None) or result._task
        if task.get_name() != 'Run the module':
            return
        host = (getattr(result, 'host', None) or result._host).get_name()
        data = getattr(result, 'result', None)
        if data is None:
            data = result._result
        # Ansible's own verdict, the 'failed' of a registered variable (callbacks get the result without it).
        data = dict(data, failed=failed)
        with open(%(record)r, 'a') as handle:
            handle.write(json.dumps({'host': host, 'wall': time.monotonic() - self._play_started, 'result': data},
                                    default=str) + '\\n')

    def v2_runner_on_ok(self, result, *args, **kwargs):
        self._keep(result, False)

    def v2_runner_on_failed(self, result, *args, **kwargs):
        self._keep(result, True)
'''


def cases(env):
    """(name, issue item, module, args, expectations)."""
    ep = env['endpoint']
    token = dict(endpoint=ep, project_id=PROJECT_ID, auth_token=TOKEN)
    quick = dict(token, request_timeout=2, retries=0)
    aksk = dict(endpoint=ep, project_id=PROJECT_ID, access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                security_token=SECURITY_TOKEN, retries=0, request_timeout=3)
    iam = dict(endpoint=ep, project_id=PROJECT_ID, username='hostile-user', password=PASSWORD,
               user_domain_name='hostile-domain')
    t_req = 2 + STARTUP_ALLOWANCE
    t_wait = 4 + STARTUP_ALLOWANCE
    return [
        ('baseline', 0, 'info', dict(token, job_id='ok'), dict(failed=False, seconds=STARTUP_ALLOWANCE + 1)),
        # 1. redirects that two URL parsers read differently
        ('redirect-backslash-token', 1, 'info', dict(token, job_id='redirect-backslash'),
         dict(failed=True, msg=r'redirect', http_status=302, trap_empty=True)),
        ('redirect-backslash-aksk', 1, 'info', dict(aksk, job_id='redirect-backslash'),
         dict(failed=True, msg=r'redirect', http_status=302, trap_empty=True)),
        ('redirect-backslash-iam', 1, 'info', dict(iam, auth_url=ep + '/iam-redirect/v3', job_id='ok'),
         dict(failed=True, msg=r'redirect', http_status=307, trap_empty=True)),
        # 2. wall-clock bound on a request
        ('trickle-headers-info', 2, 'info', dict(quick, job_id='trickle-headers'),
         dict(failed=True, msg=r'timed out|within', seconds=t_req)),
        ('trickle-body-info', 2, 'info', dict(quick, job_id='trickle-body'),
         dict(failed=True, msg=r'timed out|within', seconds=t_req)),
        ('trickle-headers-wait', 2, 'wait', dict(token, job_id='trickle-headers', timeout=4),
         dict(failed=True, timed_out=True, msg=r'Timed out', seconds=t_wait)),
        ('trickle-body-wait', 2, 'wait', dict(token, job_id='trickle-body', timeout=4),
         dict(failed=True, timed_out=True, msg=r'Timed out', seconds=t_wait)),
        # 3. bodies capped
        ('huge-body', 3, 'info', dict(quick, request_timeout=20, job_id='huge'),
         dict(failed=True, msg=r'1 MiB', http_status=200, rss=True, no_job=True)),
        ('endless-chunked', 3, 'info', dict(quick, request_timeout=20, job_id='endless'),
         dict(failed=True, msg=r'1 MiB', http_status=200, rss=True)),
        ('gzip-bomb', 3, 'info', dict(quick, request_timeout=20, job_id='gzip-bomb'),
         dict(failed=True, msg=r'1 MiB', http_status=200, rss=True)),
        # 4. linear-time error excerpt
        ('lt-flood-400', 4, 'info', dict(quick, request_timeout=20, job_id='lt-flood'),
         dict(failed=True, msg=r'HTTP 400', http_status=400, seconds=STARTUP_ALLOWANCE + 1)),
        # 5. IAM inside the wait's deadline
        ('iam-slow-login', 5, 'wait', dict(iam, auth_url=ep + '/iam-slow/v3', job_id='running', timeout=4),
         dict(failed=True, timed_out=True, msg=r'Timed out', seconds=t_wait, elapsed_covers=True)),
        ('iam-stalled-reauth', 5, 'wait', dict(iam, auth_url=ep + '/iam-stall-after-first/v3', job_id='unauthorized', timeout=4),
         dict(failed=True, msg=r'.', seconds=t_wait)),
        # 6. malformed replies end in a failure, never a traceback
        ('status-list', 6, 'wait', dict(token, job_id='status-list', timeout=5),
         dict(failed=True, msg=r'status', http_status=200)),
        ('status-object', 6, 'wait', dict(token, job_id='status-object', timeout=5),
         dict(failed=True, msg=r'status', http_status=200)),
        ('nested-json', 6, 'info', dict(token, job_id='nested'),
         dict(failed=True, msg=r'JSON', http_status=200)),
        ('nested-json-750', 6, 'info', dict(token, job_id='nested-750'),
         dict(failed=True, msg=r'JSON nested deeper than 32 levels', http_status=200)),
        ('redirect-bad-ipv6', 6, 'info', dict(token, job_id='redirect-ipv6'),
         dict(failed=True, msg=r'redirect', http_status=302)),
        # 7. secrets in quoted text
        ('status-echoes-token', 7, 'wait', dict(token, job_id='status-token', timeout=3),
         dict(failed=True, timed_out=True)),
        ('endpoint-userinfo-no-scheme', 7, 'info',
         dict(token, endpoint='hostile:%s@127.0.0.1:%d' % (USERINFO_SECRET, env['port']), job_id='ok'),
         dict(failed=True, msg=r'Invalid endpoint')),
        # 8. AK/SK canonical URI against the reference signer
        ('aksk-encoded-path', 8, 'info', dict(aksk, endpoint=ep + '/gw%2Fsfs', job_id='aksk-verify'),
         dict(failed=False)),
        # 9. messages that point the right way
        ('tls-self-signed', 9, 'info', dict(quick, endpoint='https://127.0.0.1:%d' % env['tls_port'], job_id='ok'),
         dict(failed=True, msg=r'not trusted.*ca_path')),
        ('tls-hostname-mismatch', 9, 'info', dict(quick, endpoint='https://127.0.0.1:%d' % env['tls_port'],
                                                  ca_path=env['cert'], job_id='ok'),
         dict(failed=True, msg=r'does not match|mismatch')),
        ('plain-http-behind-https', 9, 'info', dict(quick, endpoint='https://127.0.0.1:%d' % env['port'],
                                                    validate_certs=False, job_id='ok'),
         dict(failed=True, msg=r'does not speak TLS|not TLS')),
        ('stalled-body-is-timeout', 9, 'info', dict(quick, job_id='stall-body'),
         dict(failed=True, msg=r'timed out', seconds=t_req)),
        ('wrong-endpoint-path-404', 9, 'info', dict(quick, endpoint=ep + '/wrong', job_id='ok'),
         dict(failed=True, http_status=404,
              msg=re.escape('%s/wrong/v1/%s/sfs-turbo/jobs/ok' % (ep, PROJECT_ID)) + '.*endpoint')),
    ]


def write_run(selected, workdir, cap):
    """One inventory host per case (connection local, the case's own wrapper as its interpreter)
    and one play per case, in order: the cases run one after another in one ansible-playbook."""
    hosts, plays = {}, []
    for name, dummy, module, args, dummy in selected:
        wrapper = os.path.join(workdir, name + '-python')
        with open(wrapper, 'w') as handle:
            handle.write(WRAPPER % dict(python=sys.executable, limit=1536 << 20, record=os.path.join(workdir, name + '.rss.jsonl'),
                                        pidfile=os.path.join(workdir, name + '.pid')))
        os.chmod(wrapper, 0o755)
        hosts[name] = {'ansible_connection': 'local', 'ansible_python_interpreter': wrapper}
        plays.append({
            'name': 'Hostile case %s' % name, 'hosts': name, 'gather_facts': False,
            # timeout: the per-case cap (--cap), as when each case had an ansible-playbook of its own.
            'tasks': [{'name': 'Run the module', 'otc_community.sfs_turbo.sfs_turbo_job_%s' % module: args,
                       'ignore_errors': True, 'timeout': int(math.ceil(cap))}],
        })
    inventory = os.path.join(workdir, 'hosts.json')  # the yaml inventory plugin reads .json
    with open(inventory, 'w') as handle:
        json.dump({'all': {'hosts': hosts}}, handle)
    playbook = os.path.join(workdir, 'cases.yml')
    with open(playbook, 'w') as handle:
        json.dump(plays, handle)
    plugins = os.path.join(workdir, 'callback_plugins')
    os.mkdir(plugins)
    with open(os.path.join(plugins, 'hostile_record.py'), 'w') as handle:
        handle.write(CALLBACK % dict(record=os.path.join(workdir, 'results.jsonl')))
    return inventory, playbook, plugins


def stop_leftovers(selected, workdir):
    """A module that a task timeout or the run's kill gave up on may still run: ansible runs each
    in a session of its own, so the kill of the run's process group misses it. End the process
    group of each case's wrapper still running (its pid file names it; its command line must
    still name the wrapper, so a reused pid is left alone)."""
    for name, dummy, dummy, dummy, dummy in selected:
        try:
            with open(os.path.join(workdir, name + '.pid')) as handle:
                pid = int(handle.read())
            with open('/proc/%d/cmdline' % pid, 'rb') as handle:
                if os.path.join(workdir, name + '-python').encode() not in handle.read():
                    continue
            os.killpg(os.getpgid(pid), signal.SIGKILL)
        except (OSError, ValueError):
            pass


def run_all(selected, workdir, cap, run_cap):
    """Run every selected case in one ansible-playbook -vvvv; kill it after run_cap seconds."""
    inventory, playbook, plugins = write_run(selected, workdir, cap)
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='0', ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
               ANSIBLE_CALLBACK_PLUGINS=plugins, ANSIBLE_CALLBACKS_ENABLED='hostile_record')
    command = ['ansible-playbook', '-vvvv', '-i', inventory, playbook]
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    killed = False
    try:
        output, dummy = proc.communicate(timeout=run_cap)
    except subprocess.TimeoutExpired:
        killed = True
        os.killpg(proc.pid, signal.SIGKILL)  # the process group this function started
        output, dummy = proc.communicate()
    stop_leftovers(selected, workdir)
    wall = time.monotonic() - started
    text = output.decode('utf-8', 'replace')
    with open(os.path.join(workdir, 'run.log'), 'w') as handle:
        handle.write(text)
    results = {}
    if os.path.exists(os.path.join(workdir, 'results.jsonl')):
        with open(os.path.join(workdir, 'results.jsonl')) as handle:
            for line in handle:
                if line.strip():
                    kept = json.loads(line)
                    results[kept['host']] = kept
    # The -vvvv output of a case: from its PLAY header to the next one (or to the recap).
    marks = [(m.start(), m.group(1)) for m in re.finditer(r'^PLAY \[Hostile case (\S+)\]', text, re.MULTILINE)]
    recap = text.find('\nPLAY RECAP')
    recap = len(text) if recap < 0 else recap
    outputs = {}
    for index, (offset, name) in enumerate(marks):
        outputs[name] = text[offset:marks[index + 1][0] if index + 1 < len(marks) else max(recap, offset)]
    rest = text[:marks[0][0] if marks else len(text)] + (text[max(recap, marks[-1][0]):] if marks else '')
    runs = {}
    for name, dummy, module, dummy, dummy in selected:
        record = os.path.join(workdir, name + '.rss.jsonl')
        records = []
        if os.path.exists(record):
            with open(record) as handle:
                records = [json.loads(line) for line in handle if line.strip()]
        module_run = next((run for run in records if any('sfs_turbo_job_%s' % module in arg for arg in run['argv'])), None)
        kept = results.get(name) or {}
        with open(os.path.join(workdir, name + '.log'), 'w') as handle:
            handle.write(outputs.get(name, ''))
        runs[name] = dict(wall=kept.get('wall', -1), killed=killed and not kept, output=outputs.get(name, ''),
                          module=module_run, result=kept.get('result'))
    return dict(wall=wall, killed=killed, rest=rest, cases=runs)


def attribute_trap(received, runs, order):
    """Each request the second port received, to the case whose module run started last before it
    (the cases run one after another; a case with no module record gets none, its predecessor
    gets them: never to a later case than the one that sent it)."""
    starts = sorted((runs[name]['module']['started'], name) for name in order if runs[name]['module'])
    trap = {name: [] for name in order}
    for request in received:
        owner = order[0]
        for started, name in starts:
            if started <= request['at']:
                owner = name
        trap[owner].append(request)
    return trap


def leaks_and_tracebacks(output):
    """Problems of a piece of -vvvv output: a secret (in any letter case: a server may echo one
    upper-cased), an issued token, a traceback or MODULE FAILURE."""
    problems = []
    leaked = [secret for secret in SECRETS if secret.lower() in output.lower()] + ISSUED_TOKEN_RE.findall(output)[:1]
    if leaked:
        problems.append('secret in -vvvv output: %s' % ', '.join(s[:18] + '...' for s in leaked))
    if 'Traceback (most recent call last)' in output or 'MODULE FAILURE' in output:
        problems.append('traceback / MODULE FAILURE')
    return problems


def judge(name, expect, run, trap, baseline_rss):
    problems = []
    result = run['result'] or {}
    module = run['module'] or {}
    seconds = module.get('seconds', run['wall'])
    if run['killed']:
        problems.append('killed with the whole run (no result before the run cap)')
    if not run['result']:
        problems.append('no task result')
    if not run['module']:
        problems.append('no module run recorded by the wrapper')
    if 'timedout' in result or re.search(r'task action timed out', str(result.get('msg', ''))):
        problems.append('killed after %s s (the task timeout, --cap)' % (result.get('timedout') or {}).get('period', '?'))
    if 'failed' in expect and bool(result.get('failed')) != expect['failed']:
        problems.append('failed=%s, expected %s (msg: %s)' % (result.get('failed'), expect['failed'], result.get('msg')))
    if expect.get('msg') and not re.search(expect['msg'], str(result.get('msg', '')), re.DOTALL):
        problems.append('msg %r does not match %r' % (str(result.get('msg'))[:300], expect['msg']))
    if 'http_status' in expect and result.get('http_status') != expect['http_status']:
        problems.append('http_status=%s, expected %s' % (result.get('http_status'), expect['http_status']))
    if 'timed_out' in expect and result.get('timed_out') != expect['timed_out']:
        problems.append('timed_out=%s, expected %s' % (result.get('timed_out'), expect['timed_out']))
    # An uncounted login leaves at least the login's own seconds out; a counted one only the module's
    # start-up, which can take most of that on a loaded machine (2.7 s seen), hence no tighter bound.
    if expect.get('elapsed_covers') and seconds - (result.get('elapsed') or 0) >= IAM_SLOW_LOGIN:
        problems.append('elapsed=%s leaves %.1f s of the module run uncounted (the login)' % (
            result.get('elapsed'), seconds - (result.get('elapsed') or 0)))
    if expect.get('seconds') and seconds > expect['seconds']:
        problems.append('module ran %.1f s (bound %.1f s)' % (seconds, expect['seconds']))
    if expect.get('rss') and baseline_rss and module.get('maxrss_mb', 1e9) > baseline_rss + RSS_ALLOWANCE_MB:
        problems.append('peak RSS %.0f MB (bound %.0f MB)' % (module.get('maxrss_mb', -1), baseline_rss + RSS_ALLOWANCE_MB))
    if expect.get('no_job') and 'job' in result:
        problems.append('the oversized body was returned as job')
    if expect.get('trap_empty') and trap:
        problems.append('the second port received %d request(s): %s' % (len(trap), ', '.join(sorted(
            set(h for r in trap for h in r['headers'] if h.lower() in ('x-auth-token', 'authorization', 'x-security-token'))
            | {'password body' for r in trap if PASSWORD in r['body']}))))
    if not run['output']:
        problems.append('no -vvvv output of its play')
    problems.extend(leaks_and_tracebacks(run['output']))
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--only', nargs='*', default=None)
    parser.add_argument('--cap', type=float, default=60.0, help='kill a case after this many seconds (its task timeout)')
    parser.add_argument('--report', default=None, help='write per-case figures (JSON) here')
    parser.add_argument('--no-assert', action='store_true', help='report figures, exit 0')
    opts = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix='sfs-turbo-hostile-')
    trap = HostileServer()
    tls_context, cert = self_signed_context(workdir)
    main_server = HostileServer(trap_port=trap.port, secret_keys={ACCESS_KEY: SECRET_KEY})
    tls_server = HostileServer(trap_port=trap.port, tls_context=tls_context)
    env = dict(endpoint='http://127.0.0.1:%d' % main_server.port, port=main_server.port, tls_port=tls_server.port,
               cert=cert, closed_port=free_closed_port())
    figures, failures, baseline_rss, run_failed = [], 0, None, False
    try:
        selected = [case for case in cases(env) if not opts.only or case[0] in opts.only or case[0] == 'baseline']
        order = [case[0] for case in selected]
        # The run's cap: what the cases are expected to take, not the sum of their --cap.
        run_cap = min(opts.cap * len(selected),
                      sum(expect.get('seconds') or UNBOUNDED_CASE_SECONDS for dummy, dummy, dummy, dummy, expect in selected)
                      + RUN_ALLOWANCE)
        outcome = run_all(selected, workdir, opts.cap, run_cap)
        runs = outcome['cases']
        trap_of = attribute_trap(list(trap.received), runs, order)
        for name, item, dummy, dummy, expect in selected:
            run, received = runs[name], trap_of[name]
            if name == 'baseline' and run['module']:
                baseline_rss = run['module']['maxrss_mb']
            problems = judge(name, expect, run, received, baseline_rss)
            failures += bool(problems)
            module_run = run['module'] or {}
            row = dict(case=name, item=item, ok=not problems, wall=round(run['wall'], 1),
                       module_seconds=round(module_run.get('seconds', -1), 1), maxrss_mb=round(module_run.get('maxrss_mb', -1)),
                       trap=['%s %s [%s]' % (r['method'], r['path'], ','.join(
                           sorted(h for h in r['headers'] if h.lower() in ('x-auth-token', 'authorization', 'x-security-token'))
                           + (['password'] if PASSWORD in r['body'] else []))) for r in received],
                       msg=str((run['result'] or {}).get('msg', ''))[:160], problems=problems)
            figures.append(row)
            print('%-4s item %d %-30s module %5.1f s  rss %4d MB  trap %d  %s' % (
                'ok' if not problems else 'FAIL', item, name, row['module_seconds'], row['maxrss_mb'], len(received),
                '; '.join(problems) if problems else row['msg'][:100]), flush=True)
        # What no case's play holds: the start-up, the recap; and a run killed after the last result.
        problems = leaks_and_tracebacks(outcome['rest']) + (
            ['killed after %.0f s (run cap %.0f s)' % (outcome['wall'], run_cap)] if outcome['killed'] else [])
        if problems:
            run_failed = True
            print('FAIL the ansible-playbook run (%.1f s): %s' % (outcome['wall'], '; '.join(problems)), flush=True)
    finally:
        for server in (main_server, tls_server, trap):
            server.stop()
    if opts.report:
        with open(opts.report, 'w') as handle:
            json.dump(figures, handle, indent=1)
    if failures or run_failed:
        print('%d of %d cases failed%s (logs, which may hold the canary secrets, in %s)' % (
            failures, len(figures), ', and the run' if run_failed else '', workdir))
    else:
        shutil.rmtree(workdir, ignore_errors=True)
        print('all %d cases passed' % len(figures))
    return 0 if opts.no_assert or not (failures or run_failed) else 1


if __name__ == '__main__':
    sys.exit(main())
