# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authentication: AK/SK signing against a vector worked out by hand, IAM password login, clouds.yaml."""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import AkSkAuth, PasswordAuth, TokenAuth, select_auth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clouds import apply_cloud_settings
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._module import client_from_params
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import connection_argument_spec
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._signer import authorization_header, canonical_request, canonical_uri, string_to_sign
from ansible_collections.otc_community.sfs_turbo.tests.unit.plugins.helpers import job_body

PROJECT = '0123456789abcdef0123456789abcdef'
JOB_URL = 'http://127.0.0.1:8080/v1/%s/sfs-turbo/jobs/job-1' % PROJECT

# Worked out by hand from the published algorithm (canonical request -> string to sign ->
# HMAC-SHA256 with the SK), with hashlib/hmac one-liners and sha256sum/openssl, not with the signer.
VECTOR_HEADERS = {'Host': '127.0.0.1:8080', 'X-Sdk-Date': '20261128T100000Z', 'X-Project-Id': PROJECT, 'Content-Type': 'application/json'}
VECTOR_CANONICAL = (
    'GET\n'
    '/v1/0123456789abcdef0123456789abcdef/sfs-turbo/jobs/job-1/\n'
    '\n'
    'content-type:application/json\n'
    'host:127.0.0.1:8080\n'
    'x-project-id:0123456789abcdef0123456789abcdef\n'
    'x-sdk-date:20261128T100000Z\n'
    '\n'
    'content-type;host;x-project-id;x-sdk-date\n'
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
)
VECTOR_STRING_TO_SIGN = 'SDK-HMAC-SHA256\n20261128T100000Z\n9f4f91ab3bd1af4fc70caa1b6efae7b9ca36148f4a2ca83c7b27254420e638d6'
VECTOR_AUTHORIZATION = ('SDK-HMAC-SHA256 Access=EMULATORACCESSKEY0001, SignedHeaders=content-type;host;x-project-id;x-sdk-date, '
                        'Signature=a6ee17674c60c81e29661d1ba6a01e40dc8b719564d91b575833d760634600cd')
AK, SK = 'EMULATORACCESSKEY0001', 'emulator-secret-key-0001'
PASSWORD = 'pw-SECRET-31415'
IAM_URL = 'https://iam.example.test/v3'
API = 'https://sfs-turbo.example.test'


def test_canonical_request_matches_the_worked_vector():
    signed = sorted(name.lower() for name in VECTOR_HEADERS)
    assert canonical_request('GET', JOB_URL, VECTOR_HEADERS, signed, b'') == VECTOR_CANONICAL
    assert string_to_sign('20261128T100000Z', VECTOR_CANONICAL) == VECTOR_STRING_TO_SIGN


def test_signature_matches_the_worked_vector():
    assert authorization_header('GET', JOB_URL, VECTOR_HEADERS, None, AK, SK) == VECTOR_AUTHORIZATION


def test_signature_changes_with_the_secret_key_and_the_body():
    assert authorization_header('GET', JOB_URL, VECTOR_HEADERS, None, AK, SK + 'x') != VECTOR_AUTHORIZATION
    assert authorization_header('GET', JOB_URL, VECTOR_HEADERS, b'{}', AK, SK) != VECTOR_AUTHORIZATION


class Prepared:
    """The parts of a requests.PreparedRequest an auth callable touches."""

    def __init__(self, url):
        self.method, self.url, self.body = 'GET', url, None
        self.headers = {'Content-Type': 'application/json', 'User-Agent': 'x'}


def fixed_now():
    return datetime.datetime(2026, 11, 28, 10, 0, 0, tzinfo=datetime.timezone.utc)


def test_aksk_auth_signs_the_request_with_project_and_date():
    auth = AkSkAuth(AK, SK, utcnow=fixed_now)
    auth.bind_project(PROJECT)
    request = auth(Prepared(JOB_URL))
    assert request.headers['X-Sdk-Date'] == '20261128T100000Z'
    assert request.headers['X-Project-Id'] == PROJECT
    assert request.headers['Host'] == '127.0.0.1:8080'
    assert request.headers['Authorization'] == VECTOR_AUTHORIZATION
    assert SK not in json.dumps(request.headers)


