#!/usr/bin/python3
"""Runs the HTTP scenario files (*.test) against a real `dtwin serve`, one fresh server each.

The format (after FIWARE Orion's functional tests) is described in README.md beside this
file. Usage: run_scenarios.py [--check] [FILE.test ...]   (default: every *.test in this folder);
--check only parses the files (no server).
Prints one line per scenario and closes with "N passed, N failed"; exit 1 on any failure.
"""

import http.client
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from dtwin_server import DtwinServer, ServerError  # noqa: E402
from http_call import request  # noqa: E402

API = "api-version=2023-10-31"
DEFAULT_TOKEN = "Bearer conformance"

# Named holes: {{kind}} or {{var=kind}} in expected header values and JSON strings.
HOLE_KINDS = {
    "any": r".*",
    "etag": r'W/"[^"\s]+"',
    # Twin and component times: 7 fractional digits, trailing zeros kept, then Z.
    "time": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z",
    # Model uploadTime: trailing zeros trimmed, +00:00 offset.
    "uploadtime": r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,7})?\+00:00",
    "uuid": r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
    "int": r"-?\d+",
    "code": r"[A-Za-z]+",  # an ADT error code
}
HOLE = re.compile(r"\{\{(?:(\w+)=)?(re:.*?|\w+)\}\}")
VARIABLE = re.compile(r"\$\{([\w:.-]+)\}")
MORE_KEYS = "..."          # "...": "..." in an expected object allows further keys
UNORDERED = "{{unordered}}"  # first element of an expected array: compare as a multiset
ANY_JSON = "{{json}}"      # a string standing for any JSON value


class Mismatch(Exception):
    pass


class Step:
    def __init__(self, line_no, method, target):
        self.line_no = line_no
        self.method = method
        self.target = target
        self.headers = []       # (name, value); "!name" removes a default header
        self.body_lines = []
        self.status = None
        self.expect_headers = []  # (name, pattern or None for "must be absent")
        self.expect_body_lines = []


def parse_file(path):
    """Splits a .test file into Steps. '#' lines are comments everywhere."""
    steps = []
    section = None  # "req-headers", "req-body", "exp-headers", "exp-body"
    with open(path, encoding="utf-8") as f:
        for line_no, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if line.startswith("#"):
                continue
            if line.startswith(">>> "):
                parts = line[4:].split(" ", 1)
                if len(parts) != 2:
                    raise ValueError(f"{path}:{line_no}: expected '>>> METHOD TARGET'")
                steps.append(Step(line_no, parts[0], parts[1].strip()))
                section = "req-headers"
                continue
            if line.startswith("<<< "):
                if not steps or steps[-1].status is not None:
                    raise ValueError(f"{path}:{line_no}: '<<<' without a request")
                steps[-1].status = [int(code) for code in line[4:].strip().split("|")]
                section = "exp-headers"
                continue
            if section is None:
                if line.strip():
                    raise ValueError(f"{path}:{line_no}: text before the first '>>>'")
                continue
            step = steps[-1]
            if section in ("req-headers", "exp-headers"):
                if not line.strip():
                    section = "req-body" if section == "req-headers" else "exp-body"
                    continue
                if line.startswith("!"):
                    name, value = line[1:].strip(), None
                else:
                    name, _, value = line.partition(":")
                    name, value = name.strip(), value.strip()
                if section == "req-headers":
                    step.headers.append((name if value is not None else "!" + name, value))
                else:
                    step.expect_headers.append((name, value))
            elif section == "req-body":
                step.body_lines.append(line)
            else:
                step.expect_body_lines.append(line)
    for step in steps:
        if step.status is None:
            raise ValueError(f"{path}:{step.line_no}: request without '<<< STATUS'")
    return steps


