# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""IAM tokens shared by the module runs of one ansible-playbook run (the module's side).

When a module runs on the controller's machine, the action plugin names a directory in
``TOKEN_CACHE_ENV`` (``plugin_utils/_token_cache_dir.py`` makes it, 0700, inside ansible-core's per-run
local temp dir, which the controller removes when the run ends, Ctrl-C included). It holds:

* ``KEY_FILE``: 32 random bytes made once per run (0600), the HMAC key of the entry names;
* per identity, ``<name>.json`` (0600): ``{"token", "expires_at", "issued_at", "project_id",
  "services"}``, replaced atomically (written to a new file, then renamed over it);
* per identity, ``<name>.lock``: an empty file whose ``flock`` serialises the logins of that identity
  across concurrent module runs (forks, loop items).

``<name>`` is HMAC-SHA256(run key, the identity as a JSON list): the token URL, user domain, user name,
project scope (``id`` or ``name`` and its value), the TLS verification setting, and the password.
So a different user, domain, project scope or IAM URL never finds another's token; a task with a
wrong password never gets the token a right one obtained; and nothing in a name tells who it is for
or can be computed without the run's key. The password goes in only through the HMAC: whoever can
read the key can read the tokens and the module's own arguments too (the same user, during the run).
An entry holds nothing the running module does not hold anyway: no password, only the token and what
IAM said about it.

Anything unexpected (the variable unset or empty, a directory or file not owned by this user or
readable by others, a symlink, a broken entry, a lock not got in time) means: no cache, log in as
without one. The cache never fails a task.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import os
import re
import stat
import time

try:
    import fcntl
except ImportError:  # not POSIX: no cache
    fcntl = None

TOKEN_CACHE_ENV = '_SFS_TURBO_TOKEN_CACHE'
KEY_FILE = 'key'
KEY_BYTES = 32
# No entry this cache writes is anywhere near this; a bigger file is not one of ours.
MAX_ENTRY_BYTES = 64 * 1024
# Longest wait for another run's login of the same identity (never past a wait's deadline either).
LOCK_WAIT = 60.0
LOCK_POLL = 0.05
# A token is renewed before use when less than this part of its validity is left, at most RENEW_MARGIN
# seconds (IAM tokens: 24 h, so 10 minutes before expires_at).
RENEW_FRACTION = 0.1
RENEW_MARGIN = 600.0
# Validity assumed when IAM's answer gives no readable expires_at (a 401 still renews it earlier).
DEFAULT_VALIDITY = 3600.0
_ENTRY_NAME_RE = re.compile(r'^[0-9a-f]{64}$')
_NOFOLLOW = getattr(os, 'O_NOFOLLOW', 0)
_CLOEXEC = getattr(os, 'O_CLOEXEC', 0)


def identity_fields(token_url, user_domain_name, username, project_id, project_name, verify, password):
    """The identity a token belongs to, as an unambiguous list (the order is part of the format)."""
    scope = ['id', project_id] if project_id else ['name', project_name]
    return ['v1', token_url, user_domain_name, username] + scope + [str(verify), password]


def entry_name(key, fields):
    """The file name stem of an identity's entry: a keyed hash, 64 hex characters."""
    message = json.dumps(fields, separators=(',', ':'), ensure_ascii=True).encode('ascii')
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class CachedToken:
    """A token and what IAM said about it."""

    def __init__(self, token, expires_at, issued_at, project_id=None, services=None):
        self.token = token
        self.expires_at = float(expires_at)
        self.issued_at = float(issued_at)
        self.project_id = project_id
        self.services = services or []

    def renew_at(self):
        """When a module should get a fresh token instead of using this one."""
        validity = max(0.0, self.expires_at - self.issued_at)
        return self.expires_at - min(RENEW_MARGIN, RENEW_FRACTION * validity)

    def fresh(self, now=None):
        return (time.time() if now is None else now) < self.renew_at()

    def to_json(self):
        return json.dumps({'token': self.token, 'expires_at': self.expires_at, 'issued_at': self.issued_at,
                           'project_id': self.project_id, 'services': self.services})

    @classmethod
    def from_json(cls, text):
        """The entry, or ``None`` when the text is not one this cache wrote."""
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        token, expires_at, issued_at = data.get('token'), data.get('expires_at'), data.get('issued_at')
        project_id, services = data.get('project_id'), data.get('services')
        if not (isinstance(token, str) and token and token.isascii() and token.isprintable()):
            return None
        if any(isinstance(value, bool) or not isinstance(value, (int, float)) for value in (expires_at, issued_at)):
            return None
        if project_id is not None and not isinstance(project_id, str):
            return None
        if not isinstance(services, list):
            return None
        return cls(token, expires_at, issued_at, project_id, services)


