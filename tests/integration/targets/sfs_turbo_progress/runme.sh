#!/usr/bin/env bash
# Live progress lines of sfs_turbo_job_wait and sfs_turbo_share_wait, as an operator sees them when ansible-playbook's output
# goes into a pipe (CI logs, `| tee`): every line ansible-playbook prints is timestamped by the reader
# of the pipe when it arrives, so lines that were held back in a buffer until the end would show up
# with the task's own end time.
#
#   1. a 20 s job with progress_interval 5, at -vvvv: at least 3 progress lines arrive while the task
#      runs (the first well before its end), no two more than the interval (plus the reader's tick)
#      apart, and the token appears nowhere;
#   2. progress_interval 0: no progress line at all;
#   3. no_log: true: the lines say only "waiting" and the time, nothing of the job;
#   4. sfs_turbo_share_wait: a creation's lines show its percentage rising, an expansion's the
#      sub_status in words.
# (No "set -x": it would print the token.)
set -eu -o pipefail

token='ProgressCanary-token-3d5f7a9b1c'
project_id=0123456789abcdef0123456789abcdef
workdir=$(mktemp -d)

# The emulator the collection ships (ansible-test puts the collection under ANSIBLE_COLLECTIONS_PATH).
collection_dir="${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/otc_community/sfs_turbo"
# shellcheck source=roles/emulator/files/emulator.sh
source "$collection_dir/roles/emulator/files/emulator.sh"
trap 'stop_emulator "$workdir"; rm -rf "$workdir"' EXIT

endpoint=""  # set by start_emulator
start_emulator "$workdir" python --scenario "$PWD/scenario.json" --project-id "$project_id" --token "$token"

# What the fix is about: a pipe with no help from the environment.
unset PYTHONUNBUFFERED

# run_case NAME JOB_ID INTERVAL NO_LOG [ansible-playbook args...]: run progress.yml into a pipe whose
# reader prefixes each line with the time it arrived (bash's $EPOCHREALTIME), into $workdir/NAME.log.
run_case() {
    local name=$1 job_id=$2 interval=$3 no_log=$4 log="$workdir/$1.log"
    shift 4
    printf '{"sfs_turbo_endpoint": "%s", "sfs_turbo_project_id": "%s", "sfs_turbo_token": "%s", "progress_job_id": "%s", "progress_interval": %s, "progress_no_log": %s}\n' \
        "$endpoint" "$project_id" "$token" "$job_id" "$interval" "$no_log" > "$workdir/$name.json"
    if ! ansible-playbook progress.yml -i "${INVENTORY_PATH:-../../inventory}" -e "@$workdir/$name.json" "$@" 2>&1 \
        | while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done > "$log"; then
        echo "FAIL: the $name run failed"
        grep -v -F -e "$token" "$log" | tail -40
        exit 1
    fi
    grep -q 'failed=0' "$log" || { echo "FAIL: the $name run printed no clean recap"; grep -v -F -e "$token" "$log" | tail -40; exit 1; }
}

# check_live LOG INTERVAL JOB_ID: the progress lines of JOB_ID came while the wait task ran.
check_live() {
    python - "$@" <<'PY'
import re
import sys

log, interval, job_id = sys.argv[1], float(sys.argv[2]), sys.argv[3]
entries = []
with open(log, encoding='utf-8') as handle:
    for raw in handle:
        stamp, dummy, text = raw.rstrip('\n').partition(' ')
        entries.append((float(stamp.replace(',', '.')), text))
banner = next(i for i, (t, text) in enumerate(entries) if text.startswith('TASK [Wait for the job]'))
end = next(t for t, text in entries[banner:] if re.match(r'^ok: \[localhost\]', text))
pattern = re.compile(r'^sfs_turbo_job_wait: localhost: job %s \((bind_ldap|extend_share)\) (waiting|running), '
                     r'sub-jobs \d/\d done, (\d+m)?\d+s elapsed, \d+ polls?$' % re.escape(job_id))
progress = [(t, text) for t, text in entries if text.startswith('sfs_turbo_job_wait:')]
bad = [text for t, text in progress if not pattern.match(text)]
if bad:
    sys.exit('FAIL: progress lines not of the documented form: %r' % bad[:3])
early = [t for t, text in progress if t <= end - 2.0]
print('%d progress lines; arrival before the task result (s): %s'
      % (len(progress), ', '.join('%.1f' % (end - t) for t, text in progress)))
for t, text in progress:
    print('  +%.1f s  %s' % (t - entries[banner][0], text))
if len(early) < 3:
    sys.exit('FAIL: %d progress lines arrived at least 2 s before the task ended; want at least 3 (held back in a buffer?)' % len(early))
if end - progress[0][0] < 10:
    sys.exit('FAIL: the first progress line came only %.1f s before the task ended' % (end - progress[0][0]))
gaps = [later - earlier for (earlier, dummy), (later, dummy2) in zip(progress, progress[1:])]
if max(gaps) > interval + 1.5:
    sys.exit('FAIL: %.1f s between two progress lines, more than progress_interval %s' % (max(gaps), interval))
PY
}

