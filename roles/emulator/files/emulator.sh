# Start and stop the SFS Turbo emulator from shell scripts (sourced, not run), for example in CI:
#   source ~/.ansible/collections/ansible_collections/otc_community/sfs_turbo/roles/emulator/files/emulator.sh
#   start_emulator "$dir" python3 [EMULATOR ARGS...]; ...; stop_emulator "$dir"
# The collection's own hack/demo.sh, hack/smoke.sh and runme.sh integration targets use it too.
# shellcheck shell=bash

emulator_script="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/sfs_turbo_emulator.py"

# start_emulator DIR PYTHON [EMULATOR ARGS...]: start the emulator on a free loopback port and set
# $endpoint. It writes DIR/emulator.pid; stop_emulator DIR ends it by that PID (and it stops
# itself after 10 minutes should nothing else: give --lifetime again to change that, 0 for never).
start_emulator() {
    local dir=$1 python=$2
    shift 2
    local pid
    # A port file left by an earlier emulator in DIR names a port nobody listens on any more.
    rm -f "$dir/emulator.port"
    "$python" "$emulator_script" --port 0 --quiet --lifetime 600 "$@" \
        --pid-file "$dir/emulator.pid" --port-file "$dir/emulator.port" >"$dir/emulator.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
        [ -s "$dir/emulator.port" ] && break
        kill -0 "$pid" 2>/dev/null || break  # it exited (a bad scenario, say): no point in waiting
        sleep 0.1
    done
    if [ ! -s "$dir/emulator.port" ]; then
        echo "the emulator did not start:" >&2
        cat "$dir/emulator.log" >&2
        return 1
    fi
    # shellcheck disable=SC2034  # read by the scripts that source this file
    endpoint="http://127.0.0.1:$(cat "$dir/emulator.port")"
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
