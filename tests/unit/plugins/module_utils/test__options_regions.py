# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""region builds the host of the cloud the region belongs to; an unknown one fails before any request."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import resolve_api_base
from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_job_info
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import JOB_ID, PROJECT_ID, TOKEN

PROJECT = '0123456789abcdef0123456789abcdef'


@pytest.mark.parametrize('region, host', [
    ('eu-de', 'sfs-turbo.eu-de.otc.t-systems.com'),
    ('eu-nl', 'sfs-turbo.eu-nl.otc.t-systems.com'),
    ('eu-ch2', 'sfs-turbo.eu-ch2.sc.otc.t-systems.com'),  # the Swiss cloud's .sc. hosts
    ('ap-southeast-1', 'sfs-turbo.ap-southeast-1.myhuaweicloud.com'),
    ('cn-north-4', 'sfs-turbo.cn-north-4.myhuaweicloud.com'),
    ('la-south-2', 'sfs-turbo.la-south-2.myhuaweicloud.com'),
    ('eu-west-101', 'sfs-turbo.eu-west-101.myhuaweicloud.eu'),
])
def test_region_builds_the_host_of_its_cloud(region, host):
    assert resolve_api_base({'region': region, 'project_id': PROJECT}) == ('https://%s/v1/%s' % (host, PROJECT), PROJECT)


@pytest.mark.parametrize('region', ['eu-dee', 'ap-southeast-9', 'eu-west-0', 'us-east-1'])
def test_an_unknown_region_names_the_known_ones(region):
    with pytest.raises(SfsTurboError) as exc:
        resolve_api_base({'region': region, 'project_id': PROJECT})
    msg = exc.value.msg
    assert msg.startswith("Unknown region %r: region builds the SFS Turbo host for Open Telekom Cloud's eu-de, eu-nl, eu-ch2 and "
                          "Huawei Cloud's ae-ad-1, af-north-1, " % region)
    assert 'ap-southeast-1, ' in msg and 'eu-west-101, ' in msg and msg.endswith('tr-west-1 only; for another region set endpoint.')


def test_an_unknown_region_from_the_environment_fails_before_any_request(run_module, requests_mock, monkeypatch):
    monkeypatch.setenv('OS_REGION_NAME', 'eu-dee')
    rc, result, dummy = run_module(sfs_turbo_job_info, {'job_id': JOB_ID, 'project_id': PROJECT_ID, 'auth_token': TOKEN})
    assert rc == 1 and requests_mock.call_count == 0
    assert result['msg'].startswith("Unknown region (from OS_REGION_NAME) 'eu-dee': ")


def test_a_huawei_region_reaches_the_huawei_host(run_module, requests_mock):
    url = 'https://sfs-turbo.ap-southeast-1.myhuaweicloud.com/v1/%s/sfs-turbo/jobs/%s' % (PROJECT_ID, JOB_ID)
    requests_mock.get(url, json={'job_id': JOB_ID, 'status': 'success'})
    rc, result, dummy = run_module(sfs_turbo_job_info, {'job_id': JOB_ID, 'project_id': PROJECT_ID, 'auth_token': TOKEN,
                                                        'region': 'ap-southeast-1'})
    assert rc == 0 and result['job']['status'] == 'success'
    assert requests_mock.call_count == 1
