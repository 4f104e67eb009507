import { EventEmitter } from "node:events";
import type { FailedLogin, FailureKind } from "./events.js";
import type { HomeAssistantUnbanReport } from "./ha-unban.js";

/** A ban as every part sees it. Times are ms since the epoch. */
export interface BanRecord {
  /** An address (IPv6 with its zone: `fe80::1%eth0`) or, for a prefix ban, an IPv6 /64 (`2001:db8:1:2::/64`). */
  address: string;
  bannedAt: number;
  until: number;
  failures: number;
  kind: BanKind;
  offence: number;
  /** Why, in the owner's words, and what a backend cannot hold of it (set by detection; older records lack it). */
  reason?: string;
}

/** What led to a ban: failed logins of a kind, or the owner's own request (`manual`, over the control channel). */
export type BanKind = FailureKind | "manual";

/** `allowed`: the owner allowed a network holding the address. */
export type UnbanReason = "expired" | "command" | "unban-all" | "allowed";

/**
 * Everything the guard's parts say to each other (STYLE.md: zigbee2mqtt's typed event bus). A part only
 * listens and emits here; it never calls another part.
 */
export interface GuardEventMap {
  /**
   * A raw log line from a source, with the source's own time when it has one (journal), and an identity that
   * stays the same if the very same line is read again after a restart and differs for any other line (file:
   * generation + offset; journal: cursor; Supervisor: a chain over the lines before it). Detection keys the
   * store by this identity and the text together; a line without one (stdin) is always new.
   */
  line: [{ text: string; source: string; time: Date | null; id?: string }];
  failure: [{ failure: FailedLogin; at: number }];
  ban: [BanRecord];
  unban: [{ address: string; reason: UnbanReason }];
  /** Ask the ban manager to lift a ban (MQTT button, command). */
  "unban-request": [{ address: string | "all" }];
  /** Something the owner should know that is not a ban (proxy misconfigured, a part failed). */
  warning: [{ message: string; address?: string }];
  /**
   * Something the owner must know now, on stderr and by notification: the store was damaged and replaced, or
   * emptied while it had bans.
   */
  alert: [{ title: string; message: string }];
  /** Home Assistant's own ban seen in the log. */
  "ha-ban": [{ address: string; at: number }];
  /** A part's own state changed (counts for MQTT/dashboard). The bus keeps the latest (see `latest`). */
  stats: [GuardStats];
  /** A notification was delivered or given up (after its retries). */
  notified: [{ channel: string; ok: boolean; attempts: number }];
  /** What was done about Home Assistant's own ban of an address (ip_bans.yaml, http.unban, restart). */
  "ha-unban": [HomeAssistantUnbanReport];
}

/**
 * Events that carry a state rather than news: the bus keeps the last one, so a part that starts (or connects)
 * after it was emitted still gets it (MQTT on a fresh start: the statistics came first).
 */
const STATE_EVENTS: ReadonlySet<keyof GuardEventMap> = new Set(["stats"]);

export interface GuardStats {
  failures24h: number;
  activeBans: number;
  lastAttacker: string | null;
  underAttack: boolean;
}

/**
 * A listener may be asynchronous: when it returns a promise the bus awaits it, reports its failure, and
 * `settle()` waits for it. Any other return value is ignored.
 */
type Listener<K extends keyof GuardEventMap> = (...args: GuardEventMap[K]) => unknown;

/** How a listener's owner is named in a failure report: a part's `name`, else its class. */
function ownerName(owner: object): string {
  const name = (owner as { name?: unknown }).name;
  return typeof name === "string" ? name : owner.constructor.name;
}

/** Rounds of `settle()`: work that keeps starting new work is a bug, not something to wait for forever. */
const MAX_SETTLE_ROUNDS = 10_000;

/**
 * A typed event bus whose listeners are kept per owner, so a part's stop() can remove all of its own. Like
 * zigbee2mqtt's EventBus (lib/eventBus.ts), every listener runs inside a try/catch and an asynchronous one is
 * awaited: a failure becomes a `warning` naming the part and the event, never an unhandled rejection, and no
 * part needs its own promise bookkeeping to know when its work is done (`settle`).
 */
export class GuardBus {
  readonly #emitter = new EventEmitter();
  readonly #owned = new Map<object, { event: string; listener: (...args: unknown[]) => void }[]>();
  readonly #latest = new Map<keyof GuardEventMap, unknown>();
  readonly #pending = new Map<object, Set<Promise<void>>>();

  constructor() {
    this.#emitter.setMaxListeners(50);
  }

  on<K extends keyof GuardEventMap>(owner: object, event: K, listener: Listener<K>): void {
    const safe = (...args: GuardEventMap[K]) => {
      let result: unknown;
      try {
        result = listener(...args);
      } catch (error) {
        this.#failed(owner, event, error);
        return;
      }
      if (result instanceof Promise) this.#track(owner, event, result);
    };
    // EventEmitter is untyped underneath; the map above is what keeps the types honest
    const untyped = safe as unknown as (...args: unknown[]) => void;
    this.#emitter.on(event, untyped);
    const list = this.#owned.get(owner) ?? [];
    list.push({ event, listener: untyped });
    this.#owned.set(owner, list);
  }

  /** Calls every listener now (synchronous ones have finished when this returns). */
  emit<K extends keyof GuardEventMap>(event: K, ...args: GuardEventMap[K]): void {
    if (STATE_EVENTS.has(event)) this.#latest.set(event, args);
    this.#emitter.emit(event, ...args);
  }

  /** The last emitted value of a state event (`stats`), if any. */
  latest<K extends keyof GuardEventMap>(event: K): GuardEventMap[K] | undefined {
    return this.#latest.get(event) as GuardEventMap[K] | undefined;
  }

  removeListeners(owner: object): void {
    for (const { event, listener } of this.#owned.get(owner) ?? []) this.#emitter.off(event, listener);
    this.#owned.delete(owner);
  }

  /**
   * Resolves when the asynchronous listeners started so far (of one owner, or of all) have finished, including
   * the work they started meanwhile. Tests and `stop()` wait on it.
   */
  async settle(owner?: object): Promise<void> {
    for (let round = 0; round < MAX_SETTLE_ROUNDS; round++) {
      const pending = owner
        ? [...(this.#pending.get(owner) ?? [])]
        : [...this.#pending.values()].flatMap((set) => [...set]);
      if (pending.length === 0) return;
      await Promise.all(pending);
    }
  }

  #track(owner: object, event: string, work: Promise<unknown>): void {
    const set = this.#pending.get(owner) ?? new Set<Promise<void>>();
    this.#pending.set(owner, set);
    const done: Promise<void> = work.then(
      () => undefined,
      (error: unknown) => this.#failed(owner, event, error),
    );
    set.add(done);
    void done.finally(() => {
      set.delete(done);
      if (set.size === 0 && this.#pending.get(owner) === set) this.#pending.delete(owner);
    });
  }

  #failed(owner: object, event: string, error: unknown): void {
    // a failing warning listener must not start a loop of warnings
    if (event === "warning") return;
    const message = error instanceof Error ? error.message : String(error);
    this.emit("warning", { message: `${ownerName(owner)}: ${event} handler failed: ${message}` });
  }
}

/** A part of the guard (zigbee2mqtt's extension lifecycle): the constructor only stores its arguments. */
export interface GuardPart {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
