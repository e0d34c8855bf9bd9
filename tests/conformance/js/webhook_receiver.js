// A loopback CloudEvents webhook receiver for the event delivery tests: answers the validation
// handshake (OPTIONS, WebHook-Allowed-Origin: *) and records every POSTed event in arrival order.
// Single-threaded like all of node: the records are read between events of the same loop.
"use strict";

const http = require("node:http");

const WAIT_TIMEOUT_MS = 20000;

class WebhookReceiver {
  constructor() {
    this.requests = [];  // {method, url, headers, body} as they arrived
    this.waiters = new Set();
    this.server = http.createServer((request, response) => {
      const chunks = [];
      request.on("data", (chunk) => chunks.push(chunk));
      request.on("end", () => {
        this.requests.push({ method: request.method, url: request.url, headers: request.headers,
          body: Buffer.concat(chunks).toString() });
        if (request.method === "OPTIONS") response.setHeader("WebHook-Allowed-Origin", "*");
        response.end();
        for (const waiter of this.waiters) waiter();
      });
    });
  }

  // Resolves once listening on 127.0.0.1 at a free port.
  async start() {
    await new Promise((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${this.server.address().port}/events`;
  }

  async stop() {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  // The POSTed CloudEvents (parsed JSON bodies) in arrival order.
  events() {
    return this.requests.filter((r) => r.method === "POST").map((r) => JSON.parse(r.body));
  }

  // Resolves to events() once predicate(events()) holds; rejects after the timeout naming `what`
  // and listing what did arrive.
  waitFor(predicate, what, timeoutMs = WAIT_TIMEOUT_MS) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const events = this.events();
        if (!predicate(events)) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(events);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const arrived = this.events().map((e) => `  ${e.type} ${e.subject} ${e.id}`).join("\n");
        reject(new Error(`no ${what} at ${this.url} within ${timeoutMs} ms; arrived:\n${arrived}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

module.exports = { WebhookReceiver };
