# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A wait that stops when the ``ansible-playbook`` it was started for is gone.

When ``ansible-playbook`` is killed (SIGKILL, an OOM kill, a lost container), its worker and the
module live on: the module would keep polling the API until the wait's own timeout (30 minutes by
default) for a result nobody reads. When the module runs on the controller's machine, the action
plugin names the ``ansible-playbook`` process in ``CONTROLLER_PID_ENV``; the wait's clock then
checks before and during every pause (at least every ``CHECK_EVERY`` seconds) that the process is
still the one it was, and ends the wait with ``ControllerGone`` when it is not.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Clock
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError

CONTROLLER_PID_ENV = '_SFS_TURBO_CONTROLLER_PID'
# A pause is cut into slices this long, each after a look at the controller: a wait notices within this time.
CHECK_EVERY = 1.0


class ControllerGone(SfsTurboError):
    """The ``ansible-playbook`` process the wait was started for has gone: nobody waits for the result."""


def _stat(pid):
    """``(state, start time)`` of process ``pid`` from /proc, or ``None`` where it cannot be read.

    The start time (clock ticks since boot) keeps a PID that the system reused for another process from
    counting as the controller; the state tells a killed process that its parent has not reaped yet
    (a zombie, ``Z``) from a live one.
    """
    try:
        with open('/proc/%d/stat' % pid, encoding='ascii', errors='replace') as handle:
            stat = handle.read()
        fields = stat[stat.rindex(')') + 2:].split()
        return fields[0], fields[19]
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        pass  # it exists, owned by someone else (EPERM)
    stat = _stat(pid)
    return stat is None or stat[0] not in ('Z', 'X')


class WatchedClock(Clock):
    """The real clock, whose pauses end the wait with ``ControllerGone`` once the controller is gone."""

    def __init__(self, pid):
        self.pid = pid
        stat = _stat(pid)
        self._started = stat[1] if stat else None

    def controller_alive(self):
        if not _alive(self.pid):
            return False
        stat = _stat(self.pid)
        return self._started is None or stat is None or stat[1] == self._started

    def check(self):
        if not self.controller_alive():
            raise ControllerGone('Stopped waiting: the ansible-playbook process (PID %d) that started this wait has gone, '
                                 'so no one would read the result. The operation goes on in the cloud.' % self.pid)

    def sleep(self, seconds):
        end = self.monotonic() + max(0.0, seconds)
        self.check()
        while True:
            left = end - self.monotonic()
            if left <= 0:
                return
            super().sleep(min(left, CHECK_EVERY))
            self.check()


class Cancelled(BaseException):
    """The wait got SIGTERM or SIGINT: ansible-playbook is being stopped (Ctrl-C, an AWX cancel).

    A BaseException, as the wall-clock alarm's, so that no ``except Exception`` on the way takes it for a
    network error. ansible-core's workers pass the signal on to the module and die without any clean-up
    of their own, so the wait cleans up what is its to clean (the progress file) and ends.
    """


@contextlib.contextmanager
def cancellable():
    """Turn SIGTERM and SIGINT into ``Cancelled`` inside the block (main thread only; others: no change)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def cancel(signum, frame):
        raise Cancelled(signum)

    previous = {signum: signal.signal(signum, cancel) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def controller_gone(clock):
    """Whether ``clock`` watches a controller that is gone (``False`` for a clock that watches none)."""
    return isinstance(clock, WatchedClock) and not clock.controller_alive()


def clock_for_wait(environ=None):
    """The clock of a wait: watched when the action plugin named the controller process, else the plain one."""
    value = (os.environ if environ is None else environ).get(CONTROLLER_PID_ENV, '')
    try:
        pid = int(value)
    except ValueError:
        return Clock()
    if pid <= 1 or not _alive(pid):
        return Clock()  # nothing sensible to watch: do not stop a wait for it
    return WatchedClock(pid)
