# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The connection options shared by every module, and their checking before any request.

Documented in the doc fragment ``otc_community.sfs_turbo._sfs_turbo``; keep both in step.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleFallbackNotFound
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _errors as errors
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError, unknown_region
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._limits import MAX_SECONDS
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import DEFAULT_PROGRESS_INTERVAL, MIN_PROGRESS_INTERVAL, is_progress_interval
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import shorten
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._urls import UrlError, connect_origin, quote_user_input

# Letters, digits, "-" and "_": nothing that could change the request path.
IDENTIFIER_RE = re.compile(r'\A[A-Za-z0-9_-]{1,64}\Z')  # \Z: "$" would let a trailing newline through
_REGION_RE = re.compile(r'\A[a-z0-9]+(-[a-z0-9]+)*\Z')
# A catalog URL already names the API version and the project: https://host/v1/<project_id>
_CATALOG_PATH_RE = re.compile(r'\A(?P<prefix>.*?)/v1/(?P<project_id>[^/]+)/?\Z')
# The SFS Turbo host of each region, by cloud. Open Telekom Cloud: its API docs (eu-de, eu-nl); eu-ch2, the Swiss
# cloud, names every service <service>.eu-ch2.sc.otc.t-systems.com. Huawei Cloud: huaweicloud-sdk-python-v3,
# huaweicloudsdksfsturbo/v1/region/sfsturbo_region.py (eu-west-101 is the one on .myhuaweicloud.eu).
OTC_REGION_ENDPOINTS = {
    'eu-de': 'https://sfs-turbo.eu-de.otc.t-systems.com',
    'eu-nl': 'https://sfs-turbo.eu-nl.otc.t-systems.com',
    'eu-ch2': 'https://sfs-turbo.eu-ch2.sc.otc.t-systems.com',
}
HUAWEI_REGIONS = (
    'af-north-1', 'af-south-1', 'ae-ad-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
    'cn-east-2', 'cn-east-3', 'cn-east-4', 'cn-east-5', 'cn-north-1', 'cn-north-2', 'cn-north-4', 'cn-north-9', 'cn-north-11',
    'cn-north-12', 'cn-south-1', 'cn-south-2', 'cn-south-4', 'cn-southwest-2', 'cn-southwest-3', 'la-north-2', 'la-south-2',
    'me-east-1', 'my-kualalumpur-1', 'na-mexico-1', 'ru-moscow-1', 'sa-brazil-1', 'tr-west-1',
)
REGION_ENDPOINTS = dict(OTC_REGION_ENDPOINTS, **{region: 'https://sfs-turbo.%s.myhuaweicloud.com' % region for region in HUAWEI_REGIONS})
REGION_ENDPOINTS['eu-west-101'] = 'https://sfs-turbo.eu-west-101.myhuaweicloud.eu'


# Which environment variables gave an option its value in this module run, and the variables that were
# set to a value their option cannot take: messages name the variable a user has to fix.
_ENV_SOURCES = set()
_BAD_ENV = []


# The variables whose value must be a boolean (the fallback of a bool option).
_BOOLEAN_ENV_VARS = ('SFS_TURBO_VALIDATE_CERTS',)


def env_value(*names):
    """The first of the environment variables ``names`` that is set and not empty (a fallback of the argument spec).

    An empty variable counts as unset (the AWX credential type sets every variable, empty for a field left
    empty). The variable that gave a value is remembered, so that the option's messages can name it; a
    value that is no boolean for a bool option is remembered for ``check_environment`` rather than failing
    with only the option's name.
    """
    for name in names:
        value = os.environ.get(name, '')
        if not value.strip():
            continue
        if name in _BOOLEAN_ENV_VARS:
            try:
                boolean(value)
            except TypeError:
                _BAD_ENV.append(errors.not_a_boolean_variable(name, value))
                break
        _ENV_SOURCES.add(name)
        return value
    raise AnsibleFallbackNotFound


def forget_environment_sources():
    """Start a module run afresh (one process may run several, in the unit tests)."""
    _ENV_SOURCES.clear()
    del _BAD_ENV[:]


def option_name(option):
    """``option``, or ``option (from VARIABLE)`` when an environment variable gave its value."""
    fallback = connection_argument_spec().get(option, {}).get('fallback')
    for variable in (fallback[1] if fallback else ()):
        if variable in _ENV_SOURCES:
            return '%s (from %s)' % (option, variable)
    return option


def check_environment():
    """Refuse an environment variable set to what its option cannot take, naming the variable."""
    if _BAD_ENV:
        raise SfsTurboError(_BAD_ENV[0])


