# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Jobs: ``GET /v1/{project_id}/sfs-turbo/jobs/{job_id}``, their scripted timelines, and ``/_emulator/jobs``."""

from __future__ import annotations

import copy
import time

from .checks import clock, extra_and_omit, mapping, number, only_keys, resource_ids, string, ScenarioError
from .faults import normalize_faults
from .routing import Route

KIND = 'job'
LOG_ID = 'job_id'
SCENARIO_KEYS = ('jobs',)
TIME_FORMAT = '%Y-%m-%d %H:%M:%S'
FINAL_STATUSES = ('success', 'failed')
_JOB_KEYS = ('job_type', 'waiting', 'running', 'result', 'error_code', 'fail_reason', 'status_override', 'extra', 'omit')
_TOP_JOB_KEYS = _JOB_KEYS + ('sub_jobs', 'faults', 'clock')
_SUB_JOB_KEYS = _JOB_KEYS + ('job_id',)


# --------------------------------------------------------------------------- scenario


def _timeline(raw, job_id, what, default_type, known=_TOP_JOB_KEYS):
    """Validate one job or sub-job definition and fill in defaults."""
    mapping(raw, what)
    only_keys(raw, known, what)
    extra, omit = extra_and_omit(raw, what)
    return {
        'job_id': job_id,
        'job_type': string(raw.get('job_type', default_type), f'{what}: job_type', required=True),
        'waiting': number(raw.get('waiting'), f'{what}: waiting', 0),
        'running': number(raw.get('running'), f'{what}: running', 1),
        'result': string(raw.get('result', 'success'), f'{what}: result', required=True),
        'error_code': string(raw.get('error_code'), f'{what}: error_code'),
        'fail_reason': string(raw.get('fail_reason'), f'{what}: fail_reason'),
        'status_override': string(raw.get('status_override'), f'{what}: status_override'),
        'extra': copy.deepcopy(extra),
        'omit': omit,
    }


def normalize_job(raw, job_id):
    what = f'job {job_id!r}'
    timeline = _timeline(raw, job_id, what, 'create_share')
    timeline['clock'] = clock(raw, what)
    subs = raw.get('sub_jobs')
    if subs is not None and not isinstance(subs, list):
        raise ScenarioError(f'{what}: sub_jobs must be a list')
    timeline['sub_jobs'] = None if subs is None else [
        _timeline(sub, string(sub.get('job_id') if isinstance(sub, dict) else None, f'{what}: sub_jobs[{index}].job_id', required=True),
                  f'{what}: sub_jobs[{index}]', timeline['job_type'], _SUB_JOB_KEYS)
        for index, sub in enumerate(subs)
    ]
    timeline['faults'] = normalize_faults(raw.get('faults', []), f'{what}: faults')
    return timeline


def normalize(raw):
    """The scenario's ``jobs``, validated, with defaults filled in."""
    return {'jobs': {job_id: normalize_job(job, job_id)
                     for job_id, job in resource_ids(raw, 'jobs', 'job id to job definition').items()}}


# --------------------------------------------------------------------------- state


def format_time(wall):
    """A unix time the way the API writes it: UTC, space separated, no zone suffix."""
    return time.strftime(TIME_FORMAT, time.gmtime(wall))


def _phase_status(timeline, elapsed):
    if elapsed < timeline['waiting']:
        return timeline['status_override'] or 'waiting'
    if elapsed < timeline['waiting'] + timeline['running']:
        return timeline['status_override'] or 'running'
    return timeline['result']


def _finish_offset(timeline):
    """Seconds from clock start to the final status, or None when the result is not a final status."""
    if timeline['result'] not in FINAL_STATUSES:
        return None
    return timeline['waiting'] + timeline['running']


