# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Progress records of a wait, for the action plugin of a wait module to show live: the one record format.

When the module runs on the controller's machine, the action plugin creates an empty file (0600, in
a private 0700 directory) and names it in the environment variable ``PROGRESS_FILE_ENV``. The module
appends one line of JSON to it when the wait starts (``polls`` 0, with ``delay`` when the first poll waits
for it), after each poll that does not end the wait, and for every failed attempt while the HTTP client
retries it (IAM logins included), so that an outage shows while it lasts::

    {"polls": 4, "elapsed": 3.1, "started": 81234.56, "state": "(bind_ldap) running, sub-jobs 2/5 done"}
    {"polls": 9, "elapsed": 41.0, "started": 81234.56, "last_answer": 81255.1, "cause": "HTTP",
     "http_status": 503, "retry_in": 4.0, "state": "creating (status 100)", "tally": "22% done"}

The record knows no resource: ``state`` (what the last answer says, in words) and ``tally`` (how far it
is, e.g. ``22% done``) are the resource's text (``progress_state`` of its resource definition), built
from the server's words only where ``safe_word`` lets one through: short and plain, holding no secret the
module knows. ``cause`` is one of ``CAUSE_WORDS`` (``HTTP`` with ``http_status``), ``retry_in`` the pause
before the next attempt, ``login`` ``true`` when the IAM login is what fails. ``started`` and
``last_answer`` are the module's ``time.monotonic()`` at the start of the wait and at the last good
answer: the plugin runs on the same machine, so the lines count ``elapsed`` from the module's start, as
the result does. ``RECORD_FIELDS`` is the format, and ``read_record`` the plugin's reader of it: a field
of another name or form is not believed. When a field of ``CHANGE_FIELDS`` differs from the last
record's, the module also writes a byte to the FIFO ``<file>.bell`` that the plugin made, so that the
plugin's reader, which otherwise sleeps until its next periodic line, shows the change at once.

Progress is display only: any failure to open or write the file switches it off silently, and the
file is only ever appended to, never created (no O_CREAT), never followed through a symlink.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import json
import os
import re
import stat

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._limits import MAX_SECONDS
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._secrets import holds_secret

PROGRESS_FILE_ENV = '_SFS_TURBO_PROGRESS_FILE'
# Seconds between two live progress lines of a wait (why 30: see the option's docs), and the fewest.
DEFAULT_PROGRESS_INTERVAL = 30.0
MIN_PROGRESS_INTERVAL = 1.0
# The private directory the plugin makes for the file (and the bell) of one task run.
DIRECTORY_PREFIX = 'sfs-turbo-progress-'
BELL_SUFFIX = '.bell'
# What a server's word may look like to be shown: the API's own values are all of this form.
# \Z, not "$": a status with a trailing newline would otherwise pass and split a line.
SAFE_WORD_RE = re.compile(r'\A[A-Za-z0-9_.-]{1,40}\Z')
UUID_RE = re.compile(r'\A[0-9a-fA-F]{8}(-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}\Z')
# Why requests fail, in words: the record's ``cause`` (an HTTP error is ``HTTP``, with ``http_status``).
CAUSE_WORDS = ('HTTP', 'throttled', 'timed out', 'connection refused', 'DNS lookup failed', 'no route to host',
               'connection dropped', 'TLS to a plain HTTP port', 'request failed')
# A change in one of these rings the bell (a line at once); a tally shows in the periodic lines. A cause
# coming or going is one: the first failed attempt, and the first answer after an outage, show at once.
CHANGE_FIELDS = ('state', 'cause', 'login')
# A record longer than this is not one the module wrote.
MAX_RECORD = 1024
_TEXT_RE = re.compile(r'\A[ -~]{1,200}\Z')  # printable ASCII, one line
_MAX_COUNT = 100000
_MAX_SECONDS = 1e10  # a pause, or a monotonic clock reading: seconds since boot


