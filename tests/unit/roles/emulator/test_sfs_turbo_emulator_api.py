# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's listing, its checks of a create body, and lost answers (faults by method, ``acted``), over real HTTP."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from ansible_collections.otc_community.sfs_turbo.tests.unit.roles.emulator.emulator_client import emulator, exchange, running

CREATE = {'size': 500, 'security_group_id': 'sg-1', 'vpc_id': 'vpc-1', 'subnet_id': 'subnet-1', 'availability_zone': 'eu-de-01'}


def call(server, method, path, body=None):
    """``(status, parsed body or raw bytes)`` of one API call; status None when the connection dropped."""
    status, dummy, raw = exchange(server, method, path, body)
    return status, (json.loads(raw) if raw else raw)


def create(server, name, **fields):
    return call(server, 'POST', 'shares', {'share': dict(CREATE, name=name, **fields)})


def listing(server, query=''):
    return call(server, 'GET', 'shares/detail' + query)


def log(server):
    with urllib.request.urlopen(server.url + '/_emulator/log', timeout=10) as response:
        return json.loads(response.read())


# --------------------------------------------------------------------------- listing


def test_the_listing_pages_in_creation_order_and_counts_all_file_systems():
    with running({'shares': {'fs-b': {}, 'fs-a': {}}}) as srv:
        created = [create(srv, 'sfs-one')[1]['id'], create(srv, 'sfs-two')[1]['id']]
        order = ['fs-b', 'fs-a'] + created
        status, body = listing(srv)
        assert status == 200 and set(body) == {'shares', 'count'}
        assert [item['id'] for item in body['shares']] == order and body['count'] == 4
        assert [item['id'] for item in listing(srv, '?limit=2&offset=1')[1]['shares']] == order[1:3]
        assert listing(srv, '?limit=2&offset=3')[1] == {'shares': [listing(srv)[1]['shares'][3]], 'count': 4}
        assert listing(srv, '?offset=4')[1] == {'shares': [], 'count': 4}


def test_the_listing_shows_each_file_system_as_its_own_get_does():
    with running({'shares': {'fs-a': {'sub_status': '221', 'extra': {'new_field': 1}}}}) as srv:
        assert listing(srv)[1]['shares'] == [call(srv, 'GET', 'shares/fs-a')[1]]


def test_detail_is_the_listing_not_a_file_system_id():
    with running({'shares': {'detail': {}}}) as srv:
        status, body = listing(srv)
        assert status == 200 and [item['id'] for item in body['shares']] == ['detail']


def test_a_deleted_file_system_leaves_the_listing():
    with running({'shares': {'fs-a': {}, 'fs-b': {}}, 'operations': {'delete': {'running': 0.2}}}) as srv:
        assert call(srv, 'DELETE', 'shares/fs-a')[0] == 202
        time.sleep(0.3)
        assert listing(srv)[1] == {'shares': [call(srv, 'GET', 'shares/fs-b')[1]], 'count': 1}


def test_a_taken_name_is_refused_with_409_as_the_api_does():
    with running({'shares': {}}) as srv:
        first, second = create(srv, 'sfs-twin'), create(srv, 'sfs-twin')
        assert first[0] == 202
        assert second == (409, {'errCode': 'SFS.TURBO.0009', 'errMsg': 'Name has existed'})
        assert [item['name'] for item in listing(srv)[1]['shares']] == ['sfs-twin']


def test_a_scenario_may_give_two_file_systems_one_name_and_a_deleted_ones_name_is_free():
    with running({'shares': {'fs-a': {'name': 'sfs-twin'}, 'fs-b': {'name': 'sfs-twin'}},
                  'operations': {'delete': {'running': 0.2}}}) as srv:
        assert [item['id'] for item in listing(srv)[1]['shares']] == ['fs-a', 'fs-b']
        assert call(srv, 'DELETE', 'shares/fs-a')[0] == call(srv, 'DELETE', 'shares/fs-b')[0] == 202
        time.sleep(0.3)
        assert create(srv, 'sfs-twin')[0] == 202


