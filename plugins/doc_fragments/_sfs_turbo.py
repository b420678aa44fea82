# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Private to otc_community.sfs_turbo: not a public API, may change without notice.

from __future__ import annotations


class ModuleDocFragment:

    # The connection options: keep in step with plugins/module_utils/_options.py.
    DOCUMENTATION = r'''
options:
  endpoint:
    description:
      - Base URL of the SFS Turbo API, for example V(https://sfs-turbo.eu-de.otc.t-systems.com).
      - A catalog-style URL that already ends in C(/v1/<project_id>) is accepted as it is, and then
        names the project when O(project_id) is not set.
      - C(http://) URLs are meant for test doubles and private gateways only; use C(https://) otherwise.
      - If not set, the value of the E(SFS_TURBO_ENDPOINT) environment variable is used.
      - When neither this nor E(SFS_TURBO_ENDPOINT) is set, the endpoint is taken from the catalog of the IAM token
        (password authentication, service type C(sfsturbo)), else derived from O(region).
    type: str
  region:
    description:
      - Region whose public SFS Turbo endpoint is used when O(endpoint) is not set, on the cloud the region belongs to.
        Open Telekom Cloud's V(eu-de) and V(eu-nl) give C(https://sfs-turbo.<region>.otc.t-systems.com), V(eu-ch2) (Swiss)
        C(https://sfs-turbo.eu-ch2.sc.otc.t-systems.com); Huawei Cloud's regions (V(ap-southeast-1), V(cn-north-4),
        V(af-south-1), ...) give C(https://sfs-turbo.<region>.myhuaweicloud.com), and V(eu-west-101)
        C(https://sfs-turbo.eu-west-101.myhuaweicloud.eu).
      - A region not known to the collection fails the task before any request, naming the known ones; set O(endpoint)
        for it. With password authentication the endpoint in the token's catalog comes first, and O(region) only picks
        the catalog's entry.
      - O(region) never builds the IAM URL; O(auth_url) is given for password authentication.
      - If not set, the value of the E(OS_REGION_NAME) environment variable is used.
    type: str
  project_id:
    description:
      - ID of the project the job or file system belongs to.
      - If not set, the value of the E(OS_PROJECT_ID) environment variable is used.
      - With password authentication scoped by O(project_name), it is read from the token.
      - Letters, digits, C(-) and C(_) only, 1 to 64 characters; anything else fails before any request.
    type: str
  auth_token:
    description:
      - An IAM token (the C(X-Subject-Token) of C(POST /v3/auth/tokens)), sent as the C(X-Auth-Token) header.
      - If not set, the value of the E(OS_AUTH_TOKEN) environment variable is used.
      - The token is never shown in results, warnings, error messages or verbose output.
      - The authentication method is the first that is fully set of a token (this option), AK/SK (O(access_key) and
        O(secret_key)), and password (O(auth_url), O(username), O(password), O(user_domain_name) and a project).
        Options beat environment variables, which beat C(clouds.yaml).
    type: str
  auth_url:
    description:
      - IAM endpoint for password authentication, for example V(https://iam.eu-de.otc.t-systems.com/v3).
      - The token is requested from C(<auth_url>/auth/tokens); a URL without a path gets C(/v3).
      - If not set, the value of the E(OS_AUTH_URL) environment variable is used.
    type: str
  username:
    description:
      - IAM user name for password authentication (used when neither O(auth_token) nor O(access_key) and O(secret_key) are set).
      - If not set, the value of the E(OS_USERNAME) environment variable is used.
    type: str
  password:
    description:
      - IAM password for password authentication.
      - If not set, the value of the E(OS_PASSWORD) environment variable is used.
      - Never shown in results, warnings, error messages or verbose output.
    type: str
  user_domain_name:
    description:
      - IAM domain (account) name of the user, for password authentication.
      - If not set, the value of the E(OS_USER_DOMAIN_NAME) environment variable is used, else that of E(OS_DOMAIN_NAME).
    type: str
  project_name:
    description:
      - Project to scope the password token to, by name (for example V(eu-de)), when O(project_id) is not set.
      - The project ID is then read from the token.
      - If not set, the value of the E(OS_PROJECT_NAME) environment variable is used.
    type: str
  access_key:
    description:
      - Access key (AK) for AK/SK request signing (C(SDK-HMAC-SHA256)); used with O(secret_key) when O(auth_token) is not set.
      - If not set, the value of the E(OS_ACCESS_KEY) environment variable is used.
    type: str
  secret_key:
    description:
      - Secret key (SK) for AK/SK request signing.
      - If not set, the value of the E(OS_SECRET_KEY) environment variable is used.
      - Never sent, only used to sign; never shown in output.
    type: str
  security_token:
    description:
      - Security token of a temporary AK/SK, sent as C(X-Security-Token).
      - If not set, the value of the E(OS_SECURITY_TOKEN) environment variable is used.
      - Never shown in output.
    type: str
  cloud:
    description:
      - Entry of C(clouds.yaml) to take connection settings from that neither the task nor an environment variable gives.
      - The file is E(OS_CLIENT_CONFIG_FILE), else the first of C(./clouds.yaml), C(~/.config/openstack/clouds.yaml),
        C(/etc/openstack/clouds.yaml); C(secure.yaml) beside it is merged in.
      - Read from the entry are C(auth.auth_url), C(auth.username), C(auth.password), C(auth.project_name), C(auth.project_id),
        C(auth.user_domain_name) (or C(auth.domain_name)), C(auth.token), C(auth.ak)/C(auth.sk) (or C(access_key)/C(secret_key)),
        C(auth.security_token), C(region_name), C(verify), C(cacert) and C(sfsturbo_endpoint_override).
      - When this is not set and the file named by E(OS_CLIENT_CONFIG_FILE) holds exactly one cloud, that one is used;
        that is what the OpenStack credential of AWX provides.
      - If not set, the value of the E(OS_CLOUD) environment variable is used.
    type: str
  validate_certs:
    description:
      - Verify the TLS certificate of the endpoint.
      - Set to V(false) only for a test endpoint; prefer O(ca_path) behind TLS inspection.
      - If not set, the value of the E(SFS_TURBO_VALIDATE_CERTS) environment variable is used, else the C(verify) of the
        C(clouds.yaml) entry (see O(cloud)), else V(true).
      - Defaults to V(true).
    type: bool
  ca_path:
    description:
      - Path of a PEM CA bundle to verify the endpoint's certificate with, for example behind corporate TLS inspection.
      - If not set, the value of the E(SFS_TURBO_CA_PATH) environment variable is used.
      - Without it, E(REQUESTS_CA_BUNDLE) and the system's CA bundle are used as C(requests) defines.
        E(HTTPS_PROXY) and E(NO_PROXY) are honoured the same way.
    type: path
  request_timeout:
    description:
      - Seconds one HTTP request may take in all, before it counts as a (transient) timeout. This is wall-clock time
        for connecting, the headers and the body together (redirect hops included), so a server that answers one byte
        at a time cannot stretch a request beyond it.
      - At most 30 days (V(2592000)); a larger value fails before any request.
      - The host name lookup counts too; it is bounded by this time and by a wait's deadline.
    type: float
    default: 30
  retries:
    description:
      - How often one request is retried after a transient failure, that is a connection error, a timeout,
        or HTTP 429, 500, 502, 503 or 504. Retries back off exponentially with jitter and honour C(Retry-After).
      - V(0) disables retries. Other HTTP errors are never retried.
    type: int
    default: 4
requirements:
  - requests >= 2.28
notes:
  - The modules run where the API is reachable, usually on the controller (C(hosts=localhost) or C(delegate_to=localhost)).
  - C(job_id), C(share_id) and O(project_id) are checked before any request is made, so no value can change the request path.
  - Redirects to another scheme, host or port are refused, so credentials are only ever sent to the endpoint and the IAM URL.
    The host of a redirect is the one the HTTP stack would connect to; a C(Location) that URL parsers read differently,
    that carries user info, or that cannot be parsed is refused as well.
  - Answers are read up to 1 MiB (after decompression); a larger one fails the task naming that cap, as no answer of this
    API comes near it. Any answer, however malformed, fails the task with RV(msg) (and RV(http_status) when a response
    came), never with a traceback.
  - Secrets are masked in every message and warning, also when a server echoes one back. User input quoted in a message
    (an O(endpoint), say) is shown without user info.
  - With password authentication, a 401 from the API (an expired or revoked token) makes the module log in again once
    and retry, so a long wait survives token expiry.
'''

    # Attributes every module of the collection shares: all of them only read.
    ATTRIBUTES = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details:
      - The module only reads, so it runs and returns real data in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: N/A
    details:
      - The module only reads; it never changes anything.
  idempotent:
    description: When run twice in a row outside check mode with the same arguments, the second run indicates no change.
    support: full
  action_group:
    description: Use C(group/otc_community.sfs_turbo.sfs_turbo) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - otc_community.sfs_turbo.sfs_turbo
