import { execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NftablesBackend } from "../../src/guard/backends/nftables.js";
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

/** Connects from the client namespace; true when the TCP handshake completes within 1.5 s. */
function canConnect(host: string): boolean {
  const script = `const s=require("net").connect({host:${JSON.stringify(host)},port:${PORT},timeout:1500});s.on("connect",()=>{process.stdout.write("ok");s.destroy()});s.on("timeout",()=>{process.stdout.write("timeout");s.destroy()});s.on("error",e=>process.stdout.write(e.code))`;
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
    expect(rules.match(/drop/g)?.length).toBe(2);

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
});
