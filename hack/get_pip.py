#!/usr/bin/env python
"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

ansible-test (ansible_test/_util/target/setup/requirements.py, ``bootstrap()``) creates its
virtual environments with ``python -m venv --without-pip`` and then installs pip into them by
running a get-pip script. It first looks for a cached copy at
``~/.ansible/test/cache/get_pip_<pip version with dots as underscores>.py`` and only downloads
one (from a host these machines cannot reach) when that file is missing.
``hack/install-get-pip.py`` copies this file to that path.

ansible-test runs it as: ``<venv python> quiet_pip.py --disable-pip-version-check pip==<ver>
--no-setuptools --no-wheel``, with ``GET_PIP=<cache path>`` in the environment; quiet_pip.py
then executes this file through ``runpy.run_module(..., run_name='__main__', alter_sys=True)``,
so ``sys.argv[1:]`` holds those pip options and ``sys.executable`` is the python of the new
virtual environment.

Like the real get-pip.py, this script runs
``pip install --upgrade --force-reinstall <args> pip [setuptools] [wheel]``, honouring
``--no-setuptools`` / ``--no-wheel`` and ``PIP_NO_SETUPTOOLS`` / ``PIP_NO_WHEEL``. Instead of the
pip zip that the real script embeds, it first puts the interpreter's bundled pip in place with
``ensurepip`` and then lets that pip install the requested version from the configured index.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

SPLIT_OPTIONS = ('--no-setuptools', '--no-wheel')


def _requested(args: list[str], name: str) -> bool:
    """Return True if a requirement for ``name`` is already among the pip arguments."""
    for arg in args:
        if arg.startswith('-'):
            continue
        base = arg.split(';', 1)[0].strip().lower().replace('_', '-')
        for sep in ('==', '>=', '<=', '~=', '!=', '>', '<', '[', ' '):
            base = base.split(sep, 1)[0]
        if base == name:
            return True
    return False


def _include(args: list[str], option: str, env_var: str, module: str) -> bool:
    """Mirror get-pip.py: install setuptools/wheel unless told not to or already present."""
    return option not in args and not os.environ.get(env_var) and importlib.util.find_spec(module) is None


def main() -> int:
    """Bootstrap pip into ``sys.executable``'s environment."""
    argv = sys.argv[1:]
    pip_args = [arg for arg in argv if arg not in SPLIT_OPTIONS]

    packages = []
    if not _requested(pip_args, 'pip'):
        packages.append('pip')
    if _include(argv, '--no-setuptools', 'PIP_NO_SETUPTOOLS', 'setuptools') and not _requested(pip_args, 'setuptools'):
        packages.append('setuptools')
    if _include(argv, '--no-wheel', 'PIP_NO_WHEEL', 'wheel') and not _requested(pip_args, 'wheel'):
        packages.append('wheel')

    python = sys.executable

    # Step 1: the pip wheel bundled with this interpreter (no network). Skipped when pip is already importable.
    if subprocess.call([python, '-c', 'import pip'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) != 0:
        rc = subprocess.call([python, '-m', 'ensurepip', '--default-pip'], stdout=subprocess.DEVNULL)
        if rc != 0:
            print('get_pip shim: "%s -m ensurepip" failed with exit code %d' % (python, rc), file=sys.stderr)
            return rc

    # Step 2: the pip version ansible-test asked for, from the configured package index.
    cmd = [python, '-m', 'pip', 'install', '--upgrade', '--force-reinstall'] + pip_args + packages
    return subprocess.call(cmd)


if __name__ == '__main__':
    sys.exit(main())
