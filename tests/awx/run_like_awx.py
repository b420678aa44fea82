# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run a job template the way AWX does: ansible-runner, a private data dir, and credentials handed
over as AWX hands them over, against the local emulator. Two runs:

1. the collection's custom credential type: its injectors (playbooks/credential_type/injectors.yml)
   rendered with the inputs and set as environment variables;
2. AWX's built-in OpenStack credential: a clouds.yaml with one cloud, named by OS_CLIENT_CONFIG_FILE.

Both must succeed, and no secret may appear in any job event or in the job's stdout. A third run,
with the custom credential type, waits about 20 s for a job (``progress_template.yml``): at least
three progress lines of sfs_turbo_job_wait must be among its events, created before the task's result.

    python tests/awx/run_like_awx.py --collections build/awx/collections --work build/awx
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time

import ansible_runner
import jinja2
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EMULATOR = os.path.join(ROOT, 'roles', 'emulator', 'files', 'sfs_turbo_emulator.py')
INJECTORS = os.path.join(ROOT, 'playbooks', 'credential_type', 'injectors.yml')
INPUTS = os.path.join(ROOT, 'playbooks', 'credential_type', 'inputs.yml')

PROJECT_ID = '0123456789abcdef0123456789abcdef'
PASSWORD = 'AwxCanary-password-7d3e1f'
TOKEN = 'AwxCanary-token-2b4c6d'
SECRETS = (PASSWORD, TOKEN)
PROGRESS_JOB = {'job_type': 'bind_ldap', 'waiting': 2, 'running': 18, 'result': 'success',
                'sub_jobs': [{'job_id': 'job-progress-20s-sub-%d' % number, 'job_type': 'create_share',
                              'waiting': 0, 'running': seconds, 'result': 'success'} for number, seconds in ((1, 5), (2, 10), (3, 15))]}
PROGRESS_PREFIX = 'sfs_turbo_job_wait: localhost: job job-progress-20s '


def write_scenario(work):
    """The emulator's built-in jobs plus a 20 s job with sub-jobs, for the progress run."""
    spec = importlib.util.spec_from_file_location('sfs_turbo_emulator', EMULATOR)
    emulator = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = emulator  # its dataclasses look their module up there
    spec.loader.exec_module(emulator)
    scenario = emulator.default_scenario()
    scenario['jobs']['job-progress-20s'] = PROGRESS_JOB
    path = os.path.join(work, 'scenario.json')
    with open(path, 'w', encoding='utf-8') as handle:
        json.dump(scenario, handle)
    return path


def start_emulator(work):
    port_file = os.path.join(work, 'emulator.port')
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [sys.executable, EMULATOR, '--port', '0', '--quiet', '--lifetime', '600', '--project-id', PROJECT_ID,
         '--scenario', write_scenario(work),
         '--token', TOKEN, '--iam-password', PASSWORD, '--token-uses', '3', '--port-file', port_file,
         '--pid-file', os.path.join(work, 'emulator.pid')],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for dummy in range(100):
        if os.path.exists(port_file):
            with open(port_file, encoding='utf-8') as handle:
                return process, 'http://127.0.0.1:%s' % handle.read().strip()
        time.sleep(0.1)
    process.terminate()
    raise SystemExit('the emulator did not start')


def injected_env(inputs):
    """The custom credential type's injectors rendered with ``inputs``, as AWX renders them."""
    with open(INJECTORS, encoding='utf-8') as handle:
        injectors = yaml.safe_load(handle)['env']
    with open(INPUTS, encoding='utf-8') as handle:
        fields = yaml.safe_load(handle)['fields']
    values = {field['id']: inputs.get(field['id'], field.get('default', '')) for field in fields}
    return {name: jinja2.Template(template).render(**values) for name, template in injectors.items()}


