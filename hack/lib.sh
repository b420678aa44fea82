# Shell helpers shared by hack/demo.sh and hack/smoke.sh (sourced, not run).
# shellcheck shell=bash

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv_bin=${VENV_BIN:-$repo/.venv/bin}

# install_collection TARBALL COLLECTIONS_DIR: install the built artifact into an empty collections path.
install_collection() {
    rm -rf "$2"
    mkdir -p "$2"
    "$venv_bin/ansible-galaxy" collection install "$1" -p "$2" --force >/dev/null
}

# start_emulator DIR PYTHON [ARGS...] and stop_emulator DIR
# shellcheck source=tests/integration/targets/setup_sfs_turbo_emulator/files/emulator.sh
source "$repo/tests/integration/targets/setup_sfs_turbo_emulator/files/emulator.sh"
