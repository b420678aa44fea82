# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The version the modules tell the API (User-Agent) is galaxy.yml's."""

from __future__ import annotations

import pathlib

import yaml

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import USER_AGENT
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._version import COLLECTION_VERSION

GALAXY_YML = pathlib.Path(__file__).resolve().parents[4] / 'galaxy.yml'


def test_the_user_agent_names_the_version_galaxy_yml_releases():
    version = str(yaml.safe_load(GALAXY_YML.read_text())['version'])
    assert COLLECTION_VERSION == version, 'make release sets both; set plugins/module_utils/_version.py to %s' % version
    assert USER_AGENT == 'otc_community.sfs_turbo/%s' % version