def test_temporary_aksk_sends_and_signs_the_security_token():
    auth = AkSkAuth(AK, SK, security_token='sec-TOKEN-1', utcnow=fixed_now)
    auth.bind_project(PROJECT)
    request = auth(Prepared(JOB_URL))
    assert request.headers['X-Security-Token'] == 'sec-TOKEN-1'
    assert 'SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token,' in request.headers['Authorization']
    assert auth.secrets() == [SK, 'sec-TOKEN-1']


def params(**values):
    spec = connection_argument_spec()
    result = {name: option.get('default') for name, option in spec.items()}
    result.update(values)
    return result


@pytest.mark.parametrize('values, kind', [
    ({'auth_token': 't', 'access_key': AK, 'secret_key': SK, 'username': 'u', 'password': 'p'}, TokenAuth),
    ({'access_key': AK, 'secret_key': SK, 'username': 'u', 'password': 'p'}, AkSkAuth),
    ({'auth_url': IAM_URL, 'username': 'u', 'password': 'p', 'user_domain_name': 'd', 'project_name': 'eu-de'}, PasswordAuth),
])
def test_auth_method_order_is_token_then_aksk_then_password(values, kind):
    assert type(select_auth(params(**values))).__name__ == kind.__name__


def test_a_lone_access_key_does_not_block_password_auth():
    # The contract: AK/SK only when both keys are set, else password.
    values = {'access_key': AK, 'auth_url': IAM_URL, 'username': 'u', 'password': 'p', 'user_domain_name': 'd', 'project_name': 'eu-de'}
    assert type(select_auth(params(**values))).__name__ == 'PasswordAuth'


@pytest.mark.parametrize('values, expected', [
    ({'access_key': AK}, 'set secret_key (or OS_SECRET_KEY) too'),
    ({'secret_key': SK}, 'set access_key (or OS_ACCESS_KEY) too'),
    ({'username': 'u', 'password': PASSWORD}, 'Password authentication needs auth_url (or OS_AUTH_URL), user_domain_name'),
    ({'username': 'u', 'password': PASSWORD, 'auth_url': IAM_URL, 'user_domain_name': 'd'}, 'project_id or project_name'),
    ({}, 'No credentials: set auth_token'),
])
def test_incomplete_credentials_name_what_to_set(values, expected):
    with pytest.raises(SfsTurboError) as exc:
        select_auth(params(**values))
    assert expected in exc.value.msg
    assert PASSWORD not in exc.value.msg and SK not in exc.value.msg


def iam_answer(token='iam-TOKEN-1', project_id=PROJECT, catalog=True):
    body = {'token': {'methods': ['password'], 'project': {'id': project_id, 'name': 'eu-de'}}}
    if catalog:
        body['token']['catalog'] = [
            {'type': 'identity', 'endpoints': [{'url': IAM_URL, 'interface': 'public', 'region': 'eu-de'}]},
            {'type': 'sfsturbo', 'endpoints': [{'url': '%s/v1/%s' % (API, project_id), 'interface': 'public', 'region': 'eu-de'},
                                               {'url': 'https://internal.example.test/v1/%s' % project_id, 'interface': 'internal'}]},
        ]
    return {'status_code': 201, 'headers': {'X-Subject-Token': token}, 'json': body}


def password_params(**values):
    base = dict(auth_url=IAM_URL, username='alice', password=PASSWORD, user_domain_name='acme', project_name='eu-de')
    base.update(values)
    return params(**base)


def test_password_auth_takes_project_and_endpoint_from_the_token(requests_mock, fake_clock, clean_env):
    requests_mock.post(IAM_URL + '/auth/tokens', **iam_answer())
    requests_mock.get('%s/v1/%s/sfs-turbo/jobs/job-1' % (API, PROJECT), json=job_body(job_id='job-1'))
    client = client_from_params(password_params())
    assert client.get_json('sfs-turbo/jobs/job-1', 'query')['job_id'] == 'job-1'
    login = requests_mock.request_history[0].json()
    assert login['auth']['identity']['password']['user'] == {'name': 'alice', 'password': PASSWORD, 'domain': {'name': 'acme'}}
    assert login['auth']['scope'] == {'project': {'name': 'eu-de'}}
    assert 'X-Auth-Token' not in requests_mock.request_history[0].headers
    assert requests_mock.last_request.headers['X-Auth-Token'] == 'iam-TOKEN-1'
    assert client.request_count == 1, 'the IAM login is not an API request'


