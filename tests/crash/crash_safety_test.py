#!/usr/bin/env python3
"""Crash safety of `dtwin serve`: nothing acknowledged is ever lost.

Writers put twins, patch them and link them with relationships while the server is killed
with SIGKILL at random moments (KILLS times). After each restart on the same data
directory, every acknowledged write must be there (a twin's value may be newer than the
last acknowledged one, never older), and the graph must be consistent: every relationship's
source and target exist, and each twin's incoming list is exactly what the outgoing lists
say.

Usage: crash_safety_test.py DTWIN_BINARY [KILLS]
"""
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

API = "api-version=2023-10-31"
HEADERS = {"Authorization": "Bearer crash-test", "Content-Type": "application/json"}
MODEL = {
    "@context": "dtmi:dtdl:context;3",
    "@id": "dtmi:dtwin:crash:Node;1",
    "@type": "Interface",
    "contents": [
        {"@type": "Property", "name": "value", "schema": "integer"},
        {"@type": "Relationship", "name": "next", "target": "dtmi:dtwin:crash:Node;1"},
    ],
}
TWINS_PER_WRITER = 40
WRITERS = 4


class Server:
    def __init__(self, binary, data_dir):
        self.proc = subprocess.Popen(
            [binary, "serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if "listening on" not in line:
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r}")
        self.port = int(line.strip().rsplit(":", 1)[1])

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        if self.proc.wait(timeout=30) != 0:
            raise AssertionError(f"server exited with {self.proc.returncode} on SIGTERM")


def request(port, method, path, body=None, headers=HEADERS, timeout=10):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, f"{path}{'&' if '?' in path else '?'}{API}",
                     json.dumps(body) if body is not None else None, headers)
        response = conn.getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else None)
    finally:
        conn.close()


class Ledger:
    """What the server acknowledged: for each twin the index of the last acknowledged value
    it was sent, and the relationships acknowledged as created."""

    def __init__(self):
        self.lock = threading.Lock()
        self.twin_values = {}     # twin id -> list of values sent, in order
        self.acked_index = {}     # twin id -> index into twin_values of the last ack
        self.relationships = {}   # (source, rel id) -> target

    def sent(self, twin, value):
        with self.lock:
            self.twin_values.setdefault(twin, []).append(value)
            return len(self.twin_values[twin]) - 1

    def acked(self, twin, index):
        with self.lock:
            self.acked_index[twin] = max(self.acked_index.get(twin, -1), index)


def writer(port, ledger, writer_id, round_number, stop):
    # A seed per writer and round: values never repeat across rounds, so a stored value
    # identifies the write that produced it.
    rng = random.Random(f"{writer_id}-{round_number}")
    mine = [f"w{writer_id}-t{i}" for i in range(TWINS_PER_WRITER)]
    while not stop.is_set():
        twin = rng.choice(mine)
        try:
            if twin not in ledger.acked_index or rng.random() < 0.2:
                value = rng.randrange(1 << 30)
                index = ledger.sent(twin, value)
                status, _ = request(port, "PUT", f"/digitaltwins/{twin}",
                                    {"$metadata": {"$model": MODEL["@id"]}, "value": value})
                if status == 200:
                    ledger.acked(twin, index)
            elif rng.random() < 0.7:
                value = rng.randrange(1 << 30)
                index = ledger.sent(twin, value)
                status, _ = request(port, "PATCH", f"/digitaltwins/{twin}",
                                    [{"op": "replace", "path": "/value", "value": value}],
                                    {**HEADERS, "Content-Type": "application/json-patch+json"})
                if status == 204:
                    ledger.acked(twin, index)
            else:
                target = rng.choice(mine)
                if target == twin or target not in ledger.acked_index:
                    continue
                rel = f"r{rng.randrange(1000)}"
                status, _ = request(port, "PUT", f"/digitaltwins/{twin}/relationships/{rel}",
                                    {"$targetId": target, "$relationshipName": "next"})
                if status == 200:
                    with ledger.lock:
                        ledger.relationships[(twin, rel)] = target
        except (OSError, http.client.HTTPException):
            time.sleep(0.01)  # the server is down; retry after the restart


def list_all(port, path):
    items, url = [], path
    while url:
        status, body = request(port, "GET", url)
        assert status == 200, (status, url, body)
        items += body["value"]
        link = body.get("nextLink")
        url = link.split("//", 1)[1].split("/", 1)[1] if link else None
        if url:
            url = "/" + url.replace(f"&{API}", "").replace(f"?{API}", "?").rstrip("?")
    return items


def verify(port, ledger):
    with ledger.lock:
        acked = dict(ledger.acked_index)
        values = {k: list(v) for k, v in ledger.twin_values.items()}
        relationships = dict(ledger.relationships)
    present = {}
    for twin, index in acked.items():
        status, body = request(port, "GET", f"/digitaltwins/{twin}")
        assert status == 200, f"acknowledged twin {twin} is missing after restart ({status})"
        sent = values[twin]
        stored = max((i for i, v in enumerate(sent) if v == body["value"]), default=-1)
        assert stored >= index, (f"twin {twin}: value {body['value']} is older than the "
                                 f"acknowledged write #{index}")
        present[twin] = body
    for (source, rel), target in relationships.items():
        status, body = request(port, "GET", f"/digitaltwins/{source}/relationships/{rel}")
        assert status == 200, f"acknowledged relationship {source}/{rel} is missing ({status})"
    # Consistency: endpoints exist; incoming lists equal what outgoing lists imply.
    outgoing_pairs = set()
    for twin in present:
        for item in list_all(port, f"/digitaltwins/{twin}/relationships"):
            status, _ = request(port, "GET", f"/digitaltwins/{item['$targetId']}")
            assert status == 200, f"relationship {twin}/{item['$relationshipId']} has no target"
            outgoing_pairs.add((item["$sourceId"], item["$relationshipId"], item["$targetId"]))
    incoming_pairs = set()
    for twin in present:
        for item in list_all(port, f"/digitaltwins/{twin}/incomingrelationships"):
            incoming_pairs.add((item["$sourceId"], item["$relationshipId"], twin))
    assert outgoing_pairs == incoming_pairs, (
        f"incoming index differs from outgoing: {sorted(outgoing_pairs ^ incoming_pairs)[:5]}")
    return len(present), len(outgoing_pairs)


def main():
    binary = sys.argv[1]
    kills = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    data_dir = tempfile.mkdtemp(prefix="dtwin-crash-")
    rng = random.Random(4711)
    server = None
    try:
        server = Server(binary, data_dir)
        status, body = request(server.port, "POST", "/models", [MODEL])
        assert status == 201, (status, body)
        ledger = Ledger()
        for round_number in range(1, kills + 1):
            stop = threading.Event()
            threads = [threading.Thread(target=writer,
                                        args=(server.port, ledger, w, round_number, stop))
                       for w in range(WRITERS)]
            for t in threads:
                t.start()
            time.sleep(rng.uniform(0.2, 1.2))
            server.kill()
            stop.set()
            for t in threads:
                t.join()
            server = Server(binary, data_dir)
            twins, rels = verify(server.port, ledger)
            print(f"kill {round_number}/{kills}: {twins} acknowledged twins and "
                  f"{rels} relationships intact", flush=True)
        server.stop()
        print(f"{kills} passed, 0 failed")
    finally:
        if server is not None and server.proc.poll() is None:
            server.kill()  # a failed check must not leave the server running
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    try:
        main()
    except AssertionError as error:
        print(f"FAILED: {error}")
        print("0 passed, 1 failed")
        sys.exit(1)
