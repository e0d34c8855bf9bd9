#!/usr/bin/env bash
# End-to-end events benchmark (issue 6): durable PATCHes/s of `dtwin serve` with no event
# routes (baseline, same server, before and after the routed phases), with a route to a local
# webhook (nginx), with a route to a mosquitto broker (QoS 1) alone, and with two routes (the
# webhook and mosquitto); events
# delivered per second to each endpoint while the PATCHes run at full speed and how long the
# backlog takes to drain; then p99 delivery latency (commit -> acknowledgement, from dtwin's
# /metrics histogram) with both routes at about half the two-route PATCH rate; then phases 2
# and 4 again with the webhook in batch mode (?dtwin-mode=batch: one POST per batch of events).
# See bench/README.md. CPUs: dtwin alone on CPU 1 (as in bench/http), so what the routes cost
# is dtwin's own work; wrk, the nginx webhook (one worker) and mosquitto share CPU 0, since in
# a deployment the receivers run elsewhere. Per phase, dtwin's CPU time per PATCH, the
# receivers' CPU and both CPUs' busy time (whoever used them) show what saturated.
# LANES, when given, is dtwin's --event-lanes for every endpoint (default: dtwin's own, 8 lanes
# for the webhook and 1 for mosquitto).
# Usage: bench/events/run_events_bench.sh [BUILD_DIR] [DURATION] [CONNECTIONS] [TWINS] [LANES]
set -euo pipefail

build_dir=${1:-build}
duration=${2:-10s}
connections=${3:-64}
twins=${4:-1000}
lanes=${5:-}
lanes_flag=()
[ -n "$lanes" ] && lanes_flag=(--event-lanes "$lanes")
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/bench/events"
http="$root/bench/http"
dtwin="$root/$build_dir/dtwin"
metrics="$here/events_metrics.py"
api=2023-10-31

source "$http/wrk_support.sh"
init_workspace events-bench

# Settings of the lua scripts.
export TWINS=$twins API_VERSION=$api

# --- receivers on CPU 0: nginx webhook (one worker) and mosquitto ---
hook_port=$(free_port)
sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$hook_port#g" "$here/webhook_nginx.conf.in" \
  > "$work/webhook-nginx.conf"
taskset -c 0 nginx -c "$work/webhook-nginx.conf" -p "$work" &
pids+=($!)
receiver_pids=($!)
mqtt_port=$(free_port)
sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$mqtt_port#g" "$here/mosquitto.conf.in" \
  > "$work/mosquitto.conf"
taskset -c 0 mosquitto -c "$work/mosquitto.conf" 2> "$work/mosquitto.log" &
pids+=($!)
receiver_pids+=($!)
hook_url="http://127.0.0.1:$hook_port/events"
for _ in $(seq 50); do curl -sf -X OPTIONS "$hook_url" >/dev/null && break; sleep 0.1; done
curl -sf -X OPTIONS "$hook_url" >/dev/null || { echo "the nginx webhook did not start" >&2; exit 1; }
mqtt_up() { (exec 3<>"/dev/tcp/127.0.0.1/$mqtt_port") 2>/dev/null; }
for _ in $(seq 50); do mqtt_up && break; sleep 0.1; done
mqtt_up || { echo "mosquitto did not start (see $work/mosquitto.log)" >&2; exit 1; }

# --- dtwin on CPU 1 with the endpoints (`sample` only measures an event's size, at the end);
# routes are added per phase ---
start_dtwin "${lanes_flag[@]}" \
  --endpoint "hook=$hook_url" --endpoint "hookbatch=$hook_url?dtwin-mode=batch" \
  --endpoint "sample=$hook_url?sample=1" \
  --endpoint "mqtt=mqtt://127.0.0.1:$mqtt_port/dtwin/{type}/{subject}?qos=1"
populate_twins "$base"

auth=(-H "Authorization: Bearer bench")
put_route() {  # ROUTE_ID ENDPOINT
  curl -sf -X PUT "$base/eventroutes/$1?api-version=$api" "${auth[@]}" \
    -H "Content-Type: application/json" -d "{\"endpointName\":\"$2\",\"filter\":\"true\"}"
}
delete_route() {
  curl -sf -X DELETE "$base/eventroutes/$1?api-version=$api" "${auth[@]}"
}
# "cpu0_busy% cpu1_busy%" between two /proc/stat snapshots ("cpuN user nice system idle ...").
cpu_stat() { grep -E '^cpu[01] ' /proc/stat; }
cpu_busy() {
  python3 - "$1" "$2" <<'PY'
import sys
def parse(text):
    out = {}
    for line in text.splitlines():
        name, *values = line.split()
        values = [int(v) for v in values]
        out[name] = (sum(values) - values[3] - values[4], sum(values))  # idle, iowait
    return out
before, after = parse(sys.argv[1]), parse(sys.argv[2])
print(" ".join(f"{100 * (after[c][0] - before[c][0]) / max(1, after[c][1] - before[c][1]):.0f}"
               for c in ("cpu0", "cpu1")))
PY
}
# Number of requests wrk completed in its last run.
wrk_requests() { grep -oE '[0-9]+ requests in' "$work/wrk.log" | tail -1 | cut -d' ' -f1; }

