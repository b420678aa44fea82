# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Live progress lines of the wait modules, on the controller (the action plugin's side).

The module appends one record per poll to a private file (``module_utils/_progress.py`` defines the
record and reads it back) and, when the state changes, writes a byte to a FIFO beside it (the "bell");
``LiveProgress`` creates both, and a background thread that sleeps until the bell rings or the next
periodic line is due reads the file while the module runs and hands each line to ``emit`` (the action
plugin passes ``Display.display``, which a worker process forwards to the main process at once). It prints
one line when the state changes, and otherwise one every ``interval`` seconds::

    sfs_turbo_job_wait: web1: job 26f6b565 (bind_ldap) running, sub-jobs 2/5 done, 1m30s elapsed, 14 polls
    sfs_turbo_share_wait: web1: file system 708c017c (create) creating (status 100), 22% done, 40s elapsed, 9 polls

This file knows no resource: the subject (``job 26f6b565``) is the resource definition's
``progress_subject``, the state and tally are the module's words in the record. Under ``no_log`` no
file is made and the lines say only ``waiting``.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import io
import os
import select
import shutil
import sys
import tempfile
import threading
import time

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import (
    BELL_SUFFIX,
    DIRECTORY_PREFIX,
    MAX_RECORD,
    close_quietly,
    read_record,
    state_of,
)
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._secrets import scrub
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import terminal_text

# How often the reader looks at the file when no bell could be made: a change shows within this time.
# With the bell it wakes only when rung or when a line is due (each wake-up costs CPU: about 1 ms).
TICK = 1.0
MAX_LINE = 300


def format_duration(seconds):
    """``45s``, ``1m30s``, ``2h05m00s``."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return '%dh%02dm%02ds' % (hours, minutes, seconds)
    if minutes:
        return '%dm%02ds' % (minutes, seconds)
    return '%ds' % seconds


def format_seconds(seconds):
    """A pause as the lines say it: ``4 s``, ``0.5 s``, ``2m00s``."""
    if seconds >= 60:
        return format_duration(seconds)
    return '%g s' % round(seconds, 1)


def failure_text(record):
    """Why the requests fail, in words: ``HTTP 503``, ``connection refused``, ``throttled, retry in 4 s``."""
    cause = record['cause']
    if cause == 'HTTP':
        cause = 'HTTP %d' % record['http_status'] if record.get('http_status') else 'HTTP error'
    if record.get('retry_in') is not None:
        cause += ', retry in %s' % format_seconds(record['retry_in'])
    return cause


def printable_host(host):
    """The inventory host name on one line of printable characters (Ansible prints it anyway)."""
    text = ''.join(char if char.isprintable() else '?' for char in str(host))
    return text[:100] or '?'


def state_text(record):
    """What the last answer said: ``running, sub-jobs 2/5 done``, ``creating (status 100), 22% done``."""
    text = record.get('state') or 'status unknown'
    return text + ', ' + record['tally'] if record.get('tally') else text


class ProgressReporter:
    """Decides when to print and what: pure logic, fed with records and the time.

    ``prefix``: the module's name; ``subject``: what is waited for (``job 26f6b565``), as the resource names it.
    """

    def __init__(self, host, prefix, subject, interval, started, secrets=(), no_log=False, remote=False):
        self.host = printable_host(host)
        self.prefix = prefix
        # The subject comes from the task's arguments: a secret there is masked (the records' words are the module's).
        self.subject = scrub(subject, tuple(secret for secret in secrets if isinstance(secret, str) and secret))
        self.interval = interval
        self.started = started
        self.no_log = no_log
        # Why no status can be shown (only the time), or None.
        self.blind = 'the module runs on a remote host' if remote else None
        self.latest = None
        self.printed_state = None
        self.printed_failing = False
        self.last_line_at = started

    def next_due(self):
        """When the next periodic line is due (the clock of ``update``)."""
        return self.last_line_at + self.interval

    def update(self, now, records=()):
        """Take new records; return the line to print now, or ``None``."""
        if not (self.no_log or self.blind):  # neither ever has records: only the time is shown
            for record in records:
                self.latest = record
        changed = self.latest is not None and state_of(self.latest) != self.printed_state
        if not changed and now - self.last_line_at < self.interval:
            return None
        recovered = False
        if self.latest is not None:
            self.printed_state = state_of(self.latest)
            failing = 'cause' in self.latest
            recovered, self.printed_failing = self.printed_failing and not failing, failing
        self.last_line_at = now
        # The fields were checked already; the one sanitiser of terminal text is the last word all the same.
        return terminal_text(self.line(self.elapsed(now), now, recovered), MAX_LINE)

    def elapsed(self, now):
        """Seconds since the wait started: the module's start when a record gave it (as the result counts), else ours."""
        started = self.latest.get('started') if self.latest is not None else None
        if started is not None and self.started - 60 <= started <= now:
            return now - started
        return now - self.started

    def line(self, elapsed, now=None, recovered=False):
        head = '%s: %s: ' % (self.prefix, self.host)
        waited = '%s elapsed' % format_duration(elapsed)
        if self.no_log:
            return head + 'waiting, ' + waited
        subject = self.subject
        if self.blind:
            return head + '%s still waiting, %s (no live status: %s)' % (subject, waited, self.blind)
        record = self.latest
        if record is not None and record['polls'] == 0 and 'cause' not in record and record.get('delay'):
            return head + '%s: waiting %s before the first poll (delay), %s' % (subject, format_duration(record['delay']), waited)
        if record is None or (record['polls'] == 0 and 'cause' not in record):
            return head + '%s: no answer yet, %s' % (subject, waited)
        polls = '%d poll%s' % (record['polls'], '' if record['polls'] == 1 else 's')
        if 'cause' in record:
            text = '%s: %s failing (%s)' % (subject, 'IAM login' if record.get('login') else 'requests', failure_text(record))
            if record.get('last_answer') is not None and now is not None and record['last_answer'] <= now:
                text += ', last good answer %s ago' % format_duration(now - record['last_answer'])
            else:
                text += ', no good answer yet'
            if record.get('state') or record.get('tally'):
                text += ', last status %s' % state_text(record)
            return head + '%s, %s, %s' % (text, waited, polls)
        text = '%s %s' % (subject, state_text(record))
        if recovered:
            text += ', answering again'
        return head + '%s, %s, %s' % (text, waited, polls)


