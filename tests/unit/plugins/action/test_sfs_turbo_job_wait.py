# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The action plugins: the module's run is untouched, the lines, the file and its removal are right, and the
module gets the run's token cache only where it may use it.

The module run is replaced by a fake that does what the module does with the progress file.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from unittest.mock import MagicMock

import pytest

from ansible.plugins.shell.sh import ShellModule

from ansible_collections.otc_community.sfs_turbo.plugins.action import sfs_turbo_job_info as info_action_plugin
from ansible_collections.otc_community.sfs_turbo.plugins.action import sfs_turbo_job_wait as action_plugin
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._token_cache import TOKEN_CACHE_ENV
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import PROGRESS_FILE_ENV
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils import _action, _token_cache_dir

UUID = '26f6b565-0b4e-4cd4-8d6e-03f0bd975433'
TOKEN = 'tok-SECRET-7f3a9c'
RESULT = {'changed': False, 'job': {'job_id': UUID, 'status': 'success'}, 'sub_jobs': [], 'elapsed': 1.6, 'polls': 3}


class FakeModuleRun:
    """Stands in for ActionBase._execute_module: reads the environment string as the real one does,
    appends records to the progress file it names, and takes ``seconds`` to run."""

    def __init__(self, action, records=(), seconds=1.3, error=None):
        # The plugin's reader looks once a second: 1.3 s gives it one look.
        self.action = action
        self.records = records
        self.seconds = seconds
        self.error = error
        self.environment = None
        self.calls = []

    def __call__(self, **kwargs):
        self.calls.append(kwargs)
        self.environment = {}
        self.action._compute_environment_string(self.environment)  # pylint: disable=protected-access
        path = self.environment.get(PROGRESS_FILE_ENV)
        for record in self.records:
            if path:
                with open(path, 'a', encoding='ascii') as handle:
                    handle.write(json.dumps(record) + '\n')
            time.sleep(self.seconds / max(1, len(self.records)))
        if not self.records:
            time.sleep(self.seconds)
        if self.error is not None:
            raise self.error
        return dict(RESULT)


def make_action(args=None, transport='local', no_log=False, async_val=0, environment=None, plugin=action_plugin, check_mode=False):
    task = MagicMock()
    task.args = dict({'job_id': UUID, 'auth_token': TOKEN, 'progress_interval': 1}, **(args or {}))
    task.async_val = async_val
    task.check_mode = check_mode
    task.environment = environment
    task.action = 'otc_community.sfs_turbo.sfs_turbo_job_wait'
    connection = MagicMock()
    connection.transport = transport
    connection.has_native_async = False
    connection._shell = ShellModule()  # pylint: disable=protected-access
    play_context = MagicMock()
    play_context.no_log = no_log
    templar = MagicMock()
    templar.template.side_effect = lambda value: value
    action = plugin.ActionModule(task, connection, play_context, loader=None, templar=templar, shared_loader_obj=None)
    action._remove_tmp_path = MagicMock()  # pylint: disable=protected-access
    return action


@pytest.fixture
def lines(monkeypatch):
    shown = []
    monkeypatch.setattr(_action, 'emit_line', shown.append)
    return shown


def run(action, fake):
    action._execute_module = fake  # pylint: disable=protected-access
    return action.run(task_vars={'inventory_hostname': 'web1'})


def test_local_run_shows_the_job_and_removes_the_file(lines):
    action = make_action()
    fake = FakeModuleRun(action, [{'polls': 1, 'state': '(bind_ldap) waiting, sub-jobs 0/2 done'},
                                  {'polls': 2, 'state': '(bind_ldap) running, sub-jobs 1/2 done'}], seconds=2.6)
    result = run(action, fake)
    assert result == RESULT, 'the result is the module\'s, unchanged'
    assert fake.calls == [{'task_vars': {'inventory_hostname': 'web1'}, 'wrap_async': False}]
    path = fake.environment[PROGRESS_FILE_ENV]
    assert not os.path.exists(path) and not os.path.exists(os.path.dirname(path))
    assert lines[0] == 'sfs_turbo_job_wait: web1: job 26f6b565 (bind_ldap) waiting, sub-jobs 0/2 done, 1s elapsed, 1 poll'
    assert any('running, sub-jobs 1/2 done' in line for line in lines)
    assert not any(TOKEN in line for line in lines)


