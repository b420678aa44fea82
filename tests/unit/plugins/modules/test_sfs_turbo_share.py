# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_share: the real main() against a small fake of the API (list, get, create, action, delete) on a fake clock."""

from __future__ import annotations

import json
import re

import pytest
import requests

from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_share
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import ENDPOINT, PROJECT_ID, SG_NEW, SG_OLD, TOKEN

BASE = '%s/v1/%s/sfs-turbo/shares' % (ENDPOINT, PROJECT_ID)
NAME = 'team-data'
CREATE = dict(name=NAME, size=500, security_group_id=SG_OLD, vpc_id='vpc-1', subnet_id='subnet-1', availability_zone='eu-de-01')
DROPPED = requests.exceptions.ConnectionError('Connection aborted: RemoteDisconnected')
REFUSED = requests.exceptions.ConnectionError('[Errno 111] Connection refused')


class FakeApi:
    """File systems that move on the fake clock: each operation takes ``seconds`` and then succeeds."""

    def __init__(self, mock, clock, seconds=20):
        self.clock, self.seconds = clock, seconds
        self.shares = {}  # id -> dict(body, until, then)
        self.posts, self.deletes = [], []
        self.lose_next = None  # an exception to raise after acting on the next change (a lost answer)
        mock.get(re.compile(re.escape(BASE) + r'/[^/]+\Z'), json=self.get)
        mock.get(re.compile(re.escape(BASE) + r'/detail'), json=self.list)  # registered last: matched first
        mock.post(BASE, json=self.create)
        mock.post(re.compile(re.escape(BASE) + r'/[^/]+/action\Z'), json=self.action)
        mock.delete(re.compile(re.escape(BASE) + r'/[^/]+\Z'), text=self.delete)

    def add(self, share_id, name=NAME, size='500.00', status='200', sub_status=None, group=SG_OLD, **extra):
        body = dict(id=share_id, name=name, size=size, status=status, security_group_id=group, share_proto='NFS',
                    share_type='STANDARD', availability_zone='eu-de-01', vpc_id='vpc-1', subnet_id='subnet-1', **extra)
        if sub_status is not None:
            body['sub_status'] = sub_status
        self.shares[share_id] = dict(body=body, until=None, then=None)
        return body

    def _current(self, share_id):
        entry = self.shares.get(share_id)
        if entry is None:
            return None
        if entry['until'] is not None and self.clock.now >= entry['until']:
            if entry['then'] is None:
                del self.shares[share_id]
                return None
            entry['body'].update(entry['then'])
            entry['until'] = entry['then'] = None
        return entry['body']

    def _start(self, share_id, now, then):
        entry = self.shares[share_id]
        entry['body'].update(now)
        entry['until'], entry['then'] = self.clock.now + self.seconds, then

    def _lost(self):
        error, self.lose_next = self.lose_next, None
        if error is not None:
            raise error

    def list(self, request, context):
        shares = [body for body in (self._current(i) for i in list(self.shares)) if body is not None]
        return {'shares': [dict(body) for body in shares], 'count': len(shares)}

    def get(self, request, context):
        body = self._current(request.path.rsplit('/', 1)[1])
        if body is None:
            context.status_code = 404
            return {'errCode': 'SFS.TURBO.0002', 'errMsg': 'Cluster not found'}
        return dict(body)

    def create(self, request, context):
        self.posts.append(('create', request.json()))
        share = request.json()['share']
        share_id = 'fs-%d' % len(self.posts)
        self.add(share_id, name=share['name'], size='%d.00' % share['size'], status='100', group=share['security_group_id'])
        self._start(share_id, {}, {'status': '200'})
        self._lost()
        context.status_code = 202
        return {'id': share_id, 'name': share['name'], 'status': '100'}

    def action(self, request, context):
        share_id = request.path.split('/')[-2]
        self.posts.append((share_id, request.json()))
        if 'extend' in request.json():
            self._start(share_id, {'sub_status': '121'}, {'sub_status': '221', 'size': '%d.00' % request.json()['extend']['new_size']})
        else:
            self._start(share_id, {'sub_status': '132'},
                        {'sub_status': '232', 'security_group_id': request.json()['change_security_group']['security_group_id']})
        self._lost()
        context.status_code = 202
        return {'id': share_id}

    def delete(self, request, context):
        share_id = request.path.rsplit('/', 1)[1]
        self.deletes.append(share_id)
        self._start(share_id, {}, None)
        context.status_code = 202
        return ''


