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
import { OwnerActions } from "./control/actions.js";
import { defaultControlSocket, type PartState } from "./control/protocol.js";
import { ControlServer } from "./control/server.js";
import { Detection } from "./detection.js";
import { HomeAssistantBans, HomeAssistantUnban, ipBansLocation } from "./ha-unban.js";
import { MqttState } from "./mqtt-state.js";
import { Notifier } from "./notifier.js";
import { storeBookmark } from "./sources/bookmark.js";
import { FileSource } from "./sources/file-source.js";
import { JournalSource } from "./sources/journal-source.js";
import { StreamSource } from "./sources/stdin-source.js";
import { SupervisorSource } from "./sources/supervisor-source.js";
import { StatsKeeper } from "./stats.js";
import { GuardStore } from "./store.js";
import { damageAlert, emptiedAlert, replacedAlert } from "./store-alerts.js";

/**
 * The composition root of the long-running guard (zigbee2mqtt's controller): builds the parts (constructors
 * only store their arguments), starts each in turn, and stops them in reverse order. The parts without which
 * the guard would only pretend to protect — its store, ban manager (at least one backend), detection and log
 * source — must start, or the guard does not run at all (GuardStartError, exit 2); any other part (MQTT, the
 * notifier, one of several backends) that fails is reported and left out.
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
  /** How often the running guard checks its store on disk, and that it is still there (tests shorten it). */
  storeCheckMs?: number;
  /** hassguard's version, shown on the MQTT device. */
  version?: string;
}

/** A guard that cannot protect anything: one line that says which part and why. */
export class GuardStartError extends Error {
  override name = "GuardStartError";
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

/** A part that cannot work here: its start() says why. */
function unavailable(name: string, why: string): GuardPart {
  return {
    name,
    start: async () => {
      throw new Error(why);
    },
    stop: async () => undefined,
  };
}

export class Guard {
  readonly bus = new GuardBus();
  readonly store: GuardStore;
  readonly bans: BanManager;
  readonly stats: StatsKeeper;
  readonly source: GuardPart;
  readonly actions: OwnerActions;
  readonly controlSocket: string;
  /** Resolves with the reason when the running guard cannot go on (its store broke beyond repair). */
  readonly failure: Promise<Error>;
  readonly #backends: BanBackend[];
  readonly #parts: GuardPart[];
  readonly #essential: Set<GuardPart>;
  readonly #started: GuardPart[] = [];
  readonly #leftOut = new Map<GuardPart, string>();
  readonly #say: (message: string) => void;
  /** Alerts raised while the parts start wait until the notifier listens. */
  #heldAlerts: { title: string; message: string }[] | null = [];
  #fail: (error: Error) => void = () => undefined;

