#!/usr/bin/python
# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: sfs_turbo_job_wait
short_description: Wait for an SFS Turbo task (job) to finish
version_added: 1.0.0
description:
  - Polls one asynchronous task (job) of the SFS Turbo file-storage service of Open Telekom Cloud or Huawei Cloud
    with C(GET /v1/{project_id}/sfs-turbo/jobs/{job_id}) until its status is V(success) or V(failed), or until O(timeout) passes.
  - The first polls come one second apart, so a quick job is seen within about a second. After that, each pause is
    30 % of the time waited so far, up to O(poll_interval), so a long job costs few requests and is still seen
    within 30 % of its run time.
  - Transient failures (connection errors, timeouts, HTTP 429, 500, 502, 503, 504) are retried until the timeout,
    not only O(retries) times. Other API errors fail the task at once.
  - A job that V(failed) fails the task exactly as M(otc_community.sfs_turbo.sfs_turbo_job_info) does,
    unless O(fail_on_job_failure=false).
  - A status other than V(waiting), V(running), V(success) and V(failed) is treated as not finished, with one warning.
  - Job ids come from Huawei Cloud's LDAP and AD-domain APIs of a file system (C(.../shares/{id}/fs/ldap),
    C(.../shares/{id}/fs/active-directory-domain)), which answer with a C(jobId); call them with
    M(otc_community.sfs_turbo.sfs_turbo_request), which returns that id as
    RV(otc_community.sfs_turbo.sfs_turbo_request#module:job_id). Open Telekom Cloud's documented SFS Turbo APIs return none.
author:
  - otc_community.sfs_turbo contributors (@otc-community)
options:
  progress_interval:
    description:
      - 'Seconds between two live progress lines while the wait runs, one line per host, for example
        "sfs_turbo_job_wait: web1: job 26f6b565 (bind_ldap) running, sub-jobs 2/5 done, 1m30s elapsed, 14 polls".'
      - A line also comes at once when the job's status or its sub-job tally changes, so the first poll and every
        step of the job show up without delay; the lines in between only show that the wait is alive.
      - Why 30 s by default. An operator sees within half a minute that the wait is alive, and a 30-minute wait (the
        default O(timeout)) prints about 60 lines per host, few enough to read in an AWX job's output. The job's state
        is refreshed only every O(poll_interval) seconds anyway, and changes print at once. Set it lower to watch a
        short job closely, higher when many hosts wait at once.
      - V(0) turns the lines off. Other values must be at least 1 second.
      - The lines are display only; the task's result does not change. They show the job id, C(job_type), status,
        sub-jobs finished/failed/total, the time waited and the polls made, nothing else of the job and never a
        credential. With C(no_log) they say only C(waiting) and the time.
      - While requests fail, a line says so at once and then every O(progress_interval), with the cause in words
        (C(HTTP 503), C(connection refused), C(timed out), C(throttled, retry in 4 s)), the time since the last good
        answer and the last status seen; the first line after the outage says that answers came back. A failing IAM
        login shows the same way, and O(delay) shows as a delay.
      - 'The status is live only when the module runs on the controller''s machine (C(hosts: localhost), C(delegate_to: localhost),
        or C(ansible_connection=local)). On another host the lines show only the time waited; under C(async) there are
        none (Ansible''s own C(ASYNC POLL) lines show instead). See the
        R(waiting guide,ansible_collections.otc_community.sfs_turbo.docsite.guide_waiting) for output piped to a file.'
    type: float
    default: 30
    version_added: 1.1.0
extends_documentation_fragment:
  - otc_community.sfs_turbo._sfs_turbo
  - otc_community.sfs_turbo._sfs_turbo.job
  - otc_community.sfs_turbo._sfs_turbo.wait
  - otc_community.sfs_turbo._sfs_turbo.attributes
notes:
  - A file system's id is no job id; the API answers it with C(SFS.TURBO.0019) (Invalid Job Id), and RV(msg) then
    points to M(otc_community.sfs_turbo.sfs_turbo_share_wait), which waits for the operations that return a file system's id.
  - O(timeout) bounds the wait inside one task run. Ansible's C(async) bounds a whole task run in the background;
    use C(async) only to do other work meanwhile, and give it more time than O(timeout), or the wait is cut off
    without the module's timeout result.
  - One request never runs past the deadline either, IAM requests included; O(request_timeout) is shortened near the end.
  - A slow or stalled server counts as a transient timeout; when the deadline passes during one, the task fails with
    RV(timed_out=true) and a RV(msg) that says the last poll timed out.
  - The module comes with an action plugin of the same name, which runs it as Ansible's normal action would and
    prints the progress lines of O(progress_interval) while it runs.
