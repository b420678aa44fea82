#!/usr/bin/env bash
# make import-check: galaxy-importer, the importer Galaxy and Automation Hub run on an upload, on the
# built tarball. Fails when it fails, and on any ERROR or WARNING line it logs (a role without a
# README, a plugin ansible-doc cannot read, an ansible-lint finding, a missing changelog, ...).
#
#   [VENV_BIN=<virtualenv>/bin] hack/import-check.sh DIST_DIR
set -euo pipefail
# shellcheck source=hack/lib.sh
source "$(dirname "$0")/lib.sh"

dist=$(cd "${1:?usage: import-check.sh DIST_DIR}" && pwd)
tarball=$(ls "$dist"/otc_community-sfs_turbo-*.tar.gz)
work=$repo/build/import-check
rm -rf "$work"
mkdir -p "$work/tmp"

# ansible-doc and ansible-lint must be found on PATH, or the importer skips them with a warning.
export PATH="$venv_bin:$PATH" GALAXY_IMPORTER_CONFIG=$repo/hack/galaxy-importer.cfg
export GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP=$work/tmp GALAXY_IMPORTER_TMP_ROOT_DIR=$work/tmp
echo "import-check: galaxy-importer $("$venv_bin/python" -c 'import importlib.metadata as m; print(m.version("galaxy-importer"))') on $(basename "$tarball")"
status=0
(cd "$work" && "$venv_bin/python" -m galaxy_importer.main "$tarball") > "$work/importer.log" 2>&1 || status=$?
cat "$work/importer.log"
if [ "$status" -ne 0 ]; then
    echo "import-check: FAIL: galaxy-importer exited with $status" >&2
    exit 1
fi
if grep -E '^(ERROR|WARNING)' "$work/importer.log" >&2; then
    echo "import-check: FAIL: galaxy-importer reported the lines above" >&2
    exit 1
fi
grep -q 'Importer processing completed successfully' "$work/importer.log" \
    || { echo "import-check: FAIL: galaxy-importer did not say it completed" >&2; exit 1; }
# Galaxy and Automation Hub render the READMEs outside the repository: a relative link is a dead link
# there (Automation Hub's certification rules forbid them).
mkdir -p "$work/unpacked"
tar -C "$work/unpacked" -xzf "$tarball"
relative=$(cd "$work/unpacked" && find . -name README.md -exec grep -HnoE '\]\([^)]*\)' {} + | grep -vE '\]\((https?://|mailto:|#)' || true)
if [ -n "$relative" ]; then
    echo "$relative" >&2
    echo "import-check: FAIL: the links above are not full URLs" >&2
    exit 1
fi
echo "import-check: ok"
