import { existsSync } from "node:fs";
import type { Readable } from "node:stream";
import { detectorSettings } from "./allow-list.js";
import type { BanBackend } from "./backends/backend.js";
import { DryRunBackend } from "./backends/dry-run.js";
import { IpBansFileBackend } from "./backends/ip-bans-file.js";
import { NftablesBackend } from "./backends/nftables.js";
import { BanManager } from "./ban-manager.js";
import { GuardBus, type GuardPart } from "./bus.js";
import type { GuardConfig } from "./config.js";
import { Detection } from "./detection.js";
import { HomeAssistantUnban } from "./ha-unban.js";
import { MqttState } from "./mqtt-state.js";
import { Notifier } from "./notifier.js";
import { FileSource } from "./sources/file-source.js";
import { JournalSource } from "./sources/journal-source.js";
import { StreamSource } from "./sources/stdin-source.js";
import { SupervisorSource } from "./sources/supervisor-source.js";
import { StatsKeeper } from "./stats.js";
import { GuardStore } from "./store.js";

/**
 * The composition root of the long-running guard (zigbee2mqtt's controller): builds the parts, starts each
 * in its own try/catch so one broken part (no nftables, MQTT down) never takes the guard down, and stops
 * them in reverse order.
 */

export interface GuardEnvironment {
  stdin?: Readable;
  env?: NodeJS.ProcessEnv;
  /** Where progress and warnings go (stderr in the CLI). */
  say?: (message: string) => void;
  /** Extra parts (notifier, MQTT) built by the caller on the same bus. */
  extraParts?: (bus: GuardBus, store: GuardStore) => GuardPart[];
  /** Options for tests: nft command prefix, reading a file from its start. */
  nftCommand?: string[];
  nftTable?: string;
  fromStart?: boolean;
  /** hassguard's version, shown on the MQTT device. */
  version?: string;
}

export function buildBackends(specs: readonly string[], environment: GuardEnvironment): BanBackend[] {
  return specs.map((spec) => {
    if (spec === "nftables") {
      return new NftablesBackend({
        ...(environment.nftCommand ? { command: environment.nftCommand } : {}),
        ...(environment.nftTable ? { table: environment.nftTable } : {}),
      });
    }
    if (spec === "dry-run") return new DryRunBackend(environment.say);
    if (spec.startsWith("ip-bans=")) return new IpBansFileBackend(spec.slice("ip-bans=".length));
    throw new Error(`unknown backend '${spec}'`);
  });
}

/** Picks the log source: the Supervisor when its token is there, else the file if it exists, else the journal. */
export function pickSource(config: GuardConfig, env: NodeJS.ProcessEnv): "file" | "journal" | "supervisor" | "stdin" {
  if (config.source !== "auto") return config.source;
  if (env.SUPERVISOR_TOKEN) return "supervisor";
  if (existsSync(config.log)) return "file";
  return "journal";
}

/** A part that cannot work here: its start() says why, and the guard goes on without it. */
function unavailable(name: string, why: string): GuardPart {
  return {
    name,
    start: async () => {
      throw new Error(why);
    },
    stop: async () => undefined,
  };
}

function parsePosition(text: string | null): { inode: number; position: number } | null {
  const match = text ? /^(\d+):(\d+)$/.exec(text) : null;
  return match ? { inode: Number(match[1]), position: Number(match[2]) } : null;
}

export class Guard {
  readonly bus = new GuardBus();
  readonly store: GuardStore;
  readonly bans: BanManager;
  readonly stats: StatsKeeper;
  readonly source: GuardPart;
  readonly #parts: GuardPart[];
  readonly #started: GuardPart[] = [];
  readonly #say: (message: string) => void;

  constructor(config: GuardConfig, environment: GuardEnvironment = {}) {
    const env = environment.env ?? process.env;
    this.#say = environment.say ?? (() => undefined);
    this.store = new GuardStore(config.store);
    const backends = buildBackends(config.backends, environment);
    this.bans = new BanManager(this.bus, backends, this.store);
    this.stats = new StatsKeeper(this.bus, this.store);
    const limitations = (target: string) => backends.flatMap((backend) => backend.limitation?.(target) ?? []);
    const detection = new Detection(this.bus, this.store, detectorSettings(config), Date.now, limitations);
    this.source = this.#buildSource(config, env, environment);
    // order matters: bans restored before detection replays the window, sources last
    this.#parts = [
      this.bans,
      detection,
      this.stats,
      ...(config.notify.homeAssistant || config.notify.webhook ? [new Notifier(this.bus, config.notify)] : []),
      ...(config.notify.homeAssistant ? [new HomeAssistantUnban(this.bus, config.notify.homeAssistant)] : []),
      ...(config.mqtt ? [new MqttState(this.bus, config.mqtt, environment.version ?? "0.0.0")] : []),
      ...(environment.extraParts?.(this.bus, this.store) ?? []),
      this.source,
    ];
    this.bus.on(this, "warning", ({ message }) => this.#say(`warning: ${message}`));
    this.bus.on(this, "ban", (ban) =>
      this.#say(`ban ${ban.address} until ${new Date(ban.until).toISOString()} (${ban.failures} ${ban.kind} failures)`),
    );
    this.bus.on(this, "unban", ({ address, reason }) => this.#say(`unban ${address} (${reason})`));
  }

  #buildSource(config: GuardConfig, env: NodeJS.ProcessEnv, environment: GuardEnvironment): GuardPart {
    const kind = pickSource(config, env);
    const store = this.store;
    switch (kind) {
      case "file":
        return new FileSource(this.bus, {
          path: config.log,
          fromStart: environment.fromStart ?? false,
          resume: parsePosition(store.getMeta(`file-position:${config.log}`)),
          onPosition: (inode, position) => store.setMeta(`file-position:${config.log}`, `${inode}:${position}`),
        });
      case "journal":
        return new JournalSource(this.bus, {
          matches: config.journalMatch,
          extraArgs: config.journalArgs,
          afterCursor: store.getMeta("journal-cursor"),
          fromStart: environment.fromStart ?? false,
          onCursor: (cursor) => store.setMeta("journal-cursor", cursor),
        });
      case "stdin":
        return new StreamSource(this.bus, environment.stdin ?? process.stdin);
      case "supervisor": {
        const token = env.SUPERVISOR_TOKEN;
        if (!token) return unavailable("supervisor source", "it needs SUPERVISOR_TOKEN (it runs inside an add-on)");
        return new SupervisorSource(this.bus, {
          url: config.supervisorUrl,
          token,
          lastLine: store.getMeta("supervisor-last-line"),
          onLine: (hash) => store.setMeta("supervisor-last-line", hash),
        });
      }
    }
  }

  async start(): Promise<void> {
    for (const part of this.#parts) {
      try {
        await part.start();
        this.#started.push(part);
      } catch (error) {
        this.#say(`warning: ${part.name} failed to start and is left out: ${(error as Error).message}`);
      }
    }
  }

  async stop(): Promise<void> {
    for (const part of this.#started.reverse()) {
      await part.stop().catch((error: Error) => this.#say(`warning: stopping ${part.name}: ${error.message}`));
    }
    this.bus.removeListeners(this);
    this.store.close();
  }
}