def _owned_private(st, kind):
    """Whether ``st`` is a ``kind`` (stat.S_ISDIR/S_ISREG) of this user that no one else may read or write."""
    return kind(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o077


class TokenCache:
    """The run's cache directory, checked; see the module docstring for its layout and rules."""

    def __init__(self, directory, key):
        self.directory = directory
        self._key = key

    @classmethod
    def from_environment(cls, environ=None):
        """The cache the action plugin named, or ``None`` (not named, not usable: log in as without one)."""
        if fcntl is None:
            return None
        directory = (os.environ if environ is None else environ).get(TOKEN_CACHE_ENV) or ''
        if not directory or not os.path.isabs(directory):
            return None
        try:
            if not _owned_private(os.lstat(directory), stat.S_ISDIR):
                return None
            key = _read_private(os.path.join(directory, KEY_FILE), KEY_BYTES + 1)
        except OSError:
            return None
        if key is None or len(key) != KEY_BYTES:
            return None
        return cls(directory, key)

    def name_for(self, fields):
        return entry_name(self._key, fields)

    def _path(self, name, suffix):
        if not _ENTRY_NAME_RE.match(name):
            raise ValueError('not an entry name')
        return os.path.join(self.directory, name + suffix)

    def load(self, name):
        """The entry of ``name``, or ``None`` (none yet, unreadable, or not private)."""
        try:
            data = _read_private(self._path(name, '.json'), MAX_ENTRY_BYTES)
        except OSError:
            return None
        if data is None:
            return None
        return CachedToken.from_json(data.decode('utf-8', 'replace'))

    def store(self, name, entry):
        """Write the entry atomically (a new 0600 file renamed over the old one); ``False`` if it could not."""
        final = self._path(name, '.json')
        temporary = '%s.%s.tmp' % (final, os.urandom(8).hex())
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o600)
        except OSError:
            return False
        try:
            with os.fdopen(fd, 'w', encoding='utf-8') as handle:
                handle.write(entry.to_json())
            os.replace(temporary, final)
            return True
        except OSError:
            try:
                os.unlink(temporary)
            except OSError:
                pass
            return False

    def lock(self, name, seconds):
        """An ``IdentityLock`` held, or ``None`` when it could not be got within ``seconds``."""
        try:
            fd = os.open(self._path(name, '.lock'), os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
        except OSError:
            return None
        try:
            if not _owned_private(os.fstat(fd), stat.S_ISREG):
                os.close(fd)
                return None
        except OSError:
            os.close(fd)
            return None
        give_up = time.monotonic() + max(0.0, seconds)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return IdentityLock(fd)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK) or time.monotonic() >= give_up:
                    os.close(fd)
                    return None
            time.sleep(min(LOCK_POLL, max(0.0, give_up - time.monotonic())))


class IdentityLock:
    """An exclusive ``flock`` on an identity's lock file; released on exit (or when the process dies)."""

    def __init__(self, fd):
        self._fd = fd

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.release()
        return False

    def release(self):
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None


def _read_private(path, limit):
    """The bytes of a regular file of this user that no one else can read or write, or ``None``.

    Opened without following a symlink and checked on the open descriptor, so nothing can be swapped
    in between. Raises ``OSError`` when it cannot be opened (absent, say).
    """
    fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC)
    try:
        if not _owned_private(os.fstat(fd), stat.S_ISREG):
            return None
        data = os.read(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        return None
    return data
