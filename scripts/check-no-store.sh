#!/bin/sh
# Fails when the archive given (the server library) refers to a store_* function: the server
# reaches state only through sched_* (docs/ARCHITECTURE.md "Layers"). Run by the build.
set -eu
syms=$(nm -u "$1" | awk '{print $NF}' | grep '^store_' || true)
if [ -n "$syms" ]; then
    echo "check-no-store: $1 calls the store directly:" >&2
    echo "$syms" | sed 's/^/  /' >&2
    exit 1
fi
