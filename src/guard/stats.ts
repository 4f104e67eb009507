import type { GuardBus, GuardPart, GuardStats } from "./bus.js";
import type { GuardStore } from "./store.js";

const DAY_MS = 24 * 3600_000;
/** "Under attack": a ban in the last 15 minutes. */
const ATTACK_WINDOW_MS = 15 * 60_000;
/** Failed logins are kept this long (the store must not grow forever; bans are kept). */
const KEEP_EVENTS_MS = 30 * DAY_MS;

/** Keeps the numbers the owner sees (MQTT sensors, dashboard) and announces them when they change. */
export class StatsKeeper implements GuardPart {
  readonly name = "stats";
  readonly #bus: GuardBus;
  readonly #store: GuardStore;
  readonly #clock: () => number;
  #lastBanAt = -Infinity;
  #lastAttacker: string | null = null;
  #timer: NodeJS.Timeout | null = null;
  #last = "";

  constructor(bus: GuardBus, store: GuardStore, clock: () => number = Date.now) {
    this.#bus = bus;
    this.#store = store;
    this.#clock = clock;
  }

  async start(): Promise<void> {
    this.#lastAttacker = this.#store.lastFailureAddress();
    const recent = this.#store.activeBans(this.#clock()).at(-1);
    if (recent) this.#lastBanAt = recent.bannedAt;
    this.#bus.on(this, "failure", ({ failure }) => {
      this.#lastAttacker = failure.address;
      this.publish();
    });
    this.#bus.on(this, "ban", (ban) => {
      this.#lastBanAt = ban.bannedAt;
      this.publish();
    });
    this.#bus.on(this, "unban", () => this.publish());
    // the 24 h count and "under attack" also change as time passes; old events are dropped meanwhile
    this.#store.prune(this.#clock() - KEEP_EVENTS_MS);
    this.#timer = setInterval(() => {
      this.#store.prune(this.#clock() - KEEP_EVENTS_MS);
      this.publish();
    }, 60_000);
    this.publish();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#bus.removeListeners(this);
  }

  current(): GuardStats {
    const now = this.#clock();
    return {
      failures24h: this.#store.countFailuresSince(now - DAY_MS),
      activeBans: this.#store.activeBans(now).length,
      lastAttacker: this.#lastAttacker,
      underAttack: now - this.#lastBanAt < ATTACK_WINDOW_MS,
    };
  }

  /** Emits `stats` when something changed. */
  publish(): void {
    const stats = this.current();
    const key = JSON.stringify(stats);
    if (key === this.#last) return;
    this.#last = key;
    this.#bus.emit("stats", stats);
  }
}
