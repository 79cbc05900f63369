#!/usr/bin/env bash
# HTTP bars (docs/PERFORMANCE.md), peers in the same run:
#   feed 200 / feed 304: relcal's public feed vs nginx (1 worker, sendfile on) serving the same
#                        bytes as a static file, with wrk: keep-alive, 1 thread, 50 connections.
#   API read:            GET /api/v1/projects/{p}/releases/next vs the feed figure (bar 0.7x).
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

# wrk prints "Requests/sec: N" and, with --latency, a "99%" line.
run_wrk() { # url [header]
  local out
  if [ -n "${2:-}" ]; then
    out=$(wrk -t1 -c50 -d"$dur" --latency -H "$2" "$1")
  else
    out=$(wrk -t1 -c50 -d"$dur" --latency "$1")
  fi
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  echo "$rps $p99"
}

ratio() { echo "scale=2; $1 / $2" | bc -l; }
rapi=- papi=- napi=- qapi=-
if [ -z "${FEED_ONLY:-}" ] || [ "$have_feed" = 0 ]; then
  read -r rapi papi < <(run_wrk "http://127.0.0.1:$port_relcal/api/v1/projects/mautic/releases/next")
  read -r napi qapi < <(run_wrk "http://127.0.0.1:$port_nginx/next.json")
fi
if [ "$have_feed" = 0 ]; then
  echo "no feed route yet (the feeds issue): API read against nginx serving the same JSON"
  echo
  echo "| path | relcal req/s | relcal p99 | nginx req/s | nginx p99 | ratio |"
  echo "|---|---|---|---|---|---|"
  echo "| releases/next | $rapi | $papi | $napi | $qapi | $(ratio "$rapi" "$napi")x |"
  exit 0
fi
read -r r200 p200 < <(run_wrk "http://127.0.0.1:$port_relcal/feeds/mautic.ics")
read -r n200 q200 < <(run_wrk "http://127.0.0.1:$port_nginx/feeds/mautic.ics")
read -r r304 p304 < <(run_wrk "http://127.0.0.1:$port_relcal/feeds/mautic.ics" "If-None-Match: $etag")
read -r n304 q304 < <(run_wrk "http://127.0.0.1:$port_nginx/feeds/mautic.ics" "If-None-Match: $nginx_etag")
echo "feed: $events events, $(wc -c <"$tmp/www/feeds/mautic.ics") bytes; wrk -t1 -c50 -d$dur; $(nproc) cores"
echo
echo "| path | relcal req/s | relcal p99 | nginx req/s | nginx p99 | ratio | bar |"
echo "|---|---|---|---|---|---|---|"
echo "| feed 200 | $r200 | $p200 | $n200 | $q200 | $(ratio "$r200" "$n200")x | >= 1.0x, p99 < 5 ms |"
echo "| feed 304 | $r304 | $p304 | $n304 | $q304 | $(ratio "$r304" "$n304")x | >= 1.0x, p99 < 5 ms |"
[ -n "${FEED_ONLY:-}" ] ||
  echo "| releases/next | $rapi | $papi | $napi (static copy) | $qapi | $(ratio "$rapi" "$r200")x of feed 200 | >= 0.7x feed |"
