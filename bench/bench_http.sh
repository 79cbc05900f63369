#!/usr/bin/env bash
# HTTP bars (docs/PERFORMANCE.md), peers in the same run:
#   feed 200 / feed 304: relcal's public feed vs nginx (1 worker, sendfile on) serving the same
#                        bytes as a static file, with wrk: keep-alive, 1 thread, 50 connections.
#   API read:            GET /api/v1/projects/{p}/releases/next vs the feed figure (bar 0.7x).
# The feed rows also give each server's CPU time per answer (utime+stime of the server process
# over the wrk run, from /proc/PID/stat, divided by the answers) and the CPU wrk used (% of one
# core): when wrk is near 100 % the client bounds req/s, and the CPU per answer is the fair
# comparison (nginx's / relcal's, above 1 when relcal spends less per answer).
# Usage: bench/bench_http.sh [BUILD_DIR]  (default build/); DURATION=10s by default; FEED_ONLY=1
# runs only the two feed rows (no API read).
# Prints a Markdown table. Everything listens on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$(realpath "$build/relcal")
dur=${DURATION:-10s}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$tmp/nginx.pid" ] && kill "$(cat "$tmp/nginx.pid")" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

port_relcal=18080
port_nginx=18081
cat >"$tmp/relcal.json" <<JSON
{"listen": "127.0.0.1:$port_relcal", "database": "$tmp/relcal.db",
 "projects": [{"id": "mautic", "name": "Mautic", "timezone": "Europe/Berlin",
   "policy": {"cadence": "FREQ=MONTHLY;BYDAY=2TU", "horizon_months": 48}}]}
JSON
RELCAL_NOW=2026-11-24T12:00:00Z "$bin" serve -c "$tmp/relcal.json" >"$tmp/relcal.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$port_relcal/healthz" >/dev/null && break
  sleep 0.05
done

mkdir -p "$tmp/www/feeds"
have_feed=0
if curl -fs "http://127.0.0.1:$port_relcal/feeds/mautic.ics" -o "$tmp/www/feeds/mautic.ics"; then
  have_feed=1
fi
curl -fs "http://127.0.0.1:$port_relcal/api/v1/projects/mautic/releases/next" -o "$tmp/www/next.json"
events=$(grep -c '^BEGIN:VEVENT' "$tmp/www/feeds/mautic.ics" 2>/dev/null || true)
etag=$( (curl -fsI "http://127.0.0.1:$port_relcal/feeds/mautic.ics" || true) | tr -d '\r' |
       awk -F': ' 'tolower($1)=="etag"{print $2}')

cat >"$tmp/nginx.conf" <<NGINX
worker_processes 1;
pid $tmp/nginx.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  types { text/calendar ics; application/json json; }
  server {
    listen 127.0.0.1:$port_nginx;
    root $tmp/www;
    etag on;
  }
}
NGINX
nginx -c "$tmp/nginx.conf" -p "$tmp"
sleep 0.3
nginx_etag=$( (curl -fsI "http://127.0.0.1:$port_nginx/feeds/mautic.ics" || true) | tr -d '\r' |
             awk -F': ' 'tolower($1)=="etag"{print $2}')

# wrk prints "Requests/sec: N", "N requests in ...s" and, with --latency, a "99%" line. With a
# server pid, also that process's CPU time per answer (us) and wrk's CPU (% of one core), else
# "- -".
tck=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run_wrk() { # url [header] [server_pid]
  local out args=(-t1 -c50 -d"$dur" --latency) s0=
  [ -n "${2:-}" ] && args+=(-H "$2")
  [ -n "${3:-}" ] && s0=$(cpu_ticks "$3")
  local TIMEFORMAT='%U %S %R' wrk_times
  # bash's `time` gives wrk's user, system and elapsed seconds; wrk's own output goes to a file.
  wrk_times=$( { time wrk "${args[@]}" "$1" >"$tmp/wrk.out" 2>"$tmp/wrk.err"; } 2>&1)
  out=$(cat "$tmp/wrk.out")
  local rps p99 n us=- wcpu=-
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  if [ -n "$s0" ] && [ -n "$n" ] && [ "$n" -gt 0 ]; then
    us=$(echo "scale=2; ($(cpu_ticks "$3") - $s0) * 1000000 / $tck / $n" | bc -l)
    wcpu=$(echo "$wrk_times" | awk '{printf "%.0f", ($1 + $2) * 100 / $3}')
  fi
  echo "$rps $p99 $us $wcpu"
}

