# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's LDAP configuration API (Huawei): each change answers a jobId whose job the jobs API reports, over real HTTP."""

from __future__ import annotations

import json
import re
import time

import pytest

from ansible_collections.otc_community.sfs_turbo.tests.unit.roles.emulator.emulator_client import emulator, exchange, running as emulator_running

LDAP = {'url': 'ldap://192.168.0.10:389', 'base_dn': 'dc=example,dc=com', 'user_dn': 'cn=admin,dc=example,dc=com', 'password': 'secret-pw'}


def running(ldap_run=None):
    return emulator_running({'shares': {'fs1': {}, 'fs2': {}}, 'operations': {'ldap': ldap_run or {'running': 0.3}}})


def call(server, method, path, body=None):
    """``(status, parsed body)`` of one API call."""
    status, dummy, raw = exchange(server, method, path, body)
    return status, json.loads(raw or b'null')


def ldap(server, method='GET', body=None, share_id='fs1'):
    return call(server, method, 'shares/%s/fs/ldap' % share_id, body)


def job(server, job_id):
    return call(server, 'GET', 'jobs/%s' % job_id)[1]


def test_a_bind_answers_a_job_id_whose_job_runs_then_succeeds_and_the_configuration_shows():
    with running() as srv:
        assert ldap(srv) == (404, {'errCode': 'SFS.TURBO.0001', 'errMsg': 'LDAP configuration not found'})
        status, body = ldap(srv, 'POST', LDAP)
        assert status == 200 and list(body) == ['jobId'] and re.fullmatch('[0-9a-f]{32}', body['jobId'])
        first = job(srv, body['jobId'])
        assert (first['job_id'], first['job_type'], first['status']) == (body['jobId'], 'bind_ldap', 'running')
        assert ldap(srv)[0] == 404, 'not in force before its job succeeded'
        time.sleep(0.4)
        assert job(srv, body['jobId'])['status'] == 'success'
        shown = dict(LDAP, schema='RFC2307', search_timeout=3)
        del shown['password']
        assert ldap(srv) == (200, shown)
        assert ldap(srv, share_id='fs2')[0] == 404, 'the other file system has none'


def test_an_update_merges_and_an_unbind_removes_each_with_its_own_job():
    with running({'running': 0.1}) as srv:
        ldap(srv, 'POST', LDAP)
        time.sleep(0.2)
        update = ldap(srv, 'PUT', {'schema': 'MS-AD-BIS'})[1]['jobId']
        time.sleep(0.2)
        assert job(srv, update)['job_type'] == 'update_ldap'
        assert ldap(srv)[1]['schema'] == 'MS-AD-BIS' and ldap(srv)[1]['base_dn'] == LDAP['base_dn']
        unbind = ldap(srv, 'DELETE')[1]['jobId']
        time.sleep(0.2)
        assert (job(srv, unbind)['job_type'], job(srv, unbind)['status']) == ('unbind_ldap', 'success')
        assert ldap(srv)[0] == 404


def test_a_failed_job_leaves_the_configuration_as_it_was():
    with running({'running': 0.1, 'result': 'failed', 'error_code': 'SFS.TURBO.0120', 'fail_reason': 'ldap unreachable'}) as srv:
        job_id = ldap(srv, 'POST', LDAP)[1]['jobId']
        time.sleep(0.2)
        assert (job(srv, job_id)['status'], job(srv, job_id)['error_code']) == ('failed', 'SFS.TURBO.0120')
        assert ldap(srv)[0] == 404


def test_a_change_while_one_runs_is_refused():
    with running({'running': 5}) as srv:
        assert ldap(srv, 'POST', LDAP)[0] == 200
        assert ldap(srv, 'POST', LDAP) == (400, {'errCode': 'SFS.TURBO.0011', 'errMsg': 'Cluster is doing something'})
        assert ldap(srv, 'POST', LDAP, share_id='fs2')[0] == 200, 'another file system is not busy'


@pytest.mark.parametrize('method, body, expected', [
    ('POST', {'url': 'ldap://x'}, (400, 'SFS.TURBO.0001', 'base_dn')),
    ('POST', {'base_dn': 'dc=x'}, (400, 'SFS.TURBO.0001', 'url')),
    ('POST', {'url': '', 'base_dn': 'dc=x'}, (400, 'SFS.TURBO.0001', 'url')),
    ('POST', ['url'], (400, 'SFS.TURBO.0001', 'parameter error')),
    ('PUT', {'schema': 'RFC2307'}, (404, 'SFS.TURBO.0001', 'LDAP configuration not found')),
    ('DELETE', None, (404, 'SFS.TURBO.0001', 'LDAP configuration not found')),
])
def test_bad_bodies_and_changes_without_a_configuration_are_refused(method, body, expected):
    with running() as srv:
        status, answer = ldap(srv, method, body)
        assert (status, answer['errCode']) == expected[:2] and expected[2] in answer['errMsg']


@pytest.mark.parametrize('method', ['GET', 'POST', 'PUT', 'DELETE'])
def test_an_unknown_file_system_is_cluster_not_found(method):
    with running() as srv:
        assert ldap(srv, method, LDAP, share_id='no-such') == (404, {'errCode': 'SFS.TURBO.0002', 'errMsg': 'Cluster not found'})


@pytest.mark.parametrize('operations, message', [
    ({'ldap': {'result': 'gone'}}, 'operations.ldap: result must be one of success, failed'),
    ({'ldap': {'lag': 1}}, 'unknown keys lag'),
    ({'ldap': {'running': -1}}, 'running must be a number >= 0'),
])
def test_the_ldap_run_is_checked(operations, message):
    with pytest.raises(emulator.ScenarioError) as exc:
        emulator.normalize_scenario({'operations': operations})
    assert message in str(exc.value)
