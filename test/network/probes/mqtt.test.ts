import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import mqtt from "mqtt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeMqtt } from "../../../src/sources/network/probes/mqtt.js";
import { type ClosingRelay, startClosingRelay } from "./helpers/closing-relay.js";
import { networkFacts, networkFindings, summary } from "./helpers/facts.js";
import { type Daemon, freePort, startDaemon, tempDir } from "./helpers/services.js";

/**
 * With the anonymous CONNECT (`--login-probes`); mqtt-log.test.ts shows what the default sends. Generous bounds:
 * on a busy machine the broker's answers may take seconds. A probe that is to report topics talks through a
 * closing relay, which ends the connection once the expected topics reached the probe, so the long listening
 * time is never waited out; a probe whose topics do not matter listens only briefly.
 */
const opts = { timeoutMs: 60_000, maxBytes: 1024 * 1024, listenMs: 60_000, anonymous: true };
const brief = { ...opts, listenMs: 100 };
const DISCOVERY_TOPIC = "homeassistant/sensor/kitchen_temperature/config";
const DISCOVERY_PAYLOAD = JSON.stringify({ name: "Kitchen temperature", state_topic: "home/kitchen/temperature" });

async function startMosquitto(dir: string, name: string, lines: (port: number, wsPort: number) => string[]) {
  const port = await freePort();
  const wsPort = await freePort();
  const conf = join(dir, `${name}.conf`);
  writeFileSync(conf, `${lines(port, wsPort).join("\n")}\n`);
  const daemon = await startDaemon("/usr/sbin/mosquitto", ["-c", conf], "127.0.0.1", port);
  return { port, wsPort, daemon };
}

/** Publishes one retained discovery message the way a Home Assistant device would. */
async function publishRetained(url: string, options: mqtt.IClientOptions): Promise<void> {
  const client = await mqtt.connectAsync(url, { ...options, connectTimeout: 3000, reconnectPeriod: 0 });
  await client.publishAsync(DISCOVERY_TOPIC, DISCOVERY_PAYLOAD, { retain: true, qos: 1 });
  await client.endAsync();
}

