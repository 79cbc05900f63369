#!/usr/bin/env bash
# The Debian package, built the Debian way (docs/OPERATIONS.md "Install"):
#  1. dpkg-buildpackage from a copy of the source tree (nocheck, parallel), with a -dbgsym
#     package; lintian reports nothing (errors, warnings, info, pedantic);
#  2. the files, the stripped binary, the conffile, the unit (systemd-analyze verify) and the
#     man page (the unit path as installed, every option of every command);
#  3. dpkg -i for real (as root): the system user relcal, the state and log directories and
#     their modes, the unit enabled; the service run as systemd would run it (user relcal,
#     UMask=0027, the shipped config) writes its feed export, and nginx started from Debian's
#     package with the shipped example (only listen, certificates and the upstream port
#     changed) serves the export as www-data; team.log is readable by group adm;
#     ./scripts/run.sh still starts on its local config although /etc/relcal/relcal.json exists;
#  4. dpkg -r keeps the state and the config, dpkg --purge deletes them and the enablement.
# When systemd is not PID 1 (containers), the postinst cannot start the unit and the prerm
# cannot stop it: step 3 then starts relcal the way the unit does and says so.
# Usage: test_deb.sh BUILD_DIR (run serially by CTest: it installs the package system-wide)
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
chmod 755 "$tmp"
installed=no
user_before=no
getent passwd relcal >/dev/null && user_before=yes
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -f "$tmp/nginx/nginx.pid" ]; then kill "$(cat "$tmp/nginx/nginx.pid")" 2>/dev/null || true; fi
  if [ "$installed" = yes ]; then
    dpkg --purge relcal >/dev/null 2>&1 || true
    if [ "$user_before" = no ]; then
      userdel relcal 2>/dev/null || true
      groupdel relcal 2>/dev/null || true
    fi
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
fail() { echo "FAIL: $*"; exit 1; }
passed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }

# 1. Build.
mkdir "$tmp/src"
tar -C "$src" --exclude=./.git --exclude=./build --exclude='./build-*' --exclude='./obj-*' \
    --exclude=./debian/relcal --exclude=./debian/tmp --exclude=./debian/.debhelper \
    --exclude='./relcal.db*' --exclude=./relcal.json --exclude=./bench/out -cf - . |
  tar -C "$tmp/src" -xf -