def test_file_is_removed_when_the_module_run_raises(lines):
    action = make_action()
    fake = FakeModuleRun(action, seconds=0.1, error=RuntimeError('connection lost'))
    with pytest.raises(RuntimeError):
        run(action, fake)
    assert not os.path.exists(os.path.dirname(fake.environment[PROGRESS_FILE_ENV]))


def test_progress_interval_0_means_no_lines_and_no_file(lines):
    action = make_action({'progress_interval': 0})
    fake = FakeModuleRun(action, [{'polls': 1, 'state': 'running'}])
    assert run(action, fake) == RESULT
    assert lines == []
    assert fake.environment[PROGRESS_FILE_ENV] == '', 'an inherited variable is overridden'


def test_check_mode_shows_no_line_even_for_a_slow_read(lines):
    # Check mode reads once and does not wait: a "waiting" line would say otherwise.
    action = make_action(check_mode=True)
    fake = FakeModuleRun(action, seconds=1.3)
    assert run(action, fake) == RESULT
    assert lines == []
    assert fake.environment[PROGRESS_FILE_ENV] == ''


def test_no_log_prints_only_waiting(lines):
    action = make_action(no_log=True)
    fake = FakeModuleRun(action, seconds=1.3)
    assert run(action, fake) == RESULT
    assert fake.environment[PROGRESS_FILE_ENV] == ''
    assert lines == ['sfs_turbo_job_wait: web1: waiting, 1s elapsed']


def test_remote_host_gets_no_file_and_lines_show_only_the_time(lines):
    action = make_action(transport='ssh')
    fake = FakeModuleRun(action, seconds=1.3)
    assert run(action, fake) == RESULT
    assert PROGRESS_FILE_ENV not in fake.environment
    assert lines == ['sfs_turbo_job_wait: web1: job 26f6b565 still waiting, 1s elapsed (no live status: the module runs on a remote host)']


def test_async_runs_the_module_as_before_without_lines(lines):
    action = make_action(async_val=600)
    fake = FakeModuleRun(action, seconds=1.3)
    run(action, fake)
    assert fake.calls[0]['wrap_async'] is True
    assert lines == []
    action._remove_tmp_path.assert_not_called()  # pylint: disable=protected-access


def test_a_secret_in_the_subject_is_masked(lines):
    # The records' words are the module's, which leaves out any holding a secret; the subject is the task's.
    action = make_action({'job_id': 'pw-SECRET-1234'}, environment=[{'OS_PASSWORD': 'pw-SECRET-1234'}])
    fake = FakeModuleRun(action, [{'polls': 1, 'state': 'running'}], seconds=1.3)
    run(action, fake)
    assert lines and all('pw-SECRET-1234' not in line for line in lines)
    assert lines[0].startswith('sfs_turbo_job_wait: web1: job ******** running')


def test_the_task_environment_still_reaches_the_module(lines):
    action = make_action(environment=[{'SFS_TURBO_ENDPOINT': 'https://example.test'}])
    fake = FakeModuleRun(action, seconds=0.1)
    run(action, fake)
    assert fake.environment['SFS_TURBO_ENDPOINT'] == 'https://example.test'
    env_string = action._compute_environment_string()  # pylint: disable=protected-access
    assert PROGRESS_FILE_ENV not in env_string, 'only while the module runs'


# Lines show for exactly the values the module takes (its limits: 1 s to 30 days, or 0 for none).
@pytest.mark.parametrize('value, seconds', [(None, 30.0), ('5', 5.0), (2592000, 2592000.0), (0, None), ('0', None), (0.5, None),
                                            ('soon', None), (True, None), ('inf', None), ('nan', None), (2592001, None)])
def test_progress_interval_values(value, seconds):
    assert _action.progress_interval(value) == seconds


