import { maskUrlCredentials } from "../model/mask.js";
import type { BanRecord, GuardBus, GuardPart } from "./bus.js";
import type { GuardConfig } from "./config.js";
import type { FailedLogin } from "./events.js";

function originOf(url: string): string {
  try {
    return new URL(maskUrlCredentials(url)).origin;
  } catch {
    return "(invalid URL)";
  }
}

/**
 * Tells the owner about bans: a Home Assistant notification over the REST API (a notify service, or a
 * persistent notification when none is named) and/or a webhook. Retries with back-off; a rate limit (per
 * hour) so an attack cannot become a notification storm — what is held back is summed up in the next one.
 */

export interface NotifierOptions {
  /** Back-off before retry n is baseDelayMs · 2ⁿ (tests shorten it). */
  baseDelayMs?: number;
  attempts?: number;
  timeoutMs?: number;
  clock?: () => number;
}

export interface BanNotice {
  address: string;
  host: string | null;
  kind: string;
  url: string | null;
  userAgent: string | null;
  failures: number;
  until: string;
  /** Bans held back by the rate limit since the last notice. */
  suppressed: number;
}

const HOUR_MS = 3600_000;
const MAX_REMEMBERED_FAILURES = 10_000;

/** Markdown and HTML have no power in the text: attacker-supplied URL/UA are shown, never interpreted. */
export function escapeForNotification(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed on purpose
      .replace(/[\x00-\x1f\x7f]/g, "?")
      .replace(/[\\`*_{}[\]()<>#+!|~&"]/g, (c) => `\\${c}`)
      .slice(0, 300)
  );
}

export function noticeText(notice: BanNotice): { title: string; message: string } {
  const lines = [
    `Banned ${notice.address} until ${notice.until} after ${notice.failures} failed logins (${notice.kind === "token" ? "stale or invalid token" : "wrong password or MFA code"}).`,
  ];
  if (notice.host && notice.host !== notice.address) lines.push(`Reverse DNS: ${escapeForNotification(notice.host)}`);
  if (notice.url) lines.push(`URL: ${escapeForNotification(notice.url)}`);
  if (notice.userAgent) lines.push(`User agent: ${escapeForNotification(notice.userAgent)}`);
  if (notice.suppressed > 0) lines.push(`(${notice.suppressed} more bans were not notified: rate limit)`);
  return { title: "hassguard: address banned", message: lines.join("\n") };
}

export class Notifier implements GuardPart {
  readonly name = "notifier";
  readonly #bus: GuardBus;
  readonly #config: GuardConfig["notify"];
  readonly #options: Required<NotifierOptions>;
  readonly #lastFailure = new Map<string, FailedLogin>();
  readonly #sentAt: number[] = [];
  #suppressed = 0;
  #inFlight = new Set<Promise<void>>();
  #stopped = false;
  readonly deliveries: { channel: string; ok: boolean; attempts: number }[] = [];

  constructor(bus: GuardBus, config: GuardConfig["notify"], options: NotifierOptions = {}) {
    this.#bus = bus;
    this.#config = config;
    this.#options = {
      baseDelayMs: options.baseDelayMs ?? 1000,
      attempts: options.attempts ?? 4,
      timeoutMs: options.timeoutMs ?? 10_000,
      clock: options.clock ?? Date.now,
    };
  }

  get suppressed(): number {
    return this.#suppressed;
  }

  async start(): Promise<void> {
    this.#bus.on(this, "failure", ({ failure }) => {
      // the latest failure per address gives the ban its URL and user agent
      this.#lastFailure.delete(failure.address);
      this.#lastFailure.set(failure.address, failure);
      if (this.#lastFailure.size > MAX_REMEMBERED_FAILURES) {
        const oldest = this.#lastFailure.keys().next().value;
        if (oldest !== undefined) this.#lastFailure.delete(oldest);
      }
    });
    this.#bus.on(this, "ban", (ban) => this.#onBan(ban));
    // the guard's own trouble (store damaged or emptied): rare, and never held back by the rate limit
    this.#bus.on(this, "alert", ({ title, message }) =>
      this.#send(`hassguard: ${title}`, message, "hassguard_alert", { event: "alert", title, message }),
    );
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#bus.removeListeners(this);
    await this.settle();
  }

  /** Resolves when every notification started so far has been delivered or given up. */
  async settle(): Promise<void> {
    await Promise.all([Promise.allSettled([...this.#inFlight]), this.#bus.settle(this)]);
  }

  #onBan(ban: BanRecord): void {
    const now = this.#options.clock();
    while (this.#sentAt.length > 0 && (this.#sentAt[0] ?? 0) <= now - HOUR_MS) this.#sentAt.shift();
    if (this.#sentAt.length >= this.#config.maxPerHour) {
      this.#suppressed++;
      return;
    }
    this.#sentAt.push(now);
    const failure = this.#lastFailure.get(ban.address);
    const notice: BanNotice = {
      address: ban.address,
      host: failure?.host ?? null,
      kind: ban.kind,
      url: failure?.url ?? null,
      userAgent: failure?.userAgent ?? null,
      failures: ban.failures,
      until: new Date(ban.until).toISOString(),
      suppressed: this.#suppressed,
    };
    this.#suppressed = 0;
    const work = this.#deliverAll(notice);
    this.#inFlight.add(work);
    void work.finally(() => this.#inFlight.delete(work));
  }

  async #deliverAll(notice: BanNotice): Promise<void> {
    const { title, message } = noticeText(notice);
    await this.#send(title, message, `hassguard_ban_${notice.address}`, { event: "ban", title, ...notice });
  }

  /** To every channel: a notify service or a persistent notification (with its id), and the webhook. */
  async #send(title: string, message: string, notificationId: string, webhookBody: object): Promise<void> {
    const tasks: Promise<void>[] = [];
    const ha = this.#config.homeAssistant;
    if (ha) {
      const base = ha.url.replace(/\/+$/, "");
      const [domain, service] = ha.service ? ha.service.split(".") : ["persistent_notification", "create"];
      const body = ha.service ? { title, message } : { title, message, notification_id: notificationId };
      tasks.push(
        this.#deliver("home-assistant", `${base}/api/services/${domain}/${service}`, body, {
          Authorization: `Bearer ${ha.token}`,
        }),
      );
    }
    const webhook = this.#config.webhook;
    if (webhook) tasks.push(this.#deliver("webhook", webhook.url, webhookBody, {}));
    await Promise.all(tasks);
  }

  async #deliver(channel: string, url: string, body: unknown, headers: Record<string, string>): Promise<void> {
    let lastError = "";
    let attempts = 0;
    for (let attempt = 1; attempt <= this.#options.attempts; attempt++) {
      if (this.#stopped && attempt > 1) break;
      attempts = attempt;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "Content-Type": "application/json", ...headers },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.#options.timeoutMs),
          redirect: "error",
        });
        // the answer's body is not needed: do not read an unbounded stream
        await response.body?.cancel().catch(() => undefined);
        if (response.ok) {
          this.deliveries.push({ channel, ok: true, attempts: attempt });
          return;
        }
        lastError = `HTTP ${response.status}`;
        // a wrong token or URL will not fix itself
        if (response.status === 401 || response.status === 403 || response.status === 404) break;
      } catch (error) {
        lastError = (error as Error).message;
      }
      if (attempt < this.#options.attempts) {
        await new Promise((resolve) => setTimeout(resolve, this.#options.baseDelayMs * 2 ** (attempt - 1)));
      }
    }
    this.deliveries.push({ channel, ok: false, attempts });
    // only the origin: a webhook's path is often its secret (Home Assistant's /api/webhook/<id>)
    this.#bus.emit("warning", { message: `notification via ${channel} (${originOf(url)}) failed: ${lastError}` });
  }
}
