# Copyright (c) 2026 otc_community.sfs_turbo contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Connection settings from ``clouds.yaml`` (and ``secure.yaml`` beside it).

Private to otc_community.sfs_turbo: not a public API, may change without notice.
"""

from __future__ import annotations

import os

from ansible_collections.otc_community.sfs_turbo.plugins.module_utils import _errors as errors

# The key of cloud_settings() that lists the files it read (not an option: messages name the files).
FILES_READ = '_clouds_files_read'
# Where openstacksdk looks, in order, when OS_CLIENT_CONFIG_FILE is not set.
SEARCH_PATH = ('clouds.yaml', '~/.config/openstack/clouds.yaml', '/etc/openstack/clouds.yaml')

# module option <- keys of the cloud entry (first present wins)
_OPTION_KEYS = (
    ('auth_url', (('auth', 'auth_url'),)),
    ('username', (('auth', 'username'),)),
    ('password', (('auth', 'password'),)),
    ('user_domain_name', (('auth', 'user_domain_name'), ('auth', 'domain_name'))),
    ('project_name', (('auth', 'project_name'),)),
    ('project_id', (('auth', 'project_id'),)),
    ('auth_token', (('auth', 'token'),)),
    ('access_key', (('auth', 'ak'), ('auth', 'access_key'), ('ak',), ('access_key',))),
    ('secret_key', (('auth', 'sk'), ('auth', 'secret_key'), ('sk',), ('secret_key',))),
    ('security_token', (('auth', 'security_token'), ('security_token',))),
    ('region', (('region_name',),)),
    ('endpoint', (('sfsturbo_endpoint_override',),)),
    ('ca_path', (('cacert',),)),
)


def _dig(mapping, keys):
    for key in keys:
        if not isinstance(mapping, dict):
            return None
        mapping = mapping.get(key)
    return mapping


def _merge(base, extra):
    """``extra`` (secure.yaml) deep-merged over ``base`` (clouds.yaml)."""
    merged = dict(base)
    for key, value in extra.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def _yaml():
    """PyYAML, imported only when a clouds.yaml is read: most runs never need it."""
    try:
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None
    return yaml


def _load(path):
    yaml = _yaml()
    try:
        with open(path, encoding='utf-8') as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise errors.clouds_unreadable(path, getattr(exc, 'strerror', None) or type(exc).__name__)
    if data is None:
        return {}
    if not isinstance(data, dict) or not isinstance(data.get('clouds', {}), dict):
        raise errors.clouds_without_mapping(path)
    return data


def find_clouds_file(environ):
    named = environ.get('OS_CLIENT_CONFIG_FILE')
    if named:
        if not os.path.isfile(named):
            raise errors.clouds_file_missing(named)
        return named
    for candidate in SEARCH_PATH:
        path = os.path.expanduser(candidate)
        if os.path.isfile(path):
            return path
    return None


def cloud_settings(cloud, environ):
    """The module options a ``clouds.yaml`` entry gives, or ``{}`` when none applies.

    With ``cloud`` unset, the file named by ``OS_CLIENT_CONFIG_FILE`` is used only when it
    holds exactly one cloud (what AWX's OpenStack credential writes).
    """
    if not cloud and not environ.get('OS_CLIENT_CONFIG_FILE'):
        return {}
    path = find_clouds_file(environ)
    if path is None:
        raise errors.no_clouds_file(cloud, [os.path.abspath(os.path.expanduser(path)) for path in SEARCH_PATH])
    if _yaml() is None:
        raise errors.needs_pyyaml(path)
    data = _load(path)
    read = [os.path.abspath(path)]
    secure_path = os.path.join(os.path.dirname(path), 'secure.yaml')
    if os.path.isfile(secure_path):
        data = _merge(data, _load(secure_path))
        read.append(os.path.abspath(secure_path))
    clouds = data.get('clouds') or {}
    if not cloud:
        if len(clouds) != 1:
            return {}
        cloud = next(iter(clouds))
    entry = clouds.get(cloud)
    if not isinstance(entry, dict):
        raise errors.no_such_cloud(read, cloud, sorted(map(str, clouds)))
    settings = {FILES_READ: read}
    for option, candidates in _OPTION_KEYS:
        for keys in candidates:
            value = _dig(entry, keys)
            if value not in (None, ''):
                settings[option] = str(value)
                break
    verify = entry.get('verify')
    if isinstance(verify, bool):
        settings['validate_certs'] = verify
    return settings


def apply_cloud_settings(params, environ=None):
    """Fill the options that neither the task nor an env var set (``None`` or empty) from the clouds.yaml entry.

    Options whose default clouds.yaml may change (``validate_certs``) have no argument-spec default
    for this reason: ``None`` means "not given", and ``_options.apply_late_defaults`` fills them after.
    """
    environ = os.environ if environ is None else environ
    for option, value in cloud_settings(params.get('cloud'), environ).items():
        if option == FILES_READ or params.get(option) in (None, ''):
            params[option] = value
    return params
