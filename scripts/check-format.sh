#!/usr/bin/env bash
# Every C file of the repository (outside build directories) is as clang-format 14 formats it
# with the repository's .clang-format. Prints the files that are not and exits 1 if any; fix
# with `clang-format -i FILE`. Run by ctest (test lint_format) and so by ./scripts/test.sh.
#   scripts/check-format.sh [source-dir]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
cf=$(command -v clang-format-14 || command -v clang-format || true)
if [ -z "$cf" ]; then
    echo "check-format: clang-format not found (./scripts/setup.sh installs it)"
    exit 1
fi
bad=0
n=0
while IFS= read -r f; do
    n=$((n + 1))
    if ! "$cf" --dry-run --Werror "$f" >/dev/null 2>&1; then
        echo "check-format: $f is not formatted (clang-format -i $f)"
        bad=$((bad + 1))
    fi
done < <(find . \( -path './build*' -o -path './.git' -o -name node_modules \) -prune -o \
    \( -name '*.c' -o -name '*.h' \) -type f -print | sort)
if [ "$bad" -ne 0 ]; then
    echo "check-format: FAILED: $bad of $n files"
    exit 1
fi
echo "check-format: $n files formatted"