@pytest.mark.parametrize('query', ['?limit=0', '?limit=201', '?limit=-1', '?limit=abc', '?limit=1.5', '?limit=', '?offset=-1',
                                   '?offset=x', '?limit=%2B5'])
def test_a_bad_limit_or_offset_is_a_parameter_error(query):
    with running({'shares': {}}) as srv:
        assert listing(srv, query) == (400, {'errCode': 'SFS.TURBO.0001', 'errMsg': 'parameter error'})


def test_the_default_and_largest_page_is_200():
    with running({'shares': {'fs%03d' % index: {} for index in range(201)}}) as srv:
        assert len(listing(srv)[1]['shares']) == 200 and listing(srv)[1]['count'] == 201
        assert len(listing(srv, '?limit=200&offset=200')[1]['shares']) == 1


# --------------------------------------------------------------------------- create


@pytest.mark.parametrize('change, code, msg', [
    ({'name': 'abc'}, 'SFS.TURBO.0003', 'Invalid name'),
    ({'name': '1abc'}, 'SFS.TURBO.0003', 'Invalid name'),
    ({'name': 'ab.cd'}, 'SFS.TURBO.0003', 'Invalid name'),
    ({'name': 'a' * 65}, 'SFS.TURBO.0003', 'Invalid name'),
    ({'size': 0}, 'SFS.TURBO.0008', 'Invalid size'),
    ({'size': '500'}, 'SFS.TURBO.0008', 'Invalid size'),
    ({'security_group_id': None}, 'SFS.TURBO.0027', 'Invalid security group'),
    ({'vpc_id': None}, 'SFS.TURBO.0001', 'vpc_id'),
    ({'subnet_id': ''}, 'SFS.TURBO.0001', 'subnet_id'),
    ({'availability_zone': 5}, 'SFS.TURBO.0001', 'availability_zone'),
    ({'share_type': ''}, 'SFS.TURBO.0001', 'share_type'),
    ({'share_proto': 1}, 'SFS.TURBO.0001', 'share_proto'),
    ({'enterprise_project_id': ''}, 'SFS.TURBO.0001', 'enterprise_project_id'),
    ({'description': 3}, 'SFS.TURBO.0001', 'description'),
    ({'metadata': {'expand_type': 1}}, 'SFS.TURBO.0001', 'metadata'),
    ({'metadata': ['crypt_key_id']}, 'SFS.TURBO.0001', 'metadata'),
])
def test_a_create_body_is_checked_and_nothing_is_created(change, code, msg):
    body = dict(CREATE, name='sfs-turbo-ok')
    body.update(change)
    body = {key: value for key, value in body.items() if value is not None}
    with running({'shares': {}}) as srv:
        status, answer = call(srv, 'POST', 'shares', {'share': body})
        assert (status, answer['errCode']) == (400, code) and msg in answer['errMsg']
        assert listing(srv)[1]['count'] == 0


def test_the_created_file_system_shows_what_the_body_gave_but_not_the_metadata():
    with running({'shares': {}}) as srv:
        share_id = create(srv, 'Sfs_turbo-1', share_type='HPC_NEW_TYPE', enterprise_project_id='ep-1', description='',
                          metadata={'crypt_key_id': 'key-1'})[1]['id']
        body = call(srv, 'GET', 'shares/%s' % share_id)[1]
        given = dict(CREATE, name='Sfs_turbo-1', share_type='HPC_NEW_TYPE', enterprise_project_id='ep-1', description='', share_proto='NFS')
        del given['size']
        assert {key: body[key] for key in given} == given and body['size'] == '500.00'
        assert body['az_name'] == 'eu-de-01' and 'metadata' not in body and 'key-1' not in json.dumps(body)


