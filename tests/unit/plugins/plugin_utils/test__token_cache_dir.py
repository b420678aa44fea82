# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The IAM token cache, the controller's side: a private directory with a private key, handed only to
module runs on the controller's machine as its user, and one that the module's side accepts."""

from __future__ import annotations

import os
import signal
import stat

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._token_cache import KEY_FILE, TOKEN_CACHE_ENV, TokenCache
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils import _token_cache_dir
from ansible_collections.otc_community.sfs_turbo.plugins.plugin_utils._token_cache_dir import (
    remove_on_termination,
    remove_run_cache_directory,
    run_cache_directory,
    run_ended,
    token_cache_environment,
)


@pytest.fixture
def cache_dir(tmp_path):
    """The run's cache directory, made inside a per-run temp dir (0700) as ansible-core makes one."""
    run_tmp = tmp_path / 'ansible-local-1234abcd'
    run_tmp.mkdir(mode=0o700)
    directory = run_cache_directory(str(run_tmp))
    assert directory is not None
    return directory


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_the_controller_makes_a_private_directory_with_a_private_key(cache_dir):
    assert mode(cache_dir) == 0o700
    assert mode(os.path.join(cache_dir, KEY_FILE)) == 0o600
    with open(os.path.join(cache_dir, KEY_FILE), 'rb') as handle:
        key = handle.read()
    assert len(key) == 32
    # A second worker of the same run keeps the first one's key.
    assert run_cache_directory(os.path.dirname(cache_dir)) == cache_dir
    with open(os.path.join(cache_dir, KEY_FILE), 'rb') as handle:
        assert handle.read() == key
    assert sorted(os.listdir(cache_dir)) == [KEY_FILE], 'no temporary key file left behind'


def test_the_modules_take_the_directory_the_controller_made(cache_dir):
    cache = TokenCache.from_environment({TOKEN_CACHE_ENV: cache_dir})
    assert cache is not None and cache.directory == cache_dir


def test_the_controller_refuses_a_run_dir_others_can_enter(tmp_path):
    run_tmp = tmp_path / 'shared'
    run_tmp.mkdir(mode=0o755)
    run_tmp.chmod(0o755)
    assert run_cache_directory(str(run_tmp)) is None


def test_the_module_gets_the_directory_only_on_the_controller_as_its_user(tmp_path):
    run_tmp = tmp_path / 'run'
    run_tmp.mkdir(mode=0o700)
    local = token_cache_environment(True, False, environ={}, local_tmp=str(run_tmp))
    assert local[TOKEN_CACHE_ENV] == os.path.join(str(run_tmp), 'sfs_turbo_tokens')
    assert token_cache_environment(False, False, environ={}, local_tmp=str(run_tmp)) == {TOKEN_CACHE_ENV: ''}
    assert token_cache_environment(True, True, environ={}, local_tmp=str(run_tmp)) == {TOKEN_CACHE_ENV: ''}
    off = {'SFS_TURBO_TOKEN_CACHE': 'false'}
    assert token_cache_environment(True, False, environ=off, local_tmp=str(run_tmp)) == {TOKEN_CACHE_ENV: ''}


@pytest.fixture
def saved_handlers():
    """Put SIGTERM's and SIGHUP's handlers back as they were after the test."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGHUP)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGHUP])
def test_a_terminating_signal_removes_the_cache_before_the_handler_that_was_there(cache_dir, saved_handlers, signum):
    # ansible-playbook dies by SIGTERM/SIGHUP without its exit handlers: the token files must go first.
    calls = []
    signal.signal(signum, lambda got, frame: calls.append((got, os.path.isdir(cache_dir))))
    remove_on_termination(os.path.dirname(cache_dir))
    remove_on_termination(os.path.dirname(cache_dir))  # a second load of the plugin chains nothing more
    signal.getsignal(signum)(signum, None)
    assert calls == [(signum, False)]
    assert os.path.isdir(os.path.dirname(cache_dir))  # ansible-core's own dir is its business


def test_a_worker_that_inherited_the_handler_does_not_end_the_run(cache_dir, saved_handlers, monkeypatch):
    # ansible-core SIGTERMs a worker it is done with; the worker, forked after the handler was set, runs it.
    calls = []
    signal.signal(signal.SIGTERM, lambda got, frame: calls.append(got))
    remove_on_termination(os.path.dirname(cache_dir))
    handler = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(os, 'getpid', lambda pid=os.getpid() + 1: pid)  # now in a forked worker
    handler(signal.SIGTERM, None)
    assert calls == [signal.SIGTERM], 'the signal goes on to the handler that was there'
    assert not run_ended(os.path.dirname(cache_dir)) and os.path.isdir(cache_dir)


def test_nohup_an_ignored_sighup_stays_ignored_and_the_cache_stays(cache_dir, saved_handlers):
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    remove_on_termination(os.path.dirname(cache_dir))
    assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN, 'the run goes on, and so does its cache'


def test_no_worker_makes_the_cache_again_once_a_signal_removed_it(cache_dir):
    # ansible-core passes no SIGHUP to its workers: one that reaches its task after the handler ran
    # would make the directory and key again, and its module would store a token nothing removes.
    run_tmp = os.path.dirname(cache_dir)
    assert not run_ended(run_tmp)
    remove_run_cache_directory(run_tmp)
    assert run_ended(run_tmp) and not os.path.exists(cache_dir)
    assert token_cache_environment(True, False, environ={}, local_tmp=run_tmp) == {TOKEN_CACHE_ENV: ''}
    assert not os.path.exists(cache_dir)


def test_a_signal_while_a_worker_makes_the_cache_leaves_none(tmp_path, monkeypatch):
    run_tmp = tmp_path / 'ansible-local-5678abcd'
    run_tmp.mkdir(mode=0o700)
    real_ensure_key = _token_cache_dir._ensure_key  # pylint: disable=protected-access

    def signalled_meanwhile(directory):
        real_ensure_key(directory)
        remove_run_cache_directory(str(run_tmp))  # the handler, between the worker's mkdir and its return
        os.mkdir(directory, 0o700)  # ... which the worker's own steps might recreate: it must go all the same
    monkeypatch.setattr(_token_cache_dir, '_ensure_key', signalled_meanwhile)
    assert run_cache_directory(str(run_tmp)) is None
    assert not os.path.exists(str(run_tmp / 'sfs_turbo_tokens'))
