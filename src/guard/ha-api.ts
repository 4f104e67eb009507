import { maskUrlCredentials } from "../model/mask.js";

/**
 * The few calls the guard makes to Home Assistant's REST API (`/api/services`), with a long-lived token. A
 * redirect is an error (a token must not follow one), the answer's body is read only as far as needed and
 * never beyond a bound, and an error names the origin only (a webhook's path is often its secret).
 */

export interface HomeAssistantApiSettings {
  url: string;
  token: string;
}

/** `GET /api/services` of a real 2023.11.3 instance is 10 KB; a large one is a few hundred. */
const MAX_SERVICES_BYTES = 8 * 1024 * 1024;

export function originOf(url: string): string {
  try {
    return new URL(maskUrlCredentials(url)).origin;
  } catch {
    return "(invalid URL)";
  }
}

class HomeAssistantApiError extends Error {
  override name = "HomeAssistantApiError";
  readonly status: number | null;
  constructor(message: string, status: number | null, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
  }
}

export class HomeAssistantApi {
  readonly #base: string;
  readonly #token: string;
  readonly #timeoutMs: number;

  constructor(settings: HomeAssistantApiSettings, timeoutMs = 10_000) {
    this.#base = settings.url.replace(/\/+$/, "");
    this.#token = settings.token;
    this.#timeoutMs = timeoutMs;
  }

  get origin(): string {
    return originOf(this.#base);
  }

  /** Whether the instance offers `domain.service` (from `GET /api/services`). */
  async hasService(domain: string, service: string): Promise<boolean> {
    const response = await this.#request("GET", "/api/services");
    const text = await readBounded(response, MAX_SERVICES_BYTES);
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new HomeAssistantApiError(`${this.origin}/api/services did not answer JSON`, response.status, {
        cause: error,
      });
    }
    if (!Array.isArray(data)) throw new HomeAssistantApiError(`${this.origin}/api/services: not a list`, null);
    const entry = data.find((item) => (item as { domain?: unknown } | null)?.domain === domain) as
      | { services?: Record<string, unknown> }
      | undefined;
    return entry?.services !== undefined && Object.hasOwn(entry.services, service);
  }

  /** Calls a service; resolves on a 2xx answer, else rejects with the status. */
  async callService(domain: string, service: string, data: Record<string, unknown>): Promise<void> {
    const response = await this.#request("POST", `/api/services/${domain}/${service}`, data);
    await response.body?.cancel().catch(() => undefined);
  }

  async #request(method: string, path: string, body?: unknown): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${this.#token}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      throw new HomeAssistantApiError(`${this.origin}: ${(error as Error).message}`, null, { cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new HomeAssistantApiError(`${method} ${this.origin}${path}: HTTP ${response.status}`, response.status);
    }
    return response;
  }
}

/** Reads a body up to `limit` bytes; a longer one is cancelled and is an error. */
async function readBounded(response: Response, limit: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new HomeAssistantApiError(`answer larger than ${limit} bytes`, response.status);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
