#!/usr/bin/env bash
# make awx: is the built collection ready for AWX / Automation Platform?
#   1. ansible-builder introspect --sanitize finds its Python requirement (requests) in the artifact;
#   2. ansible-builder create writes the build context of docs/examples/execution-environment.yml
#      (no container engine needed), which installs ansible-core 2.16 by default;
#   3. tests/awx/run_like_awx.py runs a job template through ansible-runner with the credentials
#      injected as AWX injects them, and checks the job events for secrets.
#
#   hack/awx-check.sh DIST_DIR
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "$0")/lib.sh"

dist=${1:?usage: awx-check.sh DIST_DIR}
work=$repo/build/awx
rm -rf "$work"
mkdir -p "$work"
install_collection "$(ls "$dist"/otc_community-sfs_turbo-*.tar.gz)" "$work/collections"

echo "== ansible-builder introspect --sanitize"
introspected=$("$venv_bin/ansible-builder" introspect --sanitize "$work/collections")
echo "$introspected"
grep -q "requests>=2.28  # from collection otc_community.sfs_turbo" <<< "$introspected" \
    || { echo "awx: FAIL: ansible-builder does not see the collection's requests requirement" >&2; exit 1; }

echo "== ansible-builder create -f docs/examples/execution-environment.yml"
"$venv_bin/ansible-builder" create -f "$repo/docs/examples/execution-environment.yml" -c "$work/ee-context" >/dev/null
grep -q "otc_community.sfs_turbo" "$work/ee-context/_build/requirements.yml" \
    || { echo "awx: FAIL: the build context does not install the collection" >&2; exit 1; }
# The example builds on the oldest supported ansible-core line (2.16) unless the user picks another.
grep -hq 'ANSIBLE_INSTALL_REFS="ansible-core>=2.16,<2.17 ' "$work"/ee-context/Containerfile "$work"/ee-context/Dockerfile 2>/dev/null \
    || { echo "awx: FAIL: the example EE does not install ansible-core 2.16 by default" >&2; exit 1; }
echo "build context written to $work/ee-context (ansible-core 2.16)"

echo "== ansible-runner job runs, credentials injected as AWX injects them"
PATH="$venv_bin:$PATH" "$venv_bin/python" "$repo/tests/awx/run_like_awx.py" --collections "$work/collections" --work "$work/runs"
