"""The seed's "Create a client" code, unchanged, against an HTTPS dtwin with the built-in token
issuer: DefaultAzureCredential (azure-identity's EnvironmentCredential with AZURE_TENANT_ID=adfs)
gets an ES256 token from the server, and DigitalTwinsClient uploads and lists models with it.
Only environment variables point the code at dtwin. Each run is a fresh python3 process.
"""

import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))

from issuer_server import (OWNER_ROLE, READER_ROLE, IssuerServer,  # noqa: E402
                           seed_create_client_code_or_skip)

MODEL = {"@id": "dtmi:conformance:Credential;1", "@type": "Interface",
         "@context": "dtmi:dtdl:context;2", "contents": []}

# What the seed's snippet leaves to the surrounding sample: its imports, and then a use of the
# client. The snippet itself runs as written.
PROLOGUE = ("import json, os\n"
            "from azure.identity import DefaultAzureCredential\n"
            "from azure.digitaltwins.core import DigitalTwinsClient\n")
EPILOGUE = ("try:\n"
            "    serviceClient.create_models([json.loads(os.environ['MODEL'])])\n"
            "    print('created')\n"
            "except Exception as error:\n"
            "    print('create failed:', type(error).__name__, getattr(error, 'status_code', None))\n"
            "print(json.dumps([m.id for m in serviceClient.list_models()]))\n")


class DefaultCredentialTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.snippet = seed_create_client_code_or_skip()
        cls.server = IssuerServer({"seed-owner": OWNER_ROLE, "seed-reader": READER_ROLE})
        cls.server.start()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def run_seed(self, client_id, secret=None):
        env = self.server.environment(client_id, secret)
        env["MODEL"] = json.dumps(MODEL)
        return subprocess.run([sys.executable, "-c", PROLOGUE + self.snippet + EPILOGUE],
                              env=env, capture_output=True, text=True, timeout=120)

    def test_seed_code_uploads_and_lists_models(self):
        result = self.run_seed("seed-owner")
        self.assertEqual(result.returncode, 0, result.stderr + self.server.log())
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "created", result.stdout + result.stderr)
        self.assertIn(MODEL["@id"], json.loads(lines[-1]))
        # The token came from the server's issuer, over the adfs discovery path.
        self.assertTrue(self.server.log_contains("GET /adfs/.well-known/openid-configuration 200"))
        self.assertTrue(self.server.log_contains("POST /adfs/oauth2/token 200"))

    def test_reader_lists_but_cannot_upload(self):
        result = self.run_seed("seed-reader")
        self.assertEqual(result.returncode, 0, result.stderr + self.server.log())
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "create failed: HttpResponseError 403", result.stdout)
        self.assertIsInstance(json.loads(lines[-1]), list)

    def test_guid_tenant_with_instance_discovery_disabled(self):
        # The documented alternative to tenant "adfs": one keyword argument, then the v2.0
        # discovery and token paths under the tenant.
        env = self.server.environment("seed-owner")
        env["AZURE_TENANT_ID"] = "72f988bf-86f1-41af-91ab-2d7cd011db47"
        code = ("import json, os\n"
                "from azure.identity import DefaultAzureCredential\n"
                "from azure.digitaltwins.core import DigitalTwinsClient\n"
                "credential = DefaultAzureCredential(instance_discovery=False)\n"
                "client = DigitalTwinsClient(os.environ['AZURE_URL'], credential)\n"
                "print(json.dumps([m.id for m in client.list_models()]))\n")
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr + self.server.log())
        self.assertIsInstance(json.loads(result.stdout), list)
        self.assertTrue(self.server.log_contains(
            "POST /72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token 200"), self.server.log())

    def test_wrong_secret_fails_authentication(self):
        result = self.run_seed("seed-owner", secret="not-the-secret")
        self.assertNotEqual(result.returncode, 0, result.stdout)
        self.assertIn("ClientAuthenticationError", result.stderr)
        self.assertTrue(self.server.log_contains("POST /adfs/oauth2/token 401"))
        self.assertNotIn("not-the-secret", self.server.log())


if __name__ == "__main__":
    unittest.main()
