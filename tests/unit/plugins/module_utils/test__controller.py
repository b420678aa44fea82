# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A wait stops when the ansible-playbook process it was started for is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._controller import (
    CONTROLLER_PID_ENV,
    Cancelled,
    ControllerGone,
    cancellable,
    WatchedClock,
    clock_for_wait,
)
from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_job_wait
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import JOB_URL, base_args, job_body


@pytest.fixture
def controller():
    """A process that stands in for ansible-playbook: kill it to end the controller."""
    process = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(120)'])
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()


def test_no_watch_without_the_variable_or_for_a_pid_that_is_gone():
    assert not isinstance(clock_for_wait({}), WatchedClock)
    assert not isinstance(clock_for_wait({CONTROLLER_PID_ENV: 'x'}), WatchedClock)
    assert not isinstance(clock_for_wait({CONTROLLER_PID_ENV: '1'}), WatchedClock)


def test_a_pause_ends_soon_after_the_controller_is_gone(controller, fake_clock):
    clock = clock_for_wait({CONTROLLER_PID_ENV: str(controller.pid)})
    assert isinstance(clock, WatchedClock)
    clock.sleep(5)
    controller.kill()  # not reaped: a zombie, as a SIGKILLed ansible-playbook whose parent has not waited yet
    time.sleep(0.5)
    started = fake_clock.now
    with pytest.raises(ControllerGone) as exc:
        clock.sleep(600)
    assert fake_clock.now - started <= 1.0, 'within a second of the pause, not at its end'
    assert 'PID %d' % controller.pid in exc.value.msg


def test_the_wait_stops_polling_when_the_controller_is_gone(run_module, requests_mock, fake_clock, controller, monkeypatch):
    monkeypatch.setenv(CONTROLLER_PID_ENV, str(controller.pid))
    polls = []

    def running(request, context):
        polls.append(fake_clock.now)
        if len(polls) == 3:
            controller.kill()
            controller.wait()
        return job_body('running')

    requests_mock.get(JOB_URL, json=running)
    rc, result, dummy = run_module(sfs_turbo_job_wait, base_args(timeout=1800))
    assert rc == 1 and len(polls) == 3
    assert result['msg'].startswith('Stopped waiting: the ansible-playbook process')
    assert result['elapsed'] < 10


def test_sigterm_inside_a_wait_ends_it_as_cancelled():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Cancelled):
        with cancellable():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)
    assert signal.getsignal(signal.SIGTERM) is before, 'the handler is put back'