class Scenario:
    def __init__(self, path):
        self.path = path
        self.steps = parse_file(path)
        self.vars = {}

    # ---- variables and holes ----
    def substitute(self, text, for_regex=False):
        def repl(m):
            name = m.group(1)
            if name.startswith("repeat:"):
                _, unit, count = name.split(":")
                return unit * int(count)
            if name not in self.vars:
                raise Mismatch(f"undefined variable ${{{name}}}")
            value = self.vars[name]
            return re.escape(value) if for_regex else value
        return VARIABLE.sub(repl, text)

    def pattern_of(self, template):
        """Turns an expected string with holes and ${vars} into (regex, [capture names])."""
        out, captures, pos = [], [], 0
        for m in HOLE.finditer(template):
            out.append(re.escape(self.substitute(template[pos:m.start()])))
            var, kind = m.group(1), m.group(2)
            body = kind[3:] if kind.startswith("re:") else HOLE_KINDS.get(kind)
            if body is None:
                raise ValueError(f"unknown hole kind {kind!r}")
            if var:
                out.append(f"(?P<{var}>{body})")
                captures.append(var)
            else:
                out.append(f"(?:{body})")
            pos = m.end()
        out.append(re.escape(self.substitute(template[pos:])))
        return "".join(out), captures

    def match_string(self, template, actual, where):
        regex, captures = self.pattern_of(template)
        m = re.fullmatch(regex, actual, re.DOTALL)
        if not m:
            raise Mismatch(f"{where}: expected {template!r}, got {actual!r}")
        for name in captures:
            self.vars[name] = m.group(name)

    def match_json(self, expected, actual, where):
        if isinstance(expected, str):
            if expected == ANY_JSON:
                return
            if not isinstance(actual, str):
                raise Mismatch(f"{where}: expected a string {expected!r}, got {json.dumps(actual)}")
            self.match_string(expected, actual, where)
        elif isinstance(expected, dict):
            if not isinstance(actual, dict):
                raise Mismatch(f"{where}: expected an object, got {json.dumps(actual)[:200]}")
            open_ended = expected.get(MORE_KEYS) == MORE_KEYS
            keys = [k for k in expected if not (open_ended and k == MORE_KEYS)]
            missing = [k for k in keys if k not in actual]
            extra = [] if open_ended else [k for k in actual if k not in expected]
            if missing or extra:
                raise Mismatch(f"{where}: keys differ: missing {missing}, unexpected {extra}; "
                               f"got {json.dumps(actual)[:300]}")
            for k in keys:
                self.match_json(expected[k], actual[k], f"{where}/{k}")
        elif isinstance(expected, list):
            if not isinstance(actual, list):
                raise Mismatch(f"{where}: expected an array, got {json.dumps(actual)[:200]}")
            if expected and expected[0] == UNORDERED:
                self.match_unordered(expected[1:], actual, where)
                return
            if len(expected) != len(actual):
                raise Mismatch(f"{where}: expected {len(expected)} items, got {len(actual)}: "
                               f"{json.dumps(actual)[:300]}")
            for i, (e, a) in enumerate(zip(expected, actual)):
                self.match_json(e, a, f"{where}/{i}")
        else:
            # Numbers, booleans, null: by value and type (true is not 1).
            if type(expected) is not type(actual) and not (
                    isinstance(expected, (int, float)) and isinstance(actual, (int, float))
                    and not isinstance(expected, bool) and not isinstance(actual, bool)):
                raise Mismatch(f"{where}: expected {json.dumps(expected)}, got {json.dumps(actual)}")
            if expected != actual:
                raise Mismatch(f"{where}: expected {json.dumps(expected)}, got {json.dumps(actual)}")

    def match_unordered(self, expected, actual, where):
        if len(expected) != len(actual):
            raise Mismatch(f"{where}: expected {len(expected)} items, got {len(actual)}: "
                           f"{json.dumps(actual)[:300]}")
        remaining = list(actual)
        for i, e in enumerate(expected):
            for j, a in enumerate(remaining):
                saved = dict(self.vars)
                try:
                    self.match_json(e, a, f"{where}/{i}")
                except Mismatch:
                    self.vars = saved
                    continue
                del remaining[j]
                break
            else:
                raise Mismatch(f"{where}: no item matches expected {json.dumps(e)[:200]} "
                               f"in {json.dumps(actual)[:300]}")

    # ---- running ----
    def run(self, server):
        """Runs every step; returns the list of failures (later steps still run after one)."""
        self.vars = {"base": server.url, "host": f"{server.host}:{server.port}", "api": API}
        failures = []
        for index, step in enumerate(self.steps, 1):
            label = f"step {index} (line {step.line_no}: {step.method} {step.target[:80]})"
            try:
                status, headers, body = self.send(server, step)
            except Mismatch as e:
                failures.append(f"{label}: {e}")
                continue
            except (OSError, http.client.HTTPException) as e:
                failures.append(f"{label}: request failed: {e!r}")
                continue
            try:
                self.check(step, status, headers, body)
            except Mismatch as e:
                shown = body[:600].decode("utf-8", errors="replace")
                header_text = "".join(f"\n    {k}: {v}" for k, v in headers)
                failures.append(f"{label}: {e}\n  actual response: {status}{header_text}\n"
                                f"    {shown}")
        return failures

    def send(self, server, step):
        target = self.substitute(step.target)
        headers = {"Authorization": DEFAULT_TOKEN}
        for name, value in step.headers:
            if name.startswith("!"):
                headers = {k: v for k, v in headers.items() if k.lower() != name[1:].lower()}
            else:
                headers = {k: v for k, v in headers.items() if k.lower() != name.lower()}
                headers[name] = self.substitute(value)
        body = self.substitute("\n".join(step.body_lines).rstrip("\n")).encode("utf-8")
        resp = request(server.host, server.port, step.method, target, headers, body or None)
        return resp.status, resp.headers, resp.body

    def check(self, step, status, headers, body):
        if status not in step.status:
            raise Mismatch(f"status: expected {'|'.join(map(str, step.status))}, got {status}")
        for name, pattern in step.expect_headers:
            values = [v for k, v in headers if k.lower() == name.lower()]
            if pattern is None:
                if values:
                    raise Mismatch(f"header {name}: expected absent, got {values[0]!r}")
                continue
            if len(values) != 1:
                raise Mismatch(f"header {name}: expected once, got {len(values)} times")
            self.match_string(pattern, values[0], f"header {name}")
        expected = "\n".join(step.expect_body_lines).strip()
        if not expected:
            return
        if expected == "<empty>":
            if body:
                raise Mismatch(f"body: expected empty, got {len(body)} bytes")
            return
        text = body.decode("utf-8", errors="replace")
        if expected[0] in "{[":
            try:
                want = json.loads(expected)
            except ValueError as e:
                raise Mismatch(f"bad expected JSON in the .test file: {e}")
            try:
                got = json.loads(text)
            except ValueError:
                raise Mismatch(f"body is not JSON: {text[:300]!r}")
            self.match_json(want, got, "body")
        else:
            self.match_string(expected, text, "body")


