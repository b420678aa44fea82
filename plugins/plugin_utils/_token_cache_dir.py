# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The run's IAM token cache directory, on the controller (the action plugins' side).

The modules of one ``ansible-playbook`` run that run on the controller's machine share IAM tokens
through one directory (``module_utils/_token_cache.py`` says what is in it and how it is used). It is
``sfs_turbo_tokens/`` inside ansible-core's per-run local temp dir (``C.DEFAULT_LOCAL_TMP``,
``~/.ansible/tmp/ansible-local-<pid>.../``), which the ``ansible-playbook`` process makes before it
forks its workers and removes at exit, Ctrl-C included; ansible-core keeps its AnsiballZ cache there
too. The first action plugin of the run to need it makes it (0700) and its HMAC key (0600, made
under another name and hard-linked into place, so concurrent workers all end up with the same key).

``token_cache_environment`` gives the module's environment for it: the directory when the module
runs on the controller's machine as the controller's user, else an empty value (no cache: the module
logs in as it would without one), which also hides a value inherited from the controller's own
environment. ``SFS_TURBO_TOKEN_CACHE=false`` in the controller's environment turns sharing off.

ansible-core removes its per-run dir at exit and on Ctrl-C, but not when ``ansible-playbook`` gets SIGTERM
(what an AWX cancel sends) or SIGHUP: it then dies by the signal, without running its exit handlers.
``remove_on_termination`` chains a handler of those signals in the ``ansible-playbook`` process that
removes this directory first, so that no token outlives the run there either (only SIGKILL, which no
process can catch, leaves it). It first leaves a marker beside it (``ENDED_MARKER``): ansible-core passes
no SIGHUP to its workers, and a worker that outlives the process must neither make the directory again
nor start a module (which would log in and store a token nothing removes); ``run_ended`` tells it.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import stat

from ansible import constants as C

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._token_cache import KEY_BYTES, KEY_FILE, TOKEN_CACHE_ENV

DIRECTORY_NAME = 'sfs_turbo_tokens'
# Made beside the directory, before it is removed, when a signal ends the run: nothing makes it again.
ENDED_MARKER = DIRECTORY_NAME + '.ended'
# Controller environment variable that turns sharing off (false, no, 0, off).
SWITCH_ENV = 'SFS_TURBO_TOKEN_CACHE'
_OFF = ('0', 'false', 'no', 'off')
_NOFOLLOW = getattr(os, 'O_NOFOLLOW', 0)


def sharing_enabled(environ=None):
    value = (os.environ if environ is None else environ).get(SWITCH_ENV, '')
    return value.strip().lower() not in _OFF


def _private_directory(path):
    """Whether ``path`` is a directory (not a symlink) of this user that no one else can enter."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and not st.st_mode & 0o077


def _ensure_key(directory):
    """Put the run's HMAC key in place once: the first worker's wins, the others keep it."""
    path = os.path.join(directory, KEY_FILE)
    if os.path.lexists(path):
        return
    candidate = os.path.join(directory, '.%s.%s' % (KEY_FILE, os.urandom(8).hex()))
    fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, 'wb') as handle:
            handle.write(os.urandom(KEY_BYTES))
        try:
            os.link(candidate, path)  # fails if another worker's key got there first: keep that one
        except FileExistsError:
            pass
    finally:
        os.unlink(candidate)


def run_ended(local_tmp=None):
    """Whether a SIGTERM/SIGHUP of ``ansible-playbook`` removed the run's cache (``remove_on_termination``)."""
    base = C.DEFAULT_LOCAL_TMP if local_tmp is None else local_tmp
    return bool(base) and os.path.lexists(os.path.join(base, ENDED_MARKER))


def run_cache_directory(local_tmp=None):
    """The run's cache directory, made if need be; ``None`` when it cannot be made or is not private,
    or when the run has ended (then also if it ends while the directory is being made)."""
    base = C.DEFAULT_LOCAL_TMP if local_tmp is None else local_tmp
    if not base or not _private_directory(base) or run_ended(base):
        return None
    directory = os.path.join(base, DIRECTORY_NAME)
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    if not _private_directory(directory):
        return None
    try:
        _ensure_key(directory)
    except OSError:
        return None
    if run_ended(base):
        # The handler marks before it removes: it removed this directory, or will not see it.
        shutil.rmtree(directory, ignore_errors=True)
        return None
    return directory


def token_cache_environment(runs_on_controller, becomes, environ=None, local_tmp=None):
    """``{TOKEN_CACHE_ENV: directory}`` for a module run that may share tokens, else ``{TOKEN_CACHE_ENV: ''}``.

    ``runs_on_controller``: the connection is ``local`` (``localhost``, ``delegate_to: localhost``).
    ``becomes``: the module runs as another user, who must not (and could not) use this user's files.
    """
    directory = None
    if runs_on_controller and not becomes and sharing_enabled(environ):
        directory = run_cache_directory(local_tmp)
    return {TOKEN_CACHE_ENV: directory or ''}


# Signals that end ansible-playbook without its exit handlers (SIGINT raises KeyboardInterrupt: they run).
TERMINATING_SIGNALS = ('SIGTERM', 'SIGHUP')


def remove_run_cache_directory(local_tmp=None):
    """Mark the run ended, then remove its cache directory, if there is one (best effort: the process is about to end)."""
    base = C.DEFAULT_LOCAL_TMP if local_tmp is None else local_tmp
    if base:
        try:
            os.close(os.open(os.path.join(base, ENDED_MARKER), os.O_WRONLY | os.O_CREAT | _NOFOLLOW, 0o600))
        except OSError:
            pass
        shutil.rmtree(os.path.join(base, DIRECTORY_NAME), ignore_errors=True)


def _chained(previous, local_tmp):
    installed_in = os.getpid()

    def on_signal(signum, frame):
        # A worker forked from ansible-playbook inherits this handler; ansible-core ends workers with SIGTERM
        # (its clean-up of workers still alive), which is no end of the run: only ansible-playbook's own signal is.
        if os.getpid() == installed_in:
            remove_run_cache_directory(local_tmp)
        if callable(previous):
            previous(signum, frame)  # ansible-core's own: it passes the signal on to its workers, then dies by it
        else:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
    on_signal.sfs_turbo_token_cache = True
    return on_signal


def remove_on_termination(local_tmp=None):
    """In the ansible-playbook process (not in a worker), remove the cache directory on SIGTERM and SIGHUP.

    Called when the strategy queues the first task of ours (``_action.set_up_run``), after ansible-core set
    its own handlers; ours runs first and then hands the signal on: to theirs, else to the default action
    (death by the signal, as without ours). An ignored signal (``nohup``) stays ignored. Installed once per process.
    """
    if multiprocessing.current_process().name != 'MainProcess':
        return  # a worker: ansible-playbook itself removes the directory
    for name in TERMINATING_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            previous = signal.getsignal(signum)
            if previous == signal.SIG_IGN or getattr(previous, 'sfs_turbo_token_cache', False):
                continue
            signal.signal(signum, _chained(previous, local_tmp))
        except (ValueError, OSError):
            pass  # not the main thread, or not allowed here: ansible-core's own handling stands
