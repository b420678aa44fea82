# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one list of secrets (derived from the argument spec's ``no_log`` options), and the one way of masking them.

Every mask reads this file: the module's results and warnings (``_module``, the client's ``scrub``),
the progress records it writes (``_progress``), and the action plugin with its progress lines
(``plugin_utils``). A secret is looked for in any letter case, since a server may echo one upper- or
lower-cased (and the job status is lower-cased before it is shown).
Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import re

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._limits import MAX_RESULT_DEPTH


MASK = '********'
# Shorter strings are not masked inside text: "abc" would blank out ordinary words.
MIN_SCRUB_LENGTH = 4


def _derived_from_the_argument_spec():
    """``(SECRET_OPTIONS, SECRET_ENV_VARS)``: the ``no_log`` options of the connection argument spec, and their
    environment variables (the spec's fallbacks), in the spec's order."""
    # Imported here, on first use: importing the mask (the progress channel does) imports no option module.
    from ansible_collections.otc_community.sfs_turbo.plugins.module_utils._options import connection_argument_spec  # pylint: disable=import-outside-toplevel
    spec = connection_argument_spec()
    options = tuple(name for name, option in spec.items() if option.get('no_log'))
    env_vars = tuple(var for name in options for var in (spec[name].get('fallback') or (None, ()))[1])
    return options, env_vars


def __getattr__(name):
    """``SECRET_OPTIONS`` and ``SECRET_ENV_VARS``, derived from the argument spec when first asked for."""
    if name not in ('SECRET_OPTIONS', 'SECRET_ENV_VARS'):
        raise AttributeError('module %r has no attribute %r' % (__name__, name))
    globals()['SECRET_OPTIONS'], globals()['SECRET_ENV_VARS'] = _derived_from_the_argument_spec()
    return globals()[name]


def secret_values(mapping, names=None):
    """The non-empty values of ``names`` (default: ``SECRET_OPTIONS``) in ``mapping`` (options, or environment
    variables), as strings."""
    if names is None:
        names = __getattr__('SECRET_OPTIONS')
    return [str(mapping[name]) for name in names if mapping.get(name)]


def letter_case_variants(secret):
    """The spellings Ansible's own no_log masking must know of: as given, lower- and upper-cased."""
    return (secret, secret.lower(), secret.upper())


def holds_secret(text, secrets):
    """Whether ``text`` contains one of ``secrets``, in any letter case."""
    folded = text.casefold()
    return any(secret and secret.casefold() in folded for secret in secrets)


def mask_word(value, secrets):
    """``value``, or ``MASK`` when it holds one of the secrets (for a short field shown whole)."""
    return MASK if holds_secret(value, secrets) else value


def scrub(text, secrets):
    """``text`` with every secret (of ``MIN_SCRUB_LENGTH`` characters or more) masked, longest first,
    in any letter case."""
    if not isinstance(text, str):
        return text
    for secret in sorted((s for s in secrets if isinstance(s, str) and len(s) >= MIN_SCRUB_LENGTH), key=len, reverse=True):
        text = re.sub(re.escape(secret), MASK, text, flags=re.IGNORECASE)
    return text


def scrub_data(value, secrets, depth=0):
    """``value`` (a result: dicts, lists, strings) with every secret masked in its strings, in any letter case.

    Ansible's no_log masking finds a value only as it is spelled; a server may echo a token with its case
    swapped into a job's ``fail_reason``. The client refuses bodies that nest deeper than a result
    can (``_limits``); anything deeper still is masked whole.
    """
    if depth > MAX_RESULT_DEPTH:
        return MASK
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, dict):
        # Keys too: a server may echo a secret as a key (sfs_turbo_request returns any body).
        return {scrub(key, secrets): scrub_data(item, secrets, depth + 1) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub_data(item, secrets, depth + 1) for item in value]
    return value
