import mqtt, { type MqttClient } from "mqtt";
import type { GuardBus, GuardPart, GuardStats } from "./bus.js";
import type { GuardConfig } from "./config.js";
import {
  availabilityTopic,
  type DiscoveryTopics,
  discoveryMessages,
  stateTopic,
  unbanAllTopic,
} from "./mqtt-discovery.js";

type MqttSettings = NonNullable<GuardConfig["mqtt"]>;

const RETAINED = { retain: true, qos: 1 } as const;

/**
 * The guard's state inside Home Assistant over MQTT discovery: one device with sensors, a problem binary
 * sensor and an "unban all" button. The availability topic is the client's last will, so Home Assistant shows
 * the device unavailable when the guard dies; discovery is announced again whenever Home Assistant says
 * `homeassistant/status: online` (it forgets non-retained state on restart). State is published on every
 * connection and then only when it changed (zigbee2mqtt's habit).
 */
export class MqttState implements GuardPart {
  readonly name = "MQTT";
  readonly #bus: GuardBus;
  readonly #settings: MqttSettings;
  readonly #topics: DiscoveryTopics;
  readonly #version: string;
  #client: MqttClient | null = null;
  #lastState = "";
  #stats: GuardStats | null = null;
  /** Counts announcements (tests watch it). */
  announcements = 0;

  readonly #reconnectPeriodMs: number;

  constructor(
    bus: GuardBus,
    settings: MqttSettings,
    version: string,
    options: { nodeId?: string; reconnectPeriodMs?: number } = {},
  ) {
    this.#bus = bus;
    this.#settings = settings;
    this.#version = version;
    const nodeId = options.nodeId ?? "guard";
    this.#topics = { discoveryPrefix: settings.discoveryPrefix, baseTopic: settings.baseTopic, nodeId };
    this.#reconnectPeriodMs = options.reconnectPeriodMs ?? 5_000;
  }

  async start(): Promise<void> {
    // the statistics part starts first and has said its numbers already: take them from the bus, so the
    // first connection publishes a state even on a fresh install with nothing happening
    this.#stats = this.#bus.latest("stats")?.[0] ?? null;
    const client = mqtt.connect(this.#settings.url, {
      ...(this.#settings.username ? { username: this.#settings.username } : {}),
      ...(this.#settings.password ? { password: this.#settings.password } : {}),
      clientId: `hassguard_${this.#topics.nodeId}_${process.pid}`,
      connectTimeout: 10_000,
      reconnectPeriod: this.#reconnectPeriodMs,
      will: { topic: availabilityTopic(this.#topics), payload: Buffer.from("offline"), ...RETAINED },
    });
    this.#client = client;
    client.on("error", (error) => this.#bus.emit("warning", { message: `MQTT: ${error.message}` }));
    // every connection, the first and each reconnection (a restarted broker may have lost the retained
    // messages): discovery, availability and the current state, whatever happened before
    client.on("connect", () => {
      void this.#announce();
      void client
        .subscribeAsync([`${this.#topics.discoveryPrefix}/status`, unbanAllTopic(this.#topics)], { qos: 1 })
        .catch((error: Error) => this.#bus.emit("warning", { message: `MQTT subscribe: ${error.message}` }));
    });
    client.on("message", (topic, payload) => {
      const text = payload.toString("utf8").slice(0, 64);
      if (topic === `${this.#topics.discoveryPrefix}/status` && text === "online") void this.#announce();
      else if (topic === unbanAllTopic(this.#topics) && text === "PRESS")
        this.#bus.emit("unban-request", { address: "all" });
    });
    this.#bus.on(this, "stats", (stats) => {
      this.#stats = stats;
      void this.#publishState();
    });
  }

  async stop(): Promise<void> {
    this.#bus.removeListeners(this);
    const client = this.#client;
    this.#client = null;
    if (!client) return;
    // a clean stop says offline itself (the will is only sent when the connection dies)
    if (client.connected)
      await client.publishAsync(availabilityTopic(this.#topics), "offline", RETAINED).catch(() => undefined);
    await client.endAsync().catch(() => undefined);
  }

  async #announce(): Promise<void> {
    const client = this.#client;
    if (!client) return;
    try {
      for (const message of discoveryMessages(this.#topics, this.#version)) {
        await client.publishAsync(message.topic, message.payload, RETAINED);
      }
      await client.publishAsync(availabilityTopic(this.#topics), "online", RETAINED);
      this.announcements++;
      this.#lastState = ""; // Home Assistant may have restarted: send the state again
      await this.#publishState();
    } catch (error) {
      this.#bus.emit("warning", { message: `MQTT announce: ${(error as Error).message}` });
    }
  }

  async #publishState(): Promise<void> {
    const client = this.#client;
    if (!client?.connected || !this.#stats) return;
    const payload = JSON.stringify(this.#stats);
    if (payload === this.#lastState) return;
    this.#lastState = payload;
    await client.publishAsync(stateTopic(this.#topics), payload, RETAINED).catch((error: Error) => {
      this.#lastState = "";
      this.#bus.emit("warning", { message: `MQTT publish: ${error.message}` });
    });
  }
}
