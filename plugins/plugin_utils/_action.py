# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one action plugin base of the collection's modules: the module's run, plus what the controller adds.

Every module has a thin action plugin of its name (``plugins/action/<module>.py``) on this base. It
runs the module exactly as ansible-core's ``normal`` action does (same arguments, module_defaults,
check mode, no_log, delegate_to, async), with three additions:

- ``module_environment()``: variables handed to a module that runs on the controller's machine,
  after the task's own environment (a dict; each concern adds its variable there): the run's IAM
  token cache (``_token_cache_dir``) for every module, the progress file for a wait.
- For a wait module (``waits_for`` set: its resource definition): live progress lines while it runs
  (``_progress_lines``). The lines are display only; the task's result is the module's.
- ``set_up_run()``, once in the ``ansible-playbook`` process when the strategy queues the first task of
  ours: a line-buffered stdout for the live lines, and the token cache's removal on SIGTERM/SIGHUP.
  Importing this file changes nothing.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import multiprocessing
import os
import time

from ansible import constants as C
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._controller import CONTROLLER_PID_ENV
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import DEFAULT_PROGRESS_INTERVAL, PROGRESS_FILE_ENV, is_progress_interval
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._secrets import SECRET_ENV_VARS, SECRET_OPTIONS, secret_values
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils._progress_lines import LiveProgress, ProgressReporter, line_buffer_stdout
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils._token_cache_dir import (
    remove_on_termination, run_ended, token_cache_environment)

display = Display()
_SET_UP = []  # the process ids set_up_run() ran in


def set_up_run():
    """What the run needs of the ``ansible-playbook`` process (not of a worker), once per process.

    The workers' lines are written by that process, and Display never flushes: a piped stdout would
    hold them back until the play ends, so it becomes line-buffered, as a terminal is. And no IAM token
    of the run is left on disk when a SIGTERM (an AWX cancel) or SIGHUP ends it (``_token_cache_dir``).
    """
    if os.getpid() in _SET_UP or multiprocessing.current_process().name != 'MainProcess':
        return
    _SET_UP.append(os.getpid())
    line_buffer_stdout()
    remove_on_termination()


class _SetsUpTheRun(type(ActionBase)):
    """The strategy (linear, free) reads ``BYPASS_HOST_LOOP`` of an action plugin's class in the
    ``ansible-playbook`` process before it queues the task to a worker: the one moment our code runs
    there, checked on ansible-core 2.16 to 2.22 (``plugins/strategy/linear.py``: ``action.BYPASS_HOST_LOOP``,
    ``free.py``: ``getattr(action, 'BYPASS_HOST_LOOP', False)``). A strategy that does not read it runs
    without the two, as ansible-core does. Instances keep ``ActionBase.BYPASS_HOST_LOOP`` (False)."""

    @property
    def BYPASS_HOST_LOOP(cls):  # pylint: disable=invalid-name
        set_up_run()
        return False


def progress_interval(value):
    """The task's progress_interval as seconds, or ``None`` for "no lines" (0, or a value the module refuses)."""
    if value is None:
        return DEFAULT_PROGRESS_INTERVAL
    if isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    # The module's own rule: the lines show for exactly the values the module takes (NaN and inf fail it).
    return seconds if seconds != 0 and is_progress_interval(seconds) else None


def local_temp_dir():
    """ansible-core's per-run local temp dir (removed when ansible-playbook exits), or ``None``."""
    try:
        return C.DEFAULT_LOCAL_TMP
    except Exception:  # pylint: disable=broad-except
        return None


def machine_readable_stdout():
    """Whether the stdout callback writes JSON (ansible.posix.json, jsonl, ...) that lines would corrupt."""
    try:
        name = C.config.get_config_value('DEFAULT_STDOUT_CALLBACK')
    except Exception:  # pylint: disable=broad-except
        return False
    return str(name).rsplit('.', 1)[-1] in ('json', 'jsonl')


def emit_line(line):
    """Display one line: on stdout, or on stderr when stdout carries JSON for a program to read."""
    display.display(line, stderr=machine_readable_stdout())


