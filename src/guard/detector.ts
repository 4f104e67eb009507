import { type NetworkList, parseNetwork, prefixOf } from "./address.js";
import type { FailedLogin, FailureKind } from "./events.js";
import { detached, FailureWindows } from "./failure-windows.js";

/** The detector's settings (times in seconds, as owners write them and as fail2ban names them). */
export interface DetectorSettings {
  /** Password/MFA failures (and failures of unknown kind) within findTime that ban. */
  maxRetry: number;
  /** Stale-token failures within findTime that ban (higher: usually the owner's own app). */
  maxTokenRetry: number;
  /**
   * Password/MFA failures within findTime from at least two addresses of one IPv6 /64 that ban the whole /64
   * (an attacker rotating through the addresses of its prefix); 0 turns prefix bans off.
   */
  maxPrefixRetry: number;
  findTime: number;
  /** First ban's length; each repeat offence multiplies it by banTimeFactor, up to maxBanTime. */
  banTime: number;
  banTimeFactor: number;
  maxBanTime: number;
  /** Never banned: loopback, owner's networks, the Supervisor (labels say why). */
  allow: NetworkList;
  /** Failures from these mean X-Forwarded-For is not set up: warn instead of banning the proxy. */
  trustedProxies: NetworkList;
  /** This machine's own IPv6 networks (the home's LAN): never banned as a whole /64. */
  ownNetworks: NetworkList;
  /** Keys each counter keeps at most (default DEFAULT_MAX_TRACKED; tests make it small). */
  maxTracked?: number;
}

export type BanScope = "address" | "prefix";

export type Decision =
  | { action: "count"; address: string; failures: number; threshold: number }
  | {
      action: "ban";
      /** What is banned: the address, or its /64 (`2001:db8:1:2::/64`) for a prefix ban. */
      address: string;
      scope: BanScope;
      failures: number;
      /** Distinct addresses the failures came from (1 for an address ban). */
      addresses: number;
      kind: FailureKind;
      durationSeconds: number;
      offence: number;
      /** Why, in the owner's words. */
      reason: string;
    }
  | { action: "allowed"; address: string; reason: string }
  | { action: "proxy-warning"; address: string; reason: string }
  /** `by` is the banned /64 holding the address, when it is not the address's own ban. */
  | { action: "already-banned"; address: string; by?: string };

/**
 * How many addresses (and, apart, /64 prefixes) each counter keeps: about 200 bytes each, so some tens of MB
 * at most. Beyond it the idle and the one-off entries go first (failure-windows.ts).
 */
export const DEFAULT_MAX_TRACKED = 100_000;

/**
 * Per-address sliding-window decisions, like a fail2ban jail: `maxRetry` failures within `findTime` ban for
 * `banTime`, growing for repeat offenders; IPv6 failures also count per /64. Pure logic: time comes in as an
 * argument, nothing here does I/O. Every call costs O(1) amortised, and memory is bounded, whatever the
 * number of distinct addresses.
 */
export class Detector {
  readonly #settings: DetectorSettings;
  readonly #attack: FailureWindows;
  readonly #token: FailureWindows;
  readonly #prefixes: FailureWindows | null;
  readonly #bans: BanMemory;

  constructor(settings: DetectorSettings) {
    this.#settings = settings;
    const capacity = settings.maxTracked ?? DEFAULT_MAX_TRACKED;
    const windowMs = settings.findTime * 1000;
    this.#attack = new FailureWindows({ threshold: settings.maxRetry, windowMs, capacity });
    this.#token = new FailureWindows({ threshold: settings.maxTokenRetry, windowMs, capacity });
    this.#prefixes =
      settings.maxPrefixRetry > 0
        ? new FailureWindows({ threshold: settings.maxPrefixRetry, windowMs, capacity, trackSources: true })
        : null;
    this.#bans = new BanMemory(capacity);
  }

  /** Keys held in the failure counters (for tests and benchmarks: memory stays bounded). */
  get tracked(): number {
    return this.#attack.size + this.#token.size + (this.#prefixes?.size ?? 0);
  }

