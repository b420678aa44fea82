# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Checks shared by every part of a scenario file; each error names the key, as the user wrote it."""

from __future__ import annotations

import re

ID_RE = re.compile(r'^[A-Za-z0-9_-]{1,64}$')
CLOCKS = ('first_request', 'server_start')


class ScenarioError(ValueError):
    """The scenario is not valid."""


def number(value, what, default):
    if value is None:
        return float(default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ScenarioError(f'{what} must be a number >= 0, got {value!r}')
    return float(value)


def string(value, what, required=False):
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise ScenarioError(f'{what} must be a non-empty string, got {value!r}')
    return value


def only_keys(raw, allowed, what):
    unknown = sorted(str(key) for key in set(raw) - set(allowed))
    if unknown:
        raise ScenarioError(f'{what}: unknown keys {", ".join(unknown)} (allowed: {", ".join(allowed)})')


def mapping(raw, what):
    if not isinstance(raw, dict):
        raise ScenarioError(f'{what} must be a mapping')
    return raw


def extra_and_omit(raw, what):
    """The ``extra`` (fields added to the body) and ``omit`` (fields left out) of a definition."""
    extra = raw.get('extra', {})
    if not isinstance(extra, dict):
        raise ScenarioError(f'{what}: extra must be a mapping')
    omit = raw.get('omit', [])
    if not isinstance(omit, list) or not all(isinstance(key, str) for key in omit):
        raise ScenarioError(f'{what}: omit must be a list of field names')
    return dict(extra), list(omit)


def clock(raw, what):
    value = raw.get('clock', 'first_request')
    if value not in CLOCKS:
        raise ScenarioError(f'{what}: clock must be one of {", ".join(CLOCKS)}, got {value!r}')
    return value


def resource_ids(raw, key, what_of):
    """``raw[key]``, a mapping of resource id to definition, with ids a request path can carry."""
    section = raw.get(key, {})
    if not isinstance(section, dict):
        raise ScenarioError(f'"{key}" must be a mapping of {what_of}')
    for resource_id in section:
        # Ids outside this alphabet could never be requested: the path check rejects them.
        if not isinstance(resource_id, str) or not ID_RE.match(resource_id):
            raise ScenarioError(f'{key[:-1]} {resource_id!r}: ids use letters, digits, "-" and "_" only (1-64 characters)')
    return section
