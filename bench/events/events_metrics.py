#!/usr/bin/env python3
"""Reads dtwin's /metrics for the events benchmark (run_events_bench.sh): snapshots of the
per-endpoint event counters, waiting for the delivery backlog to drain, and the figures of a
window between two snapshots (events/s, dead letters, p99 from the latency histogram).

  events_metrics.py snapshot BASE_URL            -> one JSON line on stdout
  events_metrics.py drain BASE_URL TIMEOUT_S [AFTER.json DRAINED.json]
      -> seconds until every queue depth is 0; with the files, snapshots when it starts
         (the end of a measured window) and once drained
  events_metrics.py window BEFORE.json AFTER.json ENDPOINT
      -> "delivered events_per_s dead_lettered p99_ms mean_ms queue_depth_at_end" of ENDPOINT
         between the two
  events_metrics.py cpu PID...                   -> CPU seconds used so far by the processes
                                                    and their children (e.g. nginx's worker)
  events_metrics.py threads PID                  -> "http commit lanes": CPU seconds used so far
      by dtwin's threads, by name: the store's commit thread (dtwin-commit), the delivery
      lanes (dtwin-ev-*) and the rest (the HTTP server's)
"""
import json
import math
import os
import re
import sys
import time
import urllib.request

SAMPLE = re.compile(r'^(\w+)\{endpoint="((?:[^"\\]|\\.)*)"(?:,le="([^"]+)")?\} (\S+)$')


def snapshot(base):
    text = urllib.request.urlopen(base + "/metrics", timeout=10).read().decode()
    taken = time.monotonic()
    endpoints = {}
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if not match:
            continue
        name, endpoint, le, value = match.groups()
        stats = endpoints.setdefault(endpoint, {"buckets": []})
        if name == "dtwin_events_delivery_latency_seconds_bucket":
            stats["buckets"].append([le, int(value)])
        elif name == "dtwin_events_delivery_latency_seconds_sum":
            stats["latency_sum"] = float(value)
        else:
            stats[name] = float(value)
    return {"time": taken, "endpoints": endpoints}


def drain(base, timeout, after_file=None, drained_file=None):
    first = snapshot(base)
    while first["time"] + timeout > time.monotonic():
        last = snapshot(base)
        if all(s["dtwin_events_queue_depth"] == 0 for s in last["endpoints"].values()):
            for name, value in ((after_file, first), (drained_file, last)):
                if name:
                    with open(name, "w") as f:
                        json.dump(value, f)
            return last["time"] - first["time"]
        time.sleep(0.02)
    sys.exit(f"the event backlog did not drain within {timeout} s")


def p99_ms(before, after):
    """Upper bound (ms) of the first bucket whose cumulative count reaches 99% of the events
    delivered between the snapshots; '-' without events."""
    deltas = [(le, a - b) for (le, a), (_, b) in zip(after["buckets"], before["buckets"])]
    total = deltas[-1][1]  # le="+Inf"
    if total == 0:
        return "-"
    target = math.ceil(0.99 * total)
    for le, cumulative in deltas:
        if cumulative >= target:
            return "inf" if le == "+Inf" else f"{float(le) * 1000:g}"


def window(before_file, after_file, endpoint):
    with open(before_file) as f:
        before = json.load(f)
    with open(after_file) as f:
        after = json.load(f)
    b, a = before["endpoints"][endpoint], after["endpoints"][endpoint]
    delivered = int(a["dtwin_events_delivered_total"] - b["dtwin_events_delivered_total"])
    dead = int(a["dtwin_events_dead_lettered_total"] - b["dtwin_events_dead_lettered_total"])
    seconds = after["time"] - before["time"]
    count = a["buckets"][-1][1] - b["buckets"][-1][1]
    mean = (a["latency_sum"] - b["latency_sum"]) / count * 1000 if count else 0
    depth = int(a["dtwin_events_queue_depth"])
    print(f"{delivered} {delivered / seconds:.0f} {dead} {p99_ms(b, a)} {mean:.1f} {depth}")


def cpu_seconds(pid):
    """utime + stime of pid and its live descendants, from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
        children = []
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                children += f.read().split()
    except FileNotFoundError:
        return 0.0
    return ticks / os.sysconf("SC_CLK_TCK") + sum(cpu_seconds(child) for child in children)


def thread_seconds(pid):
    """(http, commit, lanes) CPU seconds of pid's threads, grouped by thread name."""
    groups = {"http": 0, "commit": 0, "lanes": 0}
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/stat") as f:
                text = f.read()
        except FileNotFoundError:
            continue  # a thread that ended meanwhile
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        group = ("commit" if name == "dtwin-commit" else
                 "lanes" if name.startswith("dtwin-ev-") else "http")
        groups[group] += int(fields[11]) + int(fields[12])
    ticks = os.sysconf("SC_CLK_TCK")
    return tuple(groups[g] / ticks for g in ("http", "commit", "lanes"))


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "snapshot":
        print(json.dumps(snapshot(args[0])))
    elif command == "drain":
        print(f"{drain(args[0], float(args[1]), *args[2:]):.2f}")
    elif command == "cpu":
        print(f"{sum(cpu_seconds(pid) for pid in args):.2f}")
    elif command == "threads":
        print(" ".join(f"{seconds:.2f}" for seconds in thread_seconds(args[0])))
    elif command == "window":
        window(*args)
    else:
        sys.exit(f"unknown command {command}")
