"""Shared set-up of the Python SDK suite: the official azure-digitaltwins-core client (Debian's
python3-azure) pointed at a `dtwin serve` started for each test class.

Not thread-safe; unittest runs the classes one after another.
"""

import copy
import json
import logging
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))

from azure.core.pipeline.policies import SansIOHTTPPolicy  # noqa: E402
from azure.digitaltwins.core import DigitalTwinsClient  # noqa: E402

from dtwin_server import DtwinServer  # noqa: E402

# The SDK's publish_telemetry serializes a naive utcnow(), and msrest warns about it each time.
logging.getLogger("msrest.serialization").setLevel(logging.ERROR)

SINK_ENDPOINT = "conformance-sink"

with open(os.path.join(HERE, "..", "fixtures", "models.json"), encoding="utf-8") as _f:
    FIXTURE_MODELS = json.load(_f)

THERMOSTAT = "dtmi:conformance:Thermostat;1"
ROOM = "dtmi:conformance:Room;1"
FLOOR = "dtmi:conformance:Floor;1"
CORNER_ROOM = "dtmi:conformance:CornerRoom;1"


class StaticBearerPolicy(SansIOHTTPPolicy):
    """Replaces BearerTokenCredentialPolicy, which refuses plain-http endpoints."""

    def on_request(self, request):
        request.http_request.headers["Authorization"] = "Bearer conformance"


class _UnusedCredential:
    def get_token(self, *scopes, **kwargs):
        raise AssertionError("the static authentication policy should have replaced the credential")


def make_client(url):
    # retry_total=0: a server error must fail the test at once, not after SDK back-off.
    return DigitalTwinsClient(url, _UnusedCredential(), authentication_policy=StaticBearerPolicy(),
                              retry_total=0)


def fixture_models():
    return copy.deepcopy(FIXTURE_MODELS)


def room_twin(name="Kitchen", **props):
    twin = {"$metadata": {"$model": ROOM}, "name": name, "thermostat": {"$metadata": {}, "setpoint": 20}}
    twin.update(props)
    return twin


def error_code(exc):
    """The ADT error code the SDK parsed from the body ({"error": {"code": ...}})."""
    error = getattr(exc, "error", None)
    return getattr(error, "code", None)


class ServerTestCase(unittest.TestCase):
    """Starts one `dtwin serve` (fresh data dir, port 0) per class and uploads the fixture models."""

    upload_fixtures = True

    @classmethod
    def make_server(cls):
        """The class's server; classes that need their own endpoints or options override it."""
        return DtwinServer(endpoints={SINK_ENDPOINT: "http://127.0.0.1:9/events"})

    @classmethod
    def setUpClass(cls):
        cls.server = cls.make_server()
        cls.server.start()
        try:
            cls.client = make_client(cls.server.url)
            if cls.upload_fixtures:
                cls.client.create_models(fixture_models())
        except BaseException:
            cls.server.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        code = cls.server.stop()
        if code != 0:
            raise AssertionError(f"dtwin serve exited with {code} after SIGTERM (expected 0)\n"
                                 f"{cls.server.log()}")

    def assertHttpError(self, exc_type, call, status, code):
        """Runs call(), expecting exc_type with the given HTTP status and ADT error code."""
        with self.assertRaises(exc_type) as ctx:
            call()
        exc = ctx.exception
        self.assertEqual(exc.status_code, status, f"HTTP status of {exc!r}")
        self.assertEqual(error_code(exc), code, f"error code of {exc!r}")
        return exc
