# Shell helpers shared by hack/demo.sh and hack/smoke.sh (sourced, not run).
# shellcheck shell=bash

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv_bin=${VENV_BIN:-$repo/.venv/bin}

# install_collection TARBALL COLLECTIONS_DIR: install the built artifact into an empty collections
# path. ANSIBLE_COLLECTIONS_PATH names that path, so ansible-galaxy has no "will not be picked up" warning.
install_collection() {
    rm -rf "$2"
    mkdir -p "$2"
    ANSIBLE_COLLECTIONS_PATH="$2" "$venv_bin/ansible-galaxy" collection install "$1" -p "$2" --force >/dev/null
}

# use_installed_emulator COLLECTIONS_DIR: define start_emulator DIR PYTHON [ARGS...] and
# stop_emulator DIR from the installed collection, so scripts run the emulator that ships.
use_installed_emulator() {
    # shellcheck source=roles/emulator/files/emulator.sh
    source "$1/ansible_collections/otc_community/sfs_turbo/roles/emulator/files/emulator.sh"
}
