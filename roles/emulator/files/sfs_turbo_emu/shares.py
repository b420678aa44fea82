# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""File systems: their part of a scenario file and their state over time (``share_routes.py`` answers the requests).

Each file system shows ``status``/``sub_status`` codes that an operation (create, expand,
change_security_group, delete) moves on over time, as the scenario scripts it.
"""

from __future__ import annotations

import copy
import hashlib
import time
import uuid

from .checks import ScenarioError, clock, extra_and_omit, mapping, number, only_keys, resource_ids, string
from .config import DEFAULT_PROJECT_NAME
from .faults import normalize_faults

KIND = 'share'
LOG_ID = 'share_id'
SCENARIO_KEYS = ('shares', 'operations')
OPERATIONS = ('create', 'expand', 'change_security_group', 'delete')
# What each operation ends with: create -> status; expand, change_security_group -> sub_status;
# delete: gone (404 from then on) or deleted (status 400).
RESULTS = {
    'create': {'success': '200', 'failed': '303', 'error': '300', 'frozen': '800'},
    'expand': {'success': '221', 'failed': '321'},
    'change_security_group': {'success': '232', 'failed': '332'},
    'delete': {'gone': None, 'deleted': '400'},
}
RUNNING_SUB_STATUS = {'expand': '121', 'change_security_group': '132'}
# The actions of POST .../shares/{id}/action, and the operation each starts.
ACTIONS = {'extend': 'expand', 'change_security_group': 'change_security_group'}
DEFAULT_SECURITY_GROUP = 'sg-emulator-default'
# What a create body may set besides name, size and security_group_id (a scenario's file system too).
CREATE_FIELDS = ('share_proto', 'share_type', 'availability_zone', 'vpc_id', 'subnet_id', 'enterprise_project_id', 'description')
SHARE_KEYS = ('name', 'size', 'security_group_id', 'status', 'sub_status', 'operation', 'operations', 'extra', 'omit', 'faults',
              'clock', 'metadata') + CREATE_FIELDS
OPERATION_KEYS = ('type', 'lag', 'running', 'result', 'new_size', 'security_group_id')
API_OPERATION_KEYS = ('lag', 'running', 'result')
# How operations started through the API run, unless the scenario's "operations" says otherwise.
DEFAULT_API_OPERATIONS = {
    'create': {'lag': 0, 'running': 5, 'result': 'success'},
    'expand': {'lag': 1, 'running': 5, 'result': 'success'},
    'change_security_group': {'lag': 1, 'running': 3, 'result': 'success'},
    'delete': {'lag': 0, 'running': 2, 'result': 'gone'},
}
# LDAP requests start a job (ldap.py): its timeline, in the jobs' terms.
LDAP_RUN_KEYS = ('waiting', 'running', 'result', 'error_code', 'fail_reason')
DEFAULT_LDAP_RUN = {'waiting': 0, 'running': 2, 'result': 'success'}


# --------------------------------------------------------------------------- scenario


def _code(value, what, default):
    """A status or sub_status code: a string of digits (``None`` allowed for sub_status: absent)."""
    if value is None:
        return default
    if not isinstance(value, str) or not (value == '' or value.isdigit()):
        raise ScenarioError(f'{what} must be a string of digits such as "200" (or "" for sub_status), got {value!r}')
    return value


def _size(value, what, default):
    if value is None:
        return float(default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ScenarioError(f'{what} must be a number of GB > 0, got {value!r}')
    return float(value)


def _operation_run(raw, kind, what, allowed=API_OPERATION_KEYS):
    """lag, running and result of one operation (a share's scripted one, or the API's)."""
    mapping(raw, what)
    only_keys(raw, allowed, what)
    results = RESULTS[kind]
    result = raw.get('result', next(iter(results)))
    if result not in results:
        raise ScenarioError(f'{what}: result must be one of {", ".join(results)}, got {result!r}')
    defaults = DEFAULT_API_OPERATIONS[kind]
    return {'type': kind, 'lag': number(raw.get('lag'), f'{what}: lag', defaults['lag']),
            'running': number(raw.get('running'), f'{what}: running', defaults['running']), 'result': result}


def _scripted_operation(operation, share, what):
    """A file system's ``operation``: one already under way when it is first read."""
    kind = operation.get('type') if isinstance(operation, dict) else None
    if kind not in OPERATIONS:
        raise ScenarioError(f'{what}: operation.type must be one of {", ".join(OPERATIONS)}, got {kind!r}')
    run = _operation_run(operation, kind, f'{what}: operation', allowed=OPERATION_KEYS)
    if kind == 'expand':
        run['new_size'] = _size(operation.get('new_size'), f'{what}: operation.new_size', share['size'] * 2)
        if run['new_size'] <= share['size']:
            raise ScenarioError(f'{what}: operation.new_size must be larger than size')
    elif 'new_size' in operation:
        raise ScenarioError(f'{what}: operation.new_size applies to type expand only')
    if kind == 'change_security_group':
        run['security_group_id'] = string(operation.get('security_group_id', 'sg-emulator-new'),
                                          f'{what}: operation.security_group_id', required=True)
    elif 'security_group_id' in operation:
        raise ScenarioError(f'{what}: operation.security_group_id applies to type change_security_group only')
    return run