describe("probeMqtt against a real Mosquitto", () => {
  const dir = tempDir("mosquitto");
  let open: { port: number; wsPort: number; daemon: Daemon };
  let tls: { port: number; wsPort: number; daemon: Daemon };
  let closed: { port: number; wsPort: number; daemon: Daemon };
  const relays: ClosingRelay[] = [];
  /** A relay to `port` that hangs up on the probe once the broker sent these topics. */
  const relayUntil = async (port: number, topics: string[]) => {
    const relay = await startClosingRelay(port, topics);
    relays.push(relay);
    return relay.port;
  };

  beforeAll(async () => {
    open = await startMosquitto(dir.path, "anonymous", (port, wsPort) => [
      "persistence false",
      "log_dest stderr",
      "user root",
      `listener ${port} 127.0.0.1`,
      "allow_anonymous true",
      `listener ${wsPort} 127.0.0.1`,
      "protocol websockets",
      "allow_anonymous true",
    ]);
    // a TLS listener with a self-signed certificate made here (what the add-on offers on 8883)
    const key = join(dir.path, "broker.key");
    const cert = join(dir.path, "broker.crt");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=broker.test"].concat([
        "-keyout",
        key,
        "-out",
        cert,
      ]),
      { stdio: "ignore" },
    );
    tls = await startMosquitto(dir.path, "tls", (port) => [
      "persistence false",
      "log_dest stderr",
      "user root",
      `listener ${port} 127.0.0.1`,
      `certfile ${cert}`,
      `keyfile ${key}`,
      "allow_anonymous true",
    ]);
    const passwordFile = join(dir.path, "passwd");
    writeFileSync(passwordFile, "");
    execFileSync("mosquitto_passwd", ["-b", passwordFile, "homeassistant", "a-long-broker-password"]);
    closed = await startMosquitto(dir.path, "authenticated", (port) => [
      "persistence false",
      "log_dest stderr",
      "user root",
      `listener ${port} 127.0.0.1`,
      "allow_anonymous false",
      `password_file ${passwordFile}`,
    ]);
    await publishRetained(`mqtt://127.0.0.1:${open.port}`, {});
    await publishRetained(`mqtt://127.0.0.1:${closed.port}`, {
      username: "homeassistant",
      password: "a-long-broker-password",
    });
  });
  afterAll(async () => {
    await Promise.all([
      ...relays.map((r) => r.close()),
      open?.daemon.stop(),
      closed?.daemon.stop(),
      tls?.daemon.stop(),
    ]);
    dir.remove();
  });

  it("reports an anonymous broker and what leaks on $SYS and homeassistant/, masked", async () => {
    const port = await relayUntil(open.port, [DISCOVERY_TOPIC, "$SYS/broker/version"]);
    const result = await probeMqtt("127.0.0.1", port, opts);
    expect(result?.anonymousAccepted).toBe(true);
    expect(result?.connackCode).toBe(0);
    expect(result?.homeAssistantTopicCount).toBe(1);
    expect(result?.topicCount).toBeGreaterThan(1);
    expect(result?.brokerVersion).toMatch(/^mosquitto version 2\./);
    const sample = result?.samples?.find((s) => s.topic === DISCOVERY_TOPIC);
    expect(sample).toBeDefined();
    expect(sample?.payload).not.toContain("Kitchen");
    expect(JSON.stringify(result)).not.toContain("home/kitchen/temperature");
  });

  it("reports a broker that refuses anonymous clients, and reads nothing from it", async () => {
    const result = await probeMqtt("127.0.0.1", closed.port, brief);
    expect(result).toEqual({ transport: "mqtt", connackCode: 5, anonymousAccepted: false });
  });

  it("speaks MQTT over TLS, and a TLS port is not plain MQTT", async () => {
    const result = await probeMqtt("127.0.0.1", tls.port, { ...brief, transport: "mqtts" });
    expect(result).toMatchObject({ transport: "mqtts", connackCode: 0, anonymousAccepted: true });
    expect(await probeMqtt("127.0.0.1", tls.port, brief)).toBeUndefined();
  });

  it("speaks MQTT over websockets", async () => {
    const port = await relayUntil(open.wsPort, [DISCOVERY_TOPIC]);
    const result = await probeMqtt("127.0.0.1", port, { ...opts, transport: "ws" });
    expect(result?.transport).toBe("ws");
    expect(result?.anonymousAccepted).toBe(true);
    expect(result?.homeAssistantTopicCount).toBe(1);
  });

  it("turns what the probes saw into findings: anonymous broker, leaked discovery topics, masked", async () => {
    const port = await relayUntil(open.port, [DISCOVERY_TOPIC]);
    const [anonymous, authenticated] = await Promise.all([
      probeMqtt("127.0.0.1", port, opts),
      probeMqtt("127.0.0.1", closed.port, brief),
    ]);
    const findings = networkFindings(
      networkFacts("127.0.0.1", [
        { port: open.port, service: "mqtt", mqtt: anonymous },
        { port: closed.port, service: "mqtt", mqtt: authenticated },
      ]),
    );
    expect(summary(findings)).toEqual([
      `mqtt/anonymous high 127.0.0.1:${open.port}`,
      `mqtt/topics-leak medium 127.0.0.1:${open.port}`,
    ]);
    const leak = findings.find((f) => f.id === "mqtt/topics-leak");
    expect(leak?.evidence).toContain(DISCOVERY_TOPIC);
    expect(JSON.stringify(findings)).not.toContain("Kitchen temperature");
  });

  it("says an SSH-like or closed port is not MQTT", async () => {
    expect(await probeMqtt("127.0.0.1", await freePort(), brief)).toBeUndefined();
    expect(await probeMqtt("127.0.0.1", open.port, { ...brief, transport: "ws" })).toBeUndefined();
  });
});
