// Shared set-up of the JavaScript SDK suite: starts `dtwin serve` (port 0, fresh data dir) and
// builds an official @azure/digital-twins-core client for it. One server per test file; node's
// test runner runs each file in its own process.
"use strict";

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const readline = require("node:readline");
const { DefaultHttpClient } = require("@azure/core-http");
const { DigitalTwinsClient } = require("@azure/digital-twins-core");

const SINK_ENDPOINT = "conformance-sink";
const ROOM = "dtmi:conformance:Room;1";
const FLOOR = "dtmi:conformance:Floor;1";
const THERMOSTAT = "dtmi:conformance:Thermostat;1";
const CORNER_ROOM = "dtmi:conformance:CornerRoom;1";

function dtwinBinary() {
  return path.resolve(process.env.DTWIN_BINARY || path.join(__dirname, "..", "..", "..", "build", "dtwin"));
}

function fixtureModels() {
  return JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "models.json"), "utf8"));
}

// Starts the server; resolves to {url, host, port, stop()} once it printed its listening line.
// sinkUrl: where SINK_ENDPOINT delivers; extraArgs: more `dtwin serve` options.
function startServer({ sinkUrl = "http://127.0.0.1:9/events", extraArgs = [] } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dtwin-conformance-js-"));
  const child = spawn(dtwinBinary(), ["serve", "--listen", "127.0.0.1:0", "--data-dir", dataDir,
    "--auth", "none", "--endpoint", `${SINK_ENDPOINT}=${sinkUrl}`, ...extraArgs],
  { stdio: ["ignore", "pipe", "pipe"] });
  const log = [];
  child.stderr.on("data", (chunk) => log.push(chunk.toString()));
  const killOnExit = () => child.kill("SIGTERM");
  process.on("exit", killOnExit);

  let exitCode = null;
  const exited = new Promise((resolve) => child.on("exit", (code, signal) => {
    exitCode = code === null ? signal : code;
    resolve(exitCode);
  }));
  const stop = async () => {
    if (exitCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15000);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener("exit", killOnExit);
    fs.rmSync(dataDir, { recursive: true, force: true });
    return exitCode;
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`dtwin serve printed no listening line in 15 s\n${log.join("")}`));
    }, 15000);
    const lines = readline.createInterface({ input: child.stdout });
    lines.once("line", (line) => {
      clearTimeout(timer);
      const match = /^dtwin listening on (http:\/\/([^\s:]+):(\d+))\s*$/.exec(line);
      if (!match) {
        stop();
        reject(new Error(`unexpected first line from dtwin serve: ${JSON.stringify(line)}`));
        return;
      }
      lines.on("line", () => {});  // keep draining stdout
      resolve({ url: match[1], host: match[2], port: Number(match[3]), stop, log: () => log.join("") });
    });
    child.on("error", (err) => { clearTimeout(timer); reject(err); });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`dtwin serve exited (${code}) before listening\n${log.join("")}`));
    });
  });
}

// core-http refuses bearer tokens on http:// URLs, including nextLinks. The client is given an
// https URL; this HttpClient sends every request to the plain-http server instead, saying
// X-Forwarded-Proto: https so that the server's nextLinks stay https.
class DowngradeHttpClient {
  constructor(httpBase) {
    this.httpBase = httpBase;
    this.inner = new DefaultHttpClient();
    this.requests = [];  // [method, url, headers, body] of every request, for assertions on the wire
  }

  async sendRequest(request) {
    const url = new URL(request.url);
    if (url.protocol !== "https:") {
      throw new Error(`the SDK was handed a non-https URL (a nextLink?): ${request.url}`);
    }
    request.url = this.httpBase + url.pathname + url.search;
    request.headers.set("X-Forwarded-Proto", "https");
    this.requests.push([request.method, request.url, request.headers.toJson(), request.body]);
    return this.inner.sendRequest(request);
  }
}

const staticToken = {
  getToken: async () => ({ token: "conformance", expiresOnTimestamp: Date.now() + 3600 * 1000 }),
};

function makeClient(server) {
  const transport = new DowngradeHttpClient(server.url);
  const client = new DigitalTwinsClient(`https://${server.host}:${server.port}`, staticToken, {
    httpClient: transport,
    retryOptions: { maxRetries: 0 },
  });
  return { client, transport };
}

function roomTwin(name = "Kitchen", extra = {}) {
  return { $metadata: { $model: ROOM }, name, thermostat: { $metadata: {}, setpoint: 20 }, ...extra };
}

// Awaits promise, expecting a RestError with the given status and ADT error code.
async function expectRestError(promise, statusCode, code) {
  try {
    await promise;
  } catch (err) {
    if (err.statusCode !== statusCode || (code !== undefined && err.code !== code)) {
      throw new Error(`expected ${statusCode} ${code}, got ${err.statusCode} ${err.code}: ${err.message}`);
    }
    return err;
  }
  throw new Error(`expected ${statusCode} ${code}, but the call succeeded`);
}

async function collectPages(iterator) {
  const pages = [];
  for await (const page of iterator) pages.push(page.value || []);
  return pages;
}

module.exports = {
  CORNER_ROOM, FLOOR, ROOM, SINK_ENDPOINT, THERMOSTAT,
  collectPages, expectRestError, fixtureModels, makeClient, roomTwin, startServer,
};
