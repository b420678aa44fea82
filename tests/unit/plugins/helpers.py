# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Constants and builders the unit tests share."""

from __future__ import annotations

ENDPOINT = 'https://sfs-turbo.example.test'
PROJECT_ID = '0123456789abcdef0123456789abcdef'
TOKEN = 'tok-SECRET-7f3a9c'  # distinctive, so a leak is easy to spot
JOB_ID = '26f6b565-0b4e-4cd4-8d6e-03f0bd975433'
JOB_URL = '%s/v1/%s/sfs-turbo/jobs/%s' % (ENDPOINT, PROJECT_ID, JOB_ID)


def job_body(status='success', job_id=JOB_ID, **extra):
    body = {'job_id': job_id, 'status': status, 'job_type': 'create_share', 'begin_time': '2026-11-28 10:00:00'}
    if status in ('success', 'failed'):
        body['end_time'] = '2026-11-28 10:01:00'
    body.update(extra)
    return body


def base_args(**overrides):
    args = {'endpoint': ENDPOINT, 'project_id': PROJECT_ID, 'auth_token': TOKEN, 'job_id': JOB_ID}
    args.update(overrides)
    return args


SHARE_ID = '708c017c-54b5-429a-a098-7692e23fa518'
SHARE_URL = '%s/v1/%s/sfs-turbo/shares/%s' % (ENDPOINT, PROJECT_ID, SHARE_ID)
SG_OLD = 'sg-8c4ebbd0-old'
SG_NEW = 'sg-2f1a9e77-new'


def share_body(status='200', sub_status=None, size='500.00', security_group_id=SG_OLD, **extra):
    """A file system as GET .../shares/{id} returns it (sub_status absent when never modified)."""
    body = {'id': SHARE_ID, 'name': 'sfs-turbo-test', 'status': status, 'size': size, 'security_group_id': security_group_id,
            'share_proto': 'NFS', 'share_type': 'STANDARD', 'availability_zone': 'eu-de-01'}
    if sub_status is not None:
        body['sub_status'] = sub_status
    body.update(extra)
    return body


def share_args(**overrides):
    args = {'endpoint': ENDPOINT, 'project_id': PROJECT_ID, 'auth_token': TOKEN, 'share_id': SHARE_ID}
    args.update(overrides)
    return args