def connection_argument_spec():
    """The argument spec of the connection options (a fresh dict each call)."""
    return dict(
        endpoint=dict(type='str', fallback=(env_value, ['SFS_TURBO_ENDPOINT'])),
        region=dict(type='str', fallback=(env_value, ['OS_REGION_NAME'])),
        project_id=dict(type='str', fallback=(env_value, ['OS_PROJECT_ID'])),
        auth_token=dict(type='str', no_log=True, fallback=(env_value, ['OS_AUTH_TOKEN'])),
        auth_url=dict(type='str', fallback=(env_value, ['OS_AUTH_URL'])),
        username=dict(type='str', fallback=(env_value, ['OS_USERNAME'])),
        password=dict(type='str', no_log=True, fallback=(env_value, ['OS_PASSWORD'])),
        user_domain_name=dict(type='str', fallback=(env_value, ['OS_USER_DOMAIN_NAME', 'OS_DOMAIN_NAME'])),
        project_name=dict(type='str', fallback=(env_value, ['OS_PROJECT_NAME'])),
        access_key=dict(type='str', no_log=False, fallback=(env_value, ['OS_ACCESS_KEY'])),
        secret_key=dict(type='str', no_log=True, fallback=(env_value, ['OS_SECRET_KEY'])),
        security_token=dict(type='str', no_log=True, fallback=(env_value, ['OS_SECURITY_TOKEN'])),
        cloud=dict(type='str', fallback=(env_value, ['OS_CLOUD'])),
        # No default here: clouds.yaml's verify applies only when neither the task nor the variable set it.
        validate_certs=dict(type='bool', fallback=(env_value, ['SFS_TURBO_VALIDATE_CERTS'])),
        ca_path=dict(type='path', fallback=(env_value, ['SFS_TURBO_CA_PATH'])),
        request_timeout=dict(type='float', default=30.0),
        retries=dict(type='int', default=4),
    )


# Defaults applied after clouds.yaml (see connection_argument_spec and _clouds.apply_cloud_settings).
LATE_DEFAULTS = {'validate_certs': True}


def apply_late_defaults(params):
    """Give the options that neither the task, an env var nor clouds.yaml set their documented default."""
    for option, default in LATE_DEFAULTS.items():
        if params.get(option) is None:
            params[option] = default
    return params


def job_argument_spec():
    """Connection options plus the options every job module takes."""
    spec = connection_argument_spec()
    spec.update(
        job_id=dict(type='str', required=True),
        fail_on_job_failure=dict(type='bool', default=True),
    )
    return spec


def share_argument_spec():
    """Connection options plus the file system's id (sfs_turbo_share_info)."""
    spec = connection_argument_spec()
    spec.update(share_id=dict(type='str', required=True))
    return spec


def share_info_argument_spec():
    """Connection options plus what sfs_turbo_share_info reads: one file system by id, or the listing (by name, or all).

    ``name`` and ``share_id`` exclude each other; AnsibleModule refuses both before any request.
    """
    spec = connection_argument_spec()
    spec.update(share_id=dict(type='str'), name=dict(type='str'))
    return spec


SHARE_INFO_MUTUALLY_EXCLUSIVE = [('share_id', 'name')]


def share_state_argument_spec():
    """Connection options plus what sfs_turbo_share takes: the file system's identity, what it should be, the wait's."""
    spec = connection_argument_spec()
    spec.update(
        state=dict(type='str', default='present', choices=['present', 'absent']),
        name=dict(type='str'),
        share_id=dict(type='str'),
        size=dict(type='int'),
        security_group_id=dict(type='str'),
        share_proto=dict(type='str'),
        share_type=dict(type='str'),
        availability_zone=dict(type='str'),
        vpc_id=dict(type='str'),
        subnet_id=dict(type='str'),
        enterprise_project_id=dict(type='str'),
        description=dict(type='str'),
        metadata=dict(type='dict'),
        wait=dict(type='bool', default=True),
    )
    spec.update(wait_options())
    return spec


def share_wait_argument_spec(operations):
    """File-system options plus the operation to wait for (its end rules: ``_shares``) and the wait's."""
    spec = share_argument_spec()
    spec.update(
        operation=dict(type='str', required=True, choices=list(operations)),
        size=dict(type='int'),
        security_group_id=dict(type='str'),
        fail_on_operation_failure=dict(type='bool', default=True),
    )
    spec.update(wait_options())
    return spec


def wait_options():
    """How long and how often a wait module waits (a fresh dict each call)."""
    return dict(
        timeout=dict(type='float', default=1800.0),
        poll_interval=dict(type='float', default=10.0),
        delay=dict(type='float', default=0.0),
        # Read by the action plugin (live lines); the module only checks it.
        progress_interval=dict(type='float', default=DEFAULT_PROGRESS_INTERVAL),
    )


def job_wait_argument_spec():
    """Job options plus how long and how often to wait."""
    spec = job_argument_spec()
    spec.update(wait_options())
    return spec


def request_argument_spec():
    """Connection options plus those of sfs_turbo_request (checked further in ``_request``)."""
    spec = connection_argument_spec()
    spec.update(
        path=dict(type='str', required=True),
        method=dict(type='str', default='GET', choices=['GET', 'POST', 'PUT', 'DELETE']),
        body=dict(type='raw'),
        query=dict(type='dict'),
        status_code=dict(type='list', elements='int', default=[200, 201, 202, 204]),
    )
    return spec


