#!/usr/bin/env bash
# Part of make smoke: the guide "Rehearsing runbooks" works for someone who has only the tarball.
# In an empty temp dir (no git checkout around) with a fresh HOME, install the tarball with plain
# `ansible-galaxy collection install`, start the shipped emulator with the guide's command, run the
# guide's example playbook tests from the installed copy, stop the emulator the guide's way, and
# check that its process has gone. The runbooks the guide prints must be the files that ship, word for word,
# and the playbook tests it tells you to run those run here.
#
#   hack/rehearsal-check.sh DIST_DIR
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "$0")/lib.sh"

dist=$(cd "${1:?usage: rehearsal-check.sh DIST_DIR}" && pwd)
script=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
tarball=$(ls "$dist"/otc_community-sfs_turbo-*.tar.gz)
tmp=$(mktemp -d)
pid=""
cleanup() {
    # Only the emulator this script started, by its PID.
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

export HOME=$tmp/home
mkdir -p "$HOME" "$tmp/ci"
cd "$tmp/ci"
if git rev-parse --git-dir >/dev/null 2>&1; then
    echo "rehearsal: FAIL: $tmp/ci is inside a git checkout" >&2
    exit 1
fi
unset ANSIBLE_COLLECTIONS_PATH ANSIBLE_COLLECTIONS_PATHS
export PATH="$venv_bin:$PATH" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false

echo "rehearsal: ansible-galaxy collection install $(basename "$tarball") (HOME=$HOME)"
ansible-galaxy collection install "$tarball" >/dev/null

# --- the guide's commands (docs/docsite/rst/guide_rehearsing.rst, "Run it in CI") ---
COLLECTION=~/.ansible/collections/ansible_collections/otc_community/sfs_turbo
python3 "$COLLECTION/roles/emulator/files/sfs_turbo_emulator.py" --port 0 --port-file emulator.port \
    --pid-file emulator.pid --scenario "$COLLECTION/docs/examples/rehearsal/scenario.json" > emulator.log 2>&1 &
pid=$!
for _ in $(seq 50); do [ -s emulator.port ] && break; sleep 0.2; done
[ -s emulator.port ] || { echo "rehearsal: FAIL: the emulator did not start:" >&2; cat emulator.log >&2; exit 1; }
SFS_TURBO_ENDPOINT="http://127.0.0.1:$(cat emulator.port)"
export SFS_TURBO_ENDPOINT OS_AUTH_TOKEN=emulator-token

ansible-playbook "$COLLECTION/docs/examples/rehearsal/test_lifecycle_runbook.yml"
ansible-playbook "$COLLECTION/docs/examples/rehearsal/test_filesystem_runbook.yml"
ansible-playbook "$COLLECTION/docs/examples/rehearsal/test_runbook.yml"
kill "$(cat emulator.pid)"
# --- end of the guide's commands ---

# The file-system runbook the guide shows (after its ".. rehearsal-example: FILE" marker) is the one
# the tests above ran.
# And the playbook tests the guide tells you to run are those this script ran, in the same order.
python3 - "$COLLECTION/docs/docsite/rst/guide_rehearsing.rst" "$COLLECTION/docs/examples/rehearsal" "$script" <<'PY'
import re
import sys

guide, examples, script = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(guide, encoding='utf-8').read()
told = re.findall(r'^    \$ (ansible-playbook "\$COLLECTION/\S+)$', text, re.M)
ran = re.findall(r'^(ansible-playbook "\$COLLECTION/\S+)$', open(script, encoding='utf-8').read(), re.M)
if not told or told != ran:
    sys.exit('rehearsal: FAIL: the guide runs %s, this check runs %s' % (told, ran))
print('rehearsal: the guide runs the playbook tests this check ran: %s' % ', '.join(t.split('/')[-1].rstrip('"') for t in told))
found = re.findall(r'^\.\. rehearsal-example: (\S+)\n\n\.\. code-block:: [^\n]+\n\n((?:    [^\n]*\n|\n)+)', text, re.M)
if not found:
    sys.exit('rehearsal: FAIL: no ".. rehearsal-example:" block in %s' % guide)
for name, block in found:
    shown = '\n'.join(line[4:] for line in block.rstrip('\n').split('\n')) + '\n'
    shipped = open('%s/%s' % (examples, name), encoding='utf-8').read()
    if shown != shipped:
        sys.exit('rehearsal: FAIL: the guide shows another %s than the one that ships' % name)
    print('rehearsal: the guide shows %s word for word' % name)
PY

for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then
    echo "rehearsal: FAIL: the emulator (PID $pid) is still running after the documented stop" >&2
    exit 1
fi
[ ! -e emulator.pid ] || { echo "rehearsal: FAIL: the emulator left its PID file behind" >&2; exit 1; }
pid=""
echo "rehearsal: ok (the emulator started, the example test passed, the emulator stopped)"
