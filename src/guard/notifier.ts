import type { BanRecord, GuardBus, GuardPart } from "./bus.js";
import type { GuardConfig } from "./config.js";
import type { FailedLogin } from "./events.js";
import { originOf } from "./ha-api.js";
import { alertText, type BanNotice, type NoticeFormat, noticeText } from "./notice-text.js";

/**
 * Tells the owner about bans: a Home Assistant notification over the REST API (a notify service, or a
 * persistent notification when none is named) and/or a webhook, each with its text escaped for the channel
 * (notice-text.ts). Retries with back-off; a rate limit (per hour) so an attack cannot become a notification
 * storm — what is held back is summed up in the next one. Each delivery ends in a `notified` event.
 */

export interface NotifierOptions {
  /** Back-off before retry n is baseDelayMs · 2ⁿ (tests shorten it). */
  baseDelayMs?: number;
  attempts?: number;
  timeoutMs?: number;
  clock?: () => number;
}

const HOUR_MS = 3600_000;
const MAX_REMEMBERED_FAILURES = 10_000;

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
      this.#send((format) => alertText(title, message, format), "hassguard_alert", {
        event: "alert",
        ...alertText(title, message, "plain"),
      }),
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
    // JSON escapes the raw fields itself; `message` is the plain text for receivers that only show text
    await this.#send((format) => noticeText(notice, format), `hassguard_ban_${notice.address}`, {
      event: "ban",
      ...noticeText(notice, "plain"),
      ...notice,
    });
  }

  /**
   * To every channel: a notify service (plain text) or a persistent notification (rendered as Markdown, with its
   * id), and the webhook (JSON).
   */
  async #send(
    text: (format: NoticeFormat) => { title: string; message: string },
    notificationId: string,
    webhookBody: object,
  ): Promise<void> {
    const tasks: Promise<void>[] = [];
    const ha = this.#config.homeAssistant;
    if (ha) {
      const base = ha.url.replace(/\/+$/, "");
      const [domain, service] = ha.service ? ha.service.split(".") : ["persistent_notification", "create"];
      const body = ha.service ? text("plain") : { ...text("markdown"), notification_id: notificationId };
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
          this.#bus.emit("notified", { channel, ok: true, attempts: attempt });
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
    this.#bus.emit("notified", { channel, ok: false, attempts });
    // only the origin: a webhook's path is often its secret (Home Assistant's /api/webhook/<id>)
    this.#bus.emit("warning", { message: `notification via ${channel} (${originOf(url)}) failed: ${lastError}` });
  }
}
