#!/usr/bin/env python
"""Check that `ansible-doc -t role` shows the options of every entry point of every role.

    check_role_doc.py ANSIBLE_DOC_BIN NAMESPACE.NAME

Run by hack/smoke.sh against the installed tarball. The JSON output (`--json`) lists each entry
point's options; the text output, which users read, must show every one of them inside that entry
point's section. (A YAML alias for `start` in meta/argument_specs.yml once made the text show `start`
with no options: ansible-doc consumes the options of the first entry point sharing the mapping.)
"""

import json
import os
import re
import subprocess
import sys

ANSI = re.compile(r'\x1b\[[0-9;]*m')


def ansible_doc(binary, *args):
    out = subprocess.run([binary, '-t', 'role'] + list(args), capture_output=True, text=True, check=True,
                         env=dict(os.environ, ANSIBLE_NOCOLOR='1'))
    return ANSI.sub('', out.stdout)


def main():
    binary, collection = sys.argv[1:3]
    roles = sorted(json.loads(ansible_doc(binary, '--list', '--json', collection)))
    if not roles:
        print('check_role_doc: FAIL: ansible-doc -t role --list shows no role in %s' % collection, file=sys.stderr)
        return 1
    problems = []
    for role in roles:
        entry_points = json.loads(ansible_doc(binary, '--json', role))[role]['entry_points']
        text = ansible_doc(binary, role)
        sections = dict(re.findall(r'ENTRY POINT: \*?([^*\s]+)\*?(.*?)(?=ENTRY POINT: |\Z)', text, re.S))
        for name, spec in sorted(entry_points.items()):
            if name not in sections:
                problems.append('%s: entry point %s is not shown' % (role, name))
                continue
            for option in sorted(spec.get('options') or {}):
                if not re.search(r'^\s*[-=*]?\s*%s\b' % re.escape(option), sections[name], re.M):
                    problems.append('%s: entry point %s does not show its option %s' % (role, name, option))
        print('check_role_doc: %s: entry points %s, each with its options' % (role, ', '.join(sorted(entry_points))))
    for problem in problems:
        print('check_role_doc: FAIL: ' + problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
