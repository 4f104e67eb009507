import type { NetworkList } from "./address.js";
import { detectorSettings } from "./allow-list.js";
import type { GuardConfig } from "./config.js";
import { type BanScope, Detector } from "./detector.js";
import type { FailureKind } from "./events.js";
import { parseLine } from "./parser.js";

/**
 * `hassguard guard check`: a log replayed through the same parser and detector as the live guard, with time
 * taken from the lines, like `fail2ban-regex` does for a jail. It also replays Home Assistant's own ban
 * (a counter per address that never expires, reset by a successful login and by a restart, threshold
 * `login_attempts_threshold`) to show when that ban should have fired and whether "Banned IP" lines say it did.
 */

export interface ReplayBan {
  /** The banned address, or the IPv6 /64 (`2001:db8:1:2::/64`) of a prefix ban. */
  address: string;
  failures: number;
  bannedAt: string;
  scope: BanScope;
  reason: string;
}

export interface ReplayResult {
  lines: number;
  failures: number;
  bans: ReplayBan[];
  kinds: Record<FailureKind, number>;
  /** Failures from allow-listed addresses: counted, never banned. */
  allowed: { address: string; failures: number; reason: string }[];
  /** Failures from trusted proxies: X-Forwarded-For is not set up. */
  proxyWarnings: { address: string; failures: number; reason: string }[];
  /** security_filter lines (scanners; Home Assistant does not log their address). */
  filtered: number;
  homeAssistant: {
    /** login_attempts_threshold used for the expectation; -1 when unknown or banning is off. */
    threshold: number;
    /** "Banned IP" lines in the log. */
    banned: { address: string; bannedAt: string | null }[];
    /** Bans Home Assistant's own counter should have made (only when threshold ≥ 1). */
    expected: { address: string; bannedAt: string }[];
    /** Expected but no "Banned IP" line: the built-in ban silently did not work. */
    missing: string[];
    /** Addresses Home Assistant banned that the guard's allow-list protects (the owner's proxy, Remote UI…). */
    bannedButAllowed: string[];
  };
}

// Home Assistant's counters live in memory: a restart forgets them
export const HA_START = "[homeassistant.core] Starting Home Assistant";
/** Every line the replay acts on contains one of these (the fast path decodes only those). */
export const REPLAY_MARKERS = ["[homeassistant.components.http.", HA_START];

export class Replay {
  readonly #detector: Detector;
  readonly #haThreshold: number;
  readonly #allow: NetworkList;
  readonly #supervisorAddress: string;
  #lines = 0;
  #failures = 0;
  #filtered = 0;
  readonly #kinds: Record<FailureKind, number> = { password: 0, token: 0, unknown: 0 };
  readonly #bans: ReplayBan[] = [];
  readonly #allowed = new Map<string, { failures: number; reason: string }>();
  readonly #proxies = new Map<string, { failures: number; reason: string }>();
  readonly #haCounters = new Map<string, number>();
  readonly #haBannedSet = new Set<string>();
  readonly #haBanned: { address: string; bannedAt: string | null }[] = [];
  readonly #haExpected: { address: string; bannedAt: string }[] = [];
  readonly #haExpectedSet = new Set<string>();
  /** Lines without a time (journal text) take the last time seen; before any, a clock starting at 0. */
  #clock = 0;

  constructor(config: GuardConfig) {
    const settings = detectorSettings(config);
    this.#detector = new Detector(settings);
    this.#allow = settings.allow;
    this.#haThreshold = config.haThreshold;
    this.#supervisorAddress = config.supervisorAddress;
  }

  /** Keys the detector tracks now (benchmarks: memory stays bounded). */
  get tracked(): number {
    return this.#detector.tracked;
  }

  /** Lines that cannot matter (no marker): only counted. */
  countOnly(lines: number): void {
    this.#lines += lines;
  }

  line(text: string): void {
    this.#lines++;
    const event = parseLine(text);
    if (!event) {
      if (text.includes(HA_START)) this.#haCounters.clear();
      return;
    }
    if (event.time) this.#clock = Math.max(this.#clock, event.time.getTime());
    const now = event.time ? event.time.getTime() : this.#clock;
    switch (event.type) {
      case "failure": {
        this.#failures++;
        this.#kinds[event.kind]++;
        this.#replayHomeAssistant(event.address, now);
        const decision = this.#detector.observe(event, now);
        if (decision.action === "ban") {
          const { address, failures, scope, reason } = decision;
          this.#bans.push({ address, failures, bannedAt: iso(now), scope, reason });
        } else if (decision.action === "allowed") {
          bump(this.#allowed, event.address, decision.reason);
        } else if (decision.action === "proxy-warning") {
          bump(this.#proxies, event.address, decision.reason);
        }
        return;
      }
      case "ha-ban":
        if (!this.#haBannedSet.has(event.address)) {
          this.#haBannedSet.add(event.address);
          this.#haBanned.push({ address: event.address, bannedAt: event.time ? iso(now) : null });
        }
        return;
      case "success":
        this.#haCounters.delete(event.address);
        this.#detector.success(event.address);
        return;
      case "filtered":
        this.#filtered++;
        return;
      case "untrusted-proxy":
        return;
    }
  }

  #replayHomeAssistant(address: string, now: number): void {
    if (this.#haThreshold < 1 || this.#haExpectedSet.has(address) || address === this.#supervisorAddress) return;
    const count = (this.#haCounters.get(address) ?? 0) + 1;
    this.#haCounters.set(address, count);
    if (count >= this.#haThreshold) {
      this.#haExpectedSet.add(address);
      this.#haExpected.push({ address, bannedAt: iso(now) });
    }
  }

  result(): ReplayResult {
    const list = (map: Map<string, { failures: number; reason: string }>) =>
      [...map].map(([address, v]) => ({ address, failures: v.failures, reason: v.reason }));
    return {
      lines: this.#lines,
      failures: this.#failures,
      bans: [...this.#bans],
      kinds: { ...this.#kinds },
      allowed: list(this.#allowed),
      proxyWarnings: list(this.#proxies),
      filtered: this.#filtered,
      homeAssistant: {
        threshold: this.#haThreshold,
        banned: [...this.#haBanned],
        expected: [...this.#haExpected],
        missing: this.#haExpected.map((e) => e.address).filter((a) => !this.#haBannedSet.has(a)),
        bannedButAllowed: this.#haBanned.map((b) => b.address).filter((a) => this.#allow.match(a) !== null),
      },
    };
  }
}

function bump(map: Map<string, { failures: number; reason: string }>, address: string, reason: string): void {
  const entry = map.get(address);
  if (entry) entry.failures++;
  else map.set(address, { failures: 1, reason });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
