# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The command line: ``python3 sfs_turbo_emulator.py [options]`` (``--help``), pid and port files, watchdog."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
import threading
import time

from .config import (DEFAULT_ACCESS_KEY, DEFAULT_IAM_DOMAIN, DEFAULT_IAM_PASSWORD, DEFAULT_IAM_USER, DEFAULT_PROJECT_ID,
                     DEFAULT_PROJECT_NAME, DEFAULT_SECRET_KEY, DEFAULT_SECURITY_TOKEN, DEFAULT_TEMP_ACCESS_KEY,
                     DEFAULT_TEMP_SECRET_KEY, DEFAULT_TOKEN, IAM_TOKEN_VALIDITY, AuthConfig)
from .server import make_server

# No watchdog unless --lifetime is given: started by hand, the emulator runs until it is stopped.
DEFAULT_LIFETIME = 0.0
# Extra seconds the hard-exit safety net gives a clean shutdown before it kills the process.
SHUTDOWN_GRACE = 10.0
DESCRIPTION = ('Local emulator of the SFS Turbo API (jobs and file systems) and of the IAM token API, on a loopback '
               'address only, for rehearsing runbooks and for tests. Runs until stopped. The guide "Rehearsing runbooks" '
               'documents what it serves.')


def _write_atomically(path, text):
    """Write a small file so that readers see either nothing or the whole content."""
    directory = os.path.dirname(os.path.abspath(path))
    handle, tmp_path = tempfile.mkstemp(prefix='.tmp-', dir=directory)
    try:
        with os.fdopen(handle, 'w', encoding='utf-8') as tmp:
            tmp.write(text)
        os.replace(tmp_path, path)
    except BaseException:
        try:
            os.unlink(tmp_path)
        except OSError:
            pass
        raise