ratio() { if [ "$1" = - ] || [ "$2" = - ]; then echo -; else echo "scale=2; $1 / $2" | bc -l; fi; }
rapi=- papi=- napi=- qapi=-
if [ -z "${FEED_ONLY:-}" ] || [ "$have_feed" = 0 ]; then
  read -r rapi papi _ < <(run_wrk "http://127.0.0.1:$port_relcal/api/v1/projects/mautic/releases/next")
  read -r napi qapi _ < <(run_wrk "http://127.0.0.1:$port_nginx/next.json")
fi
if [ "$have_feed" = 0 ]; then
  echo "no feed route yet (the feeds issue): API read against nginx serving the same JSON"
  echo
  echo "| path | relcal req/s | relcal p99 | nginx req/s | nginx p99 | ratio |"
  echo "|---|---|---|---|---|---|"
  echo "| releases/next | $rapi | $papi | $napi | $qapi | $(ratio "$rapi" "$napi")x |"
  exit 0
fi
relcal_pid=${pids[0]}
nginx_pid=$(pgrep -P "$(cat "$tmp/nginx.pid")" | head -1) # the one worker
read -r r200 p200 rc200 rw200 < <(run_wrk "http://127.0.0.1:$port_relcal/feeds/mautic.ics" "" "$relcal_pid")
read -r n200 q200 nc200 nw200 < <(run_wrk "http://127.0.0.1:$port_nginx/feeds/mautic.ics" "" "$nginx_pid")
read -r r304 p304 rc304 rw304 < <(run_wrk "http://127.0.0.1:$port_relcal/feeds/mautic.ics" "If-None-Match: $etag" "$relcal_pid")
read -r n304 q304 nc304 nw304 < <(run_wrk "http://127.0.0.1:$port_nginx/feeds/mautic.ics" "If-None-Match: $nginx_etag" "$nginx_pid")
echo "feed: $events events, $(wc -c <"$tmp/www/feeds/mautic.ics") bytes; wrk -t1 -c50 -d$dur; $(nproc) cores"
echo
echo "CPU/answer: the server process's user+system CPU time per answer over the wrk run; wrk CPU:"
echo "the client's, % of one core (near 100 %: the client bounds req/s, compare CPU/answer)."
echo
echo "| path | relcal req/s | relcal p99 | nginx req/s | nginx p99 | ratio | bar | relcal CPU/answer | nginx CPU/answer | CPU ratio nginx/relcal | wrk CPU (relcal run / nginx run) |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
echo "| feed 200 | $r200 | $p200 | $n200 | $q200 | $(ratio "$r200" "$n200")x | >= 1.2x, p99 <= nginx's | $rc200 us | $nc200 us | $(ratio "$nc200" "$rc200")x | $rw200 % / $nw200 % |"
echo "| feed 304 | $r304 | $p304 | $n304 | $q304 | $(ratio "$r304" "$n304")x | >= 1.3x | $rc304 us | $nc304 us | $(ratio "$nc304" "$rc304")x | $rw304 % / $nw304 % |"
[ -n "${FEED_ONLY:-}" ] ||
  echo "| releases/next | $rapi | $papi | $napi (static copy) | $qapi | $(ratio "$rapi" "$r200")x of feed 200 | >= 0.7x feed | | | | |"
