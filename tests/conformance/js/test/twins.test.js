// Digital twins and components through the JavaScript SDK, including etags from ETag headers.
"use strict";

const assert = require("node:assert/strict");
const { after, before, describe, it } = require("node:test");
const { ROOM, expectRestError, fixtureModels, makeClient, roomTwin, startServer } = require("../support");

describe("twins", () => {
  let server;
  let client;

  before(async () => {
    server = await startServer();
    ({ client } = makeClient(server));
    await client.createModels(fixtureModels());
  });
  after(async () => {
    assert.equal(await server.stop(), 0, "dtwin serve exits 0 on SIGTERM");
  });

  it("upsert returns the body and the ETag header", async () => {
    const created = await client.upsertDigitalTwin("t1", JSON.stringify(roomTwin("Kitchen", { temperature: 21.5 })));
    assert.equal(created.body.$dtId, "t1");
    assert.match(created.etag, /^W\/"[^"]+"$/);
    assert.equal(created.etag, created.body.$etag);
    assert.equal(created.body.$metadata.$model, ROOM);
    assert.match(created.body.$metadata.$lastUpdateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    const got = await client.getDigitalTwin("t1");
    assert.equal(got.etag, created.etag);
    assert.deepEqual(got.body, created.body);
  });

  it("ifNoneMatch * refuses an existing twin", async () => {
    await client.upsertDigitalTwin("t2", JSON.stringify(roomTwin()), { ifNoneMatch: "*" });
    await expectRestError(client.upsertDigitalTwin("t2", JSON.stringify(roomTwin("Other")), { ifNoneMatch: "*" }),
      412, "PreconditionFailed");
    assert.equal((await client.getDigitalTwin("t2")).body.name, "Kitchen");
  });

  it("update returns the new etag; a stale ifMatch is 412", async () => {
    const created = await client.upsertDigitalTwin("t3", JSON.stringify(roomTwin()));
    const updated = await client.updateDigitalTwin("t3", [{ op: "add", path: "/temperature", value: 30 }],
      { ifMatch: created.etag });
    assert.match(updated.etag, /^W\/"[^"]+"$/);
    assert.notEqual(updated.etag, created.etag);
    const got = await client.getDigitalTwin("t3");
    assert.equal(got.etag, updated.etag);
    assert.equal(got.body.temperature, 30);
    await expectRestError(client.updateDigitalTwin("t3", [{ op: "add", path: "/temperature", value: 1 }],
      { ifMatch: created.etag }), 412, "PreconditionFailed");
    await expectRestError(client.deleteDigitalTwin("t3", { ifMatch: created.etag }), 412, "PreconditionFailed");
    await client.deleteDigitalTwin("t3", { ifMatch: updated.etag });
    await expectRestError(client.getDigitalTwin("t3"), 404, "DigitalTwinNotFound");
  });

  it("validation and not-found errors", async () => {
    await expectRestError(client.upsertDigitalTwin("bad", JSON.stringify(roomTwin(42))), 400, "ValidationFailed");
    await expectRestError(client.updateDigitalTwin("ghost", [{ op: "add", path: "/name", value: "x" }]),
      404, "DigitalTwinNotFound");
    await expectRestError(client.deleteDigitalTwin("ghost"), 404, "DigitalTwinNotFound");
    await expectRestError(client.getComponent("ghost", "thermostat"), 404, "DigitalTwinNotFound");
  });

  it("components: get with the twin's etag, update relative to the component", async () => {
    const created = await client.upsertDigitalTwin("t4", JSON.stringify(roomTwin()));
    const component = await client.getComponent("t4", "thermostat");
    assert.equal(component.body.setpoint, 20);
    assert.ok(component.body.$metadata);
    assert.equal(component.etag, created.etag);
    const updated = await client.updateComponent("t4", "thermostat", [{ op: "replace", path: "/setpoint", value: 17 }]);
    assert.notEqual(updated.etag, created.etag);
    const after = await client.getComponent("t4", "thermostat");
    assert.equal(after.body.setpoint, 17);
    assert.equal(after.etag, updated.etag);
    await expectRestError(client.updateComponent("t4", "thermostat", [{ op: "replace", path: "/setpoint", value: 1 }],
      { ifMatch: created.etag }), 412, "PreconditionFailed");
    await expectRestError(client.getComponent("t4", "nothere"), 404, "ComponentNotFound");
  });
});