  /** Feeds one failed login seen at `now` (ms since epoch). */
  observe(failure: FailedLogin, now: number): Decision {
    // the counters keep the address: a copy of its own, not a slice holding the whole log line
    const address = detached(failure.address);
    // the proxy check comes first: a local proxy on 127.0.0.1 is also loopback, and the warning is the news
    const proxy = this.#settings.trustedProxies.match(address);
    if (proxy) {
      return {
        action: "proxy-warning",
        address,
        reason: `failed logins arrive from ${address}, a trusted proxy (${proxy}): Home Assistant sees the proxy instead of the client, so X-Forwarded-For is not set up (use_x_forwarded_for and trusted_proxies in http:, and the proxy must send the header)`,
      };
    }
    const allowed = this.#settings.allow.match(address);
    if (allowed) return { action: "allowed", address, reason: allowed };
    if (this.#bans.activeUntil(address) > now) return { action: "already-banned", address };
    const prefix = this.#prefixes ? prefixOf(address) : null;
    if (prefix !== null && this.#bans.activeUntil(prefix) > now)
      return { action: "already-banned", address, by: prefix };

    const isToken = failure.kind === "token";
    const windows = isToken ? this.#token : this.#attack;
    const threshold = isToken ? this.#settings.maxTokenRetry : this.#settings.maxRetry;
    const own = windows.add(address, now);
    // stale tokens are not counted per /64: they are the household's apps, and a token cannot be guessed
    const shared = prefix !== null && !isToken ? this.#prefixes?.add(prefix, now, address) : undefined;
    if (own.count >= threshold) {
      windows.delete(address);
      return this.#ban(address, "address", own.count, 1, failure.kind, now);
    }
    // one address alone is its own ban's business: a /64 needs failures from two of its addresses at least
    if (prefix !== null && shared && shared.count >= this.#settings.maxPrefixRetry && shared.sources >= 2) {
      this.#prefixes?.delete(prefix);
      if (this.#keptWhole(prefix) === null)
        return this.#ban(prefix, "prefix", shared.count, shared.sources, failure.kind, now);
    }
    return { action: "count", address, failures: own.count, threshold };
  }

  /** A successful login resets the address's counters, as Home Assistant itself does (not its /64's). */
  success(address: string): void {
    this.#attack.delete(address);
    this.#token.delete(address);
  }

  /** Restores what the store remembers (after a restart); `address` may be a banned /64. */
  restore(address: string, offences: number, bannedUntil: number): void {
    this.#bans.restore(detached(address), offences, bannedUntil);
  }

  /** Lifts a ban early (command or expiry); the offence count stays, so the next ban is longer. */
  unban(address: string): void {
    this.#bans.lift(address);
  }

  /**
   * Why a /64 is never banned as a whole, or null: it holds (or lies in) an allow-listed network, a trusted
   * proxy, or one of this machine's own networks. Such a /64 is the owner's — their home LAN, where every
   * device's privacy addresses rotate daily — and a prefix ban would lock the household out; each address in
   * it is still banned on its own.
   */
  #keptWhole(prefix: string): string | null {
    const network = parseNetwork(prefix);
    if (!network) return "not a network";
    const { allow, trustedProxies, ownNetworks } = this.#settings;
    return allow.overlapping(network) ?? trustedProxies.overlapping(network) ?? ownNetworks.overlapping(network);
  }

  #ban(target: string, scope: BanScope, failures: number, addresses: number, kind: FailureKind, now: number): Decision {
    const offence = this.#bans.offences(target) + 1;
    const { banTime, banTimeFactor, maxBanTime, findTime } = this.#settings;
    const durationSeconds = Math.min(maxBanTime, banTime * banTimeFactor ** (offence - 1));
    this.#bans.record(target, offence, now + durationSeconds * 1000);
    const what = `${failures} ${KIND_WORDS[kind]} within ${findTime} s`;
    const reason =
      scope === "prefix"
        ? `${what} from ${addresses} addresses of ${target}: an attacker rotating through one IPv6 /64`
        : what;
    return { action: "ban", address: target, scope, failures, addresses, kind, durationSeconds, offence, reason };
  }
}

const KIND_WORDS: Record<FailureKind, string> = {
  password: "wrong passwords or MFA codes",
  token: "stale or invalid tokens",
  unknown: "failed logins (old log format, kind unknown)",
};

/**
 * What the detector remembers of bans: repeat offences (so bans grow) and when active ones end (so failures
 * while banned are not counted again). Bounded like the counters: beyond the capacity the oldest record goes,
 * which costs a forgotten repeat offender only its longer next ban (the store still knows it after a restart).
 */
class BanMemory {
  readonly #capacity: number;
  readonly #records = new Map<string, { offences: number; bannedUntil: number }>();

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  activeUntil(key: string): number {
    return this.#records.get(key)?.bannedUntil ?? 0;
  }

  offences(key: string): number {
    return this.#records.get(key)?.offences ?? 0;
  }

  record(key: string, offences: number, bannedUntil: number): void {
    this.#records.delete(key);
    this.#records.set(key, { offences, bannedUntil });
    if (this.#records.size > this.#capacity) {
      let excess = this.#records.size - this.#capacity + Math.max(1, this.#capacity >> 6);
      for (const oldest of this.#records.keys()) {
        if (excess-- <= 0) break;
        this.#records.delete(oldest);
      }
    }
  }

  restore(key: string, offences: number, bannedUntil: number): void {
    const known = this.#records.get(key);
    this.record(key, Math.max(known?.offences ?? 0, offences), Math.max(known?.bannedUntil ?? 0, bannedUntil));
  }

  lift(key: string): void {
    const known = this.#records.get(key);
    if (known) known.bannedUntil = 0;
  }
}