def check_identifier(name, value):
    """Refuse an id that is not 1-64 letters, digits, "-" or "_", before it reaches a URL."""
    if not isinstance(value, str) or not IDENTIFIER_RE.fullmatch(value):
        raise errors.invalid_identifier(option_name(name), value)
    return value


def check_seconds(name, value, minimum=0.0, zero_allowed=False):
    """Refuse a duration outside ``(minimum, MAX_SECONDS]`` (``0`` too when allowed), naming the option."""
    if (zero_allowed and value == 0) or minimum < value <= MAX_SECONDS:
        return value
    raise errors.seconds_out_of_range(name, minimum, zero_allowed, MAX_SECONDS, value)


def check_numbers(params):
    """Reject settings that would make no sense before anything is sent."""
    check_seconds('request_timeout', params['request_timeout'])
    if params['retries'] < 0:
        raise errors.retries_negative(params['retries'])


def check_wait_numbers(params):
    """Reject a wait's durations that would make no sense (before anything is sent)."""
    check_seconds('timeout', params['timeout'])
    check_seconds('poll_interval', params['poll_interval'])
    check_seconds('delay', params['delay'], zero_allowed=True)
    if not is_progress_interval(params['progress_interval']):
        raise SfsTurboError(errors.progress_interval_invalid(MIN_PROGRESS_INTERVAL, MAX_SECONDS, params['progress_interval']))


def check_ca_path(params):
    ca_path = params.get('ca_path')
    if ca_path and not os.path.isfile(ca_path):
        raise errors.ca_path_not_a_file(option_name('ca_path'), ca_path)


def endpoint_base(params, discovered_endpoint=None):
    """The checked endpoint URL (no trailing slash): ``endpoint``, else the catalog's, else the region's."""
    endpoint = params.get('endpoint') or discovered_endpoint
    if not endpoint:
        region = params.get('region')
        if not region:
            raise SfsTurboError(
                'No SFS Turbo endpoint: set endpoint (or SFS_TURBO_ENDPOINT), or region (or OS_REGION_NAME).')
        if not _REGION_RE.fullmatch(region):
            raise SfsTurboError('Invalid %s %r: use a region name such as eu-de.' % (option_name('region'), shorten(region, 80)))
        if region not in REGION_ENDPOINTS:
            # No host is guessed: a typo would cost the retries of a host that does not exist, and say less.
            raise SfsTurboError(unknown_region(option_name('region'), shorten(region, 80), OTC_REGION_ENDPOINTS,
                                               sorted(set(REGION_ENDPOINTS) - set(OTC_REGION_ENDPOINTS))))
        endpoint = REGION_ENDPOINTS[region]
    return _check_endpoint(endpoint)


def resolve_api_base(params, discovered_endpoint=None, discovered_project_id=None):
    """Return ``(api_base, project_id)``: the URL the API paths hang from, and the project.

    ``api_base`` is ``<endpoint>/v1/<project_id>``. A catalog-style endpoint that already ends
    in ``/v1/<project_id>`` is used as it is, and names the project when ``project_id`` is
    unset; so does the project of an IAM token (``discovered_project_id``).
    """
    base = endpoint_base(params, discovered_endpoint)
    if base.endswith('/v1'):
        base = base[:-len('/v1')]  # the version is added below
    project_id = params.get('project_id') or discovered_project_id
    catalog = _CATALOG_PATH_RE.match(base)
    if catalog:
        endpoint_project = catalog.group('project_id')
        if project_id and project_id != endpoint_project:
            raise errors.two_projects(endpoint_project, project_id)
        project_id = endpoint_project
        base = catalog.group('prefix')
    if not project_id:
        raise errors.no_project()
    check_identifier('project_id', project_id)
    return '%s/v1/%s' % (base, project_id), project_id


def _check_endpoint(endpoint):
    if '$(' in endpoint or '%(' in endpoint:
        raise errors.catalog_placeholder()
    try:
        connect_origin(endpoint.strip())  # the host the checks below see is the one connected to
        parts = urlsplit(endpoint.strip())
        port = parts.port  # raises ValueError on a bad port
    except UrlError as exc:
        if 'user info' in str(exc):
            # Credentials in a URL would end up in logs; the message does not repeat them either.
            raise errors.url_with_user_info(option_name('endpoint'), quote_user_input(endpoint))
        parts, port = None, None
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in ('https', 'http') or not parts.hostname:
        raise errors.invalid_url(option_name('endpoint'), quote_user_input(endpoint), 'an https:// URL such as https://sfs-turbo.eu-de.otc.t-systems.com')
    if parts.query or parts.fragment:
        # Queries and fragments have no meaning here.
        raise errors.url_with_query(option_name('endpoint'))
    netloc = parts.hostname if ':' not in parts.hostname else '[%s]' % parts.hostname
    if port is not None:
        netloc = '%s:%d' % (netloc, port)
    return '%s://%s%s' % (parts.scheme, netloc, parts.path.rstrip('/'))