@pytest.fixture
def run_tmp(tmp_path, monkeypatch):
    """ansible-core's per-run local temp dir (0700), as the controller makes it."""
    directory = tmp_path / 'ansible-local-42abcdef'
    directory.mkdir(mode=0o700)
    monkeypatch.setattr(_action.C, 'DEFAULT_LOCAL_TMP', str(directory))
    return str(directory)


@pytest.mark.parametrize('plugin', [action_plugin, info_action_plugin])
@pytest.mark.parametrize('transport, become, shared', [('local', False, True), ('ssh', False, False), ('local', True, False)])
def test_the_module_gets_the_token_cache_only_on_the_controller(lines, run_tmp, monkeypatch, plugin, transport, become, shared):
    monkeypatch.setenv(TOKEN_CACHE_ENV, '/somewhere/inherited')
    action = make_action(transport=transport)
    action.__class__ = plugin.ActionModule
    action._play_context.become = become  # pylint: disable=protected-access
    fake = FakeModuleRun(action, seconds=0.1)
    run(action, fake)
    if transport == 'local':
        # Always set on the controller's machine, where the module would inherit the worker's environment.
        expected = os.path.join(run_tmp, 'sfs_turbo_tokens') if shared else ''
        assert fake.environment[TOKEN_CACHE_ENV] == expected, 'never the inherited value'
    else:
        assert not fake.environment.get(TOKEN_CACHE_ENV), 'a remote host gets no cache'
    if shared:
        assert stat.S_IMODE(os.stat(expected).st_mode) == 0o700
    assert TOKEN_CACHE_ENV not in action._compute_environment_string(), 'only while the module runs'  # pylint: disable=protected-access


def test_a_worker_that_outlives_a_signalled_run_starts_no_module(lines, run_tmp):
    # SIGHUP: ansible-playbook removed the token cache and died; its workers live on (ansible-core passes
    # them no SIGHUP). One that reaches its task now must not make the cache again, nor log in.
    _token_cache_dir.remove_run_cache_directory(run_tmp)
    action = make_action()
    fake = FakeModuleRun(action, seconds=0.1)
    result = run(action, fake)
    assert result['failed'] is True and 'SIGTERM or SIGHUP' in result['msg']
    assert fake.calls == [], 'no module run'
    assert not os.path.exists(os.path.join(run_tmp, 'sfs_turbo_tokens'))


IMPORT_CHECK = """
import signal, sys
def state():
    handlers = {}
    for signum in signal.valid_signals():
        try:
            handlers[signum] = signal.getsignal(signum)
        except (OSError, ValueError):
            pass
    return handlers, sys.stdout.line_buffering
before = state()
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils import _action, _token_cache_dir
from ansible_collections.otc_community.sfs_turbo.plugins.action import sfs_turbo_job_wait, sfs_turbo_share_info
assert state() == before, 'an import changed a signal handler or stdout'
signal.signal(signal.SIGHUP, signal.SIG_IGN)  # nohup
assert sfs_turbo_job_wait.ActionModule.BYPASS_HOST_LOOP is False
handlers, line_buffered = state()
assert line_buffered, 'a piped stdout is line-buffered once a task of ours is queued'
assert getattr(handlers[signal.SIGTERM], 'sfs_turbo_token_cache', False), 'SIGTERM removes the token cache'
assert handlers[signal.SIGHUP] == signal.SIG_IGN, 'an ignored SIGHUP stays ignored'
assert sfs_turbo_share_info.ActionModule.BYPASS_HOST_LOOP is False
assert state()[0] == handlers, 'once per process'
print('ok')
"""


def test_importing_the_plugins_changes_nothing_and_the_first_queued_task_sets_the_run_up():
    # A fresh interpreter, its stdout a pipe: ansible-playbook's main process as the strategy sees it.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    done = subprocess.run([sys.executable, '-c', IMPORT_CHECK], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=120, check=False)
    assert done.returncode == 0 and done.stdout == b'ok\n', done.stderr.decode()[-2000:]
