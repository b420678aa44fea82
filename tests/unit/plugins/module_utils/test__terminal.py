# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one sanitiser of terminal text."""

from __future__ import annotations

import pytest

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._terminal import MAX_TERMINAL_TEXT, terminal_text

HOSTILE = ['\x1b[2J', '\x1b[H', 'a\rb', '\x9b2J', '\x7f', '\x00', '\u202eevil', '\u2066x\u2069', '\x07', '\u200f']


@pytest.mark.parametrize('text', HOSTILE)
def test_control_and_bidi_characters_never_pass(text):
    shown = terminal_text('reason: %s.' % text)
    assert all(ch.isprintable() for ch in shown)
    assert not set(shown) & set('\x1b\x9b\r\x7f\x00\u202e\u2066\u2069\x07\u200f')


def test_line_breaks_become_spaces_and_plain_text_is_kept():
    assert terminal_text('Subnet has\nnot enough ips') == 'Subnet has not enough ips'
    assert terminal_text('Ünïcode names stay: 日本') == 'Ünïcode names stay: 日本'


def test_length_is_bounded():
    shown = terminal_text('x' * 100000)
    assert len(shown) == MAX_TERMINAL_TEXT and shown.endswith('...')


def test_what_is_not_text_is_left_alone():
    assert terminal_text(None) is None
