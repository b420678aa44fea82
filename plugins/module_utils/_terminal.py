# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one sanitiser for text that reaches a terminal: ``msg``, warnings and progress lines.

Server text (a ``fail_reason``, a gateway ``errMsg``, a status) may hold escape sequences that
clear or rewrite the operator's screen (``ESC[2J``, a carriage return, the C1 ``CSI`` U+009B) or
bidi overrides that make a line read differently from what it says; ansible-core 2.20 prints
``msg`` unescaped. Every such character is replaced here, and the text is cut to a bounded length.
The returned data (``job``, ``errMsg``) keeps the values as the API sent them: only what is shown
as text goes through this.

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import re

# Enough for a sentence that quotes a server message and an excerpt; a screenful at most.
MAX_TERMINAL_TEXT = 2000
REPLACEMENT = '?'
# Line breaks and tabs become a space (the text stays readable, on one line); every other C0, DEL,
# C1, the bidi embeddings, overrides and isolates and the directional marks become REPLACEMENT.
_SPACE_CONTROLS_RE = re.compile('[\t\n\v\f\r\u0085\u2028\u2029]')
_UNSAFE_RE = re.compile('[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]')


def shorten(value, limit, mask=None):
    """The one way to shorten a value for a message: ``mask`` (a client's ``scrub``, say) first, then cut.

    Masking after cutting would let the first characters of a secret through (the mask no longer finds
    the whole secret in what is left). ``None`` becomes ``''``; any other value is shown as ``str()``.
    Cut text ends in ``...`` (after the cut's trailing white space).
    """
    text = '' if value is None else str(value)
    if mask is not None:
        text = mask(text)
    return text if len(text) <= limit else text[:limit].rstrip() + '...'


def terminal_text(text, limit=MAX_TERMINAL_TEXT):
    """``text`` safe to print: control and bidi characters replaced, at most ``limit`` characters.

    Anything that is not a string is returned as it is (a ``msg`` is always one; this is a filter).
    """
    if not isinstance(text, str):
        return text
    if len(text) > limit:
        text = shorten(text, max(0, limit - 3))
    return _UNSAFE_RE.sub(REPLACEMENT, _SPACE_CONTROLS_RE.sub(' ', text))