@pytest.fixture
def api(requests_mock, fake_clock):
    return FakeApi(requests_mock, fake_clock)


def run(run_module, **args):
    full = {'endpoint': ENDPOINT, 'project_id': PROJECT_ID, 'auth_token': TOKEN}
    full.update(args)
    return run_module(sfs_turbo_share, full)


def test_creates_a_missing_file_system_with_every_option_and_waits_until_it_is_available(run_module, api):
    rc, result, raw = run(run_module, share_type='PERFORMANCE', metadata={'crypt_key_id': 'key-1'}, description='d', **CREATE)
    assert rc == 0, result
    assert result['changed'] is True and result['operations'] == ['create']
    assert result['share_id'] == 'fs-1' and result['share']['status'] == '200'
    sent = api.posts[0][1]['share']
    assert sent == dict(CREATE, share_proto='NFS', share_type='PERFORMANCE', metadata={'crypt_key_id': 'key-1'}, description='d')
    assert 20 <= result['elapsed'] <= 20 * 1.3 + 1 and result['polls'] >= 2
    assert TOKEN not in raw


def test_a_second_run_changes_nothing_and_sends_no_post(run_module, api):
    api.add('fs-a')
    rc, result, dummy = run(run_module, **CREATE)
    assert rc == 0, result
    assert result['changed'] is False and result['operations'] == [] and api.posts == []
    assert result['share_id'] == 'fs-a'


def test_expands_then_changes_the_security_group_each_waited_for(run_module, api):
    api.add('fs-a')
    rc, result, dummy = run(run_module, name=NAME, size=1000, security_group_id=SG_NEW)
    assert rc == 0, result
    assert result['operations'] == ['expand', 'change_security_group']
    assert api.posts == [('fs-a', {'extend': {'new_size': 1000}}), ('fs-a', {'change_security_group': {'security_group_id': SG_NEW}})]
    assert result['share']['size'] == '1000.00' and result['share']['security_group_id'] == SG_NEW


def test_a_smaller_size_fails_before_any_post(run_module, api):
    api.add('fs-a', size='1000.00')
    rc, result, dummy = run(run_module, name=NAME, size=500)
    assert rc == 1 and api.posts == []
    assert 'cannot shrink' in result['msg'] and '1000 GB' in result['msg']


def test_a_create_only_option_that_differs_fails_before_any_post_naming_it(run_module, api):
    api.add('fs-a')
    rc, result, dummy = run(run_module, name=NAME, vpc_id='vpc-2', share_proto='nfs')
    assert rc == 1 and api.posts == []
    assert "vpc_id: the task has 'vpc-2', the file system 'vpc-1'" in result['msg']
    assert 'share_proto' not in result['msg'], 'letter case of the protocol does not count'


def test_two_file_systems_with_the_name_fail_listing_their_ids(run_module, api):
    api.add('fs-a')
    api.add('fs-b')
    rc, result, dummy = run(run_module, **CREATE)
    assert rc == 1 and api.posts == []
    assert 'fs-a, fs-b' in result['msg']


def test_create_needs_its_options_and_says_which(run_module, api):
    rc, result, dummy = run(run_module, name=NAME, size=500)
    assert rc == 1 and api.posts == []
    assert result['msg'] == 'To create SFS Turbo file system team-data, give security_group_id, availability_zone, vpc_id, subnet_id.'


