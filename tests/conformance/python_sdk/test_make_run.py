"""`make run`'s development server (scripts/run-main with scripts/dev-server.toml): the
environment it prints is all the seed's unchanged "Create a client" code needs to connect over
HTTPS with DefaultAzureCredential and the built-in issuer's well-known client, while plain HTTP
still serves curl and the CLI. Ports and the data directory are overridden so the test can run
beside anything else; everything else is exactly what `make run` starts.
"""

import json
import os
import shlex
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))

from dtwin_server import die_with_parent, dtwin_binary  # noqa: E402
from issuer_server import seed_create_client_code_or_skip  # noqa: E402
from test_default_credential import EPILOGUE, MODEL, PROLOGUE  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MakeRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.snippet = seed_create_client_code_or_skip()
        cls.data = tempfile.TemporaryDirectory(prefix="dtwin_make_run_")
        cls.http = f"127.0.0.1:{free_port()}"
        env = dict(os.environ, DTWIN_BINARY=dtwin_binary(), DTWIN_HTTP_LISTEN=cls.http,
                   DTWIN_HTTPS_LISTEN=f"127.0.0.1:{free_port()}", DTWIN_DATA_DIR=cls.data.name)
        cls.server = subprocess.Popen([os.path.join(ROOT, "scripts", "run-main")], env=env,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                      stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        cls.listening = cls.server.stdout.readline()
        cls.log = []
        threading.Thread(target=lambda: cls.log.extend(cls.server.stderr), daemon=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.terminate()
        cls.server.wait(timeout=30)
        cls.data.cleanup()

    def printed_environment(self):
        """The variables of the `export` line make run printed."""
        for _ in range(100):
            for line in list(self.log):
                if line.startswith("export "):
                    return dict(word.split("=", 1) for word in shlex.split(line)[1:])
            self.server.poll()
            if self.server.returncode is not None:
                break
            threading.Event().wait(0.1)
        self.fail("make run printed no export line: " + "".join(self.log))

    def test_starts_both_listeners(self):
        self.assertTrue(self.listening.startswith("dtwin listening on http://" + self.http),
                        self.listening + "".join(self.log))
        self.assertIn(" and https://", self.listening)

    def test_plain_http_serves_curl_without_a_token(self):
        with urllib.request.urlopen(f"http://{self.http}/models?api-version=2023-10-31") as r:
            self.assertEqual(r.status, 200)
            self.assertIn("value", json.loads(r.read()))

    def test_seed_code_connects_with_the_printed_environment(self):
        env = self.printed_environment()
        self.assertEqual(env["AZURE_TENANT_ID"], "adfs")
        env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
        env["MODEL"] = json.dumps(MODEL)
        result = subprocess.run([sys.executable, "-c", PROLOGUE + self.snippet + EPILOGUE],
                                env=env, capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr + "".join(self.log))
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "created", result.stdout + result.stderr)
        self.assertIn(MODEL["@id"], json.loads(lines[-1]))


if __name__ == "__main__":
    unittest.main()
