import type { BanBackend } from "./backends/backend.js";
import type { BanRecord, GuardBus, GuardPart, UnbanReason } from "./bus.js";
import type { GuardStore } from "./store.js";

/**
 * Puts bans in place on every backend and lifts them on expiry or on request. The store is written first, so
 * a crash right after a ban restores it; at start-up, bans the store remembers are re-applied (backends are
 * idempotent) and expired ones are lifted. A backend that fails is reported and the others go on.
 */
export class BanManager implements GuardPart {
  readonly name = "ban manager";
  readonly #bus: GuardBus;
  readonly #backends: BanBackend[];
  readonly #store: GuardStore;
  readonly #clock: () => number;
  readonly #active = new Map<string, BanRecord>();
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
    this.#bus.on(this, "ban", (ban) => this.#track(this.#onBan(ban)));
    this.#bus.on(this, "unban-request", ({ address }) => {
      if (address === "all")
        for (const active of [...this.#active.keys()]) this.#track(this.#lift(active, "unban-all"));
      else this.#track(this.#lift(address, "command"));
    });
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

  async unban(address: string, reason: UnbanReason = "command"): Promise<boolean> {
    const known = this.#active.has(address);
    await this.#lift(address, reason);
    return known;
  }

  #track(work: Promise<unknown>): void {
    this.#pending = Promise.all([this.#pending, work]).catch(() => undefined);
  }

  async #onBan(ban: BanRecord): Promise<void> {
    if (!this.#store.addBan(ban)) return; // already banned: nothing duplicated
    this.#active.set(ban.address, ban);
    await this.#apply(ban);
  }

  async #apply(ban: BanRecord): Promise<void> {
    await Promise.all(
      this.#backends.map((backend) =>
        backend
          .ban(ban.address, ban.until)
          .catch((error: Error) => this.#warn(`${backend.name}: cannot ban ${ban.address}: ${error.message}`)),
      ),
    );
  }

  async #lift(address: string, reason: UnbanReason): Promise<void> {
    this.#active.delete(address);
    this.#store.liftBan(address, this.#clock(), reason);
    await Promise.all(
      this.#backends.map((backend) =>
        backend
          .unban(address)
          .catch((error: Error) => this.#warn(`${backend.name}: cannot unban ${address}: ${error.message}`)),
      ),
    );
    this.#bus.emit("unban", { address, reason });
  }

  #expire(): void {
    const now = this.#clock();
    // `hassguard guard unban` in another process lifts the ban in the store: follow it here
    const stillBanned = new Set(this.#store.unliftedBans().map((ban) => ban.address));
    for (const address of [...this.#active.keys()]) {
      if (!stillBanned.has(address)) this.#track(this.#lift(address, "command"));
    }
    for (const ban of [...this.#active.values()]) if (ban.until <= now) this.#track(this.#lift(ban.address, "expired"));
  }

  #warn(message: string): void {
    this.#bus.emit("warning", { message });
  }
}
