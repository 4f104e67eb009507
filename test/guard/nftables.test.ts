import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NftablesBackend } from "../../src/guard/backends/nftables.js";
import type { BanRecord } from "../../src/guard/bus.js";
import { validateGuardConfig } from "../../src/guard/config.js";
import { Guard } from "../../src/guard/guard.js";
import { type ServiceProcess, spawnService } from "../helpers/service-process.js";
import { failLine, waitFor } from "./helpers.js";

/**
 * Real nftables in two network namespaces this test creates (a veth pair between them): the "client"
 * namespace connects to a listener in the "server" namespace, where the guard's table lives. Addresses exist
 * only inside these namespaces.
 */
const id = `${process.pid % 100_000}`;
const SERVER_NS = `hg-nft-srv-${id}`;
const CLIENT_NS = `hg-nft-cli-${id}`;
const SERVER_V4 = "10.231.0.1";
const CLIENT_V4 = "10.231.0.2";
const SERVER_V6 = "fd00:231::1";
const CLIENT_V6 = "fd00:231::2";
// more client addresses, in /64s of their own (routed on the link from the server's side)
const ROTATING = ["fd00:232:0:1::1", "fd00:232:0:1::2", "fd00:232:0:1::3", "fd00:232:0:1::99"];
const OTHER_64 = "fd00:232:0:2::5";
const OWNERS_64 = ["fd00:232:0:3::7", "fd00:232:0:3::8", "fd00:232:0:3::9", "fd00:232:0:3::a"];
const SERVER_LL = "fe80::231:1";
const CLIENT_LL = "fe80::231:2";
const PORT = 8123;

const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe", timeout: 10_000 });
const inNs = (ns: string, ...args: string[]) =>
  execFileSync("ip", ["netns", "exec", ns, ...args], { stdio: "pipe", timeout: 10_000 });
const canRun = (() => {
  try {
    execFileSync("nft", ["--version"], { stdio: "ignore" });
    return process.getuid?.() === 0;
  } catch {
    return false;
  }
})();

let listener: ServiceProcess | null = null;

/** Connects from the client namespace (from `from`, if given); true when the handshake completes within 1.5 s. */
function canConnect(host: string, from?: string): boolean {
  const local = from ? `,localAddress:${JSON.stringify(from)}` : "";
  const script = `const s=require("net").connect({host:${JSON.stringify(host)},port:${PORT},timeout:1500${local}});s.on("connect",()=>{process.stdout.write("ok");s.destroy()});s.on("timeout",()=>{process.stdout.write("timeout");s.destroy()});s.on("error",e=>process.stdout.write(e.code))`;
  return inNs(CLIENT_NS, process.execPath, "-e", script).toString() === "ok";
}

