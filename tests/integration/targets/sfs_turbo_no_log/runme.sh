#!/usr/bin/env bash
# Secrets never reach the output, even at -vvvv: run both modules with a distinctive token,
# given as an option and as an environment variable, and count the token in everything printed.
# (No "set -x": it would print the token itself.)
set -eu -o pipefail

token='LeakCanary-5e1f9a7c3b2d8e4f-never-print-me'
emulator=../setup_sfs_turbo_emulator/files/sfs_turbo_emulator.py
workdir=$(mktemp -d)

stop_emulator() {
    if [ -f "$workdir/pid" ]; then
        kill "$(cat "$workdir/pid")" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap stop_emulator EXIT

python "$emulator" --port 0 --quiet --token "$token" --lifetime 600 \
    --pid-file "$workdir/pid" --port-file "$workdir/port" >"$workdir/emulator.log" 2>&1 &
for _ in $(seq 50); do
    [ -s "$workdir/port" ] && break
    sleep 0.2
done
if [ ! -s "$workdir/port" ]; then
    echo "FAIL: the emulator did not start"; cat "$workdir/emulator.log"; exit 1
fi
endpoint="http://127.0.0.1:$(cat "$workdir/port")"

check_no_leak() {
    local name=$1 log=$2 count
    count=$(grep -c -F -- "$token" "$log" || true)
    if [ "$count" != "0" ]; then
        echo "FAIL: the token appears $count times in the -vvvv output of the $name run"
        exit 1
    fi
    # The run really happened: its plays finished and the emulator accepted the token.
    grep -q 'ok=' "$log" || { echo "FAIL: the $name run printed no recap"; exit 1; }
    echo "ok: the token appears 0 times in $(wc -l < "$log") lines of -vvvv output ($name)"
}

printf '{"sfs_turbo_token": "%s"}\n' "$token" > "$workdir/token.json"
ansible-playbook leak.yml -i "${INVENTORY_PATH:-../../inventory}" -vvvv \
    -e "sfs_turbo_endpoint=$endpoint" -e "@$workdir/token.json" > "$workdir/option.log" 2>&1 \
    || { echo "FAIL: the run with the token as an option failed"; grep -v -F -- "$token" "$workdir/option.log" | tail -40; exit 1; }
check_no_leak option "$workdir/option.log"

OS_AUTH_TOKEN="$token" ansible-playbook leak.yml -i "${INVENTORY_PATH:-../../inventory}" -vvvv \
    -e "sfs_turbo_endpoint=$endpoint" > "$workdir/env.log" 2>&1 \
    || { echo "FAIL: the run with the token in OS_AUTH_TOKEN failed"; grep -v -F -- "$token" "$workdir/env.log" | tail -40; exit 1; }
check_no_leak env "$workdir/env.log"
