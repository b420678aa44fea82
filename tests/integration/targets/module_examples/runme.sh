#!/usr/bin/env bash
# Every module's EXAMPLES block runs against the emulator (run_examples.py says how), so the
# documentation's examples stay true; a module added to plugins/modules/ is covered with no edit here.
set -eu -o pipefail

token=examples-token-$RANDOM$RANDOM
project_id=0123456789abcdef0123456789abcdef
workdir=$(mktemp -d)

# The emulator the collection ships (ansible-test puts the collection under ANSIBLE_COLLECTIONS_PATH).
collection_dir="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/otc_community/sfs_turbo"
# shellcheck source=roles/emulator/files/emulator.sh
source "$collection_dir/roles/emulator/files/emulator.sh"
trap 'stop_emulator "$workdir"; rm -rf "$workdir"' EXIT

endpoint=""  # set by start_emulator
start_emulator "$workdir" python --project-id "$project_id" --token "$token"

python run_examples.py --collection "$collection_dir" --endpoint "$endpoint" --project-id "$project_id" \
    --token "$token" --work "$workdir" --inventory "${INVENTORY_PATH:-../../inventory}"
