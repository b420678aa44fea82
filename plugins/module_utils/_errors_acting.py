# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The sentences of the modules that act: sfs_turbo_share (``_share_lifecycle``), its look-up by name in the listing
(``_shares``), and sfs_turbo_request's checks of its options (``_request``).

The other half of the one home of the sentences users read, ``_errors`` (its error type, the request and its
answer, the waits, authentication, options): the same rules, a sentence worded once, here or there.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import CHECK_ENDPOINT, SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import shorten


# --- the file system listing and the look-up by name (_shares) ---------------------------------------


def listing_not_as_documented(**keys):
    """A page of ``GET .../shares/detail`` that is not what the API documents (``keys``: http_status, request_id)."""
    return SfsTurboError('The file system listing is not {"shares": [...], "count": N} as the API documents it.', **keys)


def listing_did_not_end(max_pages, page_size):
    return SfsTurboError('The file system listing did not end after %d pages of %d.' % (max_pages, page_size))


def invalid_share_name(value, maximum):
    """A ``name`` to look up that can name no file system: empty, or longer than any name."""
    return SfsTurboError('Invalid name %r: give the name of a file system, 1 to %d characters.' % (shorten(value, 80), maximum))


# --- sfs_turbo_share (_share_lifecycle) ---------------------------------------------------------------


def share_name_invalid(name):
    return ('name %r is not a file system name: 4 to 64 characters, starting with a letter, then letters, digits, '
            '"-" or "_".' % (name,))


def share_size_invalid(size):
    return 'size must be the capacity in GB (1 or more), got %s.' % size


def share_name_ambiguous(name, ids):
    return ('%d file systems are named %r (%s): give share_id to say which one, or rename all but one.'
            % (len(ids), name, ', '.join(str(share_id) for share_id in ids)))


def share_id_not_found(share_id):
    return 'SFS Turbo file system %s does not exist; to create one, give its name instead of share_id.' % share_id


def share_cannot_shrink(share_id, current, size):
    return ('SFS Turbo file system %s has %g GB and size is %d: SFS Turbo cannot shrink a file system; nothing was sent.'
            % (share_id, current, size))


def share_create_only_differs(share_id, differ):
    return ('SFS Turbo file system %s differs in what can only be set when it is created (%s); nothing was sent: '
            'change the task, or delete and recreate the file system.'
            % (share_id, '; '.join('%s: the task has %r, the file system %r' % item for item in differ)))


def share_create_needs(named, missing):
    return 'To create SFS Turbo file system %s, give %s.' % (named, ', '.join(missing))


def create_answer_without_id(label):
    return 'The API accepted the request to create %s, but its answer carries no file system id.' % label


def share_task_cancelled(operations):
    started = ', '.join(operations)
    return ('Stopped: the task was cancelled (SIGTERM or SIGINT)%s.'
            % ('; what it started (%s) goes on in the cloud' % started if started else ', before it started anything'))


# --- sfs_turbo_request (_request) ---


def invalid_path(path, reason):
    """A ``path`` option that could leave the API or change the request: refused before any request."""
    return SfsTurboError('Invalid path %r: %s; give a path below the API such as shares/<share_id>/fs/ldap, '
                         'or one starting with /v1/ or /v2/ such as /v1/{project_id}/sfs-turbo/shares/detail.' % (shorten(path, 80), reason))


# The reasons invalid_path gives.


PATH_EMPTY = 'it is empty'


PATH_SCHEME = 'it must not name a scheme or a host (the endpoint option does)'


PATH_LEADING_SLASH = 'a path starting with "/" must start with /v1/ or /v2/'


PATH_EMPTY_SEGMENT = 'it must not hold "//" (an empty segment)'


PATH_DOT_SEGMENT = 'it must not hold "." or ".." segments'


PATH_QUERY = 'it must not hold "?" or "#" (give query parameters in the query option)'


PATH_PERCENT = 'it must not hold "%" (percent-encoding is refused: an encoded "/", "." or "\\" could change the path)'


PATH_BACKSLASH = 'it must not hold a backslash'


PATH_UNSAFE_CHARACTER = 'it must not hold whitespace or control characters (a line break, a tab, a zero-width or bidi character)'


def path_placeholder(path, placeholder):
    return invalid_path(path, 'it holds the placeholder %s, which is not filled in (only {project_id} is); put the value in its place'
                        % shorten(placeholder, 40))


def body_not_json(reason):
    return SfsTurboError('body must be a dict or a list that can be sent as JSON: %s.' % reason)


def query_value_invalid(name, value):
    return SfsTurboError('query %s must be a string, a number or a boolean, not %s.' % (shorten(str(name), 40), type(value).__name__))


def status_code_invalid(value):
    return SfsTurboError('status_code must list HTTP statuses from 100 to 599, got %s.' % shorten(str(value), 80))


def request_action(method, path):
    """How a message names the request: ``send POST /v1/<project_id>/sfs-turbo/shares/<id>/action``."""
    return 'send %s %s' % (method, path)


def request_not_sent(method, path):
    return '%s %s was not sent (check mode).' % (method, path)


def request_may_have_acted(msg):
    """``msg`` of a failed request that changes something and may have reached the server all the same."""
    return '%s The request may have reached the server and taken effect: check before sending it again.' % msg


def share_unusable(share_id, described):
    return ('SFS Turbo file system %s is in %s: it runs no operation, so nothing was sent; delete it (state: absent) '
            'and create it again.' % (share_id, described))


def share_size_unknown(share_id, value):
    return 'SFS Turbo file system %s shows no size in GB (size %r), so it cannot be compared with size; nothing was sent.' % (share_id, value)


def share_task_timed_out(timeout, label, msg):
    return 'Timed out after %g s working on %s: %s' % (timeout, label, msg)


def share_vanished(label):
    return ('The name of %s was taken when it was created, and the file system that carried it was gone when read; '
            'run the task again.' % label)


# --- an answer sfs_turbo_request does not take (_http, with its accept_status) ------------------------
def status_not_accepted(status, accepted):
    """The hint of a failure with a status below 400 that ``status_code`` does not list."""
    return 'status_code (%s) does not list %s' % (', '.join(str(code) for code in sorted(accepted)), status)


def answer_not_json(action, status, excerpt, **keys):
    return SfsTurboError('Could not %s: HTTP %s, but the body is not JSON (%s); %s.' % (action, status, excerpt or 'empty body', CHECK_ENDPOINT),
                         http_status=status, **keys)
