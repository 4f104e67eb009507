import { type NetworkList, networkContains, parseNetwork } from "../address.js";
import type { BanManager } from "../ban-manager.js";
import { banView } from "../ban-view.js";
import type { GuardBus, GuardPart, UnbanReason } from "../bus.js";
import { describeHomeAssistantUnban, type HomeAssistantBans } from "../ha-unban.js";
import type { GuardStore } from "../store.js";
import type {
  AllowResult,
  BanResult,
  BansResult,
  GuardControl,
  PartState,
  StatusResult,
  UnbanResult,
} from "./protocol.js";

/** The store's key for networks the owner allowed at run time. */
const ALLOWED_KEY = "owner-allowed-networks";
const MAX_ALLOWED = 1000;
/** Unbans done together (see #unbanAll). */
const SLICE = 32;

export interface OwnerActionsOptions {
  bus: GuardBus;
  bans: BanManager;
  homeAssistant: HomeAssistantBans;
  store: GuardStore;
  /** The detector's allow-list: a network added here is never banned from then on. */
  allowList: NetworkList;
  /** A manual ban's length when the request names none (seconds). */
  banTime: number;
  /** What only the composition root knows. */
  info: () => { parts: PartState[]; store: string; controlSocket: string; version: string };
  clock?: () => number;
}

/**
 * What the owner can ask of a running guard (the control channel, the MQTT "unban all" button, later the
 * console), in one place. An unban restores access: the guard's bans on every backend and Home Assistant's
 * own ban (ha-unban.ts). Networks allowed at run time are kept in the store and survive restarts; this part
 * starts before detection so they hold before the window is replayed.
 */
export class OwnerActions implements GuardPart, GuardControl {
  readonly name = "owner actions";
  readonly #o: OwnerActionsOptions;
  readonly #clock: () => number;
  readonly #startedAt: number;
  #allowed: string[] = [];

  constructor(options: OwnerActionsOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
    this.#startedAt = this.#clock();
  }

  async start(): Promise<void> {
    this.#allowed = readAllowed(this.#o.store.getMeta(ALLOWED_KEY));
    for (const text of this.#allowed) {
      const network = parseNetwork(text);
      if (network) this.#o.allowList.add(network, `allowed by the owner (${text})`);
    }
    this.#o.bus.on(this, "unban-request", ({ address }) => {
      const addresses = address === "all" ? this.#o.bans.active.map((ban) => ban.address) : [address];
      // returned, so the bus awaits it (`bus.settle()`) and reports a failure with this part's name
      return restoreAccess(this.#o, addresses, address === "all" ? "unban-all" : "command").then(
        (results) => this.#warnWhereHomeAssistantKeepsBans(results),
        (error: Error) => this.#o.bus.emit("warning", { message: `unban ${address}: ${error.message}` }),
      );
    });
  }

  async stop(): Promise<void> {
    this.#o.bus.removeListeners(this);
  }

  /** The owner pressed a button in Home Assistant and sees no command output: say what is not done yet. */
  #warnWhereHomeAssistantKeepsBans(results: UnbanResult[]): void {
    const kept = results.filter((result) => result.homeAssistant.keepsBanUntilRestart);
    const first = kept[0];
    if (!first) return;
    const how = describeHomeAssistantUnban(first.homeAssistant).at(-1) ?? "";
    const more = kept.length > 1 ? ` The same for ${kept.length - 1} more addresses.` : "";
    this.#o.bus.emit("warning", { message: `${how}${more}` });
  }

  async status(): Promise<StatusResult> {
    const info = this.#o.info();
    return {
      pid: process.pid,
      version: info.version,
      startedAt: new Date(this.#startedAt).toISOString(),
      store: info.store,
      controlSocket: info.controlSocket,
      parts: info.parts,
      stats: this.#o.bus.latest("stats")?.[0] ?? null,
      activeBans: this.#o.bans.active.length,
      allowed: [...this.#allowed],
    };
  }

  async bans(limit: number): Promise<BansResult> {
    const now = this.#clock();
    const active = this.#o.bans.active.sort((a, b) => a.until - b.until);
    return {
      total: active.length,
      bans: active.slice(0, limit).map((ban) => banView(ban, this.#o.bans.holders(ban.address), now)),
    };
  }

  async unban(address: string, options: { restartHa: boolean }): Promise<UnbanResult> {
    const [result] = await restoreAccess(this.#o, [address], "command", options.restartHa);
    if (!result) throw new Error(`unban ${address} failed`);
    return result;
  }

  async ban(address: string, seconds: number | undefined): Promise<BanResult> {
    const allowed = this.#o.allowList.match(address);
    if (allowed) throw new Error(`${address} is never banned: ${allowed}`);
    const now = this.#clock();
    const until = now + (seconds ?? this.#o.banTime) * 1000;
    const { added, backends } = await this.#o.bans.ban({
      address,
      bannedAt: now,
      until,
      failures: 0,
      kind: "manual",
      offence: 1,
    });
    const current = this.#o.bans.active.find((ban) => ban.address === address);
    return { address, added, expiresAt: new Date(current?.until ?? until).toISOString(), backends };
  }

  async allow(network: string): Promise<AllowResult> {
    const parsed = parseNetwork(network);
    if (!parsed) throw new Error(`'${network}' is not an IP address or CIDR network`);
    if (!this.#allowed.includes(parsed.text)) {
      if (this.#allowed.length >= MAX_ALLOWED) throw new Error(`at most ${MAX_ALLOWED} networks can be allowed here`);
      this.#allowed.push(parsed.text);
      this.#o.store.setMeta(ALLOWED_KEY, JSON.stringify(this.#allowed));
      this.#o.allowList.add(parsed, `allowed by the owner (${parsed.text})`);
    }
    const inside = this.#o.bans.active.map((ban) => ban.address).filter((a) => networkContains(parsed, a));
    await restoreAccess(this.#o, inside, "allowed");
    return { network: parsed.text, lifted: inside };
  }
}

function readAllowed(text: string | null): string[] {
  if (!text) return [];
  try {
    const data: unknown = JSON.parse(text);
    return Array.isArray(data)
      ? data.filter((item): item is string => typeof item === "string").slice(0, MAX_ALLOWED)
      : [];
  } catch {
    return [];
  }
}

/**
 * Restores access for each address: out of ip_bans.yaml first (the ip-bans backend then finds nothing left,
 * and the report says who had it), then the guard's bans, then Home Assistant's memory. In slices, so an
 * "unban all" of thousands neither starts thousands of nft processes nor rewrites the file thousands of times
 * (removals asked for together are one rewrite). Also used by `guard unban` when no guard runs.
 */
export async function restoreAccess(
  parts: { bans: Pick<BanManager, "unban">; homeAssistant: HomeAssistantBans; bus: GuardBus },
  addresses: readonly string[],
  reason: UnbanReason,
  restartHa = false,
): Promise<UnbanResult[]> {
  const results: UnbanResult[] = [];
  const { bans, homeAssistant, bus } = parts;
  for (let at = 0; at < addresses.length; at += SLICE) {
    const slice = addresses.slice(at, at + SLICE);
    const files = await Promise.all(slice.map((address) => homeAssistant.removeFromFile(address)));
    const guards = await Promise.all(slice.map((address) => bans.unban(address, reason)));
    for (const [index, address] of slice.entries()) {
      const report = await homeAssistant.liftInMemory(address, files[index] ?? null, { restart: restartHa });
      bus.emit("ha-unban", report);
      const guard = guards[index] ?? { address, wasBanned: false, backends: [] };
      results.push({ ...guard, homeAssistant: report });
    }
  }
  return results;
}
