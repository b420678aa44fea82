#!/usr/bin/env python
"""Put hack/get_pip.py where ansible-test looks for its cached pip bootstrap script.

Run with the python of the dev virtualenv (the one that has ansible-core installed):

    .venv/bin/python hack/install-get-pip.py [--python-version 3.11]

It asks the installed ansible-test which pip version it bootstraps into its virtual
environments (``get_venv_packages()`` in ansible_test/_internal/python_requirements.py) and
writes hack/get_pip.py to ``~/.ansible/test/cache/get_pip_<version with '.' -> '_'>.py``, the path
``bootstrap()`` in ansible_test/_util/target/setup/requirements.py checks before it tries to
download get-pip.py. ``~`` is expanded from $HOME, as ansible-test does. The file is only
rewritten when its content differs. Prints the path.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import sys
import types

HERE = pathlib.Path(__file__).resolve().parent
SHIM = HERE / 'get_pip.py'


def pip_version(python_version: str) -> str:
    """Return the pip version ansible-test bootstraps for the given Python version."""
    try:
        from ansible_test._internal.python_requirements import get_venv_packages
    except ImportError as ex:
        raise SystemExit('install-get-pip: cannot import ansible_test (%s); run this with the dev venv python' % ex)

    return get_venv_packages(types.SimpleNamespace(version=python_version))['pip']


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--python-version', default='%d.%d' % sys.version_info[:2])
    args = parser.parse_args()

    version = pip_version(args.python_version)
    if not re.fullmatch(r'[0-9A-Za-z.]+', version):
        raise SystemExit('install-get-pip: unexpected pip version %r' % version)

    # Same expression as ansible-test's bootstrap(), so the name always matches.
    target = pathlib.Path(os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % version.replace('.', '_')))
    content = SHIM.read_bytes()

    if not target.is_file() or target.read_bytes() != content:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + '.tmp')
        tmp.write_bytes(content)
        tmp.replace(target)

    print(target)
    return 0


if __name__ == '__main__':
    sys.exit(main())
