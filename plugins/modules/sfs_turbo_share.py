#!/usr/bin/python
# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: sfs_turbo_share
short_description: Create, expand, change the security group of, or delete an SFS Turbo file system, and wait for it
version_added: 1.2.0
description:
  - Brings one file system (share) of the SFS Turbo file-storage service of Open Telekom Cloud or Huawei Cloud to the state
    the task describes, idempotently, and waits until each operation it started has succeeded.
  - 'O(state=present) and no file system of that O(name): creates it (C(POST /v1/{project_id}/sfs-turbo/shares)) and waits
    for status V(200). An existing one: expands it when O(size) is larger (C(POST .../shares/{id}/action) with C(extend)),
    then changes its security group when O(security_group_id) differs (C(change_security_group)), each waited for before
    the next is sent. Nothing to change: no POST, C(changed=false).'
  - O(state=absent) deletes it (C(DELETE .../shares/{id})) and waits until it is gone; a file system that is already gone
    is C(changed=false).
  - An operation already running on the file system (created, expanded, ...) is waited for first, within O(timeout), and
    the comparisons are made on the state it leaves; one the API reports busy (C(SFS.TURBO.0011)) before any read shows it
    is waited out the same way. A file system in status V(400) (deleted) counts as gone. One whose creation failed
    (V(303)), failed (V(300)) or is frozen (V(800)) fails O(state=present) before any POST; O(state=absent) deletes it.
  - 'A request that changes something is never sent twice blindly: when the answer to a create is lost (a connection
    dropped after the request was sent, a timeout, HTTP 5xx), the module looks the file system up by name and adopts one
    that appeared; only when none did is the create sent again. The same for an expand (by O(size)) and a security-group
    change, and for a delete. A file system is never created twice by one task. A name already taken (C(409 SFS.TURBO.0009))
    by a file system this task did not create is compared with the task as any existing one is, never adopted as created.'
  - Waits follow the rules of M(otc_community.sfs_turbo.sfs_turbo_share_wait) (what ends each operation, the schedule,
    retries of transient failures until the timeout); one O(timeout) covers the whole task.
author:
  - otc_community.sfs_turbo contributors (@otc-community)
