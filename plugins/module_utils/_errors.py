# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The error type of the collection, and the sentences users read (the reading of error bodies: ``_bodies``).

Every sentence a user reads in ``msg`` is worded here, once: the other files call these functions
(or use these phrases) with the facts (an action, a status, an option). Grouped by what fails: the
shared phrases, the request and its answer, the wait's resources, the options; those of the modules that act
(sfs_turbo_share, sfs_turbo_request, the look-up by name): ``_errors_acting``. Add a new sentence to its group.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import re

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._bodies import body_excerpt, parse_error_body
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._limits import MAX_BODY_BYTES, MAX_JSON_DEPTH
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import shorten

# Statuses worth another try: throttling, and server or gateway trouble.
TRANSIENT_HTTP_STATUSES = frozenset((429, 500, 502, 503, 504))


# --- shared phrases -----------------------------------------------------------------------------------
# What to check when an answer is not what the SFS Turbo API sends.
CHECK_ENDPOINT = 'check that endpoint points at the SFS Turbo API'


class SfsTurboError(Exception):
    """A failure to report to the user, with the structured keys of the contract.

    ``transient`` marks failures that may go away on their own (retried by the client);
    ``retry_after`` is the server's ``Retry-After`` in seconds, when it sent one.
    """

    def __init__(self, msg, err_code=None, err_msg=None, http_status=None, request_id=None,
                 transient=False, retry_after=None, cause=None, wrong_address=False):
        super().__init__(msg)
        self.msg = msg
        self.err_code = err_code
        self.err_msg = err_msg
        self.http_status = http_status
        self.request_id = request_id
        self.transient = transient
        self.retry_after = retry_after
        # The failure in a few words, for a progress line: "HTTP 503", "connection refused", "timed out".
        self.cause = cause or ('HTTP %s' % http_status if http_status else None)
        # A failure a wrong address gives (refused, no such host, no route, TLS to a plain port), as
        # opposed to an outage of an API that has answered before.
        self.wrong_address = wrong_address

    def to_result(self):
        """The failure keys of the contract, leaving out those that are unknown."""
        result = {'msg': self.msg}
        for key, value in (('errCode', self.err_code), ('errMsg', self.err_msg),
                           ('http_status', self.http_status), ('request_id', self.request_id)):
            if value is not None:
                result[key] = value
        return result


def describe_http_error(action, status, reason, text, header_request_id, url=None, hint=None):
    """Build the error for an HTTP error response.

    ``action`` says what was being done ("query SFS Turbo job X"); the message is one
    sentence: what failed, the HTTP status, ``errCode: errMsg`` or a body excerpt. A 404
    names the URL requested (``url``: scheme, host, port and path, never credentials), since a
    wrong endpoint path answers 404 too. ``hint``, when given, says what to check (for a 401 or 403).
    """
    err_code, err_msg, body_request_id = parse_error_body(text)
    request_id = header_request_id or body_request_id
    if err_code or err_msg:
        detail = ': '.join(str(part) for part in (err_code, err_msg) if part)
    else:
        excerpt = body_excerpt(text)
        detail = ('the response body was: %s' % excerpt) if excerpt else (
            'the response body held no readable text' if text and text.strip() else 'the response had no body')
    where = ' from %s' % url if status == 404 and url else ''
    msg = 'Could not %s: HTTP %s%s%s, %s' % (action, status, (' ' + reason) if reason else '', where, detail.rstrip('.'))
    if hint:
        msg += '; ' + hint
    elif status in (401, 403) and not err_code:
        msg += '; check the credentials and the project'
    if status == 404 and not err_code:
        msg += '; %s (a wrong path answers 404 without an errCode)' % CHECK_ENDPOINT
    elif status == 404 and str(err_code).startswith('APIG.'):
        msg += '; %s (the API gateway answers %s to a path no API serves)' % (CHECK_ENDPOINT, err_code)
    msg += '.'
    return SfsTurboError(msg, err_code=err_code, err_msg=err_msg, http_status=status, request_id=request_id,
                         transient=status in TRANSIENT_HTTP_STATUSES, cause='throttled' if status == 429 else 'HTTP %s' % status)


# --- the request and its answer (the client, _http) ---------------------------------------------------
_NO_TLS_MARKERS = ('wrong_version_number', 'wrong version number', 'record layer failure', 'packet length too long',
                   'unknown_protocol', 'http request', 'record_layer_failure')
_HOSTNAME_MARKERS = ('hostname mismatch', "doesn't match", 'ip address mismatch', 'does not match')
_TLS_REASONS_RE = (re.compile(r'certificate verify failed: ([^(\'"]+)'), re.compile(r'\] ([^(\'"\]]+?) \(_ssl'))
# The words describe_tls_failure uses for a TLS handshake answered by plain HTTP (a wrong address, too).
NO_TLS_WORDS = 'does not speak TLS'


