# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of otc_community.sfs_turbo.sfs_turbo_job_info: the module, with the run's shared IAM tokens.

It runs the module exactly as ansible-core's ``normal`` action does (same arguments, module_defaults,
check mode, no_log, delegate_to, async); on the controller's machine the module's environment names
the run's IAM token cache (``plugin_utils/_token_cache_dir.py``), so that a loop of reads logs in once.
"""

from __future__ import annotations

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils._token_cache_dir import token_cache_environment


class ActionModule(ActionBase):

    _supports_check_mode = True
    _supports_async = True

    # Variables added to the module's environment while it runs.
    _module_env = None

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp  # tmp no longer has any effect

        # As ansible-core's normal action (2.21 dropped has_native_async).
        wrap_async = bool(self._task.async_val) and not getattr(self._connection, 'has_native_async', False)
        local = getattr(self._connection, 'transport', None) == 'local'
        self._module_env = token_cache_environment(local, bool(self._play_context.become))
        try:
            result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        finally:
            self._module_env = None

        if not wrap_async:
            # remove a temporary path we created
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _compute_environment_string(self, raw_environment_out=None):
        """The task's environment, plus the token cache while the module runs."""
        if not self._module_env:
            return super()._compute_environment_string(raw_environment_out)
        environment = {}
        super()._compute_environment_string(environment)
        environment.update(self._module_env)
        if isinstance(raw_environment_out, dict):
            raw_environment_out.clear()
            raw_environment_out.update(environment)
        return self._connection._shell.env_prefix(**environment)