# One wrk PATCH window with metrics snapshots around it, then the drain of its backlog (the
# drain starts with the snapshot that ends the window). Sets NAME_rps, NAME_p50, NAME_p99,
# NAME_bad, NAME_requests, NAME_drain, and over the window and the drain NAME_cpu (CPU 0 and
# 1 busy, whoever used them) and NAME_procs ("dtwin_%_of_a_core dtwin_µs_per_PATCH
# receivers_%_of_a_core http_µs commit_µs lanes_µs", the last three dtwin's µs per PATCH by
# thread); the snapshots are $work/NAME.before, .after (end of the window) and .drained
# (backlog delivered).
patch_window() {
  local name=$1 script=$2 cpu_before out start dtwin_cpu receivers_cpu requests threads
  python3 "$metrics" snapshot "$base" > "$work/$name.before"
  cpu_before=$(cpu_stat)
  start=$(date +%s.%N)
  dtwin_cpu=$(python3 "$metrics" cpu "$dtwin_pid")
  threads=$(python3 "$metrics" threads "$dtwin_pid")
  receivers_cpu=$(python3 "$metrics" cpu "${receiver_pids[@]}")
  out=$(run_wrk "$base/digitaltwins/bench-0" "$script")
  printf -v "${name}_drain" '%s' \
    "$(python3 "$metrics" drain "$base" 600 "$work/$name.after" "$work/$name.drained")"
  printf -v "${name}_cpu" '%s' "$(cpu_busy "$cpu_before" "$(cpu_stat)")"
  requests=$(wrk_requests)
  printf -v "${name}_requests" '%s' "$requests"
  printf -v "${name}_procs" '%s' "$(python3 -c "
seconds = $(date +%s.%N) - $start
dtwin = $(python3 "$metrics" cpu "$dtwin_pid") - $dtwin_cpu
receivers = $(python3 "$metrics" cpu "${receiver_pids[@]}") - $receivers_cpu
threads = [after - before for before, after in zip(map(float, '$threads'.split()),
           map(float, '$(python3 "$metrics" threads "$dtwin_pid")'.split()))]
print(f'{100 * dtwin / seconds:.0f} {1e6 * dtwin / $requests:.0f} {100 * receivers / seconds:.0f}',
      ' '.join(f'{1e6 * t / $requests:.0f}' for t in threads))")"
  read -r "${name}_rps" "${name}_p50" "${name}_p99" "${name}_bad" <<< "$out"
}
# "delivered/s_in_window backlog_at_window_end delivered_after_drain dead_lettered p99_ms
# mean_ms" of ENDPOINT; the latencies are those of every event of the window (drain included).
endpoint_figures() {
  local name=$1 endpoint=$2 in_window total
  in_window=$(python3 "$metrics" window "$work/$name.before" "$work/$name.after" "$endpoint")
  total=$(python3 "$metrics" window "$work/$name.before" "$work/$name.drained" "$endpoint")
  read -r _ rate _ _ _ backlog <<< "$in_window"
  read -r delivered _ dead p99 mean _ <<< "$total"
  echo "$rate $backlog $delivered $dead $p99 $mean"
}

# 1. Baseline: no routes.
patch_window base "$http/patch_twin.lua"

# 2. One route, to the webhook.
put_route hook-route hook
patch_window hook "$http/patch_twin.lua"
read -r hook_hook_rate hook_hook_backlog hook_hook_total hook_hook_dead hook_hook_p99 hook_hook_mean \
  < <(endpoint_figures hook hook)

# 3. One route, to mosquitto alone.
delete_route hook-route
put_route mqtt-route mqtt
patch_window mqtt "$http/patch_twin.lua"
read -r mqtt_mqtt_rate mqtt_mqtt_backlog mqtt_mqtt_total mqtt_mqtt_dead mqtt_mqtt_p99 mqtt_mqtt_mean \
  < <(endpoint_figures mqtt mqtt)

# 4. Two routes: the webhook and mosquitto.
put_route hook-route hook
patch_window both "$http/patch_twin.lua"
read -r both_hook_rate both_hook_backlog both_hook_total both_hook_dead both_hook_p99 both_hook_mean \
  < <(endpoint_figures both hook)