def render_job(timeline, start_wall, elapsed, with_subs=True):
    """The body of a (sub-)job ``elapsed`` seconds after its clock started."""
    status = _phase_status(timeline, elapsed)
    body = {
        'job_id': timeline['job_id'],
        'status': status,
        'job_type': timeline['job_type'],
        'begin_time': format_time(start_wall),
    }
    offset = _finish_offset(timeline)
    if status == timeline['result'] and offset is not None:
        body['end_time'] = format_time(start_wall + offset)
    # Error fields only exist on a failed job, and only when the scenario provides them.
    if status == 'failed':
        for key in ('error_code', 'fail_reason'):
            if timeline[key] is not None:
                body[key] = timeline[key]
    # An explicit empty list in the scenario is reported as []; no list at all means no field.
    if with_subs and timeline.get('sub_jobs') is not None:
        body['sub_jobs'] = [render_job(sub, start_wall, elapsed, with_subs=False) for sub in timeline['sub_jobs']]
    body.update(copy.deepcopy(timeline['extra']))
    for key in timeline['omit']:
        body.pop(key, None)
    return body


class Job:
    """One job: its timeline, clock, request count and fault hit counters."""

    def __init__(self, timeline):
        self.timeline = timeline
        self.faults = timeline['faults']
        self.start_mono = None
        self.start_wall = None
        self.requests = 0
        self.fault_hits = [0] * len(self.faults)
        self.fault_seen = [0] * len(self.faults)

    def start_clock(self, now_mono, now_wall):
        if self.start_mono is None:
            self.start_mono, self.start_wall = now_mono, now_wall


def build(scenario, now_mono, now_wall):
    """The jobs of a scenario, as they are at server start or reset."""
    jobs = {job_id: Job(timeline) for job_id, timeline in scenario['jobs'].items()}
    for job in jobs.values():
        # server_start jobs begin now: at server start, or at the latest reset.
        if job.timeline['clock'] == 'server_start':
            job.start_clock(now_mono, now_wall)
    return jobs


def add_job(state, job_id, job_type, run, now_mono, now_wall):
    """A job that an API request started (``run``: waiting, running, result, ...), its clock running from now; call under the lock."""
    job = Job(normalize_job(dict(run, job_type=job_type), job_id))
    job.start_clock(now_mono, now_wall)
    state.resources[KIND][job_id] = job
    return job


def job_status(job, now_mono):
    """The status a job shows now (its clock started); call under the lock."""
    return _phase_status(job.timeline, now_mono - job.start_mono)


def job_body(state, job_id):
    """Current body of a job, or None if the job is unknown."""
    with state.lock:
        job = state.resources[KIND].get(job_id)
        if job is None:
            return None
        job.start_clock(time.monotonic(), time.time())
        return render_job(job.timeline, job.start_wall, time.monotonic() - job.start_mono)


def job_times(state, job_id):
    """Admin view of a job's clock, or None if the job is unknown."""
    with state.lock:
        job = state.resources[KIND].get(job_id)
        if job is None:
            return None
        info = {'job_id': job_id, 'started_at_wall': job.start_wall, 'finished_at_wall': None,
                'status': None, 'requests': job.requests}
        if job.start_mono is not None:
            offset = _finish_offset(job.timeline)
            if offset is not None:
                info['finished_at_wall'] = job.start_wall + offset
            info['status'] = _phase_status(job.timeline, time.monotonic() - job.start_mono)
        return info


# --------------------------------------------------------------------------- routes


def get_job(request, job_id):
    body = job_body(request.server.state, job_id)
    if body is None:
        request.service_error(404, 'SFS.TURBO.0019', 'Invalid Job Id')
        return
    request.entry['job_status'] = body.get('status')
    echo = request.echo()
    if echo and body.get('status') not in FINAL_STATUSES:
        body['status'] = echo  # as a status, which a wait shows in warnings, progress lines and timeouts
    elif echo and body.get('status') == 'failed':
        body['fail_reason'] = request.echoed(body.get('fail_reason') or 'failed')
    request.send_json(200, body)


def admin_job(request, job_id):
    info = job_times(request.server.state, job_id)
    if info is None:
        request.service_error(404, 'SFS.TURBO.0019', 'Invalid Job Id')
    else:
        request.send_json(200, info)


ROUTES = [Route(r'/jobs/(?P<id>[^/]*)', KIND, {'GET': get_job})]
# GET /_emulator/jobs/<job_id>: a job's clock, status and request count.
ADMIN_ITEM = admin_job
