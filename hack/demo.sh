#!/usr/bin/env bash
# make demo: build the collection, install the tarball into a private collections path,
# start the local emulator, run docs/examples/demo.yml against it, and stop the emulator.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
venv_bin=${VENV_BIN:-$repo/.venv/bin}
demo_dir=$repo/build/demo
emulator=$repo/tests/integration/targets/setup_sfs_turbo_emulator/files/sfs_turbo_emulator.py
token=demo-token-$RANDOM$RANDOM
project_id=0123456789abcdef0123456789abcdef

rm -rf "$demo_dir"
mkdir -p "$demo_dir/dist" "$demo_dir/collections"

echo "== Building the collection and installing the tarball into $demo_dir/collections"
"$venv_bin/ansible-galaxy" collection build "$repo" --output-path "$demo_dir/dist" --force >/dev/null
tarball=$(ls "$demo_dir"/dist/otc_community-sfs_turbo-*.tar.gz)
"$venv_bin/ansible-galaxy" collection install "$tarball" -p "$demo_dir/collections" --force >/dev/null
echo "   installed $(basename "$tarball")"

stop_emulator() {
    if [ -f "$demo_dir/emulator.pid" ]; then
        kill "$(cat "$demo_dir/emulator.pid")" 2>/dev/null || true
        for _ in $(seq 50); do [ -f "$demo_dir/emulator.pid" ] || break; sleep 0.1; done
    fi
}
trap stop_emulator EXIT

echo "== Starting the SFS Turbo emulator on a free loopback port"
"$venv_bin/python" "$emulator" --port 0 --quiet --lifetime 600 --token "$token" --project-id "$project_id" \
    --pid-file "$demo_dir/emulator.pid" --port-file "$demo_dir/emulator.port" >"$demo_dir/emulator.log" 2>&1 &
for _ in $(seq 100); do [ -s "$demo_dir/emulator.port" ] && break; sleep 0.1; done
[ -s "$demo_dir/emulator.port" ] || { echo "the emulator did not start:"; cat "$demo_dir/emulator.log"; exit 1; }
endpoint="http://127.0.0.1:$(cat "$demo_dir/emulator.port")"
echo "   listening on $endpoint"

echo "== Running docs/examples/demo.yml"
cd "$demo_dir"
SFS_TURBO_ENDPOINT="$endpoint" OS_PROJECT_ID="$project_id" OS_AUTH_TOKEN="$token" \
ANSIBLE_COLLECTIONS_PATH="$demo_dir/collections" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
ANSIBLE_CALLBACK_RESULT_FORMAT=yaml \
    "$venv_bin/ansible-playbook" "$repo/docs/examples/demo.yml"