def test_a_create_without_the_optional_fields_gets_the_defaults():
    with running({'shares': {}}) as srv:
        body = call(srv, 'GET', 'shares/%s' % create(srv, 'sfs-plain')[1]['id'])[1]
        assert (body['share_proto'], body['share_type'], body['vpc_id']) == ('NFS', 'STANDARD', 'vpc-1')
        assert 'enterprise_project_id' not in body and 'description' not in body


# --------------------------------------------------------------------------- lost answers


def test_an_acted_drop_creates_the_file_system_and_loses_the_answer():
    with running({'shares': {}, 'faults': [{'type': 'drop', 'method': 'POST', 'acted': True}]}) as srv:
        assert create(srv, 'sfs-lost') == (None, None)
        assert [item['name'] for item in listing(srv)[1]['shares']] == ['sfs-lost']
        entry = log(srv)[0]
        assert (entry['method'], entry['status'], entry['fault'], entry['acted'], entry['acted_status']) == ('POST', None, 'drop', True, 202)
        assert create(srv, 'sfs-again')[0] == 202, 'times 1: the next create is answered'
        assert log(srv)[-2]['acted'] is False


def test_an_acted_http_error_creates_a_file_system_an_unacted_one_does_not():
    faults = [{'type': 'http_error', 'status': 504, 'method': 'POST', 'acted': True},
              {'type': 'http_error', 'status': 500, 'method': 'POST', 'after': 1}]
    with running({'shares': {}, 'faults': faults}) as srv:
        assert create(srv, 'sfs-first')[0] == 504
        assert create(srv, 'sfs-second')[0] == 500
        assert [item['name'] for item in listing(srv)[1]['shares']] == ['sfs-first']
        assert [entry['acted'] for entry in log(srv) if entry['method'] == 'POST'] == [True, False]


def test_an_acted_slow_fault_answers_late_with_the_real_answer():
    with running({'shares': {}, 'faults': [{'type': 'slow', 'seconds': 0.3, 'method': 'POST', 'acted': True}]}) as srv:
        started = time.monotonic()
        status, body = create(srv, 'sfs-slow')
        assert status == 202 and time.monotonic() - started >= 0.3
        assert listing(srv)[1]['shares'][0]['id'] == body['id']
        assert log(srv)[0]['acted'] is True


def test_a_fault_with_a_method_lets_other_methods_through_and_after_counts_only_its_method():
    with running({'shares': {}, 'faults': [{'type': 'http_error', 'status': 503, 'method': 'POST', 'after': 1}]}) as srv:
        assert listing(srv)[0] == listing(srv)[0] == 200
        assert create(srv, 'sfs-one')[0] == 202
        assert create(srv, 'sfs-two')[0] == 503


def test_an_acted_drop_on_a_delete_starts_it():
    scenario = {'shares': {'fs-a': {'faults': [{'type': 'drop', 'method': 'DELETE', 'acted': True}]}}, 'operations': {'delete': {'running': 0.2}}}
    with running(scenario) as srv:
        assert call(srv, 'GET', 'shares/fs-a')[0] == 200, 'a GET is not hit'
        assert call(srv, 'DELETE', 'shares/fs-a') == (None, None)
        time.sleep(0.3)
        assert call(srv, 'GET', 'shares/fs-a')[0] == 404


@pytest.mark.parametrize('fault, message', [
    ({'type': 'drop', 'method': 'post'}, 'method must be one of GET'),
    ({'type': 'drop', 'method': ['POST']}, 'method must be one of GET'),
    ({'type': 'drop', 'acted': 'yes'}, 'acted must be true or false'),
    ({'type': 'drop', 'acted': 1}, 'acted must be true or false'),
])
def test_the_new_fault_keys_are_checked(fault, message):
    with pytest.raises(emulator.ScenarioError) as exc:
        emulator.normalize_scenario({'faults': [fault]})
    assert message in str(exc.value)
