# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checking the connection options, before any request."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import select_auth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import (
    check_identifier,
    connection_argument_spec,
    resolve_api_base,
)

PROJECT = '0123456789abcdef0123456789abcdef'


@pytest.mark.parametrize('value', ['26f6b565-0b4e-4cd4-8d6e-03f0bd975433', '72362d0a0a04d419dbd5e6d9fe5a0b1c', 'a', 'job_1', 'x' * 64])
def test_valid_identifiers_pass(value):
    assert check_identifier('job_id', value) == value


@pytest.mark.parametrize('value', ['', 'x' * 65, '../../v2/other', 'a/b', 'a?b=c', 'a b', 'a%2Fb', 'a.b', 'jöb', 'a\nb'])
def test_identifiers_that_could_change_the_path_are_refused(value):
    with pytest.raises(SfsTurboError) as exc:
        check_identifier('job_id', value)
    assert exc.value.msg.startswith('Invalid job_id ')
    assert 'letters, digits' in exc.value.msg


def test_endpoint_gets_the_version_and_project_appended():
    assert resolve_api_base({'endpoint': 'https://sfs-turbo.eu-de.otc.t-systems.com/', 'project_id': PROJECT}) == (
        'https://sfs-turbo.eu-de.otc.t-systems.com/v1/%s' % PROJECT, PROJECT)


def test_catalog_endpoint_is_used_as_is_and_names_the_project():
    assert resolve_api_base({'endpoint': 'https://sfs-turbo.eu-de.otc.t-systems.com/v1/%s' % PROJECT}) == (
        'https://sfs-turbo.eu-de.otc.t-systems.com/v1/%s' % PROJECT, PROJECT)


def test_catalog_endpoint_and_a_different_project_id_conflict():
    with pytest.raises(SfsTurboError) as exc:
        resolve_api_base({'endpoint': 'https://sfs-turbo.eu-de.otc.t-systems.com/v1/%s' % PROJECT, 'project_id': 'other'})
    assert 'give one project' in exc.value.msg


def test_region_gives_the_public_endpoint():
    assert resolve_api_base({'region': 'eu-nl', 'project_id': PROJECT})[0] == 'https://sfs-turbo.eu-nl.otc.t-systems.com/v1/%s' % PROJECT


def test_http_endpoint_with_port_is_allowed_for_test_doubles():
    assert resolve_api_base({'endpoint': 'http://127.0.0.1:8080', 'project_id': PROJECT})[0] == 'http://127.0.0.1:8080/v1/%s' % PROJECT


@pytest.mark.parametrize('params, expected', [
    ({'project_id': PROJECT}, 'No SFS Turbo endpoint: set endpoint (or SFS_TURBO_ENDPOINT), or region (or OS_REGION_NAME).'),
    ({'endpoint': 'https://sfs-turbo.example.test'}, 'No project: set project_id (or OS_PROJECT_ID)'),
    ({'endpoint': 'ftp://sfs-turbo.example.test', 'project_id': PROJECT}, 'Invalid endpoint'),
    ({'endpoint': 'sfs-turbo.example.test', 'project_id': PROJECT}, 'Invalid endpoint'),
    ({'endpoint': 'https://user:pw@sfs-turbo.example.test', 'project_id': PROJECT}, 'must not carry user info'),
    ({'endpoint': 'https://sfs-turbo.example.test?x=1', 'project_id': PROJECT}, 'must not carry user info, a query'),
    ({'endpoint': 'https://sfs-turbo.example.test:99999', 'project_id': PROJECT}, 'Invalid endpoint'),
    ({'region': 'eu-de/../x', 'project_id': PROJECT}, 'Invalid region'),
    ({'endpoint': 'https://sfs-turbo.example.test', 'project_id': '../admin'}, 'Invalid project_id'),
])
def test_bad_connection_settings_fail_with_one_clear_sentence(params, expected):
    with pytest.raises(SfsTurboError) as exc:
        resolve_api_base(params)
    assert expected in exc.value.msg
    assert 'pw' not in exc.value.msg


def test_missing_credentials_name_the_option_and_env_var():
    with pytest.raises(SfsTurboError) as exc:
        select_auth({'auth_token': None})
    assert 'auth_token' in exc.value.msg and 'OS_AUTH_TOKEN' in exc.value.msg


def test_token_with_a_line_break_is_refused_without_echoing_it():
    with pytest.raises(SfsTurboError) as exc:
        select_auth({'auth_token': 'abc\r\nX-Evil: 1'})
    assert 'abc' not in exc.value.msg


def test_secrets_are_no_log_and_everything_has_an_env_fallback_or_default():
    spec = connection_argument_spec()
    assert spec['auth_token']['no_log'] is True
    for name, option in spec.items():
        assert 'fallback' in option or 'default' in option, name


def test_an_endpoint_ending_in_the_version_gets_it_once():
    assert resolve_api_base({'endpoint': 'https://sfs-turbo.eu-de.otc.t-systems.com/v1/', 'project_id': PROJECT})[0] == (
        'https://sfs-turbo.eu-de.otc.t-systems.com/v1/%s' % PROJECT)


def test_a_catalog_placeholder_is_named_in_the_failure():
    with pytest.raises(SfsTurboError) as exc:
        resolve_api_base({'endpoint': 'https://sfs-turbo.eu-de.otc.t-systems.com/v1/$(tenant_id)s'})
    assert 'catalog placeholder' in exc.value.msg


@pytest.mark.parametrize('region', ['eu-de\n', 'EU DE'])
def test_a_region_with_a_line_break_or_space_is_refused(region):
    with pytest.raises(SfsTurboError):
        resolve_api_base({'region': region, 'project_id': PROJECT})
