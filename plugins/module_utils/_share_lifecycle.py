# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""sfs_turbo_share: bring a file system to the state a task describes, and wait for it (create, expand, change
its security group, delete).

The file system is found by ``share_id`` (one GET) or by ``name`` (every page of the listing; two with that name
fail). An operation running on it is waited for first; then what differs is started, one operation after the
other, each waited for on the one wait engine (``_polling.wait_for`` with ``_shares.ShareResource``, the rules of
``sfs_turbo_share_wait``) within one deadline for the whole task. Nothing that differs: no POST, ``changed: false``.

Every change goes through ``_changes.ChangeSender``: when its answer is lost, the file system is read again and what
the change did is adopted (how each shows: ``_appeared``, ``started``, ``deleted`` here); only when it did nothing is it
sent again. So one task never creates two file systems or expands twice.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import re

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _errors_acting as errors
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._changes import ChangeSender
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Deadline
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._controller import (
    Cancelled, cancellable, clock_for_wait, controller_gone)
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import check_identifier, check_wait_numbers
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._polling import timeout_message, wait_for
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._progress import ProgressFile
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._resource import FAILED
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._shares import (
    DELETED_STATUS, ShareResource, code, describe_code, is_gone, list_shares, size_gb,
)

NAME_RE = re.compile(r'\A[A-Za-z][A-Za-z0-9_-]{3,63}\Z')
# Options sent only when creating; a given one that differs from the existing file system fails the task.
CREATE_ONLY = ('share_proto', 'share_type', 'availability_zone', 'vpc_id', 'subnet_id', 'enterprise_project_id', 'description')
CREATE_REQUIRED = ('size', 'security_group_id', 'availability_zone', 'vpc_id', 'subnet_id')
CREATE_DEFAULTS = {'share_proto': 'NFS', 'share_type': 'STANDARD'}
# Compared without regard to letter case: the API's own words for them.
CASE_FREE = ('share_proto', 'share_type')
# An operation running on a file system, by the code that shows it: waited for before anything is sent.
# Statuses in which a file system runs nothing this task could start: creation failed, failed, frozen.
UNUSABLE = ('303', '300', '800')
RUNNING = {('status', '100'): 'create', ('sub_status', '121'): 'expand', ('sub_status', '132'): 'change_security_group',
           ('sub_status', '150'): 'add_storage_backend', ('sub_status', '151'): 'remove_storage_backend'}


def name_taken(error):
    """The API's refusal of a create whose name a file system carries already (names are unique per project)."""
    return error.http_status == 409 and error.err_code == 'SFS.TURBO.0009'


def deleted(share):
    """A file system that is gone for every purpose: a body in status 400, or none."""
    return share is None or code(share, 'status') == DELETED_STATUS


class Stop(Exception):
    """Ends the task with ``result`` (a failure: ``msg`` and the contract's keys)."""

    def __init__(self, result):
        super().__init__(result.get('msg'))
        self.result = result


def share_argument_spec_checks(params):
    """Everything about the options that can be checked before any request. Raises ``SfsTurboError``."""
    if params.get('share_id') is not None:
        check_identifier('share_id', params['share_id'])
    if params.get('name') is not None and not NAME_RE.match(params['name']):
        raise SfsTurboError(errors.share_name_invalid(params['name']))
    if params.get('size') is not None and params['size'] < 1:
        raise SfsTurboError(errors.share_size_invalid(params['size']))
    for option in ('security_group_id', 'vpc_id', 'subnet_id'):
        if params.get(option) is not None:
            check_identifier(option, params[option])
    check_wait_numbers(params)


