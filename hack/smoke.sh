#!/usr/bin/env bash
# make smoke: what ships is what was tested. Install the built tarball into an empty collections
# path, check what it contains, and run tests/smoke/smoke.yml from the installed copy. Fails if
# ansible-doc or ansible-playbook says the collection "does not support Ansible version" (its
# meta/runtime.yml requires_ansible must cover the ansible-core that runs it).
#
#   [VENV_BIN=<virtualenv>/bin] [SMOKE_WORK=<dir>] hack/smoke.sh DIST_DIR
#
# VENV_BIN picks the ansible-core (default: the dev virtualenv); hack/matrix.py runs this with the
# 2.16 and 2.22 virtualenvs of the version matrix, each in a work directory of its own.
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "$0")/lib.sh"

dist=${1:?usage: smoke.sh DIST_DIR}
work=${SMOKE_WORK:-$repo/build/smoke}
token=smoke-token-$RANDOM$RANDOM
project_id=0123456789abcdef0123456789abcdef
rm -rf "$work"
mkdir -p "$work"

tarball=$(ls "$dist"/otc_community-sfs_turbo-*.tar.gz)
echo "smoke: $(basename "$tarball") with $("$venv_bin/ansible" --version | sed -n 1p)"

# no_version_warning LOG WHAT: fail if the output in LOG warns that this ansible-core is not supported.
# ansible wraps warnings at the terminal width, so lines are joined before the search.
no_version_warning() {
    if tr '\n' ' ' < "$1" | grep -qi "does not support Ansible version"; then
        grep -i -A1 "does not support" "$1" >&2 || true
        echo "smoke: FAIL: $2 warns that the collection does not support this ansible-core (meta/runtime.yml requires_ansible)" >&2
        exit 1
    fi
}

# Nothing test-only or generated in the artifact; the EE metadata must be there.
contents=$(tar -tzf "$tarball")
if grep -E '^(tests/|hack/|build/|\.venv/|\.ci/|Makefile$|requirements-dev\.txt$)|__pycache__|\.pyc$|\.plugin-cache\.yaml$' <<< "$contents"; then
    echo "smoke: FAIL: the files above must not be in the tarball" >&2
    exit 1
fi
for needed in meta/runtime.yml meta/execution-environment.yml meta/ee-requirements.txt meta/ee-bindep.txt \
              plugins/modules/sfs_turbo_job_info.py plugins/modules/sfs_turbo_job_wait.py README.md LICENSE CHANGELOG.rst \
              LICENSES/GPL-3.0-or-later.txt roles/emulator/README.md roles/emulator/meta/main.yml; do
    grep -qx "$needed" <<< "$contents" || { echo "smoke: FAIL: $needed is missing from the tarball" >&2; exit 1; }
done

install_collection "$tarball" "$work/collections"
use_installed_emulator "$work/collections"
export ANSIBLE_COLLECTIONS_PATH="$work/collections"
listed=$("$venv_bin/ansible-doc" -l otc_community.sfs_turbo 2>"$work/ansible-doc.stderr")
echo "$listed"
cat "$work/ansible-doc.stderr" >&2
no_version_warning "$work/ansible-doc.stderr" "ansible-doc"
for module in sfs_turbo_job_info sfs_turbo_job_wait; do
    grep -q "^otc_community.sfs_turbo.$module " <<< "$listed" || { echo "smoke: FAIL: ansible-doc -l does not list $module" >&2; exit 1; }
done
# ansible-doc -t role shows every entry point of every role with its options
"$venv_bin/python" "$repo/tests/smoke/check_role_doc.py" "$venv_bin/ansible-doc" otc_community.sfs_turbo

trap 'stop_emulator "$work"' EXIT
start_emulator "$work" "$venv_bin/python" --token "$token" --project-id "$project_id"
cd "$work"
OS_AUTH_TOKEN="$token" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
    "$venv_bin/ansible-playbook" "$repo/tests/smoke/smoke.yml" -e "sfs_turbo_endpoint=$endpoint" -e "sfs_turbo_project_id=$project_id" \
    2>&1 | tee "$work/ansible-playbook.log"
no_version_warning "$work/ansible-playbook.log" "ansible-playbook"
echo "smoke: ok"
