#!/usr/bin/env bash
# make docs: build the HTML docsite (both modules, every guide, the changelog) with antsibull-docs
# and Sphinx into build/docs/html.
#
#   hack/build-docs.sh COLLECTIONS_ROOT OUT_DIR
#
# COLLECTIONS_ROOT holds ansible_collections/otc_community/sfs_turbo (the staged copy).
# Links into docs.ansible.com need the network (intersphinx), so Sphinx warnings are printed
# but not fatal here; `make test` gates the docs with antsibull-docs lint-collection-docs.
set -euo pipefail

collections_root=${1:?usage: build-docs.sh COLLECTIONS_ROOT OUT_DIR}
out=${2:?usage: build-docs.sh COLLECTIONS_ROOT OUT_DIR}
src="$out/src"

rm -rf -- "$out"
mkdir -p -- "$src"
chmod 700 "$src"  # antsibull-docs wants a directory only its owner can write

export ANSIBLE_COLLECTIONS_PATH="$collections_root"
antsibull-docs sphinx-init --use-current --dest-dir "$src" otc_community.sfs_turbo >/dev/null
mkdir -p "$src/rst"
chmod og-w "$src/rst"
antsibull-docs --config-file "$src/antsibull-docs.cfg" collection --cleanup everything --use-current \
    --dest-dir "$src/rst" otc_community.sfs_turbo
sphinx-build -q -b html "$src/rst" "$out/html" -c "$src"
echo "docsite: $out/html/collections/otc_community/sfs_turbo/index.html"
