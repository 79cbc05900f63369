#!/usr/bin/env bash
# Sets up (Debian packages), builds, and runs relcal on the embedded default's settings, read
# from packaging/local.json and passed explicitly with -c, so neither ./relcal.json nor an
# installed package's /etc/relcal/relcal.json (the lookup chain without -c) is used. Extra arguments go to the
# command (default: serve); a -c of your own wins.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
dir=$(./scripts/build.sh)
if [ $# -eq 0 ]; then
  set -- serve
fi
case "$1" in
  serve | check | next | feed)
    explicit=no
    for a in "$@"; do
      case "$a" in -c | -c* | --config | --config=*) explicit=yes ;; esac
    done
    if [ "$explicit" = no ]; then
      cmd=$1
      shift
      set -- "$cmd" -c packaging/local.json "$@"
    fi
    ;;
esac
exec "$dir/relcal" "$@"
