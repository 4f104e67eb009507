import { access } from "node:fs/promises";
import { dirname, join } from "node:path";
import { ipBansFile } from "./backends/ip-bans-file.js";
import type { GuardBus, GuardPart } from "./bus.js";
import type { GuardConfig } from "./config.js";
import { HomeAssistantApi, type HomeAssistantApiSettings } from "./ha-api.js";

/**
 * Home Assistant's own ban of an address, which the guard's nftables ban does not cover: Home Assistant
 * keeps its bans in memory (`ip_bans_lookup`, read from `ip_bans.yaml` at start-up; homeassistant/core
 * `homeassistant/components/http/ban.py`) and answers 403 to a banned address whatever the firewall says. To
 * restore access:
 * 1. the address is removed from `ip_bans.yaml`, whoever wrote it (Home Assistant or the guard), so a restart
 *    does not bring the ban back;
 * 2. its in-memory ban is lifted with the `http.unban` service (`{ip_address}`) where the instance has it
 *    (proposed in core PR #161738, not in 2023.11: see shared/ha-facts.md §2 and the recorded
 *    `GET /api/services` of 2023.11.3, which has no `http` domain);
 * 3. otherwise Home Assistant keeps refusing the address until it restarts: the owner is told so, and
 *    `--restart-ha` (never by default) restarts it with `homeassistant.restart`.
 */

export interface HomeAssistantUnbanReport {
  address: string;
  /** ip_bans.yaml; null when not looked at (an expiry: the ip-bans backend handles the file). */
  file: {
    path: string | null;
    outcome: "removed" | "not-listed" | "no-file" | "no-path" | "failed";
    /** The removed entry's time, as Home Assistant wrote it. */
    bannedAt?: string | null;
    error?: string;
  } | null;
  service: { outcome: "lifted" | "not-available" | "failed" | "no-api"; detail?: string };
  restart: "not-needed" | "not-asked" | "restarting" | "failed" | "no-api";
  /** Home Assistant may go on answering 403 to the address until it restarts. */
  keepsBanUntilRestart: boolean;
}

export interface HomeAssistantBansOptions {
  /** Home Assistant's ip_bans.yaml, or null when not known. */
  ipBansPath: string | null;
  /** Where it usually is (beside the log): used only when the file exists there. */
  guessedPath?: string | null;
  /** Home Assistant's URL and a long-lived admin token, for http.unban and the restart. */
  api: HomeAssistantApiSettings | null;
  timeoutMs?: number;
}

/** How long the answer "this instance has (no) http.unban" is trusted (expiries can come in bursts). */
const SERVICE_CHECK_TTL_MS = 60_000;

export class HomeAssistantBans {
  readonly #path: string | null;
  readonly #guessed: string | null;
  readonly #api: HomeAssistantApi | null;
  #serviceCheck: { at: number; available: Promise<boolean> } | null = null;

  constructor(options: HomeAssistantBansOptions) {
    this.#path = options.ipBansPath;
    this.#guessed = options.guessedPath ?? null;
    this.#api = options.api ? new HomeAssistantApi(options.api, options.timeoutMs) : null;
  }

  /** Step 1: the address out of ip_bans.yaml, whoever wrote it. */
  async removeFromFile(address: string): Promise<NonNullable<HomeAssistantUnbanReport["file"]>> {
    const path = this.#path ?? (this.#guessed && (await exists(this.#guessed)) ? this.#guessed : null);
    if (path === null) return { path, outcome: "no-path" };
    const file = ipBansFile(path);
    try {
      const removed = await file.remove([address]);
      if (removed.has(address)) return { path, outcome: "removed", bannedAt: removed.get(address) ?? null };
      return { path, outcome: (await exists(path)) ? "not-listed" : "no-file" };
    } catch (error) {
      return { path, outcome: "failed", error: (error as Error).message };
    }
  }

  /** Steps 2 and 3, after the file (or with `file: null` when it was not looked at). */
  async liftInMemory(
    address: string,
    file: HomeAssistantUnbanReport["file"],
    options: { restart?: boolean } = {},
  ): Promise<HomeAssistantUnbanReport> {
    const service = await this.#callUnban(address);
    // Home Assistant holds in memory what it banned or loaded from the file: not listed there means no ban
    const mayHold = service.outcome !== "lifted" && file?.outcome !== "not-listed" && file?.outcome !== "no-file";
    let restart: HomeAssistantUnbanReport["restart"] = mayHold ? "not-asked" : "not-needed";
    if (mayHold && options.restart) {
      if (!this.#api) restart = "no-api";
      else {
        restart = await this.#api.callService("homeassistant", "restart", {}).then(
          () => "restarting" as const,
          () => "failed" as const,
        );
      }
    }
    return { address, file, service, restart, keepsBanUntilRestart: mayHold && restart !== "restarting" };
  }

  /** All three steps. */
  async lift(address: string, options: { restart?: boolean } = {}): Promise<HomeAssistantUnbanReport> {
    return this.liftInMemory(address, await this.removeFromFile(address), options);
  }

