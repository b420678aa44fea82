#!/usr/bin/env bash
# Copy the collection into <build dir>/ansible_collections/<namespace>/<name>/ for ansible-test.
#
#   hack/stage-collection.sh SRC_DIR STAGE_DIR
#
# ansible-test needs the collection at .../ansible_collections/<ns>/<name>/ and refuses a
# symlinked path, so this makes a real copy. It copies what `git ls-files -co --exclude-standard`
# lists (tracked files plus untracked files that are not git-ignored, so uncommitted work is tested
# too), minus tracked files deleted from the work tree, after wiping the old stage.
#
# The stage then gets its own throwaway `git init` (no commits, nothing added). Without it,
# ansible-test and ansible-lint would walk up to the source repo's .git, where the stage lies under
# the git-ignored build/ directory, and would see no files at all. With it, both list the stage's
# files exactly as in a fresh clone: non-ignored files, honouring the copied .gitignore.
set -euo pipefail

src=${1:?usage: stage-collection.sh SRC_DIR STAGE_DIR}
stage=${2:?usage: stage-collection.sh SRC_DIR STAGE_DIR}

src=$(cd "$src" && pwd -P)
if ! git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "stage-collection: $src is not a git work tree" >&2
    exit 1
fi
top=$(git -C "$src" rev-parse --show-toplevel)
if [[ "$(cd "$top" && pwd -P)" != "$src" ]]; then
    echo "stage-collection: $src is not the root of its git work tree ($top)" >&2
    exit 1
fi

case "$stage" in
    */ansible_collections/*/*) ;;
    *) echo "stage-collection: refusing to stage into $stage (not under ansible_collections/<ns>/<name>)" >&2; exit 1 ;;
esac

rm -rf -- "$stage"
mkdir -p -- "$stage"

# The pathspec excludes keep the venv, the stage and test output out even if .gitignore forgets them.
# `-- .` is needed for the excludes to apply. Tracked-but-deleted files are dropped (tar would fail on them).
git -C "$src" ls-files -z --cached --others --exclude-standard -- . \
        ':(exclude).venv' ':(exclude).venv-matrix' ':(exclude)build' ':(exclude)tests/output' \
    | (cd "$src" && while IFS= read -r -d '' f; do
           if [[ -e "$f" || -L "$f" ]]; then printf '%s\0' "$f"; fi
       done) \
    | tar -C "$src" --null --no-recursion -T - -cf - \
    | tar -C "$stage" -xf -

count=$(find "$stage" -type f -o -type l | wc -l)

git -C "$stage" init -q
# Belt and braces: ansible-test writes tests/output/ (incl. the --venv virtualenv) inside the stage;
# it must never be linted as part of the collection, whatever .gitignore says.
printf '%s\n' 'tests/output/' '.ansible/' >> "$stage/.git/info/exclude"

echo "Staged $count files from $src into $stage"
