# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an SFS Turbo file system (share) is to a wait: its status codes, and what ends each operation.

Operations that return no job id (create, expand, change security group, the storage backends,
delete) report their progress in the file system itself,
``GET /v1/{project_id}/sfs-turbo/shares/{share_id}``: ``status`` (``100`` creating, ``200``
available, ...) and ``sub_status`` (``121`` expanding, ``221`` expanded, ``321`` expansion failed, ...;
empty or absent when the file system was never modified). ``ShareResource`` is the file system's
resource definition for the wait engine (see ``_resource``), for one ``operation`` (or none: one read).
``list_shares`` reads the project's file systems page by page (``GET .../sfs-turbo/shares/detail``),
and ``ShareListResource`` is that listing (all, or those of one name) as one read of sfs_turbo_share_info.

The race this file handles: right after an expand or a security-group change, the file system may
still show the previous operation's ``221`` / ``232`` (or ``321`` / ``332``), or an empty sub_status
before the new one starts. Given the target (``size``, ``security_group_id``), the wait ends only
once it shows; a failure code ends it at once when this wait saw the code change to it, and otherwise
once it stayed unchanged for ``GRACE_POLL_INTERVALS`` poll intervals (a new operation replaces a
leftover code within seconds). Without a target a leftover code cannot be told from a new one, and
ends the wait. A file system deleted (``400``) or frozen (``800``) runs no operation: it fails them.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import re

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import (
    FROZEN_HINT, SfsTurboError, failure_seen_starting, failure_unchanged, no_status, not_a_string, operation_failed, unknown_state,
)
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors_acting import (
    invalid_share_name, listing_did_not_end, listing_not_as_documented,
)
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import IDENTIFIER_RE, check_identifier
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import subject
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._resource import FAILED, PENDING, SUCCEEDED, Observation, Resource
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import shorten

# status of a file system, in words (the API's own names: CREATING, ACTIVE, ...).
STATUS_WORDS = {
    '100': 'creating',
    '200': 'available',
    '300': 'failed',
    '303': 'creation failed',
    '400': 'deleted',
    '800': 'frozen',
}
# sub_status: the last modification and how it went.
SUB_STATUS_WORDS = {
    '121': 'expanding',
    '221': 'expanded',
    '321': 'expansion failed',
    '132': 'changing the security group',
    '232': 'security group changed',
    '332': 'security group change failed',
    '150': 'adding a storage backend',
    '250': 'storage backend added',
    '350': 'adding a storage backend failed',
    '151': 'removing a storage backend',
    '251': 'storage backend removed',
    '351': 'removing a storage backend failed',
}


class Operation:
    """How one operation shows in the file system: the codes it runs, succeeds and fails with.

    ``field``: the field that reports it (``status`` for create, ``sub_status`` for the others).
    ``target``: the option naming what it sets (``size``, ``security_group_id``), when it has one.
    """

    def __init__(self, name, phrase, field, running=(), succeeded=(), failed=(), target=None):
        self.name = name
        self.phrase = phrase  # completes "waiting for SFS Turbo file system X to ..."
        self.field = field
        self.running = running
        self.succeeded = succeeded
        self.failed = failed
        self.target = target


OPERATIONS = {operation.name: operation for operation in (
    # A file system deleted while it is created (400) will never be available.
    Operation('create', 'be created', 'status', running=('100',), succeeded=('200',), failed=('303', '300', '800', '400')),
    Operation('expand', 'be expanded', 'sub_status', running=('121',), succeeded=('221',), failed=('321',), target='size'),
    Operation('change_security_group', 'change its security group', 'sub_status', running=('132',), succeeded=('232',),
              failed=('332',), target='security_group_id'),
    Operation('add_storage_backend', 'add a storage backend', 'sub_status', running=('150',), succeeded=('250',), failed=('350',)),
    Operation('remove_storage_backend', 'remove a storage backend', 'sub_status', running=('151',), succeeded=('251',), failed=('351',)),
    # Gone: a 404 from the service, or status 400 (see ShareResource.observe).
    Operation('delete', 'be deleted', 'status', succeeded=('400',)),
)}
DELETED_STATUS = '400'
FROZEN_STATUS = '800'
# The statuses in which a file system runs no sub_status operation: deleted, frozen.
NO_OPERATION_STATUSES = (DELETED_STATUS, FROZEN_STATUS)
# A failure code that no poll saw start ends a targeted wait once it stayed unchanged this many poll_interval.
GRACE_POLL_INTERVALS = 3
# The CREATING share of action_progress: ASCII digits only ('²'.isdigit() is true, int('²') raises).
_PERCENT_RE = re.compile(r'\A([0-9]{1,3})%\Z')


