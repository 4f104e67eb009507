import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardBus } from "../../src/guard/bus.js";
import { validateGuardConfig } from "../../src/guard/config.js";
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

/** A user agent with markup, Markdown, a right-to-left override, a zero-width space and a control character. */
const HOSTILE_AGENT = "Evil <b>*bot*</b> (X11) \u202egnp.exe\u200b https://evil.example \u0000";

function ban(address: string, bus: GuardBus) {
  const failure = parseLine(failLine(address, "/auth/login_flow/abc", HOSTILE_AGENT));
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
    // a persistent notification is Markdown: the attacker's text is escaped, shown and never interpreted
    expect(message).toContain("URL: /auth/login\\_flow/abc");
    expect(message).toContain(
      "User agent: Evil \\<b\\>\\*bot\\*\\</b\\> \\(X11\\) \\<U\\+202E\\>gnp\\.exe\\<U\\+200B\\> https\\://evil\\.example ?",
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may be left
    expect(message).not.toMatch(/[\u202e\u200b\u0000]/);
    await notifier.stop();
  });

  it("posts the webhook as JSON: the raw fields, and a plain-text message", async () => {
    received.length = 0;
    const config = validateGuardConfig({ notify: { webhook: { url: `${base}/hook` } } }, "test");
    const bus = new GuardBus();
    const notifier = new Notifier(bus, config.notify, { baseDelayMs: 10 });
    await notifier.start();
    ban("203.0.113.25", bus);
    await notifier.settle();
    const hook = received.find((r) => r.path === "/hook");
    expect(hook?.body).toMatchObject({ event: "ban", address: "203.0.113.25", kind: "password", failures: 5 });
    // JSON is the escaping: the field arrives as the parser read it (its control characters already "?")
    expect(hook?.body.userAgent).toBe("Evil <b>*bot*</b> (X11) \u202egnp.exe\u200b https://evil.example ?");
    expect(hook?.body.url).toBe("/auth/login_flow/abc");
    expect(String(hook?.body.message)).toContain("URL: /auth/login_flow/abc");
    expect(String(hook?.body.message)).not.toMatch(/[\\\u202e\u200b]/);
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
    // a notify service (a phone push) shows plain text: no Markdown backslashes, but no bidi or invisible
    // characters either (a right-to-left override would reorder what the owner reads)
    const message = String(received[0]?.body.message);
    expect(message).toContain("URL: /auth/login_flow/abc");
    expect(message).toContain("User agent: Evil <b>*bot*</b> (X11) <U+202E>gnp.exe<U+200B> https://evil.example ?");
    expect(message).not.toContain("\\");
    expect(message).not.toMatch(/[\u202e\u200b]/);
    expect(received[0]?.body.notification_id).toBeUndefined();
    await notifier.stop();
  });

  it("retries with back-off until the receiver answers, and gives up on 401 at once", async () => {
    received.length = 0;
    failuresToAnswer = 2;
    const config = validateGuardConfig({ notify: { webhook: { url: `${base}/flaky` } } }, "test");
    const bus = new GuardBus();
    const warnings: string[] = [];
    bus.on({}, "warning", ({ message }) => warnings.push(message));
    const notified: unknown[] = [];
    bus.on(notified, "notified", (delivery) => notified.push(delivery));
    const notifier = new Notifier(bus, config.notify, { baseDelayMs: 20 });
    await notifier.start();
    const started = Date.now();
    ban("203.0.113.23", bus);
    await notifier.settle();
    expect(received.filter((r) => r.path === "/flaky")).toHaveLength(3);
    // back-off: 20 ms, then 40 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
    expect(notified).toEqual([{ channel: "webhook", ok: true, attempts: 3 }]);

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
    expect(notified.at(-1)).toEqual({ channel: "webhook", ok: false, attempts: 1 });
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
