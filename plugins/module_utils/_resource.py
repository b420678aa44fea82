# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the wait engine needs to know of a thing it reads or waits for (a job, a file system).

A resource definition (``_jobs.JobResource``, ``_shares.ShareResource``) answers five questions,
and the engine (``_polling``), the module runner (``_module``) and the progress records
(``_progress``) ask nothing else:

- ``check()``: is the input usable? (raises ``SfsTurboError`` before any request)
- ``observe(client, ...)``: fetch it once; what is its state? (an ``Observation``)
- ``failure(body)``: the error a failed state reports (``msg``, ``errCode``, ``errMsg``)
- ``result(body)``: the keys it adds to the module's result (``job``/``sub_jobs``, ``share``)
- ``name``, ``last_state(body)``, ``progress_state(body, safe)``: how to describe it in a message,
  on a timeout, and in a live progress record (``progress_subject(args)``: how its lines name it).

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

# The states an observation can report.
PENDING = 'pending'  # not finished: poll again
SUCCEEDED = 'succeeded'  # finished as hoped: the wait ends with success
FAILED = 'failed'  # finished with a failure: the wait ends, failure() says why


class Observation:
    """What one read of a resource showed.

    ``body``: the JSON object the API returned, or ``None`` when the resource is gone (a deleted
    file system's 404). ``warning``: a sentence to warn about once (an unknown status), or ``None``.
    ``reply``: the client's ``ApiReply`` it was read from (its ``http_status`` and ``request_id``), if any.
    """

    def __init__(self, body, state, warning=None, reply=None):
        self.body = body
        self.state = state
        self.warning = warning
        self.reply = reply


class Resource:
    """The interface of a resource definition; see the module docstring."""

    #: One phrase naming the resource in a message, e.g. "SFS Turbo job 26f6b565-...".
    name = None

    def check(self):
        """Raise ``SfsTurboError`` for input that cannot work, before any request."""

    def observe(self, client, deadline=None, retry_until_deadline=False):
        """One read (with the client's retries); return an ``Observation``. Raises ``SfsTurboError``."""
        raise NotImplementedError

    def failure(self, body):
        """The ``SfsTurboError`` a ``FAILED`` observation of ``body`` reports."""
        raise NotImplementedError

    def result(self, body):
        """The keys the resource adds to a result (success, or failure after it was read)."""
        raise NotImplementedError

    def waiting_for(self):
        """What a wait waits for, after "waiting for": by default the resource's name."""
        return self.name

    def last_state(self, body):
        """How a timeout message states the last answer (``body`` may be ``None``: none came)."""
        raise NotImplementedError

    def progress_state(self, body, safe):
        """``(state, tally)`` of a progress record for ``body`` (see ``_progress``), each a text or ``None``;
        ``safe(value)`` returns a server's ``value`` when it may be shown (a short plain word holding no
        secret), else ``None``."""
        raise NotImplementedError