read -r both_mqtt_rate both_mqtt_backlog both_mqtt_total both_mqtt_dead both_mqtt_p99 both_mqtt_mean \
  < <(endpoint_figures both mqtt)

# 5. Both routes at about half the two-route PATCH rate: each connection waits DELAY_MS before
# each request. A 3 s probe with the delay that ignores the request latency measures that
# latency (connections / rate - delay), and the measured window uses the corrected delay.
target=$(( both_rps / 2 ))
export DELAY_MS
DELAY_MS=$(python3 -c "print(1000 * $connections / $target)")
saved_duration=$duration
duration=3s
read -r probe_rps _ <<< "$(run_wrk "$base/digitaltwins/bench-0" "$here/patch_twin_paced.lua")"
DELAY_MS=$(python3 -c "
latency = 1000 * $connections / $probe_rps - $DELAY_MS
print(max(0.0, 1000 * $connections / $target - latency))")
duration=$saved_duration
python3 "$metrics" drain "$base" 600 > /dev/null
patch_window half "$here/patch_twin_paced.lua"
read -r half_hook_rate half_hook_backlog half_hook_total half_hook_dead half_hook_p99 half_hook_mean \
  < <(endpoint_figures half hook)
read -r half_mqtt_rate half_mqtt_backlog half_mqtt_total half_mqtt_dead half_mqtt_p99 half_mqtt_mean \
  < <(endpoint_figures half mqtt)

# 6. Phases 2 and 4 with the webhook in batch mode.
delete_route hook-route
delete_route mqtt-route
put_route hookbatch-route hookbatch
patch_window hookb "$http/patch_twin.lua"
read -r hookb_hook_rate hookb_hook_backlog hookb_hook_total hookb_hook_dead hookb_hook_p99 \
  hookb_hook_mean < <(endpoint_figures hookb hookbatch)
put_route mqtt-route mqtt
patch_window bboth "$http/patch_twin.lua"
read -r bboth_hook_rate bboth_hook_backlog bboth_hook_total bboth_hook_dead bboth_hook_p99 \
  bboth_hook_mean < <(endpoint_figures bboth hookbatch)
read -r bboth_mqtt_rate bboth_mqtt_backlog bboth_mqtt_total bboth_mqtt_dead bboth_mqtt_p99 \
  bboth_mqtt_mean < <(endpoint_figures bboth mqtt)

# 7. The baseline again, routes removed: the machine is shared, so the PATCH loss is taken
# against the mean of the baselines before and after the routed phases.
delete_route hookbatch-route
delete_route mqtt-route
patch_window base2 "$http/patch_twin.lua"
baseline=$(( (base_rps + base2_rps) / 2 ))

# The size of one event (a Twin.Update of bench/http's PATCH, structured CloudEvent JSON), as
# the webhook logs it for the `sample` endpoint.
put_route sample-route sample
curl -sf -X PATCH "$base/digitaltwins/bench-0?api-version=$api" "${auth[@]}" \
  -H "Content-Type: application/json-patch+json" \
  -d '[{"op":"replace","path":"/temperature","value":21.5}]'
python3 "$metrics" drain "$base" 60 > /dev/null
for _ in $(seq 50); do [ -s "$work/sample.log" ] && break; sleep 0.1; done  # nginx logs last
event_size=$(grep -E '^[0-9]+$' "$work/sample.log" | head -1)
twin_size=$(curl -s "$base/digitaltwins/bench-0?api-version=$api" "${auth[@]}" | wc -c)

loss() { python3 -c "print(f'{100 * (1 - $1 / $2):.1f}%')"; }
echo
echo "bench/events/run_events_bench.sh $build_dir $duration $connections $twins $lanes" \
  "(lanes: ${lanes:-the server defaults})"
echo "wrk -t1 -c$connections -d$duration --latency (bench/http/patch_twin.lua, $twins twins of" \
  "$twin_size bytes, events of $event_size bytes); dtwin on CPU 1; wrk, the nginx webhook" \
  "(1 worker) and mosquitto on CPU 0. PATCH loss: against the mean of the two baselines," \
  "$baseline/s"
echo
# "| dtwin % | dtwin µs/PATCH | HTTP + commit + lanes | receivers % | CPU0 % / CPU1 %" of
# phase NAME.
cpu_columns() {
  local procs=${1}_procs cpu=${1}_cpu
  read -r dtwin_pct dtwin_us receivers_pct http_us commit_us lanes_us <<< "${!procs}"
  read -r cpu0 cpu1 <<< "${!cpu}"
  echo "$dtwin_pct% | $dtwin_us | $http_us + $commit_us + $lanes_us | $receivers_pct% | $cpu0% / $cpu1%"
}
echo "| Phase | PATCH/s | p50 µs | p99 µs | non-2xx | PATCH loss | dtwin CPU | dtwin CPU µs / PATCH | by thread: HTTP + commit + lanes | receivers' CPU | CPU0 / CPU1 busy |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| no routes (baseline) | $base_rps | $base_p50 | $base_p99 | $base_bad | | $(cpu_columns base) |"
echo "| route to webhook | $hook_rps | $hook_p50 | $hook_p99 | $hook_bad | $(loss "$hook_rps" "$baseline") | $(cpu_columns hook) |"
echo "| route to mosquitto | $mqtt_rps | $mqtt_p50 | $mqtt_p99 | $mqtt_bad | $(loss "$mqtt_rps" "$baseline") | $(cpu_columns mqtt) |"
echo "| routes to webhook + mosquitto | $both_rps | $both_p50 | $both_p99 | $both_bad | $(loss "$both_rps" "$baseline") | $(cpu_columns both) |"
echo "| both routes, paced ($(printf %.2f "$DELAY_MS") ms before each request, target $target/s) | $half_rps | $half_p50 | $half_p99 | $half_bad | | $(cpu_columns half) |"
echo "| route to webhook, batch mode | $hookb_rps | $hookb_p50 | $hookb_p99 | $hookb_bad | $(loss "$hookb_rps" "$baseline") | $(cpu_columns hookb) |"
echo "| routes to webhook (batch mode) + mosquitto | $bboth_rps | $bboth_p50 | $bboth_p99 | $bboth_bad | $(loss "$bboth_rps" "$baseline") | $(cpu_columns bboth) |"
echo "| no routes again (baseline) | $base2_rps | $base2_p50 | $base2_p99 | $base2_bad | | $(cpu_columns base2) |"
echo
echo "| Phase | Endpoint | PATCHes answered | events/s in window | backlog at window end | drain | delivered incl. drain | dead-lettered | p99 latency | mean latency |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
echo "| route to webhook | webhook | $hook_requests | $hook_hook_rate | $hook_hook_backlog | $hook_drain s | $hook_hook_total | $hook_hook_dead | ≤ $hook_hook_p99 ms | $hook_hook_mean ms |"
echo "| route to mosquitto | mosquitto | $mqtt_requests | $mqtt_mqtt_rate | $mqtt_mqtt_backlog | $mqtt_drain s | $mqtt_mqtt_total | $mqtt_mqtt_dead | ≤ $mqtt_mqtt_p99 ms | $mqtt_mqtt_mean ms |"
echo "| both routes | webhook | $both_requests | $both_hook_rate | $both_hook_backlog | $both_drain s | $both_hook_total | $both_hook_dead | ≤ $both_hook_p99 ms | $both_hook_mean ms |"
echo "| both routes | mosquitto | $both_requests | $both_mqtt_rate | $both_mqtt_backlog | $both_drain s | $both_mqtt_total | $both_mqtt_dead | ≤ $both_mqtt_p99 ms | $both_mqtt_mean ms |"
echo "| both routes, paced | webhook | $half_requests | $half_hook_rate | $half_hook_backlog | $half_drain s | $half_hook_total | $half_hook_dead | ≤ $half_hook_p99 ms | $half_hook_mean ms |"
echo "| both routes, paced | mosquitto | $half_requests | $half_mqtt_rate | $half_mqtt_backlog | $half_drain s | $half_mqtt_total | $half_mqtt_dead | ≤ $half_mqtt_p99 ms | $half_mqtt_mean ms |"
echo "| route to webhook, batch mode | webhook (batch) | $hookb_requests | $hookb_hook_rate | $hookb_hook_backlog | $hookb_drain s | $hookb_hook_total | $hookb_hook_dead | ≤ $hookb_hook_p99 ms | $hookb_hook_mean ms |"
echo "| webhook (batch mode) + mosquitto | webhook (batch) | $bboth_requests | $bboth_hook_rate | $bboth_hook_backlog | $bboth_drain s | $bboth_hook_total | $bboth_hook_dead | ≤ $bboth_hook_p99 ms | $bboth_hook_mean ms |"
echo "| webhook (batch mode) + mosquitto | mosquitto | $bboth_requests | $bboth_mqtt_rate | $bboth_mqtt_backlog | $bboth_drain s | $bboth_mqtt_total | $bboth_mqtt_dead | ≤ $bboth_mqtt_p99 ms | $bboth_mqtt_mean ms |"
