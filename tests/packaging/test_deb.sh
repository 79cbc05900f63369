#!/usr/bin/env bash
# Builds the .deb from this build tree, lists it, unpacks it into a temporary root and runs the
# packaged binary there: --version, and check with the shipped config. Verifies the systemd unit
# with systemd-analyze where it is available. Usage: test_deb.sh BUILD_DIR
set -euo pipefail
build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$build" && cpack -G DEB -B "$tmp/out" >/dev/null)
deb=$(ls "$tmp"/out/relcal_*.deb)
case "$(basename "$deb")" in
  relcal_*_*.deb) ;;
  *) echo "FAIL: not a Debian file name: $deb"; exit 1 ;;
esac
dpkg-deb -c "$deb" > "$tmp/list"
for f in ./usr/bin/relcal ./etc/relcal/relcal.json ./usr/lib/systemd/system/relcal.service \
         ./usr/share/man/man1/relcal.1; do
  grep -q " $f\$" "$tmp/list" || { echo "FAIL: $f missing from the package"; cat "$tmp/list"; exit 1; }
done
dpkg-deb -I "$deb" conffiles | grep -qx /etc/relcal/relcal.json || { echo "FAIL: conffile"; exit 1; }
dpkg-deb -f "$deb" Depends | grep -q libuv1 || { echo "FAIL: shlibdeps"; exit 1; }
if dpkg-deb -f "$deb" Depends | grep -q libasan; then echo "FAIL: sanitizer build packaged"; exit 1; fi
dpkg-deb -x "$deb" "$tmp/root"
"$tmp/root/usr/bin/relcal" --version | grep -q '^relcal [0-9]'
"$tmp/root/usr/bin/relcal" check -c "$tmp/root/etc/relcal/relcal.json" > "$tmp/check.out"
grep -q "is valid" "$tmp/check.out"
if command -v systemd-analyze >/dev/null 2>&1; then
  # Resolve ExecStart against the unpacked binary.
  sed "s#/usr/bin/relcal#$tmp/root/usr/bin/relcal#" \
    "$tmp/root/usr/lib/systemd/system/relcal.service" > "$tmp/relcal.service"
  # The only finding allowed is the man page not being installed on this machine.
  out=$(systemd-analyze verify "$tmp/relcal.service" 2>&1 || true)
  bad=$(echo "$out" | grep -v -e "^$" -e "Command 'man relcal(1)' failed" || true)
  if [ -n "$bad" ]; then
    echo "FAIL: systemd-analyze verify:"
    echo "$bad"
    exit 1
  fi
fi
echo "1 passed, 0 failed"
