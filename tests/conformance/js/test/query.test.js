// Queries through the JavaScript SDK's queryTwins: continuation-token paging, COUNT, TOP,
// projections, JOIN, IS_OF_MODEL, errors, query-charge and read-your-writes.
// SDK 1.1.0 takes the page size as queryTwins(query, resultsPerPage) and sends it on every
// page; byPage({maxPageSize}) is ignored for queries, so it is not used here.
"use strict";

const assert = require("node:assert/strict");
const { after, before, describe, it } = require("node:test");
const { CORNER_ROOM, FLOOR, ROOM, collectPages, expectRestError, fixtureModels, makeClient, roomTwin,
  startServer } = require("../support");

const PAGED = Array.from({ length: 25 }, (_, i) => `paged-${String(i).padStart(2, "0")}`);
const ROOMS_EXACT = `SELECT * FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '${ROOM}', exact)`;

async function collect(iterator) {
  const rows = [];
  for await (const row of iterator) rows.push(row);
  return rows;
}

function byKey(key) {
  return (a, b) => String(a[key]).localeCompare(String(b[key]));
}

describe("query", () => {
  let server;
  let client;
  let transport;

  before(async () => {
    server = await startServer();
    ({ client, transport } = makeClient(server));
    await client.createModels(fixtureModels());
    await Promise.all(PAGED.map((id, i) => client.upsertDigitalTwin(id, JSON.stringify(roomTwin(id, { temperature: i })))));
    await client.upsertDigitalTwin("floor1", JSON.stringify({ $metadata: { $model: FLOOR }, level: 1 }));
    await client.upsertDigitalTwin("corner1",
      JSON.stringify({ ...roomTwin("Corner", { temperature: 25, windows: 2 }), $metadata: { $model: CORNER_ROOM } }));
    await client.upsertRelationship("floor1", "f-0", { $relationshipName: "contains", $targetId: "paged-00", since: "2020" });
    await client.upsertRelationship("floor1", "f-1", { $relationshipName: "contains", $targetId: "paged-01", since: "2021" });
    await client.upsertRelationship("floor1", "f-c", { $relationshipName: "contains", $targetId: "corner1" });
  });
  after(async () => {
    assert.equal(await server.stop(), 0, "dtwin serve exits 0 on SIGTERM");
  });

  it("pages through continuation tokens, every twin once, one request per page", async () => {
    const first = transport.requests.length;
    const pages = [];
    for await (const page of client.queryTwins(ROOMS_EXACT, 4).byPage()) pages.push(page);
    const sent = transport.requests.slice(first);

    const seen = pages.flatMap((page) => page.value.map((twin) => twin.$dtId));
    assert.equal(new Set(seen).size, seen.length, "a twin came twice");
    assert.deepEqual([...seen].sort(), PAGED);
    assert.ok(pages.length >= 7, `pages of ${pages.map((p) => p.value.length)}`);
    assert.ok(pages.every((page) => page.value.length <= 4), `pages of ${pages.map((p) => p.value.length)}`);
    assert.equal(pages[pages.length - 1].continuationToken, null, "the last page says null");
    for (const page of pages) assert.ok(page.queryCharge > 0, `query-charge ${page.queryCharge}`);

    assert.equal(sent.length, pages.length, "one request per page");
    sent.forEach(([method, url, headers, body], i) => {
      assert.equal(method, "POST");
      assert.match(url, /\/query\?api-version=/);
      assert.equal(headers["max-items-per-page"], "4", "the page size goes with every page");
      const spec = JSON.parse(body);
      assert.equal(spec.query, ROOMS_EXACT);
      assert.equal(spec.continuationToken, i === 0 ? undefined : pages[i - 1].continuationToken,
        "each request carries the previous page's token");
    });
  });

  it("iterates rows across pages and resumes from a token", async () => {
    assert.deepEqual((await collect(client.queryTwins(ROOMS_EXACT, 3))).map((t) => t.$dtId).sort(), PAGED);

    const pager = client.queryTwins(ROOMS_EXACT, 10).byPage();
    const firstPage = (await pager.next()).value;
    assert.equal(firstPage.value.length, 10);
    assert.equal(typeof firstPage.continuationToken, "string");
    const rest = await collectPages(client.queryTwins(ROOMS_EXACT, 10).byPage(
      { continuationToken: firstPage.continuationToken }));
    const all = firstPage.value.concat(rest.flat()).map((t) => t.$dtId);
    assert.deepEqual(all.sort(), PAGED);
  });

  it("COUNT, TOP and IS_OF_MODEL with inheritance", async () => {
    assert.deepEqual(await collect(client.queryTwins("SELECT COUNT() FROM DIGITALTWINS", 4)), [{ COUNT: 27 }]);
    assert.deepEqual(await collect(client.queryTwins(`SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('${ROOM}')`)),
      [{ COUNT: 26 }], "CornerRoom extends Room");
    assert.deepEqual(await collect(client.queryTwins(
      `SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('${ROOM}', exact) AND temperature >= 20`)), [{ COUNT: 5 }]);
    assert.deepEqual((await collect(client.queryTwins(`SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('${CORNER_ROOM}')`)))
      .map((t) => t.$dtId), ["corner1"]);

    const topPages = await collectPages(client.queryTwins("SELECT TOP(10) FROM DIGITALTWINS", 4).byPage());
    const top = topPages.flat();
    assert.equal(top.length, 10, "TOP counts rows across pages");
    assert.equal(new Set(top.map((t) => t.$dtId)).size, 10);
    assert.ok(top.every((t) => typeof t.$etag === "string" && t.$metadata.$model), "rows are twin documents");
  });

  it("projections with AS; missing properties are left out", async () => {
    const rows = await collect(client.queryTwins("SELECT T.$dtId AS id, T.name, T.temperature AS temp " +
      "FROM DIGITALTWINS T WHERE T.$dtId IN ['paged-03', 'floor1', 'corner1']"));
    assert.deepEqual(rows.sort(byKey("id")), [
      { id: "corner1", name: "Corner", temp: 25 },
      { id: "floor1" },
      { id: "paged-03", name: "paged-03", temp: 3 },
    ]);
    const wrapped = await collect(client.queryTwins("SELECT D FROM DIGITALTWINS D WHERE D.$dtId = 'floor1'"));
    assert.deepEqual(wrapped, [{ D: (await client.getDigitalTwin("floor1")).body }]);
  });

  it("JOIN with a relationship alias and a filter on it", async () => {
    const rows = await collect(client.queryTwins("SELECT Room, Rel FROM DIGITALTWINS F " +
      "JOIN Room RELATED F.contains Rel WHERE F.$dtId = 'floor1' AND Rel.since = '2021'"));
    assert.equal(rows.length, 1);
    assert.deepEqual(rows[0].Room, (await client.getDigitalTwin("paged-01")).body);
    assert.deepEqual(rows[0].Rel, (await client.getRelationship("floor1", "f-1")).body);

    const names = await collect(client.queryTwins("SELECT Room.$dtId AS room, Rel.since FROM DIGITALTWINS F " +
      "JOIN Room RELATED F.contains Rel WHERE F.$dtId = 'floor1'"));
    assert.deepEqual(names.sort(byKey("room")),
      [{ room: "corner1" }, { room: "paged-00", since: "2020" }, { room: "paged-01", since: "2021" }]);

    const matched = await collect(client.queryTwins("SELECT R.$dtId AS room FROM DIGITALTWINS " +
      "MATCH (F)-[:contains]->(R) WHERE F.$dtId = 'floor1' AND IS_OF_MODEL(R, '" + CORNER_ROOM + "')"));
    assert.deepEqual(matched, [{ room: "corner1" }]);
  });

  it("errors: SqlQueryError and a bad continuation token", async () => {
    const err = await expectRestError(collect(client.queryTwins("foo")), 400, "SqlQueryError");
    assert.ok(err.message, "the error says what is wrong");
    await expectRestError(collect(client.queryTwins("SELECT * FROM DIGITALTWINS F JOIN R RELATED F.contains " +
      "WHERE F.$dtId = 'floor1'")), 400, "SqlQueryError");
    await expectRestError(collect(client.queryTwins("SELECT R FROM DIGITALTWINS F JOIN R RELATED F.contains")),
      400, "SqlQueryError");
    await expectRestError(collectPages(client.queryTwins(ROOMS_EXACT).byPage({ continuationToken: "garbage" })),
      400, "BadRequest");
  });

  it("reads its own writes", async () => {
    const query = "SELECT T.temperature FROM DIGITALTWINS T WHERE T.$dtId = 'fresh'";
    assert.deepEqual(await collect(client.queryTwins(query)), []);
    await client.upsertDigitalTwin("fresh", JSON.stringify(roomTwin("fresh", { temperature: 1 })));
    assert.deepEqual(await collect(client.queryTwins(query)), [{ temperature: 1 }]);
    await client.updateDigitalTwin("fresh", [{ op: "replace", path: "/temperature", value: 77 }]);
    assert.deepEqual(await collect(client.queryTwins(query)), [{ temperature: 77 }]);
    assert.deepEqual(await collect(client.queryTwins("SELECT COUNT() FROM DIGITALTWINS WHERE temperature = 77")),
      [{ COUNT: 1 }]);

    const joined = "SELECT R.$dtId AS room FROM DIGITALTWINS F JOIN R RELATED F.contains WHERE F.$dtId = 'floor1' " +
      "AND R.$dtId = 'fresh'";
    await client.upsertRelationship("floor1", "f-fresh", { $relationshipName: "contains", $targetId: "fresh" });
    assert.deepEqual(await collect(client.queryTwins(joined)), [{ room: "fresh" }]);
    await client.deleteRelationship("floor1", "f-fresh");
    assert.deepEqual(await collect(client.queryTwins(joined)), []);

    await client.deleteDigitalTwin("fresh");
    assert.deepEqual(await collect(client.queryTwins(query)), []);
  });
});
