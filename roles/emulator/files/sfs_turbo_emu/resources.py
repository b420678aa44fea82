# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The resources the emulator serves: one module each, with its scenario part, its state and its routes.

A resource module has ``KIND``, ``LOG_ID`` (its request-log field), ``SCENARIO_KEYS`` and
``normalize(raw)`` (its part of a scenario file), ``build(scenario, now_mono, now_wall)`` (its objects
at start or reset: each has ``faults``, ``fault_hits``, ``requests`` and ``start_clock``), ``ROUTES``
and ``ADMIN_ITEM`` (``GET /_emulator/<KIND>s/<id>``, or None). A new resource is a new module here.
"""

from __future__ import annotations

from . import jobs, shares

RESOURCES = (jobs, shares)
ROUTES = tuple(route for module in RESOURCES for route in module.ROUTES)
LOG_IDS = {module.KIND: module.LOG_ID for module in RESOURCES}