def no_time_left(action):
    return SfsTurboError("Could not %s: the wait's timeout passed before the request could be sent." % action, transient=True)


def url_refused(action, url, reason):
    return SfsTurboError('Could not %s: the URL %s is refused: %s.' % (action, url, reason))


def _check_source(api):
    return CHECK_ENDPOINT if api else 'check auth_url'


def not_a_json_object(action, status, excerpt, api, **keys):
    """An answer whose body is no JSON object; ``api``: it came from the SFS Turbo API (else from IAM)."""
    return SfsTurboError('Could not %s: HTTP %s, but the body is not a JSON object (%s); %s.'
                         % (action, status, excerpt or 'empty body', _check_source(api)), http_status=status, **keys)


def nested_too_deep(action, status, api, **keys):
    return SfsTurboError('Could not %s: HTTP %s, but the body is JSON nested deeper than %d levels, which no answer of this API is; %s.'
                         % (action, status, MAX_JSON_DEPTH, _check_source(api)), http_status=status, **keys)


def redirect_refused(action, status, refused, **keys):
    return SfsTurboError('Could not %s: HTTP %s redirects %s; the redirect is not followed and credentials are not sent there.'
                         % (action, status, refused), http_status=status, **keys)


def redirect_to_another_origin(origin):
    return 'to %s, another origin than the one asked' % origin


def redirect_untrusted(reason):
    return 'to a Location that cannot be trusted (%s)' % reason


def too_many_redirects(action, limit):
    return SfsTurboError('Could not %s: more than %d redirects.' % (action, limit))


def body_too_large(action, origin, **keys):
    return SfsTurboError('Could not %s: the answer from %s is larger than %d MiB, which no answer of this API needs; %s.'
                         % (action, origin, MAX_BODY_BYTES >> 20, CHECK_ENDPOINT), **keys)


def timed_out(action, origin, budget, limit_name, **keys):
    """A transient timeout: no complete answer within ``budget`` seconds (``limit_name`` says which limit)."""
    return SfsTurboError('Could not %s: the request to %s timed out: no complete answer within %g s (%s).'
                         % (action, origin, round(budget, 1), limit_name), transient=True, cause='timed out', **keys)


def exchange_failed(action, description, **keys):
    """No usable answer (network, TLS, a malformed answer); ``description`` from the functions below."""
    return SfsTurboError('Could not %s: %s.' % (action, description), **keys)


def proxy_failed(origin):
    return 'the proxy refused or failed the connection to %s' % origin


def connection_failed(origin, reason):
    return 'connection to %s failed (%s)' % (origin, reason)


def answer_unreadable(origin, reason):
    return 'the answer from %s could not be read (%s)' % (origin, shorten(reason, 120))


def talk_failed(kind, origin):
    return '%s while talking to %s' % (kind, origin)


def describe_tls_failure(text, origin):
    """What a TLS failure (``str()`` of the SSL error) means for the user, and what to do."""
    lowered = text.lower()
    found = _TLS_REASONS_RE[0].search(text) or _TLS_REASONS_RE[1].search(text)
    reason = found.group(1).strip().rstrip('.') if found else 'TLS error'
    if any(marker in lowered for marker in _NO_TLS_MARKERS):
        return ('%s %s (it answered the TLS handshake with something else, likely plain HTTP); '
                'use an http:// endpoint if it serves plain HTTP, or check the port' % (origin, NO_TLS_WORDS))
    verify_failed = 'certificate verify failed' in lowered or 'certificate_verify_failed' in lowered
    if verify_failed and any(marker in lowered for marker in _HOSTNAME_MARKERS):
        return ('the TLS certificate of %s does not match its host name (%s); use the host name the certificate '
                'was issued for' % (origin, reason))
    if verify_failed:
        return ('the TLS certificate of %s is not trusted (%s); set ca_path to the CA bundle that issued it '
                '(or validate_certs to false for a test endpoint)' % (origin, reason))
    return 'the TLS handshake with %s failed (%s)' % (origin, reason)


def gave_up_after(msg, attempts):
    return '%s (gave up after %d attempts).' % (msg.rstrip('.'), attempts)


def never_answered(msg, url, cause, seconds, api):
    """``msg`` of a failure at an address that never answered, made final: what a wrong address gives."""
    option = 'endpoint (or SFS_TURBO_ENDPOINT)' if api else 'auth_url (or OS_AUTH_URL)'
    return ('%s Nothing has ever answered at %s (%s for %d s), which is what a wrong address gives: '
            'check %s. To ride out an API that is down when the wait starts, give the wait a delay.'
            % (msg, url, cause, seconds, option))


