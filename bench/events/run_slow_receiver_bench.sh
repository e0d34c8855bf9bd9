#!/usr/bin/env bash
# Events to a slow webhook receiver (bench/events/slow_receiver.py: every answer after
# DELAY_MS, as across a network or with work per event): events delivered per second while
# PATCHes arrive at RATE/s, the backlog at the end of the window and the p99 delivery latency.
# A lane that sent one request at a time would deliver at most LANES * 1000 / DELAY_MS events/s;
# the webhook sink sends each lane's queued events of different twins at once (docs/events.md).
# MODE is the webhook's dtwin-mode: structured (default), or batch (one request per batch).
# dtwin on CPU 1, wrk and the receiver on CPU 0 (as run_events_bench.sh). See bench/README.md.
# Usage: bench/events/run_slow_receiver_bench.sh [BUILD_DIR] [DELAY_MS] [RATE] [DURATION] [LANES]
#        [MODE]
set -euo pipefail

build_dir=${1:-build}
delay_ms=${2:-20}
rate=${3:-2000}
duration=${4:-10s}
lanes=${5:-8}
mode=${6:-structured}
connections=64
twins=1000
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/events"
http="$root/bench/http"
dtwin="$root/$build_dir/dtwin"
metrics="$here/events_metrics.py"
api=2023-10-31

source "$http/wrk_support.sh"
init_workspace slow-receiver-bench
export TWINS=$twins API_VERSION=$api

taskset -c 0 python3 "$here/slow_receiver.py" "$delay_ms" > "$work/receiver.out" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/receiver.out" 2>/dev/null && break; sleep 0.1; done
hook_port=$(awk '{print $2}' "$work/receiver.out")
[ -n "$hook_port" ] || { echo "the receiver did not start" >&2; exit 1; }

start_dtwin --event-lanes "$lanes" \
  --endpoint "hook=http://127.0.0.1:$hook_port/events?dtwin-mode=$mode"
populate_twins "$base"
curl -sf -X PUT "$base/eventroutes/hook-route?api-version=$api" -H "Authorization: Bearer bench" \
  -H "Content-Type: application/json" -d '{"endpointName":"hook","filter":"true"}'

# Each connection waits about connections / rate seconds between its PATCHes (the PATCH's own
# latency is small against it at these rates).
export DELAY_MS
DELAY_MS=$(python3 -c "print(1000 * $connections / $rate)")
python3 "$metrics" snapshot "$base" > "$work/before"
read -r rps _ _ bad <<< "$(run_wrk "$base/digitaltwins/bench-0" "$here/patch_twin_paced.lua")"
python3 "$metrics" snapshot "$base" > "$work/after"
drain=$(python3 "$metrics" drain "$base" 600 "$work/after2" "$work/drained")
read -r _ in_window _ _ _ backlog <<< "$(python3 "$metrics" window "$work/before" "$work/after" hook)"
read -r delivered _ dead p99 mean _ <<< "$(python3 "$metrics" window "$work/before" "$work/drained" hook)"

echo
echo "bench/events/run_slow_receiver_bench.sh $build_dir $delay_ms $rate $duration $lanes $mode"
echo "receiver answers after $delay_ms ms; $lanes lanes; $mode mode; one-request-at-a-time" \
  "ceiling $(( lanes * 1000 / delay_ms )) requests/s"
echo
echo "| PATCH/s | non-2xx | events/s delivered in window | backlog at window end | drain | delivered incl. drain | dead-lettered | p99 latency | mean latency |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| $rps | $bad | $in_window | $backlog | $drain s | $delivered | $dead | ≤ $p99 ms | $mean ms |"
