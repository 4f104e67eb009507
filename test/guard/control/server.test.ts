import { execFile, spawn, spawnSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { validateGuardConfig } from "../../../src/guard/config.js";
import { askGuard } from "../../../src/guard/control/client.js";
import { ControlServer } from "../../../src/guard/control/server.js";
import { Guard } from "../../../src/guard/guard.js";
import { failLine, waitFor } from "../helpers.js";

const run = promisify(execFile);
const root = new URL("../../../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "hassguard-control-"));
// other users may walk the folder: only the socket's own mode keeps them out
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function guardFor(name: string, extra: Record<string, unknown> = {}): Guard {
  const log = join(dir, `${name}.log`);
  if (!existsSync(log)) writeFileSync(log, "");
  const config = validateGuardConfig(
    { source: "file", log, store: join(dir, `${name}.sqlite`), maxRetry: 2, backends: ["dry-run"], ...extra },
    "test",
  );
  return new Guard(config);
}

/** Sends raw bytes to the socket and reads what comes back until the guard closes the connection. */
function raw(path: string, bytes: string | Buffer, end = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(path);
    let answer = "";
    socket.on("data", (chunk: Buffer) => {
      answer += chunk.toString();
    });
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
    socket.on("connect", () => (end ? socket.end(bytes) : socket.write(bytes)));
  });
}

const asNobody = process.getuid?.() === 0 && spawnSync("runuser", ["--help"]).status === 0;

