// Event routing end to end through the JavaScript SDK: a route made with upsertEventRoute, a twin
// changed and telemetry published with the SDK, and the CloudEvents that reach a webhook receiver.
"use strict";

const assert = require("node:assert/strict");
const { after, before, describe, it } = require("node:test");
const { ROOM, SINK_ENDPOINT, THERMOSTAT, fixtureModels, makeClient, roomTwin, startServer } =
  require("../support");
const { WebhookReceiver } = require("../webhook_receiver");

const EVENT_SOURCE = "conformance-adt.api.local.digitaltwins.azure.net";
const TELEMETRY = "microsoft.iot.telemetry";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;
const TRACEPARENT = /^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

// The twin an event is about: telemetry names it in its source, the others in the subject.
function twinOf(event) {
  return event.type === TELEMETRY ? event.source.split("/digitaltwins/")[1] : event.subject.split("/relationships/")[0];
}

// The events of one twin in arrival order, a redelivered event (same id) counted once.
function eventsOf(events, twinId) {
  const seen = new Set();
  return events.filter((e) => twinOf(e) === twinId && !seen.has(e.id) && seen.add(e.id));
}

describe("event delivery", () => {
  let receiver;
  let server;
  let client;

  before(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    server = await startServer({ sinkUrl: receiver.url, extraArgs: ["--event-source", EVENT_SOURCE] });
    ({ client } = makeClient(server));
    await client.createModels(fixtureModels());
  });
  after(async () => {
    if (server) assert.equal(await server.stop(), 0, "dtwin serve exits 0 on SIGTERM");
    await receiver.stop();
  });

  it("a route delivers twin changes and telemetry in order", async () => {
    await client.upsertEventRoute("all", SINK_ENDPOINT, "true");
    const created = await client.upsertDigitalTwin("js-room", JSON.stringify(roomTwin("Kitchen")));
    const patch = [{ op: "replace", path: "/name", value: "Lab" }];
    await client.updateDigitalTwin("js-room", patch);
    await client.publishTelemetry("js-room", { humidity: 40.5 }, "js-msg-1");
    // 1.1.0 swaps payload and message id: called swapped, the wire carries the right ones.
    await client.publishComponentTelemetry("js-room", "thermostat", "js-msg-2", { measured: 20.1 });
    const beforeDelete = (await client.getDigitalTwin("js-room")).body;
    await client.deleteDigitalTwin("js-room");

    const all = await receiver.waitFor((events) =>
      events.some((e) => e.type === "Microsoft.DigitalTwins.Twin.Delete" && e.subject === "js-room"),
    "Twin.Delete of js-room");
    const events = eventsOf(all, "js-room");
    assert.deepEqual(events.map((e) => e.type), ["Microsoft.DigitalTwins.Twin.Create",
      "Microsoft.DigitalTwins.Twin.Update", TELEMETRY, TELEMETRY, "Microsoft.DigitalTwins.Twin.Delete"]);
    const [create, update, telemetry, componentTelemetry, deleted] = events;
    for (const event of [create, update, deleted]) {
      assert.equal(event.specversion, "1.0");
      assert.equal(event.source, EVENT_SOURCE);
      assert.equal(event.subject, "js-room");
      assert.equal(event.datacontenttype, "application/json");
      assert.match(event.id, UUID);
      assert.match(event.time, TIME);
      assert.match(event.traceparent, TRACEPARENT);
      assert.equal(event.dataschema, undefined);
    }
    assert.deepEqual(create.data, created.body);
    assert.deepEqual(update.data, { modelId: ROOM, patch });
    assert.deepEqual(deleted.data, beforeDelete);

    for (const event of [telemetry, componentTelemetry]) {
      assert.equal(event.source, `${EVENT_SOURCE}/digitaltwins/js-room`);
      assert.equal(event.datacontenttype, "application/json");
      assert.equal(event.time, undefined, "telemetry has no time");
    }
    assert.deepEqual([telemetry.id, telemetry.subject, telemetry.dataschema, telemetry.data],
      ["js-msg-1", undefined, ROOM, { humidity: 40.5 }]);
    assert.deepEqual([componentTelemetry.id, componentTelemetry.subject, componentTelemetry.dataschema,
      componentTelemetry.data], ["js-msg-2", "thermostat", THERMOSTAT, { measured: 20.1 }]);

    const post = receiver.requests.find((r) => r.method === "POST");
    assert.equal(post.headers["content-type"], "application/cloudevents+json");
    assert.equal(receiver.requests[0].method, "OPTIONS", "the validation handshake comes first");
    assert.equal(receiver.requests[0].headers["webhook-request-origin"], EVENT_SOURCE);
  });

  it("a filtered route delivers only what matches", async () => {
    await client.upsertEventRoute("all", SINK_ENDPOINT, "type = 'Microsoft.DigitalTwins.Twin.Update'");
    await client.upsertDigitalTwin("js-filtered", JSON.stringify(roomTwin("Hall")));
    await client.publishTelemetry("js-filtered", { humidity: 50 }, "js-msg-3");
    await client.updateDigitalTwin("js-filtered", [{ op: "add", path: "/temperature", value: 19 }]);
    // The update is the twin's last event: once it arrived, any earlier event would have too.
    const all = await receiver.waitFor((events) => events.some((e) => e.subject === "js-filtered" &&
      e.type === "Microsoft.DigitalTwins.Twin.Update"), "Twin.Update of js-filtered");
    assert.deepEqual(eventsOf(all, "js-filtered").map((e) => [e.type, e.data]),
      [["Microsoft.DigitalTwins.Twin.Update",
        { modelId: ROOM, patch: [{ op: "add", path: "/temperature", value: 19 }] }]]);
  });
});
