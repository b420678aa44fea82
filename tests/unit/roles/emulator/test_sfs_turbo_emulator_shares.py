# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's file-system API: the calls a runbook makes, answered as OTC documents them, and states moving over time."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest

from ansible_collections.otc_community.sfs_turbo.tests.unit.roles.emulator.emulator_client import emulator, exchange


def serve(scenario=None):
    server, dummy = emulator.serve_in_thread(port=0, scenario=scenario)
    return server


@pytest.fixture
def server():
    srv = serve()
    yield srv
    srv.shutdown()
    srv.server_close()


def call(server, method, path, body=None):
    """``(status, headers, parsed body or raw bytes)`` of one API call with the emulator's token."""
    status, headers, raw = exchange(server, method, path, body)
    return status, headers, (json.loads(raw) if raw else raw)


# What a create body must carry (the API reference's required fields).
CREATE = {'size': 500, 'security_group_id': 'sg-1', 'vpc_id': 'vpc-1', 'subnet_id': 'subnet-1', 'availability_zone': 'eu-de-01'}


def share(server, share_id):
    return call(server, 'GET', 'shares/%s' % share_id)


def test_a_never_modified_file_system_has_no_sub_status(server):
    status, dummy, body = share(server, 'share-available')
    assert status == 200
    assert (body['id'], body['status'], body['size'], body['security_group_id']) == ('share-available', '200', '500.00', 'sg-emulator-default')
    assert 'sub_status' not in body and 'action_progress' not in body


def test_an_unknown_file_system_is_404_cluster_not_found(server):
    assert share(server, 'no-such-share')[0::2] == (404, {'errCode': 'SFS.TURBO.0002', 'errMsg': 'Cluster not found'})


def test_create_through_the_api_answers_202_and_the_file_system_becomes_available():
    srv = serve({'operations': {'create': {'running': 1}}})
    try:
        status, dummy, created = call(srv, 'POST', 'shares', {'share': dict(CREATE, name='sfs-turbo-test', share_proto='NFS')})
        assert status == 202 and set(created) == {'id', 'name', 'status'}
        assert (created['name'], created['status']) == ('sfs-turbo-test', '100')
        body = share(srv, created['id'])[2]
        assert body['status'] == '100' and body['action_progress']['CREATING'].endswith('%')
        time.sleep(1.1)
        body = share(srv, created['id'])[2]
        assert body['status'] == '200' and 'action_progress' not in body
    finally:
        srv.shutdown()
        srv.server_close()


def test_expand_answers_202_shows_the_race_then_121_then_221_with_the_new_size():
    srv = serve({'shares': {'fs1': {'sub_status': '221'}}, 'operations': {'expand': {'lag': 0.5, 'running': 0.5}}})
    try:
        status, dummy, body = call(srv, 'POST', 'shares/fs1/action', {'extend': {'new_size': 1000}})
        assert (status, body) == (202, {'id': 'fs1', 'name': 'sfs-turbo-fs1'})
        assert share(srv, 'fs1')[2]['sub_status'] == '221', 'the earlier expansion still shows'
        time.sleep(0.6)
        assert (share(srv, 'fs1')[2]['sub_status'], share(srv, 'fs1')[2]['size']) == ('121', '500.00')
        time.sleep(0.5)
        assert (share(srv, 'fs1')[2]['sub_status'], share(srv, 'fs1')[2]['size']) == ('221', '1000.00')
    finally:
        srv.shutdown()
        srv.server_close()


def test_change_security_group_answers_202_with_the_id_and_moves_to_232():
    srv = serve({'shares': {'fs1': {}}, 'operations': {'change_security_group': {'lag': 0, 'running': 0.3}}})
    try:
        assert call(srv, 'POST', 'shares/fs1/action', {'change_security_group': {'security_group_id': 'sg-2'}})[0::2] == (202, {'id': 'fs1'})
        assert share(srv, 'fs1')[2]['sub_status'] == '132'
        time.sleep(0.4)
        body = share(srv, 'fs1')[2]
        assert (body['sub_status'], body['security_group_id']) == ('232', 'sg-2')
    finally:
        srv.shutdown()
        srv.server_close()


