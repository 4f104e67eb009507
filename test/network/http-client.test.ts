import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { header, httpGet } from "../../src/sources/network/http-client.js";

/** The bounded HTTP client against Node's own HTTP server (chunked bodies, a body over the size cap). */
describe("bounded HTTP client", () => {
  let server: http.Server;
  let port: number;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === "/chunked") {
        res.write('{"a":');
        res.end("1}");
      } else if (req.url === "/big") {
        res.setHeader("Content-Length", String(1024 * 1024));
        res.end(Buffer.alloc(1024 * 1024, "b"));
      } else {
        res.setHeader("Server", "test/1.0");
        res.end("plain");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("reassembles a chunked body", async () => {
    const response = await httpGet({ host: "127.0.0.1", port }, "/chunked", { timeoutMs: 2000, maxBytes: 64 * 1024 });
    expect(
      header(response ?? { status: 0, headers: [], body: Buffer.alloc(0), truncated: false }, "transfer-encoding"),
    ).toBe("chunked");
    expect(response?.body.toString()).toBe('{"a":1}');
    expect(response?.truncated).toBe(false);
  });

  it("reads headers case-insensitively", async () => {
    const response = await httpGet({ host: "127.0.0.1", port }, "/", { timeoutMs: 2000, maxBytes: 64 * 1024 });
    expect(response?.status).toBe(200);
    expect(response && header(response, "SERVER")).toBe("test/1.0");
  });

  it("stops at the byte cap and says the body was cut", async () => {
    const response = await httpGet({ host: "127.0.0.1", port }, "/big", { timeoutMs: 2000, maxBytes: 16 * 1024 });
    expect(response?.status).toBe(200);
    expect(response?.truncated).toBe(true);
    expect(response?.body.length).toBeLessThan(16 * 1024);
  });
});
