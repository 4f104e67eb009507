import type { BanBackend } from "./backends/backend.js";
import type { BanRecord, GuardBus, GuardPart, UnbanReason } from "./bus.js";
import type { GuardStore } from "./store.js";

/** What one backend did with a ban or an unban. */
export interface BackendOutcome {
  backend: string;
  ok: boolean;
  error?: string;
}

export interface UnbanOutcome {
  address: string;
  /** Whether the guard had the address banned (its store or memory). */
  wasBanned: boolean;
  backends: BackendOutcome[];
}

/**
 * Puts bans in place on every backend and lifts them on expiry or on request. The store is written first, so
 * a crash right after a ban restores it; at start-up, bans the store remembers are re-applied (backends are
 * idempotent) and expired ones are lifted. A backend that fails is reported and the others go on; which
 * backends hold each ban is known (`guard bans`).
 *
 * Requests from other processes (`guard unban`, the console) arrive through the control channel
 * (control/server.ts), never by watching the store.
 */
export class BanManager implements GuardPart {
  readonly name = "ban manager";
  readonly #bus: GuardBus;
  readonly #backends: BanBackend[];
  readonly #store: GuardStore;
  readonly #clock: () => number;
  readonly #active = new Map<string, BanRecord>();
  /** Per banned address, the backends that accepted the ban. */
  readonly #holders = new Map<string, Set<string>>();
  #timer: NodeJS.Timeout | null = null;
  #pending: Promise<unknown> = Promise.resolve();

  constructor(bus: GuardBus, backends: BanBackend[], store: GuardStore, clock: () => number = Date.now) {
    this.#bus = bus;
    this.#backends = backends;
    this.#store = store;
    this.#clock = clock;
  }

  async start(): Promise<void> {
    const failed: string[] = [];
    for (const backend of this.#backends) {
      await backend.start().catch((error: Error) => {
        failed.push(`${backend.name}: ${error.message}`);
        this.#warn(`${backend.name}: cannot start: ${error.message}`);
      });
    }
    // a guard that can ban nobody must not say it is watching (dry-run is a backend, and always starts)
    if (failed.length === this.#backends.length) {
      throw new Error(
        `no ban backend could start (${failed.join("; ") || "none configured"}); add --backend dry-run to only watch`,
      );
    }
    const now = this.#clock();
    for (const ban of this.#store.unliftedBans()) {
      if (ban.until <= now) await this.#lift(ban.address, "expired");
      else {
        this.#active.set(ban.address, ban);
        await this.#apply(ban);
      }
    }
    this.#bus.on(this, "ban", (ban) => this.#track(this.#place(ban)));
    // expiry only looks at the bans in memory: cheap, and nothing else needs polling
    this.#timer = setInterval(() => this.#expire(), 1000);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#bus.removeListeners(this);
    await this.#pending;
    for (const backend of this.#backends) await backend.stop().catch(() => undefined);
  }

  /** Resolves when every ban and unban asked for so far has reached the backends. */
  async settle(): Promise<void> {
    await this.#pending;
  }

  get active(): BanRecord[] {
    return [...this.#active.values()];
  }

  /** The backends holding the address's ban now (those that accepted it). */
  holders(address: string): string[] {
    return [...(this.#holders.get(address) ?? [])];
  }

  /** A ban the owner asked for: placed, then announced on the bus like any other. */
  async ban(ban: BanRecord): Promise<{ added: boolean; backends: BackendOutcome[] }> {
    const placed = this.#place(ban);
    this.#track(placed);
    const result = await placed;
    if (result.added) this.#bus.emit("ban", ban);
    return result;
  }

  async unban(address: string, reason: UnbanReason = "command"): Promise<UnbanOutcome> {
    const work = this.#lift(address, reason);
    this.#track(work);
    return work;
  }

  #track(work: Promise<unknown>): void {
    this.#pending = Promise.all([this.#pending, work]).catch(() => undefined);
  }

  async #place(ban: BanRecord): Promise<{ added: boolean; backends: BackendOutcome[] }> {
    if (!this.#store.addBan(ban)) return { added: false, backends: [] }; // already banned: nothing duplicated
    this.#active.set(ban.address, ban);
    return { added: true, backends: await this.#apply(ban) };
  }

  async #apply(ban: BanRecord): Promise<BackendOutcome[]> {
    const holders = new Set<string>();
    this.#holders.set(ban.address, holders);
    return Promise.all(
      this.#backends.map((backend) =>
        backend.ban(ban.address, ban.until).then(
          () => {
            // a backend that cannot hold this target (ip_bans.yaml and a /64) accepted it without holding it
            if ((backend.limitation?.(ban.address) ?? null) !== null) return { backend: backend.name, ok: true };
            holders.add(backend.name);
            return { backend: backend.name, ok: true };
          },
          (error: Error) => {
            this.#warn(`${backend.name}: cannot ban ${ban.address}: ${error.message}`);
            return { backend: backend.name, ok: false, error: error.message };
          },
        ),
      ),
    );
  }

  async #lift(address: string, reason: UnbanReason): Promise<UnbanOutcome> {
    const inMemory = this.#active.delete(address);
    this.#holders.delete(address);
    const inStore = this.#store.liftBan(address, this.#clock(), reason);
    const backends = await Promise.all(
      this.#backends.map((backend) =>
        backend.unban(address).then(
          () => ({ backend: backend.name, ok: true }),
          (error: Error) => {
            this.#warn(`${backend.name}: cannot unban ${address}: ${error.message}`);
            return { backend: backend.name, ok: false, error: error.message };
          },
        ),
      ),
    );
    const wasBanned = inMemory || inStore;
    if (wasBanned) this.#bus.emit("unban", { address, reason });
    return { address, wasBanned, backends };
  }

  #expire(): void {
    const now = this.#clock();
    for (const ban of [...this.#active.values()]) if (ban.until <= now) this.#track(this.#lift(ban.address, "expired"));
  }

  #warn(message: string): void {
    this.#bus.emit("warning", { message });
  }
}