@pytest.mark.parametrize('args, words', [
    (dict(name='9bad'), 'is not a file system name'),
    (dict(name=NAME, share_id='fs-a'), 'mutually exclusive'),
    (dict(), 'one of the following is required'),
    (dict(share_id='../x'), 'share_id'),
])
def test_bad_input_fails_before_any_request(run_module, requests_mock, args, words):
    rc, result, dummy = run(run_module, **args)
    assert rc == 1 and words in result['msg']
    assert requests_mock.call_count == 0


def test_absent_deletes_and_waits_until_gone_then_a_rerun_changes_nothing(run_module, api):
    api.add('fs-a')
    rc, result, dummy = run(run_module, name=NAME, state='absent')
    assert rc == 0, result
    assert result['changed'] is True and result['operations'] == ['delete'] and api.deletes == ['fs-a']
    assert result['share']['id'] == 'fs-a', 'the state before the delete'
    assert 'fs-a' not in api.shares
    rc, result, dummy = run(run_module, name=NAME, state='absent')
    assert rc == 0 and result['changed'] is False and api.deletes == ['fs-a']


def test_check_mode_sends_no_change_and_says_what_it_would_do(run_module, api):
    api.add('fs-a')
    rc, result, dummy = run(run_module, name=NAME, size=1000, _ansible_check_mode=True, _ansible_diff=True)
    assert rc == 0 and result['changed'] is True and result['operations'] == ['expand']
    assert api.posts == []
    assert result['diff'] == {'before': {'state': 'present', 'name': NAME, 'size': 500, 'security_group_id': SG_OLD},
                              'after': {'state': 'present', 'name': NAME, 'size': 1000, 'security_group_id': SG_OLD}}
    rc, result, dummy = run(run_module, state='absent', name=NAME, _ansible_check_mode=True)
    assert rc == 0 and result['changed'] is True and api.deletes == []


def test_a_lost_create_answer_adopts_the_file_system_that_appeared(run_module, api):
    api.lose_next = DROPPED
    rc, result, dummy = run(run_module, **CREATE)
    assert rc == 0, result
    assert len(api.posts) == 1 and len(api.shares) == 1, 'one POST, one file system'
    assert result['share_id'] == 'fs-1' and result['share']['status'] == '200'


def test_a_create_that_never_reached_the_server_is_sent_again(run_module, api, requests_mock):
    calls = []

    def refuse_once(request, context):
        if not calls:
            calls.append(1)
            raise REFUSED
        return api.create(request, context)
    requests_mock.post(BASE, json=refuse_once)
    rc, result, dummy = run(run_module, **CREATE)
    assert rc == 0, result
    assert len(api.posts) == 1 and len(api.shares) == 1


def test_a_resent_create_that_meets_its_name_taken_adopts_the_file_system(run_module, api, requests_mock):
    listings = []

    def late_listing(request, context):
        listings.append(1)
        if len(listings) == 2:  # the look-up right after the lost answer: not listed yet
            return {'shares': [], 'count': 0}
        return api.list(request, context)

    def create_or_taken(request, context):
        if api.shares:
            context.status_code = 409
            return {'errCode': 'SFS.TURBO.0009', 'errMsg': 'Name has existed'}
        return api.create(request, context)
    requests_mock.get(re.compile(re.escape(BASE) + r'/detail'), json=late_listing)
    requests_mock.post(BASE, json=create_or_taken)
    api.lose_next = DROPPED
    rc, result, dummy = run(run_module, **CREATE)
    assert rc == 0, result
    assert len(api.shares) == 1 and result['share_id'] == 'fs-1' and result['share']['status'] == '200'
    assert len(listings) == 3, 'looked up before, after the lost answer, and after the 409'


def test_a_lost_expand_answer_is_adopted_not_resent(run_module, api):
    api.add('fs-a')
    api.lose_next = requests.exceptions.ReadTimeout('read timed out')
    rc, result, dummy = run(run_module, name=NAME, size=1000)
    assert rc == 0, result
    assert len(api.posts) == 1 and result['share']['size'] == '1000.00'