# 1. A 20 s job, progress_interval 5, at -vvvv.
run_case live job-progress-20s 5 false -vvvv
check_live "$workdir/live.log" 5 job-progress-20s
if grep -q -F -- "$token" "$workdir/live.log"; then
    echo "FAIL: the token appears $(grep -c -F -- "$token" "$workdir/live.log") times in the -vvvv output"
    exit 1
fi
echo "ok: live progress lines, no secret in $(wc -l < "$workdir/live.log") lines of -vvvv output"

# 2. progress_interval 0: no lines.
run_case off job-progress-6s 0 false
if grep -q 'sfs_turbo_job_wait:' "$workdir/off.log"; then
    echo "FAIL: progress lines with progress_interval 0:"
    grep 'sfs_turbo_job_wait:' "$workdir/off.log"
    exit 1
fi
echo "ok: no progress line with progress_interval 0"

# 3. no_log: only "waiting" and the time.
run_case nolog job-progress-nolog 1 true
lines=$(grep -c 'sfs_turbo_job_wait:' "$workdir/nolog.log" || true)
if [ "$lines" -lt 2 ]; then
    echo "FAIL: $lines progress lines under no_log, want at least 2"
    exit 1
fi
if grep 'sfs_turbo_job_wait:' "$workdir/nolog.log" | grep -v -E ' sfs_turbo_job_wait: localhost: waiting, [0-9hms]+ elapsed$'; then
    echo "FAIL: a progress line under no_log says more than 'waiting' (above)"
    exit 1
fi
if grep -E 'job-progress-nolog|bind_ldap|sub-jobs|polls?\b|running' "$workdir/nolog.log" | grep -v -F 'progress_job_id'; then
    echo "FAIL: a job field in the no_log output (above)"
    exit 1
fi
echo "ok: $lines no_log progress lines, none with a job field"

# 4. File systems: a 12 s creation shows how far it is, an expansion its sub_status in words.
log="$workdir/share.log"
printf '{"sfs_turbo_endpoint": "%s", "sfs_turbo_project_id": "%s", "sfs_turbo_token": "%s"}\n' "$endpoint" "$project_id" "$token" > "$workdir/share.json"
if ! ansible-playbook progress_share.yml -i "${INVENTORY_PATH:-../../inventory}" -e "@$workdir/share.json" -vvvv > "$log" 2>&1 \
        || ! grep -q 'failed=0' "$log"; then
    echo "FAIL: the share run failed"
    grep -v -F -e "$token" "$log" | tail -40
    exit 1
fi
python - "$log" <<'PY'
import re
import sys

lines = [line.rstrip('\n') for line in open(sys.argv[1], encoding='utf-8') if line.startswith('sfs_turbo_share_wait:')]
tail = r', (\d+m)?\d+s elapsed, \d+ polls?$'
create = re.compile(r'^sfs_turbo_share_wait: localhost: file system share-progress-create-12s \(create\) '
                    r'creating \(status 100\), (\d+)% done' + tail)
expand = re.compile(r'^sfs_turbo_share_wait: localhost: file system share-progress-expand \(expand\) available \(status 200\)'
                    r'(, expanded \(sub_status 221\)|, expanding \(sub_status 121\))' + tail)
# Before its first answer a wait may say so (a loaded controller's first poll can take longer than progress_interval);
# after it, never: every later line shows the last answer.
waiting = re.compile(r'^sfs_turbo_share_wait: localhost: file system (share-progress-create-12s \(create\)|share-progress-expand \(expand\)): '
                     r'no answer yet, (\d+m)?\d+s elapsed$')
answered = set()
bad = []
for line in lines:
    match = create.match(line) or expand.match(line)
    if match:
        answered.add('create' if match.re is create else 'expand')
    elif not (waiting.match(line) and waiting.match(line).group(1).rsplit('(', 1)[1].rstrip(')') not in answered):
        bad.append(line)
lines = [line for line in lines if not waiting.match(line)]
if bad:
    sys.exit('FAIL: file-system progress lines not of the documented form: %r' % bad[:3])
percents = [int(create.match(line).group(1)) for line in lines if create.match(line)]
if len(percents) < 3 or percents != sorted(percents) or percents[-1] <= percents[0]:
    sys.exit('FAIL: the creation lines do not show it advancing: %r' % percents)
if not any('expanding (sub_status 121)' in line for line in lines):
    sys.exit('FAIL: no line showed the expansion running: %r' % lines)
print('ok: %d file-system progress lines, creation at %s %%' % (len(lines), percents))
PY
if grep -q -F -- "$token" "$log"; then
    echo "FAIL: the token appears in the -vvvv output of the share run"
    exit 1
fi
