#!/usr/bin/env bash
# The C++ client library's throughput against `dtwin serve`: GETs/s and PATCHes/s that one
# client_bench process reaches with CONNECTIONS calls in flight on one DigitalTwinsClient
# (synchronous calls from CONNECTIONS threads, and asynchronous calls from none), next to
# wrk with the same number of connections on the same endpoint (same twins, same method, same
# run) as the baseline. client_bench and wrk each run on CPU 0, the server on CPU 1 (as in
# bench/http). Target: the client reaches >= 0.8 of wrk (it must not be the bottleneck).
# The machine is shared and noisy, so wrk and the client alternate for ROUNDS rounds of
# SECONDS each, and the medians are compared.
# Usage: bench/client/run_client_bench.sh [BUILD_DIR] [SECONDS] [CONNECTIONS] [TWINS] [ROUNDS]
set -euo pipefail

build_dir=${1:-build}
seconds=${2:-5}
connections=${3:-64}
twins=${4:-1000}
rounds=${5:-3}
duration=${seconds}s
root=$(cd "$(dirname "$0")/../.." && pwd)
http="$root/bench/http"
dtwin="$root/$build_dir/dtwin"
client_bench="$root/$build_dir/bench/client/client_bench"
api=2023-10-31

source "$http/wrk_support.sh"
init_workspace client-bench

# Settings of bench/http's lua scripts, which pick twins as client_bench does.
export TWINS=$twins API_VERSION=$api

start_dtwin
populate_twins "$base"

# Each round: wrk, then the client's synchronous calls (CONNECTIONS threads), then its
# asynchronous ones (CONNECTIONS calls in flight from no thread of the caller's), back to back
# so all see the same machine. Prints the median "req_per_s p50_us p99_us errors" of each, in
# that order.
measure() {
  local method=$1 script=$2 wrk_runs=() sync_runs=() async_runs=()
  for _ in $(seq "$rounds"); do
    wrk_runs+=("$(run_wrk "$base/digitaltwins/bench-0" "$http/$script")")
    sync_runs+=("$(taskset -c 0 "$client_bench" "$method" "$base" "$connections" "$seconds" "$twins")")
    async_runs+=("$(taskset -c 0 "$client_bench" "$method-async" "$base" "$connections" "$seconds" "$twins")")
  done
  echo "$method wrk: ${wrk_runs[*]/%/;} sync: ${sync_runs[*]/%/;} async: ${async_runs[*]/%/;}" >> "$work/rounds.log"
  median "${wrk_runs[@]}"
  median "${sync_runs[@]}"
  median "${async_runs[@]}"
}
# The run with the median req/s among "req_per_s p50 p99 errors" lines.
median() {
  printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"
}

{ read -r wrk_get_rps wrk_get_p50 wrk_get_p99 wrk_get_bad
  read -r cli_get_rps cli_get_p50 cli_get_p99 cli_get_bad
  read -r async_get_rps async_get_p50 async_get_p99 async_get_bad; } < <(measure get get_twin.lua)
{ read -r wrk_patch_rps wrk_patch_p50 wrk_patch_p99 wrk_patch_bad
  read -r cli_patch_rps cli_patch_p50 cli_patch_p99 cli_patch_bad
  read -r async_patch_rps async_patch_p50 async_patch_p99 async_patch_bad; } < <(measure patch patch_twin.lua)

ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
echo
echo "Each round (req/s p50 p99 errors):"
cat "$work/rounds.log"
echo
echo "Medians of $rounds rounds of ${duration}, $connections connections: wrk -t1 and client_bench (one DigitalTwinsClient; $connections threads making synchronous calls, or $connections asynchronous calls in flight) on CPU 0, dtwin on CPU 1; random twins of $twins"
echo
echo "| Benchmark | req/s | p50 µs | p99 µs | errors | ratio to wrk |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
echo "| wrk GET twin (baseline) | $wrk_get_rps | $wrk_get_p50 | $wrk_get_p99 | $wrk_get_bad | 1.00 |"
echo "| C++ client GET twin, synchronous | $cli_get_rps | $cli_get_p50 | $cli_get_p99 | $cli_get_bad | $(ratio "$cli_get_rps" "$wrk_get_rps") |"
echo "| C++ client GET twin, asynchronous | $async_get_rps | $async_get_p50 | $async_get_p99 | $async_get_bad | $(ratio "$async_get_rps" "$wrk_get_rps") |"
echo "| wrk PATCH twin (baseline) | $wrk_patch_rps | $wrk_patch_p50 | $wrk_patch_p99 | $wrk_patch_bad | 1.00 |"
echo "| C++ client PATCH twin, synchronous | $cli_patch_rps | $cli_patch_p50 | $cli_patch_p99 | $cli_patch_bad | $(ratio "$cli_patch_rps" "$wrk_patch_rps") |"
echo "| C++ client PATCH twin, asynchronous | $async_patch_rps | $async_patch_p50 | $async_patch_p99 | $async_patch_bad | $(ratio "$async_patch_rps" "$wrk_patch_rps") |"