describe.skipIf(!canRun)("nftables backend (real nftables in a namespace)", () => {
  beforeAll(async () => {
    ip("netns", "add", SERVER_NS);
    ip("netns", "add", CLIENT_NS);
    ip("link", "add", `hgs${id}`, "type", "veth", "peer", "name", `hgc${id}`);
    ip("link", "set", `hgs${id}`, "netns", SERVER_NS);
    ip("link", "set", `hgc${id}`, "netns", CLIENT_NS);
    for (const [ns, dev, v4, v6] of [
      [SERVER_NS, `hgs${id}`, SERVER_V4, SERVER_V6],
      [CLIENT_NS, `hgc${id}`, CLIENT_V4, CLIENT_V6],
    ] as const) {
      inNs(ns, "ip", "link", "set", "lo", "up");
      inNs(ns, "ip", "addr", "add", `${v4}/24`, "dev", dev);
      inNs(ns, "ip", "addr", "add", `${v6}/64`, "dev", dev, "nodad");
      inNs(ns, "ip", "link", "set", dev, "up");
    }
    for (const address of [...ROTATING, OTHER_64, ...OWNERS_64]) {
      inNs(CLIENT_NS, "ip", "addr", "add", `${address}/64`, "dev", `hgc${id}`, "nodad");
    }
    inNs(CLIENT_NS, "ip", "addr", "add", `${CLIENT_LL}/64`, "dev", `hgc${id}`, "nodad");
    inNs(SERVER_NS, "ip", "addr", "add", `${SERVER_LL}/64`, "dev", `hgs${id}`, "nodad");
    inNs(SERVER_NS, "ip", "-6", "route", "add", "fd00:232::/32", "dev", `hgs${id}`);
    const server = `require("net").createServer(s=>{s.on("error",()=>{});s.end("hi")}).listen(${PORT},"::",()=>process.stdout.write("listening"))`;
    // in a session of its own: nothing it signals can reach the test worker
    listener = spawnService("ip", ["netns", "exec", SERVER_NS, process.execPath, "-e", server]);
    let ready = false;
    listener.child.stdout?.on("data", () => {
      ready = true;
    });
    await waitFor(() => ready, 10_000, "the listener in the namespace");
  });

  afterAll(async () => {
    await listener?.stop({ signal: "SIGKILL" });
    for (const ns of [SERVER_NS, CLIENT_NS]) {
      try {
        ip("netns", "delete", ns);
      } catch {
        // already gone
      }
    }
  });

  it("a banned address cannot connect; after the unban it can; the table is removed cleanly", async () => {
    const backend = new NftablesBackend({ command: ["ip", "netns", "exec", SERVER_NS, "nft"], table: "hassguard" });
    expect(canConnect(SERVER_V4)).toBe(true);
    expect(canConnect(SERVER_V6)).toBe(true);

    await backend.start();
    await backend.start(); // idempotent: no second rule, no error
    const rules = inNs(SERVER_NS, "nft", "list", "chain", "inet", "hassguard", "input").toString();
    expect(rules.match(/drop/g)?.length).toBe(4);

    await backend.ban(CLIENT_V4, Date.now() + 600_000);
    await backend.ban(CLIENT_V4, Date.now() + 600_000); // idempotent
    await backend.ban(CLIENT_V6, Date.now() + 600_000);
    expect((await backend.list()).sort()).toEqual([CLIENT_V4, CLIENT_V6].sort());
    expect(canConnect(SERVER_V4)).toBe(false);
    expect(canConnect(SERVER_V6)).toBe(false);

    await backend.unban(CLIENT_V4);
    await backend.unban(CLIENT_V4); // idempotent
    expect(canConnect(SERVER_V4)).toBe(true);
    expect(canConnect(SERVER_V6)).toBe(false);

    await backend.remove();
    expect(inNs(SERVER_NS, "nft", "list", "tables").toString()).not.toContain("hassguard");
    expect(canConnect(SERVER_V6)).toBe(true);
    await backend.remove(); // removing twice is fine
  });

  it("the kernel lifts a ban by itself when its timeout runs out", async () => {
    const backend = new NftablesBackend({
      command: ["ip", "netns", "exec", SERVER_NS, "nft"],
      table: "hassguard_timeout",
    });
    await backend.start();
    await backend.ban(CLIENT_V4, Date.now() + 3000);
    expect(canConnect(SERVER_V4)).toBe(false);
    await waitFor(async () => (await backend.list()).length === 0, 8000, "the element to time out");
    expect(canConnect(SERVER_V4)).toBe(true);
    await backend.remove();
  });

  it("end to end: failed logins in the log cut the client off; the unban-all button lets it back", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hassguard-nft-e2e-"));
    const log = join(dir, "home-assistant.log");
    writeFileSync(log, "");
    const config = validateGuardConfig(
      { source: "file", log, store: join(dir, "guard.sqlite"), maxRetry: 3, backends: ["nftables"] },
      "test",
    );
    const guard = new Guard(config, {
      nftCommand: ["ip", "netns", "exec", SERVER_NS, "nft"],
      nftTable: "hassguard_e2e",
    });
    try {
      await guard.start();
      expect(canConnect(SERVER_V4)).toBe(true);
      // the user agent names the server's own address: it must not be the one banned
      for (let i = 0; i < 3; i++)
        appendFileSync(log, `${failLine(CLIENT_V4, "/auth/login_flow/x", `from ${SERVER_V4} (${SERVER_V4})`)}\n`);
      await waitFor(() => guard.bans.active.length === 1, 5000, "the ban");
      await guard.bans.settle();
      expect(guard.bans.active.map((b) => b.address)).toEqual([CLIENT_V4]);
      expect(canConnect(SERVER_V4)).toBe(false);
      guard.bus.emit("unban-request", { address: "all" });
      await guard.bus.settle();
      await guard.bans.settle();
      expect(canConnect(SERVER_V4)).toBe(true);
    } finally {
      await guard.stop();
      await new NftablesBackend({
        command: ["ip", "netns", "exec", SERVER_NS, "nft"],
        table: "hassguard_e2e",
      }).remove();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a /64 prefix ban drops every address of the /64, one never seen included, and nothing else", async () => {
    const backend = new NftablesBackend({ command: ["ip", "netns", "exec", SERVER_NS, "nft"], table: "hassguard_net" });
    await backend.start();
    try {
      expect(canConnect(SERVER_V6, ROTATING[3])).toBe(true);
      await backend.ban("fd00:232:0:1::/64", Date.now() + 600_000);
      await backend.ban("fd00:232:0:1::/64", Date.now() + 600_000); // idempotent
      expect(await backend.list()).toEqual(["fd00:232:0:1::/64"]);
      for (const address of ROTATING) expect(canConnect(SERVER_V6, address)).toBe(false);
      expect(canConnect(SERVER_V6, OTHER_64)).toBe(true);
      await backend.unban("fd00:232:0:1::/64");
      expect(canConnect(SERVER_V6, ROTATING[3])).toBe(true);
      await expect(backend.ban("fd00:232:0:1::5/64", Date.now() + 1000)).rejects.toThrow(/non-canonical/);
    } finally {
      await backend.remove();
    }
  });

  it("a link-local ban holds its zone: the address on that link is dropped, the same address on another is not", async () => {
    const backend = new NftablesBackend({ command: ["ip", "netns", "exec", SERVER_NS, "nft"], table: "hassguard_ll" });
    await backend.start();
    const target = `${SERVER_LL}%hgc${id}`;
    try {
      expect(canConnect(target)).toBe(true);
      await backend.ban(`${CLIENT_LL}%lo`, Date.now() + 600_000);
      expect(canConnect(target)).toBe(true);
      await backend.ban(`${CLIENT_LL}%hgs${id}`, Date.now() + 600_000);
      expect((await backend.list()).sort()).toEqual([`${CLIENT_LL}%hgs${id}`, `${CLIENT_LL}%lo`].sort());
      expect(canConnect(target)).toBe(false);
      await backend.unban(`${CLIENT_LL}%hgs${id}`);
      expect(canConnect(target)).toBe(true);
      // a numeric zone (an interface without a name) cannot be matched by name: banned on every link
      await backend.ban(`${CLIENT_LL}%7`, Date.now() + 600_000);
      expect(await backend.list()).toContain(CLIENT_LL);
      expect(canConnect(target)).toBe(false);
      await backend.unban(`${CLIENT_LL}%7`);
      expect(canConnect(target)).toBe(true);
    } finally {
      await backend.remove();
    }
  });

  it("end to end: an attacker rotating through a /64 is cut off whole; the owner's /64 never is; a zoned peer is banned", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hassguard-nft-net-"));
    const log = join(dir, "home-assistant.log");
    const ipBans = join(dir, "ip_bans.yaml");
    writeFileSync(log, "");
    const config = validateGuardConfig(
      {
        source: "file",
        log,
        store: join(dir, "guard.sqlite"),
        maxRetry: 5,
        maxPrefixRetry: 10,
        allow: [`${OWNERS_64[0]}/128`],
        backends: ["nftables", `ip-bans=${ipBans}`],
      },
      "test",
    );
    const guard = new Guard(config, {
      nftCommand: ["ip", "netns", "exec", SERVER_NS, "nft"],
      nftTable: "hassguard_e2e_net",
    });
    const bans: BanRecord[] = [];
    guard.bus.on(bans, "ban", (ban) => bans.push(ban));
    try {
      await guard.start();
      // a new address every 4 tries, as Home Assistant logs them (one URL percent-encoded)
      const lines: string[] = [];
      for (let i = 0; i < 12; i++) {
        const url = i === 5 ? "/auth/login%5Fflow/x" : "/auth/login_flow/x";
        lines.push(failLine(ROTATING[Math.floor(i / 4)] ?? "", url));
        lines.push(failLine(OWNERS_64[1 + Math.floor(i / 4)] ?? "", url));
      }
      const zoned = `${CLIENT_LL}%hgs${id}`;
      for (let i = 0; i < 5; i++) lines.push(failLine(zoned));
      appendFileSync(log, `${lines.join("\n")}\n`);
      await waitFor(() => guard.bans.active.length === 2, 10_000, "the prefix ban and the zoned ban");
      await guard.bans.settle();
      expect(guard.bans.active.map((b) => b.address).sort()).toEqual(["fd00:232:0:1::/64", zoned].sort());
      const prefixBan = bans.find((b) => b.address === "fd00:232:0:1::/64");
      expect(prefixBan?.reason).toContain("rotating through one IPv6 /64");
      expect(prefixBan?.reason).toContain("not in ip_bans.yaml");
      // Home Assistant's file gets the zoned address as Home Assistant writes it, and no network
      expect(readFileSync(ipBans, "utf8")).toContain(`'${zoned}':`);
      expect(readFileSync(ipBans, "utf8")).not.toContain("/64");
      for (const address of ROTATING) expect(canConnect(SERVER_V6, address)).toBe(false);
      expect(canConnect(SERVER_V6, OTHER_64)).toBe(true);
      // the owner's /64 holds an allow-listed address: never banned whole, the allow-listed address reachable
      for (const address of OWNERS_64) expect(canConnect(SERVER_V6, address)).toBe(true);
      expect(canConnect(`${SERVER_LL}%hgc${id}`)).toBe(false);
      guard.bus.emit("unban-request", { address: "all" });
      await guard.bus.settle();
      await guard.bans.settle();
      expect(canConnect(SERVER_V6, ROTATING[3])).toBe(true);
      expect(canConnect(`${SERVER_LL}%hgc${id}`)).toBe(true);
    } finally {
      await guard.stop();
      await new NftablesBackend({
        command: ["ip", "netns", "exec", SERVER_NS, "nft"],
        table: "hassguard_e2e_net",
      }).remove();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
