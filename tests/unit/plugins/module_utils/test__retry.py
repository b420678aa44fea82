# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Backoff with jitter and Retry-After parsing."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import RETRY_AFTER_CAP, backoff_delay, parse_retry_after


@pytest.mark.parametrize('attempt, low, high', [(0, 0.5, 1), (1, 1, 2), (2, 2, 4), (3, 4, 8), (10, 15, 30)])
def test_backoff_doubles_with_jitter_up_to_the_cap(attempt, low, high):
    assert backoff_delay(attempt, rand=lambda: 0.0) == low
    assert backoff_delay(attempt, rand=lambda: 1.0) == high


def test_backoff_jitter_spreads_clients_apart():
    assert len({round(backoff_delay(3), 6) for dummy in range(20)}) > 1


@pytest.mark.parametrize('value, expected', [('2', 2.0), ('0', 0.0), (' 1.5 ', 1.5), ('-3', 0.0), ('100000', RETRY_AFTER_CAP),
                                             ('soon', None), ('', None), (None, None), ('nan', None)])
def test_retry_after_seconds(value, expected):
    assert parse_retry_after(value) == expected


def test_retry_after_http_date():
    # 1994-11-06 08:49:37 UTC, seen 10 s earlier
    assert parse_retry_after('Sun, 06 Nov 1994 08:49:37 GMT', now=lambda: 784111767.0) == 10.0
