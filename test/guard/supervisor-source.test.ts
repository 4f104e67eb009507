import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardBus } from "../../src/guard/bus.js";
import { parseLine } from "../../src/guard/parser.js";
import { SupervisorSource } from "../../src/guard/sources/supervisor-source.js";
import { failLine, waitFor } from "./helpers.js";

/**
 * A local stand-in for the Supervisor's `/core/logs/follow`: it streams Core's log with ANSI colours (as the
 * Supervisor does), honours `Range: entries=:-N:` by replaying the last N entries first, and can drop the
 * connection mid-stream.
 */
const log: string[] = [];
const requests: { range: string | undefined; authorization: string | undefined }[] = [];
const open = new Set<ServerResponse>();
let server: Server;
let base = "";

const colour = (line: string) => `\x1b[33m${line}\x1b[0m`;

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ range: request.headers.range, authorization: request.headers.authorization });
    if (request.url !== "/core/logs/follow" || request.headers.authorization !== "Bearer supervisor-token") {
      response.writeHead(401).end();
      return;
    }
    response.writeHead(200, { "Content-Type": "text/plain" });
    const match = /^entries=:-(\d+):$/.exec(request.headers.range ?? "");
    const replay = match ? log.slice(-Number(match[1])) : [];
    for (const line of replay) response.write(`${colour(line)}\n`);
    open.add(response);
    response.on("close", () => open.delete(response));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  for (const response of open) response.destroy();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

function append(line: string): void {
  log.push(line);
  for (const response of open) response.write(`${colour(line)}\n`);
}

describe("Supervisor log source", () => {
  it("follows the stream, strips colours, and resumes after a break without reading anything twice", async () => {
    const bus = new GuardBus();
    const addresses: string[] = [];
    bus.on({}, "line", ({ text }) => {
      const event = parseLine(text);
      if (event?.type === "failure") addresses.push(event.address);
    });
    const source = new SupervisorSource(bus, { url: base, token: "supervisor-token", reconnectDelaysMs: [50] });
    await source.start();
    await waitFor(() => open.size === 1, 3000, "the stream");
    append(failLine("203.0.113.1", "/auth/login_flow/a", "ua", "2026-11-23 17:30:00.001"));
    append(failLine("203.0.113.2", "/auth/login_flow/a", "ua", "2026-11-23 17:30:00.002"));
    await waitFor(() => addresses.length === 2, 3000, "two lines");
    // the stream breaks; a line is written while we are away
    for (const response of open) response.destroy();
    append(failLine("203.0.113.3", "/auth/login_flow/a", "ua", "2026-11-23 17:30:00.003"));
    await waitFor(() => addresses.length === 3, 5000, "the line written during the break");
    append(failLine("203.0.113.4", "/auth/login_flow/a", "ua", "2026-11-23 17:30:00.004"));
    await waitFor(() => addresses.length === 4, 3000, "the line after the reconnect");
    expect(addresses).toEqual(["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]);
    expect(source.connections).toBe(2);
    expect(requests[0]?.range).toBeUndefined();
    expect(requests[1]?.range).toBe("entries=:-500:");
    await source.stop();
  });

  it("a wrong token is reported, retried with back-off, and never crashes", async () => {
    const bus = new GuardBus();
    const warnings: string[] = [];
    bus.on({}, "warning", ({ message }) => warnings.push(message));
    const source = new SupervisorSource(bus, { url: base, token: "wrong", reconnectDelaysMs: [20, 40] });
    await source.start();
    await waitFor(() => warnings.length >= 2, 3000, "two warnings");
    expect(warnings[0]).toContain("HTTP 401");
    await source.stop();
  });
});