def test_password_auth_scoped_by_project_id_and_given_endpoint(requests_mock, fake_clock, clean_env):
    requests_mock.post(IAM_URL + '/auth/tokens', **iam_answer(catalog=False))
    requests_mock.get('https://other.example.test/v1/%s/sfs-turbo/jobs/job-1' % PROJECT, json=job_body())
    client = client_from_params(password_params(project_name=None, project_id=PROJECT, endpoint='https://other.example.test'))
    client.get_json('sfs-turbo/jobs/job-1', 'query')
    assert requests_mock.request_history[0].json()['auth']['scope'] == {'project': {'id': PROJECT}}


def test_an_expired_token_is_renewed_once_during_a_run(requests_mock, fake_clock, clean_env):
    requests_mock.post(IAM_URL + '/auth/tokens', [iam_answer('iam-TOKEN-1'), iam_answer('iam-TOKEN-2')])
    requests_mock.get('%s/v1/%s/sfs-turbo/jobs/job-1' % (API, PROJECT), [
        {'json': job_body('running')},
        {'status_code': 401, 'json': {'error_code': 'APIG.0307', 'error_msg': 'The token must be updated.', 'request_id': 'r'}},
        {'json': job_body('success')}])
    client = client_from_params(password_params())
    assert client.get_json('sfs-turbo/jobs/job-1', 'query')['status'] == 'running'
    assert client.get_json('sfs-turbo/jobs/job-1', 'query')['status'] == 'success'
    assert requests_mock.last_request.headers['X-Auth-Token'] == 'iam-TOKEN-2'
    assert [r.method for r in requests_mock.request_history] == ['POST', 'GET', 'GET', 'POST', 'GET']


def test_iam_errors_are_clear_and_never_show_the_password(requests_mock, fake_clock, clean_env):
    requests_mock.post(IAM_URL + '/auth/tokens', status_code=401,
                       json={'error': {'code': 401, 'message': 'The username or password is wrong.', 'title': 'Unauthorized'}})
    with pytest.raises(SfsTurboError) as exc:
        client_from_params(password_params())
    assert exc.value.http_status == 401
    assert exc.value.msg.startswith('Could not get an IAM token for user alice in project eu-de from https://iam.example.test/v3')
    assert 'The username or password is wrong' in exc.value.msg
    assert PASSWORD not in exc.value.msg
    assert requests_mock.call_count == 1


@pytest.mark.parametrize('message, scope, expected', [
    # A wrong user_domain_name reads like a wrong password; a project IAM does not know asks for authentication.
    ('The username or password is wrong.', {}, 'project_name (or OS_PROJECT_NAME)'),
    ('The request you have made requires authentication.', {}, 'project_name (or OS_PROJECT_NAME)'),
    ('The request you have made requires authentication.', {'project_name': None, 'project_id': PROJECT}, 'project_id (or OS_PROJECT_ID)'),
])
def test_a_refused_login_names_the_options_to_check(requests_mock, fake_clock, clean_env, message, scope, expected):
    requests_mock.post(IAM_URL + '/auth/tokens', status_code=401,
                       json={'error': {'code': 401, 'message': message, 'title': 'Unauthorized'}})
    with pytest.raises(SfsTurboError) as exc:
        client_from_params(password_params(**scope))
    assert message.rstrip('.') in exc.value.msg
    for option in ('username and password (or OS_USERNAME and OS_PASSWORD)', 'user_domain_name (or OS_USER_DOMAIN_NAME)', expected):
        assert option in exc.value.msg
    assert exc.value.http_status == 401 and PASSWORD not in exc.value.msg


def test_a_bad_endpoint_fails_before_the_iam_login(requests_mock, fake_clock, clean_env):
    with pytest.raises(SfsTurboError) as exc:
        client_from_params(password_params(endpoint='ftp://x'))
    assert 'Invalid endpoint' in exc.value.msg
    assert requests_mock.call_count == 0


def write_clouds(tmp_path, clouds, secure=None):
    path = tmp_path / 'clouds.yaml'
    path.write_text(json.dumps({'clouds': clouds}))  # JSON is YAML
    if secure is not None:
        (tmp_path / 'secure.yaml').write_text(json.dumps({'clouds': secure}))
    return str(path)


OTC_CLOUD = {'auth': {'auth_url': IAM_URL, 'username': 'alice', 'user_domain_name': 'acme', 'project_name': 'eu-de'},
             'region_name': 'eu-de', 'verify': False}


