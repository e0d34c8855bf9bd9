"""An HTTPS `dtwin serve --auth jwt` with the built-in token issuer, for the DefaultAzureCredential
suites: a development CA (`dtwin cert dev`), clients with random secrets in a config file, and
the environment variables with which unchanged Azure SDK code gets its tokens from the server.

Used by python_sdk/test_default_credential.py, and run as a script (see main) by
js/test/default_credential.test.js. Not thread-safe: one IssuerServer per test class.
"""

import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from dtwin_server import dtwin_binary, shared_dir  # noqa: E402

_LISTENING = re.compile(r"^dtwin listening on (https://\S+)")
OWNER_ROLE = "Azure Digital Twins Data Owner"
READER_ROLE = "Azure Digital Twins Data Reader"

SEED_README = os.path.join(shared_dir(), "seed", "000_35495ee780a0fefb.txt")


def seed_create_client_code():
    """The seed README's "Create a client" snippet, verbatim, or None when the seed is absent."""
    if not os.path.exists(SEED_README):
        return None
    with open(SEED_README, encoding="utf-8") as f:
        text = f.read()
    match = re.search(r"```python Snippet:dt_create_digitaltwins_service_client\.py\n(.*?)```",
                      text, re.S)
    return match.group(1) if match else None


def seed_create_client_code_or_skip():
    """The snippet, or unittest.SkipTest naming the missing seed README."""
    snippet = seed_create_client_code()
    if snippet is None:
        raise unittest.SkipTest(f"the seed README with the create-a-client snippet is "
                                f"missing: {SEED_README}")
    return snippet


class IssuerServer:
    """Start with start(), stop with stop(); clients is {client_id: (secret, role)}."""

    def __init__(self, clients):
        self.clients = {client_id: (secrets.token_urlsafe(24), role)
                        for client_id, role in clients.items()}
        self.dir = None
        self.process = None
        self.url = None
        self.ca_file = None
        self._log = []

    def start(self):
        binary = dtwin_binary()
        self.dir = tempfile.mkdtemp(prefix="dtwin-issuer-")
        certs = os.path.join(self.dir, "certs")
        made = subprocess.run([binary, "cert", "dev", "--data-dir", certs],
                              capture_output=True, text=True, timeout=60)
        if made.returncode != 0:
            raise RuntimeError(f"dtwin cert dev failed: {made.stderr}")
        self.ca_file = os.path.join(certs, "tls", "ca.pem")
        config = os.path.join(self.dir, "dtwin.toml")
        with open(config, "w", encoding="utf-8") as f:
            f.write('auth = "jwt"\n[issuer]\nenabled = true\n')
            for client_id, (secret, role) in self.clients.items():
                digest = hashlib.sha256(secret.encode()).hexdigest()
                f.write(f'[[issuer.clients]]\nclient_id = "{client_id}"\n'
                        f'secret_sha256 = "{digest}"\nroles = ["{role}"]\n')
        args = [binary, "serve", "--listen", "127.0.0.1:0", "--data-dir",
                os.path.join(self.dir, "data"), "--config", config,
                "--tls-cert", os.path.join(certs, "tls", "server.pem"),
                "--tls-key", os.path.join(certs, "tls", "server-key.pem")]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        line = self.process.stdout.readline()
        match = _LISTENING.match(line)
        if not match:
            self.stop()
            raise RuntimeError(f"dtwin serve did not start over https: {line!r} {self.log()}")
        self.url = match.group(1)
        drain = threading.Thread(target=lambda: self._log.extend(self.process.stderr), daemon=True)
        drain.start()

    def environment(self, client_id, secret=None):
        """Only what DefaultAzureCredential and the seed code read, plus PATH."""
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "AZURE_URL": self.url,
            "AZURE_AUTHORITY_HOST": self.url,
            "AZURE_TENANT_ID": "adfs",
            "AZURE_CLIENT_ID": client_id,
            "AZURE_CLIENT_SECRET": secret if secret is not None else self.clients[client_id][0],
            "REQUESTS_CA_BUNDLE": self.ca_file,
            "NODE_EXTRA_CA_CERTS": self.ca_file,
            "SSL_CERT_FILE": self.ca_file,
        }

    def log(self):
        return "".join(self._log)

    def log_contains(self, text, timeout_s=10):
        """Whether text shows up in the server's stderr within timeout_s (the access log is
        flushed every 200 ms)."""
        deadline = time.monotonic() + timeout_s
        while text not in self.log():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)


def main():
    """For suites in other languages: starts a server with an Owner client "sdk-owner" and a
    Reader client "sdk-reader", prints one JSON line {"url", "log_hint", "env": {client: env}},
    and stops the server when stdin closes."""
    server = IssuerServer({"sdk-owner": OWNER_ROLE, "sdk-reader": READER_ROLE})
    server.start()
    try:
        envs = {client_id: server.environment(client_id) for client_id in server.clients}
        print(json.dumps({"url": server.url, "env": envs}), flush=True)
        sys.stdin.read()
    finally:
        sys.stderr.write(server.log())
        server.stop()


if __name__ == "__main__":
    main()
