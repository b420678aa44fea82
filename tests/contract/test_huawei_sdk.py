# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Contract test: the emulator against a client nobody here wrote, Huawei Cloud's own Python SDK.

The SDK (huaweicloudsdkcore + huaweicloudsdksfsturbo, test-only dependencies: tests/contract/requirements.txt)
signs every request with AK/SK as the API gateway expects, and parses the answers into its models:
``show_job_detail`` for every built-in job, ``show_share`` for every built-in file system in each
state it passes through, and errors into the SDK's exceptions. It talks to 127.0.0.1 only.
Run by ``make contract`` (part of ``make test``).
"""

from __future__ import annotations

import datetime
import json
import time
import urllib.request

import pytest

from huaweicloudsdkcore.exceptions import exceptions
from huaweicloudsdksfsturbo.v1 import ShowJobDetailRequest, ShowShareRequest
from huaweicloudsdksfsturbo.v1.model.show_job_detail_response import ShowJobDetailResponse
from huaweicloudsdksfsturbo.v1.model.show_share_response import ShowShareResponse

from conftest import sdk_client


def admin(server, path):
    with urllib.request.urlopen(server.url + path, timeout=10) as response:
        return json.loads(response.read())


def last_log_entry(server):
    return admin(server, '/_emulator/log')[-1]


# Jobs whose every request is answered by a fault (the SDK is then to raise, see below), not by a job body.
ALWAYS_FAULTED_JOBS = {'job-non-json', 'job-error-500', 'job-redirect'}


def test_show_job_detail_parses_every_built_in_job(server, client):
    jobs = [job_id for job_id in admin(server, '/_emulator/jobs') if job_id not in ALWAYS_FAULTED_JOBS]
    assert len(jobs) >= 15
    for job_id in jobs:
        try:
            response = client.show_job_detail(ShowJobDetailRequest(job_id=job_id))
        except exceptions.ClientRequestException as error:
            # The flaky jobs fault their first request: a retry gets the job.
            assert error.status_code in (429, 502, 503), (job_id, error)
            response = client.show_job_detail(ShowJobDetailRequest(job_id=job_id))
        except exceptions.ServerResponseException as error:
            assert error.status_code in (502, 503), (job_id, error)
            response = client.show_job_detail(ShowJobDetailRequest(job_id=job_id))
        except exceptions.ConnectionException:
            response = client.show_job_detail(ShowJobDetailRequest(job_id=job_id))  # job-flaky-drop
        assert isinstance(response, ShowJobDetailResponse)
        assert response.job_id == job_id and response.status in ('waiting', 'running', 'success', 'failed', 'frozen')
        assert response.job_type and response.begin_time
        for sub in response.sub_jobs or []:
            assert sub.job_id.startswith(job_id) and sub.status in ('waiting', 'running', 'success', 'failed')
        assert last_log_entry(server)['auth'] == 'aksk', 'signed with AK/SK, and the signature verified'
    failed = client.show_job_detail(ShowJobDetailRequest(job_id='job-failed-done'))
    assert (failed.error_code, failed.fail_reason) == ('SFS.TURBO.0030', 'Ecs resource not enough')
    assert [sub.job_id for sub in failed.sub_jobs if sub.status == 'failed'] == ['job-failed-done-sub-2']


def _read_share(client, share_id):
    try:
        return client.show_share(ShowShareRequest(share_id=share_id))
    except exceptions.ServerResponseException as error:
        assert (share_id, error.status_code) == ('share-flaky-503', 503)
        return client.show_share(ShowShareRequest(share_id=share_id))


def test_show_share_parses_every_built_in_file_system_in_every_state(server, client):
    shares = admin(server, '/_emulator/shares')
    assert len(shares) >= 15
    seen = set()
    started = time.monotonic()
    # Most built-in operations end within 3 s of the first read: read all at once, midway and after.
    for moment in (0.0, 1.6, 3.3):
        time.sleep(max(0.0, started + moment - time.monotonic()))
        for share_id in shares:
            try:
                response = _read_share(client, share_id)
            except exceptions.ClientRequestException as error:
                assert share_id == 'share-delete-3s' and error.status_code == 404, (share_id, error)
                seen.add(('gone', None))
                continue
            assert isinstance(response, ShowShareResponse)
            assert response.id == share_id and response.name
            assert response.size.endswith('.00') and float(response.size) > 0
            assert response.security_group_id and response.share_proto == 'NFS'
            assert isinstance(response.created_at, (str, datetime.datetime))
            if response.status == '100':
                assert response.action_progress.creating.endswith('%'), 'action_progress parsed into its model'
            else:
                assert response.action_progress is None
            seen.add((response.status, response.sub_status))
    expected = {('100', None), ('200', None), ('303', None), ('300', None), ('800', None), ('400', None), ('200', '221'),
                ('200', '121'), ('200', '321'), ('200', '232'), ('200', '132'), ('200', '332'), ('gone', None)}
    assert expected <= seen, expected - seen


def test_a_file_system_that_does_not_exist_raises_the_sdks_exception(client):
    with pytest.raises(exceptions.ClientRequestException) as exc:
        client.show_share(ShowShareRequest(share_id='share-does-not-exist'))
    assert exc.value.status_code == 404 and exc.value.request_id
    # The SDK reads the gateway dialect (error_code/error_msg); the service's errCode body it passes on whole.
    assert json.loads(exc.value.error_msg) == {'errCode': 'SFS.TURBO.0002', 'errMsg': 'Cluster not found'}


def test_an_unknown_job_raises_the_sdks_exception(client):
    with pytest.raises(exceptions.ClientRequestException) as exc:
        client.show_job_detail(ShowJobDetailRequest(job_id='no-such-job'))
    assert exc.value.status_code == 404
    assert json.loads(exc.value.error_msg) == {'errCode': 'SFS.TURBO.0019', 'errMsg': 'Invalid Job Id'}


def test_a_wrong_secret_key_is_refused_in_the_gateway_dialect_the_sdk_parses(server):
    with pytest.raises(exceptions.ClientRequestException) as exc:
        sdk_client(server, secret_key='not-the-secret-key').show_share(ShowShareRequest(share_id='share-available'))
    assert (exc.value.status_code, exc.value.error_code) == (401, 'APIG.0303')
    assert 'verify aksk signature fail' in exc.value.error_msg


def test_a_server_error_raises_the_sdks_server_exception(client):
    with pytest.raises(exceptions.ServerResponseException) as exc:
        client.show_job_detail(ShowJobDetailRequest(job_id='job-error-500'))
    assert exc.value.status_code == 500
