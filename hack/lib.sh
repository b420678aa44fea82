# Shell helpers shared by hack/demo.sh and hack/smoke.sh (sourced, not run).
# shellcheck shell=bash

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv_bin=${VENV_BIN:-$repo/.venv/bin}
emulator=$repo/tests/integration/targets/setup_sfs_turbo_emulator/files/sfs_turbo_emulator.py

# install_collection TARBALL COLLECTIONS_DIR: install the built artifact into an empty collections path.
install_collection() {
    rm -rf "$2"
    mkdir -p "$2"
    "$venv_bin/ansible-galaxy" collection install "$1" -p "$2" --force >/dev/null
}

# start_emulator DIR TOKEN PROJECT_ID: start the emulator on a free loopback port; sets $endpoint.
# It writes DIR/emulator.pid; stop_emulator DIR ends it by that PID (and it stops itself after 10 min).
start_emulator() {
    "$venv_bin/python" "$emulator" --port 0 --quiet --lifetime 600 --token "$2" --project-id "$3" \
        --pid-file "$1/emulator.pid" --port-file "$1/emulator.port" >"$1/emulator.log" 2>&1 &
    for _ in $(seq 100); do
        [ -s "$1/emulator.port" ] && break
        sleep 0.1
    done
    if [ ! -s "$1/emulator.port" ]; then
        echo "the emulator did not start:" >&2
        cat "$1/emulator.log" >&2
        return 1
    fi
    # shellcheck disable=SC2034  # read by the scripts that source this file
    endpoint="http://127.0.0.1:$(cat "$1/emulator.port")"
}

stop_emulator() {
    if [ -f "$1/emulator.pid" ]; then
        kill "$(cat "$1/emulator.pid")" 2>/dev/null || true
        for _ in $(seq 50); do
            [ -f "$1/emulator.pid" ] || break
            sleep 0.1
        done
    fi
}
