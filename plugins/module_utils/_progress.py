# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Progress records of a wait, for the action plugin of sfs_turbo_job_wait to show live.

When the module runs on the controller's machine, the action plugin creates an empty file (0600, in
a private 0700 directory) and names it in the environment variable ``PROGRESS_FILE_ENV``. After
each poll that does not end the wait, the module appends one line of JSON to it, for example::

    {"polls": 4, "elapsed": 3.1, "status": "running", "job_type": "bind_ldap", "sub_jobs": [2, 0, 5]}

(``sub_jobs``: finished, failed, total; ``http_status``/``retrying`` when the poll failed
transiently). When the status, job type or sub-job tally differs from the last record's, the module
also writes a byte to the FIFO ``<file>.bell`` that the plugin made, so that the plugin's reader,
which otherwise sleeps until its next periodic line, shows the change at once.

Nothing else of the job goes in: no times, no reasons, no ids; a status or job type that is not a
short plain word, or that holds a secret the module knows, is left out.

Progress is display only: any failure to open or write the file switches it off silently, and the
file is only ever appended to, never created (no O_CREAT), never followed through a symlink.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import json
import os
import re
import stat

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._jobs import job_status, sub_jobs_of

PROGRESS_FILE_ENV = '_SFS_TURBO_PROGRESS_FILE'
BELL_SUFFIX = '.bell'
# What a status or job type may look like to be shown: the API's own values are all of this form.
# \Z, not "$": a status with a trailing newline would otherwise pass and split a line.
SAFE_WORD_RE = re.compile(r'\A[A-Za-z0-9_.-]{1,40}\Z')
FINISHED = ('success', 'failed')


def safe_word(value, secrets):
    """``value`` if it is a short plain word holding no known secret, else ``None``.

    Secrets are looked for in any letter case: a server may echo a token upper- or lower-cased,
    and job_status() lower-cases the status anyway.
    """
    if not isinstance(value, str) or not SAFE_WORD_RE.match(value):
        return None
    folded = value.casefold()
    if any(secret and secret.casefold() in folded for secret in secrets):
        return None
    return value


def progress_record(job, polls, elapsed, error, secrets):
    """The dict written for one poll (``job`` is the last job seen, or ``None``)."""
    record = {'polls': int(polls), 'elapsed': round(float(elapsed), 1)}
    if job is not None:
        status = safe_word(job_status(job), secrets)
        job_type = safe_word(job.get('job_type'), secrets)
        if status is not None:
            record['status'] = status
        if job_type is not None:
            record['job_type'] = job_type
        sub_jobs = [sub for sub in sub_jobs_of(job) if isinstance(sub, dict)]
        if sub_jobs:
            statuses = [job_status(sub) for sub in sub_jobs]
            finished = sum(1 for status in statuses if status in FINISHED)
            failed = sum(1 for status in statuses if status == 'failed')
            record['sub_jobs'] = [finished, failed, len(sub_jobs)]
    if error is not None:
        record['retrying'] = True
        if isinstance(getattr(error, 'http_status', None), int):
            record['http_status'] = error.http_status
    return record


class ProgressFile:
    """Appends progress records to the file the action plugin named; silent and off on any error."""

    def __init__(self, path, secrets=None):
        """``secrets``: a callable returning the secrets known so far (they grow during a wait)."""
        self._secrets = secrets or (lambda: ())
        self._last_state = None
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
                    _close_quietly(self._bell)
                    self._bell = None
            except OSError:
                self._bell = None

    @classmethod
    def from_environment(cls, secrets=None, environ=None):
        """The writer the environment asks for, or ``None`` (not run by the action plugin, or lines off)."""
        path = (os.environ if environ is None else environ).get(PROGRESS_FILE_ENV)
        if not path:
            return None
        writer = cls(path, secrets)
        return writer if writer.active else None

    @property
    def active(self):
        return self._fd is not None

    def __call__(self, job, polls, elapsed, error):
        """Record one poll: the hook ``wait_for_job`` calls."""
        if self._fd is None:
            return
        try:
            record = progress_record(job, polls, elapsed, error, tuple(self._secrets()))
            os.write(self._fd, (json.dumps(record, sort_keys=True) + '\n').encode('ascii'))
        except (OSError, ValueError, TypeError):
            self.close()
            return
        state = (record.get('status'), record.get('job_type'), record.get('sub_jobs'))
        if self._bell is not None and state != self._last_state:
            try:
                os.write(self._bell, b'!')
            except OSError:
                pass
        self._last_state = state

    def close(self):
        for fd in (self._fd, self._bell):
            if fd is not None:
                _close_quietly(fd)
        self._fd = self._bell = None


def _close_quietly(fd):
    try:
        os.close(fd)
    except OSError:
        pass
