# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's calls that change something, through Huawei Cloud's own SDK: create, list (paged), expand,
change security group, delete, and the LDAP configuration that answers with a job id (sfs_turbo_share,
sfs_turbo_share_info by name and sfs_turbo_request are written against these routes)."""

from __future__ import annotations

import time

import pytest

from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdksfsturbo.v1 import (
    ChangeSecurityGroupRequest, ChangeSecurityGroupRequestBody, CreateLdapConfigRequest, CreateLdapConfigRequestBody, CreateShareRequest,
    CreateShareRequestBody, DeleteShareRequest, ExpandShareRequest, ExpandShareRequestBody, ListSharesRequest, ShowJobDetailRequest,
    ShowShareRequest,
)
from huaweicloudsdksfsturbo.v1.model.change_security_group import ChangeSecurityGroup
from huaweicloudsdksfsturbo.v1.model.extend import Extend
from huaweicloudsdksfsturbo.v1.model.share import Share

NETWORK = dict(vpc_id='vpc-contract', subnet_id='subnet-contract', availability_zone='eu-de-01')


def until(read, done, limit=30.0):
    """Read until ``done(value)`` (the emulator's operations take seconds); the last value read."""
    end = time.monotonic() + limit
    while True:
        value = read()
        if done(value) or time.monotonic() > end:
            return value
        time.sleep(0.5)


def create(client, name):
    body = CreateShareRequestBody(share=Share(name=name, size=500, security_group_id='sg-contract', share_proto='NFS', share_type='STANDARD',
                                              metadata={'crypt_key_id': 'key-contract'}, **NETWORK))
    return client.create_share(CreateShareRequest(body=body))


def test_create_answers_what_the_sdk_models_and_the_file_system_becomes_available(client):
    created = create(client, 'contract-create')
    assert created.status == '100' and created.name == 'contract-create' and created.id
    share = until(lambda: client.show_share(ShowShareRequest(share_id=created.id)), lambda s: s.status == '200')
    assert share.status == '200' and share.vpc_id == NETWORK['vpc_id'] and share.share_type == 'STANDARD'


def test_a_create_without_its_required_fields_is_refused_in_the_services_dialect(client):
    with pytest.raises(exceptions.ClientRequestException) as exc:
        client.create_share(CreateShareRequest(body=CreateShareRequestBody(share=Share(name='contract-bad', size=500))))
    assert exc.value.status_code == 400


def test_the_listing_pages_with_limit_and_offset_and_counts_them_all(client):
    for index in range(3):
        create(client, 'contract-page-%d' % index)
    everything = client.list_shares(ListSharesRequest())
    assert everything.count == len(everything.shares) >= 3
    first, second = client.list_shares(ListSharesRequest(limit=2, offset=0)), client.list_shares(ListSharesRequest(limit=2, offset=2))
    assert len(first.shares) == 2 and first.count == everything.count
    assert [s.id for s in first.shares + second.shares] == [s.id for s in everything.shares][:len(first.shares + second.shares)]


def test_expand_then_change_the_security_group_then_delete(client):
    created = create(client, 'contract-life')

    def read():
        return client.show_share(ShowShareRequest(share_id=created.id))
    until(read, lambda s: s.status == '200')
    expanded = client.expand_share(ExpandShareRequest(share_id=created.id, body=ExpandShareRequestBody(extend=Extend(new_size=1000))))
    assert expanded.id == created.id
    share = until(read, lambda s: s.sub_status == '221')
    assert float(share.size) == 1000.0
    changed = client.change_security_group(ChangeSecurityGroupRequest(
        share_id=created.id, body=ChangeSecurityGroupRequestBody(change_security_group=ChangeSecurityGroup(security_group_id='sg-contract-new'))))
    assert changed.id == created.id
    share = until(read, lambda s: s.sub_status == '232')
    assert share.security_group_id == 'sg-contract-new'
    client.delete_share(DeleteShareRequest(share_id=created.id))

    def gone():
        try:
            read()
        except exceptions.ClientRequestException as error:
            return error.status_code
        return None
    assert until(gone, lambda status: status == 404) == 404


def test_ldap_configuration_answers_a_job_id_whose_job_the_sdk_reads(client):
    created = create(client, 'contract-ldap')
    until(lambda: client.show_share(ShowShareRequest(share_id=created.id)), lambda s: s.status == '200')
    answer = client.create_ldap_config(CreateLdapConfigRequest(share_id=created.id, body=CreateLdapConfigRequestBody(
        url='ldap://192.168.0.10:389', base_dn='dc=example,dc=com', user_dn='cn=admin,dc=example,dc=com', password='ldap-secret')))
    assert answer.job_id
    job = until(lambda: client.show_job_detail(ShowJobDetailRequest(job_id=answer.job_id)), lambda j: j.status in ('success', 'failed'))
    assert job.status == 'success'
