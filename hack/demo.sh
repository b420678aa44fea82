#!/usr/bin/env bash
# make demo: install the tarball `make build` made into a private collections path, start the
# local emulator, run docs/examples/demo.yml against it, and stop the emulator.
#
#   hack/demo.sh DIST_DIR
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "$0")/lib.sh"

dist=${1:?usage: demo.sh DIST_DIR}
demo_dir=$repo/build/demo
token=demo-token-$RANDOM$RANDOM
project_id=0123456789abcdef0123456789abcdef
rm -rf "$demo_dir"
mkdir -p "$demo_dir"

echo "== Installing the built tarball into $demo_dir/collections"
tarball=$(ls "$dist"/otc_community-sfs_turbo-*.tar.gz)
install_collection "$tarball" "$demo_dir/collections"
use_installed_emulator "$demo_dir/collections"
echo "   installed $(basename "$tarball")"

trap 'stop_emulator "$demo_dir"' EXIT
echo "== Starting the SFS Turbo emulator on a free loopback port"
start_emulator "$demo_dir" "$venv_bin/python" --token "$token" --project-id "$project_id"
echo "   listening on $endpoint"

echo "== Running docs/examples/demo.yml"
cd "$demo_dir"
SFS_TURBO_ENDPOINT="$endpoint" OS_PROJECT_ID="$project_id" OS_AUTH_TOKEN="$token" \
ANSIBLE_COLLECTIONS_PATH="$demo_dir/collections" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
ANSIBLE_CALLBACK_RESULT_FORMAT=yaml \
    "$venv_bin/ansible-playbook" "$repo/docs/examples/demo.yml"
