import type { NetworkList } from "./address.js";
import type { FailedLogin, FailureKind } from "./events.js";

/** The detector's settings (times in seconds, as owners write them and as fail2ban names them). */
export interface DetectorSettings {
  /** Password/MFA failures (and failures of unknown kind) within findTime that ban. */
  maxRetry: number;
  /** Stale-token failures within findTime that ban (higher: usually the owner's own app). */
  maxTokenRetry: number;
  findTime: number;
  /** First ban's length; each repeat offence multiplies it by banTimeFactor, up to maxBanTime. */
  banTime: number;
  banTimeFactor: number;
  maxBanTime: number;
  /** Never banned: loopback, owner's networks, the Supervisor (labels say why). */
  allow: NetworkList;
  /** Failures from these mean X-Forwarded-For is not set up: warn instead of banning the proxy. */
  trustedProxies: NetworkList;
}

export type Decision =
  | { action: "count"; address: string; failures: number; threshold: number }
  | { action: "ban"; address: string; failures: number; kind: FailureKind; durationSeconds: number; offence: number }
  | { action: "allowed"; address: string; reason: string }
  | { action: "proxy-warning"; address: string; reason: string }
  | { action: "already-banned"; address: string };

interface AddressState {
  /** Failure times (ms) inside the window, per threshold group. */
  attack: number[];
  token: number[];
  offences: number;
  bannedUntil: number;
  lastSeen: number;
}

/** Above this many tracked addresses, idle ones are dropped (an IPv6 spray must not eat the memory). */
const MAX_TRACKED = 100_000;

/**
 * Per-address sliding-window decisions, like a fail2ban jail: `maxRetry` failures within `findTime` ban for
 * `banTime`, growing for repeat offenders. Pure logic: time comes in as an argument, nothing here does I/O.
 */
export class Detector {
  readonly #settings: DetectorSettings;
  readonly #states = new Map<string, AddressState>();

  constructor(settings: DetectorSettings) {
    this.#settings = settings;
  }

  /** Feeds one failed login seen at `now` (ms since epoch). */
  observe(failure: FailedLogin, now: number): Decision {
    const { address } = failure;
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
    const state = this.#state(address, now);
    if (state.bannedUntil > now) return { action: "already-banned", address };
    const isToken = failure.kind === "token";
    const window = isToken ? state.token : state.attack;
    const threshold = isToken ? this.#settings.maxTokenRetry : this.#settings.maxRetry;
    const since = now - this.#settings.findTime * 1000;
    while (window.length > 0 && (window[0] ?? 0) <= since) window.shift();
    window.push(now);
    if (window.length < threshold) return { action: "count", address, failures: window.length, threshold };
    const failures = window.length;
    state.attack = [];
    state.token = [];
    state.offences += 1;
    const { banTime, banTimeFactor, maxBanTime } = this.#settings;
    const durationSeconds = Math.min(maxBanTime, banTime * banTimeFactor ** (state.offences - 1));
    state.bannedUntil = now + durationSeconds * 1000;
    return { action: "ban", address, failures, kind: failure.kind, durationSeconds, offence: state.offences };
  }

  /** A successful login resets the counters, as Home Assistant itself does. */
  success(address: string): void {
    const state = this.#states.get(address);
    if (state) {
      state.attack = [];
      state.token = [];
    }
  }

  /** Restores what the store remembers (after a restart). */
  restore(address: string, offences: number, bannedUntil: number): void {
    const state = this.#state(address, Date.now());
    state.offences = Math.max(state.offences, offences);
    state.bannedUntil = Math.max(state.bannedUntil, bannedUntil);
  }

  /** Lifts a ban early (command or expiry); the offence count stays, so the next ban is longer. */
  unban(address: string): void {
    const state = this.#states.get(address);
    if (state) state.bannedUntil = 0;
  }

  #state(address: string, now: number): AddressState {
    let state = this.#states.get(address);
    if (!state) {
      if (this.#states.size >= MAX_TRACKED) this.#prune(now);
      state = { attack: [], token: [], offences: 0, bannedUntil: 0, lastSeen: now };
      this.#states.set(address, state);
    }
    state.lastSeen = now;
    return state;
  }

  #prune(now: number): void {
    const idleBefore = now - this.#settings.findTime * 1000;
    for (const [address, state] of this.#states) {
      // repeat offenders are kept: forgetting them would reset their growing ban time
      if (state.lastSeen < idleBefore && state.offences === 0 && state.bannedUntil < now) this.#states.delete(address);
    }
    // still full of live attackers: drop the oldest entries rather than grow without bound
    if (this.#states.size >= MAX_TRACKED) {
      let excess = this.#states.size - MAX_TRACKED + 1;
      for (const address of this.#states.keys()) {
        if (excess-- <= 0) break;
        this.#states.delete(address);
      }
    }
  }
}
