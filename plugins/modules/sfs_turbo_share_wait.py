#!/usr/bin/python
# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: sfs_turbo_share_wait
short_description: Wait for an operation on an SFS Turbo file system to finish
version_added: 1.1.0
description:
  - Waits for an operation that returns no job id (create, expand, change security group, add or remove a storage
    backend, delete) by polling the file system with C(GET /v1/{project_id}/sfs-turbo/shares/{share_id}) until its
    C(status) or C(sub_status) says the operation succeeded or failed, or until O(timeout) passes.
  - On Open Telekom Cloud no SFS Turbo API returns a job id, so this is the wait for every operation there; the
    file system's id is what the creating call returns (C(id)) and what the others are called with.
    M(otc_community.sfs_turbo.sfs_turbo_job_wait) waits for the job ids of Huawei Cloud's LDAP and AD-domain APIs.
  - 'What ends the wait, per O(operation): V(create) succeeds at status V(200) and fails at V(303), V(300), V(800) or V(400);
    V(expand) succeeds at sub_status V(221) (with O(size) reached, when given) and fails at V(321);
    V(change_security_group) succeeds at V(232) (with O(security_group_id) in place, when given) and fails at V(332);
    V(add_storage_backend) V(250) / V(350); V(remove_storage_backend) V(251) / V(351);
    V(delete) succeeds when the file system is gone (a 404 from the service, or status V(400)).'
  - A file system that does not exist fails the task at once, except for V(delete); so does, for every operation but
    V(delete), status V(400) (deleted) or V(800) (frozen; a frozen file system runs no operation until the cloud unfreezes
    it). A status or sub_status this module does not know is treated as not finished, with one warning.
  - The schedule, retries and timeout are those of M(otc_community.sfs_turbo.sfs_turbo_job_wait). The first polls
    come one second apart; after that each pause is 30 % of the time waited so far, up to O(poll_interval).
    Transient failures (connection errors, timeouts, HTTP 429, 500, 502, 503, 504) are retried until the timeout.
author:
  - otc_community.sfs_turbo contributors (@otc-community)