def code(body, field):
    """``status`` / ``sub_status`` as a string ('' when absent or empty); a number is taken as its digits."""
    value = body.get(field)
    if value is None:
        return ''
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else None


def describe_code(field, value):
    """``status '200' (available)``: a code and its meaning, for messages."""
    words = (STATUS_WORDS if field == 'status' else SUB_STATUS_WORDS).get(value)
    return '%s %r%s' % (field, value, ' (%s)' % words if words else '')


def size_gb(body):
    """The file system's ``size`` in GB as a number (the API sends a string such as "500.00"), or ``None``."""
    try:
        return float(body.get('size'))
    except (TypeError, ValueError):
        return None


def is_gone(error):
    """Whether an API error says the file system does not exist: a 404 in the service's own dialect.

    A 404 without the service's errCode is a wrong endpoint path, not a deleted file system.
    """
    return error.http_status == 404 and isinstance(error.err_code, str) and error.err_code.startswith('SFS.TURBO.')


class ShareResource(Resource):
    """A file system, read or waited for one ``operation`` (``None``: one read, no end rule)."""

    def __init__(self, share_id, operation=None, size=None, security_group_id=None, poll_interval=10.0):
        self.share_id = share_id
        self.operation = OPERATIONS.get(operation) if operation else None
        self.operation_name = operation
        self.size = size
        self.security_group_id = security_group_id
        self.name = 'SFS Turbo file system %s' % share_id
        # A failure code no poll saw start ends a targeted wait once it stayed unchanged this long.
        self.grace = GRACE_POLL_INTERVALS * poll_interval
        self._previous = None  # the operation's code at the previous read (None: no read yet)
        self._failure_since = None  # when the failure code no poll saw start was first read
        self._how = None  # how the failure was known to be this operation's (for failure())

    def check(self):
        check_identifier('share_id', self.share_id)
        if self.operation_name is not None and self.operation is None:
            raise SfsTurboError('Unknown operation %r: use one of %s.' % (self.operation_name, ', '.join(OPERATIONS)))
        name = self.operation_name
        if self.size is not None:
            if name != 'expand':
                raise SfsTurboError('size applies to operation=expand only, not to operation=%s.' % name)
            if self.size < 1:
                raise SfsTurboError('size must be the new capacity in GB (1 or more), got %s.' % self.size)
        if self.security_group_id is not None:
            if name != 'change_security_group':
                raise SfsTurboError('security_group_id applies to operation=change_security_group only, not to operation=%s.' % name)
            check_identifier('security_group_id', self.security_group_id)

    def _target(self):
        """The value the operation's target option was given (``None``: not given, or no target)."""
        if self.operation is None or self.operation.target is None:
            return None
        return getattr(self, self.operation.target)

    def _target_reached(self, body):
        if self.operation.target == 'size':
            size = size_gb(body)
            return size is not None and size >= self.size
        return body.get('security_group_id') == self.security_group_id

    def observe(self, client, deadline=None, retry_until_deadline=False):
        action = 'query %s' % self.name
        try:
            reply = client.get_reply('sfs-turbo/shares/%s' % self.share_id, action=action,
                                     deadline=deadline, retry_until_deadline=retry_until_deadline)
        except SfsTurboError as error:
            if self.operation_name == 'delete' and is_gone(error):
                return Observation(None, SUCCEEDED)
            raise
        share = reply.body
        status, sub_status = code(share, 'status'), code(share, 'sub_status')
        for field, value in (('status', status), ('sub_status', sub_status)):
            if value is None:
                raise not_a_string(self.name, field, share.get(field), **reply.keys())
        if not status:
            raise no_status(self.name, **reply.keys())
        return Observation(share, self._state(status, sub_status, share, client.clock.monotonic()), self._warning(status, sub_status, client.scrub),
                           reply=reply)

    def _state(self, status, sub_status, share, now):
        operation = self.operation
        if operation is None:
            return SUCCEEDED  # a read: no end rule
        if operation.name == 'delete':
            return SUCCEEDED if status == DELETED_STATUS else PENDING
        if operation.field == 'sub_status' and status in NO_OPERATION_STATUSES:
            return FAILED  # deleted or frozen: the operation cannot end
        value = status if operation.field == 'status' else sub_status
        previous, self._previous = self._previous, value
        target = self._target()
        if value in operation.succeeded and (target is None or self._target_reached(share)):
            return SUCCEEDED
        if value not in operation.failed:
            self._failure_since = None
            return PENDING
        if target is None:
            return FAILED  # a leftover code cannot be told from a new one (see the module docstring)
        if previous is not None and previous != value:
            self._how = failure_seen_starting(describe_code(operation.field, previous) if previous else 'no %s' % operation.field)
            return FAILED
        if self._failure_since is None:
            self._failure_since = now
        if now - self._failure_since >= self.grace:
            self._how = failure_unchanged(round(now - self._failure_since, 1), self.grace, GRACE_POLL_INTERVALS)
            return FAILED
        return PENDING

    def _warning(self, status, sub_status, mask):
        """A warning for a code this collection does not know (it is waited past, not trusted); ``mask`` hides secrets."""
        unknown = [describe_code(field, value) for field, value, known in (
            ('status', status, STATUS_WORDS), ('sub_status', sub_status, SUB_STATUS_WORDS)) if value and value not in known]
        if not unknown or self.operation is None:
            return None
        # Masked before it is shortened: a cut secret would no longer be found whole.
        return unknown_state(self.name, ' and '.join(shorten(text, 80, mask) for text in unknown))

    def failure(self, body):
        status, how = code(body, 'status'), self._how
        if self.operation.field == 'sub_status' and status in NO_OPERATION_STATUSES:
            shown, how = describe_code('status', status), FROZEN_HINT if status == FROZEN_STATUS else None
        else:
            shown = describe_code(self.operation.field, code(body, self.operation.field))
        return SfsTurboError(operation_failed(self.name, self.operation_name, shown, how))

    def result(self, body):
        return {'share': body if body is not None else {}}

    def waiting_for(self):
        text = '%s to %s' % (self.name, self.operation.phrase)
        if self.size is not None:
            text += ' to %d GB' % self.size
        elif self.security_group_id is not None:
            text += ' to %s' % self.security_group_id
        return text

    def last_state(self, body):
        if body is None:
            return 'no status was ever received'
        parts = [describe_code('status', code(body, 'status'))]
        if code(body, 'sub_status'):
            parts.append(describe_code('sub_status', code(body, 'sub_status')))
        if self.size is not None:
            parts.append('size %r' % body.get('size'))
        if self.security_group_id is not None:
            parts.append('security_group_id %r' % body.get('security_group_id'))
        return 'its last state was %s' % ', '.join(parts)

    @staticmethod
    def progress_subject(args):
        """How the progress lines name the file system of a task's arguments: ``file system 708c017c (expand)``."""
        operation = args.get('operation')
        # sfs_turbo_share names it by share_id or name (a name is letters, digits, - and _ too).
        return subject('file system', args.get('share_id') or args.get('name'), IDENTIFIER_RE) + (
            ' (%s)' % operation if operation in OPERATIONS else '')

    def progress_state(self, body, safe):
        """``(state, tally)`` of a progress record: ``available (status 200), expanding (sub_status 121)``, ``22% done``.

        A wait for an operation that ``status`` reports (create, delete) shows no ``sub_status``: that is
        the last modification's, not this operation's.
        """
        parts = []
        fields = ('status',) if self.operation is not None and self.operation.field == 'status' else ('status', 'sub_status')
        for field in fields:
            value = safe(code(body, field) or None)
            words = (STATUS_WORDS if field == 'status' else SUB_STATUS_WORDS).get(value)
            if value is not None:
                parts.append('%s (%s %s)' % (words, field, value) if words else '%s %s' % (field, value))
        percent = creating_percent(body)
        return ', '.join(parts) or None, '%d%% done' % percent if percent is not None else None


