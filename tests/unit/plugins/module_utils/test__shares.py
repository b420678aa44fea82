# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What ends a wait on a file system, per operation: one read at a time, through a real client."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import TokenAuth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import ApiClient
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._resource import FAILED, PENDING, SUCCEEDED
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._shares import ShareResource, creating_percent
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import (
    ENDPOINT, PROJECT_ID, SG_NEW, SG_OLD, SHARE_ID, SHARE_URL, TOKEN, share_body,
)

NOT_FOUND = {'status_code': 404, 'json': {'errCode': 'SFS.TURBO.0002', 'errMsg': 'Cluster not found'}}


@pytest.fixture
def client(fake_clock, clean_env):
    return ApiClient('%s/v1/%s' % (ENDPOINT, PROJECT_ID), TokenAuth(TOKEN), retries=0)


def states(client, requests_mock, resource, answers):
    """The state of each observation of ``resource`` for a sequence of answers."""
    requests_mock.get(SHARE_URL, [answer if 'status_code' in answer else {'json': answer} for answer in answers])
    return [resource.observe(client).state for dummy in answers]


@pytest.mark.parametrize('operation, body, state', [
    ('create', share_body('100', action_progress={'CREATING': '22%'}), PENDING),
    ('create', share_body('200'), SUCCEEDED),
    ('create', share_body('303'), FAILED),
    ('create', share_body('300'), FAILED),
    ('create', share_body('800'), FAILED),
    ('expand', share_body('200', '121'), PENDING),
    ('expand', share_body('200', '221', size='1000.00'), SUCCEEDED),
    ('expand', share_body('200', '321'), FAILED),
    ('expand', share_body('200'), PENDING),  # no sub_status yet: the expansion has not started
    ('expand', share_body('200', ''), PENDING),  # an empty one neither
    ('expand', share_body('400', '121'), FAILED),  # deleted meanwhile: the expansion can never end
    ('change_security_group', share_body('200', '132'), PENDING),
    ('change_security_group', share_body('200', '232'), SUCCEEDED),
    ('change_security_group', share_body('200', '332'), FAILED),
    ('add_storage_backend', share_body('200', '150'), PENDING),
    ('add_storage_backend', share_body('200', '250'), SUCCEEDED),
    ('add_storage_backend', share_body('200', '350'), FAILED),
    ('remove_storage_backend', share_body('200', '151'), PENDING),
    ('remove_storage_backend', share_body('200', '251'), SUCCEEDED),
    ('remove_storage_backend', share_body('200', '351'), FAILED),
    ('delete', share_body('200'), PENDING),
    ('delete', share_body('400'), SUCCEEDED),
    ('create', share_body('400'), FAILED),  # deleted while created: it will never be available
    ('expand', share_body('800', '121'), FAILED),  # frozen: no operation runs
    ('change_security_group', share_body('800', '132'), FAILED),
    ('delete', share_body('800'), PENDING),
    ('expand', share_body('200', '232'), PENDING),  # another operation's code is not this one's
    ('create', share_body(200), SUCCEEDED),  # a number is read as its digits
])
def test_the_end_rule_of_each_operation(client, requests_mock, operation, body, state):
    assert states(client, requests_mock, ShareResource(SHARE_ID, operation), [body]) == [state]


def test_delete_ends_with_success_when_the_service_says_the_file_system_is_gone(client, requests_mock):
    seen = None
    requests_mock.get(SHARE_URL, [NOT_FOUND])
    seen = ShareResource(SHARE_ID, 'delete').observe(client)
    assert (seen.state, seen.body) == (SUCCEEDED, None)


def test_a_404_without_the_service_errcode_is_a_wrong_endpoint_not_a_deleted_file_system(client, requests_mock):
    # A wrong path (gateway or proxy 404) must not pass for "deleted".
    requests_mock.get(SHARE_URL, status_code=404, text='<html>Not Found</html>')
    with pytest.raises(SfsTurboError) as exc:
        ShareResource(SHARE_ID, 'delete').observe(client)
    assert exc.value.http_status == 404 and 'check that endpoint points at the SFS Turbo API' in exc.value.msg


