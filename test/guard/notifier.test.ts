import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardBus } from "../../src/guard/bus.js";
import { validateGuardConfig } from "../../src/guard/config.js";
import { HomeAssistantUnban } from "../../src/guard/ha-unban.js";
import { Notifier } from "../../src/guard/notifier.js";
import { parseLine } from "../../src/guard/parser.js";
import { failLine } from "./helpers.js";

/** A local HTTP receiver standing in for Home Assistant's REST API and a webhook; it records every request. */
interface Received {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}
const received: Received[] = [];
let failuresToAnswer = 0;
let server: Server;
let base = "";

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    let text = "";
    request.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on("end", () => {
      received.push({ path: request.url ?? "", authorization: request.headers.authorization, body: JSON.parse(text) });
      if (request.url?.startsWith("/flaky") && failuresToAnswer > 0) {
        failuresToAnswer--;
        response.writeHead(503).end();
        return;
      }
      if (request.url?.startsWith("/denied")) {
        response.writeHead(401).end();
        return;
      }
      response.writeHead(200, { "Content-Type": "application/json" }).end("[]");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function ban(address: string, bus: GuardBus) {
  const failure = parseLine(failLine(address, "/auth/login_flow/abc", "Evil <b>*bot*</b>\u0000"));
  if (failure?.type !== "failure") throw new Error("fixture line did not parse");
  bus.emit("failure", { failure, at: Date.now() });
  bus.emit("ban", {
    address,
    bannedAt: Date.now(),
    until: Date.now() + 3600_000,
    failures: 5,
    kind: "password",
    offence: 1,
  });
}

describe("notifier", () => {
  it("creates a persistent notification with the token, and posts the webhook", async () => {
    received.length = 0;
    const config = validateGuardConfig(
      { notify: { homeAssistant: { url: base, token: "test-token-123" }, webhook: { url: `${base}/hook` } } },
      "test",
    );
    const bus = new GuardBus();
    const notifier = new Notifier(bus, config.notify, { baseDelayMs: 10 });
    await notifier.start();
    ban("203.0.113.21", bus);
    await notifier.settle();
    const ha = received.find((r) => r.path === "/api/services/persistent_notification/create");
    expect(ha?.authorization).toBe("Bearer test-token-123");
    expect(ha?.body.notification_id).toBe("hassguard_ban_203.0.113.21");
    const message = String(ha?.body.message);
    expect(message).toContain("Banned 203.0.113.21");
    expect(message).toContain("URL: /auth/login\\_flow/abc");
    // the attacker's user agent is shown escaped: no markup, no control characters
    expect(message).toContain("User agent: Evil \\<b\\>\\*bot\\*\\</b\\>?");
    const hook = received.find((r) => r.path === "/hook");
    expect(hook?.body).toMatchObject({ event: "ban", address: "203.0.113.21", kind: "password", failures: 5 });
    await notifier.stop();
  });

  it("calls a notify service when one is named", async () => {
    received.length = 0;
    const config = validateGuardConfig(
      { notify: { homeAssistant: { url: base, token: "t", service: "notify.mobile_app_phone" } } },
      "test",
    );
    const bus = new GuardBus();
    const notifier = new Notifier(bus, config.notify, { baseDelayMs: 10 });
    await notifier.start();
    ban("203.0.113.22", bus);
    await notifier.settle();
    expect(received.map((r) => r.path)).toEqual(["/api/services/notify/mobile_app_phone"]);
    await notifier.stop();
  });

  it("retries with back-off until the receiver answers, and gives up on 401 at once", async () => {
    received.length = 0;
    failuresToAnswer = 2;
    const config = validateGuardConfig({ notify: { webhook: { url: `${base}/flaky` } } }, "test");
    const bus = new GuardBus();
    const warnings: string[] = [];
    bus.on({}, "warning", ({ message }) => warnings.push(message));
    const notifier = new Notifier(bus, config.notify, { baseDelayMs: 20 });
    await notifier.start();
    const started = Date.now();
    ban("203.0.113.23", bus);
    await notifier.settle();
    expect(received.filter((r) => r.path === "/flaky")).toHaveLength(3);
    // back-off: 20 ms, then 40 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(notifier.deliveries).toEqual([{ channel: "webhook", ok: true, attempts: 3 }]);

    const denied = new Notifier(
      bus,
      validateGuardConfig({ notify: { webhook: { url: `${base}/denied` } } }, "t").notify,
      {
        baseDelayMs: 20,
      },
    );
    await notifier.stop();
    await denied.start();
    ban("203.0.113.24", bus);
    await denied.settle();
    expect(denied.deliveries).toEqual([{ channel: "webhook", ok: false, attempts: 1 }]);
    expect(warnings.at(-1)).toContain("HTTP 401");
    // a webhook's path can be its secret: never shown
    expect(warnings.at(-1)).not.toContain("/denied");
    await denied.stop();
  });

  it("rate-limits a storm of bans and sums up what it held back", async () => {
    received.length = 0;
    let now = 1_000_000;
    const config = validateGuardConfig({ notify: { webhook: { url: `${base}/storm` }, maxPerHour: 2 } }, "test");
    const bus = new GuardBus();
    const notifier = new Notifier(bus, config.notify, { baseDelayMs: 10, clock: () => now });
    await notifier.start();
    for (let i = 0; i < 50; i++) ban(`198.51.100.${i + 1}`, bus);
    await notifier.settle();
    expect(received).toHaveLength(2);
    expect(notifier.suppressed).toBe(48);
    now += 3600_001;
    ban("198.51.100.200", bus);
    await notifier.settle();
    expect(received).toHaveLength(3);
    expect(received[2]?.body.suppressed).toBe(48);
    expect(String(received[2]?.body.title)).toContain("banned");
    await notifier.stop();
  });
});

describe("Home Assistant's own ban", () => {
  it("is lifted through http.unban when the instance has it, and the owner is told when it has not", async () => {
    received.length = 0;
    const bus = new GuardBus();
    const warnings: string[] = [];
    bus.on({}, "warning", ({ message }) => warnings.push(message));
    const part = new HomeAssistantUnban(bus, { url: base, token: "tok" });
    await part.start();
    bus.emit("unban", { address: "203.0.113.30", reason: "command" });
    await part.settle();
    expect(received).toEqual([
      { path: "/api/services/http/unban", authorization: "Bearer tok", body: { ip_address: "203.0.113.30" } },
    ]);
    expect(part.results).toEqual([{ address: "203.0.113.30", lifted: true }]);
    await part.stop();

    const without = new HomeAssistantUnban(bus, { url: `${base}/denied`, token: "tok" });
    await without.start();
    bus.emit("unban", { address: "203.0.113.31", reason: "expired" });
    await without.settle();
    expect(without.results).toEqual([{ address: "203.0.113.31", lifted: false }]);
    expect(warnings.at(-1)).toContain("stays until Home Assistant restarts");
    await without.stop();
  });
});
