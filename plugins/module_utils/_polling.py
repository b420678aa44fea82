# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The wait engine: the poll schedule and the wait loop, for any resource (see ``_resource``).

One loop for every wait: a deadline no request runs past, transient failures retried until it,
a warning once per unknown state, a progress hook after every poll that does not end the wait.
What the resource is (a job, a file system) and what ends the wait is the resource's to say.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Deadline
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._resource import PENDING

FIRST_PAUSE = 1.0
# The pause before the next poll is this share of the time waited so far: a job that ends
# within its first seconds is seen about a second later, and a long one soon costs just one
# request per poll_interval. Detection lags a job's end by at most ~30 % of its run time.
PAUSE_SHARE_OF_ELAPSED = 0.3


def next_pause(elapsed, poll_interval, first=FIRST_PAUSE, share=PAUSE_SHARE_OF_ELAPSED):
    """Seconds to pause after a poll made ``elapsed`` seconds into the wait."""
    return min(poll_interval, max(first, elapsed * share))


class WaitOutcome:
    """How a wait ended: the last body seen (``None`` if none), the end state (``None`` on a
    timeout or an error), the time and requests it took, the error that ended it, if any, and
    the ``ApiReply`` of the last answer (``http_status``, ``request_id``), if any."""

    def __init__(self, body, state, elapsed, polls, timed_out, error=None, reply=None):
        self.reply = reply
        self.body = body
        self.state = state
        self.elapsed = elapsed
        self.polls = polls
        self.timed_out = timed_out
        self.error = error


def wait_for(client, resource, timeout, poll_interval, delay, warn, deadline=None, on_poll=None, max_polls=None):
    """Poll ``resource`` until it is no longer pending, or ``timeout`` seconds (``delay`` included) pass.

    ``deadline``, when given, is the wait's end set before the IAM login, so the login counts.
    Returns a ``WaitOutcome``. ``error`` is set when a final error ended the wait, or when the
    last poll before the timeout failed transiently.
    No request runs past the deadline: each gets at most the time left, and none starts at it.
    ``on_poll(body, polls, elapsed, transient_error)``, when given, is called after every poll
    that does not end the wait (live progress; see ``_progress``). It must be cheap and not raise.
    poll_interval is the longest pause between two polls; while the client retries a failing poll, the
    client's ``retry_pause_cap`` (the module gives it poll_interval) bounds its pauses.
    ``max_polls`` (check mode: 1) ends the wait after that many polls, pending or not; each poll then gets the
    client's usual retries, not retries until the deadline.
    """
    clock = client.clock
    deadline = deadline or Deadline(clock, timeout)
    started = deadline.at - deadline.seconds
    # The schedule (dense first, then sparser) counts from the first poll, so that one after a delay starts dense too.
    first_poll = started
    if delay > 0:
        clock.sleep(min(delay, deadline.remaining()))
        if deadline.expired():
            return WaitOutcome(None, None, clock.monotonic() - started, client.request_count, True)
        first_poll = clock.monotonic()
    warned = set()
    body = reply = None
    polls = 0

    def outcome(timed_out, error=None, state=None):
        return WaitOutcome(body, state, clock.monotonic() - started, client.request_count, timed_out, error, reply)

    while True:
        last_error = None
        try:
            polls += 1
            seen = resource.observe(client, deadline=deadline, retry_until_deadline=max_polls is None)
        except SfsTurboError as error:
            if not error.transient:
                return outcome(False, error)
            # Still transient after the retries the deadline allowed: keep polling till the end.
            last_error = error
        else:
            if seen.body is not None:
                body = seen.body
            if seen.reply is not None:
                reply = seen.reply
            if seen.state != PENDING:
                return outcome(False, state=seen.state)
            if seen.warning and seen.warning not in warned:
                warned.add(seen.warning)
                # The text quotes the server: it may echo a credential, and Ansible does not mask warnings.
                warn(client.scrub(seen.warning))
        if on_poll is not None:
            on_poll(body, client.request_count, clock.monotonic() - started, last_error)
        if max_polls is not None and polls >= max_polls:
            # An answer is an end here, however late; a poll that failed for good is a timeout if time is up.
            return outcome(last_error is not None and deadline.expired(), last_error, state=None if last_error is not None else PENDING)
        remaining = deadline.remaining()
        if remaining <= 0:
            return outcome(True, last_error)
        pause = next_pause(clock.monotonic() - first_poll, poll_interval)
        if last_error is not None and last_error.retry_after:
            # The server asked for more time than the retries could give: wait that long, or to the end.
            pause = max(pause, last_error.retry_after)
        clock.sleep(min(pause, remaining))
        if deadline.expired():
            # A poll now would have no time to run: the last answer seen stands.
            return outcome(True, last_error)


def timeout_message(resource, timeout, body, last_error):
    """One sentence for a wait that ran out of time."""
    msg = 'Timed out after %g s waiting for %s; %s' % (timeout, resource.waiting_for(), resource.last_state(body))
    if last_error is not None:
        msg += ', and the last poll failed: %s' % last_error.msg.rstrip('.')
    return msg + '.'
