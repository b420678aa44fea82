# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The built-in jobs and file systems, served without ``--scenario`` (the rehearsal guide lists them)."""

from __future__ import annotations

import copy

from .shares import DEFAULT_API_OPERATIONS


def _sub(job_id, job_type, running, result='success', waiting=0.0, **kwargs):
    sub = {'job_id': job_id, 'job_type': job_type, 'waiting': waiting, 'running': running, 'result': result}
    sub.update(kwargs)
    return sub


def _flaky(fault):
    """A job that succeeds after 3 s (waiting 1 + running 2) and suffers the given fault(s)."""
    return {'job_type': 'create_share', 'waiting': 1, 'running': 2, 'result': 'success',
            'faults': fault if isinstance(fault, list) else [fault]}


def default_scenario():
    """The built-in scenario (a fresh copy each time)."""
    jobs = {
        # Already finished when first read: their clocks start with the server (and at each reset).
        'job-success-done': {'job_type': 'create_share', 'waiting': 0, 'running': 0, 'result': 'success',
                             'clock': 'server_start',
                             'sub_jobs': [_sub('job-success-done-sub-1', 'create_share', running=0)]},
        'job-failed-done': {
            'job_type': 'create_share', 'waiting': 0, 'running': 0, 'result': 'failed', 'clock': 'server_start',
            'error_code': 'SFS.TURBO.0030', 'fail_reason': 'Ecs resource not enough',
            'sub_jobs': [
                _sub('job-failed-done-sub-1', 'create_share', running=0),
                _sub('job-failed-done-sub-2', 'create_share', running=0, result='failed',
                     error_code='SFS.TURBO.0030', fail_reason='Ecs resource not enough'),
            ],
        },
        'job-success-quick': {'job_type': 'create_share', 'waiting': 0, 'running': 1, 'result': 'success'},
        'job-success-subjobs': {
            'job_type': 'create_share', 'waiting': 1, 'running': 2, 'result': 'success',
            'sub_jobs': [
                _sub('job-success-subjobs-sub-1', 'create_share', waiting=1, running=1),
                _sub('job-success-subjobs-sub-2', 'change_security_group', waiting=1, running=2),
            ],
        },
        # A day-long run: for the purposes of any test this job never finishes.
        'job-running': {'job_type': 'extend_share', 'waiting': 0, 'running': 86400, 'result': 'success'},
        'job-failed': {
            'job_type': 'create_share', 'waiting': 0, 'running': 1, 'result': 'failed',
            'error_code': 'SFS.TURBO.0030', 'fail_reason': 'Ecs resource not enough',
            'sub_jobs': [
                _sub('job-failed-sub-1', 'create_share', running=0.5),
                _sub('job-failed-sub-2', 'create_share', running=1, result='failed',
                     error_code='SFS.TURBO.0030', fail_reason='Ecs resource not enough'),
            ],
        },
        # The job itself carries no error fields; only its failed sub-job says why.
        'job-failed-subjob-only': {
            'job_type': 'create_share', 'waiting': 0, 'running': 1, 'result': 'failed',
            'sub_jobs': [
                _sub('job-failed-subjob-only-sub-1', 'create_share', running=0.5),
                _sub('job-failed-subjob-only-sub-2', 'create_share', running=1, result='failed',
                     error_code='SFS.TURBO.0029', fail_reason='Subnet has not enough ips'),
            ],
        },
        'job-success-3s': {'job_type': 'extend_share', 'waiting': 1, 'running': 2, 'result': 'success'},
        # bind_ldap is outside the documented enum, and new_field is a field clients must keep.
        'job-bind-ldap': {'job_type': 'bind_ldap', 'waiting': 0, 'running': 0, 'result': 'success',
                          'extra': {'new_field': 'kept'}},
        'job-unknown-status': {'job_type': 'create_share', 'waiting': 0, 'running': 2, 'result': 'success',
                               'status_override': 'frozen'},
        'job-flaky-429': _flaky({'type': 'rate_limit', 'times': 1, 'retry_after': 1}),
        'job-flaky-502': _flaky({'type': 'http_error', 'status': 502, 'times': 1}),
        'job-flaky-503': _flaky({'type': 'http_error', 'status': 503, 'times': 1}),
        'job-flaky-html': _flaky({'type': 'html', 'status': 502, 'times': 1}),
        'job-flaky-drop': _flaky({'type': 'drop', 'times': 1}),
        'job-slow': _flaky({'type': 'slow', 'seconds': 3, 'times': None}),
        'job-non-json': _flaky({'type': 'non_json', 'times': None}),
        'job-error-500': _flaky({'type': 'http_error', 'status': 500, 'times': None}),
        'job-redirect': _flaky({'type': 'redirect', 'location': 'http://127.0.0.2:9/elsewhere', 'times': None}),
        # The 32-hex id format that the LDAP APIs return.
        '72362d0a0a04d419dbd5e6d9fe5a0b1c': {'job_type': 'bind_ldap', 'waiting': 0, 'running': 0, 'result': 'success'},
    }
    shares = {
        # Never modified (no sub_status), and one whose last expansion left its 221 behind.
        'share-available': {'clock': 'server_start'},
        'share-expanded-earlier': {'sub_status': '221', 'clock': 'server_start'},
        'share-create-3s': {'status': '100', 'operation': {'type': 'create', 'running': 3}},
        'share-create-60s': {'status': '100', 'operation': {'type': 'create', 'running': 60}},
        # A day-long creation: for the purposes of any test it never finishes.
        'share-creating': {'status': '100', 'operation': {'type': 'create', 'running': 86400}},
        'share-create-failed': {'status': '100', 'operation': {'type': 'create', 'running': 1, 'result': 'failed'}},
        'share-create-error': {'status': '100', 'operation': {'type': 'create', 'running': 1, 'result': 'error'}},
        'share-frozen': {'status': '100', 'operation': {'type': 'create', 'running': 1, 'result': 'frozen'}},
        # The race: for a second the earlier expansion's 221 still shows, then 121, then 221 at 1000 GB.
        'share-expand-3s': {'sub_status': '221', 'operation': {'type': 'expand', 'lag': 1, 'running': 2, 'new_size': 1000}},
        'share-expand-failed': {'operation': {'type': 'expand', 'lag': 0, 'running': 1, 'result': 'failed'}},
        'share-sg-3s': {'sub_status': '232', 'operation': {'type': 'change_security_group', 'lag': 1, 'running': 2,
                                                           'security_group_id': 'sg-emulator-new'}},
        'share-sg-failed': {'operation': {'type': 'change_security_group', 'lag': 0, 'running': 1, 'result': 'failed'}},
        'share-delete-3s': {'operation': {'type': 'delete', 'running': 3}},
        'share-delete-status-400': {'operation': {'type': 'delete', 'running': 1, 'result': 'deleted'}},
        'share-flaky-503': {'status': '100', 'operation': {'type': 'create', 'running': 2},
                            'faults': [{'type': 'http_error', 'status': 503, 'times': 1}]},
    }
    return {'jobs': jobs, 'shares': shares, 'operations': copy.deepcopy(DEFAULT_API_OPERATIONS), 'faults': []}
