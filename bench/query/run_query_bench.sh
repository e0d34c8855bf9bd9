#!/usr/bin/env bash
# Query benchmarks (bench/query/README.md), everything in one run so every ratio is same-run.
# For each graph size: populate a dtwin data dir and the same documents in SQLite; dtwin's
# query engine against SQLite in-process (query_bench run); then POST /query over HTTP with wrk
# (CPU 0) against `dtwin serve` on that data dir (CPU 1), next to nginx serving a static 1 KB
# file with the same wrk settings, and the IS_OF_MODEL first page over HTTP, one query at a
# time.
# Usage: bench/query/run_query_bench.sh [BUILD_DIR] [TWINS ...]
#   TWINS defaults to 100000; add 1000000 for the 1M graph (a few minutes more, ~3 GB of disk).
# Environment: DURATION (of each wrk run, default 10s), SECONDS_PER_QUERY (in-process time per
# query and side, default 3), LATENCY_SAMPLES (HTTP first-page samples, default 100).
set -euo pipefail

build_dir=${1:-build}
shift $(($# > 0 ? 1 : 0))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000)
duration=${DURATION:-10s}
connections=64
seconds=${SECONDS_PER_QUERY:-3}
samples=${LATENCY_SAMPLES:-100}
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/query"
dtwin="$root/$build_dir/dtwin"
query_bench="$root/$build_dir/bench/query/query_bench"
export API_VERSION=2023-10-31

source "$root/bench/http/wrk_support.sh"
init_workspace query-bench
# Stops one process started here and forgets it.
stop() {
  kill "$1"
  wait "$1" 2>/dev/null || true
  local kept=() pid
  for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || kept+=("$pid"); done
  pids=("${kept[@]}")
}

seconds_since() { python3 -c "import time; print(f'{time.time() - $1:.1f}')"; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
failed=0

start_nginx_baseline
for twins in "${sizes[@]}"; do
  data="$work/graph-$twins"
  echo "== Query benchmark, $twins twins"
  started=$(date +%s.%N)
  "$query_bench" populate "$data" "$twins"
  echo "populate (dtwin through the service, then SQLite): $(seconds_since "$started") s wall clock"
  echo
  "$query_bench" run "$data" "$seconds" || failed=1
  echo

  # --- over HTTP: dtwin serve on the data dir just measured ---
  started=$(date +%s.%N)
  out="$work/dtwin-$twins.out" err="$work/dtwin-$twins.err"
  taskset -c 1 "$dtwin" serve --listen 127.0.0.1:0 --data-dir "$data/dtwin" > "$out" 2> "$err" &
  dtwin_pid=$!
  pids+=("$dtwin_pid")
  for _ in $(seq 3000); do
    grep -q "listening on" "$out" 2>/dev/null && break
    kill -0 "$dtwin_pid" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -q "listening on" "$out"; then
    echo "dtwin serve did not start:" >&2
    tail -5 "$err" >&2
    exit 1
  fi
  serve_seconds=$(seconds_since "$started")
  base=$(head -1 "$out" | sed 's/.*listening on //')

  "$query_bench" bodies point "$twins" 100000 > "$work/point.bodies"
  "$query_bench" bodies join "$twins" 100000 > "$work/join.bodies"
  "$query_bench" bodies hot "$twins" 1 > "$work/hot.bodies"
  hot_rows=$((twins / 100))
  # Right answers first (one row per point query, 4 per JOIN), then the timed runs.
  taskset -c 0 python3 "$here/query_latency.py" "$base" "$work/point.bodies" 100 200 1 > /dev/null
  taskset -c 0 python3 "$here/query_latency.py" "$base" "$work/join.bodies" 100 200 4 > /dev/null
  read -r nginx_rps nginx_p50 nginx_p99 nginx_bad < <(run_wrk "$nginx_url")
  read -r point_rps point_p50 point_p99 point_bad < <(BODIES_FILE="$work/point.bodies" \
    run_wrk "$base/query" "$here/post_query.lua")
  read -r join_rps join_p50 join_p99 join_bad < <(BODIES_FILE="$work/join.bodies" \
    run_wrk "$base/query" "$here/post_query.lua")
  read -r hot100_p50 hot100_p99 hot100_bytes < <(taskset -c 0 python3 "$here/query_latency.py" \
    "$base" "$work/hot.bodies" 100 "$samples" "$((hot_rows < 100 ? hot_rows : 100))")
  read -r hot1000_p50 hot1000_p99 hot1000_bytes < <(taskset -c 0 python3 "$here/query_latency.py" \
    "$base" "$work/hot.bodies" 1000 "$samples" "$((hot_rows < 1000 ? hot_rows : 1000))")
  stop "$dtwin_pid"

  echo "Over HTTP: wrk -t1 -c$connections -d$duration --latency on CPU 0, each server on CPU 1;"
  echo "dtwin serve loaded the $twins-twin data dir in $serve_seconds s."
  echo
  echo "| Benchmark | req/s | p50 µs | p99 µs | non-2xx | ratio to nginx GET | target |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
  echo "| nginx GET static 1 KB (baseline) | $nginx_rps | $nginx_p50 | $nginx_p99 | $nginx_bad | 1.00 | |"
  echo "| dtwin POST /query point (\`T.\$dtId\` = random twin) | $point_rps | $point_p50 | $point_p99 | $point_bad | $(ratio "$point_rps" "$nginx_rps") | ≥ 30,000/s |"
  echo "| dtwin POST /query one-hop JOIN from a random room (4 rows) | $join_rps | $join_p50 | $join_p99 | $join_bad | $(ratio "$join_rps" "$nginx_rps") | ≥ 15,000/s |"
  echo
  echo "| IS_OF_MODEL(Space) AND temperature > 26 over HTTP, one query at a time ($samples samples) | p50 ms | p99 ms | response bytes | target |"
  echo "| --- | ---: | ---: | ---: | --- |"
  echo "| first page of 100 | $hot100_p50 | $hot100_p99 | $hot100_bytes | p50 ≤ 50 ms |"
  echo "| first page of 1000 | $hot1000_p50 | $hot1000_p99 | $hot1000_bytes | p50 ≤ 50 ms |"
  echo
  rm -rf "$data"
done
exit "$failed"
