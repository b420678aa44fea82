#!/usr/bin/env python
"""Run the EXAMPLES of every module of the collection against the emulator.

    python run_examples.py --collection DIR --endpoint URL --project-id P --token T --work DIR

Every module file in plugins/modules/ is found (a module added later is covered with no edit here).
Its EXAMPLES block, as ansible-doc shows it, is read without importing the module and run as the
tasks of one play on localhost, in the order the documentation lists them (a later example may use
what an earlier one registered), with:

* every ``https://sfs-turbo.<region>...`` and ``https://iam.<region>.../v3`` URL in the examples replaced
  by the emulator's, so that examples that give the connection options in the task reach it too;
* the action group's ``module_defaults`` and the ``SFS_TURBO_ENDPOINT``, ``OS_PROJECT_ID`` and
  ``OS_AUTH_TOKEN`` environment variables pointing at the emulator, for examples that give none;
* ``iam_token`` and ``otc_project_id`` set to the emulator's credentials, and the variables of
  example_vars.yml beside this file;
* the time scale shrunk, and only that: ``delay`` 0, ``poll_interval`` at most 1 and ``timeout`` at most
  60 seconds in the tasks of the collection's modules.

Fails when a module has no EXAMPLES, when an example does not parse, or when its play fails
(an undefined variable, a job id the emulator does not serve, a failed assertion, ...).
"""

import argparse
import ast
import json
import os
import pathlib
import re
import subprocess
import sys

import yaml

COLLECTION = 'otc_community.sfs_turbo'
GROUP = 'group/%s.sfs_turbo' % COLLECTION
HERE = pathlib.Path(__file__).resolve().parent
API_URL = re.compile(r'https://sfs-turbo\.[A-Za-z0-9.-]+(?::[0-9]+)?')
IAM_URL = re.compile(r'https://iam\.[A-Za-z0-9.-]+(?::[0-9]+)?/v3')
TIME_LIMITS = {'delay': 0, 'poll_interval': 1, 'timeout': 60}
BLOCK_KEYS = ('block', 'rescue', 'always')


def examples_of(module_file):
    """The EXAMPLES string of a module file, read with ast (the module is not imported)."""
    tree = ast.parse(module_file.read_text(), str(module_file))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == 'EXAMPLES' for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def is_our_module(action):
    return isinstance(action, str) and action.startswith(COLLECTION + '.')


def shrink_time(tasks):
    """Cap delay, poll_interval and timeout in the collection's module tasks, blocks included."""
    for task in tasks:
        for key in BLOCK_KEYS:
            if isinstance(task.get(key), list):
                shrink_time(task[key])
        for action, args in task.items():
            if is_our_module(action) and isinstance(args, dict):
                for option, limit in TIME_LIMITS.items():
                    if isinstance(args.get(option), (int, float)) and args[option] > limit:
                        args[option] = limit


def variables_for(module):
    data = yaml.safe_load((HERE / 'example_vars.yml').read_text()) or {}
    variables = dict(data.get('all') or {})
    variables.update((data.get('modules') or {}).get(module) or {})
    return variables


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--collection', required=True, type=pathlib.Path)
    parser.add_argument('--endpoint', required=True)
    parser.add_argument('--project-id', required=True)
    parser.add_argument('--token', required=True)
    parser.add_argument('--work', required=True, type=pathlib.Path)
    parser.add_argument('--inventory', default='localhost,')
    args = parser.parse_args()

    modules = sorted(p for p in (args.collection / 'plugins' / 'modules').glob('*.py') if p.name != '__init__.py')
    if not modules:
        print('FAIL: no module in %s' % (args.collection / 'plugins' / 'modules'))
        return 1
    env = dict(os.environ, SFS_TURBO_ENDPOINT=args.endpoint, OS_PROJECT_ID=args.project_id, OS_AUTH_TOKEN=args.token,
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    failed = []
    for module_file in modules:
        module = module_file.stem
        text = examples_of(module_file)
        if not text or not text.strip():
            print('FAIL: %s has no EXAMPLES' % module)
            failed.append(module)
            continue
        text = IAM_URL.sub(args.endpoint + '/v3', API_URL.sub(args.endpoint, text))
        try:
            tasks = yaml.safe_load(text)
        except yaml.YAMLError as ex:
            print('FAIL: the EXAMPLES of %s are not valid YAML: %s' % (module, ex))
            failed.append(module)
            continue
        shrink_time(tasks)
        variables = {'iam_token': args.token, 'otc_project_id': args.project_id}
        variables.update(variables_for(module))
        play = [{
            'name': 'The EXAMPLES of %s.%s, against the emulator' % (COLLECTION, module),
            'hosts': 'localhost',
            'gather_facts': False,
            'module_defaults': {GROUP: {'endpoint': args.endpoint, 'project_id': args.project_id, 'auth_token': args.token}},
            'vars': variables,
            'tasks': tasks,
        }]
        playbook = args.work / ('examples_%s.yml' % module)
        playbook.write_text(yaml.safe_dump(play, sort_keys=False))
        log = args.work / ('examples_%s.log' % module)
        with log.open('w') as out:
            code = subprocess.call(['ansible-playbook', '-i', args.inventory, '-c', 'local', str(playbook)],
                                   env=env, stdout=out, stderr=subprocess.STDOUT)
        output = log.read_text()
        recap = re.search(r'localhost\s*: ok=(\d+)\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)', output)
        if code != 0 or not recap or recap.group(3) != '0':
            print(output)
            hint = ''
            if 'is undefined' in output:
                hint = ' (an undefined variable: give it a value in %s)' % (HERE / 'example_vars.yml').name
            print('FAIL: the EXAMPLES of %s failed against the emulator%s' % (module, hint))
            failed.append(module)
            continue
        print('ok: the EXAMPLES of %s ran against the emulator (%s tasks ok)' % (module, recap.group(1)))
    print(json.dumps({'modules': [m.stem for m in modules], 'failed': failed}))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