@pytest.mark.parametrize('operation', ['create', 'expand', 'change_security_group', None])
def test_a_file_system_that_does_not_exist_fails_every_other_operation_at_once(client, requests_mock, operation):
    requests_mock.get(SHARE_URL, [NOT_FOUND])
    with pytest.raises(SfsTurboError) as exc:
        ShareResource(SHARE_ID, operation).observe(client)
    assert (exc.value.err_code, exc.value.http_status, exc.value.transient) == ('SFS.TURBO.0002', 404, False)


def test_expand_with_size_is_not_ended_by_an_earlier_expansions_221(client, requests_mock):
    leftover = share_body('200', '221', size='500.00')
    answers = [leftover, leftover, share_body('200', '121'), share_body('200', '221', size='1000.00')]
    assert states(client, requests_mock, ShareResource(SHARE_ID, 'expand', size=1000), answers) == [PENDING, PENDING, PENDING, SUCCEEDED]


def test_expand_without_size_cannot_tell_a_leftover_221(client, requests_mock):
    # What the docs say: without size the first 221 ends the wait, even an earlier expansion's.
    assert states(client, requests_mock, ShareResource(SHARE_ID, 'expand'), [share_body('200', '221')]) == [SUCCEEDED]


def test_expand_with_size_waits_through_an_empty_sub_status(client, requests_mock):
    answers = [share_body('200', ''), share_body('200', '121', size='500.00'), share_body('200', '221', size='1000.00')]
    assert states(client, requests_mock, ShareResource(SHARE_ID, 'expand', size=1000), answers) == [PENDING, PENDING, SUCCEEDED]


def test_expand_with_size_fails_on_321_only_after_the_expansion_ran(client, requests_mock):
    leftover_failure = share_body('200', '321')
    answers = [leftover_failure, share_body('200', '121'), share_body('200', '321')]
    assert states(client, requests_mock, ShareResource(SHARE_ID, 'expand', size=1000), answers) == [PENDING, PENDING, FAILED]


def test_a_221_with_a_larger_size_than_asked_is_success(client, requests_mock):
    assert states(client, requests_mock, ShareResource(SHARE_ID, 'expand', size=1000), [share_body('200', '221', size='1200.00')]) == [SUCCEEDED]


def test_change_security_group_with_the_group_waits_for_it(client, requests_mock):
    answers = [share_body('200', '232', security_group_id=SG_OLD), share_body('200', '132', security_group_id=SG_OLD),
               share_body('200', '232', security_group_id=SG_NEW)]
    resource = ShareResource(SHARE_ID, 'change_security_group', security_group_id=SG_NEW)
    assert states(client, requests_mock, resource, answers) == [PENDING, PENDING, SUCCEEDED]


def test_change_security_group_with_the_group_fails_on_332_only_after_it_ran(client, requests_mock):
    answers = [share_body('200', '332'), share_body('200', '132'), share_body('200', '332')]
    resource = ShareResource(SHARE_ID, 'change_security_group', security_group_id=SG_NEW)
    assert states(client, requests_mock, resource, answers) == [PENDING, PENDING, FAILED]


@pytest.mark.parametrize('body, expected', [
    ({'id': SHARE_ID}, 'without a status'),
    (share_body(['200']), 'status that is not a string'),
    (share_body('200', {'code': '121'}), 'sub_status that is not a string'),
])
def test_a_body_that_is_no_file_system_is_an_error(client, requests_mock, body, expected):
    requests_mock.get(SHARE_URL, json=body)
    with pytest.raises(SfsTurboError) as exc:
        ShareResource(SHARE_ID, 'create').observe(client)
    assert expected in exc.value.msg and exc.value.http_status == 200


def test_an_unknown_code_is_pending_with_a_warning(client, requests_mock):
    requests_mock.get(SHARE_URL, json=share_body('200', '999'))
    seen = ShareResource(SHARE_ID, 'expand').observe(client)
    assert seen.state == PENDING
    assert seen.warning == "SFS Turbo file system %s reports the unknown sub_status '999'; treating it as not finished." % SHARE_ID