'''

    # The schedule options of every wait module (one engine: plugins/module_utils/_polling.py), and what check mode
    # does there; these check_mode details win over those of ATTRIBUTES, which a wait module lists after this one.
    WAIT = r'''
attributes:
  check_mode:
    support: full
    details:
      - In check mode the module reads once (one poll, with the usual retries of a transient failure) and does not wait,
        nor sleep O(delay); it returns what it saw with the usual keys and RV(polls=1).
      - A state that already shows the failure fails the task as the wait would; a state not finished yet is returned with a
        warning that check mode does not wait, since in a check run the task that would have started the operation did not
        start it either.
options:
  timeout:
    description:
      - Seconds to wait in all, O(delay) and the IAM login (with password authentication) included.
      - When it passes, the task fails with RV(timed_out=true) and the last state seen. No request runs past it; each
        gets at most the time left, and none starts at the deadline itself.
      - A number of seconds, whole or not (V(90.5)), as the other durations; at most 30 days (V(2592000)).
        Whole numbers, the only ones before version 1.1.0, work as they did.
    type: float
    default: 1800
  poll_interval:
    description:
      - Longest pause between two polls, in seconds.
      - The first pauses are one second (or O(poll_interval), if shorter); later pauses are 30 % of the time waited so far,
        up to this bound.
      - The bound holds while a failing poll is retried, too (an outage, throttling); its retries back off up to
        O(poll_interval), so the end of an outage is seen as soon as a poll would see it. Only a server's
        C(Retry-After) asks for a longer pause.
    type: float
    default: 10
  delay:
    description:
      - Seconds to wait before the first poll, for an operation known to take long (or to ride out an outage of the
        API from the first poll on). The polls after it start one second apart again.
    type: float
    default: 0