options:
  operation:
    description:
      - The operation to wait for; it must have been started already (by M(ansible.builtin.uri), the console,
        Terraform, ...), the module only watches.
      - See the description for what ends the wait for each one.
    type: str
    required: true
    choices: [create, expand, change_security_group, add_storage_backend, remove_storage_backend, delete]
  size:
    description:
      - O(operation=expand) only. The new capacity in GB (the C(new_size) of the expand call).
      - 'With it, the wait ends with success only when the file system reports sub_status V(221) B(and) a C(size) of at
        least this. Right after the expand call the file system may still show the V(221) or V(321) of an earlier
        expansion, or no sub_status at all; with O(size) neither ends a new wait early.'
      - 'With it, sub_status V(321) fails the wait at once when this wait saw the sub_status change to it; a V(321) that
        the first poll already shows fails it once it stayed unchanged for a grace period of three O(poll_interval)
        (30 s by default), counted from that poll: a leftover V(321) is replaced within seconds once a new expansion is
        accepted. RV(msg) says which of the two it was.'
      - Without it, the wait cannot tell a V(221) left by an earlier expansion from this one's, and ends at the first
        V(221) it sees. Give O(size) whenever the file system may have been expanded before.
    type: int
  security_group_id:
    description:
      - O(operation=change_security_group) only. The new security group (the C(security_group_id) of the call).
      - The same rules as O(size), the grace period too, with sub_status V(232) and V(332), and the file system's
        C(security_group_id).
    type: str
  fail_on_operation_failure:
    description:
      - Fail the task when the operation failed (see the description for the codes).
      - With V(false), the failed state is returned as data in RV(share) with the same RV(msg), and the task does not fail,
        so that a runbook can branch on C(share.status) and C(share.sub_status). A timeout or an API error still fails.
    type: bool
    default: true
  progress_interval:
    description:
      - 'Seconds between two live progress lines while the wait runs, one line per host, for example
        "sfs_turbo_share_wait: web1: file system 708c017c (expand) available (status 200), expanding (sub_status 121), 1m30s elapsed, 14 polls"
        or, while it is created, "... (create) creating (status 100), 22% done, 40s elapsed, 9 polls".'
      - A line also comes at once when the status or sub_status changes; the lines in between only show that the wait is alive.
      - The default and the rules are those of
        O(otc_community.sfs_turbo.sfs_turbo_job_wait#module:progress_interval) (30 s; V(0) turns them off; live only
        when the module runs on the controller's machine; only C(waiting) under C(no_log)).
      - The lines are display only; the task's result does not change. They show the file system's id, the operation, the status
        and sub_status codes with their meaning, how far a creation is, the time waited and the polls made, nothing else.
      - A wait for O(operation=create) or O(operation=delete) shows the status only, since a sub_status then is an
        earlier operation's.
    type: float
    default: 30
extends_documentation_fragment:
  - otc_community.sfs_turbo._sfs_turbo
  - otc_community.sfs_turbo._sfs_turbo.share
  - otc_community.sfs_turbo._sfs_turbo.wait
  - otc_community.sfs_turbo._sfs_turbo.attributes
notes:
  - The module only reads. Start the operation with the API (for example with M(ansible.builtin.uri)); the
    R(waiting guide,ansible_collections.otc_community.sfs_turbo.docsite.guide_waiting) has complete examples.
  - Two expansions of two file systems can be started first and waited for afterwards, in a later task or play; the
    module keeps no state between tasks.
  - The module comes with an action plugin of the same name, which runs it as Ansible's normal action would and
    prints the progress lines of O(progress_interval) while it runs.
seealso:
  - module: otc_community.sfs_turbo.sfs_turbo_share_info
  - module: otc_community.sfs_turbo.sfs_turbo_job_wait
  - name: Querying Details About a File System (SFS Turbo API reference)
    description: The API call this module makes, and what each C(status) and C(sub_status) means.
    link: https://docs.otc.t-systems.com/scalable-file-service/api-ref/sfs_turbo_apis/lifecycle_management/querying_details_about_a_file_system.html
'''

EXAMPLES = r'''
# The connection options come from module_defaults (or the environment variables of the doc fragment),
# set once for the block. The ids are file systems of the collection's emulator (role
# otc_community.sfs_turbo.emulator), against which these examples are tested; use your own.
- name: Wait for file-system operations, with the connection options set once
  module_defaults:
    group/otc_community.sfs_turbo.sfs_turbo:
      endpoint: https://sfs-turbo.eu-de.otc.t-systems.com
      project_id: "{{ otc_project_id }}"
      auth_token: "{{ iam_token }}"
  block:
    - name: Wait for a new file system to be available
      otc_community.sfs_turbo.sfs_turbo_share_wait:
        share_id: share-create-3s
        operation: create
      register: sfs_created

    - name: Show where it can be mounted
      ansible.builtin.debug:
        msg: "{{ sfs_created.share.name }} is available at {{ sfs_created.share.export_location }} after {{ sfs_created.elapsed }} s"

    - name: Wait for an expansion to 1000 GB (not fooled by an earlier expansion's 221)
      otc_community.sfs_turbo.sfs_turbo_share_wait:
        share_id: share-expand-3s
        operation: expand
        size: 1000

    - name: Wait for a change of security group
      otc_community.sfs_turbo.sfs_turbo_share_wait:
        share_id: share-sg-3s
        operation: change_security_group
        security_group_id: sg-emulator-new

    - name: Wait until a file system is gone
      otc_community.sfs_turbo.sfs_turbo_share_wait:
        share_id: share-delete-3s
        operation: delete
        timeout: 600

    - name: Handle a failed expansion in a runbook
      block:
        - name: Wait for the expansion
          otc_community.sfs_turbo.sfs_turbo_share_wait:
            share_id: share-expand-failed
            operation: expand
            timeout: 3600
            poll_interval: 30
      rescue:
        - name: Report what the file system says
          ansible.builtin.debug:
            msg:
              - "{{ ansible_failed_result.msg }}"
              - "status {{ ansible_failed_result.share.status | default('unknown') }},
                sub_status {{ ansible_failed_result.share.sub_status | default('none') }}"
              - "timed out: {{ ansible_failed_result.timed_out }}"

    - name: Wait without failing the play on a failed creation, and branch on the outcome
      otc_community.sfs_turbo.sfs_turbo_share_wait:
        share_id: share-create-failed
        operation: create
        fail_on_operation_failure: false
      register: sfs_wait

    - name: Clean up after a failed creation
      ansible.builtin.debug:
        msg: "Creation failed ({{ sfs_wait.msg }}); delete file system {{ sfs_wait.share.id }} and retry"
      when: sfs_wait.share.status == '303'
'''

RETURN = r'''
share:
  description:
    - The file system as the API returned it at the last poll; fields the API adds later are kept, not dropped.
      See M(otc_community.sfs_turbo.sfs_turbo_share_info) for its fields.
    - For O(operation=delete), the last state seen before the file system was gone, or V({}) when it was gone at the first poll.
    - Also returned on failure and on a timeout, when the file system was read.
  returned: success, or failure after the file system was read
  type: dict
  sample:
    id: 708c017c-54b5-429a-a098-7692e23fa518
    name: sfs-turbo-test
    status: '200'
    sub_status: '221'
    size: '1000.00'
    security_group_id: 8c4ebbd0-6edf-4aae-8353-81ce6d06e1f4
msg:
  description:
    - On failure, one sentence naming the file system, the operation, and the code that failed it with its meaning.
    - On a timeout, the timeout, the last status and sub_status seen (and C(size) or C(security_group_id), when given),
      and the last poll's failure if it failed.
    - The same sentence for a failed operation returned as data with O(fail_on_operation_failure=false); the task does not fail then.
  returned: failure, or a failed operation with O(fail_on_operation_failure=false)
  type: str
  sample: "SFS Turbo file system 708c017c-54b5-429a-a098-7692e23fa518: expand failed, sub_status '321' (expansion failed)."
errCode:
  description: The API's C(errCode) (or the gateway's C(error_code)) when an API error ended the wait.
  returned: on an API error, when known
  type: str
  sample: SFS.TURBO.0002
errMsg:
  description: The API's C(errMsg) (or the gateway's C(error_msg)) when an API error ended the wait.
  returned: on an API error, when known
  type: str
  sample: Cluster not found
