# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Local emulator of the SFS Turbo API (jobs and file systems) and of IAM, for rehearsals and tests.

``python3 sfs_turbo_emulator.py --help``; the guide "Rehearsing runbooks" documents it. The code is
the package ``sfs_turbo_emu`` beside this file; imported, this file offers that package's names.
"""

from __future__ import annotations

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
if __name__ == '__main__':
    # Run from an installed collection: leave no byte-code cache in it.
    sys.dont_write_bytecode = True

from sfs_turbo_emu import *  # noqa: E402,F401,F403  pylint: disable=wildcard-import,unused-wildcard-import,wrong-import-position
from sfs_turbo_emu import main  # noqa: E402  pylint: disable=wrong-import-position

if __name__ == '__main__':
    sys.exit(main())
