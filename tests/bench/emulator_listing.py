# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator for the benchmark's ``runbook`` part, with ``GET .../shares/detail`` when the emulator lacks it.

sfs_turbo_share finds a file system by name through that listing. Until the emulator serves it itself
(another branch adds it), this adds a minimal route in this process only: the file systems that are not
gone, as ``GET .../shares/{id}`` shows each, ``limit``/``offset`` applied, with the total ``count``. The
emulator's own files stay untouched; once the emulator has the route, this only starts the emulator.
Same arguments as roles/emulator/files/sfs_turbo_emulator.py.
"""

from __future__ import annotations

import os
import sys
import time
from urllib.parse import parse_qs, urlsplit

FILES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'roles', 'emulator', 'files')
LISTING_PROBE = '/v1/0123456789abcdef0123456789abcdef/sfs-turbo/shares/detail'


def lacks_listing(routes, find):
    """Whether no route serves the listing: the path is unknown or taken as the id ``detail`` of shares/{id}."""
    found = find(routes, LISTING_PROBE)
    return found is None or found[2] == 'detail'


def page(bodies, query):
    """The listing's answer for ``bodies`` and a query string (``limit`` default 200, ``offset`` default 0)."""
    params = parse_qs(query, keep_blank_values=True)
    limit = int((params.get('limit') or ['200'])[-1])
    offset = int((params.get('offset') or ['0'])[-1])
    return {'shares': bodies[offset:offset + limit], 'count': len(bodies)}


def add_listing():
    from sfs_turbo_emu import handler, routing, shares  # pylint: disable=import-outside-toplevel

    if not lacks_listing(handler.ROUTES, routing.find):
        return False

    def list_shares(request, dummy_id):
        state = request.server.state
        with state.lock:
            now = time.monotonic()
            bodies = []
            for share in state.resources[shares.KIND].values():
                fields = share.current(now)
                if not fields['gone']:
                    bodies.append(shares.render_share(share, fields))
        request.send_json(200, page(bodies, urlsplit(request.path).query))

    # First: shares/{id} would take "detail" for an id.
    handler.ROUTES = (routing.Route(r'/shares/detail', shares.KIND, {'GET': list_shares}),) + tuple(handler.ROUTES)
    return True


def main():
    sys.dont_write_bytecode = True
    sys.path.insert(0, FILES)
    from sfs_turbo_emu import main as emulator_main  # pylint: disable=import-outside-toplevel

    if add_listing():
        sys.stderr.write('emulator_listing: GET .../shares/detail added (the emulator has no listing yet)\n')
    return emulator_main()


if __name__ == '__main__':
    sys.exit(main())
