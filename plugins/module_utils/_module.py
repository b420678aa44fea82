# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module of the collection runs: its AnsibleModule, the client, and the result to report.

``SfsTurboModule`` (in the style of community.hashi_vault's ``HashiVaultModule``) sets up the
AnsibleModule from an argument spec and the API client from the connection options, and knows
every secret to mask. A module file owns a small ``run_module()``: it builds its resource
definition (``_jobs.JobResource``, ``_shares.ShareResource``) and calls ``read`` (one GET) or
``wait`` (the engine of ``_polling``), which return ``(failed, result)``; ``finish`` reports it.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

try:
    # ansible-core 2.22+ masks the secrets a module registers in all that it displays, and no longer
    # blanks no_log values in results: finish() keeps every secret out of results on every line.
    from ansible.module_utils.secrets import register_secrets
except ImportError:
    register_secrets = None

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._auth import select_auth
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Deadline
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clouds import FILES_READ, apply_cloud_settings
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._controller import Cancelled, ControllerGone, cancellable, clock_for_wait, controller_gone
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError, check_mode_no_wait, entry_read_from
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._http import HAS_REQUESTS, ApiClient
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import (
    apply_late_defaults,
    check_ca_path,
    check_environment,
    check_identifier,
    check_numbers,
    check_wait_numbers,
    endpoint_base,
    forget_environment_sources,
    resolve_api_base,
)
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._polling import timeout_message, wait_for
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import ProgressFile
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._resource import FAILED, PENDING
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._secrets import SECRET_OPTIONS, letter_case_variants, scrub_data, secret_values
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import terminal_text
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._urls import userinfo_secret


def client_from_params(params, secrets=None, deadline=None, clock=None, on_retry=None, retry_pause_cap=None):
    """Check every connection option, authenticate if the method needs it, build the client.

    Precedence: option > environment variable (both already in ``params``) > clouds.yaml > the
    late defaults of ``_options``. Everything that can be checked without the network is checked
    before any request. Secrets read from clouds.yaml are added to ``secrets`` (a set), which
    Ansible does not know of otherwise. ``deadline`` bounds every request, the IAM login's too;
    ``clock`` is the wait's, ``on_retry`` the client's hook for failed attempts (the login's too),
    ``retry_pause_cap`` the longest pause between its retries when it retries until the deadline (a wait's poll_interval).
    Raises ``SfsTurboError``.
    """
    check_environment()
    params = apply_late_defaults(apply_cloud_settings(dict(params)))
    if secrets is not None:
        secrets.update(secret_values(params, SECRET_OPTIONS))
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
            error.msg = entry_read_from(error.msg, params[FILES_READ])
        raise
    if params.get('endpoint') or params.get('region'):
        endpoint_base(params)  # a bad endpoint fails before the IAM login, too
    client = ApiClient(None, auth, validate_certs=params['validate_certs'], ca_path=params.get('ca_path'),
                       request_timeout=params['request_timeout'], retries=params['retries'], deadline=deadline, clock=clock,
                       on_retry=on_retry, retry_pause_cap=retry_pause_cap)
    client.add_secrets(secrets or ())
    auth.start(client)
    api_base, project_id = resolve_api_base(params, auth.discovered_endpoint, auth.discovered_project_id)
    client.use_api_base(api_base)
    auth.bind_project(project_id)
    return client


class SfsTurboModule:
    """An AnsibleModule of the collection (check mode fully supported), with its API client.

    Secrets Ansible does not know of (clouds.yaml ones, IAM-issued tokens) are collected in
    ``secrets`` as the client is made and handed to Ansible's masking before any result is reported.
    """

    def __init__(self, argument_spec, **constraints):
        """``constraints``: AnsibleModule's ``mutually_exclusive``, ``required_one_of``, ..."""
        forget_environment_sources()
        self.ansible = AnsibleModule(argument_spec=argument_spec, supports_check_mode=True, **constraints)
        if not HAS_REQUESTS:
            self.ansible.fail_json(msg=missing_required_lib('requests'))
        self.params = self.ansible.params
        self.secrets = set()
        self.client = None

    def connect(self, deadline=None, clock=None, on_retry=None, retry_pause_cap=None):
        """The API client (authenticated, when the method needs it). Raises ``SfsTurboError``."""
        self.client = client_from_params(self.params, self.secrets, deadline=deadline, clock=clock, on_retry=on_retry,
                                         retry_pause_cap=retry_pause_cap)
        return self.client

    def known_secrets(self):
        """Every secret known so far: Ansible's no_log values, clouds.yaml's, the auth's (they grow during a wait)."""
        found = set(self.ansible.no_log_values) | self.secrets
        if self.client is not None:
            found.update(self.client.auth.secrets())
        return found

    def _hide(self):
        """Have Ansible mask the secrets it does not know of, each upper- and lower-cased too
        (a server may echo one so, into a body or a message)."""
        if self.client is not None:
            self.secrets.update(self.client.auth.secrets())
        for secret in self.secrets:
            if secret:
                variants = letter_case_variants(secret)
                self.ansible.no_log_values.update(variants)
                if register_secrets is not None:
                    register_secrets(variants)

    def warn(self, text):
        """A warning, which may quote server text: printed as text, so through the one sanitiser."""
        self.ansible.warn(terminal_text(text))

    def finish(self, failed, result):
        self._hide()
        # Ansible masks these only as spelled (and the _hide variants), and from 2.22 not in results at all:
        # every known secret, in any letter case, is masked here.
        result = scrub_data(result, [secret for secret in self.known_secrets() if secret])
        # msg is printed as text (unescaped by ansible-core 2.20): no server control character reaches the terminal.
        if 'msg' in result:
            result['msg'] = terminal_text(result['msg'])
        if failed:
            self.ansible.fail_json(**result)
        self.ansible.exit_json(**result)

    @staticmethod
    def _last_response(reply):
        """``http_status``/``request_id`` of the last API answer (the contract wants them whenever known)."""
        return reply.keys() if reply is not None else {}

    def _with_body(self, result, resource, body, failed_state, fail_on_failure, reply):
        """Add the resource's keys; return ``True`` when it failed and that should fail the task.

        A failure returned as data (``fail_on_failure=false``) still carries ``msg``, ``errCode``
        and ``errMsg``, so that a runbook can branch on them.
        """
        result.update(resource.result(body))
        if not failed_state:
            return False
        failure = resource.failure(body).to_result()
        if not fail_on_failure:
            result.update((key, value) for key, value in failure.items() if key in ('msg', 'errCode', 'errMsg'))
            return False
        result.update(self._last_response(reply))
        result.update(failure)
        return True

    def read(self, resource, fail_on_failure=True):
        """One read of ``resource``. Never sleeps or polls (beyond retrying a transient failure)."""
        try:
            resource.check()
            self.connect()
            seen = resource.observe(self.client)
        except SfsTurboError as error:
            return True, dict(changed=False, **error.to_result())
        result = dict(changed=False)
        failed = self._with_body(result, resource, seen.body, seen.state == FAILED, fail_on_failure, seen.reply)
        return failed, result

    def wait(self, resource, fail_on_failure=True):
        """Poll ``resource`` until it is no longer pending, or the timeout passes.

        Check mode reads once (no ``delay``) and warns when that read is not an end: in a check run the task
        that would have started the operation did not start it either, so waiting could only time out.
        """
        cancelled = False
        try:
            with cancellable():
                return self._wait(resource, fail_on_failure)
        except Cancelled:
            cancelled = True
            return True, dict(changed=False, timed_out=False, polls=self.client.request_count if self.client else 0,
                              msg='Stopped waiting: the wait was cancelled (SIGTERM or SIGINT). The operation goes on in the cloud.')
        finally:
            if self._progress is not None:
                if cancelled or controller_gone(self._clock):
                    # The plugin's worker is gone or going too (ansible-core's workers die on a SIGTERM
                    # without any clean-up): the progress file goes with the wait.
                    self._progress.remove()
                else:
                    self._progress.close()

    _progress = None
    _clock = None

    def _wait(self, resource, fail_on_failure):
        params = self.params
        deadline = None
        # Stops the wait when the ansible-playbook it was started for is gone (see _controller).
        clock = self._clock = clock_for_wait()
        try:
            resource.check()
            check_wait_numbers(params)
            # The wait starts now: the IAM login (and any re-login) counts in elapsed and in the timeout.
            deadline = Deadline(clock, params['timeout'])
            # Live progress for the action plugin, when it asked for it (display only: the result is the same),
            # from the start: the delay and the IAM login show too.
            self._progress = ProgressFile.from_environment(resource, self.known_secrets, clock=clock)
            on_retry = None
            if self._progress is not None:
                self._progress.start(deadline.at - deadline.seconds, params['delay'])
                on_retry = self._progress.retrying
            # poll_interval is the longest pause between two polls, also while the client retries a failing poll.
            self.connect(deadline=deadline, clock=clock, on_retry=on_retry, retry_pause_cap=params['poll_interval'])
        except SfsTurboError as error:
            elapsed = 0.0 if deadline is None else round(deadline.seconds - deadline.remaining(), 3)
            timed_out = deadline is not None and error.transient and deadline.expired()
            result = dict(changed=False, timed_out=timed_out, elapsed=elapsed, polls=0, **error.to_result())
            if timed_out:
                result['msg'] = timeout_message(resource, params['timeout'], None, error)
            return True, result

        one_read = self.ansible.check_mode
        try:
            outcome = wait_for(self.client, resource, params['timeout'], params['poll_interval'], 0 if one_read else params['delay'],
                               self.warn, deadline=deadline, on_poll=self._progress, max_polls=1 if one_read else None)
        except ControllerGone as error:
            # Raised between two polls: no one reads this result, but it is a clean one all the same.
            return True, dict(changed=False, timed_out=False, elapsed=round(deadline.seconds - deadline.remaining(), 3),
                              polls=self.client.request_count, **error.to_result())
        # Check mode: one poll, whatever its retries (elsewhere polls counts them).
        result = dict(changed=False, timed_out=outcome.timed_out, elapsed=round(outcome.elapsed, 3),
                      polls=min(outcome.polls, 1) if one_read else outcome.polls)
        if outcome.state == PENDING:
            self.warn(self.client.scrub(check_mode_no_wait(resource.waiting_for(), resource.last_state(outcome.body))))
        failed = False
        if outcome.body is not None or outcome.state is not None:
            failed = self._with_body(result, resource, outcome.body, outcome.state == FAILED, fail_on_failure, outcome.reply)
        if outcome.timed_out:
            result.update(outcome.error.to_result() if outcome.error is not None else self._last_response(outcome.reply))
            result['msg'] = timeout_message(resource, params['timeout'], outcome.body, outcome.error)
            return True, result
        if outcome.error is not None:
            result.update(outcome.error.to_result())
            return True, result
        return failed, result
