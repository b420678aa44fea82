#!/usr/bin/env bash
# One IAM login per identity per ansible-playbook run, counted in the emulator's request log:
#
#   1. five forked local hosts, a loop of job_info, a job_wait, a share_info and a share_wait each, one
#      identity: one login, one token;
#      during the run the cache is one 0700 directory of 0600 files;
#   2. two users and a second project scope of the first one in one play: one login each, and no job of
#      one identity is ever read with another identity's token;
#   3. tokens that expire every 4 s under five forked waits: renewed once per expiry for all hosts;
#   4. tokens that the API refuses (401) after 4 s though they claim 24 h: one re-login per revoked token for all;
#   4b. an ansible-playbook ended mid-wait by SIGTERM or SIGHUP leaves no token behind either (step 5), and a
#       worker that outlives it (SIGHUP) makes no cache again and logs in no more;
#   5. after the runs, no file under the runs' HOME and TMPDIR holds any token the emulators issued, and
#      no cache directory is left; the -vvv output holds none either.
# (No "set -x": it would print the secrets.)
set -eu -o pipefail

password='TokenCache-password-4b8d2f'
# Both users have the same password, so that only the user name tells their identities apart.
bob_password=$password
project_id=0123456789abcdef0123456789abcdef
workdir=$(mktemp -d)
inventory="$PWD/inventory.ini"

# The emulator the collection ships (ansible-test puts the collection under ANSIBLE_COLLECTIONS_PATH).
collection_dir="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/otc_community/sfs_turbo"
# shellcheck source=roles/emulator/files/emulator.sh
source "$collection_dir/roles/emulator/files/emulator.sh"
cleanup() {
    for dir in "$workdir"/emulator-*; do
        [ -d "$dir" ] && stop_emulator "$dir"
    done
    rm -rf "$workdir"
}
trap cleanup EXIT

# Every file the runs write goes under a HOME and a TMPDIR of their own, which step 5 searches in full.
run_home="$workdir/home"
run_tmp="$workdir/tmp"
mkdir -p "$run_home" "$run_tmp"
tokens=()

# start NAME [EMULATOR ARGS...]: start an emulator; sets $endpoint.
start() {
    local dir="$workdir/emulator-$1"
    shift
    mkdir -p "$dir"
    endpoint=""
    start_emulator "$dir" python --scenario "$PWD/scenario.json" --project-id "$project_id" \
        --iam-password "$password" --extra-iam-user "bob=$bob_password" "$@"
}

# play NAME PLAYBOOK: run a playbook against $endpoint with forks 5, output in $workdir/NAME.log.
write_vars() {
    printf '{"sfs_turbo_auth_url": "%s/v3", "sfs_turbo_endpoint": "%s", "sfs_turbo_project_id": "%s", "sfs_turbo_password": "%s", "sfs_turbo_users": {"alice": {"name": "emulator-user", "password": "%s"}, "bob": {"name": "bob", "password": "%s"}}}\n' \
        "$endpoint" "$endpoint" "$project_id" "$password" "$password" "$bob_password" > "$workdir/$1.json"
}

play() {
    local name=$1 playbook=$2 log="$workdir/$1.log"
    write_vars "$name"
    started=$(date +%s.%N)
    if ! env HOME="$run_home" TMPDIR="$run_tmp" ansible-playbook "$playbook" -i "$inventory" --forks 5 -vvv \
        -e "@$workdir/$name.json" > "$log" 2>&1; then
        echo "FAIL: the $name run failed"
        grep -v -F -e "$password" "$log" | grep -v -E 'MII[A-Za-z0-9_-]{40}' | tail -40
        exit 1
    fi
    seconds=$(python -c "import sys, time; print(round(time.time() - float(sys.argv[1]), 1))" "$started")
}