def check_progress_events(runner):
    """At least 3 progress lines among the job events, each created before the wait task's result."""
    def created(event):
        return datetime.datetime.fromisoformat(event['created'])

    progress = [event for event in runner.events if (event.get('stdout') or '').startswith(PROGRESS_PREFIX)]
    results = [event for event in runner.events if event.get('event') == 'runner_on_ok'
               and event.get('event_data', {}).get('task') == 'Wait for the 20 s job']
    if not results:
        print('progress-lines: no runner_on_ok event of the wait task')
        return False
    done = created(results[0])
    ahead = [(done - created(event)).total_seconds() for event in progress]
    print('progress-lines: %d progress events (%s), created %s s before the task result'
          % (len(progress), ', '.join(sorted({event.get('event', '?') for event in progress})),
             ', '.join('%.1f' % seconds for seconds in ahead)))
    for event in progress:
        print('  %s' % event['stdout'])
    return len([seconds for seconds in ahead if seconds >= 2.0]) >= 3 and all(seconds > 0 for seconds in ahead)


def run_job(name, work, collections, envvars, files=None, playbook='job_template.yml', check=None):
    data_dir = os.path.join(work, name)
    shutil.rmtree(data_dir, ignore_errors=True)
    os.makedirs(os.path.join(data_dir, 'project'))
    os.makedirs(os.path.join(data_dir, 'inventory'))
    shutil.copy(os.path.join(HERE, playbook), os.path.join(data_dir, 'project', playbook))
    with open(os.path.join(data_dir, 'inventory', 'hosts'), 'w', encoding='utf-8') as handle:
        handle.write('localhost ansible_connection=local ansible_python_interpreter=%s\n' % sys.executable)
    for relative, content in (files or {}).items():
        path = os.path.join(data_dir, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8') as handle:
            handle.write(content)
    envvars = dict(envvars, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_LOCALHOST_WARNING='false')
    runner = ansible_runner.run(private_data_dir=data_dir, playbook=playbook, envvars=envvars, quiet=True)
    events = [json.dumps(event) for event in runner.events]
    stdout = runner.stdout.read()
    leaks = [secret for secret in SECRETS if any(secret in event for event in events) or secret in stdout]
    ok = runner.status == 'successful' and runner.rc == 0 and not leaks
    stats = [event for event in events if '"playbook_on_stats"' in event]
    print('%s: %s (rc %s, %d job events, secrets found in events/stdout: %d)' % (name, runner.status, runner.rc, len(events), len(leaks)))
    if not ok:
        print('\n'.join(line for line in stdout.splitlines() if not any(secret in line for secret in SECRETS))[-4000:])
    elif not stats:
        print('%s: no playbook_on_stats event' % name)
        ok = False
    elif check is not None and not check(runner):
        print('%s: FAILED its check' % name)
        ok = False
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--collections', required=True, help='collections path holding the installed collection')
    parser.add_argument('--work', required=True, help='scratch directory')
    args = parser.parse_args()
    work = os.path.abspath(args.work)
    collections = os.path.abspath(args.collections)
    os.makedirs(work, exist_ok=True)
    emulator, endpoint = start_emulator(work)
    try:
        custom = injected_env({'auth_url': endpoint + '/v3', 'username': 'emulator-user', 'password': PASSWORD,
                               'user_domain_name': 'emulator-domain', 'project_name': 'eu-de', 'validate_certs': True})
        clouds = {'clouds': {'devstack': {
            'auth': {'auth_url': endpoint + '/v3', 'username': 'emulator-user', 'password': PASSWORD,
                     'project_name': 'eu-de', 'domain_name': 'emulator-domain'},
            'verify': True, 'region_name': 'eu-de'}}}
        results = [
            run_job('custom-credential-type', work, collections, custom),
            run_job('openstack-credential', work, collections,
                    {'OS_CLIENT_CONFIG_FILE': os.path.join(work, 'openstack-credential', 'credentials', 'clouds.yaml')},
                    {'credentials/clouds.yaml': yaml.safe_dump(clouds)}),
            run_job('progress-lines', work, collections, custom, playbook='progress_template.yml', check=check_progress_events),
        ]
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    if not all(results):
        raise SystemExit('AWX-style runs: FAILED')
    print('AWX-style runs: all succeeded, no secret in any job event, progress lines among the events')


if __name__ == '__main__':
    main()