seealso:
  - module: otc_community.sfs_turbo.sfs_turbo_request
  - module: otc_community.sfs_turbo.sfs_turbo_job_info
'''

EXAMPLES = r'''
- name: Wait for a job, with the connection options set once
  module_defaults:
    group/otc_community.sfs_turbo.sfs_turbo:
      endpoint: https://sfs-turbo.eu-de.otc.t-systems.com
      project_id: "{{ otc_project_id }}"
      auth_token: "{{ iam_token }}"
  block:
    - name: Wait up to 30 minutes for the job to finish
      otc_community.sfs_turbo.sfs_turbo_job_wait:
        job_id: "{{ job_id }}"
      register: sfs_wait

    - name: Show how long it took
      ansible.builtin.debug:
        msg: "Job {{ sfs_wait.job.job_id }} succeeded after {{ sfs_wait.elapsed }} s and {{ sfs_wait.polls }} polls"

- name: Handle a failed job in a runbook
  block:
    - name: Wait for the job
      otc_community.sfs_turbo.sfs_turbo_job_wait:
        job_id: "{{ job_id }}"
        timeout: 3600
        poll_interval: 30
        delay: 60
      register: sfs_wait
  rescue:
    - name: Report the job's error code and the sub-jobs that failed
      ansible.builtin.debug:
        msg:
          - "{{ ansible_failed_result.msg }}"
          - "errCode={{ ansible_failed_result.errCode | default('n/a') }} errMsg={{ ansible_failed_result.errMsg | default('n/a') }}"
          - "failed sub-jobs: {{ ansible_failed_result.sub_jobs | default([]) | selectattr('status', 'equalto', 'failed') | map(attribute='job_id') | list }}"

    - name: Retry later when only the timeout passed
      ansible.builtin.debug:
        msg: "Still {{ ansible_failed_result.job.status | default('unknown') }}; try again later"
      when: ansible_failed_result.timed_out | default(false) | bool

- name: Wait without failing the play on a failed job, and branch on the outcome
  otc_community.sfs_turbo.sfs_turbo_job_wait:
    job_id: "{{ job_id }}"
    fail_on_job_failure: false
  register: sfs_wait

# Where a job id comes from: Huawei Cloud's LDAP API of a file system, called with sfs_turbo_request,
# which returns the answer's jobId as job_id:
#
# - name: Configure LDAP for a file system (the bind password is in the body, so no_log)
#   otc_community.sfs_turbo.sfs_turbo_request:
#     path: shares/{{ share_id }}/fs/ldap
#     method: POST
#     body:
#       url: ldap://192.168.1.10:389
#       base_dn: dc=example,dc=com
#       user_dn: cn=admin,dc=example,dc=com
#       password: "{{ ldap_password }}"
#   no_log: true
#   register: sfs_ldap
#
# - name: Wait for the LDAP job
#   otc_community.sfs_turbo.sfs_turbo_job_wait:
#     job_id: "{{ sfs_ldap.job_id }}"
'''

RETURN = r'''
job:
  description:
    - The task as the API returned it. Fields the API omits (C(end_time), C(error_code), C(fail_reason), C(sub_jobs))
      are absent, and fields the API adds later are kept.
    - Also returned on failure when the job was read.
  returned: success, or failure after the job was read
  type: dict
  contains:
    job_id:
      description: The task ID.
      type: str
      sample: 26f6b565-0b4e-4cd4-8d6e-03f0bd975433
    status:
      description: V(waiting) or V(running) (not finished), V(success) or V(failed) (finished).
      type: str
      sample: success
    job_type:
      description:
        - The kind of task, for example V(create_share), V(extend_share), V(bind_ldap).
        - An open set; values not in the API's enum are returned as they are.
      type: str
      sample: bind_ldap
    begin_time:
      description: When the task began, UTC, as C(YYYY-MM-DD HH:MM:SS).
      type: str
      sample: '2023-07-26 09:33:58'
    end_time:
      description: When the task ended, UTC, as C(YYYY-MM-DD HH:MM:SS). Absent while it runs.
      type: str
      returned: when the API gives it
      sample: '2023-07-26 09:34:12'
    error_code:
      description: Error code of a failed task.
      type: str
      returned: when the API gives it
      sample: SFS.TURBO.0030
    fail_reason:
      description: Why the task failed.
      type: str
      returned: when the API gives it
      sample: Ecs resource not enough
    sub_jobs:
      description: The sub-tasks, with the same fields as the task except C(sub_jobs).
      type: list
      elements: dict
      returned: when the API gives it
  sample:
    job_id: 26f6b565-0b4e-4cd4-8d6e-03f0bd975433
    status: success
    job_type: bind_ldap
    begin_time: '2023-07-26 09:33:58'
    end_time: '2023-07-26 09:33:58'
