import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_LINE_LENGTH, parseLine } from "../../src/guard/parser.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/guard/${name}`, import.meta.url), "utf8");
const PREFIX = "2026-11-23 17:18:40.579 WARNING (MainThread) [homeassistant.components.http.ban] ";
const FAIL = `${PREFIX}Login attempt or request with invalid authentication from `;

describe("parser: real Home Assistant 2023.11.3 lines", () => {
  it("reads the recorded failed logins and the ban", () => {
    const events = fixture("home-assistant.log.failed-logins.txt")
      .split("\n")
      .map(parseLine)
      .filter((e) => e !== null);
    expect(events.map((e) => e.type)).toEqual(["failure", "failure", "failure", "ha-ban"]);
    const first = events[0];
    expect(first).toMatchObject({
      type: "failure",
      address: "127.0.0.1",
      host: "localhost",
      url: "/auth/login_flow/39df2af6df1f6073dccb1680cb031806",
      userAgent: "recorder/1.0",
      kind: "password",
    });
    // local time, as Home Assistant writes it
    expect(first?.time?.getHours()).toBe(17);
    expect(first?.time?.getMilliseconds()).toBe(579);
    expect(events[3]).toMatchObject({ type: "ha-ban", address: "127.0.0.1" });
  });

  it("tells a stale token on /api from a wrong password in the full run's log", () => {
    const failures = fixture("home-assistant.log.full-run.txt")
      .split("\n")
      .map(parseLine)
      .filter((e) => e?.type === "failure");
    expect(failures.map((e) => (e?.type === "failure" ? e.kind : null))).toEqual([
      "token",
      "password",
      "password",
      "password",
    ]);
  });
});

describe("parser: every historical failed-login format", () => {
  it("≤2020: the address alone", () => {
    expect(parseLine(`${FAIL}203.0.113.5`)).toMatchObject({ address: "203.0.113.5", kind: "unknown", url: null });
  });
  it("2020: reverse DNS host and address, with and without a user agent", () => {
    expect(parseLine(`${FAIL}scanner.example (203.0.113.5)`)).toMatchObject({
      address: "203.0.113.5",
      host: "scanner.example",
      userAgent: null,
    });
    expect(parseLine(`${FAIL}203.0.113.5 (203.0.113.5) (Mozilla/5.0)`)).toMatchObject({
      address: "203.0.113.5",
      userAgent: "Mozilla/5.0",
      kind: "unknown",
    });
  });
  it("2021+: URL and user agent; WebSocket and /auth/token are token failures", () => {
    expect(
      parseLine(`${FAIL}203.0.113.5 (203.0.113.5). Requested URL: '/api/websocket'. (HomeAssistant/2024.1 iOS)`),
    ).toMatchObject({
      kind: "token",
      url: "/api/websocket",
      userAgent: "HomeAssistant/2024.1 iOS",
    });
    expect(parseLine(`${FAIL}203.0.113.5 (203.0.113.5). Requested URL: '/auth/token'. (None)`)).toMatchObject({
      kind: "token",
    });
  });
  it("a percent-encoded login flow URL is a password failure: aiohttp routes on the decoded path", () => {
    const url = (u: string) => parseLine(`${FAIL}203.0.113.5 (203.0.113.5). Requested URL: '${u}'. (curl/8)`);
    expect(url("/auth/login%5Fflow/abc")).toMatchObject({ kind: "password", url: "/auth/login%5Fflow/abc" });
    expect(url("/auth/login%5fflow/abc")).toMatchObject({ kind: "password" });
    expect(url("/%61uth/%6C%6F%67%69%6E_flow/abc?x=%2F")).toMatchObject({ kind: "password" });
    // %2F stays a literal character in the routed path (yarl's path_safe): this never reaches the login flow
    expect(url("/auth%2Flogin_flow/abc")).toMatchObject({ kind: "token" });
    expect(url("/auth/login_flowers")).toMatchObject({ kind: "token" });
    expect(url("/api/%77ebsocket")).toMatchObject({ kind: "token" });
  });
  it("journal prefixes: hass[pid]: and syslog dates", () => {
    const line = `${FAIL}203.0.113.5 (203.0.113.5). Requested URL: '/auth/login_flow/abc'. (curl/8)`;
    expect(parseLine(`hass[812]: ${line}`)).toMatchObject({ address: "203.0.113.5", kind: "password" });
    expect(parseLine(`Nov 23 17:18:40 homeserver hass[812]: ${line}`)).toMatchObject({ address: "203.0.113.5" });
    // journal MESSAGE without Home Assistant's own time
    const noTime = `WARNING (MainThread) [homeassistant.components.http.ban] Login attempt or request with invalid authentication from 203.0.113.5 (203.0.113.5). Requested URL: '/auth/login_flow/x'. (ua)`;
    expect(parseLine(noTime)).toMatchObject({ address: "203.0.113.5", time: null });
  });
  it("ANSI colour codes from the Supervisor's stream", () => {
    const line = `\x1b[33m${FAIL}203.0.113.5 (203.0.113.5). Requested URL: '/auth/login_flow/x'. (ua)\x1b[0m`;
    expect(parseLine(line)).toMatchObject({ address: "203.0.113.5", userAgent: "ua" });
  });
});