class ProgressTail:
    """Reads the records appended to the progress file since the last call (whole lines only).

    The file stays open between calls, so a look that finds nothing new is one ``read`` system call.
    """

    def __init__(self, path):
        self.path = path
        self.partial = b''
        self._fd = None

    def read(self):
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDONLY | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0))
            data = os.read(self._fd, 64 * 1024)
        except OSError:
            return []
        if not data:
            return []
        lines = (self.partial + data).split(b'\n')
        self.partial = lines.pop()
        if len(self.partial) > MAX_RECORD:
            self.partial = b''  # not a record the module wrote; skip to the next newline
        records = []
        for line in lines:
            record = read_record(line.decode('utf-8', 'replace'))
            if record is not None:
                records.append(record)
        return records

    def close(self):
        if self._fd is not None:
            close_quietly(self._fd)
            self._fd = None


class LiveProgress:
    """Context manager around one module run: the private file and the thread that shows the lines.

    ``with_file``: create the file and set ``env_value`` to its path (the module runs on the
    controller's machine). Without it (remote host, ``no_log``) only the time is shown.
    ``env_value`` is ``''`` then, so that a variable inherited from the controller's environment
    never points the module elsewhere.
    """

    def __init__(self, reporter, emit, with_file, tick=TICK, clock=time.monotonic, temp_root=None):
        self.reporter = reporter
        self.emit = emit
        self.with_file = with_file
        # Where the private directory goes: ansible-core's per-run local temp dir, which ansible-playbook
        # removes when it exits, Ctrl-C included, so that a cancelled run leaves nothing behind.
        self.temp_root = temp_root if temp_root and os.path.isdir(temp_root) else None
        self.tick = tick
        self.clock = clock
        self.directory = None
        self.path = None
        self.env_value = ''
        self._stop = threading.Event()
        self._thread = None
        self._tail = None
        self._bell = None
        # close() writes here, so the thread's select() returns at once and the task ends on time.
        self._wake_read = self._wake_write = None

    def __enter__(self):
        try:
            if self.with_file:
                self._make_file()
            self._wake_read, self._wake_write = os.pipe()
            self._thread = threading.Thread(target=self._run, name='sfs-turbo-progress', daemon=True)
            self._thread.start()
        except BaseException:
            self.close()
            raise
        return self

    def _make_file(self):
        """The private file, or none at all when the temp dir refuses one (the lines then show only the time)."""
        try:
            self.directory = tempfile.mkdtemp(prefix=DIRECTORY_PREFIX, dir=self.temp_root)  # mode 0700
            self.path = os.path.join(self.directory, 'progress.jsonl')
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, 'O_NOFOLLOW', 0), 0o600)
            os.close(fd)
        except OSError:
            if self.directory is not None:
                shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = self.path = None
            self.reporter.blind = 'no progress file could be made'
            return
        self.env_value = self.path
        self._tail = ProgressTail(self.path)
        self._bell = make_bell(self.path + BELL_SUFFIX)

    def __exit__(self, *exc_info):
        self.close()
        return False

    def _timeout(self):
        if self._tail is not None and self._bell is None:
            return self.tick  # no bell: look at the file every tick
        return max(0.0, self.reporter.next_due() - self.clock())

    def _run(self):
        watched = [fd for fd in (self._wake_read, self._bell) if fd is not None]
        while not self._stop.is_set():
            try:
                readable = select.select(watched, [], [], self._timeout())[0]
                if self._stop.is_set():
                    return
                if self._bell in readable:
                    drain(self._bell)
                records = self._tail.read() if self._tail is not None else ()
                line = self.reporter.update(self.clock(), records)
                if line is not None and not self._stop.is_set():
                    self.emit(line)
            except Exception:  # pylint: disable=broad-except
                # Progress is display only: a failure here must never touch the task.
                return

    def close(self):
        """Stop the thread and remove the file and its directory, whatever state things are in."""
        self._stop.set()
        if self._wake_write is not None:
            try:
                os.write(self._wake_write, b'x')
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self._tail is not None:
            self._tail.close()
        for fd in (self._bell, self._wake_read, self._wake_write):
            if fd is not None:
                close_quietly(fd)
        self._bell = self._wake_read = self._wake_write = None
        if self.directory is not None:
            shutil.rmtree(self.directory, ignore_errors=True)
            self.directory = None


