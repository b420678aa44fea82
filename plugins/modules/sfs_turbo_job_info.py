#!/usr/bin/python
# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: sfs_turbo_job_info
short_description: Read the state of one SFS Turbo task (job)
version_added: 1.0.0
description:
  - Reads one asynchronous task (job) of the SFS Turbo file-storage service of Open Telekom Cloud or Huawei Cloud
    with one C(GET /v1/{project_id}/sfs-turbo/jobs/{job_id}) and returns it with its sub-jobs.
  - The module never sleeps or polls; use M(otc_community.sfs_turbo.sfs_turbo_job_wait) to wait for a job to finish.
  - A job whose status is V(failed) fails the task with the job's error code and reason,
    unless O(fail_on_job_failure=false).
  - An API error fails the task with RV(errCode), RV(errMsg), RV(http_status) and RV(request_id).
  - A file system's id is no job id; the API answers it with C(SFS.TURBO.0019) (Invalid Job Id), and RV(msg) then
    points to M(otc_community.sfs_turbo.sfs_turbo_share_wait) (and M(otc_community.sfs_turbo.sfs_turbo_share_info) reads one).
  - Job ids come from Huawei Cloud's LDAP and AD-domain APIs of a file system (C(.../shares/{id}/fs/ldap),
    C(.../shares/{id}/fs/active-directory-domain)), which answer with a C(jobId); call them with
    M(otc_community.sfs_turbo.sfs_turbo_request), which returns that id as
    RV(otc_community.sfs_turbo.sfs_turbo_request#module:job_id). Open Telekom Cloud's documented SFS Turbo APIs return none.
author:
  - otc_community.sfs_turbo contributors (@otc-community)
extends_documentation_fragment:
  - otc_community.sfs_turbo._sfs_turbo
  - otc_community.sfs_turbo._sfs_turbo.job
  - otc_community.sfs_turbo._sfs_turbo.attributes
seealso:
  - module: otc_community.sfs_turbo.sfs_turbo_request
  - module: otc_community.sfs_turbo.sfs_turbo_job_wait
  - name: Querying the Status of a Task (SFS Turbo API reference)
    description: The API call this module makes.
    link: https://docs.otc.t-systems.com/scalable-file-service/api-ref/sfs_turbo_apis/task_management/index.html
'''

EXAMPLES = r'''
- name: Read a job with the connection options given in the task
  otc_community.sfs_turbo.sfs_turbo_job_info:
    endpoint: https://sfs-turbo.eu-de.otc.t-systems.com
    project_id: 0123456789abcdef0123456789abcdef
    auth_token: "{{ iam_token }}"
    # the jobId an LDAP API of the file system returned (32 hex digits; UUIDs work too)
    job_id: 72362d0a0a04d419dbd5e6d9fe5a0b1c
  register: sfs_job

- name: Set the connection options once for every module of the collection
  module_defaults:
    group/otc_community.sfs_turbo.sfs_turbo:
      endpoint: https://sfs-turbo.eu-de.otc.t-systems.com
      project_id: "{{ otc_project_id }}"
      auth_token: "{{ iam_token }}"
  block:
    - name: Read the job
      otc_community.sfs_turbo.sfs_turbo_job_info:
        job_id: "{{ job_id }}"
      register: sfs_job

- name: Read a job without failing when it failed, and branch on its status
  otc_community.sfs_turbo.sfs_turbo_job_info:
    job_id: "{{ job_id }}"
    fail_on_job_failure: false
  register: sfs_job

- name: Report the failed sub-jobs of a failed job
  ansible.builtin.debug:
    msg: "{{ sfs_job.sub_jobs | selectattr('status', 'equalto', 'failed') | map(attribute='job_id') | list }}"
  when: sfs_job.job.status == 'failed'

- name: Go on only while the job is still pending
  ansible.builtin.debug:
    msg: "Job {{ sfs_job.job.job_id }} is {{ sfs_job.job.status }}"
  when: sfs_job.job.status in ['waiting', 'running']
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
    - The same sentence for a failed job returned as data with O(fail_on_job_failure=false), beside RV(job),
      RV(errCode) and RV(errMsg); the task does not fail then.
  returned: failure, or a failed job with O(fail_on_job_failure=false)
  type: str
  sample: 'SFS Turbo job 26f6b565-0b4e-4cd4-8d6e-03f0bd975433 (create_share) failed with SFS.TURBO.0030: Ecs resource not enough; failed sub-jobs: 5a2b8f3c.'
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
'''

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._jobs import JobResource
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._module import SfsTurboModule
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import job_argument_spec


def run_module():
    module = SfsTurboModule(job_argument_spec())
    job = JobResource(module.params['job_id'])
    module.finish(*module.read(job, fail_on_failure=module.params['fail_on_job_failure']))


def main():
    run_module()


if __name__ == '__main__':
    main()