describe("parser: addresses", () => {
  it("IPv6 is canonical and IPv4-mapped IPv6 is the IPv4 address", () => {
    expect(parseLine(`${FAIL}::ffff:198.51.100.7 (::ffff:198.51.100.7)`)).toMatchObject({ address: "198.51.100.7" });
    expect(parseLine(`${FAIL}h (2001:DB8:0:0:0:0:0:1)`)).toMatchObject({ address: "2001:db8::1" });
    expect(parseLine(`${PREFIX}Banned IP ::ffff:198.51.100.7 for too many login attempts`)).toMatchObject({
      type: "ha-ban",
      address: "198.51.100.7",
    });
  });
  it("a link-local peer keeps its zone (Python's str(IPv6Address) writes it, and it names the link)", () => {
    expect(parseLine(`${FAIL}fe80::1%eth0 (fe80::1%eth0). Requested URL: '/auth/login_flow/x'. (ua)`)).toMatchObject({
      type: "failure",
      address: "fe80::1%eth0",
      kind: "password",
    });
    expect(parseLine(`${FAIL}router.lan (FE80::0:1%enp3s0)`)).toMatchObject({ address: "fe80::1%enp3s0" });
    expect(parseLine(`${FAIL}fe80::1%eth0`)).toMatchObject({ address: "fe80::1%eth0", kind: "unknown" });
    expect(parseLine(`${PREFIX}Banned IP fe80::1%eth0 for too many login attempts`)).toMatchObject({
      type: "ha-ban",
      address: "fe80::1%eth0",
    });
    // a zone is an interface name: nothing else (no spaces, quotes, braces) is a zone
    expect(parseLine(`${FAIL}h (fe80::1%eth0"})`)).toBeNull();
  });
  it("rejects non-addresses in the address position", () => {
    expect(parseLine(`${FAIL}host (999.1.1.1)`)).toBeNull();
    expect(parseLine(`${FAIL}not-an-address`)).toBeNull();
  });
});

describe("parser: hostile lines", () => {
  it("a user agent naming another address never blames it", () => {
    const line = `${FAIL}attacker.example (203.0.113.9). Requested URL: '/auth/login_flow/x'. (from 198.51.100.1 (198.51.100.1))`;
    expect(parseLine(line)).toMatchObject({ address: "203.0.113.9" });
  });
  it("a URL carrying a whole fake log line never blames its address", () => {
    const fake = `${FAIL}198.51.100.1 (198.51.100.1)`;
    const line = `${FAIL}203.0.113.9 (203.0.113.9). Requested URL: '/${fake}'. (x)`;
    expect(parseLine(line)).toMatchObject({ address: "203.0.113.9" });
  });
  it("a PTR name that looks like an address is not the address", () => {
    expect(parseLine(`${FAIL}198.51.100.1 (203.0.113.9)`)).toMatchObject({ address: "203.0.113.9" });
  });
  it("the fake line must start the line: mid-line text from another logger is ignored", () => {
    const line = `2026-11-23 17:18:40.579 WARNING (MainThread) [homeassistant.components.mqtt] payload ${FAIL}198.51.100.1 (198.51.100.1)`;
    expect(parseLine(line)).toBeNull();
  });
  it("the old format takes the address only when it is the whole rest of the line", () => {
    expect(parseLine(`${FAIL}198.51.100.1 trailing`)).toBeNull();
  });
  it("survives NUL bytes, escape sequences and overlong lines", () => {
    expect(parseLine(`${FAIL}h (203.0.\u0000113.9)`)).toBeNull();
    expect(parseLine(`${FAIL}203.0.\u0000113.9 (203.0.113.9)`)).toMatchObject({
      address: "203.0.113.9",
      host: "203.0.?113.9",
    });
    const withNulInAgent = parseLine(`${FAIL}h (203.0.113.9). Requested URL: '/a'. (x\u0000\u001b[2Jy)`);
    expect(withNulInAgent).toMatchObject({ address: "203.0.113.9", userAgent: "x?y" });
    const huge = `${FAIL}h (203.0.113.9). Requested URL: '/${"A".repeat(1_000_000)}'. (ua)`;
    const event = parseLine(huge);
    expect(event).toMatchObject({ address: "203.0.113.9", kind: "token" });
    expect(event?.type === "failure" && (event.url?.length ?? 0) < 600).toBe(true);
    expect(MAX_LINE_LENGTH).toBeLessThan(huge.length);
  });
  it("ignores garbage", () => {
    for (const junk of ["", "\u0000\u0000", "]]]] [homeassistant.components.http.ban]", "x".repeat(100_000)]) {
      expect(parseLine(junk)).toBeNull();
    }
  });
});

describe("parser: other lines", () => {
  it("security_filter scanner lines (no address is logged)", () => {
    const line =
      "2026-11-23 17:20:00.001 WARNING (MainThread) [homeassistant.components.http.security_filter] Filtered a potential harmful request to: /../../etc/passwd";
    expect(parseLine(line)).toMatchObject({ type: "filtered", url: "/../../etc/passwd" });
  });
  it("login success and the untrusted proxy error", () => {
    expect(
      parseLine(
        "2026-11-23 17:20:00.001 DEBUG (MainThread) [homeassistant.components.http.ban] Login success, reset failed login attempts counter from 192.0.2.4",
      ),
    ).toMatchObject({ type: "success", address: "192.0.2.4" });
    expect(
      parseLine(
        "2026-11-23 17:20:00.001 ERROR (MainThread) [homeassistant.components.http.forwarded] Received X-Forwarded-For header from an untrusted proxy 192.0.2.80",
      ),
    ).toMatchObject({ type: "untrusted-proxy", address: "192.0.2.80" });
  });
});
