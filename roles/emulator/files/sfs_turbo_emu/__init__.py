# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The SFS Turbo emulator's code; ``../sfs_turbo_emulator.py`` starts it. The guide "Rehearsing runbooks" documents it.

Modules: ``server``/``cli`` (start), ``handler`` (order of checks), ``routing``/``resources`` (paths),
``jobs``/``shares`` (one per resource; ``share_routes`` and ``ldap`` answer the file-system paths), ``iam``/``auth``/``signing`` (credentials), ``faults``,
``scenarios``/``checks``/``builtin`` (scenario files), ``store`` (state).
"""

from __future__ import annotations

from .builtin import default_scenario
from .checks import ScenarioError
from .cli import main, parse_args
from .config import (DEFAULT_ACCESS_KEY, DEFAULT_IAM_DOMAIN, DEFAULT_IAM_PASSWORD, DEFAULT_IAM_USER, DEFAULT_PROJECT_ID,
                     DEFAULT_PROJECT_NAME, DEFAULT_SECRET_KEY, DEFAULT_SECURITY_TOKEN, DEFAULT_TEMP_ACCESS_KEY,
                     DEFAULT_TEMP_SECRET_KEY, DEFAULT_TOKEN, AuthConfig)
from .handler import EmulatorHandler
from .scenarios import load_scenario, normalize_scenario
from .server import EmulatorServer, check_loopback, make_server, serve_in_thread
from .signing import canonical_query, canonical_uri, compute_signature, sign_request
from .store import EmulatorState

__all__ = [
    'DEFAULT_ACCESS_KEY', 'DEFAULT_IAM_DOMAIN', 'DEFAULT_IAM_PASSWORD', 'DEFAULT_IAM_USER', 'DEFAULT_PROJECT_ID',
    'DEFAULT_PROJECT_NAME', 'DEFAULT_SECRET_KEY', 'DEFAULT_SECURITY_TOKEN', 'DEFAULT_TEMP_ACCESS_KEY',
    'DEFAULT_TEMP_SECRET_KEY', 'DEFAULT_TOKEN', 'AuthConfig', 'EmulatorHandler', 'EmulatorServer', 'EmulatorState',
    'ScenarioError', 'canonical_query', 'canonical_uri', 'check_loopback', 'compute_signature', 'default_scenario',
    'load_scenario', 'main', 'make_server', 'normalize_scenario', 'parse_args', 'serve_in_thread', 'sign_request',
]
