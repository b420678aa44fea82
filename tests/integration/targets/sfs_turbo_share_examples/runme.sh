#!/usr/bin/env bash
# The EXAMPLES of sfs_turbo_share_info and sfs_turbo_share_wait, as ansible-doc prints them, run against
# the emulator's built-in file systems (default scenario): the docs' examples are tested, not just shown.
set -eu -o pipefail

workdir=$(mktemp -d)
collection_dir="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/otc_community/sfs_turbo"
# shellcheck source=roles/emulator/files/emulator.sh
source "$collection_dir/roles/emulator/files/emulator.sh"
trap 'stop_emulator "$workdir"; rm -rf "$workdir"' EXIT

endpoint=""  # set by start_emulator
start_emulator "$workdir" python

for module in sfs_turbo_share_info sfs_turbo_share_wait; do
    ansible-doc --json "otc_community.sfs_turbo.$module" > "$workdir/$module.json"
    # One play on localhost whose tasks are the module's EXAMPLES, word for word.
    python - "$workdir/$module.json" "$workdir/$module.yml" "$module" <<'PY'
import json
import sys

doc = json.load(open(sys.argv[1], encoding='utf-8'))
examples = next(iter(doc.values()))['examples']
tasks = '\n'.join(('    ' + line) if line.strip() else '' for line in examples.strip('\n').split('\n'))
with open(sys.argv[2], 'w', encoding='utf-8') as handle:
    handle.write('---\n- name: The EXAMPLES of %s\n  hosts: localhost\n  gather_facts: false\n  tasks:\n%s\n' % (sys.argv[3], tasks))
PY
    ansible-playbook "$workdir/$module.yml" -i "${INVENTORY_PATH:-../../inventory}" -e "sfs_turbo_endpoint=$endpoint" > "$workdir/$module.log" 2>&1 \
        || { echo "FAIL: the EXAMPLES of $module do not run:"; tail -40 "$workdir/$module.log"; exit 1; }
    grep -q 'failed=0' "$workdir/$module.log" || { echo "FAIL: no clean recap for $module"; tail -40 "$workdir/$module.log"; exit 1; }
    tasks=$(grep -c '^TASK \[' "$workdir/$module.log")
    echo "ok: the $tasks example tasks of $module ran against the emulator"
done
