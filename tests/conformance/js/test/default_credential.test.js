// The seed's "create a client" code in JavaScript (DefaultAzureCredential + DigitalTwinsClient,
// nothing else) against an HTTPS dtwin with the built-in token issuer, pointed at it by
// environment variables only: AZURE_AUTHORITY_HOST, AZURE_TENANT_ID=adfs, AZURE_CLIENT_ID,
// AZURE_CLIENT_SECRET and NODE_EXTRA_CA_CERTS (read by node at startup, hence a child node).
// The server comes from tests/conformance/lib/issuer_server.py.
"use strict";

const { test, before, after } = require("node:test");
const assert = require("node:assert");
const { spawn, spawnSync } = require("node:child_process");
const path = require("node:path");
const readline = require("node:readline");

const JS_DIR = path.join(__dirname, "..");
const MODEL = { "@id": "dtmi:conformance:JsCredential;1", "@type": "Interface",
  "@context": "dtmi:dtdl:context;2", contents: [] };

// The create-a-client code as an application writes it, then an upload and a listing.
const CLIENT_CODE = `
const { DefaultAzureCredential } = require("@azure/identity");
const { DigitalTwinsClient } = require("@azure/digital-twins-core");

const url = process.env.AZURE_URL;
const credential = new DefaultAzureCredential();
const serviceClient = new DigitalTwinsClient(url, credential);

(async () => {
  try {
    await serviceClient.createModels([JSON.parse(process.env.MODEL)]);
    console.log("created");
  } catch (error) {
    console.log("create failed: " + error.statusCode);
  }
  const ids = [];
  for await (const model of serviceClient.listModels()) ids.push(model.id);
  console.log(JSON.stringify(ids));
})().catch((error) => { console.error(error.name + ": " + error.message); process.exit(1); });
`;

let server;
let serverInfo;

before(async () => {
  server = spawn("/usr/bin/python3", [path.join(JS_DIR, "..", "lib", "issuer_server.py")],
    { stdio: ["pipe", "pipe", "inherit"], env: process.env });
  const lines = readline.createInterface({ input: server.stdout });
  serverInfo = await new Promise((resolve, reject) => {
    lines.once("line", (line) => resolve(JSON.parse(line)));
    server.once("exit", (code) => reject(new Error(`issuer_server.py exited (${code})`)));
  });
});

after(() => {
  if (server) server.stdin.end();
});

function runClient(clientId, overrides = {}) {
  const env = { ...serverInfo.env[clientId], MODEL: JSON.stringify(MODEL), ...overrides };
  return spawnSync(process.execPath, ["-e", CLIENT_CODE], { cwd: JS_DIR, env, encoding: "utf8",
    timeout: 120000 });
}

test("DefaultAzureCredential gets a token from dtwin's issuer; the client uploads and lists", () => {
  const result = runClient("sdk-owner");
  assert.strictEqual(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.strictEqual(lines[0], "created", result.stdout + result.stderr);
  assert.ok(JSON.parse(lines[lines.length - 1]).includes(MODEL["@id"]), result.stdout);
});

test("a Data Reader client lists models but gets 403 uploading", () => {
  const result = runClient("sdk-reader");
  assert.strictEqual(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.strictEqual(lines[0], "create failed: 403", result.stdout);
  assert.ok(Array.isArray(JSON.parse(lines[lines.length - 1])));
});

test("a GUID tenant works with disableInstanceDiscovery", () => {
  const code = CLIENT_CODE.replace("new DefaultAzureCredential()",
    "new DefaultAzureCredential({ disableInstanceDiscovery: true })");
  assert.notStrictEqual(code, CLIENT_CODE);
  const env = { ...serverInfo.env["sdk-owner"], MODEL: JSON.stringify(MODEL),
    AZURE_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47" };
  const result = spawnSync(process.execPath, ["-e", code], { cwd: JS_DIR, env, encoding: "utf8",
    timeout: 120000 });
  assert.strictEqual(result.status, 0, result.stderr);
  assert.ok(Array.isArray(JSON.parse(result.stdout.trim().split("\n").pop())), result.stdout);
});

test("a wrong client secret fails authentication", () => {
  const result = runClient("sdk-owner", { AZURE_CLIENT_SECRET: "not-the-secret" });
  assert.notStrictEqual(result.status, 0, result.stdout);
  assert.match(result.stderr, /Authentication|invalid_client|CredentialUnavailable/, result.stderr);
});
