#!/usr/bin/env python
"""Print the integration targets that `make check` runs: those whose files a change touched.

    python3 hack/check-targets.py [--base main] [TARGET ...]

Named targets are printed as given (after a check that each exists). Without names, the change is
what differs from the merge base of HEAD and --base (default ``main``; ``origin/main`` when there
is no local ``main``), plus uncommitted and untracked files. A file maps to targets this way:

- ``tests/integration/targets/<target>/...``: that target; for a hidden helper target (its aliases
  say ``hidden``, e.g. setup_sfs_turbo_emulator), every target that depends on it (``needs/target/<helper>``
  in its aliases or the helper in its meta/main.yml dependencies);
- ``plugins/modules/<name>.py`` and ``plugins/action/<name>.py``: the target named ``<name>``, if there
  is one (what ansible-test's own --changed does for a module).

Anything else maps to no target: name targets with TARGETS= (make check TARGETS='sfs_turbo_faults').
Prints one target a line, sorted; nothing when no target is touched.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
TARGETS = REPO / 'tests' / 'integration' / 'targets'


def git(*args: str) -> str:
    return subprocess.run(['git', '-C', str(REPO)] + list(args), capture_output=True, text=True, check=True).stdout


def resolves(ref: str) -> bool:
    return subprocess.run(['git', '-C', str(REPO), 'rev-parse', '--verify', '--quiet', ref + '^{commit}'],
                          capture_output=True, check=False).returncode == 0


def changed_files(base: str) -> set[str]:
    files = set(git('diff', '--name-only', 'HEAD').split('\n'))  # uncommitted, staged or not
    files |= set(git('ls-files', '--others', '--exclude-standard').split('\n'))
    bases = [base] if resolves(base) else [ref for ref in ('origin/' + base,) if resolves(ref)]
    if bases:
        merge_base = git('merge-base', 'HEAD', bases[0]).strip()
        files |= set(git('diff', '--name-only', merge_base, 'HEAD').split('\n'))
    else:
        print('check-targets: no %s or origin/%s here: only uncommitted changes count' % (base, base), file=sys.stderr)
    return {f for f in files if f}


def aliases(target: pathlib.Path) -> list[str]:
    path = target / 'aliases'
    return path.read_text().split() if path.is_file() else []


def dependents(helper: str) -> set[str]:
    found = set()
    for target in TARGETS.iterdir():
        meta = target / 'meta' / 'main.yml'
        deps = re.findall(r'^\s*-\s*(\S+)\s*$', meta.read_text(), re.M) if meta.is_file() else []
        if 'needs/target/' + helper in aliases(target) or helper in deps:
            found.add(target.name)
    return found


def targets_for(path: str) -> set[str]:
    parts = pathlib.PurePosixPath(path).parts
    if len(parts) > 3 and parts[:3] == ('tests', 'integration', 'targets'):
        target = TARGETS / parts[3]
        if not target.is_dir():
            return set()  # a target the change deleted
        if 'hidden' in aliases(target):
            return {t for t in dependents(target.name) if 'hidden' not in aliases(TARGETS / t)}
        return {target.name}
    if len(parts) == 3 and parts[:2] in (('plugins', 'modules'), ('plugins', 'action')) and parts[2].endswith('.py'):
        name = parts[2][:-3]
        return {name} if (TARGETS / name).is_dir() else set()
    return set()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--base', default='main', help='the branch the change is compared with (default main)')
    parser.add_argument('targets', nargs='*', help='targets to run instead of the touched ones')
    args = parser.parse_args()
    if args.targets:
        missing = [t for t in args.targets if not (TARGETS / t).is_dir()]
        if missing:
            print('check-targets: no integration target %s in tests/integration/targets/' % ', '.join(missing), file=sys.stderr)
            return 1
        wanted = set(args.targets)
    else:
        wanted = set()
        for path in changed_files(args.base):
            wanted |= targets_for(path)
    for target in sorted(wanted):
        print(target)
    return 0


if __name__ == '__main__':
    sys.exit(main())
