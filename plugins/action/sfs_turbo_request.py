# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of otc_community.sfs_turbo.sfs_turbo_request: the module, with the controller's module environment.

All of it is the collection's one action base (``plugin_utils/_action.py``); one request prints no progress lines.
"""

from __future__ import annotations

from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils._action import SfsTurboAction


class ActionModule(SfsTurboAction):
    pass
