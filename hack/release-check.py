#!/usr/bin/env python
"""make release-check: the tree is released as galaxy.yml says.

    python hack/release-check.py

Fails unless CHANGELOG.rst has a section for galaxy.yml's version, changelogs/changelog.yaml has that
release, and every fragment in changelogs/fragments/ belongs to a release there (none left unreleased).
Not part of `make test` between releases (fragments wait there for the next one); run it after
`make release VERSION=X.Y.Z`.
"""

import pathlib
import sys

import yaml

REPO = pathlib.Path(__file__).resolve().parent.parent


def main():
    version = str(yaml.safe_load((REPO / 'galaxy.yml').read_text())['version'])
    problems = []
    if ('\nv%s\n' % version) not in (REPO / 'CHANGELOG.rst').read_text():
        problems.append('CHANGELOG.rst has no section v%s (galaxy.yml version)' % version)
    releases = yaml.safe_load((REPO / 'changelogs' / 'changelog.yaml').read_text())['releases']
    if version not in releases:
        problems.append('changelogs/changelog.yaml has no release %s' % version)
    released = {name for release in releases.values() for name in release.get('fragments') or []}
    for fragment in sorted((REPO / 'changelogs' / 'fragments').glob('*.y*ml')):
        if fragment.name not in released:
            problems.append('changelogs/fragments/%s is in no release' % fragment.name)
    for problem in problems:
        print('release-check: FAIL: ' + problem, file=sys.stderr)
    if not problems:
        print('release-check: ok: %s is released, no fragment left over' % version)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