def test_an_operation_running_is_waited_for_before_comparing(run_module, api, fake_clock):
    api.add('fs-a', sub_status='121')
    api._start('fs-a', {}, {'sub_status': '221', 'size': '1000.00'})
    rc, result, dummy = run(run_module, name=NAME, size=1000)
    assert rc == 0, result
    assert api.posts == [] and result['changed'] is False, 'the running expansion reached the size: nothing to send'


def test_wait_false_returns_once_accepted(run_module, api):
    rc, result, dummy = run(run_module, wait=False, **CREATE)
    assert rc == 0, result
    assert result['share']['status'] == '100' and 'elapsed' not in result


def test_a_failed_expansion_fails_the_task_naming_it(run_module, api, requests_mock):
    api.add('fs-a')

    def expand_fails(request, context):
        answer = api.action(request, context)
        api.shares['fs-a']['then'] = {'sub_status': '321'}
        return answer
    requests_mock.post(re.compile(re.escape(BASE) + r'/[^/]+/action\Z'), json=expand_fails)
    rc, result, dummy = run(run_module, name=NAME, size=1000)
    assert rc == 1 and result['changed'] is True and result['operations'] == ['expand']
    assert result['msg'].startswith("SFS Turbo file system fs-a: expand failed, sub_status '321' (expansion failed)")
    assert result['timed_out'] is False


def test_diff_after_a_real_change_shows_the_new_state(run_module, api):
    api.add('fs-a')
    rc, result, dummy = run(run_module, name=NAME, security_group_id=SG_NEW, _ansible_diff=True)
    assert rc == 0, result
    assert result['diff']['before']['security_group_id'] == SG_OLD
    assert result['diff']['after']['security_group_id'] == SG_NEW
    assert json.dumps(result).count(TOKEN) == 0


def test_progress_records_follow_each_operation(run_module, api, tmp_path, monkeypatch):
    from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import PROGRESS_FILE_ENV
    path = tmp_path / 'progress.jsonl'
    path.write_text('')
    monkeypatch.setenv(PROGRESS_FILE_ENV, str(path))
    api.add('fs-a')
    rc, result, dummy = run(run_module, name=NAME, size=1000, security_group_id=SG_NEW)
    assert rc == 0, result
    states = [json.loads(line).get('state') for line in path.read_text().splitlines()]
    assert any('expanding (sub_status 121)' in (state or '') for state in states), states
    assert any('changing the security group (sub_status 132)' in (state or '') for state in states), states


# --- what a fresh-eyes review found (each test failed before its fix) ---------------------------------------

def test_a_file_system_in_status_400_is_gone_for_present_and_absent(run_module, api):
    api.add('fs-a', status='400')
    rc, result, dummy = run(run_module, name=NAME, state='absent')
    assert rc == 0 and result['changed'] is False and api.deletes == []
    rc, result, dummy = run(run_module, **CREATE)
    assert rc == 0 and result['operations'] == ['create'] and len(api.posts) == 1


@pytest.mark.parametrize('status, words', [('303', 'creation failed'), ('300', 'failed'), ('800', 'frozen')])
def test_a_failed_or_frozen_file_system_fails_present_before_any_post(run_module, api, status, words):
    api.add('fs-a', status=status)
    rc, result, dummy = run(run_module, name=NAME, size=1000)
    assert rc == 1 and api.posts == [] and result['changed'] is False
    assert "status '%s' (%s)" % (status, words) in result['msg']


def test_a_refused_post_started_nothing(run_module, api, requests_mock):
    requests_mock.post(BASE, status_code=400, json={'errCode': 'SFS.TURBO.0001', 'errMsg': 'Invalid parameter'})
    rc, result, dummy = run(run_module, **CREATE)
    assert rc == 1 and result['changed'] is False and result['operations'] == []
    assert result['errCode'] == 'SFS.TURBO.0001'


