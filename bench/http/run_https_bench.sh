#!/usr/bin/env bash
# HTTPS against plain HTTP: the same `dtwin serve` process serves both (--listen plus
# --listen-https with --dev-tls), and wrk GETs twins with keep-alive over each in the same run
# with the same settings (see bench/README.md). wrk runs on CPU 0, dtwin on CPU 1.
# Usage: bench/http/run_https_bench.sh [BUILD_DIR] [DURATION] [CONNECTIONS] [TWINS]
set -euo pipefail

build_dir=${1:-build}
duration=${2:-10s}
connections=${3:-64}
twins=${4:-1000}
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/http"
dtwin="$root/$build_dir/dtwin"
api=2023-10-31

source "$here/wrk_support.sh"
init_workspace https-bench

export TWINS=$twins API_VERSION=$api TWIN_BODY_FILE="$here/bench_twin.json"

taskset -c 1 "$dtwin" serve --listen 127.0.0.1:0 --listen-https 127.0.0.1:0 --dev-tls \
  --data-dir "$work/data" > "$work/dtwin.out" 2> "$work/dtwin.err" &
pids+=($!)
for _ in $(seq 100); do grep -q "listening on" "$work/dtwin.out" 2>/dev/null && break; sleep 0.1; done
read -r http_base https_base < <(head -1 "$work/dtwin.out" | sed -n 's/.*listening on \(\S*\) and \(\S*\)$/\1 \2/p')
[ -n "$https_base" ] || { cat "$work/dtwin.out" "$work/dtwin.err" >&2; exit 1; }
populate_twins "$http_base"
ca="$work/data/tls/ca.pem"
curl -sf --cacert "$ca" "$https_base/digitaltwins/bench-0?api-version=$api" -o /dev/null

read -r http_rps http_p50 http_p99 http_bad < <(run_wrk "$http_base/digitaltwins/bench-0" "$here/get_twin.lua")
read -r https_rps https_p50 https_p99 https_bad < <(run_wrk "$https_base/digitaltwins/bench-0" "$here/get_twin.lua")
# The protocol and suite wrk's OpenSSL would get too (the same defaults).
tls=$(python3 -c 'import socket, ssl, sys, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])
context = ssl.create_default_context(cafile=sys.argv[2])
with context.wrap_socket(socket.create_connection((url.hostname, url.port)), server_hostname=url.hostname) as s:
    print(s.version(), s.cipher()[0])' "$https_base" "$ca")

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
echo
echo "wrk -t1 -c$connections -d$duration --latency (wrk on CPU 0, dtwin on CPU 1), $twins twins, keep-alive${tls:+, $tls}"
echo
echo "| Benchmark | req/s | p50 µs | p99 µs | non-2xx | ratio to plain HTTP |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
echo "| dtwin GET twin, plain HTTP (baseline) | $http_rps | $http_p50 | $http_p99 | $http_bad | 1.00 |"
echo "| dtwin GET twin, HTTPS | $https_rps | $https_p50 | $https_p99 | $https_bad | $(ratio "$https_rps" "$http_rps") |"