# check NAME PYTHON-CODE: run checks on the emulator's log (L) and issued tokens (I); remember the tokens.
check() {
    local name=$1 code=$2
    python - "$endpoint" "$seconds" <<PY
import json, math, sys, urllib.request
endpoint, seconds = sys.argv[1], float(sys.argv[2])
L = json.load(urllib.request.urlopen(endpoint + '/_emulator/log'))
I = json.load(urllib.request.urlopen(endpoint + '/_emulator/iam'))
logins = [e for e in L if e['path'] == '/v3/auth/tokens']
api = [e for e in L if e['path'].startswith('/v1/')]
def fail(msg):
    sys.exit('FAIL ($name): ' + msg)
$code
PY
    mapfile -t -O "${#tokens[@]}" tokens < <(python -c "import json, sys, urllib.request
for item in json.load(urllib.request.urlopen(sys.argv[1] + '/_emulator/iam'))['tokens']:
    print(item['token'])" "$endpoint")
}

# 1. One identity, five forks, a loop and a wait each.
start main
play one_identity one_identity.yml
check one_identity "
if len(logins) != 1 or I['tokens_issued'] != 1:
    fail('%d IAM logins for one identity (want 1)' % len(logins))
serials = {e['token_serial'] for e in api}
if serials != {1} or len(api) < 35:
    fail('API requests with tokens %s, %d requests' % (sorted(map(str, serials)), len(api)))
shares = [e for e in api if '/sfs-turbo/shares/' in e['path']]
if len(shares) < 10 or {e['auth'] for e in shares} != {'iam-token'}:
    fail('%d file system requests, authenticated by %s (want 10 or more, all with the one token)' % (len(shares), {e['auth'] for e in shares}))
print('ok: one identity, %d API requests (%d for file systems) from 5 hosts with 1 login (%.1f s)' % (len(api), len(shares), seconds))
"

# 2. Two users and two scopes in one play (same emulator: its log starts afresh).
python -c "import sys, urllib.request; urllib.request.urlopen(urllib.request.Request(sys.argv[1] + '/_emulator/reset', method='POST'))" "$endpoint"
play identities identities.yml
check identities "
by_job = {}
for e in api:
    by_job.setdefault(e['job_id'], set()).add((e['user'], e['token_serial']))
expected_user = {'alice-job': 'emulator-user', 'bob-job': 'bob', 'scope-id-job': 'emulator-user'}
for job, user in expected_user.items():
    seen = by_job.get(job, set())
    if not seen or {u for u, s in seen} != {user}:
        fail('job %s read with the tokens of %s (want only %s)' % (job, sorted(u for u, s in seen), user))
    if len(seen) != 1:
        fail('job %s read with %d tokens (want 1 per identity)' % (job, len(seen)))
tokens = [next(iter(by_job[job]))[1] for job in expected_user]
if len(set(tokens)) != 3:
    fail('the three identities share tokens: %s' % tokens)
if len(logins) != 3:
    fail('%d IAM logins for three identities (want 3)' % len(logins))
print('ok: three identities, three logins, each job read only with its own identity\'s token')
"

# 3. Tokens that expire after 4 s, five forked 14 s waits.
start expiry --token-lifetime 4
play expiry_time expiry.yml
check expiry_time "
refused = [e for e in api if e['status'] == 401]
periods = math.ceil(seconds / 4.0)
if len(logins) < 2:
    fail('%d logins: the waits outlived a token without renewing it' % len(logins))
if len(logins) > periods + 1:
    fail('%d logins in %.1f s with 4 s tokens: renewed more than once per expiry (at most %d)' % (len(logins), seconds, periods + 1))
print('ok: 4 s tokens renewed %d times in %.1f s for 5 hosts (%d refused requests)' % (len(logins) - 1, seconds, len(refused)))
"

# 4. Tokens that IAM revokes after 4 s though their expires_at says 24 h: every host's next request gets a
#    401, and only the first host to see it logs in; the others take its token from the cache.
start revoked --token-revoked-after 4
play expiry_revoked expiry.yml
check expiry_revoked "
refused = [e for e in api if e['status'] == 401]
periods = math.ceil(seconds / 4.0)
if len(refused) < 2:
    fail('%d requests refused: the test did not exercise the 401 path' % len(refused))
if len(logins) > periods + 1:
    fail('%d logins in %.1f s with tokens revoked after 4 s (%d refused requests): more than one re-login per '
         'revoked token (at most %d)' % (len(logins), seconds, len(refused), periods + 1))
print('ok: tokens revoked every 4 s: %d logins in %.1f s for 5 hosts, %d refused requests renewed from the cache'
      % (len(logins), seconds, len(refused)))
"

# 4b. ansible-playbook ended mid-wait by SIGTERM (what an AWX cancel sends) or SIGHUP (a closed terminal):
#     ansible-core runs no exit handler then, so its per-run dir stays; the token cache in it must not
#     (step 5 looks for the tokens these runs got). ansible-core passes no SIGHUP to its workers: host5's
#     worker, held before its action plugin until the signal was sent, must then neither make the cache
#     again nor log in. The order is the test's own (all four waits polled, host5 held, signal, release),
#     and every wait for it is bounded with a wide margin; nothing races.
# alive PID: the process runs (a zombie that no one reaped yet counts as gone).
alive() {
    local state
    state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

for sig in TERM HUP; do
    start "cancel-$sig"
    write_vars "cancel_$sig"
    hold="$workdir/hold-$sig"
    mkdir -p "$hold"
    # SIGHUP as a closing terminal finds it: a run started under nohup (a CI runner may be) inherits
    # SIGHUP ignored, and then ansible-playbook rightly goes on (unit-tested: test_nohup_...). bash cannot
    # reset an ignored signal it inherited, so Python sets the default and execs ansible-playbook (same PID).
    env HOME="$run_home" TMPDIR="$run_tmp" python -c 'import os, signal, sys
signal.signal(signal.SIGHUP, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' ansible-playbook cancel.yml -i "$inventory" --forks 5 \
        -e "@$workdir/cancel_$sig.json" -e "sfs_turbo_cancel_dir=$hold" > "$workdir/cancel_$sig.log" 2>&1 &
    playbook_pid=$!
    # Signalled once the four waits poll with this run's token and host5's worker is held.
    if ! logins_before=$(python - "$endpoint" "$hold/cancel_worker_pid" <<'PY'
import json, os, sys, time, urllib.request
for _ in range(120):
    log = json.load(urllib.request.urlopen(sys.argv[1] + '/_emulator/log'))
    polled = {e.get('job_id') for e in log if e['path'].startswith('/v1/')}
    if {'expiry-host%d' % n for n in range(1, 5)} <= polled and os.path.exists(sys.argv[2]):
        print(sum(1 for e in log if e['path'] == '/v3/auth/tokens'))
        sys.exit(0)
    time.sleep(0.5)
sys.exit(1)
PY
    ); then
        echo "FAIL (cancel $sig): the four waits did not all poll, or host5 was not held, within 60 s"
        touch "$hold/cancel_go"
        kill -KILL "$playbook_pid" 2>/dev/null || true
        exit 1
    fi
    worker_pid=$(cat "$hold/cancel_worker_pid")
    kill -"$sig" "$playbook_pid"
    # ansible-playbook ends by the signal (a run that went on would wait for host5 for ever: bounded here).
    for _ in $(seq 300); do alive "$playbook_pid" || break; sleep 0.1; done
    if alive "$playbook_pid"; then
        echo "FAIL (cancel $sig): ansible-playbook still runs 30 s after SIG$sig"
        touch "$hold/cancel_go"
        kill -KILL "$playbook_pid" 2>/dev/null || true
        exit 1
    fi
    rc=0
    wait "$playbook_pid" || rc=$?
    # Now host5's worker goes on (after SIGTERM ansible-core has ended it already); wait until it is gone.
    touch "$hold/cancel_go"
    for _ in $(seq 600); do alive "$worker_pid" || break; sleep 0.1; done
    if alive "$worker_pid"; then
        echo "FAIL (cancel $sig): host5's worker (PID $worker_pid) still runs 60 s after ansible-playbook ended"
        exit 1
    fi
    left=$(find "$run_tmp" -name sfs_turbo_tokens)
    seconds=0
    check "cancel_$sig" "
if not logins or $logins_before < 1:
    fail('no IAM login before the signal')
if $rc == 0:
    fail('ansible-playbook exited 0: SIG$sig did not end the run')
if len(logins) != $logins_before:
    fail('%d IAM logins after SIG$sig (want none: a worker that outlived the run started a module)' % (len(logins) - $logins_before))
if '$left':
    fail('a token cache directory is there again after SIG$sig: $left')
print('ok: ansible-playbook ended by SIG$sig (exit status $rc) while 4 hosts waited; host5 then started no module, no login, no cache')
"
done

# 5. Nothing left behind: no token in any file under the runs' HOME and TMPDIR or in the output.
if [ "${#tokens[@]}" -lt 5 ]; then
    echo "FAIL: only ${#tokens[@]} tokens issued in all"
    exit 1
fi
leaks=$(printf '%s\n' "${tokens[@]}" | grep -rlF -f - "$run_home" "$run_tmp" "$workdir"/*.log || true)
if [ -n "$leaks" ]; then
    echo "FAIL: files holding a token after the runs:"
    echo "$leaks"
    exit 1
fi
left=$(find "$run_home" "$run_tmp" -name sfs_turbo_tokens)
if [ -n "$left" ]; then
    echo "FAIL: token cache directories left after the runs: $left"
    exit 1
fi
echo "ok: none of the ${#tokens[@]} issued tokens in any file under HOME or TMPDIR or in the -vvv output; no cache left"
