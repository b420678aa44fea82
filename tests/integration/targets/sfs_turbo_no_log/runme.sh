#!/usr/bin/env bash
# Secrets never reach the output, even at -vvvv: run the job modules on their success, failure,
# timeout and retry paths, and sfs_turbo_share and sfs_turbo_request on a read and a failure,
# with distinctive secrets (token, password, secret key, security token),
# given as options, as environment variables and in clouds.yaml/secure.yaml, and count each
# secret, in any letter case, in everything printed. The emulator runs in its hostile mode
# (--echo-credentials): it echoes the caller's credential back as X-request-id, with its letter case swapped
# in error messages, as the status of an unfinished job (warnings, progress lines, timeout messages) and in a
# failed job's fail_reason, so that every mask of the collection is on the path; without the masks
# this target fails. (No "set -x": it would print the secrets itself.)
set -eu -o pipefail

token='LeakCanary-token-5e1f9a7c3b2d8e4f'
password='LeakCanary-password-8c1d2e3f4a5b'
secret_key='LeakCanary-sk-0a9b8c7d6e5f'
security_token='LeakCanary-sectoken-1f2e3d4c'
temp_secret_key='LeakCanary-tempsk-9e8d7c6b'
secrets=("$token" "$password" "$secret_key" "$security_token" "$temp_secret_key")
project_id=0123456789abcdef0123456789abcdef
workdir=$(mktemp -d)

# The emulator the collection ships (ansible-test puts the collection under ANSIBLE_COLLECTIONS_PATH).
collection_dir="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/otc_community/sfs_turbo"
# shellcheck source=roles/emulator/files/emulator.sh
source "$collection_dir/roles/emulator/files/emulator.sh"
trap 'stop_emulator "$workdir"; rm -rf "$workdir"' EXIT

endpoint=""  # set by start_emulator
start_emulator "$workdir" python --project-id "$project_id" --token "$token" \
    --iam-password "$password" --secret-key "$secret_key" --temp-secret-key "$temp_secret_key" \
    --security-token "$security_token" --token-uses 3 --echo-credentials

# run_case NAME VARS_JSON [VAR=value ...]: run leak.yml at -vvvv with the vars (as a file, so no
# secret is on a command line) and the environment given, then count every secret in the output.
run_case() {
    local name=$1 vars=$2 log="$workdir/$1.log" count secret
    shift 2
    printf '%s\n' "$vars" > "$workdir/$name.json"
    if ! env "$@" ansible-playbook leak.yml -i "${INVENTORY_PATH:-../../inventory}" -vvvv -e "@$workdir/$name.json" > "$log" 2>&1; then
        echo "FAIL: the $name run failed"
        grep -v -i -F -e "$token" -e "$password" -e "$secret_key" -e "$security_token" -e "$temp_secret_key" "$log" | tail -40
        exit 1
    fi
    for secret in "${secrets[@]}"; do
        count=$(grep -c -i -F -- "$secret" "$log" || true)
        if [ "$count" != "0" ]; then
            echo "FAIL: a secret appears $count times in the -vvvv output of the $name run"; [ -n "${SFS_TURBO_DEBUG_LEAK:-}" ] && grep -i -F -- "$secret" "$log" | sed "s/$secret/<SECRET>/Ig" | cut -c1-300 >&2
            exit 1
        fi
    done
    # Tokens the emulator's IAM issues (MII + 40 characters) are secrets too.
    count=$(grep -c -i -E 'MII[A-Za-z0-9_-]{40}' "$log" || true)
    if [ "$count" != "0" ]; then
        echo "FAIL: an IAM-issued token appears $count times in the -vvvv output of the $name run"
        exit 1
    fi
    grep -q 'ok=' "$log" || { echo "FAIL: the $name run printed no recap"; exit 1; }
    echo "ok: no secret in $(wc -l < "$log") lines of -vvvv output ($name)"
}

base="\"sfs_turbo_endpoint\": \"$endpoint\", \"sfs_turbo_project_id\": \"$project_id\""
iam="\"sfs_turbo_auth_url\": \"$endpoint/v3\", \"sfs_turbo_username\": \"emulator-user\", \"sfs_turbo_user_domain_name\": \"emulator-domain\""

run_case token-option "{$base, \"sfs_turbo_token\": \"$token\"}"
run_case token-env "{$base}" OS_AUTH_TOKEN="$token"
run_case password-option "{$iam, \"sfs_turbo_password\": \"$password\", \"sfs_turbo_project_name\": \"eu-de\"}"
run_case password-env "{}" OS_AUTH_URL="$endpoint/v3" OS_USERNAME=emulator-user OS_PASSWORD="$password" \
    OS_USER_DOMAIN_NAME=emulator-domain OS_PROJECT_NAME=eu-de
run_case aksk-option "{$base, \"sfs_turbo_access_key\": \"EMULATORACCESSKEY0001\", \"sfs_turbo_secret_key\": \"$secret_key\"}"
run_case aksk-temp-env "{}" SFS_TURBO_ENDPOINT="$endpoint" OS_PROJECT_ID="$project_id" OS_ACCESS_KEY=EMULATORTEMPKEY00001 \
    OS_SECRET_KEY="$temp_secret_key" OS_SECURITY_TOKEN="$security_token"

mkdir -p "$workdir/openstack"
cat > "$workdir/openstack/clouds.yaml" <<YAML
clouds:
  password-cloud:
    auth: {auth_url: "$endpoint/v3", username: emulator-user, user_domain_name: emulator-domain, project_name: eu-de}
  aksk-cloud:
    auth: {project_id: "$project_id"}
    sfsturbo_endpoint_override: "$endpoint"
YAML
cat > "$workdir/openstack/secure.yaml" <<YAML
clouds:
  password-cloud:
    auth: {password: "$password"}
  aksk-cloud:
    auth: {ak: EMULATORTEMPKEY00001, sk: "$temp_secret_key", security_token: "$security_token"}
YAML
run_case clouds-password "{}" OS_CLIENT_CONFIG_FILE="$workdir/openstack/clouds.yaml" OS_CLOUD=password-cloud
run_case clouds-aksk "{}" OS_CLIENT_CONFIG_FILE="$workdir/openstack/clouds.yaml" OS_CLOUD=aksk-cloud
