#!/usr/bin/env bash
# HTTP benchmarks of `dtwin serve` against nginx serving a static 1 KB file, measured in the
# same run with the same wrk settings (see bench/README.md). wrk runs on CPU 0; the server
# under test (nginx with one worker, or dtwin) on CPU 1.
# Usage: bench/http/run_http_bench.sh [BUILD_DIR] [DURATION] [CONNECTIONS] [TWINS]
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
init_workspace http-bench

# Settings of the lua scripts.
export TWINS=$twins API_VERSION=$api TWIN_BODY_FILE="$here/bench_twin.json"

# --- baseline: nginx, one worker, a static 1 KB file ---
start_nginx_baseline
read -r nginx_rps nginx_p50 nginx_p99 nginx_bad < <(run_wrk "$nginx_url")

# --- dtwin: one model, $twins twins ---
start_dtwin
populate_twins "$base"
get_size=$(curl -s "$base/digitaltwins/bench-0?api-version=$api" -H "Authorization: Bearer b" | wc -c)
read -r get_rps get_p50 get_p99 get_bad < <(run_wrk "$base/digitaltwins/bench-0" "$here/get_twin.lua")
read -r patch_rps patch_p50 patch_p99 patch_bad < <(run_wrk "$base/digitaltwins/bench-0" "$here/patch_twin.lua")
read -r put_rps put_p50 put_p99 put_bad < <(run_wrk "$base/digitaltwins/bench-0" "$here/put_twin.lua")

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
echo
echo "wrk -t1 -c$connections -d$duration --latency (wrk on CPU 0, servers on CPU 1), $twins twins of ${get_size} bytes"
echo
echo "| Benchmark | req/s | p50 µs | p99 µs | non-2xx | ratio to nginx GET |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
echo "| nginx GET static 1 KB (baseline) | $nginx_rps | $nginx_p50 | $nginx_p99 | $nginx_bad | 1.00 |"
echo "| dtwin GET twin | $get_rps | $get_p50 | $get_p99 | $get_bad | $(ratio "$get_rps" "$nginx_rps") |"
echo "| dtwin PATCH twin (durable) | $patch_rps | $patch_p50 | $patch_p99 | $patch_bad | $(ratio "$patch_rps" "$nginx_rps") |"
echo "| dtwin PUT create twin (durable) | $put_rps | $put_p50 | $put_p99 | $put_bad | $(ratio "$put_rps" "$nginx_rps") |"