def _remove_pid_file(path):
    # Only remove the file if it is still ours (another emulator may have reused the path).
    try:
        with open(path, encoding='utf-8') as handle:
            if handle.read().strip() != str(os.getpid()):
                return
        os.unlink(path)
    except OSError:
        pass


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=DESCRIPTION)
    parser.add_argument('--host', default='127.0.0.1', help='loopback address to bind (default: %(default)s)')
    parser.add_argument('--port', type=int, default=0, help='port to bind; 0 picks a free one (default: %(default)s)')
    parser.add_argument('--scenario', help='scenario file (JSON, or YAML if PyYAML is installed); default: the built-in jobs and file systems')
    parser.add_argument('--token', default=DEFAULT_TOKEN, help='accepted X-Auth-Token (default: %(default)s)')
    parser.add_argument('--project-id', default=DEFAULT_PROJECT_ID, help='accepted project id (default: %(default)s)')
    parser.add_argument('--pid-file', help='write the process id here; removed on exit')
    parser.add_argument('--port-file', help='write the bound port here (atomically)')
    parser.add_argument('--lifetime', type=float, default=DEFAULT_LIFETIME,
                        help='watchdog for tests: exit by itself after this many seconds; 0 = run until stopped (default)')
    parser.add_argument('--quiet', action='store_true', help='no access log on stderr')
    iam = parser.add_argument_group('IAM password authentication (POST /v3/auth/tokens)')
    iam.add_argument('--iam-user', default=DEFAULT_IAM_USER, help='accepted user name (default: %(default)s)')
    iam.add_argument('--iam-password', default=DEFAULT_IAM_PASSWORD, help='accepted password (default: %(default)s)')
    iam.add_argument('--iam-domain', default=DEFAULT_IAM_DOMAIN, help='accepted user domain name (default: %(default)s)')
    iam.add_argument('--project-name', default=DEFAULT_PROJECT_NAME,
                     help='name of the --project-id project, accepted as scope; its part before "_" is the region (default: %(default)s)')
    iam.add_argument('--no-catalog-sfsturbo', dest='catalog_sfsturbo', action='store_false',
                     help='leave the sfsturbo entry out of the token catalog')
    iam.add_argument('--token-uses', type=int, default=0,
                     help='API requests an issued token is good for, then APIG.0307; 0 = unlimited (default: %(default)s)')
    iam.add_argument('--token-lifetime', type=float, default=IAM_TOKEN_VALIDITY,
                     help='seconds an issued token is valid (its expires_at), then APIG.0307 (default: %(default)s)')
    iam.add_argument('--token-revoked-after', type=float, default=0.0,
                     help='seconds after which an issued token is refused though its expires_at says more; 0 = never (default)')
    iam.add_argument('--extra-iam-user', action='append', default=[], metavar='NAME=PASSWORD',
                     help='one more accepted user of the same domain; repeatable')
    aksk = parser.add_argument_group('AK/SK signatures (SDK-HMAC-SHA256)')
    aksk.add_argument('--access-key', default=DEFAULT_ACCESS_KEY, help='permanent AK (default: %(default)s)')
    aksk.add_argument('--secret-key', default=DEFAULT_SECRET_KEY, help='SK of the permanent AK (default: %(default)s)')
    aksk.add_argument('--temp-access-key', default=DEFAULT_TEMP_ACCESS_KEY, help='temporary AK (default: %(default)s)')
    aksk.add_argument('--temp-secret-key', default=DEFAULT_TEMP_SECRET_KEY, help='SK of the temporary AK (default: %(default)s)')
    aksk.add_argument('--security-token', default=DEFAULT_SECURITY_TOKEN,
                      help='X-Security-Token required with the temporary AK (default: %(default)s)')
    iam.add_argument('--iam-throttle', type=int, default=0,
                     help='the first N IAM logins answer 429 IAM.0012 with Retry-After: 1 (default: %(default)s)')
    parser.add_argument('--echo-credentials', action='store_true',
                        help='hostile mode for tests of masking: echo the caller\'s credential in X-request-id, '
                             'error messages and the status of unfinished jobs')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.lifetime < 0:
        sys.stderr.write('sfs_turbo_emulator: --lifetime must be >= 0 (0 = run until stopped)\n')
        return 2
    lifetime = args.lifetime or None
    try:
        extra_users = dict(item.split('=', 1) for item in args.extra_iam_user if '=' in item)
        if len(extra_users) != len(args.extra_iam_user):
            raise ValueError('--extra-iam-user takes NAME=PASSWORD, once per user')
        auth = AuthConfig(iam_user=args.iam_user, iam_password=args.iam_password, iam_domain=args.iam_domain,
                          project_name=args.project_name, catalog_sfsturbo=args.catalog_sfsturbo, token_uses=args.token_uses,
                          token_lifetime=args.token_lifetime, token_revoked_after=args.token_revoked_after,
                          extra_users=extra_users,
                          access_key=args.access_key, secret_key=args.secret_key, temp_access_key=args.temp_access_key,
                          temp_secret_key=args.temp_secret_key, security_token=args.security_token,
                          echo_credentials=args.echo_credentials, iam_throttle=args.iam_throttle)
        server = make_server(args.host, args.port, args.scenario, args.token, args.project_id, args.quiet, auth)
    except (ValueError, OSError) as exc:
        # ScenarioError is a ValueError; OSError covers unreadable files and ports in use.
        sys.stderr.write(f'sfs_turbo_emulator: {exc}\n')
        return 2

    stop = threading.Event()

    def on_signal(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    def last_resort():
        # Safety net: if a clean shutdown hangs, still never outlive the lifetime by much.
        time.sleep(args.lifetime + SHUTDOWN_GRACE)
        if args.pid_file:
            _remove_pid_file(args.pid_file)
        os._exit(3)  # pylint: disable=protected-access

    if lifetime is not None:
        threading.Thread(target=last_resort, name='watchdog', daemon=True).start()

    try:
        if args.pid_file:
            _write_atomically(args.pid_file, f'{os.getpid()}\n')
        thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1},
                                  name='sfs-turbo-emulator', daemon=True)
        thread.start()
        if args.port_file:
            _write_atomically(args.port_file, f'{server.port}\n')
        print(f'listening on {server.url}', flush=True)
        # The main thread waits here; signal handlers run in it and set the event.
        if not stop.wait(lifetime):
            sys.stderr.write(f'sfs_turbo_emulator: lifetime of {args.lifetime:g} s reached, exiting\n')
        server.shutdown()
        thread.join(SHUTDOWN_GRACE)
    finally:
        server.server_close()
        if args.pid_file:
            _remove_pid_file(args.pid_file)
    return 0
