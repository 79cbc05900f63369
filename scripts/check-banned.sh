#!/usr/bin/env bash
# Banned functions (HACKING.md "Conventions"): unbounded copies and formats (strcpy,
# strcat, sprintf, vsprintf, gets, stpcpy), the n-variants that truncate without telling or do
# not terminate (strncpy, strncat, stpncpy), conversions that cannot report an error (atoi,
# atol, atoll, atof), and the libc calls that return static storage or race (asctime, ctime,
# gmtime, localtime, tmpnam, mktemp, strtok). Use snprintf, struct buf, strtol/strtoll with an
# end check, gmtime_r, mkstemp. Checks every C file of the repository (tests and fuzz targets
# too) outside build directories; prints file:line for each use and exits 1 if there is any.
# Run by ctest (test lint_banned) and so by ./scripts/test.sh.
#   scripts/check-banned.sh [source-dir]
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
banned='strcpy|strcat|sprintf|vsprintf|gets|stpcpy|strncpy|strncat|stpncpy|atoi|atol|atoll|atof'
banned+='|asctime|ctime|gmtime|localtime|tmpnam|mktemp|strtok'
files=$(find . \( -path './build*' -o -path './.git' -o -name node_modules \) -prune -o \
    \( -name '*.c' -o -name '*.h' \) -type f -print | sort)
# A call: the name not preceded by an identifier character, then "(". Comment lines (starting
# with /*, * or //) are skipped.
hits=$(grep -nE "(^|[^A-Za-z0-9_])($banned)[[:space:]]*\(" $files |
    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(/\*|\*|//)' || true)
# json_pack goes through core/json.h's checked wrapper (a macro): a file calling it includes
# that header itself.
for f in $(grep -lE "(^|[^A-Za-z0-9_])json_pack[[:space:]]*\(" $files || true); do
    case "$f" in ./core/json.[ch]) continue ;; esac
    grep -q '#include "core/json.h"' "$f" ||
        hits+=$'\n'"$f: calls json_pack without #include \"core/json.h\" (the checked wrapper)"
done
hits=${hits#$'\n'}
if [ -n "$hits" ]; then
    echo "$hits"
    echo "check-banned: FAILED: banned functions above (see the comment in $0 for replacements)"
    exit 1
fi
echo "check-banned: $(echo "$files" | wc -l) files, no banned function"