def wrong_project_hint(project_id):
    """What to check first when the API answers 403: the project, before the IAM permissions."""
    return ('the request was for project_id %s: check that this is the project of the job and of this region '
            '(another project answers 403 too) before the IAM permissions of the user' % project_id)


# --- the wait's resources (_jobs, _shares) ------------------------------------------------------------
def not_a_string(name, field, value, **keys):
    """``name`` (a job, a file system) came back with ``field`` set to something that is no string."""
    return SfsTurboError('%s came back with a %s that is not a string (a %s); %s.' % (name, field, type(value).__name__, CHECK_ENDPOINT), **keys)


def no_status(name, **keys):
    return SfsTurboError('%s came back without a status; %s.' % (name, CHECK_ENDPOINT), **keys)


def unknown_state(name, described):
    """A warning: ``name`` reports a state (``described``, shortened and masked) this collection does not know."""
    return '%s reports the unknown %s; treating it as not finished.' % (name, described)


def check_mode_no_wait(waiting_for, state):
    """A warning: check mode read ``waiting_for`` (a wait's subject) once and saw ``state`` (a timeout's ``last_state``), not an end."""
    return ('Check mode does not wait for %s, and one read found it not finished: %s; in a check run the task that would have '
            'started the operation did not start it either.' % (waiting_for, state))


# --- authentication (_auth, _iam) ---------------------------------------------------------------------
def login_refused_hint(project_id=None):
    """What to check when IAM refuses a password login (401, 403): it names no option, the options are named here.

    A wrong user_domain_name reads "The username or password is wrong"; a project_name IAM does not know
    reads "The request you have made requires authentication".
    """
    scope = 'project_id (or OS_PROJECT_ID)' if project_id else 'project_name (or OS_PROJECT_NAME)'
    return ('IAM refused the login: check username and password (or OS_USERNAME and OS_PASSWORD), user_domain_name '
            '(or OS_USER_DOMAIN_NAME), which names the account (domain) the user belongs to, and %s, which must name a '
            'project of that account in the region of auth_url (IAM answers 401 to a project it does not know, too)' % scope)


def header_unsafe(name):
    """A credential that cannot go into an HTTP header (never echoed)."""
    return SfsTurboError('%s must be printable ASCII on one line (it goes into an HTTP header); '
                         'check for a pasted line break or typographic character.' % name)


def password_auth_needs(missing):
    return SfsTurboError('Password authentication needs %s.' % ', '.join(missing))


def aksk_needs(missing):
    return SfsTurboError('AK/SK authentication needs both keys: set %s too.' % missing)


def no_credentials():
    return SfsTurboError('No credentials: set auth_token (or OS_AUTH_TOKEN); or access_key and secret_key '
                         '(or OS_ACCESS_KEY and OS_SECRET_KEY); or auth_url, username, password and user_domain_name '
                         '(or OS_AUTH_URL, OS_USERNAME, OS_PASSWORD and OS_USER_DOMAIN_NAME); or cloud (or OS_CLOUD) '
                         'naming a clouds.yaml entry.')


# What to check when the API answers 401 to these credentials (each names the options used).
CHECK_CREDENTIALS = 'check the credentials'
TOKEN_REFUSED_HINT = ('the API refused auth_token (or OS_AUTH_TOKEN): an IAM token expires after 24 hours and is valid only '
                      'for the project it was issued for; get a new one, scoped to this project')
PASSWORD_TOKEN_REFUSED_HINT = ('the API refused the IAM token that username and password (or OS_USERNAME and OS_PASSWORD) got, '
                               'even after a fresh login: check that project_id or project_name names the project of this endpoint')


def signature_refused_hint(temporary):
    """A refused AK/SK signature; ``temporary``: a security_token was sent too."""
    extra = ' and security_token (or OS_SECURITY_TOKEN), which a temporary AK needs' if temporary else ''
    return ('the API gateway refused the AK/SK signature of access_key (or OS_ACCESS_KEY): check secret_key '
            '(or OS_SECRET_KEY)%s; and the clock of the machine the module runs on: a signature whose X-Sdk-Date '
            'is more than 15 minutes off the gateway\'s time is refused' % extra)


def no_subject_token(action):
    return SfsTurboError('Could not %s: the answer carried no X-Subject-Token header.' % action)


# --- options (_options, _iam's auth_url) --------------------------------------------------------------
def not_a_boolean_variable(name, value):
    return '%s=%s is not a boolean: set it to true or false, or unset it.' % (name, shorten(value, 20))


def invalid_identifier(option, value):
    return SfsTurboError('Invalid %s %r: use 1 to 64 letters, digits, "-" or "_".' % (option, shorten(value, 80)))