describe("the guard's control channel", () => {
  it("is a socket beside the store that only its owner may use (mode 0600)", async () => {
    const guard = guardFor("owner");
    await guard.start();
    try {
      expect(guard.controlSocket).toBe(join(dir, "owner.sock"));
      const stat = statSync(guard.controlSocket);
      expect(stat.isSocket()).toBe(true);
      expect(stat.mode & 0o777).toBe(0o600);
      const answer = await askGuard(guard.controlSocket, { op: "status" });
      expect(answer.running && answer.result.parts.every((part) => part.running)).toBe(true);
    } finally {
      await guard.stop();
    }
    // a clean stop takes its socket away
    expect(existsSync(join(dir, "owner.sock"))).toBe(false);
  });

  it.skipIf(!asNobody)("refuses another user (nobody): the kernel checks the socket's mode", async () => {
    const guard = guardFor("nobody");
    await guard.start();
    try {
      const script = `
        const { askGuard } = await import(${JSON.stringify(join(root, "src/guard/control/client.ts"))});
        try { await askGuard(${JSON.stringify(guard.controlSocket)}, { op: "unban", address: "203.0.113.1" }); console.log("answered"); }
        catch (error) { console.log(error.message); }`;
      // asynchronously: were the socket open to nobody, this guard must be free to answer (and fail the test)
      const result = await run(
        "runuser",
        ["-u", "nobody", "--", process.execPath, "--import", "tsx", "--input-type=module", "-e", script],
        { cwd: root, encoding: "utf8", timeout: 30_000 },
      );
      expect(result.stdout.trim()).toBe(
        `permission denied on the control socket '${guard.controlSocket}': the guard is another user's`,
      );
    } finally {
      await guard.stop();
    }
  });

  it("answers small valid JSON requests only, and never waits for a silent client forever", async () => {
    const guard = guardFor("protocol");
    await guard.start();
    const path = guard.controlSocket;
    try {
      expect(JSON.parse(await raw(path, "x".repeat(5000)))).toEqual({
        ok: false,
        error: "request larger than 4096 bytes",
      });
      expect(JSON.parse(await raw(path, "not json\n"))).toEqual({ ok: false, error: "the request is not JSON" });
      const invalid = JSON.parse(await raw(path, '{"op":"unban","address":"203.0.113.999"}\n'));
      expect(invalid).toEqual({
        ok: false,
        error: "invalid request: address: not an IP address (or a banned IPv6 /64)",
      });
      expect(JSON.parse(await raw(path, '{"op":"shutdown"}')).ok).toBe(false);
      expect(JSON.parse(await raw(path, '{"op":"status","extra":1}')).ok).toBe(false);
      const status = JSON.parse(await raw(path, '{"op":"status"}'));
      expect(status).toMatchObject({ ok: true, result: { pid: process.pid, activeBans: 0 } });
    } finally {
      await guard.stop();
    }
    // a client that connects and says nothing is cut off after the request timeout
    const server = new ControlServer({ path: join(dir, "quiet.sock"), requestTimeoutMs: 200 }, guard.actions);
    await server.start();
    try {
      expect(await raw(join(dir, "quiet.sock"), "", false)).toBe("");
    } finally {
      await server.stop();
    }
  });

  it("bans, allows a network (kept across restarts) and reports the live state", async () => {
    const guard = guardFor("actions");
    await guard.start();
    const path = guard.controlSocket;
    try {
      const banned = await askGuard(path, { op: "ban", address: "203.0.113.50", seconds: 600 });
      expect(banned.running && banned.result).toMatchObject({
        address: "203.0.113.50",
        added: true,
        backends: [{ backend: "dry-run", ok: true }],
      });
      const listed = await askGuard(path, { op: "bans" });
      expect(listed.running && listed.result.bans).toEqual([
        expect.objectContaining({
          address: "203.0.113.50",
          kind: "manual",
          reason: "banned by the owner (control channel)",
          backends: ["dry-run"],
          expired: false,
        }),
      ]);
      const allowed = await askGuard(path, { op: "allow", network: "203.0.113.7/24" });
      expect(allowed.running && allowed.result).toEqual({ network: "203.0.113.0/24", lifted: ["203.0.113.50"] });
      expect(guard.bans.active).toEqual([]);
      await expect(askGuard(path, { op: "ban", address: "203.0.113.51" })).rejects.toThrow(/never banned/);
    } finally {
      await guard.stop();
    }
    // after a restart the allowed network still holds: its failures ban no one
    const again = guardFor("actions");
    await again.start();
    try {
      appendFileSync(join(dir, "actions.log"), `${failLine("203.0.113.60")}\n`.repeat(3));
      appendFileSync(join(dir, "actions.log"), `${failLine("198.51.100.60")}\n`.repeat(2));
      await waitFor(() => again.bans.active.length === 1, 5000, "the ban outside the allowed network");
      expect(again.bans.active.map((ban) => ban.address)).toEqual(["198.51.100.60"]);
      const status = await askGuard(again.controlSocket, { op: "status" });
      expect(status.running && status.result.allowed).toEqual(["203.0.113.0/24"]);
    } finally {
      await again.stop();
    }
  });

  it("replaces a socket left by a killed guard, and refuses to take over one a running guard answers on", async () => {
    const stale = join(dir, "stale.sock");
    // a process that bound the socket and died with -9: the file stays, nobody listens
    const child = spawn(process.execPath, [
      "-e",
      `require("net").createServer().listen(${JSON.stringify(stale)}, () => process.kill(process.pid, "SIGKILL"))`,
    ]);
    await new Promise((resolve) => child.once("exit", resolve));
    expect(statSync(stale).isSocket()).toBe(true);
    const first = guardFor("first", { controlSocket: stale });
    await first.start();
    const second = guardFor("second", { controlSocket: stale });
    try {
      expect((await askGuard(stale, { op: "status" })).running).toBe(true);
      await second.start();
      const control = second.partStates().find((part) => part.name === "control channel");
      expect(control).toEqual({
        name: "control channel",
        running: false,
        error: `another guard answers on the control socket '${stale}'`,
      });
      // the first guard still has its channel
      const status = await askGuard(stale, { op: "status" });
      expect(status.running && status.result.store).toBe(join(dir, "first.sqlite"));
    } finally {
      await second.stop();
      await first.stop();
    }
    // a file that is not a socket is never replaced
    const notSocket = join(dir, "not-a-socket");
    writeFileSync(notSocket, "the owner's file\n");
    const third = guardFor("third", { controlSocket: notSocket });
    await third.start();
    await third.stop();
    expect(third.partStates().find((part) => part.name === "control channel")?.error).toContain("is not a socket");
    expect(readFileSync(notSocket, "utf8")).toBe("the owner's file\n");
  });
});