def _create_fields(raw, what):
    """share_proto, share_type, availability_zone, ... as given (None: absent, the body shows a default or nothing)."""
    fields = {key: string(raw.get(key), f'{what}: {key}') for key in CREATE_FIELDS if key != 'description'}
    description = raw.get('description')
    if description is not None and not isinstance(description, str):
        raise ScenarioError(f'{what}: description must be a string, got {description!r}')
    fields['description'] = description
    metadata = raw.get('metadata', {})
    if not isinstance(metadata, dict) or not all(isinstance(key, str) and isinstance(value, str) for key, value in metadata.items()):
        raise ScenarioError(f'{what}: metadata must be a mapping of strings to strings, got {metadata!r}')
    # Kept, never shown: the API does not return metadata as it was sent.
    fields['metadata'] = dict(metadata)
    return fields


def normalize_share(raw, share_id, what):
    """Validate one file-system definition of a scenario and fill in defaults."""
    mapping(raw, what)
    only_keys(raw, SHARE_KEYS, what)
    extra, omit = extra_and_omit(raw, what)
    faults = raw.get('faults', [])
    if not isinstance(faults, list):
        raise ScenarioError(f'{what}: faults must be a list')
    share = {
        'share_id': share_id,
        'name': string(raw.get('name', f'sfs-turbo-{share_id}'), f'{what}: name', required=True),
        'size': _size(raw.get('size'), f'{what}: size', 500),
        'security_group_id': string(raw.get('security_group_id', DEFAULT_SECURITY_GROUP), f'{what}: security_group_id', required=True),
        'status': _code(raw.get('status'), f'{what}: status', '200'),
        'sub_status': _code(raw.get('sub_status'), f'{what}: sub_status', None),
        'operation': None,
        # How operations started through the API run on this file system (the scenario's "operations" otherwise).
        'operations': normalize_api_operations(raw.get('operations', {}), f'{what}: operations', complete=False),
        'extra': copy.deepcopy(extra),
        'omit': omit,
        'faults': normalize_faults(faults, f'{what}: faults'),
        'clock': clock(raw, what),
    }
    share.update(_create_fields(raw, what))
    if share['status'] == '':
        raise ScenarioError(f'{what}: status must not be empty')
    if raw.get('operation') is not None:
        share['operation'] = _scripted_operation(raw['operation'], share, what)
    return share


def _ldap_run(raw, what):
    """The timeline of the job an LDAP request starts: ``waiting``, ``running``, ``result`` and its error fields."""
    mapping(raw, what)
    only_keys(raw, LDAP_RUN_KEYS, what)
    result = raw.get('result', 'success')
    if result not in ('success', 'failed'):
        raise ScenarioError(f'{what}: result must be one of success, failed, got {result!r}')
    run = {'waiting': number(raw.get('waiting'), f'{what}: waiting', DEFAULT_LDAP_RUN['waiting']),
           'running': number(raw.get('running'), f'{what}: running', DEFAULT_LDAP_RUN['running']), 'result': result}
    for key in ('error_code', 'fail_reason'):
        if raw.get(key) is not None:
            run[key] = string(raw[key], f'{what}: {key}')
    return run