def test_delete_answers_202_without_a_body_and_the_file_system_goes():
    srv = serve({'shares': {'fs1': {}}, 'operations': {'delete': {'running': 0.3}}})
    try:
        status, headers, body = call(srv, 'DELETE', 'shares/fs1')
        assert (status, body, headers['Content-Length']) == (202, b'', '0')
        assert share(srv, 'fs1')[0] == 200
        time.sleep(0.4)
        assert share(srv, 'fs1')[0] == 404
        assert call(srv, 'DELETE', 'shares/fs1')[0] == 404
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.mark.parametrize('share_id, status, sub_status', [
    ('share-create-failed', '303', None), ('share-create-error', '300', None), ('share-frozen', '800', None),
    ('share-expand-failed', '200', '321'), ('share-sg-failed', '200', '332'),
])
def test_the_built_in_failures(server, share_id, status, sub_status):
    share(server, share_id)  # starts its clock
    time.sleep(1.05)
    body = share(server, share_id)[2]
    assert (body['status'], body.get('sub_status')) == (status, sub_status)


def test_a_running_operation_refuses_another_and_bad_bodies_are_400(server):
    call(server, 'POST', 'shares/share-available/action', {'extend': {'new_size': 1000}})
    assert call(server, 'POST', 'shares/share-available/action', {'extend': {'new_size': 2000}})[0::2] == (
        400, {'errCode': 'SFS.TURBO.0011', 'errMsg': 'Cluster is doing something'})
    assert call(server, 'POST', 'shares/share-expanded-earlier/action', {'extend': {'new_size': 100}})[2]['errCode'] == 'SFS.TURBO.0008'
    assert call(server, 'POST', 'shares/share-expanded-earlier/action', {'shrink': {}})[0::2] == (
        400, {'errCode': 'SFS.TURBO.0001', 'errMsg': 'parameter error'})
    assert call(server, 'POST', 'shares', {'share': {'size': 500}})[2]['errCode'] == 'SFS.TURBO.0003'
    assert call(server, 'PUT', 'shares/share-available')[0] == 405
    assert call(server, 'POST', 'shares/no-such/action', {'extend': {'new_size': 1000}})[0] == 404


def test_scripted_faults_on_a_file_system(server):
    assert share(server, 'share-flaky-503')[0] == 503
    assert share(server, 'share-flaky-503')[0] == 200


def test_reset_forgets_created_file_systems_and_restarts_scripted_ones():
    srv = serve()
    try:
        created = call(srv, 'POST', 'shares', {'share': dict(CREATE, name='sfs-turbo-x')})[2]['id']
        assert created in json.loads(urllib.request.urlopen(srv.url + '/_emulator/shares', timeout=10).read())
        urllib.request.urlopen(urllib.request.Request(srv.url + '/_emulator/reset', data=b'', method='POST'), timeout=10).read()
        assert share(srv, created)[0] == 404
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.mark.parametrize('scenario, message', [
    ({'shares': {'a/b': {}}}, 'ids use letters'),
    ({'shares': {'fs': {'status': 200}}}, 'status must be a string of digits'),
    ({'shares': {'fs': {'sizee': 5}}}, 'unknown keys sizee'),
    ({'shares': {'fs': {'operation': {'type': 'resize'}}}}, 'operation.type must be one of'),
    ({'shares': {'fs': {'operation': {'type': 'expand', 'result': 'frozen'}}}}, 'result must be one of success, failed'),
    ({'shares': {'fs': {'operation': {'type': 'expand', 'new_size': 100}}}}, 'new_size must be larger than size'),
    ({'shares': {'fs': {'operation': {'type': 'create', 'security_group_id': 'x'}}}}, 'applies to type change_security_group only'),
    ({'operations': {'rename': {}}}, 'unknown keys rename'),
    ({'operations': {'delete': {'result': 'success'}}}, 'result must be one of gone, deleted'),
    ({'share': {}}, 'unknown keys share'),
])
def test_scenario_validation_is_strict(scenario, message):
    with pytest.raises(emulator.ScenarioError) as exc:
        emulator.normalize_scenario(scenario)
    assert message in str(exc.value)