def creating_percent(body):
    """The ``CREATING`` share of ``action_progress`` (``{"CREATING": "22%"}``) as an int 0-100, or ``None``."""
    progress = body.get('action_progress')
    if not isinstance(progress, dict):
        return None
    text = progress.get('CREATING')
    match = _PERCENT_RE.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    value = int(match.group(1))
    return value if value <= 100 else None


PAGE_SIZE = 100
"""File systems asked for per page of ``GET .../shares/detail``."""
MAX_PAGES = 1000
"""Pages read at most: a server that never ends its listing fails instead of looping."""


def list_shares(client, name=None, page_size=PAGE_SIZE, max_pages=MAX_PAGES, deadline=None):
    """Every file system of the project (``name``: only those named exactly so), read page by page.

    The listing ends when ``offset`` reaches the answer's ``count`` (a server may cap a page below ``page_size``:
    a short page is no end while ``count`` says more follow), at an empty page, or, with no ``count``, at a
    short page. A page that repeats a file system already listed (a server ignoring ``offset``) fails: two
    copies of one file system must not pass for two file systems of one name.
    """
    found, seen = [], set()
    offset = 0
    for dummy in range(max_pages):
        reply = client.get_reply('sfs-turbo/shares/detail?limit=%d&offset=%d' % (page_size, offset),
                                 action='list file systems', deadline=deadline)
        page, count = reply.body.get('shares'), reply.body.get('count')  # the client answers a JSON object or fails
        if not isinstance(page, list) or not all(isinstance(share, dict) for share in page) or (
                count is not None and (isinstance(count, bool) or not isinstance(count, int))):
            raise listing_not_as_documented(**reply.keys())
        ids = [share.get('id') for share in page]
        if any(share_id in seen for share_id in ids) or len(set(ids)) < len(ids):
            raise listing_not_as_documented(**reply.keys())
        seen.update(ids)
        found.extend(share for share in page if name is None or share.get('name') == name)
        offset += len(page)
        if not page or (offset >= count if count is not None else len(page) < page_size):
            return found
    raise listing_did_not_end(max_pages, page_size)


