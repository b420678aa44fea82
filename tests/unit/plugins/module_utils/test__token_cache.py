# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The IAM token cache, the module's side: entry names, private files, one login per identity under the lock,
expiry, masking. (The controller's side, which makes the directory, is tested in plugin_utils/.)
"""

from __future__ import annotations

import json
import os
import stat
import threading
import time

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _auth, _token_cache
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import PasswordAuth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import ApiClient
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import RENEWED_BY_LOGIN, RENEWED_FROM_CACHE
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._iam import IamToken, parse_iam_time
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._token_cache import (
    KEY_BYTES,
    KEY_FILE,
    TOKEN_CACHE_ENV,
    CachedToken,
    TokenCache,
    entry_name,
    identity_fields,
)
from ansible_collections.otc_community.sfs_turbo.plugins.modules import sfs_turbo_job_info
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import JOB_ID, PROJECT_ID, job_body

IAM_URL = 'https://iam.example.test/v3'
API = 'https://sfs-turbo.example.test'
PASSWORD = 'pw-SECRET-27182'
IDENTITY = dict(token_url=IAM_URL + '/auth/tokens', user_domain_name='acme', username='alice', project_id=None,
                project_name='eu-de', verify=True, password=PASSWORD)
KEY = b'k' * 32


def name_of(key=KEY, **changes):
    values = dict(IDENTITY, **changes)
    return entry_name(key, identity_fields(**values))


@pytest.fixture
def cache_dir(tmp_path):
    """A cache directory as the action plugin makes it: 0700, with a 0600 key (made here, without the controller)."""
    directory = tmp_path / 'ansible-local-1234abcd' / 'sfs_turbo_tokens'
    directory.mkdir(parents=True)
    directory.chmod(0o700)
    fd = os.open(str(directory / KEY_FILE), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, os.urandom(KEY_BYTES))
    os.close(fd)
    return str(directory)


@pytest.fixture
def cache(cache_dir):
    return TokenCache.from_environment({TOKEN_CACHE_ENV: cache_dir})


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


# ------------------------------------------------------------------ entry names (the identity key)

@pytest.mark.parametrize('field, other', [
    ('token_url', 'https://iam.other.test/v3/auth/tokens'),
    ('user_domain_name', 'acme2'),
    ('username', 'bob'),
    ('project_name', 'eu-nl'),
    ('verify', False),
    ('password', 'another-password'),
])
def test_every_identity_field_gives_another_entry(field, other):
    assert name_of(**{field: other}) != name_of()


def test_a_scope_by_id_is_not_the_scope_by_a_name_of_the_same_text():
    assert name_of(project_id='eu-de', project_name=None) != name_of(project_id=None, project_name='eu-de')


def test_fields_cannot_run_into_each_other():
    # "alice" + "x,acme" and "alice,x" + "acme" must not meet: the fields are JSON-encoded, not joined.
    assert name_of(user_domain_name='x","acme', username='alice') != name_of(user_domain_name='x', username='acme","alice')
    assert name_of(username='al', user_domain_name='iceacme') != name_of(username='alice', user_domain_name='acme')


def test_names_depend_on_the_runs_key_and_tell_nothing_of_the_identity():
    name = name_of()
    assert name == name_of(), 'the same identity finds its entry again'
    assert name_of(key=b'K' * 32) != name, 'another run (another key) has other names'
    assert len(name) == 64 and set(name) <= set('0123456789abcdef')
    for value in ('alice', 'acme', 'eu-de', 'iam.example.test', PASSWORD):
        assert value not in name


# ------------------------------------------------------------------ private files and directories

def test_entries_are_private_files_replaced_atomically(cache):
    name = cache.name_for(identity_fields(**IDENTITY))
    assert cache.store(name, CachedToken('tok-1', time.time() + 100, time.time()))
    assert cache.store(name, CachedToken('tok-2', time.time() + 100, time.time()))
    path = os.path.join(cache.directory, name + '.json')
    assert mode(path) == 0o600
    assert cache.load(name).token == 'tok-2'
    assert sorted(os.listdir(cache.directory)) == sorted([KEY_FILE, name + '.json']), 'no temporary file left behind'
    with open(path, encoding='utf-8') as handle:
        content = handle.read()
    assert PASSWORD not in content and 'alice' not in content


def test_an_entry_others_could_read_or_a_symlink_is_not_used(cache, tmp_path):
    name = cache.name_for(identity_fields(**IDENTITY))
    cache.store(name, CachedToken('tok-1', time.time() + 100, time.time()))
    path = os.path.join(cache.directory, name + '.json')
    os.chmod(path, 0o644)
    assert cache.load(name) is None
    os.unlink(path)
    planted = tmp_path / 'planted.json'
    planted.write_text(CachedToken('tok-planted', time.time() + 100, time.time()).to_json())
    planted.chmod(0o600)
    os.symlink(str(planted), path)
    assert cache.load(name) is None


@pytest.mark.parametrize('breakage', ['dir-0755', 'key-0644', 'dir-symlink', 'relative', 'no-key', 'short-key'])
def test_a_directory_that_is_not_private_means_no_cache(cache_dir, tmp_path, breakage):
    value = cache_dir
    key_path = os.path.join(cache_dir, KEY_FILE)
    if breakage == 'dir-0755':
        os.chmod(cache_dir, 0o755)
    elif breakage == 'key-0644':
        os.chmod(key_path, 0o644)
    elif breakage == 'dir-symlink':
        value = str(tmp_path / 'link')
        os.symlink(cache_dir, value)
    elif breakage == 'relative':
        value = os.path.relpath(cache_dir)
    elif breakage == 'no-key':
        os.unlink(key_path)
    elif breakage == 'short-key':
        os.chmod(key_path, 0o600)
        with open(key_path, 'wb') as handle:
            handle.write(b'short')
    assert TokenCache.from_environment({TOKEN_CACHE_ENV: value}) is None
    assert TokenCache.from_environment({TOKEN_CACHE_ENV: ''}) is None
    assert TokenCache.from_environment({}) is None


# ------------------------------------------------------------------ logins: one per identity, serialised

class FakeIam:
    """Stands in for the IAM login: counts logins, takes ``seconds``, hands out tok-1, tok-2, ..."""

    def __init__(self, seconds=0.0, validity=86400.0):
        self.seconds = seconds
        self.validity = validity
        self.logins = []
        self.lock = threading.Lock()

    def __call__(self, client, auth_url, username, password, user_domain_name, project_id=None, project_name=None):
        with self.lock:
            self.logins.append((username, project_id or project_name))
            number = len(self.logins)
        time.sleep(self.seconds)
        now = time.time()
        services = [{'type': 'sfsturbo', 'endpoints': [{'url': '%s/v1/%s' % (API, PROJECT_ID), 'interface': 'public'}]}]
        return IamToken('tok-%d' % number, PROJECT_ID, services, expires_at=now + self.validity, issued_at=now)


@pytest.fixture
def iam(monkeypatch):
    fake = FakeIam()
    monkeypatch.setattr(_auth, 'request_token', fake)
    return fake


def started_auth(cache, username='alice', project_name='eu-de', password=PASSWORD):
    auth = PasswordAuth(IAM_URL, username, password, 'acme', project_name=project_name, cache=cache)
    auth.start(ApiClient(None, auth))
    return auth


def test_one_login_for_every_module_run_of_an_identity(cache, iam):
    first = started_auth(cache)
    later = [started_auth(cache) for dummy in range(5)]
    assert len(iam.logins) == 1
    assert {auth._token for auth in [first] + later} == {'tok-1'}  # pylint: disable=protected-access
    assert all(auth.discovered_endpoint == '%s/v1/%s' % (API, PROJECT_ID) for auth in later), 'the catalog comes along'
    assert all(auth.discovered_project_id == PROJECT_ID for auth in later)


def test_other_identities_never_get_each_others_token(cache, iam):
    alice, bob = started_auth(cache, 'alice'), started_auth(cache, 'bob')
    nl = started_auth(cache, 'alice', project_name='eu-nl')
    wrong = started_auth(cache, 'alice', password='not-the-password')
    tokens = [auth._token for auth in (alice, bob, nl, wrong)]  # pylint: disable=protected-access
    assert len(set(tokens)) == 4 and len(iam.logins) == 4


def test_without_a_cache_each_run_logs_in(iam):
    started_auth(None)
    started_auth(None)
    assert len(iam.logins) == 2


def test_concurrent_first_logins_of_an_identity_are_serialised(cache_dir, iam):
    iam.seconds = 0.3  # long enough that unserialised runs would all find no entry and log in
    tokens, errors = [], []

    def module_run():
        try:
            auth = started_auth(TokenCache.from_environment({TOKEN_CACHE_ENV: cache_dir}))
            tokens.append(auth._token)  # pylint: disable=protected-access
        except Exception as exc:  # pylint: disable=broad-except
            errors.append(exc)

    threads = [threading.Thread(target=module_run) for dummy in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(iam.logins) == 1
    assert tokens == ['tok-1'] * 6


def test_a_lock_held_too_long_means_a_login_of_our_own(cache, iam, monkeypatch):
    name = cache.name_for(identity_fields(**IDENTITY))
    held = cache.lock(name, 0)
    assert held is not None
    assert cache.lock(name, 0.2) is None, 'the wait is bounded'
    monkeypatch.setattr(_auth, 'LOCK_WAIT', 0.2)
    auth = started_auth(cache)
    assert auth._token == 'tok-1' and len(iam.logins) == 1  # pylint: disable=protected-access
    held.release()
    assert cache.lock(name, 0) is not None


# ------------------------------------------------------------------ renewal: 401 and expiry

def test_a_401_renews_once_for_all(cache, iam):
    first, second = started_auth(cache), started_auth(cache)
    # The first run to see the 401 logs in; the second, refused with the same old token, takes the new one.
    assert first.reauthenticate() == RENEWED_BY_LOGIN
    assert second.reauthenticate() == RENEWED_FROM_CACHE
    assert first._token == second._token == 'tok-2'  # pylint: disable=protected-access
    assert len(iam.logins) == 2
    # Refused again with the new token: a login of its own, as the cache holds just that token.
    assert second.reauthenticate() == RENEWED_BY_LOGIN
    assert len(iam.logins) == 3


def test_a_token_near_its_expiry_is_renewed_before_use(cache, iam, monkeypatch):
    iam.validity = 100.0  # renewed in its last 10 s
    auth = started_auth(cache)
    auth.before_request()
    assert len(iam.logins) == 1, 'a fresh token is used as it is'
    now = time.time()
    monkeypatch.setattr(_token_cache.time, 'time', lambda: now + 91)
    monkeypatch.setattr(_auth.time, 'time', lambda: now + 91)
    auth.before_request()
    assert len(iam.logins) == 2 and auth._token == 'tok-2'  # pylint: disable=protected-access
    assert started_auth(cache)._token == 'tok-2', 'the renewed token is shared'  # pylint: disable=protected-access
    assert len(iam.logins) == 2


def test_renewal_margins():
    day = CachedToken('t', 1000.0 + 86400, 1000.0)
    assert day.renew_at() == 1000.0 + 86400 - 600, '10 minutes before a 24 h token expires'
    short = CachedToken('t', 1010.0, 1000.0)
    assert short.renew_at() == 1009.0, 'the last tenth of a short one'
    assert short.fresh(1008.9) and not short.fresh(1009.0)


def test_iam_times_are_read_with_their_zone():
    assert parse_iam_time('2026-11-28T10:00:00.000000Z') == 1795860000.0
    assert parse_iam_time('2026-11-28T11:00:00+01:00') == 1795860000.0
    assert parse_iam_time('yesterday') is None and parse_iam_time(None) is None


def test_a_broken_entry_is_ignored(cache, iam):
    name = cache.name_for(identity_fields(**IDENTITY))
    for text in ('not json', '[]', json.dumps({'token': 'x\ny', 'expires_at': 1e12, 'issued_at': 0, 'services': []}),
                 json.dumps({'token': 'x', 'expires_at': True, 'issued_at': 0, 'services': []})):
        fd = os.open(os.path.join(cache.directory, name + '.json'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.write(fd, text.encode())
        os.close(fd)
        assert cache.load(name) is None


# ------------------------------------------------------------------ masking

def test_a_cached_token_is_masked_like_an_issued_one(run_module, requests_mock, cache_dir, monkeypatch):
    """A module run that only read its token from the cache still hides it, even when the server echoes it."""
    cached = 'cachedTOKENcanary0123456789'
    args = dict(auth_url=IAM_URL, username='alice', password=PASSWORD, user_domain_name='acme', project_name='eu-de',
                job_id=JOB_ID)
    cache = TokenCache.from_environment({TOKEN_CACHE_ENV: cache_dir})
    services = [{'type': 'sfsturbo', 'endpoints': [{'url': '%s/v1/%s' % (API, PROJECT_ID), 'interface': 'public'}]}]
    cache.store(cache.name_for(identity_fields(**IDENTITY)), CachedToken(cached, time.time() + 3600, time.time(), PROJECT_ID, services))
    monkeypatch.setenv(TOKEN_CACHE_ENV, cache_dir)
    requests_mock.get('%s/v1/%s/sfs-turbo/jobs/%s' % (API, PROJECT_ID, JOB_ID), status_code=400,
                      json={'errCode': 'SFS.TURBO.0001', 'errMsg': 'bad token %s (%s)' % (cached, cached.upper())})
    rc, result, out = run_module(sfs_turbo_job_info, args)
    assert rc == 1 and result['http_status'] == 400
    assert [request.method for request in requests_mock.request_history] == ['GET'], 'no login: the cached token was used'
    assert requests_mock.last_request.headers['X-Auth-Token'] == cached
    assert cached not in out and cached.upper() not in out


def test_the_job_module_reads_with_a_token_from_the_cache(run_module, requests_mock, cache_dir, monkeypatch):
    requests_mock.post(IAM_URL + '/auth/tokens', status_code=201, headers={'X-Subject-Token': 'iam-TOKEN-A'},
                       json={'token': {'project': {'id': PROJECT_ID}, 'expires_at': '2099-01-01T00:00:00.000000Z',
                                       'issued_at': '2098-12-31T00:00:00.000000Z',
                                       'catalog': [{'type': 'sfsturbo', 'endpoints': [{'url': '%s/v1/%s' % (API, PROJECT_ID)}]}]}})
    requests_mock.get('%s/v1/%s/sfs-turbo/jobs/%s' % (API, PROJECT_ID, JOB_ID), json=job_body())
    monkeypatch.setenv(TOKEN_CACHE_ENV, cache_dir)
    args = dict(auth_url=IAM_URL, username='alice', password=PASSWORD, user_domain_name='acme', project_name='eu-de', job_id=JOB_ID)
    for dummy in range(3):
        rc, result, out = run_module(sfs_turbo_job_info, args)
        assert rc == 0 and 'iam-TOKEN-A' not in out
    assert [request.method for request in requests_mock.request_history] == ['POST', 'GET', 'GET', 'GET']


def test_a_refused_token_from_the_cache_is_followed_by_one_login_of_our_own(requests_mock, cache, clean_env):
    """401 with T1; the cache meanwhile holds T2 (another fork's), refused too; then our own login's T3 works."""
    services = [{'type': 'sfsturbo', 'endpoints': [{'url': '%s/v1/%s' % (API, PROJECT_ID), 'interface': 'public'}]}]
    name = cache.name_for(identity_fields(**IDENTITY))
    cache.store(name, CachedToken('tok-T1', time.time() + 3600, time.time(), PROJECT_ID, services))
    requests_mock.post(IAM_URL + '/auth/tokens', status_code=201, headers={'X-Subject-Token': 'tok-T3'},
                       json={'token': {'project': {'id': PROJECT_ID}, 'catalog': services}})
    refused = {'status_code': 401, 'json': {'error_code': 'APIG.0307', 'error_msg': 'The token must be updated.'}}

    def refuse_and_let_another_fork_renew(request, context):
        cache.store(name, CachedToken('tok-T2', time.time() + 3600, time.time(), PROJECT_ID, services))
        context.status_code = 401
        return {'error_code': 'APIG.0307', 'error_msg': 'The token must be updated.'}

    requests_mock.get('%s/v1/%s/sfs-turbo/jobs/%s' % (API, PROJECT_ID, JOB_ID),
                      [{'json': refuse_and_let_another_fork_renew}, refused, {'json': job_body()}])
    auth = PasswordAuth(IAM_URL, 'alice', PASSWORD, 'acme', project_name='eu-de', cache=cache)
    client = ApiClient('%s/v1/%s' % (API, PROJECT_ID), auth)
    auth.start(client)
    assert client.get_json('sfs-turbo/jobs/%s' % JOB_ID, 'query')['status'] == 'success'
    sent = [(request.method, request.headers.get('X-Auth-Token')) for request in requests_mock.request_history]
    assert sent == [('GET', 'tok-T1'), ('GET', 'tok-T2'), ('POST', None), ('GET', 'tok-T3')]
    assert cache.load(name).token == 'tok-T3', 'our login is shared in turn'
    assert {'tok-T1', 'tok-T2', 'tok-T3'} <= set(auth.secrets()), 'every token used is masked'
