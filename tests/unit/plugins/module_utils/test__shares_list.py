# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Listing file systems page by page, and picking them by name, through a real client."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import TokenAuth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import ApiClient
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._shares import list_shares
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import ENDPOINT, PROJECT_ID, TOKEN

DETAIL_URL = '%s/v1/%s/sfs-turbo/shares/detail' % (ENDPOINT, PROJECT_ID)


@pytest.fixture
def client(fake_clock, clean_env):
    return ApiClient('%s/v1/%s' % (ENDPOINT, PROJECT_ID), TokenAuth(TOKEN), retries=0)


def serve(requests_mock, names, count=True):
    """Answer the listing like the service does, from ``names`` (one file system each), honouring limit/offset."""
    shares = [{'id': 'id-%d' % index, 'name': name, 'status': '200'} for index, name in enumerate(names)]

    def answer(request, context):
        limit, offset = int(request.qs['limit'][0]), int(request.qs['offset'][0])
        body = {'shares': shares[offset:offset + limit]}
        if count:
            body['count'] = len(shares)
        return body
    return requests_mock.get(DETAIL_URL, json=answer)


def offsets(mock):
    return [int(request.qs['offset'][0]) for request in mock.request_history]


def test_several_pages_are_read_and_joined(client, requests_mock):
    mock = serve(requests_mock, ['a%d' % index for index in range(5)])
    found = list_shares(client, page_size=2)
    assert [share['id'] for share in found] == ['id-0', 'id-1', 'id-2', 'id-3', 'id-4']
    assert offsets(mock) == [0, 2, 4]
    assert all(request.qs['limit'] == ['2'] for request in mock.request_history)


def test_offset_reaching_count_ends_without_an_empty_page(client, requests_mock):
    mock = serve(requests_mock, ['a0', 'a1', 'a2', 'a3'])
    assert len(list_shares(client, page_size=2)) == 4
    assert offsets(mock) == [0, 2]


def test_without_count_a_short_page_ends(client, requests_mock):
    mock = serve(requests_mock, ['a0', 'a1', 'a2', 'a3'], count=False)
    assert len(list_shares(client, page_size=2)) == 4
    assert offsets(mock) == [0, 2, 4]


@pytest.mark.parametrize('names, matched', [
    (['other', 'prod-share', 'more'], ['id-1']),
    (['prod-share', 'x', 'y', 'prod-share', 'z'], ['id-0', 'id-3']),  # across pages
    (['Prod-Share', 'prod-share-2', 'prod-shar', 'my-prod-share'], []),  # case and substrings do not match
])
def test_name_matches_exactly(client, requests_mock, names, matched):
    serve(requests_mock, names)
    assert [share['id'] for share in list_shares(client, name='prod-share', page_size=2)] == matched


@pytest.mark.parametrize('body', [
    [],  # refused by the client itself
    {'count': 1},
    {'shares': {'id': 'x'}, 'count': 1},
    {'shares': ['x'], 'count': 1},
    {'shares': [], 'count': '1'},
    {'shares': [], 'count': True},
])
def test_a_malformed_answer_fails_cleanly(client, requests_mock, body):
    requests_mock.get(DETAIL_URL, json=body)
    with pytest.raises(SfsTurboError) as caught:
        list_shares(client)
    assert 'file system' in caught.value.msg
    assert caught.value.http_status == 200


def test_a_server_that_never_ends_is_bounded(client, requests_mock):
    pages = []

    def endless(request, context):
        pages.append(1)
        return {'shares': [{'id': 'fs-%d-%d' % (len(pages), index), 'name': 'n'} for index in range(2)], 'count': 10 ** 9}
    mock = requests_mock.get(DETAIL_URL, json=endless)
    with pytest.raises(SfsTurboError) as caught:
        list_shares(client, page_size=2, max_pages=7)
    assert 'did not end after 7 pages' in caught.value.msg
    assert mock.call_count == 7


def test_a_page_shorter_than_asked_is_no_end_while_count_says_more_follow(client, requests_mock):
    # A server may cap limit below what was asked: the file system on the last page must still be found.
    shares = [{'id': 'id-%d' % index, 'name': 'team-data' if index == 60 else 'other'} for index in range(61)]

    def capped(request, context):
        offset = int(request.qs['offset'][0])
        return {'shares': shares[offset:offset + 50], 'count': len(shares)}
    mock = requests_mock.get(DETAIL_URL, json=capped)
    assert [share['id'] for share in list_shares(client, name='team-data', page_size=100)] == ['id-60']
    assert offsets(mock) == [0, 50]


def test_a_server_that_ignores_offset_fails_instead_of_listing_a_file_system_twice(client, requests_mock):
    shares = [{'id': 'id-%d' % index, 'name': 'team-data' if index == 99 else 'other'} for index in range(100)]
    requests_mock.get(DETAIL_URL, json={'shares': shares, 'count': 150})
    with pytest.raises(SfsTurboError) as caught:
        list_shares(client, name='team-data', page_size=100)
    assert 'listing is not' in caught.value.msg
