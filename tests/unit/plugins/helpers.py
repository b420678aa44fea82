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
