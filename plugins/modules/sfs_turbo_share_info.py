#!/usr/bin/python
# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: sfs_turbo_share_info
short_description: Read the state of one SFS Turbo file system, find file systems by name, or list them all
version_added: 1.1.0
description:
  - With O(share_id), reads one file system (share) of the SFS Turbo file-storage service of Open Telekom Cloud or Huawei Cloud
    with one C(GET /v1/{project_id}/sfs-turbo/shares/{share_id}) and returns it as the API gave it, in RV(share).
  - With O(name), reads every page of the project's file systems (C(GET /v1/{project_id}/sfs-turbo/shares/detail))
    and returns those named exactly O(name) in RV(shares), and in RV(share) too when exactly one is. None is no failure.
  - With neither, returns every file system of the project in RV(shares).
  - Most SFS Turbo operations (create, expand, change security group, delete) return no job id; they report their
    progress in the file system's C(status) and C(sub_status), which this module returns. It never sleeps or polls;
    use M(otc_community.sfs_turbo.sfs_turbo_share_wait) to wait for an operation to finish.
  - A file system that does not exist fails a task with O(share_id) with RV(errCode) (the service answers C(SFS.TURBO.0002)
    "Cluster not found"), RV(errMsg) and RV(http_status) V(404). Any other API error fails it the same way.
author:
  - otc_community.sfs_turbo contributors (@otc-community)
options:
  share_id:
    description:
      - ID of the SFS Turbo file system (share) to read, as returned by the API that created it (C(id)) or shown in the console.
      - A UUID; letters, digits, C(-) and C(_) only, at most 64 characters.
      - Mutually exclusive with O(name). With neither, every file system is listed.
    type: str
  name:
    description:
      - Name of the file systems to find; only an exact match counts (letter case included, no substrings).
      - Any text of 1 to 255 characters is looked up (it is matched in the listing, never put in a URL), so a name that no
        file system can carry simply finds none.
      - Mutually exclusive with O(share_id).
    type: str
    version_added: 1.2.0
extends_documentation_fragment:
  - otc_community.sfs_turbo._sfs_turbo
  - otc_community.sfs_turbo._sfs_turbo.attributes
seealso:
  - module: otc_community.sfs_turbo.sfs_turbo_share_wait
  - name: Querying Details About a File System (SFS Turbo API reference)
    description: The API call this module makes, and what each C(status) and C(sub_status) means.
    link: https://docs.otc.t-systems.com/scalable-file-service/api-ref/sfs_turbo_apis/lifecycle_management/querying_details_about_a_file_system.html
'''

EXAMPLES = r'''
# The connection options come from module_defaults (or the environment variables of the doc fragment),
# set once for the block. The ids are file systems of the collection's emulator (role
# otc_community.sfs_turbo.emulator), against which these examples are tested; use your own.
- name: Read file systems with the connection options set once
  module_defaults:
    group/otc_community.sfs_turbo.sfs_turbo:
      endpoint: https://sfs-turbo.eu-de.otc.t-systems.com
      project_id: "{{ otc_project_id }}"
      auth_token: "{{ iam_token }}"
  block:
    - name: Read a file system
      otc_community.sfs_turbo.sfs_turbo_share_info:
        share_id: share-available
      register: sfs_share

    - name: Show its status, size and last modification
      ansible.builtin.debug:
        msg: "{{ sfs_share.share.name }}: status {{ sfs_share.share.status }}, {{ sfs_share.share.size }} GB,
          sub_status {{ sfs_share.share.sub_status | default('none (never modified)') }}"

    - name: Go on only when the file system is available
      ansible.builtin.assert:
        that: sfs_share.share.status == '200'
        fail_msg: "File system {{ sfs_share.share.id }} is not available (status {{ sfs_share.share.status }})"

    - name: Read a file system that may not exist, without failing
      otc_community.sfs_turbo.sfs_turbo_share_info:
        share_id: share-does-not-exist
      register: sfs_maybe
      failed_when: sfs_maybe.failed and sfs_maybe.http_status | default(0) != 404

    - name: Say so when it does not exist
      ansible.builtin.debug:
        msg: "No such file system ({{ sfs_maybe.errCode }})"
      when: sfs_maybe.http_status | default(0) == 404

    - name: Find a file system by its name
      otc_community.sfs_turbo.sfs_turbo_share_info:
        name: sfs-turbo-share-available
      register: sfs_by_name

    - name: Go on only when exactly one file system carries that name
      ansible.builtin.assert:
        that: sfs_by_name.shares | length == 1
        fail_msg: "{{ sfs_by_name.shares | length }} file systems are named sfs-turbo-share-available"

    - name: Use it by its id
      ansible.builtin.debug:
        msg: "sfs-turbo-share-available is {{ sfs_by_name.share.id }}, status {{ sfs_by_name.share.status }}"

    - name: List every file system of the project
      otc_community.sfs_turbo.sfs_turbo_share_info:
      register: sfs_all

    - name: Show the ids of those still being created
      ansible.builtin.debug:
        msg: "{{ sfs_all.shares | selectattr('status', 'equalto', '100') | map(attribute='id') | list }}"
