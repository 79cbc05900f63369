#!/bin/sh
# Fails when the archive given (the policy library) does file, environment, clock, database,
# loop or network I/O, or has mutable global state: policy/ is pure (docs/ARCHITECTURE.md
# "Layers"), so zones come in as bytes and are resolved by config/. Checks the objects, not the
# sources: nm for the functions they call, objdump for objects in writable sections (.data,
# .bss, thread-local; read-only tables such as .rodata and .data.rel.ro are fine).
# Every further archive given (the libraries that render or decide: calendar, page, notifiers,
# scheduler, server, ...) must not resolve a zone by name either: they use the zone the config
# resolved at load (policy_project.zone), so no render looks a zone up.
# Usage: scripts/check-policy-pure.sh POLICY_LIB [LIB...]   (the ctest lint_policy_pure)
set -eu
lib=$1
shift
banned='^(fopen|fopen64|fdopen|freopen|fread|fwrite|fgets|fgetc|getc|fscanf|fclose|open|open64|openat|creat|read|pread|write|close|opendir|readdir|stat|stat64|lstat|fstat|access|readlink|mmap|getenv|secure_getenv|setenv|putenv|tzset|time|clock_gettime|gettimeofday|localtime_r|mktime|dlopen|socket|connect|system|popen|sqlite3_.*|uv_.*|curl_.*|icaltimezone_get_builtin_timezone.*|icaltimezone_set_zone_directory|set_zone_directory|icaltimezone_free_builtin_timezones|policy_zone_get|policy_zone_exists)$'
calls=$(nm -u "$lib" | awk 'NF {print $NF}' | grep -E "$banned" | sort -u || true)
state=$(objdump -t "$lib" | awk '
    / file format / { obj = $1 }
    # The sanitizers add their own bookkeeping (__odr_asan.*, __asan_*, __ubsan_*): not ours.
    $NF ~ /^(__odr_asan|__asan_|__ubsan_|__sancov_|\.L)/ { next }
    / O / || /\*COM\*/ {
        for (i = 1; i <= NF; i++)
            if ($i ~ /^(\.data|\.bss|\.tdata|\.tbss|\*COM\*)(\..*)?$/ && $i !~ /rel\.ro/)
                print "  " obj " " $NF " (" $i ")"
    }')
rc=0
if [ -n "$calls" ]; then
    echo "check-policy-pure: $lib calls functions that do I/O or read the clock or environment:" >&2
    echo "$calls" | sed 's/^/  /' >&2
    rc=1
fi
if [ -n "$state" ]; then
    echo "check-policy-pure: $lib has mutable global or static state:" >&2
    echo "$state" >&2
    rc=1
fi
for other in "$@"; do
    lookups=$(nm -u "$other" | awk 'NF {print $NF}' | grep -E '^(config_zone_load|policy_zone_new)$' |
              sort -u || true)
    if [ -n "$lookups" ]; then
        echo "check-policy-pure: $other resolves zones itself (use policy_project.zone):" >&2
        echo "$lookups" | sed 's/^/  /' >&2
        rc=1
    fi
done
[ $rc -eq 0 ] && echo "check-policy-pure: $lib: no I/O, no mutable state; $# libraries use resolved zones"
exit $rc
