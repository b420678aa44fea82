#!/usr/bin/env bash
# make demo: build the collection, install the tarball into a private collections path,
# start the local emulator, run docs/examples/demo.yml against it, and stop the emulator.
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "$0")/lib.sh"

demo_dir=$repo/build/demo
token=demo-token-$RANDOM$RANDOM
project_id=0123456789abcdef0123456789abcdef
rm -rf "$demo_dir"
mkdir -p "$demo_dir/dist"

echo "== Building the collection and installing the tarball into $demo_dir/collections"
"$venv_bin/ansible-galaxy" collection build "$repo" --output-path "$demo_dir/dist" --force >/dev/null
tarball=$(ls "$demo_dir"/dist/otc_community-sfs_turbo-*.tar.gz)
install_collection "$tarball" "$demo_dir/collections"
echo "   installed $(basename "$tarball")"

trap 'stop_emulator "$demo_dir"' EXIT
echo "== Starting the SFS Turbo emulator on a free loopback port"
start_emulator "$demo_dir" "$token" "$project_id"
echo "   listening on $endpoint"

echo "== Running docs/examples/demo.yml"
cd "$demo_dir"
SFS_TURBO_ENDPOINT="$endpoint" OS_PROJECT_ID="$project_id" OS_AUTH_TOKEN="$token" \
ANSIBLE_COLLECTIONS_PATH="$demo_dir/collections" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
ANSIBLE_CALLBACK_RESULT_FORMAT=yaml \
    "$venv_bin/ansible-playbook" "$repo/docs/examples/demo.yml"
