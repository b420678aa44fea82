# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Routes: which paths of the API exist and which function answers each method.

Each resource lists its routes in a ``ROUTES`` list (``jobs.py``, ``share_routes.py``); ``ROUTE_TABLES``
in ``resources.py`` names them, and the first route that matches a path answers it. A path that no route matches is answered as the API gateway
answers a path it does not know, before any authentication.
"""

from __future__ import annotations

import re

# Every API path is below the project: /v1/{project_id}/sfs-turbo/...
API_PREFIX = r'^/v1/(?P<project>[^/]*)/sfs-turbo'


class Route:
    """A path (a regular expression below ``API_PREFIX``, with an ``id`` group when it names a resource).

    ``kind``: the resource kind whose clock and faults a request starts and counts (``job``, ``share``);
    ``handlers``: HTTP method -> ``function(request, resource_id)``.
    """

    def __init__(self, pattern, kind, handlers):
        self.pattern = re.compile(API_PREFIX + pattern + '$')
        self.kind = kind
        self.handlers = handlers

    @property
    def methods(self):
        return tuple(self.handlers)


def find(routes, path):
    """``(route, project, resource id or None)`` for a path, or None when no route has it."""
    for route in routes:
        match = route.pattern.match(path)
        if match:
            return route, match.group('project'), match.groupdict().get('id')
    return None