def check_syntax(path):
    """Parses a file and every expected JSON body, without a server."""
    for step in parse_file(path):
        text = "\n".join(step.expect_body_lines).strip()
        if text[:1] in ("{", "["):
            try:
                json.loads(text)
            except ValueError as e:
                raise ValueError(f"{path}:{step.line_no}: bad expected JSON: {e}")


def run_file(path):
    """Runs one scenario on its own server; returns (failures, number of steps, server log)."""
    try:
        scenario = Scenario(path)
    except ValueError as e:
        return [str(e)], 0, ""
    server = DtwinServer(endpoints={"conformance-sink": "http://127.0.0.1:9/events"})
    try:
        server.start()
        failures = scenario.run(server)
        exit_code = server.stop()
        if exit_code != 0:
            failures.append(f"dtwin serve exited with {exit_code} after SIGTERM (expected 0)")
    except ServerError as e:
        failures = [str(e)]
    finally:
        server.stop()
    return failures, len(scenario.steps), server.log()


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    args = [a for a in argv[1:] if a != "--check"]
    files = args or sorted(os.path.join(here, f) for f in os.listdir(here) if f.endswith(".test"))
    if "--check" in argv:
        for path in files:
            check_syntax(path)
            print(f"ok   {os.path.basename(path)}")
        return 0
    passed = failed = 0
    for path in files:
        name = os.path.splitext(os.path.basename(path))[0]
        started = time.monotonic()
        failures, steps, log = run_file(path)
        if failures:
            failed += 1
            print(f"FAIL {name}: {len(failures)} failure(s) in {steps} steps "
                  f"(a failure may cause later ones)")
            for failure in failures:
                print("  " + failure.replace("\n", "\n  "))
            if log:
                print("  server output (last lines):\n    " + log[-1500:].replace("\n", "\n    "))
            continue
        passed += 1
        print(f"ok   {name} ({steps} steps, {time.monotonic() - started:.2f} s)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