def is_progress_interval(seconds):
    """Whether a wait takes ``seconds`` as its progress_interval: 0 (no lines), or MIN_PROGRESS_INTERVAL to MAX_SECONDS."""
    return seconds == 0 or MIN_PROGRESS_INTERVAL <= seconds <= MAX_SECONDS


def _count(value):
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_COUNT


def _seconds(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < _MAX_SECONDS


# The record format: each field and the form it must have (the module writes nothing else).
RECORD_FIELDS = {
    'polls': _count,
    'elapsed': _seconds,
    'state': lambda value: isinstance(value, str) and bool(_TEXT_RE.match(value)),
    'cause': lambda value: value in CAUSE_WORDS,
    'http_status': lambda value: _count(value) and 100 <= value <= 599,
    'login': lambda value: value is True,
}
RECORD_FIELDS.update((key, RECORD_FIELDS['state']) for key in ('tally',))
RECORD_FIELDS.update((key, _seconds) for key in ('retry_in', 'delay', 'started', 'last_answer'))


def read_record(line):
    """The record of one line of the file, its fields of the wrong form left out; ``None`` when it is none."""
    if len(line) > MAX_RECORD:
        return None
    try:
        raw = json.loads(line)
    except ValueError:
        return None
    if not isinstance(raw, dict) or not _count(raw.get('polls')):
        return None
    return {key: value for key, value in raw.items() if key in RECORD_FIELDS and RECORD_FIELDS[key](value)}


def state_of(record):
    """The part of a record whose change rings the bell (and, on the plugin's side, prints a line)."""
    return tuple(record.get(field) for field in CHANGE_FIELDS)


def subject(noun, identifier, pattern):
    """How the lines name what is waited for: ``job 26f6b565`` (a UUID's first 8 characters, any other
    id whole), or the ``noun`` alone when ``identifier`` is no valid id (``pattern``: the resource's rule)."""
    if not isinstance(identifier, str) or not pattern.match(identifier):
        return noun
    return '%s %s' % (noun, identifier[:8] if UUID_RE.match(identifier) else identifier)


def cause_word(error):
    """The record's ``cause`` for a failed attempt: one of ``CAUSE_WORDS``."""
    cause = getattr(error, 'cause', None) or ''
    if cause == 'throttled' or getattr(error, 'http_status', None) == 429:
        return 'throttled'
    if cause.startswith('HTTP') or isinstance(getattr(error, 'http_status', None), int):
        return 'HTTP'
    return cause if cause in CAUSE_WORDS else 'request failed'


def safe_word(value, secrets):
    """``value`` if it is a short plain word holding no known secret, else ``None``.

    Secrets are looked for in any letter case: a server may echo a token upper- or lower-cased,
    and job_status() lower-cases the status anyway.
    """
    if not isinstance(value, str) or not SAFE_WORD_RE.match(value) or holds_secret(value, secrets):
        return None
    return value


def progress_record(resource, body, polls, elapsed, error, secrets):
    """The dict written for one poll (``body`` is the last one seen, or ``None``)."""
    record = {'polls': int(polls), 'elapsed': round(float(elapsed), 1)}
    if body is not None:
        state, tally = resource.progress_state(body, lambda value: safe_word(value, secrets))
        record.update((key, text) for key, text in (('state', state), ('tally', tally)) if text)
    if error is not None:
        record['cause'] = cause_word(error)
        if isinstance(getattr(error, 'http_status', None), int):
            record['http_status'] = error.http_status
    return record


class ProgressFile:
    """Appends progress records to the file the action plugin named; silent and off on any error."""

    def __init__(self, path, resource, secrets=None, clock=None):
        """``resource``: what is waited for (its ``progress_state``); ``secrets``: a callable
        returning the secrets known so far (they grow during a wait); ``clock``: the wait's."""
        self._resource = resource
        self._path = path
        self._secrets = secrets or (lambda: ())
        self._clock = clock
        self._started = self._last_answer = self._body = self._last_state = None
        flags = os.O_WRONLY | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0)
        try:
            self._fd = os.open(path, flags | os.O_APPEND)
        except (OSError, ValueError, TypeError):
            self._fd = None
        self._bell = None
        if self._fd is not None:
            try:
                # Non-blocking: a full pipe means the reader has a ring waiting already.
                self._bell = os.open(path + BELL_SUFFIX, flags | os.O_NONBLOCK)
                if not stat.S_ISFIFO(os.fstat(self._bell).st_mode):
                    close_quietly(self._bell)
                    self._bell = None
            except OSError:
                self._bell = None

    @classmethod
    def from_environment(cls, resource, secrets=None, environ=None, clock=None):
        """The writer the environment asks for, or ``None`` (not run by the action plugin, or lines off)."""
        path = (os.environ if environ is None else environ).get(PROGRESS_FILE_ENV)
        if not path:
            return None
        writer = cls(path, resource, secrets, clock)
        return writer if writer.active else None

    def use(self, resource):
        """Describe what is waited for from now on by ``resource`` (a task that waits for one operation after another)."""
        self._resource = resource

    def start(self, started, delay):
        """Record the start of the wait (``started``: its monotonic time), and the ``delay`` before its first poll."""
        self._started = started
        extra = {'delay': round(float(delay), 1)} if delay > 0 else {}
        # A delay shows at once; without one the first poll's record does, a moment later.
        self._write({'polls': 0, 'elapsed': 0.0}, extra, ring=delay > 0)

    def retrying(self, error, pause, login, polls):
        """Record one failed attempt that the client retries after ``pause`` seconds (its ``on_retry``)."""
        extra = {'retry_in': round(max(0.0, float(pause)), 1)}
        if login:
            extra['login'] = True
        self._record(self._body, polls, self._elapsed(), error, extra)

    def _elapsed(self):
        if self._clock is None or self._started is None:
            return 0.0
        return self._clock.monotonic() - self._started

    @property
    def active(self):
        return self._fd is not None

    def __call__(self, body, polls, elapsed, error):
        """Record one poll: the hook ``_polling.wait_for`` calls."""
        if self._fd is None:
            return
        if body is not None:
            self._body = body
            if error is None and self._clock is not None:
                self._last_answer = self._clock.monotonic()
        self._record(body, polls, elapsed, error)

    def _record(self, body, polls, elapsed, error, extra=None):
        try:
            record = progress_record(self._resource, body, polls, elapsed, error, tuple(self._secrets()))
        except (ValueError, TypeError, AttributeError):
            return
        self._write(record, extra)

    def _write(self, record, extra=None, ring=True):
        if self._fd is None:
            return
        for key, value in (('started', self._started), ('last_answer', self._last_answer)):
            if value is not None:
                record[key] = round(value, 3)
        record.update(extra or {})
        try:
            os.write(self._fd, (json.dumps(record, sort_keys=True) + '\n').encode('ascii'))
        except (OSError, ValueError, TypeError):
            self.close()
            return
        state = state_of(record)
        if ring and self._bell is not None and state != self._last_state:
            try:
                os.write(self._bell, b'!')
            except OSError:
                pass
        self._last_state = state

    def remove(self):
        """Remove the file, its bell and their private directory: when ansible-playbook is gone, no one else will.

        Only what the plugin made for this run: the two entries, then the directory if it is the plugin's
        (``DIRECTORY_PREFIX``) and empty.
        """
        self.close()
        for name in (self._path, self._path + BELL_SUFFIX):
            try:
                os.unlink(name)
            except OSError:
                pass
        directory = os.path.dirname(self._path)
        if os.path.basename(directory).startswith(DIRECTORY_PREFIX):
            try:
                os.rmdir(directory)
            except OSError:
                pass

    def close(self):
        for fd in (self._fd, self._bell):
            if fd is not None:
                close_quietly(fd)
        self._fd = self._bell = None


def close_quietly(fd):
    """Close ``fd``, whatever state it is in (the file, the bell, the plugin's pipe)."""
    try:
        os.close(fd)
    except OSError:
        pass