class SfsTurboAction(ActionBase, metaclass=_SetsUpTheRun):
    """Base of the action plugins of all modules. A wait module's plugin sets ``waits_for``."""

    _supports_check_mode = True
    _supports_async = True

    #: The resource definition of what the module waits for (its ``progress_subject``), or ``None``:
    #: a module that does not wait prints no lines.
    waits_for = None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        if self._runs_on_controller() and run_ended():
            # ansible-playbook got SIGTERM/SIGHUP and removed the token cache: this worker outlived it.
            return dict(result, failed=True, msg='Not run: the ansible-playbook process of this task is ending (SIGTERM or SIGHUP).')

        # As ansible-core's normal action (2.21 dropped has_native_async).
        wrap_async = bool(self._task.async_val) and not getattr(self._connection, 'has_native_async', False)
        progress = self._live_progress(task_vars or {}, wrap_async)
        environment = self._task.environment
        try:
            if progress is None:
                self._task.environment = self._with_module_environment(environment, None)
                result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            else:
                with progress:
                    self._task.environment = self._with_module_environment(environment, progress)
                    result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        finally:
            self._task.environment = environment

        if not wrap_async:
            # remove a temporary path we created
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _with_module_environment(self, environment, progress):
        """The task's environment list with the module environment last (the last entry wins)."""
        extra = self.module_environment(progress)
        if not extra:
            return environment
        if environment is None:
            return [extra]
        return (list(environment) if isinstance(environment, list) else [environment]) + [extra]

    def module_environment(self, progress):
        """The variables this run hands to the module beside the task's environment, or ``None`` for none.

        Only a module on the controller's machine gets any: they name the controller's own files
        and processes. Each concern adds its variable here.
        """
        if not self._runs_on_controller():
            return None
        # The run's IAM token cache (empty when this module run may not use it: become, switched off).
        environment = token_cache_environment(True, bool(self._play_context.become))
        if self.waits_for is not None:
            # Always set (empty: no file), so that one inherited from the controller's own environment never counts.
            environment[PROGRESS_FILE_ENV] = progress.env_value if progress is not None else ''
            # The ansible-playbook process this wait runs for (the worker's parent): the wait stops when it is gone.
            environment[CONTROLLER_PID_ENV] = str(os.getppid())
        return environment

    def _runs_on_controller(self):
        return getattr(self._connection, 'transport', None) == 'local'

    def _known_secrets(self):
        """Secrets this plugin can see: the task's secret options and their environment variables."""
        found = secret_values(self._task.args, SECRET_OPTIONS)
        environment = {}
        try:
            # The one private ansible-core method used: its own reading of the task's environment (templated),
            # which no public API gives; checked on 2.16 to 2.22. The module's environment goes by task.environment.
            self._compute_environment_string(environment)
        except Exception:  # pylint: disable=broad-except
            environment = {}  # a bad environment fails the module run itself, with Ansible's message
        found.extend(secret_values(environment, SECRET_ENV_VARS))
        if self._runs_on_controller():
            found.extend(secret_values(os.environ, SECRET_ENV_VARS))
        return found

    def _live_progress(self, task_vars, wrap_async):
        """The ``LiveProgress`` for this run, or ``None`` when no lines are due (no wait, 0, async, bad value, check mode)."""
        if self.waits_for is None:
            return None
        interval = progress_interval(self._task.args.get('progress_interval'))
        # Check mode reads once and does not wait (see _module): no "waiting" line, even for a slow read.
        if interval is None or wrap_async or self._task.async_val or self._task.check_mode:
            return None
        no_log = bool(self._play_context.no_log)
        local = self._runs_on_controller()
        reporter = ProgressReporter(
            host=task_vars.get('inventory_hostname', '?'),
            prefix=type(self).__module__.rsplit('.', 1)[-1],
            subject=self.waits_for.progress_subject(self._task.args),
            interval=interval,
            started=time.monotonic(),
            secrets=() if no_log else self._known_secrets(),
            no_log=no_log,
            remote=not local,
        )
        return LiveProgress(reporter, emit_line, with_file=local and not no_log, temp_root=local_temp_dir())