options:
  state:
    description:
      - V(present) creates the file system or brings an existing one to O(size) and O(security_group_id);
        V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  name:
    description:
      - The file system's name, which identifies it; exactly one file system of the project may carry it (two or more
        fail the task before any change, listing their ids).
      - 4 to 64 characters, starting with a letter; letters, digits, C(-) and C(_).
      - Required unless O(share_id) is given; the two are mutually exclusive.
    type: str
  share_id:
    description:
      - Identifies an existing file system instead of O(name) (a UUID; letters, digits, C(-) and C(_), at most 64
        characters). A file system is created only by O(name).
    type: str
  size:
    description:
      - Capacity in GB. Required to create.
      - On an existing file system a larger O(size) expands it; a smaller one fails before any POST, since SFS Turbo
        cannot shrink a file system.
    type: int
  security_group_id:
    description:
      - The security group. Required to create; on an existing file system another group changes it.
    type: str
  share_proto:
    description:
      - Create only. The file-sharing protocol; V(NFS) when creating and not given.
      - Like every create-only option, a given value that differs from the existing file system fails the task before
        any POST, naming the option and both values; defaults are not compared.
    type: str
  share_type:
    description:
      - Create only. V(STANDARD) or V(PERFORMANCE), or any other type the API accepts (passed as is); V(STANDARD) when
        creating and not given.
    type: str
  availability_zone:
    description:
      - Create only, required to create. The availability zone, for example V(eu-de-01).
    type: str
  vpc_id:
    description:
      - Create only, required to create. The VPC the file system is reached from.
    type: str
  subnet_id:
    description:
      - Create only, required to create. The subnet (its network id) within O(vpc_id).
    type: str
  enterprise_project_id:
    description:
      - Create only. The enterprise project (Huawei Cloud).
    type: str
  description:
    description:
      - Create only. A description of the file system.
    type: str
  metadata:
    description:
      - Create only. Passed into the create request's C(share.metadata) as given (C(crypt_key_id), C(expand_type),
        C(hpc_bw), ...), so that enhanced, HPC and encrypted types can be created.
      - Not compared on an existing file system, since the API does not return it as sent.
    type: dict
  wait:
    description:
      - Wait until each operation this task started has succeeded, and fail with its failure.
      - With V(false), return once the API has accepted the last operation; two operations (expand, then a security
        group) are still sent one after the other, since the API refuses a second while the first runs.
    type: bool
    default: true
  timeout:
    description:
      - Seconds for the whole task, the IAM login, the look-up, a running operation waited for first and every wait included.
      - When it passes, the task fails with RV(timed_out=true) and the last state seen.
    type: float
    default: 1800
  poll_interval:
    description:
      - Longest pause between two polls of a wait, in seconds; the schedule of
        M(otc_community.sfs_turbo.sfs_turbo_share_wait).
    type: float
    default: 10
  delay:
    description:
      - Seconds to wait before the first poll of each operation this task started.
    type: float
    default: 0
  progress_interval:
    description:
      - 'Seconds between two live progress lines while the task waits, one line per host, for example
        "sfs_turbo_share: web1: file system team-data available (status 200), expanding (sub_status 121), 1m30s elapsed, 14 polls".'
      - A line also comes at once when the status or sub_status changes. The default and the rules are those of
        O(otc_community.sfs_turbo.sfs_turbo_share_wait#module:progress_interval) (V(0) turns them off; live only when the
        module runs on the controller's machine; none in check mode). The lines are display only.
    type: float
    default: 30
extends_documentation_fragment:
  - otc_community.sfs_turbo._sfs_turbo
  - otc_community.sfs_turbo._sfs_turbo.attributes
attributes:
  check_mode:
    support: full
    details:
      - In check mode the module only reads (the look-up); C(changed) and RV(operations) say what it would start, and
        nothing is sent that changes anything. A running operation is not waited for.
  diff_mode:
    support: full
    details:
      - With C(--diff), C(before) and C(after) show V(state), V(name), V(size) and V(security_group_id).
notes:
  - The connection options (endpoint, project, credentials) are those of every module of the collection; set them once
    with C(module_defaults) for C(group/otc_community.sfs_turbo.sfs_turbo).
seealso:
  - module: otc_community.sfs_turbo.sfs_turbo_share_info
  - module: otc_community.sfs_turbo.sfs_turbo_share_wait
  - name: Creating a File System (SFS Turbo API reference)
    description: The create call and its fields.
    link: https://docs.otc.t-systems.com/scalable-file-service/api-ref/sfs_turbo_apis/lifecycle_management/creating_a_file_system.html
'''

EXAMPLES = r'''
# The connection options come from module_defaults (or the environment variables of the doc fragment), set once for
# the block. These examples run against the collection's emulator (role otc_community.sfs_turbo.emulator); use your
# own ids.
- name: A file system's lifecycle with the connection options set once
  module_defaults:
    group/otc_community.sfs_turbo.sfs_turbo:
      endpoint: https://sfs-turbo.eu-de.otc.t-systems.com
      project_id: "{{ otc_project_id }}"
      auth_token: "{{ iam_token }}"
  block:
    - name: Create a file system (or find it, when it exists), and wait until it is available
      otc_community.sfs_turbo.sfs_turbo_share:
        name: team-data
        size: 500
        security_group_id: 8c4ebbd0-6edf-4aae-8353-81ce6d06e1f4
        vpc_id: 0b3e2f9c-1a2b-4c5d-8e9f-0123456789ab
        subnet_id: 6f1d2c3b-4a5e-4f60-9a8b-c0d1e2f3a4b5
        availability_zone: eu-de-01
      register: team_fs

    - name: Show where it is
      ansible.builtin.debug:
        msg: "{{ team_fs.share_id }}: status {{ team_fs.share.status }}, {{ team_fs.share.size }} GB"

    - name: Expand it to 1000 GB (nothing is sent when it is that large already)
      otc_community.sfs_turbo.sfs_turbo_share:
        name: team-data
        size: 1000

    - name: Delete it, and wait until it is gone
      otc_community.sfs_turbo.sfs_turbo_share:
        name: team-data
        state: absent
'''

RETURN = r'''
share:
  description:
    - The file system as the API returned it at the last read; fields the API adds later are kept.
      See M(otc_community.sfs_turbo.sfs_turbo_share_info) for its fields.
    - With O(wait=false), read once after the API accepted; after a delete, the state before it; V({}) when there is none.
  returned: always
  type: dict
  sample:
    id: 708c017c-54b5-429a-a098-7692e23fa518
    name: team-data
    status: '200'
    size: '1000.00'
    security_group_id: 8c4ebbd0-6edf-4aae-8353-81ce6d06e1f4
share_id:
  description: The file system's id (the one created, found by name, or given); V(null) when there is none.
  returned: always
  type: str
  sample: 708c017c-54b5-429a-a098-7692e23fa518
operations:
  description: What this task started (in check mode, would start), in order; V([]) when nothing.
  returned: always
  type: list
  elements: str
  sample: [expand, change_security_group]
msg:
  description:
    - On failure, one sentence naming the file system, the operation and its status in words, or the option at fault.
  returned: failure
  type: str
  sample: "SFS Turbo file system 708c017c-54b5-429a-a098-7692e23fa518: expand failed, sub_status '321' (expansion failed)."
errCode:
  description: The API's C(errCode) (or the gateway's C(error_code)) when an API error ended the task.
  returned: on an API error, when known
  type: str
  sample: SFS.TURBO.0011
errMsg:
  description: The API's C(errMsg) (or the gateway's C(error_msg)) when an API error ended the task.
  returned: on an API error, when known
  type: str
  sample: Cluster is doing something
http_status:
  description: HTTP status code of the failed request, or of the answer that showed the failure.
  returned: on failure, when an HTTP response was received
  type: int
  sample: 400
request_id:
  description: Request ID of that response; quote it to support.
  returned: on failure, when the response carried one
  type: str
  sample: fd6530a01c09807640189e65e837b8ad
elapsed:
  description: Seconds the task took, the IAM login and every wait included.
  returned: with O(wait=true)
  type: float
  sample: 94.215
polls:
  description: GET requests made for the file system while waiting, retries included.
  returned: with O(wait=true)
  type: int
  sample: 17
timed_out:
  description: V(true) when O(timeout) passed before an operation finished; the task then fails with the last RV(share) seen.
  returned: failure, when a wait ended it
  type: bool
  sample: false
'''

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._module import SfsTurboModule
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import share_state_argument_spec
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._share_lifecycle import ShareLifecycle


def run_module():
    module = SfsTurboModule(share_state_argument_spec(), mutually_exclusive=[('name', 'share_id')], required_one_of=[('name', 'share_id')])
    module.finish(*ShareLifecycle(module).run())


def main():
    run_module()


if __name__ == '__main__':
    main()