class ShareLifecycle:
    """One run of sfs_turbo_share for ``module`` (an ``SfsTurboModule``); ``run()`` returns ``(failed, result)``."""

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.check_mode = module.ansible.check_mode
        self.client = None
        self.deadline = None
        self.operations = []
        self.polls = 0
        self.share_id = self.params.get('share_id')
        self.changes = None  # the ChangeSender, once connected
        self.create_started = False
        self.label = 'SFS Turbo file system %s' % (self.share_id or self.params.get('name'))

    # --- the run -----------------------------------------------------------------------------------
    def run(self):
        cancelled = False
        try:
            with cancellable():
                return self._run()
        except Cancelled:
            cancelled = True
            return True, self._result(dict(msg=errors.share_task_cancelled(self.operations)))
        finally:
            if self.progress is not None:
                if cancelled or controller_gone(self.clock):
                    self.progress.remove()  # the plugin's worker is gone or going too (see SfsTurboModule.wait)
                else:
                    self.progress.close()

    progress = None
    clock = None

    def _run(self):
        params = self.params
        try:
            share_argument_spec_checks(params)
            clock = self.clock = clock_for_wait()
            # One timeout for the whole task: the login, the look-up and every wait count in it.
            self.deadline = Deadline(clock, params['timeout'])
            # Live lines for the action plugin, when it asked for them (display only), from the start.
            self.progress = ProgressFile.from_environment(ShareResource(self.share_id or params.get('name')), self.module.known_secrets,
                                                          clock=clock)
            on_retry = None
            if self.progress is not None:
                self.progress.start(self.deadline.at - self.deadline.seconds, 0)
                on_retry = self.progress.retrying
            self.client = self.module.connect(deadline=self.deadline, clock=clock, on_retry=on_retry, retry_pause_cap=params['poll_interval'])
            self.changes = ChangeSender(self.client, self.deadline, params['retries'], params['poll_interval'])
            before = self._find()
            if params['state'] == 'absent':
                share = self._absent(before)
            else:
                share = self._present(before)
        except Stop as stop:
            return True, self._result(stop.result)
        except SfsTurboError as error:
            result = error.to_result()
            if self.deadline is not None:
                # Out of time outside a wait (a look-up, a POST's retries): a timeout all the same.
                result['timed_out'] = bool(error.transient and (self.deadline.expired() or getattr(error, 'out_of_time', False)))
                if result['timed_out']:
                    result['msg'] = errors.share_task_timed_out(self.params['timeout'], self.label, error.msg)
            return True, self._result(result)
        result = dict(share=share or {})
        if self.module.ansible._diff:
            result['diff'] = self._diff(before, share)
        return False, self._result(result)

    def _result(self, result):
        result.setdefault('changed', bool(self.operations))
        result.update(share_id=self.share_id, operations=list(self.operations))
        result.setdefault('share', {})
        if self.params['wait'] and self.deadline is not None:
            result.update(elapsed=round(self.deadline.seconds - self.deadline.remaining(), 3), polls=self.polls)
        return result

    def _diff(self, before, after):
        def view(share):
            if not share:
                return dict(state='absent')
            size = size_gb(share)
            return dict(state='present', name=share.get('name'), size=int(size) if size is not None and size.is_integer() else size,
                        security_group_id=share.get('security_group_id'))
        if self.params['state'] == 'absent':
            after = None
        elif self.check_mode or not self.params['wait']:
            after = self._planned(before)
        return dict(before=view(before), after=view(after))

    def _planned(self, before):
        """The file system as this task leaves it (check mode, and ``wait: false``): the options over what was read."""
        planned = dict(before or {}, name=(before or {}).get('name', self.params.get('name')))
        for option in ('size', 'security_group_id'):
            if self.params.get(option) is not None:
                planned[option] = self.params[option]
        return planned

    # --- finding it --------------------------------------------------------------------------------
    def _find(self):
        """The file system as it is now (``None``: there is none), an operation running on it waited for first."""
        share = self._read()
        if share is None:
            return None
        running = self._running(share)
        if running is not None and not self.check_mode:
            # To delete, a file system whose creation failed is as good as any: its failure ends the task only when present.
            share = self._wait(running, allow_gone=True, failure_ok=self.params['state'] == 'absent')
        return share

    def _read(self):
        if self.share_id is not None:
            share = self._get_or_none()
            return None if deleted(share) else share
        return self._named()

    def _named(self):
        """The one file system of the task's name that is not deleted, now this task's (``None``: there is none)."""
        found = [share for share in list_shares(self.client, name=self.params['name'], deadline=self.deadline) if not deleted(share)]
        if len(found) > 1:
            raise SfsTurboError(errors.share_name_ambiguous(self.params['name'], [share.get('id') for share in found]))
        if not found:
            return None
        self._use(found[0].get('id'))
        return found[0]

    def _use(self, share_id):
        """Work on file system ``share_id`` from now on (an id from the server goes into a path, too: checked)."""
        check_identifier('share_id', share_id)
        self.share_id = share_id
        self.label = 'SFS Turbo file system %s' % share_id

    @staticmethod
    def _running(share):
        for field in ('status', 'sub_status'):
            operation = RUNNING.get((field, code(share, field)))
            if operation is not None:
                return operation
        return None

    # --- present -----------------------------------------------------------------------------------
    def _present(self, share):
        params = self.params
        if share is None:
            if self.share_id is not None and params.get('name') is None:
                raise SfsTurboError(errors.share_id_not_found(self.share_id))
            return self._create()
        if code(share, 'status') in UNUSABLE:
            raise SfsTurboError(errors.share_unusable(self.share_id, describe_code('status', code(share, 'status'))))
        self._check_create_only(share)
        size, group = params.get('size'), params.get('security_group_id')
        current = size_gb(share)
        if size is not None and current is None:
            raise SfsTurboError(errors.share_size_unknown(self.share_id, share.get('size')))
        if size is not None and size < current:
            raise SfsTurboError(errors.share_cannot_shrink(self.share_id, current, size))
        todo = []
        if size is not None and size > current:
            todo.append(('expand', {'extend': {'new_size': size}}, dict(size=size)))
        if group is not None and share.get('security_group_id') != group:
            todo.append(('change_security_group', {'change_security_group': {'security_group_id': group}}, dict(security_group_id=group)))
        for index, (operation, body, target) in enumerate(todo):
            if self.check_mode:
                self.operations.append(operation)
                continue
            self._send_action(operation, body, target)
            self.operations.append(operation)  # started: sent and accepted, or its lost answer adopted
            # wait: false still waits between two operations: the API refuses a second while the first runs.
            if params['wait'] or index < len(todo) - 1:
                share = self._wait(operation, delay=params['delay'], **target)
        if todo and not self.check_mode and not params['wait']:
            share = self._get()
        return share

    def _check_create_only(self, share):
        differ = []
        for option in CREATE_ONLY:
            wanted, actual = self.params.get(option), share.get(option)
            if wanted is None or actual is None:
                continue  # not given, or not something the API returns
            same = str(wanted).lower() == str(actual).lower() if option in CASE_FREE else str(wanted) == str(actual)
            if not same:
                differ.append((option, wanted, actual))
        if differ:
            raise SfsTurboError(errors.share_create_only_differs(self.share_id, differ))

    def _create(self):
        params = self.params
        missing = [option for option in ('name',) + CREATE_REQUIRED if params.get(option) is None]
        if missing:
            raise SfsTurboError(errors.share_create_needs(params.get('name') or self.share_id, missing))
        if self.check_mode:
            self.operations.append('create')
            return None
        body = dict((option, params[option]) for option in ('name',) + CREATE_REQUIRED)
        for option in CREATE_ONLY:
            value = params.get(option, None)
            if value is None:
                value = CREATE_DEFAULTS.get(option)
            if value is not None:
                body[option] = value
        if params.get('metadata'):
            body['metadata'] = params['metadata']
        if self.create_started:
            raise SfsTurboError(errors.share_vanished(self.label))
        self.create_started = True
        lost_before = self.changes.lost_answers
        reply = self.changes.send('POST', 'sfs-turbo/shares', 'create %s' % self.label, {'share': body}, adopt=self._appeared,
                                  refusal_to_look_up=name_taken)
        accepted = reply is not None
        share_id = reply.body.get('id') if accepted else None
        if accepted and not isinstance(share_id, str):
            # Accepted, but with no id: the look-up by name finds it.
            if not self._appeared():
                raise SfsTurboError(errors.create_answer_without_id(self.label), **reply.keys())
            reply = None
        if reply is not None:
            self._use(share_id)
        elif not accepted and self.changes.lost_answers == lost_before:
            # Its name was taken by a file system this task did not create (a 409 before any lost answer): that one is
            # compared with the task as any existing file system is.
            return self._present(self._find())
        self.operations.append('create')
        if params['wait']:
            return self._wait('create', delay=params['delay'])
        return self._get()

    def _appeared(self):
        """After a lost create answer: whether a file system of that name appeared (it is then this task's)."""
        return self._named() is not None

    def _send_action(self, operation, body, target):
        def started():
            share = self._get()
            if operation == 'expand':
                return code(share, 'sub_status') == '121' or (size_gb(share) or 0) >= target['size']
            return code(share, 'sub_status') == '132' or share.get('security_group_id') == target['security_group_id']
        self.changes.send('POST', 'sfs-turbo/shares/%s/action' % self.share_id, '%s %s' % (operation.replace('_', ' '), self.label), body,
                          adopt=started)

    # --- absent ------------------------------------------------------------------------------------
    def _absent(self, share):
        if share is None:
            return {}
        if self.check_mode:
            self.operations.append('delete')
            return share
        try:
            self.changes.send('DELETE', 'sfs-turbo/shares/%s' % self.share_id, 'delete %s' % self.label, None,
                              adopt=lambda: deleted(self._get_or_none()))
        except SfsTurboError as error:
            if not is_gone(error):
                raise
        self.operations.append('delete')
        if self.params['wait']:
            self._wait('delete', delay=self.params['delay'])
        return share

    # --- reads and waits ---------------------------------------------------------------------------
    def _get(self):
        return self.client.get_reply('sfs-turbo/shares/%s' % self.share_id, action='query %s' % self.label, deadline=self.deadline).body

    def _get_or_none(self):
        """The file system's body, or ``None`` when the service says it does not exist."""
        try:
            return self._get()
        except SfsTurboError as error:
            if is_gone(error):
                return None
            raise

    def _wait(self, operation, delay=0.0, allow_gone=False, failure_ok=False, **target):
        """Wait for ``operation`` on the file system (the engine and rules of sfs_turbo_share_wait); its last state.

        ``allow_gone``: an operation found running may end with the file system gone (a create that failed
        and was cleaned up): then ``None``. ``failure_ok``: its failure is not the task's; the state is returned.
        """
        params = self.params
        resource = ShareResource(self.share_id, operation, poll_interval=params['poll_interval'], **target)
        if self.progress is not None:
            self.progress.use(resource)
        before = self.client.request_count
        outcome = wait_for(self.client, resource, params['timeout'], params['poll_interval'], delay, self.module.warn,
                           deadline=self.deadline, on_poll=self.progress)
        self.polls += outcome.polls - before
        if outcome.timed_out:
            result = dict(timed_out=True, share=outcome.body or {}, msg=timeout_message(resource, params['timeout'], outcome.body, outcome.error))
            if outcome.error is not None:
                result.update((k, v) for k, v in outcome.error.to_result().items() if k != 'msg')
            raise Stop(result)
        if outcome.error is not None:
            if allow_gone and is_gone(outcome.error):
                return None
            raise Stop(dict(timed_out=False, **outcome.error.to_result()))
        if outcome.state == FAILED and not failure_ok:
            result = dict(timed_out=False, share=outcome.body)
            if outcome.reply is not None:
                result.update(outcome.reply.keys())
            result.update(resource.failure(outcome.body).to_result())
            raise Stop(result)
        return outcome.body
