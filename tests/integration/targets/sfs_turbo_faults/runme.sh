#!/usr/bin/env bash
# The truth under faults and cancellation, with real ansible-playbook runs against the emulator on
# 127.0.0.1 (see faults_suite.py): an outage in the middle of a wait, a throttled IAM login, a refused
# endpoint, escape sequences from the server, Ctrl-C and SIGTERM, a SIGKILLed ansible-playbook.
set -eu -o pipefail
exec python faults_suite.py