def make_bell(path):
    """The FIFO the module rings when the job's state changes, open for reading; ``None`` if none can be made.

    Opened read-write, so that it always has a writer: a FIFO whose last writer closed would read as
    ready for ever and make select() spin.
    """
    try:
        os.mkfifo(path, 0o600)
        return os.open(path, os.O_RDWR | os.O_NONBLOCK | getattr(os, 'O_NOFOLLOW', 0) | getattr(os, 'O_CLOEXEC', 0))
    except (OSError, AttributeError):
        return None


def drain(fd):
    """Read whatever rang the bell (its bytes carry nothing but the ring)."""
    try:
        while os.read(fd, 4096):
            pass
    except OSError:  # BlockingIOError: nothing more to read
        pass


def line_buffer_stdout(stream=None):
    """Make a piped stdout line-buffered, as it is on a terminal. Returns whether it changed.

    ansible-core's Display never flushes stdout, so when ansible-playbook writes into a pipe
    (``| tee``, a CI log) progress lines would sit in an 8 KiB buffer until the play ends.
    """
    stream = sys.stdout if stream is None else stream
    try:
        if not isinstance(stream, io.TextIOWrapper) or stream.line_buffering or stream.isatty():
            return False
        stream.reconfigure(line_buffering=True)
    except (AttributeError, ValueError, OSError):
        return False
    return True
