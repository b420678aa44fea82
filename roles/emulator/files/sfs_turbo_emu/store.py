# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's state: resources, fault counters, request log and issued IAM tokens, under one lock."""

from __future__ import annotations

import secrets
import threading
import time

from . import faults as _faults


class EmulatorState:
    """All mutable state (the server is threaded). ``resources``: kind -> id -> object, built by the resource modules."""

    def __init__(self, scenario, resource_modules):
        self.lock = threading.Lock()
        self.scenario = scenario
        self.resource_modules = tuple(resource_modules)
        self.server_start_mono = time.monotonic()
        self.server_start_wall = time.time()
        self.resources = {}
        self.global_requests = 0
        self.global_fault_hits = []
        self.global_fault_seen = []
        self.log = []
        # Issued IAM token -> {"uses": API requests made with it, "user", "serial", "expires_mono"}.
        self.iam_tokens = {}
        self.tokens_issued = 0
        self.logins_seen = 0
        self.reset()

    def reset(self):
        """Clocks, counters, the request log and issued tokens start over; created resources are forgotten."""
        with self.lock:
            now_mono, now_wall = time.monotonic(), time.time()
            self.resources = {module.KIND: module.build(self.scenario, now_mono, now_wall) for module in self.resource_modules}
            self.global_requests = 0
            self.global_fault_hits = [0] * len(self.scenario['faults'])
            self.global_fault_seen = [0] * len(self.scenario['faults'])
            self.log = []
            self.iam_tokens = {}
            self.tokens_issued = 0
            self.logins_seen = 0

    def take_faults(self, kind, resource_id, method):
        """Count one API request (``method``, on resource ``resource_id`` of ``kind``, if known) and return the faults that act on it.

        The resource's clock starts here, so a faulted first request still starts it. Global faults
        come first (the only ones for a request without a known resource, such as a create);
        everything up to and including the first fault that answers counts a hit (``slow`` only delays).
        """
        with self.lock:
            candidates = [(self.global_fault_hits, position, fault) for position, fault in
                          _faults.pick(self.scenario['faults'], self.global_fault_hits, self.global_fault_seen, method)]
            self.global_requests += 1
            resource = self.resources.get(kind, {}).get(resource_id)
            if resource is not None:
                resource.start_clock(time.monotonic(), time.time())
                candidates += [(resource.fault_hits, position, fault) for position, fault in
                               _faults.pick(resource.faults, resource.fault_hits, resource.fault_seen, method)]
                resource.requests += 1
            applied = []
            for hits, position, fault in candidates:
                hits[position] += 1
                applied.append(fault)
                if fault['type'] != 'slow':
                    break
            return applied

    def ids(self, kind):
        with self.lock:
            return sorted(self.resources.get(kind, {}))

    def throttle_login(self, limit):
        """Whether this IAM login is one of the first ``limit`` since start or reset (answered 429)."""
        with self.lock:
            self.logins_seen += 1
            return self.logins_seen <= limit

    def issue_token(self, user, lifetime, revoked_after=0.0):
        """A fresh IAM token for ``user`` and its serial; it works ``lifetime`` seconds (``revoked_after``, when set and shorter)."""
        token = 'MII' + secrets.token_urlsafe(30)
        works_for = min(lifetime, revoked_after) if revoked_after else lifetime
        with self.lock:
            self.tokens_issued += 1
            self.iam_tokens[token] = {'uses': 0, 'user': user, 'serial': self.tokens_issued,
                                      'expires_mono': time.monotonic() + works_for}
            return token, self.tokens_issued

    def use_token(self, token, limit):
        """Count one API request with an issued token: None (never issued), else ``(accepted, user, serial)``.

        Not accepted once it expired or was used ``limit`` times (0 = no limit).
        """
        with self.lock:
            info = self.iam_tokens.get(token)
            if info is None:
                return None
            if (limit and info['uses'] >= limit) or time.monotonic() >= info['expires_mono']:
                return False, info['user'], info['serial']
            info['uses'] += 1
            return True, info['user'], info['serial']

    def iam_info(self):
        with self.lock:
            tokens = sorted(({'serial': info['serial'], 'user': info['user'], 'token': token}
                             for token, info in self.iam_tokens.items()), key=lambda item: item['serial'])
            return {'tokens_issued': self.tokens_issued, 'tokens': tokens}

    def record(self, entry):
        with self.lock:
            self.log.append(entry)

    def log_copy(self):
        with self.lock:
            return list(self.log)
