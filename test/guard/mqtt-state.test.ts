import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import mqtt, { type MqttClient } from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GuardBus } from "../../src/guard/bus.js";
import { MqttState } from "../../src/guard/mqtt-state.js";
import { StatsKeeper } from "../../src/guard/stats.js";
import { GuardStore } from "../../src/guard/store.js";
import { type ServiceProcess, spawnService } from "../helpers/service-process.js";
import { waitFor } from "./helpers.js";

/** A real Mosquitto started by the test on its own port, with its own configuration. */
const MOSQUITTO = "/usr/sbin/mosquitto";
const dir = mkdtempSync(join(tmpdir(), "hassguard-mqtt-"));
let broker: ServiceProcess | null = null;
let url = "";
let observer: MqttClient;
const messages = new Map<string, string>();
const history: { topic: string; payload: string }[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts Mosquitto on `port` without persistence (a restart is an empty broker) and waits until it listens. */
async function startBroker(port: number): Promise<ServiceProcess> {
  const conf = join(dir, `mosquitto-${port}.conf`);
  writeFileSync(
    conf,
    [
      "persistence false",
      "log_dest stderr",
      "user root",
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      "",
    ].join("\n"),
  );
  // in a session of its own: nothing the broker signals can reach the test worker
  const service = spawnService(MOSQUITTO, ["-c", conf]);
  await waitFor(
    async () => {
      try {
        const probe = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { connectTimeout: 500, reconnectPeriod: 0 });
        await probe.endAsync();
        return true;
      } catch {
        return false;
      }
    },
    10_000,
    "mosquitto to listen",
  );
  return service;
}

beforeAll(async () => {
  const port = await freePort();
  broker = await startBroker(port);
  url = `mqtt://127.0.0.1:${port}`;
  observer = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  observer.on("message", (topic, payload) => {
    messages.set(topic, payload.toString());
    history.push({ topic, payload: payload.toString() });
  });
  await observer.subscribeAsync(["homeassistant/#", "hassguard/#", "hassguard_kill/#"]);
});

