# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A request that changes something (a create, an action, a delete), sent so that it never happens twice blindly.

The client sends it with ``resend_after_sent=False``: it retries only what cannot have reached the server. When the
answer is lost (a timeout, a dropped connection, a 5xx: ``_retry.answer_lost``), ``ChangeSender`` pauses, then asks
the caller's ``adopt()`` whether the change was carried out anyway (the caller knows how that shows: a file system of
the name, a new size, ...), and only when it was not sends it again, within the deadline and the retries.
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._retry import answer_lost, backoff_delay


def busy(error):
    """The API's refusal while the file system runs an operation ("Cluster is doing something")."""
    return error.http_status in (400, 403) and error.err_code == 'SFS.TURBO.0011'


class ChangeSender:
    """Sends changes through ``client`` within ``deadline``; ``retries`` resends after lost answers at most, pauses of
    at most ``poll_interval`` (as in a wait; only a server's Retry-After asks for more). ``lost_answers`` counts the
    answers lost so far, so that a caller can tell a change it adopted after one from a refusal."""

    def __init__(self, client, deadline, retries, poll_interval):
        self.client = client
        self.deadline = deadline
        self.retries = retries
        self.poll_interval = poll_interval
        self.lost_answers = 0

    def send(self, method, path, action, body, adopt, refusal_to_look_up=None):
        """The change's ``ApiReply``, or ``None`` when ``adopt()`` found it carried out.

        A file system busy (``SFS.TURBO.0011``) after a lost answer runs this change; before any, it runs one that no
        read showed yet: the change then waits for it, to the deadline. ``refusal_to_look_up(error)``: a refusal that
        means "look it up" (a create whose name is taken). Raises ``SfsTurboError``; one that ran out of time while it
        would still have tried carries ``out_of_time``.
        """
        attempt, busy_polls = 0, 0
        while True:
            try:
                return self.client.send_reply(method, path, action, json_body=body, deadline=self.deadline, resend_after_sent=False)
            except SfsTurboError as error:
                if refusal_to_look_up is not None and refusal_to_look_up(error):
                    if adopt():
                        return None
                    raise
                if busy(error):
                    if attempt:
                        return None  # its own change runs: the answer that said so was lost
                    pause = min(self.poll_interval, backoff_delay(busy_polls))
                    busy_polls += 1
                elif answer_lost(error):
                    self.lost_answers += 1
                    if attempt >= self.retries:
                        raise
                    pause = max(error.retry_after or 0.0, min(self.poll_interval, backoff_delay(attempt)))
                    attempt += 1
                else:
                    raise
                if pause >= self.deadline.remaining():
                    error.out_of_time = True
                    raise
                # The pause first: an accepted change may show only a moment later.
                self.client.clock.sleep(pause)
                if attempt and not busy(error) and adopt():
                    return None
