# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The collection's version, as galaxy.yml states it (``make release`` sets both; a unit test compares them).

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

COLLECTION_VERSION = '1.1.0'