'''

    # The options of every module that works on one job.
    JOB = r'''
options:
  job_id:
    description:
      - ID of the SFS Turbo task (job), as returned by the API that started it (C(jobId) or C(job_id)).
      - Job ids come from Huawei Cloud's LDAP and AD-domain APIs of a file system (C(POST), C(PUT) and C(DELETE) on
        C(.../shares/{id}/fs/ldap) and C(.../shares/{id}/fs/active-directory-domain)), the only SFS Turbo APIs that
        answer with one. Sent with M(otc_community.sfs_turbo.sfs_turbo_request), the id is its
        RV(otc_community.sfs_turbo.sfs_turbo_request#module:job_id).
      - Creating, expanding, changing the security group of and deleting a file system return no job id; wait for
        those with M(otc_community.sfs_turbo.sfs_turbo_share_wait), or let M(otc_community.sfs_turbo.sfs_turbo_share)
        start and wait for them.
      - A UUID or 32 hexadecimal digits; letters, digits, C(-) and C(_) only, at most 64 characters.
    type: str
    required: true
  fail_on_job_failure:
    description:
      - Fail the task when the job's status is V(failed), with RV(errCode) and RV(errMsg) taken from the job.
      - With V(false), a failed job is returned as data and the task does not fail; RV(errCode), RV(errMsg)
        and the same RV(msg) are returned beside RV(job), so that a runbook can branch on them.
    type: bool
    default: true
'''

    # The option of every module that works on one file system.
    SHARE = r'''
options:
  share_id:
    description:
      - ID of the SFS Turbo file system (share), as returned by the API that created it (C(id)) or shown in the console.
      - M(otc_community.sfs_turbo.sfs_turbo_share) returns it as RV(otc_community.sfs_turbo.sfs_turbo_share#module:share_id),
        and M(otc_community.sfs_turbo.sfs_turbo_share_info) with O(otc_community.sfs_turbo.sfs_turbo_share_info#module:name)
        finds it by name (RV(otc_community.sfs_turbo.sfs_turbo_share_info#module:share.id)).
      - A UUID; letters, digits, C(-) and C(_) only, at most 64 characters.
    type: str
    required: true
'''