  async #callUnban(address: string): Promise<HomeAssistantUnbanReport["service"]> {
    // Home Assistant bans single addresses only: a /64 the guard banned was never in its memory
    if (address.includes("/"))
      return { outcome: "not-available", detail: "Home Assistant never bans a network, only addresses" };
    const api = this.#api;
    if (!api) return { outcome: "no-api" };
    try {
      if (!(await this.#hasUnbanService(api))) return { outcome: "not-available" };
      await api.callService("http", "unban", { ip_address: address });
      return { outcome: "lifted" };
    } catch (error) {
      this.#serviceCheck = null;
      return { outcome: "failed", detail: (error as Error).message };
    }
  }

  #hasUnbanService(api: HomeAssistantApi): Promise<boolean> {
    const now = Date.now();
    if (!this.#serviceCheck || now - this.#serviceCheck.at > SERVICE_CHECK_TTL_MS) {
      const available = api.hasService("http", "unban");
      this.#serviceCheck = { at: now, available };
      available.catch(() => {
        this.#serviceCheck = null;
      });
    }
    return this.#serviceCheck.available;
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** Where Home Assistant's ip_bans.yaml is, from the guard's settings (see `ipBansFile` in config.ts). */
export function ipBansLocation(
  config: Pick<GuardConfig, "ipBansFile" | "backends" | "log">,
): Pick<HomeAssistantBansOptions, "ipBansPath" | "guessedPath"> {
  const backend = config.backends.find((spec) => spec.startsWith("ip-bans="))?.slice("ip-bans=".length);
  return {
    ipBansPath: config.ipBansFile ?? backend ?? null,
    // Home Assistant keeps it in its configuration folder, beside home-assistant.log
    guessedPath: join(dirname(config.log), "ip_bans.yaml"),
  };
}

/** The report in the owner's words, one sentence per line. */
export function describeHomeAssistantUnban(report: HomeAssistantUnbanReport): string[] {
  const { address, file, service, restart } = report;
  const lines: string[] = [];
  if (file) {
    const where = file.path ?? "ip_bans.yaml";
    switch (file.outcome) {
      case "removed":
        lines.push(
          `Home Assistant: removed ${address} from ${where}${file.bannedAt ? ` (banned there since ${file.bannedAt})` : ""}.`,
        );
        break;
      case "not-listed":
        lines.push(`Home Assistant: ${address} is not in ${where}, so Home Assistant has no ban of it to keep.`);
        break;
      case "no-file":
        lines.push(`Home Assistant: ${where} does not exist, so Home Assistant has no ban of ${address} to keep.`);
        break;
      case "no-path":
        lines.push(
          "Home Assistant: its ip_bans.yaml was not checked (unknown: give --ip-bans FILE or the ip-bans=FILE backend).",
        );
        break;
      case "failed":
        lines.push(`Home Assistant: could not remove ${address} from ${where}: ${file.error ?? "unknown error"}.`);
        break;
    }
  }
  if (service.outcome === "lifted") lines.push(`Home Assistant lifted its ban of ${address} at once (http.unban).`);
  else if (service.outcome === "failed") lines.push(`Home Assistant's http.unban failed: ${service.detail ?? ""}.`);
  if (restart === "restarting")
    lines.push(`Home Assistant is restarting (--restart-ha): it comes back without the ban.`);
  else if (restart === "failed") lines.push("Home Assistant could not be restarted (--restart-ha): the call failed.");
  if (report.keepsBanUntilRestart) {
    const why =
      service.outcome === "not-available"
        ? "this Home Assistant has no http.unban service"
        : service.outcome === "no-api"
          ? "without Home Assistant's URL and token (--ha-url, HASSGUARD_GUARD_HA_TOKEN) its ban cannot be lifted at once"
          : "its ban could not be lifted at once";
    const offer =
      restart === "no-api"
        ? "--restart-ha needs Home Assistant's URL and token"
        : restart === "failed"
          ? "restart it by hand"
          : "restart it, or run the unban again with --restart-ha";
    lines.push(
      `Home Assistant may keep refusing ${address} (HTTP 403) until it restarts (it holds what it banned itself or read from ip_bans.yaml at its start): ${why}; ${offer}.`,
    );
  }
  return lines;
}

/**
 * When a guard ban written to ip_bans.yaml expires, Home Assistant may have loaded it at a restart meanwhile
 * and hold it in memory: lift it there too where the instance has http.unban. One at a time, with a bounded
 * queue (an "unban all" of thousands must not open thousands of connections); what happened is emitted as
 * `ha-unban`.
 */
export class HomeAssistantUnban implements GuardPart {
  readonly name = "Home Assistant unban";
  readonly #bus: GuardBus;
  readonly #bans: HomeAssistantBans;
  readonly #queue: string[] = [];
  #running: Promise<void> | null = null;
  #dropped = 0;

  static readonly MAX_QUEUED = 1000;

  constructor(bus: GuardBus, bans: HomeAssistantBans) {
    this.#bus = bus;
    this.#bans = bans;
  }

  async start(): Promise<void> {
    this.#bus.on(this, "unban", ({ address, reason }) => {
      if (reason !== "expired") return; // an owner's unban lifts Home Assistant's ban itself (see OwnerActions)
      if (this.#queue.length >= HomeAssistantUnban.MAX_QUEUED) this.#dropped++;
      else this.#queue.push(address);
      this.#running ??= this.#drain();
    });
  }

  async stop(): Promise<void> {
    this.#bus.removeListeners(this);
    this.#queue.length = 0;
    await this.settle();
  }

  async settle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      for (let address = this.#queue.shift(); address !== undefined; address = this.#queue.shift()) {
        const report = await this.#bans.liftInMemory(address, null);
        this.#bus.emit("ha-unban", report);
      }
      if (this.#dropped > 0) {
        this.#bus.emit("warning", {
          message: `${this.#dropped} expired bans were not lifted in Home Assistant's memory (too many at once); they last until Home Assistant restarts`,
        });
        this.#dropped = 0;
      }
    } finally {
      this.#running = null;
    }
  }
}