def normalize_api_operations(raw, what='operations', complete=True):
    """How create, expand, change_security_group, delete and the LDAP jobs started through the API run.

    ``complete``: fill in the defaults of those not given (a file system's own are not completed:
    those it leaves out run as the scenario's).
    """
    if not isinstance(raw, dict):
        raise ScenarioError(f'"{what}" must be a mapping of operation to {{lag, running, result}}')
    only_keys(raw, OPERATIONS + ('ldap',), f'"{what}"')
    result = {}
    for kind in OPERATIONS:
        if kind in raw:
            result[kind] = _operation_run(raw[kind], kind, f'{what}.{kind}')
        elif complete:
            result[kind] = _operation_run(DEFAULT_API_OPERATIONS[kind], kind, f'{what}.{kind}')
    if 'ldap' in raw or complete:
        result['ldap'] = _ldap_run(raw.get('ldap', DEFAULT_LDAP_RUN), f'{what}.ldap')
    return result


def normalize(raw):
    """The scenario's ``shares`` and ``operations``, validated, with defaults filled in."""
    operations = normalize_api_operations(raw.get('operations', {}))
    shares = resource_ids(raw, 'shares', 'file-system id to its definition')
    return {'operations': operations,
            'shares': {share_id: normalize_share(share, share_id, f'share {share_id!r}') for share_id, share in shares.items()}}


# --------------------------------------------------------------------------- state


def _phase(operation, elapsed):
    """Where an operation is ``elapsed`` seconds after it started: before, running or done."""
    if elapsed < operation['lag']:
        return 'before'
    if elapsed < operation['lag'] + operation['running']:
        return 'running'
    return 'done'


class Share:
    """One file system: what it shows (``base``: before the current operation), and that operation's clock."""

    def __init__(self, definition, created_wall):
        self.definition = definition
        self.faults = definition['faults']
        self.base = {key: definition[key] for key in ('status', 'sub_status', 'size', 'security_group_id')}
        self.base['gone'] = False
        self.operation = definition['operation']
        self.op_start_mono = None
        self.created_wall = created_wall
        self.requests = 0
        self.fault_hits = [0] * len(self.faults)
        self.fault_seen = [0] * len(self.faults)
        # LDAP configuration (ldap.py): None until an LDAP request, then {"previous", "current", "job_id"}.
        self.ldap = None

    def start_clock(self, now_mono, now_wall=None):  # pylint: disable=unused-argument
        if self.operation is not None and self.op_start_mono is None:
            self.op_start_mono = now_mono

    def busy(self, now_mono):
        """Whether an operation is still running (a new one would be refused)."""
        if self.operation is None:
            return False
        self.start_clock(now_mono)
        return _phase(self.operation, now_mono - self.op_start_mono) != 'done'

    def current(self, now_mono):
        """The fields it shows now (``gone`` True: it answers 404), and ``percent`` while it is created."""
        fields = dict(self.base, percent=None)
        operation = self.operation
        if operation is None:
            return fields
        self.start_clock(now_mono)
        elapsed = now_mono - self.op_start_mono
        phase = _phase(operation, elapsed)
        kind = operation['type']
        if kind == 'create':
            if phase == 'done':
                fields['status'] = RESULTS['create'][operation['result']]
            else:
                fields['status'] = '100'
                share = 0 if operation['running'] <= 0 else max(0.0, elapsed - operation['lag']) / operation['running']
                fields['percent'] = min(99, int(share * 100))
            return fields
        if phase == 'before':
            return fields  # the previous operation's codes, or none: the race clients must survive
        if kind == 'delete':
            if phase == 'done':
                code = RESULTS['delete'][operation['result']]
                fields['gone'] = code is None
                fields['status'] = code or fields['status']
            return fields
        if phase == 'running':
            fields['sub_status'] = RUNNING_SUB_STATUS[kind]
            return fields
        fields['sub_status'] = RESULTS[kind][operation['result']]
        if operation['result'] == 'success':
            if kind == 'expand':
                fields['size'] = operation['new_size']
            else:
                fields['security_group_id'] = operation['security_group_id']
        return fields

    def start(self, operation, now_mono):
        """Start ``operation`` now: the current state becomes the base it changes."""
        self.base = {key: value for key, value in self.current(now_mono).items() if key != 'percent'}
        self.operation = operation
        self.op_start_mono = now_mono


def _stable_id(*parts):
    return hashlib.sha256(':'.join(parts).encode('utf-8')).hexdigest()[:32]


