# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The shared action base as an info module uses it: the module's run untouched, no lines, the module environment."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.action import sfs_turbo_job_info as info_plugin
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import PROGRESS_FILE_ENV
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils import _action
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.action.test_sfs_turbo_job_wait import RESULT, FakeModuleRun, make_action


@pytest.fixture
def lines(monkeypatch):
    shown = []
    monkeypatch.setattr(_action, 'emit_line', shown.append)
    return shown


def info_action(**kwargs):
    return make_action(plugin=info_plugin, **kwargs)


def test_an_info_module_runs_as_the_normal_action_without_lines(lines):
    action = info_action(environment=[{'SFS_TURBO_ENDPOINT': 'https://example.test'}])
    fake = FakeModuleRun(action, seconds=1.2)
    action._execute_module = fake  # pylint: disable=protected-access
    assert action.run(task_vars={'inventory_hostname': 'web1'}) == RESULT
    assert lines == [], 'one read prints no progress lines'
    assert PROGRESS_FILE_ENV not in fake.environment
    assert fake.environment['SFS_TURBO_ENDPOINT'] == 'https://example.test'


def test_the_module_environment_reaches_a_module_on_the_controller_only(lines, monkeypatch):
    # Another concern (a controller pid, a token cache) adds its variable to module_environment().
    def with_extra(self, progress):
        environment = original(self, progress)
        if environment is not None:
            environment['_SFS_TURBO_EXAMPLE'] = '1'
        return environment
    original = info_plugin.ActionModule.module_environment
    monkeypatch.setattr(info_plugin.ActionModule, 'module_environment', with_extra)
    for transport, expected in (('local', '1'), ('ssh', None)):
        action = info_action(transport=transport)
        fake = FakeModuleRun(action, seconds=0.1)
        action._execute_module = fake  # pylint: disable=protected-access
        action.run(task_vars={})
        assert fake.environment.get('_SFS_TURBO_EXAMPLE') == expected
        assert '_SFS_TURBO_EXAMPLE' not in action._compute_environment_string(), 'only while the module runs'  # pylint: disable=protected-access
