import { prefixOf } from "./address.js";
import type { BanRecord, GuardBus, GuardPart } from "./bus.js";
import { type Decision, Detector, type DetectorSettings } from "./detector.js";
import { parseLine } from "./parser.js";
import { type GuardStore, lineKey } from "./store.js";

/** How often the same proxy warning may be repeated. */
const PROXY_WARNING_EVERY_MS = 3600_000;

/**
 * Lines in, decisions out: parses each line, records failures (once per line, even if a restart re-reads
 * it), runs the detector, and emits bans and warnings. Live time is the source's own time (journal) or the
 * arrival time: Home Assistant's timestamps are local time in whatever zone its container has.
 */
export class Detection implements GuardPart {
  readonly name = "detection";
  readonly #bus: GuardBus;
  readonly #store: GuardStore;
  readonly #detector: Detector;
  readonly #settings: DetectorSettings;
  readonly #clock: () => number;
  readonly #proxyWarned = new Map<string, number>();
  readonly #limitations: (target: string) => string[];

  /**
   * `limitations` says what the ban backends cannot hold of a ban (ip_bans.yaml and a /64): it goes into the
   * ban's reason, so the owner reads where a ban does not reach.
   */
  constructor(
    bus: GuardBus,
    store: GuardStore,
    settings: DetectorSettings,
    clock: () => number = Date.now,
    limitations: (target: string) => string[] = () => [],
  ) {
    this.#bus = bus;
    this.#store = store;
    this.#settings = settings;
    this.#detector = new Detector(settings);
    this.#clock = clock;
    this.#limitations = limitations;
  }

  async start(): Promise<void> {
    const now = this.#clock();
    // rebuild what the detector knew: repeat offences, active bans, then the failures still inside the window
    const history = this.#store.banHistory();
    const active = new Map(this.#store.activeBans(now).map((ban) => [ban.address, ban.until]));
    for (const [address, past] of history) this.#detector.restore(address, past.offences, active.get(address) ?? 0);
    for (const failure of this.#store.failuresSince(now - this.#settings.findTime * 1000)) {
      // failures that already led to a ban (of the address or of its /64) were paid for
      const prefix = prefixOf(failure.address);
      const paidUntil = Math.max(
        history.get(failure.address)?.lastBannedAt ?? -Infinity,
        prefix === null ? -Infinity : (history.get(prefix)?.lastBannedAt ?? -Infinity),
      );
      if (failure.at <= paidUntil) continue;
      const decision = this.#detector.observe(
        {
          type: "failure",
          address: failure.address,
          kind: failure.kind,
          host: null,
          url: null,
          userAgent: null,
          time: null,
        },
        failure.at,
      );
      // a burst that reached the threshold while the guard was being killed: ban now
      if (decision.action === "ban") this.#bus.emit("ban", this.#banRecord(decision, now));
    }
    this.#bus.on(this, "line", (line) => this.#line(line.text, line.time, line.id));
    this.#bus.on(this, "unban", ({ address }) => this.#detector.unban(address));
  }

  async stop(): Promise<void> {
    this.#bus.removeListeners(this);
  }

  /** The ban as every part sees it: the address, or the /64 for a prefix ban. */
  #banRecord(decision: Extract<Decision, { action: "ban" }>, bannedAt: number): BanRecord {
    return {
      address: decision.address,
      bannedAt,
      until: bannedAt + decision.durationSeconds * 1000,
      failures: decision.failures,
      kind: decision.kind,
      offence: decision.offence,
      reason: [decision.reason, ...this.#limitations(decision.address)].join("; "),
    };
  }

  #line(text: string, sourceTime: Date | null, id: string | undefined): void {
    const event = parseLine(text);
    if (!event) return;
    const now = sourceTime ? sourceTime.getTime() : this.#clock();
    switch (event.type) {
      case "failure": {
        if (!this.#store.recordFailure(lineKey(id, text), event, now)) return;
        this.#bus.emit("failure", { failure: event, at: now });
        const decision = this.#detector.observe(event, now);
        if (decision.action === "ban") {
          this.#bus.emit("ban", this.#banRecord(decision, this.#clock()));
        } else if (decision.action === "proxy-warning") {
          const last = this.#proxyWarned.get(event.address) ?? -Infinity;
          if (now - last >= PROXY_WARNING_EVERY_MS) {
            this.#proxyWarned.set(event.address, now);
            this.#bus.emit("warning", { message: decision.reason, address: event.address });
          }
        }
        return;
      }
      case "success":
        this.#detector.success(event.address);
        return;
      case "ha-ban":
        this.#bus.emit("ha-ban", { address: event.address, at: now });
        return;
      case "untrusted-proxy":
        this.#bus.emit("warning", {
          message: `Home Assistant refused X-Forwarded-For from ${event.address}: add it to trusted_proxies (and use_x_forwarded_for) in http:`,
          address: event.address,
        });
        return;
      case "filtered":
        return;
    }
  }
}