  constructor(config: GuardConfig, environment: GuardEnvironment = {}) {
    const env = environment.env ?? process.env;
    this.#say = environment.say ?? (() => undefined);
    this.failure = new Promise((resolve) => {
      this.#fail = resolve;
    });
    this.store = new GuardStore(config.store, {
      mode: "guard",
      onDamage: (damage) => this.#alert(damageAlert(damage)),
      onFailure: (error) => this.#fail(error),
      onWarning: (message) => this.bus.emit("warning", { message }),
      onReplaced: (replaced) => this.#alert(replacedAlert(replaced)),
      ...(environment.storeCheckMs !== undefined
        ? { checkEveryMs: environment.storeCheckMs, watchEveryMs: environment.storeCheckMs }
        : {}),
    });
    this.#backends = buildBackends(config.backends, environment);
    this.bans = new BanManager(this.bus, this.#backends, this.store);
    this.stats = new StatsKeeper(this.bus, this.store);
    const settings = detectorSettings(config);
    const backends = this.#backends;
    const limitations = (target: string) => backends.flatMap((backend) => backend.limitation?.(target) ?? []);
    const detection = new Detection(this.bus, this.store, settings, Date.now, limitations);
    this.source = this.#buildSource(config, env, environment);
    const homeAssistant = new HomeAssistantBans({
      ...ipBansLocation(config),
      api: config.notify.homeAssistant ?? null,
    });
    this.controlSocket = config.controlSocket ?? defaultControlSocket(config.store);
    const version = environment.version ?? "0.0.0";
    this.actions = new OwnerActions({
      bus: this.bus,
      bans: this.bans,
      homeAssistant,
      store: this.store,
      allowList: settings.allow,
      banTime: config.banTime,
      info: () => ({ parts: this.partStates(), store: config.store, controlSocket: this.controlSocket, version }),
    });
    // an expired ban the guard wrote to ip_bans.yaml may sit in Home Assistant's memory (loaded at a restart)
    const liftOnExpiry = config.notify.homeAssistant && config.backends.some((spec) => spec.startsWith("ip-bans="));
    // order matters: the store first, bans restored and the owner's allowed networks read before detection
    // replays the window, the control channel once everything it reaches runs, sources last
    this.#parts = [
      this.store,
      // before the ban manager, which lifts at start-up the bans that expired while the guard was stopped
      ...(liftOnExpiry ? [new HomeAssistantUnban(this.bus, homeAssistant)] : []),
      this.bans,
      this.actions,
      detection,
      this.stats,
      ...(config.notify.homeAssistant || config.notify.webhook ? [new Notifier(this.bus, config.notify)] : []),
      ...(config.mqtt ? [new MqttState(this.bus, config.mqtt, version)] : []),
      ...(environment.extraParts?.(this.bus, this.store) ?? []),
      new ControlServer({ path: this.controlSocket }, this.actions),
      this.source,
    ];
    this.#essential = new Set([this.store, this.bans, detection, this.source]);
    this.bus.on(this, "warning", ({ message }) => this.#say(`warning: ${message}`));
    this.bus.on(this, "ban", (ban) =>
      this.#say(`ban ${ban.address} until ${new Date(ban.until).toISOString()} (${ban.failures} ${ban.kind} failures)`),
    );
    this.bus.on(this, "unban", ({ address, reason }) => this.#say(`unban ${address} (${reason})`));
  }

  #buildSource(config: GuardConfig, env: NodeJS.ProcessEnv, environment: GuardEnvironment): GuardPart {
    const kind = pickSource(config, env);
    const fromStart = environment.fromStart ?? false;
    switch (kind) {
      case "file":
        return new FileSource(this.bus, {
          path: config.log,
          fromStart,
          bookmark: storeBookmark(this.store, `file-position:${config.log}`),
        });
      case "journal":
        return new JournalSource(this.bus, {
          matches: config.journalMatch,
          extraArgs: config.journalArgs,
          fromStart,
          bookmark: storeBookmark(this.store, "journal-cursor"),
        });
      case "stdin":
        return new StreamSource(this.bus, environment.stdin ?? process.stdin);
      case "supervisor": {
        const token = env.SUPERVISOR_TOKEN;
        if (!token) return unavailable("supervisor source", "it needs SUPERVISOR_TOKEN (it runs inside an add-on)");
        return new SupervisorSource(this.bus, {
          url: config.supervisorUrl,
          token,
          bookmark: storeBookmark(this.store, "supervisor-position"),
        });
      }
    }
  }

  /** Starts every part; throws GuardStartError (after stopping what started) when an essential one fails. */
  async start(): Promise<void> {
    for (const part of this.#parts) {
      try {
        await part.start();
        this.#started.push(part);
      } catch (error) {
        const message = `${part.name}: ${(error as Error).message}`;
        if (this.#essential.has(part)) {
          await this.stop();
          throw new GuardStartError(`the guard cannot run: ${message}`);
        }
        this.#leftOut.set(part, (error as Error).message);
        this.#say(`warning: ${part.name} failed to start and is left out: ${(error as Error).message}`);
      }
    }
    if (this.store.emptiedSince !== null) {
      this.#alert(await emptiedAlert(this.store, this.store.emptiedSince, this.#backends));
    }
    const held = this.#heldAlerts ?? [];
    this.#heldAlerts = null;
    for (const alert of held) this.bus.emit("alert", alert);
  }

  /** Which parts run and which were left out, and why (`guard status`). */
  partStates(): PartState[] {
    return this.#parts.map((part) => {
      const error = this.#leftOut.get(part);
      return error === undefined
        ? { name: part.name, running: this.#started.includes(part) }
        : { name: part.name, running: false, error };
    });
  }

  async stop(): Promise<void> {
    for (const part of this.#started.reverse()) {
      await part.stop().catch((error: Error) => this.#say(`warning: stopping ${part.name}: ${error.message}`));
    }
    this.#started.length = 0;
    this.bus.removeListeners(this);
    this.store.close();
  }

  /** Loud at once on stderr; to the owner's notification once the notifier listens. */
  #alert(alert: { title: string; message: string }): void {
    this.#say(`ALERT: ${alert.title}: ${alert.message}`);
    if (this.#heldAlerts) this.#heldAlerts.push(alert);
    else this.bus.emit("alert", alert);
  }
}