def render_share(share, fields):
    """The body of ``GET .../shares/{id}`` for a file system showing ``fields`` (as OTC documents it)."""
    definition = share.definition
    share_id = definition['share_id']
    body = {'id': share_id, 'name': definition['name'], 'status': fields['status']}
    # Absent when never modified, as the API omits it.
    if fields['sub_status'] is not None:
        body['sub_status'] = fields['sub_status']
    body.update({
        'size': '%.2f' % fields['size'],
        'avail_capacity': '%.2f' % fields['size'],
        'security_group_id': fields['security_group_id'],
        'share_proto': definition['share_proto'] or 'NFS',
        'share_type': definition['share_type'] or 'STANDARD',
        'availability_zone': definition['availability_zone'] or 'eu-de-01',
        'az_name': definition['availability_zone'] or 'eu-de-01',
        'vpc_id': definition['vpc_id'] or _stable_id('vpc', share_id),
        'subnet_id': definition['subnet_id'] or _stable_id('subnet', share_id),
        'export_location': '192.168.0.%d:/' % (10 + int(hashlib.sha256(share_id.encode('utf-8')).hexdigest(), 16) % 200),
        'created_at': time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(share.created_wall)),
        'pay_model': '0',
        'version': '1.0.0',
        'region': DEFAULT_PROJECT_NAME,
    })
    # Shown only when the file system has them, as the API leaves out what was never set.
    for key in ('enterprise_project_id', 'description'):
        if definition[key] is not None:
            body[key] = definition[key]
    if fields['percent'] is not None:
        body['action_progress'] = {'CREATING': '%d%%' % fields['percent']}
    body.update(copy.deepcopy(definition['extra']))
    for key in definition['omit']:
        body.pop(key, None)
    return body


def build(scenario, now_mono, now_wall):
    """The scripted file systems, as they are at server start or reset (those created through the API are forgotten)."""
    shares = {share_id: Share(definition, now_wall) for share_id, definition in scenario['shares'].items()}
    for share in shares.values():
        if share.definition['clock'] == 'server_start':
            share.start_clock(now_mono)
    return shares


def share_body(state, share_id):
    """Current body of a file system, or None when it is unknown or gone."""
    with state.lock:
        share = state.resources[KIND].get(share_id)
        if share is None:
            return None
        fields = share.current(time.monotonic())
        return None if fields['gone'] else render_share(share, fields)


def share_bodies(state):
    """The current bodies of the file systems that are not gone: the scenario's first, in its order, then those created, oldest first."""
    with state.lock:
        now = time.monotonic()
        bodies = []
        # The dict keeps insertion order: build() adds the scenario's, create_share() appends.
        for share in state.resources[KIND].values():
            fields = share.current(now)
            if not fields['gone']:
                bodies.append(render_share(share, fields))
        return bodies


def create_share(state, fields):
    """A new file system with the create body's ``fields`` (checked), being created as ``operations.create`` says; returns its id,
    or ``None`` when a file system that is not gone has the name already.

    Names are unique per project on the real API (409 ``SFS.TURBO.0009``), so a resent create meets the first one's name;
    only a scenario can give two file systems one name (renamed elsewhere, say), which clients must notice.
    """
    share_id = str(uuid.uuid4())
    definition = normalize_share(dict(fields, status='100'), share_id, 'created share')
    with state.lock:
        now = time.monotonic()
        if any(other.definition['name'] == fields['name'] and not other.current(now)['gone'] for other in state.resources[KIND].values()):
            return None
        share = Share(definition, time.time())
        share.start(dict(state.scenario['operations']['create']), time.monotonic())
        state.resources[KIND][share_id] = share
    return share_id


def start_operation(state, share_id, kind, value=None):
    """Start ``kind`` (expand, change_security_group, delete); None, or ``(status, errCode, errMsg)`` of the refusal."""
    with state.lock:
        share = state.resources[KIND].get(share_id)
        now = time.monotonic()
        if share is None or share.current(now)['gone']:
            return 404, 'SFS.TURBO.0002', 'Cluster not found'
        if share.busy(now):
            return 400, 'SFS.TURBO.0011', 'Cluster is doing something'
        fields = share.current(now)
        if kind != 'delete' and fields['status'] != '200':
            return 400, 'SFS.TURBO.0024', 'Operation is not allowed'
        operation = dict(share.definition['operations'].get(kind) or state.scenario['operations'][kind])
        if kind == 'expand':
            if value <= fields['size']:
                return 400, 'SFS.TURBO.0008', 'Invalid size'
            operation['new_size'] = float(value)
        elif kind == 'change_security_group':
            operation['security_group_id'] = value
        share.start(operation, now)
        return None


ADMIN_ITEM = None
