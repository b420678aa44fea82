# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared test helpers: a fake clock (no real sleeping) and running a module's real main()."""

from __future__ import annotations

import contextlib
import json

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common.text.converters import to_bytes

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:
    # The one place where the supported lines differ for the tests: ansible.module_utils.testing
    # (patch_module_args) is new in ansible-core 2.19. On 2.16-2.18, AnsibleModule reads its
    # arguments from the JSON in ansible.module_utils.basic._ANSIBLE_ARGS when that is set.
    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Expose args to AnsibleModule instances created in this context (ansible-core < 2.19)."""
        payload = to_bytes(json.dumps({'ANSIBLE_MODULE_ARGS': args or {}}))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(basic, '_ANSIBLE_ARGS', payload)
            yield

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _clock
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import connection_argument_spec


class FakeClock:
    """Monotonic time that only moves when something sleeps; records every sleep."""

    def __init__(self):
        self.now = 1000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


@pytest.fixture
def fake_clock(monkeypatch):
    clock = FakeClock()
    monkeypatch.setattr(_clock.Clock, 'monotonic', lambda self: clock.monotonic())
    monkeypatch.setattr(_clock.Clock, 'sleep', lambda self, seconds: clock.sleep(seconds))
    return clock


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No connection settings leak in from the developer's shell, an AWX job, or a clouds.yaml."""
    names = {env_var for option in connection_argument_spec().values() for env_var in option.get('fallback', (None, []))[1]}
    names |= {'OS_CLIENT_CONFIG_FILE', 'REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'}
    for name in names:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv('HOME', str(tmp_path))  # no ~/.config/openstack/clouds.yaml
    monkeypatch.chdir(tmp_path)  # no ./clouds.yaml


@pytest.fixture
def warnings(monkeypatch):
    """The warnings a module gives (under pytest, ansible-core would route them to the controller display)."""
    collected = []
    monkeypatch.setattr(basic.AnsibleModule, 'warn', lambda self, warning, **kwargs: collected.append(warning))
    return collected


@pytest.fixture
def run_module(capsys, clean_env):
    """Run a module's main() with args; return (exit code, result dict, raw stdout)."""
    def runner(module, args):
        with patch_module_args(args):
            with pytest.raises(SystemExit) as exc:
                module.main()
        out, dummy = capsys.readouterr()
        result = json.loads(out)
        # ansible-core 2.22 hands the values the module registered as secrets (its no_log options)
        # back in this key; the controller pops it and masks them in all output, so nobody sees it.
        if result.pop('_ansible_new_secrets', None) is not None:
            out = json.dumps(result)
        return exc.value.code, result, out
    return runner
