# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Where a URL leads (as urllib3 connects), and quoting user input without its user info."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._urls import (
    UrlError,
    connect_origin,
    quote_user_input,
    url_for_message,
    userinfo_secret,
)


@pytest.mark.parametrize('url, origin', [
    ('https://sfs-turbo.example.test/v1/p', ('https', 'sfs-turbo.example.test', 443)),
    ('HTTP://Sfs-Turbo.Example.Test:8080', ('http', 'sfs-turbo.example.test', 8080)),
    ('https://[::1]:8443/x', ('https', '::1', 8443)),
])
def test_the_origin_is_what_urllib3_connects_to(url, origin):
    assert connect_origin(url) == origin


@pytest.mark.parametrize('url', [
    'http://127.0.0.1:1\\@127.0.0.1:2/x',  # urllib3: host 127.0.0.1:1; urllib.parse: 127.0.0.1:2
    'http://evil.test\\@good.test/',
    'http://user:pw@good.test/',
    'http://[::1/x',
    'http://good.test:99999/',
    'ftp://good.test/',
    'http://good.test/\nx',
    '//good.test/x',
])
def test_urls_the_parsers_read_differently_or_cannot_read_are_refused(url):
    with pytest.raises(UrlError):
        connect_origin(url)


@pytest.mark.parametrize('text, shown', [
    ('user:s3cret-pass@host.test', "'***@host.test'"),
    ('https://user:s3cret-pass@host.test/v1', "'https://***@host.test/v1'"),
    ('https://host.test/a@b', "'https://host.test/a@b'"),
])
def test_user_input_is_quoted_without_its_user_info(text, shown):
    assert quote_user_input(text) == shown


def test_the_userinfo_password_is_a_secret():
    assert userinfo_secret('user:s3cret-pass@host.test') == 's3cret-pass'
    assert userinfo_secret('https://tok-only@host.test/') == 'tok-only'
    assert userinfo_secret('https://host.test/') is None


def test_a_url_for_a_message_keeps_scheme_host_port_and_path_only():
    assert url_for_message('https://host.test/v1/p/jobs/x') == 'https://host.test:443/v1/p/jobs/x'