afterAll(async () => {
  await observer?.endAsync();
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!existsSync(MOSQUITTO))("MQTT discovery state (real Mosquitto)", () => {
  it("announces one device, publishes state only on change, re-announces, obeys the button, says offline on stop", async () => {
    const bus = new GuardBus();
    const unbanRequests: string[] = [];
    bus.on({}, "unban-request", ({ address }) => unbanRequests.push(address));
    const part = new MqttState(bus, { url, discoveryPrefix: "homeassistant", baseTopic: "hassguard" }, "9.9.9");
    await part.start();
    await waitFor(() => messages.get("hassguard/availability") === "online", 5000, "availability online");

    const configs = [...messages.keys()].filter((t) => t.endsWith("/config")).sort();
    expect(configs).toEqual([
      "homeassistant/binary_sensor/guard/under_attack/config",
      "homeassistant/button/guard/unban_all/config",
      "homeassistant/sensor/guard/active_bans/config",
      "homeassistant/sensor/guard/failed_logins_24h/config",
      "homeassistant/sensor/guard/last_attacker/config",
    ]);
    const problem = JSON.parse(messages.get("homeassistant/binary_sensor/guard/under_attack/config") ?? "{}");
    expect(problem).toMatchObject({
      device_class: "problem",
      state_topic: "hassguard/state",
      availability_topic: "hassguard/availability",
      unique_id: "hassguard_guard_under_attack",
      device: { identifiers: ["hassguard_guard"], sw_version: "9.9.9" },
    });
    const devices = new Set(configs.map((t) => JSON.stringify(JSON.parse(messages.get(t) ?? "{}").device)));
    expect(devices.size).toBe(1);

    // retained: a newcomer (Home Assistant after a restart) gets them too
    const late = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    const retained: string[] = [];
    late.on("message", (topic, _payload, packet) => {
      if (packet.retain) retained.push(topic);
    });
    await late.subscribeAsync("homeassistant/#");
    await waitFor(() => retained.length === 5, 3000, "retained configs");
    await late.endAsync();

    bus.emit("stats", { failures24h: 7, activeBans: 1, lastAttacker: "203.0.113.5", underAttack: true });
    await waitFor(() => messages.has("hassguard/state"), 3000, "state");
    expect(JSON.parse(messages.get("hassguard/state") ?? "{}")).toEqual({
      failures24h: 7,
      activeBans: 1,
      lastAttacker: "203.0.113.5",
      underAttack: true,
    });
    // unchanged state is not published again
    const statesBefore = history.filter((m) => m.topic === "hassguard/state").length;
    bus.emit("stats", { failures24h: 7, activeBans: 1, lastAttacker: "203.0.113.5", underAttack: true });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(history.filter((m) => m.topic === "hassguard/state").length).toBe(statesBefore);

    // Home Assistant restarted: everything is announced again
    const announced = part.announcements;
    await observer.publishAsync("homeassistant/status", "online");
    await waitFor(() => part.announcements === announced + 1, 3000, "re-announcement");

    await observer.publishAsync("hassguard/unban_all/set", "PRESS");
    await waitFor(() => unbanRequests.length === 1, 3000, "the unban-all request");
    expect(unbanRequests).toEqual(["all"]);

    // a clean stop says offline
    await part.stop();
    await waitFor(() => messages.get("hassguard/availability") === "offline", 3000, "offline after stop");
  });

  it("publishes the current state on a fresh start, though the statistics were said before MQTT listened", async () => {
    const bus = new GuardBus();
    const store = GuardStore.open(join(dir, "fresh.sqlite"), "edit");
    // the guard's order: the statistics part starts (and says its first numbers) before the MQTT part
    const stats = new StatsKeeper(bus, store);
    await stats.start();
    await observer.subscribeAsync("hassguard_fresh/#");
    const part = new MqttState(bus, { url, discoveryPrefix: "homeassistant", baseTopic: "hassguard_fresh" }, "1");
    await part.start();
    // a new install: no failed login, nothing changes, and yet every sensor gets a value
    await waitFor(() => messages.has("hassguard_fresh/state"), 5000, "the first state");
    expect(JSON.parse(messages.get("hassguard_fresh/state") ?? "{}")).toEqual({
      failures24h: 0,
      activeBans: 0,
      lastAttacker: null,
      underAttack: false,
    });
    await part.stop();
    await stats.stop();
    store.close();
  });

  it("announces and publishes the state again when it reconnects to a restarted (empty) broker", async () => {
    const port = await freePort();
    let own = await startBroker(port);
    const ownUrl = `mqtt://127.0.0.1:${port}`;
    const bus = new GuardBus();
    bus.emit("stats", { failures24h: 3, activeBans: 1, lastAttacker: "203.0.113.8", underAttack: true });
    const part = new MqttState(bus, { url: ownUrl, discoveryPrefix: "homeassistant", baseTopic: "hassguard" }, "1", {
      reconnectPeriodMs: 100,
    });
    await part.start();
    // what a newcomer (Home Assistant) gets: retained messages, or live ones when it came just before them
    const newcomerSees = async (): Promise<Map<string, string>> => {
      const seen = new Map<string, string>();
      const late = await mqtt.connectAsync(ownUrl, { reconnectPeriod: 0 });
      late.on("message", (topic, payload) => seen.set(topic, payload.toString()));
      await late.subscribeAsync(["homeassistant/#", "hassguard/#"]);
      try {
        await waitFor(
          () => seen.has("hassguard/state") && seen.get("hassguard/availability") === "online",
          10_000,
          "the state",
        );
        return seen;
      } finally {
        await late.endAsync();
      }
    };
    await waitFor(() => part.announcements === 1, 10_000, "the first announcement");
    expect(JSON.parse((await newcomerSees()).get("hassguard/state") ?? "{}")).toMatchObject({ activeBans: 1 });
    const announced = part.announcements;
    await own.stop({ signal: "SIGKILL" });
    own = await startBroker(port);
    try {
      await waitFor(() => part.announcements > announced, 15_000, "the re-announcement after reconnecting");
      const seen = await newcomerSees();
      expect(JSON.parse(seen.get("hassguard/state") ?? "{}")).toEqual({
        failures24h: 3,
        activeBans: 1,
        lastAttacker: "203.0.113.8",
        underAttack: true,
      });
      expect([...seen.keys()].filter((t) => t.endsWith("/config"))).toHaveLength(5);
    } finally {
      await part.stop();
      await own.stop();
    }
  });

  it("a guard killed with -9 goes offline through its last will", async () => {
    const src = new URL("../../src/guard/", import.meta.url).href;
    const scriptPath = join(dir, "mqtt-child.mts");
    writeFileSync(
      scriptPath,
      `
      import { GuardBus } from "${src}bus.ts";
      import { MqttState } from "${src}mqtt-state.ts";
      const part = new MqttState(new GuardBus(), { url: ${JSON.stringify(url)}, discoveryPrefix: "homeassistant", baseTopic: "hassguard_kill" }, "1");
      await part.start();
      setInterval(() => undefined, 1000);`,
    );
    const child = spawn(process.execPath, ["--import", "tsx", scriptPath], {
      cwd: new URL("../../", import.meta.url).pathname,
      stdio: "ignore",
    });
    await waitFor(() => messages.get("hassguard_kill/availability") === "online", 15_000, "the child online");
    child.kill("SIGKILL");
    // the broker notices the dead connection (socket closed) and publishes the will
    await waitFor(() => messages.get("hassguard_kill/availability") === "offline", 10_000, "the last will");
  });
});
