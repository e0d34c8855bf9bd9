#!/usr/bin/env python3
"""Sequential POST /query latency: one connection, one query at a time, the first page only.

Usage: query_latency.py BASE_URL BODIES_FILE PAGE_SIZE SAMPLES EXPECTED_ROWS
Sends SAMPLES queries (the bodies of BODIES_FILE in turn, one JSON body per line) with
max-items-per-page PAGE_SIZE, checks that each answers 200 with EXPECTED_ROWS rows, and prints
"p50_ms p99_ms response_bytes" (the last response's size). Exits 1 on the first wrong answer.
"""
import http.client
import json
import sys
import time
import urllib.parse


def main():
    base, bodies_file, page_size, samples, expected = sys.argv[1:6]
    page_size, samples, expected = int(page_size), int(samples), int(expected)
    bodies = [line.strip() for line in open(bodies_file) if line.strip()]
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    headers = {"Authorization": "Bearer bench", "Content-Type": "application/json",
               "max-items-per-page": str(page_size)}
    latencies, size = [], 0
    for k in range(samples):
        start = time.perf_counter()
        conn.request("POST", "/query?api-version=2023-10-31", bodies[k % len(bodies)], headers)
        response = conn.getresponse()
        payload = response.read()
        latencies.append(time.perf_counter() - start)
        size = len(payload)
        if response.status != 200:
            sys.exit(f"query_latency: HTTP {response.status}: {payload[:300]!r}")
        rows = len(json.loads(payload)["value"])
        if rows != expected:
            sys.exit(f"query_latency: {rows} rows instead of {expected} for {bodies[k % len(bodies)]}")
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000
    p99 = latencies[len(latencies) * 99 // 100] * 1000
    print(f"{p50:.2f} {p99:.2f} {size}")


if __name__ == "__main__":
    main()
