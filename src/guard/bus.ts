import { EventEmitter } from "node:events";
import type { FailedLogin, FailureKind } from "./events.js";

/** A ban as every part sees it. Times are ms since the epoch. */
export interface BanRecord {
  /** An address (IPv6 with its zone: `fe80::1%eth0`) or, for a prefix ban, an IPv6 /64 (`2001:db8:1:2::/64`). */
  address: string;
  bannedAt: number;
  until: number;
  failures: number;
  kind: FailureKind;
  offence: number;
  /** Why, in the owner's words, and what a backend cannot hold of it (set by detection; older records lack it). */
  reason?: string;
}

export type UnbanReason = "expired" | "command" | "unban-all";

/**
 * Everything the guard's parts say to each other (STYLE.md: zigbee2mqtt's typed event bus). A part only
 * listens and emits here; it never calls another part.
 */
export interface GuardEventMap {
  /**
   * A raw log line from a source, with the source's own time when it has one (journal), and an identity
   * that stays the same if the line is read again after a restart (file inode:offset, journal cursor).
   */
  line: [{ text: string; source: string; time: Date | null; id?: string }];
  failure: [{ failure: FailedLogin; at: number }];
  ban: [BanRecord];
  unban: [{ address: string; reason: UnbanReason }];
  /** Ask the ban manager to lift a ban (MQTT button, command). */
  "unban-request": [{ address: string | "all" }];
  /** Something the owner should know that is not a ban (proxy misconfigured, a part failed). */
  warning: [{ message: string; address?: string }];
  /** Home Assistant's own ban seen in the log. */
  "ha-ban": [{ address: string; at: number }];
  /** A part's own state changed (counts for MQTT/dashboard). */
  stats: [GuardStats];
}

export interface GuardStats {
  failures24h: number;
  activeBans: number;
  lastAttacker: string | null;
  underAttack: boolean;
}

type Listener<K extends keyof GuardEventMap> = (...args: GuardEventMap[K]) => void;

/** A typed event bus whose listeners are kept per owner so a part's stop() can remove all of its own. */
export class GuardBus {
  readonly #emitter = new EventEmitter();
  readonly #owned = new Map<object, { event: string; listener: (...args: unknown[]) => void }[]>();

  constructor() {
    this.#emitter.setMaxListeners(50);
  }

  on<K extends keyof GuardEventMap>(owner: object, event: K, listener: Listener<K>): void {
    // a throwing listener must not break the emitter or the other parts
    const safe = (...args: GuardEventMap[K]) => {
      try {
        listener(...args);
      } catch (error) {
        if (event !== "warning")
          this.emit("warning", { message: `${String(event)} handler failed: ${(error as Error).message}` });
      }
    };
    // EventEmitter is untyped underneath; the map above is what keeps the types honest
    const untyped = safe as unknown as (...args: unknown[]) => void;
    this.#emitter.on(event, untyped);
    const list = this.#owned.get(owner) ?? [];
    list.push({ event, listener: untyped });
    this.#owned.set(owner, list);
  }

  emit<K extends keyof GuardEventMap>(event: K, ...args: GuardEventMap[K]): void {
    this.#emitter.emit(event, ...args);
  }

  removeListeners(owner: object): void {
    for (const { event, listener } of this.#owned.get(owner) ?? []) this.#emitter.off(event, listener);
    this.#owned.delete(owner);
  }
}

/** A part of the guard (zigbee2mqtt's extension lifecycle): the constructor only stores its arguments. */
export interface GuardPart {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
