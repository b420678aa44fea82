# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The contract tests' emulator (one per run, in a thread, on 127.0.0.1) and Huawei Cloud SDK client."""

from __future__ import annotations

import importlib.util
import os
import sys

import pytest

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdksfsturbo.v1 import SFSTurboClient

SCRIPT = os.path.join(os.path.dirname(__file__), '..', '..', 'roles', 'emulator', 'files', 'sfs_turbo_emulator.py')


def _load():
    spec = importlib.util.spec_from_file_location('sfs_turbo_emulator_contract', SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


emulator = _load()


@pytest.fixture(scope='session')
def server():
    srv, dummy = emulator.serve_in_thread(port=0)
    yield srv
    srv.shutdown()
    srv.server_close()


def sdk_client(server, secret_key=emulator.DEFAULT_SECRET_KEY):
    config = HttpConfig.get_default_config()
    config.timeout = (5, 10)
    credentials = BasicCredentials(emulator.DEFAULT_ACCESS_KEY, secret_key, emulator.DEFAULT_PROJECT_ID)
    return SFSTurboClient.new_builder().with_http_config(config).with_credentials(credentials).with_endpoints([server.url]).build()


@pytest.fixture(scope='session')
def client(server):
    return sdk_client(server)