@pytest.mark.parametrize('kwargs, expected', [
    ({'operation': 'create', 'size': 100}, 'size applies to operation=expand only, not to operation=create.'),
    ({'operation': 'expand', 'size': 0}, 'size must be the new capacity in GB (1 or more), got 0.'),
    ({'operation': 'expand', 'security_group_id': SG_NEW}, 'security_group_id applies to operation=change_security_group only'),
    ({'operation': 'change_security_group', 'security_group_id': 'sg/../x'}, 'Invalid security_group_id'),
    ({'operation': 'resize'}, "Unknown operation 'resize'"),
])
def test_bad_input_is_refused_before_any_request(kwargs, expected):
    with pytest.raises(SfsTurboError) as exc:
        ShareResource(SHARE_ID, **kwargs).check()
    assert expected in exc.value.msg


def test_bad_share_ids_are_refused():
    with pytest.raises(SfsTurboError) as exc:
        ShareResource('../jobs/x', 'create').check()
    assert 'Invalid share_id' in exc.value.msg


def test_failure_messages_name_the_file_system_the_operation_and_the_code():
    assert ShareResource(SHARE_ID, 'create').failure(share_body('303')).msg == (
        "SFS Turbo file system %s: create failed, status '303' (creation failed)." % SHARE_ID)
    assert ShareResource(SHARE_ID, 'expand').failure(share_body('200', '321')).msg == (
        "SFS Turbo file system %s: expand failed, sub_status '321' (expansion failed)." % SHARE_ID)
    assert ShareResource(SHARE_ID, 'expand').failure(share_body('400', '121')).msg == (
        "SFS Turbo file system %s: expand failed, status '400' (deleted)." % SHARE_ID)


@pytest.mark.parametrize('progress, percent', [
    ({'CREATING': '22%'}, 22), ({'CREATING': '100%'}, 100), ({'CREATING': '0%'}, 0), ({'CREATING': '101%'}, None),
    ({'CREATING': 'soon'}, None), ('22%', None), (None, None), ({'CREATING': 22}, None),
    # Digits Python's isdigit() and int() take that are no ASCII digits: ignored, never a ValueError.
    ({'CREATING': '\u00b2%'}, None), ({'CREATING': '2\u00b2%'}, None), ({'CREATING': '\u0663%'}, None), ({'CREATING': '\uff12\uff12%'}, None),
    ({'CREATING': '22%\n'}, None), ({'CREATING': ' 22%'}, None), ({'CREATING': '0022%'}, None), ({'CREATING': '-1%'}, None),
])
def test_the_creation_percentage(progress, percent):
    assert creating_percent({'action_progress': progress}) == percent


def test_the_progress_state_is_the_codes_in_words_and_the_percentage_only():
    resource = ShareResource(SHARE_ID, 'create')
    state = resource.progress_state(share_body('100', '', action_progress={'CREATING': '22%'}), lambda value: value)
    assert state == ('creating (status 100)', '22% done')


def test_a_leftover_failure_ends_a_targeted_wait_only_after_the_grace_period(client, requests_mock, fake_clock):
    resource = ShareResource(SHARE_ID, 'expand', size=1000, poll_interval=2)
    requests_mock.get(SHARE_URL, json=share_body('200', '321'))
    seen = []
    for dummy in range(4):
        seen.append(resource.observe(client).state)
        fake_clock.sleep(2.9)
    assert seen == [PENDING, PENDING, PENDING, FAILED], 'unchanged for 3 x 2 s: the fourth read, 8.7 s after the first'
    assert resource.failure(share_body('200', '321')).msg.endswith('unchanged for 8.7 s, past the grace period of 6 s (3 poll_interval) '
                                                                   'within which a new operation replaces a code an earlier one left.')


def test_a_new_code_restarts_the_grace_period(client, requests_mock, fake_clock):
    resource = ShareResource(SHARE_ID, 'expand', size=1000, poll_interval=2)
    requests_mock.get(SHARE_URL, [{'json': share_body('200', '321')}, {'json': share_body('200', '321')}, {'json': share_body('200', '')},
                                  {'json': share_body('200', '221', size='1000.00')}])
    seen = []
    for dummy in range(4):
        seen.append(resource.observe(client).state)
        fake_clock.sleep(5)
    assert seen == [PENDING, PENDING, PENDING, SUCCEEDED]