'''

RETURN = r'''
share:
  description:
    - The file system as the API returned it; fields the API adds later are kept, not dropped.
    - With O(share_id), the one read. With O(name), the one file system of that name, only when exactly one carries it
      (with none or several, look at RV(shares)). Not returned by a listing without O(name).
    - The fields below are those a wait looks at; the API returns more (C(share_proto), C(share_type),
      C(availability_zone), C(vpc_id), C(subnet_id), C(export_location), C(created_at), ...).
  returned: success with O(share_id); with O(name) when exactly one file system carries it
  type: dict
  contains:
    id:
      description: The file system's ID.
      type: str
      sample: 708c017c-54b5-429a-a098-7692e23fa518
    name:
      description: The file system's name.
      type: str
      sample: sfs-turbo-test
    status:
      description:
        - V(100) creating, V(200) available, V(303) creation failed, V(300) failed, V(400) deleted, V(800) frozen.
      type: str
      sample: '200'
    sub_status:
      description:
        - The last modification and how it went, V(121)/V(221)/V(321) expanding/expanded/expansion failed,
          V(132)/V(232)/V(332) changing/changed/failed to change the security group,
          V(150)/V(250)/V(350) and V(151)/V(251)/V(351) adding and removing a storage backend.
        - Absent or empty when the file system was never modified.
      type: str
      returned: when the API gives it
      sample: '221'
    size:
      description: Capacity in GB, as a string with two decimals.
      type: str
      sample: '500.00'
    security_group_id:
      description: The security group of the file system.
      type: str
      sample: 8c4ebbd0-6edf-4aae-8353-81ce6d06e1f4
    action_progress:
      description: 'While the file system is created, how far that is, for example C({"CREATING": "22%"}).'
      type: dict
      returned: while it is created
      sample: {"CREATING": "22%"}
  sample:
    id: 708c017c-54b5-429a-a098-7692e23fa518
    name: sfs-turbo-test
    status: '200'
    sub_status: '221'
    size: '1000.00'
    security_group_id: 8c4ebbd0-6edf-4aae-8353-81ce6d06e1f4
    share_proto: NFS
    share_type: STANDARD
shares:
  description:
    - With O(name), the file systems named exactly so, in the API's order (an empty list when none is).
      Without O(name) (and without O(share_id)), every file system of the project.
    - Each as the listing returned it, with the fields of RV(share); fields the API adds later are kept.
    - Not returned with O(share_id), which reads one file system and returns it as RV(share) only.
  returned: success without O(share_id)
  type: list
  elements: dict
  sample:
    - id: 708c017c-54b5-429a-a098-7692e23fa518
      name: sfs-turbo-test
      status: '200'
      sub_status: '221'
      size: '1000.00'
      security_group_id: 8c4ebbd0-6edf-4aae-8353-81ce6d06e1f4
      share_proto: NFS
      share_type: STANDARD
    - id: 65f2d30b-7b4b-4ed7-a8d6-6f2d4b1b4ba7
      name: sfs-turbo-test
      status: '100'
      size: '500.00'
      security_group_id: 8c4ebbd0-6edf-4aae-8353-81ce6d06e1f4
      action_progress: {"CREATING": "22%"}
      share_proto: NFS
      share_type: STANDARD
msg:
  description: On failure, one sentence saying what failed, with the API's error code and message.
  returned: failure
  type: str
  sample: >-
    Could not query SFS Turbo file system share-x: HTTP 404 Not Found from
    https://sfs-turbo.eu-de.otc.t-systems.com/v1/0123456789abcdef0123456789abcdef/sfs-turbo/shares/share-x,
    SFS.TURBO.0002: Cluster not found.
errCode:
  description: The API's C(errCode) (or the gateway's C(error_code)).
  returned: on an API error, when known
  type: str
  sample: SFS.TURBO.0002
errMsg:
  description: The API's C(errMsg) (or the gateway's C(error_msg)).
  returned: on an API error, when known
  type: str
  sample: Cluster not found
http_status:
  description: HTTP status code of the failed request.
  returned: on failure, when an HTTP response was received
  type: int
  sample: 404
request_id:
  description: Request ID of that response (the C(X-request-id) header, or the gateway body's C(request_id)); quote it to support.
  returned: on failure, when the response carried one
  type: str
  sample: fd6530a01c09807640189e65e837b8ad
'''

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._module import SfsTurboModule
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import SHARE_INFO_MUTUALLY_EXCLUSIVE, share_info_argument_spec
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._shares import share_info_resource


def run_module():
    module = SfsTurboModule(share_info_argument_spec(), mutually_exclusive=SHARE_INFO_MUTUALLY_EXCLUSIVE)
    module.finish(*module.read(share_info_resource(module.params)))


def main():
    run_module()


if __name__ == '__main__':
    main()
