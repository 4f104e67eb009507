import { describe, expect, it } from "vitest";
import { GuardBus } from "../../src/guard/bus.js";

/** The bus awaits asynchronous listeners and reports their failures with the part's name (issue 10). */

const part = (name: string) => ({ name });

describe("the guard's bus", () => {
  it("reports a failing listener, synchronous or asynchronous, with the part's name and the event", async () => {
    const bus = new GuardBus();
    const warnings: string[] = [];
    bus.on({}, "warning", ({ message }) => warnings.push(message));
    bus.on(part("notifier"), "ban", async () => {
      await Promise.resolve();
      throw new Error("webhook down");
    });
    bus.on(part("ban manager"), "ban", () => {
      throw new Error("store locked");
    });
    const after: string[] = [];
    bus.on(part("stats"), "ban", ({ address }) => after.push(address));
    bus.emit("ban", { address: "203.0.113.1", bannedAt: 0, until: 1, failures: 5, kind: "password", offence: 1 });
    // one listener's failure does not keep the others from the event
    expect(after).toEqual(["203.0.113.1"]);
    await bus.settle();
    expect(warnings.sort()).toEqual([
      "ban manager: ban handler failed: store locked",
      "notifier: ban handler failed: webhook down",
    ]);
  });

  it("settle() waits for asynchronous listeners and the work they start, per owner or for all", async () => {
    const bus = new GuardBus();
    const slow = part("slow");
    const quick = part("quick");
    const done: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    bus.on(slow, "unban", async ({ address }) => {
      await gate;
      done.push(`slow ${address}`);
      // work started by the listener itself is waited for too
      bus.emit("unban-request", { address });
    });
    bus.on(quick, "unban-request", async ({ address }) => {
      await Promise.resolve();
      done.push(`quick ${address}`);
    });
    bus.emit("unban", { address: "198.51.100.1", reason: "command" });
    await bus.settle(quick);
    expect(done).toEqual([]);
    const all = bus.settle();
    release();
    await all;
    expect(done).toEqual(["slow 198.51.100.1", "quick 198.51.100.1"]);
  });

  it("a failing warning listener does not start a loop", async () => {
    const bus = new GuardBus();
    let calls = 0;
    bus.on(part("printer"), "warning", () => {
      calls++;
      throw new Error("stderr closed");
    });
    bus.emit("warning", { message: "x" });
    await bus.settle();
    expect(calls).toBe(1);
  });
});
