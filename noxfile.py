# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""antsibull-nox sessions of the collection (configured in antsibull-nox.toml).

`make extra-checks` (part of `make test`) runs the extra-checks session: the action group and
unwanted files under plugins/. The rest of the test plan stays in hack/matrix.py and the Makefile;
the contributor guide says why, session by session.
"""

import antsibull_nox

antsibull_nox.load_antsibull_nox_toml()
