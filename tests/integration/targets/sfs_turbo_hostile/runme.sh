#!/usr/bin/env bash
# Hostile servers on 127.0.0.1 against the real modules (see hostile_suite.py): trickled and
# stalled answers, huge, endless and gzip-bomb bodies, crafted redirects, malformed JSON, odd
# statuses, secrets echoed back, AK/SK signing of an encoded path, TLS failures, a wrong path.
# All cases run one after another in one ansible-playbook (a play and an inventory host per case); each
# is bounded by a task timeout of --cap seconds, the run by the cases' expected seconds plus a margin.
# The servers stop with the suite.
set -eu -o pipefail
# ansible-test passes its verbosity (-v); the suite always runs ansible-playbook at -vvvv itself.
exec python hostile_suite.py --cap 60