http_status:
  description:
    - HTTP status code of the failed request, or of the answer that showed the failure or the last state before a timeout.
  returned: on failure, when an HTTP response was received
  type: int
  sample: 404
request_id:
  description: Request ID of that response (the C(X-request-id) header, or the gateway body's C(request_id)); quote it to support.
  returned: on failure, when the response carried one
  type: str
  sample: fd6530a01c09807640189e65e837b8ad
elapsed:
  description: Seconds from the start of the wait to its end, O(delay) and the IAM login (with password authentication) included.
  returned: always
  type: float
  sample: 94.215
polls:
  description: GET requests made for the file system, retries included; V(1) in check mode, which reads once.
  returned: always
  type: int
  sample: 17
timed_out:
  description: V(true) when O(timeout) passed before the operation finished; the task then fails with the last RV(share) seen.
  returned: always
  type: bool
  sample: false
'''

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._module import SfsTurboModule
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import share_wait_argument_spec
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._shares import OPERATIONS, ShareResource


def run_module():
    module = SfsTurboModule(share_wait_argument_spec(OPERATIONS))
    params = module.params
    share = ShareResource(params['share_id'], params['operation'], size=params['size'], security_group_id=params['security_group_id'],
                          poll_interval=params['poll_interval'])
    module.finish(*module.wait(share, fail_on_failure=params['fail_on_operation_failure']))


def main():
    run_module()


if __name__ == '__main__':
    main()
