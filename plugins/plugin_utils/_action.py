# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one action plugin base of the collection's modules: the module's run, plus what the controller adds.

Every module has a thin action plugin of its name (``plugins/action/<module>.py``) on this base. It
runs the module exactly as ansible-core's ``normal`` action does (same arguments, module_defaults,
check mode, no_log, delegate_to, async), with two additions:

- ``module_environment()``: variables handed to a module that runs on the controller's machine,
  beside the task's own environment (a dict; each concern adds its variable there): the run's IAM
  token cache (``_token_cache_dir``) for every module, the progress file for a wait.
- For a wait module (``lines`` set): live progress lines while it runs (``_progress_lines``).
  The lines are display only; the task's result is the module's.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import os
import time

from ansible import constants as C
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._controller import CONTROLLER_PID_ENV
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import DEFAULT_PROGRESS_INTERVAL, progress_interval_error
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import PROGRESS_FILE_ENV
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._secrets import SECRET_ENV_VARS, SECRET_OPTIONS, secret_values
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils._progress_lines import LiveProgress, ProgressReporter, line_buffer_stdout
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils._token_cache_dir import remove_on_termination, token_cache_environment

display = Display()

# The strategy loads the action plugins in ansible-playbook's main process before it queues the task, and
# that process writes what workers display. Display never flushes, so a piped stdout would hold the lines
# back until the play ends: make it line-buffered, as a terminal is.
line_buffer_stdout()
# The same process: no IAM token of the run is left on disk when a SIGTERM (an AWX cancel) ends it.
remove_on_termination()


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
    if seconds == 0 or progress_interval_error(seconds):
        return None
    return seconds


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


class SfsTurboAction(ActionBase):
    """Base of the action plugins of all four modules. A wait module's plugin sets ``lines``."""

    _supports_check_mode = True
    _supports_async = True

    #: What the progress lines say of the resource (``_progress_lines.JobLines``, ``ShareLines``),
    #: or ``None``: a module that does not wait prints no lines.
    lines = None

    # While the module runs: the extra variables its environment gets (None: none, the module runs elsewhere).
    _module_env = None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        # As ansible-core's normal action (2.21 dropped has_native_async).
        wrap_async = bool(self._task.async_val) and not getattr(self._connection, 'has_native_async', False)
        progress = self._live_progress(task_vars or {}, wrap_async)
        try:
            if progress is None:
                self._module_env = self.module_environment(None)
                result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
            else:
                with progress:
                    self._module_env = self.module_environment(progress)
                    result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        finally:
            self._module_env = None

        if not wrap_async:
            # remove a temporary path we created
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def module_environment(self, progress):
        """The variables this run hands to the module beside the task's environment, or ``None`` for none.

        Only a module on the controller's machine gets any: they name the controller's own files
        and processes. Each concern adds its variable here.
        """
        if not self._runs_on_controller():
            return None
        # The run's IAM token cache (empty when this module run may not use it: become, switched off).
        environment = token_cache_environment(True, bool(self._play_context.become))
        if self.lines is not None:
            # Always set (empty: no file), so that one inherited from the controller's own environment never counts.
            environment[PROGRESS_FILE_ENV] = progress.env_value if progress is not None else ''
            # The ansible-playbook process this wait runs for (the worker's parent): the wait stops when it is gone.
            environment[CONTROLLER_PID_ENV] = str(os.getppid())
        return environment

    def _compute_environment_string(self, raw_environment_out=None):
        """The task's environment, plus the module environment of this run when there is one."""
        if not self._module_env:
            return super()._compute_environment_string(raw_environment_out)
        environment = {}
        super()._compute_environment_string(environment)
        environment.update(self._module_env)
        if isinstance(raw_environment_out, dict):
            raw_environment_out.clear()
            raw_environment_out.update(environment)
        return self._connection._shell.env_prefix(**environment)

    def _runs_on_controller(self):
        return getattr(self._connection, 'transport', None) == 'local'

    def _known_secrets(self):
        """Secrets this plugin can see: the task's secret options and their environment variables."""
        found = secret_values(self._task.args, SECRET_OPTIONS)
        environment = {}
        try:
            super()._compute_environment_string(environment)
        except Exception:  # pylint: disable=broad-except
            environment = {}  # a bad environment fails the module run itself, with Ansible's message
        found.extend(secret_values(environment, SECRET_ENV_VARS))
        if self._runs_on_controller():
            found.extend(secret_values(os.environ, SECRET_ENV_VARS))
        return found

    def _live_progress(self, task_vars, wrap_async):
        """The ``LiveProgress`` for this run, or ``None`` when no lines are due (no wait, 0, async, bad value)."""
        if self.lines is None:
            return None
        interval = progress_interval(self._task.args.get('progress_interval'))
        if interval is None or wrap_async or self._task.async_val:
            return None
        no_log = bool(self._play_context.no_log)
        local = self._runs_on_controller()
        reporter = ProgressReporter(
            host=task_vars.get('inventory_hostname', '?'),
            lines=self.lines.from_args(self._task.args),
            interval=interval,
            started=time.monotonic(),
            secrets=() if no_log else self._known_secrets(),
            no_log=no_log,
            remote=not local,
        )
        return LiveProgress(reporter, emit_line, with_file=local and not no_log, temp_root=local_temp_dir())