def test_awx_style_single_cloud_file_is_used_without_naming_it(tmp_path):
    path = write_clouds(tmp_path, {'devstack': OTC_CLOUD}, secure={'devstack': {'auth': {'password': PASSWORD}}})
    result = apply_cloud_settings(params(), {'OS_CLIENT_CONFIG_FILE': path})
    assert (result['auth_url'], result['username'], result['password'], result['user_domain_name']) == (IAM_URL, 'alice', PASSWORD, 'acme')
    assert (result['project_name'], result['region'], result['validate_certs']) == ('eu-de', 'eu-de', False)


def test_a_file_with_several_clouds_needs_cloud(tmp_path):
    path = write_clouds(tmp_path, {'a': OTC_CLOUD, 'b': {'auth': {'ak': AK, 'sk': SK}}})
    assert apply_cloud_settings(params(), {'OS_CLIENT_CONFIG_FILE': path})['username'] is None
    chosen = apply_cloud_settings(params(cloud='b'), {'OS_CLIENT_CONFIG_FILE': path})
    assert (chosen['access_key'], chosen['secret_key']) == (AK, SK)


def test_options_and_env_beat_clouds_yaml(tmp_path):
    path = write_clouds(tmp_path, {'only': OTC_CLOUD})
    result = apply_cloud_settings(params(username='bob', validate_certs=True), {'OS_CLIENT_CONFIG_FILE': path})
    assert result['username'] == 'bob'
    assert result['validate_certs'] is True, 'validate_certs set in the task wins over verify: false'
    result = apply_cloud_settings(params(), {'OS_CLIENT_CONFIG_FILE': path})
    assert result['validate_certs'] is False, 'validate_certs unset (no spec default): verify: false applies'


def test_an_unknown_cloud_names_the_ones_there(tmp_path):
    path = write_clouds(tmp_path, {'a': OTC_CLOUD})
    with pytest.raises(SfsTurboError) as exc:
        apply_cloud_settings(params(cloud='nope'), {'OS_CLIENT_CONFIG_FILE': path})
    assert "no cloud named 'nope' (it has: a)" in exc.value.msg
    assert exc.value.msg.startswith(path + ' has no cloud named')


def test_an_unknown_cloud_names_both_files_read(tmp_path):
    path = write_clouds(tmp_path, {'a': OTC_CLOUD}, secure={'a': {'auth': {'password': PASSWORD}}})
    with pytest.raises(SfsTurboError) as exc:
        apply_cloud_settings(params(cloud='nope'), {'OS_CLIENT_CONFIG_FILE': path})
    assert exc.value.msg.startswith('%s and %s has no cloud named' % (path, tmp_path / 'secure.yaml'))


def test_no_clouds_yaml_found_names_the_places_looked_at(tmp_path, monkeypatch, clean_env):
    with pytest.raises(SfsTurboError) as exc:
        apply_cloud_settings(params(cloud='a'), {})
    assert str(tmp_path / '.config/openstack/clouds.yaml') in exc.value.msg and '/etc/openstack/clouds.yaml' in exc.value.msg


def test_a_cloud_without_credentials_names_the_file_read(tmp_path, clean_env, monkeypatch):
    path = write_clouds(tmp_path, {'a': {'region_name': 'eu-de'}})
    monkeypatch.setenv('OS_CLIENT_CONFIG_FILE', path)
    with pytest.raises(SfsTurboError) as exc:
        client_from_params(params(cloud='a'))
    assert exc.value.msg.startswith('No credentials') and 'read the cloud entry from %s' % path in exc.value.msg


def test_no_clouds_yaml_is_read_unless_asked(tmp_path, monkeypatch):
    write_clouds(tmp_path, {'a': OTC_CLOUD})
    monkeypatch.chdir(tmp_path)
    assert apply_cloud_settings(params(), {})['username'] is None
    assert apply_cloud_settings(params(cloud='a'), {})['username'] == 'alice'


@pytest.mark.parametrize('path, expected', [
    ('/v1/p/sfs-turbo/jobs/j', '/v1/p/sfs-turbo/jobs/j/'),
    # The reference signer decodes the whole path first, then splits: an encoded "/" splits a segment.
    ('/gw%2Fsfs/v1/p', '/gw/sfs/v1/p/'),
    ('/a%20b/c~d/', '/a%20b/c~d/'),
])
def test_canonical_uri_decodes_then_splits_like_the_reference_signer(path, expected):
    assert canonical_uri(path) == expected