if ! (cd "$tmp/src" &&
      DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" dpkg-buildpackage -us -uc -b \
        >"$tmp/build.log" 2>&1); then
  tail -n 40 "$tmp/build.log"
  fail "dpkg-buildpackage"
fi
deb=$(ls "$tmp"/relcal_*_*.deb)
dbgsym=$(ls "$tmp"/relcal-dbgsym_*_*.deb) || fail "no -dbgsym package"
ok "dpkg-buildpackage: $(basename "$deb") $(basename "$dbgsym")"
lint=$(lintian -I --pedantic "$tmp"/relcal_*_*.changes 2>/dev/null) || fail "lintian: $lint"
[ -z "$lint" ] || fail "lintian:
$lint"
ok "lintian clean (-I --pedantic)"

# 2. Contents.
dpkg-deb -c "$deb" >"$tmp/list"
unit=/lib/systemd/system/relcal.service
for f in /usr/bin/relcal /etc/relcal/relcal.json $unit /usr/share/man/man1/relcal.1.gz \
         /usr/lib/sysusers.d/relcal.conf /usr/lib/tmpfiles.d/relcal.conf \
         /usr/share/doc/relcal/copyright /usr/share/doc/relcal/changelog.gz \
         /usr/share/doc/relcal/examples/nginx-relcal.conf; do
  grep -q " \.$f\$" "$tmp/list" || { cat "$tmp/list"; fail "$f missing from the package"; }
done
dpkg-deb -I "$deb" conffiles | grep -qx /etc/relcal/relcal.json || fail "conffile"
depends=$(dpkg-deb -f "$deb" Depends)
[[ $depends == *libuv1* ]] || fail "shlibdeps: $depends"
[[ $depends == *libgpgme11* && $depends == *gpg-agent* ]] || fail "OpenPGP depends: $depends"
[[ $depends == *libasan* ]] && fail "sanitizer build packaged"
dpkg-deb -x "$deb" "$tmp/root"
readelf -S "$tmp/root/usr/bin/relcal" >"$tmp/sections"
grep -q '\.debug_info' "$tmp/sections" && fail "binary not stripped"
grep -q '\.gnu_debuglink' "$tmp/sections" || fail "no debug link to the -dbgsym package"
dpkg-deb -c "$dbgsym" >"$tmp/dbglist"
grep -q '/usr/lib/debug/.build-id/.*\.debug$' "$tmp/dbglist" || fail "dbgsym empty"
"$tmp/root/usr/bin/relcal" --version | grep -q '^relcal [0-9]' || fail "--version"
ok "files, conffile, stripped binary, symbols in -dbgsym"
if command -v systemd-analyze >/dev/null 2>&1; then
  # Resolve ExecStart against the unpacked binary; the only finding allowed is the man page
  # not being installed on this machine yet.
  sed "s#/usr/bin/relcal#$tmp/root/usr/bin/relcal#" "$tmp/root$unit" >"$tmp/relcal.service"
  out=$(systemd-analyze verify "$tmp/relcal.service" 2>&1 || true)
  bad=$(echo "$out" | grep -v -e "^$" -e "Command 'man relcal(1)' failed" || true)
  [ -z "$bad" ] || fail "systemd-analyze verify: $bad"
  ok "systemd-analyze verify"
fi
zcat "$tmp/root/usr/share/man/man1/relcal.1.gz" >"$tmp/relcal.1"
grep -qF "$unit" "$tmp/relcal.1" || fail "the man page does not name $unit"
# Every option a command's help names (its usage line and its option lines) has an entry in
# the OPTIONS section (".BI \-p" or ".B \-\-json").
sed -n '/^\.SH OPTIONS/,/^\.SH ENVIRONMENT/p' "$tmp/relcal.1" >"$tmp/options.1"
for cmd in serve check next feed score token issues releases deliveries; do
  "$tmp/root/usr/bin/relcal" help "$cmd" >"$tmp/help" || fail "help $cmd"
  for opt in $( (sed -n 's/^usage: //p' "$tmp/help" | grep -oE '\[(-[a-zA-Z]|--[a-z-]+)' | tr -d '['
                 grep -oE '^ +(-[a-zA-Z]|--[a-z-]+)' "$tmp/help" | tr -d ' ') | sort -u); do
    grep -qE "^\.BI? ${opt//-/\\\\-}( |\$)" "$tmp/options.1" ||
      fail "man page: $cmd $opt is not in OPTIONS"
  done
done
ok "man page: unit path as installed, every option of every command"

# 3. Install for real.
if [ "$(id -u)" -ne 0 ]; then
  echo "skip: not root, the package is not installed (steps 3 and 4)"
  echo "$passed passed, 0 failed"
  exit 0
fi
if dpkg-query -W -f='${Status}' relcal 2>/dev/null | grep -q 'ok installed'; then
  fail "relcal is already installed on this machine; remove it to run this test"
fi
installed=yes
dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -i"; }
getent passwd relcal | grep -q ':/var/lib/relcal:' || fail "system user relcal"
st() { stat -c '%a %U %G' "$1"; }
[ "$(st /var/lib/relcal)" = "751 relcal relcal" ] || fail "/var/lib/relcal: $(st /var/lib/relcal)"
[ "$(st /var/lib/relcal/export)" = "755 relcal relcal" ] || fail "export: $(st /var/lib/relcal/export)"
[ "$(st /var/lib/relcal/gnupg)" = "700 relcal relcal" ] || fail "GnuPG home: $(st /var/lib/relcal/gnupg)"
[ "$(st /var/log/relcal)" = "2750 relcal adm" ] || fail "/var/log/relcal: $(st /var/log/relcal)"
[ -L /etc/systemd/system/multi-user.target.wants/relcal.service ] || fail "unit not enabled"
ok "dpkg -i: user relcal, state 0751, export 0755, GnuPG home 0700, logs 2750 relcal:adm, unit enabled"
as_relcal() { setpriv --reuid=relcal --regid=relcal --init-groups -- "$@"; }
as_relcal relcal check -c /etc/relcal/relcal.json >"$tmp/check.out" 2>&1 ||
  fail "check of the shipped config as relcal: $(cat "$tmp/check.out")"
grep -q "static feed export to /var/lib/relcal/export" "$tmp/check.out" || fail "check output"
ok "relcal check of the shipped config as user relcal"

# relcal serve as relcal.service runs it (user, umask, working directory, command line).
serve() {
  (cd /var/lib/relcal && umask 0027 &&
   exec setpriv --reuid=relcal --regid=relcal --init-groups -- \
     relcal serve -c /etc/relcal/relcal.json --db /var/lib/relcal/relcal.db \
       --listen "127.0.0.1:$rport" "${@:2}") 2>"$1" &
  pids+=($!)
}
stop_serve() {
  for p in "${pids[@]}"; do kill "$p"; wait "$p" || true; done
  pids=()
}
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
rport=$(port)
if [ -d /run/systemd/system ]; then
  systemctl is-active --quiet relcal || fail "the postinst did not start relcal"
  ok "systemd runs: the postinst started relcal"
  rport=8080
else
  echo "note: systemd is not PID 1 here: the postinst's start and the prerm's stop are not" \
       "exercised; relcal is started as the unit would start it"
  serve "$tmp/serve.log"
fi
for _ in $(seq 100); do
  [ -f /var/lib/relcal/export/mautic.ics.gz ] && [ -f /var/lib/relcal/export/all.ics ] && break
  sleep 0.1
done
[ -f /var/lib/relcal/export/mautic.ics.gz ] || fail "no export: $(cat "$tmp/serve.log")"
[ "$(st /var/lib/relcal/relcal.db)" = "640 relcal relcal" ] || fail "db: $(st /var/lib/relcal/relcal.db)"
ok "the service writes the export; the database is 0640"

# A report left unacknowledged for two days makes the team channel write team.log.
if [ ! -d /run/systemd/system ]; then
  token=$(sed -n 's/^    \(relcal_[0-9a-f]\{64\}\)$/\1/p' "$tmp/serve.log" | head -n 1)
  [ -n "$token" ] || fail "no admin token shown: $(cat "$tmp/serve.log")"
  curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d '{"title": "XSS", "severity": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N"}' \
    "http://127.0.0.1:$rport/api/v1/projects/mautic/issues" >/dev/null || fail "POST issue"
  stop_serve
  serve "$tmp/serve2.log" --now "$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)"
  for _ in $(seq 100); do [ -s /var/log/relcal/team.log ] && break; sleep 0.1; done
  [ -s /var/log/relcal/team.log ] || fail "team.log not written: $(cat "$tmp/serve2.log")"
  [ "$(st /var/log/relcal/team.log)" = "640 relcal adm" ] || fail "team.log: $(st /var/log/relcal/team.log)"
  setpriv --reuid=nobody --regid=adm --clear-groups -- cat /var/log/relcal/team.log >/dev/null ||
    fail "team.log unreadable to group adm"
  ok "team.log is 0640 relcal:adm, readable by group adm"
fi

# nginx from Debian's package with the shipped example, workers as www-data.
nport=$(port)
mkdir -p "$tmp/nginx/logs"
sed -e "s#listen 443 ssl http2;#listen 127.0.0.1:$nport;#" -e '/ssl_certificate/d' \
    -e "s#127.0.0.1:8080#127.0.0.1:$rport#" \
    /usr/share/doc/relcal/examples/nginx-relcal.conf >"$tmp/nginx/site.conf"
grep -q "root /var/lib/relcal/export;" "$tmp/nginx/site.conf" || fail "example changed shape"
cat >"$tmp/nginx/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 64; }
http {
  access_log $tmp/nginx/logs/access.log;
  client_body_temp_path $tmp/nginx/body;
  proxy_temp_path $tmp/nginx/proxy;
  fastcgi_temp_path $tmp/nginx/fastcgi;
  uwsgi_temp_path $tmp/nginx/uwsgi;
  scgi_temp_path $tmp/nginx/scgi;
  include $tmp/nginx/site.conf;
}
EOF
/usr/sbin/nginx -t -q -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" || fail "nginx -t"
/usr/sbin/nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx"
for _ in $(seq 50); do [ -f "$tmp/nginx/nginx.pid" ] && break; sleep 0.1; done
# Stop relcal first, so that whatever answers comes from the files, not the proxy.
stop_serve
curl -fsS -D "$tmp/h1" -o "$tmp/mautic.ics" "http://127.0.0.1:$nport/feeds/mautic.ics" ||
  fail "nginx /feeds/mautic.ics: $(cat "$tmp/nginx/logs/error.log")"
cmp -s "$tmp/mautic.ics" /var/lib/relcal/export/mautic.ics || fail "served bytes differ"
grep -q '^BEGIN:VCALENDAR' "$tmp/mautic.ics" || fail "not a calendar"
grep -qi '^content-type: text/calendar' "$tmp/h1" || fail "content type: $(cat "$tmp/h1")"
curl -fsS -D "$tmp/h2" -H 'Accept-Encoding: gzip' -o "$tmp/all.ics.gz" \
  "http://127.0.0.1:$nport/feeds/all.ics" || fail "nginx /feeds/all.ics"
grep -qi '^content-encoding: gzip' "$tmp/h2" || fail "gzip_static: $(cat "$tmp/h2")"
cmp -s "$tmp/all.ics.gz" /var/lib/relcal/export/all.ics.gz || fail "gz bytes differ"
ok "nginx (www-data) serves the export through the shipped example"
kill "$(cat "$tmp/nginx/nginx.pid")"
rm -f "$tmp/nginx/nginx.pid"

# ./scripts/run.sh with /etc/relcal/relcal.json present: only where BUILD_DIR is its build/.
if [ "$build" = "$src/build" ]; then
  "$src/scripts/run.sh" check >"$tmp/run.out" 2>&1 || fail "run.sh check: $(cat "$tmp/run.out")"
  grep -q "config packaging/local.json is valid" "$tmp/run.out" || fail "run.sh: $(cat "$tmp/run.out")"
  ok "./scripts/run.sh uses its local config although /etc/relcal/relcal.json exists"
fi

# 4. Remove keeps the state and the config, purge deletes them.
dpkg -r relcal >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg -r"; }
[ -f /var/lib/relcal/relcal.db ] && [ -f /etc/relcal/relcal.json ] || fail "remove lost state"
dpkg --purge relcal >"$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg --purge"; }
installed=no
[ ! -e /var/lib/relcal ] && [ ! -e /var/log/relcal ] && [ ! -e /etc/relcal ] ||
  fail "purge left state behind"
[ ! -e /etc/systemd/system/multi-user.target.wants/relcal.service ] || fail "purge left the unit enabled"
if [ "$user_before" = no ]; then
  userdel relcal 2>/dev/null || true
  groupdel relcal 2>/dev/null || true
fi
ok "dpkg -r keeps state and config; dpkg --purge deletes them"
echo "$passed passed, 0 failed"
