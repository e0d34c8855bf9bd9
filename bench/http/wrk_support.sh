# Shared by the HTTP benchmarks (sourced, not run): a free port, wrk pinned to CPU 0 with its
# figures parsed, the nginx baseline pinned to CPU 1, the bench model and twins, and the
# scratch workspace. The sourcing
# script calls init_workspace (which sets `work` and the array `pids`, whose processes are
# stopped on exit) and sets `connections` and `duration`; lua scripts read their settings
# from the environment.

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Runs wrk on CPU 0 against URL (with lua SCRIPT if given) and prints
# "req_per_s p50_us p99_us non_2xx"; wrk's own output goes to $work/wrk.log.
run_wrk() {
  local url=$1 script=${2:-}
  local args=(-t1 -c"$connections" -d"$duration" --latency)
  [ -n "$script" ] && args+=(-s "$script")
  local out
  out=$(taskset -c 0 wrk "${args[@]}" "$url")
  echo "$out" >> "$work/wrk.log"
  python3 - "$out" <<'PY'
import re, sys
text = sys.argv[1]
def us(v):
    m = re.match(r"([\d.]+)(us|ms|s)", v)
    n, unit = float(m.group(1)), m.group(2)
    return n * {"us": 1, "ms": 1000, "s": 1000000}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
p50 = us(re.search(r"\s50%\s+(\S+)", text).group(1))
p99 = us(re.search(r"\s99%\s+(\S+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
print(f"{rps:.0f} {p50:.0f} {p99:.0f} {bad.group(1) if bad else 0}")
PY
}

# Starts nginx (one worker, on CPU 1) serving a static 1 KB JSON file and sets nginx_url to
# that file's URL. $work must be readable by nginx's unprivileged workers.
start_nginx_baseline() {
  local here port
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  port=$(free_port)
  mkdir -p "$work/www"
  head -c 1024 < <(yes '{"static":"1 KB of JSON"}' | tr -d '\n') > "$work/www/twin.json"
  sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$port#g" "$here/nginx.conf.in" > "$work/nginx.conf"
  taskset -c 1 nginx -c "$work/nginx.conf" -p "$work" &
  pids+=($!)
  nginx_url="http://127.0.0.1:$port/twin.json"
  for _ in $(seq 50); do curl -sf "$nginx_url" >/dev/null && return 0; sleep 0.1; done
  echo "nginx did not start (see $work/nginx-error.log)" >&2
  return 1
}

# Starts `$dtwin serve` on CPU 1 on a free port with the data in $work/data and the extra
# serve ARGS, waits until it listens, and sets dtwin_pid and base (the URL it listens on);
# exits with dtwin's messages when it does not start.
start_dtwin() {
  taskset -c 1 "$dtwin" serve --listen 127.0.0.1:0 --data-dir "$work/data" "$@" \
    > "$work/dtwin.out" 2> "$work/dtwin.err" &
  dtwin_pid=$!
  pids+=("$dtwin_pid")
  for _ in $(seq 100); do grep -q "listening on" "$work/dtwin.out" 2>/dev/null && break; sleep 0.1; done
  grep -q "listening on" "$work/dtwin.out" || { cat "$work/dtwin.err" >&2; exit 1; }
  base=$(head -1 "$work/dtwin.out" | sed 's/.*listening on //')
}

# Creates the bench model and $twins twins bench-0.. (bench_model.json, bench_twin.json next to
# this file) through the plain-HTTP URL base (the sourcing script sets api and twins).
populate_twins() {
  local base=$1 files
  files=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  python3 - "$base" "$api" "$twins" "$files" <<'PY'
import http.client, json, sys, urllib.parse
base, api, twins, here = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
url = urllib.parse.urlparse(base)
conn = http.client.HTTPConnection(url.hostname, url.port)
headers = {"Authorization": "Bearer bench", "Content-Type": "application/json"}
conn.request("POST", f"/models?api-version={api}", open(f"{here}/bench_model.json").read(), headers)
r = conn.getresponse(); r.read()
assert r.status == 201, r.status
twin = open(f"{here}/bench_twin.json").read()
for i in range(twins):
    conn.request("PUT", f"/digitaltwins/bench-{i}?api-version={api}", twin, headers)
    r = conn.getresponse(); r.read()
    assert r.status == 200, (r.status, i)
PY
}

# Makes $work, a temp dir (readable by nginx's unprivileged workers), and on exit stops every
# process whose PID is in $pids and removes $work. name: the dir's prefix.
init_workspace() {
  work=$(mktemp -d "/tmp/dtwin-$1.XXXXXX")
  chmod 755 "$work"
  pids=()
  trap cleanup_workspace EXIT
}

cleanup_workspace() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