def test_a_name_taken_by_a_file_system_this_task_did_not_create_is_compared_not_adopted(run_module, api, requests_mock):
    api.add('fs-x')
    api.shares['fs-x']['body']['vpc_id'] = 'vpc-other'
    listings = []

    def first_misses(request, context):  # the look-up before the create does not see it yet
        listings.append(1)
        return {'shares': [], 'count': 0} if len(listings) == 1 else api.list(request, context)
    requests_mock.get(re.compile(re.escape(BASE) + r'/detail'), json=first_misses)
    requests_mock.post(BASE, status_code=409, json={'errCode': 'SFS.TURBO.0009', 'errMsg': 'Name has existed'})
    rc, result, dummy = run(run_module, **CREATE)
    assert rc == 1 and result['operations'] == [] and result['changed'] is False
    assert "vpc_id: the task has 'vpc-1', the file system 'vpc-other'" in result['msg']


def test_a_lost_delete_answer_is_not_a_failure_when_the_file_system_is_busy_being_deleted(run_module, api, requests_mock):
    api.add('fs-a')
    deletes = []

    def delete(request, context):
        deletes.append(1)
        if len(deletes) == 1:
            api.delete(request, context)
            context.status_code = 502
            return '{"error_code": "APIG.0202", "error_msg": "Backend unavailable"}'
        context.status_code = 400
        return '{"errCode": "SFS.TURBO.0011", "errMsg": "Cluster is doing something"}'
    requests_mock.delete(re.compile(re.escape(BASE) + r'/[^/]+\Z'), text=delete)
    rc, result, dummy = run(run_module, name=NAME, state='absent')
    assert rc == 0, result
    assert result['operations'] == ['delete'] and len(deletes) == 2 and 'fs-a' not in api.shares


def test_a_lost_expand_answer_that_shows_nothing_yet_is_adopted_when_the_resend_finds_it_busy(run_module, api, requests_mock):
    api.add('fs-a')
    actions = []

    def expand(request, context):
        actions.append(1)
        if len(actions) == 1:
            # accepted, but for a while nothing shows (the emulator's lag), and the answer is lost
            api.shares['fs-a']['until'], api.shares['fs-a']['then'] = api.clock.now + 20, {'sub_status': '221', 'size': '1000.00'}
            context.status_code = 502
            return {'error_code': 'APIG.0202', 'error_msg': 'Backend unavailable'}
        context.status_code = 400
        return {'errCode': 'SFS.TURBO.0011', 'errMsg': 'Cluster is doing something'}
    requests_mock.post(re.compile(re.escape(BASE) + r'/[^/]+/action\Z'), json=expand)
    rc, result, dummy = run(run_module, name=NAME, size=1000)
    assert rc == 0, result
    assert len(actions) == 2 and result['operations'] == ['expand'] and result['share']['size'] == '1000.00'


def test_running_out_of_time_resending_a_create_is_a_timeout(run_module, api, requests_mock):
    requests_mock.post(BASE, status_code=503, json={'error_code': 'APIG.0201', 'error_msg': 'Backend unavailable'})
    rc, result, dummy = run(run_module, timeout=60, retries=100, **CREATE)
    assert rc == 1 and result['timed_out'] is True
    assert result['msg'].startswith('Timed out after 60 s working on SFS Turbo file system team-data')
    assert result['elapsed'] >= 60 - 10, 'it kept trying until the timeout, pausing at most poll_interval'


def test_an_accepted_create_without_an_id_is_found_by_name(run_module, api, requests_mock):
    def create_without_id(request, context):
        api.create(request, context)
        return {}
    requests_mock.post(BASE, status_code=202, json=create_without_id)
    rc, result, dummy = run(run_module, **CREATE)
    assert rc == 0, result
    assert result['share_id'] == 'fs-1' and result['operations'] == ['create']


def test_a_size_that_cannot_be_read_fails_instead_of_expanding_every_run(run_module, api):
    api.add('fs-a', size='n/a')
    rc, result, dummy = run(run_module, name=NAME, size=1000)
    assert rc == 1 and api.posts == [] and 'shows no size in GB' in result['msg']
