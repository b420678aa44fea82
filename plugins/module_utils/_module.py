# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the modules run: checking the parameters, one call each, and the result to report.

Each ``run_*`` function returns ``(failed, result)``; the module passes ``result`` to
``fail_json`` or ``exit_json``. Nothing here prints or exits.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, _load_params, missing_required_lib

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import select_auth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Clock, Deadline
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clouds import FILES_READ, apply_cloud_settings
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import HAS_REQUESTS, ApiClient
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._jobs import fetch_job, job_failure, job_result
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import (
    check_ca_path,
    check_identifier,
    check_environment,
    check_numbers,
    check_wait_numbers,
    endpoint_base,
    forget_environment_sources,
    resolve_api_base,
)
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._polling import timeout_message, wait_for_job
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._urls import userinfo_secret
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import ProgressFile
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import terminal_text


def new_module(argument_spec):
    """The AnsibleModule of a job module: read-only, so check mode is fully supported."""
    forget_environment_sources()
    module = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'))
    return module


def explicit_options():
    """Names of the options the task (or module_defaults) set, as opposed to argspec defaults.

    Needed for the one option with a default that clouds.yaml may change (validate_certs).
    """
    return frozenset(name for name, value in _load_params().items() if value is not None and not name.startswith('_'))


def finish(module, failed, result):
    # msg is printed as text (unescaped by ansible-core 2.20): no server control character reaches the terminal.
    if 'msg' in result:
        result['msg'] = terminal_text(result['msg'])
    if failed:
        module.fail_json(**result)
    module.exit_json(**result)


SECRET_OPTIONS = ('auth_token', 'password', 'secret_key', 'security_token')


def client_from_params(params, explicit=frozenset(), secrets=None, deadline=None):
    """Check every connection option, authenticate if the method needs it, build the client.

    Precedence: option > environment variable (both already in ``params``) > clouds.yaml.
    Everything that can be checked without the network is checked before any request.
    Secrets read from clouds.yaml are added to ``secrets`` (a set), which Ansible does not
    know of otherwise. ``deadline`` bounds every request, the IAM login's too.
    Raises ``SfsTurboError``.
    """
    check_environment()
    params = apply_cloud_settings(dict(params), explicit)
    if secrets is not None:
        secrets.update(params[name] for name in SECRET_OPTIONS if params.get(name))
        # A password written into a URL (refused below) is a secret too, wherever Ansible shows the option.
        secrets.update(userinfo_secret(params.get(name)) for name in ('endpoint', 'auth_url'))
    check_numbers(params)
    check_ca_path(params)
    if params.get('project_id'):
        check_identifier('project_id', params['project_id'])
    try:
        auth = select_auth(params)
    except SfsTurboError as error:
        if params.get(FILES_READ):
            # The entry was read but gives no usable credentials: say where it was looked for.
            error.msg = '%s (read the cloud entry from %s.)' % (error.msg.rstrip('.') + '.', ' and '.join(params[FILES_READ]))
        raise
    if params.get('endpoint') or params.get('region'):
        endpoint_base(params)  # a bad endpoint fails before the IAM login, too
    client = ApiClient(None, auth, validate_certs=params['validate_certs'], ca_path=params.get('ca_path'),
                       request_timeout=params['request_timeout'], retries=params['retries'], deadline=deadline)
    client.add_secrets(secrets or ())
    auth.start(client)
    client.api_base, project_id = resolve_api_base(params, auth.discovered_endpoint, auth.discovered_project_id)
    auth.bind_project(project_id)
    return client


def warner(module):
    """``module.warn`` for text that may hold server text: a warning is printed as text too."""
    return lambda text: module.warn(terminal_text(text))


def _hide(module, secrets, client=None):
    """Have Ansible mask secrets it does not know of: clouds.yaml ones and IAM-issued tokens, and
    every secret upper- and lower-cased too (a server may echo one so, into a job or a message)."""
    if client is not None:
        secrets.update(client.auth.secrets())
    for secret in secrets:
        if secret:
            module.no_log_values.update((secret, secret.lower(), secret.upper()))


def _last_response(client):
    """``http_status``/``request_id`` of the last API answer (the contract wants them whenever known)."""
    keys = {'http_status': client.last_http_status, 'request_id': client.last_request_id}
    return {key: value for key, value in keys.items() if value is not None}


def _with_job(result, job, fail_on_job_failure, job_id, client):
    """Add the job keys; return ``True`` when the job failed and that should fail the task.

    A failed job returned as data (``fail_on_job_failure=false``) still carries ``msg``,
    ``errCode`` and ``errMsg``, so that a runbook can branch on them.
    """
    result.update(job_result(job))
    failure = job_failure(job_id, job)
    if failure is None:
        return False
    if not fail_on_job_failure:
        result.update((key, value) for key, value in failure.to_result().items() if key in ('msg', 'errCode', 'errMsg'))
        return False
    result.update(_last_response(client))
    result.update(failure.to_result())
    return True


def run_job_info(module):
    """One GET of the job. Never sleeps or polls (beyond retrying a transient failure)."""
    params, secrets, client = module.params, set(), None
    try:
        job_id = check_identifier('job_id', params['job_id'])
        client = client_from_params(params, explicit_options(), secrets)
        job = fetch_job(client, job_id)
    except SfsTurboError as error:
        _hide(module, secrets, client)
        return True, dict(changed=False, **error.to_result())
    _hide(module, secrets, client)
    result = dict(changed=False)
    failed = _with_job(result, job, params['fail_on_job_failure'], job_id, client)
    return failed, result


def run_job_wait(module):
    """Poll the job until it finishes or the timeout passes."""
    params, secrets, client = module.params, set(), None
    clock = Clock()
    deadline = None
    try:
        job_id = check_identifier('job_id', params['job_id'])
        check_wait_numbers(params)
        # The wait starts now: the IAM login (and any re-login) counts in elapsed and in the timeout.
        deadline = Deadline(clock, params['timeout'])
        client = client_from_params(params, explicit_options(), secrets, deadline=deadline)
    except SfsTurboError as error:
        _hide(module, secrets, client)
        elapsed = 0.0 if deadline is None else round(deadline.seconds - deadline.remaining(), 3)
        timed_out = deadline is not None and error.transient and deadline.expired()
        result = dict(changed=False, timed_out=timed_out, elapsed=elapsed, polls=0, **error.to_result())
        if timed_out:
            result['msg'] = timeout_message(params['job_id'], params['timeout'], None, error)
        return True, result

    # Live progress for the action plugin, when it asked for it (display only: the result is the same).
    progress = ProgressFile.from_environment(lambda: module.no_log_values | secrets | set(client.auth.secrets()))
    try:
        outcome = wait_for_job(client, job_id, params['timeout'], params['poll_interval'], params['delay'], warner(module),
                               deadline=deadline, on_poll=progress)
    finally:
        if progress is not None:
            progress.close()
    _hide(module, secrets, client)
    result = dict(changed=False, timed_out=outcome.timed_out, elapsed=round(outcome.elapsed, 3), polls=outcome.polls)
    failed = False
    if outcome.job is not None:
        failed = _with_job(result, outcome.job, params['fail_on_job_failure'] and not outcome.timed_out, job_id, client)
    if outcome.timed_out:
        result.update(outcome.error.to_result() if outcome.error is not None else _last_response(client))
        result['msg'] = timeout_message(job_id, params['timeout'], outcome.job, outcome.error)
        return True, result
    if outcome.error is not None:
        result.update(outcome.error.to_result())
        return True, result
    return failed, result