sub_jobs:
  description: The job's C(sub_jobs), or an empty list when the API gave none.
  returned: success, or failure after the job was read
  type: list
  elements: dict
  contains:
    job_id:
      description: The sub-task ID.
      type: str
      sample: 5a2b8f3c-1d4e-4f60-9a7b-8c9d0e1f2a3b
    status:
      description: The sub-task's status.
      type: str
      sample: failed
    job_type:
      description: The kind of sub-task.
      type: str
      sample: create_share
    begin_time:
      description: When the sub-task began, UTC.
      type: str
      sample: '2023-07-26 09:33:58'
    end_time:
      description: When the sub-task ended, UTC.
      type: str
      returned: when the API gives it
      sample: '2023-07-26 09:34:12'
    error_code:
      description: Error code of a failed sub-task.
      type: str
      returned: when the API gives it
      sample: SFS.TURBO.0029
    fail_reason:
      description: Why the sub-task failed.
      type: str
      returned: when the API gives it
      sample: Subnet has not enough ips
  sample: []
msg:
  description:
    - On failure, one sentence saying what failed, the job, the error code and message, and the failed sub-jobs.
    - On a timeout, the timeout, the last status seen, and the last poll's failure if it failed (a request that
      timed out, say).
    - The same sentence for a failed job returned as data with O(fail_on_job_failure=false), beside RV(job),
      RV(errCode) and RV(errMsg); the task does not fail then.
  returned: failure, or a failed job with O(fail_on_job_failure=false)
  type: str
  sample: "Timed out after 1800 s waiting for SFS Turbo job 26f6b565-0b4e-4cd4-8d6e-03f0bd975433; its last status was 'running'."
errCode:
  description:
    - For an API error, the API's C(errCode) (or the gateway's C(error_code)).
    - For a failed job, its C(error_code), or that of its first failed sub-job when the job carries none.
  returned: on an API error or a failed job (also with O(fail_on_job_failure=false), when the task does not fail), when known
  type: str
  sample: SFS.TURBO.0019
errMsg:
  description:
    - For an API error, the API's C(errMsg) (or the gateway's C(error_msg)).
    - For a failed job, its C(fail_reason), or that of its first failed sub-job.
  returned: on an API error or a failed job (also with O(fail_on_job_failure=false), when the task does not fail), when known
  type: str
  sample: Invalid Job Id
http_status:
  description:
    - HTTP status code of the failed request, or of the answer that reported a failed job or the last state before a timeout.
  returned: on failure, when an HTTP response was received
  type: int
  sample: 404
request_id:
  description:
    - Request ID of that response (the C(X-request-id) header, or the gateway body's C(request_id)); quote it to support.
  returned: on failure, when the response carried one
  type: str
  sample: fd6530a01c09807640189e65e837b8ad
elapsed:
  description: Seconds from the start of the wait to its end, O(delay) and the IAM login (with password authentication) included.
  returned: always
  type: float
  sample: 4.215
polls:
  description: GET requests made for the job, retries included; V(1) in check mode, which reads once.
  returned: always
  type: int
  sample: 5
timed_out:
  description: V(true) when O(timeout) passed before the job finished; the task then fails with the last RV(job) seen.
  returned: always
  type: bool
  sample: false
'''

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._jobs import JobResource
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._module import SfsTurboModule
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import job_wait_argument_spec


def run_module():
    module = SfsTurboModule(job_wait_argument_spec())
    job = JobResource(module.params['job_id'])
    module.finish(*module.wait(job, fail_on_failure=module.params['fail_on_job_failure']))


def main():
    run_module()


if __name__ == '__main__':
    main()
