# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Waiting for a job: the poll schedule and the wait loop.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._clock import Deadline
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._errors import SfsTurboError
from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._jobs import FINISHED_STATUSES, PENDING_STATUSES, fetch_job, job_status

FIRST_PAUSE = 1.0
# The pause before the next poll is this share of the time waited so far: a job that ends
# within its first seconds is seen about a second later, and a long one soon costs just one
# request per poll_interval. Detection lags a job's end by at most ~30 % of its run time.
PAUSE_SHARE_OF_ELAPSED = 0.3


def next_pause(elapsed, poll_interval, first=FIRST_PAUSE, share=PAUSE_SHARE_OF_ELAPSED):
    """Seconds to pause after a poll made ``elapsed`` seconds into the wait."""
    return min(poll_interval, max(first, elapsed * share))


class WaitOutcome:
    def __init__(self, job, elapsed, polls, timed_out, error=None):
        self.job = job
        self.elapsed = elapsed
        self.polls = polls
        self.timed_out = timed_out
        self.error = error


def wait_for_job(client, job_id, timeout, poll_interval, delay, warn, deadline=None, on_poll=None):
    """Poll until the job finishes or ``timeout`` seconds (``delay`` included) pass.

    ``deadline``, when given, is the wait's end set before the IAM login, so the login counts.
    Returns a ``WaitOutcome`` carrying the last job seen (if any). ``error`` is set when a
    final error ended the wait, or when the last poll before the timeout failed transiently.
    No request runs past the deadline: each gets at most the time left, and none starts at it.
    ``on_poll(job, polls, elapsed, transient_error)``, when given, is called after every poll
    that does not end the wait (live progress; see ``_progress``). It must be cheap and not raise.
    """
    clock = client.clock
    deadline = deadline or Deadline(clock, timeout)
    started = deadline.at - deadline.seconds
    if delay > 0:
        clock.sleep(min(delay, deadline.remaining()))
        if deadline.expired():
            return WaitOutcome(None, clock.monotonic() - started, client.request_count, True)
    warned_statuses = set()
    job = None

    def outcome(timed_out, error=None):
        return WaitOutcome(job, clock.monotonic() - started, client.request_count, timed_out, error)

    while True:
        last_error = None
        try:
            polled = fetch_job(client, job_id, deadline=deadline, retry_until_deadline=True)
        except SfsTurboError as error:
            if not error.transient:
                return outcome(False, error)
            # Still transient after the retries the deadline allowed: keep polling till the end.
            last_error = error
        else:
            job = polled
            status = job_status(job)
            if status in FINISHED_STATUSES:
                return outcome(False)
            if status is None:
                error = SfsTurboError('SFS Turbo job %s came back without a status; check that endpoint points at the SFS Turbo API.' % job_id)
                return outcome(False, error)
            if status not in PENDING_STATUSES and status not in warned_statuses:
                warned_statuses.add(status)
                # The status comes from the server: it may echo a credential, and Ansible does not mask warnings.
                shown = job.get('status')
                shown = shown if len(shown) <= 64 else shown[:64] + '...'
                warn(client.scrub('SFS Turbo job %s reports the unknown status %r; treating it as not finished.' % (job_id, shown)))
        if on_poll is not None:
            on_poll(job, client.request_count, clock.monotonic() - started, last_error)
        remaining = deadline.remaining()
        if remaining <= 0:
            return outcome(True, last_error)
        pause = next_pause(clock.monotonic() - started, poll_interval)
        if last_error is not None and last_error.retry_after:
            # The server asked for more time than the retries could give: wait that long, or to the end.
            pause = max(pause, last_error.retry_after)
        clock.sleep(min(pause, remaining))
        if deadline.expired():
            # A poll now would have no time to run: the last answer seen stands.
            return outcome(True, last_error)


def timeout_message(job_id, timeout, job, last_error):
    """One sentence for a wait that ran out of time."""
    if job is not None:
        last = 'its last status was %r' % job.get('status')
    else:
        last = 'no status was ever received'
    msg = 'Timed out after %g s waiting for SFS Turbo job %s; %s' % (timeout, job_id, last)
    if last_error is not None:
        msg += ', and the last poll failed: %s' % last_error.msg.rstrip('.')
    return msg + '.'
