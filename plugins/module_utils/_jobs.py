# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an SFS Turbo job (task) is: fetching one, its states, and the failure it reports.

``JobResource`` is the job's resource definition for the wait engine (see ``_resource``).

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError, job_id_hint, no_status, not_a_string, unknown_state
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import IDENTIFIER_RE, check_identifier
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import subject
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._resource import FAILED, PENDING, SUCCEEDED, Observation, Resource
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import shorten

FINISHED_STATUSES = ('success', 'failed')
PENDING_STATUSES = ('waiting', 'running')
# The jobs API's errCode for an id that names no job (a file system's id, say).
INVALID_JOB_ID = 'SFS.TURBO.0019'


def fetch_job(client, job_id, deadline=None, retry_until_deadline=False):
    """One ``GET /v1/{project_id}/sfs-turbo/jobs/{job_id}`` (with the client's retries).

    A job whose ``status`` is there but not a string is no job this API sends: an error. The API's
    "Invalid Job Id" says which module takes a file system's id. Returns the client's ``ApiReply`` (the job is its ``body``).
    """
    try:
        reply = client.get_reply('sfs-turbo/jobs/%s' % job_id, action='query SFS Turbo job %s' % job_id,
                                 deadline=deadline, retry_until_deadline=retry_until_deadline)
    except SfsTurboError as error:
        if error.err_code == INVALID_JOB_ID:
            error.msg = '%s; %s.' % (error.msg.rstrip('.'), job_id_hint(job_id))
        raise
    status = reply.body.get('status')
    if status is not None and not isinstance(status, str):
        raise not_a_string('SFS Turbo job %s' % job_id, 'status', status, **reply.keys())
    return reply


def job_status(job):
    """The job's status, lower-cased (``None`` when it has none)."""
    status = job.get('status')
    return status.lower() if isinstance(status, str) else status


def sub_jobs_of(job):
    sub_jobs = job.get('sub_jobs')
    return sub_jobs if isinstance(sub_jobs, list) else []


def job_result(job):
    """The success keys: the job as the API gave it, and its sub-jobs (``[]`` when absent)."""
    return {'job': job, 'sub_jobs': sub_jobs_of(job)}


def job_failure(job_id, job):
    """The error a ``failed`` job reports, or ``None`` when the job has not failed.

    ``errCode``/``errMsg`` come from the job's ``error_code``/``fail_reason``; what the job lacks
    comes from the first failed sub-job that carries it (never from two sub-jobs).
    """
    if job_status(job) != 'failed':
        return None
    failed_sub_jobs = [sub for sub in sub_jobs_of(job) if isinstance(sub, dict) and job_status(sub) == 'failed']
    code, reason = job.get('error_code') or None, job.get('fail_reason') or None
    missing = [field for field, value in (('error_code', code), ('fail_reason', reason)) if not value]
    source = next((sub for sub in failed_sub_jobs if any(sub.get(field) for field in missing)), None)
    if source is not None:
        code, reason = code or source.get('error_code') or None, reason or source.get('fail_reason') or None
    job_type = job.get('job_type')
    name = 'SFS Turbo job %s%s' % (job_id, ' (%s)' % job_type if job_type else '')
    if code or reason:
        msg = '%s failed with %s' % (name, ': '.join(str(part) for part in (code, reason) if part))
    else:
        msg = '%s failed without an error code or reason' % name
    if failed_sub_jobs:
        ids = ', '.join(str(sub.get('job_id', '?')) for sub in failed_sub_jobs)
        msg += '; failed sub-jobs: %s' % ids
    return SfsTurboError(msg.rstrip('.') + '.', err_code=code, err_msg=reason)


class JobResource(Resource):
    """A job (task) of ``GET /v1/{project_id}/sfs-turbo/jobs/{job_id}``: finished when ``success`` or ``failed``."""

    def __init__(self, job_id):
        self.job_id = job_id
        self.name = 'SFS Turbo job %s' % job_id

    def check(self):
        check_identifier('job_id', self.job_id)

    def observe(self, client, deadline=None, retry_until_deadline=False):
        reply = fetch_job(client, self.job_id, deadline=deadline, retry_until_deadline=retry_until_deadline)
        job = reply.body
        status = job_status(job)
        if status == 'success':
            return Observation(job, SUCCEEDED, reply=reply)
        if status == 'failed':
            return Observation(job, FAILED, reply=reply)
        if status is None:
            raise no_status(self.name, **reply.keys())
        warning = None
        if status not in PENDING_STATUSES:
            # Masked before it is shortened: a cut secret would no longer be found whole.
            warning = unknown_state(self.name, 'status %r' % shorten(job['status'], 64, client.scrub))
        return Observation(job, PENDING, warning, reply=reply)

    def failure(self, body):
        return job_failure(self.job_id, body)

    def result(self, body):
        return job_result(body)

    def last_state(self, body):
        if body is None:
            return 'no status was ever received'
        return 'its last status was %r' % body.get('status')

    @staticmethod
    def progress_subject(args):
        """How the progress lines name the job of a task's arguments: ``job 26f6b565``."""
        return subject('job', args.get('job_id'), IDENTIFIER_RE)

    def progress_state(self, body, safe):
        """``(state, tally)`` of a progress record: ``(bind_ldap) running, sub-jobs 2/5 done, 1 failed``, no tally."""
        status, job_type = safe(job_status(body)), safe(body.get('job_type'))
        sub_jobs = [sub for sub in sub_jobs_of(body) if isinstance(sub, dict)]
        if status is None and job_type is None and not sub_jobs:
            return None, None
        text = ('(%s) ' % job_type if job_type else '') + (status or 'status unknown')
        if sub_jobs:
            statuses = [job_status(sub) for sub in sub_jobs]
            finished = sum(1 for status in statuses if status in FINISHED_STATUSES)
            failed = sum(1 for status in statuses if status == 'failed')
            text += ', sub-jobs %d/%d done' % (finished, len(sub_jobs)) + (', %d failed' % failed if failed else '')
        return text, None
