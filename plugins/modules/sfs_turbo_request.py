#!/usr/bin/python
# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: sfs_turbo_request
short_description: Send one authenticated request to any SFS Turbo API
version_added: 1.2.0
description:
  - Sends one request to any path of the SFS Turbo API, with the collection's authentication (IAM token, password,
    AK/SK signing, C(clouds.yaml)), for the APIs no module covers yet (LDAP and AD-domain configuration, storage backends,
    data tasks, tags, quotas). M(ansible.builtin.uri) cannot sign a request with AK/SK.
  - The request is sent once. C(GET), C(PUT) and C(DELETE) are retried on a transient failure as every request of the
    collection; a C(POST) only when it cannot have reached the server (connection refused, DNS failure), never after
    a timeout, a dropped connection, HTTP 429 or a 5xx.
  - An answer whose status O(status_code) does not list fails the task with RV(errCode), RV(errMsg), RV(http_status)
    and RV(request_id), as the other modules do.
  - The module knows nothing of what the request does, so it is not idempotent, and reports C(changed=true) for every
    method but C(GET).
author:
  - otc_community.sfs_turbo contributors (@otc-community)
extends_documentation_fragment:
  - otc_community.sfs_turbo._sfs_turbo
  - otc_community.sfs_turbo._sfs_turbo.attributes
attributes:
  check_mode:
    support: full
    details:
      - In check mode a C(GET) is sent and returns what it would; a C(POST), C(PUT) or C(DELETE) is not sent, and the task
        reports C(changed=true) with a RV(msg) saying so (the options are checked and the credentials used all the same).
  diff_mode:
    support: none
    details:
      - The module does not know what the request changes.
  idempotent:
    support: none
    details:
      - A C(GET) changes nothing; any other method is reported as a change each time it is sent.
options:
  path:
    description:
      - Path of the API. A relative path is below C(/v1/{project_id}/sfs-turbo/), so V(shares/<share_id>/fs/ldap) means
        C(/v1/<project_id>/sfs-turbo/shares/<share_id>/fs/ldap).
      - A path starting with C(/v1/) or C(/v2/) is taken as it is, below the endpoint; C({project_id}) in it is replaced
        by the project of the connection options. Any other leading C(/) fails.
      - The task fails before any request on a path with a scheme or host, C(//), C(.) or C(..) segments, C(?), C(#),
        C(%) (no percent-encoding), a backslash, whitespace or control characters, or a placeholder other than
        C({project_id}). Give query parameters in O(query).
    type: str
    required: true
  method:
    description: HTTP method of the request.
    type: str
    choices: [GET, POST, PUT, DELETE]
    default: GET
  body:
    description:
      - The request's body, a dict or a list, sent as JSON.
      - A secret in it (the bind password of an LDAP configuration) is not known to the module as a secret; set
        C(no_log) to V(true) on the task, so that it is not shown with the task's arguments.
    type: raw
  query:
    description:
      - Query parameters, a dict of names and values (strings, numbers, booleans as V(true)/V(false)), encoded for the URL.
    type: dict
  status_code:
    description:
      - The HTTP statuses that count as success. Any other fails the task with the API's error keys.
      - A status listed here is not retried, even one that would be (V(503)), nor answered by a fresh IAM login (V(401)
        with password authentication); one not listed is retried as usual.
    type: list
    elements: int
    default: [200, 201, 202, 204]
seealso:
  - module: otc_community.sfs_turbo.sfs_turbo_job_wait
  - module: otc_community.sfs_turbo.sfs_turbo_share_wait
  - name: SFS Turbo API reference
    description: The paths, methods and bodies of the API.
    link: https://docs.otc.t-systems.com/scalable-file-service/api-ref/sfs_turbo_apis/index.html
'''

EXAMPLES = r'''
# The connection options come from module_defaults (or the environment variables of the doc fragment),
# set once for the block. The ids are file systems of the collection's emulator (role
# otc_community.sfs_turbo.emulator), against which these examples are tested; use your own.
- name: Call SFS Turbo APIs no module covers, with the connection options set once
  module_defaults:
    group/otc_community.sfs_turbo.sfs_turbo:
      endpoint: https://sfs-turbo.eu-de.otc.t-systems.com
      project_id: "{{ otc_project_id }}"
      auth_token: "{{ iam_token }}"
  block:
    - name: Read a file system (a relative path is below /v1/{project_id}/sfs-turbo/)
      otc_community.sfs_turbo.sfs_turbo_request:
        path: shares/share-available
      register: sfs_read

    - name: Show its status
      ansible.builtin.debug:
        msg: "{{ sfs_read.json.name }} is in status {{ sfs_read.json.status }} (HTTP {{ sfs_read.status }})"

    - name: The same request with the full path
      otc_community.sfs_turbo.sfs_turbo_request:
        path: /v1/{project_id}/sfs-turbo/shares/share-available

    - name: Expand a file system to 600 GB (a POST is never resent once it may have reached the server)
      otc_community.sfs_turbo.sfs_turbo_request:
        path: shares/share-expanded-earlier/action
        method: POST
        body:
          extend:
            new_size: 600
        status_code: [202]
      register: sfs_expand

    - name: Wait for the expansion to end
      otc_community.sfs_turbo.sfs_turbo_share_wait:
        share_id: share-expanded-earlier
        operation: expand
        size: 600

    - name: Read a file system that may not exist, without failing (404 counts as an answer)
      otc_community.sfs_turbo.sfs_turbo_request:
        path: shares/share-does-not-exist
        status_code: [200, 404]
      register: sfs_maybe

    - name: Say so when it does not exist
      ansible.builtin.debug:
        msg: "No such file system ({{ sfs_maybe.json.errCode }})"
      when: sfs_maybe.status == 404

# An API that starts a job returns its id (jobId or job_id), lifted into job_id for sfs_turbo_job_wait:
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
status:
  description: HTTP status of the answer.
  returned: when the request was sent and its status is in O(status_code)
  type: int
  sample: 202
json:
  description:
    - The answer's body as the API returned it (a dict, or a list for some APIs); V({}) for an empty body.
    - Secrets of the connection options are masked in it, should the server echo one.
  returned: when the request was sent and its status is in O(status_code)
  type: raw
  sample: {"jobId": "26f6b565-0b4e-4cd4-8d6e-03f0bd975433"}
job_id:
  description: The job id the body carries (C(jobId) or C(job_id)), for M(otc_community.sfs_turbo.sfs_turbo_job_wait).
  returned: when the body is a dict with a C(jobId) or C(job_id) string
  type: str
  sample: 26f6b565-0b4e-4cd4-8d6e-03f0bd975433
request_id:
  description:
    - Request ID of the answer (the C(X-request-id) header, or the gateway body's C(request_id)); quote it to support.
  returned: when the response carried one
  type: str
  sample: fd6530a01c09807640189e65e837b8ad
msg:
  description:
    - On failure, one sentence saying what failed, with the API's error code and message.
    - In check mode, for a method other than C(GET), that the request was not sent.
  returned: failure, and check mode for a method other than C(GET)
  type: str
  sample: POST /v1/0123456789abcdef0123456789abcdef/sfs-turbo/shares/share-x/action was not sent (check mode).
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
'''

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._module import SfsTurboModule
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import request_argument_spec
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._request import send_request


def run_module():
    module = SfsTurboModule(request_argument_spec())
    module.finish(*send_request(module))


def main():
    run_module()


if __name__ == '__main__':
    main()
