#!/usr/bin/env bash
# The layer check (docs/ARCHITECTURE.md "Layers"): every #include in a module's .c and .h files
# against the folder table of docs/ARCHITECTURE.md, whose last column says what each folder may
# include (module folders and libraries; libc and POSIX headers are always allowed). Also: a
# folder's internal headers (internal.h, *_internal.h) are its own, every top-level folder
# with C sources has a row, the Layers diagram draws the same edges as the table, and each
# library's link line (its CMakeLists.txt) names only folders its row allows. Prints each violation as file:line and exits 1 if there is any.
# Run by ctest (test lint_layers) and so by ./scripts/test.sh.
#   scripts/check-layers.sh [source-dir]
set -euo pipefail
root=${1:-$(dirname "$0")/..}
cd "$root"
doc=docs/ARCHITECTURE.md
# Folders whose includes are not checked: tests and fuzz targets may reach any header.
unchecked=" tests fuzz bench "
libs=" libc POSIX jansson uv libical curl zlib sqlite3 OpenSSL gpgme llhttp "

declare -A allowed
folders=()
while IFS=$'\t' read -r folder may; do
    folders+=("$folder")
    allowed[$folder]=" $folder "
    may=$(echo "$may" | sed 's/([^)]*)//g') # remarks in parentheses
    IFS=',' read -ra items <<<"$may"
    for it in "${items[@]}"; do
        it=$(echo "$it" | tr -d '` ' | sed 's,/$,,')
        [ -n "$it" ] && allowed[$folder]+="$it "
    done
done < <(awk -F'|' '/^\| `[a-z]+\/` \|/ {
            f = $2; gsub(/[` \/]/, "", f); m = $(NF - 1); print f "\t" m }' "$doc")

fail=0
violation() {
    echo "check-layers: $*"
    fail=1
}

if [ "${#folders[@]}" -eq 0 ]; then
    violation "$doc: no folder table found"
    exit 1
fi
for f in "${folders[@]}"; do
    for it in ${allowed[$f]}; do
        if [[ ! " ${folders[*]} " == *" $it "* && "$libs" != *" $it "* ]]; then
            violation "$doc: $f's row names '$it', neither a folder of the table nor a library"
        fi
    done
done
for d in */; do
    d=${d%/}
    [[ "$unchecked" == *" $d "* ]] && continue
    compgen -G "$d/*.c" >/dev/null || continue
    [[ " ${folders[*]} " == *" $d "* ]] || violation "$d/: C sources but no row in $doc"
done

# The diagram of the "Layers" section: one line per folder or group of folders,
# "a, b ──► c, d   remark" ("-" for none). Modulo core and policy (which every folder above them
# may include), each folder's arrows are exactly the folders of its row.
declare -A drawn
while IFS=$'\t' read -r left right; do
    for f in ${left//,/ }; do
        drawn[$f]=" "
        for it in ${right//,/ }; do
            [ "$it" = "-" ] || drawn[$f]+="$it "
        done
    done
done < <(awk '/^## Layers/ { sec = 1 } sec && /^```/ { n++; next } sec && n == 1' "$doc" |
    sed -nE 's/^([a-z, ]+[a-z]) +──► +(-|[a-z]+(, [a-z]+)*)( .*)?$/\1\t\2/p')
modulo() { # the folders of a list, without core, policy and $2, sorted
    for it in $1; do
        [[ " ${folders[*]} " == *" $it "* && "$it" != core && "$it" != policy && "$it" != "$2" ]] &&
            echo "$it"
    done | sort | tr '\n' ' '
}
for f in "${folders[@]}"; do
    if [ -z "${drawn[$f]+x}" ]; then
        violation "$doc: the Layers diagram has no line for $f"
    elif [ "$(modulo "${drawn[$f]}" "$f")" != "$(modulo "${allowed[$f]}" "$f")" ]; then
        violation "$doc: the diagram draws $f ──► $(modulo "${drawn[$f]}" "$f")but its row allows $(modulo "${allowed[$f]}" "$f")"
    fi
done

# Each library links only folders its row allows (cli/ builds the executable `relcal`).
for f in "${folders[@]}"; do
    [ -f "$f/CMakeLists.txt" ] || continue
    for dep in $(sed 's/#.*//' "$f/CMakeLists.txt" | grep -oE 'relcal_[a-z]+' | sed 's/^relcal_//' |
        sort -u); do
        [[ " ${folders[*]} " == *" $dep "* ]] || continue # relcal_warnings, relcal_fuzz_app
        [[ "${allowed[$f]}" == *" $dep "* ]] ||
            violation "$f/CMakeLists.txt: links relcal_$dep, which its row does not allow"
    done
done

# The library a system header belongs to; libc for the rest.
lib_of() {
    case "$1" in
    jansson.h) echo jansson ;;
    uv.h | uv/*) echo uv ;;
    libical/*) echo libical ;;
    curl/*) echo curl ;;
    zlib.h) echo zlib ;;
    sqlite3.h) echo sqlite3 ;;
    openssl/*) echo OpenSSL ;;
    gpgme.h) echo gpgme ;;
    llhttp.h) echo llhttp ;;
    *) echo libc ;;
    esac
}

for f in "${folders[@]}"; do
    [ -d "$f" ] || continue
    while IFS= read -r hit; do
        file=${hit%%:*}
        rest=${hit#*:}
        line=${rest%%:*}
        inc=$(echo "${rest#*:}" | sed -E 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*//')
        case "$inc" in
        \"*\")
            h=${inc:1:-1}
            mod=${h%%/*}
            if [ "$mod" = "$h" ]; then
                violation "$file:$line: $inc: module headers are included as \"folder/name.h\""
            elif [[ " ${folders[*]} " != *" $mod "* ]]; then
                violation "$file:$line: $inc: $mod/ is not a folder of the layer table"
            elif [[ "${allowed[$f]}" != *" $mod "* ]]; then
                violation "$file:$line: $inc: $f/ may not include $mod/ (it may include:${allowed[$f]})"
            elif [ "$mod" != "$f" ] && [[ "$h" == */internal.h || "$h" == *_internal.h ]]; then
                violation "$file:$line: $inc: internal to $mod/"
            fi
            ;;
        \<*\>)
            lib=$(lib_of "${inc:1:-1}")
            if [ "$lib" != libc ] && [[ "${allowed[$f]}" != *" $lib "* ]]; then
                violation "$file:$line: $inc: $f/ may not use $lib (it may include:${allowed[$f]})"
            fi
            ;;
        *)
            violation "$file:$line: cannot read this #include"
            ;;
        esac
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include' "$f"/*.c "$f"/*.h 2>/dev/null || true)
done

# A function a module's internal.h declares is shared between that module's files only: it is
# named module__name (HACKING.md "Names"), so a reader sees at once that it is not public.
for h in */internal.h */*_internal.h; do
    while IFS=: read -r line name; do
        violation "$h:$line: $name: a module-internal function is named ${h%%/*}__name"
    done < <(grep -nE '^[a-z][a-z0-9_ ]*[ *]+[a-z][a-z0-9_]*\(' "$h" |
        sed -E 's/^([0-9]+):.*[ *]([a-z][a-z0-9_]*)\(.*/\1:\2/' | grep -v '__' || true)
done

if [ "$fail" -ne 0 ]; then
    echo "check-layers: FAILED (fix the include, or change the table in $doc with the design)"
    exit 1
fi
echo "check-layers: ${#folders[@]} folders, every #include within its layer"
