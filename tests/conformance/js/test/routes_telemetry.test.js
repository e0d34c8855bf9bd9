// Event routes and telemetry through the JavaScript SDK.
"use strict";

const assert = require("node:assert/strict");
const { after, before, describe, it } = require("node:test");
const { SINK_ENDPOINT, collectPages, expectRestError, fixtureModels, makeClient, roomTwin, startServer } =
  require("../support");

describe("event routes and telemetry", () => {
  let server;
  let client;
  let transport;

  before(async () => {
    server = await startServer();
    ({ client, transport } = makeClient(server));
    await client.createModels(fixtureModels());
    await client.upsertDigitalTwin("sensor", JSON.stringify(roomTwin()));
  });
  after(async () => {
    assert.equal(await server.stop(), 0, "dtwin serve exits 0 on SIGTERM");
  });

  it("event route lifecycle", async () => {
    await client.upsertEventRoute("r1", SINK_ENDPOINT, "$eventType = 'DigitalTwinTelemetryMessages'");
    const route = await client.getEventRoute("r1");
    assert.deepEqual([route.id, route.endpointName, route.filter],
      ["r1", SINK_ENDPOINT, "$eventType = 'DigitalTwinTelemetryMessages'"]);
    for (const id of ["r2", "r3", "r4"]) await client.upsertEventRoute(id, SINK_ENDPOINT, "true");
    const pages = await collectPages(client.listEventRoutes().byPage({ maxPageSize: 3 }));
    assert.deepEqual(pages.flat().map((r) => r.id).sort(), ["r1", "r2", "r3", "r4"]);
    assert.equal(pages.length, 2);
    for (const id of ["r1", "r2", "r3", "r4"]) await client.deleteEventRoute(id);
    await expectRestError(client.getEventRoute("r1"), 404, "EventRouteNotFound");
    await expectRestError(client.deleteEventRoute("r1"), 404, "EventRouteNotFound");
  });

  it("event route errors", async () => {
    await expectRestError(client.upsertEventRoute("bad", "not-configured", "true"), 400, "EventRouteEndpointInvalid");
    await expectRestError(client.upsertEventRoute("bad", SINK_ENDPOINT, "this is not a valid filter string"),
      400, "EventRouteFilterInvalid");
  });

  it("publishTelemetry", async () => {
    const etag = (await client.getDigitalTwin("sensor")).etag;
    const response = await client.publishTelemetry("sensor", { humidity: 40.5 }, "msg-js-1");
    assert.equal(response._response.status, 204);
    const [, , headers] = transport.requests[transport.requests.length - 1];
    assert.equal(headers["message-id"], "msg-js-1");
    assert.equal((await client.getDigitalTwin("sensor")).etag, etag);
    await expectRestError(client.publishTelemetry("ghost", { humidity: 1 }, "msg-js-x"), 404, "DigitalTwinNotFound");
  });

  it("publishComponentTelemetry (1.1.0 swaps payload and message id)", async () => {
    // Swapped on purpose: this puts Message-Id: msg-js-2 and the JSON payload on the wire.
    let response = await client.publishComponentTelemetry("sensor", "thermostat", "msg-js-2", { measured: 20.1 });
    assert.equal(response._response.status, 204);
    const [, url, headers] = transport.requests[transport.requests.length - 1];
    assert.match(url, /\/digitaltwins\/sensor\/components\/thermostat\/telemetry\?/);
    assert.equal(headers["message-id"], "msg-js-2");
    // Called as documented, the wire carries the message id as the body: still accepted.
    response = await client.publishComponentTelemetry("sensor", "thermostat", JSON.stringify({ measured: 20.1 }),
      "msg-js-3");
    assert.equal(response._response.status, 204);
    await expectRestError(client.publishComponentTelemetry("sensor", "nothere", "msg-js-4", { measured: 1 }),
      404, "ComponentNotFound");
  });
});
