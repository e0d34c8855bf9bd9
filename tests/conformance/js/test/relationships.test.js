// Relationships through the JavaScript SDK, including nextLink paging over many of them.
"use strict";

const assert = require("node:assert/strict");
const { after, before, describe, it } = require("node:test");
const { FLOOR, collectPages, expectRestError, fixtureModels, makeClient, roomTwin, startServer } =
  require("../support");

describe("relationships", () => {
  let server;
  let client;
  let transport;

  before(async () => {
    server = await startServer();
    ({ client, transport } = makeClient(server));
    await client.createModels(fixtureModels());
    await client.upsertDigitalTwin("floor", JSON.stringify({ $metadata: { $model: FLOOR }, level: 2 }));
    for (const id of ["roomA", "roomB", "hub", "spoke"]) {
      await client.upsertDigitalTwin(id, JSON.stringify(roomTwin(id)));
    }
  });
  after(async () => {
    assert.equal(await server.stop(), 0, "dtwin serve exits 0 on SIGTERM");
  });

  it("upsert, get, update, list, delete", async () => {
    const created = await client.upsertRelationship("floor", "has-a",
      { $relationshipName: "contains", $targetId: "roomA", since: "2021" });
    assert.equal(created.etag, created.body.$etag);
    assert.deepEqual(
      [created.body.$relationshipId, created.body.$sourceId, created.body.$targetId, created.body.$relationshipName],
      ["has-a", "floor", "roomA", "contains"]);
    const got = await client.getRelationship("floor", "has-a");
    assert.deepEqual(got.body, created.body);
    assert.equal(got.etag, created.etag);

    await expectRestError(client.upsertRelationship("floor", "has-a",
      { $relationshipName: "contains", $targetId: "roomB" }, { ifNoneMatch: "*" }), 412, "PreconditionFailed");
    const updated = await client.updateRelationship("floor", "has-a", [{ op: "replace", path: "/since", value: "2022" }],
      { ifMatch: created.etag });
    assert.notEqual(updated.etag, created.etag);
    await expectRestError(client.updateRelationship("floor", "has-a", [{ op: "replace", path: "/since", value: "x" }],
      { ifMatch: created.etag }), 412, "PreconditionFailed");

    const outgoing = [];
    for await (const r of client.listRelationships("floor")) outgoing.push(r);
    assert.deepEqual(outgoing.map((r) => [r.$relationshipId, r.since]), [["has-a", "2022"]]);
    const incoming = [];
    for await (const r of client.listIncomingRelationships("roomA")) incoming.push(r);
    assert.deepEqual(incoming.map((r) => [r.relationshipId, r.sourceId, r.relationshipName]),
      [["has-a", "floor", "contains"]]);
    assert.match(incoming[0].relationshipLink, /\/digitaltwins\/floor\/relationships\/has-a\?api-version=/);

    await expectRestError(client.deleteRelationship("floor", "has-a", { ifMatch: created.etag }), 412,
      "PreconditionFailed");
    await client.deleteRelationship("floor", "has-a", { ifMatch: updated.etag });
    await expectRestError(client.getRelationship("floor", "has-a"), 404, "RelationshipNotFound");
  });

  it("errors", async () => {
    await expectRestError(client.upsertRelationship("ghost", "x", { $relationshipName: "contains", $targetId: "roomA" }),
      404, "DigitalTwinNotFound");
    await expectRestError(client.upsertRelationship("floor", "x", { $relationshipName: "contains", $targetId: "ghost" }),
      404);
    await expectRestError(client.upsertRelationship("roomA", "self", { $relationshipName: "adjacentTo", $targetId: "roomA" }),
      400, "OperationNotAllowed");
    await client.upsertRelationship("roomA", "ab", { $relationshipName: "adjacentTo", $targetId: "roomB" });
    await expectRestError(client.deleteDigitalTwin("roomB"), 400, "RelationshipsNotDeleted");
    await client.deleteRelationship("roomA", "ab");
  });

  it("pages through many relationships with https nextLinks, each seen exactly once", async () => {
    const count = 250;  // well past one page at the default page size
    const expected = [];
    for (let i = 0; i < count; i += 25) {
      const batch = [];
      for (let j = i; j < Math.min(i + 25, count); j++) {
        const id = `link${String(j).padStart(3, "0")}`;
        expected.push(id);
        batch.push(client.upsertRelationship("hub", id, { $relationshipName: "adjacentTo", $targetId: "spoke" }));
      }
      await Promise.all(batch);
    }
    const before = transport.requests.length;
    const pages = await collectPages(client.listRelationships("hub").byPage());
    const seen = pages.flat().map((r) => r.$relationshipId);
    assert.equal(new Set(seen).size, seen.length, "a relationship came twice");
    assert.deepEqual([...seen].sort(), expected);
    assert.ok(pages.length >= 2, `pages of ${pages.map((p) => p.length)}`);
    assert.equal(transport.requests.length - before, pages.length, "one request per page");

    const incomingPages = await collectPages(client.listIncomingRelationships("spoke").byPage());
    const incoming = incomingPages.flat().map((r) => r.relationshipId);
    assert.equal(new Set(incoming).size, incoming.length, "an incoming relationship came twice");
    assert.deepEqual([...incoming].sort(), expected);
    assert.ok(incomingPages.length >= 2);
  });
});
