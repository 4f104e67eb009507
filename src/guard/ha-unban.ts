import type { GuardBus, GuardPart } from "./bus.js";
import type { GuardConfig } from "./config.js";

type HomeAssistantApi = NonNullable<GuardConfig["notify"]["homeAssistant"]>;

/**
 * Lifts Home Assistant's own in-memory ban too, through the `http.unban` service (`{ip_address}`), which is
 * not in every release (core PR #161738, shared/ha-facts.md §2). Without it Home Assistant keeps its ban until
 * it restarts: the owner is told so, once per address.
 */
export class HomeAssistantUnban implements GuardPart {
  readonly name = "Home Assistant unban";
  readonly #bus: GuardBus;
  readonly #api: HomeAssistantApi;
  readonly #timeoutMs: number;
  #inFlight = new Set<Promise<void>>();
  /** What happened per address (tests and the log read it). */
  readonly results: { address: string; lifted: boolean }[] = [];

  constructor(bus: GuardBus, api: HomeAssistantApi, timeoutMs = 10_000) {
    this.#bus = bus;
    this.#api = api;
    this.#timeoutMs = timeoutMs;
  }

  async start(): Promise<void> {
    this.#bus.on(this, "unban", ({ address }) => {
      const work = this.#unban(address);
      this.#inFlight.add(work);
      void work.finally(() => this.#inFlight.delete(work));
    });
  }

  async stop(): Promise<void> {
    this.#bus.removeListeners(this);
    await this.settle();
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.#inFlight]);
  }

  async #unban(address: string): Promise<void> {
    let lifted = false;
    let reason = "";
    try {
      const response = await fetch(`${this.#api.url.replace(/\/+$/, "")}/api/services/http/unban`, {
        method: "POST",
        headers: { Authorization: `Bearer ${this.#api.token}`, "Content-Type": "application/json" },
        body: JSON.stringify({ ip_address: address }),
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: "error",
      });
      await response.body?.cancel().catch(() => undefined);
      lifted = response.ok;
      reason = `HTTP ${response.status}`;
    } catch (error) {
      reason = (error as Error).message;
    }
    this.results.push({ address, lifted });
    if (!lifted) {
      this.#bus.emit("warning", {
        message: `Home Assistant's own ban of ${address} stays until Home Assistant restarts: its http.unban service did not answer (${reason}; the service is not in every release)`,
        address,
      });
    }
  }
}
