# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Action plugin of otc_community.sfs_turbo.sfs_turbo_share: the module, plus live progress lines on each operation it waits for.

All of it is the collection's one action base (``plugin_utils/_action.py``).
"""

from __future__ import annotations

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._shares import ShareResource
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils._action import SfsTurboAction


class ActionModule(SfsTurboAction):
    waits_for = ShareResource