MAX_NAME_LENGTH = 255
"""The longest ``name`` looked up (any name the API could hold fits)."""


class ShareListResource(Resource):
    """The project's file systems, read once through ``list_shares``: those named ``name`` (``None``: all).

    Its result is ``shares`` (zero or more: no match is not a failure), and ``share`` too when exactly one
    is named ``name``. A listing has no end rule: it is read, never waited for.
    """

    def __init__(self, name=None):
        self.share_name = name
        self.name = 'the SFS Turbo file systems' + (' named %r' % shorten(name, 80) if isinstance(name, str) else '')

    def check(self):
        # The name never reaches the URL (the listing is matched here), so any text a file system could be named is looked up.
        if self.share_name is not None and not 0 < len(self.share_name) <= MAX_NAME_LENGTH:
            raise invalid_share_name(self.share_name, MAX_NAME_LENGTH)

    def observe(self, client, deadline=None, retry_until_deadline=False):
        return Observation(list_shares(client, name=self.share_name, deadline=deadline), SUCCEEDED)

    def result(self, body):
        result = {'shares': body}
        if self.share_name is not None and len(body) == 1:
            result['share'] = body[0]
        return result


def share_info_resource(params):
    """What ``sfs_turbo_share_info`` reads: one file system by ``share_id``, else the listing (by ``name``, or all)."""
    if params.get('share_id') is not None:
        return ShareResource(params['share_id'])
    return ShareListResource(params.get('name'))