def seconds_out_of_range(name, minimum, zero_allowed, maximum, value):
    lower = ('0 or more' if zero_allowed else 'greater than %g' % minimum) if not minimum else 'at least %g' % minimum
    return SfsTurboError('%s must be %s and at most %d seconds (30 days), got %s.' % (name, lower, maximum, value))


def retries_negative(value):
    return SfsTurboError('retries must be 0 or more, got %s.' % value)


def progress_interval_invalid(minimum, maximum, value):
    return 'progress_interval must be 0 (no progress lines) or at least %d second and at most %d seconds, got %s.' % (minimum, maximum, value)


def ca_path_not_a_file(option, path):
    return SfsTurboError('%s %s is not a file: give the path of a PEM CA bundle.' % (option, path))


def two_projects(endpoint_project, project_id):
    return SfsTurboError('endpoint names project %s but project_id is %s: give one project.' % (shorten(endpoint_project, 80), project_id))


def no_project():
    return SfsTurboError('No project: set project_id (or OS_PROJECT_ID), or give an endpoint ending in /v1/<project_id>.')


def catalog_placeholder():
    return SfsTurboError('endpoint holds a catalog placeholder such as $(tenant_id)s: put the project ID in its place, or leave it out.')


def url_with_user_info(option, quoted):
    """A URL option (endpoint, auth_url) with credentials in it: ``quoted`` has them blanked out."""
    return SfsTurboError('Invalid %s %s: it must not carry user info.' % (option, quoted))


def url_with_query(option):
    return SfsTurboError('Invalid %s: it must not carry user info, a query or a fragment.' % option)


def invalid_url(option, quoted, example):
    """A URL option that is no URL: ``example`` completes "give ..." (what a right one looks like)."""
    return SfsTurboError('Invalid %s %s: give %s.' % (option, quoted, example))


# --- clouds.yaml (_clouds) ----------------------------------------------------------------------------
def clouds_unreadable(path, reason):
    return SfsTurboError('Cannot read %s: %s.' % (path, reason))


def clouds_without_mapping(path):
    return SfsTurboError('%s has no "clouds:" mapping.' % path)


def clouds_file_missing(named):
    return SfsTurboError('OS_CLIENT_CONFIG_FILE names %s, which is not a file.' % named)


def no_clouds_file(cloud, looked_for):
    return SfsTurboError('cloud %r is set, but no clouds.yaml was found (looked for %s; set OS_CLIENT_CONFIG_FILE).' % (cloud, ', '.join(looked_for)))


def needs_pyyaml(path):
    return SfsTurboError('Reading %s needs PyYAML, which is not installed.' % path)


def no_such_cloud(files, cloud, names):
    return SfsTurboError('%s has no cloud named %r (it has: %s).' % (' and '.join(files), cloud, ', '.join(names) or 'none'))


def entry_read_from(msg, files):
    """``msg`` of a failure with a clouds.yaml entry that gives no usable credentials: where it was read."""
    return '%s (read the cloud entry from %s.)' % (msg.rstrip('.') + '.', ' and '.join(files))


# --- the share end rules, the job id hint and the region host (_shares, _jobs, _options) ---

def operation_failed(name, operation, shown, how=None):
    """``<name>: <operation> failed, <code in words>[; <how the wait knows>].``"""
    return '%s: %s failed, %s%s.' % (name, operation, shown, '; %s' % how if how else '')


def failure_seen_starting(shown_before):
    """How a wait knows a failure code is this operation's: it saw the code change to it."""
    return 'this wait saw it change from %s' % shown_before


def failure_unchanged(seconds, grace, poll_intervals):
    """How a wait knows a failure code no poll saw start is this operation's: no new operation replaced it."""
    return ('no poll saw it start, and it stayed unchanged for %g s, past the grace period of %g s (%d poll_interval) '
            'within which a new operation replaces a code an earlier one left' % (seconds, grace, poll_intervals))


FROZEN_HINT = 'a frozen file system runs no operation until the cloud unfreezes it'


def job_id_hint(job_id):
    """Appended to the jobs API's ``SFS.TURBO.0019`` (Invalid Job Id): the likely mix-up."""
    return ('if %s is the id of a file system (what create, expand and the other file-system operations return), '
            'wait with otc_community.sfs_turbo.sfs_turbo_share_wait and share_id instead' % job_id)


def unknown_region(option, region, otc_regions, huawei_regions):
    """An unknown ``region``: no host is guessed for it."""
    return ("Unknown %s %r: region builds the SFS Turbo host for Open Telekom Cloud's %s and Huawei Cloud's %s only; "
            'for another region set endpoint.' % (option, region, ', '.join(otc_regions), ', '.join(huawei_regions)))
