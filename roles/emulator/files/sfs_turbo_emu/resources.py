# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The resources the emulator serves: one module each, with its scenario part, its state and its routes.

A resource module has ``KIND``, ``LOG_ID`` (its request-log field), ``SCENARIO_KEYS`` and
``normalize(raw)`` (its part of a scenario file), ``build(scenario, now_mono, now_wall)`` (its objects
at start or reset: each has ``faults``, ``fault_hits``, ``fault_seen``, ``requests`` and ``start_clock``) and
``ADMIN_ITEM`` (``GET /_emulator/<KIND>s/<id>``, or None). Its routes are a ``ROUTES`` list: in the
module itself (``jobs``), or in a routes module of its own when the module would grow too large
(``share_routes`` for ``shares``, and ``ldap`` for a file system's LDAP configuration). A new resource is a new module here.
"""

from __future__ import annotations

from . import jobs, ldap, share_routes, shares

RESOURCES = (jobs, shares)
# In this order: a path is answered by the first route that matches it.
ROUTE_TABLES = (jobs.ROUTES, share_routes.ROUTES, ldap.ROUTES)
ROUTES = tuple(route for table in ROUTE_TABLES for route in table)
LOG_IDS = {module.KIND: module.LOG_ID for module in RESOURCES}
