"""Starts `dtwin serve` on a free loopback port in a fresh data directory, and stops it by PID.

Used by every Python conformance suite. Not thread-safe: one DtwinServer per thread. The
server dies with the test process even when that process is killed (PR_SET_PDEATHSIG).
"""

import ctypes
import os
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time

_LISTENING = re.compile(r"^dtwin listening on (http://(\S+):(\d+))\s*$")
_START_TIMEOUT_S = 15
_STOP_TIMEOUT_S = 15
_PR_SET_PDEATHSIG = 1


def dtwin_binary():
    """The binary under test: $DTWIN_BINARY (set by ctest), else build/dtwin of the checkout."""
    path = os.environ.get("DTWIN_BINARY")
    if not path:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, "..", "..", "..", "build", "dtwin")
    return os.path.abspath(path)


def shared_dir():
    """The shared reference material: $DTWIN_SHARED_DIR (set by ctest), else ../shared."""
    path = os.environ.get("DTWIN_SHARED_DIR")
    if not path:
        here = os.path.dirname(os.path.abspath(__file__))
        path = os.path.join(here, "..", "..", "..", "..", "shared")
    return os.path.abspath(path)


def die_with_parent():
    # Runs in the child between fork and exec: SIGTERM the server if the test runner dies.
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class ServerError(RuntimeError):
    pass


class DtwinServer:
    """One `dtwin serve` process. Use as a context manager, or call start() and stop()."""

    def __init__(self, endpoints=None, extra_args=()):
        # endpoints: {name: url} passed as --endpoint NAME=URL.
        self.endpoints = dict(endpoints or {})
        self.extra_args = list(extra_args)
        self.process = None
        self.data_dir = None
        self.url = None  # http://127.0.0.1:PORT
        self.host = None
        self.port = None
        self.exit_code = None
        self._log_lines = []
        self._drainers = []

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def start(self):
        binary = dtwin_binary()
        if not os.access(binary, os.X_OK):
            raise ServerError(f"dtwin binary not found or not executable: {binary}")
        self.data_dir = tempfile.mkdtemp(prefix="dtwin-conformance-")
        args = [binary, "serve", "--listen", "127.0.0.1:0", "--data-dir", self.data_dir,
                "--auth", "none"]
        for name, url in sorted(self.endpoints.items()):
            args += ["--endpoint", f"{name}={url}"]
        args += self.extra_args
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        try:
            first = self._read_first_line()
        except ServerError:
            self.stop()
            raise
        match = _LISTENING.match(first)
        if not match:
            self.stop()
            raise ServerError(f"unexpected first line from dtwin serve: {first!r}\n{self.log()}")
        self.url, self.host, self.port = match.group(1), match.group(2), int(match.group(3))
        self._drain(self.process.stdout, "stdout")
        self._drain(self.process.stderr, "stderr")
        return self

    def _read_first_line(self):
        deadline = time.monotonic() + _START_TIMEOUT_S
        line = b""
        fd = self.process.stdout.fileno()
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ServerError(f"dtwin serve printed no listening line in {_START_TIMEOUT_S} s")
            ready, _, _ = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 1)
            if not chunk:
                err = self.process.stderr.read().decode(errors="replace")
                raise ServerError(f"dtwin serve exited before listening "
                                  f"(exit {self.process.wait()}):\n{err}")
            line += chunk
        return line.decode(errors="replace").rstrip("\n")

    def _drain(self, stream, name):
        # Keeps the pipes from filling up; the lines are shown when a test fails.
        def run():
            for raw in stream:
                self._log_lines.append(f"[{name}] {raw.decode(errors='replace').rstrip()}")
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        self._drainers.append(thread)

    def log(self):
        return "\n".join(self._log_lines[-200:])

    def stop(self):
        """SIGTERM, wait, SIGKILL as a last resort. Returns the exit code (None if killed)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=_STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                self._log_lines.append(f"[runner] dtwin serve ignored SIGTERM for "
                                       f"{_STOP_TIMEOUT_S} s and was killed")
        if self.process is not None:
            self.exit_code = self.process.returncode
            for thread in self._drainers:
                thread.join(timeout=2)
            self.process.stdout.close()
            self.process.stderr.close()
            self.process = None
        if self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            self.data_dir = None
        return self.exit_code
