// Models through the JavaScript SDK: create, get, list with nextLink paging, decommission, delete.
"use strict";

const assert = require("node:assert/strict");
const { after, before, describe, it } = require("node:test");
const {
  CORNER_ROOM, FLOOR, ROOM, THERMOSTAT, collectPages, expectRestError, fixtureModels, makeClient,
  startServer,
} = require("../support");

const iface = (id, extra = {}) => ({ "@id": id, "@type": "Interface", "@context": "dtmi:dtdl:context;2", ...extra });

describe("models", () => {
  let server;
  let client;
  let created;

  before(async () => {
    server = await startServer();
    ({ client } = makeClient(server));
    created = await client.createModels(fixtureModels());
  });
  after(async () => {
    assert.equal(await server.stop(), 0, "dtwin serve exits 0 on SIGTERM");
  });

  it("createModels returns summaries with language maps", () => {
    const byId = Object.fromEntries(created.map((m) => [m.id, m]));
    assert.deepEqual(Object.keys(byId).sort(), [CORNER_ROOM, FLOOR, ROOM, THERMOSTAT].sort());
    assert.deepEqual(byId[ROOM].displayName, { en: "Room" });
    assert.deepEqual(byId[ROOM].description, { en: "A room of a floor." });
    assert.deepEqual(byId[THERMOSTAT].description, {});
    assert.equal(byId[ROOM].decommissioned, false);
    assert.ok(byId[ROOM].uploadTime instanceof Date && !Number.isNaN(byId[ROOM].uploadTime.getTime()));
    assert.equal(byId[ROOM].model, undefined);
  });

  it("rejects invalid DTDL and duplicates", async () => {
    await expectRestError(client.createModels([iface("dtmi:conformance:Bad;1", {
      contents: [{ "@type": "Property", name: "x" }],
    })]), 400, "DTDLParserError");
    const dup = await expectRestError(client.createModels([fixtureModels()[0]]), 409);
    assert.match(dup.code, /AlreadyExists$/);
  });

  it("getModel with and without the definition", async () => {
    const summary = await client.getModel(ROOM);
    assert.equal(summary.id, ROOM);
    assert.equal(summary.model, undefined);
    const full = await client.getModel(ROOM, true);
    assert.deepEqual(full.model, fixtureModels().find((m) => m["@id"] === ROOM));
    await expectRestError(client.getModel("dtmi:conformance:Nope;1"), 404, "ModelNotFound");
  });

  it("listModels follows https nextLinks and sees every model exactly once", async () => {
    const extra = Array.from({ length: 21 }, (_, i) => iface(`dtmi:conformance:Paged${i};1`));
    await client.createModels(extra);
    const pages = await collectPages(client.listModels(undefined, false).byPage({ maxPageSize: 4 }));
    const ids = pages.flat().map((m) => m.id);
    assert.equal(new Set(ids).size, ids.length, `a model came twice: ${ids}`);
    assert.equal(ids.length, 25);
    for (const m of extra) assert.ok(ids.includes(m["@id"]), m["@id"]);
    assert.ok(pages.length >= 7, `pages of ${pages.map((p) => p.length)}`);
    assert.ok(pages.every((p) => p.length <= 4), `pages of ${pages.map((p) => p.length)}`);

    const all = [];
    for await (const m of client.listModels(undefined, true)) all.push(m);
    assert.equal(all.length, 25);
    assert.ok(all.every((m) => m.model && m.model["@id"] === m.id));
  });

  it("listModels with dependenciesFor", async () => {
    const ids = [];
    for await (const m of client.listModels([CORNER_ROOM])) ids.push(m.id);
    for (const id of [CORNER_ROOM, ROOM, THERMOSTAT]) assert.ok(ids.includes(id), `${id} in ${ids}`);
    assert.ok(!ids.includes(FLOOR));
  });

  it("decommissions (sic: decomissionModel) and deletes", async () => {
    const id = "dtmi:conformance:Retired;1";
    await client.createModels([iface(id)]);
    await client.decomissionModel(id);
    assert.equal((await client.getModel(id)).decommissioned, true);
    await expectRestError(client.upsertDigitalTwin("retired", JSON.stringify({ $metadata: { $model: id } })),
      400, "ModelDecommissioned");
    await client.deleteModel(id);
    await expectRestError(client.getModel(id), 404, "ModelNotFound");
    await expectRestError(client.deleteModel(id), 404, "ModelNotFound");
    await expectRestError(client.deleteModel(ROOM), 409, "ModelReferencesNotDeleted");
  });
});
